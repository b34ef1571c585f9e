"""Watchlists on the database: the SQL ListStore, loading and reading.

`SqlListStore` implements `watchlists.versions.ListStore`: every method is its own
transaction, and `activate` flips the list's active pointer, the version statuses and the
recorded deltas in one. Screening reads entries of the version the pointer names; entries of
a version never change once it is active, so a reader sees the old list or the new one whole.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

from sqlalchemy import (
    Select,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, selectinload, sessionmaker

from midas.domain.list_loads import (
    fail_abandoned_loads,
    loader_alive,
    this_loader,
)
from midas.persistence.base import utcnow
from midas.persistence.database import begin_writing
from midas.persistence.models import (
    EntryChange,
    EntryDelta,
    RejectedRecord,
    Watchlist,
    WatchlistEntry,
    WatchlistVersion,
)
from midas.persistence.models.lists import default_policy
from watchlists.config import WANTED_POSSIBLE_MATCH_FLOOR
from watchlists.errors import ListChangedError, LoadInProgressError, StoreError, VersionStateError
from watchlists.loaders import Entry
from watchlists.models import DocumentEntry, ListKind, ListVersion, PersonEntry, Rejected
from watchlists.normalize import normalize_document_number, normalize_state
from watchlists.versions import (
    DEFAULT_MAX_REJECTED_RATIO,
    DEFAULT_MAX_REMOVED_RATIO,
    LoadReport,
    ProgressCallback,
    Provenance,
    StoredVersion,
    VersionState,
    apply_delta,
    load_list,
)

Sessions = sessionmaker[Session]

# Entries are read back from the database in batches of this many rows.
READ_BATCH = 2000


# -- entries as JSON --------------------------------------------------------------------------


def entry_to_json(entry: Entry) -> dict[str, Any]:
    """Return an entry as JSON-ready data: dataclasses as objects, tuples as arrays, dates ISO."""
    data: dict[str, Any] = _encode(entry)
    return data


def entry_from_json(kind: ListKind, data: dict[str, Any]) -> Entry:
    """Rebuild the entry `entry_to_json` wrote, equal to the original."""
    cls = PersonEntry if kind is ListKind.PERSON else DocumentEntry
    entry: Entry = _decode(cls, data)
    return entry


def fingerprint(data: dict[str, Any]) -> str:
    """Return the sha256 of an entry's canonical JSON, to tell changed entries apart."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):  # datetime included
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    return value


def _identity(value: Any) -> Any:
    return value


@cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    """Return a function that rebuilds a value of type `hint` from JSON (built once per type)."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        inner = _decoder(next(arg for arg in get_args(hint) if arg is not type(None)))
        return lambda value: None if value is None else inner(value)
    if origin is tuple:
        item = _decoder(get_args(hint)[0])
        if item is _identity:
            return tuple
        return lambda value: tuple(item(part) for part in value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = get_type_hints(hint)
        decoders = {f.name: _decoder(hints[f.name]) for f in dataclasses.fields(hint)}
        cls = hint
        return lambda value: cls(
            **{key: decoders[key](item) for key, item in value.items() if key in decoders}
        )
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    if hint is datetime:
        return datetime.fromisoformat
    if hint is date:
        return date.fromisoformat
    return _identity


def _decode(hint: Any, value: Any) -> Any:
    return _decoder(hint)(value)


def entry_row(version_id: int, entry: Entry) -> dict[str, Any]:
    """Return the stored row of an entry of a version: its JSON, fingerprint and lookup columns."""
    data = entry_to_json(entry)
    row: dict[str, Any] = {
        "version_id": version_id,
        "entry_id": entry.entry_id,
        "fingerprint": fingerprint(data),
        "data": data,
        "document_number": None,
        "issuing_state": None,
        "document_type": None,
    }
    if isinstance(entry, DocumentEntry):
        row["document_number"] = normalize_document_number(entry.number)[:64]
        row["issuing_state"] = (normalize_state(entry.issuing_state) or "")[:3] or None
        row["document_type"] = (entry.document_type or "")[:32] or None
    return row


# -- the store --------------------------------------------------------------------------------


def _version_query(list_name: str, number: int) -> Select[WatchlistVersion]:
    return (
        select(WatchlistVersion)
        .join(WatchlistVersion.watchlist)
        .where(Watchlist.name == list_name, WatchlistVersion.number == number)
    )


def as_list_version(watchlist: Watchlist, version: WatchlistVersion) -> ListVersion:
    """Return a stored version as the watchlists library's ListVersion."""
    return ListVersion(
        list_name=watchlist.name,
        kind=watchlist.kind,
        version=version.number,
        source_format=version.source_format,
        file_name=version.file_name,
        checksum_sha256=version.sha256,
        loaded_at=version.loaded_at,
        loaded_by=version.loaded_by,
        published=version.published,
        entry_count=version.entry_count,
        rejected_count=version.rejected_count,
    )


