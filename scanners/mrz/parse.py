"""Read MRZ lines into a checked, typed MRZResult. Never raises on bad input.

ICAO Doc 9303 Part 3 (common rules), Parts 4-7 (TD3 passports, MRV visas, TD2, TD1).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from scanners.mrz import fields as f
from scanners.mrz import repair
from scanners.mrz.checkdigit import compute
from scanners.mrz.formats import FORMATS, CharClass, CheckSpec, FieldSpec, Format, Span, detect
from scanners.mrz.result import Check, MRZResult, Problem, Repair
from scanners.mrz.wording import count as _count
from scanners.mrz.wording import label as _label

ALLOWED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
_BAD = re.compile(r"[^A-Z0-9<]")
# Characters that may stand in a field of each class; an OCR alternative outside them is noise.
_LEGAL = {
    CharClass.ALPHA: frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    CharClass.SEX: frozenset("MFX"),
    CharClass.DIGIT: frozenset("0123456789"),
    CharClass.ALNUM: frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
}
_DOCUMENT_CODES = {"TD1": "ACI", "TD2": "ACIP", "TD3": "P", "MRVA": "V", "MRVB": "V"}


def split_lines(text: str | Sequence[str]) -> list[str]:
    """Return the non-empty lines of the input, stripped of surrounding white space."""
    raw = text.splitlines() if isinstance(text, str) else list(text)
    return [line.strip().upper() for line in raw if line.strip()]


def parse_mrz(
    text: str | Sequence[str],
    *,
    today: date | None = None,
    expiry_horizon_days: int = 90,
    alternatives: Mapping[tuple[int, int], str] | None = None,
) -> MRZResult:
    """Parse, check and repair one MRZ given as text or as lines.

    `alternatives` maps 0-based (line, column) to characters an OCR also saw there, likeliest
    first; check-digit repair may choose among them, and such a choice counts as evidence.
    """
    today = today or date.today()
    lines = split_lines(text)
    raw = tuple(lines)
    problems: list[Problem] = []
    fmt = _shape(lines, problems)
    if fmt is None:
        return MRZResult(format=None, lines=raw, raw_lines=raw, problems=tuple(problems))
    if not problems and not alternatives:
        clean = _read_clean(fmt, lines, raw, today, expiry_horizon_days)
        if clean is not None:
            return clean
    return _read_any(fmt, lines, raw, problems, alternatives or {}, today, expiry_horizon_days)


def _read_clean(
    fmt: Format, lines: list[str], raw: tuple[str, ...], today: date, horizon: int
) -> MRZResult | None:
    """Read the common case without repair search, or return None to leave it to `_read_any`.

    The common case: every character legal where it stands, a name that needs no repair, every
    check passing. `_read_any` gives the same result for it (tests/scanners/test_mrz_fast_path.py).
    """
    if not _CLEAN_LINES[fmt.name].fullmatch("\n".join(lines)):
        return None
    name = _field(fmt, "name").span
    if not repair.name_is_clean(lines[name.line][name.start : name.end]):
        return None
    long_number = _long_number(fmt, lines)
    checks = []
    for spec in _check_specs(fmt, long_number):
        check = _check(lines, spec)
        if not check.passed:
            return None
        checks.append(check)
    return _fields(fmt, lines, raw, checks, long_number, [], [], today, horizon)


def _read_any(
    fmt: Format,
    lines: list[str],
    raw: tuple[str, ...],
    problems: list[Problem],
    alternatives: Mapping[tuple[int, int], str],
    today: date,
    horizon: int,
) -> MRZResult:
    """Read any lines of a known format: clean bad characters, repair, check, report."""
    rows = [line.ljust(fmt.line_length, "<")[: fmt.line_length] for line in lines]
    for ln, row in enumerate(rows):
        if _BAD.search(row):
            cleaned = []
            for col, ch in enumerate(row):
                if ch not in ALLOWED:
                    problems.append(
                        Problem("bad_character", f"{ch!r} is not an MRZ character", ln + 1, col + 1)
                    )
                    ch = "<"
                cleaned.append(ch)
            rows[ln] = "".join(cleaned)
    printed = _document_number(fmt, rows, _long_number(fmt, rows)).replace("<", "")
    grid = repair.Grid(rows, [], problems, alternatives)
    return _read(fmt, grid, raw, printed, today, horizon)


def _shape(lines: list[str], problems: list[Problem]) -> Format | None:
    """Pick the format; a near miss in length is padded or cut and reported, never silently."""
    if not lines:
        problems.append(Problem("empty", "no MRZ lines were given"))
        return None
    exact = detect(len(lines), len(lines[0]), lines[0][:1])
    if exact and all(len(line) == exact.line_length for line in lines):
        return exact
    candidates = [fmt for fmt in FORMATS if fmt.line_count == len(lines)]
    if not candidates:
        problems.append(
            Problem(
                "line_count",
                f"{_count(len(lines), 'line')}: an MRZ has 2 (TD2, TD3, visas) or 3 (TD1)",
            )
        )
        return None
    longest = max(len(line) for line in lines)
    best = min(candidates, key=lambda fmt: abs(fmt.line_length - longest))
    fmt = detect(best.line_count, best.line_length, lines[0][:1]) or best
    for i, line in enumerate(lines, start=1):
        if len(line) != fmt.line_length:
            problems.append(
                Problem(
                    "line_length",
                    f"line {i} has {_count(len(line), 'character')}; "
                    f"{fmt.name} lines have {fmt.line_length}",
                    line=i,
                )
            )
    return fmt


def _build_class_map(fmt: Format) -> dict[tuple[int, int], CharClass]:
    classes: dict[tuple[int, int], CharClass] = {}
    for spec in fmt.fields:
        for col in range(spec.span.start, spec.span.end):
            classes[(spec.span.line, col)] = spec.char_class
    for check in fmt.checks:
        classes[(check.digit.line, check.digit.start)] = CharClass.DIGIT
    return classes


_PATTERNS = {
    CharClass.ALPHA: "[A-Z<]",
    CharClass.SEX: "[MFX<]",
    # Dates may be unknown (all fillers) and an empty personal number may have a filler digit.
    CharClass.DIGIT: "[0-9<]",
    CharClass.ALNUM: "[A-Z0-9<]",
}


def _build_clean_lines(fmt: Format) -> re.Pattern[str]:
    """Match the newline-joined lines of `fmt` when every character is legal where it stands."""
    classes = _CLASS_MAPS[fmt.name]
    lines = []
    for line in range(fmt.line_count):
        cells = [classes.get((line, col), CharClass.ALNUM) for col in range(fmt.line_length)]
        runs = itertools.groupby(cells)
        lines.append("".join(f"{_PATTERNS[cls]}{{{len(list(run))}}}" for cls, run in runs))
    return re.compile("\n".join(lines))


_BY_NAME = {fmt.name: fmt for fmt in FORMATS}
_CLASS_MAPS = {fmt.name: _build_class_map(fmt) for fmt in FORMATS}
_FIELDS = {fmt.name: {spec.name: spec for spec in fmt.fields} for fmt in FORMATS}
_CLEAN_LINES = {fmt.name: _build_clean_lines(fmt) for fmt in FORMATS}
# name, line and slice of every field, so that reading them all is one dict comprehension.
_SLICES = {
    fmt.name: tuple((s.name, s.span.line, slice(s.span.start, s.span.end)) for s in fmt.fields)
    for fmt in FORMATS
}


def _field(fmt: Format, name: str) -> FieldSpec:
    return _FIELDS[fmt.name][name]


def _long_number(fmt: Format, rows: list[str]) -> CheckSpec | None:
    """Doc 9303 Part 5 §4.2.2: a number over 9 characters overflows into the optional data."""
    if fmt.name not in ("TD1", "TD2"):
        return None
    number = _field(fmt, "document_number").span
    optional = _field(fmt, "optional_data").span
    if rows[number.line][number.end] != "<":
        return None
    overflow = rows[optional.line][optional.start : optional.end]
    end = overflow.find("<")
    if overflow[:1] == "<" or end == 0:
        return None
    end = len(overflow) if end < 0 else end
    digit_col = optional.start + end - 1
    return CheckSpec(
        "document_number",
        Span(optional.line, digit_col, digit_col + 1),
        (number, Span(optional.line, optional.start, digit_col)),
    )


class _Step(NamedTuple):
    """One check in the order of repair, what earlier field checks settled, where digits stand."""

    spec: CheckSpec
    frozen: frozenset[tuple[int, int]]
    digit_cells: tuple[tuple[int, int], ...]  # only a digit may stand here, and nothing settled it


@lru_cache(maxsize=64)
def _classes(name: str, long_number: CheckSpec | None) -> dict[tuple[int, int], CharClass]:
    """Return the class of each position; a long number's check digit is a digit too."""
    classes = _CLASS_MAPS[name]
    if long_number is None:
        return classes
    # It stands in the optional data, where letters are otherwise legal.
    return classes | {(long_number.digit.line, long_number.digit.start): CharClass.DIGIT}


