"""The clean-MRZ fast path reads exactly what the general path reads, and declines the rest."""

from datetime import date

from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from scanners.mrz import parse
from scanners.mrz.checkdigit import VALUES, compute
from scanners.mrz.formats import CharClass, FieldSpec, Span
from scanners.mrz.render import MRZFields, render
from scanners.mrz.repair import (
    DIGIT_TO_LETTER,
    FILLER_LOOKALIKES,
    LETTER_TO_DIGIT,
    Grid,
    name_is_clean,
    repair_name,
)
from scanners.mrz.result import MRZResult, Problem

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Look-alikes of the filler get a token of their own, so that runs which repair_name would
# take for misread padding (such as KKK before the fillers) come up often.
TOKENS = st.one_of(
    st.text(alphabet=LETTERS, min_size=1, max_size=9),
    st.sampled_from(sorted(FILLER_LOOKALIKES - {"1"})).map(lambda c: c * 3),
)
NAMES = st.lists(TOKENS, max_size=3).map(" ".join)
STATES = ["UTO", "FRA", "DEU", "D", "GBR", "NGA", "XXA", "UNO", "ZZZ", "F"]
DAMAGE = LETTERS + "0123456789<" + "KCLX1OQDIZSGB" + "a «"
FORMATS = ["TD1", "TD2", "TD3", "MRVA", "MRVB"]


@st.composite
def documents(draw: st.DrawFn, letters: str = LETTERS) -> list[str]:
    """Render any field set in any format: long numbers, odd codes, any dates and states."""
    fmt = draw(st.sampled_from(FORMATS))
    codes = ["V", "VX"] if fmt.startswith("MRV") else ["P", "PO", "I", "ID", "AC", "C", "X"]

    def alnum(longest: int) -> st.SearchStrategy[str]:
        return st.text(alphabet=LETTERS + "0123456789", max_size=longest)

    fields = MRZFields(
        document_code=draw(st.sampled_from(codes)),
        issuing_state=draw(st.sampled_from(STATES)),
        surname=draw(NAMES if letters == LETTERS else st.text(alphabet=letters, min_size=1)),
        given_names=draw(NAMES if letters == LETTERS else st.text(alphabet=letters)),
        document_number=draw(alnum(12 if fmt == "TD1" else 9)),
        nationality=draw(st.sampled_from(STATES)),
        birth_date=draw(st.dates(min_value=date(1920, 1, 1), max_value=date(2060, 1, 1))),
        expiry_date=draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 1, 1))),
        sex=draw(st.sampled_from(["M", "F", "X", None])),
        optional_data=draw(alnum(16)),
        optional_data_2=draw(alnum(11)),
    )
    return render(fmt, fields)


def damaged(lines: list[str], data: st.DataObject) -> list[str]:
    """Change at most one character, anywhere, to its look-alike or to anything an OCR makes."""
    if data.draw(st.booleans()):
        return lines
    line = data.draw(st.integers(0, len(lines) - 1))
    col = data.draw(st.integers(0, len(lines[line]) - 1))
    old = lines[line][col]
    lookalike = LETTER_TO_DIGIT.get(old) or DIGIT_TO_LETTER.get(old)
    char = (
        lookalike if lookalike and data.draw(st.booleans()) else data.draw(st.sampled_from(DAMAGE))
    )
    return [*lines[:line], lines[line][:col] + char + lines[line][col + 1 :], *lines[line + 1 :]]


def both_paths(text: list[str], today: date, horizon: int) -> tuple[MRZResult | None, MRZResult]:
    """Read the same lines through the fast path (None when it declines) and the general one."""
    lines = parse.split_lines(text)
    problems: list[Problem] = []
    fmt = parse._shape(lines, problems)
    assume(fmt is not None and not problems)
    assert fmt is not None
    fast = parse._read_clean(fmt, list(lines), tuple(lines), today, horizon)
    general = parse._read_any(fmt, list(lines), tuple(lines), [], {}, today, horizon)
    return fast, general


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
horizons = st.integers(min_value=0, max_value=4000)


@settings(max_examples=600)
@given(documents(), st.data(), days, horizons)
def test_the_fast_path_reads_exactly_what_the_general_path_reads(lines, data, today, horizon):
    fast, general = both_paths(damaged(lines, data), today, horizon)
    event("fast path" if fast else "general path only")
    if fast is not None:
        assert fast == general


@settings(max_examples=300)
@given(documents(), st.data(), days)
def test_a_look_alike_where_no_check_digit_looks_is_read_alike_by_both_paths(lines, data, today):
    # State codes and names are repaired without a check digit, so only the fast path's own
    # character classes keep such a misread off it.
    fmt = parse.detect(len(lines), len(lines[0]), lines[0][0])
    assert fmt is not None
    spans = [
        spec.span for spec in fmt.fields if spec.name in ("issuing_state", "nationality", "name")
    ]
    places = [
        (span.line, col, LETTER_TO_DIGIT.get(char) or DIGIT_TO_LETTER[char])
        for span in spans
        for col, char in enumerate(lines[span.line][span.start : span.end], start=span.start)
        if char in LETTER_TO_DIGIT or char in DIGIT_TO_LETTER
    ]
    assume(places)
    line, col, char = data.draw(st.sampled_from(places))
    lines = [*lines[:line], lines[line][:col] + char + lines[line][col + 1 :], *lines[line + 1 :]]
    fast, general = both_paths(lines, today, 90)
    if fast is not None:
        assert fast == general


@settings(max_examples=200)
@given(documents(letters="ABDEFGHIJMNOPQRSTUVWYZ"), days, horizons)
def test_a_clean_document_with_every_check_passing_takes_the_fast_path(lines, today, horizon):
    # Names without K, C, L or X cannot look like misread padding, so nothing needs repair.
    fast, general = both_paths(lines, today, horizon)
    assert fast is not None
    assert fast == general == parse.parse_mrz(lines, today=today, expiry_horizon_days=horizon)


@given(documents(letters="ABDEFGHIJMNOPQRSTUVWYZ"), st.data())
def test_the_fast_path_declines_a_check_digit_that_does_not_match(lines, data):
    check = data.draw(st.sampled_from(parse.detect(len(lines), len(lines[0]), lines[0][0]).checks))
    line, col = check.digit.line, check.digit.start
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != lines[line][col]]))
    assume(lines[line][col] != "<")
    lines = [*lines[:line], lines[line][:col] + wrong + lines[line][col + 1 :], *lines[line + 1 :]]
    fast, general = both_paths(lines, date(2026, 11, 23), 90)
    assert fast is None
    assert not general.valid


@given(st.lists(st.one_of(TOKENS, st.sampled_from(["<", "<<", "<<<", "1"]))).map("".join))
def test_a_name_called_clean_is_left_alone_by_name_repair(name):
    assume(name_is_clean(name))
    grid = Grid([name], [], [])
    repair_name(grid, FieldSpec("name", Span(0, 0, len(name)), CharClass.ALPHA))
    assert (grid.rows, grid.repairs, grid.problems) == ([name], [], [])


@given(st.text(max_size=200))
def test_the_check_digit_is_the_7_3_1_weighted_sum_of_any_text(text):
    weighted = sum(VALUES.get(char, 0) * (7, 3, 1)[i % 3] for i, char in enumerate(text))
    assert compute(text) == str(weighted % 10)
