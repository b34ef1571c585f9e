"""Builders for the page tests: a post with people and lists, seeded through domain functions."""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from midas.auth.passwords import passwords
from midas.domain.actors import user_actor
from midas.domain.admin import create_post, create_station, create_user, find_post
from midas.domain.crossings import record_crossing
from midas.domain.lists import load_watchlist
from midas.domain.screening import Screener, built_screener
from midas.domain.screening_indexes import app_index_cache, screening_config
from midas.domain.submissions import Submission
from midas.persistence.database import database
from midas.persistence.models import Decision, Direction, User
from tests.midas.crossing_builders import mrz as td3_lines
from watchlists.models import ListKind

PASSWORD = "correct horse battery"
# Fast hashing: the tests check the flow, not argon2's cost.
FAST_SETTINGS: dict[str, Any] = {
    "PASSWORD_HASH_TIME_COST": 1,
    "PASSWORD_HASH_MEMORY_KIB": 8,
    "PASSWORD_HASH_PARALLELISM": 1,
    "LOGIN_RATE_LIMIT": "1000 per minute",
}
STOLEN_NUMBER = "C01X00T47"


@dataclass(frozen=True, slots=True)
class Seeded:
    """Who can log in, and the post they work at."""

    post_code: str
    officer: str = "officer1"
    supervisor: str = "super1"
    admin: str = "admin1"
    password: str = PASSWORD


SEEDED = Seeded(post_code="NBO-JKIA")


def mrz(
    surname: str,
    given_names: str,
    number: str,
    *,
    nationality: str = "SWE",
    issuing_state: str | None = None,
    birth_date: date = date(1974, 8, 12),
    sex: str = "F",
    expiry: date = date(2031, 4, 15),
) -> str:
    """Return a passport's two MRZ lines (valid check digits) as a scanner types them."""
    lines = td3_lines(
        surname,
        given_names,
        number,
        nationality=nationality,
        issuing_state=issuing_state,
        birth_date=birth_date,
        sex=sex,
        expiry=expiry,
    )
    return "\n".join(lines)


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    """Write rows as a CSV file and return its path."""
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    return path


def seed(app: Flask, folder: Path) -> Seeded:
    """Seed the app's database (seed_rows) and build its screening indexes."""
    seeded = seed_rows(app, folder)
    build_indexes(app)
    return seeded


def seed_rows(app: Flask, folder: Path) -> Seeded:
    """Create a post, an officer, a supervisor and an admin, and a stolen-document list."""
    sessions = database(app).sessions
    with app.app_context():
        hasher = passwords()
        with sessions.begin() as db:
            post = create_post(
                db,
                "cli:test",
                code="NBO-JKIA",
                name="Nairobi Jomo Kenyatta Airport",
                kind="air",
                country="KEN",
                timezone="Africa/Nairobi",
            )
            create_user(
                db,
                "cli:test",
                hasher,
                username="officer1",
                full_name="Amina Otieno",
                role="officer",
                password=PASSWORD,
                post_id=post.id,
            )
            create_user(
                db,
                "cli:test",
                hasher,
                username="super1",
                full_name="Joseph Mwangi",
                role="supervisor",
                password=PASSWORD,
                supervised_post_ids=[post.id],
            )
            create_user(
                db,
                "cli:test",
                hasher,
                username="admin1",
                full_name="Grace Wanjiru",
                role="admin",
                password=PASSWORD,
            )
        documents = write_csv(
            folder / "sltd.csv",
            [
                ["entry_id", "document_number", "issuing_state", "document_type", "status"],
                ["SLTD-1", STOLEN_NUMBER, "DEU", "P", "stolen"],
            ],
        )
        report = load_watchlist(
            sessions, "interpol-sltd", ListKind.DOCUMENT, "csv", documents, "test"
        )
        assert report.ok, report.failure
    return SEEDED


def build_indexes(app: Flask) -> None:
    """Build the screening indexes of the app's active lists, as the service has them once its
    builder is done: requests never build."""
    with app.app_context():
        app_index_cache(app).build_now(database(app).sessions)


def record(
    app: Flask,
    username: str,
    lines: str,
    *,
    direction: str = "entry",
    decision: str = "admitted",
    when: datetime | None = None,
    **extra: Any,
) -> int:
    """Record a crossing as an officer through the domain (as the station page would); its id."""
    sessions = database(app).sessions
    indexes = built_screener(app).indexes()
    screener = Screener(indexes=lambda: indexes, config=screening_config(app.config))
    with app.app_context(), sessions.begin() as db:
        user = db.scalars(select(User).where(User.username == username)).one()
        actor = user_actor(user)
        submission = Submission(
            client_id=str(uuid.uuid4()),
            direction=Direction(direction),
            decision=Decision(decision),
            mrz=tuple(lines.splitlines()),
            occurred_at=when,
            transport_mode="air",
            transport_ref="KQ101",
            purpose="tourism",
            **extra,
        )
        return record_crossing(db, actor, submission, screener).crossing.id


class _FormReader(HTMLParser):
    """Collect what a browser would send for one form: inputs, checked radios, selected options."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.values: dict[str, str] = {}
        self.select: str | None = None
        self.chosen = False
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = found.get("id") == self.form_id
        if not self.inside:
            return
        name = found.get("name")
        if tag == "input" and name:
            kind = found.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in found:
                    self.values[name] = found.get("value", "on")
            elif kind != "file":
                self.values[name] = found.get("value", "")
        elif tag == "select" and name:
            self.select = name
            self.chosen = False
        elif tag == "option" and self.select:
            # With no option marked selected, a browser sends the first.
            if "selected" in found or self.select not in self.values:
                if not self.chosen:
                    self.values[self.select] = found.get("value", "")
                self.chosen = self.chosen or "selected" in found
        elif tag == "textarea" and name:
            self.textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            # As a browser does, drop the one line break that follows <textarea>.
            text = self.values[self.textarea]
            self.values[self.textarea] = text.removeprefix("\r\n").removeprefix("\n")
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.inside and self.textarea:
            self.values[self.textarea] += data


def form_values(html: str, form_id: str) -> dict[str, str]:
    """Return the fields a browser would submit with the form of this id, as the page sets them."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.values


def add_desk(app: Flask, post_code: str, name: str) -> int:
    """Create a station (desk) at a post through the domain; return its id."""
    sessions = database(app).sessions
    with app.app_context(), sessions.begin() as db:
        post = find_post(db, post_code)
        return create_station(db, "cli:test", post_id=post.id, name=name).station.id


def add_post(app: Flask, code: str) -> None:
    """Create another border post through the domain."""
    with app.app_context(), database(app).sessions.begin() as db:
        create_post(
            db, "cli:test", code=code, name=code, kind="land", country="KEN", timezone="UTC"
        )
