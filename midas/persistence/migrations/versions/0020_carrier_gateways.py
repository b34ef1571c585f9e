"""Carriers' gateways that post PAXLST messages; when a flight's first message came, and the
SHA-256 of its crew list's message (apart from its passenger list's).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08 02:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create carrier_gateways; add flights.first_received_at (the stored flights' last
    message's time) and flights.crew_sha256."""
    op.create_table(
        "carrier_gateways",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("carriers", sa.String(length=200), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("token_hint", sa.String(length=12), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("last_seen_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier_gateways")),
        sa.UniqueConstraint("name", name=op.f("uq_carrier_gateways_name")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_carrier_gateways_token_sha256")),
    )
    with op.batch_alter_table("flights") as batch_op:
        batch_op.add_column(sa.Column("first_received_at", TIMESTAMP, nullable=True))
        batch_op.add_column(sa.Column("crew_sha256", sa.String(length=64), nullable=True))
    # The first message of a flight stored before is unknown: its latest is the best guess.
    op.execute("UPDATE flights SET first_received_at = received_at")


def downgrade() -> None:
    """Drop carrier_gateways and flights.first_received_at."""
    with op.batch_alter_table("flights") as batch_op:
        batch_op.drop_column("crew_sha256")
        batch_op.drop_column("first_received_at")
    op.drop_table("carrier_gateways")
