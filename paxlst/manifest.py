"""PAXLST messages to manifests: segments mapped to flight and travellers, parts joined.

The mapping follows the WCO/IATA/ICAO API Guidelines' PAXLST implementation guide (D02B, D05B):
BGM 745 (passengers) or 250 (crew); group 3 TDT+20 with LOC+125/87 (or 92) and DTM+189/232;
group 4 NAD+FL/FM (DDT/DDU in transit) with ATT+2, DTM+329, NAT+2, RFF+AVF; group 5 DOC with
DTM+36 and LOC+91; CNT+42/41. Segments the guide allows but MIDAS does not screen on (COM,
MEA, GEI, FTX, EMP, other LOC and RFF qualifiers) are passed over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from paxlst.dates import DateKind, read_date
from paxlst.errors import MessageError
from paxlst.interchange import Message, read_interchange
from paxlst.models import Document, Flight, Manifest, RecordProblem, Role, Traveller
from paxlst.syntax import Segment, is_number

#: BGM document name codes (1001) and the list each names.
LIST_CODES: dict[str, Role] = {"745": "passenger", "250": "crew"}
#: NAD party qualifiers (3035) of travellers: FL passenger, FM crew, DDT/DDU in transit (D05B).
PARTY_ROLES: dict[str, Role] = {"FL": "passenger", "FM": "crew", "DDT": "passenger", "DDU": "crew"}
#: CNT qualifiers (6069): 42 counts passengers, 41 crew.
COUNT_QUALIFIERS: dict[str, Role] = {"42": "passenger", "41": "crew"}
SEXES = {"M": "M", "F": "F", "U": None, "X": None}
_STATE = re.compile(r"[A-Z]{3}|[A-Z]{2}|D")
_DESIGNATOR = re.compile(r"([A-Z0-9]{2})(\d{1,4}[A-Z]?)")


@dataclass(slots=True)
class _Document:
    """A DOC group while it is being read."""

    type: str
    number: str
    issuing_state: str | None = None
    expiry: date | None = None


@dataclass(slots=True)
class _Record:
    """A traveller record while it is being read."""

    role: Role
    number: int
    surname: str
    given_names: str
    sex: str | None = None
    birth_date: date | None = None
    nationality: str | None = None
    booking_reference: str | None = None
    documents: list[_Document] = field(default_factory=list)


@dataclass(slots=True)
class _Leg:
    """The first TDT group while it is being read."""

    carrier: str | None = None
    flight_number: str = ""
    departure_airport: str | None = None
    departure_time: date | datetime | None = None
    arrival_airport: str | None = None
    arrival_time: date | datetime | None = None


@dataclass(frozen=True, slots=True)
class _Part:
    """One message read: what it says before it is joined with its other parts."""

    message: Message
    role: Role
    flight: Flight
    travellers: tuple[Traveller, ...]
    declared_count: int | None
    count_segment: int
    problems: tuple[RecordProblem, ...]


def read_manifests(data: bytes | str, today: date | None = None) -> list[Manifest]:
    """Read every PAXLST message of an interchange and join the parts of each list.

    `today` anchors the century rule of two-digit years (see `paxlst.dates.read_date`).
    Raises EdifactError for text that is not EDIFACT and MessageError for a message that is
    not a readable PAXLST; a bad traveller record is a RecordProblem of its manifest.
    """
    today = today or date.today()
    interchange = read_interchange(data)
    parts = [_read_message(message, today) for message in interchange.messages]
    return _join_parts(parts)


def _read_message(message: Message, today: date) -> _Part:
    """Map one PAXLST message's segments to its flight, travellers and problems."""
    unh = message.segments[0]
    if message.type != "PAXLST":
        raise MessageError(unh.number, "UNH", f"message type {message.type!r} is not PAXLST")
    reader = _Reader(message, today)
    return reader.read()


