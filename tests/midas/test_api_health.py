"""GET /api/v1/health: no credentials, no personal data; database, schema and lists."""
# ruff: noqa: F811 - pytest fixtures are imported from auth_builders and named as arguments

from __future__ import annotations

import csv

from flask import Flask

from midas.domain.lists import load_watchlist
from midas.persistence.database import database
from midas.persistence.schema import head_revision
from tests.midas.auth_builders import app, client, make_app  # noqa: F401 - fixtures
from watchlists.models import ListKind

URL = "/api/v1/health"


def load_documents(app: Flask, tmp_path) -> None:
    path = tmp_path / "sltd.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["entry_id", "document_number", "issuing_state", "status"],
                ["d1", "X1234567", "DEU", "stolen"],
                ["d2", "X7654321", "DEU", "lost"],
            ]
        )
    load_watchlist(database(app).sessions, "sltd", ListKind.DOCUMENT, "csv", path, "test")


def test_health_needs_no_credentials_and_reports_the_schema(client):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"]["reachable"] is True
    assert body["database"]["revision"] == body["database"]["head"] == head_revision()
    assert body["database"]["current"] is True


def test_without_active_lists_the_service_is_degraded(client):
    body = client.get(URL).get_json()
    assert body["status"] == "degraded"
    assert "no active person list: persons are not screened" in body["warnings"]


def test_each_list_shows_its_active_version_and_entry_count(app, client, tmp_path):
    load_documents(app, tmp_path)
    body = client.get(URL).get_json()
    assert body["lists"] == [
        {
            "name": "sltd",
            "kind": "document",
            "active_version": 1,
            "entries": 2,
            "loaded_at": body["lists"][0]["loaded_at"],
        }
    ]
    assert body["lists"][0]["loaded_at"]


def test_an_unmigrated_database_is_unavailable(empty_database_url):
    unmigrated = make_app(empty_database_url)
    response = unmigrated.test_client().get(URL)
    database(unmigrated).dispose()
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert "run `midas init-db`" in body["warnings"][0]


def test_an_unreachable_database_is_unavailable(tmp_path):
    gone = make_app(f"sqlite:///{tmp_path}/missing/dir/midas.sqlite3")
    response = gone.test_client().get(URL)
    assert response.status_code == 503
    assert response.get_json()["database"]["reachable"] is False


def test_the_health_check_is_in_the_openapi_document_without_security(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["paths"]["/api/v1/health"]["get"]["security"] == []
