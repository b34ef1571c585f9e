"""Properties over the space of MRZs: render any valid field set, read it back, damage it."""

from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scanners.mrz import parse
from scanners.mrz.checkdigit import VALUES
from scanners.mrz.formats import FORMATS, CharClass
from scanners.mrz.parse import parse_mrz
from scanners.mrz.render import MRZFields, render
from scanners.mrz.repair import (
    DIGIT_LOOKALIKES,
    DIGIT_TO_LETTER,
    FILLER_LOOKALIKES,
    LETTER_TO_DIGIT,
)

TODAY = date(2026, 11, 23)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = LETTERS + "0123456789"
STATES = ["UTO", "FRA", "DEU", "D", "GBR", "NGA", "IRN", "XXA", "UNO", "EUE", "COL", "JPN"]

name_token = st.text(alphabet=LETTERS, min_size=2, max_size=8)
# A one-letter token would be a middle initial; keep tokens of two letters or more so that the
# name always fits and round-trips exactly.
names = st.lists(name_token, min_size=1, max_size=3).map(" ".join)


@st.composite
def documents(draw):
    fmt = draw(st.sampled_from(["TD1", "TD2", "TD3", "MRVA", "MRVB"]))
    code = {"TD3": "P", "MRVA": "V", "MRVB": "V"}.get(fmt) or draw(
        st.sampled_from(["I", "ID", "AC", "C"])
    )
    if fmt == "TD3":
        code = draw(st.sampled_from(["P", "PO", "PD"]))
    width = {"TD1": 30, "TD2": 31, "TD3": 39, "MRVA": 39, "MRVB": 31}[fmt]
    surname, given_names = draw(names), draw(names)
    assume(len(surname) + 2 + len(given_names) <= width)
    # The one documented ambiguity (repair.repair_name): a name that fills its field exactly and
    # ends in three or more of one filler look-alike reads as misread padding.
    tail = given_names[-1]
    assume(
        len(surname) + 2 + len(given_names) < width
        or tail not in FILLER_LOOKALIKES
        or not given_names.endswith(tail * 3)
    )
    max_number = 12 if fmt == "TD1" else 9
    number = draw(st.text(alphabet=ALNUM, min_size=5, max_size=max_number))
    birth = draw(st.dates(min_value=TODAY - timedelta(days=36000), max_value=TODAY))
    expiry = draw(
        st.dates(min_value=TODAY - timedelta(days=3000), max_value=TODAY + timedelta(days=3650))
    )
    optional_width = {
        "TD1": 15 - max(0, len(number) - 7),
        "TD2": 7,
        "TD3": 14,
        "MRVA": 16,
        "MRVB": 8,
    }[fmt]
    optional = draw(st.text(alphabet=ALNUM, max_size=max(0, optional_width - 1)))
    fields = MRZFields(
        document_code=code,
        issuing_state=draw(st.sampled_from(STATES)),
        surname=surname,
        given_names=given_names,
        document_number=number,
        nationality=draw(st.sampled_from(STATES)),
        birth_date=birth,
        expiry_date=expiry,
        sex=draw(st.sampled_from(["M", "F", None])),
        optional_data=optional,
    )
    return fmt, fields


def values(result):
    d = result.to_dict()
    return {k: d[k] for k in (
        "format", "document_type", "issuing_state", "surname", "given_names", "document_number",
        "nationality", "birth_date", "expiry_date", "sex", "optional_data",
    )}  # fmt: skip


@settings(max_examples=300)
@given(documents())
def test_any_valid_field_set_reads_back_to_the_same_values(doc):
    fmt, fields = doc
    result = parse_mrz(render(fmt, fields), today=TODAY)
    assert result.valid, result.problems
    assert result.format == fmt
    assert result.surname == fields.surname
    assert result.given_names == fields.given_names
    assert result.document_number == fields.document_number
    assert result.birth_date == fields.birth_date
    assert result.expiry_date == fields.expiry_date
    assert result.sex == fields.sex
    assert result.issuing_state == fields.issuing_state
    assert result.nationality == fields.nationality
    assert result.repairs == ()


def protected_positions(fmt_name, lines):
    """Positions the Doc 9303 check digits cover (not names, sex, some state codes)."""
    fmt = next(f for f in FORMATS if f.name == fmt_name and f.line_length == len(lines[0]))
    spots = set()
    for check in fmt.checks:
        spots.add((check.digit.line, check.digit.start))
        for span in check.covers:
            spots.update((span.line, c) for c in range(span.start, span.end))
    if fmt_name == "TD1":
        spots.update((0, c) for c in range(15, 30))  # the optional data, under the composite
    return sorted(spots)


