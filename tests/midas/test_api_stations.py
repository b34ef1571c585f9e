"""/api/v1/stations: admins create stations and rotate tokens; a token is shown only once."""

from __future__ import annotations

import pytest

from midas.auth.identity import forget_station_token
from midas.domain.credentials import token_sha256
from scanners.keyboards import typed_on
from tests.midas.auth_builders import as_station
from tests.midas.crossing_builders import mrz

STATIONS = "/api/v1/stations"


def test_a_new_station_gets_a_token_shown_once_that_works_at_once(app, world, login_as):
    admin = login_as("admin")

    created = admin.post(STATIONS, json={"post_id": world.post_b, "name": "lane 3"}).get_json()
    shown_later = admin.get(f"{STATIONS}/{created['id']}").get_json()

    assert created["token"].startswith(created["token_hint"])
    assert "token" not in shown_later
    me = as_station(app, created["token"]).get("/api/v1/auth/me").get_json()
    assert (me["kind"], me["post_ids"]) == ("station", [world.post_b])


# Refused before anything is written: the same on either database.
@pytest.mark.one_backend
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x"}, "post_id"),
        ({"post_id": 1}, "name"),
        ({"post_id": 999, "name": "x"}, "post_id"),
    ],
)
def test_an_invalid_station_is_refused_naming_the_field(app, world, login_as, body, field):
    response = login_as("admin").post(STATIONS, json=body)

    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field


@pytest.mark.one_backend  # a role's gate: the same on either database
@pytest.mark.parametrize("who", ["officer_a", "supervisor_all"])
def test_only_admins_create_rotate_or_deactivate_stations(app, world, login_as, who):
    client = login_as(who)

    assert client.post(STATIONS, json={"post_id": world.post_a, "name": "x"}).status_code == 403
    assert client.post(f"{STATIONS}/{world.station_a}/token").status_code == 403
    assert client.post(f"{STATIONS}/{world.station_a}/deactivate").status_code == 403


def test_supervisors_see_the_stations_at_their_posts_and_officers_none(app, world, login_as):
    admin = login_as("admin")
    admin.post(STATIONS, json={"post_id": world.post_b, "name": "lane 1"})

    assert [s["name"] for s in admin.get(STATIONS).get_json()["items"]] == ["desk 1", "lane 1"]
    supervisor = login_as("supervisor_a")
    assert [s["name"] for s in supervisor.get(STATIONS).get_json()["items"]] == ["desk 1"]
    assert login_as("officer_a").get(STATIONS).status_code == 403


def test_rotating_twice_leaves_only_the_newest_token_working(app, world, login_as, station):
    admin = login_as("admin")
    first = admin.post(f"{STATIONS}/{world.station_a}/token").get_json()["token"]
    second = admin.post(f"{STATIONS}/{world.station_a}/token").get_json()["token"]

    assert station.get("/api/v1/auth/me").status_code == 401
    assert as_station(app, first).get("/api/v1/auth/me").status_code == 401
    assert as_station(app, second).get("/api/v1/auth/me").status_code == 200


def test_a_deactivated_station_keeps_its_row_but_not_its_access(app, world, login_as, station):
    admin = login_as("admin")

    deactivated = admin.post(f"{STATIONS}/{world.station_a}/deactivate").get_json()

    assert deactivated["active"] is False
    assert station.get("/api/v1/auth/me").status_code == 401
    assert admin.post(f"{STATIONS}/{world.station_a}/token").status_code == 409


