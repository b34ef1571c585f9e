"""The SQL list store: loads swap in atomically, failures keep the old version, deltas are kept."""

from __future__ import annotations

import csv
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from midas.domain.lists import (
    SqlListStore,
    entry_deltas,
    entry_from_json,
    entry_to_json,
    find_watchlist,
    load_watchlist,
    rejected_records,
)
from midas.domain.screening_indexes import IndexCache
from midas.persistence.active_lists import ACTIVE_LISTS_COLUMN, active_lists, parse_active_lists
from midas.persistence.database import database
from midas.persistence.models import EntryChange, WatchlistEntry, WatchlistVersion
from watchlists.config import ScreeningConfig
from watchlists.errors import StoreError
from watchlists.models import (
    BirthDate,
    DocumentEntry,
    DocumentStatus,
    EntryName,
    IdentityDocument,
    ListKind,
    NameQuality,
    PersonEntry,
)
from watchlists.screening import PersonQuery
from watchlists.versions import Provenance, VersionState, load_list, read_active

PERSON_HEADER = ["entry_id", "name", "aliases", "birth_date", "nationalities", "sex"]
DOCUMENT_HEADER = ["entry_id", "document_number", "issuing_state", "document_type", "status"]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def person_rows(prefix: str, count: int) -> list[list[str]]:
    return [
        [f"{prefix}{n}", f"Person{n} Listed{prefix}", "", "1970", "DEU", "M"] for n in range(count)
    ]


@pytest.fixture
def sessions(app: Flask) -> sessionmaker[Session]:
    return database(app).sessions


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> SqlListStore:
    return SqlListStore(sessions)


def test_entries_survive_the_json_round_trip() -> None:
    person = PersonEntry(
        entry_id="P1",
        names=(
            EntryName("Jürgen Müller", NameQuality.PRIMARY, "Jürgen", "Müller", "Latn"),
            EntryName("Юрген Мюллер", NameQuality.WEAK, script="Cyrl"),
        ),
        birth_dates=(BirthDate(1970, 1970, 5, 17), BirthDate(1968, 1972)),
        nationalities=("DEU", "AUT"),
        sex="M",
        documents=(IdentityDocument("C01X00T47", "DEU", "passport"),),
        category="wanted",
        action="arrest",
        programs=("SDGT",),
        remarks="a remark",
        source_ref="ref-1",
    )
    document = DocumentEntry(
        "D1", "C01X00T47", "DEU", DocumentStatus.STOLEN_BLANK, "P", date(2024, 2, 29), "BKA-1"
    )
    assert entry_from_json(ListKind.PERSON, entry_to_json(person)) == person
    assert entry_from_json(ListKind.DOCUMENT, entry_to_json(document)) == document


def test_a_first_load_becomes_the_active_version(store: SqlListStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "alerts.csv", PERSON_HEADER, person_rows("a", 3))
    report = load_list(store, "alerts", ListKind.PERSON, "csv", path, "tester")
    assert report.ok, report.failure
    active = store.active_version("alerts")
    assert active is not None
    assert (active.version, active.entry_count, active.loaded_by) == (1, 3, "tester")
    assert active.checksum_sha256 == report.checksum_sha256
    loaded = read_active(store, "alerts")
    assert loaded is not None
    assert [entry.entry_id for entry in loaded[1]] == ["a0", "a1", "a2"]
    assert [v.state for v in store.versions("alerts")] == [VersionState.ACTIVE]


def test_a_new_version_supersedes_the_old_and_keeps_its_deltas(
    store: SqlListStore, session: Session, tmp_path: Path
) -> None:
    first = person_rows("a", 4)
    load_list(
        store,
        "alerts",
        ListKind.PERSON,
        "csv",
        write_csv(tmp_path / "v1.csv", PERSON_HEADER, first),
        "tester",
    )
    second = [
        first[0],
        [*first[1][:4], "FRA", "M"],
        first[2],
        ["new1", "New Person", "", "", "", ""],
    ]
    report = load_list(
        store,
        "alerts",
        ListKind.PERSON,
        "csv",
        write_csv(tmp_path / "v2.csv", PERSON_HEADER, second),
        "tester",
        max_removed_ratio=None,
    )
    assert report.ok, report.failure
    assert (report.added, report.changed, report.removed) == (("new1",), ("a1",), ("a3",))
    assert [v.state for v in store.versions("alerts")] == [
        VersionState.SUPERSEDED,
        VersionState.ACTIVE,
    ]
    watchlist = find_watchlist(session, "alerts")
    assert watchlist is not None
    newest = watchlist.versions[-1]
    assert watchlist.active_version_id == newest.id
    assert entry_deltas(session, newest.id) == {
        EntryChange.ADDED: ["new1"],
        EntryChange.CHANGED: ["a1"],
        EntryChange.REMOVED: ["a3"],
    }
    assert (newest.added_count, newest.changed_count, newest.removed_count) == (1, 1, 1)


