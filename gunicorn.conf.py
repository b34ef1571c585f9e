"""Gunicorn settings for MIDAS; each can be overridden by the matching GUNICORN_* variable."""

import multiprocessing
import os

# Where to listen: loopback by default; a container sets 0.0.0.0:8000.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Workers: one per core plus one keeps a 2-core post server busy without swapping.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
# Threads per worker: 1 runs gunicorn's sync worker. Reading, screening and recording are
# CPU-bound: on 2 cores, 3 sync workers recorded more crossings per second than 3 x 2 threads in
# every paired run (docs/benchmarks.md). Sync workers expect a proxy that buffers slow clients
# (nginx) in front of them where stations reach the server over a slow link.
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A scan, screening and record must finish well inside this; a hung request is killed.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Load the app (and its watchlist indexes) once, before forking, so workers share memory.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# One line per request on stdout (the container's log); GUNICORN_ACCESSLOG=off drops it where a
# proxy in front already logs every request.
accesslog = None if os.environ.get("GUNICORN_ACCESSLOG", "-") == "off" else "-"
# The access log keeps query parameters' names, not their values: searches carry travellers'
# names and document numbers (midas/access_log.py).
logger_class = "midas.access_log.AccessLogger"
errorlog = "-"


def when_ready(server):  # noqa: ANN001, ANN201 - gunicorn's hook signature
    """Build the screening indexes in the master before it forks workers, which share them.

    Only with preload: without it the master has no app, and each worker builds in the
    background (post_worker_init) while health reports screening unavailable.
    """
    if server.cfg.preload_app:
        # Imported here, not above: gunicorn reads this file before it loads the app.
        from midas.domain.screening_indexes import build_at_start

        ready = build_at_start(server.app.wsgi())
        server.log.info("screening indexes ready before forking: %d", len(ready))


def post_worker_init(worker):  # noqa: ANN001, ANN201 - gunicorn's hook signature
    """Queue, for the worker's builder thread, the indexes the master did not build."""
    from midas.domain.screening_indexes import build_in_background

    build_in_background(worker.wsgi)
