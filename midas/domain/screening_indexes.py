"""Screening indexes: which list versions are active, and this process's indexes of them."""

from __future__ import annotations

import gc
import logging
import os
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from midas.domain.errors import ScreeningUnavailable
from midas.domain.lists import Sessions, iter_entries
from midas.persistence.active_lists import ActiveList, active_lists
from midas.persistence.database import Host, database, reading_connection
from midas.persistence.models import AlertPolicy
from watchlists.config import ScreeningConfig
from watchlists.index import DocumentIndex, PersonIndex
from watchlists.loaders import Entry
from watchlists.models import DocumentEntry, Hit, ListKind, PersonEntry
from watchlists.screening import PersonQuery, screen_document, screen_person

_E = TypeVar("_E", PersonEntry, DocumentEntry)
logger = logging.getLogger(__name__)


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

    def require_current(self, active: Sequence[ActiveList]) -> None:
        """Raise ScreeningUnavailable naming every active list these indexes are behind.

        For what is screened once and kept (a flight's manifest): a list loaded in another
        process re-screens what is stored already, so what is stored later must be screened
        against that version too, not the one this process still serves while it builds.
        """
        served = self.versions()
        behind = [c.name for c in active if served.get(c.name, 0) < c.version]
        if behind:
            raise ScreeningUnavailable(behind)

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


Index = PersonIndex | DocumentIndex
# Builds one list version's index from the database (build_index; tests instrument it).
Builder = Callable[[Sessions, ActiveList], Index]
# A version whose index failed to build this many times is not tried again by this process
# (each try reads the whole list): health shows it failed until a new version is loaded.
MAX_BUILD_ATTEMPTS = 3


class IndexState(StrEnum):
    """Where this process stands with one active list's index."""

    READY = "ready"  # screening uses the active version
    BUILDING = "building"  # the active version is being built (or queued); an older one may serve
    FAILED = "failed"  # building the active version failed MAX_BUILD_ATTEMPTS times


@dataclass(frozen=True, slots=True)
class IndexStatus:
    """One active list as this process screens it: the version served and the one active."""

    name: str
    kind: ListKind
    active_version: int
    # The version of the index screening uses now; None: the list is not screened at all.
    served_version: int | None
    state: IndexState
    failure: str | None = None


