"""Counting failed logins atomically, per username and client address.

An attempt holds its row (`hold`) until its transaction ends, and each failure adds one with a
single upsert, so twelve wrong passwords at once count twelve and are checked as if they came
one after another. PostgreSQL and SQLite share the `INSERT … ON CONFLICT` form; only the
construct's module differs (SQLite's write lock already serialises the transactions).
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, case, delete, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from midas.persistence.models import LoginFailures

_FAILURES = cast(Table, LoginFailures.__table__)
# Stale rows dropped at one successful login: bounds the work whatever piled up.
STALE_BATCH = 500


def hold(session: Session, username: str, client: str, *, now: datetime) -> datetime | None:
    """Take the row of a username and client for this transaction (creating it with no
    failures), so attempts for them are checked one at a time; return until when they wait.

    A burst of simultaneous attempts therefore gets exactly the checks a sequence would: the
    one after the last free failure already sees the wait the one before it set.
    """
    dialect = session.connection().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(_FAILURES)
        .values(username=username, client=client, failures=0, last_failure_at=now)
        .on_conflict_do_nothing(index_elements=[_FAILURES.c.username, _FAILURES.c.client])
    )
    return session.scalar(
        select(LoginFailures.blocked_until)
        .where(LoginFailures.username == username, LoginFailures.client == client)
        .with_for_update()
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


def forget_failures(session: Session, username: str, client: str | None = None) -> None:
    """Forget the failures of a username, from one client or from all."""
    condition = LoginFailures.username == username
    if client is not None:
        condition = condition & (LoginFailures.client == client)
    session.execute(delete(LoginFailures).where(condition))


def forget_stale(session: Session, before: datetime) -> None:
    """Drop up to STALE_BATCH runs of failures last added to before `before`.

    Rows another attempt holds are skipped, not waited for, so this never deadlocks with it.
    The batch is chosen by a statement of its own: inside the DELETE, PostgreSQL may run the
    choosing subquery again for each row it looks at (a nested loop, for a table it believes
    small), each time skipping the rows it has just deleted, and so drop more than the batch.
    """
    stale = session.execute(
        select(_FAILURES.c.username, _FAILURES.c.client)
        .where(_FAILURES.c.last_failure_at < before)
        .limit(STALE_BATCH)
        .with_for_update(skip_locked=True)
    ).all()
    if stale:
        keys = tuple_(_FAILURES.c.username, _FAILURES.c.client)
        session.execute(delete(_FAILURES).where(keys.in_([tuple(row) for row in stale])))
