"""Watchlists: lists with an active-version pointer, versions, entries, rejections, deltas.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON_DATA = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=16)


def upgrade() -> None:
    """Create the watchlist tables; the active-version pointer gets its key once both exist."""
    op.create_table(
        "watchlists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", _enum("list_kind", "person", "document"), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("active_version_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlists")),
        sa.UniqueConstraint("name", name=op.f("uq_watchlists_name")),
    )
    op.create_table(
        "watchlist_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watchlist_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("source_format", sa.String(length=32), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("loaded_by", sa.String(length=120), nullable=False),
        sa.Column("loaded_at", TIMESTAMP, nullable=False),
        sa.Column("finished_at", TIMESTAMP, nullable=True),
        sa.Column(
            "status",
            _enum("version_status", "loading", "active", "superseded", "failed"),
            nullable=False,
        ),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("rejected_count", sa.Integer(), nullable=False),
        sa.Column("skipped_count", sa.Integer(), nullable=False),
        sa.Column("added_count", sa.Integer(), nullable=False),
        sa.Column("changed_count", sa.Integer(), nullable=False),
        sa.Column("removed_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["watchlist_id"],
            ["watchlists.id"],
            name=op.f("fk_watchlist_versions_watchlist_id_watchlists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_versions")),
        sa.UniqueConstraint(
            "watchlist_id", "number", name=op.f("uq_watchlist_versions_watchlist_id_number")
        ),
    )
    op.create_index(
        "uq_watchlist_versions_one_active",
        "watchlist_versions",
        ["watchlist_id"],
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    )
    with op.batch_alter_table("watchlists") as batch_op:
        batch_op.create_foreign_key(
            op.f("fk_watchlists_active_version_id_watchlist_versions"),
            "watchlist_versions",
            ["active_version_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "watchlist_entries",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("document_number", sa.String(length=64), nullable=True),
        sa.Column("issuing_state", sa.String(length=3), nullable=True),
        sa.Column("document_type", sa.String(length=32), nullable=True),
        sa.Column("data", JSON_DATA, nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["watchlist_versions.id"],
            name=op.f("fk_watchlist_entries_version_id_watchlist_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_entries")),
        sa.UniqueConstraint(
            "version_id", "entry_id", name=op.f("uq_watchlist_entries_version_id_entry_id")
        ),
    )
    op.create_index(
        "ix_watchlist_entries_document",
        "watchlist_entries",
        ["version_id", "document_number", "issuing_state"],
    )
    op.create_table(
        "watchlist_rejections",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["watchlist_versions.id"],
            name=op.f("fk_watchlist_rejections_version_id_watchlist_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_rejections")),
    )
    op.create_index(
        op.f("ix_watchlist_rejections_version_id"), "watchlist_rejections", ["version_id"]
    )
    op.create_table(
        "watchlist_deltas",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(length=200), nullable=False),
        sa.Column("change", _enum("entry_change", "added", "changed", "removed"), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["watchlist_versions.id"],
            name=op.f("fk_watchlist_deltas_version_id_watchlist_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_deltas")),
        sa.UniqueConstraint(
            "version_id", "entry_id", name=op.f("uq_watchlist_deltas_version_id_entry_id")
        ),
    )


def downgrade() -> None:
    """Drop the watchlist tables."""
    with op.batch_alter_table("watchlists") as batch_op:
        batch_op.drop_constraint(
            op.f("fk_watchlists_active_version_id_watchlist_versions"), type_="foreignkey"
        )
    op.drop_table("watchlist_deltas")
    op.drop_table("watchlist_rejections")
    op.drop_index("ix_watchlist_entries_document", table_name="watchlist_entries")
    op.drop_table("watchlist_entries")
    op.drop_index("uq_watchlist_versions_one_active", table_name="watchlist_versions")
    op.drop_table("watchlist_versions")
    op.drop_table("watchlists")
