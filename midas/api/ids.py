"""Request fields for ids, page numbers and days, bounded by the columns and sums they reach.

An unbounded integer reaches the database, where SQLite overflows and PostgreSQL rejects it:
a server error for what is the client's mistake. Bounded, it is a 422 naming the field.
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from midas.domain.days import FIRST_DAY, FIRST_MOMENT, LAST_DAY, LAST_MOMENT, OUT_OF_RANGE
from midas.domain.keys import INT32_MAX, INT64_MAX


def id_field(**kwargs: Any) -> fields.Integer:
    """Return a field for an id of a 32-bit key column (users, posts, stations, travellers)."""
    return fields.Integer(validate=validate.Range(min=0, max=INT32_MAX), **kwargs)


def big_id_field(**kwargs: Any) -> fields.Integer:
    """Return a field for an id of a 64-bit key column (crossings, hits, audit events)."""
    return fields.Integer(validate=validate.Range(min=0, max=INT64_MAX), **kwargs)


def page_field() -> fields.Integer:
    """Return the 1-based page number field, bounded so the offset it makes stays in range."""
    return fields.Integer(load_default=1, validate=validate.Range(min=1, max=INT32_MAX))


def day_field(**kwargs: Any) -> fields.Date:
    """Return a field for a day within the years the service computes around (midas.domain.days)."""
    return fields.Date(
        validate=validate.Range(min=FIRST_DAY, max=LAST_DAY, error=OUT_OF_RANGE), **kwargs
    )


def moment_field(**kwargs: Any) -> fields.AwareDateTime:
    """Return a field for a moment with its offset, within the years the service computes around."""
    return fields.AwareDateTime(
        validate=validate.Range(min=FIRST_MOMENT, max=LAST_MOMENT, error=OUT_OF_RANGE), **kwargs
    )
