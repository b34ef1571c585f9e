from datetime import date

import pytest

from scanners.mrz.parse import parse_mrz
from tests.scanners.mrz import specimens as s

TODAY = date(2026, 11, 23)


def parse(lines):
    return parse_mrz(lines, today=TODAY)


def replace(line, col, char):
    """Put `char` at 1-based column `col`."""
    return line[: col - 1] + char + line[col:]


def test_letter_misread_in_a_date_is_repaired_when_the_check_digit_agrees():
    r = parse([s.TD3[0], replace(s.TD3[1], 16, "O")])  # birth date 740812 read as 74O812
    assert r.valid
    assert r.birth_date == date(1974, 8, 12)
    assert [(x.line, x.column, x.found, x.repaired) for x in r.repairs] == [(2, 16, "O", "0")]


def test_letter_in_a_date_is_not_repaired_into_a_wrong_digit():
    line2 = replace(replace(s.TD3[1], 16, "O"), 15, "5")  # a real wrong digit next to the misread
    r = parse([s.TD3[0], line2])
    assert not r.valid
    assert not [x for x in r.repairs if x.field == "birth_date"]
    assert any(p.code == "not_a_digit" or p.code == "bad_date" for p in r.problems)


def test_letter_misread_as_check_digit_is_repaired():
    r = parse([s.TD3[0], replace(s.TD3[1], 20, "Z")])  # check digit 2 read as Z
    assert r.valid
    assert r.repairs[0].repaired == "2"


def test_o_for_zero_in_a_document_number_is_settled_but_left_for_a_person_to_confirm():
    r = parse([s.TD3[0], replace(s.TD3[1], 6, "O")])  # L8989O2C3
    assert r.document_number == "L898902C3"
    assert [(x.column, x.found, x.repaired) for x in r.repairs] == [(6, "O", "0")]
    assert not r.valid
    assert [p.code for p in r.problems] == ["ambiguous_repair"]


def test_two_competing_repairs_are_left_alone():
    line2 = replace(replace(s.TD3[1], 3, "B"), 5, "B")  # both 8s read as B: several fixes may pass
    r = parse([s.TD3[0], line2])
    assert not r.valid


def test_fillers_misread_as_k_in_the_name_padding_are_restored():
    line1 = "P<UTOERIKSSON<<ANNA<MARIA<<<K<<KK<<<<<<<<<<"
    r = parse([line1 + "<", s.TD3[1]])
    assert r.valid
    assert r.given_names == "ANNA MARIA"
    assert {x.found for x in r.repairs} == {"K"}
    assert all(x.field == "name" for x in r.repairs)


def test_a_run_of_misread_fillers_at_the_end_of_the_name_is_restored():
    line1 = "I<UTOERIKSSON<<ANNA<MARIA" + "K" * 11
    r = parse([line1, s.TD2[1]])
    assert r.given_names == "ANNA MARIA"
    assert r.valid


def test_a_name_ending_in_repeated_look_alikes_before_real_padding_is_kept():
    # The run is the name's own letters: real fillers follow it, so nothing was misread.
    for tail in ("CCC", "KKKK", "ALLL", "MAXXX"):
        line1 = ("P<UTOERIKSSON<<ANNA<" + tail).ljust(44, "<")
        r = parse([line1, s.TD3[1]])
        assert r.given_names == f"ANNA {tail}"
        assert r.repairs == ()


def test_a_middle_initial_is_kept():
    line1 = "P<UTOROWLING<<JOANNE<K<<<<<<<<<<<<<<<<<<<<<<"
    r = parse([line1, s.TD3[1]])
    assert r.given_names == "JOANNE K"
    assert r.repairs == ()


def test_digits_in_a_name_become_their_look_alike_letters():
    r = parse(["P<UTOER1KSSON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<", s.TD3[1]])
    assert (r.surname, r.given_names) == ("ERIKSSON", "ANNA MARIA")


def test_digit_in_a_state_code_is_repaired_only_into_a_known_code():
    r = parse(["P<UT0ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", s.TD3[1]])
    assert r.issuing_state == "UTO"
    assert r.valid
    r = parse(["P<U7OERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", s.TD3[1]])
    assert not r.valid


def test_every_repair_says_where_what_and_why():
    r = parse([s.TD3[0], replace(s.TD3[1], 16, "O")])
    d = r.to_dict()["repairs"][0]
    assert d == {
        "line": 2,
        "column": 16,
        "from": "O",
        "to": "0",
        "field": "birth_date",
        "reason": d["reason"],
    }
    assert d["reason"]


def test_an_ocr_second_choice_settles_a_document_number_without_doubt():
    line2 = replace(s.TD3[1], 6, "O")  # OCR read 0 as O but also saw 0 there
    r = parse_mrz([s.TD3[0], line2], today=TODAY, alternatives={(1, 5): "0"})
    assert r.valid
    assert r.document_number == "L898902C3"
    assert "second choice" in r.repairs[0].reason


