"""Persistence: declarative base and models, engines and sessions, Alembic migrations, and the
storage modules (`*_rows`) that run the domain's statements and hand back typed rows."""

from midas.persistence.database import Database, database, init_app, session

__all__ = ["Database", "database", "init_app", "session"]
