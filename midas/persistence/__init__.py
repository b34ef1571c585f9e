"""Persistence: declarative base and models, engines and sessions, Alembic migrations."""

from midas.persistence.database import Database, database, init_app, session

__all__ = ["Database", "database", "init_app", "session"]
