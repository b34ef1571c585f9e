"""What a loader yields: list entries, rejected records, and records deliberately left out."""

from __future__ import annotations

from dataclasses import dataclass

from watchlists.models import DocumentEntry, PersonEntry, Rejected

Entry = PersonEntry | DocumentEntry


@dataclass(frozen=True, slots=True)
class Skipped:
    """A well-formed record outside the list's scope (an OFAC vessel, an FtM Organization …)."""

    location: str
    what: str


Record = PersonEntry | DocumentEntry | Rejected | Skipped
