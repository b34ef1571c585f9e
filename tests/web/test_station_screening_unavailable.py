"""The station page while a list has no screening index yet: it says so, and records nothing."""
# ruff: noqa: F811 - the `held` fixture is imported and named as an argument

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from midas.domain.lists import load_watchlist
from midas.domain.screening_indexes import app_index_cache
from midas.persistence.database import database
from midas.persistence.models import Crossing
from tests.midas.index_builders import HeldBuilds, held  # noqa: F401 - fixture
from tests.web.builders import mrz, record, write_csv
from tests.web.conftest import Pages, csrf_of
from tests.web.test_corrections_page import CLEAN, correction
from watchlists.models import ListKind

# Whether a list's index is built is the worker's memory, not a row.
pytestmark = pytest.mark.one_backend

PETRENKO = mrz(
    "PETRENKO", "VIKTOR", "FA123456", nationality="UKR", sex="M", birth_date=date(1968, 2, 14)
)
UNAVAILABLE = 'Screening against the list "national-wanted" is not available yet'


def load_wanted(app: Flask, tmp_path: Path) -> None:
    """Load a new person list; no index of it is built (as after an upload, before a check)."""
    path = write_csv(
        tmp_path / "national-wanted.csv",
        [
            ["entry_id", "name", "birth_date", "nationalities", "sex", "action"],
            ["W-99", "Viktor Petrenko", "1968-02-14", "UKR", "M", "Arrest; call duty officer"],
        ],
    )
    sessions = database(app).sessions
    report = load_watchlist(sessions, "national-wanted", ListKind.PERSON, "csv", path, "test")
    assert report.ok, report.failure


def scan(pages: Pages, lines: str) -> tuple[int, str]:
    token = csrf_of(pages.client.get("/station").get_data(as_text=True))
    response = pages.client.post(
        "/station/scan", data={"mrz": lines, "direction": "entry", "csrf_token": token}
    )
    return response.status_code, html.unescape(response.get_data(as_text=True))


def test_a_scan_says_screening_is_not_available_for_the_list_then_screens_when_ready(
    pages: Pages, web_app: Flask, tmp_path: Path, held: HeldBuilds
) -> None:
    load_wanted(web_app, tmp_path)
    pages.login("officer1")
    status, page = scan(pages, PETRENKO)
    assert status == 503
    assert UNAVAILABLE in page and "Nothing was screened or recorded" in page
    assert 'id="decision-form"' not in page
    with database(web_app).sessions() as session:
        assert session.scalar(select(func.count()).select_from(Crossing)) == 0

    held.released.set()
    assert app_index_cache(web_app).wait(timeout=60)
    status, page = scan(pages, PETRENKO)
    assert status == 200
    assert "Arrest; call duty officer" in page and 'id="decision-form"' in page


def test_a_correction_keeping_its_reading_needs_no_screening_and_goes_through(
    pages: Pages, web_app: Flask, tmp_path: Path, held: HeldBuilds
) -> None:
    crossing = record(web_app, "officer1", CLEAN, decision="admitted")
    load_wanted(web_app, tmp_path)
    pages.login("super1")
    status, location, _ = correction(
        pages, crossing, decision="refused", refusal_reason="C", reason="No visa after all"
    )
    assert status == 302 and "/travellers/" in location
    held.released.set()
