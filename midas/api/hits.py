"""The hit review queue: /api/v1/hits — supervisors confirm or dismiss hits with a reason."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from midas.api.crossings import HitSchema, hit_body
from midas.api.ids import page_field
from midas.auth import current_actor, require
from midas.domain.reviews import Verdict, list_hits, review_hit
from midas.persistence import session
from midas.persistence.models import HitStatus, Role, ScreeningHit

blp = Blueprint("hits", __name__, url_prefix="/hits", description="Review watchlist hits.")


class HitQuery(Schema):
    """Which hits to list: by review status (pending by default), paged."""

    status = fields.Enum(HitStatus, by_value=True, load_default=HitStatus.PENDING)
    page = page_field()
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class QueuedHitSchema(HitSchema):
    """A hit with the crossing it was found at."""

    crossing = fields.Dict()


class HitPageSchema(Schema):
    """A page of the review queue, oldest first."""

    items = fields.List(fields.Nested(QueuedHitSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class ReviewArgs(Schema):
    """Why the hit is confirmed or dismissed; an override when confirming over an admission."""

    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    override_reason = fields.String(
        validate=validate.Length(min=1, max=2000),
        metadata={"description": "required to confirm a hit on a crossing that was admitted"},
    )


def queued_body(hit: ScreeningHit) -> dict[str, Any]:
    """Return a hit with a summary of its crossing and traveller."""
    crossing = hit.crossing
    traveller = crossing.traveller
    body = hit_body(hit)
    body["crossing"] = {
        "id": crossing.id,
        "post_code": crossing.post.code,
        "occurred_at": crossing.occurred_at.isoformat(),
        "direction": crossing.direction.value,
        "decision": crossing.decision.value,
        "traveller_id": traveller.id,
        "surname": traveller.surname,
        "given_names": traveller.given_names,
        "nationality": traveller.nationality,
    }
    return body


@blp.route("")
@require(Role.SUPERVISOR)
@blp.arguments(HitQuery, location="query")
@blp.response(200, HitPageSchema)
def queue(args: dict[str, Any]) -> dict[str, Any]:
    """List hits at the posts this supervisor oversees (pending ones by default)."""
    db = session()
    with db.begin():
        page = list_hits(db, current_actor(), **args)
        return {
            "items": [queued_body(hit) for hit in page.hits],
            "page": page.page,
            "per_page": page.per_page,
            "total": page.total,
        }


def _review(hit_id: int, verdict: Verdict, args: dict[str, Any]) -> dict[str, Any]:
    db = session()
    with db.begin():
        hit = review_hit(
            db,
            current_actor(),
            hit_id,
            verdict,
            args["reason"],
            override_reason=args.get("override_reason"),
        )
        return queued_body(hit)


@blp.route("/<bigid:hit_id>/confirm", methods=["POST"])
@require(Role.SUPERVISOR)
@blp.arguments(ReviewArgs)
@blp.response(200, QueuedHitSchema)
def confirm(args: dict[str, Any], hit_id: int) -> dict[str, Any]:
    """Confirm a pending hit: the traveller or document is the one listed."""
    return _review(hit_id, Verdict.CONFIRM, args)


@blp.route("/<bigid:hit_id>/dismiss", methods=["POST"])
@require(Role.SUPERVISOR)
@blp.arguments(ReviewArgs)
@blp.response(200, QueuedHitSchema)
def dismiss(args: dict[str, Any], hit_id: int) -> dict[str, Any]:
    """Dismiss a pending hit: a false match."""
    return _review(hit_id, Verdict.DISMISS, args)
