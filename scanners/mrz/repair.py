"""OCR repair driven by per-position character classes and check digits; every change is recorded.

Rules (each repair is reported as a Repair; in doubt nothing is changed and a problem says why):
- a letter where only a digit may stand (dates, check digits) is always a misread, even when the
  check digit passes with it (G weighs like 6, L like 1): it becomes one of its look-alike digits,
  and the check digit chooses; digits differ mod 10, so one letter can only become the original;
  when several choices pass, the composite settles it if exactly one passes every check, and
  otherwise nothing is changed and the reading is ambiguous;
- in fields where letters and digits are both legal (document number, optional data), look-alike
  swaps are tried and kept when exactly one combination satisfies the check digit and the other
  checks rule out that the check digit itself was misread; because a check digit cannot tell 0
  from A, K or U, such a repair also leaves a problem asking for a visual check;
- a repair that changes a legal character is withdrawn when any check still fails (the composite
  included): the characters as read stand, and the failing check is reported;
- the composite check is a confirmation: it chooses among the OCR's own second choices, never
  among look-alike guesses of data it alone covers;
- in names, fillers misread as K, C, L, X or 1 in the padding are restored, and digits become
  their look-alike letters;
- in state codes, a digit becomes its look-alike letter only when that makes a known code.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from scanners.mrz.checkdigit import compute, verify
from scanners.mrz.formats import CharClass, CheckSpec, FieldSpec, Span
from scanners.mrz.result import Problem, Repair
from scanners.mrz.wording import label

LETTER_TO_DIGIT: dict[str, str] = {
    "O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "G": "6", "B": "8",
}  # fmt: skip
DIGIT_TO_LETTER: dict[str, str] = {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B"}
#: What a letter read where only a digit may stand was, likeliest first: the look-alikes above,
#: plus OCR-B's torn 0 (U), T for 1 or 7, and A for 4.
DIGIT_LOOKALIKES: dict[str, str] = {**LETTER_TO_DIGIT, "U": "0", "T": "17", "A": "4"}
FILLER_LOOKALIKES = frozenset("KCLX1")
_DIGIT = re.compile(r"[0-9]")
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# A name field `repair_name` leaves as it is: letter tokens joined by single fillers, at most one
# `<<` (before the given names), then filler padding, and no run of three look-alikes of the
# filler just before the padding (which reads as a misread padding).
_CLEAN_NAME = re.compile(
    r"[A-Z]+(?:<[A-Z]+)*(?:<<[A-Z]+(?:<[A-Z]+)*)?"
    + "".join(f"(?<!{char * 3})" for char in sorted(FILLER_LOOKALIKES))
    + "<*"
)
#: Look-alike swaps tried at most in one field beyond the forced ones (a letter among digits).
MAX_EXTRA_CHANGES = 2
#: Swaps the OCR itself offered (second choices) tried at most in one field.
MAX_OFFERED_CHANGES = 4
#: What a look-alike guess costs against a swap the OCR offered (which costs 1).
GUESS_COST = MAX_OFFERED_CHANGES + 1


class Doubt(NamedTuple):
    """Readings of letters among digits that all satisfy one check digit, and the problem said."""

    check: CheckSpec
    readings: tuple[tuple[tuple[tuple[int, int], str], ...], ...]  # ((position, digit), ...)
    problem: Problem


@dataclass(slots=True)
class Grid:
    """The MRZ lines as mutable rows, the repairs made so far, and the OCR's second choices."""

    rows: list[str]
    repairs: list[Repair]
    problems: list[Problem]
    # (line, column) -> characters the OCR also saw there, likeliest first (0-based positions).
    alternatives: Mapping[tuple[int, int], str] = field(default_factory=dict)
    # Letters among digits that one check digit could not settle, for the other checks to try.
    doubts: list[Doubt] = field(default_factory=list)

    def text(self, span: Span) -> str:
        """Return the characters of a span."""
        return self.rows[span.line][span.start : span.end]

    def set(self, line: int, col: int, char: str, field: str, reason: str) -> None:
        """Change one character and record why."""
        row = self.rows[line]
        self.rows[line] = row[:col] + char + row[col + 1 :]
        self.repairs.append(Repair(line + 1, col + 1, row[col], char, field, reason))


def _keeps(char: str, cls: CharClass) -> bool:
    """Tell whether `char` may stay as read at a position of class `cls`."""
    # A filler may stand among digits: an unknown date, an empty field's check digit, and the
    # TD1/TD2 mark of a long document number.
    return cls is not CharClass.DIGIT or char.isdigit() or char == "<"


