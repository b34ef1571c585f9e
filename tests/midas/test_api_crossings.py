"""API: /screenings and /crossings — auth, validation, idempotent retries, corrections, search."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from midas.api.crossings import CrossingSchema, HitSchema
from midas.persistence.database import database
from midas.persistence.models import AuditEvent, Crossing
from tests.midas.crossing_builders import load_lists, mrz

LISTED = mrz(
    "AL RASHID",
    "MOHAMED",
    "C01X00T47",
    nationality="IRQ",
    issuing_state="DEU",
    birth_date=date(1975, 3, 2),
    sex="M",
)


@pytest.fixture
def lists(app, tmp_path):
    load_lists(app, tmp_path)


def body(**overrides):
    values = {
        "client_id": str(uuid.uuid4()),
        "direction": "entry",
        "decision": "admitted",
        "officer": "officer_a",
        "mrz": list(mrz()),
        "transport_mode": "air",
        "transport_ref": "OS123",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def crossings(app):
    with database(app).sessions() as session:
        return session.scalar(select(func.count()).select_from(Crossing))


def test_a_screening_returns_hits_and_lists_and_records_nothing(app, station, lists):
    response = station.post(
        "/api/v1/screenings", json={"mrz": list(LISTED), "officer": "officer_a"}
    )
    assert response.status_code == 200, response.get_json()
    result = response.get_json()
    assert {hit["list"] for hit in result["hits"]} == {"alerts", "sltd"}
    assert set(result["lists"]) == {"alerts", "sltd"} and result["reading"]["valid"]
    assert result["previous_crossings"] == [] and crossings(app) == 0
    with database(app).sessions() as session:
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "reading.screen"))


def test_a_screening_shows_previous_crossings_of_the_document(app, station, lists):
    first = station.post("/api/v1/crossings", json=body()).get_json()
    result = station.post(
        "/api/v1/screenings", json={"mrz": list(mrz()), "officer": "officer_a"}
    ).get_json()
    assert [c["id"] for c in result["previous_crossings"]] == [first["id"]]
    assert result["traveller_id"] == first["traveller_id"]


def test_a_station_records_a_crossing_and_a_retry_returns_it_with_200(app, station, lists):
    sent = body()
    created = station.post("/api/v1/crossings", json=sent)
    again = station.post("/api/v1/crossings", json=sent)
    assert created.status_code == 201, created.get_json()
    assert again.status_code == 200 and again.get_json()["id"] == created.get_json()["id"]
    assert crossings(app) == 1
    recorded = created.get_json()
    assert recorded["officer"] == "officer_a" and recorded["post"]["code"] == "AAA"
    assert recorded["occurred_at"].endswith("+00:00")
    local = datetime.fromisoformat(recorded["occurred_at_local"])
    assert local.utcoffset() in (timedelta(hours=1), timedelta(hours=2))  # Europe/Vienna


def test_a_client_id_reused_for_another_body_is_409(app, station, lists):
    sent = body()
    station.post("/api/v1/crossings", json=sent)
    response = station.post("/api/v1/crossings", json=sent | {"decision": "referred"})
    assert response.status_code == 409
    assert response.get_json()["error"]["field"] == "client_id"


# Refused before anything is written: the same on either database.
@pytest.mark.one_backend
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"client_id": None}, "client_id"),
        ({"client_id": "not-a-uuid"}, "client_id"),
        ({"direction": "sideways"}, "direction"),
        ({"occurred_at": "2026-03-10T10:00:00"}, "occurred_at"),
        ({"decision": "refused"}, "refusal_reason"),
        ({"decision": "refused", "refusal_reason": "Q"}, "refusal_reason"),
        ({"mrz": ["GARBAGE"]}, "mrz"),
        ({"mrz": ["<<<<", "<<<<"]}, "mrz"),
        ({"officer": "officer_b"}, "officer"),
        ({"officer": None}, "officer"),
    ],
)
def test_invalid_submissions_are_422_naming_the_field(app, station, lists, overrides, field):
    response = station.post("/api/v1/crossings", json=body(**overrides))
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["field"] == field
    assert crossings(app) == 0


@pytest.mark.parametrize(
    ("data", "status", "says"),
    [
        ('{"client_id": "x", "direction": ', 400, "not valid JSON: Expecting value at line 1"),
        ('{"client_id": "x",\n "direction" "entry"}', 400, "line 2 column 14"),
        (b'{"notes": "\xff"}', 400, "invalid start byte at line 1 column 12"),
        ("[1, 2]", 422, "must be a JSON object"),
        ('"entry"', 422, "must be a JSON object"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused_saying_where(
    app, station, lists, data, status, says
):
    response = station.post("/api/v1/crossings", data=data, content_type="application/json")
    assert response.status_code == status
    error = response.get_json()["error"]
    assert says in error["message"] and error["field"] == "body", error
    assert crossings(app) == 0


def test_a_minor_without_accompaniment_is_422_and_with_a_parent_is_recorded(app, station, lists):
    parent = station.post("/api/v1/crossings", json=body()).get_json()
    child = list(mrz("ERIKSSON", "LISA", "L1234567", birth_date=date(2016, 5, 5)))
    refused = station.post("/api/v1/crossings", json=body(mrz=child))
    assert refused.status_code == 422
    assert refused.get_json()["error"]["field"] == "minor_accompanied"
    recorded = station.post(
        "/api/v1/crossings",
        json=body(mrz=child, minor_accompanied=True, accompanying_crossing_id=parent["id"]),
    )
    assert recorded.status_code == 201, recorded.get_json()
    assert recorded.get_json()["is_minor"] and recorded.get_json()["accompanying_crossing_id"]


def test_credentials_and_roles_are_checked(app, client, login_as, lists):
    assert client.post("/api/v1/crossings", json=body()).status_code == 401
    assert client.get("/api/v1/crossings").status_code == 401
    assert client.post("/api/v1/screenings", json={"mrz": list(mrz())}).status_code == 401
    supervisor = login_as("supervisor_a")
    assert supervisor.post("/api/v1/crossings", json=body()).status_code == 403
    assert login_as("admin").get("/api/v1/crossings").status_code == 403


def test_an_officer_records_at_their_own_post_under_their_own_name(app, login_as, lists):
    officer = login_as("officer_b")
    response = officer.post("/api/v1/crossings", json=body(officer=None))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["post"]["code"] == "BBB"
    someone_else = officer.post("/api/v1/crossings", json=body(officer="officer_a"))
    assert someone_else.status_code == 403


def test_a_correction_is_a_new_crossing_and_both_are_in_the_history(app, station, login_as, lists):
    original = station.post("/api/v1/crossings", json=body()).get_json()
    fix = body(direction="exit", mrz=None, reason="entered as exit by mistake")
    fix.pop("officer")
    supervisor = login_as("supervisor_a")
    response = supervisor.post(f"/api/v1/crossings/{original['id']}/corrections", json=fix)
    assert response.status_code == 201, response.get_json()
    corrected = response.get_json()
    assert corrected["corrects_id"] == original["id"] and corrected["direction"] == "exit"
    history = supervisor.get(f"/api/v1/travellers/{original['traveller_id']}").get_json()
    rows = {c["id"]: c for c in history["crossings"]}
    assert rows[original["id"]]["corrected_by"] == corrected["id"]
    assert rows[original["id"]]["direction"] == "entry"
    missing_reason = supervisor.post(
        f"/api/v1/crossings/{corrected['id']}/corrections", json=body(mrz=None, officer=None)
    )
    assert missing_reason.get_json()["error"]["field"] == "reason"


def test_the_movement_log_is_searched_by_misspelt_name_and_filters(app, station, login_as, lists):
    station.post("/api/v1/crossings", json=body())
    station.post(
        "/api/v1/crossings", json=body(mrz=list(mrz("OKAFOR", "CHIDI", "N1")), direction="exit")
    )
    supervisor = login_as("supervisor_a")
    found = supervisor.get("/api/v1/crossings?name=Erikson%20Ana").get_json()
    assert [c["traveller"]["surname"] for c in found["items"]] == ["ERIKSSON"]
    assert found["items"][0]["name_score"] >= 0.8
    exits = supervisor.get("/api/v1/crossings?direction=exit&post=AAA").get_json()
    assert exits["total"] == 1 and exits["items"][0]["traveller"]["surname"] == "OKAFOR"
    by_document = supervisor.get("/api/v1/crossings?document_number=l898902c3").get_json()
    assert by_document["total"] == 1
    since = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
    later = supervisor.get("/api/v1/crossings", query_string={"from": since}).get_json()
    assert later["total"] == 0
    paged = supervisor.get("/api/v1/crossings?per_page=1&page=2").get_json()
    assert paged["total"] == 2 and len(paged["items"]) == 1
    assert supervisor.get("/api/v1/crossings?per_page=1000").status_code == 422


def test_an_officer_searches_their_own_post_only(app, station, login_as, lists):
    station.post("/api/v1/crossings", json=body())
    elsewhere = login_as("officer_b")
    assert elsewhere.get("/api/v1/crossings").get_json()["total"] == 0
    assert elsewhere.get("/api/v1/crossings?post=AAA").status_code == 403
    assert login_as("officer_a").get("/api/v1/crossings").get_json()["total"] == 1


def test_the_openapi_document_describes_the_crossing_operations(app, client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/crossings", "/api/v1/screenings", "/api/v1/hits"} <= set(paths)
    assert "/api/v1/crossings/{crossing_id}/corrections" in paths


def test_a_recorded_crossing_is_sent_exactly_as_its_schema_dumps_it(app, station, lists):
    # The record operation sends its body without dumping it through CrossingSchema; this holds
    # the two equal, byte for byte, for a crossing with hits, a minor's and a replayed one.
    listed = station.post("/api/v1/crossings", json=body(mrz=list(LISTED), decision="referred"))
    parent = station.post("/api/v1/crossings", json=body()).get_json()
    child = list(mrz("ERIKSSON", "LISA", "L1234567", birth_date=date(2016, 5, 5)))
    minor = body(mrz=child, minor_accompanied=True, accompanying_crossing_id=parent["id"])
    accompanied = station.post("/api/v1/crossings", json=minor)
    replayed = station.post("/api/v1/crossings", json=minor)
    assert [r.status_code for r in (listed, accompanied, replayed)] == [201, 201, 200]
    assert len(listed.get_json()["hits"]) >= 2
    schema = CrossingSchema()
    for response in (listed, accompanied, replayed):
        shown = response.get_json()
        assert app.json.response(schema.dump(shown)).get_data() == response.get_data()
        assert set(shown) == set(schema.fields)
        assert all(set(hit) == set(HitSchema().fields) for hit in shown["hits"])


@pytest.mark.parametrize("revoke", ["token", "deactivate"])
def test_a_station_is_refused_at_once_after_its_token_is_revoked(
    app, world, station, login_as, lists, revoke
):
    # Tokens are looked up on every request (not cached), so a rotated token or a deactivated
    # station stops recording with the very next request, in the same process.
    assert station.post("/api/v1/crossings", json=body()).status_code == 201
    admin = login_as("admin")
    assert admin.post(f"/api/v1/stations/{world.station_a}/{revoke}").status_code == 200
    refused = station.post("/api/v1/crossings", json=body())
    assert refused.status_code == 401
    assert crossings(app) == 1


def test_a_supervisor_enters_a_paper_record_late_over_the_api(app, station, login_as, world, lists):
    weeks_ago = (datetime.now(UTC) - timedelta(days=21)).isoformat()
    paper = body(occurred_at=weeks_ago, transport_ref=" os 123 ")
    refused = station.post("/api/v1/crossings", json=paper)
    assert refused.status_code == 422
    assert "late entry" in json.dumps(refused.get_json())
    late = paper | {"post_id": world.post_a, "reason": "link down 1-20 March, paper forms"}
    path = "/api/v1/crossings/late-entries"
    assert login_as("officer_a").post(path, json=late).status_code == 403
    supervisor = login_as("supervisor_a")
    no_reason = {key: value for key, value in late.items() if key != "reason"}
    assert supervisor.post(path, json=no_reason).status_code == 422
    assert supervisor.post(path, json=late | {"post_id": world.post_b}).status_code == 404
    entered = supervisor.post(path, json=late)
    assert entered.status_code == 201, entered.get_json()
    shown = entered.get_json()
    assert shown["late_entry_reason"] == "link down 1-20 March, paper forms"
    assert shown["officer"] == "officer_a" and shown["occurred_at"] < shown["recorded_at"]
    # One normalisation of what every face sends: the transport reference as printed.
    assert shown["transport_ref"] == "OS 123"
    again = supervisor.post(path, json=late)
    assert again.status_code == 200 and again.get_json()["id"] == shown["id"]
    read = supervisor.get(f"/api/v1/crossings/{shown['id']}").get_json()
    assert read["late_entry_reason"] == shown["late_entry_reason"]
