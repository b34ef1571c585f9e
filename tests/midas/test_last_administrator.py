"""Two administrators removing each other at the same moment leave one: exactly one wins."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from midas.auth.passwords import passwords
from midas.domain import admin
from midas.domain.actors import user_actor
from midas.domain.errors import Conflict
from midas.persistence.database import database
from midas.persistence.models import Role, User
from tests.midas.auth_builders import PASSWORD

# A guarded transaction is held where it asks for a lock the other holds: SQLite's write lock
# (BEGIN IMMEDIATE) or PostgreSQL's locks on the administrators' rows (SELECT ... FOR UPDATE).
LOCKING = ("BEGIN IMMEDIATE", "FOR UPDATE")
# Only if a move neither writes, nor waits for a lock, nor ends (a broken test) is this reached.
STUCK_SECONDS = 30


def second_admin(app: Flask) -> int:
    with database(app).sessions() as session, session.begin():
        return admin.create_user(
            session,
            "cli:test",
            passwords(app),
            username="admin_two",
            full_name="Admin Two",
            role="admin",
            password=PASSWORD,
        ).id


def race(app: Flask, moves: list[Callable[..., object]]) -> list[str]:
    """Run each move in its own transaction and thread; both reach their UPDATE of users
    together when nothing holds one back. Return "ok" or "conflict" per move.

    A move at its UPDATE waits until every other move is at its own, or waits for a lock (which
    the first then holds, so it never comes), or has ended: no clock decides the meeting.
    """
    engine = database(app).engine
    changed = threading.Condition()
    writing: set[int] = set()
    locking: set[int] = set()
    ended: set[int] = set()
    mover = threading.local()

    def others_come_or_wait(me: int) -> bool:
        return all(i in writing | locking | ended for i in range(len(moves)) if i != me)

    def before(conn, cursor, statement, parameters, context, executemany):
        me: int = mover.index
        with changed:
            if any(lock in statement.upper() for lock in LOCKING):
                locking.add(me)
            elif statement.lstrip().upper().startswith("UPDATE USERS"):
                writing.add(me)
            changed.notify_all()
            if me in writing:
                changed.wait_for(lambda: others_come_or_wait(me), timeout=STUCK_SECONDS)

    def after(conn, cursor, statement, parameters, context, executemany):
        with changed:
            locking.discard(mover.index)
            changed.notify_all()

    results = [""] * len(moves)

    def run(index: int, move: Callable[..., object]) -> None:
        mover.index = index
        try:
            with database(app).sessions() as session:
                try:
                    with session.begin():
                        move(session)
                    results[index] = "ok"
                except Conflict:
                    results[index] = "conflict"
        finally:
            with changed:
                ended.add(index)
                changed.notify_all()

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        threads = [threading.Thread(target=run, args=pair) for pair in enumerate(moves)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return results


def active_admins(app: Flask) -> int:
    with database(app).sessions() as session:
        return session.scalar(
            select(func.count()).where(User.role == Role.ADMIN, User.active.is_(True))
        )


def actor_of(app: Flask, user_id: int):
    with database(app).sessions() as session:
        return user_actor(session.get(User, user_id))


@pytest.mark.parametrize("how", ["deactivate", "demote", "one_each"])
def test_two_administrators_removing_each_other_at_once_leave_one(app, world, how) -> None:
    one, two = world.users["admin"], second_admin(app)
    first, second = actor_of(app, one), actor_of(app, two)

    def remove(actor, user_id, kind):
        if kind == "deactivate":
            return lambda session: admin.deactivate_user(session, actor, user_id)
        return lambda session: admin.update_user(
            session, actor, user_id, role="supervisor", all_posts=True
        )

    kinds = {"deactivate": ("deactivate",) * 2, "demote": ("demote",) * 2}.get(
        how, ("deactivate", "demote")
    )
    results = race(app, [remove(first, two, kinds[0]), remove(second, one, kinds[1])])

    assert sorted(results) == ["conflict", "ok"]
    assert active_admins(app) == 1
