"""Crossings: retry fingerprint, correction reason; name search keys; document index.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submission_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("correction_reason", sa.Text(), nullable=True))
        batch_op.create_index(
            "ix_crossings_document_time", ["document_id", "occurred_at"], unique=False
        )
    op.create_table(
        "traveller_name_keys",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column(
            "traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["travellers.id"],
            name=op.f("fk_traveller_name_keys_traveller_id_travellers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", "traveller_id", name=op.f("pk_traveller_name_keys")),
    )
    with op.batch_alter_table("traveller_name_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_traveller_name_keys_traveller_id"), ["traveller_id"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("traveller_name_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_traveller_name_keys_traveller_id"))
    op.drop_table("traveller_name_keys")
    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.drop_index("ix_crossings_document_time")
        batch_op.drop_column("correction_reason")
        batch_op.drop_column("submission_sha256")
