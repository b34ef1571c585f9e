from datetime import date

import pytest

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
        ("161124", date(2016, 11, 24)),  # just under ten years past
        ("161122", date(2116, 11, 22)),  # more than ten years past is read forward
    ],
)
def test_expiry_dates_are_never_more_than_ten_years_past(text, expected):
    assert parse_date(text, DateKind.EXPIRY, TODAY) == expected


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
