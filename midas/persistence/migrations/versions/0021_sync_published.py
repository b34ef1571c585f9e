"""What headquarters last sent each post of each subject, so it sends only what changed.

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-08 02:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create sync_published."""
    op.create_table(
        "sync_published",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receiver", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("mark", sa.Text(), nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_published")),
        sa.UniqueConstraint("receiver", "subject", name=op.f("uq_sync_published_receiver_subject")),
    )


def downgrade() -> None:
    """Drop sync_published."""
    op.drop_table("sync_published")
