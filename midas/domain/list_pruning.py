"""Delete old versions of a watchlist, keeping every version something may still need.

Kept whatever its age: the active version, a version still loading, a version that stored
screening hits name (their review must still show the entry that hit), and a version that was
superseded only recently: a service process may be screening a crossing against it at this
moment and will store its hits against it a few milliseconds later.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from midas.persistence.base import utcnow
from midas.persistence.models import ScreeningHit, Watchlist, WatchlistVersion
from watchlists.versions import VersionState

# How long a superseded version is spared by default: far longer than any request that may
# still be screening against it (each request checks the active versions before screening).
RECENTLY_SUPERSEDED = timedelta(minutes=60)


@dataclass(frozen=True, slots=True)
class PruneResult:
    """What pruning a list did: the version numbers deleted and those kept past `keep`, and why."""

    list_name: str
    keep: int
    deleted: tuple[int, ...]
    kept_active: int | None
    kept_referenced: tuple[int, ...]
    kept_loading: tuple[int, ...]
    kept_recent: tuple[int, ...] = ()


def superseded_at(rows: list[tuple[int, datetime | None, VersionState]]) -> dict[int, datetime]:
    """Return when each once-active version was superseded: when the next one turned active.

    `rows` are (version id, activation time, state) of one list's versions.
    """
    activated = sorted(
        (finished, version_id)
        for version_id, finished, state in rows
        if finished is not None and state in (VersionState.ACTIVE, VersionState.SUPERSEDED)
    )
    return {
        version_id: following for (_, version_id), (following, _) in itertools.pairwise(activated)
    }


def prune_versions(
    session: Session,
    name: str,
    keep: int,
    *,
    spare_superseded_within: timedelta = RECENTLY_SUPERSEDED,
    now: datetime | None = None,
) -> PruneResult | None:
    """Delete all but the newest `keep` versions of a list, in the caller's transaction.

    Besides the newest `keep`, the versions described in the module docstring are kept; a
    version superseded less than `spare_superseded_within` before `now` counts as recent.
    Entries, rejections and deltas of a deleted version go with it (ON DELETE CASCADE).
    Returns None when there is no such list.
    """
    if keep < 1:
        raise ValueError("keep must be at least 1")
    # Lock the list as a load does, so a prune and a load or activation never interleave.
    watchlist = session.scalars(
        select(Watchlist).where(Watchlist.name == name).with_for_update()
    ).one_or_none()
    if watchlist is None:
        return None
    rows = session.execute(
        select(
            WatchlistVersion.id,
            WatchlistVersion.number,
            WatchlistVersion.status,
            WatchlistVersion.finished_at,
        )
        .where(WatchlistVersion.watchlist_id == watchlist.id)
        .order_by(WatchlistVersion.number.desc())
    ).all()
    replaced = superseded_at([(row.id, row.finished_at, row.status) for row in rows])
    recent_since = (now or utcnow()) - spare_superseded_within
    older = rows[keep:]
    referenced = set(
        session.scalars(
            select(ScreeningHit.list_version_id)
            .where(ScreeningHit.list_version_id.in_([row.id for row in older]))
            .distinct()
        )
    )
    deleted: list[tuple[int, int]] = []
    kept_referenced: list[int] = []
    kept_loading: list[int] = []
    kept_recent: list[int] = []
    kept_active = None
    for row in older:
        if row.id == watchlist.active_version_id:
            kept_active = row.number
        elif row.status is VersionState.LOADING:
            kept_loading.append(row.number)
        elif row.id in referenced:
            kept_referenced.append(row.number)
        elif row.id in replaced and replaced[row.id] > recent_since:
            kept_recent.append(row.number)
        else:
            deleted.append((row.id, row.number))
    if deleted:
        session.execute(
            delete(WatchlistVersion).where(
                WatchlistVersion.id.in_([version_id for version_id, _ in deleted])
            )
        )
    return PruneResult(
        list_name=name,
        keep=keep,
        deleted=tuple(sorted(number for _, number in deleted)),
        kept_active=kept_active,
        kept_referenced=tuple(sorted(kept_referenced)),
        kept_loading=tuple(sorted(kept_loading)),
        kept_recent=tuple(sorted(kept_recent)),
    )
