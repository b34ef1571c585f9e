"""Demo data: three posts with stations, the people who work there, two small lists, and a few
hundred crossings over the last months, so a new user sees a living system.

Everything is deterministic (a seeded generator, fixed names, tokens and passwords documented in
the README) and idempotent: what exists is kept, and the crossings carry fixed client ids, so a
second run records nothing twice. Crossings go through `record_crossing`, screening included,
with the clock set to the crossing's time. Never for production: the passwords are public.
"""

from __future__ import annotations

import csv
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from midas.domain import admin
from midas.domain.actors import user_actor
from midas.domain.audit import record_audit
from midas.domain.credentials import PasswordHashing, token_sha256
from midas.domain.crossings import record_crossing
from midas.domain.screening import Screener
from midas.domain.submissions import Submission
from midas.domain.texts import N_, Text
from midas.persistence.database import begin_writing
from midas.persistence.models import (
    Crossing,
    Decision,
    Direction,
    Post,
    Station,
    StayRule,
    User,
)
from scanners.mrz.render import MRZFields, render

DEMO_ACTOR = "cli:demo"
# client ids are uuid5 of this namespace and the crossing's number: a rerun replays, never adds.
NAMESPACE = uuid.UUID("6d1d5c1e-5a55-4d0e-9a8e-2f1f3f2b7c01")
SEED = 9303
DAYS = 150


@dataclass(frozen=True, slots=True)
class DemoPost:
    """A post, its station and the station's demo token."""

    code: str
    name: str
    kind: str
    timezone: str
    station: str
    token: str
    transport: str


POSTS = (
    DemoPost("JKIA", "Jomo Kenyatta International Airport", "air", "Africa/Nairobi",
             "Arrivals desk 1", "demo-station-jkia-0123456789abcdef", "air"),
    DemoPost("NMG", "Namanga One Stop Border Post", "land", "Africa/Nairobi",
             "Lane 1", "demo-station-nmg-0123456789abcdef", "land"),
    DemoPost("MBA", "Port of Mombasa", "sea", "Africa/Nairobi",
             "Cruise terminal", "demo-station-mba-0123456789abcdef", "sea"),
)  # fmt: skip
COUNTRY = "KEN"


@dataclass(frozen=True, slots=True)
class DemoUser:
    """A demo login; the password is public (README), so demo data never goes to production."""

    username: str
    full_name: str
    role: str
    password: str
    post: str | None = None


USERS = (
    DemoUser("admin", "Amina Admin", "admin", "demo-admin-password"),
    DemoUser("supervisor", "Samuel Supervisor", "supervisor", "demo-supervisor-password"),
    DemoUser("officer1", "Otieno Officer", "officer", "demo-officer1-password", "JKIA"),
    DemoUser("officer2", "Wanjiru Officer", "officer", "demo-officer2-password", "NMG"),
    DemoUser("officer3", "Baraka Officer", "officer", "demo-officer3-password", "MBA"),
)

# Generic CSV (watchlists/loaders/csv_generic.py); names are invented.
PERSON_LIST = "demo-wanted"
PERSON_ROWS = [
    ["entry_id", "name", "aliases", "birth_date", "nationalities", "sex", "category", "action"],
    ["W-001", "Viktor Drago Kessler", "Viktor Kesler", "1971-04-12", "DEU", "M", "wanted",
     "Refer to secondary inspection; call the duty supervisor"],
    ["W-002", "Ilsa Marisol Okonkwo", "", "1985", "NGA", "F", "wanted",
     "Refer to secondary inspection"],
    ["W-003", "Rashid Tamer Haddad", "Rashed Haddad", "1979-09-30", "JOR", "M", "sanctions",
     "Refuse entry (H: an alert for refusing entry); notify the liaison office"],
    ["W-004", "Jonas Pieter Vermaak", "", "1990-02-02", "ZAF", "M", "wanted",
     "Refer to secondary inspection"],
]  # fmt: skip
DOCUMENT_LIST = "demo-stolen-documents"
DOCUMENT_ROWS = [
    ["entry_id", "document_number", "issuing_state", "document_type", "status", "reported"],
    ["S-001", "X4821937", "GBR", "P", "stolen", "2025-11-02"],
    ["S-002", "C7Y90K2L1", "DEU", "P", "lost", "2026-01-15"],
    ["S-003", "N0918273", "NLD", "P", "stolen_blank", "2025-06-30"],
    ["S-004", "AB1234567", "USA", "P", "revoked", "2026-02-20"],
]