@settings(max_examples=400)
@given(documents(), st.data())
def test_a_change_the_check_digits_can_see_never_reads_as_valid_with_another_value(doc, data):
    fmt, fields = doc
    lines = render(fmt, fields)
    line, col = data.draw(st.sampled_from(protected_positions(fmt, lines)))
    old = lines[line][col]
    new = data.draw(st.sampled_from(ALNUM + "<"))
    # Doc 9303 check digits weigh characters mod 10: 0, <, A, K and U weigh the same, so a change
    # between equals is invisible to any check digit; only changes they can see are asserted on.
    assume(VALUES[new] % 10 != VALUES[old] % 10)
    damaged = list(lines)
    damaged[line] = lines[line][:col] + new + lines[line][col + 1 :]
    original = parse_mrz(lines, today=TODAY)
    result = parse_mrz(damaged, today=TODAY)
    assert not result.valid or values(result) == values(original)


@settings(max_examples=300)
@given(documents(), st.data())
def test_a_look_alike_misread_is_repaired_back_or_reported_invalid(doc, data):
    fmt, fields = doc
    lines = render(fmt, fields)
    spots = [
        (ln, c) for ln, c in protected_positions(fmt, lines)
        if lines[ln][c] in LETTER_TO_DIGIT or lines[ln][c] in DIGIT_TO_LETTER
    ]  # fmt: skip
    assume(spots)
    line, col = data.draw(st.sampled_from(spots))
    old = lines[line][col]
    new = DIGIT_TO_LETTER.get(old) or next(k for k, v in LETTER_TO_DIGIT.items() if k == old and v)
    if old in LETTER_TO_DIGIT:
        new = LETTER_TO_DIGIT[old]
    # G/6 and L/1 weigh the same mod 10: no check digit can see that misread (see the README).
    assume(VALUES[new] % 10 != VALUES[old] % 10)
    damaged = list(lines)
    damaged[line] = lines[line][:col] + new + lines[line][col + 1 :]
    result = parse_mrz(damaged, today=TODAY)
    if result.valid:
        assert values(result) == values(parse_mrz(lines, today=TODAY))


@given(st.lists(st.text(max_size=50), max_size=4))
def test_no_input_makes_the_parser_raise(lines):
    result = parse_mrz(lines, today=TODAY)
    assert isinstance(result.valid, bool)


@given(st.text(max_size=200))
def test_no_text_makes_the_parser_raise(text):
    assert isinstance(parse_mrz(text, today=TODAY).to_dict(), dict)


def digit_positions(fmt_name, lines):
    """Positions where only a digit may stand: dates and every check digit, a long number's too."""
    fmt = next(f for f in FORMATS if f.name == fmt_name and f.line_length == len(lines[0]))
    spots = {
        (spec.span.line, col)
        for spec in fmt.fields
        if spec.char_class is CharClass.DIGIT
        for col in range(spec.span.start, spec.span.end)
    }
    spots.update((check.digit.line, check.digit.start) for check in fmt.checks)
    long_number = parse._long_number(fmt, lines)
    if long_number is not None:
        spots.add((long_number.digit.line, long_number.digit.start))
    return sorted((ln, c) for ln, c in spots if lines[ln][c].isdigit())


def letters_for(digit):
    """Letters an OCR may read for `digit`, by the repair's own look-alike table."""
    return sorted(letter for letter, digits in DIGIT_LOOKALIKES.items() if digit in digits)


def with_char(lines, line, col, char):
    return [*lines[:line], lines[line][:col] + char + lines[line][col + 1 :], *lines[line + 1 :]]


@settings(max_examples=400)
@given(documents(), st.data())
def test_one_look_alike_letter_among_digits_is_always_repaired_back_and_reported(doc, data):
    fmt, fields = doc
    lines = render(fmt, fields)
    spots = [(ln, c) for ln, c in digit_positions(fmt, lines) if letters_for(lines[ln][c])]
    line, col = data.draw(st.sampled_from(spots))
    letter = data.draw(st.sampled_from(letters_for(lines[line][col])))
    result = parse_mrz(with_char(lines, line, col, letter), today=TODAY)
    original = parse_mrz(lines, today=TODAY)
    # One letter has one look-alike digit that passes: digits differ mod 10.
    assert result.valid, result.problems
    assert values(result) == values(original)
    # Besides what the original needed too (fillers misread in a name's padding).
    assert [
        (r.line, r.column, r.found, r.repaired) for r in result.repairs if r not in original.repairs
    ] == [(line + 1, col + 1, letter, lines[line][col])]


