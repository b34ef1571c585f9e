"""Hit reviews and audit events as a post sends them to headquarters, and as headquarters keeps
them: append-only facts with global ids, stored once however often they arrive.

A review names its hit by what both nodes share (the crossing's client id, the list and the
entry), and travels only once its crossing is in a bundle, so headquarters always has the hit
first. An audit event's global id is derived from the post's code and the event's id there
(audit rows never change, so a column cannot be added after the fact): the same event always
has the same id. Headquarters keeps when each happened at the post and when it arrived.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from bundles.model import Record
from midas.domain.audit import record_audit
from midas.domain.errors import InvalidInput
from midas.domain.sync_records import sync_user
from midas.domain.texts import N_
from midas.persistence.base import utcnow
from midas.persistence.models import (
    AuditEvent,
    Crossing,
    HitStatus,
    Post,
    Role,
    ScreeningHit,
    SentAuditEvent,
    Station,
    User,
)

HIT_REVIEW = "hit_review"
AUDIT = "audit"
# The namespace of the global ids derived here (uuid5): fixed, so every node derives the same.
NAMESPACE = uuid.UUID("6f1d4c2e-5b7a-4e0f-9a43-2c8d1e7b9f60")
# Audit events are looked for among the ids above the highest one sent, less this many: one
# written in a transaction that stays open while as many later events commit would be missed
# (PostgreSQL draws ids before commit). Work per export stays bounded by count.
AUDIT_WINDOW = 100_000
# Global ids looked up per statement at headquarters.
LOOKUP_BATCH = 500


def review_id(crossing_client_id: str, list_name: str, entry_id: str) -> str:
    """Return the global id of a hit's review."""
    return str(uuid.uuid5(NAMESPACE, f"review\n{crossing_client_id}\n{list_name}\n{entry_id}"))


def audit_id(post_code: str, event_id: int) -> str:
    """Return the global id of an audit event recorded at a post."""
    return str(uuid.uuid5(NAMESPACE, f"audit\n{post_code}\n{event_id}"))


def held_id(sender: str, record_id: str) -> str:
    """Return the id headquarters keeps an audit event under: the sender's id in the sender's
    name, so no post can take the place of another post's events by sending their ids first."""
    return str(uuid.uuid5(NAMESPACE, f"held\n{sender}\n{record_id}"))


# -- at a post ----------------------------------------------------------------------------------


def unbundled_reviews(session: Session, limit: int) -> list[ScreeningHit]:
    """Return reviewed hits whose review no bundle carries yet and whose crossing one does."""
    return list(
        session.scalars(
            select(ScreeningHit)
            .join(Crossing, Crossing.id == ScreeningHit.crossing_id)
            .where(
                ScreeningHit.status != HitStatus.PENDING,
                ScreeningHit.reviewed_at.is_not(None),
                ScreeningHit.review_sync_bundle.is_(None),
                Crossing.sync_bundle.is_not(None),
            )
            .order_by(ScreeningHit.id)
            .limit(limit)
            .options(selectinload(ScreeningHit.crossing), selectinload(ScreeningHit.reviewed_by))
        )
    )


def review_records(hits: Sequence[ScreeningHit], post_code: str) -> list[Record]:
    """Return hits' reviews as records for headquarters."""
    records = []
    for hit in hits:
        assert hit.reviewed_at is not None  # unbundled_reviews chose reviewed hits only
        reviewer = hit.reviewed_by
        records.append(
            Record(
                HIT_REVIEW,
                review_id(hit.crossing.client_id, hit.list_name, hit.entry_id),
                hit.reviewed_at,
                {
                    "post": post_code,
                    "crossing": hit.crossing.client_id,
                    "list_name": hit.list_name,
                    "entry_id": hit.entry_id,
                    "status": hit.status.value,
                    "reviewed_by": None if reviewer is None else reviewer.username,
                    "reviewer_role": None if reviewer is None else reviewer.role.value,
                    "reviewed_at": hit.reviewed_at.isoformat(),
                    "review_reason": hit.review_reason,
                    "override_reason": hit.override_reason,
                },
            )
        )
    return records


def mark_reviews(session: Session, hits: Sequence[ScreeningHit], bundle: int) -> None:
    """Note the bundle that carries these reviews."""
    session.execute(
        update(ScreeningHit)
        .where(ScreeningHit.id.in_([h.id for h in hits]))
        .values(review_sync_bundle=bundle)
    )


def unbundled_audit(session: Session, limit: int) -> list[AuditEvent]:
    """Return audit events no bundle carries yet, oldest first."""
    if limit <= 0:
        return []
    highest = session.scalar(select(func.max(SentAuditEvent.event_id))) or 0
    sent = exists().where(SentAuditEvent.event_id == AuditEvent.id)
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.id > highest - AUDIT_WINDOW, AuditEvent.origin_id.is_(None), ~sent)
            .order_by(AuditEvent.id)
            .limit(limit)
        )
    )


def _actor_names(session: Session, events: Sequence[AuditEvent]) -> dict[str, str]:
    """Map "user:<id>" and "station:<id>" actors to names headquarters can read."""
    ids: dict[str, set[int]] = {"user": set(), "station": set()}
    for event in events:
        kind, _, number = event.actor.partition(":")
        if kind in ids and number.isdigit():
            ids[kind].add(int(number))
    names = {
        f"user:{i}": f"user:{name}"
        for i, name in session.execute(
            select(User.id, User.username).where(User.id.in_(ids["user"]))
        )
    }
    names.update(
        {
            f"station:{i}": f"station:{name}"
            for i, name in session.execute(
                select(Station.id, Station.name).where(Station.id.in_(ids["station"]))
            )
        }
    )
    return names


