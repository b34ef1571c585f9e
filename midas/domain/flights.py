"""Flights expected at a post: manifests stored with their screening, and a traveller's entry
found again when their document is scanned at the desk.

A manifest's travellers are screened when it arrives (`manifests.screen_manifest`); a later
message for the same flight replaces them. At the desk, a document read is matched to the
manifest entry of a flight arriving at the post around now by its number (as read and as
printed, so an OCR repair cannot hide it) and the birth date.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, selectinload

from midas.domain.actors import Actor
from midas.domain.audit import record_audit
from midas.domain.errors import InvalidInput, NotFound, PermissionDenied
from midas.domain.manifests import (
    ScreenedTraveller,
    manifest_problems,
    screen_manifest,
    screen_traveller,
)
from midas.domain.readings import DocumentReading
from midas.domain.screening import hit_json
from midas.domain.screening_indexes import ScreeningIndexes
from midas.domain.texts import N_
from midas.domain.travellers import Identity
from midas.persistence.active_lists import active_lists
from midas.persistence.base import utcnow
from midas.persistence.models import Flight, ManifestTraveller, Post, Role
from paxlst.models import Document, Manifest, Traveller
from paxlst.models import Flight as ManifestFlight
from statecodes import same_state
from watchlists.config import ScreeningConfig
from watchlists.normalize import normalize_document_number

# How far from now a flight's arrival may be for a traveller scanned at the desk to be on it.
DESK_MATCH_WINDOW = timedelta(hours=36)


@dataclass(frozen=True, slots=True)
class StoredFlight:
    """A flight as stored from a manifest: which, and how many travellers and hits."""

    id: int
    designator: str
    arrival_local: datetime
    travellers: int
    hits: int
    post: str = ""
    # The same message was stored before for this flight: nothing was written again.
    duplicate: bool = False


def arrival_post(session: Session, airport: str | None, code: str | None = None) -> Post:
    """Return the post a flight arrives at: the one named, else the one whose code is the
    arrival airport's (NBO, or NBO-JKIA); raise InvalidInput naming the airport."""
    if code:
        post = session.scalar(select(Post).where(Post.code == code))
        if post is None:
            raise InvalidInput(N_("no post %(code)s"), params={"code": code}, field="post")
        return post
    if not airport:
        raise InvalidInput(N_("the message names no arrival airport: name the post"), field="post")
    found = session.scalars(
        select(Post).where(or_(Post.code == airport, Post.code.like(f"{airport}-%")))
    ).all()
    if len(found) != 1:
        raise InvalidInput(
            N_("no post for arrival airport %(airport)s: name the post")
            if not found
            else N_("several posts for arrival airport %(airport)s: name the post"),
            params={"airport": airport},
            field="post",
        )
    return found[0]


def _local(value: date | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value, time())


