"""Loading a list into a new version: provenance, deltas, verification, atomic swap."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from watchlists.errors import StoreError, UnknownFormatError, VersionStateError
from watchlists.loaders import FORMATS
from watchlists.models import ListKind, PersonEntry
from watchlists.versions import (
    MemoryListStore,
    Provenance,
    VersionState,
    apply_delta,
    checksum,
    load_list,
    read_active,
)

HEADER = "entry_id,name,birth_date,category\n"
FIXED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def person_csv(count: int, marker: str = "sanctions", start: int = 0) -> str:
    rows = (f"P{i},Person Number {i},1970,{marker}\n" for i in range(start, start + count))
    return HEADER + "".join(rows)


def load_csv(store, path, **options):
    return load_list(store, "national", ListKind.PERSON, "csv", path, "officer1", **options)


def test_a_first_load_activates_version_1_with_provenance(store, write_file):
    path = write_file("list.csv", person_csv(3))

    report = load_csv(store, path, now=lambda: FIXED)

    assert report.ok and report.failure is None
    assert report.version == 1
    active = store.active_version("national")
    assert active == report.active
    assert active is not None
    assert (active.source_format, active.file_name, active.loaded_by) == (
        "csv",
        "list.csv",
        "officer1",
    )
    assert active.checksum_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (active.loaded_at, active.entry_count, active.rejected_count) == (FIXED, 3, 0)
    assert report.added == ("P0", "P1", "P2")
    assert [e.entry_id for e in store.entries("national", 1)] == ["P0", "P1", "P2"]


def test_a_second_load_reports_added_changed_and_removed(store, write_file):
    load_csv(store, write_file("v1.csv", person_csv(4)))
    text = person_csv(2) + "P2,Person Number 2 Renamed,1970,sanctions\nP9,Someone New,,\n"

    report = load_csv(store, write_file("v2.csv", text), max_removed_ratio=None)

    assert report.ok
    assert (report.added, report.changed, report.removed) == (("P9",), ("P2",), ("P3",))
    assert report.previous is not None and report.previous.version == 1
    assert [v.state for v in store.versions("national")] == [
        VersionState.SUPERSEDED,
        VersionState.ACTIVE,
    ]


def test_too_many_bad_rows_keep_the_previous_version_active(store, write_file):
    load_csv(store, write_file("good.csv", person_csv(10)))
    bad = person_csv(8) + "P8,,1970,x\nP9,Someone,19x0,x\n"

    report = load_csv(store, write_file("bad.csv", bad))

    assert not report.ok
    assert report.failure is not None
    assert report.failure.stage == "verify"
    assert report.failure.location == "line 10"
    assert "2 of 10 records rejected" in report.failure.reason
    assert [(r.location, r.reason.split(":")[0]) for r in report.rejected] == [
        ("line 10", "name"),
        ("line 11", "birth_date"),
    ]
    assert report.active is not None and report.active.version == 1
    assert store.active_version("national") == report.active
    failed = store.versions("national")[1]
    assert failed.state is VersionState.FAILED
    assert failed.failure is not None and "line 10" in failed.failure
    assert list(store.rejected("national", 2)) == list(report.rejected)
    assert list(store.entries("national", 2)) == []


def test_a_few_bad_rows_within_the_limit_are_recorded_and_the_rest_loads(store, write_file):
    text = person_csv(30) + "P30,,1970,x\n"

    report = load_csv(store, write_file("list.csv", text))

    assert report.ok
    assert (report.entry_count, len(report.rejected)) == (30, 1)
    assert store.active_version("national").rejected_count == 1


@pytest.mark.shared_data
def test_truncated_xml_aborts_with_its_line_and_keeps_the_old_version(store, data_dir, write_file):
    source = data_dir / "un_sc" / "consolidated.xml"
    good = load_list(store, "un", ListKind.PERSON, "un_xml", source, "officer1")
    data = source.read_bytes()

    report = load_list(
        store, "un", ListKind.PERSON, "un_xml", write_file("cut.xml", data[: len(data) // 2]), "o"
    )

    assert good.ok and good.entry_count == 730
    assert good.published == date(2026, 2, 27)
    assert not report.ok
    assert report.failure is not None and report.failure.stage == "parse"
    assert report.failure.location is not None
    assert "cut.xml: line " in report.failure.location
    assert "after INDIVIDUAL #" in report.failure.location
    assert store.active_version("un") == good.active
    assert len(list(store.entries("un", good.active.version))) == 730


def test_an_empty_list_is_refused(store, write_file):
    load_csv(store, write_file("good.csv", person_csv(2)))

    report = load_csv(store, write_file("empty.csv", HEADER))

    assert report.failure is not None
    assert report.failure.reason == "no entries loaded"
    assert store.active_version("national").version == 1


def test_a_list_that_loses_most_entries_is_refused_unless_allowed(store, write_file):
    load_csv(store, write_file("big.csv", person_csv(10)))
    small = write_file("small.csv", person_csv(4))

    refused = load_csv(store, small)
    allowed = load_csv(store, small, max_removed_ratio=None)

    assert (
        refused.failure is not None and "would remove 6 of the 10 entries" in refused.failure.reason
    )
    assert allowed.ok and len(allowed.removed) == 6


def test_duplicate_ids_and_wrong_kinds_are_rejected(store, write_file):
    text = person_csv(40) + "P1,Again,1970,x\n"
    docs = write_file("docs.csv", "entry_id,document_number,issuing_state,status\nD1,1,FRA,lost\n")

    report = load_csv(store, write_file("list.csv", text))
    wrong = load_csv(store, docs)

    assert report.ok
    assert [(r.location, r.reason) for r in report.rejected] == [
        ("entry P1", "entry_id: repeats an earlier entry; first kept")
    ]
    assert wrong.failure is not None
    assert wrong.rejected[0].reason == "kind: a DocumentEntry in a person list"


def test_document_lists_load_from_the_generic_csv(store, write_file):
    path = write_file(
        "sltd.csv", "entry_id,document_number,issuing_state,status\nD1,X1,FRA,stolen\n"
    )

    report = load_list(store, "sltd", ListKind.DOCUMENT, "csv", path, "officer1")

    assert report.ok and report.kind is ListKind.DOCUMENT
    with pytest.raises(StoreError):
        load_list(store, "sltd", ListKind.PERSON, "csv", write_file("p.csv", person_csv(1)), "o")


def test_missing_file_unknown_format_and_a_kind_the_format_cannot_hold(store, tmp_path):
    missing = load_csv(store, tmp_path / "absent.csv")
    ofac_docs = load_list(store, "x", ListKind.DOCUMENT, "ofac_csv", tmp_path, "o")

    assert missing.failure is not None and missing.failure.stage == "source"
    assert missing.version is None and store.versions("national") == []
    assert ofac_docs.failure is not None and "holds person lists" in ofac_docs.failure.reason
    with pytest.raises(UnknownFormatError, match="known: csv"):
        load_list(store, "x", ListKind.PERSON, "sdn_pdf", tmp_path, "o")


def test_a_reader_never_sees_a_mix_of_two_versions(store, write_file):
    files = [write_file("a.csv", person_csv(2500, "A")), write_file("b.csv", person_csv(3500, "B"))]
    load_csv(store, files[0])
    done = threading.Event()
    seen: list[tuple[int, int, str]] = []
    problems: list[str] = []

    def read_repeatedly() -> None:
        while not done.is_set():
            version, entries = read_active(store, "national") or (None, [])
            markers = {e.category for e in entries if isinstance(e, PersonEntry)}
            if version is None or len(markers) != 1 or len(entries) != version.entry_count:
                problems.append(f"v{version and version.version}: {markers} x{len(entries)}")
            seen.append((version.version if version else 0, len(entries), next(iter(markers), "")))

    reader = threading.Thread(target=read_repeatedly)
    reader.start()
    try:
        for round_ in range(6):
            assert load_csv(store, files[(round_ + 1) % 2], max_removed_ratio=None).ok
    finally:
        done.set()
        reader.join()

    assert problems == []
    assert len({version for version, _, _ in seen}) >= 2  # the reader did run across swaps
    assert {(n, marker) for _, n, marker in seen} <= {(2500, "A"), (3500, "B")}
    assert store.active_version("national").version == 7


@pytest.mark.shared_data
def test_ofac_2021_then_2024_gives_deltas_that_match_the_files(store, data_dir):
    import csv

    def individuals(path):
        with path.open(newline="") as handle:
            return {r[0] for r in csv.reader(handle) if len(r) > 2 and r[2] == "individual"}

    old, new = data_dir / "ofac_sdn" / "watchman-bench-2021", data_dir / "ofac_sdn" / "2024-05-03"
    first = load_list(store, "ofac", ListKind.PERSON, "ofac_csv", old, "o")
    # Three years apart: more delistings than one publication makes, so allowed explicitly.
    second = load_list(
        store, "ofac", ListKind.PERSON, "ofac_csv", new / "sdn.csv", "o", max_removed_ratio=None
    )

    assert first.ok and second.ok
    assert first.file_name == "sdn.csv+alt.csv+add.csv+sdn_comments.csv"
    assert first.checksum_sha256 == checksum(
        [old / n for n in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")]
    )
    assert second.checksum_sha256.startswith("210ca6b4a8187a34")  # SOURCES.md
    before, after = individuals(old / "sdn.csv"), individuals(new / "sdn.csv")
    assert set(second.added) == after - before
    assert set(second.removed) == before - after
    assert dict(first.skipped) == {"aircraft": 277, "entity": 3673, "vessel": 406}


@pytest.mark.shared_data
def test_ftm_deltas_apply_on_top_of_the_active_version(store, data_dir):
    base = data_dir / "opensanctions_ftm" / "eu_fsf_sample.entities.ftm.json"
    deltas = data_dir / "opensanctions_ftm" / "deltas"
    first = load_list(store, "os", ListKind.PERSON, "ftm", base, "o")

    report = apply_delta(store, "os", deltas, "o")

    assert first.ok and first.entry_count == 4
    assert report.ok, report.failure
    assert report.source_format == "ftm_delta"
    assert report.added == ("NK-2sJaJRaPJcWUfMbHjTtWcL", "Q4365364")
    assert report.removed == ()
    assert report.entry_count == 6
    assert report.published == date(2024, 5, 28)
    assert dict(report.skipped) == {"Organization": 3}


def test_a_delta_can_modify_and_delete_persons(store, write_file):
    load_list(
        store,
        "os",
        ListKind.PERSON,
        "ftm",
        write_file(
            "base.json",
            '{"id": "a", "schema": "Person", "properties": {"name": ["Ann Lee"]}}\n'
            '{"id": "b", "schema": "Person", "properties": {"name": ["Bo Li"]}}\n'
            '{"id": "c", "schema": "Person", "properties": {"name": ["Cy Wu"]}}\n',
        ),
        "o",
    )
    delta = write_file(
        "d/20240601000000-x.entities.delta.json",
        '{"op": "MOD", "entity": {"id": "a", "schema": "Person", '
        '"properties": {"name": ["Ann"]}}}\n'
        '{"op": "DEL", "entity": {"id": "b"}}\n'
        '{"op": "MOD", "entity": {"id": "c", "schema": "Company", "properties": {}}}\n',
    )

    report = apply_delta(store, "os", delta.parent, "o")

    assert (report.added, report.changed, report.removed) == ((), ("a",), ("b", "c"))
    assert [e.names[0].full for e in store.entries("os", 2)] == ["Ann"]


def delta_line(op, entity_id, schema="Person", **properties):
    entity = {"id": entity_id, "schema": schema, "properties": properties}
    return json.dumps({"op": op, "entity": entity})


def documents_of(store, version):
    return {
        entry.entry_id: {(d.number, d.issuing_state) for d in entry.documents}
        for entry in store.entries("os", version)
    }


def test_delta_document_entities_change_their_holders_documents(store, write_file):
    load_list(
        store,
        "os",
        ListKind.PERSON,
        "ftm",
        write_file(
            "base.json",
            '{"id": "a", "schema": "Person", "properties": {"name": ["Ann Lee"]}}\n'
            '{"id": "pa", "schema": "Passport", '
            '"properties": {"number": ["A1"], "country": ["ua"], "holder": ["a"]}}\n'
            '{"id": "b", "schema": "Person", "properties": {"name": ["Bo Li"]}}\n'
            '{"id": "pb", "schema": "Passport", '
            '"properties": {"number": ["B1"], "country": ["by"], "holder": ["b"]}}\n',
        ),
        "o",
    )
    lines = [
        # A Person replaced by MOD keeps the passport its own Passport entity gives it.
        delta_line("MOD", "a", name=["Ann Lee"], passportNumber=["A2"]),
        delta_line("MOD", "pb", "Passport", number=["B1"], country=["xk"], holder=["b"]),
        # A document may come before its holder is listed.
        delta_line("ADD", "pc", "Identification", number=["C1"], country=["UNO"], holder=["c"]),
        delta_line("ADD", "c", name=["Cy Wu"]),
        delta_line("ADD", "pa2", "Passport", number=["A3"], country=["d"], holder=["a"]),
        delta_line("DEL", "pa2"),
    ]
    delta = write_file("d/20240601000000-x.entities.delta.json", "\n".join(lines) + "\n")

    report = apply_delta(store, "os", delta.parent, "o")

    assert report.ok, report.failure
    assert documents_of(store, 2) == {
        "a": {("A1", "UKR"), ("A2", None)},
        "b": {("B1", "RKS")},
        "c": {("C1", "UNO")},
    }


def test_the_memory_store_refuses_operations_out_of_order(store):
    provenance = Provenance("csv", "x.csv", "0" * 64, "o", FIXED)
    number = store.begin_version("l", ListKind.PERSON, provenance)
    store.activate("l", number, entry_count=0, rejected_count=0, replaces=None)

    with pytest.raises(VersionStateError, match="is active, not loading"):
        store.add_entries("l", number, [])
    with pytest.raises(VersionStateError, match="no such version"):
        store.discard("l", 99, "x")
    assert isinstance(MemoryListStore().versions("none"), list)


def test_an_unexpected_error_discards_the_half_loaded_version(store, write_file, monkeypatch):
    load_csv(store, write_file("good.csv", person_csv(2)))

    def explode(*args, **kwargs):
        yield from ()
        raise RuntimeError("bug in a loader")

    monkeypatch.setitem(FORMATS, "csv", replace(FORMATS["csv"], iter_records=explode))

    with pytest.raises(RuntimeError, match="bug in a loader"):
        load_csv(store, write_file("next.csv", person_csv(2)))

    assert [v.state for v in store.versions("national")] == [
        VersionState.ACTIVE,
        VersionState.FAILED,
    ]
    assert store.active_version("national").version == 1