class _Reader:
    """Walks one message's segments once, in the order the guide gives them."""

    def __init__(self, message: Message, today: date) -> None:
        self.message = message
        self.today = today
        self.problems: list[RecordProblem] = []
        self.travellers: list[Traveller] = []
        self.record: _Record | None = None
        self.in_document = False
        self.flight = _Leg()
        self.leg = 0
        self.departure_seen = False
        self.transaction = ""
        self.count: int | None = None
        self.count_segment = 0

    def read(self) -> _Part:
        segments = self.message.segments
        bgm = segments[1]
        if bgm.tag != "BGM":
            raise MessageError(bgm.number, bgm.tag, "a PAXLST message starts UNH, BGM")
        code = bgm.value(1)
        if code not in LIST_CODES:
            raise MessageError(
                bgm.number, "BGM", f"document code {code!r} is neither 745 (passengers) nor 250"
            )
        role = LIST_CODES[code]
        for segment in segments[2:-1]:
            self._read(segment, role)
        self._close_record()
        unt = segments[-1]
        if not self.leg:
            raise MessageError(unt.number, "UNT", "the message names no flight (no TDT+20)")
        flight = self._flight()
        return _Part(
            message=self.message,
            role=role,
            flight=flight,
            travellers=tuple(self.travellers),
            declared_count=self.count,
            count_segment=self.count_segment or unt.number,
            problems=tuple(self.problems),
        )

    def _read(self, segment: Segment, role: Role) -> None:
        tag = segment.tag
        qualifier = segment.value(1)
        if tag == "NAD" and qualifier in PARTY_ROLES:
            self._open_record(segment, role)
        elif tag == "TDT":
            self._read_tdt(segment)
        elif tag == "CNT":
            self._read_cnt(segment, role)
        elif self.record is not None:
            self._read_traveller_segment(segment, self.record)
        elif self.leg:
            self._read_flight_segment(segment)
        elif tag == "RFF" and segment.value(1, 0) == "TN":
            self.transaction = segment.value(1, 1)
        elif tag in ("ATT", "NAT", "DOC") or (tag == "DTM" and qualifier in ("329", "36")):
            raise MessageError(segment.number, tag, "a traveller's segment before any NAD+FL/FM")

    def _read_tdt(self, segment: Segment) -> None:
        if self.record is not None or self.travellers:
            raise MessageError(segment.number, "TDT", "flight details after the travellers")
        if segment.value(1) != "20":
            raise MessageError(segment.number, "TDT", f"qualifier {segment.value(1)!r} is not 20")
        self.leg += 1
        if self.leg > 1:
            # A progressive flight's later legs: the manifest is for the first leg.
            return
        identifier = segment.value(2).strip()
        if not identifier:
            raise MessageError(segment.number, "TDT", "no flight identification")
        carrier = segment.value(5).strip() or None
        number = identifier
        if carrier and identifier.startswith(carrier) and len(identifier) > len(carrier):
            number = identifier[len(carrier) :]
        elif carrier is None and (found := _DESIGNATOR.fullmatch(identifier)):
            carrier, number = found.group(1), found.group(2)
        self.flight.carrier, self.flight.flight_number = carrier, number

    def _read_flight_segment(self, segment: Segment) -> None:
        if self.leg > 1:
            return
        tag, qualifier = segment.tag, segment.value(1)
        if tag == "LOC" and qualifier in ("125", "87", "92"):
            place = segment.value(2).strip() or None
            # LOC+92 (a progressive flight's leg): the first is where the leg departs.
            departs = qualifier == "125" or (qualifier == "92" and not self.departure_seen)
            if departs:
                self.flight.departure_airport, self.departure_seen = place, True
            else:
                self.flight.arrival_airport = place
        elif tag == "DTM" and qualifier in ("189", "232"):
            try:
                when = read_date(
                    segment.value(1, 1), segment.value(1, 2), DateKind.FLIGHT, self.today
                )
            except ValueError as exc:
                raise MessageError(segment.number, "DTM", str(exc)) from None
            if qualifier == "189":
                self.flight.departure_time = when
            else:
                self.flight.arrival_time = when
        elif tag in ("ATT", "NAT", "DOC"):
            raise MessageError(segment.number, tag, "a traveller's segment before any NAD+FL/FM")

    def _read_cnt(self, segment: Segment, role: Role) -> None:
        self._close_record()
        qualifier = segment.value(1, 0)
        if qualifier not in COUNT_QUALIFIERS:
            return
        text = segment.value(1, 1).strip()
        if not is_number(text):
            raise MessageError(segment.number, "CNT", f"count {text!r} is not a number")
        if COUNT_QUALIFIERS[qualifier] == role:
            self.count, self.count_segment = int(text), segment.number

    def _open_record(self, segment: Segment, list_role: Role) -> None:
        self._close_record()
        if not self.leg:
            raise MessageError(segment.number, "NAD", "a traveller before the flight (TDT+20)")
        role = PARTY_ROLES[segment.value(1)]
        name = [part.strip() for part in segment.elements[3]] if len(segment.elements) > 3 else []
        surname = name[0] if name else ""
        given = " ".join(part for part in name[1:] if part)
        self.record = _Record(role, segment.number, surname, given)
        if role != list_role:
            self._problem(
                segment, "role", f"a {role} record (NAD+{segment.value(1)}) in a {list_role} list"
            )

    def _read_traveller_segment(self, segment: Segment, record: _Record) -> None:
        tag, qualifier = segment.tag, segment.value(1)
        if tag == "ATT" and qualifier == "2":
            code = segment.value(3).strip()
            if code in SEXES:
                record.sex = SEXES[code]
            else:
                self._problem(segment, "sex", f"sex {code!r} is not M, F, U or X")
        elif tag == "DTM" and qualifier == "329":
            born = self._date(segment, "birth_date", DateKind.BIRTH)
            if born is not None and born > self.today:
                self._problem(segment, "birth_date", f"birth date {born} is after today")
            else:
                record.birth_date = born
        elif tag == "NAT" and qualifier == "2":
            state = segment.value(2).strip()
            if _STATE.fullmatch(state):
                record.nationality = state
            else:
                self._problem(segment, "nationality", f"nationality {state!r} is no state code")
        elif tag == "RFF" and segment.value(1, 0) == "AVF":
            record.booking_reference = segment.value(1, 1).strip() or None
        elif tag == "DOC":
            self._read_doc(segment, record)
        elif tag == "DTM" and qualifier == "36":
            if not self.in_document:
                self._problem(segment, "document_expiry", "an expiry (DTM+36) outside a DOC group")
            else:
                record.documents[-1].expiry = self._date(
                    segment, "document_expiry", DateKind.EXPIRY
                )
        elif tag == "LOC" and qualifier == "91":
            state = segment.value(2).strip()
            if not self.in_document:
                self._problem(segment, "document_issuing_state", "LOC+91 outside a DOC group")
            elif _STATE.fullmatch(state):
                record.documents[-1].issuing_state = state
            else:
                self._problem(segment, "document_issuing_state", f"{state!r} is no state code")

    def _read_doc(self, segment: Segment, record: _Record) -> None:
        kind = segment.value(1).strip()
        number = segment.value(2).strip()
        self.in_document = True
        record.documents.append(_Document(kind, number))
        if not number:
            self._problem(segment, "document_number", "a DOC without a document number")
        if not kind:
            self._problem(segment, "document_type", "a DOC without a document type")

    def _date(self, segment: Segment, name: str, kind: DateKind) -> date | None:
        try:
            value = read_date(segment.value(1, 1), segment.value(1, 2), kind, self.today)
        except ValueError as exc:
            self._problem(segment, name, str(exc))
            return None
        if isinstance(value, datetime):
            return value.date()
        return value

    def _problem(self, segment: Segment, name: str, reason: str) -> None:
        self.problems.append(RecordProblem(segment.number, name, reason))

    def _close_record(self) -> None:
        record, self.record, self.in_document = self.record, None, False
        if record is None:
            return
        if not record.surname:
            self.problems.append(
                RecordProblem(record.number, "surname", "a traveller record without a surname")
            )
            return
        documents = [
            Document(d.type, d.number, d.issuing_state, d.expiry) for d in record.documents
        ]
        first = documents[0] if documents else None
        self.travellers.append(
            Traveller(
                role=record.role,
                surname=record.surname,
                given_names=record.given_names,
                sex=record.sex,
                birth_date=record.birth_date,
                nationality=record.nationality,
                document_type=(first.type or None) if first else None,
                document_number=(first.number or None) if first else None,
                document_issuing_state=first.issuing_state if first else None,
                document_expiry=first.expiry if first else None,
                booking_reference=record.booking_reference,
                other_documents=tuple(documents[1:]),
                segment_number=record.number,
            )
        )

    def _flight(self) -> Flight:
        leg, message = self.flight, self.message
        return Flight(
            carrier=leg.carrier,
            flight_number=leg.flight_number,
            departure_airport=leg.departure_airport,
            departure_time=leg.departure_time,
            arrival_airport=leg.arrival_airport,
            arrival_time=leg.arrival_time,
            message_reference=message.reference,
            common_access_reference=message.common_access_reference,
            transaction_reference=self.transaction,
            parts=(message.part,) if message.part is not None else (),
        )