class IndexCache:
    """Per-process screening indexes; a request never builds one.

    A request uses the newest index ready for each active list. A list whose active version has
    no index yet is queued for a builder thread of this process (one at a time, the newest
    version per list), while the previous index keeps serving; a list with no index at all makes
    screening unavailable (`ScreeningUnavailable`) until its first index is ready. Indexes are
    built before requests by `build_now` (at start, in the gunicorn master before it forks).
    """

    def __init__(self, build: Builder | None = None) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._settled = threading.Condition(self._lock)
        # Per list name: the version id the index was built from, and the index.
        self._ready: dict[str, tuple[int, Index]] = {}
        # Builds waiting for the builder thread: the newest active version per list.
        self._queued: dict[str, ActiveList] = {}
        self._building: ActiveList | None = None
        # Per version id: failed attempts and the last failure's class name.
        self._failures: dict[int, tuple[int, str]] = {}
        self._sessions: Sessions | None = None
        self._thread: threading.Thread | None = None
        self.builds = 0
        _after_fork(self)

    def indexes(
        self, sessions: Sessions, active: Sequence[ActiveList] | None = None
    ) -> ScreeningIndexes:
        """Return the newest ready index of every active list; queue builds, never build.

        `active` is what the caller read of the active versions (ACTIVE_LISTS_COLUMN) in its own
        statement; without it the cache reads them itself. Raise ScreeningUnavailable naming the
        active lists without any ready index: screening against fewer lists would miss hits.
        """
        fresh = active is None
        active = read_active_lists(sessions) if active is None else active
        with self._lock:
            served = self._served(sessions, active, prune=fresh)
        missing = [current.name for current in active if current.name not in served]
        if missing:
            raise ScreeningUnavailable(missing)
        indexes = list(served.values())
        return ScreeningIndexes(
            persons=tuple(i for i in indexes if isinstance(i, PersonIndex)),
            documents=tuple(i for i in indexes if isinstance(i, DocumentIndex)),
            policies={current.name: current.policy for current in active},
            floors={current.name: current.possible_match_floor for current in active},
        )

    def statuses(self, sessions: Sessions) -> list[IndexStatus]:
        """Return how this process screens each active list (queueing builds it lacks)."""
        active = read_active_lists(sessions)
        with self._lock:
            served = self._served(sessions, active, prune=True)
            statuses = []
            for current in active:
                index = served.get(current.name)
                attempts, failure = self._failures.get(current.version_id, (0, None))
                ready = self._ready.get(current.name)
                if ready is not None and ready[0] >= current.version_id:
                    state = IndexState.READY
                elif attempts >= MAX_BUILD_ATTEMPTS:
                    state = IndexState.FAILED
                else:
                    state = IndexState.BUILDING
                statuses.append(
                    IndexStatus(
                        name=current.name,
                        kind=current.kind,
                        active_version=current.version,
                        served_version=None if index is None else index.version,
                        state=state,
                        failure=failure,
                    )
                )
        return statuses

    def _served(
        self, sessions: Sessions, active: Sequence[ActiveList], *, prune: bool
    ) -> dict[str, Index]:
        """Return the index serving each active list that has one; queue what is not ready.

        Call with the lock held. An index newer than `active` (read before a swap) is served.
        """
        served: dict[str, Index] = {}
        for current in active:
            ready = self._ready.get(current.name)
            if ready is None or ready[0] < current.version_id:
                self._queue(sessions, current)
            if ready is not None:
                served[current.name] = ready[1]
        if prune:
            # A list no longer active frees its index (a fresh read, not a caller's older one).
            names = {current.name for current in active}
            for name in set(self._ready) - names:
                del self._ready[name]
        return served

    def _queue(self, sessions: Sessions, current: ActiveList) -> None:
        attempts, _ = self._failures.get(current.version_id, (0, None))
        building = self._building
        if attempts >= MAX_BUILD_ATTEMPTS or (
            building is not None and building.version_id == current.version_id
        ):
            return
        queued = self._queued.get(current.name)
        if queued is None or queued.version_id < current.version_id:
            self._queued[current.name] = current
        self._sessions = sessions
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="midas-index-builder", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        """Build queued indexes one at a time, swapping each in when done."""
        while True:
            with self._lock:
                if not self._queued or self._sessions is None:
                    self._thread = None
                    self._settled.notify_all()
                    return
                name = next(iter(self._queued))
                current = self._building = self._queued.pop(name)
                sessions = self._sessions
            try:
                index = self._builder()(sessions, current)
            # The outermost handler of the builder thread: whatever went wrong, the failure is
            # kept for health, the previous index keeps serving, and other lists still build.
            except Exception as error:
                logger.exception("building the index of %s v%s failed", name, current.version)
                with self._lock:
                    attempts, _ = self._failures.get(current.version_id, (0, None))
                    self._failures[current.version_id] = (attempts + 1, type(error).__name__)
                    self._building = None
                continue
            with self._lock:
                self._swap(current, index)
                self._building = None

    def build_now(self, sessions: Sessions) -> list[str]:
        """Build, in this thread, the index of every active list not ready; return their names.

        For the start of the service (before workers fork), the CLI and tests: never a request.
        """
        built = []
        for current in read_active_lists(sessions):
            with self._lock:
                ready = self._ready.get(current.name)
                if ready is not None and ready[0] >= current.version_id:
                    continue
            index = self._builder()(sessions, current)
            with self._lock:
                self._swap(current, index)
            built.append(current.name)
        return built

    def _swap(self, current: ActiveList, index: Index) -> None:
        """Serve `index` for its list unless a newer one is ready (call with the lock held)."""
        ready = self._ready.get(current.name)
        if ready is None or ready[0] < current.version_id:
            self._ready[current.name] = (current.version_id, index)
        self._failures.pop(current.version_id, None)
        self.builds += 1
        # Move the new index out of the collector's sight: a full collection walking millions of
        # index objects mid-query would add tens of milliseconds.
        gc.freeze()

    def ready_lists(self) -> list[str]:
        """Return the names of the lists with an index ready, by name."""
        with self._lock:
            return sorted(self._ready)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no build is queued or running; False if `timeout` passed first (not for
        requests: the CLI and tests)."""
        with self._lock:
            return self._settled.wait_for(lambda: self._thread is None, timeout)

    def _builder(self) -> Builder:
        return self._build or build_index

    def _forked(self) -> None:
        """Start afresh in a forked child: the builder thread (and its lock) stayed behind."""
        self._lock = threading.Lock()
        self._settled = threading.Condition(self._lock)
        if self._building is not None:
            self._queued.setdefault(self._building.name, self._building)
        self._building = None
        # The next check (a request, health) starts the child's own builder thread.
        self._thread = None


def _after_fork(cache: IndexCache) -> None:
    """Have a forked child reset the cache's thread state (weakly: caches of old apps may go)."""
    held = weakref.ref(cache)

    def reset() -> None:
        alive = held()
        if alive is not None:
            alive._forked()

    os.register_at_fork(after_in_child=reset)


