"""What headquarters has sent each post, subject by subject, and the updates it sends next.

A subject is a list, a trust source, the users, the stations or the stay rules. Its mark is a
list's version (and settings) or a snapshot's digest: headquarters sends a subject again only
when its mark has changed since the last bundle it made for that post. The post applies bundles
in chain order, so what headquarters last sent is what the post will hold before the next one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bundles.model import Record
from midas.persistence.models import PublishedState


@dataclass(frozen=True, slots=True)
class Update:
    """One subject's records for a post, and the mark to keep once they are bundled.

    The records of one update travel in one bundle, so a post applies a subject whole or not.
    """

    subject: str
    mark: str
    records: Sequence[Record]


def digest(value: Any) -> str:
    """Return the SHA-256 of a value's canonical JSON: a snapshot's mark."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def published_marks(session: Session, receiver: str) -> dict[str, str]:
    """Return, per subject, the mark of what was last bundled for this post."""
    rows = session.execute(
        select(PublishedState.subject, PublishedState.mark).where(
            PublishedState.receiver == receiver
        )
    )
    return {subject: mark for subject, mark in rows}


def keep_mark(session: Session, receiver: str, update: Update) -> None:
    """Note that this update is bundled for the post, in the caller's transaction."""
    row = session.scalar(
        select(PublishedState).where(
            PublishedState.receiver == receiver, PublishedState.subject == update.subject
        )
    )
    if row is None:
        session.add(PublishedState(receiver=receiver, subject=update.subject, mark=update.mark))
    else:
        row.mark = update.mark
