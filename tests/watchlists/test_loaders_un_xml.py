"""The UN Security Council consolidated list loader on the real file and on broken XML."""

from __future__ import annotations

import tracemalloc
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from watchlists.errors import FormatError
from watchlists.loaders import un_xml, xml_stream
from watchlists.loaders.records import Skipped
from watchlists.models import BirthDate, IdentityDocument, NameQuality, PersonEntry, Rejected

HEAD = '<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2026-01-02T00:00:00Z"><INDIVIDUALS>'
TAIL = "</INDIVIDUALS></CONSOLIDATED_LIST>"


def individual(reference: str, body: str = "<FIRST_NAME>ANN</FIRST_NAME>") -> str:
    reference_number = f"<REFERENCE_NUMBER>{reference}</REFERENCE_NUMBER>"
    return f"<INDIVIDUAL><DATAID>1</DATAID>{reference_number}{body}</INDIVIDUAL>"


@pytest.fixture
def un_path(data_dir):
    return data_dir / "un_sc" / "consolidated.xml"


@pytest.fixture
def un_entries(un_path):
    return {r.entry_id: r for r in un_xml.iter_records(un_path) if isinstance(r, PersonEntry)}


@pytest.mark.shared_data
def test_every_individual_loads_and_every_entity_is_skipped(un_path):
    root = ET.parse(un_path).getroot()
    references = [i.findtext("REFERENCE_NUMBER") for i in root.iter("INDIVIDUAL")]

    records = list(un_xml.iter_records(un_path))

    assert len(references) == 730
    assert [r.entry_id for r in records if isinstance(r, PersonEntry)] == references
    assert sum(isinstance(r, Skipped) for r in records) == len(list(root.iter("ENTITY"))) == 273
    assert not [r for r in records if isinstance(r, Rejected)]
    assert un_xml.read_published(un_path) == date(2026, 2, 27)


@pytest.mark.shared_data
def test_names_aliases_and_dates_match_the_file(un_path, un_entries):
    root = ET.parse(un_path).getroot()
    source = next(i for i in root.iter("INDIVIDUAL") if i.findtext("REFERENCE_NUMBER") == "CDi.014")
    low = [
        a.findtext("ALIAS_NAME")
        for a in source.iter("INDIVIDUAL_ALIAS")
        if a.findtext("QUALITY") == "Low"
    ]

    entry = un_entries["CDi.014"]

    assert entry.source_ref == source.findtext("DATAID") == "6908006"
    assert entry.names[0].full == "LEOPOLD MUJYAMBERE"
    assert [n.full for n in entry.names if n.quality is NameQuality.WEAK] == low
    assert low == ["Musenyeri", "Achille", "Frere Petrus Ibrahim"]
    # EXACT 1962-03-17 and BETWEEN 1965 and 1967
    assert entry.birth_dates == (BirthDate(1962, 1962, 3, 17), BirthDate(1965, 1967))
    assert entry.nationalities == ("RWA",)
    assert entry.sex == "M"
    assert entry.programs == ("DRC",)


@pytest.mark.shared_data
def test_original_script_names_and_strong_aliases(un_entries):
    entry = un_entries["QDi.001"]

    assert entry.names[1].full == "محمد صلاح الدين عبدالحليم زيدان"
    assert (entry.names[1].quality, entry.names[1].script) == (NameQuality.PRIMARY, "Arab")
    assert "Sayf-Al Adl" in [n.full for n in entry.names if n.quality is NameQuality.STRONG]
    assert entry.nationalities == ("EGY",)


@pytest.mark.shared_data
def test_counts_of_dates_and_documents_match_the_file(un_path, un_entries):
    root = ET.parse(un_path).getroot()
    dated = {
        i.findtext("REFERENCE_NUMBER")
        for i in root.iter("INDIVIDUAL")
        for d in i.iter("INDIVIDUAL_DATE_OF_BIRTH")
        if d.findtext("DATE") or d.findtext("YEAR") or d.findtext("FROM_YEAR")
    }
    numbered = sum(
        1
        for i in root.iter("INDIVIDUAL")
        for d in i.iter("INDIVIDUAL_DOCUMENT")
        if d.findtext("NUMBER")
    )

    assert {k for k, e in un_entries.items() if e.birth_dates} == dated
    assert sum(len(e.documents) for e in un_entries.values()) <= numbered
    assert sum(len(e.documents) for e in un_entries.values()) > 0.95 * numbered
    passports = [d for e in un_entries.values() for d in e.documents if d.kind == "Passport"]
    assert all(isinstance(d, IdentityDocument) and d.number for d in passports)


