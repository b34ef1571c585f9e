"""Times shown to people: in the post's time zone, always labelled with that zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_skeleton

from midas.languages import page_language

DAY_AND_TIME = "%Y-%m-%d %H:%M"
# Bidi marks CLDR puts in right-to-left dates: the pages set every time left to right, as data
# (`<bdi dir="ltr">`), where the marks would reorder its pieces.
BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c"))
CLOCK = "%H:%M"


def local_time(moment: datetime | None, zone: str | None = None, fmt: str = DAY_AND_TIME) -> str:
    """Format a UTC moment in a post's time zone (UTC when none is given), with the zone's name.

    A time without its zone is read as the reader's own: a desk at one post and a supervisor
    looking at several must never compare 17:34 with 14:34 unlabelled. English pages write
    ISO 8601 (2026-03-01 17:34: one reading for every English reader); the other languages
    write the day as CLDR says their readers do (01/03/2026 17:34), always on a 24-hour clock.
    """
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(zone or "UTC"))
    language = page_language()
    if language == "en" or fmt not in (DAY_AND_TIME, CLOCK):
        shown = local.strftime(fmt)
    else:
        clock = format_skeleton("Hm", local, locale=language)
        if fmt == CLOCK:
            shown = clock
        else:
            day = format_skeleton("yMd", local, locale=language)
            shown = str(Locale.parse(language).datetime_formats["short"]).format(clock, day)
    return f"{shown.translate(BIDI_MARKS)} {local.strftime('%Z')}"
