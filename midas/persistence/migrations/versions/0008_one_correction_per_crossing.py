"""A crossing is corrected once: `crossings.corrects_id` becomes unique.

The domain already refused to correct a crossing twice, but two corrections sent at the same
moment both passed that check and forked the append-only chain. A unique index lets the
database refuse all but the first (NULLs, the uncorrected rows, do not collide).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 17:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.drop_index("ix_crossings_corrects_id")
        batch_op.create_index("ix_crossings_corrects_id", ["corrects_id"], unique=True)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.drop_index("ix_crossings_corrects_id")
        batch_op.create_index("ix_crossings_corrects_id", ["corrects_id"], unique=False)