def test_approximate_years_are_widened_and_bad_dates_rejected(write_file):
    path = write_file(
        "un.xml",
        HEAD
        + individual(
            "T.1",
            "<FIRST_NAME>ANN</FIRST_NAME><INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY"
            "</TYPE_OF_DATE><YEAR>1970</YEAR></INDIVIDUAL_DATE_OF_BIRTH>",
        )
        + individual(
            "T.2",
            "<FIRST_NAME>BOB</FIRST_NAME><INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT"
            "</TYPE_OF_DATE><DATE>1970-02-30</DATE></INDIVIDUAL_DATE_OF_BIRTH>",
        )
        + individual("T.3", "")
        + TAIL,
    )

    first, second, third = un_xml.iter_records(path)

    assert isinstance(first, PersonEntry)
    assert first.birth_dates == (BirthDate(1969, 1971),)
    assert second == Rejected(
        "INDIVIDUAL #2 (T.2)", "INDIVIDUAL_DATE_OF_BIRTH: day is out of range for month"
    )
    assert third.location == "INDIVIDUAL #3 (T.3)"
    assert third.reason.startswith("FIRST_NAME: no name")


def test_truncated_xml_names_line_column_and_last_record(write_file):
    path = write_file("un.xml", HEAD + "\n" + individual("T.1") + "\n" + individual("T.2")[:40])

    with pytest.raises(FormatError) as caught:
        list(un_xml.iter_records(path))

    assert caught.value.location is not None
    assert caught.value.location.startswith("line 3, column ")
    assert "after INDIVIDUAL #1" in caught.value.location


def test_entity_declarations_are_refused(write_file):
    path = write_file(
        "bomb.xml",
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaa">]>'
        "<CONSOLIDATED_LIST><INDIVIDUALS></INDIVIDUALS></CONSOLIDATED_LIST>",
    )

    with pytest.raises(FormatError, match="refused XML construct"):
        list(un_xml.iter_records(path))


def test_a_progress_bar_by_bytes_changes_nothing_but_stderr(write_file, capsys):
    path = write_file("un.xml", HEAD + individual("T.1") + individual("T.2") + TAIL)

    with_bar = list(un_xml.iter_records(path, progress=True))
    without = list(un_xml.iter_records(path))

    assert with_bar == without
    assert "un.xml" in capsys.readouterr().err


def test_documents_of_kosovo_and_the_un_keep_their_doc_9303_codes(write_file):
    documents = "".join(
        f"<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>{number}"
        f"</NUMBER><ISSUING_COUNTRY>{country}</ISSUING_COUNTRY></INDIVIDUAL_DOCUMENT>"
        for number, country in (("K1", "Kosovo"), ("U1", "UNO"), ("G1", "GBN"), ("D1", "D"))
    )
    nationality = "<NATIONALITY><VALUE>XXA</VALUE></NATIONALITY>"
    body = f"<FIRST_NAME>ANN</FIRST_NAME>{nationality}{documents}"
    path = write_file("un.xml", HEAD + individual("T.1", body) + TAIL)

    (entry,) = un_xml.iter_records(path)

    assert entry.nationalities == ("XXA",)
    assert [(d.number, d.issuing_state) for d in entry.documents] == [
        ("K1", "RKS"),
        ("U1", "UNO"),
        ("G1", "GBN"),
        ("D1", "D"),
    ]


@pytest.mark.parametrize("junk", ["<X/>", "<NOTE>a</NOTE>", '<X a="1"><Y/></X>'])
def test_elements_outside_records_take_no_memory_beyond_the_file(write_file, junk):
    filler = junk * (600_000 // len(junk))
    path = write_file(
        "un.xml", HEAD + filler + individual("J.1") + filler + individual("J.2") + TAIL
    )
    size = path.stat().st_size

    tracemalloc.start()
    try:
        references = [r.entry_id for r in un_xml.iter_records(path) if isinstance(r, PersonEntry)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert references == ["J.1", "J.2"]
    assert peak < size, f"{peak} bytes held for a {size}-byte file"


def test_elements_nested_too_deeply_are_refused(write_file):
    depth = xml_stream.MAX_DEPTH + 10
    path = write_file("un.xml", HEAD + "<X>" * depth + "</X>" * depth + TAIL)

    with pytest.raises(FormatError, match="nested more than"):
        list(un_xml.iter_records(path))


def test_a_record_of_too_many_elements_is_refused(write_file):
    body = "<FIRST_NAME>ANN</FIRST_NAME>" + "<X/>" * xml_stream.MAX_RECORD_ELEMENTS
    path = write_file("un.xml", HEAD + individual("B.1", body) + TAIL)

    with pytest.raises(FormatError, match="more than"):
        list(un_xml.iter_records(path))