def read_active_lists(sessions: Sessions) -> list[ActiveList]:
    """Read the active versions on a connection of their own (a cheap check at every screening)."""
    engine: Engine = sessions.kw["bind"]
    with reading_connection(engine) as connection:
        return active_lists(connection)


def build_index(sessions: Sessions, active: ActiveList) -> Index:
    """Build the index of one list version from its entries in the database."""
    entries = iter_entries(sessions, active.kind, active.version_id)
    if active.kind is ListKind.PERSON:
        return PersonIndex.build(active.name, active.version, _only(PersonEntry, entries))
    return DocumentIndex.build(active.name, active.version, _only(DocumentEntry, entries))


def _only(cls: type[_E], entries: Iterator[Entry]) -> Iterator[_E]:
    for entry in entries:
        if isinstance(entry, cls):
            yield entry


# Where an app keeps its process's index cache, shared by the API, the pages and the CLI.
INDEX_CACHE_KEY = "midas.index_cache"


def app_index_cache(app: Host) -> IndexCache:
    """Return the app's per-process index cache."""
    cache: IndexCache = app.extensions.setdefault(INDEX_CACHE_KEY, IndexCache())
    return cache


def build_at_start(app: Host) -> list[str]:
    """Build every active list's index before serving; return the lists ready.

    Run by the gunicorn master before it forks (gunicorn.conf.py): workers start with the
    indexes in shared memory. The pooled connections are closed after, so no worker inherits
    one. A failure is logged, not raised: the workers then build what is missing in the
    background, and health says which lists are not screened meanwhile.
    """
    db = database(app)
    cache = app_index_cache(app)
    try:
        cache.build_now(db.sessions)
    except SQLAlchemyError as error:
        logger.warning("screening indexes not built at start (%s)", type(error).__name__)
    # The outermost handler of the start: one unreadable list must not keep the service down.
    except Exception:
        logger.exception("screening indexes not all built at start")
    finally:
        db.dispose()
    return cache.ready_lists()


def build_in_background(app: Host) -> None:
    """Queue the builds this process lacks for its builder thread (a worker that did not
    inherit them), and return at once."""
    db = database(app)
    try:
        app_index_cache(app).statuses(db.sessions)
    except SQLAlchemyError as error:
        logger.warning("screening indexes not queued (%s)", type(error).__name__)


def screening_config(settings: Mapping[str, Any]) -> ScreeningConfig:
    """Return the screening configuration the app's settings ask for."""
    return ScreeningConfig(threshold=float(settings["SCREENING_THRESHOLD"]))
