"""Posts and headquarters: enrolled nodes, bundles sent until acknowledged, ledgers received.

A hit a post found may name a list version headquarters does not hold, so
`screening_hits.list_version_id` may be empty there. `crossings.sync_bundle` is the post's
bundle that carries a crossing (None until one does): a crossing that commits after a later one
was bundled is still found, where a high-water mark on ids would skip it.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 00:40:00
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the sync tables; let a hit's list version be unknown."""
    op.create_table(
        "sync_peers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("enrolled_at", TIMESTAMP, nullable=False),
        sa.Column("revoked_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_peers")),
        sa.UniqueConstraint("code", name=op.f("uq_sync_peers_code")),
    )
    op.create_table(
        "outgoing_bundles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receiver", sa.String(length=40), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("acknowledged_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outgoing_bundles")),
        sa.UniqueConstraint(
            "receiver", "sequence", name=op.f("uq_outgoing_bundles_receiver_sequence")
        ),
    )
    op.create_table(
        "incoming_ledgers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=40), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("records", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incoming_ledgers")),
        sa.UniqueConstraint("sender", name=op.f("uq_incoming_ledgers_sender")),
    )
    # SQLite copies the table to change a column, reflecting it and the tables its keys name;
    # reflection cannot read the stations' expression index (migration 0014) and says so. That
    # index is not screening_hits', and stays as it is.
    with op.batch_alter_table("crossings") as batch_op:
        batch_op.add_column(sa.Column("sync_bundle", sa.Integer(), nullable=True))
        batch_op.create_index("ix_crossings_sync_bundle", ["sync_bundle"])
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        with op.batch_alter_table("screening_hits") as batch_op:
            batch_op.alter_column("list_version_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    """Drop the sync tables (hits keep whatever version they name)."""
    with op.batch_alter_table("crossings") as batch_op:
        batch_op.drop_index("ix_crossings_sync_bundle")
        batch_op.drop_column("sync_bundle")
    op.drop_table("incoming_ledgers")
    op.drop_table("outgoing_bundles")
    op.drop_table("sync_peers")
