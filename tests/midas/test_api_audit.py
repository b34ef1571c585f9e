"""/api/v1/audit: admins search all events; supervisors those of their posts' officers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

AUDIT = "/api/v1/audit"
STATIONS = "/api/v1/stations"


def test_admin_actions_are_in_the_audit_log_newest_first(app, world, login_as):
    admin = login_as("admin")
    admin.post("/api/v1/stations", json={"post_id": world.post_a, "name": "desk 2"})

    events = admin.get(f"{AUDIT}?action=station.*").get_json()["items"]

    assert [e["action"] for e in events] == ["station.create", "station.create"]
    assert events[0]["username"] == "admin"
    assert events[0]["remote_addr"] == "127.0.0.1"
    assert events[1]["actor"] == "cli:test"
    assert events[0]["at"] >= events[1]["at"]


def test_the_audit_log_is_filtered_by_user_outcome_and_time(app, world, login_as):
    app.test_client().post(
        "/api/v1/auth/login", json={"username": "officer_a", "password": "wrong password!"}
    )
    admin = login_as("admin")
    now = datetime.now(UTC)

    failed = admin.get(f"{AUDIT}?action=auth.login&outcome=failed").get_json()
    by_user = admin.get(f"{AUDIT}?username=admin&action=auth.login").get_json()
    future = admin.get(
        AUDIT, query_string={"since": (now + timedelta(hours=1)).isoformat()}
    ).get_json()

    assert [e["username"] for e in failed["items"]] == ["officer_a"]
    assert [e["outcome"] for e in by_user["items"]] == ["ok"]
    assert future["total"] == 0


def test_a_search_is_paged_and_itself_audited(app, world, login_as):
    admin = login_as("admin")

    first = admin.get(f"{AUDIT}?action=user.*&per_page=3").get_json()
    second = admin.get(f"{AUDIT}?action=user.*&per_page=3&page=2").get_json()
    searches = admin.get(f"{AUDIT}?action=audit.search").get_json()

    assert (first["total"], len(first["items"]), len(second["items"])) == (5, 3, 2)
    assert {e["id"] for e in first["items"]}.isdisjoint(e["id"] for e in second["items"])
    assert searches["total"] == 2


def test_a_supervisor_sees_the_events_of_officers_and_stations_at_their_posts(
    app, world, login_as, station
):
    login_as("officer_a")
    login_as("officer_b")
    station.get("/api/v1/auth/me")

    events = login_as("supervisor_a").get(f"{AUDIT}?action=auth.login").get_json()["items"]

    assert {e["username"] for e in events} == {"officer_a", "supervisor_a"}


def test_officers_and_stations_cannot_read_the_audit_log(app, world, login_as, station):
    assert login_as("officer_a").get(AUDIT).status_code == 403
    assert station.get(AUDIT).status_code == 403


def test_a_naive_time_filter_is_refused_naming_the_field(app, world, login_as):
    response = login_as("admin").get(AUDIT, query_string={"since": "2026-01-01T00:00:00"})

    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "since"


def test_refused_requests_are_audited_though_what_they_did_is_rolled_back(
    app, world, login_as, station
):
    officer = login_as("officer_a")
    assert officer.post(STATIONS, json={"post_id": world.post_a, "name": "x"}).status_code == 403
    assert officer.get("/api/v1/crossings/987654").status_code == 404
    assert app.test_client().get("/api/v1/crossings/987654").status_code == 401  # nobody

    events = login_as("admin").get(f"{AUDIT}?action=request.refused").get_json()["items"]

    seen = sorted((e["outcome"], e["detail"]["method"], e["detail"]["path"]) for e in events)
    assert ("denied", "POST", STATIONS) in seen
    assert ("not_found", "GET", "/api/v1/crossings/987654") in seen
    assert {e["username"] for e in events} == {"officer_a"}
    assert all(e["object_type"] == "request" for e in events)
    stations = login_as("admin").get(f"{AUDIT}?action=station.create").get_json()["items"]
    assert [e["actor"] for e in stations] == ["cli:test"]  # the refused creation left nothing
