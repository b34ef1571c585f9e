"""/api/v1/users: admins manage users; supervisors see their officers; nobody else lists them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from midas.persistence.database import database
from midas.persistence.models import AuditEvent
from tests.midas.auth_builders import PASSWORD, log_in

USERS = "/api/v1/users"


def new_officer(world, **overrides):
    return {
        "username": "erin",
        "full_name": "Erin Officer",
        "role": "officer",
        "password": PASSWORD,
        "post_id": world.post_a,
    } | overrides


def audited(app, action):
    with database(app).sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_an_admin_creates_a_user_who_can_then_log_in(app, world, login_as):
    response = login_as("admin").post(USERS, json=new_officer(world))

    assert response.status_code == 201
    body = response.get_json()
    assert body["username"] == "erin"
    assert body["post_id"] == world.post_a
    assert "password" not in body and "password_hash" not in body
    assert log_in(app, "erin").get("/api/v1/auth/me").get_json()["role"] == "officer"
    assert audited(app, "user.create")[-1].object_id == str(body["id"])


@pytest.mark.one_backend  # a role's gate: the same on either database
@pytest.mark.parametrize("who", ["officer_a", "supervisor_all"])
def test_only_admins_create_users(app, world, login_as, who):
    assert login_as(who).post(USERS, json=new_officer(world)).status_code == 403


def test_a_station_cannot_manage_users(app, world, station):
    assert station.post(USERS, json=new_officer(world)).status_code == 403
    assert station.get(USERS).status_code == 403


# Refused before anything is written: the same on either database.
@pytest.mark.one_backend
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password": "short"}, "password"),
        ({"role": "emperor"}, "role"),
        ({"username": None}, "username"),
        ({"post_id": "first"}, "post_id"),
        ({"post_id": None}, "post_id"),
        ({"surname": "x"}, "surname"),
    ],
)
def test_an_invalid_user_is_answered_422_naming_the_field(app, world, login_as, change, field):
    response = login_as("admin").post(USERS, json=new_officer(world, **change))

    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field


def test_a_taken_username_is_a_conflict(app, world, login_as):
    response = login_as("admin").post(USERS, json=new_officer(world, username="officer_a"))

    assert response.status_code == 409
    assert response.get_json()["error"]["field"] == "username"


def test_users_are_listed_in_pages_with_filters(app, world, login_as):
    admin = login_as("admin")

    first = admin.get(f"{USERS}?per_page=2").get_json()
    officers = admin.get(f"{USERS}?role=officer").get_json()
    searched = admin.get(f"{USERS}?q=SUPERVISOR").get_json()

    assert (first["total"], first["page"], len(first["items"])) == (5, 1, 2)
    assert [u["username"] for u in officers["items"]] == ["officer_a", "officer_b"]
    assert [u["username"] for u in searched["items"]] == ["supervisor_a", "supervisor_all"]
    assert admin.get(f"{USERS}?per_page=1000").get_json()["error"]["field"] == "per_page"


def test_a_supervisor_lists_and_sees_only_the_officers_at_their_posts(app, world, login_as):
    supervisor = login_as("supervisor_a")

    listed = supervisor.get(USERS).get_json()

    assert [u["username"] for u in listed["items"]] == ["officer_a"]
    assert supervisor.get(f"{USERS}/{world.users['officer_a']}").status_code == 200
    assert supervisor.get(f"{USERS}/{world.users['officer_b']}").status_code == 404


def test_an_officer_sees_only_themself(app, world, login_as):
    officer = login_as("officer_a")

    assert officer.get(USERS).status_code == 403
    assert officer.get(f"{USERS}/{world.users['officer_a']}").status_code == 200
    assert officer.get(f"{USERS}/{world.users['officer_b']}").status_code == 404


def test_an_admin_moves_an_officer_to_another_post(app, world, login_as):
    response = login_as("admin").patch(
        f"{USERS}/{world.users['officer_a']}", json={"post_id": world.post_b}
    )

    assert response.status_code == 200
    assert response.get_json()["post_id"] == world.post_b
    assert audited(app, "user.update")[-1].detail["post_id"] == world.post_b


def test_only_admins_update_users(app, world, login_as):
    response = login_as("supervisor_all").patch(
        f"{USERS}/{world.users['officer_a']}", json={"full_name": "X"}
    )

    assert response.status_code == 403


def test_an_admin_cannot_deactivate_themself(app, world, login_as):
    response = login_as("admin").post(f"{USERS}/{world.users['admin']}/deactivate")

    assert response.status_code == 409


def test_a_password_reset_must_keep_the_policy(app, world, login_as):
    response = login_as("admin").post(
        f"{USERS}/{world.users['officer_a']}/password", json={"password": "abc"}
    )

    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "password"


def test_reading_a_user_is_audited(app, world, login_as):
    login_as("admin").get(f"{USERS}/{world.users['officer_a']}")

    [event] = audited(app, "user.read")
    assert event.object_id == str(world.users["officer_a"])
