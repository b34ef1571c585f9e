"""Paper records on a page: a supervisor enters one late, with a reason; nobody else can."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select

from midas.persistence.database import database
from midas.persistence.models import Crossing
from tests.web.builders import form_values, mrz
from tests.web.conftest import Pages

# The late-entry form and its gate (tests/midas check late entries on both databases).
pytestmark = pytest.mark.one_backend

PAPER = mrz("ERIKSSON", "ANNA MARIA", "L898902C3", nationality="SWE")
NAIROBI = ZoneInfo("Africa/Nairobi")


def paper_form(pages: Pages, **changes: str) -> tuple[int, str, str]:
    page = pages.client.get("/late-entries/new").get_data(as_text=True)
    happened = datetime.now(NAIROBI) - timedelta(days=30)
    values = form_values(page, "late-entry-form") | {
        "occurred_at": happened.strftime("%Y-%m-%dT%H:%M"),
        "officer": "officer1",
        "mrz": PAPER,
        "decision": "admitted",
        "direction": "entry",
        "reason": "Generator failure 2-14 March; forms kept at the post office",
    }
    response = pages.client.post("/late-entries/new", data=values | changes)
    return (
        response.status_code,
        response.headers.get("Location", ""),
        response.get_data(as_text=True),
    )


def test_a_supervisor_enters_a_paper_record_at_the_post_time(pages: Pages, web_app: Flask) -> None:
    pages.login("super1")
    assert "Paper records" in pages.client.get("/late-entries/new").get_data(as_text=True)
    status, location, _ = paper_form(pages, transport_ref=" kq 310 ")
    assert status == 302 and location.endswith("/late-entries/new")
    with database(web_app).sessions() as session:
        crossing = session.scalars(select(Crossing)).one()
    assert crossing.late_entry_reason.startswith("Generator failure")
    assert crossing.transport_ref == "KQ 310"
    # The time typed is the post's local time, kept in UTC.
    typed = (datetime.now(NAIROBI) - timedelta(days=30)).replace(second=0, microsecond=0)
    assert abs(crossing.occurred_at - typed) < timedelta(minutes=2)
    assert crossing.recorded_at - crossing.occurred_at > timedelta(days=29)


def test_what_is_wrong_is_said_beside_the_field(pages: Pages, web_app: Flask) -> None:
    pages.login("super1")
    status, _, html = paper_form(pages, officer="nobody")
    assert status == 422 and "No officer named" in html
    status, _, html = paper_form(pages, reason="")
    assert status == 422 and "Say why the record is entered late." in html
    too_old = (datetime.now(NAIROBI) - timedelta(days=400)).strftime("%Y-%m-%dT%H:%M")
    status, _, html = paper_form(pages, occurred_at=too_old)
    assert status == 422 and "older paper records are kept on paper" in html
    status, _, html = paper_form(pages, minor_accompanied="yes", accompanying_crossing_id="x²")
    assert status in (302, 422)  # an adult: the companion is not asked for
    with database(web_app).sessions() as session:
        assert len(session.scalars(select(Crossing)).all()) == (1 if status == 302 else 0)


def test_only_supervisors_see_the_page(web_app: Flask, pages: Pages) -> None:
    for who in ("officer1", "admin1"):
        person = Pages(web_app.test_client(), pages.seeded)
        person.login(who)
        assert person.client.get("/late-entries/new").status_code == 403
        home = person.client.get("/", follow_redirects=True).get_data(as_text=True)
        assert "Dashboard" in home or "Station" in home
        assert "Paper records" not in home
