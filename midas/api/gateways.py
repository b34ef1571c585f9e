"""Carriers' gateways: /api/v1/gateways — administrators register the gateways that post PAXLST
messages, rotate their tokens (shown once) and deactivate them."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from midas.auth import current_actor, require
from midas.domain.admin.carrier_gateways import (
    IssuedGatewayToken,
    create_gateway,
    deactivate_gateway,
    list_gateways,
    rotate_gateway_token,
)
from midas.persistence import session
from midas.persistence.models import CarrierGateway, Role

blp = Blueprint(
    "gateways",
    __name__,
    url_prefix="/gateways",
    description="Carriers' gateways that submit PAXLST messages to /manifests.",
)


class GatewaySchema(Schema):
    """A gateway; `token_hint` is its token's first characters, to tell tokens apart."""

    id = fields.Integer()
    name = fields.String()
    carriers = fields.List(fields.String(), metadata={"description": "airline codes it sends for"})
    token_hint = fields.String()
    active = fields.Boolean()
    created_at = fields.AwareDateTime()
    last_seen_at = fields.AwareDateTime(allow_none=True)


class IssuedGatewaySchema(GatewaySchema):
    """A gateway with its new token: shown this once, only its SHA-256 is kept."""

    token = fields.String(metadata={"description": "send as `Authorization: Bearer <token>`"})


class GatewayListSchema(Schema):
    """Every gateway, by name."""

    items = fields.List(fields.Nested(GatewaySchema))


class NewGatewaySchema(Schema):
    """A gateway to register."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    carriers = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": 'airline codes, separated by spaces: "KQ KQA"'},
    )


def gateway_body(gateway: CarrierGateway) -> dict[str, Any]:
    """Return a gateway as the API shows it (never its token or the token's hash)."""
    return {
        "id": gateway.id,
        "name": gateway.name,
        "carriers": gateway.carriers.split(),
        "token_hint": gateway.token_hint,
        "active": gateway.active,
        "created_at": gateway.created_at,
        "last_seen_at": gateway.last_seen_at,
    }


def _issued(issued: IssuedGatewayToken) -> dict[str, Any]:
    return gateway_body(issued.gateway) | {"token": issued.token}


@blp.route("")
@require(Role.ADMIN)
@blp.response(200, GatewayListSchema)
def index() -> dict[str, Any]:
    """List the gateways."""
    db = session()
    with db.begin():
        return {"items": [gateway_body(g) for g in list_gateways(db)]}


@blp.route("", methods=["POST"])
@require(Role.ADMIN)
@blp.arguments(NewGatewaySchema)
@blp.response(201, IssuedGatewaySchema)
def create(new: dict[str, str]) -> dict[str, Any]:
    """Register a gateway for the airlines it sends for; its token is in this answer only."""
    db = session()
    with db.begin():
        return _issued(create_gateway(db, current_actor(), **new))


@blp.route("/<name>/token", methods=["POST"])
@require(Role.ADMIN)
@blp.response(200, IssuedGatewaySchema)
def rotate(name: str) -> dict[str, Any]:
    """Issue a gateway a new token (reactivating it); the old one stops working at once."""
    db = session()
    with db.begin():
        return _issued(rotate_gateway_token(db, current_actor(), name))


@blp.route("/<name>/deactivate", methods=["POST"])
@require(Role.ADMIN)
@blp.response(200, GatewaySchema)
def deactivate(name: str) -> dict[str, Any]:
    """Stop a gateway's token from working; what it sent stays."""
    db = session()
    with db.begin():
        return gateway_body(deactivate_gateway(db, current_actor(), name))
