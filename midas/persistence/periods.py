"""Calendar periods of a timestamp column as text keys, in each backend's own SQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func
from sqlalchemy.orm import Session

# The periods a key can name: 'YYYY-MM-DD' (a day, or the Monday of a week) or 'YYYY-MM'.
PERIODS = ("day", "week", "month")


def period_key(session: Session, at: Any, period: str) -> ColumnElement[str]:
    """Return the UTC day, ISO week (its Monday) or month of a timestamp column, as text."""
    if period not in PERIODS:
        raise ValueError(f"{period!r} is not one of {', '.join(PERIODS)}")
    if session.get_bind().dialect.name == "postgresql":
        utc = func.timezone("UTC", at)
        if period == "day":
            return func.to_char(utc, "YYYY-MM-DD")
        if period == "week":
            return func.to_char(func.date_trunc("week", utc), "YYYY-MM-DD")
        return func.to_char(utc, "YYYY-MM")
    # SQLite keeps UTC text 'YYYY-MM-DD HH:MM:SS'; 'weekday 0' moves to Sunday, -6 to Monday.
    if period == "day":
        return func.strftime("%Y-%m-%d", at)
    if period == "week":
        return func.date(at, "weekday 0", "-6 days")
    return func.strftime("%Y-%m", at)
