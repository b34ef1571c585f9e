from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scanners.mrz.fields import (
    DateKind,
    is_known_state,
    parse_date,
    parse_names,
    parse_sex,
    state_name,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("740812", date(1974, 8, 12)),
        ("261123", date(2026, 11, 23)),  # born today
        ("261124", date(1926, 11, 24)),  # tomorrow in 2026 is impossible: a century earlier
        ("000229", date(2000, 2, 29)),
    ],
)
def test_birth_dates_are_never_in_the_future(text, expected):
    assert parse_date(text, DateKind.BIRTH, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("361123", date(2036, 11, 23)),
        ("170101", date(2017, 1, 1)),  # expired nine years ago
        ("161122", date(2016, 11, 22)),  # more than ten years past: long expired, not 2116
        ("120415", date(2012, 4, 15)),  # the Doc 9303 specimen, 14 years past
        ("461123", date(2046, 11, 23)),  # twenty years ahead is the furthest an expiry may lie
        ("461124", date(1946, 11, 24)),  # a day further is a document expired eighty years ago
    ],
)
def test_an_expiry_is_never_more_than_twenty_years_ahead(text, expected):
    assert parse_date(text, DateKind.EXPIRY, TODAY) == expected


def test_a_specimen_expiry_read_years_later_is_long_expired_not_next_century():
    assert parse_date("120415", DateKind.EXPIRY, date(2026, 12, 7)) == date(2012, 4, 15)


@pytest.mark.parametrize(
    ("text", "kind", "today"),
    [
        ("000229", DateKind.BIRTH, date(2000, 1, 1)),  # 1900 had no 29 February
        ("000229", DateKind.EXPIRY, date(1880, 1, 1)),
    ],
)
def test_a_29_february_is_not_moved_to_the_28th_in_another_century(text, kind, today):
    assert parse_date(text, kind, today) is None


DAYS = st.dates(min_value=date(1800, 1, 1), max_value=date(9000, 12, 31))
YYMMDD = st.tuples(st.integers(0, 99), st.integers(1, 12), st.integers(1, 31)).map(
    lambda t: f"{t[0]:02d}{t[1]:02d}{t[2]:02d}"
)


def window(kind, today):
    """The hundred years a two-digit year is read into: (earliest, latest] as y-m-d tuples."""
    ahead = 0 if kind == DateKind.BIRTH else 20
    latest = (today.year + ahead, today.month, today.day)
    return (latest[0] - 100, *latest[1:]), latest


@settings(max_examples=500)
@given(st.sampled_from([DateKind.BIRTH, DateKind.EXPIRY]), YYMMDD, DAYS)
def test_any_yymmdd_resolves_into_the_one_century_of_its_kind(kind, text, today):
    value = parse_date(text, kind, today)
    earliest, latest = window(kind, today)
    if value is None:
        # Only a day that does not exist in the one year of the window ending in YY is refused.
        yy, month, day = int(text[:2]), int(text[2:4]), int(text[4:])
        years = [y for y in range(earliest[0], latest[0] + 1) if y % 100 == yy]
        in_window = [y for y in years if earliest < (y, month, day) <= latest]
        assert len(in_window) == 1
        with pytest.raises(ValueError):
            date(in_window[0], month, day)
        return
    assert value.strftime("%y%m%d") == text
    assert earliest < (value.year, value.month, value.day) <= latest
    if kind == DateKind.BIRTH:
        assert value <= today


@settings(max_examples=500)
@given(st.sampled_from([DateKind.BIRTH, DateKind.EXPIRY]), st.data(), DAYS)
def test_any_date_of_its_century_reads_back_from_its_yymmdd(kind, data, today):
    earliest, latest = window(kind, today)
    low = date(earliest[0], 1, 1)
    value = data.draw(st.dates(min_value=low, max_value=date(latest[0], 12, 31)))
    assume(earliest < (value.year, value.month, value.day) <= latest)
    assert parse_date(value.strftime("%y%m%d"), kind, today) == value


@pytest.mark.parametrize("text", ["741332", "740230", "7408<2", "<<<<<<", "74081", "ABCDEF"])
def test_non_dates_give_none(text):
    assert parse_date(text, DateKind.BIRTH, TODAY) is None


def test_sex_is_m_f_or_unspecified():
    assert parse_sex("M") == "M"
    assert parse_sex("F") == "F"
    assert parse_sex("<") is None
    assert parse_sex("X") is None


def test_names_split_at_double_filler():
    names = parse_names("VAN<DER<BERG<<JAN<PIETER<<<<<<<<<")
    assert names.surname == "VAN DER BERG"
    assert names.given_names == "JAN PIETER"
    assert not names.truncated


def test_a_name_field_filled_to_the_end_is_truncated():
    assert parse_names("NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<KRASUE").truncated


def test_a_single_name_holder_has_no_given_names():
    names = parse_names("ERIKSSON<<<<<<<<<<")
    assert (names.surname, names.given_names) == ("ERIKSSON", "")


@pytest.mark.parametrize(
    "code", ["DEU", "D", "UTO", "XXA", "XXB", "XXC", "XXX", "EUE", "UNO", "UNA", "UNK", "GBD"]
)
def test_iso_codes_and_doc_9303_specials_are_known(code):
    assert is_known_state(code)
    assert state_name(code)


@pytest.mark.parametrize("code", ["ABC", "XYZ", "", "DE"])
def test_unknown_codes_are_refused(code):
    assert not is_known_state(code)
    assert state_name(code) is None
