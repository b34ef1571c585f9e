"""Field values every loader shares: country codes, sex, scripts, partial birth dates."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import statecodes
from watchlists.models import BirthDate, EntryName, NameQuality

# 'circa 1960' and UN 'APPROXIMATELY 1960' become 1959..1961: wide enough to keep an uncertain
# year from ruling a person out, narrow enough to still separate generations.
CIRCA_YEARS = 1

_SEX = {"m": "M", "male": "M", "f": "F", "female": "F"}

# ISO 15924 codes for the scripts the published lists actually use.
_SCRIPTS = (
    ("LATIN", "Latn"),
    ("CYRILLIC", "Cyrl"),
    ("ARABIC", "Arab"),
    ("HEBREW", "Hebr"),
    ("GREEK", "Grek"),
    ("CJK", "Hani"),
    ("HANGUL", "Hang"),
    ("HIRAGANA", "Jpan"),
    ("KATAKANA", "Jpan"),
    ("ARMENIAN", "Armn"),
    ("GEORGIAN", "Geor"),
    ("THAI", "Thai"),
    ("DEVANAGARI", "Deva"),
    ("ETHIOPIC", "Ethi"),
)

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def country_code(value: str) -> str | None:
    """Return the Doc 9303 code for a country name, alpha-2, alpha-3 or Doc 9303 code, or None."""
    return statecodes.to_code(value)


def sex_code(value: str | None) -> str | None:
    """Return 'M' or 'F' for the spellings lists use, else None."""
    if value is None:
        return None
    return _SEX.get(value.strip().lower())


def script_of(text: str) -> str | None:
    """Return the ISO 15924 code of the first letter's script, or None when unknown."""
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        for prefix, code in _SCRIPTS:
            if name.startswith(prefix):
                return code
        return None
    return None


def entry_name(
    full: str,
    quality: NameQuality = NameQuality.PRIMARY,
    *,
    given: str | None = None,
    family: str | None = None,
) -> EntryName:
    """Return an EntryName with its script detected from the spelling."""
    return EntryName(full=full, quality=quality, given=given, family=family, script=script_of(full))


def circa(year: int) -> BirthDate:
    """Return the range of years an approximate birth year stands for."""
    return BirthDate(year_from=year - CIRCA_YEARS, year_to=year + CIRCA_YEARS)


def iso_birth_date(text: str) -> BirthDate:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD; raise ValueError saying what is wrong."""
    match = _ISO_DATE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    return checked_birth_date(year, month, day)


def checked_birth_date(year: int, month: int | None = None, day: int | None = None) -> BirthDate:
    """Build a single-year BirthDate, raising ValueError for an impossible day or month."""
    if month is not None and day is not None:
        date(year, month, day)  # raises ValueError naming the bad part
    elif month is not None and not 1 <= month <= 12:
        raise ValueError(f"month {month} out of range")
    if not 1800 <= year <= 2100:
        raise ValueError(f"year {year} out of range")
    return BirthDate(year_from=year, year_to=year, month=month, day=day)