def test_a_failed_load_leaves_the_previous_version_active(
    store: SqlListStore, session: Session, tmp_path: Path
) -> None:
    load_list(
        store,
        "alerts",
        ListKind.PERSON,
        "csv",
        write_csv(tmp_path / "v1.csv", PERSON_HEADER, person_rows("a", 3)),
        "tester",
    )
    broken = [["b1", "Good Name", "", "", "", ""], ["b2", "Bad Sex", "", "", "", "Q"]]
    report = load_list(
        store,
        "alerts",
        ListKind.PERSON,
        "csv",
        write_csv(tmp_path / "v2.csv", PERSON_HEADER, broken),
        "tester",
    )
    assert not report.ok
    assert report.active is not None and report.active.version == 1
    versions = store.versions("alerts")
    assert [v.state for v in versions] == [VersionState.ACTIVE, VersionState.FAILED]
    assert versions[1].failure is not None and "rejected" in versions[1].failure
    failed = session.scalars(select(WatchlistVersion).where(WatchlistVersion.number == 2)).one()
    held = session.scalar(select(func.count()).where(WatchlistEntry.version_id == failed.id))
    assert held == 0
    [rejected] = rejected_records(session, failed.id)
    assert rejected.location == "line 3" and rejected.reason.startswith("sex:")
    assert [e.entry_id for e in store.entries("alerts", 1)] == ["a0", "a1", "a2"]


def test_a_list_keeps_its_kind(store: SqlListStore, tmp_path: Path) -> None:
    load_list(
        store,
        "alerts",
        ListKind.PERSON,
        "csv",
        write_csv(tmp_path / "p.csv", PERSON_HEADER, person_rows("a", 1)),
        "tester",
    )
    documents = write_csv(tmp_path / "d.csv", DOCUMENT_HEADER, [["d1", "X1", "DEU", "P", "lost"]])
    with pytest.raises(StoreError, match="person list"):
        load_list(store, "alerts", ListKind.DOCUMENT, "csv", documents, "tester")


