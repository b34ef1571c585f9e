"""The audit log: record who did what to which object, from where, in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    Text,
    cast,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.errors import PermissionDenied
from midas.domain.texts import N_
from midas.persistence.base import utcnow
from midas.persistence.models import AuditEvent, Role, Station, User


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
    event = AuditEvent(
        **audit_values(
            actor,
            action,
            object_type,
            object_id,
            outcome=outcome,
            detail=detail,
            remote_addr=remote_addr,
        )
    )
    session.add(event)
    return event


def audit_values(
    actor: Actor | str,
    action: str,
    object_type: str | None = None,
    object_id: str | int | None = None,
    *,
    outcome: str = "ok",
    detail: dict[str, Any] | None = None,
    remote_addr: str | None = None,
) -> dict[str, Any]:
    """Return the columns of an audit event."""
    if isinstance(actor, Actor):
        label, role, remote_addr = actor.label, actor.role.value, actor.remote_addr
        if actor.station_id is not None:
            # The person is accountable; the station says at which desk it happened.
            detail = {"station_id": actor.station_id, **(detail or {})}
    else:
        label, role = actor, None
    return {
        "at": utcnow(),
        "actor": label,
        "role": role,
        "remote_addr": remote_addr,
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "outcome": outcome,
        "detail": detail,
    }


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What to look for in the audit log; None matches anything."""

    actor: str | None = None  # "user:12", "station:3", "cli:root", "anonymous"
    username: str | None = None  # the user's events, resolved to "user:<id>"
    action: str | None = None  # exact, or a prefix ending in "*" ("user.*")
    object_type: str | None = None
    object_id: str | None = None
    outcome: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    # Pseudonyms of traveller names or document numbers (midas.domain.pseudonyms) that an
    # event's detail must all hold: the searches and screenings that concerned them.
    subjects: tuple[str, ...] = ()

    def as_detail(self) -> dict[str, str]:
        """Return the filters used, for the audit event of the search itself."""
        detail = {
            name: value.isoformat() if isinstance(value, datetime) else str(value)
            for name in self.__slots__
            if (value := getattr(self, name)) is not None and name != "subjects"
        }
        if self.subjects:
            detail["subjects"] = " ".join(self.subjects)
        return detail


def _visible_actors(actor: Actor) -> ColumnElement[bool] | None:
    """Say whose events a reader may see: None for all (admins)."""
    if actor.role is Role.ADMIN and actor.kind == "user":
        return None
    if actor.role is not Role.SUPERVISOR or actor.kind != "user":
        raise PermissionDenied(N_("only supervisors and administrators read the audit log"))
    # A supervisor oversees the officers and stations at their posts, and sees their own events.
    officers = select(literal("user:") + cast(User.id, String)).where(User.role == Role.OFFICER)
    stations = select(literal("station:") + cast(Station.id, String))
    if actor.post_ids is not None:
        officers = officers.where(User.post_id.in_(actor.post_ids))
        stations = stations.where(Station.post_id.in_(actor.post_ids))
    return or_(
        AuditEvent.actor == actor.label,
        AuditEvent.actor.in_(officers),
        AuditEvent.actor.in_(stations),
    )


def search_audit(
    session: Session, actor: Actor, wanted: AuditFilter, *, offset: int = 0, limit: int = 50
) -> tuple[list[AuditEvent], int]:
    """Return a page of audit events, newest first, and how many match; the search is audited."""
    conditions: list[ColumnElement[bool]] = []
    visible = _visible_actors(actor)
    if visible is not None:
        conditions.append(visible)
    if wanted.actor is not None:
        conditions.append(AuditEvent.actor == wanted.actor)
    if wanted.username is not None:
        user_id = session.scalar(select(User.id).where(User.username == wanted.username))
        conditions.append(AuditEvent.actor == ("nobody" if user_id is None else f"user:{user_id}"))
    if wanted.action is not None:
        if wanted.action.endswith("*"):
            prefix = wanted.action[:-1].replace("\\", "\\\\").replace("%", "\\%")
            prefix = prefix.replace("_", "\\_")
            conditions.append(AuditEvent.action.like(prefix + "%", escape="\\"))
        else:
            conditions.append(AuditEvent.action == wanted.action)
    if wanted.object_type is not None:
        conditions.append(AuditEvent.object_type == wanted.object_type)
    if wanted.object_id is not None:
        conditions.append(AuditEvent.object_id == wanted.object_id)
    if wanted.outcome is not None:
        conditions.append(AuditEvent.outcome == wanted.outcome)
    if wanted.since is not None:
        conditions.append(AuditEvent.at >= wanted.since)
    if wanted.until is not None:
        conditions.append(AuditEvent.at < wanted.until)
    for subject in wanted.subjects:
        conditions.append(cast(AuditEvent.detail, Text).contains(subject, autoescape=True))
    total = session.scalar(select(func.count(AuditEvent.id)).where(*conditions)) or 0
    events = list(
        session.scalars(
            select(AuditEvent)
            .where(*conditions)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .offset(offset)
            .limit(limit)
        )
    )
    record_audit(
        session, actor, "audit.search", "audit_event", detail=wanted.as_detail() | {"total": total}
    )
    return events, total


def usernames(session: Session, events: list[AuditEvent]) -> dict[str, str]:
    """Map the "user:<id>" actors of some events to usernames, for display."""
    labels = {event.actor for event in events}
    ids = {int(label[5:]) for label in labels if label[:5] == "user:" and label[5:].isdigit()}
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.username).where(User.id.in_(ids)))
    return {f"user:{user_id}": name for user_id, name in rows}
