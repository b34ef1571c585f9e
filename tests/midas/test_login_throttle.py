"""Failed logins slow down one client guessing one name; they lock nobody out, and every failure
is answered alike after the same argon2 work, so nothing tells which usernames exist."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, select, text, update

from midas.api.auth import FAILED_LOGIN
from midas.auth.login import FIRST_WAIT, LoginPolicy, wait_after
from midas.persistence import login_failures
from midas.persistence.base import utcnow
from midas.persistence.database import database
from midas.persistence.models import AuditEvent, LoginFailures
from tests.midas.auth_builders import PASSWORD, build_world, log_in, make_app

LOGIN = "/api/v1/auth/login"
ME = "/api/v1/auth/me"
ATTEMPTS = 3
ELSEWHERE = {"REMOTE_ADDR": "10.0.0.9"}


@pytest.fixture
def throttled(database_url):
    app = make_app(database_url, LOGIN_THROTTLE_ATTEMPTS=ATTEMPTS, LOGIN_RATE_LIMIT="1000/minute")
    world = build_world(app)
    yield app, world
    database(app).dispose()


def attempt(app: Flask, username: str, password: str, environ=None):
    response = app.test_client().post(
        LOGIN, json={"username": username, "password": password}, environ_base=environ or {}
    )
    return response.status_code, response.get_json()


def failures_of(app: Flask, username: str) -> list[LoginFailures]:
    with database(app).sessions() as session:
        return list(
            session.scalars(select(LoginFailures).where(LoginFailures.username == username))
        )


def let_the_wait_pass(app: Flask) -> None:
    with database(app).sessions() as session, session.begin():
        session.execute(
            update(LoginFailures)
            .where(LoginFailures.blocked_until.is_not(None))
            .values(blocked_until=utcnow() - timedelta(seconds=1))
        )


@given(
    failures=st.integers(min_value=0, max_value=10_000),
    attempts=st.integers(min_value=1, max_value=50),
    longest=st.integers(min_value=1, max_value=24 * 60),
)
def test_the_wait_grows_with_failures_and_never_passes_the_longest(failures, attempts, longest):
    policy = LoginPolicy(attempts=attempts, longest_wait=timedelta(minutes=longest))

    wait = wait_after(failures, policy)

    assert timedelta(0) <= wait <= policy.longest_wait
    assert (wait == timedelta(0)) == (failures < attempts)
    assert wait <= wait_after(failures + 1, policy)
    if failures >= attempts:
        assert wait >= min(FIRST_WAIT, policy.longest_wait)


def test_after_repeated_failures_the_guessing_address_waits_but_the_owner_logs_in_elsewhere(
    throttled,
):
    app, _ = throttled
    answers = [attempt(app, "officer_a", "not the password") for _ in range(ATTEMPTS)]

    waiting = attempt(app, "officer_a", PASSWORD)
    elsewhere = attempt(app, "officer_a", PASSWORD, ELSEWHERE)

    assert {status for status, _ in answers} == {401}
    assert waiting == answers[0]  # even the right password is answered as a wrong one
    assert elsewhere[0] == 200
    [row] = failures_of(app, "officer_a")
    assert row.failures == ATTEMPTS and row.blocked_until > utcnow()


def test_nobody_can_keep_the_administrator_out(throttled):
    app, _ = throttled
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        for _ in range(ATTEMPTS * 3):
            attempt(app, "admin", "not the password", {"REMOTE_ADDR": address})

    assert attempt(app, "admin", PASSWORD, ELSEWHERE)[0] == 200


def test_when_the_wait_is_over_the_right_password_works_and_the_count_is_forgotten(throttled):
    app, _ = throttled
    for _ in range(ATTEMPTS):
        attempt(app, "officer_a", "not the password")

    let_the_wait_pass(app)

    assert attempt(app, "officer_a", PASSWORD)[0] == 200
    assert failures_of(app, "officer_a") == []


def test_each_failure_past_the_free_ones_doubles_the_wait(throttled):
    app, _ = throttled
    waits = []
    for _ in range(ATTEMPTS + 2):
        before = utcnow()
        attempt(app, "officer_a", "not the password")
        [row] = failures_of(app, "officer_a")
        waits.append(None if row.blocked_until is None else row.blocked_until - before)
        let_the_wait_pass(app)

    assert waits[: ATTEMPTS - 1] == [None] * (ATTEMPTS - 1)
    first, second, third = waits[ATTEMPTS - 1 :]
    assert FIRST_WAIT <= first < second < third
    assert abs(second - 2 * FIRST_WAIT) < timedelta(seconds=1)


@pytest.mark.parametrize("username", ["officer_a", "nobody", "Officer_A", "admin"])
def test_known_unknown_and_inactive_names_are_answered_alike_every_time(throttled, username):
    app, _ = throttled
    reference = [attempt(app, "nobody_at_all", "not the password") for _ in range(ATTEMPTS + 2)]

    answers = [attempt(app, username, "not the password") for _ in range(ATTEMPTS + 2)]

    assert answers == reference
    assert {body["error"]["message"] for _, body in answers} == {FAILED_LOGIN}


def test_a_deactivated_account_is_answered_like_an_unknown_one(throttled):
    app, world = throttled
    log_in(app, "admin").post(f"/api/v1/users/{world.users['officer_a']}/deactivate")

    assert attempt(app, "officer_a", PASSWORD) == attempt(app, "nobody", PASSWORD)


def test_every_failed_login_costs_one_argon2_check(throttled, monkeypatch):
    app, world = throttled
    log_in(app, "admin").post(f"/api/v1/users/{world.users['officer_b']}/deactivate")
    checks: list[str] = []
    real = PasswordHasher.verify

    def counted(self, hash, password):
        checks.append(hash)
        return real(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counted)
    cases = {
        "unknown": ("nobody", "not the password"),
        "inactive": ("officer_b", PASSWORD),
        "wrong": ("officer_a", "not the password"),
    }
    for username, password in cases.values():
        checks.clear()
        assert attempt(app, username, password)[0] == 401
        assert len(checks) == 1
    for _ in range(ATTEMPTS):
        attempt(app, "supervisor_a", "not the password")
    checks.clear()

    assert attempt(app, "supervisor_a", PASSWORD)[0] == 401  # waiting: not checked ...
    assert len(checks) == 1  # ... yet the same work is spent


def test_a_reset_by_an_administrator_forgets_the_failures(throttled):
    app, world = throttled
    for _ in range(ATTEMPTS):
        attempt(app, "officer_a", "not the password")

    log_in(app, "admin", PASSWORD).post(
        f"/api/v1/users/{world.users['officer_a']}/password",
        json={"password": "a brand new passphrase"},
    )

    assert attempt(app, "officer_a", "a brand new passphrase")[0] == 200


def test_wrong_current_passwords_in_a_password_change_never_slow_down_logins(throttled):
    app, _ = throttled
    officer = log_in(app, "officer_a")
    guess = {"current_password": "guess guess guess", "new_password": "a fresh long passphrase"}

    statuses = {
        officer.post("/api/v1/auth/password", json=guess).status_code for _ in range(ATTEMPTS * 2)
    }

    assert statuses == {422}
    assert failures_of(app, "officer_a") == []
    assert attempt(app, "officer_a", PASSWORD)[0] == 200


def test_a_run_of_failures_from_yesterday_is_forgotten(throttled):
    app, _ = throttled
    for _ in range(ATTEMPTS - 1):
        attempt(app, "officer_a", "not the password")
    with database(app).sessions() as session, session.begin():
        session.execute(
            update(LoginFailures).values(last_failure_at=utcnow() - timedelta(hours=25))
        )

    attempt(app, "officer_a", "not the password")

    [row] = failures_of(app, "officer_a")
    assert (row.failures, row.blocked_until) == (1, None)


def test_waiting_attempts_are_audited_apart(throttled):
    app, _ = throttled
    for _ in range(ATTEMPTS + 1):
        attempt(app, "nobody", "not the password")

    with database(app).sessions() as session:
        outcomes = session.scalars(
            select(AuditEvent.outcome).where(AuditEvent.action == "auth.login")
        ).all()
    assert outcomes == ["failed"] * ATTEMPTS + ["throttled"]


CONCURRENT = 12


def test_concurrent_wrong_passwords_are_each_counted(database_url):
    app = make_app(database_url, LOGIN_THROTTLE_ATTEMPTS=CONCURRENT, LOGIN_RATE_LIMIT="1000/minute")
    build_world(app)
    start = threading.Barrier(CONCURRENT)
    statuses: list[int] = []

    def guess() -> None:
        client = app.test_client()
        start.wait()
        statuses.append(
            client.post(LOGIN, json={"username": "officer_a", "password": "wrong!"}).status_code
        )

    threads = [threading.Thread(target=guess) for _ in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [401] * CONCURRENT
    [row] = failures_of(app, "officer_a")
    assert row.failures == CONCURRENT
    assert row.blocked_until is not None and row.blocked_until > utcnow()
    assert attempt(app, "officer_a", PASSWORD)[0] == 401
    with database(app).sessions() as session:
        started = session.scalars(
            select(AuditEvent.outcome).where(AuditEvent.action == "auth.throttle")
        ).all()
    assert started == ["throttled"]  # exactly one of the twelve started the waiting
    database(app).dispose()


def test_a_burst_of_guesses_gets_no_more_checks_than_a_sequence(database_url):
    app = make_app(database_url, LOGIN_THROTTLE_ATTEMPTS=ATTEMPTS, LOGIN_RATE_LIMIT="1000/minute")
    build_world(app)
    start = threading.Barrier(CONCURRENT)

    def guess() -> None:
        client = app.test_client()
        start.wait()
        client.post(LOGIN, json={"username": "officer_a", "password": "wrong!"})

    threads = [threading.Thread(target=guess) for _ in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with database(app).sessions() as session:
        outcomes = session.scalars(
            select(AuditEvent.outcome).where(AuditEvent.action == "auth.login")
        ).all()
    assert sorted(outcomes) == ["failed"] * ATTEMPTS + ["throttled"] * (CONCURRENT - ATTEMPTS)
    database(app).dispose()


def test_a_login_drops_runs_of_failures_gone_stale_a_bounded_number_at_a_time(
    throttled, monkeypatch
):
    app, _ = throttled
    monkeypatch.setattr(login_failures, "STALE_BATCH", 2)
    if database(app).engine.dialect.name == "postgresql":
        # What the planner knows of a table whose runs were all dropped: a page, no rows. It
        # then runs the batch's subquery again for each row it deletes, skipping those it has
        # just deleted, which once dropped every stale run at once.
        attempt(app, "ghost0", "not the password")
        with database(app).sessions() as session, session.begin():
            session.execute(delete(LoginFailures))
        with database(app).sessions() as session, session.begin():
            session.execute(text("ANALYZE login_failures"))
    for name in ["ghost1", "ghost2", "ghost3"]:
        attempt(app, name, "not the password")
    with database(app).sessions() as session, session.begin():
        session.execute(
            update(LoginFailures).values(last_failure_at=utcnow() - timedelta(hours=25))
        )

    attempt(app, "officer_a", PASSWORD)

    with database(app).sessions() as session:
        left = session.scalars(select(LoginFailures.username)).all()
    assert len(left) == 1 and left[0].startswith("ghost")
