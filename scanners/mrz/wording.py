"""Words of the problems a reading reports: they reach officers, so fields are named in words."""

from __future__ import annotations


def label(field: str) -> str:
    """Return a field's name as words: "birth_date" -> "birth date".

    >>> label("issuing_state")
    'issuing state'
    """
    return field.replace("_", " ")


def count(number: int, noun: str) -> str:
    """Return a count with its noun in the right number.

    >>> count(1, "line"), count(3, "line")
    ('1 line', '3 lines')
    """
    return f"{number} {noun if number == 1 else noun + 's'}"
