"""ICAO Doc 9303 Part 3 §4.9: the 7-3-1 check digit."""

from __future__ import annotations

import string

#: Value of each MRZ character: digits are themselves, A-Z are 10-35, the filler `<` is 0.
VALUES: dict[str, int] = {
    **{d: int(d) for d in string.digits},
    **{c: 10 + i for i, c in enumerate(string.ascii_uppercase)},
    "<": 0,
}
# Bytes -> values in one C call; anything outside the MRZ set weighs 0.
_TABLE = bytes(VALUES.get(chr(i), 0) for i in range(256))


def compute(text: str) -> str:
    """Return the check digit of `text` (characters outside the MRZ set count as 0).

    >>> compute("L898902C3")
    '6'
    >>> compute("740812")
    '2'
    """
    values = text.encode("latin-1", "replace").translate(_TABLE)
    # The weights repeat 7, 3, 1: summing each third of the positions runs in C; pairing each
    # value with its weight in Python cost about half as much again.
    total = 7 * sum(values[0::3]) + 3 * sum(values[1::3]) + sum(values[2::3])
    return string.digits[total % 10]


def verify(text: str, digit: str) -> bool:
    """Tell whether `digit` is the check digit of `text`; a filler digit counts as 0."""
    return compute(text) == ("0" if digit == "<" else digit)