def _join_parts(parts: list[_Part]) -> list[Manifest]:
    """Join the parts of each list (same role, references and flight), in the order first seen."""
    groups: dict[tuple[object, ...], list[_Part]] = {}
    for index, part in enumerate(parts):
        message = part.message
        if message.part is None:
            key: tuple[object, ...] = ("single", index)
        else:
            flight = part.flight
            key = (
                part.role,
                message.common_access_reference,
                flight.transaction_reference,
                flight.designator,
            )
        groups.setdefault(key, []).append(part)
    return [_join(group) for group in groups.values()]


def _join(group: list[_Part]) -> Manifest:
    group = sorted(group, key=lambda p: p.message.part or 0)
    first = group[0]
    problems: list[RecordProblem] = []
    for part in group:
        problems.extend(part.problems)
    numbers = tuple(p.message.part for p in group if p.message.part is not None)
    unh = first.message.segments[0].number
    if numbers:
        if numbers != tuple(range(1, len(numbers) + 1)):
            problems.append(
                RecordProblem(unh, "parts", f"parts {list(numbers)} are not 1 to {len(numbers)}")
            )
        finals = [p.message.part for p in group if p.message.last_part]
        if finals != [numbers[-1]]:
            problems.append(
                RecordProblem(
                    unh, "parts", f"final part (F): {finals or 'none'}; expected the last"
                )
            )
    for part in group[1:]:
        if _leg(part.flight) != _leg(first.flight):
            problems.append(
                RecordProblem(
                    part.message.segments[0].number,
                    "flight",
                    f"part {part.message.part}: {_leg(part.flight)}, not {_leg(first.flight)}",
                )
            )
    travellers = tuple(t for part in group for t in part.travellers)
    declared = _declared(group, len(travellers), problems)
    return Manifest(
        role=first.role,
        flight=replace(first.flight, parts=numbers),
        travellers=travellers,
        declared_count=declared,
        problems=tuple(problems),
        directory=first.message.directory,
    )


def _declared(group: list[_Part], found: int, problems: list[RecordProblem]) -> int | None:
    """Return the count the parts declare, adding a problem when it is not what was read.

    Senders differ: most count the travellers of each part, some give the flight's total in
    every part or in the last; any of these that agrees with what was read is accepted.
    """
    counts = [p.declared_count for p in group]
    if all(c is None for c in counts):
        return None
    last = group[-1]
    if all(p.declared_count == len(p.travellers) for p in group):
        return found
    if all(c == found for c in counts if c is not None) and last.declared_count == found:
        return found
    declared = sum(c for c in counts if c is not None)
    segment = next(p.count_segment for p in group if p.declared_count != len(p.travellers))
    problems.append(
        RecordProblem(segment, "count", f"CNT declares {declared} travellers; {found} were read")
    )
    return declared


def _leg(flight: Flight) -> str:
    return f"{flight.designator} {flight.departure_airport}-{flight.arrival_airport}"
