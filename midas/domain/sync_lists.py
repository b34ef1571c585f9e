"""Watchlist versions from headquarters to a post: sent whole or as a delta, applied by
verify-then-swap.

Headquarters sends a post each list's active version when it differs from the version it last
sent: the entries added or changed since that version and the ids removed (a delta), or every
entry when the post has none to build on. The post builds a new version with headquarters'
number, checks that it holds exactly headquarters' entries (their count and the digest of every
entry's id and fingerprint), and only then swaps it in, all in the bundle's transaction: a post
ends with the same active entries as headquarters, or keeps the list it had.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, literal, select
from sqlalchemy.orm import Session

from bundles.model import Record
from midas.domain.audit import record_audit
from midas.domain.errors import InvalidInput
from midas.domain.list_settings import check_floor, parse_policy
from midas.domain.lists import READ_BATCH, entry_from_json, entry_row, swap_active
from midas.domain.sync_published import Update
from midas.domain.texts import N_
from midas.persistence.base import utcnow
from midas.persistence.models import Watchlist, WatchlistEntry, WatchlistVersion
from midas.persistence.models.lists import default_policy
from watchlists.models import ListKind
from watchlists.versions import VersionState

LIST_SETTINGS = "list.settings"
LIST_VERSION = "list.version"
LIST_ENTRIES = "list.entries"
LIST_REMOVED = "list.removed"
KINDS = frozenset({LIST_SETTINGS, LIST_VERSION, LIST_ENTRIES, LIST_REMOVED})
# A record's entries: bounded by count and by size, well inside a bundle line's limit.
ENTRIES_PER_RECORD = 1000
RECORD_BYTES = 1024 * 1024
REMOVED_PER_RECORD = 5000
# Rows deleted per statement when a delta replaces or removes entries (bounded parameter lists).
DELETE_BATCH = 500
# The loader a version built from headquarters' records names (no local process loads it).
SYNC_LOADER = "sync:hq"


def entries_digest(session: Session, version_id: int) -> str:
    """Return the SHA-256 over a version's entries, each its id and fingerprint, sorted by id:
    two versions with the same digest hold the same entries."""
    pairs = sorted(
        (entry_id, fingerprint)
        for entry_id, fingerprint in session.execute(
            select(WatchlistEntry.entry_id, WatchlistEntry.fingerprint).where(
                WatchlistEntry.version_id == version_id
            )
        )
    )
    hashed = hashlib.sha256()
    for pair in pairs:
        hashed.update(json.dumps(pair, ensure_ascii=False).encode() + b"\n")
    return hashed.hexdigest()


def _entry_count(session: Session, version_id: int) -> int:
    return session.scalar(select(func.count()).where(WatchlistEntry.version_id == version_id)) or 0


# -- at headquarters ----------------------------------------------------------------------------


def list_updates(session: Session, sent: Mapping[str, str]) -> list[Update]:
    """Return an update for each list whose active version or settings differ from what the
    post was last sent (`sent`: marks by subject)."""
    updates = []
    lists = session.scalars(
        select(Watchlist).where(Watchlist.active_version_id.is_not(None)).order_by(Watchlist.name)
    )
    for watchlist in lists:
        version = session.get(WatchlistVersion, watchlist.active_version_id)
        if version is None:
            continue
        subject = f"list:{watchlist.name}"
        settings = {
            "alert_policy": watchlist.alert_policy.value,
            "possible_match_floor": watchlist.possible_match_floor,
        }
        mark = json.dumps({"version": version.number, **settings}, sort_keys=True)
        if sent.get(subject) == mark:
            continue
        before = json.loads(sent[subject]) if subject in sent else {}
        records = [
            Record(
                LIST_SETTINGS,
                Record.new_id(),
                utcnow(),
                {"list": watchlist.name, "kind": watchlist.kind.value, **settings},
            )
        ]
        if before.get("version") != version.number:
            base = _base(session, watchlist, before.get("version"))
            records.extend(_version_records(session, watchlist, version, base))
        updates.append(Update(subject, mark, records))
    return updates


def _base(session: Session, watchlist: Watchlist, number: object) -> WatchlistVersion | None:
    """Return the version last sent, when its entries are all still here to diff against."""
    if not isinstance(number, int):
        return None
    version = session.scalar(
        select(WatchlistVersion).where(
            WatchlistVersion.watchlist_id == watchlist.id, WatchlistVersion.number == number
        )
    )
    if version is None or version.status not in (VersionState.ACTIVE, VersionState.SUPERSEDED):
        return None
    if _entry_count(session, version.id) != version.entry_count:
        return None  # pruned: the post gets every entry instead
    return version


def _version_records(
    session: Session, watchlist: Watchlist, version: WatchlistVersion, base: WatchlistVersion | None
) -> list[Record]:
    """Return a version's records: its provenance, then the entries the post lacks, then the
    ids it must drop."""
    old: dict[str, str] = {}
    if base is not None:
        old = {
            entry_id: fingerprint
            for entry_id, fingerprint in session.execute(
                select(WatchlistEntry.entry_id, WatchlistEntry.fingerprint).where(
                    WatchlistEntry.version_id == base.id
                )
            )
        }
    at = version.finished_at or version.loaded_at
    name = watchlist.name
    rows = session.execute(
        select(WatchlistEntry.entry_id, WatchlistEntry.fingerprint, WatchlistEntry.data)
        .where(WatchlistEntry.version_id == version.id)
        .order_by(WatchlistEntry.id)
        .execution_options(yield_per=READ_BATCH)
    )
    held: set[str] = set()
    entries: list[Record] = []
    for batch in _chunks(
        (data for entry_id, fingerprint, data in rows if _differs(held, old, entry_id, fingerprint))
    ):
        entries.append(
            Record(
                LIST_ENTRIES,
                Record.new_id(),
                at,
                {"list": name, "number": version.number, "entries": batch},
            )
        )
    removed = sorted(set(old) - held)
    header = Record(
        LIST_VERSION,
        Record.new_id(),
        at,
        {
            "list": name,
            "kind": watchlist.kind.value,
            "number": version.number,
            "base": None if base is None else base.number,
            "source_format": version.source_format,
            "file_name": version.file_name,
            "sha256": version.sha256,
            "published": None if version.published is None else version.published.isoformat(),
            "loaded_by": version.loaded_by,
            "loaded_at": version.loaded_at.isoformat(),
            "entry_count": version.entry_count,
            "rejected_count": version.rejected_count,
            "entries_digest": entries_digest(session, version.id),
        },
    )
    gone = [
        Record(
            LIST_REMOVED,
            Record.new_id(),
            at,
            {
                "list": name,
                "number": version.number,
                "entry_ids": removed[i : i + REMOVED_PER_RECORD],
            },
        )
        for i in range(0, len(removed), REMOVED_PER_RECORD)
    ]
    return [header, *entries, *gone]


def _differs(held: set[str], old: dict[str, str], entry_id: str, fingerprint: str) -> bool:
    """Tell whether the post lacks this entry as it is; note its id as held, so the ids of the
    base the new version lacks are what it removed."""
    held.add(entry_id)
    return old.get(entry_id) != fingerprint


def _chunks(items: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    size = 0
    for item in items:
        length = len(json.dumps(item, ensure_ascii=False))
        if batch and (len(batch) >= ENTRIES_PER_RECORD or size + length > RECORD_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += length
    if batch:
        yield batch


# -- at a post ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Building:
    """A version being built from headquarters' records, not yet checked nor active."""

    watchlist: Watchlist
    version: WatchlistVersion
    header: Mapping[str, Any]
    entries: int = 0
    removed: list[str] = field(default_factory=list)


