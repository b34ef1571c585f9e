"""A station reads only what a desk needs, and always for the officer it names."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from midas.domain import admin
from midas.persistence.database import database
from midas.persistence.models import AuditEvent, Crossing
from tests.midas.auth_builders import as_station
from tests.midas.crossing_builders import mrz

OFFICER = {"officer": "officer_a"}


def record(client, surname, **extra):
    body = {
        "client_id": str(uuid.uuid4()),
        "direction": "entry",
        "decision": "admitted",
        "officer": "officer_a",
        "mrz": list(mrz(surname, "ANNA", f"{surname[:2]}{len(surname):07d}")),
        **extra,
    }
    response = client.post("/api/v1/crossings", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def other_station(app, world):
    with database(app).sessions.begin() as session:
        token = admin.create_station(session, "cli:test", post_id=world.post_a, name="desk 2").token
    return as_station(app, token)


def reads(app):
    with database(app).sessions() as session:
        return list(
            session.execute(
                select(AuditEvent.actor, AuditEvent.object_id, AuditEvent.detail).where(
                    AuditEvent.action.in_(("crossing.read", "traveller.read"))
                )
            )
        )


def test_a_station_reads_its_own_crossing_as_the_officer_it_names(app, world, station):
    mine = record(station, "OWN")

    shown = station.get(f"/api/v1/crossings/{mine['id']}", query_string=OFFICER)
    history = station.get(f"/api/v1/travellers/{mine['traveller_id']}", query_string=OFFICER)

    assert shown.status_code == 200 and shown.get_json()["id"] == mine["id"]
    assert history.status_code == 200
    officer = f"user:{world.users['officer_a']}"
    assert [(actor, detail["station_id"]) for actor, _, detail in reads(app)] == [
        (officer, world.station_a),
        (officer, world.station_a),
    ]


def test_a_station_that_names_no_officer_reads_nothing(app, station):
    mine = record(station, "OWN")

    for path in (f"/api/v1/crossings/{mine['id']}", f"/api/v1/travellers/{mine['traveller_id']}"):
        refused = station.get(path)
        assert refused.status_code == 422, refused.get_json()
        assert refused.get_json()["error"]["field"] == "officer"
    screened = station.post("/api/v1/screenings", json={"mrz": list(mrz())})
    assert screened.status_code == 422 and screened.get_json()["error"]["field"] == "officer"
    assert reads(app) == []


def test_walking_ids_finds_only_the_stations_own_crossings(app, station, other_station, login_as):
    own = {record(station, "FIRST")["id"], record(station, "SECOND")["id"]}
    others = [
        record(other_station, "THIRD"),
        record(login_as("officer_a"), "FOURTH"),
    ]
    highest = max(own | {c["id"] for c in others})

    found = {
        number
        for number in range(1, highest + 5)
        if station.get(f"/api/v1/crossings/{number}", query_string=OFFICER).status_code == 200
    }
    travellers = {
        c["traveller_id"]
        for c in others
        if station.get(f"/api/v1/travellers/{c['traveller_id']}", query_string=OFFICER).status_code
        == 200
    }

    assert found == own
    assert travellers == set()
    # The officer, logged in as a person, still sees the whole post.
    officer = login_as("officer_a")
    assert all(officer.get(f"/api/v1/crossings/{n}").status_code == 200 for n in own)


def test_a_station_no_longer_reads_what_it_recorded_a_day_ago(app, station):
    mine = record(station, "OLD")
    with database(app).sessions.begin() as session:
        crossing = session.get(Crossing, mine["id"])
        crossing.recorded_at -= timedelta(hours=25)

    assert station.get(f"/api/v1/crossings/{mine['id']}", query_string=OFFICER).status_code == 404
    history = station.get(f"/api/v1/travellers/{mine['traveller_id']}", query_string=OFFICER)
    assert history.status_code == 404


def test_a_station_names_only_an_officer_posted_at_its_post(station):
    mine = record(station, "OWN")
    refused = station.get(f"/api/v1/crossings/{mine['id']}", query_string={"officer": "officer_b"})
    assert refused.status_code == 422 and "not posted at this station" in str(refused.get_json())


def test_a_station_corrects_only_what_it_recorded_lately(app, station, other_station, login_as):
    mine = record(station, "OWN")
    theirs = record(other_station, "THEIRS")
    correction = {
        "client_id": str(uuid.uuid4()),
        "direction": "entry",
        "decision": "referred",
        "officer": "officer_a",
        "reason": "wrong button",
    }

    refused = station.post(f"/api/v1/crossings/{theirs['id']}/corrections", json=correction)
    done = station.post(
        f"/api/v1/crossings/{mine['id']}/corrections",
        json={**correction, "client_id": str(uuid.uuid4())},
    )

    assert refused.status_code == 404, refused.get_json()
    assert done.status_code == 201, done.get_json()
    assert done.get_json()["corrects_id"] == mine["id"]
