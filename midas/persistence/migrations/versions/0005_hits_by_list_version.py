"""Screening hits by list version: pruning asks which old versions stored hits still name.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 00:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("screening_hits", schema=None) as batch_op:
        batch_op.create_index(
            "ix_screening_hits_list_version_id", ["list_version_id"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("screening_hits", schema=None) as batch_op:
        batch_op.drop_index("ix_screening_hits_list_version_id")
