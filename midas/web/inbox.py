"""The desk scanner's watched folder: claim the oldest new image once, file it as done or failed.

`SCAN_INBOX` holds one subfolder per station, named by the station's id. A scanner drops files
there (a document reader that reads the chip too drops the chip's files beside the image, named
after it: `scan-0001.png` with `scan-0001.sod`, `scan-0001-DG1.bin`...). A station page claims
the oldest image by renaming it into `processing/` (a rename within one file system is atomic,
so of two tabs or two workers only one gets it), with its chip files, reads it, then moves them
to `done/` or `failed/`. No path ever comes from a request: the folder is the setting joined
with a station id the caller has checked belongs to the officer's post.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

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
# The most chip files taken with one image (EF.COM, EF.SOD and 16 data groups).
MAX_CHIP_FILES = 18
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
    # The chip's files the reader left beside the image, claimed with it.
    chip: tuple[Path, ...] = ()


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
        raise InboxError(
            _("%(folder)s/ cannot be made: %(reason)s", folder=target.name, reason=error.strerror)
        ) from error
    _sweep(target, time.time() if now is None else now)
    for path in waiting(folder, now):
        # A unique prefix: the scanner may reuse names, and done/ keeps every file.
        moved = target / f"{uuid.uuid4().hex[:12]}-{path.name}"
        try:
            path.rename(moved)
        except FileNotFoundError:
            continue  # another tab claimed it first
        except OSError as error:
            raise InboxError(
                _("%(file)s cannot be moved: %(reason)s", file=path.name, reason=error.strerror)
            ) from error
        # A rename keeps the scanner's time; the sweep must count from the claim.
        os.utime(moved)
        chip = tuple(
            _claim_sibling(sibling, target, moved.name.split("-", 1)[0])
            for sibling in chip_files_of(folder, path, now)
        )
        return Claimed(moved, path.name, tuple(p for p in chip if p is not None))
    return None


def chip_files_of(folder: Path, image: Path, now: float | None = None) -> list[Path]:
    """Return the chip files left beside an image: named after it (its stem, then `.`, `-` or
    `_`), not images themselves, settled, at most MAX_CHIP_FILES, in name order. A file named
    after another image whose name begins with this one's (scan-0001-2.png) is that image's."""
    stem = image.stem
    moment = time.time() if now is None else now
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    others = [
        p.stem
        for p in entries
        if p.suffix.lower() in SUFFIXES and p.stem != stem and _named_after(p.stem, stem)
    ]
    found = []
    for path in entries:
        name = path.name
        if (
            path == image
            or not _named_after(name, stem)
            or any(_named_after(name, other) for other in others)
            or path.suffix.lower() in SUFFIXES
            or path.is_symlink()
            or not path.is_file()
        ):
            continue
        try:
            if moment - path.stat().st_mtime < SETTLE_SECONDS:
                continue  # still being written: it waits for the next scan's look
        except OSError:
            continue
        found.append(path)
    return found[:MAX_CHIP_FILES]


def _named_after(name: str, stem: str) -> bool:
    return name.startswith(stem) and name[len(stem) : len(stem) + 1] in (".", "-", "_")


def _claim_sibling(path: Path, target: Path, prefix: str) -> Path | None:
    moved = target / f"{prefix}-{path.name}"
    try:
        path.rename(moved)
    except OSError:
        return None  # gone meanwhile: the reading goes on without it
    os.utime(moved)
    return moved


def file_away(claimed: Claimed, outcome: str) -> Path:
    """Move a claimed image (and its chip files) to `done/` or `failed/`; return where the image
    went."""
    target = claimed.path.parent.parent / outcome
    target.mkdir(exist_ok=True)
    destination = target / claimed.path.name
    claimed.path.rename(destination)
    for path in claimed.chip:
        path.rename(target / path.name)
    return destination


def _sweep(processing: Path, now: float) -> None:
    """File as failed the images a dead worker left in processing/."""
    for path in processing.iterdir():
        try:
            if now - path.stat().st_mtime > STALE_SECONDS:
                file_away(Claimed(path, path.name), FAILED)
        except OSError:
            continue  # another tab swept it first
