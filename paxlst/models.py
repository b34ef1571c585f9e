"""What a PAXLST manifest holds: the flight, its travellers, and the records that were bad."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

Role = Literal["passenger", "crew"]


@dataclass(frozen=True, slots=True)
class Flight:
    """The flight of a manifest (TDT+20, LOC+125/87, DTM+189/232) and the messages carrying it.

    Times are local to their airport, as PAXLST gives them: a datetime, or a date when the
    message gives only the day. `parts` lists the UNH part numbers joined into the manifest.
    """

    carrier: str | None
    flight_number: str
    departure_airport: str | None
    departure_time: date | datetime | None
    arrival_airport: str | None
    arrival_time: date | datetime | None
    message_reference: str = ""
    common_access_reference: str = ""
    transaction_reference: str = ""
    parts: tuple[int, ...] = ()

    @property
    def designator(self) -> str:
        """Return carrier and number as one flight designator, e.g. ZZ123."""
        return f"{self.carrier or ''}{self.flight_number}"


@dataclass(frozen=True, slots=True)
class Document:
    """A travel document of a traveller (DOC, DTM+36, LOC+91): its type, number, issuer, expiry."""

    type: str
    number: str
    issuing_state: str | None = None
    expiry: date | None = None


@dataclass(frozen=True, slots=True)
class Traveller:
    """One passenger (NAD+FL) or crew member (NAD+FM) as the manifest lists them.

    The document fields are the first DOC group's (the travel document); later ones (a visa,
    a second passport) are `other_documents`. A field the record gives in an unreadable form is
    None, with a RecordProblem in the manifest naming it. `segment_number` is where the NAD
    stood in the interchange (0 for a traveller not read from one).
    """

    role: Role
    surname: str
    given_names: str
    sex: str | None = None
    birth_date: date | None = None
    nationality: str | None = None
    document_type: str | None = None
    document_number: str | None = None
    document_issuing_state: str | None = None
    document_expiry: date | None = None
    booking_reference: str | None = None
    other_documents: tuple[Document, ...] = ()
    segment_number: int = 0


@dataclass(frozen=True, slots=True)
class RecordProblem:
    """Something wrong with one record or the count: the segment, the field, and why."""

    segment_number: int
    field: str
    reason: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """A passenger or crew list of one flight, its parts joined, with every problem found.

    `declared_count` is CNT+42 (passengers) or CNT+41 (crew), summed over the parts; a count
    that differs from the travellers read is itself a problem.
    """

    role: Role
    flight: Flight
    travellers: tuple[Traveller, ...]
    declared_count: int | None
    problems: tuple[RecordProblem, ...] = ()
    directory: str = ""
