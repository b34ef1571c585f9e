"""The language each person chose for the pages, and each post's default.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-08 02:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add users.locale and posts.locale, empty: the browser's language until chosen."""
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=8), nullable=True))
    with op.batch_alter_table("posts") as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=8), nullable=True))


def downgrade() -> None:
    """Drop users.locale and posts.locale."""
    with op.batch_alter_table("posts") as batch_op:
        batch_op.drop_column("locale")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("locale")
