"""Border posts (air, land, sea) and the scanning stations at each, with their API tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from midas.persistence.base import Base, UTCDateTime, enum_column, utcnow


class PostKind(StrEnum):
    """How travellers arrive at a post."""

    AIR = "air"
    LAND = "land"
    SEA = "sea"


class Post(Base):
    """A border crossing point; times are stored in UTC and shown in the post's zone."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[PostKind] = mapped_column(enum_column(PostKind, "post_kind"))
    country: Mapped[str] = mapped_column(String(3))
    timezone: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The language of the post's pages for people who chose none (migration 0022); None: the
    # browser's.
    locale: Mapped[str | None] = mapped_column(String(8))

    stations: Mapped[list[Station]] = relationship(back_populates="post", order_by="Station.id")


class Station(Base):
    """A desk with a scanner at a post; its client authenticates with a bearer token.

    Only a SHA-256 of the token is kept: tokens are long random strings, so a fast hash is
    enough, and the token itself is shown once when the station is created or its token rotated.
    """

    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    token_hint: Mapped[str] = mapped_column(String(12))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The keyboard layout of the station's computer (scanners.keyboards.LAYOUTS): what a
    # keyboard-wedge scanner types there is read back as the US keys it pressed (migration 0018).
    keyboard_layout: Mapped[str] = mapped_column(String(16), server_default="us")

    post: Mapped[Post] = relationship(back_populates="stations")


#: The unique index on a station's name within its post, whatever the case (migration 0014).
STATION_NAME_INDEX = "uq_stations_post_name"
# One name per post, so an officer choosing a desk and an admin reading the audit log can tell
# stations apart; the domain refuses a duplicate first, this stops two admins at once.
Index(STATION_NAME_INDEX, Station.post_id, func.lower(Station.name), unique=True)
