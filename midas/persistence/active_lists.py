"""Which list versions are active: the pointer of each list, read on its own or as one text
column of another statement (the desk's: one round trip fewer per recorded crossing)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, String, cast, func, select, type_coerce
from sqlalchemy.orm import Session

from midas.persistence.models import AlertPolicy, Watchlist, WatchlistVersion
from watchlists.models import ListKind


@dataclass(frozen=True, slots=True)
class ActiveList:
    """A list's active version, as the pointer names it, with the list's decision settings."""

    name: str
    kind: ListKind
    version_id: int
    version: int
    policy: AlertPolicy = AlertPolicy.REFER
    possible_match_floor: float | None = None


# Built once: every screening asks which versions are active, so the statement's compiled form
# is cached (and prepared on PostgreSQL) instead of being constructed per request.
_ACTIVE_LISTS = (
    select(
        Watchlist.name,
        Watchlist.kind,
        WatchlistVersion.id,
        WatchlistVersion.number,
        Watchlist.alert_policy,
        Watchlist.possible_match_floor,
    )
    .join(WatchlistVersion, WatchlistVersion.id == Watchlist.active_version_id)
    .order_by(Watchlist.name)
)


def active_lists(session: Session | Connection) -> list[ActiveList]:
    """Return the active version of every list that has one, by list name."""
    rows = session.execute(_ACTIVE_LISTS)
    return [
        ActiveList(name, kind, version_id, number, policy, floor)
        for name, kind, version_id, number, policy, floor in rows
    ]


# The same answer as one text column, for a statement that reads something else as well (the
# recording path reads it with the desk: one round trip fewer per crossing). Fields are joined by
# the ASCII unit separator and lists by the record separator, which no list name contains.
_FIELD, _RECORD = "\x1f", "\x1e"
ACTIVE_LISTS_COLUMN = (
    select(
        func.aggregate_strings(
            Watchlist.name
            + _FIELD
            + type_coerce(Watchlist.kind, String)
            + _FIELD
            # Numbers join text without a CAST on both backends (PostgreSQL's text || anynonarray):
            # the statement it is part of must stay within psycopg's cache of prepared queries.
            + type_coerce(WatchlistVersion.id, String)
            + _FIELD
            + type_coerce(WatchlistVersion.number, String)
            + _FIELD
            + type_coerce(Watchlist.alert_policy, String)
            + _FIELD
            + func.coalesce(cast(Watchlist.possible_match_floor, String), ""),
            _RECORD,
        )
    )
    .join(WatchlistVersion, WatchlistVersion.id == Watchlist.active_version_id)
    .scalar_subquery()
    .label("active_lists")
)


def parse_active_lists(text: str | None) -> list[ActiveList]:
    """Return what ACTIVE_LISTS_COLUMN read, as `active_lists` returns it (by list name)."""
    found = []
    for record in text.split(_RECORD) if text else ():
        name, kind, version_id, number, policy, floor = record.rsplit(_FIELD, 5)
        found.append(
            ActiveList(
                name,
                ListKind(kind),
                int(version_id),
                int(number),
                AlertPolicy(policy),
                float(floor) if floor else None,
            )
        )
    return sorted(found, key=lambda active: active.name)