def _alternatives(char: str, cls: CharClass, seen: str = "") -> tuple[str, ...]:
    """Return what may have stood at a position: look-alikes, plus what the OCR also saw."""
    base = _lookalikes(char, cls)
    if not seen:
        return base
    fits = [c for c in seen if c not in base and (cls is not CharClass.DIGIT or c.isdigit())]
    if cls is CharClass.DIGIT and not char.isdigit():
        return (*base, *fits) if base != (char,) else tuple(fits) or base
    return (*base, *fits)


def _lookalikes(char: str, cls: CharClass) -> tuple[str, ...]:
    if cls is CharClass.DIGIT:
        if char.isdigit():
            return (char,)
        return tuple(DIGIT_LOOKALIKES.get(char, char))
    if cls is CharClass.ALNUM:
        other = LETTER_TO_DIGIT.get(char) or DIGIT_TO_LETTER.get(char)
        return (char, other) if other else (char,)
    return (char,)


class Fix(NamedTuple):
    """What repairing one check changed, which of it was forced (letters among digits), and why."""

    check: CheckSpec
    repairs: tuple[Repair, ...]
    forced: frozenset[tuple[int, int]]  # 0-based positions that held a letter among digits
    problem: Problem | None  # the doubt a look-alike guess among letters and digits leaves


def misread_digits(grid: Grid, cells: Iterable[tuple[int, int]]) -> bool:
    """Tell whether a letter stands at any of `cells`, where only a digit may (a misread)."""
    return any(grid.rows[line][col] in _LETTERS for line, col in cells)


def repair_check(
    grid: Grid,
    check: CheckSpec,
    classes: Callable[[int, int], CharClass],
    frozen: frozenset[tuple[int, int]],
    guess: bool = True,
) -> Fix | None:
    """Change look-alikes so that `check` passes, when exactly one cheapest way does; else say so.

    With `guess` false only letters among digits and the OCR's own second choices are tried.
    """
    positions = [(s.line, c) for s in check.covers for c in range(s.start, s.end)]
    digit_pos = (check.digit.line, check.digit.start)
    slots: list[tuple[int, int]] = [p for p in [*positions, digit_pos] if p not in frozen]
    original = {p: grid.rows[p[0]][p[1]] for p in slots}
    choices = [
        (p, alt)
        for p in slots
        for alt in _alternatives(original[p], classes(*p), grid.alternatives.get(p, ""))
        if alt != original[p]
    ]
    must_change = {p for p in slots if not _keeps(original[p], classes(*p))}
    forced_options = [[(p, alt) for q, alt in choices if q == p] for p in sorted(must_change)]
    optional = [(p, alt) for p, alt in choices if p not in must_change]
    offered = [(p, alt) for p, alt in optional if alt in grid.alternatives.get(p, "")]
    guesses = [choice for choice in optional if choice not in offered] if guess else []
    # Cheapest explanation first: a swap the OCR offered costs 1 and a look-alike guess more than
    # all offered swaps together, so evidence beats guessing and one misread beats two; a tie at
    # the cheapest cost is doubt.
    shapes = sorted(
        (n_off + GUESS_COST * n_guess, n_off, n_guess)
        for n_off in range(min(MAX_OFFERED_CHANGES, len(offered)) + 1)
        for n_guess in range(min(MAX_EXTRA_CHANGES, len(guesses)) + 1)
    )
    passing: list[dict[tuple[int, int], str]] = []
    for index, (cost, n_off, n_guess) in enumerate(shapes):
        for forced in itertools.product(*forced_options):
            for off in itertools.combinations(offered, n_off):
                for swaps in itertools.combinations(guesses, n_guess):
                    assign = dict(forced) | dict(off) | dict(swaps)
                    if len(assign) != len(forced) + n_off + n_guess:
                        continue  # two choices for one position
                    text = "".join(assign.get(p, grid.rows[p[0]][p[1]]) for p in positions)
                    digit = assign.get(digit_pos, grid.rows[digit_pos[0]][digit_pos[1]])
                    if verify(text, digit):
                        passing.append(assign)
        next_cost = shapes[index + 1][0] if index + 1 < len(shapes) else None
        if passing and next_cost != cost:
            break
    if len(passing) > 1:
        readings = " or ".join(_describe(assign, original) for assign in passing[:3])
        more = f" or {len(passing) - 3} more" if len(passing) > 3 else ""
        problem = Problem(
            "ambiguous_repair",
            f"{label(check.name)}: {len(passing)} readings satisfy the check digit "
            f"({readings}{more}), and it cannot tell them apart; nothing was changed: verify "
            "against the printed page",
            field=check.name,
        )
        grid.problems.append(problem)
        if all(set(assign) <= must_change for assign in passing):
            options = tuple(tuple(sorted(assign.items())) for assign in passing)
            grid.doubts.append(Doubt(check, options, problem))
        return None
    if not passing:
        return None
    ambiguous = False
    first = len(grid.repairs)
    for (ln, col), char in passing[0].items():
        seen = char in grid.alternatives.get((ln, col), "")
        # A swap the OCR itself offered is evidence; a look-alike guess in a field where letters
        # and digits are both legal is not, since the check digit cannot tell 0 from A, K, U.
        ambiguous = ambiguous or (classes(ln, col) is CharClass.ALNUM and not seen)
        why = "the OCR's second choice" if seen else f"look-alike of {original[(ln, col)]!r}"
        grid.set(ln, col, char, check.name, f"{why}; check digit agrees")
    doubt = None
    if ambiguous:
        doubt = Problem(
            "ambiguous_repair",
            f"{label(check.name)}: the check digit passes only after look-alike repairs, and a "
            "check digit cannot tell 0 from A, K or U: verify the number against the printed page",
            field=check.name,
        )
        grid.problems.append(doubt)
    return Fix(check, tuple(grid.repairs[first:]), frozenset(must_change), doubt)


