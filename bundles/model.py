"""What a bundle holds: records with global ids, in order, from one sender to one receiver."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Record:
    """One append-only fact: its kind, its global id (a UUID), when it happened, its data."""

    kind: str
    id: str
    at: datetime
    data: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def new_id() -> str:
        """Return a fresh global id."""
        return str(uuid.uuid4())


@dataclass(frozen=True, slots=True)
class Bundle:
    """A verified bundle: who sent it to whom, where it stands in the chain, and its records."""

    sender: str
    receiver: str
    sequence: int
    previous: str  # the digest of the sender's bundle before this one ("" for the first)
    created_at: datetime
    records: tuple[Record, ...]
    digest: str  # of this bundle's signed content: the next bundle's `previous`


@dataclass(frozen=True, slots=True)
class Ledger:
    """Where a receiver stands with one sender: the last bundle accepted and its digest."""

    sequence: int = 0
    digest: str = ""