def store_manifest(
    session: Session,
    actor: Actor | str,
    manifest: Manifest,
    indexes: ScreeningIndexes,
    config: ScreeningConfig,
    *,
    source: str,
    data: bytes,
    post_code: str | None = None,
) -> StoredFlight:
    """Screen a manifest's travellers and store the flight, replacing an earlier message's."""
    indexes.require_current(active_lists(session))
    flight = manifest.flight
    _check_flight_fits(flight, source)
    arrival = _local(flight.arrival_time)
    if arrival is None:
        raise InvalidInput(
            N_("%(source)s: flight %(flight_designator)s has no arrival time (DTM+232)"),
            params={"source": source, "flight_designator": flight.designator},
            field="paxlst",
        )
    post = arrival_post(session, flight.arrival_airport, post_code)
    sha256 = hashlib.sha256(data).hexdigest()
    referred: set[tuple[object, ...]] = set()
    row = session.scalar(
        select(Flight).where(
            Flight.post_id == post.id,
            Flight.carrier == (flight.carrier or ""),
            Flight.flight_number == flight.flight_number,
            Flight.arrival_local == arrival,
        )
    )
    # Carriers send the passenger list and the crew list as separate messages (BGM 745, 250):
    # each replaces only its own travellers, and is a duplicate only of its own kind.
    crew = manifest.role == "crew"
    if row is not None and (row.crew_sha256 if crew else row.sha256) == sha256:
        # A gateway's retry, or the same file dropped twice: the flight is as it was sent.
        return _duplicate(session, row, manifest.role, post.code, flight.designator)
    screened = screen_manifest(manifest, indexes, config)
    if row is None:
        row = Flight(
            post_id=post.id,
            carrier=flight.carrier or "",
            flight_number=flight.flight_number,
            arrival_local=arrival,
            first_received_at=utcnow(),
            sha256="",
        )
        session.add(row)
    else:
        # A supervisor's referral outlives the carrier's corrected message: kept for the same
        # traveller (document and birth date, or name when the document is missing).
        referred = {
            _same_traveller(t)
            for t in session.scalars(
                select(ManifestTraveller).where(
                    ManifestTraveller.flight_id == row.id, ManifestTraveller.referred
                )
            )
        }
        session.execute(
            delete(ManifestTraveller).where(
                ManifestTraveller.flight_id == row.id, ManifestTraveller.role == manifest.role
            )
        )
    row.departure_airport = flight.departure_airport
    row.departure_local = _local(flight.departure_time)
    row.arrival_airport = flight.arrival_airport
    row.message_reference = flight.message_reference[:40]
    row.source = source[:200]
    if crew:
        row.crew_sha256 = sha256
    else:
        row.sha256 = sha256
    if not crew:
        row.declared_count = manifest.declared_count
    row.problems = [_problem(p) for p in manifest_problems(manifest)]
    row.received_at = row.screened_at = utcnow()
    session.flush()
    rows = [_traveller_row(row.id, item) for item in screened]
    for traveller in rows:
        traveller.referred = _same_traveller(traveller) in referred
    dropped = len(referred - {_same_traveller(t) for t in rows})
    session.add_all(rows)
    hits = sum(len(item.hits) for item in screened)
    record_audit(
        session,
        actor,
        "paxlst.load",
        "flight",
        row.id,
        detail={
            "flight": flight.designator,
            "post": post.code,
            "travellers": len(screened),
            "hits": hits,
            # Referrals of travellers the new message no longer lists (they stay audited).
            "referrals_dropped": dropped,
            "source": source[:200],
        },
    )
    return StoredFlight(row.id, flight.designator, arrival, len(screened), hits, post=post.code)


def _duplicate(
    session: Session, row: Flight, role: str, post: str, designator: str
) -> StoredFlight:
    travellers, hits = session.execute(
        select(func.count(), func.coalesce(func.sum(ManifestTraveller.hit_count), 0)).where(
            ManifestTraveller.flight_id == row.id, ManifestTraveller.role == role
        )
    ).one()
    return StoredFlight(
        row.id, designator, row.arrival_local, int(travellers), int(hits), post=post,
        duplicate=True,
    )  # fmt: skip


def _same_traveller(traveller: ManifestTraveller) -> tuple[object, ...]:
    if traveller.document_key:
        return (traveller.document_key, traveller.birth_date)
    return (traveller.surname, traveller.given_names, traveller.birth_date)


def _problem(problem: Any) -> dict[str, Any]:
    return {"segment": problem.segment_number, "field": problem.field, "reason": problem.reason}


def _check_flight_fits(flight: ManifestFlight, source: str) -> None:
    """Refuse a flight whose identity is longer than it can be kept: it names no real flight."""
    for field, value in (
        ("carrier", flight.carrier),
        ("flight_number", flight.flight_number),
        ("departure_airport", flight.departure_airport),
        ("arrival_airport", flight.arrival_airport),
    ):
        room = _room(Flight, field)
        if value is not None and room is not None and len(value) > room:
            raise InvalidInput(
                N_("%(source)s: the flight's %(field)s is longer than %(room)s characters"),
                params={"source": source, "field": field.replace("_", " "), "room": room},
                field="paxlst",
            )


def _room(model: type[Flight] | type[ManifestTraveller], field: str) -> int | None:
    """Return how many characters a column keeps, None when it is not text of a set length."""
    length = getattr(model.__table__.c[field].type, "length", None)
    return length if isinstance(length, int) else None


