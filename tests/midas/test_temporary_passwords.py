"""A password an administrator sets is temporary: its owner changes it before anything else."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from midas.cli import main
from midas.persistence.database import database
from midas.persistence.models import User
from tests.midas.auth_builders import PASSWORD, ApiClient, log_in
from tests.midas.test_auth import api_routes
from tests.web.conftest import csrf_of

TEMPORARY = "set by the administrator"
OWN = "only i know this one"
ME = "/api/v1/auth/me"
# What a person with a temporary password may still do: see who they are, change it, leave.
OPEN = {
    ("GET", ME),
    ("GET", "/api/v1/auth/csrf"),
    ("POST", "/api/v1/auth/password"),
    ("POST", "/api/v1/auth/logout"),
}


def created_by_admin(app: Flask, world, username: str = "newcomer") -> ApiClient:
    """Have the admin create an officer with a password, and log the officer in with it."""
    created = log_in(app, "admin").post(
        "/api/v1/users",
        json={
            "username": username,
            "full_name": "New Comer",
            "role": "officer",
            "password": TEMPORARY,
            "post_id": world.post_a,
        },
    )
    assert created.status_code == 201 and created.get_json()["must_change_password"] is True
    return log_in(app, username, TEMPORARY)


def change(client: ApiClient, current: str = TEMPORARY, new: str = OWN):
    return client.post(
        "/api/v1/auth/password", json={"current_password": current, "new_password": new}
    )


def test_a_new_user_must_change_the_password_before_anything_else(app, world) -> None:
    newcomer = created_by_admin(app, world)

    refused = newcomer.get("/api/v1/posts")
    me = newcomer.get(ME).get_json()

    assert refused.status_code == 403
    error = refused.get_json()["error"]
    assert error["code"] == "password_change_required"
    assert "change it first" in error["message"]
    assert me["must_change_password"] is True
    assert change(newcomer).status_code == 204
    assert newcomer.get("/api/v1/posts").status_code == 200
    assert newcomer.get(ME).get_json()["must_change_password"] is False


def test_every_api_operation_but_the_open_ones_waits_for_the_change(app, world) -> None:
    newcomer = created_by_admin(app, world)
    routes = [route for route in api_routes(app) if route not in OPEN]

    answers = {
        (m, p): newcomer.client.open(
            p, method=m, json={}, headers={"X-CSRFToken": newcomer.csrf_token or ""}
        )
        for m, p in routes
    }

    assert len(routes) > 20
    assert {
        route: response.status_code
        for route, response in answers.items()
        if response.status_code != 403
        or response.get_json()["error"]["code"] != "password_change_required"
    } == {}


def test_the_temporary_password_cannot_be_kept(app, world) -> None:
    newcomer = created_by_admin(app, world)

    same = change(newcomer, new=TEMPORARY)

    assert same.status_code == 422 and same.get_json()["error"]["field"] == "new_password"
    assert newcomer.get("/api/v1/posts").status_code == 403


def test_a_password_reset_by_an_administrator_is_temporary_too(app, world) -> None:
    admin = log_in(app, "admin")
    admin.post(f"/api/v1/users/{world.users['officer_a']}/password", json={"password": TEMPORARY})
    officer = log_in(app, "officer_a", TEMPORARY)

    assert officer.get("/api/v1/posts").status_code == 403
    assert change(officer).status_code == 204
    assert officer.get("/api/v1/posts").status_code == 200


def test_pages_send_the_person_to_the_password_page_until_it_is_changed(app, world) -> None:
    newcomer = created_by_admin(app, world)

    for path in ["/station", "/", "/station/manual", "/admin/users"]:
        response = newcomer.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/account/password"
    page = newcomer.get("/account/password")
    assert page.status_code == 200
    assert "An administrator set your password" in page.get_data(as_text=True)
    with newcomer.get("/assets/midas.css") as css:
        assert css.status_code == 200
    form = {"current_password": TEMPORARY, "new_password": OWN, "repeat_password": OWN}
    assert newcomer.post("/account/password", data=form).status_code == 302
    assert newcomer.get("/station").status_code == 200


def test_the_login_page_goes_straight_to_the_password_page(app, world) -> None:
    created_by_admin(app, world)
    client = app.test_client()
    token = csrf_of(client.get("/login?next=/station").get_data(as_text=True))

    response = client.post(
        "/login?next=/station",
        data={"username": "newcomer", "password": TEMPORARY, "csrf_token": token},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/account/password"


def test_a_station_desk_is_never_held_up(app, world, station) -> None:
    admin = log_in(app, "admin")
    admin.post(f"/api/v1/users/{world.users['officer_a']}/password", json={"password": TEMPORARY})

    assert station.get("/api/v1/posts").status_code == 200


@pytest.mark.parametrize(("flag", "forced"), [([], False), (["--must-change-password"], True)])
def test_the_shell_keeps_its_own_password_unless_told_it_is_someone_elses(
    app, flag, forced
) -> None:
    runner = app.test_cli_runner()

    result = runner.invoke(
        main,
        ["create-user", "--username", "root", "--role", "admin", "--password-stdin", *flag],
        input=f"{PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    with database(app).sessions() as session:
        user = session.scalar(select(User).where(User.username == "root"))
        assert user.must_change_password is forced
    status = log_in(app, "root").get("/api/v1/posts").status_code
    assert status == (403 if forced else 200)
