"""Times shown to people: in the post's time zone, always labelled with that zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def local_time(
    moment: datetime | None, zone: str | None = None, fmt: str = "%Y-%m-%d %H:%M"
) -> str:
    """Format a UTC moment in a post's time zone (UTC when none is given), with the zone's name.

    A time without its zone is read as the reader's own: a desk at one post and a supervisor
    looking at several must never compare 17:34 with 14:34 unlabelled.
    """
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(zone or "UTC"))
    return f"{local.strftime(fmt)} {local.strftime('%Z')}"
