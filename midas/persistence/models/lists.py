"""Watchlists as stored: each list, its versions with provenance, entries, rejections, deltas.

A list's `active_version_id` is the one pointer screening follows. A load writes a new version
in state `loading`, then one transaction flips the pointer and the statuses (rule 6 of the
house style): readers see either the old version or the complete new one.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from midas.persistence.base import Base, BigId, JsonData, UTCDateTime, enum_column, utcnow
from watchlists.models import ListKind
from watchlists.versions import VersionState


class EntryChange(StrEnum):
    """How an entry differs from the version that was active before."""

    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"


class AlertPolicy(StrEnum):
    """What a hit on a list does to the officer's decision (see midas.domain.decisions)."""

    # Admission needs a supervisor's override with a reason (lost/stolen documents by default).
    BLOCK = "block"
    # The decision defaults to secondary inspection; admission needs a reason (wanted persons).
    REFER = "refer"
    # Shown to the officer; the decision is theirs alone.
    INFORM = "inform"


def default_policy(kind: ListKind) -> AlertPolicy:
    """Return the policy a new list starts with: documents block, persons refer."""
    return AlertPolicy.BLOCK if kind is ListKind.DOCUMENT else AlertPolicy.REFER


class Watchlist(Base):
    """A named list (person or document kind) and the pointer to its active version."""

    __tablename__ = "watchlists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[ListKind] = mapped_column(enum_column(ListKind, "list_kind"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # What a hit does to the decision; set by an administrator (migration 0007).
    alert_policy: Mapped[AlertPolicy] = mapped_column(
        enum_column(AlertPolicy, "alert_policy"), default=AlertPolicy.REFER
    )
    # Name score from which a listed person whose birth date differs is still shown, as a
    # possible match; None shows none (sanctions lists keep their measured false-alert rate).
    possible_match_floor: Mapped[float | None] = mapped_column(Float)
    active_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("watchlist_versions.id", use_alter=True, ondelete="SET NULL")
    )

    versions: Mapped[list[WatchlistVersion]] = relationship(
        back_populates="watchlist",
        foreign_keys="WatchlistVersion.watchlist_id",
        order_by="WatchlistVersion.number",
    )
    active_version: Mapped[WatchlistVersion | None] = relationship(
        foreign_keys=[active_version_id], post_update=True
    )


class WatchlistVersion(Base):
    """One load of a list, with its provenance, counts and outcome."""

    __tablename__ = "watchlist_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    watchlist_id: Mapped[int] = mapped_column(ForeignKey("watchlists.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    source_format: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    published: Mapped[date | None] = mapped_column(Date)
    loaded_by: Mapped[str] = mapped_column(String(120))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[VersionState] = mapped_column(
        enum_column(VersionState, "version_status"), default=VersionState.LOADING
    )
    failure_reason: Mapped[str | None] = mapped_column(Text)
    # The process loading this version, "host:pid:start" (migration 0010): a version left
    # loading by a process that is gone is failed by the next load (midas.domain.list_loads).
    loader: Mapped[str | None] = mapped_column(String(200))
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    rejected_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    added_count: Mapped[int] = mapped_column(Integer, default=0)
    changed_count: Mapped[int] = mapped_column(Integer, default=0)
    removed_count: Mapped[int] = mapped_column(Integer, default=0)

    watchlist: Mapped[Watchlist] = relationship(
        back_populates="versions", foreign_keys=[watchlist_id]
    )

    __table_args__ = (
        UniqueConstraint("watchlist_id", "number"),
        # A second guard beside the pointer: at most one active version per list.
        Index(
            "uq_watchlist_versions_one_active",
            "watchlist_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        # One load per list at a time (migration 0010): a second begins only after the first
        # is activated or failed, so neither is verified against a version the other replaces.
        Index(
            "uq_watchlist_versions_one_loading",
            "watchlist_id",
            unique=True,
            sqlite_where=text("status = 'loading'"),
            postgresql_where=text("status = 'loading'"),
        ),
    )


class WatchlistEntry(Base):
    """One entry of a list version: the entry as JSON plus the columns lookups need."""

    __tablename__ = "watchlist_entries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("watchlist_versions.id", ondelete="CASCADE"))
    entry_id: Mapped[str] = mapped_column(String(200))
    # sha256 of the canonical JSON, so deltas compare one column instead of whole documents.
    fingerprint: Mapped[str] = mapped_column(String(64))
    document_number: Mapped[str | None] = mapped_column(String(64))
    issuing_state: Mapped[str | None] = mapped_column(String(3))
    document_type: Mapped[str | None] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JsonData)

    __table_args__ = (
        UniqueConstraint("version_id", "entry_id"),
        Index("ix_watchlist_entries_document", "version_id", "document_number", "issuing_state"),
    )


class RejectedRecord(Base):
    """A record a load could not accept: where it stood in the file and why."""

    __tablename__ = "watchlist_rejections"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("watchlist_versions.id", ondelete="CASCADE"), index=True
    )
    location: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)


class EntryDelta(Base):
    """An entry added, changed or removed by a version relative to the one active before it."""

    __tablename__ = "watchlist_deltas"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("watchlist_versions.id", ondelete="CASCADE"))
    entry_id: Mapped[str] = mapped_column(String(200))
    change: Mapped[EntryChange] = mapped_column(enum_column(EntryChange, "entry_change"))

    __table_args__ = (UniqueConstraint("version_id", "entry_id"),)
