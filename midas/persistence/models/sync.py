"""What posts and headquarters know of each other: enrolled nodes, bundles sent and received.

A node (a post, or headquarters) signs what it sends with its own key; the other side enrolled
its public key beforehand. `outgoing_bundles` keeps every bundle made, byte for byte, until the
receiver acknowledges it, so a resend is the same bundle; `incoming_ledgers` keeps, per sender,
the last bundle accepted, so a gap, a replay or a fork is refused (the `bundles` library).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from midas.persistence.base import Base, BigId, UTCDateTime, utcnow


class SyncPeer(Base):
    """Another node this one exchanges bundles with: its code, role and public key."""

    __tablename__ = "sync_peers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    role: Mapped[str] = mapped_column(String(8))  # "post" or "hq"
    public_key: Mapped[str] = mapped_column(Text)  # PEM
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A revoked node can neither push nor pull: its bundles are refused.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When this node last heard from it (a bundle, an acknowledgement, a sync request).
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # At a post, of headquarters: the moment headquarters' lists and settings held here are
    # from (the last bundle's making, or a sync that found nothing newer).
    current_as_of: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutgoingBundle(Base):
    """A bundle this node made for another, kept until the receiver acknowledges it."""

    __tablename__ = "outgoing_bundles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receiver: Mapped[str] = mapped_column(String(40))
    sequence: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    records: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("receiver", "sequence"),)


class IncomingLedger(Base):
    """Per sender, the last bundle this node accepted: where the sender's chain stands."""

    __tablename__ = "incoming_ledgers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender: Mapped[str] = mapped_column(String(40), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    digest: Mapped[str] = mapped_column(String(64), default="")
    records: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PublishedState(Base):
    """What headquarters last sent a post of one subject (a list, the users, the stay rules):
    a list's version, or the digest of a snapshot, so only what changed is sent again."""

    __tablename__ = "sync_published"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receiver: Mapped[str] = mapped_column(String(40))
    # "list:<name>", "trust:<source>", "users", "stations", "stay_rules".
    subject: Mapped[str] = mapped_column(String(200))
    mark: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("receiver", "subject"),)


class SentAuditEvent(Base):
    """At a post, an audit event a bundle carries to headquarters (audit rows never change, so
    what was sent is kept beside them)."""

    __tablename__ = "sync_sent_audit_events"

    event_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    bundle: Mapped[int] = mapped_column(Integer)
