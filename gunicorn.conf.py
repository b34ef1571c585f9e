"""Gunicorn settings for MIDAS; each can be overridden by the matching GUNICORN_* variable."""

import multiprocessing
import os

# Where to listen: loopback by default; a container sets 0.0.0.0:8000.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Workers: one per core plus one keeps a 2-core post server busy without swapping.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
# Threads per worker: screening is CPU-bound, so few threads.
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# A scan, screening and record must finish well inside this; a hung request is killed.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Load the app (and its watchlist indexes) once, before forking, so workers share memory.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# One line per request on stdout (the container's log); GUNICORN_ACCESSLOG=off drops it where a
# proxy in front already logs every request.
accesslog = None if os.environ.get("GUNICORN_ACCESSLOG", "-") == "off" else "-"
errorlog = "-"
