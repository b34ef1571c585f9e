"""Engines and sessions: one engine per app, one session per app context, closed on teardown.

A unit of work that writes says so before its first statement: it runs in a session from
`Database.writers` (every request's session, `session()`: pages and API calls write their audit
events) or calls `begin_writing(session)`. On SQLite its transaction then begins IMMEDIATE,
taking the write lock up front (waiting for it under the busy timeout); every other transaction
begins DEFERRED, so reads never wait for a writer (WAL) and never hold the lock a writer in the
same thread needs.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, make_transient_to_detached, sessionmaker
from sqlalchemy.orm.instrumentation import manager_of_class
from sqlalchemy.orm.util import identity_key

from midas.persistence.direct import use_driver

T = TypeVar("T")

EXTENSION_KEY = "midas.database"
# Execution option of a connection whose transaction writes; SQLite begins it IMMEDIATE.
WRITES_OPTION = "midas_writes"
# A pooled server connection idle longer than this is pinged before use (a restarted server or a
# firewall may have dropped it); one in steady use is not, saving a round trip per checkout.
PING_AFTER_IDLE_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Database:
    """The engine of one application and the factories of its sessions."""

    engine: Engine
    sessions: sessionmaker[Session]
    # Sessions whose every transaction may write (SQLite: BEGIN IMMEDIATE). A face's unit of work
    # reads before the domain's first write (an audited search reads the posts first), and SQLite
    # cannot turn such a transaction into a writer while another connection writes.
    writers: sessionmaker[Session]

    def dispose(self) -> None:
        """Close every pooled connection (tests, forked workers)."""
        self.engine.dispose()


def make_engine(url: str, **options: Any) -> Engine:
    """Create an engine for a SQLAlchemy URL; SQLite gets real transactions and foreign keys."""
    parsed = make_url(url)
    # A database error carries its statement's parameters into every log that prints it; they
    # are travellers' names, birth dates and document numbers, so they are never shown.
    options.setdefault("hide_parameters", True)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(parsed, **options)
        _ping_idle_connections(engine)
        return engine
    engine = create_engine(parsed, **options)
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_sqlite)
    return engine


def _ping_idle_connections(engine: Engine) -> None:
    """Ping a pooled connection at checkout only when it has been idle (or is new)."""
    # SQLAlchemy's pool_pre_ping costs a round trip at every checkout (three per recorded
    # crossing); a connection returned moments ago is alive as surely as a ping could tell.
    dialect = engine.dialect

    def returned(dbapi_connection: Any, connection_record: Any) -> None:
        connection_record.info["returned_at"] = time.monotonic()

    def checkout(dbapi_connection: Any, connection_record: Any, proxy: Any) -> None:
        returned_at = connection_record.info.get("returned_at")
        if returned_at is not None and time.monotonic() - returned_at < PING_AFTER_IDLE_SECONDS:
            return
        try:
            alive = dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            # The pool discards this connection and checks out another (SQLAlchemy's recipe).
            raise DisconnectionError(str(error)) from error
        if not alive:
            raise DisconnectionError("the database connection did not answer a ping")

    event.listen(engine, "connect", returned)
    event.listen(engine, "checkin", returned)
    event.listen(engine, "checkout", checkout)


def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    # pysqlite opens transactions lazily, only before writes, so a read-then-write unit of work
    # is not atomic; take transactions over (SQLAlchemy's documented recipe) and begin them in
    # _begin_sqlite. WAL lets screening read while a list loads.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _begin_sqlite(connection: Any) -> None:
    # A deferred transaction that has read cannot upgrade to a writer while another connection
    # writes: SQLite answers SQLITE_BUSY at once, without the busy timeout. A writing unit of
    # work therefore queues for the write lock at BEGIN; a reading one takes no lock.
    writes = connection.get_execution_options().get(WRITES_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def begin_writing(session: Session) -> None:
    """Declare that this session's unit of work writes; call it before its first statement.

    It procures the transaction's connection marked as a writer (SQLite: BEGIN IMMEDIATE). When
    the transaction has already run a statement it is too late to change how it began, and this
    does nothing: the unit of work then writes as before (on SQLite it may meet SQLITE_BUSY).
    """
    transaction = session.get_transaction()
    if transaction is not None and transaction.connections:
        return
    session.connection(execution_options={WRITES_OPTION: True})


def adopt(session: Session, cls: type[T], values: dict[str, Any]) -> T:
    """Return the session's instance of a stored row, built from values known without a query.

    A row written or read with a Core statement becomes an ORM instance as if it had been loaded:
    columns not in `values` are expired (a persistent instance loads them when first read), and
    an instance the session already holds is returned as it is.
    """
    held = session.identity_map.get(identity_key(cls, values["id"]))
    if held is not None:
        return held
    # As a query loads a row: the values go straight into the instance's dict, without the
    # constructor's attribute events (a third of the cost), then become its committed state.
    instance: T = manager_of_class(cls).new_instance()
    instance.__dict__.update(values)
    make_transient_to_detached(instance)
    session.add(instance)
    return instance


@contextmanager
def reading(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """Open a session for reads that need no common snapshot (a single query, say); never write.

    On PostgreSQL each statement then runs on its own, saving the BEGIN and COMMIT round trips
    of a transaction (a write would commit at once); elsewhere the reads share one deferred
    transaction.
    """
    with sessions() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            yield session
        else:
            with session.begin():
                yield session


@contextmanager
def reading_connection(engine: Engine) -> Iterator[Connection]:
    """Open a connection for one read that needs no common snapshot; never write.

    `reading` without the ORM session, for a Core statement on a hot path (the station token
    lookup): on PostgreSQL the statement runs on its own, without BEGIN and COMMIT.
    """
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            yield connection.execution_options(isolation_level="AUTOCOMMIT")
        else:
            with connection.begin():
                yield connection


def create_database(url: str) -> Database:
    """Build the engine and session factory for a URL."""
    engine = make_engine(url)
    writer = engine.execution_options(**{WRITES_OPTION: True})
    return Database(
        engine=engine,
        sessions=sessionmaker(engine, expire_on_commit=False),
        writers=sessionmaker(writer, expire_on_commit=False),
    )


def init_app(app: Flask) -> None:
    """Bind persistence to an app: engine from DATABASE_URL, session closed at teardown."""
    app.extensions[EXTENSION_KEY] = create_database(app.config["DATABASE_URL"])
    use_driver(app.config["DIRECT_STATEMENTS"])
    app.teardown_appcontext(close_session)


class Host(Protocol):
    """What the service's layers ask of the application object: its settings and its shared
    objects. A Flask app is one; the domain names no web framework."""

    @property
    def config(self) -> Mapping[str, Any]:
        """The settings (midas.config)."""
        ...

    @property
    def extensions(self) -> dict[str, Any]:
        """Objects shared by the app's requests (the database, caches)."""
        ...


def database(app: Host | None = None) -> Database:
    """Return the Database of an app (the current one by default)."""
    target = current_app if app is None else app
    result: Database = target.extensions[EXTENSION_KEY]
    return result


def session() -> Session:
    """Return this app context's session, opening it on first use; its transactions may write."""
    if "db_session" not in g:
        g.db_session = database().writers()
    result: Session = g.db_session
    return result


def close_session(exception: BaseException | None = None) -> None:
    """Roll back anything left open and close the app context's session."""
    opened: Session | None = g.pop("db_session", None)
    if opened is not None:
        opened.close()