def _describe(
    assign: Mapping[tuple[int, int], str], original: Mapping[tuple[int, int], str]
) -> str:
    """Name the changes of one candidate reading, 1-based, such as `line 2 column 6 O as 0`."""
    return ", ".join(
        f"line {ln + 1} column {col + 1} {original[(ln, col)]} as {char}"
        for (ln, col), char in sorted(assign.items())
    )


def settle_doubts(
    grid: Grid, checks: Sequence[CheckSpec], passes: Callable[[CheckSpec], bool]
) -> list[Fix]:
    """Settle letters among digits that their own check left open, if one reading passes all."""
    # The composite weighs the same places differently, so it can tell 11 from 77 where the
    # date's own check digit cannot.
    fixes = []
    for doubt in grid.doubts:
        saved = list(grid.rows)
        agreeing = []
        for reading in doubt.readings:
            for (line, col), char in reading:
                row = grid.rows[line]
                grid.rows[line] = row[:col] + char + row[col + 1 :]
            if all(passes(spec) for spec in checks):
                agreeing.append(reading)
            grid.rows[:] = saved
        if len(agreeing) != 1:
            continue
        grid.problems.remove(doubt.problem)
        first = len(grid.repairs)
        for (line, col), char in agreeing[0]:
            why = f"look-alike of {grid.rows[line][col]!r}; of {len(doubt.readings)} readings the "
            grid.set(
                line, col, char, doubt.check.name, why + "only one every check digit agrees with"
            )
        forced = frozenset(pos for pos, _ in agreeing[0])
        fixes.append(Fix(doubt.check, tuple(grid.repairs[first:]), forced, None))
    grid.doubts.clear()
    return fixes


def withdraw_unconfirmed(
    grid: Grid,
    fixes: Iterable[Fix],
    checks: Sequence[CheckSpec],
    passes: Callable[[CheckSpec], bool],
) -> None:
    """Undo each fix the checks do not confirm, and say why; the characters as read stand.

    A letter among digits is a misread whatever else fails, so its forced change stands while the
    check that chose it passes. Any other change is kept only when every check passes (the
    composite included): otherwise it may have explained a wrong check digit away by changing
    the data, and the reading is not settled anyway. A look-alike guess must also beat the other
    explanation of a failing check, that its own digit was misread (see `_misread_digit`).
    """
    kept = list(fixes)
    while kept:
        failing = [spec for spec in checks if not passes(spec)]
        if not failing:
            break
        # Blame the check over a changed character if there is one, else the first that fails.
        under = {pos: spec for spec in reversed(failing) for pos in spec.positions()}
        withdrawn = []
        for fix in kept:
            cells = [(r.line - 1, r.column - 1) for r in fix.repairs]
            free = [p for p in cells if p not in fix.forced]
            if fix.check in failing:
                withdrawn.append((fix, fix.check))
            elif free:
                withdrawn.append((fix, next((under[p] for p in free if p in under), failing[0])))
        if not withdrawn:
            return
        for fix, blame in withdrawn:
            _withdraw(
                grid,
                fix,
                "repair_withdrawn",
                f"would satisfy its check digit but leaves the {blame.name} check failing, so the "
                "characters stand as read",
            )
            kept.remove(fix)
    for fix in kept:
        other = _misread_digit(grid, fix, checks, passes) if fix.problem is not None else None
        if other is not None:
            digit = fix.check.digit
            found = grid.rows[digit.line][digit.start]
            _withdraw(
                grid,
                fix,
                "ambiguous_repair",
                f"would satisfy the check digit, but so would the check digit {found} read as "
                f"{other}, and no other check tells the two apart; nothing was changed",
            )


