"""A manifest traveller's other travel documents (a visa, a second passport), kept so that
screening the flight again after a list changes looks at every document the carrier sent.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-08 04:25:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    """Add manifest_travellers.other_documents (empty for the travellers stored before)."""
    with op.batch_alter_table("manifest_travellers") as batch_op:
        batch_op.add_column(sa.Column("other_documents", JSON, nullable=True))


def downgrade() -> None:
    """Drop manifest_travellers.other_documents."""
    with op.batch_alter_table("manifest_travellers") as batch_op:
        batch_op.drop_column("other_documents")
