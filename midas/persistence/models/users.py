"""People who use MIDAS: officers at a post, supervisors of posts, administrators."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from midas.persistence.base import Base, UTCDateTime, enum_column, utcnow
from midas.persistence.models.posts import Post


class Role(StrEnum):
    """What a user may do; checked on the server for every request."""

    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    # A carrier's gateway (CarrierGateway), never a user: it only submits PAXLST messages.
    CARRIER = "carrier"


# The roles a person (a users row) may have; the users table's check refuses any other.
STAFF_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.ADMIN)


supervised_posts = Table(
    "supervised_posts",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
)


class User(Base):
    """A login; an officer belongs to one post, a supervisor oversees some posts or all."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"))
    password_hash: Mapped[str] = mapped_column(String(255))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"))
    all_posts: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The password was set by someone else (an administrator): it is changed before anything.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The language the person chose for the pages (midas.domain.languages); None: their post's,
    # else their browser's (migration 0022).
    locale: Mapped[str | None] = mapped_column(String(8))

    post: Mapped[Post | None] = relationship(foreign_keys=[post_id])
    supervised: Mapped[list[Post]] = relationship(secondary=supervised_posts)


class UserSession(Base):
    """A login session, kept on the server: the cookie only names it, so ending it is a delete."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Only the SHA-256 of the cookie's secret is kept: a copy of this table opens no session.
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class LoginFailures(Base):
    """Failed logins in a row for one username from one client address: what slows guessing.

    Keyed by the name as typed, known or not, so being slowed down tells nothing about which
    usernames exist.
    """

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_last_failure_at", "last_failure_at"),)

    username: Mapped[str] = mapped_column(String(80), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), primary_key=True)  # "" when unknown
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime())
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
