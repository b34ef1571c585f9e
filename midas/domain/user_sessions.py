"""Login sessions kept on the server: started at login, checked on each request, ended for good.

The cookie carries a random secret; only its SHA-256 is stored. Logging out deletes the row, so
a copy of the cookie opens nothing afterwards; deactivating a user, resetting or changing a
password deletes the user's rows (all, or all but the one changing its own password).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload, selectinload

from midas.domain.credentials import token_sha256
from midas.persistence.models import User, UserSession


def start_session(session: Session, user: User, *, now: datetime, lifetime: timedelta) -> str:
    """Store a new session of a user lasting `lifetime`; return the secret its cookie carries."""
    # Sessions that ran out are dropped here, at a login, so the table keeps only live ones.
    session.execute(delete(UserSession).where(UserSession.expires_at <= now))
    secret = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user_id=user.id,
            token_sha256=token_sha256(secret),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return secret


def session_user(session: Session, secret: str, *, now: datetime) -> User | None:
    """Return the active user of a live session (one indexed read), None when it has ended."""
    return session.scalar(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .options(selectinload(User.supervised), joinedload(User.post))
        .where(
            UserSession.token_sha256 == token_sha256(secret),
            UserSession.expires_at > now,
            User.active.is_(True),
        )
    )


def end_session(session: Session, secret: str) -> None:
    """End one session (logging out): its cookie, and every copy of it, opens nothing more."""
    session.execute(delete(UserSession).where(UserSession.token_sha256 == token_sha256(secret)))


def end_sessions(session: Session, user_id: int, *, keep: str | None = None) -> None:
    """End every session of a user, but the one whose secret is `keep` if given."""
    statement = delete(UserSession).where(UserSession.user_id == user_id)
    if keep is not None:
        statement = statement.where(UserSession.token_sha256 != token_sha256(keep))
    session.execute(statement)
