"""Builders for the page tests: a post with people and lists, seeded through domain functions."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask

from midas.auth.passwords import passwords
from midas.domain.admin import create_post, create_user
from midas.domain.lists import load_watchlist
from midas.persistence.database import database
from scanners.mrz.render import MRZFields, render
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
    fields = MRZFields(
        document_code="P",
        issuing_state=issuing_state or nationality,
        surname=surname,
        given_names=given_names,
        document_number=number,
        nationality=nationality,
        birth_date=birth_date,
        expiry_date=expiry,
        sex=sex,
    )
    return "\n".join(render("TD3", fields))


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    """Write rows as a CSV file and return its path."""
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    return path


def seed(app: Flask, folder: Path) -> Seeded:
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
    return Seeded(post_code="NBO-JKIA")
