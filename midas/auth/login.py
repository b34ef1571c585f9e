"""Check a username and password, count failures, lock accounts, and audit every attempt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from midas.auth.passwords import Passwords
from midas.domain.audit import record_audit
from midas.persistence.models import User

ANONYMOUS = "anonymous"


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """How many failed logins in a row lock an account, and for how long."""

    attempts: int
    lockout: timedelta


@dataclass(frozen=True, slots=True)
class LoginOutcome:
    """What a login attempt came to; `user` is set only when it succeeded."""

    user: User | None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        """Tell whether the attempt succeeded."""
        return self.user is not None


def authenticate(
    session: Session,
    passwords: Passwords,
    policy: LoginPolicy,
    username: str,
    password: str,
    *,
    now: datetime,
    remote_addr: str | None,
) -> LoginOutcome:
    """Check credentials in the caller's transaction, which must commit even when they fail.

    Failures are counted per account; the LoginPolicy.attempts-th in a row locks the account.
    A locked account refuses even the right password until the lock ends.
    """
    user = session.scalar(
        select(User).options(selectinload(User.supervised)).where(User.username == username)
    )

    def audit(action: str, outcome: str, reason: str | None = None) -> None:
        detail = {"username": username[:80]}
        if reason is not None:
            detail["reason"] = reason
        record_audit(
            session,
            ANONYMOUS if user is None else f"user:{user.id}",
            action,
            "user",
            None if user is None else user.id,
            outcome=outcome,
            detail=detail,
            remote_addr=remote_addr,
        )

    if user is None or not user.active:
        passwords.verify(None, password)  # spend the same time as a real check
        audit("auth.login", "failed", "unknown user" if user is None else "inactive")
        return LoginOutcome(None)
    if user.locked_until is not None and user.locked_until > now:
        audit("auth.login", "locked", "account locked")
        return LoginOutcome(None, user.locked_until)
    if not passwords.verify(user.password_hash, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        audit("auth.login", "failed", "wrong password")
        if user.failed_logins >= policy.attempts:
            user.locked_until = now + policy.lockout
            user.failed_logins = 0
            audit("auth.lockout", "locked", f"{policy.attempts} failed logins in a row")
            return LoginOutcome(None, user.locked_until)
        return LoginOutcome(None)
    user.failed_logins = 0
    user.locked_until = None
    if passwords.needs_rehash(user.password_hash):
        # The settings changed since this hash was made; the password is known right now.
        user.password_hash = passwords.hasher.hash(password)
    audit("auth.login", "ok")
    return LoginOutcome(user)