def check_list_name(name: str) -> None:
    """Refuse a list name the store cannot keep: 1 to 120 printable characters (ACTIVE_LISTS_COLUMN
    joins names with control characters). New lists meet list_loads.check_new_list_name too."""
    if not 0 < len(name) <= 120 or not name.isprintable() or name != name.strip():
        raise StoreError(
            f"list name {name!r}: 1 to 120 printable characters, without spaces at either end"
        )


# Entry categories of wanted persons (csv `category`, FtM topic `wanted`).
WANTED_CATEGORIES = frozenset({"wanted"})


class SqlListStore:
    """A ListStore on the MIDAS database; each call runs in its own transaction."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions
        # Per version being loaded: its wanted-person entries and all its person entries.
        self._wanted: dict[tuple[str, int], list[int]] = {}

    def _loading(self, session: Session, list_name: str, number: int) -> WatchlistVersion:
        version = session.scalars(_version_query(list_name, number)).one_or_none()
        if version is None:
            raise VersionStateError(list_name, number, "no such version")
        if version.status is not VersionState.LOADING:
            raise VersionStateError(list_name, number, f"is {version.status}, not loading")
        return version

    def begin_version(self, list_name: str, kind: ListKind, provenance: Provenance) -> int:
        """Create a LOADING version (and the list on its first load); return its number.

        Raise LoadInProgressError while another version of the list is loading; the partial
        unique index of migration 0010 settles two that begin at the same moment.
        """
        try:
            return self._begin(list_name, kind, provenance)
        except IntegrityError as error:
            # Another load created the list or its loading version between our read and write.
            raise LoadInProgressError(list_name, None, "it began at the same moment") from error

    def _begin(self, list_name: str, kind: ListKind, provenance: Provenance) -> int:
        with self._sessions.begin() as session:
            begin_writing(session)  # read the running versions, then write: one writer at a time
            watchlist = session.scalars(
                select(Watchlist).where(Watchlist.name == list_name).with_for_update()
            ).one_or_none()
            if watchlist is None:
                check_list_name(list_name)
                watchlist = Watchlist(name=list_name, kind=kind, alert_policy=default_policy(kind))
                session.add(watchlist)
                session.flush()
            elif watchlist.kind is not kind:
                raise StoreError(f"{list_name} is a {watchlist.kind} list, not a {kind} list")
            running = session.scalars(
                select(WatchlistVersion).where(
                    WatchlistVersion.watchlist_id == watchlist.id,
                    WatchlistVersion.status == VersionState.LOADING,
                )
            ).first()
            if running is not None:
                where = "" if loader_alive(running.loader) else " (its process has stopped)"
                raise LoadInProgressError(
                    list_name,
                    running.number,
                    f"started by {running.loaded_by} at {running.loaded_at:%Y-%m-%d %H:%M} "
                    f"UTC{where}",
                )
            highest = session.scalar(
                select(func.max(WatchlistVersion.number)).where(
                    WatchlistVersion.watchlist_id == watchlist.id
                )
            )
            number = (highest or 0) + 1
            session.add(
                WatchlistVersion(
                    watchlist_id=watchlist.id,
                    number=number,
                    source_format=provenance.source_format,
                    file_name=provenance.file_name[:500],
                    sha256=provenance.checksum_sha256,
                    published=provenance.published,
                    loaded_by=provenance.loaded_by[:120],
                    loaded_at=provenance.loaded_at,
                    status=VersionState.LOADING,
                    loader=this_loader(),
                )
            )
            return number

    def add_entries(self, list_name: str, version: int, entries: Sequence[Entry]) -> None:
        """Append a batch of entries to a LOADING version."""
        if not entries:
            return
        with self._sessions.begin() as session:
            version_id = self._loading(session, list_name, version).id
            session.execute(
                insert(WatchlistEntry), [entry_row(version_id, entry) for entry in entries]
            )
        counts = self._wanted.setdefault((list_name, version), [0, 0])
        for entry in entries:
            if isinstance(entry, PersonEntry):
                counts[0] += entry.category.strip().lower() in WANTED_CATEGORIES
                counts[1] += 1

    def add_rejected(self, list_name: str, version: int, rejected: Sequence[Rejected]) -> None:
        """Record a batch of rejected records of a LOADING version."""
        if not rejected:
            return
        with self._sessions.begin() as session:
            version_id = self._loading(session, list_name, version).id
            session.execute(
                insert(RejectedRecord),
                [
                    {"version_id": version_id, "location": r.location[:200], "reason": r.reason}
                    for r in rejected
                ],
            )

    def activate(
        self,
        list_name: str,
        version: int,
        *,
        entry_count: int,
        rejected_count: int,
        replaces: int | None,
    ) -> ListVersion:
        """Flip the active pointer to a LOADING version, record deltas, supersede the old one;
        raise ListChangedError, changing nothing, unless `replaces` is the active version."""
        with self._sessions.begin() as session:
            begin_writing(session)
            watchlist = session.scalars(
                select(Watchlist).where(Watchlist.name == list_name).with_for_update()
            ).one()
            active = session.scalar(
                select(WatchlistVersion.number).where(
                    WatchlistVersion.id == watchlist.active_version_id
                )
            )
            if active != replaces:
                raise ListChangedError(list_name, replaces, active)
            loaded = self._loading(session, list_name, version)
            held = session.scalar(
                select(func.count()).where(WatchlistEntry.version_id == loaded.id)
            )
            if held != entry_count:
                reason = f"activate says {entry_count} entries, the store holds {held}"
                raise VersionStateError(list_name, version, reason)
            previous_id = watchlist.active_version_id
            swap_active(
                session, watchlist, loaded, entry_count=entry_count, rejected_count=rejected_count
            )
            wanted, persons = self._wanted.pop((list_name, version), [0, 0])
            if previous_id is None and persons and wanted * 2 >= persons:
                # A new list of wanted persons shows possible matches (a different birth date
                # is what a false identity looks like); an administrator may change it.
                session.execute(
                    update(Watchlist)
                    .where(Watchlist.id == watchlist.id, Watchlist.possible_match_floor.is_(None))
                    .values(possible_match_floor=WANTED_POSSIBLE_MATCH_FLOOR)
                )
            session.refresh(loaded)
            return as_list_version(watchlist, loaded)

    def discard(self, list_name: str, version: int, reason: str) -> None:
        """Mark a LOADING version FAILED with the reason and drop its entries."""
        with self._sessions.begin() as session:
            begin_writing(session)
            loaded = self._loading(session, list_name, version)
            session.execute(delete(WatchlistEntry).where(WatchlistEntry.version_id == loaded.id))
            rejected = session.scalar(
                select(func.count()).where(RejectedRecord.version_id == loaded.id)
            )
            loaded.status = VersionState.FAILED
            loaded.failure_reason = reason
            loaded.finished_at = utcnow()
            loaded.entry_count = 0
            loaded.rejected_count = rejected or 0

    def active_version(self, list_name: str) -> ListVersion | None:
        """Return the active version of a list, or None."""
        with self._sessions() as session:
            watchlist = session.scalars(
                select(Watchlist)
                .where(Watchlist.name == list_name)
                .options(selectinload(Watchlist.active_version))
            ).one_or_none()
            if watchlist is None or watchlist.active_version is None:
                return None
            return as_list_version(watchlist, watchlist.active_version)

    def entries(self, list_name: str, version: int) -> Iterator[Entry]:
        """Yield the entries of one version in load order."""
        with self._sessions() as session:
            found = session.scalars(_version_query(list_name, version)).one_or_none()
            if found is None:
                raise VersionStateError(list_name, version, "no such version")
            kind, version_id = found.watchlist.kind, found.id
        return iter_entries(self._sessions, kind, version_id)

    def rejected(self, list_name: str, version: int) -> Iterator[Rejected]:
        """Yield the rejected records of one version in file order."""
        with self._sessions() as session:
            rows = session.execute(
                select(RejectedRecord.location, RejectedRecord.reason)
                .join(WatchlistVersion, WatchlistVersion.id == RejectedRecord.version_id)
                .join(Watchlist, Watchlist.id == WatchlistVersion.watchlist_id)
                .where(Watchlist.name == list_name, WatchlistVersion.number == version)
                .order_by(RejectedRecord.id)
            ).all()
        return iter([Rejected(location=row.location, reason=row.reason) for row in rows])

    def versions(self, list_name: str) -> list[StoredVersion]:
        """Return every version of a list, oldest first."""
        with self._sessions() as session:
            watchlist = find_watchlist(session, list_name)
            if watchlist is None:
                return []
            return [
                StoredVersion(as_list_version(watchlist, v), v.status, v.failure_reason)
                for v in watchlist.versions
            ]


def swap_active(
    session: Session,
    watchlist: Watchlist,
    loaded: WatchlistVersion,
    *,
    entry_count: int,
    rejected_count: int,
) -> None:
    """Make a loading version the list's active one, superseding the old and recording what
    changed, in the caller's transaction (which has verified the version first)."""
    previous_id = watchlist.active_version_id
    counts = _record_deltas(session, loaded.id, previous_id)
    if previous_id is not None:
        # Before the new one turns active: the partial unique index allows one at a time.
        session.execute(
            update(WatchlistVersion)
            .where(WatchlistVersion.id == previous_id)
            .values(status=VersionState.SUPERSEDED)
        )
    session.execute(
        update(WatchlistVersion)
        .where(WatchlistVersion.id == loaded.id)
        .values(
            status=VersionState.ACTIVE,
            entry_count=entry_count,
            rejected_count=rejected_count,
            finished_at=utcnow(),
            added_count=counts[EntryChange.ADDED],
            changed_count=counts[EntryChange.CHANGED],
            removed_count=counts[EntryChange.REMOVED],
        )
    )
    session.execute(
        update(Watchlist).where(Watchlist.id == watchlist.id).values(active_version_id=loaded.id)
    )


