"""The audit log: /api/v1/audit — admins search all of it, supervisors their posts' officers."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from midas.api.ids import moment_field
from midas.api.pagination import Page, PageArgs, PageSchema
from midas.auth import current_actor, require
from midas.domain.audit import AuditFilter, search_audit, usernames
from midas.domain.pseudonyms import app_pseudonyms, audit_subjects
from midas.persistence import session
from midas.persistence.models import AuditEvent, Role

blp = Blueprint("audit", __name__, url_prefix="/audit", description="Who did what, when, where.")


class AuditEventSchema(Schema):
    """One audited action."""

    id = fields.Integer()
    at = fields.AwareDateTime()
    actor = fields.String(metadata={"description": '"user:12", "station:3", "cli:root", ...'})
    username = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    remote_addr = fields.String(allow_none=True)
    action = fields.String()
    object_type = fields.String(allow_none=True)
    object_id = fields.String(allow_none=True)
    outcome = fields.String()
    detail = fields.Dict(allow_none=True)


class AuditPageSchema(PageSchema):
    """A page of audit events, newest first."""

    items = fields.List(fields.Nested(AuditEventSchema))


class AuditQuery(PageArgs):
    """Filters of the audit log; times are ISO 8601 with a zone."""

    actor = fields.String(validate=validate.Length(max=120))
    username = fields.String(validate=validate.Length(max=80))
    action = fields.String(
        validate=validate.Length(max=64), metadata={"description": 'exact, or a prefix: "user.*"'}
    )
    object_type = fields.String(validate=validate.Length(max=64))
    object_id = fields.String(validate=validate.Length(max=64))
    outcome = fields.String(validate=validate.Length(max=16))
    since = moment_field(metadata={"description": "from this time (inclusive)"})
    until = moment_field(metadata={"description": "up to this time (exclusive)"})
    traveller_name = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "events that searched for this traveller's name (matched by "
                  "its pseudonym: the log keeps no name in clear)"},
    )  # fmt: skip
    document_number = fields.String(
        validate=validate.Length(min=1, max=40),
        metadata={"description": "events that searched for or screened this document number "
                  "(matched by its pseudonym)"},
    )  # fmt: skip


def event_body(event: AuditEvent, names: dict[str, str]) -> dict[str, Any]:
    """Return an audit event as the API shows it."""
    return {
        "id": event.id,
        "at": event.at,
        "actor": event.actor,
        "username": names.get(event.actor),
        "role": event.role,
        "remote_addr": event.remote_addr,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "outcome": event.outcome,
        "detail": event.detail,
    }


@blp.route("")
@require(Role.ADMIN, Role.SUPERVISOR)
@blp.arguments(AuditQuery, location="query")
@blp.response(200, AuditPageSchema)
def search(args: dict[str, Any]) -> dict[str, Any]:
    """Search the audit log, newest first; the search itself is audited."""
    page = Page.from_args(args)
    subjects = audit_subjects(
        app_pseudonyms(current_app), args.pop("traveller_name", None),
        args.pop("document_number", None),
    )  # fmt: skip
    wanted = AuditFilter(**args, subjects=subjects)
    db = session()
    with db.begin():
        events, total = search_audit(
            db, current_actor(), wanted, offset=page.offset, limit=page.per_page
        )
        names = usernames(db, events)
        return page.answer([event_body(event, names) for event in events], total)
