"""Days a request may name: within the years around which the service computes windows.

A search, a report or a stay is computed a day, a week, a month or a stay window beyond the
day asked for, and in a post's time zone; near year 1 or 9999 that arithmetic leaves the
calendar (OverflowError, a server error). No crossing, audit event or report is outside these
years, so a day beyond them is the client's mistake, answered as InvalidInput naming the field.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from midas.domain.errors import InvalidInput
from midas.domain.texts import N_, Text

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
FIRST_MOMENT = datetime.combine(FIRST_DAY, time(), UTC)
LAST_MOMENT = datetime.combine(LAST_DAY, time.max, UTC)
OUT_OF_RANGE_TEXT = Text(
    N_("give a day from %(first)s to %(last)s"),
    {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
)
OUT_OF_RANGE = OUT_OF_RANGE_TEXT.render()


def check_day(day: date, *, field: str) -> date:
    """Return `day`, or raise InvalidInput naming `field` when it is outside the years served."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(OUT_OF_RANGE_TEXT, field=field)
    return day


def parse_day(text: str, *, field: str) -> date | None:
    """Return the day written as YYYY-MM-DD in `text` (None when empty), within the years served."""
    stripped = text.strip()
    if not stripped:
        return None
    try:
        day = date.fromisoformat(stripped)
    except ValueError:
        raise InvalidInput(N_("give the date as YYYY-MM-DD"), field=field) from None
    return check_day(day, field=field)
