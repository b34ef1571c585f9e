"""Builders for the crossing tests: a post with a station and officers, lists, MRZ readings."""

from __future__ import annotations

import csv
import itertools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, SessionTransaction

from midas.auth import Actor
from midas.domain.actors import station_actor, user_actor
from midas.domain.credentials import token_sha256
from midas.domain.crossings import Recorded, record_crossing
from midas.domain.lists import load_watchlist
from midas.domain.screening import Screener
from midas.domain.screening_indexes import (
    IndexCache,
    ScreeningIndexes,
    app_index_cache,
)
from midas.domain.submissions import Submission
from midas.persistence.active_lists import ActiveList
from midas.persistence.database import database
from midas.persistence.models import (
    Decision,
    Direction,
    Post,
    PostKind,
    Role,
    Station,
    User,
)
from scanners.mrz.render import MRZFields, render
from watchlists.config import ScreeningConfig
from watchlists.models import ListKind

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
_serial = itertools.count(1)

PEOPLE = [
    ["entry_id", "name", "aliases", "birth_date", "nationalities", "sex"],
    ["p1", "Mohamed Al Rashid", "Abu Rashid", "1975-03-02", "IRQ", "M"],
]
DOCUMENTS = [
    ["entry_id", "document_number", "issuing_state", "document_type", "status"],
    ["d1", "C01X00T47", "DEU", "P", "stolen"],
]


def mrz(
    surname: str = "ERIKSSON",
    given_names: str = "ANNA MARIA",
    number: str = "L898902C3",
    *,
    nationality: str = "SWE",
    issuing_state: str | None = None,
    birth_date: date = date(1974, 8, 12),
    sex: str = "F",
    expiry: date = date(2030, 4, 15),
    code: str = "P",
) -> tuple[str, ...]:
    """Return TD3 lines for a traveller (valid check digits)."""
    fields = MRZFields(
        document_code=code,
        issuing_state=issuing_state or nationality,
        surname=surname,
        given_names=given_names,
        document_number=number,
        nationality=nationality,
        birth_date=birth_date,
        expiry_date=expiry,
        sex=sex,
    )
    return tuple(render("TD3", fields))


def submission(**overrides: Any) -> Submission:
    """Return an admitted entry of the default traveller with a fresh client_id."""
    values: dict[str, Any] = {
        "client_id": str(uuid.uuid4()),
        "direction": Direction.ENTRY,
        "decision": Decision.ADMITTED,
        "mrz": mrz(),
        "occurred_at": NOW - timedelta(minutes=1),
        "transport_mode": "air",
        "transport_ref": "SK1415",
        "purpose": "tourism",
    }
    values.update(overrides)
    return Submission(**values)


@dataclass(frozen=True, slots=True)
class Post1:
    """A post with a station, an officer, a supervisor; and a second post with its officer."""

    post_id: int
    other_post_id: int
    officer: Actor
    other_officer: Actor
    station: Actor
    supervisor: Actor
    chief: Actor
    admin: Actor
    station_token: str

    def station_for(self, officer: str = "officer1") -> Actor:
        """Return the station actor naming an officer (as the auth layer attributes it)."""
        return replace(self.station, username=officer, user_id=self.officer.user_id)


def make_user(session: Session, username: str, role: Role, post: Post | None, **kw: Any) -> User:
    user = User(
        username=username,
        full_name=username.title(),
        role=role,
        password_hash="x",
        post=post,
        **kw,
    )
    session.add(user)
    return user


def make_world(session: Session) -> Post1:
    """Create two posts, a station, officers, supervisors and an admin; return their actors."""
    n = next(_serial)
    token = f"station-token-{n}-{uuid.uuid4().hex}"
    with session.begin():
        post = Post(
            code=f"ARN{n}",
            name="Stockholm Arlanda",
            kind=PostKind.AIR,
            country="SWE",
            timezone="Europe/Stockholm",
        )
        other = Post(
            code=f"HEL{n}",
            name="Helsinki Vantaa",
            kind=PostKind.AIR,
            country="FIN",
            timezone="Europe/Helsinki",
        )
        session.add_all([post, other])
        station = Station(
            post=post, name="Desk 1", token_sha256=token_sha256(token), token_hint=token[-4:]
        )
        session.add(station)
        officer = make_user(session, "officer1", Role.OFFICER, post)
        other_officer = make_user(session, "officer2", Role.OFFICER, other)
        supervisor = make_user(session, "super1", Role.SUPERVISOR, None)
        supervisor.supervised = [post]
        chief = make_user(session, "chief", Role.SUPERVISOR, None, all_posts=True)
        admin = make_user(session, "admin", Role.ADMIN, None)
        session.flush()
        world = Post1(
            post_id=post.id,
            other_post_id=other.id,
            officer=user_actor(officer),
            other_officer=user_actor(other_officer),
            station=station_actor(station),
            supervisor=user_actor(supervisor),
            chief=user_actor(chief),
            admin=user_actor(admin),
            station_token=token,
        )
    return world


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def load_lists(app: Any, tmp_path: Path, people: list[list[str]] | None = None) -> None:
    """Load the person list 'alerts' and the document list 'sltd' into the app's database."""
    sessions = database(app).sessions
    for name, kind, rows in (
        ("alerts", ListKind.PERSON, people or PEOPLE),
        ("sltd", ListKind.DOCUMENT, DOCUMENTS),
    ):
        path = write_csv(tmp_path / f"{name}-{next(_serial)}.csv", rows)
        report = load_watchlist(sessions, name, kind, "csv", path, "tester", progress=False)
        assert report.version is not None, report
    # As the service has them once its builder is done: requests never build.
    app_index_cache(app).build_now(sessions)


def screener_for(app: Any) -> Screener:
    """Return a screener whose indexes are built, in the test's thread, before each screening
    (the service's builder thread is tested apart, in test_screening_indexes)."""
    cache, sessions = IndexCache(), database(app).sessions

    def built(active: Sequence[ActiveList] | None = None) -> ScreeningIndexes:
        cache.build_now(sessions)
        return cache.indexes(sessions, active)

    return Screener(indexes=built, config=ScreeningConfig(), indexes_of=built)


def tx(session: Session) -> SessionTransaction:
    """Begin a transaction as a request would, ending one a lazy load began outside any."""
    if session.in_transaction():
        session.commit()
    return session.begin()


def record(session: Session, actor: Actor, screener: Screener, **overrides: Any) -> Recorded:
    """Record a submission in its own transaction, as a request would."""
    with tx(session):
        return record_crossing(session, actor, submission(**overrides), screener, now=NOW)
