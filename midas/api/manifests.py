"""Manifests: /api/v1/manifests — a carrier's gateway posts a raw PAXLST message (UN/EDIFACT).

Every flight of the message is stored at its arrival post and its travellers screened, or the
message is refused whole with the segment and character where reading stopped. The answer
says what was taken and the problems of the carrier's records; it never tells a screening
result. Sending the same message again stores nothing new (`duplicate`); a corrected message
for a flight replaces its travellers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy.exc import IntegrityError

from midas.api.errors import ErrorSchema
from midas.auth import current_actor, require
from midas.auth.limits import gateway_limited
from midas.domain.carrier_messages import gateway_carriers, receive_message
from midas.domain.errors import InvalidInput
from midas.domain.screening import app_screener
from midas.domain.texts import N_
from midas.persistence import session
from midas.persistence.models import Role

blp = Blueprint(
    "manifests",
    __name__,
    url_prefix="/manifests",
    description="Advance passenger information: carriers' PAXLST messages.",
)

# What a gateway may send the message as; the body is the message itself, not a form.
MESSAGE_TYPES = ("application/edifact", "text/plain", "application/octet-stream")


class RecordProblemSchema(Schema):
    """A problem of the carrier's data: the segment, the field and what is wrong."""

    segment = fields.Integer()
    field = fields.String()
    reason = fields.String()


class ReceivedFlightSchema(Schema):
    """A flight of the message as stored (no screening result is ever told)."""

    flight = fields.String(metadata={"description": "carrier and flight number, e.g. KQ101"})
    post = fields.String(metadata={"description": "the arrival post's code"})
    arrival_local = fields.String(metadata={"description": "scheduled arrival, local time"})
    travellers = fields.Integer()
    duplicate = fields.Boolean(
        metadata={"description": "true: this very message was stored before; nothing changed"}
    )
    problems = fields.List(fields.Nested(RecordProblemSchema))


class ReceiptSchema(Schema):
    """Every flight of the message, as stored."""

    flights = fields.List(fields.Nested(ReceivedFlightSchema))


@blp.route("", methods=["POST"])
@require(Role.CARRIER)
@gateway_limited
@blp.response(201, ReceiptSchema)
@blp.alt_response(
    422,
    schema=ErrorSchema,
    description="the message is refused: `segment` and `position` say where",
)
@blp.alt_response(403, schema=ErrorSchema, description="a carrier this gateway may not send for")
@blp.alt_response(413, schema=ErrorSchema, description="larger than PAXLST_MAX_MB")
@blp.alt_response(429, schema=ErrorSchema, description="too many messages: retry later")
@blp.alt_response(503, schema=ErrorSchema, description="screening is not ready: retry later")
@blp.doc(
    requestBody={
        "required": True,
        "content": {kind: {"schema": {"type": "string"}} for kind in MESSAGE_TYPES},
    },
    security=[{"gateway": []}],
)
def submit() -> dict[str, Any]:
    """Submit a PAXLST message (D02B or D05B, batch) as the raw body, with a gateway's token.

    The flights are stored and screened whole or not at all: a refusal (422) names the segment
    (1 = the first) and, for a syntax error, the character position. Per-record problems (a bad
    birth date, a missing document number) do not refuse the message: they come back with it.
    """
    data = request.get_data(cache=False)
    if not data.strip():
        raise InvalidInput(
            N_("the body is empty: send the PAXLST message as the body"), field="body"
        )
    actor = current_actor()
    screener = app_screener(current_app)
    indexes = screener.indexes()  # 503 while a list is still being prepared: nothing taken
    db = session()
    # Two copies of a new message at once: the loser of the insert finds the winner's flight
    # on its second try and answers it as a duplicate.
    for attempt in (1, 2):
        try:
            with db.begin():
                received = receive_message(
                    db, actor, data, indexes, screener.config,
                    source=f"gateway {actor.username}", today=date.today(),
                    carriers=gateway_carriers(db, actor),
                )  # fmt: skip
            break
        except IntegrityError:
            if attempt == 2:
                raise
    return {"flights": [item.receipt() for item in received]}