def _misread_digit(
    grid: Grid, fix: Fix, checks: Sequence[CheckSpec], passes: Callable[[CheckSpec], bool]
) -> str | None:
    """Return the check digit that, read instead, lets every check pass with the data as read.

    A composite tells the two apart unless the digit was misread 5 away from the printed one
    (weights 7, 3, 1 are odd, so a change of 5 weighs 5 in either check); a visa has no composite.
    """
    digit = (fix.check.digit.line, fix.check.digit.start)
    if any((r.line - 1, r.column - 1) == digit for r in fix.repairs):
        return None
    saved = list(grid.rows)
    for r in fix.repairs:
        row = grid.rows[r.line - 1]
        grid.rows[r.line - 1] = row[: r.column - 1] + r.found + row[r.column :]
    other = compute("".join(grid.text(span) for span in fix.check.covers))
    row = grid.rows[digit[0]]
    grid.rows[digit[0]] = row[: digit[1]] + other + row[digit[1] + 1 :]
    try:
        return other if all(passes(spec) for spec in checks) else None
    finally:
        grid.rows[:] = saved


def _withdraw(grid: Grid, fix: Fix, code: str, why: str) -> None:
    """Put back the characters as read, drop the fix's repairs and doubt, and report why."""
    for r in reversed(fix.repairs):
        row = grid.rows[r.line - 1]
        grid.rows[r.line - 1] = row[: r.column - 1] + r.found + row[r.column :]
        grid.repairs.remove(r)
    if fix.problem is not None:
        grid.problems.remove(fix.problem)
    changes = ", ".join(
        f"line {r.line} column {r.column} {r.found} as {r.repaired}" for r in fix.repairs
    )
    grid.problems.append(
        Problem(
            code,
            f"{label(fix.check.name)}: reading {changes} {why}: verify against the printed page",
            field=fix.check.name,
        )
    )


def repair_state(grid: Grid, spec: FieldSpec, is_known: Callable[[str], bool]) -> None:
    """Turn digits in a state code into look-alike letters when that makes a known code."""
    text = grid.text(spec.span)
    if not _DIGIT.search(text):
        return
    fixed = "".join(DIGIT_TO_LETTER.get(ch, ch) for ch in text)
    if is_known(fixed.rstrip("<")):
        for i, (old, new) in enumerate(zip(text, fixed, strict=True)):
            if old != new:
                grid.set(
                    spec.span.line, spec.span.start + i, new, spec.name, "digit in a state code"
                )


def name_is_clean(text: str) -> bool:
    """Tell whether `repair_name` would leave this name field as it is (the common case)."""
    return _CLEAN_NAME.fullmatch(text) is not None


def repair_name(grid: Grid, spec: FieldSpec) -> None:
    """Restore fillers misread as letters in the padding, and digits read for letters."""
    line, start, end = spec.span.line, spec.span.start, spec.span.end
    text = grid.text(spec.span)
    sep = text.find("<<")
    if sep >= 0:
        pad = text.find("<<", sep + 2)
        if pad >= 0 and text[pad:].strip("<"):
            for i in range(pad, len(text)):
                if text[i] in FILLER_LOOKALIKES:
                    grid.set(line, start + i, "<", spec.name, "filler misread in the padding")
    # A run of one look-alike letter is misread padding only where it runs to the end of the
    # field: padding misread by OCR is misread to the end, while a name that is followed by
    # real fillers ends where they start (its last letters, KKK or not, are the name's). A name
    # that fills its field exactly and ends in three or more of one look-alike letter cannot be
    # told from misread padding; it is read as padding and the repair says so.
    text = grid.text(spec.span)
    stripped = text.rstrip("<")
    last = stripped[-1:]
    if (
        len(stripped) == len(text)
        and last in FILLER_LOOKALIKES
        and len(stripped) - len(stripped.rstrip(last)) >= 3
    ):
        for i in range(len(stripped.rstrip(last)), len(stripped)):
            grid.set(line, start + i, "<", spec.name, "run of fillers misread at the end")
    if not _DIGIT.search(grid.text(spec.span)):
        return
    for i in range(end - start):
        ch = grid.rows[line][start + i]
        if ch.isdigit() and ch in DIGIT_TO_LETTER:
            grid.set(line, start + i, DIGIT_TO_LETTER[ch], spec.name, "digit in a name")
        elif ch.isdigit():
            grid.problems.append(
                Problem(
                    "bad_character",
                    f"name: digit {ch!r} in a name",
                    line + 1,
                    start + i + 1,
                    "name",
                )
            )


def unresolved(grid: Grid, spans: Sequence[tuple[str, Span]]) -> None:
    """Report letters left where only digits may stand."""
    for name, span in spans:
        for col in range(span.start, span.end):
            ch = grid.rows[span.line][col]
            if not ch.isdigit() and ch != "<":
                grid.problems.append(
                    Problem(
                        "not_a_digit",
                        f"{label(name)}: {ch!r} where a digit must stand",
                        span.line + 1,
                        col + 1,
                        name,
                    )
                )