def audit_records(session: Session, events: Sequence[AuditEvent], post_code: str) -> list[Record]:
    """Return audit events as records for headquarters, their actors named."""
    names = _actor_names(session, events)
    return [
        Record(
            AUDIT,
            audit_id(post_code, event.id),
            event.at,
            {
                "post": post_code,
                "actor": names.get(event.actor, event.actor),
                "role": event.role,
                "remote_addr": event.remote_addr,
                "action": event.action,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "outcome": event.outcome,
                "detail": event.detail,
            },
        )
        for event in events
    ]


def mark_audit(session: Session, events: Sequence[AuditEvent], bundle: int) -> None:
    """Note the bundle that carries these audit events."""
    if events:
        session.execute(
            insert(SentAuditEvent), [{"event_id": e.id, "bundle": bundle} for e in events]
        )


# -- at headquarters ----------------------------------------------------------------------------


def _own(sender: str, record: Record) -> None:
    if record.data.get("post") != sender:
        raise InvalidInput(
            N_(
                "%(kind)s %(id)s from %(sender)s names post %(post)s: a post sends its own "
                "records only"
            ),
            params={
                "kind": record.kind,
                "id": record.id,
                "sender": sender,
                "post": repr(record.data.get("post")),
            },
            field="post",
        )


def store_review(session: Session, sender: str, record: Record) -> bool:
    """Store a post's review of a hit; False when headquarters holds a review of it already
    (the same one resent, or one made first elsewhere, which stands)."""
    _own(sender, record)
    data = record.data
    hit = session.scalar(
        select(ScreeningHit)
        .join(Crossing, Crossing.id == ScreeningHit.crossing_id)
        .join(Post, Post.id == Crossing.post_id)
        .where(
            Crossing.client_id == data.get("crossing"),
            Post.code == sender,
            ScreeningHit.list_name == data.get("list_name"),
            ScreeningHit.entry_id == data.get("entry_id"),
        )
        .order_by(ScreeningHit.id)
        .limit(1)
        .with_for_update()
    )
    if hit is None:
        raise InvalidInput(
            N_(
                "review %(id)s from %(sender)s names a hit headquarters does not hold "
                "(crossing %(crossing)s, list %(list_name)s): its crossing comes first"
            ),
            params={
                "id": record.id,
                "sender": sender,
                "crossing": data.get("crossing"),
                "list_name": data.get("list_name"),
            },
            field="crossing",
        )
    if hit.reviewed_at is not None:
        if hit.status.value != data.get("status"):
            # Reviewed here first, differently: the first verdict stands, and the other is kept.
            record_audit(
                session,
                f"node:{sender}",
                "hit.review_not_applied",
                "screening_hit",
                hit.id,
                detail={"review": record.id, "status": data.get("status"),
                        "reason": data.get("review_reason"), "standing": hit.status.value},
            )  # fmt: skip
        return False
    try:
        status = HitStatus(str(data.get("status")))
        reviewed_at = datetime.fromisoformat(str(data.get("reviewed_at")))
        role = Role(data.get("reviewer_role") or Role.SUPERVISOR.value)
    except ValueError:
        raise InvalidInput(
            N_("review %(id)s: a status, time or role is wrong"),
            params={"id": record.id},
            field="status",
        ) from None
    if status is HitStatus.PENDING:
        raise InvalidInput(
            N_("review %(id)s does not decide the hit"), params={"id": record.id}, field="status"
        )
    post = session.scalar(select(Post).where(Post.code == sender))
    assert post is not None  # the hit's crossing is the post's
    reviewer = data.get("reviewed_by")
    hit.status = status
    hit.reviewed_at = reviewed_at
    hit.reviewed_by_id = (
        None if not isinstance(reviewer, str) else sync_user(session, reviewer, post, role).id
    )
    hit.review_reason = data.get("review_reason")
    hit.override_reason = data.get("override_reason")
    hit.review_received_at = utcnow()
    return True


def store_audit_events(session: Session, sender: str, records: Sequence[Record]) -> int:
    """Store a post's audit events that headquarters does not hold yet; return how many."""
    for record in records:
        _own(sender, record)
    stored = 0
    received = utcnow()
    for start in range(0, len(records), LOOKUP_BATCH):
        batch = records[start : start + LOOKUP_BATCH]
        ids = {held_id(sender, r.id): r for r in batch}
        held = set(
            session.scalars(select(AuditEvent.origin_id).where(AuditEvent.origin_id.in_(ids)))
        )
        rows = [_audit_row(sender, r, received) for key, r in ids.items() if key not in held]
        if rows:
            session.execute(insert(AuditEvent), rows)
        stored += len(rows)
    return stored


def _audit_row(sender: str, record: Record, received: datetime) -> dict[str, Any]:
    data = record.data

    def text(name: str, length: int) -> str | None:
        value = data.get(name)
        return None if value is None else str(value)[:length]

    action = text("action", 64)
    if not action:
        raise InvalidInput(
            N_("audit event %(id)s from %(sender)s has no action"),
            params={"id": record.id, "sender": sender},
            field="action",
        )
    detail = data.get("detail")
    return {
        "at": record.at,
        "actor": f"{data.get('actor')}@{sender}"[:120],
        "role": text("role", 16),
        "remote_addr": text("remote_addr", 64),
        "action": action,
        "object_type": text("object_type", 64),
        "object_id": text("object_id", 64),
        "outcome": text("outcome", 16) or "ok",
        "detail": detail if isinstance(detail, dict) else None,
        "origin_id": held_id(sender, record.id),
        "received_at": received,
    }
