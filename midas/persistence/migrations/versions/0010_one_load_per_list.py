"""One load per list at a time, and who is running it.

`watchlist_versions.loader` names the process loading a version (host, pid, process start), so
a load whose process died can be told from one still running and failed. A partial unique
index lets a list have one version in state `loading` at a time: two loads started at once
can no longer race, the last to finish overwriting the first.

Loads left `loading` by code before this revision have no loader; all but the newest of a list
are failed here (with their entries dropped) so the index can be built, and the newest is
treated as abandoned by the next load (a service upgrade restarts every process that loads).

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-07 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLDER_LOADING = (
    "status = 'loading' AND number < (SELECT MAX(newer.number) FROM watchlist_versions newer"
    " WHERE newer.watchlist_id = watchlist_versions.watchlist_id AND newer.status = 'loading')"
)


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("watchlist_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("loader", sa.String(length=200), nullable=True))
    op.execute(
        "DELETE FROM watchlist_entries WHERE version_id IN "
        f"(SELECT id FROM watchlist_versions WHERE {_OLDER_LOADING})"
    )
    op.execute(
        "UPDATE watchlist_versions SET status = 'failed', entry_count = 0, failure_reason ="
        " 'abandoned: left loading by a process that stopped (found at upgrade 0010)'"
        f" WHERE {_OLDER_LOADING}"
    )
    op.create_index(
        "uq_watchlist_versions_one_loading",
        "watchlist_versions",
        ["watchlist_id"],
        unique=True,
        sqlite_where=sa.text("status = 'loading'"),
        postgresql_where=sa.text("status = 'loading'"),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("uq_watchlist_versions_one_loading", table_name="watchlist_versions")
    with op.batch_alter_table("watchlist_versions", schema=None) as batch_op:
        batch_op.drop_column("loader")
