"""GET /api/v1/overstays: who overstays, is about to, or did; supervisors at their posts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from midas.persistence.models import AuditEvent, Direction, Post, User
from tests.midas.operations_builders import make_crossing, make_traveller

URL = "/api/v1/overstays"
TODAY = datetime(2026, 6, 30, 12, tzinfo=UTC)


@pytest.fixture
def stays(session, world):
    """At post AAA: one traveller 120 days in, one 86 days in, one 10 days in; one at BBB."""
    with session.begin():
        a, b = session.get(Post, world.post_a), session.get(Post, world.post_b)
        officer = session.get(User, world.users["officer_a"])
        for surname, days, post in (
            ("LONG", 120, a),
            ("SOON", 86, a),
            ("SHORT", 10, a),
            ("BRIDGE", 150, b),
        ):
            traveller = make_traveller(session, surname=surname, nationality="UTO")
            make_crossing(
                session, traveller, post, officer, Direction.ENTRY, TODAY - timedelta(days=days)
            )


def listed(response):
    assert response.status_code == 200, response.get_json()
    return [(i["traveller"]["surname"], i["status"]) for i in response.get_json()["items"]]


def test_the_report_lists_the_most_urgent_first(login_as, stays):
    response = login_as("admin").get(URL, query_string={"today": "2026-06-30"})
    assert listed(response) == [
        ("BRIDGE", "overstaying"),
        ("LONG", "overstaying"),
        ("SOON", "about_to"),
    ]
    soon = response.get_json()["items"][2]
    assert soon["days_left"] == 3
    assert soon["last_allowed_day"] == "2026-07-03"
    assert soon["allowed_days"] == 90 and soon["window_days"] == 180
    assert soon["document"]["number"]
    assert soon["last_crossing"]["post_code"] == "AAA"


def test_a_status_filter_narrows_the_report(login_as, stays):
    query = {"today": "2026-06-30", "status": "about_to"}
    assert listed(login_as("admin").get(URL, query_string=query)) == [("SOON", "about_to")]


def test_a_supervisor_sees_travellers_last_seen_at_their_posts(login_as, stays):
    response = login_as("supervisor_a").get(URL, query_string={"today": "2026-06-30"})
    assert [name for name, _ in listed(response)] == ["LONG", "SOON"]


def test_listing_is_audited(login_as, stays, session, world):
    login_as("admin").get(URL, query_string={"today": "2026-06-30"})
    event = session.query(AuditEvent).filter_by(action="overstay.list").one()
    assert event.actor == f"user:{world.users['admin']}"
    assert event.detail["count"] == 3


# Refused before anything is written: the same on either database.
@pytest.mark.one_backend
@pytest.mark.parametrize(
    ("query", "field"), [({"status": "within"}, "status.0"), ({"today": "soon"}, "today")]
)
def test_bad_filters_are_422_naming_the_field(login_as, world, query, field):
    response = login_as("admin").get(URL, query_string=query)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field


def test_officers_are_refused_and_anonymous_clients_must_log_in(login_as, client, world):
    assert login_as("officer_a").get(URL).status_code == 403
    assert client.get(URL).status_code == 401
