"""Submissions: what a desk sends to record a crossing, and one crossing per client_id.

A submission names itself with a client_id (a UUID) and is fingerprinted, to tell a retry from a
reuse. One crossing per client_id, even when two requests carrying it run at the same moment:

A station retries a submission it got no answer to, so the same client_id can arrive twice at
once. Neither request takes a lock for it: each looks for a crossing with that client_id, finds
none, and does its work. The crossings table's unique client_id lets only one of them commit.
The other one's insert fails (on PostgreSQL it waits until the first has committed), and its
whole transaction rolls back: its traveller, document, hits and audit event go too. It then
runs again in a new transaction. This time it finds the first request's crossing and answers
as a retry. This costs nothing on the common path, where a client_id is new.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from midas.domain.documents import ManualDocument
from midas.domain.errors import InvalidInput
from midas.domain.texts import N_
from midas.persistence.models import Decision, Direction

T = TypeVar("T")

# The unique constraint on crossings.client_id (migration 0002).
CLIENT_ID_CONSTRAINT = "uq_crossings_client_id"


@dataclass(frozen=True, slots=True)
class Submission:
    """An officer's decision on a traveller, as a station or a person submits it."""

    client_id: str
    direction: Direction
    decision: Decision
    mrz: tuple[str, ...] | None = None
    document: ManualDocument | None = None
    occurred_at: datetime | None = None
    officer: str | None = None
    refusal_reason: str | None = None
    transport_mode: str | None = None
    transport_ref: str | None = None
    purpose: str | None = None
    notes: str | None = None
    minor_accompanied: bool | None = None
    accompanying_crossing_id: int | None = None
    override_reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # The reader was unsure of some characters (an image hard to read): admitting needs a reason.
    reading_uncertain: bool = False
    # The files read from the document's chip (EF.SOD, data groups), verified when recording.
    chip: tuple[bytes, ...] = ()

    def fingerprint(self) -> str:
        """Return the sha256 of the submission as sent, to tell a retry from a reuse.

        The JSON of `asdict(self)`, built without asdict's deep copy of every field (only the
        manual document is a dataclass), so stored fingerprints keep matching.
        """
        data = {name: getattr(self, name) for name in _SUBMISSION_FIELDS}
        if not self.reading_uncertain:
            del data["reading_uncertain"]  # absent from fingerprints stored before it existed
        if self.chip:
            data["chip"] = [hashlib.sha256(blob).hexdigest() for blob in self.chip]
        else:
            del data["chip"]  # likewise
        if self.document is not None:
            data["document"] = asdict(self.document)
        canonical = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


_SUBMISSION_FIELDS = tuple(f.name for f in fields(Submission))


def keyed(submission: Submission, *about: object) -> tuple[str, str]:
    """Return a submission's canonical client_id and its fingerprint, which for a correction or
    a late entry also covers what it is about (the crossing or post, and the reason)."""
    client_id = normalize_client_id(submission.client_id)
    fingerprint = submission.fingerprint()
    if about:
        joined = "|".join([fingerprint, *map(str, about)])
        fingerprint = hashlib.sha256(joined.encode()).hexdigest()
    return client_id, fingerprint


def normalize_client_id(value: str) -> str:
    """Return a client id as a canonical UUID string; raise InvalidInput if it is not a UUID."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise InvalidInput(
            N_("%(value)s is not a UUID"), params={"value": repr(value)}, field="client_id"
        ) from None


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
