"""POST /api/v1/manifests: a carrier's gateway submits a PAXLST message; it is stored and
screened whole or refused naming the segment, and the gateway reads nothing back."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from midas.cli import main
from midas.domain.admin.carrier_gateways import create_gateway, deactivate_gateway
from midas.persistence.database import database
from midas.persistence.models import AuditEvent, Flight, ManifestTraveller
from paxlst.write import write_paxlst
from tests.midas.auth_builders import as_station
from tests.midas.crossing_builders import load_lists
from tests.midas.test_auth import api_routes
from tests.paxlst.builders import make_flight, make_traveller

URL = "/api/v1/manifests"
EDIFACT = {"Content-Type": "application/edifact"}


@pytest.fixture
def lists(app, tmp_path):
    load_lists(app, tmp_path)  # Mohamed Al Rashid (IRQ, 1975-03-02); DEU passport C01X00T47


def new_gateway(app, name="zz-gateway", carriers="ZZ"):
    with database(app).sessions.begin() as session:
        return create_gateway(session, "cli:test", name=name, carriers=carriers).token


@pytest.fixture
def gateway(app, world):
    return as_station(app, new_gateway(app))  # a bearer-token client


def message(*travellers, **flight) -> bytes:
    now = datetime.now(ZoneInfo("Europe/Vienna")).replace(tzinfo=None, second=0, microsecond=0)
    values = {"arrival_airport": "AAA", "arrival_time": now} | flight
    return write_paxlst(make_flight(**values), list(travellers or [make_traveller()])).encode()


def stolen():
    return make_traveller(surname="MEIER", given_names="KARL", nationality="DEU",
                          document_number="C01X00T47", document_issuing_state="DEU")  # fmt: skip


def flights(app):
    with database(app).sessions() as session:
        return session.scalar(select(func.count()).select_from(Flight))


def test_a_message_is_stored_screened_and_no_hit_is_told(app, gateway, lists):
    answer = gateway.post(URL, data=message(stolen(), make_traveller()), headers=EDIFACT)
    assert answer.status_code == 201, answer.get_json()
    (flight,) = answer.get_json()["flights"]
    assert flight["flight"] == "ZZ123" and flight["post"] == "AAA"
    assert flight["travellers"] == 2 and flight["duplicate"] is False
    assert "hit" not in answer.get_data(as_text=True)  # a carrier never learns of a hit
    with database(app).sessions() as session:
        hits = session.scalars(select(ManifestTraveller.hit_count).order_by(ManifestTraveller.id))
        assert list(hits) == [1, 0]
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "paxlst.receive"))
        assert event.actor == "carrier:1"  # the gateway, never a person
        assert "MEIER" not in str(event.detail)


def test_the_same_message_twice_stores_one_flight_and_a_correction_replaces_it(app, gateway, lists):
    sent = message(stolen())
    assert gateway.post(URL, data=sent, headers=EDIFACT).status_code == 201
    again = gateway.post(URL, data=sent, headers=EDIFACT)
    assert again.status_code == 201 and again.get_json()["flights"][0]["duplicate"] is True
    assert flights(app) == 1
    corrected = message(make_traveller(), make_traveller(surname="SMITH"))
    answer = gateway.post(URL, data=corrected, headers=EDIFACT).get_json()["flights"][0]
    assert answer["duplicate"] is False and answer["travellers"] == 2
    assert flights(app) == 1
    with database(app).sessions() as session:
        assert sorted(session.scalars(select(ManifestTraveller.surname))) == ["SMITH", "WILLIAMS"]


def test_a_bad_record_is_taken_and_reported_with_its_segment(app, gateway, lists):
    sent = message(make_traveller(), make_traveller(surname="SECOND"))
    broken = sent.replace(b"DTM+329:720907", b"DTM+329:729907", 1)  # month 99
    assert broken != sent
    answer = gateway.post(URL, data=broken, headers=EDIFACT)
    assert answer.status_code == 201
    (flight,) = answer.get_json()["flights"]
    (problem,) = flight["problems"]
    assert flight["travellers"] == 2
    assert problem["field"] == "birth_date" and problem["segment"] > 1


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=1, max_value=400))
def test_a_truncated_message_is_refused_whole_naming_segment_and_position(app, gateway, lists, cut):
    sent = message(make_traveller(), stolen())
    answer = gateway.post(URL, data=sent[: min(cut, len(sent) - 5)], headers=EDIFACT)
    assert answer.status_code == 422, answer.get_json()
    error = answer.get_json()["error"]
    assert error["code"] == "message_refused" and error["segment"] >= 0
    assert f"segment {error['segment']}" in error["message"]
    assert flights(app) == 0


def test_a_control_character_is_refused_with_its_position(app, gateway, lists):
    sent = message(make_traveller(surname="WILL\x00IAMS"))
    error = gateway.post(URL, data=sent, headers=EDIFACT).get_json()["error"]
    assert error["code"] == "message_refused"
    assert sent.index(b"\x00") == error["position"]
    assert flights(app) == 0


def test_a_flight_of_another_carrier_refuses_the_whole_message(app, gateway, lists):
    theirs = message(carrier="XY", flight_number="9")
    answer = gateway.post(URL, data=theirs, headers=EDIFACT)
    assert answer.status_code == 403
    assert "XY9" in answer.get_json()["error"]["message"]
    assert flights(app) == 0


def test_a_flight_for_no_post_is_refused(app, gateway, lists):
    answer = gateway.post(URL, data=message(arrival_airport="ZZZ"), headers=EDIFACT)
    assert answer.status_code == 422
    assert "arrival airport ZZZ" in answer.get_json()["error"]["message"]


def test_an_empty_body_is_refused(app, gateway, lists):
    answer = gateway.post(URL, data=b"  ", headers=EDIFACT)
    assert answer.status_code == 422 and answer.get_json()["error"]["field"] == "body"


def test_a_message_has_its_own_size_limit(app, world, gateway, station, lists):
    app.config.update(MAX_REQUEST_MB=1, PAXLST_MAX_MB=2)
    mib = 1024 * 1024
    # Larger than any other request may be, but within the message limit: read (and refused
    # as the EDIFACT it is not).
    assert gateway.post(URL, data=b"U" * (mib + 1), headers=EDIFACT).status_code == 422
    assert gateway.post(URL, data=b"U" * (2 * mib + 1), headers=EDIFACT).status_code == 413
    # Anyone else gets the small limit on this endpoint: only a gateway sends a large body.
    assert station.post(URL, data=b"U" * (mib + 1), headers=EDIFACT).status_code == 413
    assert flights(app) == 0


def test_a_gateway_is_rate_limited(app, gateway, lists):
    app.config["PAXLST_GATEWAY_RATE_LIMIT"] = "2 per minute"
    codes = [gateway.post(URL, data=message(), headers=EDIFACT).status_code for _ in range(3)]
    assert codes == [201, 201, 429]


def test_only_a_gateway_submits_and_a_gateway_reads_nothing(app, world, gateway, station, lists):
    assert station.post(URL, data=message(), headers=EDIFACT).status_code == 403
    for path in ("/api/v1/auth/me", "/api/v1/posts", f"/api/v1/posts/{world.post_a}",
                 "/api/v1/crossings", "/api/v1/hits", "/api/v1/stations"):  # fmt: skip
        assert gateway.get(path).status_code == 403, path
    assert gateway.get("/arrivals").status_code in (302, 401, 403)


def test_a_deactivated_or_unknown_token_is_refused(app, world, lists):
    token = new_gateway(app, name="old")
    with database(app).sessions.begin() as session:
        deactivate_gateway(session, "cli:test", "old")
    assert as_station(app, token).post(URL, data=message()).status_code == 401
    assert as_station(app, "mcg_nonsense").post(URL, data=message()).status_code == 401
    assert app.test_client().post(URL, data=message()).status_code == 401


def test_the_endpoint_is_documented(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/manifests"]["post"]
    assert "application/edifact" in operation["requestBody"]["content"]
    assert operation["security"] == [{"gateway": []}]
    assert "gateway" in spec["components"]["securitySchemes"]


def test_no_person_can_be_given_the_carrier_role(app, world, login_as):
    admin = login_as("admin")
    answer = admin.post("/api/v1/users", json={
        "username": "airline", "full_name": "Airline", "role": "carrier",
        "password": "correct horse battery staple",
    })  # fmt: skip
    assert answer.status_code == 422
    assert answer.get_json()["error"]["field"] == "role"


def test_a_crew_list_and_a_passenger_list_of_one_flight_are_both_kept(app, gateway, lists):
    crew = make_traveller(role="crew", surname="PILOT", given_names="ANNA")
    sent = message(make_traveller(), stolen(), crew)  # two messages: BGM 745 and 250
    answer = gateway.post(URL, data=sent, headers=EDIFACT).get_json()["flights"]
    assert [(f["travellers"], f["duplicate"]) for f in answer] == [(2, False), (1, False)]
    again = gateway.post(URL, data=sent, headers=EDIFACT).get_json()["flights"]
    assert [(f["travellers"], f["duplicate"]) for f in again] == [(2, True), (1, True)]
    # A corrected crew list alone replaces the crew, never the passengers.
    fixed = message(make_traveller(role="crew", surname="COPILOT"))
    assert gateway.post(URL, data=fixed, headers=EDIFACT).status_code == 201
    assert flights(app) == 1
    with database(app).sessions() as session:
        kept = session.execute(select(ManifestTraveller.role, ManifestTraveller.surname)).all()
        assert sorted(kept) == [("crew", "COPILOT"), ("passenger", "MEIER"),
                                ("passenger", "WILLIAMS")]  # fmt: skip


def test_an_administrator_registers_rotates_and_deactivates_a_gateway(app, world, login_as, lists):
    admin = login_as("admin")
    made = admin.post("/api/v1/gateways", json={"name": "sita kq", "carriers": "kq, zz"})
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["carriers"] == ["KQ", "ZZ"] and body["token"].startswith(body["token_hint"])
    first = as_station(app, body["token"])
    assert first.post(URL, data=message(), headers=EDIFACT).status_code == 201
    rotated = admin.post("/api/v1/gateways/sita kq/token").get_json()["token"]
    assert first.post(URL, data=message(), headers=EDIFACT).status_code == 401
    assert as_station(app, rotated).post(URL, data=message(), headers=EDIFACT).status_code == 201
    listed = admin.get("/api/v1/gateways").get_json()["items"]
    assert [(g["name"], g["active"]) for g in listed] == [("sita kq", True)]
    assert "token" not in listed[0] and listed[0]["last_seen_at"] is not None
    assert admin.post("/api/v1/gateways/sita kq/deactivate").get_json()["active"] is False
    assert as_station(app, rotated).post(URL, data=message(), headers=EDIFACT).status_code == 401
    bad = admin.post("/api/v1/gateways", json={"name": "x", "carriers": "TOOLONG"})
    assert bad.status_code == 422 and bad.get_json()["error"]["field"] == "carriers"
    taken = admin.post("/api/v1/gateways", json={"name": "sita kq", "carriers": "KQ"})
    assert taken.status_code == 409
    assert login_as("supervisor_all").get("/api/v1/gateways").status_code == 403


def test_the_command_line_manages_gateways(app, world, runner, lists):
    added = runner.invoke(main, ["paxlst", "gateway", "add", "kq-gw", "--carriers", "ZZ"])
    assert added.exit_code == 0, added.output
    token = added.output.strip().splitlines()[-1]  # the token alone on the last line
    assert as_station(app, token).post(URL, data=message(), headers=EDIFACT).status_code == 201
    listed = runner.invoke(main, ["paxlst", "gateway", "list"]).output
    assert "kq-gw\tZZ\t" in listed and "\tactive\t" in listed and token not in listed
    assert runner.invoke(main, ["paxlst", "gateway", "deactivate", "kq-gw"]).exit_code == 0
    assert as_station(app, token).post(URL, data=message(), headers=EDIFACT).status_code == 401
    again = runner.invoke(main, ["paxlst", "gateway", "add", "kq-gw", "--carriers", "ZZ"])
    assert again.exit_code == 1 and "already" in again.output
    unknown = runner.invoke(main, ["paxlst", "gateway", "rotate", "nobody"])
    assert unknown.exit_code == 1 and "no gateway named 'nobody'" in unknown.output


def test_a_gateway_token_opens_no_other_operation_nor_any_page(app, world, gateway, lists):
    routes = [(m, p) for m, p in api_routes(app) if p != URL]
    answers = {(m, p): gateway.client.open(p, method=m, json={}).status_code for m, p in routes}
    assert len(routes) > 20
    # Sync is signed by a post's key, never a bearer token: without a signature it is 401.
    signed = {route for route in routes if route[1].startswith("/api/v1/sync/")}
    assert {route: answers[route] for route in signed if answers[route] != 401} == {}
    assert {r: status for r, status in answers.items() if status != 403 and r not in signed} == {}
    open_to_all = ("login.login", "login.logout")
    pages = [
        r.rule
        for r in app.url_map.iter_rules()
        if not r.rule.startswith(("/api/", "/assets")) and not r.arguments
        if "GET" in r.methods and r.endpoint not in open_to_all
    ]
    for path in pages:
        assert gateway.get(path).status_code in (302, 403, 404), path


def two_flights(second_airport: str) -> bytes:
    """One interchange with two flights' messages, the second arriving at `second_airport`."""
    first = message().decode()
    second = message(flight_number="9", arrival_airport=second_airport).decode()
    spliced = second[second.index("UNH") : second.index("UNZ")]
    at = first.index("UNZ")
    return (first[:at] + spliced + first[at:].replace("UNZ+1+", "UNZ+2+", 1)).encode()