def test_an_ocr_second_choice_that_fails_the_check_digit_is_not_taken():
    line2 = replace(s.TD3[1], 6, "O")
    r = parse_mrz([s.TD3[0], line2], today=TODAY, alternatives={(1, 5): "Q"})
    assert r.document_number == "L898902C3"  # the look-alike still settles it …
    assert not r.valid  # … but only as a guess a person must confirm
    assert [p.code for p in r.problems] == ["ambiguous_repair"]


def test_ocr_second_choices_are_tried_for_digits_too():
    line2 = replace(s.TD3[1], 16, "7")  # birth date 740812 misread as 747812; OCR also saw 0
    r = parse_mrz([s.TD3[0], line2], today=TODAY, alternatives={(1, 15): "10"})
    assert r.valid
    assert r.birth_date == date(1974, 8, 12)


def test_second_choices_that_fail_the_check_leave_a_passing_reading_valid():
    r = parse_mrz(s.TD3, today=TODAY, alternatives={(1, 2): "B"})  # 8 or B: only 8 passes
    assert r.valid


def test_a_run_of_zeros_misread_as_o_is_repaired_when_the_ocr_offered_zeros():
    from scanners.mrz.render import MRZFields, render

    fields = MRZFields(
        "P", "NLD", "JANSEN", "PIET", "X00000017", "NLD", date(1980, 1, 1), date(2030, 1, 1), "M"
    )
    lines = render("TD3", fields)
    # Three of its six zeros read as O (columns 2, 3, 5), each with 0 as the OCR's second choice.
    # No cheaper set of swaps passes, so the check digit settles it (with other sets it cannot:
    # 0 and O differ by 4 mod 10, so some pairs of swaps cancel, and then nothing is repaired).
    misread = "".join("O" if col in (1, 2, 4) else ch for col, ch in enumerate(lines[1]))
    alts = {(1, c): "0" for c in (1, 2, 4)}
    r = parse_mrz([lines[0], misread], today=TODAY, alternatives=alts)
    assert r.document_number == "X00000017"
    assert r.valid


def test_when_the_ocrs_second_choices_cancel_out_nothing_is_repaired():
    from scanners.mrz.render import MRZFields, render

    fields = MRZFields(
        "P", "NLD", "JANSEN", "PIET", "X00000017", "NLD", date(1980, 1, 1), date(2030, 1, 1), "M"
    )
    lines = render("TD3", fields)
    misread = lines[1][:1] + "OOOO" + lines[1][5:]  # two different pairs of swaps would pass
    r = parse_mrz([lines[0], misread], today=TODAY, alternatives={(1, c): "0" for c in range(1, 5)})
    assert not r.valid
    assert r.repairs == ()


def test_ocr_doubt_in_a_name_makes_the_reading_not_valid():
    # Names have no check digit: if the OCR was torn between two letters, a person must settle it.
    r = parse_mrz(s.TD3, today=TODAY, alternatives={(0, 7): "O"})  # ERIKSSON: I or O?
    assert not r.valid
    problem = r.problems[0]
    assert (problem.code, problem.line, problem.column, problem.field) == (
        "uncertain_character",
        1,
        8,
        "name",
    )


def test_ocr_doubt_about_padding_is_left_to_the_filler_rules():
    r = parse_mrz(s.TD3, today=TODAY, alternatives={(0, 40): "K"})
    assert r.valid


def test_an_ocr_alternative_that_cannot_stand_in_the_field_is_no_doubt():
    r = parse_mrz(s.TD3, today=TODAY, alternatives={(0, 4): "0", (0, 11): "0"})  # UTO, ERIKSSON
    assert r.valid


def td3_with_birth_date(day):
    from scanners.mrz.render import MRZFields, render

    fields = MRZFields(
        "P", "FRA", "DUPONT", "MARIE", "12AB34567", "FRA", day, date(2030, 1, 1), "F"
    )
    return render("TD3", fields)


def test_a_letter_in_a_date_is_repaired_even_when_the_check_digit_cannot_see_it():
    # G weighs 16, like 6 mod 10: the check digit passes before and after, yet a G is no digit.
    lines = td3_with_birth_date(date(1964, 1, 16))
    r = parse([lines[0], lines[1].replace("640116", "64011G")])
    assert r.valid
    assert r.birth_date == date(1964, 1, 16)
    assert [(x.line, x.column, x.found, x.repaired, x.field) for x in r.repairs] == [
        (2, 19, "G", "6", "birth_date")
    ]


def test_letters_in_a_date_are_repaired_even_when_the_letters_happen_to_pass():
    lines = td3_with_birth_date(date(1988, 9, 11))
    r = parse([lines[0], lines[1].replace("880911", "BB0911")])  # BB weighs like 88 here
    assert r.valid
    assert r.birth_date == date(1988, 9, 11)
    assert [(x.column, x.found, x.repaired) for x in r.repairs] == [(14, "B", "8"), (15, "B", "8")]


def test_a_letter_for_the_check_digit_that_weighs_alike_is_repaired():
    r = parse([s.TD3[0], replace(s.TD3[1], 44, "O")])  # composite check digit 0 read as O
    assert r.valid
    assert [(x.column, x.found, x.repaired, x.field) for x in r.repairs] == [
        (44, "O", "0", "composite")
    ]


