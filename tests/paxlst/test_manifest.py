"""PAXLST to manifests: flight, passengers and crew, record problems, counts, parts, dates."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from paxlst.errors import MessageError
from paxlst.manifest import read_manifests
from paxlst.models import RecordProblem
from paxlst.write import write_paxlst
from tests.paxlst.builders import TODAY, make_flight, make_traveller


def test_the_guide_layout_sample_reads_as_its_guide_says(guide_sample, today):
    (manifest,) = read_manifests(guide_sample, today)
    flight = manifest.flight
    assert (flight.carrier, flight.flight_number, flight.designator) == ("XA", "417", "XA417")
    assert (flight.departure_airport, flight.arrival_airport) == ("LHR", "JFK")
    assert flight.departure_time == datetime(2025, 11, 21, 8, 30)
    assert flight.arrival_time == datetime(2025, 11, 21, 11, 25)
    assert flight.transaction_reference == "XA4172511210830"
    assert manifest.role == "passenger" and manifest.directory == "D05B"
    assert manifest.declared_count == 2 and manifest.problems == ()
    obrien, nakamura = manifest.travellers
    assert (obrien.surname, obrien.given_names, obrien.sex) == ("O'BRIEN", "SIOBHAN MAIREAD", "F")
    assert (obrien.birth_date, obrien.nationality, obrien.booking_reference) == (
        date(1986, 2, 14),
        "IRL",
        "QK7Z2M",
    )
    assert (obrien.document_type, obrien.document_number) == ("P", "PX4471902")
    assert (obrien.document_issuing_state, obrien.document_expiry) == ("IRL", date(2029, 6, 30))
    assert obrien.segment_number == 13
    assert nakamura.birth_date == date(1959, 11, 3)  # DTM format 102
    assert nakamura.document_expiry == date(2031, 4, 2)
    (visa,) = nakamura.other_documents
    assert (visa.type, visa.number, visa.issuing_state, visa.expiry) == (
        "V",
        "V55120987",
        "USA",
        date(2027, 1, 1),
    )


def test_passenger_and_crew_lists_are_two_manifests():
    travellers = [
        make_traveller(),
        make_traveller(role="crew", surname="CLARK", given_names="MICHAEL"),
        make_traveller(surname="OKAFOR", given_names="ADA", sex="F"),
    ]
    passengers, crew = read_manifests(write_paxlst(make_flight(), travellers), TODAY)
    assert passengers.role == "passenger" and crew.role == "crew"
    assert [t.surname for t in passengers.travellers] == ["WILLIAMS", "OKAFOR"]
    assert [(t.role, t.surname) for t in crew.travellers] == [("crew", "CLARK")]
    assert crew.declared_count == 1 and crew.problems == ()


def _replace(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, old
    return text.replace(old, new, count)


def test_an_impossible_birth_date_is_a_problem_and_the_others_are_read():
    travellers = [make_traveller(surname=name) for name in ("ONE", "TWO", "THREE")]
    text = write_paxlst(make_flight(), travellers, line_breaks=True)
    lines = text.splitlines()
    bad = [i for i, line in enumerate(lines) if line.startswith("DTM+329")][1]
    lines[bad] = "DTM+329:720230'"  # 30 February
    (manifest,) = read_manifests("\n".join(lines), TODAY)
    assert [t.surname for t in manifest.travellers] == ["ONE", "TWO", "THREE"]
    assert manifest.travellers[1].birth_date is None
    assert manifest.travellers[0].birth_date == date(1972, 9, 7)
    (problem,) = manifest.problems
    assert problem.segment_number == bad  # line 0 is UNA, no segment
    assert problem.field == "birth_date" and "no calendar date" in problem.reason


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("DTM+329:720907'", "DTM+329:20720907:102'", "birth_date", "after today"),
        ("DTM+329:720907'", "DTM+329:7209:102'", "birth_date", "is not 8 digits"),
        ("ATT+2++M'", "ATT+2++Q'", "sex", "not M, F, U or X"),
        ("NAT+2+GBR'", "NAT+2+G1R'", "nationality", "no state code"),
        ("DTM+36:301231'", "DTM+36:301231:999'", "document_expiry", "not one of"),
        ("LOC+91+GBR'", "LOC+91+GBRX'", "document_issuing_state", "no state code"),
        ("DOC+P:110:111+MB140241'", "DOC+P:110:111'", "document_number", "without a document"),
        ("NAD+FL+++WILLIAMS:JOHN DONALD'", "NAD+FL++++X'", "surname", "without a surname"),
        ("NAD+FL+++WILLIAMS:JOHN DONALD'", "NAD+FM+++WILLIAMS'", "role", "crew record"),
    ],
)
def test_a_bad_field_is_a_record_problem_naming_segment_and_field(old, new, field, words):
    text = write_paxlst(make_flight(), [make_traveller()], line_breaks=True)
    lines = _replace(text, old, new).splitlines()
    (manifest,) = read_manifests("\n".join(lines), TODAY)
    problems = [p for p in manifest.problems if p.field != "count"]
    assert len(problems) == 1, manifest.problems
    assert problems[0].field == field and words in problems[0].reason
    assert lines[problems[0].segment_number].startswith(new[:3])


def test_a_record_without_surname_is_reported_and_the_count_disagrees():
    text = write_paxlst(make_flight(), [make_traveller(), make_traveller(surname="KEPT")])
    text = _replace(text, "NAD+FL+++WILLIAMS:JOHN DONALD'", "NAD+FL++++JOHN'")
    (manifest,) = read_manifests(text, TODAY)
    assert [t.surname for t in manifest.travellers] == ["KEPT"]
    assert [p.field for p in manifest.problems] == ["surname", "count"]
    assert manifest.declared_count == 2
    assert "CNT declares 2 travellers; 1 were read" in manifest.problems[1].reason


def test_a_count_that_differs_is_a_problem_at_the_cnt():
    text = write_paxlst(make_flight(), [make_traveller()], line_breaks=True)
    lines = _replace(text, "CNT+42:1'", "CNT+42:3'").splitlines()
    (manifest,) = read_manifests("\n".join(lines), TODAY)
    assert manifest.declared_count == 3
    (problem,) = manifest.problems
    assert lines[problem.segment_number].startswith("CNT+42")


def test_a_multi_part_list_is_joined_in_part_order():
    travellers = [make_traveller(surname=f"PAX{i:02d}") for i in range(7)]
    flight = make_flight(transaction_reference="ZZ123TN")
    text = write_paxlst(flight, travellers, per_message=3)
    assert text.count("UNH+") == 3 and "+01:C'" in text and "+03:F'" in text
    (manifest,) = read_manifests(text, TODAY)
    assert manifest.flight.parts == (1, 2, 3)
    assert manifest.flight.transaction_reference == "ZZ123TN"
    assert [t.surname for t in manifest.travellers] == [f"PAX{i:02d}" for i in range(7)]
    assert manifest.declared_count == 7 and manifest.problems == ()


def _messages(text: str) -> tuple[str, list[str], str]:
    head, _, rest = text.partition("UNH+")
    body, _, tail = rest.rpartition("UNZ+")
    return head, ["UNH+" + m for m in body.split("UNH+")], "UNZ+" + tail


def test_parts_arriving_out_of_order_are_joined_in_order():
    travellers = [make_traveller(surname=f"PAX{i:02d}") for i in range(6)]
    head, messages, tail = _messages(write_paxlst(make_flight(), travellers, per_message=2))
    (manifest,) = read_manifests(head + "".join(reversed(messages)) + tail, TODAY)
    assert [t.surname for t in manifest.travellers] == [f"PAX{i:02d}" for i in range(6)]
    assert manifest.problems == ()


def test_a_missing_part_is_a_problem():
    travellers = [make_traveller(surname=f"PAX{i:02d}") for i in range(6)]
    head, messages, tail = _messages(write_paxlst(make_flight(), travellers, per_message=2))
    tail = tail.replace("UNZ+3", "UNZ+2")
    (manifest,) = read_manifests(head + messages[0] + messages[2] + tail, TODAY)
    assert manifest.flight.parts == (1, 3)
    assert len(manifest.travellers) == 4
    assert any(p.field == "parts" and "not 1 to 2" in p.reason for p in manifest.problems)


def test_a_list_without_its_final_part_is_a_problem():
    travellers = [make_traveller(surname=f"PAX{i:02d}") for i in range(6)]
    head, messages, tail = _messages(write_paxlst(make_flight(), travellers, per_message=2))
    tail = tail.replace("UNZ+3", "UNZ+2")
    (manifest,) = read_manifests(head + messages[0] + messages[1] + tail, TODAY)
    assert manifest.problems == (
        RecordProblem(2, "parts", "final part (F): none; expected the last"),
    )


@pytest.mark.parametrize(
    ("old", "new", "tag", "words"),
    [
        ("BGM+745'", "BGM+266'", "BGM", "neither 745"),
        ("BGM+745'", "RFF+TN:1'", "RFF", "starts UNH, BGM"),
        ("TDT+20+ZZ123+++ZZ'", "TDT+12+ZZ123+++ZZ'", "TDT", "is not 20"),
        ("TDT+20+ZZ123+++ZZ'", "TDT+20++++ZZ'", "TDT", "no flight identification"),
        ("DTM+189:2601160900:201'", "DTM+189:2601160961:201'", "DTM", "no calendar date"),
        ("CNT+42:1'", "CNT+42:ONE'", "CNT", "not a number"),
        ("PAXLST:D:02B", "CUSRES:D:02B", "UNH", "not PAXLST"),
    ],
)
def test_a_message_that_is_no_readable_paxlst_is_refused_at_its_segment(old, new, tag, words):
    text = write_paxlst(make_flight(), [make_traveller()], line_breaks=True)
    lines = _replace(text, old, new).splitlines()
    with pytest.raises(MessageError, match=words) as caught:
        read_manifests("\n".join(lines), TODAY)
    assert caught.value.tag == tag
    assert lines[caught.value.segment_number].startswith(tag)


def test_traveller_segments_before_any_traveller_are_refused():
    text = write_paxlst(make_flight(), [make_traveller()])
    text = _replace(_replace(text, "TDT+20", "ATT+2++M'TDT+20"), "UNT+18", "UNT+19")
    with pytest.raises(MessageError, match="before any NAD") as caught:
        read_manifests(text, TODAY)
    assert (caught.value.segment_number, caught.value.tag) == (5, "ATT")


def test_flight_details_after_travellers_are_refused():
    text = write_paxlst(make_flight(), [make_traveller()])
    text = _replace(text, "CNT+42", "TDT+20+ZZ9'CNT+42")
    with pytest.raises(MessageError, match="after the travellers"):
        read_manifests(_replace(text, "UNT+18", "UNT+19"), TODAY)


@pytest.mark.parametrize(
    ("dtm", "expected"),
    [
        ("DTM+329:250115'", date(2025, 1, 15)),  # two-digit years: never in the future
        ("DTM+329:260116'", date(1926, 1, 16)),
        ("DTM+329:260115'", date(2026, 1, 15)),
        ("DTM+329:19260116:102'", date(1926, 1, 16)),
    ],
)
def test_birth_dates_follow_the_century_rule(dtm, expected):
    text = write_paxlst(make_flight(), [make_traveller()])
    (manifest,) = read_manifests(_replace(text, "DTM+329:720907'", dtm), TODAY)
    assert manifest.travellers[0].birth_date == expected


@pytest.mark.parametrize(
    ("dtm", "expected"),
    [
        ("DTM+36:460115'", date(2046, 1, 15)),  # up to 20 years ahead
        ("DTM+36:460116'", date(1946, 1, 16)),
        ("DTM+36:120415'", date(2012, 4, 15)),  # long expired, not 2112
    ],
)
def test_expiries_follow_the_century_rule(dtm, expected):
    text = write_paxlst(make_flight(), [make_traveller()])
    (manifest,) = read_manifests(_replace(text, "DTM+36:301231'", dtm), TODAY)
    assert manifest.travellers[0].document_expiry == expected


def test_flight_dates_in_every_format():
    text = write_paxlst(make_flight(), [make_traveller()])
    text = _replace(text, "DTM+189:2601160900:201'", "DTM+189:202601160905:203'")
    text = _replace(text, "DTM+232:2601162200:201'", "DTM+232:20260117:102'")
    (manifest,) = read_manifests(text, TODAY)
    assert manifest.flight.departure_time == datetime(2026, 1, 16, 9, 5)
    assert manifest.flight.arrival_time == date(2026, 1, 17)
