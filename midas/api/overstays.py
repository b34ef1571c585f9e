"""Overstays for supervisors: /api/v1/overstays — who overstays, who is about to, who did."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from midas.api.ids import day_field, id_field
from midas.auth import current_actor, require
from midas.domain.overstay import Overstay, StayStatus, list_overstays, overstay_policy
from midas.persistence import session
from midas.persistence.models import Role

blp = Blueprint(
    "overstays",
    __name__,
    url_prefix="/overstays",
    description="Travellers past their allowed stay (rolling window per nationality).",
)
LISTED = [s.value for s in StayStatus if s is not StayStatus.WITHIN]


class OverstayArgs(Schema):
    """Which travellers to list."""

    status = fields.List(
        fields.String(validate=validate.OneOf(LISTED)),
        load_default=None,
        metadata={"description": "overstaying, about_to, overstayed (repeatable; default all)"},
    )
    post = id_field(load_default=None, metadata={"description": "last crossing at post"})
    nationality = fields.String(load_default=None, validate=validate.Length(min=1, max=3))
    today = day_field(load_default=None, metadata={"description": "assess as of this day"})


class TravellerRefSchema(Schema):
    """The traveller, as their documents describe them."""

    id = fields.Integer()
    surname = fields.String(allow_none=True)
    given_names = fields.String(allow_none=True)
    nationality = fields.String(allow_none=True)
    birth_date = fields.Date(allow_none=True)


class DocumentRefSchema(Schema):
    """The document of the traveller's last crossing."""

    number = fields.String(allow_none=True)
    issuing_state = fields.String(allow_none=True)


class LastCrossingSchema(Schema):
    """The traveller's last admitted crossing."""

    id = fields.Integer()
    at = fields.DateTime()
    direction = fields.String()
    post_id = fields.Integer()
    post_code = fields.String()


class OverstaySchema(Schema):
    """One traveller on the report and their stay against the limit."""

    traveller = fields.Nested(TravellerRefSchema)
    document = fields.Nested(DocumentRefSchema)
    status = fields.String(metadata={"description": "overstaying, about_to or overstayed"})
    inside = fields.Boolean()
    entered_on = fields.Date(allow_none=True)
    days_used = fields.Integer(metadata={"description": "days of stay in the window to today"})
    allowed_days = fields.Integer()
    window_days = fields.Integer()
    last_allowed_day = fields.Date(allow_none=True)
    days_left = fields.Integer(allow_none=True)
    overstay_days = fields.Integer()
    first_overstay_day = fields.Date(allow_none=True)
    anomalies = fields.List(fields.String())
    last_crossing = fields.Nested(LastCrossingSchema)


class OverstayListSchema(Schema):
    """The report, most urgent first."""

    today = fields.Date()
    warning_days = fields.Integer()
    lookback_days = fields.Integer()
    items = fields.List(fields.Nested(OverstaySchema))


def overstay_body(overstay: Overstay) -> dict[str, Any]:
    """Return one listed traveller as the API shows it."""
    a = overstay.assessment
    return {
        "traveller": {
            "id": overstay.traveller_id,
            "surname": overstay.surname,
            "given_names": overstay.given_names,
            "nationality": overstay.nationality,
            "birth_date": overstay.birth_date,
        },
        "document": {
            "number": overstay.document_number,
            "issuing_state": overstay.document_issuing_state,
        },
        "status": a.status.value,
        "inside": a.inside,
        "entered_on": a.entered_on,
        "days_used": a.days_used,
        "allowed_days": overstay.limit.allowed_days,
        "window_days": overstay.limit.window_days,
        "last_allowed_day": a.last_allowed_day,
        "days_left": a.days_left,
        "overstay_days": a.overstay_days,
        "first_overstay_day": a.first_overstay_day,
        "anomalies": [anomaly.value for anomaly in a.anomalies],
        "last_crossing": {
            "id": overstay.last_crossing_id,
            "at": overstay.last_crossing_at,
            "direction": overstay.last_direction.value,
            "post_id": overstay.last_post_id,
            "post_code": overstay.last_post_code,
        },
    }


@blp.route("")
@require(Role.SUPERVISOR, Role.ADMIN)
@blp.arguments(OverstayArgs, location="query", as_kwargs=True)
@blp.response(200, OverstayListSchema)
def overstays(
    status: list[str] | None, post: int | None, nationality: str | None, today: date | None
) -> dict[str, Any]:
    """List travellers at your posts who overstay, are about to, or overstayed lately."""
    policy = overstay_policy(current_app.config)
    day = today or datetime.now(UTC).date()
    statuses = (
        frozenset(StayStatus(s) for s in status)
        if status
        else frozenset(StayStatus(s) for s in LISTED)
    )
    db = session()
    with db.begin():
        found = list_overstays(
            db,
            current_actor(),
            policy,
            today=day,
            statuses=statuses,
            post_id=post,
            nationality=nationality.upper() if nationality else None,
        )
    return {
        "today": day,
        "warning_days": policy.warning_days,
        "lookback_days": policy.lookback_days,
        "items": [overstay_body(o) for o in found],
    }
