"""Advance passenger information: flights expected at each post and who is on them.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08 00:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    """Create flights and manifest_travellers."""
    op.create_table(
        "flights",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=8), nullable=False),
        sa.Column("flight_number", sa.String(length=16), nullable=False),
        sa.Column("departure_airport", sa.String(length=8), nullable=True),
        sa.Column("departure_local", sa.DateTime(), nullable=True),
        sa.Column("arrival_airport", sa.String(length=8), nullable=True),
        sa.Column("arrival_local", sa.DateTime(), nullable=False),
        sa.Column("message_reference", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("declared_count", sa.Integer(), nullable=True),
        sa.Column("problems", JSON, nullable=False),
        sa.Column("received_at", TIMESTAMP, nullable=False),
        sa.Column("screened_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], name=op.f("fk_flights_post_id_posts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flights")),
        sa.UniqueConstraint(
            "post_id",
            "carrier",
            "flight_number",
            "arrival_local",
            name=op.f("uq_flights_post_id_carrier_flight_number_arrival_local"),
        ),
    )
    op.create_index(op.f("ix_flights_post_id"), "flights", ["post_id"])
    op.create_table(
        "manifest_travellers",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("flight_id", BIG_ID, nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("surname", sa.String(length=200), nullable=False),
        sa.Column("given_names", sa.String(length=200), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("document_type", sa.String(length=4), nullable=True),
        sa.Column("document_number", sa.String(length=40), nullable=True),
        sa.Column("document_key", sa.String(length=40), nullable=True),
        sa.Column("issuing_state", sa.String(length=3), nullable=True),
        sa.Column("document_expiry", sa.Date(), nullable=True),
        sa.Column("booking_reference", sa.String(length=40), nullable=True),
        sa.Column("problems", JSON, nullable=False),
        sa.Column("hits", JSON, nullable=False),
        sa.Column("hit_count", sa.Integer(), nullable=False),
        sa.Column("referred", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["flight_id"],
            ["flights.id"],
            name=op.f("fk_manifest_travellers_flight_id_flights"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_manifest_travellers")),
    )
    op.create_index("ix_manifest_travellers_flight", "manifest_travellers", ["flight_id"])
    op.create_index(
        "ix_manifest_travellers_document", "manifest_travellers", ["document_key", "birth_date"]
    )


def downgrade() -> None:
    """Drop the flights and their travellers."""
    op.drop_table("manifest_travellers")
    op.drop_index(op.f("ix_flights_post_id"), table_name="flights")
    op.drop_table("flights")