def _fitted(values: dict[str, Any], problems: list[dict[str, Any]]) -> dict[str, Any]:
    """Keep a traveller's fields that fit their columns; report each that does not.

    A carrier's field longer than any real one (a 60-character document number) is left out and
    said, as a bad record is: the message is kept, and the database never refuses the row.
    """
    fitted = dict(values)
    for field, value in values.items():
        room = _room(ManifestTraveller, field)
        if isinstance(value, str) and room is not None and len(value) > room:
            required = not ManifestTraveller.__table__.c[field].nullable
            fitted[field] = value[:room] if required else None
            problems.append(
                {
                    "segment": None,
                    "field": field,
                    "reason": f"longer than {room} characters: "
                    + ("cut" if required else "not kept"),
                }
            )
    return fitted


def _traveller_row(flight_id: int, item: ScreenedTraveller) -> ManifestTraveller:
    shown = item.to_dict()
    person = item.traveller
    number = person.document_number
    problems = list(shown["problems"])
    values = _fitted(
        {
            "role": person.role,
            "surname": person.surname,
            "given_names": person.given_names,
            "sex": person.sex,
            "nationality": person.nationality,
            "document_type": person.document_type,
            "document_number": number,
            "issuing_state": person.document_issuing_state,
            "booking_reference": person.booking_reference,
        },
        problems,
    )
    number = values["document_number"]
    return ManifestTraveller(
        flight_id=flight_id,
        other_documents=[
            {
                "type": other.type,
                "number": other.number,
                "issuing_state": other.issuing_state,
                "expiry": other.expiry.isoformat() if other.expiry else None,
            }
            for other in person.other_documents
        ],
        birth_date=person.birth_date,
        document_key=normalize_document_number(number)[:40] if number else None,
        document_expiry=person.document_expiry,
        problems=problems,
        hits=shown["hits"],
        hit_count=len(item.hits),
        referred=False,
        **values,
    )


@dataclass(frozen=True, slots=True)
class OnManifest:
    """The manifest entry of a traveller scanned at the desk, and where it differs."""

    flight: str
    departure_airport: str | None
    arrival_local: datetime
    role: str
    hits: list[Any]
    referred: bool
    differences: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "flight": self.flight,
            "departure_airport": self.departure_airport,
            "arrival_local": self.arrival_local.isoformat(),
            "role": self.role,
            "hits": self.hits,
            "referred": self.referred,
            "differences": list(self.differences),
        }


def on_manifest(
    session: Session,
    post_id: int,
    *,
    numbers: list[str],
    birth_date: date | None,
    fields: dict[str, Any],
    now_local: datetime,
) -> OnManifest | None:
    """Return the manifest entry of a document scanned at this post around now, if any.

    `numbers`: the document number as read and as printed; `fields`: the reading's surname,
    given names, nationality, issuing state and expiry, compared with what the carrier sent.
    """
    keys = sorted({normalize_document_number(n) for n in numbers if n})
    if not keys:
        return None
    query = (
        select(ManifestTraveller, Flight)
        .join(Flight, ManifestTraveller.flight_id == Flight.id)
        .where(
            Flight.post_id == post_id,
            ManifestTraveller.document_key.in_(keys),
            Flight.arrival_local.between(
                now_local - DESK_MATCH_WINDOW, now_local + DESK_MATCH_WINDOW
            ),
        )
        .order_by(Flight.id.desc())
    )
    for traveller, flight in session.execute(query).all():
        if birth_date is not None and traveller.birth_date not in (None, birth_date):
            continue
        differences = manifest_differences(traveller, fields)
        return OnManifest(
            flight=f"{flight.carrier}{flight.flight_number}",
            departure_airport=flight.departure_airport,
            arrival_local=flight.arrival_local,
            role=traveller.role,
            hits=list(traveller.hits),
            referred=traveller.referred,
            differences=differences,
        )
    return None


def manifest_entry(
    session: Session, post_id: int, timezone: str, reading: DocumentReading, moment: datetime
) -> OnManifest | None:
    """Return a reading's entry on the manifest of a flight arriving at the post around
    `moment` (its document number as read and as printed, its birth date)."""
    identity = reading.identity
    return on_manifest(
        session,
        post_id,
        numbers=[n for n in (identity.document_number, reading.printed_number) if n],
        birth_date=identity.birth_date,
        fields={
            "surname": identity.surname,
            "given_names": identity.given_names,
            "nationality": identity.nationality,
            "issuing_state": identity.issuing_state,
            "expiry_date": identity.expiry_date,
        },
        now_local=moment.astimezone(ZoneInfo(timezone)).replace(tzinfo=None),
    )


