"""The trust store as stored: named sources of CSCAs, their versions, and each certificate or CRL.

A source is one publisher's feed (the ICAO PKD, a state's CSCA master list). Like a watchlist,
a source's `active_version_id` is the one pointer verification follows, and a load writes a
whole new version and flips the pointer in the same transaction: readers see the old trust
store or the complete new one. The active trust store is the union of every source's active
version.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from midas.persistence.base import Base, BigId, JsonData, UTCDateTime, enum_column, utcnow
from watchlists.versions import VersionState


class TrustItemKind(StrEnum):
    """What a stored trust item is."""

    # A country signing CA certificate (self-signed root or a link certificate).
    CSCA = "csca"
    # A document signer certificate published in the PKD (most travel inside the EF.SOD).
    DSC = "dsc"
    # A certificate revocation list issued by a CSCA.
    CRL = "crl"


class TrustSource(Base):
    """A named source of trust (ICAO PKD, a national master list) and its active version."""

    __tablename__ = "trust_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    active_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("trust_versions.id", use_alter=True, ondelete="SET NULL")
    )
    versions: Mapped[list[TrustVersion]] = relationship(
        back_populates="source",
        foreign_keys="TrustVersion.source_id",
        order_by="TrustVersion.number",
    )


class TrustVersion(Base):
    """One load of a trust source: the files it came from, how they were verified, the counts."""

    __tablename__ = "trust_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("trust_sources.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    source_format: Mapped[str] = mapped_column(String(16))
    # The files loaded: name, sha256 and size of each, and how a master list's signer verified.
    provenance: Mapped[list[dict[str, Any]]] = mapped_column(JsonData)
    loaded_by: Mapped[str] = mapped_column(String(120))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[VersionState] = mapped_column(
        enum_column(VersionState, "trust_version_status"), default=VersionState.LOADING
    )
    csca_count: Mapped[int] = mapped_column(Integer, default=0)
    dsc_count: Mapped[int] = mapped_column(Integer, default=0)
    crl_count: Mapped[int] = mapped_column(Integer, default=0)

    source: Mapped[TrustSource] = relationship(back_populates="versions", foreign_keys=[source_id])

    __table_args__ = (
        UniqueConstraint("source_id", "number"),
        Index(
            "uq_trust_versions_one_active",
            "source_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )


class TrustItem(Base):
    """One certificate or CRL of a trust version, as DER, with the columns the pages show."""

    __tablename__ = "trust_items"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("trust_versions.id", ondelete="CASCADE"))
    kind: Mapped[TrustItemKind] = mapped_column(enum_column(TrustItemKind, "trust_item_kind"))
    # The issuing state as the certificate's subject (a CRL's issuer) names it, ISO 3166 alpha-2.
    country: Mapped[str | None] = mapped_column(String(3))
    subject: Mapped[str] = mapped_column(Text)
    serial: Mapped[str | None] = mapped_column(String(80))
    # A certificate's validity; a CRL's this update and next update.
    valid_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sha256: Mapped[str] = mapped_column(String(64))
    der: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (
        UniqueConstraint("version_id", "sha256"),
        Index("ix_trust_items_version_kind", "version_id", "kind"),
    )
