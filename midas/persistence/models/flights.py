"""Advance passenger information as stored: each flight expected at a post, and who is on it.

A flight is stored per post, carrier, number and scheduled arrival; a later message for the same
flight replaces its travellers (carriers send a manifest at departure and corrections after).
Each traveller keeps what the carrier sent, the problems of their record, and the screening
hits found when the manifest arrived (or when a list changed before the flight landed).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from midas.persistence.base import Base, BigId, JsonData, UTCDateTime, utcnow


class Flight(Base):
    """A flight expected at a post, from its latest PAXLST message."""

    __tablename__ = "flights"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    carrier: Mapped[str] = mapped_column(String(8))
    flight_number: Mapped[str] = mapped_column(String(16))
    departure_airport: Mapped[str | None] = mapped_column(String(8))
    # Local times at the airports, as the carrier writes them (PAXLST carries no time zone).
    departure_local: Mapped[datetime | None] = mapped_column(DateTime())
    arrival_airport: Mapped[str | None] = mapped_column(String(8))
    arrival_local: Mapped[datetime] = mapped_column(DateTime())
    message_reference: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(200))
    # SHA-256 of the message that brought the passenger list ("" before one came), and of
    # the one that brought the crew list: the same message again stores nothing.
    sha256: Mapped[str] = mapped_column(String(64))
    crew_sha256: Mapped[str | None] = mapped_column(String(64))
    # Passengers the passenger list declares (CNT+42); a crew list's count is its own problem.
    declared_count: Mapped[int | None] = mapped_column(Integer)
    # Problems of the message itself (counts, parts), as the reader reported them.
    problems: Mapped[list[Any]] = mapped_column(JsonData)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the flight's first message came (a correction does not make the carrier look late
    # nor early); null for flights stored before migration 0020.
    first_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow)
    screened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    travellers: Mapped[list[ManifestTraveller]] = relationship(
        back_populates="flight", order_by="ManifestTraveller.id", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("post_id", "carrier", "flight_number", "arrival_local"),)


class ManifestTraveller(Base):
    """A passenger or crew member of a flight, as the carrier sent them, and their hits."""

    __tablename__ = "manifest_travellers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    flight_id: Mapped[int] = mapped_column(ForeignKey("flights.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(12))
    surname: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200))
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[date | None] = mapped_column(Date)
    nationality: Mapped[str | None] = mapped_column(String(3))
    document_type: Mapped[str | None] = mapped_column(String(4))
    # As the carrier wrote it, and normalised (upper case, no separators) for the desk's match.
    document_number: Mapped[str | None] = mapped_column(String(40))
    document_key: Mapped[str | None] = mapped_column(String(40))
    issuing_state: Mapped[str | None] = mapped_column(String(3))
    document_expiry: Mapped[date | None] = mapped_column(Date)
    booking_reference: Mapped[str | None] = mapped_column(String(40))
    # The traveller's other documents as the carrier sent them ({type, number, issuing_state,
    # expiry}), screened again with the first when a list changes (migration 0023).
    other_documents: Mapped[list[Any] | None] = mapped_column(JsonData)
    problems: Mapped[list[Any]] = mapped_column(JsonData)
    hits: Mapped[list[Any]] = mapped_column(JsonData)
    hit_count: Mapped[int] = mapped_column(Integer, default=0)
    # Pre-assigned to secondary inspection by a supervisor before the flight lands.
    referred: Mapped[bool] = mapped_column(Boolean, default=False)

    flight: Mapped[Flight] = relationship(back_populates="travellers")

    __table_args__ = (
        Index("ix_manifest_travellers_flight", "flight_id"),
        Index("ix_manifest_travellers_document", "document_key", "birth_date"),
    )


class CarrierGateway(Base):
    """A carrier's (or its service provider's) gateway that posts PAXLST messages to the API.

    It authenticates with a bearer token, of which only a SHA-256 is kept, and may submit
    manifests only for the carriers it is registered for; it reads nothing back.
    """

    __tablename__ = "carrier_gateways"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # The airline designators (IATA or ICAO) it sends for, separated by spaces: "KQ KQA".
    carriers: Mapped[str] = mapped_column(String(200))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    token_hint: Mapped[str] = mapped_column(String(12))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
