"""API: /travellers/{id} — a traveller's history, scoped to the actor's posts, audited."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from midas.persistence.database import database
from midas.persistence.models import AuditEvent
from tests.midas.crossing_builders import mrz


def send(station, **extra):
    payload = {
        "client_id": str(uuid.uuid4()),
        "direction": "entry",
        "decision": "admitted",
        "officer": "officer_a",
        "mrz": list(mrz()),
        **extra,
    }
    response = station.post("/api/v1/crossings", json=payload)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_the_history_lists_every_crossing_and_document(app, station, login_as):
    first = send(station)
    second = send(station, direction="exit", mrz=list(mrz(number="NEW000001")))
    assert second["traveller_id"] == first["traveller_id"]
    history = login_as("supervisor_a").get(f"/api/v1/travellers/{first['traveller_id']}")
    assert history.status_code == 200
    found = history.get_json()
    assert [c["id"] for c in found["crossings"]] == [first["id"], second["id"]]
    assert {d["number"] for d in found["documents"]} == {"L898902C3", "NEW000001"}
    assert found["crossings"][0]["occurred_at_local"]
    with database(app).sessions() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "traveller.read")
        ).one()
        assert event.object_id == str(first["traveller_id"])


def test_a_traveller_seen_only_at_other_posts_is_not_found(app, station, login_as):
    traveller_id = send(station)["traveller_id"]
    assert login_as("officer_b").get(f"/api/v1/travellers/{traveller_id}").status_code == 404
    assert login_as("officer_a").get(f"/api/v1/travellers/{traveller_id}").status_code == 200
    assert login_as("supervisor_a").get("/api/v1/travellers/999999").status_code == 404


def test_anonymous_and_admin_requests_are_refused(app, client, login_as, world):
    assert client.get("/api/v1/travellers/1").status_code == 401
    assert login_as("admin").get("/api/v1/travellers/1").status_code == 403
