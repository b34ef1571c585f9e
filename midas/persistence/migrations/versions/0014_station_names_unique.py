"""A station's name is unique within its post, whatever its case.

Creating a station and reloading the page that showed its token made a second station of the
same name; two desks called "Desk 1" cannot be told apart by the officer choosing a desk nor in
the audit log. Existing duplicates are renamed before the index is built: the oldest station
keeps its name, each later one gets " (2)", " (3)" … (the first such name that is free), and
the audit log records each rename (action station.update, actor migration:0014). Tokens,
crossings and audit events keep pointing at the same station ids.

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-07 18:40:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0014"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "uq_stations_post_name"
# The width of stations.name: a renamed duplicate must still fit.
NAME_LENGTH = 120


def _free_name(name: str, taken: set[str]) -> str:
    """Return `name (n)` for the smallest n from 2 that no station of the post has."""
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = name[: NAME_LENGTH - len(suffix)] + suffix
        if candidate.lower() not in taken:
            return candidate
        number += 1


def upgrade() -> None:
    """Rename duplicate station names within a post, then make names unique per post."""
    connection = op.get_bind()
    stations = sa.table(
        "stations", sa.column("id", sa.Integer), sa.column("post_id", sa.Integer),
        sa.column("name", sa.String),
    )  # fmt: skip
    audit = sa.table(
        "audit_events", sa.column("at", sa.DateTime(timezone=True)), sa.column("actor", sa.String),
        sa.column("action", sa.String), sa.column("object_type", sa.String),
        sa.column("object_id", sa.String), sa.column("outcome", sa.String),
        sa.column("detail", sa.JSON().with_variant(JSONB(), "postgresql")),
    )  # fmt: skip
    # SQLite keeps no zone: the models read its naive times as UTC.
    now = datetime.now(UTC)
    if connection.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    rows = connection.execute(
        sa.select(stations.c.id, stations.c.post_id, stations.c.name).order_by(stations.c.id)
    ).all()
    # Lower-cased as the index compares: SQLite's lower() folds ASCII only, like str.lower on
    # ASCII; PostgreSQL's folds more, which str.lower also does.
    taken: dict[int, set[str]] = {}
    for row in rows:
        taken.setdefault(row.post_id, set()).add(row.name.lower())
    seen: dict[int, set[str]] = {}
    for row in rows:
        names = seen.setdefault(row.post_id, set())
        if row.name.lower() not in names:
            names.add(row.name.lower())
            continue
        renamed = _free_name(row.name, taken[row.post_id])
        taken[row.post_id].add(renamed.lower())
        names.add(renamed.lower())
        connection.execute(stations.update().where(stations.c.id == row.id).values(name=renamed))
        connection.execute(
            audit.insert().values(
                at=now, actor="migration:0014", action="station.update", object_type="station",
                object_id=str(row.id), outcome="ok",
                detail={"before": {"name": row.name}, "after": {"name": renamed},
                        "why": "another station of the post had this name"},
            )
        )  # fmt: skip
    op.create_index(INDEX, "stations", ["post_id", sa.text("lower(name)")], unique=True)


def downgrade() -> None:
    """Allow duplicate station names again (renamed duplicates keep their new names)."""
    op.drop_index(INDEX, table_name="stations")