def test_an_admin_renames_and_moves_a_station_and_its_token_keeps_working(
    app, world, login_as, station
):
    admin = login_as("admin")

    moved = admin.patch(
        f"{STATIONS}/{world.station_a}", json={"name": "lane 4", "post_id": world.post_b}
    )

    assert moved.status_code == 200, moved.get_json()
    assert (moved.get_json()["name"], moved.get_json()["post_id"]) == ("lane 4", world.post_b)
    assert station.get("/api/v1/auth/me").get_json()["post_ids"] == [world.post_b]
    events = admin.get("/api/v1/audit?action=station.update").get_json()["items"]
    assert events[0]["detail"]["before"] == {
        "post_id": world.post_a,
        "name": "desk 1",
        "keyboard_layout": "us",
    }
    keyboard = admin.patch(f"{STATIONS}/{moved.get_json()['id']}", json={"keyboard_layout": "fr"})
    assert keyboard.status_code == 200 and keyboard.get_json()["keyboard_layout"] == "fr"
    unknown = admin.patch(f"{STATIONS}/{moved.get_json()['id']}", json={"keyboard_layout": "xx"})
    assert unknown.status_code == 422
    assert unknown.get_json()["error"]["field"] == "keyboard_layout"


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"name": ""}, 422, "name"),
        ({"post_id": 999}, 422, "post_id"),
        ({"name": "x" * 121}, 422, "name"),
    ],
)
def test_a_station_change_is_refused_naming_the_field(app, world, login_as, change, status, field):
    response = login_as("admin").patch(f"{STATIONS}/{world.station_a}", json=change)

    assert response.status_code == status
    assert response.get_json()["error"]["field"] == field


def test_a_station_cannot_move_to_a_closed_post(app, world, login_as):
    admin = login_as("admin")
    assert admin.post(f"/api/v1/posts/{world.post_b}/deactivate").status_code == 200

    response = admin.patch(f"{STATIONS}/{world.station_a}", json={"post_id": world.post_b})

    assert response.status_code == 409 and response.get_json()["error"]["field"] == "post_id"


def test_a_reactivated_station_gets_a_new_token_and_the_old_one_stays_dead(
    app, world, login_as, station
):
    admin = login_as("admin")
    assert admin.post(f"{STATIONS}/{world.station_a}/reactivate").status_code == 409  # active
    admin.post(f"{STATIONS}/{world.station_a}/deactivate")

    reactivated = admin.post(f"{STATIONS}/{world.station_a}/reactivate")

    assert reactivated.status_code == 200
    body = reactivated.get_json()
    assert body["active"] is True and body["token"].startswith(body["token_hint"])
    assert station.get("/api/v1/auth/me").status_code == 401
    assert as_station(app, body["token"]).get("/api/v1/auth/me").status_code == 200


@pytest.mark.one_backend  # a role's gate: the same on either database
@pytest.mark.parametrize("who", ["officer_a", "supervisor_all"])
def test_only_admins_rename_move_or_reactivate_stations(app, world, login_as, who):
    client = login_as(who)

    assert client.patch(f"{STATIONS}/{world.station_a}", json={"name": "x"}).status_code == 403
    assert client.post(f"{STATIONS}/{world.station_a}/reactivate").status_code == 403


def test_a_second_station_of_the_same_name_at_a_post_is_409_naming_the_field(app, world, login_as):
    admin = login_as("admin")
    response = admin.post(STATIONS, json={"post_id": world.post_a, "name": "DESK 1"})
    assert response.status_code == 409
    assert response.get_json()["error"]["field"] == "name"
    renamed = admin.patch(f"{STATIONS}/{world.station_a}", json={"name": "Desk 1"})
    assert renamed.status_code == 200  # its own name, in another case


def test_a_stations_keyboard_layout_reads_its_scanner_back_over_the_api(
    app, world, login_as, station
):
    admin = login_as("admin")
    (desk,) = admin.get(STATIONS).get_json()["items"][:1]
    changed = admin.patch(f"{STATIONS}/{desk['id']}", json={"keyboard_layout": "fr"})
    assert changed.status_code == 200
    # A token checked in the last minute is not read again (its layout neither): start afresh.
    with app.app_context():
        forget_station_token(token_sha256(world.station_token))
    lines = mrz("ZOLA", "AMELIE", "FR1234567", nationality="FRA", sex="F")
    typed = typed_on("\n".join(lines), "fr").splitlines()
    seen = station.post("/api/v1/screenings", json={"mrz": typed, "officer": "officer_a"})
    assert seen.status_code == 200, seen.get_json()
    assert seen.get_json()["reading"]["surname"] == "ZOLA"