def test_letters_in_a_date_that_two_readings_explain_are_ambiguous_not_valid():
    # T may be 1 or 7; 11 and 77 in the first two places weigh alike (7*6 + 3*6 = 60), and a
    # visa has no composite to tell them apart.
    from scanners.mrz.render import MRZFields, render

    fields = MRZFields(
        "V", "FRA", "DUPONT", "MARIE", "12AB34567", "FRA", date(2011, 1, 1), date(2030, 1, 1), "F"
    )
    lines = render("MRVB", fields)
    r = parse([lines[0], lines[1].replace("110101", "TT0101")])
    assert not r.valid
    assert r.repairs == ()
    problem = next(p for p in r.problems if p.code == "ambiguous_repair")
    assert problem.field == "birth_date"
    assert "2 readings" in problem.message


def test_the_composite_settles_letters_in_a_date_that_its_own_check_digit_cannot():
    # The composite weighs the birth date's places 3, 1, 7 … instead of 7, 3, 1 …: 77 fails it.
    lines = td3_with_birth_date(date(2011, 1, 1))
    r = parse([lines[0], lines[1].replace("110101", "TT0101")])
    assert r.valid
    assert r.birth_date == date(2011, 1, 1)
    assert [(x.column, x.found, x.repaired) for x in r.repairs] == [(14, "T", "1"), (15, "T", "1")]


@pytest.mark.parametrize("digit", ["0", "4"])  # printed 1: Z as 2, or 2 as Z, would satisfy them
def test_a_wrong_personal_number_check_digit_is_reported_not_explained_away(digit):
    r = parse([s.TD3[0], replace(s.TD3[1], 43, digit)])
    assert r.optional_data == "ZE184226B"
    assert r.repairs == ()
    assert [c.name for c in r.checks if not c.passed] == ["personal_number", "composite"]
    assert [p.code for p in r.problems] == ["repair_withdrawn"]
    assert "composite" in r.problems[0].message


@pytest.mark.parametrize("digit", ["0", "5", "8", "9"])
def test_a_wrong_document_number_check_digit_keeps_the_number_as_printed(digit):
    r = parse([s.TD3[0], replace(s.TD3[1], 10, digit)])  # printed 6
    assert r.document_number == "L898902C3"
    assert r.repairs == ()
    assert {c.name for c in r.checks if not c.passed} == {"document_number", "composite"}
    assert [p.code for p in r.problems] == ["repair_withdrawn"]


def test_an_o_for_zero_slip_that_cannot_be_settled_says_why():
    from scanners.mrz.render import MRZFields, render

    fields = MRZFields(
        "P", "NLD", "JANSEN", "PIET", "X00000017", "NLD", date(1980, 1, 1), date(2030, 1, 1), "M"
    )
    lines = render("TD3", fields)
    r = parse([lines[0], replace(lines[1], 2, "O")])  # XO0000017: O as 0, or another swap?
    assert not r.valid
    assert r.repairs == ()
    problem = next(p for p in r.problems if p.field == "document_number")
    assert problem.code == "ambiguous_repair"
    assert "O as 0" in problem.message


def test_the_printed_document_number_is_kept_beside_the_repaired_one():
    r = parse([s.TD3[0], replace(s.TD3[1], 6, "O")])  # L8989O2C3, settled as L898902C3
    assert (r.document_number, r.printed_document_number) == ("L898902C3", "L8989O2C3")
    assert r.to_dict()["printed_document_number"] == "L8989O2C3"


def test_the_printed_document_number_of_a_long_td1_number_includes_its_overflow():
    lines = [replace(s.TD1_LONG_NUMBER[0], 17, "Z"), *s.TD1_LONG_NUMBER[1:]]  # 123 read as 1Z3
    r = parse(lines)
    assert r.printed_document_number == "D231458901Z3"
    assert parse(s.TD1_LONG_NUMBER).printed_document_number == "D23145890123"


def test_a_check_digit_read_five_away_is_not_explained_away_by_a_swap_the_composite_misses():
    # 7 read as 2: 8 as B and 0 as O would satisfy a 2, and the composite cannot see a change
    # of 5 in a check digit, so the two explanations are equal and the number stays as printed.
    r = parse([s.TD1[0][:14] + "2" + s.TD1[0][15:], *s.TD1[1:]])
    assert r.document_number == r.printed_document_number == "D23145890"
    assert r.repairs == ()
    assert not r.valid
    problem = next(p for p in r.problems if p.field == "document_number")
    assert problem.code == "ambiguous_repair"
    assert "check digit 2 read as 7" in problem.message


def test_a_visa_number_slip_is_not_settled_since_no_composite_can_rule_out_its_check_digit():
    r = parse([s.MRVA[0], replace(s.MRVA[1], 7, "O")])  # L8988901C read as L89889O1C
    assert r.document_number == "L89889O1C"
    assert r.repairs == ()
    assert [p.code for p in r.problems] == ["ambiguous_repair"]
