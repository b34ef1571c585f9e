"""The desk scanner's watched folder: claim the oldest new image once, file it as done or failed.

`SCAN_INBOX` holds one subfolder per station, named by the station's id. A scanner drops files
there; a station page claims the oldest by renaming it into `processing/` (a rename within one
file system is atomic, so of two tabs or two workers only one gets it), reads it, then moves it
to `done/` or `failed/`. No path ever comes from a request: the folder is the setting joined
with a station id the caller has checked belongs to the officer's post.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from midas.domain.scan_files import DONE, FAILED, PROCESSING

# The folder names are the retention sweep's too (midas.domain.scan_files); pages take them here.
__all__ = [
    "DONE",
    "FAILED",
    "PROCESSING",
    "Claimed",
    "InboxError",
    "claim",
    "desk_folder",
    "file_away",
    "waiting",
]

# What desk scanners save.
SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".pdf"})
# A file younger than this may still be being written by the scanner; it waits for the next look.
SETTLE_SECONDS = 1.0
# An image this long in processing/ was being read by a worker that died (a read takes seconds):
# it goes to failed/ rather than back, so an image that crashes the reader is not read again.
STALE_SECONDS = 300.0


class InboxError(Exception):
    """A desk's scanner folder cannot be used (permissions, a full disk): the reason in words."""


@dataclass(frozen=True, slots=True)
class Claimed:
    """An image taken from a desk's folder: where it is now and the name the scanner gave it."""

    path: Path
    name: str


def desk_folder(inbox: str, station_id: int) -> Path | None:
    """Return a station's scanner folder, or None when the watched folder is off."""
    if not inbox:
        return None
    return Path(inbox) / str(int(station_id))


def waiting(folder: Path, now: float | None = None) -> list[Path]:
    """Return the new images in a desk's folder, oldest first (settled files only)."""
    moment = time.time() if now is None else now
    found: list[tuple[float, str, Path]] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        if path.name.startswith(".") or path.suffix.lower() not in SUFFIXES:
            continue
        if path.is_symlink():
            continue  # whoever can write the share could point it at another desk's images
        try:
            stat = path.stat()
        except OSError:
            continue  # claimed by another tab meanwhile
        if not path.is_file() or moment - stat.st_mtime < SETTLE_SECONDS:
            continue
        found.append((stat.st_mtime, path.name, path))
    return [path for _, _, path in sorted(found)]


def claim(folder: Path, now: float | None = None) -> Claimed | None:
    """Move the oldest new image into `processing/` and return it; None when there is none."""
    target = folder / PROCESSING
    try:
        target.mkdir(exist_ok=True)
    except OSError as error:
        raise InboxError(f"{target.name}/ cannot be made: {error.strerror}") from error
    _sweep(target, time.time() if now is None else now)
    for path in waiting(folder, now):
        # A unique prefix: the scanner may reuse names, and done/ keeps every file.
        moved = target / f"{uuid.uuid4().hex[:12]}-{path.name}"
        try:
            path.rename(moved)
        except FileNotFoundError:
            continue  # another tab claimed it first
        except OSError as error:
            raise InboxError(f"{path.name} cannot be moved: {error.strerror}") from error
        # A rename keeps the scanner's time; the sweep must count from the claim.
        os.utime(moved)
        return Claimed(moved, path.name)
    return None


def file_away(claimed: Claimed, outcome: str) -> Path:
    """Move a claimed image to `done/` or `failed/`; return where it went."""
    target = claimed.path.parent.parent / outcome
    target.mkdir(exist_ok=True)
    destination = target / claimed.path.name
    claimed.path.rename(destination)
    return destination


def _sweep(processing: Path, now: float) -> None:
    """File as failed the images a dead worker left in processing/."""
    for path in processing.iterdir():
        try:
            if now - path.stat().st_mtime > STALE_SECONDS:
                file_away(Claimed(path, path.name), FAILED)
        except OSError:
            continue  # another tab swept it first
