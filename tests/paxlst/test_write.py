"""The writer: whatever travellers it writes, the reader gives back, in any UNA and directory."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paxlst.manifest import read_manifests
from paxlst.models import Document, Traveller
from paxlst.syntax import ServiceChars
from paxlst.write import write_paxlst
from scanners.mrz.render import MRZFields
from tests.paxlst.builders import (
    TODAY,
    as_written,
    make_flight,
    make_traveller,
    traveller_from_mrz,
)

UNAS = [
    ServiceChars(),
    ServiceChars("*", "|", ",", "!", " ", "~"),
    ServiceChars(":", "+", ".", "?", "*", "'"),  # syntax version 4 advises a repetition separator
    ServiceChars("^", "#", ".", "\\", " ", "@"),
]
# Letters, digits, space and every separator any UNA above advises, so that escapes are tried.
_ALPHABET = "ABCXYZÉÜ0189 -.'+:?*|~!^#\\@,"


def _text(min_size: int = 1, max_size: int = 12) -> st.SearchStrategy[str]:
    return (
        st.text(_ALPHABET, min_size=min_size, max_size=max_size)
        .map(str.strip)
        .filter(lambda s: len(s) >= min_size)
    )


def _day(first: date, last: date) -> st.SearchStrategy[date]:
    return st.integers(0, (last - first).days).map(lambda n: first + timedelta(days=n))


_states = st.sampled_from(["GBR", "IRL", "D", "UTO", "XXA", "JPN"])
_documents = st.one_of(
    st.none(),
    st.tuples(st.sampled_from(["P", "I", "V", "PT"]), _text(1, 9), _states),
)


@st.composite
def travellers(draw) -> Traveller:
    document = draw(_documents)
    others = draw(
        st.lists(
            st.builds(
                Document,
                st.sampled_from(["V", "P"]),
                _text(1, 9),
                st.one_of(st.none(), _states),
                st.one_of(st.none(), _day(date(1950, 1, 1), date(2045, 12, 31))),
            ),
            max_size=2,
        )
    )
    return Traveller(
        role=draw(st.sampled_from(["passenger", "crew"])),
        surname=draw(_text()),
        given_names=draw(_text(0)),
        sex=draw(st.sampled_from(["M", "F", None])),
        # Two-digit years: a birth date within the 100 years up to the reading day, an expiry
        # within 80 years before and 20 after it (the century rules the reader applies).
        birth_date=draw(st.one_of(st.none(), _day(date(1926, 1, 16), TODAY))),
        nationality=draw(st.one_of(st.none(), _states)),
        document_type=document[0] if document else None,
        document_number=document[1] if document else None,
        document_issuing_state=document[2] if document else None,
        document_expiry=(
            draw(st.one_of(st.none(), _day(date(1946, 1, 16), date(2046, 1, 15))))
            if document
            else None
        ),
        booking_reference=draw(st.one_of(st.none(), _text(1, 8))),
        other_documents=tuple(others) if document else (),
    )


@settings(max_examples=150, deadline=None)
@given(
    people=st.lists(travellers(), max_size=12),
    chars=st.sampled_from(UNAS),
    directory=st.sampled_from(["D02B", "D05B"]),
    per_message=st.one_of(st.none(), st.integers(1, 5)),
    line_breaks=st.booleans(),
)
def test_any_travellers_written_are_read_back(people, chars, directory, per_message, line_breaks):
    flight = make_flight(transaction_reference="TN?1'")
    text = write_paxlst(
        flight,
        people,
        chars=chars,
        directory=directory,
        per_message=per_message,
        line_breaks=line_breaks,
        syntax="UNOC",
    )
    manifests = read_manifests(text.encode("latin-1"), TODAY)
    read = [as_written(t) for m in manifests for t in m.travellers]
    expected = [t for role in ("passenger", "crew") for t in people if t.role == role]
    assert read == expected
    assert all(m.problems == () for m in manifests)
    assert all(m.directory == directory for m in manifests)
    assert all(m.flight.transaction_reference == "TN?1'" for m in manifests)


@settings(max_examples=50, deadline=None)
@given(
    people=st.lists(travellers(), min_size=1, max_size=5),
    born=_day(date(1, 1, 1), date(9999, 12, 31)),
)
def test_four_digit_years_carry_any_date(people, born):
    people = [make_traveller(birth_date=born, document_expiry=born), *people[1:]]
    flight = make_flight(departure_time=datetime(1899, 12, 31, 23, 59), arrival_time=None)
    text = write_paxlst(flight, people, long_years=True)
    assert "DTM+189:189912312359:203'" in text
    manifests = read_manifests(text, date(9999, 12, 31))
    assert next(as_written(t) for m in manifests for t in m.travellers) == people[0]
    assert manifests[0].flight.departure_time == flight.departure_time


_names = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=10)


@settings(max_examples=60, deadline=None)
@given(
    surname=_names,
    given_names=st.lists(_names, max_size=2).map(" ".join),
    number=st.text("ABCDEFGHJKLMNPRSTUVWXYZ0123456789", min_size=1, max_size=9),
    state=st.sampled_from(["GBR", "FRA", "NLD", "UTO", "D"]),
    born=_day(date(1927, 1, 1), date(2025, 12, 31)),
    expires=_day(date(2026, 1, 16), date(2036, 1, 1)),
    sex=st.sampled_from(["M", "F", None]),
)
def test_travellers_read_from_rendered_mrzs_arrive_as_read(
    surname, given_names, number, state, born, expires, sex
):
    fields = MRZFields("P", state, surname, given_names, number, state, born, expires, sex)
    traveller = traveller_from_mrz(fields, booking="AB12CD")
    assert (traveller.surname, traveller.document_number) == (surname, number)
    (manifest,) = read_manifests(write_paxlst(make_flight(), [traveller]), TODAY)
    assert [as_written(t) for t in manifest.travellers] == [traveller]


def test_separators_in_names_and_numbers_are_released():
    traveller = make_traveller(surname="O'NEIL", given_names="ANN:MARIE", document_number="X+1?")
    text = write_paxlst(make_flight(), [traveller])
    assert "NAD+FL+++O?'NEIL:ANN?:MARIE'" in text and "DOC+P:110:111+X?+1??'" in text
    (manifest,) = read_manifests(text, TODAY)
    assert as_written(manifest.travellers[0]) == traveller


def test_a_una_without_release_refuses_values_holding_a_separator():
    chars = ServiceChars(":", "+", ".", " ", " ", "'")
    text = write_paxlst(make_flight(), [make_traveller()], chars=chars)
    assert text.startswith("UNA:+.  '")
    assert read_manifests(text, TODAY)[0].travellers[0].surname == "WILLIAMS"
    with pytest.raises(ValueError, match="no release"):
        write_paxlst(make_flight(), [make_traveller(surname="O'NEIL")], chars=chars)


def test_the_writer_refuses_what_it_cannot_write():
    with pytest.raises(ValueError, match="D02B or D05B"):
        write_paxlst(make_flight(), [], directory="D15B")
    with pytest.raises(ValueError, match="positive"):
        write_paxlst(make_flight(), [], per_message=0)


def test_an_empty_list_is_one_message_counting_zero():
    (manifest,) = read_manifests(write_paxlst(make_flight(), []), TODAY)
    assert manifest.travellers == () and manifest.declared_count == 0
