"""Screening hits as recording stores them: one row per list entry a reading matched, naming the
list version it came from."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, insert, select, tuple_
from sqlalchemy.orm import Session

from midas.persistence.database import adopt
from midas.persistence.models import HitStatus, ScreeningHit, Watchlist, WatchlistVersion

# Hits are inserted with Core in one statement (ids returned in order) rather than flushed one
# ORM object at a time.
_HITS = cast(Table, ScreeningHit.__table__)
_INSERT_HITS = insert(_HITS).returning(_HITS.c.id, sort_by_parameter_order=True)


@dataclass(frozen=True, slots=True)
class NewHit:
    """A hit to store with a crossing: the list version and entry it matched, and why."""

    list_name: str
    list_version_id: int
    list_kind: str
    entry_id: str
    matched_name: str
    score: float
    threshold: float
    reasons: Sequence[Mapping[str, object]]
    category: str | None
    action: str | None
    status: HitStatus


def list_version_ids(
    session: Session, wanted: Collection[tuple[str, int]]
) -> dict[tuple[str, int], int]:
    """Return the id of each (list name, version number) wanted that is stored."""
    if not wanted:
        return {}
    rows = session.execute(
        select(Watchlist.name, WatchlistVersion.number, WatchlistVersion.id)
        .join(WatchlistVersion, WatchlistVersion.watchlist_id == Watchlist.id)
        .where(tuple_(Watchlist.name, WatchlistVersion.number).in_(sorted(wanted)))
    )
    return {(name, number): version_id for name, number, version_id in rows}


def insert_hits(
    session: Session, crossing_id: int, hits: Sequence[NewHit], created_at: datetime
) -> list[ScreeningHit]:
    """Store a crossing's hits, not reviewed yet; return them as the session's ORM objects,
    in the order given, without reading them back."""
    if not hits:
        return []
    rows = [
        {
            "crossing_id": crossing_id,
            "list_name": hit.list_name,
            "list_version_id": hit.list_version_id,
            "list_kind": hit.list_kind,
            "entry_id": hit.entry_id,
            "matched_name": hit.matched_name,
            "score": hit.score,
            "threshold": hit.threshold,
            "reasons": hit.reasons,
            "category": hit.category,
            "action": hit.action,
            "status": hit.status,
            "reviewed_by_id": None,
            "reviewed_at": None,
            "review_reason": None,
            "override_reason": None,
            "created_at": created_at,
        }
        for hit in hits
    ]
    stored = session.connection().execute(_INSERT_HITS, rows).scalars().all()
    return [
        adopt(session, ScreeningHit, row | {"id": id_})
        for row, id_ in zip(rows, stored, strict=True)
    ]
