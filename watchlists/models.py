"""Values shared by loaders, indexes and screening: list entries, versions, hits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class ListKind(StrEnum):
    """What a list holds: persons to screen by name, or documents to screen by number."""

    PERSON = "person"
    DOCUMENT = "document"


class DocumentStatus(StrEnum):
    """Why a document is on a list (INTERPOL SLTD vocabulary)."""

    LOST = "lost"
    STOLEN = "stolen"
    STOLEN_BLANK = "stolen_blank"
    REVOKED = "revoked"
    INVALIDATED = "invalidated"


class NameQuality(StrEnum):
    """How strong an alias is (OFAC and UN publish 'strong'/'weak', 'good'/'low')."""

    PRIMARY = "primary"
    STRONG = "strong"
    WEAK = "weak"


@dataclass(frozen=True, slots=True)
class EntryName:
    """One name of a listed person as the list spells it."""

    full: str
    quality: NameQuality = NameQuality.PRIMARY
    given: str | None = None
    family: str | None = None
    script: str | None = None


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A listed birth date: exact, year only, or a range of years (UN 'BETWEEN', OFAC 'circa')."""

    year_from: int
    year_to: int
    month: int | None = None
    day: int | None = None

    @property
    def exact(self) -> date | None:
        """Return the full date when day, month and a single year are all known."""
        if self.month and self.day and self.year_from == self.year_to:
            return date(self.year_from, self.month, self.day)
        return None


@dataclass(frozen=True, slots=True)
class IdentityDocument:
    """A document number a listed person is known to hold.

    `entity_id` is the list's own id for the document where the list publishes documents as
    records of their own (an FtM Passport), so a later change to that record can find it.
    """

    number: str
    issuing_state: str | None = None
    kind: str | None = None
    entity_id: str | None = None


@dataclass(frozen=True, slots=True)
class PersonEntry:
    """A listed person; `entry_id` is the list's own id (OFAC ent_num, UN reference, FtM id)."""

    entry_id: str
    names: tuple[EntryName, ...]
    birth_dates: tuple[BirthDate, ...] = ()
    nationalities: tuple[str, ...] = ()
    sex: str | None = None
    documents: tuple[IdentityDocument, ...] = ()
    category: str = "sanctions"
    action: str = "refer to secondary inspection"
    programs: tuple[str, ...] = ()
    remarks: str | None = None
    source_ref: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    """A listed travel document (lost, stolen, revoked …)."""

    entry_id: str
    number: str
    issuing_state: str
    status: DocumentStatus
    document_type: str | None = None
    reported: date | None = None
    source_ref: str | None = None
    action: str = "seize document and refer to secondary inspection"


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record a loader could not accept, and where it stood in the file."""

    location: str
    reason: str


@dataclass(frozen=True, slots=True)
class ListVersion:
    """Provenance of one load of a list."""

    list_name: str
    kind: ListKind
    version: int
    source_format: str
    file_name: str
    checksum_sha256: str
    loaded_at: datetime
    loaded_by: str
    published: date | None = None
    entry_count: int = 0
    rejected_count: int = 0


@dataclass(frozen=True, slots=True)
class Reason:
    """One feature's contribution to a hit: its name, its score in [0, 1], and a human detail."""

    feature: str
    score: float
    detail: str


@dataclass(frozen=True, slots=True)
class Hit:
    """A list entry that matched a query, with the score, the threshold and why.

    A possible hit scored under its threshold only because supporting facts contradict the
    traveller's (ScreeningConfig.possible_match_floor); its last reason says which.
    """

    list_name: str
    entry_id: str
    matched_name: str
    score: float
    threshold: float
    reasons: tuple[Reason, ...] = field(default_factory=tuple)
    kind: ListKind = ListKind.PERSON
    category: str | None = None
    action: str | None = None
    list_version: int | None = None
    possible: bool = False
