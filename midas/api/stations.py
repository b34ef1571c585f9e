"""Stations: /api/v1/stations — admins create, rename, move, deactivate and reactivate them and
rotate their tokens (a token is shown once)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from midas.api.ids import id_field
from midas.auth import current_actor, require
from midas.domain import admin
from midas.persistence import session
from midas.persistence.models import Role, Station

blp = Blueprint("stations", __name__, url_prefix="/stations", description="Scanner desks at posts.")


class StationSchema(Schema):
    """A station; `token_hint` is the token's first characters, to tell tokens apart."""

    id = fields.Integer()
    post_id = fields.Integer()
    name = fields.String()
    token_hint = fields.String()
    active = fields.Boolean()
    created_at = fields.AwareDateTime()
    last_seen_at = fields.AwareDateTime(allow_none=True)
    keyboard_layout = fields.String(
        metadata={"description": "the layout of the station's computer (us, fr, be, de, ch, "
                  "fr-oss, ara): what a wedge scanner types is read back as the keys it pressed"}
    )  # fmt: skip


class IssuedTokenSchema(StationSchema):
    """A station with its new token: shown this once, only its SHA-256 is kept."""

    token = fields.String(metadata={"description": "send as `Authorization: Bearer <token>`"})


class StationListSchema(Schema):
    """The stations at posts the actor may see."""

    items = fields.List(fields.Nested(StationSchema))


class StationQuery(Schema):
    """Filters of the station list."""

    post_id = id_field()
    active = fields.Boolean()


class NewStationSchema(Schema):
    """A station to create at an active post."""

    post_id = id_field(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))


class StationChangeSchema(Schema):
    """A new name for a station, the open post it moves to (its token stays), or the keyboard
    layout of its computer."""

    name = fields.String(validate=validate.Length(min=1, max=120))
    post_id = id_field()
    keyboard_layout = fields.String(validate=validate.Length(min=1, max=16))


def station_body(station: Station) -> dict[str, Any]:
    """Return a station as the API shows it (never its token or the token's hash)."""
    return {
        "id": station.id,
        "post_id": station.post_id,
        "name": station.name,
        "keyboard_layout": station.keyboard_layout,
        "token_hint": station.token_hint,
        "active": station.active,
        "created_at": station.created_at,
        "last_seen_at": station.last_seen_at,
    }


@blp.route("")
@require(Role.ADMIN, Role.SUPERVISOR)
@blp.arguments(StationQuery, location="query")
@blp.response(200, StationListSchema)
def list_stations(args: dict[str, Any]) -> dict[str, Any]:
    """List the stations at posts this actor may see."""
    db = session()
    with db.begin():
        stations = admin.list_stations(db, current_actor(), **args)
        return {"items": [station_body(station) for station in stations]}


@blp.route("", methods=["POST"])
@require(Role.ADMIN)
@blp.arguments(NewStationSchema)
@blp.response(201, IssuedTokenSchema)
def create_station(new: dict[str, Any]) -> dict[str, Any]:
    """Create a station and return its token, this once."""
    db = session()
    with db.begin():
        issued = admin.create_station(db, current_actor(), **new)
        return station_body(issued.station) | {"token": issued.token}


@blp.route("/<int:station_id>")
@require(Role.ADMIN, Role.SUPERVISOR)
@blp.response(200, StationSchema)
def show_station(station_id: int) -> dict[str, Any]:
    """Show a station at a post this actor may see."""
    db = session()
    with db.begin():
        return station_body(admin.get_station(db, current_actor(), station_id))


@blp.route("/<int:station_id>/token", methods=["POST"])
@require(Role.ADMIN)
@blp.response(200, IssuedTokenSchema)
def rotate_token(station_id: int) -> dict[str, Any]:
    """Issue a new token for a station, this once; the old one stops working at once."""
    db = session()
    with db.begin():
        issued = admin.rotate_station_token(db, current_actor(), station_id)
        return station_body(issued.station) | {"token": issued.token}


@blp.route("/<int:station_id>/deactivate", methods=["POST"])
@require(Role.ADMIN)
@blp.response(200, StationSchema)
def deactivate_station(station_id: int) -> dict[str, Any]:
    """Deactivate a station: its token stops working at once; its records stay."""
    db = session()
    with db.begin():
        return station_body(admin.deactivate_station(db, current_actor(), station_id))


@blp.route("/<int:station_id>", methods=["PATCH"])
@require(Role.ADMIN)
@blp.arguments(StationChangeSchema)
@blp.response(200, StationSchema)
def update_station(change: dict[str, Any], station_id: int) -> dict[str, Any]:
    """Rename a station or move it to another open post."""
    db = session()
    with db.begin():
        return station_body(admin.update_station(db, current_actor(), station_id, **change))


@blp.route("/<int:station_id>/reactivate", methods=["POST"])
@require(Role.ADMIN)
@blp.response(200, IssuedTokenSchema)
def reactivate_station(station_id: int) -> dict[str, Any]:
    """Reactivate a deactivated station with a new token, shown this once."""
    db = session()
    with db.begin():
        issued = admin.reactivate_station(db, current_actor(), station_id)
        return station_body(issued.station) | {"token": issued.token}
