"""Travellers: /api/v1/travellers/{id}, a history of every crossing with corrections linked."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from midas.api.crossings import CrossingSchema, DeskReadArgs, crossing_body
from midas.api.ids import big_id_field
from midas.auth import attribute_officer, current_actor, require
from midas.domain.search import corrections_of
from midas.domain.traveller_files import merge_travellers, split_traveller
from midas.domain.travellers import traveller_history
from midas.persistence import session
from midas.persistence.models import Role

blp = Blueprint("travellers", __name__, url_prefix="/travellers", description="Travellers.")


class DocumentSchema(Schema):
    """A travel document of the traveller."""

    id = fields.Integer()
    document_type = fields.String()
    issuing_state = fields.String()
    number = fields.String(allow_none=True)
    expiry_date = fields.String(allow_none=True)


class HistorySchema(Schema):
    """A traveller, their documents, and every crossing the actor may see, oldest first."""

    id = fields.Integer()
    surname = fields.String(allow_none=True)
    given_names = fields.String(allow_none=True)
    birth_date = fields.String(allow_none=True)
    nationality = fields.String(allow_none=True)
    sex = fields.String(allow_none=True)
    anonymised = fields.Boolean()
    documents = fields.List(fields.Nested(DocumentSchema))
    crossings = fields.List(fields.Nested(CrossingSchema))


@blp.route("/<int:traveller_id>")
@require(Role.OFFICER, Role.SUPERVISOR)
@blp.arguments(DeskReadArgs(), location="query")
@blp.response(200, HistorySchema)
def history(args: dict[str, Any], traveller_id: int) -> dict[str, Any]:
    """Return a traveller's history: each crossing, with `corrects_id`/`corrected_by` links.

    A station reads only a traveller it recorded lately, naming the officer at the desk.
    """
    db = session()
    with db.begin():
        actor = attribute_officer(db, current_actor(), args.get("officer"))
        found = traveller_history(db, actor, traveller_id)
        corrected = corrections_of(db, (c.id for c in found.crossings))
        traveller = found.traveller
        return {
            "id": traveller.id,
            "surname": traveller.surname,
            "given_names": traveller.given_names,
            "birth_date": traveller.birth_date.isoformat() if traveller.birth_date else None,
            "nationality": traveller.nationality,
            "sex": traveller.sex,
            "anonymised": traveller.anonymised_at is not None,
            "documents": [
                {
                    "id": d.id,
                    "document_type": d.document_type,
                    "issuing_state": d.issuing_state,
                    "number": d.number,
                    "expiry_date": d.expiry_date.isoformat() if d.expiry_date else None,
                }
                for d in found.documents
            ],
            "crossings": [
                crossing_body(c, full=False, corrected_by=corrected.get(c.id))
                for c in found.crossings
            ],
        }


class MergeArgs(Schema):
    """Another traveller to merge into this one, and why."""

    traveller_id = big_id_field(required=True, metadata={"description": "merged into this one"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class SplitArgs(Schema):
    """Crossings of this traveller that belong to another person, and why."""

    crossing_ids = fields.List(big_id_field(), required=True, validate=validate.Length(min=1))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class RefiledSchema(Schema):
    """The traveller the crossings are now filed under, and the corrections that did it."""

    traveller_id = fields.Integer()
    corrections = fields.List(fields.Integer())


@blp.route("/<int:traveller_id>/merges", methods=["POST"])
@require(Role.SUPERVISOR)
@blp.arguments(MergeArgs())
@blp.response(200, RefiledSchema)
def merge(args: dict[str, Any], traveller_id: int) -> dict[str, Any]:
    """Merge another traveller into this one: their crossings are refiled (as corrections)."""
    db = session()
    with db.begin():
        done = merge_travellers(
            db, current_actor(), traveller_id, args["traveller_id"], args["reason"]
        )
        return {"traveller_id": done.traveller_id, "corrections": done.corrections}


@blp.route("/<int:traveller_id>/splits", methods=["POST"])
@require(Role.SUPERVISOR)
@blp.arguments(SplitArgs())
@blp.response(201, RefiledSchema)
def split(args: dict[str, Any], traveller_id: int) -> dict[str, Any]:
    """File chosen crossings under a new traveller (as corrections); answers the new one."""
    db = session()
    with db.begin():
        done = split_traveller(
            db, current_actor(), traveller_id, args["crossing_ids"], args["reason"]
        )
        return {"traveller_id": done.traveller_id, "corrections": done.corrections}
