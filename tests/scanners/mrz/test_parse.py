from datetime import date

import pytest

from scanners.mrz.parse import parse_mrz
from tests.scanners.mrz import specimens as s

TODAY = date(2026, 11, 23)


def parse(lines, **kw):
    return parse_mrz(lines, today=TODAY, **kw)


def check_names(result):
    return {c.name: c.passed for c in result.checks}


def test_td3_passport_specimen_reads_every_field():
    r = parse(s.TD3)
    assert r.valid
    assert r.format == "TD3"
    assert r.document_type == "P"
    assert (r.issuing_state, r.nationality) == ("UTO", "UTO")
    assert (r.surname, r.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert r.document_number == "L898902C3"
    assert r.birth_date == date(1974, 8, 12)
    assert r.sex == "F"
    assert r.optional_data == "ZE184226B"
    assert check_names(r) == dict.fromkeys(
        ["document_number", "birth_date", "expiry_date", "personal_number", "composite"], True
    )
    assert r.specimen


def test_td1_card_specimen():
    r = parse(s.TD1)
    assert r.valid and r.format == "TD1"
    assert r.document_number == "D23145890"
    assert r.document_type == "I"
    assert set(check_names(r)) == {"document_number", "birth_date", "expiry_date", "composite"}


def test_td1_long_document_number_overflows_into_optional_data():
    r = parse(s.TD1_LONG_NUMBER)
    assert r.valid
    assert r.document_number == "D23145890123"
    assert r.optional_data is None
    number_check = next(c for c in r.checks if c.name == "document_number")
    assert (number_check.line, number_check.column, number_check.found) == (1, 19, "3")


def test_td2_card_specimen():
    r = parse(s.TD2)
    assert r.valid and r.format == "TD2"
    assert (r.surname, r.document_number, r.expiry_date) == (
        "ERIKSSON",
        "D23145890",
        date(2012, 4, 15),
    )


@pytest.mark.parametrize(("lines", "fmt"), [(s.MRVA, "MRVA"), (s.MRVB, "MRVB")])
def test_visa_specimens_have_no_composite(lines, fmt):
    r = parse(lines)
    assert r.valid and r.format == fmt
    assert r.document_type == "V"
    assert r.nationality == "XXX"
    assert "composite" not in check_names(r)
    assert r.birth_date == date(1940, 9, 7)


def test_text_with_surrounding_space_and_crlf_is_accepted():
    r = parse("\r\n  " + s.TD3[0] + "  \r\n" + s.TD3[1] + "\r\n\n")
    assert r.valid


def test_a_wrong_check_digit_is_reported_by_name_and_place():
    line2 = s.TD3[1][:19] + "3" + s.TD3[1][20:]
    r = parse([s.TD3[0], line2])
    assert not r.valid
    failed = [c for c in r.checks if not c.passed]
    assert [(c.name, c.line, c.column, c.found) for c in failed] == [
        ("birth_date", 2, 20, "3"),
        ("composite", 2, 44, "0"),
    ]
    assert failed[0].expected == "2"


def test_empty_input_is_invalid_not_an_exception():
    r = parse("")
    assert not r.valid
    assert [p.code for p in r.problems] == ["empty"]


def test_wrong_line_count_is_named():
    r = parse([s.TD3[0]])
    assert not r.valid
    assert r.problems[0].code == "line_count"


def test_a_short_line_is_reported_with_its_number_and_still_read():
    r = parse([s.TD3[0], s.TD3[1][:42]])
    assert not r.valid
    assert r.format == "TD3"
    problem = next(p for p in r.problems if p.code == "line_length")
    assert problem.line == 2
    assert "42" in problem.message and "44" in problem.message
    assert r.surname == "ERIKSSON"


def test_bad_characters_are_reported_by_line_and_column():
    line1 = s.TD3[0][:10] + "é" + s.TD3[0][11:]
    r = parse([line1, s.TD3[1]])
    assert not r.valid
    bad = [p for p in r.problems if p.code == "bad_character"]
    assert [(p.line, p.column) for p in bad] == [(1, 11)]


def test_unknown_state_code_is_a_problem():
    r = parse(["P<ABCERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", s.TD3[1]])
    assert not r.valid
    assert any(p.code == "unknown_state" and p.field == "issuing_state" for p in r.problems)


def test_impossible_dates_are_problems_even_with_a_passing_check_digit():
    from scanners.mrz.checkdigit import compute

    line2 = s.TD3[1][:13] + "741332" + compute("741332") + s.TD3[1][20:43]
    line2 += compute(line2[0:10] + line2[13:20] + line2[21:43])
    r = parse([s.TD3[0], line2])
    assert r.birth_date is None
    assert any(p.code == "bad_date" and p.field == "birth_date" for p in r.problems)
    assert not r.valid


def test_expired_and_expiring_documents_are_flagged():
    from scanners.mrz.render import MRZFields, render

    def with_expiry(day):
        fields = MRZFields(
            "P", "FRA", "DUPONT", "MARIE", "12AB34567", "FRA", date(1990, 1, 1), day, "F"
        )
        return parse(render("TD3", fields), expiry_horizon_days=30)

    expired = with_expiry(date(2026, 11, 22))
    assert expired.valid and expired.expired and not expired.expires_soon
    soon = with_expiry(date(2026, 12, 20))
    assert not soon.expired and soon.expires_soon
    later = with_expiry(date(2027, 6, 1))
    assert not later.expired and not later.expires_soon


def test_real_documents_are_not_specimens():
    from scanners.mrz.render import MRZFields, render

    fields = MRZFields(
        "P", "FRA", "DUPONT", "MARIE", "12AB34567", "FRA", date(1990, 1, 1), date(2030, 1, 1), "F"
    )
    assert not parse(render("TD3", fields)).specimen


def test_document_code_must_fit_the_format():
    r = parse(["X" + s.TD3[0][1:], s.TD3[1]])
    assert any(p.code == "document_code" for p in r.problems)
    assert not r.valid


def test_to_dict_has_the_documented_keys():
    keys = set(parse(s.TD3).to_dict())
    assert {
        "format", "document_type", "issuing_state", "surname", "given_names", "document_number",
        "nationality", "birth_date", "expiry_date", "sex", "optional_data", "valid", "checks",
        "repairs", "problems", "specimen", "expired",
    } <= keys  # fmt: skip
    assert parse(s.TD3).to_dict()["birth_date"] == "1974-08-12"


def test_td2_long_document_number_keeps_the_composite_out_of_the_optional_data():
    from scanners.mrz.checkdigit import compute

    line2 = "D23145890<UTO7408122F300101" + compute("300101")
    line2 += "123" + compute("D23145890123") + "<<<"
    line2 += compute(line2[0:10] + line2[13:20] + line2[21:35])
    r = parse(["I<UTOERIKSSON<<ANNA<<<<<<<<<<<<<<<<<", line2])
    assert r.valid, r.problems
    assert r.document_number == "D23145890123"
    assert r.optional_data is None
