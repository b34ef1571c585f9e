"""The watched folder carriers' gateways drop PAXLST files into (PAXLST_INBOX).

A pass takes at most `batch` files, oldest first. Each is received whole in its own transaction
(`carrier_messages.receive_message`) and only then moved: to `done/`, or to `refused/` with a
`<name>.error.txt` report beside it. A crash between the commit and the move leaves the file
in the inbox; the next pass finds its flights already stored with the same content and stores
nothing again. Gateways write a temporary name and rename it when the file is complete, so a
name starting with "." or ending .tmp or .part is never taken, nor anything but a plain file.
`midas retention` deletes the moved files PAXLST_RETENTION_HOURS (and a day) after they were
written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session, sessionmaker

from midas.domain.carrier_messages import receive_message
from midas.domain.errors import DomainError, Unavailable
from midas.domain.screening_indexes import ScreeningIndexes
from watchlists.config import ScreeningConfig

DONE, REFUSED = "done", "refused"
# Suffixes of files a gateway is still writing (compared in lower case).
PARTIAL_SUFFIXES = (".tmp", ".part")
ERROR_SUFFIX = ".error.txt"


@dataclass(slots=True)
class InboxPass:
    """What one pass did: files stored (with their flights), refused, and left for later."""

    stored: list[tuple[str, int]] = field(default_factory=list)  # (file, flights)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    waiting: int = 0  # complete files beyond the pass's batch


def ready_files(inbox: Path) -> list[Path]:
    """Return the complete files in the inbox, oldest first (then by name)."""
    found = []
    with os.scandir(inbox) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name.lower().endswith(PARTIAL_SUFFIXES):
                continue
            if entry.is_file(follow_symlinks=False):
                found.append((entry.stat(follow_symlinks=False).st_mtime_ns, name))
    return [inbox / name for _, name in sorted(found)]


def _free_name(folder: Path, name: str) -> Path:
    """Return `folder/name`, numbered when a file of that name was moved there before."""
    target, number = folder / name, 1
    while target.exists() or (folder / (target.name + ERROR_SUFFIX)).exists():
        number += 1
        target = folder / f"{name}.{number}"
    return target


def ingest_inbox(
    sessions: sessionmaker[Session],
    actor: str,
    inbox: Path,
    indexes: ScreeningIndexes,
    config: ScreeningConfig,
    *,
    batch: int,
    max_bytes: int,
    today: date,
) -> InboxPass:
    """Receive up to `batch` complete files of the inbox, each stored whole or refused."""
    (inbox / DONE).mkdir(exist_ok=True)
    (inbox / REFUSED).mkdir(exist_ok=True)
    files = ready_files(inbox)
    result = InboxPass(waiting=max(0, len(files) - batch))
    for path in files[:batch]:
        try:
            if path.stat().st_size > max_bytes:
                raise _TooLarge(f"{path.name}: larger than {max_bytes} bytes")
            data = path.read_bytes()
            with sessions.begin() as session:
                received = receive_message(
                    session, actor, data, indexes, config, source=path.name, today=today
                )
        except Unavailable:
            raise  # the database or the lists are not ready: every file waits for the next pass
        except DataError as error:
            # The database refuses what this file holds (not its own state): the file goes to
            # refused/, so it cannot stop every later pass as the oldest one. The error's text
            # may quote a traveller's data: only its kind is kept.
            why = f"{path.name}: the database refused its data ({type(error).__name__})"
            _refuse(inbox, path, why)
            result.refused.append((path.name, why))
            continue
        except (DomainError, _TooLarge) as error:
            why = error.message if isinstance(error, DomainError) else str(error)
            _refuse(inbox, path, why)
            result.refused.append((path.name, why))
            continue
        os.replace(path, _free_name(inbox / DONE, path.name))
        result.stored.append((path.name, len(received)))
    return result


def _refuse(inbox: Path, path: Path, why: str) -> None:
    """Move a file to refused/ with the reason beside it."""
    target = _free_name(inbox / REFUSED, path.name)
    target.with_name(target.name + ERROR_SUFFIX).write_text(why + "\n", encoding="utf-8")
    os.replace(path, target)


def sweep_inbox_files(inbox: Path, cutoff: datetime, *, dry_run: bool) -> int:
    """Delete the files in done/ and refused/ (with their reports) last written before
    `cutoff`: copies of messages whose flights the database keeps as long as it must."""
    due = [
        entry
        for folder in (inbox / DONE, inbox / REFUSED)
        if folder.is_dir()
        for entry in folder.iterdir()
        if entry.is_file() and entry.stat().st_mtime < cutoff.timestamp()
    ]
    if not dry_run:
        for entry in due:
            entry.unlink(missing_ok=True)
    return len(due)


class _TooLarge(Exception):
    """A file larger than a message may be."""
