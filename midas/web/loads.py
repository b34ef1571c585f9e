"""Watchlist loads started from a page: each runs in a thread so the page can show progress.

The job lives in this process; the version it makes lives in the database, so a page served by
another worker still finds the outcome through the list's versions.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app

from midas.auth import Actor
from midas.domain.audit import record_audit
from midas.domain.lists import load_watchlist
from midas.persistence import database
from watchlists.models import ListKind
from watchlists.versions import LoadReport

EXTENSION_KEY = "midas.web.loads"


@dataclass(slots=True)
class LoadJob:
    """One load of a list file: its state, and the report once finished."""

    id: str
    list_name: str
    file_name: str
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    report: LoadReport | None = None
    error: str | None = None

    @property
    def running(self) -> bool:
        """Tell whether the load is still going."""
        return self.finished is None

    @property
    def seconds(self) -> float:
        """Return how long the load has taken so far."""
        return (self.finished or time.monotonic()) - self.started


def jobs(app: Flask | None = None) -> dict[str, LoadJob]:
    """Return this process's load jobs by id."""
    target = app or current_app
    found: dict[str, LoadJob] = target.extensions.setdefault(EXTENSION_KEY, {})
    return found


def start_load(
    actor: Actor, name: str, kind: ListKind, fmt: str, upload: Path, file_name: str
) -> LoadJob:
    """Start loading an uploaded file as a new version of a list; audit the start."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    job = LoadJob(id=str(uuid.uuid4()), list_name=name, file_name=file_name)
    jobs(app)[job.id] = job
    sessions = database(app).sessions
    with sessions.begin() as db:
        record_audit(
            db,
            actor,
            "watchlist.upload",
            "watchlist",
            name,
            detail={"file": file_name, "format": fmt, "kind": kind.value, "job": job.id},
        )
    thread = threading.Thread(
        target=_run, args=(app, job, actor, name, kind, fmt, upload), daemon=True
    )
    thread.start()
    return job


def _run(
    app: Flask, job: LoadJob, actor: Actor, name: str, kind: ListKind, fmt: str, upload: Path
) -> None:
    sessions = database(app).sessions
    try:
        job.report = load_watchlist(sessions, name, kind, fmt, upload, actor.username)
    except Exception as error:
        job.error = f"{type(error).__name__}: {error}"
    finally:
        job.finished = time.monotonic()
        shutil.rmtree(upload.parent, ignore_errors=True)
    report = job.report
    detail: dict[str, object] = {"job": job.id, "file": job.file_name}
    if report is not None:
        detail |= {
            "version": report.version,
            "entries": report.entry_count,
            "rejected": len(report.rejected),
            "failure": None if report.failure is None else str(report.failure),
        }
    else:
        detail["error"] = job.error
    outcome = "ok" if report is not None and report.ok else "failed"
    with sessions.begin() as db:
        record_audit(db, actor, "watchlist.load", "watchlist", name, outcome=outcome, detail=detail)


def upload_path(file_name: str) -> Path:
    """Return a private temporary path for an uploaded file, keeping a safe form of its name."""
    folder = Path(tempfile.mkdtemp(prefix="midas-upload-"))
    safe = "".join(ch for ch in Path(file_name).name if ch.isalnum() or ch in "._-") or "list"
    return folder / safe
