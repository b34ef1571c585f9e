"""Watchlist loads started from a page or the API: each runs in a thread; its status is a file on
the host.

A page of any gunicorn worker on this host may be asked how a load goes, so the status is not
kept in the memory of the worker that runs it: each job has a small JSON file in the instance
folder (`loads/<job id>.json`), rewritten atomically (temporary file, then os.replace) at the
start, at most about twice a second while it runs (stage, records read and rejected so far,
bytes read of the total) and at the end. The file names the process running the load; a job
whose process has gone while the file still says "running" is reported as failed. The version
a load makes lives in the database as before.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from midas.domain.actors import Actor
from midas.domain.audit import record_audit
from midas.domain.list_changes import load_list
from midas.domain.list_loads import process_stamp
from midas.domain.lists import Sessions
from midas.list_uploads import UploadedSource, sweep_uploads
from midas.persistence import database
from midas.persistence.error_text import scrub
from watchlists.format_names import public_name
from watchlists.models import ListKind
from watchlists.versions import LoadProgress, LoadReport

logger = logging.getLogger(__name__)

__all__ = ["LoadJob", "find_job", "process_stamp", "save", "start_load"]

# Tests point this at a temporary folder; by default the instance folder's `loads/`.
FOLDER_KEY = "midas.list_loads.folder"
# Rejected records kept in a job's status file (the version's page shows them all).
REJECTED_KEPT = 500
# Status files older than this are removed when a new load starts.
KEPT_FOR_SECONDS = 7 * 24 * 3600
# A running job's status file is rewritten at most this often; stage changes are written at once.
PROGRESS_WRITE_SECONDS = 0.5
RUNNING, DONE, FAILED = "running", "done", "failed"


@dataclass(slots=True)
class LoadJob:
    """One load of a list file as its status file tells it."""

    id: str
    list_name: str
    file_name: str
    state: str = RUNNING
    started: float = field(default_factory=time.time)
    finished: float | None = None
    host: str = field(default_factory=socket.gethostname)
    pid: int = field(default_factory=os.getpid)
    process_started: str | None = None
    report: dict[str, Any] | None = None
    error: str | None = None
    progress: dict[str, Any] | None = None
    # What screening the flights still to land again found once the new version was active.
    rescreened: dict[str, int] | None = None

    @property
    def running(self) -> bool:
        """Tell whether the load is still going."""
        return self.state == RUNNING

    @property
    def seconds(self) -> float:
        """Return how long the load has taken so far."""
        return (self.finished or time.time()) - self.started

    @property
    def percent(self) -> int | None:
        """Return the share of the file read so far, when its size is known."""
        done = self.progress or {}
        read, total = done.get("bytes_read"), done.get("bytes_total")
        if read is None or not total:
            return None
        return min(100, int(100 * read / total))


def folder(app: Flask | None = None) -> Path:
    """Return the folder of the status files, made if missing."""
    target = app or current_app
    found = target.extensions.get(FOLDER_KEY) or Path(target.instance_path) / "loads"
    path = Path(found)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _job_path(base: Path, job_id: str) -> Path | None:
    """Return a job's status file, or None when the id is not a job id (no path from a request)."""
    try:
        canonical = str(uuid.UUID(job_id))
    except ValueError:
        return None
    return base / f"{canonical}.json"


