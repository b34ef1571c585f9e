"""How long the desk scanners' images are kept, and the names that tie one to its crossing.

A data-page image is the traveller's personal data as much as the crossing it led to. An image
whose reading was recorded is renamed `crossing-<id>-<name>` in its desk's `done/` folder and
goes when that crossing is anonymised (or gone); an image that was never recorded (the officer
scanned again, or typed the document in) and an image that could not be read (`failed/`) go
after a short time, `SCAN_UNRECORDED_HOURS`. `midas retention` runs the sweep.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from midas.persistence.models import Crossing

PROCESSING, DONE, FAILED = "processing", "done", "failed"
# What a claim names an image: 12 hex digits, a hyphen, the scanner's own name (no folders).
CLAIMED_NAME = re.compile(r"[0-9a-f]{12}-[^/\\\x00]{1,200}")
LINKED_NAME = re.compile(r"crossing-(\d{1,19})-[0-9a-f]{12}-[^/\\\x00]{1,200}")
# Crossing ids asked about per statement while sweeping.
ID_CHUNK = 500


@dataclass(slots=True)
class SweepCounts:
    """What a sweep deleted (or, on a dry run, would delete), by reason."""

    unreadable: int = 0
    unrecorded: int = 0
    crossing_anonymised: int = 0


def linked_name(crossing_id: int, claimed: str) -> str:
    """Return the name in `done/` of an image whose reading was recorded as a crossing."""
    return f"crossing-{int(crossing_id)}-{claimed}"


def link_to_crossing(desk: Path, claimed: str, crossing_id: int) -> Path | None:
    """Rename a desk's read image after the crossing recorded from it; None if it is not there.

    `claimed` comes back from a page: anything but a claimed image's name is ignored, so no
    request can name another file.
    """
    if not CLAIMED_NAME.fullmatch(claimed) or claimed.startswith("."):
        return None
    source = desk / DONE / claimed
    target = desk / DONE / linked_name(crossing_id, claimed)
    try:
        source.rename(target)
    except OSError:
        return None  # swept meanwhile, or the share is read-only: the sweep deals with it
    return target


def _desks(inbox: Path) -> Iterator[Path]:
    try:
        entries = sorted(inbox.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.isdigit() and entry.is_dir() and not entry.is_symlink():
            yield entry


def _files(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_file() and not p.is_symlink()]
    except OSError:
        return []


def _older(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except OSError:
        return False


def _delete(path: Path, dry_run: bool) -> bool:
    if dry_run:
        return True
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def _kept_crossings(session: Session, ids: Sequence[int]) -> set[int]:
    """Return those of `ids` that are crossings not yet anonymised."""
    kept: set[int] = set()
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        kept.update(
            session.scalars(
                select(Crossing.id).where(Crossing.id.in_(chunk), Crossing.anonymised_at.is_(None))
            )
        )
    return kept


def sweep_scan_images(
    session: Session,
    inbox: Path,
    *,
    now: datetime,
    unrecorded: timedelta,
    dry_run: bool = False,
) -> SweepCounts:
    """Delete the images retention no longer allows, in every desk folder under `inbox`."""
    counts = SweepCounts()
    cutoff = (now - unrecorded).timestamp()
    for desk in _desks(inbox):
        for path in _files(desk / FAILED):
            if _older(path, cutoff) and _delete(path, dry_run):
                counts.unreadable += 1
        linked: dict[int, list[Path]] = {}
        for path in _files(desk / DONE):
            match = LINKED_NAME.fullmatch(path.name)
            if match is not None:
                linked.setdefault(int(match.group(1)), []).append(path)
            elif _older(path, cutoff) and _delete(path, dry_run):
                counts.unrecorded += 1
        kept = _kept_crossings(session, sorted(linked))
        for crossing_id, paths in linked.items():
            if crossing_id in kept:
                continue
            counts.crossing_anonymised += sum(_delete(path, dry_run) for path in paths)
    return counts
