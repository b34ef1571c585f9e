"""Database error text without the row values the server quotes in it.

`hide_parameters` keeps a statement's parameters out of an error, but PostgreSQL itself puts
row values in its messages: a unique or foreign-key violation's DETAIL says
`Key (number)=(X1234567) already exists`, a check or not-null violation's DETAIL prints the
whole `Failing row contains (...)`, and a bad literal is quoted in the message (`invalid input
syntax for type date: "..."`). Those are travellers' names and document numbers; every log
line and stored error text goes through `scrub` first.
"""

from __future__ import annotations

import re

WITHHELD = "(withheld)"

# The DETAIL, CONTEXT and WHERE lines of a PostgreSQL error can all quote row values.
DETAIL_LINES = re.compile(r"^(\s*(?:DETAIL|CONTEXT|WHERE)):.*$", re.MULTILINE)
# The same values where a message was flattened onto one line.
KEY_VALUES = re.compile(r"Key \((.*?)\)=\(.*?\)(?= already exists| is not present| is still|\.|$)")
FAILING_ROW = re.compile(r"Failing row contains \(.*?\)(?=\.?$)", re.MULTILINE)
# A literal the server could not read, quoted after the type it was meant for.
BAD_LITERAL = re.compile(r"(invalid input (?:syntax|value) for [^:\n]*): \".*?\"(?=$|\s)", re.M)

PATTERNS = (
    (DETAIL_LINES, rf"\1: {WITHHELD}"),
    (KEY_VALUES, rf"Key (\1)={WITHHELD}"),
    (FAILING_ROW, f"Failing row contains {WITHHELD}"),
    (BAD_LITERAL, rf"\1: {WITHHELD}"),
)


def scrub(text: str) -> str:
    """Return database error text with every row value PostgreSQL quotes in it withheld."""
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text
