"""Search at scale: crossings by nationality and time.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 20:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_crossings_nationality_time", ["traveller_nationality", "occurred_at"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.drop_index("ix_crossings_nationality_time")
