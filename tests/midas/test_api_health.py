"""GET /api/v1/health: the status for anyone; database, schema, lists and indexes for a role."""

from __future__ import annotations

import csv

import pytest
from flask import Flask

from midas.api.health import health_report
from midas.domain.lists import load_watchlist
from midas.domain.screening_indexes import app_index_cache
from midas.persistence.database import database
from midas.persistence.schema import head_revision
from tests.midas.auth_builders import as_station, log_in, make_app
from watchlists.models import ListKind

URL = "/api/v1/health"


def load_documents(app: Flask, tmp_path, *, built: bool = True) -> None:
    path = tmp_path / "sltd.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["entry_id", "document_number", "issuing_state", "status"],
                ["d1", "X1234567", "DEU", "stolen"],
                ["d2", "X7654321", "DEU", "lost"],
            ]
        )
    sessions = database(app).sessions
    load_watchlist(sessions, "sltd", ListKind.DOCUMENT, "csv", path, "test")
    if built:
        app_index_cache(app).build_now(sessions)


def test_anyone_gets_the_status_alone(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.get_json() == {"status": "degraded"}  # no list loaded


@pytest.mark.parametrize("who", ["officer_a", "station"])
def test_an_officer_or_a_station_gets_the_status_alone(app, world, tmp_path, who):
    load_documents(app, tmp_path)
    caller = as_station(app, world.station_token) if who == "station" else log_in(app, who)
    assert caller.get(URL).get_json() == {"status": "degraded"}


def test_a_wrong_token_gets_the_status_alone(app, world):
    assert as_station(app, "not-a-token").get(URL).get_json() == {"status": "degraded"}


@pytest.mark.parametrize("who", ["supervisor_a", "admin"])
def test_a_supervisor_or_an_administrator_gets_the_detail(app, world, who):
    body = log_in(app, who).get(URL).get_json()
    assert body["database"]["reachable"] is True
    assert body["database"]["revision"] == body["database"]["head"] == head_revision()
    assert body["database"]["current"] is True


def test_without_active_lists_the_service_is_degraded(app, world):
    body = log_in(app, "admin").get(URL).get_json()
    assert body["status"] == "degraded"
    assert "no active person list: persons are not screened" in body["warnings"]


def test_each_list_shows_its_active_version_entry_count_and_index(app, world, tmp_path):
    load_documents(app, tmp_path)
    body = log_in(app, "supervisor_a").get(URL).get_json()
    assert body["lists"] == [
        {
            "name": "sltd",
            "kind": "document",
            "active_version": 1,
            "entries": 2,
            "loaded_at": body["lists"][0]["loaded_at"],
            "index": {"state": "ready", "served_version": 1, "failure": None},
        }
    ]
    assert body["lists"][0]["loaded_at"]


def test_an_unmigrated_database_is_unavailable(empty_database_url):
    unmigrated = make_app(empty_database_url)
    response = unmigrated.test_client().get(URL)
    database(unmigrated).dispose()
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}


def test_an_unmigrated_database_says_why_in_the_detail(empty_database_url):
    unmigrated = make_app(empty_database_url)
    body, status = _report(unmigrated)
    database(unmigrated).dispose()
    assert status == 503 and body["status"] == "unavailable"
    assert "run `midas init-db`" in body["warnings"][0]


def test_an_unreachable_database_is_unavailable(tmp_path):
    gone = make_app(f"sqlite:///{tmp_path}/missing/dir/midas.sqlite3")
    response = gone.test_client().get(URL)
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}
    body, _ = _report(gone)
    assert body["database"]["reachable"] is False


def _report(app: Flask) -> tuple[dict, int]:
    with app.test_request_context(URL):
        return health_report()


def test_the_health_check_is_in_the_openapi_document_without_security(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["paths"]["/api/v1/health"]["get"]["security"] == []
