"""Statements run straight on the driver read, write and fail as SQLAlchemy's own execution does."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, cast

import pytest
from flask import Flask
from sqlalchemy import Select, Table, bindparam, event, func, insert, literal, select, text
from sqlalchemy.dialects.postgresql import psycopg
from sqlalchemy.exc import DBAPIError, IntegrityError

from midas.domain.travellers import Identity, lookup_of
from midas.persistence import desk_rows
from midas.persistence.database import database
from midas.persistence.direct import DirectStatement
from midas.persistence.models import Post
from midas.persistence.traveller_rows import lookup_statement
from tests.midas.auth_builders import World
from tests.midas.crossing_builders import mrz

_POSTS = cast(Table, Post.__table__)
POSTGRESQL_ONLY = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def _compare(app: Flask, statement: Select[Any], parameters: dict[str, Any]) -> list[Any]:
    """Run a statement both ways; assert the same keys and values; return the direct rows."""
    with database(app).engine.connect() as connection:
        expected = connection.execute(statement, parameters)
        keys, rows = list(expected.keys()), [tuple(row) for row in expected.all()]
        direct = DirectStatement(statement).execute(connection, parameters)
    assert [list(row._fields) for row in direct] == [keys] * len(rows)
    assert [tuple(row) for row in direct] == rows
    return direct


def _desks(world: World) -> list[tuple[Select[Any], dict[str, Any]]]:
    officer = world.users["officer_a"]
    return [
        (desk_rows._STATION_DESK_BY_USERNAME,
         {"station_id": world.station_a, "username": "officer_a", "client_id": "c1"}),
        (desk_rows._STATION_DESK_BY_USER,
         {"station_id": world.station_a, "user_id": officer, "client_id": "c2"}),
        (desk_rows._PERSON_DESK, {"user_id": officer, "client_id": "c3"}),
        (desk_rows._STATION_DESK_BY_USERNAME,  # nobody of that name: the officer's columns are NULL
         {"station_id": world.station_a, "username": "nobody", "client_id": "c4"}),
    ]  # fmt: skip


def test_desk_rows_are_what_sqlalchemy_reads(app: Flask, world: World, backend: str) -> None:
    for statement, parameters in _desks(world):
        (row,) = _compare(app, statement, parameters)
        # Types come through the columns' result processors: enums, aware datetimes.
        assert row.post_kind.value == "air"
        assert row.post_created_at.tzinfo is not None
    (row,) = _compare(app, *_desks(world)[0])
    assert row.officer_role.value == "officer"
    assert row.active_lists is None  # no list loaded yet


# The lookup comes with the desk on PostgreSQL only (SQLite has no LATERAL).
@POSTGRESQL_ONLY
def test_desk_rows_with_the_travellers_lookup_are_what_sqlalchemy_reads(
    app: Flask, world: World, station, backend: str
) -> None:
    lines = mrz("ERIKSSON", "ANNA MARIA", "L898902C3")
    body = {"client_id": str(uuid.uuid4()), "direction": "entry", "decision": "admitted",
            "officer": "officer_a", "mrz": lines}  # fmt: skip
    assert station.post("/api/v1/crossings", json=body).status_code == 201
    identity = Identity(
        surname="ERIKSSON", given_names="ANNA MARIA", birth_date=date(1974, 8, 12),
        nationality="SWE", sex="F", document_number="L898902C3", issuing_state="SWE",
        document_type="P",
    )  # fmt: skip
    found = lookup_statement(lookup_of(identity))
    assert found is not None
    lookup, found_by = found
    statement, parameters = _desks(world)[0]
    joined = desk_rows._with_lookup(statement, lookup).statement
    rows = _compare(app, joined, parameters | found_by)
    # The holder of the document, and the same traveller found by identity.
    assert sorted(row.found_by for row in rows) == ["document", "identity"]
    assert {row.surname for row in rows} == {"ERIKSSON"}


def _post_insert() -> Select[Any]:
    inserted = (
        insert(_POSTS)
        .values(code=bindparam("code"), name="Direct", kind="air", country="AUT",
                timezone="Europe/Vienna", active=True, created_at=func.now())
        .returning(_POSTS.c.id)
        .cte("inserted")
    )  # fmt: skip
    return select(inserted.c.id)


# The statement that can fail so, a first-time traveller's crossing, runs on PostgreSQL only
# (SQLite has no INSERT in a WITH clause).
@POSTGRESQL_ONLY
def test_a_driver_error_is_raised_as_sqlalchemy_raises_it(app: Flask, backend: str) -> None:
    statement = DirectStatement(_post_insert())
    engine = database(app).engine
    with engine.begin() as connection:
        (row,) = statement.execute(connection, {"code": "DUP"})
        assert row.id > 0
    with engine.connect() as connection, pytest.raises(IntegrityError) as direct:
        statement.execute(connection, {"code": "DUP"})
    with engine.connect() as connection, pytest.raises(IntegrityError) as expected:
        connection.execute(_post_insert(), {"code": "DUP"})
    assert type(direct.value.orig) is type(expected.value.orig)
    assert str(direct.value.orig) == str(expected.value.orig)
    assert "DUP" in str(direct.value.params)
    with engine.connect() as connection:  # the failed insert left nothing behind
        count = connection.execute(text("SELECT count(*) FROM posts WHERE code = 'DUP'"))
        assert count.scalar() == 1


def test_engine_listeners_see_the_statement(app: Flask, world: World, backend: str) -> None:
    engine = database(app).engine
    seen: list[tuple[str, str]] = []

    def before(conn: object, cursor: object, sql: str, *rest: object) -> None:
        seen.append(("before", sql))

    def after(conn: object, cursor: object, sql: str, *rest: object) -> None:
        seen.append(("after", sql))

    statement, parameters = _desks(world)[0]
    direct = DirectStatement(statement)
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        with engine.connect() as connection:
            direct.execute(connection, parameters)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    sql = direct.compiled(engine.dialect).sql
    assert seen == [("before", sql), ("after", sql)]
    assert sql.startswith("SELECT stations.id")


def test_a_missing_parameter_is_named(app: Flask, world: World, backend: str) -> None:
    statement, _ = _desks(world)[0]
    with database(app).engine.connect() as connection, pytest.raises(ValueError, match="username"):
        DirectStatement(statement).execute(connection, {"station_id": 1, "client_id": "c"})


def test_a_statement_whose_sql_depends_on_its_values_is_refused() -> None:
    expanding = select(_POSTS.c.id).where(_POSTS.c.code.in_(bindparam("codes", expanding=True)))
    with pytest.raises(ValueError, match="'codes' expands"):
        DirectStatement(expanding).compiled(psycopg.dialect())
    fixed = DirectStatement(select(_POSTS.c.id).where(_POSTS.c.code == literal("AAA")))
    compiled = fixed.compiled(psycopg.dialect())
    assert compiled.given == () and list(compiled.fixed.values()) == ["AAA"]
    # A column default computed in Python at each execution (posts.created_at) cannot be.
    inserted = insert(_POSTS).values(code=bindparam("code"), name="N", kind="air",
                                     country="AUT", timezone="UTC", active=True)  # fmt: skip
    defaulted = select(inserted.returning(_POSTS.c.id).cte("inserted").c.id)
    with pytest.raises(ValueError, match="created_at"):
        DirectStatement(defaulted).compiled(psycopg.dialect())


@POSTGRESQL_ONLY  # a SQLite connection has no server to lose
def test_a_lost_connection_is_invalidated(app: Flask, world: World, backend: str) -> None:
    engine = database(app).engine
    statement, parameters = _desks(world)[0]
    with engine.connect() as connection:
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        with engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(DBAPIError) as lost:
            DirectStatement(statement).execute(connection, parameters)
        assert lost.value.connection_invalidated
        assert connection.invalidated