def _record_deltas(
    session: Session, version_id: int, previous_id: int | None
) -> dict[EntryChange, int]:
    """Insert the added/changed/removed rows of a version against the previous active one."""
    new, old = aliased(WatchlistEntry), aliased(WatchlistEntry)
    columns = ["version_id", "entry_id", "change"]
    same_entry = (old.version_id == previous_id) & (old.entry_id == new.entry_id)
    added = select(literal(version_id), new.entry_id, literal(EntryChange.ADDED.value)).where(
        new.version_id == version_id, ~exists().where(same_entry)
    )
    session.execute(insert(EntryDelta).from_select(columns, added))
    if previous_id is not None:
        changed = (
            select(literal(version_id), new.entry_id, literal(EntryChange.CHANGED.value))
            .join(old, same_entry)
            .where(new.version_id == version_id, old.fingerprint != new.fingerprint)
        )
        kept = (new.version_id == version_id) & (new.entry_id == old.entry_id)
        removed = select(
            literal(version_id), old.entry_id, literal(EntryChange.REMOVED.value)
        ).where(old.version_id == previous_id, ~exists().where(kept))
        session.execute(insert(EntryDelta).from_select(columns, changed))
        session.execute(insert(EntryDelta).from_select(columns, removed))
    counted = session.execute(
        select(EntryDelta.change, func.count())
        .where(EntryDelta.version_id == version_id)
        .group_by(EntryDelta.change)
    ).all()
    counts = dict.fromkeys(EntryChange, 0)
    counts.update({EntryChange(change): count for change, count in counted})
    return counts