GIVEN = {
    "F": ["ANNA", "MARIA", "SOFIA", "AISHA", "GRACE", "LINA", "EMMA", "FATUMA", "CHLOE", "MEI"],
    "M": ["JOHN", "DAVID", "AHMED", "LUCA", "KOFI", "PETER", "HIRO", "OMAR", "JAMES", "MATEO"],
}
SURNAMES = [
    "SMITH", "MULLER", "ROSSI", "DUBOIS", "NOVAK", "JANSEN", "SILVA", "TANAKA", "OKAFOR",
    "HANSEN", "KOWALSKI", "GARCIA", "MENSAH", "CHEN", "PATEL", "NIELSEN", "FISCHER", "MOREAU",
    "BAKER", "IVANOV", "LINDQVIST", "ABEBE", "MWANGI", "OTIENO", "KIPROP",
]  # fmt: skip
NATIONALITIES = ["GBR", "DEU", "USA", "ITA", "FRA", "NLD", "IND", "CHN", "TZA", "UGA", "KEN"]
PURPOSES = ["tourism", "business", "family", "transit", "study"]


@dataclass(slots=True)
class DemoReport:
    """What a demo run created; tokens appear only when their station was created now."""

    posts: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)
    lists: list[str] = field(default_factory=list)
    crossings_recorded: int = 0
    crossings_existing: int = 0
    hits: int = 0


def ensure_people_and_posts(
    session: Session, passwords: PasswordHashing, report: DemoReport
) -> None:
    """Create the demo posts, stations (with their known tokens), users and the default stay."""
    posts = {p.code: p for p in session.scalars(select(Post))}
    for demo in POSTS:
        post = posts.get(demo.code)
        if post is None:
            post = admin.create_post(
                session,
                DEMO_ACTOR,
                code=demo.code,
                name=demo.name,
                kind=demo.kind,
                country=COUNTRY,
                timezone=demo.timezone,
            )
            posts[demo.code] = post
            report.posts.append(demo.code)
        hashed = token_sha256(demo.token)
        # A station is the demo's by its token, or by its name at the post once an admin
        # rotated that token (names are unique per post).
        known = select(Station.id).where(
            (Station.token_sha256 == hashed)
            | ((Station.post_id == post.id) & (func.lower(Station.name) == demo.station.lower()))
        )
        if session.scalar(known.limit(1)) is None:
            issued = admin.create_station(session, DEMO_ACTOR, post_id=post.id, name=demo.station)
            # A known token, so the README's station example works; the random one is dropped.
            issued.station.token_sha256 = hashed
            issued.station.token_hint = demo.token[: len(issued.station.token_hint)]
            report.tokens[demo.code] = demo.token
    existing = set(session.scalars(select(User.username)))
    for person in USERS:
        if person.username in existing:
            continue
        admin.create_user(
            session,
            DEMO_ACTOR,
            passwords,
            username=person.username,
            full_name=person.full_name,
            role=person.role,
            password=person.password,
            post_id=posts[person.post].id if person.post else None,
            all_posts=person.role == "supervisor",
        )
        report.users.append(person.username)
    if session.get(StayRule, "*") is None:
        admin.set_stay_rule(session, DEMO_ACTOR, "*", allowed_days=90, window_days=180)


@dataclass(frozen=True, slots=True)
class PublicCredentials:
    """Demo logins still open with their published password, demo stations with their token."""

    users: tuple[str, ...]
    stations: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.users or self.stations)

    def describe(self) -> str:
        """Say which logins and stations they are, for an operator (in English)."""
        return self.described().render()

    def described(self) -> Text:
        """Say which logins and stations they are, as a text a face translates."""
        said = []
        if self.users:
            said.append(
                Text(
                    N_("demo logins with their published password: %(users)s"),
                    {"users": ", ".join(self.users)},
                )
            )
        if self.stations:
            said.append(
                Text(
                    N_("demo stations with their published token: %(stations)s"),
                    {"stations": ", ".join(self.stations)},
                )
            )
        return Text("%(said)s", {"said": tuple(said)}, translatable=False) if said else Text("")


def public_credentials(session: Session, passwords: PasswordHashing) -> PublicCredentials:
    """Return the active demo logins and stations whose secret is the one the README publishes.

    A demo username alone proves nothing (an operator may well call an account "admin"): only a
    login that still opens with its demo password counts, so at most one check per demo user.
    """
    published = {person.username: person.password for person in USERS}
    users = session.scalars(select(User).where(User.username.in_(published), User.active.is_(True)))
    open_users = tuple(
        sorted(
            u.username for u in users if passwords.verify(u.password_hash, published[u.username])
        )
    )
    tokens = {token_sha256(demo.token): demo for demo in POSTS}
    stations = session.scalars(
        select(Station).where(Station.token_sha256.in_(tokens), Station.active.is_(True))
    )
    open_stations = tuple(sorted(f"{tokens[s.token_sha256].code} {s.name}" for s in stations))
    return PublicCredentials(open_users, open_stations)


