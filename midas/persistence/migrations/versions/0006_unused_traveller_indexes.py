"""Drop two traveller indexes no query uses: every new traveller paid to maintain them.

`travellers.name_key` is shown, never searched (name search reads `traveller_name_keys`), and
`travellers.nationality` is looked up only with surname and birth date, which
`ix_travellers_identity` (surname, birth_date, nationality) serves.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 07:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("travellers", schema=None) as batch_op:
        batch_op.drop_index("ix_travellers_name_key")
        batch_op.drop_index("ix_travellers_nationality")


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("travellers", schema=None) as batch_op:
        batch_op.create_index("ix_travellers_nationality", ["nationality"], unique=False)
        batch_op.create_index("ix_travellers_name_key", ["name_key"], unique=False)