def iter_entries(sessions: Sessions, kind: ListKind, version_id: int) -> Iterator[Entry]:
    """Yield the entries of a version by id, in load order, in one read transaction."""
    with sessions() as session, session.begin():
        rows = session.execute(
            select(WatchlistEntry.data)
            .where(WatchlistEntry.version_id == version_id)
            .order_by(WatchlistEntry.id)
            .execution_options(yield_per=READ_BATCH)
        )
        for (data,) in rows:
            yield entry_from_json(kind, data)


# -- loading and reading ----------------------------------------------------------------------


def load_watchlist(
    sessions: Sessions,
    name: str,
    kind: ListKind,
    fmt: str,
    path: Path,
    loaded_by: str,
    *,
    max_rejected_ratio: float = DEFAULT_MAX_REJECTED_RATIO,
    allow_removals: bool = False,
    progress: bool | None = None,
    on_progress: ProgressCallback | None = None,
) -> LoadReport:
    """Load a list file into a new version, verify it and swap it in; return the report.

    Loads of the list abandoned by a stopped process are failed first. `allow_removals` lifts
    the guard against a file that removes many entries (a cut-off download, usually); the
    caller audits that it did. A new list whose first load fails is not kept.
    """
    fail_abandoned_loads(sessions, name)
    report = load_list(
        SqlListStore(sessions),
        name,
        kind,
        fmt,
        path,
        loaded_by,
        max_rejected_ratio=max_rejected_ratio,
        max_removed_ratio=None if allow_removals else DEFAULT_MAX_REMOVED_RATIO,
        progress=progress,
        on_progress=on_progress,
    )
    _record_skipped(sessions, report)
    return _forget_if_never_loaded(sessions, report)


