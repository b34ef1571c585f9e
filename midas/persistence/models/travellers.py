"""Travellers and their travel documents, linked across crossings by document."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from midas.persistence.base import Base, BigId, UTCDateTime, utcnow


class Traveller(Base):
    """A person as their documents describe them; `name_key` is the normalised name for search.

    After the retention period the personal columns are emptied and `anonymised_at` is set;
    sex, birth year and nationality stay for statistics.
    """

    __tablename__ = "travellers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    surname: Mapped[str | None] = mapped_column(String(200))
    given_names: Mapped[str | None] = mapped_column(String(200))
    name_key: Mapped[str | None] = mapped_column(String(400))
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[date | None] = mapped_column(Date)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    nationality: Mapped[str | None] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when a supervisor merged this traveller into another (migration 0007): their
    # crossings and documents are filed there, and linking never picks this row again.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("travellers.id"))

    documents: Mapped[list[TravelDocument]] = relationship(back_populates="traveller")

    __table_args__ = (Index("ix_travellers_identity", "surname", "birth_date", "nationality"),)


class TravelDocument(Base):
    """A passport, card or visa: one row per number + issuing state + type."""

    __tablename__ = "travel_documents"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    traveller_id: Mapped[int] = mapped_column(ForeignKey("travellers.id"), index=True)
    document_type: Mapped[str] = mapped_column(String(2))
    issuing_state: Mapped[str] = mapped_column(String(3))
    number: Mapped[str | None] = mapped_column(String(40))
    expiry_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    traveller: Mapped[Traveller] = relationship(back_populates="documents")

    __table_args__ = (UniqueConstraint("number", "issuing_state", "document_type"),)


class TravellerNameKey(Base):
    """A blocking key of a traveller's name (folded or phonetic token) for fuzzy name search."""

    __tablename__ = "traveller_name_keys"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    traveller_id: Mapped[int] = mapped_column(
        ForeignKey("travellers.id", ondelete="CASCADE"), primary_key=True, index=True
    )
