"""Screening indexes: which list versions are active, and this process's indexes of them."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, String, cast, func, select, type_coerce
from sqlalchemy.orm import Session

from midas.domain.lists import Sessions, iter_entries
from midas.persistence.database import reading_connection
from midas.persistence.models import AlertPolicy, Watchlist, WatchlistVersion
from watchlists.config import ScreeningConfig
from watchlists.index import DocumentIndex, PersonIndex
from watchlists.loaders import Entry
from watchlists.models import DocumentEntry, Hit, ListKind, PersonEntry
from watchlists.screening import PersonQuery, screen_document, screen_person

_E = TypeVar("_E", PersonEntry, DocumentEntry)


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


@dataclass(frozen=True, slots=True)
class ScreeningIndexes:
    """The indexes of every active list version at one moment; immutable, shareable by threads.

    `policies` and `floors` are each list's alert policy and possible-match floor at that moment.
    """

    persons: tuple[PersonIndex, ...] = ()
    documents: tuple[DocumentIndex, ...] = ()
    policies: Mapping[str, AlertPolicy] = field(default_factory=dict)
    floors: Mapping[str, float | None] = field(default_factory=dict)

    def versions(self) -> dict[str, int]:
        """Return the list version each index was built from, by list name."""
        indexes: tuple[PersonIndex | DocumentIndex, ...] = self.persons + self.documents
        return {index.list_name: index.version for index in indexes}

    def screen_person(self, query: PersonQuery, config: ScreeningConfig) -> list[Hit]:
        """Screen a traveller against every person list, each with its possible-match floor."""
        hits = [
            hit
            for index in self.persons
            for hit in screen_person(query, index, self._config_of(index.list_name, config))
        ]
        return sorted(hits, key=_best_first)

    def _config_of(self, list_name: str, config: ScreeningConfig) -> ScreeningConfig:
        floor = self.floors.get(list_name)
        if floor is None or floor == config.possible_match_floor:
            return config
        return replace(config, possible_match_floor=floor)

    def screen_document(
        self, number: str, issuing_state: str | None, document_type: str | None = None
    ) -> list[Hit]:
        """Screen a document against document lists and listed persons' own documents."""
        indexes: tuple[DocumentIndex | PersonIndex, ...] = (*self.documents, *self.persons)
        hits = [
            hit
            for index in indexes
            for hit in screen_document(number, issuing_state, document_type, index)
        ]
        return sorted(hits, key=_best_first)


def _best_first(hit: Hit) -> tuple[float, str, str]:
    return (-hit.score, hit.list_name, hit.entry_id)


class IndexCache:
    """Per-process screening indexes, rebuilt for a list when its active version id changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: dict[str, tuple[int, PersonIndex | DocumentIndex]] = {}
        self.builds = 0

    def indexes(
        self, sessions: Sessions, active: Sequence[ActiveList] | None = None
    ) -> ScreeningIndexes:
        """Return indexes of the lists active now, building only those that changed.

        `active` is what the caller read of the active versions (ACTIVE_LISTS_COLUMN) in its own
        statement; without it the cache reads them itself.
        """
        if active is None:
            # A connection, not an ORM session: this runs at every screening (every crossing).
            engine: Engine = sessions.kw["bind"]
            with reading_connection(engine) as connection:
                active = active_lists(connection)
        with self._lock:
            built: dict[str, tuple[int, PersonIndex | DocumentIndex]] = {}
            for current in active:
                cached = self._built.get(current.name)
                if cached is not None and cached[0] == current.version_id:
                    built[current.name] = cached
                else:
                    built[current.name] = (current.version_id, _build(sessions, current))
                    self.builds += 1
                    # Move the new index out of the collector's sight: a full collection walking
                    # millions of index objects mid-query would add tens of milliseconds.
                    gc.freeze()
            self._built = built
            indexes = [index for _, index in built.values()]
        return ScreeningIndexes(
            persons=tuple(i for i in indexes if isinstance(i, PersonIndex)),
            documents=tuple(i for i in indexes if isinstance(i, DocumentIndex)),
            policies={current.name: current.policy for current in active},
            floors={current.name: current.possible_match_floor for current in active},
        )


def _build(sessions: Sessions, active: ActiveList) -> PersonIndex | DocumentIndex:
    entries = iter_entries(sessions, active.kind, active.version_id)
    if active.kind is ListKind.PERSON:
        return PersonIndex.build(active.name, active.version, _only(PersonEntry, entries))
    return DocumentIndex.build(active.name, active.version, _only(DocumentEntry, entries))


def _only(cls: type[_E], entries: Iterator[Entry]) -> Iterator[_E]:
    for entry in entries:
        if isinstance(entry, cls):
            yield entry


def screening_config(settings: Mapping[str, Any]) -> ScreeningConfig:
    """Return the screening configuration the app's settings ask for."""
    return ScreeningConfig(threshold=float(settings["SCREENING_THRESHOLD"]))
