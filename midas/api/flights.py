"""After the flights: /api/v1/flights/report — a post's day for its supervisors: no-shows,
entries on no manifest, and each carrier's data quality (advance passenger information)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from midas.api.ids import day_field, id_field
from midas.auth import current_actor, require
from midas.domain.errors import NotFound
from midas.domain.flight_reports import flight_report, report_settings
from midas.domain.texts import N_
from midas.persistence import session
from midas.persistence.models import Post, Role

blp = Blueprint(
    "flights",
    __name__,
    url_prefix="/flights",
    description="Flights after arrival: no-shows, travellers on no manifest, carriers' data.",
)


class ReportArgs(Schema):
    """Which post and day."""

    post_id = id_field(required=True)
    day = day_field(load_default=None, metadata={"description": "local day at the post; today"})


class MissingSchema(Schema):
    """A manifest traveller never recorded at the post (a no-show)."""

    flight = fields.String()
    flight_id = fields.Integer()
    traveller_id = fields.Integer()
    role = fields.String()
    surname = fields.String()
    given_names = fields.String()
    document_number = fields.String(allow_none=True)


class UnlistedSchema(Schema):
    """An entry at the post on no manifest of a flight around it."""

    crossing_id = fields.Integer()
    occurred_at = fields.AwareDateTime()
    surname = fields.String(allow_none=True)
    given_names = fields.String(allow_none=True)
    nationality = fields.String(allow_none=True)


class CarrierQualitySchema(Schema):
    """One carrier's data over the day's flights."""

    carrier = fields.String()
    flights = fields.Integer()
    travellers = fields.Integer()
    bad_records = fields.Integer(metadata={"description": "records with a problem"})
    missing = fields.Dict(
        keys=fields.String(), values=fields.Integer(), metadata={"description": "by field"}
    )
    late_messages = fields.Integer(
        metadata={"description": "first message less than PAXLST_LATE_MINUTES before arrival"}
    )
    after_departure = fields.Integer(
        metadata={"description": "first message after departure (departure at one of our posts)"}
    )


class FlightReportSchema(Schema):
    """A post's day after its flights; lists hold at most 500 travellers, counts are whole."""

    post = fields.String()
    day = fields.Date()
    arrived_flights = fields.Integer()
    waiting_flights = fields.Integer(
        metadata={"description": "not landed, or within the grace: no-shows not counted yet"}
    )
    no_shows = fields.Integer()
    not_on_manifest = fields.Integer()
    missing = fields.List(fields.Nested(MissingSchema))
    unlisted = fields.List(fields.Nested(UnlistedSchema))
    carriers = fields.List(fields.Nested(CarrierQualitySchema))


@blp.route("/report")
@require(Role.SUPERVISOR)
@blp.arguments(ReportArgs, location="query")
@blp.response(200, FlightReportSchema)
def report(args: dict[str, Any]) -> dict[str, Any]:
    """Report a post's day after its flights (a read of personal data, audited)."""
    db = session()
    with db.begin():
        post = db.get(Post, args["post_id"])
        if post is None:
            raise NotFound(N_("no such post among yours"), field="post_id")
        day = args["day"] or datetime.now(ZoneInfo(post.timezone)).date()
        found = flight_report(
            db,
            current_actor(),
            post.id,
            day,
            report_settings(current_app.config),
            now_utc=datetime.now(UTC),
        )
        body = asdict(found)
        # asdict would rebuild the Counter of missing fields from its items, counting pairs.
        body["carriers"] = [asdict(c) | {"missing": dict(c.missing)} for c in found.carriers]
        return body
