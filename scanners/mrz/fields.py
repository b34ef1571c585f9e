"""Typed values from MRZ fields: dates (century rule), sex, names, state codes."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import NamedTuple

import statecodes
from statecodes import SPECIAL_CODES as SPECIAL_CODES
from statecodes import SPECIMEN_CODE as SPECIMEN_CODE

# The code table is shared with the list loaders, so that every code the reader accepts can be
# listed; these names are the reader's view of it.
state_name = statecodes.name
is_known_state = statecodes.is_known


class DateKind:
    """Which century rule applies (Doc 9303 gives two-digit years)."""

    BIRTH = "birth"
    EXPIRY = "expiry"


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


@lru_cache(maxsize=4)
def _earliest_expiry(today: date) -> date:
    # Depends only on the day of reading, which is the same for every document in a batch.
    return _add_years(today, -10)


def parse_date(text: str, kind: str, today: date) -> date | None:
    """Turn YYMMDD into a date: a birth date is never in the future, an expiry never >10 years past.

    Returns None when the text is not a calendar date (unknown parts, letters, 31 February).

    >>> parse_date("740812", DateKind.BIRTH, date(2026, 1, 1))
    datetime.date(1974, 8, 12)
    >>> parse_date("250101", DateKind.BIRTH, date(2026, 1, 1))
    datetime.date(2025, 1, 1)
    >>> parse_date("170101", DateKind.EXPIRY, date(2026, 1, 1))
    datetime.date(2017, 1, 1)
    """
    if len(text) != 6 or not text.isdigit():
        return None
    yymm, day = divmod(int(text), 100)
    yy, month = divmod(yymm, 100)
    if kind == DateKind.BIRTH:
        century = 2000 if 2000 + yy <= today.year else 1900
        try:
            value = date(century + yy, month, day)
        except ValueError:
            return None
        return value if value <= today else _add_years(value, -100)
    earliest = _earliest_expiry(today)
    year = earliest.year - earliest.year % 100 + yy
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value if value >= earliest else _add_years(value, 100)


def parse_sex(char: str) -> str | None:
    """Return M or F; a filler or X means unspecified (None)."""
    return char if char in ("M", "F") else None


class Names(NamedTuple):
    """Primary and secondary identifiers as read, and whether the issuer had to truncate them."""

    surname: str
    given_names: str
    truncated: bool


def parse_names(field: str) -> Names:
    """Split a name field at the first `<<`; fillers become spaces (Doc 9303 Part 3 §4.6).

    >>> parse_names("ERIKSSON<<ANNA<MARIA<<<<<<<<<")
    Names(surname='ERIKSSON', given_names='ANNA MARIA', truncated=False)
    """
    surname, _, given = field.partition("<<")
    return Names(
        " ".join(surname.replace("<", " ").split()),
        " ".join(given.replace("<", " ").split()),
        bool(field) and field[-1] != "<",
    )
