"""DTM values: formats 101, 102, 201 and 203, with a century rule for two-digit years."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum


class DateKind(StrEnum):
    """Which century rule a two-digit year follows."""

    BIRTH = "birth"
    EXPIRY = "expiry"
    FLIGHT = "flight"


#: An expiry is read as at most this many years ahead of the day of reading (documents are
#: issued for 10-15 years), the rule `scanners.mrz.fields` applies to MRZ expiries too.
EXPIRY_YEARS_AHEAD = 20
#: A flight's two-digit year is read as the year nearest the day of reading: within 50 years.
FLIGHT_YEARS_AROUND = 50

#: The length of the value each DTM format code (2379) gives, and whether it has a time.
FORMATS = {"101": (6, False), "102": (8, False), "201": (10, True), "203": (12, True)}
_BY_LENGTH = {length: code for code, (length, _) in FORMATS.items()}


def _century_year(yy: int, month: int, day: int, last: tuple[int, int, int]) -> int:
    """Return the latest year ending in `yy` that puts (year, month, day) no later than `last`."""
    year = last[0] - (last[0] - yy) % 100
    return year - 100 if (year, month, day) > last else year


def read_date(value: str, code: str, kind: DateKind, today: date) -> date | datetime:
    """Read a DTM value in format `code` (or, when the code is empty, the one its length names).

    Two-digit years (101, 201): a birth date is the latest such day not after `today` (never
    in the future); an expiry the latest not more than `EXPIRY_YEARS_AHEAD` years ahead; a
    flight's the one within `FLIGHT_YEARS_AROUND` years of `today`. Returns a date, or a
    datetime for 201 and 203; raises ValueError saying what is wrong.
    """
    value = value.strip()
    if not code:
        code = _BY_LENGTH.get(len(value), "")
        if not code:
            raise ValueError(f"{value!r} has no format code and no length of a known format")
    if code not in FORMATS:
        raise ValueError(f"date format {code!r} is not one of 101, 102, 201, 203")
    length, has_time = FORMATS[code]
    if len(value) != length or not (value.isascii() and value.isdigit()):
        raise ValueError(f"{value!r} is not {length} digits (format {code})")
    short = code in ("101", "201")
    digits = 2 if short else 4
    year = int(value[:digits])
    month, day = int(value[digits : digits + 2]), int(value[digits + 2 : digits + 4])
    if short:
        if kind is DateKind.FLIGHT:
            last = (today.year + FLIGHT_YEARS_AROUND - 1, 12, 31)
        elif kind is DateKind.EXPIRY:
            last = (today.year + EXPIRY_YEARS_AHEAD, today.month, today.day)
        else:
            last = (today.year, today.month, today.day)
        year = _century_year(year, month, day, last)
    try:
        if has_time:
            hour, minute = int(value[-4:-2]), int(value[-2:])
            return datetime(year, month, day, hour, minute)
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{value!r} is no calendar date or time (format {code})") from None


def write_date(value: date | datetime, long_years: bool = False) -> tuple[str, str]:
    """Return a DTM value and its format code: 201/203 for a datetime, 101/102 for a date."""
    if isinstance(value, datetime):
        if long_years:
            return f"{value.year:04d}{value:%m%d%H%M}", "203"
        return value.strftime("%y%m%d%H%M"), "201"
    if long_years:
        return f"{value.year:04d}{value:%m%d}", "102"
    return value.strftime("%y%m%d"), "101"
