"""Decision safety: each list's alert policy and possible-match floor; a crossing's document holder.

A list's `alert_policy` says what a hit does to the decision (block, refer, inform): document
lists start at block, person lists at refer. `possible_match_floor` is the name score from which
a listed person whose birth date differs is shown as a possible match (none by default).
`crossings.document_holder_id` names the traveller a document is on record with when the
identity read from it is another's; `travellers.merged_into_id` the traveller a supervisor
merged one into.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 16:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_POLICIES = ("block", "refer", "inform")


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("watchlists", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "alert_policy",
                sa.Enum(
                    *_POLICIES,
                    name="alert_policy",
                    native_enum=False,
                    create_constraint=True,
                    length=16,
                ),
                nullable=False,
                server_default="refer",
            )
        )
        batch_op.add_column(sa.Column("possible_match_floor", sa.Float(), nullable=True))
    op.execute("UPDATE watchlists SET alert_policy = 'block' WHERE kind = 'document'")
    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "document_holder_id",
                sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                nullable=True,
            )
        )
        batch_op.create_foreign_key(
            "fk_crossings_document_holder_id_travellers", "travellers", ["document_holder_id"],
            ["id"],
        )  # fmt: skip
    with op.batch_alter_table("travellers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "merged_into_id",
                sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                nullable=True,
            )
        )
        batch_op.create_foreign_key(
            "fk_travellers_merged_into_id_travellers", "travellers", ["merged_into_id"], ["id"]
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("travellers", schema=None) as batch_op:
        batch_op.drop_constraint("fk_travellers_merged_into_id_travellers", type_="foreignkey")
        batch_op.drop_column("merged_into_id")
    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.drop_constraint("fk_crossings_document_holder_id_travellers", type_="foreignkey")
        batch_op.drop_column("document_holder_id")
    with op.batch_alter_table("watchlists", schema=None) as batch_op:
        batch_op.drop_column("possible_match_floor")
        batch_op.drop_column("alert_policy")
