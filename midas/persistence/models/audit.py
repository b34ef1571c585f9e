"""The audit log: who read or wrote personal data, or administered the system, when and from where.

Rows are only ever inserted; database triggers (migration 0002) refuse UPDATE and DELETE, so the
log cannot be changed through the application.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from midas.persistence.base import Base, BigId, JsonData, UTCDateTime, utcnow


class AuditEvent(Base):
    """One audited action."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(120))  # "user:12", "station:3", "cli:root", "system"
    role: Mapped[str | None] = mapped_column(String(16))
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))  # e.g. "crossing.record", "traveller.read"
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16), default="ok")
    detail: Mapped[dict[str, Any] | None] = mapped_column(JsonData)
    # At headquarters, for an event recorded at a post: its global id there and when it arrived
    # (`at` is when it happened at the post). Unique, so an event resent is stored once.
    origin_id: Mapped[str | None] = mapped_column(String(36))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_audit_events_actor_at", "actor", "at"),
        # An index, not a constraint: SQLite adds one without copying the table and its triggers.
        Index("uq_audit_events_origin_id", "origin_id", unique=True),
    )
