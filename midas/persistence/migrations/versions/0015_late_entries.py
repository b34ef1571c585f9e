"""Late entries: a crossing entered from a paper record after an outage keeps why.

A crossing recorded more than MAX_BACKDATE after it happened is a supervisor's late entry of a
paper record; `late_entry_reason` says why (the outage), beside `occurred_at` (when it
happened) and `recorded_at` (when it was entered).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 18:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("late_entry_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.drop_column("late_entry_reason")
