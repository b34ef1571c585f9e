"""People who use MIDAS: officers at a post, supervisors of posts, administrators."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from midas.persistence.base import Base, UTCDateTime, enum_column, utcnow
from midas.persistence.models.posts import Post


class Role(StrEnum):
    """What a user may do; checked on the server for every request."""

    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


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
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    post: Mapped[Post | None] = relationship(foreign_keys=[post_id])
    supervised: Mapped[list[Post]] = relationship(secondary=supervised_posts)
