"""Typed values from MRZ fields: dates (century rule), sex, names, state codes."""

from __future__ import annotations

from datetime import date
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


#: How far ahead of the day of reading an expiry may lie. Documents are issued for at most 10-15
#: years, so a two-digit year is read as the latest year that keeps the expiry within this many
#: years ahead; every other reading is a document long expired (120415 read on 2026-12-07 is
#: 2012-04-15, never 2112-04-15).
EXPIRY_YEARS_AHEAD = 20
_YEARS_AHEAD = {DateKind.BIRTH: 0, DateKind.EXPIRY: EXPIRY_YEARS_AHEAD}


def _century_year(yy: int, month: int, day: int, last: tuple[int, int, int]) -> int:
    """Return the latest year ending in `yy` that puts (year, month, day) no later than `last`."""
    year = last[0] - (last[0] - yy) % 100
    return year - 100 if (year, month, day) > last else year


def parse_date(text: str, kind: str, today: date) -> date | None:
    """Turn YYMMDD into a date: the one in the 100 years up to today (birth) or today + 20 years.

    A birth date is never in the future; an expiry is never more than `EXPIRY_YEARS_AHEAD` years
    ahead, so it lies in (today - 80 years, today + 20 years]. Returns None when the text is not
    a calendar date in that century (unknown parts, letters, 31 February, 29 February 1900).

    >>> parse_date("740812", DateKind.BIRTH, date(2026, 1, 1))
    datetime.date(1974, 8, 12)
    >>> parse_date("250101", DateKind.BIRTH, date(2026, 1, 1))
    datetime.date(2025, 1, 1)
    >>> parse_date("120415", DateKind.EXPIRY, date(2026, 12, 7))
    datetime.date(2012, 4, 15)
    >>> parse_date("460101", DateKind.EXPIRY, date(2026, 1, 1))
    datetime.date(2046, 1, 1)
    """
    if len(text) != 6 or not (text.isascii() and text.isdigit()):
        return None
    yymm, day = divmod(int(text), 100)
    yy, month = divmod(yymm, 100)
    # Compared as (year, month, day) tuples, so that the limit needs no 29 February of its own.
    last = (today.year + _YEARS_AHEAD[kind], today.month, today.day)
    year = _century_year(yy, month, day, last)
    try:
        return date(year, month, day)
    except ValueError:  # no such day, or a year outside 1-9999
        return None


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