def _alive(job: LoadJob) -> bool:
    """Tell whether the process that runs a job is still there."""
    if job.host != socket.gethostname():
        return True  # another host's process cannot be checked from here; trust its file
    if Path("/proc").is_dir():
        return job.process_started is not None and process_stamp(job.pid) == job.process_started
    try:
        os.kill(job.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def save(job: LoadJob, app: Flask | None = None) -> None:
    """Write a job's status file atomically: readers see the old or the new file, never half."""
    base = folder(app)
    path = _job_path(base, job.id)
    assert path is not None  # ids are made by uuid4 here
    handle, temporary = tempfile.mkstemp(dir=base, prefix=".job-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(asdict(job), out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def find_job(job_id: str, app: Flask | None = None) -> LoadJob | None:
    """Return a job from its status file (None if unknown); a dead runner's job has failed."""
    path = _job_path(folder(app), job_id)
    if path is None:
        return None
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    # Keys this version does not know are dropped, so a worker still on an older release
    # reads a file written by a newer one (and the other way round) during a rolling restart.
    known = {name: value for name, value in stored.items() if name in LoadJob.__dataclass_fields__}
    job = LoadJob(**known)
    if job.running and not _alive(job):
        job.state = FAILED
        job.error = (
            "the worker process running this load stopped before it finished; upload the file again"
        )
    return job


def _forget_old(base: Path) -> None:
    limit = time.time() - KEPT_FOR_SECONDS
    for path in base.glob("*.json"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue  # another worker removed it first


def start_load(
    actor: Actor,
    name: str,
    kind: ListKind,
    fmt: str,
    source: UploadedSource,
    *,
    allow_removals: bool = False,
) -> LoadJob:
    """Start loading an upload as a new version of a list; audit the start and any override."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    job = LoadJob(id=str(uuid.uuid4()), list_name=name, file_name=source.file_name)
    job.process_started = process_stamp(job.pid)
    _forget_old(folder(app))
    sweep_uploads(source.folder.parent)
    save(job, app)
    sessions = database(app).sessions
    with sessions.begin() as db:
        record_audit(
            db,
            actor,
            "watchlist.upload",
            "watchlist",
            name,
            detail={
                "file": source.file_name,
                "format": public_name(fmt),
                "kind": kind.value,
                "job": job.id,
                "removals_allowed": allow_removals,
            },
        )
    thread = threading.Thread(
        target=_run,
        args=(app, job, actor, name, kind, fmt, source, allow_removals),
        daemon=True,
    )
    thread.start()
    return job


def report_summary(report: LoadReport) -> dict[str, Any]:
    """Return what the load page shows of a report, as JSON; a refused load changed nothing,
    so it has no change counts."""
    return {
        "list_name": report.list_name,
        "ok": report.ok,
        "failure": None if report.failure is None else str(report.failure),
        "version": report.version,
        "active_version": None if report.active is None else report.active.version,
        "previous_version": None if report.previous is None else report.previous.version,
        "entry_count": report.entry_count,
        "rejected": [asdict(r) for r in report.rejected[:REJECTED_KEPT]],
        "rejected_total": len(report.rejected),
        "skipped": [list(pair) for pair in report.skipped],
        "added": len(report.added) if report.ok else None,
        "changed": len(report.changed) if report.ok else None,
        "removed": len(report.removed) if report.ok else None,
        "warnings": list(report.warnings),
        "source_format": public_name(report.source_format),
        "checksum_sha256": report.checksum_sha256,
        "published": None if report.published is None else report.published.isoformat(),
    }


class ProgressWriter:
    """Writes a job's progress to its status file: each stage at once, counts twice a second."""

    def __init__(self, app: Flask, job: LoadJob) -> None:
        self.app, self.job = app, job
        self.written = 0.0

    def __call__(self, progress: LoadProgress) -> None:
        """Record one progress report in the job, writing the file if it is due."""
        stage_changed = self.job.progress is None or self.job.progress["stage"] != progress.stage
        self.job.progress = progress_summary(progress)
        now = time.monotonic()
        if stage_changed or now - self.written >= PROGRESS_WRITE_SECONDS:
            self.written = now
            save(self.job, self.app)


def progress_summary(progress: LoadProgress) -> dict[str, Any]:
    """Return a progress report as JSON."""
    return {
        "stage": str(progress.stage),
        "records": progress.records,
        "rejected": progress.rejected,
        "bytes_read": progress.bytes_read,
        "bytes_total": progress.bytes_total,
    }


def _run(
    app: Flask,
    job: LoadJob,
    actor: Actor,
    name: str,
    kind: ListKind,
    fmt: str,
    source: UploadedSource,
    allow_removals: bool,
) -> None:
    sessions = database(app).sessions
    report: LoadReport | None = None
    try:
        change = load_list(
            app,
            actor,
            name,
            kind,
            fmt,
            source.path,
            actor.username,
            allow_removals=allow_removals,
            on_progress=ProgressWriter(app, job),
        )
        report = change.report
        if change.rescreened is not None:
            job.rescreened = asdict(change.rescreened)
    # The thread's outermost handler: any failure must reach the status file and the audit log.
    except Exception as error:
        # The upload's folder is the server's business, not the reader's; nor is a row's data.
        job.error = scrub(f"{type(error).__name__}: {error}".replace(str(source.folder), "upload"))
    job.finished = time.time()
    job.state = DONE if report is not None else FAILED
    job.report = None if report is None else report_summary(report)
    try:
        # Audited before the status says finished: once a page sees "done", all of it is done.
        _audit_load(sessions, actor, name, job, report, allow_removals)
    finally:
        try:
            save(job, app)
        except OSError:  # a full or read-only disk must not hide the outcome in the log
            logger.exception("could not write the status of load job %s", job.id)
        shutil.rmtree(source.folder, ignore_errors=True)


def _audit_load(
    sessions: Sessions,
    actor: Actor,
    name: str,
    job: LoadJob,
    report: LoadReport | None,
    allow_removals: bool,
) -> None:
    detail: dict[str, object] = {
        "job": job.id,
        "file": job.file_name,
        "removals_allowed": allow_removals,
    }
    if report is not None:
        detail |= {
            "version": report.version,
            "entries": report.entry_count,
            "rejected": len(report.rejected),
            "removed": len(report.removed) if report.ok else 0,
            "warnings": list(report.warnings),
            "failure": None if report.failure is None else str(report.failure),
        }
    else:
        detail["error"] = job.error
    outcome = "ok" if report is not None and report.ok else "failed"
    with sessions.begin() as db:
        record_audit(db, actor, "watchlist.load", "watchlist", name, outcome=outcome, detail=detail)
