"""Check a username and password, slow down guessing, and audit every attempt.

Nothing here locks an account: failures are counted per username *and* client address, and
after LoginPolicy.attempts of them in a row that client waits before its next try for that
name, longer after each further failure. Someone guessing elsewhere cannot keep the owner out,
and a wrong password, an unknown or inactive name and a waiting client are answered alike,
after the same argon2 work, so neither answer nor timing tells which usernames exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from midas.auth.passwords import Passwords
from midas.domain.audit import record_audit
from midas.persistence import login_failures
from midas.persistence.database import begin_writing
from midas.persistence.models import User

ANONYMOUS = "anonymous"
# A run of failures this old is forgotten: a person who mistyped yesterday starts afresh.
FORGET_AFTER = timedelta(hours=24)
# Failures past the free ones double the wait from this; the exponent is capped so the number
# stays small however long a run gets.
FIRST_WAIT = timedelta(seconds=2)
LONGEST_DOUBLING = 20


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """How many failed logins in a row a client may make for a name before it waits, and the
    longest wait."""

    attempts: int
    longest_wait: timedelta


@dataclass(frozen=True, slots=True)
class LoginOutcome:
    """What a login attempt came to; `user` is set only when it succeeded."""

    user: User | None

    @property
    def ok(self) -> bool:
        """Tell whether the attempt succeeded."""
        return self.user is not None


def wait_after(failures: int, policy: LoginPolicy) -> timedelta:
    """Return how long a client waits after `failures` failed logins in a row for one name."""
    if failures < policy.attempts:
        return timedelta(0)
    doublings = min(failures - policy.attempts, LONGEST_DOUBLING)
    wait: timedelta = min(FIRST_WAIT * (2**doublings), policy.longest_wait)
    return wait


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
    """Check credentials in the caller's transaction, which must commit even when they fail."""
    begin_writing(session)
    name = username.strip().lower()[:80]
    client = (remote_addr or "")[:64]
    user = session.scalar(
        select(User)
        .options(selectinload(User.supervised), joinedload(User.post))
        .where(User.username == username)
    )

    def audit(outcome: str, reason: str | None = None, action: str = "auth.login") -> None:
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

    waiting = login_failures.hold(session, name, client, now=now)
    if waiting is not None and waiting > now:
        # Not checked, so a guess made while waiting is worth nothing; the same work is spent.
        passwords.verify(None, password)
        audit("throttled", "too many failed logins for this name from this address")
        return LoginOutcome(None)
    stored = user.password_hash if user is not None and user.active else None
    # verify() spends the same work on a decoy hash when there is no stored one.
    matched = passwords.verify(stored, password)
    if not matched or user is None:
        failures = login_failures.count_failure(
            session, name, client, now=now, forget_before=now - FORGET_AFTER
        )
        wait = wait_after(failures, policy)
        if wait:
            login_failures.block(session, name, client, now + wait)
        reason = "unknown user" if user is None else "wrong password" if stored else "inactive"
        audit("failed", reason)
        if failures == policy.attempts:
            # The count is atomic, so of many failures at once exactly one starts the waiting.
            audit(
                "throttled",
                f"{failures} failed logins in a row for this name from this address",
                "auth.throttle",
            )
        return LoginOutcome(None)
    login_failures.forget_failures(session, name, client)
    login_failures.forget_stale(session, now - FORGET_AFTER)
    if passwords.needs_rehash(user.password_hash):
        # The settings changed since this hash was made; the password is known right now.
        user.password_hash = passwords.hasher.hash(password)
    audit("ok")
    return LoginOutcome(user)
