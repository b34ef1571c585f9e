"""The audit log: record who did what to which object, from where, in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from midas.auth.actor import Actor
from midas.persistence.models import AuditEvent


def record_audit(
    session: Session,
    actor: Actor | str,
    action: str,
    object_type: str | None = None,
    object_id: str | int | None = None,
    *,
    outcome: str = "ok",
    detail: dict[str, Any] | None = None,
    remote_addr: str | None = None,
) -> AuditEvent:
    """Add an audit event to the caller's transaction (a string actor: "cli:root", "system").

    `remote_addr` is for string actors (an anonymous login attempt); an Actor carries its own.
    """
    if isinstance(actor, Actor):
        label, role, remote_addr = actor.label, actor.role.value, actor.remote_addr
        if actor.station_id is not None:
            # The person is accountable; the station says at which desk it happened.
            detail = {"station_id": actor.station_id, **(detail or {})}
    else:
        label, role = actor, None
    event = AuditEvent(
        actor=label,
        role=role,
        remote_addr=remote_addr,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        outcome=outcome,
        detail=detail,
    )
    session.add(event)
    return event
