"""Properties over the space of MRZs: render any valid field set, read it back, damage it."""

from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scanners.mrz.checkdigit import VALUES
from scanners.mrz.formats import FORMATS
from scanners.mrz.parse import parse_mrz
from scanners.mrz.render import MRZFields, render

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
    from scanners.mrz.repair import DIGIT_TO_LETTER, LETTER_TO_DIGIT

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
