"""Alembic environment: runs on the connection `midas.persistence.schema` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import midas.persistence.models  # noqa: F401  (fills Base.metadata)
from midas.persistence.base import Base
from midas.persistence.database import database


def run_migrations(connection: Connection) -> None:
    """Run the pending migrations on an open connection."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Use the connection given by the caller, or the current app's engine."""
    if context.is_offline_mode():
        raise SystemExit("offline (--sql) migrations are not supported; run `midas init-db`")
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    with database().engine.begin() as opened:
        run_migrations(opened)


main()