@lru_cache(maxsize=64)
def _steps(name: str, long_number: CheckSpec | None) -> tuple[_Step, ...]:
    # The same for every MRZ of a format (and long-number shape), so built once.
    fmt = _BY_NAME[name]
    classes = _classes(name, long_number)
    steps, settled = [], frozenset[tuple[int, int]]()
    for spec in _check_specs(fmt, long_number):
        cells = tuple(
            p for p in spec.positions() if p not in settled and classes.get(p) is CharClass.DIGIT
        )
        steps.append(_Step(spec, settled, cells))
        if spec.name != "composite":
            settled = settled | frozenset(spec.positions())
    return tuple(steps)


def _read(
    fmt: Format, grid: repair.Grid, raw: tuple[str, ...], printed: str, today: date, horizon: int
) -> MRZResult:
    long_number = _long_number(fmt, grid.rows)
    classes = _classes(fmt.name, long_number)

    def class_at(line: int, col: int) -> CharClass:
        return classes.get((line, col), CharClass.ALNUM)

    for name in ("issuing_state", "nationality"):
        repair.repair_state(grid, _field(fmt, name), f.is_known_state)
    repair.repair_name(grid, _field(fmt, "name"))

    steps = _steps(fmt.name, long_number)
    checks_specs = tuple(step.spec for step in steps)
    fixes: list[repair.Fix] = []
    checks: list[Check] = []
    for step in steps:
        spec = step.spec
        check = _check(grid.rows, spec)
        if not check.passed or repair.misread_digits(grid, step.digit_cells):
            # Positions already settled by an earlier field check stay as they are, so a later
            # repair never changes what an earlier check read. The composite confirms the field
            # checks: guessing at the data only it covers would let it explain its own failure
            # away.
            fix = repair.repair_check(
                grid, spec, class_at, step.frozen, guess=spec.name != "composite"
            )
            if fix is not None:
                fixes.append(fix)
                check = _check(grid.rows, spec)
        checks.append(check)
    if grid.doubts:
        fixes += repair.settle_doubts(
            grid, checks_specs, lambda spec: _check(grid.rows, spec).passed
        )
        checks = [_check(grid.rows, spec) for spec in checks_specs]
    if any(fix.problem is not None for fix in fixes) or (
        fixes and not all(check.passed for check in checks)
    ):
        repair.withdraw_unconfirmed(
            grid, fixes, checks_specs, lambda spec: _check(grid.rows, spec).passed
        )
        checks = [_check(grid.rows, spec) for spec in checks_specs]

    if grid.alternatives:
        _doubt_unchecked(fmt, grid, checks_specs)
    return _fields(
        fmt,
        grid.rows,
        raw,
        checks,
        long_number,
        grid.repairs,
        grid.problems,
        today,
        horizon,
        printed,
    )