def test_a_message_whose_second_flight_is_refused_stores_neither(app, gateway, lists):
    answer = gateway.post(URL, data=two_flights("ZZZ"), headers=EDIFACT)
    assert answer.status_code == 422 and "ZZ9" not in answer.get_json()["error"]["message"]
    assert "arrival airport ZZZ" in answer.get_json()["error"]["message"]
    assert flights(app) == 0
    both = gateway.post(URL, data=two_flights("AAA"), headers=EDIFACT)
    assert [f["flight"] for f in both.get_json()["flights"]] == ["ZZ123", "ZZ9"]


def test_the_command_line_load_stores_a_file_whole_or_not_at_all(
    app, world, runner, lists, tmp_path
):
    path = tmp_path / "two.edi"
    path.write_bytes(two_flights("ZZZ"))
    refused = runner.invoke(main, ["paxlst", "load", str(path)])
    assert refused.exit_code == 1 and "arrival airport ZZZ" in refused.output
    assert flights(app) == 0


def test_a_manifest_is_never_screened_against_a_list_version_older_than_the_active_one(
    app, gateway, lists, tmp_path
):
    """Another process loads version 2 (and re-screens what is stored); until this process
    serves version 2 too, a new manifest is refused for now rather than screened against 1."""
    from midas.domain.lists import load_watchlist
    from midas.persistence.database import database
    from tests.midas.crossing_builders import PEOPLE, write_csv
    from watchlists.models import ListKind

    rows = [*PEOPLE, ["p2", "John Donald Williams", "", "1972-09-07", "GBR", "M"]]
    report = load_watchlist(
        database(app).sessions, "alerts", ListKind.PERSON, "csv",
        write_csv(tmp_path / "v2.csv", rows), "another process", progress=False,
    )  # fmt: skip
    assert report.version is not None
    answer = gateway.post(URL, data=message(), headers=EDIFACT)
    assert answer.status_code == 503, answer.get_json()
    assert answer.get_json()["error"]["code"] == "screening_unavailable"
    assert flights(app) == 0