def test_the_index_cache_builds_only_when_the_active_version_changes(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    people = [["p1", "Mohamed Al Rashid", "", "1975-03-02", "IRQ", "M"]]
    load_watchlist(
        sessions,
        "alerts",
        ListKind.PERSON,
        "csv",
        write_csv(tmp_path / "p.csv", PERSON_HEADER, people),
        "tester",
    )
    documents = [["d1", "C01X-00T47", "DEU", "P", "stolen"]]
    load_watchlist(
        sessions,
        "sltd",
        ListKind.DOCUMENT,
        "csv",
        write_csv(tmp_path / "d.csv", DOCUMENT_HEADER, documents),
        "tester",
    )
    cache = IndexCache()
    assert sorted(cache.build_now(sessions)) == ["alerts", "sltd"]
    indexes = cache.indexes(sessions)
    assert indexes.versions() == {"alerts": 1, "sltd": 1}
    [hit] = indexes.screen_person(PersonQuery(name="MUHAMMAD AL RASHID"), ScreeningConfig())
    assert (hit.list_name, hit.entry_id) == ("alerts", "p1")
    [doc_hit] = indexes.screen_document("C01X00T47", "D", "P")
    assert (doc_hit.list_name, doc_hit.entry_id) == ("sltd", "d1")
    assert cache.indexes(sessions).versions() == {"alerts": 1, "sltd": 1}
    assert cache.builds == 2
    people.append(["p2", "Ivan Petrov", "", "", "RUS", "M"])
    load_watchlist(
        sessions,
        "alerts",
        ListKind.PERSON,
        "csv",
        write_csv(tmp_path / "p2.csv", PERSON_HEADER, people),
        "tester",
    )
    # The previous version serves while the builder thread builds the new one.
    assert cache.indexes(sessions).versions() == {"alerts": 1, "sltd": 1}
    assert cache.wait(timeout=60)
    assert cache.indexes(sessions).versions() == {"alerts": 2, "sltd": 1}
    assert cache.builds == 3


def test_a_concurrent_reader_never_sees_a_half_loaded_list(
    store: SqlListStore, tmp_path: Path
) -> None:
    # Several batches per load (BATCH_SIZE is 1000), so a torn read would show.
    load_list(
        store,
        "alerts",
        ListKind.PERSON,
        "csv",
        write_csv(tmp_path / "v1.csv", PERSON_HEADER, person_rows("a", 1500)),
        "tester",
    )
    seen: list[tuple[int, int, set[str]]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                loaded = read_active(store, "alerts")
                assert loaded is not None
                version, entries = loaded
                prefixes = {entry.entry_id[0] for entry in entries}
                seen.append((version.version, len(entries), prefixes))
        except BaseException as exc:  # the test thread must report any failure
            errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        good = write_csv(tmp_path / "v2.csv", PERSON_HEADER, person_rows("b", 2500))
        assert load_list(
            store, "alerts", ListKind.PERSON, "csv", good, "tester", max_removed_ratio=None
        ).ok
        bad = person_rows("c", 2500) + [["c-bad", "", "", "", "", ""]] * 500
        assert not load_list(
            store,
            "alerts",
            ListKind.PERSON,
            "csv",
            write_csv(tmp_path / "v3.csv", PERSON_HEADER, bad),
            "tester",
        ).ok
    finally:
        done.set()
        reader.join()
    assert not errors, errors
    assert 2 in {version for version, _, _ in seen}, "the reader never saw version 2"
    expected = {1: (1500, {"a"}), 2: (2500, {"b"})}
    for version, count, prefixes in seen:
        assert (count, prefixes) == expected[version]
    assert store.active_version("alerts").version == 2  # type: ignore[union-attr]


def test_the_active_lists_column_reads_what_active_lists_reads(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with sessions() as session:
        assert parse_active_lists(session.scalar(select(ACTIVE_LISTS_COLUMN))) == []
    people = write_csv(tmp_path / "p.csv", PERSON_HEADER, person_rows("p", 2))
    documents = write_csv(
        tmp_path / "d.csv", DOCUMENT_HEADER, [["d1", "C01X00T47", "DEU", "P", "stolen"]]
    )
    for name, kind, path in (
        ("Zoll – Ausschreibungen", ListKind.PERSON, people),
        ("alerts", ListKind.PERSON, people),
        ("alerts", ListKind.PERSON, people),  # a second version: the pointer moves
        ("sltd, \"stolen\" 'lost'", ListKind.DOCUMENT, documents),
    ):
        load_watchlist(sessions, name, kind, "csv", path, "tester", progress=False)
    with sessions() as session:
        expected = active_lists(session)
        read = parse_active_lists(session.scalar(select(ACTIVE_LISTS_COLUMN)))
    assert [(a.name, a.kind, a.version) for a in expected] == [
        ("Zoll – Ausschreibungen", ListKind.PERSON, 1),
        ("alerts", ListKind.PERSON, 2),
        ("sltd, \"stolen\" 'lost'", ListKind.DOCUMENT, 1),
    ]
    assert read == expected
    cache = IndexCache()
    cache.build_now(sessions)
    assert cache.indexes(sessions, read).versions() == cache.indexes(sessions).versions()
    assert cache.builds == 3


@pytest.mark.parametrize("name", ["", " alerts", "alerts\t", "a\x1fb", "x" * 121])
def test_a_new_list_needs_a_printable_name(store: SqlListStore, name: str) -> None:
    provenance = Provenance("csv", "p.csv", "0" * 64, "tester", datetime.now(UTC))
    with pytest.raises(StoreError, match="printable characters"):
        store.begin_version(name, ListKind.PERSON, provenance)