def manifest_differences(traveller: ManifestTraveller, fields: dict[str, Any]) -> tuple[str, ...]:
    """Name where the carrier's data differs from the document read, both normalised as a
    reading is (MUELLER-SCHMITT is MUELLER SCHMITT, D is DEU), and given names the MRZ cut
    short agreeing with the full ones."""
    carried = Identity.of(
        surname=traveller.surname,
        given_names=traveller.given_names,
        birth_date=traveller.birth_date,
        nationality=traveller.nationality,
        sex=traveller.sex,
        document_number=traveller.document_number,
        issuing_state=traveller.issuing_state,
        document_type=traveller.document_type,
        expiry_date=traveller.document_expiry,
    )
    found = []
    if fields.get("surname") and carried.surname and fields["surname"] != carried.surname:
        found.append("surname")
    read = fields.get("given_names") or ""
    if read and carried.given_names and not carried.given_names.startswith(read):
        found.append("given_names")
    for name in ("nationality", "issuing_state"):
        mine, theirs = fields.get(name), getattr(carried, name)
        if mine and theirs and not same_state(str(mine), str(theirs)):
            found.append(name)
    expiry = fields.get("expiry_date")
    if expiry and carried.expiry_date and expiry != carried.expiry_date:
        found.append("expiry_date")
    return tuple(found)


def expected_flights(
    session: Session, actor: Actor, post_id: int, around: datetime
) -> list[tuple[Flight, int, int, int, int]]:
    """Return the flights arriving at a post from a day before `around` to two days after, with
    their travellers, hits, pre-assigned referrals and passengers (what CNT+42 declares)
    counted."""
    _check_post(actor, post_id)
    counts = (
        select(
            ManifestTraveller.flight_id,
            func.count().label("travellers"),
            func.coalesce(func.sum(ManifestTraveller.hit_count), 0).label("hits"),
            func.count().filter(ManifestTraveller.referred).label("referred"),
            func.count().filter(ManifestTraveller.role == "passenger").label("passengers"),
        )
        .group_by(ManifestTraveller.flight_id)
        .subquery()
    )
    rows = session.execute(
        select(Flight, counts.c.travellers, counts.c.hits, counts.c.referred, counts.c.passengers)
        .outerjoin(counts, counts.c.flight_id == Flight.id)
        .where(
            Flight.post_id == post_id,
            Flight.arrival_local.between(around - timedelta(days=1), around + timedelta(days=2)),
        )
        .order_by(Flight.arrival_local, Flight.id)
    ).all()
    return [(f, int(t or 0), int(h or 0), int(r or 0), int(p or 0)) for f, t, h, r, p in rows]


def flight_with_travellers(session: Session, actor: Actor, flight_id: int) -> Flight:
    """Return a flight with its travellers (a read of personal data, audited)."""
    flight = session.scalar(
        select(Flight).where(Flight.id == flight_id).options(selectinload(Flight.travellers))
    )
    if flight is None:
        raise NotFound(
            N_("no flight %(flight_id)s"), params={"flight_id": flight_id}, field="flight_id"
        )
    _check_post(actor, flight.post_id)
    record_audit(
        session, actor, "flight.read", "flight", flight.id,
        detail={"travellers": len(flight.travellers)},
    )  # fmt: skip
    return flight