def _document_number(fmt: Format, rows: list[str], long_number: CheckSpec | None) -> str:
    """Return the document number with fillers, its TD1/TD2 overflow included."""
    number = _field(fmt, "document_number").span
    head = rows[number.line][number.start : number.end]
    if long_number is None:
        return head
    overflow = long_number.covers[1]
    return head + rows[overflow.line][overflow.start : overflow.end]


def _check_specs(fmt: Format, long_number: CheckSpec | None) -> tuple[CheckSpec, ...]:
    """Return the checks of `fmt` in order, the long-number check standing in for the usual one."""
    if long_number is None:
        return fmt.checks
    return tuple(long_number if spec.name == "document_number" else spec for spec in fmt.checks)


def _doubt_unchecked(fmt: Format, grid: repair.Grid, specs: Sequence[CheckSpec]) -> None:
    """Report OCR doubt where no check digit can settle it (names, sex, some state codes)."""
    covered = {pos for spec in specs for pos in spec.positions()}
    for (line, col), seen in sorted(grid.alternatives.items()):
        if (line, col) in covered or line >= len(grid.rows) or col >= len(grid.rows[line]):
            continue
        char = grid.rows[line][col]
        spec = _field_at(fmt, line, col)
        field = spec.name if spec else None
        legal = _LEGAL[spec.char_class if spec else CharClass.ALNUM]
        if char != "<" and any(alt != char and alt in legal for alt in seen):
            grid.problems.append(
                Problem(
                    "uncertain_character",
                    f"{_label(field) if field else f'line {line + 1}'}: read {char!r} but the OCR "
                    f"also saw {seen!r}, and no check "
                    "digit covers this field: verify against the printed page",
                    line + 1,
                    col + 1,
                    field,
                )
            )


def _field_at(fmt: Format, line: int, col: int) -> FieldSpec | None:
    for spec in fmt.fields:
        if spec.span.line == line and spec.span.start <= col < spec.span.end:
            return spec
    return None


