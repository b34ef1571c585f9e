"""What headquarters last sent each post of each subject, so it sends only what changed; hit
reviews and audit events from posts.

At a post, `screening_hits.review_sync_bundle` is the bundle carrying a hit's review and
`sync_sent_audit_events` the audit events bundled (audit rows refuse UPDATE, so what was sent is
kept beside them). At headquarters, an audit event from a post keeps its global id
(`origin_id`, unique: a resent event is stored once) and when it arrived (`received_at`), and
a hit reviewed at a post when its review arrived. Each node notes when it last heard from each
peer, and a post how current headquarters' lists it holds are. Columns are added without
copying tables, so SQLite keeps the audit log's append-only triggers.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-08 02:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create sync_published and sync_sent_audit_events; add the review and origin columns."""
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
    op.create_table(
        "sync_sent_audit_events",
        sa.Column("event_id", BIG_ID, nullable=False),
        sa.Column("bundle", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_sync_sent_audit_events")),
    )
    op.add_column("audit_events", sa.Column("origin_id", sa.String(length=36), nullable=True))
    op.add_column("audit_events", sa.Column("received_at", TIMESTAMP, nullable=True))
    op.create_index("uq_audit_events_origin_id", "audit_events", ["origin_id"], unique=True)
    op.add_column("screening_hits", sa.Column("review_sync_bundle", sa.Integer(), nullable=True))
    op.add_column("screening_hits", sa.Column("review_received_at", TIMESTAMP, nullable=True))
    op.create_index(
        op.f("ix_screening_hits_review_sync_bundle"), "screening_hits", ["review_sync_bundle"]
    )
    op.add_column("sync_peers", sa.Column("last_contact_at", TIMESTAMP, nullable=True))
    op.add_column("sync_peers", sa.Column("current_as_of", TIMESTAMP, nullable=True))


def downgrade() -> None:
    """Drop what upgrade added."""
    op.drop_column("sync_peers", "current_as_of")
    op.drop_column("sync_peers", "last_contact_at")
    op.drop_index(op.f("ix_screening_hits_review_sync_bundle"), table_name="screening_hits")
    op.drop_column("screening_hits", "review_received_at")
    op.drop_column("screening_hits", "review_sync_bundle")
    op.drop_index("uq_audit_events_origin_id", table_name="audit_events")
    op.drop_column("audit_events", "received_at")
    op.drop_column("audit_events", "origin_id")
    op.drop_table("sync_sent_audit_events")
    op.drop_table("sync_published")
