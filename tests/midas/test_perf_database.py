"""Pooled PostgreSQL connections: pinged at checkout only after being idle, replaced when dead."""

from __future__ import annotations

import sys

import psycopg
import pytest
from flask import Flask
from sqlalchemy import text

from midas.persistence.database import database

# The module itself (the package re-exports a function of the same name).
persistence = sys.modules["midas.persistence.database"]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("backend", ["postgresql"], indirect=True),
]


def backend_pid(app: Flask) -> int:
    with database(app).sessions() as session:
        pid: int = session.scalar(text("SELECT pg_backend_pid()"))
    return pid


def test_a_connection_in_steady_use_is_not_pinged(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend_pid(app)
    dialect = database(app).engine.dialect
    pings: list[object] = []
    original = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda conn: pings.append(conn) or original(conn))
    for _ in range(3):
        backend_pid(app)
    assert pings == []
    monkeypatch.setattr(persistence, "PING_AFTER_IDLE_SECONDS", 0.0)
    backend_pid(app)
    assert len(pings) == 1


def test_an_idle_connection_the_server_dropped_is_replaced(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = backend_pid(app)
    url = database(app).engine.url.set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [first])
    monkeypatch.setattr(persistence, "PING_AFTER_IDLE_SECONDS", 0.0)
    assert backend_pid(app) != first