def retire_public_credentials(
    session: Session, actor: str, passwords: PasswordHashing
) -> PublicCredentials:
    """Deactivate the demo logins and stations whose secrets are public; return which."""
    begin_writing(session)
    found = public_credentials(session, passwords)
    published = {token_sha256(demo.token) for demo in POSTS}
    for user in session.scalars(select(User).where(User.username.in_(found.users))):
        user.active = False
        record_audit(session, actor, "user.deactivate", "user", user.id)
    for station in session.scalars(
        select(Station).where(Station.token_sha256.in_(published), Station.active.is_(True))
    ):
        station.active = False
        record_audit(session, actor, "station.deactivate", "station", station.id)
    return found


def write_lists(folder: Path) -> dict[str, tuple[str, Path]]:
    """Write the two demo lists as generic CSV; return {name: (kind, path)}."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, tuple[str, Path]] = {}
    for name, kind, rows in (
        (PERSON_LIST, "person", PERSON_ROWS),
        (DOCUMENT_LIST, "document", DOCUMENT_ROWS),
    ):
        path = folder / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
        written[name] = (kind, path)
    return written


@dataclass(frozen=True, slots=True)
class PlannedCrossing:
    """One demo crossing: who, where, when, and what the officer decided."""

    number: int
    post: str
    direction: Direction
    at: datetime
    mrz: tuple[str, ...]
    decision: Decision = Decision.ADMITTED
    refusal_reason: str | None = None
    purpose: str | None = None
    notes: str | None = None
    minor_with: int | None = None  # number of the accompanying adult's crossing


@dataclass(frozen=True, slots=True)
class _Person:
    surname: str
    given: str
    sex: str
    nationality: str
    born: date
    number: str
    issuing_state: str | None = None


def _mrz(person: _Person) -> tuple[str, ...]:
    fields = MRZFields(
        document_code="P",
        issuing_state=person.issuing_state or person.nationality,
        surname=person.surname,
        given_names=person.given,
        document_number=person.number,
        nationality=person.nationality,
        birth_date=person.born,
        expiry_date=date(2032, 6, 30),
        sex=person.sex,
    )
    return tuple(render("TD3", fields))


def _at(rng: random.Random, day: date) -> datetime:
    return datetime.combine(day, time(5), UTC) + timedelta(minutes=rng.randrange(0, 14 * 60))


def plan_crossings(today: date) -> list[PlannedCrossing]:
    """Return the demo crossings of the `DAYS` before `today`, oldest first."""
    rng = random.Random(SEED)
    start = today - timedelta(days=DAYS)
    plan: list[PlannedCrossing] = []

    def add(person: _Person, post: str, direction: Direction, at: datetime, **kw: object) -> int:
        number = len(plan) + 1
        purpose = kw.pop("purpose", rng.choice(PURPOSES))
        plan.append(
            PlannedCrossing(number, post, direction, at, _mrz(person), purpose=purpose, **kw)  # type: ignore[arg-type]
        )
        return number

    def person(n: int, **kw: object) -> _Person:
        sex = rng.choice("FM")
        values: dict[str, object] = {
            "surname": rng.choice(SURNAMES),
            "given": rng.choice(GIVEN[sex]),
            "sex": sex,
            "nationality": rng.choice(NATIONALITIES),
            "born": date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)),
            "number": f"D{n:07d}",
        }
        values.update(kw)
        return _Person(**values)  # type: ignore[arg-type]

    # Ordinary trips: an entry and, for most, an exit within the allowed stay.
    for n in range(1, 151):
        traveller = person(n)
        post = rng.choice(POSTS).code
        entered = start + timedelta(days=rng.randrange(0, DAYS - 2))
        add(traveller, post, Direction.ENTRY, _at(rng, entered))
        stay = rng.randint(1, 40)
        left = entered + timedelta(days=stay)
        # Some recent arrivals are still in the country, within their allowed stay.
        still_inside = (today - entered).days < 60 and rng.random() < 0.3
        if left < today and not still_inside:
            add(traveller, rng.choice(POSTS).code, Direction.EXIT, _at(rng, left))
    # Refused at the border (reason codes of the Schengen Borders Code, Annex V Part B).
    for n, reason in zip(range(200, 214), "ACEEEGCAJEECAE", strict=True):
        when = start + timedelta(days=rng.randrange(0, DAYS))
        add(person(n), rng.choice(POSTS).code, Direction.ENTRY, _at(rng, when),
            decision=Decision.REFUSED, refusal_reason=reason)  # fmt: skip
    # Families with minors, accompanied by a parent crossing at the same desk.
    for n in range(300, 306):
        parent = person(n, born=date(1982, 5, 17))
        child = person(n + 50, surname=parent.surname, nationality=parent.nationality,
                       born=today - timedelta(days=rng.randint(4 * 365, 16 * 365)))  # fmt: skip
        when = _at(rng, start + timedelta(days=rng.randrange(0, DAYS)))
        post = rng.choice(POSTS).code
        adult = add(parent, post, Direction.ENTRY, when, purpose="family")
        add(child, post, Direction.ENTRY, when + timedelta(minutes=1), purpose="family",
            minor_with=adult)  # fmt: skip
        back = when + timedelta(days=rng.randint(3, 21))
        if back.date() < today:
            adult = add(parent, post, Direction.EXIT, back, purpose="family")
            add(child, post, Direction.EXIT, back + timedelta(minutes=1), purpose="family",
                minor_with=adult)  # fmt: skip
    # Overstayers: in since 100 and 120 days; and one about to overstay (in for 86 days).
    for n, days in ((400, 120), (401, 100), (402, 86)):
        when = _at(rng, today - timedelta(days=days))
        add(person(n, nationality="GBR"), "JKIA", Direction.ENTRY, when, purpose="tourism")
    # Hits: a listed person (referred) and documents on the stolen-document list.
    wanted = _Person("KESSLER", "VIKTOR DRAGO", "M", "DEU", date(1971, 4, 12), "C4K8L2M9P")
    add(wanted, "JKIA", Direction.ENTRY, _at(rng, today - timedelta(days=12)),
        decision=Decision.REFERRED, notes="Demo: hit on the wanted list, referred")  # fmt: skip
    stolen = _Person("BROWN", "OLIVER", "M", "GBR", date(1988, 7, 3), "X4821937")
    add(
        stolen,
        "NMG",
        Direction.ENTRY,
        _at(rng, today - timedelta(days=30)),
        decision=Decision.REFUSED,
        refusal_reason="A",
        notes="Demo: passport reported stolen",
    )
    lost = _Person("WEBER", "KLARA", "F", "DEU", date(1993, 11, 21), "C7Y90K2L1")
    add(lost, "MBA", Direction.ENTRY, _at(rng, today - timedelta(days=5)),
        decision=Decision.REFERRED, notes="Demo: passport reported lost")  # fmt: skip
    ordered = sorted(plan, key=lambda c: c.at)
    return ordered


def recorded_demo_crossings(session: Session, plan: list[PlannedCrossing]) -> int:
    """Return how many of the plan's crossings are recorded already (any: the demo ran before)."""
    ids = [client_id(c.number) for c in plan]
    return len(session.scalars(select(Crossing.id).where(Crossing.client_id.in_(ids))).all())


