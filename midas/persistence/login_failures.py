"""Counting failed logins atomically: one upsert per failure, the way each backend does it.

Concurrent failures for one username and address each add one (the database serialises them
on the row), so twelve wrong passwords at once count twelve. PostgreSQL and SQLite share the
`INSERT … ON CONFLICT DO UPDATE … RETURNING` form; only the construct's module differs.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from midas.persistence.models import LoginFailures

_FAILURES = cast(Table, LoginFailures.__table__)


def blocked_until(session: Session, username: str, client: str) -> datetime | None:
    """Return until when logins for a username from a client wait, None if they need not."""
    return session.scalar(
        select(LoginFailures.blocked_until).where(
            LoginFailures.username == username, LoginFailures.client == client
        )
    )


def count_failure(
    session: Session, username: str, client: str, *, now: datetime, forget_before: datetime
) -> int:
    """Add a failure for a username and client (a run older than `forget_before` starts over);
    return how many failures in a row there are now."""
    dialect = session.connection().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(_FAILURES).values(
        username=username, client=client, failures=1, last_failure_at=now, blocked_until=None
    )
    columns = _FAILURES.c
    upsert = statement.on_conflict_do_update(
        index_elements=[columns.username, columns.client],
        set_={
            "failures": case(
                (columns.last_failure_at < forget_before, 1), else_=columns.failures + 1
            ),
            "last_failure_at": now,
        },
    ).returning(columns.failures)
    failures: int = session.execute(upsert).scalar_one()
    return failures


def block(session: Session, username: str, client: str, until: datetime) -> None:
    """Make logins for a username from a client wait until `until` (never shortening a wait)."""
    session.execute(
        update(_FAILURES)
        .where(
            _FAILURES.c.username == username,
            _FAILURES.c.client == client,
            or_(_FAILURES.c.blocked_until.is_(None), _FAILURES.c.blocked_until < until),
        )
        .values(blocked_until=until)
    )


def forget_failures(
    session: Session,
    username: str,
    client: str | None = None,
    *,
    stale_before: datetime | None = None,
) -> None:
    """Forget the failures of a username (from one client, or all), and runs gone stale."""
    condition = LoginFailures.username == username
    if client is not None:
        condition = condition & (LoginFailures.client == client)
    if stale_before is not None:
        condition = condition | (LoginFailures.last_failure_at < stale_before)
    session.execute(delete(LoginFailures).where(condition))