def refer_before_arrival(session: Session, actor: Actor, traveller_id: int, referred: bool) -> None:
    """Pre-assign a manifest traveller to secondary inspection (supervisors), or undo it."""
    if actor.role is not Role.SUPERVISOR:
        raise PermissionDenied(N_("only a supervisor assigns travellers before arrival"))
    traveller = session.get(ManifestTraveller, traveller_id)
    if traveller is None:
        raise NotFound(
            N_("no manifest traveller %(traveller_id)s"),
            params={"traveller_id": traveller_id},
            field="traveller_id",
        )
    _check_post(actor, traveller.flight.post_id)
    traveller.referred = referred
    record_audit(
        session, actor, "flight.refer", "manifest_traveller", traveller.id,
        detail={"flight_id": traveller.flight_id, "referred": referred},
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Rescreened:
    """What screening the flights still to land again found: flights, travellers, new hits."""

    flights: int
    travellers: int
    new_hits: int


def upcoming_flights(session: Session, *, now_utc: datetime) -> int:
    """Count the flights not yet landed (a day's margin for the airports' local times)."""
    since = now_utc.replace(tzinfo=None) - timedelta(hours=24)
    return (
        session.scalar(
            select(func.count()).select_from(Flight).where(Flight.arrival_local >= since)
        )
        or 0
    )


def rescreen_upcoming(
    session: Session,
    actor: Actor | str,
    indexes: ScreeningIndexes,
    config: ScreeningConfig,
    *,
    now_utc: datetime,
) -> Rescreened:
    """Screen the travellers of every flight not yet landed again against the active lists
    (after a list changed), keeping what the carrier sent and any referral; audited."""
    # Arrival times are the airports' local times: a day's margin covers any time zone.
    since = now_utc.replace(tzinfo=None) - timedelta(hours=24)
    flights = session.scalars(
        select(Flight).where(Flight.arrival_local >= since).options(selectinload(Flight.travellers))
    ).all()
    travellers = new_hits = 0
    for flight in flights:
        for traveller in flight.travellers:
            person = Traveller(
                role=traveller.role,  # type: ignore[arg-type]
                surname=traveller.surname,
                given_names=traveller.given_names,
                sex=traveller.sex,
                birth_date=traveller.birth_date,
                nationality=traveller.nationality,
                document_type=traveller.document_type,
                document_number=traveller.document_number,
                document_issuing_state=traveller.issuing_state,
                document_expiry=traveller.document_expiry,
                other_documents=tuple(
                    Document(
                        type=str(other["type"]),
                        number=str(other["number"]),
                        issuing_state=other.get("issuing_state"),
                        expiry=date.fromisoformat(other["expiry"]) if other.get("expiry") else None,
                    )
                    for other in traveller.other_documents or ()
                ),
            )
            hits = [hit_json(hit) for hit in screen_traveller(person, indexes, config)]
            before = {(h["list"], h["entry_id"]) for h in traveller.hits}
            new_hits += sum((h["list"], h["entry_id"]) not in before for h in hits)
            traveller.hits, traveller.hit_count = hits, len(hits)
            travellers += 1
        flight.screened_at = utcnow()
    result = Rescreened(len(flights), travellers, new_hits)
    record_audit(
        session,
        actor,
        "paxlst.rescreen",
        detail={"flights": result.flights, "travellers": travellers, "new_hits": new_hits},
    )
    return result


@dataclass(frozen=True, slots=True)
class ManifestSweep:
    """What a retention run removed of advance passenger information."""

    travellers: int
    flights: int


def sweep_manifests(session: Session, cutoff: datetime, *, dry_run: bool) -> ManifestSweep:
    """Delete the manifest entries of flights that arrived before `cutoff` (local arrival
    time), except travellers with a hit or a referral (kept with their flight until the
    crossing's own retention); a flight left without travellers goes too."""
    due = (
        select(ManifestTraveller.id)
        .join(Flight, ManifestTraveller.flight_id == Flight.id)
        .where(
            Flight.arrival_local < cutoff,
            ManifestTraveller.hit_count == 0,
            ManifestTraveller.referred.is_(False),
        )
    )
    travellers = list(session.scalars(due))
    kept = select(ManifestTraveller.flight_id).where(ManifestTraveller.id.not_in(travellers))
    empty = list(
        session.scalars(
            select(Flight.id).where(Flight.arrival_local < cutoff, Flight.id.not_in(kept))
        )
    )
    if not dry_run:
        if travellers:
            session.execute(delete(ManifestTraveller).where(ManifestTraveller.id.in_(travellers)))
        if empty:
            session.execute(delete(Flight).where(Flight.id.in_(empty)))
    return ManifestSweep(len(travellers), len(empty))


def _check_post(actor: Actor, post_id: int) -> None:
    if not actor.may_see_post(post_id):
        raise NotFound(N_("no such flight at a post you may see"), field="post_id")
