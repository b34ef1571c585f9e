"""Statistics for supervisors: /api/v1/statistics, as JSON or CSV."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from midas.api.ids import day_field, id_field
from midas.auth import current_actor, require
from midas.domain.statistics import (
    Dimension,
    Measure,
    StatisticsQuery,
    StatisticsTable,
    crossing_statistics,
    parse_dimensions,
    to_csv,
)
from midas.persistence import session
from midas.persistence.models import Role

blp = Blueprint(
    "statistics",
    __name__,
    url_prefix="/statistics",
    description="Counts of crossings, refusals and hits for supervisors (SDG 17.18 bands).",
)


class StatisticsArgs(Schema):
    """What to count, grouped how, over which UTC days and posts."""

    measure = fields.String(
        load_default=Measure.CROSSINGS.value,
        validate=validate.OneOf([m.value for m in Measure]),
        metadata={"description": "crossings, refusals or hits"},
    )
    group_by = fields.String(
        load_default="",
        metadata={
            "description": "comma-separated, at most 3 of: " + ", ".join(d.value for d in Dimension)
        },
    )
    start = day_field(data_key="from", load_default=None, metadata={"description": "first day"})
    end = day_field(data_key="to", load_default=None, metadata={"description": "last day"})
    post = fields.List(
        id_field(), load_default=None, metadata={"description": "post ids (repeatable)"}
    )
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class StatisticsSchema(Schema):
    """The counts: one row per group with its value on each dimension and `count`."""

    measure = fields.String()
    group_by = fields.List(fields.String())
    start = fields.Date(data_key="from", allow_none=True)
    end = fields.Date(data_key="to", allow_none=True)
    total = fields.Integer()
    rows = fields.List(fields.Dict(), metadata={"description": '{"month": "2026-06", "count": 3}'})


def table_body(table: StatisticsTable) -> dict[str, Any]:
    """Return a statistics table as the API shows it."""
    return {
        "measure": table.query.measure.value,
        "group_by": [d.value for d in table.query.group_by],
        "start": table.query.start,
        "end": table.query.end,
        "total": table.total,
        "rows": table.records(),
    }


def _file_name(query: StatisticsQuery) -> str:
    parts = [query.measure.value, *(d.value for d in query.group_by)]
    for day in (query.start, query.end):
        if isinstance(day, date):
            parts.append(day.isoformat())
    return "statistics-" + "-".join(parts) + ".csv"


@blp.route("")
@require(Role.SUPERVISOR, Role.ADMIN)
@blp.arguments(StatisticsArgs, location="query", as_kwargs=True)
@blp.response(200, StatisticsSchema)
@blp.alt_response(200, description="text/csv when format=csv", content_type="text/csv")
def statistics(
    measure: str,
    group_by: str,
    start: date | None,
    end: date | None,
    post: list[int] | None,
    format: str,
) -> Any:
    """Count crossings, refusals or hits at your posts, grouped by up to three dimensions."""
    query = StatisticsQuery(
        measure=Measure(measure),
        group_by=parse_dimensions(group_by),
        start=start,
        end=end,
        post_ids=None if post is None else frozenset(post),
    )
    db = session()
    with db.begin():
        table = crossing_statistics(db, current_actor(), query)
    if format == "csv":
        return Response(
            to_csv(table),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{_file_name(query)}"'},
        )
    return table_body(table)