def client_id(number: int) -> str:
    """Return the fixed client id of a demo crossing."""
    return str(uuid.uuid5(NAMESPACE, f"demo-crossing-{number}"))


def record_planned(
    session: Session,
    crossing: PlannedCrossing,
    screener: Screener,
    recorded_ids: dict[int, int],
    report: DemoReport,
) -> None:
    """Record one planned crossing in the caller's transaction (a replay if it exists)."""
    code = next(p for p in POSTS if p.code == crossing.post)
    officer_name = next(u.username for u in USERS if u.post == crossing.post)
    officer = session.scalars(select(User).where(User.username == officer_name)).one()
    actor = user_actor(officer)
    companion = recorded_ids.get(crossing.minor_with) if crossing.minor_with else None
    submission = Submission(
        client_id=client_id(crossing.number),
        direction=crossing.direction,
        decision=crossing.decision,
        mrz=crossing.mrz,
        occurred_at=crossing.at,
        refusal_reason=crossing.refusal_reason,
        transport_mode=code.transport,
        transport_ref=None,
        purpose=crossing.purpose,
        notes=crossing.notes,
        minor_accompanied=True if crossing.minor_with else None,
        accompanying_crossing_id=companion,
    )
    existing = session.scalar(select(Crossing.id).where(Crossing.client_id == submission.client_id))
    if existing is not None:
        recorded_ids[crossing.number] = existing
        report.crossings_existing += 1
        return
    recorded = record_crossing(
        session, actor, submission, screener, now=crossing.at + timedelta(minutes=1)
    )
    recorded_ids[crossing.number] = recorded.crossing.id
    report.crossings_recorded += 1
    report.hits += len(recorded.crossing.hits)
