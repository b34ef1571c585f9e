"""The trust store for Passive Authentication, and the chip's outcome on each crossing.

`trust_sources` names each feed of country signing certificates (the ICAO PKD, a master list),
`trust_versions` keeps each load with its provenance, and `trust_items` each certificate or CRL
as DER. `crossings.chip_status` is the Passive Authentication outcome of the chip read with the
document (verified, failed, not_verifiable), None when no chip was read; the whole result is in
the crossing's reading.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08 00:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=16)


def upgrade() -> None:
    """Create the trust-store tables and the crossings' chip outcome."""
    op.create_table(
        "trust_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("active_version_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_sources")),
        sa.UniqueConstraint("name", name=op.f("uq_trust_sources_name")),
    )
    op.create_table(
        "trust_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("source_format", sa.String(length=16), nullable=False),
        sa.Column("provenance", JSON, nullable=False),
        sa.Column("loaded_by", sa.String(length=120), nullable=False),
        sa.Column("loaded_at", TIMESTAMP, nullable=False),
        sa.Column(
            "status",
            _enum("trust_version_status", "loading", "active", "superseded", "failed"),
            nullable=False,
        ),
        sa.Column("csca_count", sa.Integer(), nullable=False),
        sa.Column("dsc_count", sa.Integer(), nullable=False),
        sa.Column("crl_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["trust_sources.id"],
            name=op.f("fk_trust_versions_source_id_trust_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_versions")),
        sa.UniqueConstraint("source_id", "number", name=op.f("uq_trust_versions_source_id_number")),
    )
    op.create_index(
        "uq_trust_versions_one_active",
        "trust_versions",
        ["source_id"],
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    )
    with op.batch_alter_table("trust_sources") as batch_op:
        batch_op.create_foreign_key(
            op.f("fk_trust_sources_active_version_id_trust_versions"),
            "trust_versions",
            ["active_version_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "trust_items",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("trust_item_kind", "csca", "dsc", "crl"), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("serial", sa.String(length=80), nullable=True),
        sa.Column("valid_from", TIMESTAMP, nullable=True),
        sa.Column("valid_until", TIMESTAMP, nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("der", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["trust_versions.id"],
            name=op.f("fk_trust_items_version_id_trust_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_items")),
        sa.UniqueConstraint("version_id", "sha256", name=op.f("uq_trust_items_version_id_sha256")),
    )
    op.create_index("ix_trust_items_version_kind", "trust_items", ["version_id", "kind"])
    with op.batch_alter_table("crossings") as batch_op:
        batch_op.add_column(sa.Column("chip_status", sa.String(length=16), nullable=True))


def downgrade() -> None:
    """Drop the chip outcome and the trust-store tables."""
    with op.batch_alter_table("crossings") as batch_op:
        batch_op.drop_column("chip_status")
    with op.batch_alter_table("trust_sources") as batch_op:
        batch_op.drop_constraint(
            op.f("fk_trust_sources_active_version_id_trust_versions"), type_="foreignkey"
        )
    op.drop_index("ix_trust_items_version_kind", table_name="trust_items")
    op.drop_table("trust_items")
    op.drop_index("uq_trust_versions_one_active", table_name="trust_versions")
    op.drop_table("trust_versions")
    op.drop_table("trust_sources")
