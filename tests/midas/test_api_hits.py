"""API: /hits — the supervisor's review queue, confirm and dismiss with reasons, overrides."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from tests.midas.crossing_builders import load_lists, mrz

LISTED = mrz(
    "AL RASHID", "MOHAMED", "R7654321", nationality="IRQ", birth_date=date(1975, 3, 2), sex="M"
)


@pytest.fixture
def lists(app, tmp_path):
    load_lists(app, tmp_path)


def send(station, decision="referred", **extra):
    payload = {
        "client_id": str(uuid.uuid4()),
        "direction": "entry",
        "decision": decision,
        "officer": "officer_a",
        "mrz": list(LISTED),
        **extra,
    }
    response = station.post("/api/v1/crossings", json=payload)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_pending_hits_wait_in_the_queue_of_the_posts_supervisor(app, station, login_as, lists):
    crossing = send(station)
    queue = login_as("supervisor_a").get("/api/v1/hits").get_json()
    assert [hit["id"] for hit in queue["items"]] == [crossing["hits"][0]["id"]]
    assert queue["items"][0]["crossing"]["surname"] == "AL RASHID"
    assert login_as("supervisor_all").get("/api/v1/hits").get_json()["total"] == 1
    assert login_as("officer_a").get("/api/v1/hits").status_code == 403


def test_confirming_and_dismissing_need_a_reason_and_happen_once(app, station, login_as, lists):
    hit_id = send(station)["hits"][0]["id"]
    supervisor = login_as("supervisor_a")
    no_reason = supervisor.post(f"/api/v1/hits/{hit_id}/dismiss", json={})
    assert no_reason.status_code == 422 and no_reason.get_json()["error"]["field"] == "reason"
    done = supervisor.post(f"/api/v1/hits/{hit_id}/dismiss", json={"reason": "other person"})
    assert done.status_code == 200 and done.get_json()["status"] == "dismissed"
    twice = supervisor.post(f"/api/v1/hits/{hit_id}/confirm", json={"reason": "oops"})
    assert twice.status_code == 409
    assert supervisor.get("/api/v1/hits").get_json()["total"] == 0
    assert supervisor.get("/api/v1/hits?status=dismissed").get_json()["total"] == 1


def test_confirming_a_hit_on_an_admitted_traveller_needs_an_override(app, station, login_as, lists):
    # The listed person with a document on no list: admitting takes a reason at the desk.
    person = mrz("AL RASHID", "MOHAMED", "R1234567", nationality="IRQ",
                 birth_date=date(1975, 3, 2), sex="M")  # fmt: skip
    hit_id = send(
        station, decision="admitted", mrz=list(person), override_reason="known to the post"
    )["hits"][0]["id"]
    supervisor = login_as("supervisor_a")
    refused = supervisor.post(f"/api/v1/hits/{hit_id}/confirm", json={"reason": "it is him"})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["field"] == "override_reason"
    confirmed = supervisor.post(
        f"/api/v1/hits/{hit_id}/confirm",
        json={"reason": "it is him", "override_reason": "admitted before review; police told"},
    )
    assert confirmed.status_code == 200
    assert confirmed.get_json()["override_reason"].startswith("admitted before review")


def test_admitting_again_after_a_confirmed_hit_is_409_without_override(
    app, station, login_as, lists
):
    hit_id = send(station)["hits"][0]["id"]
    login_as("supervisor_a").post(f"/api/v1/hits/{hit_id}/confirm", json={"reason": "match"})
    payload = {
        "client_id": str(uuid.uuid4()),
        "direction": "exit",
        "decision": "admitted",
        "officer": "officer_a",
        "mrz": list(LISTED),
    }
    blocked = station.post("/api/v1/crossings", json=payload)
    assert blocked.status_code == 409 and str(hit_id) in blocked.get_json()["error"]["message"]
    allowed = station.post("/api/v1/crossings", json=payload | {"override_reason": "court order"})
    assert allowed.status_code == 201


def test_another_posts_supervisor_does_not_see_the_hit(app, station, login_as, lists, world):
    hit_id = send(station)["hits"][0]["id"]
    from midas.auth.passwords import passwords
    from midas.domain import admin
    from midas.persistence.database import database

    with database(app).sessions() as session, session.begin():
        admin.create_user(
            session,
            "cli:test",
            passwords(app),
            username="supervisor_b",
            full_name="B",
            password="correct horse battery staple",
            role="supervisor",
            supervised_post_ids=[world.post_b],
        )
    other = login_as("supervisor_b")
    assert other.get("/api/v1/hits").get_json()["total"] == 0
    assert other.post(f"/api/v1/hits/{hit_id}/confirm", json={"reason": "x"}).status_code == 404
