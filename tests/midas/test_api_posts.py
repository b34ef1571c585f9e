"""/api/v1/posts and /api/v1/stay-rules: everyone sees their posts; admins manage them."""

from __future__ import annotations

import pytest

POSTS = "/api/v1/posts"
NEW_POST = {
    "code": "CCC",
    "name": "Charlie Port",
    "kind": "sea",
    "country": "HRV",
    "timezone": "Europe/Zagreb",
}


def test_an_admin_creates_a_post(app, world, login_as):
    response = login_as("admin").post(POSTS, json=NEW_POST)

    assert response.status_code == 201
    assert response.get_json() | {"id": 0, "created_at": ""} == NEW_POST | {
        "id": 0,
        "created_at": "",
        "active": True,
        "locale": None,  # none chosen: its people see their browser's language
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"country": "XYZ"}, "country"),
        ({"country": "HR"}, "country"),
        ({"timezone": "Europe/Atlantis"}, "timezone"),
        ({"kind": "space"}, "kind"),
        ({"code": "A"}, "code"),
        ({"code": "AAA"}, "code"),
    ],
)
def test_an_invalid_post_is_refused_naming_the_field(app, world, login_as, change, field):
    response = login_as("admin").post(POSTS, json=NEW_POST | change)

    assert response.status_code in (409, 422)
    assert response.get_json()["error"]["field"] == field


@pytest.mark.one_backend  # a role's gate: the same on either database
@pytest.mark.parametrize("who", ["officer_a", "supervisor_all"])
def test_only_admins_create_or_change_posts(app, world, login_as, who):
    client = login_as(who)

    assert client.post(POSTS, json=NEW_POST).status_code == 403
    assert client.patch(f"{POSTS}/{world.post_a}", json={"name": "X"}).status_code == 403
    assert client.post(f"{POSTS}/{world.post_a}/deactivate").status_code == 403


def test_each_actor_sees_the_posts_they_work_at(app, world, login_as, station):
    def codes(client):
        return [post["code"] for post in client.get(POSTS).get_json()["items"]]

    assert codes(login_as("officer_a")) == ["AAA"]
    assert codes(login_as("supervisor_a")) == ["AAA"]
    assert codes(login_as("admin")) == ["AAA", "BBB"]
    assert codes(station) == ["AAA"]
    assert login_as("officer_a").get(f"{POSTS}/{world.post_b}").status_code == 404


def test_an_admin_changes_a_post_time_zone(app, world, login_as):
    response = login_as("admin").patch(
        f"{POSTS}/{world.post_a}", json={"timezone": "Europe/Berlin"}
    )

    assert response.get_json()["timezone"] == "Europe/Berlin"


def test_stay_rules_are_read_by_supervisors_and_set_by_admins(app, world, login_as):
    admin = login_as("admin")

    put = admin.put("/api/v1/stay-rules/usa", json={"allowed_days": 90, "window_days": 180})
    listed = login_as("supervisor_a").get("/api/v1/stay-rules").get_json()["items"]

    assert put.status_code == 200
    assert listed == [{"nationality": "USA", "allowed_days": 90, "window_days": 180}]
    assert login_as("officer_a").get("/api/v1/stay-rules").status_code == 403
    assert (
        login_as("supervisor_a")
        .put("/api/v1/stay-rules/USA", json={"allowed_days": 1, "window_days": 2})
        .status_code
        == 403
    )
    assert admin.delete("/api/v1/stay-rules/USA").status_code == 204
    assert admin.delete("/api/v1/stay-rules/USA").status_code == 404


def test_an_invalid_stay_rule_names_the_field(app, world, login_as):
    response = login_as("admin").put(
        "/api/v1/stay-rules/AUT", json={"allowed_days": 200, "window_days": 180}
    )

    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "window_days"
