"""Crossings (entries, exits, refused attempts) and the watchlist hits found at each.

A recorded crossing is never edited in place: a correction is a new row whose `corrects_id`
points at the row it corrects. Only retention empties personal columns.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from midas.persistence.base import Base, BigId, JsonData, UTCDateTime, enum_column, utcnow
from midas.persistence.models.posts import Post, Station
from midas.persistence.models.travellers import TravelDocument, Traveller
from midas.persistence.models.users import User


class Direction(StrEnum):
    """Into the country or out of it."""

    ENTRY = "entry"
    EXIT = "exit"


class Decision(StrEnum):
    """What the officer decided."""

    ADMITTED = "admitted"
    REFUSED = "refused"
    REFERRED = "referred"


class HitStatus(StrEnum):
    """Where a hit stands in the supervisor's review queue."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class Crossing(Base):
    """One passage (or refused attempt) at a post, as recorded by an officer."""

    __tablename__ = "crossings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # Client-generated id: a retried submission finds the crossing it already recorded.
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    # sha256 of the submission as sent, so reusing a client_id for a different one is refused.
    submission_sha256: Mapped[str | None] = mapped_column(String(64))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    traveller_id: Mapped[int] = mapped_column(ForeignKey("travellers.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("travel_documents.id"))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction, "direction"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    transport_mode: Mapped[str | None] = mapped_column(String(16))
    transport_ref: Mapped[str | None] = mapped_column(String(32))
    purpose: Mapped[str | None] = mapped_column(String(32))
    decision: Mapped[Decision] = mapped_column(enum_column(Decision, "decision"))
    refusal_reason: Mapped[str | None] = mapped_column(String(8))
    notes: Mapped[str | None] = mapped_column(Text)
    # The scanner reading as the MRZ engine returned it: fields, checks, repairs, problems.
    reading: Mapped[dict[str, Any] | None] = mapped_column(JsonData)
    document_valid: Mapped[bool] = mapped_column(Boolean)
    document_expired: Mapped[bool] = mapped_column(Boolean, default=False)
    # Passive Authentication of the chip read with the document (migration 0016): verified,
    # failed or not_verifiable; None when no chip was read. The whole result is in `reading`.
    chip_status: Mapped[str | None] = mapped_column(String(16))
    # At a post: the bundle to headquarters that carries this crossing (migration 0017).
    sync_bundle: Mapped[int | None] = mapped_column(Integer, index=True)
    # Age bands and sex are copied here so statistics survive anonymisation.
    traveller_sex: Mapped[str | None] = mapped_column(String(1))
    traveller_age: Mapped[int | None] = mapped_column(Integer)
    traveller_nationality: Mapped[str | None] = mapped_column(String(3))
    is_minor: Mapped[bool] = mapped_column(Boolean, default=False)
    minor_accompanied: Mapped[bool | None] = mapped_column(Boolean)
    accompanying_crossing_id: Mapped[int | None] = mapped_column(ForeignKey("crossings.id"))
    # Unique (migration 0008): a crossing is corrected once; concurrent corrections cannot fork
    # the chain, the database refusing all but the first.
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("crossings.id"), index=True, unique=True
    )
    # Why a correction was made; set only on a row whose corrects_id is set (migration 0003).
    correction_reason: Mapped[str | None] = mapped_column(Text)
    # Why a paper record was entered after MAX_BACKDATE (an outage): a supervisor's late entry
    # (migration 0015). `occurred_at` is when it happened, `recorded_at` when it was entered.
    late_entry_reason: Mapped[str | None] = mapped_column(Text)
    override_reason: Mapped[str | None] = mapped_column(Text)
    # The traveller the document is on record with, when the identity read is another person's
    # (an impostor, or a document reissued under a new name): shown on the hit and review pages.
    document_holder_id: Mapped[int | None] = mapped_column(ForeignKey("travellers.id"))
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    post: Mapped[Post] = relationship()
    station: Mapped[Station | None] = relationship()
    officer: Mapped[User] = relationship()
    traveller: Mapped[Traveller] = relationship(foreign_keys=[traveller_id])
    document_holder: Mapped[Traveller | None] = relationship(foreign_keys=[document_holder_id])
    document: Mapped[TravelDocument] = relationship()
    hits: Mapped[list[ScreeningHit]] = relationship(
        back_populates="crossing", order_by="ScreeningHit.id"
    )

    __table_args__ = (
        Index("ix_crossings_post_time", "post_id", "occurred_at"),
        Index("ix_crossings_traveller_time", "traveller_id", "occurred_at"),
        Index("ix_crossings_time", "occurred_at"),
        # Previous crossings of a document and search by document number (migration 0003).
        Index("ix_crossings_document_time", "document_id", "occurred_at"),
        # Search by nationality over a period, and statistics by nationality (migration 0004).
        Index("ix_crossings_nationality_time", "traveller_nationality", "occurred_at"),
    )


class ScreeningHit(Base):
    """A watchlist match found when a crossing was screened, and its review."""

    __tablename__ = "screening_hits"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    crossing_id: Mapped[int] = mapped_column(ForeignKey("crossings.id"), index=True)
    list_name: Mapped[str] = mapped_column(String(120))
    # Indexed (migration 0005): pruning asks which old versions stored hits still name.
    # None at headquarters for a hit a post found on a list version headquarters does not hold
    # (migration 0017); `list_name` and the reasons still say what matched.
    list_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("watchlist_versions.id"), index=True
    )
    list_kind: Mapped[str] = mapped_column(String(16))
    entry_id: Mapped[str] = mapped_column(String(200))
    matched_name: Mapped[str] = mapped_column(String(400))
    score: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JsonData)
    category: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str | None] = mapped_column(Text)
    status: Mapped[HitStatus] = mapped_column(
        enum_column(HitStatus, "hit_status"), default=HitStatus.PENDING, index=True
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_reason: Mapped[str | None] = mapped_column(Text)
    override_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # At a post: the bundle that carries the hit's review to headquarters (None until one does).
    review_sync_bundle: Mapped[int | None] = mapped_column(Integer, index=True)
    # At headquarters: when a review made at a post arrived (`reviewed_at` is when it was made).
    review_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    crossing: Mapped[Crossing] = relationship(back_populates="hits")
    reviewed_by: Mapped[User | None] = relationship()

    @property
    def possible(self) -> bool:
        """True for a possible match: the name matched, the birth date (or more) did not."""
        return any(reason.get("feature") == "possible match" for reason in self.reasons or ())