@settings(max_examples=400)
@given(documents(), st.data())
def test_look_alike_letters_among_digits_are_repaired_back_or_the_reading_is_not_valid(doc, data):
    fmt, fields = doc
    lines = render(fmt, fields)
    spots = [(ln, c) for ln, c in digit_positions(fmt, lines) if letters_for(lines[ln][c])]
    chosen = data.draw(st.lists(st.sampled_from(spots), min_size=2, max_size=4, unique=True))
    damaged = lines
    for line, col in chosen:
        letter = data.draw(st.sampled_from(letters_for(lines[line][col])))
        damaged = with_char(damaged, line, col, letter)
    result = parse_mrz(damaged, today=TODAY)
    if result.valid:
        original = parse_mrz(lines, today=TODAY)
        assert values(result) == values(original)
        repaired = {(r.line - 1, r.column - 1) for r in result.repairs if r not in original.repairs}
        assert repaired == set(chosen)
    else:
        assert result.problems or not all(c.passed for c in result.checks)


@settings(max_examples=400)
@given(documents(), st.data())
def test_a_repair_never_changes_data_while_a_check_still_fails(doc, data):
    # Damage anything a check digit covers, a check digit included (a wrong printed digit).
    fmt, fields = doc
    lines = render(fmt, fields)
    damaged = lines
    for line, col in data.draw(
        st.lists(st.sampled_from(protected_positions(fmt, lines)), min_size=1, max_size=2)
    ):
        damaged = with_char(damaged, line, col, data.draw(st.sampled_from(ALNUM)))
    result = parse_mrz(damaged, today=TODAY)
    original = parse_mrz(lines, today=TODAY)
    if not all(c.passed for c in result.checks):
        # Only a letter where a digit must stand may have changed (a misread whatever else fails).
        for r in result.repairs:
            if r not in original.repairs:  # such as fillers misread in a name's padding
                assert r.found.isalpha() and r.repaired.isdigit(), r
                assert (r.line - 1, r.column - 1) in digit_positions(fmt, lines)
    assert result.printed_document_number == _field_text(fmt, damaged)


@settings(max_examples=300)
@given(documents(), st.data())
def test_the_printed_document_number_is_the_number_as_read_before_any_repair(doc, data):
    fmt, fields = doc
    lines = render(fmt, fields)
    line, col = data.draw(st.sampled_from(protected_positions(fmt, lines)))
    old = lines[line][col]
    new = LETTER_TO_DIGIT.get(old) or DIGIT_TO_LETTER.get(old) or old
    result = parse_mrz(with_char(lines, line, col, new), today=TODAY)
    touched = any(r.field == "document_number" for r in result.repairs)
    if not touched:
        assert result.printed_document_number == result.document_number
    number = _field_text(fmt, with_char(lines, line, col, new))
    assert result.printed_document_number == number


def _field_text(fmt_name, lines):
    """The document number as a person reads it off the lines, TD1/TD2 overflow included."""
    fmt = next(f for f in FORMATS if f.name == fmt_name and f.line_length == len(lines[0]))
    span = fmt.field("document_number").span
    head = lines[span.line][span.start : span.end]
    long_number = parse._long_number(fmt, lines)
    if long_number is not None:
        overflow = long_number.covers[1]
        head += lines[overflow.line][overflow.start : overflow.end]
    return head.replace("<", "") or None


@settings(max_examples=400)
@given(documents(), st.data())
def test_a_wrong_check_digit_is_reported_and_never_explained_away_by_changing_data(doc, data):
    fmt, fields = doc
    lines = render(fmt, fields)
    form = next(f for f in FORMATS if f.name == fmt and f.line_length == len(lines[0]))
    long_number = parse._long_number(form, lines)
    digits = [
        (long_number or check).digit if check.name == "document_number" else check.digit
        for check in form.checks
    ]
    digit = data.draw(st.sampled_from(digits))
    printed = lines[digit.line][digit.start]
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != printed]))
    result = parse_mrz(with_char(lines, digit.line, digit.start, wrong), today=TODAY)
    original = parse_mrz(lines, today=TODAY)
    assert not result.valid
    assert result.repairs == original.repairs  # none of the data the checks cover
    assert values(result) == values(original)
