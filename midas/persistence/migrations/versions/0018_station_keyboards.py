"""The keyboard layout of each station's computer, so a wedge scanner's MRZ is read back.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08 00:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add stations.keyboard_layout, US QWERTY for the stations there are."""
    with op.batch_alter_table("stations") as batch_op:
        batch_op.add_column(
            sa.Column("keyboard_layout", sa.String(length=16), nullable=False, server_default="us")
        )


def downgrade() -> None:
    """Drop stations.keyboard_layout."""
    with op.batch_alter_table("stations") as batch_op:
        batch_op.drop_column("keyboard_layout")
