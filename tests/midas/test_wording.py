"""Messages to people are plain words: counts agree with their nouns, no field names."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from midas.wording import percent, plural
from scanners.mrz.parse import parse_mrz
from scanners.mrz.wording import count

REPO = Path(__file__).resolve().parents[2]
# Exceptions and calls whose text reaches a person: the domain's errors, flashes, MRZ problems.
MESSAGE_CALLS = {
    "InvalidInput": 0,
    "PermissionDenied": 0,
    "Conflict": 0,
    "NotFound": 0,
    "AuthenticationRequired": 0,
    "flash": 0,
    "Problem": 1,
    "_problem": 3,
}
FIELD_NAME = re.compile(r"\b[a-z]+_[a-z_]+\b")
HEDGED_PLURAL = re.compile(r"\w\(s\)")
# The lead rewords these in midas/domain/crossings.py (its refactoring is under way).
PENDING: set[tuple[str, str]] = set()


def message_text(node: ast.expr) -> str | None:
    """Return a literal or f-string message with each expression as {}; None if not literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    return None


def messages(path: Path) -> list[tuple[int, str]]:
    """Return (line, text) of every message a person may read in a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        position = MESSAGE_CALLS.get(name or "")
        if position is None or len(node.args) <= position:
            continue
        text = message_text(node.args[position])
        if text is not None:
            found.append((node.lineno, text))
    return found


def test_no_message_names_a_field_or_hedges_a_plural() -> None:
    wrong = []
    for package in ("midas", "scanners"):
        for path in sorted((REPO / package).rglob("*.py")):
            relative = str(path.relative_to(REPO))
            if "migrations" in relative:
                continue
            for line, text in messages(path):
                if (relative, text) in PENDING:
                    continue
                if FIELD_NAME.search(text) or HEDGED_PLURAL.search(text):
                    wrong.append(f"{relative}:{line}: {text}")
    assert wrong == []


@given(st.integers(min_value=0, max_value=10_000), st.sampled_from(["line", "hit", "crossing"]))
def test_a_count_agrees_with_its_noun(number: int, noun: str) -> None:
    for said in (plural(number, noun), count(number, noun)):
        assert said == (f"1 {noun}" if number == 1 else f"{number} {noun}s")


def test_irregular_plurals_are_given() -> None:
    assert plural(2, "match", "matches") == "2 matches"
    assert plural(1, "entry", "entries") == "1 entry"


@given(st.lists(st.text(alphabet="ABC<0123456789", min_size=1, max_size=50), max_size=6))
def test_mrz_problems_say_fields_and_counts_in_words(lines: list[str]) -> None:
    from datetime import date

    for problem in parse_mrz(lines, today=date(2026, 1, 1)).problems:
        assert not FIELD_NAME.search(problem.message.split(":", 1)[0]), problem.message
        assert not re.search(r"\b1 (lines|characters)\b", problem.message), problem.message


@given(st.floats(min_value=0.0, max_value=1.0))
def test_a_score_reads_full_only_when_it_is(score: float) -> None:
    shown = percent(score)
    assert shown.endswith("%")
    assert int(shown[:-1]) <= score * 100 + 1e-6
    if score < 0.9999:
        assert shown != "100%"
    if score == 1.0:
        assert shown == "100%"


def test_a_near_full_score_is_not_rounded_up() -> None:
    assert percent(0.995) == "99%"
    assert percent(0.97) == "97%"
