"""Engines and sessions: one engine per app, one session per app context, closed on teardown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

EXTENSION_KEY = "midas.database"


@dataclass(frozen=True, slots=True)
class Database:
    """The engine of one application and the factory of its sessions."""

    engine: Engine
    sessions: sessionmaker[Session]

    def dispose(self) -> None:
        """Close every pooled connection (tests, forked workers)."""
        self.engine.dispose()


def make_engine(url: str, **options: Any) -> Engine:
    """Create an engine for a SQLAlchemy URL; SQLite gets real transactions and foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True, **options)
    engine = create_engine(parsed, **options)
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_sqlite)
    return engine


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
    connection.exec_driver_sql("BEGIN")


def create_database(url: str) -> Database:
    """Build the engine and session factory for a URL."""
    engine = make_engine(url)
    return Database(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))


def init_app(app: Flask) -> None:
    """Bind persistence to an app: engine from DATABASE_URL, session closed at teardown."""
    app.extensions[EXTENSION_KEY] = create_database(app.config["DATABASE_URL"])
    app.teardown_appcontext(close_session)


def database(app: Flask | None = None) -> Database:
    """Return the Database of an app (the current one by default)."""
    target = current_app if app is None else app
    result: Database = target.extensions[EXTENSION_KEY]
    return result


def session() -> Session:
    """Return this app context's session, opening it on first use."""
    if "db_session" not in g:
        g.db_session = database().sessions()
    result: Session = g.db_session
    return result


def close_session(exception: BaseException | None = None) -> None:
    """Roll back anything left open and close the app context's session."""
    opened: Session | None = g.pop("db_session", None)
    if opened is not None:
        opened.close()
