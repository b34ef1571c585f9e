"""One crossing per client_id, even when two requests carrying it run at the same moment.

A station retries a submission it got no answer to, so the same client_id can arrive twice at
once. Neither request takes a lock for it: each looks for a crossing with that client_id, finds
none, and does its work. The crossings table's unique client_id lets only one of them commit.
The other one's insert fails (on PostgreSQL it waits until the first has committed), and its
whole transaction rolls back: its traveller, document, hits and audit event go too. It then
runs again in a new transaction. This time it finds the first request's crossing and answers
as a retry. This costs nothing on the common path, where a client_id is new.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

T = TypeVar("T")

# The unique constraint on crossings.client_id (migration 0002).
CLIENT_ID_CONSTRAINT = "uq_crossings_client_id"


class SubmittedMeanwhile(Exception):
    """A concurrent request recorded this client_id first; this unit of work must run again."""

    def __init__(self, client_id: str) -> None:
        self.client_id = client_id
        super().__init__(f"client_id {client_id} was recorded by a concurrent request")


CORRECTION_INDEX = "ix_crossings_corrects_id"


def correction_taken(error: IntegrityError) -> bool:
    """Tell whether an insert failed because its crossing was corrected by another request."""
    diag = getattr(error.orig, "diag", None)
    if diag is not None:  # PostgreSQL (psycopg) names the unique index
        return getattr(diag, "constraint_name", None) == CORRECTION_INDEX
    return "crossings.corrects_id" in str(error.orig)  # SQLite names the column


def client_id_taken(error: IntegrityError) -> bool:
    """Tell whether an insert failed because its client_id is already recorded."""
    diag = getattr(error.orig, "diag", None)
    if diag is not None:  # PostgreSQL (psycopg) names the constraint
        return getattr(diag, "constraint_name", None) == CLIENT_ID_CONSTRAINT
    return "crossings.client_id" in str(error.orig)  # SQLite names the column


def once_per_client_id(session: Session, work: Callable[[], T]) -> T:
    """Run `work` in a transaction of its own, and once more if a concurrent request won.

    `work` is a unit of work that records under a client_id: `record_crossing` or
    `correct_crossing`, with whatever the caller reads inside the same transaction.
    """
    try:
        with session.begin():
            return work()
    except SubmittedMeanwhile:
        pass
    with session.begin():
        return work()