def apply_watchlist_delta(
    sessions: Sessions,
    name: str,
    path: Path,
    loaded_by: str,
    *,
    max_rejected_ratio: float = DEFAULT_MAX_REJECTED_RATIO,
    progress: bool | None = None,
    on_progress: ProgressCallback | None = None,
) -> LoadReport:
    """Apply an FtM delta file (or a folder of them) to a person list as a new version."""
    fail_abandoned_loads(sessions, name)
    report = apply_delta(
        SqlListStore(sessions),
        name,
        path,
        loaded_by,
        max_rejected_ratio=max_rejected_ratio,
        progress=progress,
        on_progress=on_progress,
    )
    _record_skipped(sessions, report)
    return _forget_if_never_loaded(sessions, report)


def _forget_if_never_loaded(sessions: Sessions, report: LoadReport) -> LoadReport:
    """Delete a list whose every version failed, so a failed first load leaves no empty list
    behind (the audit log keeps why it failed); return the report without its version."""
    if report.ok or report.version is None or report.active is not None:
        return report
    with sessions.begin() as session:
        begin_writing(session)
        watchlist = session.scalars(
            select(Watchlist).where(Watchlist.name == report.list_name).with_for_update()
        ).one_or_none()
        if watchlist is None or watchlist.active_version_id is not None:
            return report
        statuses = session.scalars(
            select(WatchlistVersion.status).where(WatchlistVersion.watchlist_id == watchlist.id)
        ).all()
        if any(status is not VersionState.FAILED for status in statuses):
            return report
        versions = select(WatchlistVersion.id).where(WatchlistVersion.watchlist_id == watchlist.id)
        session.execute(delete(RejectedRecord).where(RejectedRecord.version_id.in_(versions)))
        session.execute(
            delete(WatchlistVersion).where(WatchlistVersion.watchlist_id == watchlist.id)
        )
        session.execute(delete(Watchlist).where(Watchlist.id == watchlist.id))
    return replace(report, version=None)


def _record_skipped(sessions: Sessions, report: LoadReport) -> None:
    if report.version is not None and report.skipped:
        # The ListStore protocol has no place for skips; they are provenance, so keep them here.
        with sessions.begin() as session:
            version = session.scalars(_version_query(report.list_name, report.version)).one()
            version.skipped_count = sum(count for _, count in report.skipped)


def list_watchlists(session: Session) -> Sequence[Watchlist]:
    """Return every list by name, with its active version loaded."""
    return session.scalars(
        select(Watchlist).options(selectinload(Watchlist.active_version)).order_by(Watchlist.name)
    ).all()


def find_watchlist(session: Session, name: str) -> Watchlist | None:
    """Return the list called `name` with its versions, or None."""
    return session.scalars(
        select(Watchlist).where(Watchlist.name == name).options(selectinload(Watchlist.versions))
    ).one_or_none()


def rejected_records(session: Session, version_id: int, limit: int | None = None) -> list[Rejected]:
    """Return the rejected records of a version in file order (the first `limit` of them)."""
    query = (
        select(RejectedRecord.location, RejectedRecord.reason)
        .where(RejectedRecord.version_id == version_id)
        .order_by(RejectedRecord.id)
        .limit(limit)
    )
    return [Rejected(location=row.location, reason=row.reason) for row in session.execute(query)]


def entry_deltas(session: Session, version_id: int) -> dict[EntryChange, list[str]]:
    """Return the entry ids a version added, changed and removed."""
    deltas: dict[EntryChange, list[str]] = {change: [] for change in EntryChange}
    rows = session.execute(
        select(EntryDelta.change, EntryDelta.entry_id)
        .where(EntryDelta.version_id == version_id)
        .order_by(EntryDelta.id)
    )
    for change, entry_id in rows:
        deltas[EntryChange(change)].append(entry_id)
    return deltas
