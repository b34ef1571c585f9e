"""After the flights of a day have landed: who did not show up, who came without being on a
manifest, and how good each carrier's data was — what passenger information units track.

A manifest traveller showed up when an entry was recorded at the flight's post within the
desk's match window of the arrival (`flights.DESK_MATCH_WINDOW`), for the same document number
(as read, or as printed before the reader's repairs, as the desk matches it) and birth date
(either side missing counts as agreeing). A flight has arrived once its arrival and the grace
(PAXLST_NO_SHOW_GRACE_MINUTES) are past. Carriers' data quality counts the day's flights.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.audit import record_audit
from midas.domain.errors import NotFound, PermissionDenied
from midas.domain.flights import DESK_MATCH_WINDOW
from midas.domain.texts import N_
from midas.persistence.models import (
    Crossing,
    Direction,
    Flight,
    ManifestTraveller,
    Post,
    Role,
    TravelDocument,
    Traveller,
)
from watchlists.normalize import normalize_document_number

# Fields of a traveller record a carrier must send (WCO/IATA/ICAO API Guidelines), as stored.
REQUIRED_FIELDS = (
    "surname",
    "given_names",
    "sex",
    "birth_date",
    "nationality",
    "document_type",
    "document_number",
    "issuing_state",
    "document_expiry",
)
# Travellers listed by name in each list of a report; the counts are always whole.
LISTED = 500


@dataclass(frozen=True, slots=True)
class ReportSettings:
    """How long after arrival a traveller may still reach the desk; how close to arrival a
    carrier's first message is late."""

    grace: timedelta
    late_before_arrival: timedelta


def report_settings(config: Mapping[str, Any]) -> ReportSettings:
    """Return the report's settings from the app's (PAXLST_NO_SHOW_GRACE_MINUTES and
    PAXLST_LATE_MINUTES)."""
    return ReportSettings(
        grace=timedelta(minutes=int(config["PAXLST_NO_SHOW_GRACE_MINUTES"])),
        late_before_arrival=timedelta(minutes=int(config["PAXLST_LATE_MINUTES"])),
    )


@dataclass(frozen=True, slots=True)
class Missing:
    """A manifest traveller who did not reach the desk (a no-show)."""

    flight: str
    flight_id: int
    traveller_id: int
    role: str
    surname: str
    given_names: str
    document_number: str | None


@dataclass(frozen=True, slots=True)
class Unlisted:
    """An entry recorded at the post that is on no manifest of a flight around it."""

    crossing_id: int
    occurred_at: datetime
    surname: str | None
    given_names: str | None
    nationality: str | None


@dataclass(slots=True)
class CarrierQuality:
    """One carrier's data over the day's flights."""

    carrier: str
    flights: int = 0
    travellers: int = 0
    bad_records: int = 0
    missing: Counter[str] = field(default_factory=Counter)
    late_messages: int = 0
    after_departure: int = 0


@dataclass(frozen=True, slots=True)
class FlightReport:
    """A post's day after its flights: no-shows, travellers on no manifest, carriers' data."""

    post: str
    day: date
    arrived_flights: int
    waiting_flights: int  # landed less than the grace ago, or not yet: no-shows not counted
    no_shows: int
    not_on_manifest: int
    missing: list[Missing]
    unlisted: list[Unlisted]
    carriers: list[CarrierQuality]


@dataclass(frozen=True, slots=True)
class _Entry:
    id: int
    occurred_at: datetime
    number: str | None
    birth_date: date | None
    traveller_id: int


def flight_report(
    session: Session,
    actor: Actor,
    post_id: int,
    day: date,
    settings: ReportSettings,
    *,
    now_utc: datetime,
) -> FlightReport:
    """Return the report of a post's day (supervisors of the post; a read of personal data,
    audited)."""
    if actor.role is not Role.SUPERVISOR or actor.kind != "user":
        raise PermissionDenied(N_("only a supervisor sees who did not show up"))
    post = session.get(Post, post_id)
    if post is None or not actor.may_see_post(post_id):
        raise NotFound(N_("no such post among yours"), field="post_id")
    zone = ZoneInfo(post.timezone)
    start = datetime.combine(day, time())
    end = start + timedelta(days=1)
    now_local = now_utc.astimezone(zone).replace(tzinfo=None)
    # Flights around the day: an entry of the day may belong to one of the day before.
    flights = list(
        session.scalars(
            select(Flight).where(
                Flight.post_id == post_id,
                Flight.arrival_local >= start - DESK_MATCH_WINDOW,
                Flight.arrival_local < end + DESK_MATCH_WINDOW,
            )
        )
    )
    todays = [f for f in flights if start <= f.arrival_local < end]
    arrived = {f.id for f in todays if f.arrival_local + settings.grace <= now_local}
    travellers = list(
        session.scalars(
            select(ManifestTraveller).where(
                ManifestTraveller.flight_id.in_([f.id for f in flights])
            )
        )
    )
    arrival_utc = {f.id: f.arrival_local.replace(tzinfo=zone).astimezone(UTC) for f in flights}
    entries = _entries(session, post_id, start, end, zone, flights)
    shown, matched = _match(travellers, entries, arrival_utc, session)
    by_id = {f.id: f for f in flights}
    missing = [
        Missing(
            f"{by_id[t.flight_id].carrier}{by_id[t.flight_id].flight_number}",
            t.flight_id,
            t.id,
            t.role,
            t.surname,
            t.given_names,
            t.document_number,
        )
        for t in travellers
        if t.flight_id in arrived and t.id not in shown
    ]
    day_from, day_to = (
        start.replace(tzinfo=zone).astimezone(UTC),
        end.replace(tzinfo=zone).astimezone(UTC),
    )
    unmatched = [e for e in entries if e.id not in matched and day_from <= e.occurred_at < day_to]
    people = _people(session, [e.traveller_id for e in unmatched[:LISTED]])
    unlisted = [
        Unlisted(e.id, e.occurred_at, *people.get(e.traveller_id, (None, None, None)))
        for e in unmatched[:LISTED]
    ]
    report = FlightReport(
        post=post.code,
        day=day,
        arrived_flights=len(arrived),
        waiting_flights=len(todays) - len(arrived),
        no_shows=len(missing),
        not_on_manifest=len(unmatched) if todays else 0,
        missing=missing[:LISTED],
        unlisted=unlisted if todays else [],
        carriers=carrier_quality(session, todays, travellers, zone, settings),
    )
    record_audit(
        session, actor, "flight.report", "post", post_id,
        detail={"day": day.isoformat(), "no_shows": report.no_shows,
                "not_on_manifest": report.not_on_manifest},
    )  # fmt: skip
    return report


