"""Allowed stays per nationality: /api/v1/stay-rules — supervisors read them, admins set them."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from midas.auth import current_actor, require
from midas.domain import admin
from midas.persistence import session
from midas.persistence.models import Role, StayRule

blp = Blueprint(
    "stay_rules", __name__, url_prefix="/stay-rules", description="Allowed stays per nationality."
)


class StayRuleSchema(Schema):
    """`allowed_days` within any `window_days`; nationality '*' is the default rule."""

    nationality = fields.String()
    allowed_days = fields.Integer()
    window_days = fields.Integer()


class StayRuleListSchema(Schema):
    """Every stay rule, the default first."""

    items = fields.List(fields.Nested(StayRuleSchema))


class StayRuleChangeSchema(Schema):
    """The allowed stay to set for a nationality."""

    allowed_days = fields.Integer(required=True, validate=validate.Range(min=1, max=3650))
    window_days = fields.Integer(required=True, validate=validate.Range(min=1, max=3650))


def rule_body(rule: StayRule) -> dict[str, Any]:
    """Return a stay rule as the API shows it."""
    return {
        "nationality": rule.nationality,
        "allowed_days": rule.allowed_days,
        "window_days": rule.window_days,
    }


@blp.route("")
@require(Role.ADMIN, Role.SUPERVISOR)
@blp.response(200, StayRuleListSchema)
def list_rules() -> dict[str, Any]:
    """List the stay rules (nationalities without one get the default rule or the settings)."""
    db = session()
    with db.begin():
        return {"items": [rule_body(rule) for rule in admin.list_stay_rules(db)]}


@blp.route("/<nationality>", methods=["PUT"])
@require(Role.ADMIN)
@blp.arguments(StayRuleChangeSchema)
@blp.response(200, StayRuleSchema)
def set_rule(change: dict[str, int], nationality: str) -> dict[str, Any]:
    """Set the allowed stay of a nationality (a Doc 9303 code, or '*' for the default)."""
    db = session()
    with db.begin():
        return rule_body(admin.set_stay_rule(db, current_actor(), nationality, **change))


@blp.route("/<nationality>", methods=["DELETE"])
@require(Role.ADMIN)
@blp.response(204)
def delete_rule(nationality: str) -> None:
    """Remove a nationality's rule; the default applies to it again."""
    db = session()
    with db.begin():
        admin.delete_stay_rule(db, current_actor(), nationality)
