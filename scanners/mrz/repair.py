"""OCR repair driven by per-position character classes and check digits; every change is recorded.

Rules (each repair is reported as a Repair; when in doubt, nothing is changed):
- a letter where only a digit may stand (dates, check digits) is read as its look-alike digit only
  when the check digit then passes: digits differ mod 10, so this can only restore the original;
- in fields where letters and digits are both legal (document number, optional data), look-alike
  swaps are tried and kept when exactly one combination satisfies the check digit; because a check
  digit cannot tell 0 from A, K or U, such a repair also leaves a problem asking for a visual check;
- in names, fillers misread as K, C, L, X or 1 in the padding are restored, and digits become
  their look-alike letters;
- in state codes, a digit becomes its look-alike letter only when that makes a known code.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from scanners.mrz.checkdigit import verify
from scanners.mrz.formats import CharClass, CheckSpec, FieldSpec, Span
from scanners.mrz.result import Problem, Repair

LETTER_TO_DIGIT: dict[str, str] = {
    "O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "G": "6", "B": "8",
}  # fmt: skip
DIGIT_TO_LETTER: dict[str, str] = {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B"}
FILLER_LOOKALIKES = frozenset("KCLX1")
_DIGIT = re.compile(r"[0-9]")
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


@dataclass(slots=True)
class Grid:
    """The MRZ lines as mutable rows, the repairs made so far, and the OCR's second choices."""

    rows: list[str]
    repairs: list[Repair]
    problems: list[Problem]
    # (line, column) -> characters the OCR also saw there, likeliest first (0-based positions).
    alternatives: Mapping[tuple[int, int], str] = field(default_factory=dict)

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
    return cls is not CharClass.DIGIT or char.isdigit()


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
        mapped = LETTER_TO_DIGIT.get(char)
        return (mapped,) if mapped else (char,)
    if cls is CharClass.ALNUM:
        other = LETTER_TO_DIGIT.get(char) or DIGIT_TO_LETTER.get(char)
        return (char, other) if other else (char,)
    return (char,)


def repair_check(
    grid: Grid,
    check: CheckSpec,
    classes: Callable[[int, int], CharClass],
    frozen: frozenset[tuple[int, int]],
) -> None:
    """Try look-alike substitutions so that `check` passes; keep them only if exactly one does."""
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
    guesses = [choice for choice in optional if choice not in offered]
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
                for guess in itertools.combinations(guesses, n_guess):
                    assign = dict(forced) | dict(off) | dict(guess)
                    if len(assign) != len(forced) + n_off + n_guess:
                        continue  # two choices for one position
                    text = "".join(assign.get(p, grid.rows[p[0]][p[1]]) for p in positions)
                    digit = assign.get(digit_pos, grid.rows[digit_pos[0]][digit_pos[1]])
                    if verify(text, digit):
                        passing.append(assign)
        next_cost = shapes[index + 1][0] if index + 1 < len(shapes) else None
        if passing and next_cost != cost:
            break
    if len(passing) != 1:
        return
    ambiguous = False
    for (ln, col), char in passing[0].items():
        seen = char in grid.alternatives.get((ln, col), "")
        # A swap the OCR itself offered is evidence; a look-alike guess in a field where letters
        # and digits are both legal is not, since the check digit cannot tell 0 from A, K, U.
        ambiguous = ambiguous or (classes(ln, col) is CharClass.ALNUM and not seen)
        why = "the OCR's second choice" if seen else f"look-alike of {original[(ln, col)]!r}"
        grid.set(ln, col, char, check.name, f"{why}; check digit agrees")
    if ambiguous:
        grid.problems.append(
            Problem(
                "ambiguous_repair",
                f"{check.name}: the check digit passes only after look-alike repairs, and a check "
                "digit cannot tell 0 from A, K or U: verify the number against the printed page",
                field=check.name,
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
    stripped = grid.text(spec.span).rstrip("<")
    last = stripped[-1:]
    if last in FILLER_LOOKALIKES and len(stripped) - len(stripped.rstrip(last)) >= 3:
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
                        f"{name}: {ch!r} where a digit must stand",
                        span.line + 1,
                        col + 1,
                        name,
                    )
                )
