"""GET /api/v1/statistics: supervisors and admins, their posts, JSON or CSV, named errors."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from midas.persistence.models import Decision, Direction, Post, User
from tests.midas.operations_builders import make_crossing, make_traveller

URL = "/api/v1/statistics"


@pytest.fixture
def crossings(session, world):
    """Three crossings at post AAA and one refusal at BBB, in June 2026."""
    with session.begin():
        a, b = session.get(Post, world.post_a), session.get(Post, world.post_b)
        officer = session.get(User, world.users["officer_a"])
        adult = make_traveller(session, sex="F", birth_date=date(1990, 5, 1), nationality="UTO")
        child = make_traveller(session, sex="M", birth_date=date(2016, 5, 1), nationality="ATL")
        make_crossing(session, adult, a, officer, Direction.ENTRY, datetime(2026, 6, 1, tzinfo=UTC))
        make_crossing(session, adult, a, officer, Direction.EXIT, datetime(2026, 6, 9, tzinfo=UTC))
        make_crossing(session, child, a, officer, Direction.ENTRY, datetime(2026, 6, 9, tzinfo=UTC))
        make_crossing(
            session,
            child,
            b,
            officer,
            Direction.ENTRY,
            datetime(2026, 6, 20, tzinfo=UTC),
            decision=Decision.REFUSED,
            refusal_reason="C",
        )


def test_an_admin_gets_crossings_grouped_by_month_and_direction(login_as, crossings):
    response = login_as("admin").get(URL, query_string={"group_by": "month,direction"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["measure"] == "crossings"
    assert body["group_by"] == ["month", "direction"]
    assert body["total"] == 4
    assert body["rows"] == [
        {"month": "2026-06", "direction": "entry", "count": 3},
        {"month": "2026-06", "direction": "exit", "count": 1},
    ]


def test_sex_and_age_band_follow_the_sdg_disaggregation(login_as, crossings):
    body = login_as("admin").get(URL, query_string={"group_by": "sex,age_band"}).get_json()
    assert {(r["sex"], r["age_band"]): r["count"] for r in body["rows"]} == {
        ("F", "35-44"): 2,
        ("M", "0-17"): 2,
    }


def test_refusals_by_reason_and_a_period(login_as, crossings):
    query = {"measure": "refusals", "group_by": "refusal_reason", "from": "2026-06-10"}
    body = login_as("supervisor_all").get(URL, query_string=query).get_json()
    assert body["rows"] == [{"refusal_reason": "C", "count": 1}]
    assert body["from"] == "2026-06-10"


def test_a_supervisor_sees_only_their_posts(login_as, crossings, world):
    supervisor = login_as("supervisor_a")
    body = supervisor.get(URL, query_string={"group_by": "post"}).get_json()
    assert body["rows"] == [{"post": "AAA", "count": 3}]
    response = supervisor.get(URL, query_string={"post": world.post_b})
    assert response.status_code == 403
    assert response.get_json()["error"]["field"] == "post"


def test_csv_export_is_a_download_with_a_header_row(login_as, crossings):
    response = login_as("admin").get(
        URL, query_string={"group_by": "day", "format": "csv", "from": "2026-06-01"}
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "statistics-crossings-day-2026-06-01.csv" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).splitlines() == [
        "day,count",
        "2026-06-01,1",
        "2026-06-09,2",
        "2026-06-20,1",
    ]


# Refused before anything is written: the same on either database.
@pytest.mark.one_backend
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"group_by": "colour"}, "group_by"),
        ({"group_by": "day,week"}, "group_by"),
        ({"measure": "people"}, "measure"),
        ({"from": "June"}, "from"),
        ({"from": "2026-07-01", "to": "2026-06-01"}, "from"),
        ({"format": "xlsx"}, "format"),
    ],
)
def test_bad_queries_are_422_naming_the_field(login_as, world, query, field):
    response = login_as("admin").get(URL, query_string=query)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field


def test_officers_are_refused_and_anonymous_clients_must_log_in(login_as, client, world):
    assert login_as("officer_a").get(URL).status_code == 403
    assert client.get(URL).status_code == 401