def _entries(
    session: Session,
    post_id: int,
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
    flights: list[Flight],
) -> list[_Entry]:
    """Return the entries at the post from the earliest flight's window to the latest's."""
    first = min([start, *(f.arrival_local for f in flights)]) - DESK_MATCH_WINDOW
    last = max([end, *(f.arrival_local for f in flights)]) + DESK_MATCH_WINDOW
    rows = session.execute(
        select(
            Crossing.id,
            Crossing.occurred_at,
            TravelDocument.number,
            Traveller.birth_date,
            Crossing.traveller_id,
        )
        .join(TravelDocument, TravelDocument.id == Crossing.document_id)
        .join(Traveller, Traveller.id == Crossing.traveller_id)
        .where(
            Crossing.post_id == post_id,
            Crossing.direction == Direction.ENTRY,
            Crossing.occurred_at >= first.replace(tzinfo=zone).astimezone(UTC),
            Crossing.occurred_at < last.replace(tzinfo=zone).astimezone(UTC),
        )
        .order_by(Crossing.occurred_at, Crossing.id)
    ).all()
    return [_Entry(*row) for row in rows]


def _match(
    travellers: list[ManifestTraveller],
    entries: list[_Entry],
    arrival_utc: dict[int, datetime],
    session: Session,
) -> tuple[set[int], set[int]]:
    """Return the manifest travellers who showed up and the entries on a manifest: by the
    number as read first, then, for what is left, as printed (read from those readings only)."""
    on_manifest: dict[str, list[ManifestTraveller]] = {}
    for traveller in travellers:
        if traveller.document_key:
            on_manifest.setdefault(traveller.document_key, []).append(traveller)
    shown: set[int] = set()
    matched: set[int] = set()

    def pair(entry: _Entry, key: str) -> None:
        for traveller in on_manifest.get(key, ()):
            near = abs(entry.occurred_at - arrival_utc[traveller.flight_id]) <= DESK_MATCH_WINDOW
            born = None in (entry.birth_date, traveller.birth_date) or (
                entry.birth_date == traveller.birth_date
            )
            if near and born:
                shown.add(traveller.id)
                matched.add(entry.id)

    for entry in entries:
        if entry.number:
            pair(entry, normalize_document_number(entry.number))
    left = [e for e in entries if e.id not in matched]
    if left:
        printed = session.execute(
            select(Crossing.id, Crossing.reading).where(Crossing.id.in_([e.id for e in left]))
        ).all()
        numbers = {
            crossing_id: (reading or {}).get("printed_document_number")
            for crossing_id, reading in printed
        }
        for entry in left:
            number = numbers.get(entry.id)
            if isinstance(number, str) and number:
                pair(entry, normalize_document_number(number))
    return shown, matched


def _people(
    session: Session, traveller_ids: list[int]
) -> dict[int, tuple[str | None, str | None, str | None]]:
    rows = session.execute(
        select(Traveller.id, Traveller.surname, Traveller.given_names, Traveller.nationality).where(
            Traveller.id.in_(traveller_ids)
        )
    ).all()
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def carrier_quality(
    session: Session,
    flights: list[Flight],
    travellers: list[ManifestTraveller],
    zone: ZoneInfo,
    settings: ReportSettings,
) -> list[CarrierQuality]:
    """Count each carrier's flights, records, missing fields by field, bad records and late
    messages (first received less than the setting before arrival, or after departure when the
    departure airport is one of our posts, whose time zone is known)."""
    zones: dict[str, ZoneInfo] = {}
    for code, timezone in session.execute(select(Post.code, Post.timezone)).all():
        # A post NBO-JKIA is at airport NBO, as arrival posts are found (flights.arrival_post).
        zones[code] = zones.setdefault(code.split("-")[0], ZoneInfo(timezone))
    found: dict[str, CarrierQuality] = {}
    ours = {f.id: f for f in flights}
    for flight in flights:
        quality = found.setdefault(flight.carrier, CarrierQuality(flight.carrier))
        quality.flights += 1
        first = flight.first_received_at or flight.received_at
        if first > flight.arrival_local.replace(tzinfo=zone) - settings.late_before_arrival:
            quality.late_messages += 1
        departure_zone = zones.get(flight.departure_airport or "")
        departed = flight.departure_local
        if departed is not None and departure_zone is not None:
            quality.after_departure += first > departed.replace(tzinfo=departure_zone)
    for traveller in travellers:
        carried = ours.get(traveller.flight_id)
        if carried is None:
            continue
        quality = found[carried.carrier]
        quality.travellers += 1
        quality.bad_records += bool(traveller.problems)
        for name in REQUIRED_FIELDS:
            if getattr(traveller, name) in (None, ""):
                quality.missing[name] += 1
    return sorted(found.values(), key=lambda q: q.carrier)
