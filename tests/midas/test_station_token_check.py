"""The recording view checks a station's token in its own first statement.

Within a minute of a token's last lookup, POST /api/v1/crossings does not look it up on its own
again: the desk row it reads first carries the station's token, activity and post. A token
rotated or deactivated in between is still refused (401) before anything is read or written.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select, update

from midas.auth.identity import CHECKED_TOKENS_KEY
from midas.domain.credentials import token_sha256
from midas.persistence.database import database
from midas.persistence.models import AuditEvent, Crossing, Station
from tests.midas.auth_builders import as_station
from tests.midas.crossing_builders import mrz

STATIONS = "/api/v1/stations"


def body(number: str, **overrides: Any) -> dict[str, Any]:
    return {
        "client_id": str(uuid.uuid4()),
        "direction": "entry",
        "decision": "admitted",
        "officer": "officer_a",
        "mrz": list(mrz("JANSEN", "PIETER", number)),
    } | overrides


def stored(app: Flask) -> tuple[int, int]:
    """Return how many crossings and crossing.record audit events the database holds."""
    with database(app).sessions() as session:
        crossings = session.scalar(select(func.count()).select_from(Crossing))
        records = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "crossing.record")
        )
    return crossings or 0, records or 0


def execute(app: Flask, statement: Any) -> None:
    with database(app).sessions.begin() as session:
        session.execute(statement)


@pytest.fixture
def recorded(app, world, station) -> None:
    """A first recording: the station's token is looked up and remembered for a minute."""
    response = station.post("/api/v1/crossings", json=body("X1000001"))
    assert response.status_code == 201, response.get_json()
    remembered = app.extensions[CHECKED_TOKENS_KEY]
    assert remembered[token_sha256(world.station_token)][:2] == (world.station_a, world.post_a)


def test_a_remembered_token_records_without_a_lookup_of_its_own(app, world, station, recorded):
    seen: list[str] = []
    engine = database(app).engine

    def note(conn: object, cursor: object, statement: str, *rest: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        response = station.post("/api/v1/crossings", json=body("X1000002"))
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["station_id"] == world.station_a
    lookups = [s for s in seen if "stations.token_sha256 =" in s]
    assert lookups == [], lookups
    assert stored(app) == (2, 2)


def test_a_station_deactivated_after_a_recording_is_refused_at_once(
    app, world, station, login_as, recorded
):
    assert login_as("admin").post(f"{STATIONS}/{world.station_a}/deactivate").status_code == 200
    before = stored(app)

    response = station.post("/api/v1/crossings", json=body("X1000003"))

    assert response.status_code == 401
    assert "deactivated" in response.get_json()["error"]["message"]
    assert stored(app) == before


def test_a_token_rotated_after_a_recording_is_refused_and_the_new_one_records(
    app, world, station, login_as, recorded
):
    new = login_as("admin").post(f"{STATIONS}/{world.station_a}/token").get_json()["token"]
    before = stored(app)

    assert station.post("/api/v1/crossings", json=body("X1000004")).status_code == 401
    assert stored(app) == before
    response = as_station(app, new).post("/api/v1/crossings", json=body("X1000004"))
    assert response.status_code == 201, response.get_json()
    assert stored(app) == (before[0] + 1, before[1] + 1)


def test_a_closed_post_refuses_its_remembered_station(app, world, station, login_as, recorded):
    assert login_as("admin").post(f"/api/v1/posts/{world.post_a}/deactivate").status_code == 200
    before = stored(app)

    assert station.post("/api/v1/crossings", json=body("X1000005")).status_code == 401
    assert stored(app) == before


def test_a_refused_retry_reveals_nothing_of_the_crossing_it_repeats(
    app, world, station, login_as, recorded
):
    first = body("X1000006")
    assert station.post("/api/v1/crossings", json=first).status_code == 201
    execute(app, update(Station).where(Station.id == world.station_a).values(active=False))

    unnamed = {key: value for key, value in first.items() if key != "officer"}
    for retry in (first, unnamed, first | {"notes": "changed"}):
        response = station.post("/api/v1/crossings", json=retry)
        assert response.status_code == 401, response.get_json()
        assert "crossing" not in response.get_data(as_text=True)


def test_a_station_moved_to_another_post_records_there(app, world, station, recorded):
    execute(app, update(Station).where(Station.id == world.station_a).values(post_id=world.post_b))

    # officer_a is posted at the station's old post, not its new one.
    refused = station.post("/api/v1/crossings", json=body("X1000007"))
    assert refused.status_code == 422
    assert refused.get_json()["error"]["field"] == "officer"
    response = station.post("/api/v1/crossings", json=body("X1000007", officer="officer_b"))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["post"]["id"] == world.post_b


def test_other_station_operations_look_the_token_up_every_time(
    app, world, station, login_as, recorded
):
    assert login_as("admin").post(f"{STATIONS}/{world.station_a}/deactivate").status_code == 200

    assert station.get("/api/v1/auth/me").status_code == 401
    screened = station.post("/api/v1/screenings", json={"mrz": body("X1000008")["mrz"]})
    assert screened.status_code == 401