def _check(rows: list[str], spec: CheckSpec) -> Check:
    covers = spec.covers
    if len(covers) == 1:  # all but the composite: a slice, no join
        span = covers[0]
        text = rows[span.line][span.start : span.end]
    else:
        text = "".join([rows[s.line][s.start : s.end] for s in covers])
    digit = spec.digit
    found = rows[digit.line][digit.start]
    expected = compute(text)
    # Doc 9303 Part 4 §4.2.2: an empty personal number may carry a filler as its check digit.
    passed = found == expected or (found == "<" and expected == "0" and not text.strip("<"))
    return Check(spec.name, passed, expected, found, digit.line + 1, digit.start + 1)


def _fields(
    fmt: Format,
    rows: list[str],
    raw: tuple[str, ...],
    checks: list[Check],
    long_number: CheckSpec | None,
    repairs: list[Repair],
    problems: list[Problem],
    today: date,
    horizon: int,
    printed: str | None = None,
) -> MRZResult:
    """Build the result; `printed` is the document number before repairs (None: as repaired)."""
    text = {name: rows[line][cut] for name, line, cut in _SLICES[fmt.name]}

    code = text["document_code"]
    if code[:1] not in _DOCUMENT_CODES[fmt.name]:
        message = f"document code {code[:1]!r} does not belong on a {fmt.name} document"
        problems.append(_problem(fmt, "document_code", "document_code", message))
    issuing = text["issuing_state"].strip("<")
    nationality = text["nationality"].strip("<")
    for name, state in (("issuing_state", issuing), ("nationality", nationality)):
        if not f.is_known_state(state):
            message = (
                f"{_label(name)}: {text[name]!r} is not an ISO 3166-1 alpha-3 or Doc 9303 code"
            )
            problems.append(_problem(fmt, name, "unknown_state", message))

    if long_number is not None:
        number = _document_number(fmt, rows, long_number)
        digit = long_number.digit
        optional = rows[digit.line][digit.end : _field(fmt, "optional_data").span.end]
    else:
        number = text["document_number"]
        optional = text["optional_data"]
    document_number = number.replace("<", "") or None

    birth = f.parse_date(text["birth_date"], f.DateKind.BIRTH, today)
    expiry = f.parse_date(text["expiry_date"], f.DateKind.EXPIRY, today)
    for name, value in (("birth_date", birth), ("expiry_date", expiry)):
        if value is None and text[name] != "<<<<<<":
            message = f"{_label(name)}: {text[name]!r} is not a date (YYMMDD)"
            problems.append(_problem(fmt, name, "bad_date", message))

    sex_char = text["sex"]
    if sex_char not in ("M", "F", "X", "<"):
        message = f"sex: {sex_char!r} is not M, F, X or <"
        problems.append(_problem(fmt, "sex", "bad_sex", message))

    names = f.parse_names(text["name"])
    if not names.surname:
        problems.append(_problem(fmt, "name", "no_name", "name: no primary identifier"))

    return MRZResult(
        format=fmt.name,
        lines=tuple(rows),
        raw_lines=raw,
        document_type=code.strip("<") or None,
        issuing_state=issuing or None,
        surname=names.surname,
        given_names=names.given_names,
        names_truncated=names.truncated,
        document_number=document_number,
        printed_document_number=document_number if printed is None else printed or None,
        nationality=nationality or None,
        birth_date=birth,
        expiry_date=expiry,
        sex=f.parse_sex(sex_char),
        optional_data=optional.strip("<").replace("<", " ") or None,
        optional_data_2=text.get("optional_data_2", "").strip("<").replace("<", " ") or None,
        checks=tuple(checks),
        repairs=tuple(repairs),
        problems=tuple(problems),
        specimen=_is_specimen(issuing, nationality, names),
        expired=expiry is not None and expiry < today,
        expires_soon=expiry is not None and today <= expiry <= _horizon_end(today, horizon),
    )


@lru_cache(maxsize=4)
def _horizon_end(today: date, horizon: int) -> date:
    # The same for every document read on one day.
    return today + timedelta(days=horizon)


def _problem(fmt: Format, field: str, code: str, message: str) -> Problem:
    """Return a problem located at the first character of `field`."""
    span = _field(fmt, field).span
    return Problem(code, message, span.line + 1, span.start + 1, field)


def _is_specimen(issuing: str, nationality: str, names: f.Names) -> bool:
    """Flag Doc 9303's Utopia and documents whose holder is named SPECIMEN."""
    # The substring test spares splitting the names of almost every holder.
    return f.SPECIMEN_CODE in (issuing, nationality) or any(
        "SPECIMEN" in part and "SPECIMEN" in part.split()
        for part in (names.surname, names.given_names)
    )