def apply_list_records(session: Session, actor: str, records: Sequence[Record]) -> list[str]:
    """Apply headquarters' list records in order, in the caller's transaction; return what was
    applied ("sanctions version 4", ...). Raise InvalidInput, naming the list, at the first
    thing that does not add up: the caller rolls the whole bundle back."""
    applied: list[str] = []
    building: _Building | None = None
    for record in records:
        data = record.data
        if record.kind == LIST_SETTINGS:
            _apply_settings(session, data)
        elif record.kind == LIST_VERSION:
            if building is not None:
                applied.append(_finish(session, actor, building))
            building = _begin(session, data)
        else:
            if building is None or (data.get("list"), data.get("number")) != (
                building.watchlist.name,
                building.version.number,
            ):
                raise InvalidInput(
                    N_(
                        "entries of list %(list)s version %(number)s come without that "
                        "version's header"
                    ),
                    params={"list": repr(data.get("list")), "number": repr(data.get("number"))},
                    field="bundle",
                )
            if record.kind == LIST_ENTRIES:
                _add_entries(session, building, data.get("entries"))
            else:
                _remove_entries(session, building, data.get("entry_ids"))
    if building is not None:
        applied.append(_finish(session, actor, building))
    return applied


def _text(data: Mapping[str, Any], key: str, what: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise InvalidInput(
            N_("a list record has no %(what)s"), params={"what": what}, field="bundle"
        )
    return value


def _list_kind(data: Mapping[str, Any]) -> ListKind:
    try:
        return ListKind(_text(data, "kind", "kind"))
    except ValueError:
        raise InvalidInput(
            N_("list kind %(kind)s is not known"),
            params={"kind": repr(data.get("kind"))},
            field="bundle",
        ) from None


def _watchlist(session: Session, name: str, kind: ListKind) -> Watchlist:
    watchlist = session.scalar(select(Watchlist).where(Watchlist.name == name).with_for_update())
    if watchlist is None:
        watchlist = Watchlist(name=name, kind=kind, alert_policy=default_policy(kind))
        session.add(watchlist)
        session.flush()
    elif watchlist.kind is not kind:
        raise InvalidInput(
            N_("list %(name)s is a %(value)s list here, and a %(value2)s list at headquarters"),
            params={"name": name, "value": watchlist.kind.value, "value2": kind.value},
            field="bundle",
        )
    return watchlist


def _apply_settings(session: Session, data: Mapping[str, Any]) -> None:
    watchlist = _watchlist(session, _text(data, "list", "list name"), _list_kind(data))
    floor = data.get("possible_match_floor")
    watchlist.alert_policy = parse_policy(str(data.get("alert_policy")))
    watchlist.possible_match_floor = check_floor(
        float(floor) if isinstance(floor, int | float) else None
    )


def _begin(session: Session, data: Mapping[str, Any]) -> _Building:
    name = _text(data, "list", "list name")
    watchlist = _watchlist(session, name, _list_kind(data))
    number, base = data.get("number"), data.get("base")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise InvalidInput(
            N_("list %(name)s: the version has no number"), params={"name": name}, field="bundle"
        )
    taken = session.scalar(
        select(WatchlistVersion.status).where(
            WatchlistVersion.watchlist_id == watchlist.id, WatchlistVersion.number == number
        )
    )
    if taken is not None:
        raise InvalidInput(
            N_(
                "list %(name)s: this post holds a version %(number)s already (%(taken)s); a "
                "post takes its lists from headquarters only"
            ),
            params={"name": name, "number": number, "taken": taken},
            field="bundle",
        )
    active = (
        None
        if watchlist.active_version_id is None
        else session.get(WatchlistVersion, watchlist.active_version_id)
    )
    if base is not None and (active is None or active.number != base):
        held = "no version" if active is None else f"version {active.number}"
        raise InvalidInput(
            N_(
                "list %(name)s: headquarters' update to version %(number)s builds on version "
                "%(base)s, and this post holds %(held)s"
            ),
            params={"name": name, "number": number, "base": base, "held": held},
            field="bundle",
        )
    try:
        published = None if data.get("published") is None else date.fromisoformat(data["published"])
        loaded_at = datetime.fromisoformat(_text(data, "loaded_at", "load time"))
    except (TypeError, ValueError):
        raise InvalidInput(
            N_("list %(name)s: a date of version %(number)s is wrong"),
            params={"name": name, "number": number},
            field="bundle",
        ) from None
    version = WatchlistVersion(
        watchlist_id=watchlist.id,
        number=number,
        source_format=str(data.get("source_format") or "")[:32],
        file_name=str(data.get("file_name") or "")[:500],
        sha256=str(data.get("sha256") or "")[:64],
        published=published,
        loaded_by=str(data.get("loaded_by") or "")[:120],
        loaded_at=loaded_at,
        status=VersionState.LOADING,
        loader=SYNC_LOADER,
    )
    session.add(version)
    session.flush()
    if base is not None and active is not None:
        copied = select(
            literal(version.id),
            WatchlistEntry.entry_id,
            WatchlistEntry.fingerprint,
            WatchlistEntry.document_number,
            WatchlistEntry.issuing_state,
            WatchlistEntry.document_type,
            WatchlistEntry.data,
        ).where(WatchlistEntry.version_id == active.id)
        columns = ["version_id", "entry_id", "fingerprint", "document_number", "issuing_state"]
        session.execute(
            insert(WatchlistEntry).from_select([*columns, "document_type", "data"], copied)
        )
    return _Building(watchlist, version, data)


def _delete_entries(session: Session, version_id: int, entry_ids: Sequence[str]) -> None:
    for start in range(0, len(entry_ids), DELETE_BATCH):
        session.execute(
            delete(WatchlistEntry).where(
                WatchlistEntry.version_id == version_id,
                WatchlistEntry.entry_id.in_(entry_ids[start : start + DELETE_BATCH]),
            )
        )


def _add_entries(session: Session, building: _Building, items: object) -> None:
    name, number = building.watchlist.name, building.version.number
    if not isinstance(items, list):
        raise InvalidInput(
            N_("list %(name)s version %(number)s: entries are not a list"),
            params={"name": name, "number": number},
            field="bundle",
        )
    try:
        entries = [entry_from_json(building.watchlist.kind, item) for item in items]
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        raise InvalidInput(
            N_("list %(name)s version %(number)s: an entry cannot be read (%(error)s)"),
            params={"name": name, "number": number, "error": error},
            field="bundle",
        ) from None
    # A delta's changed entries replace the copies taken from the version it builds on.
    _delete_entries(session, building.version.id, [entry.entry_id for entry in entries])
    if entries:
        session.execute(
            insert(WatchlistEntry), [entry_row(building.version.id, entry) for entry in entries]
        )
    building.entries += len(entries)


def _remove_entries(session: Session, building: _Building, ids: object) -> None:
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise InvalidInput(
            N_("list %(name)s: removed entries are not a list of ids"),
            params={"name": building.watchlist.name},
            field="bundle",
        )
    _delete_entries(session, building.version.id, ids)
    building.removed.extend(ids)


def _finish(session: Session, actor: str, building: _Building) -> str:
    """Check the built version holds headquarters' entries exactly, then swap it in."""
    watchlist, version, header = building.watchlist, building.version, building.header
    held = _entry_count(session, version.id)
    expected = header.get("entry_count")
    where = f"list {watchlist.name} version {version.number}"
    if held != expected:
        raise InvalidInput(
            N_(
                "%(where)s: built here it would hold %(held)s entries, not the %(expected)s "
                "headquarters holds; the list is left as it was"
            ),
            params={"where": where, "held": held, "expected": expected},
            field="bundle",
        )
    if entries_digest(session, version.id) != header.get("entries_digest"):
        raise InvalidInput(
            N_(
                "%(where)s: built here its entries differ from headquarters'; the list is left "
                "as it was"
            ),
            params={"where": where},
            field="bundle",
        )
    rejected = header.get("rejected_count")
    swap_active(
        session,
        watchlist,
        version,
        entry_count=held,
        rejected_count=rejected if isinstance(rejected, int) else 0,
    )
    session.expire(watchlist)
    record_audit(
        session,
        actor,
        "watchlist.sync",
        "watchlist",
        watchlist.name,
        detail={
            "version": version.number,
            "base": header.get("base"),
            "entries": held,
            "sent": building.entries,
            "removed": len(building.removed),
        },
    )
    return f"{watchlist.name} version {version.number}"
