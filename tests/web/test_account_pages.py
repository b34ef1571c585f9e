"""A person changes their own password; an administrator resets someone else's."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from midas.persistence.database import database
from midas.persistence.models import AuditEvent
from tests.web.builders import PASSWORD
from tests.web.conftest import Pages, csrf_of

# Password forms, their errors and the audit of a wrong one: the same on either database.
pytestmark = pytest.mark.one_backend

NEW = "a much longer passphrase"


def change(pages: Pages, current: str, new: str, repeat: str | None = None) -> tuple[int, str]:
    """Post the password-change form; return the status and the page."""
    token = csrf_of(pages.client.get("/account/password").get_data(as_text=True))
    response = pages.client.post(
        "/account/password",
        data={
            "current_password": current,
            "new_password": new,
            "repeat_password": new if repeat is None else repeat,
            "csrf_token": token,
        },
    )
    return response.status_code, response.get_data(as_text=True)


def test_an_officer_changes_their_password_and_stays_logged_in(pages: Pages) -> None:
    pages.login("officer1")
    status, _ = change(pages, PASSWORD, NEW)
    assert status == 302
    assert pages.client.get("/station").status_code == 200
    other = Pages(pages.client.application.test_client(), pages.seeded)
    assert other.login("officer1", PASSWORD).status_code == 401
    assert other.login("officer1", NEW).status_code == 302


def test_a_wrong_current_password_is_named_next_to_its_field(pages: Pages) -> None:
    pages.login("super1")
    status, html = change(pages, "not my password", NEW)
    assert status == 422
    assert 'id="current_password-error"' in html
    assert "The current password is wrong." in html
    assert pages.login("super1", PASSWORD).status_code == 302


def test_a_wrong_current_password_is_audited(pages: Pages, web_app: Flask) -> None:
    pages.login("super1")

    change(pages, "not my password", NEW)

    with database(web_app).sessions() as session:
        outcomes = session.scalars(
            select(AuditEvent.outcome).where(AuditEvent.action == "user.password_change")
        ).all()
    assert outcomes == ["failed"]


def test_the_new_password_must_be_typed_twice_alike(pages: Pages) -> None:
    pages.login("admin1")
    status, html = change(pages, PASSWORD, NEW, repeat=NEW + "x")
    assert status == 422
    assert "The two new passwords differ" in html


def test_a_too_short_new_password_is_refused_with_the_rule(pages: Pages) -> None:
    pages.login("officer1")
    status, html = change(pages, PASSWORD, "short")
    assert status == 422
    assert 'id="new_password-error"' in html


def test_the_password_page_needs_the_csrf_token(pages: Pages) -> None:
    pages.login("officer1")
    response = pages.client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": NEW, "repeat_password": NEW},
    )
    assert response.status_code in (400, 422)
    assert (
        Pages(pages.client.application.test_client(), pages.seeded)
        .login("officer1", PASSWORD)
        .status_code
        == 302
    )


def user_id_of(pages: Pages, username: str) -> str:
    """Return the id in the reset link of a user on the users page."""
    html = pages.client.get(f"/admin/users?q={username}").get_data(as_text=True)
    start = html.index("/admin/users/") + len("/admin/users/")
    return html[start : html.index("/password", start)]


def test_an_admin_resets_an_officers_password(pages: Pages) -> None:
    pages.login("admin1")
    user_id = user_id_of(pages, "officer1")
    page = pages.client.get(f"/admin/users/{user_id}/password").get_data(as_text=True)
    assert "Reset the password of officer1" in page
    response = pages.client.post(
        f"/admin/users/{user_id}/password", data={"password": NEW, "csrf_token": csrf_of(page)}
    )
    assert response.status_code == 302
    assert "New password set for officer1" in pages.client.get("/admin/users").get_data(
        as_text=True
    )
    officer = Pages(pages.client.application.test_client(), pages.seeded)
    assert officer.login("officer1", PASSWORD).status_code == 401
    assert officer.login("officer1", NEW).status_code == 302


def test_a_reset_password_must_follow_the_policy(pages: Pages) -> None:
    pages.login("admin1")
    user_id = user_id_of(pages, "officer1")
    page = pages.client.get(f"/admin/users/{user_id}/password").get_data(as_text=True)
    response = pages.client.post(
        f"/admin/users/{user_id}/password", data={"password": "short", "csrf_token": csrf_of(page)}
    )
    assert response.status_code == 422
    assert 'id="password-error"' in response.get_data(as_text=True)


def test_a_supervisor_cannot_reset_a_password(pages: Pages) -> None:
    pages.login("admin1")
    user_id = user_id_of(pages, "officer1")
    pages.client.post(
        "/logout",
        data={"csrf_token": csrf_of(pages.client.get("/admin/users").get_data(as_text=True))},
    )
    pages.login("super1")
    assert pages.client.get(f"/admin/users/{user_id}/password").status_code == 403


def test_a_person_an_admin_created_or_reset_changes_the_password_first(pages: Pages) -> None:
    pages.login("admin1")
    page = pages.client.get("/admin/users").get_data(as_text=True)
    created = pages.client.post(
        "/admin/users",
        data={
            "username": "newcomer",
            "full_name": "New Comer",
            "role": "admin",
            "password": NEW,
            "csrf_token": csrf_of(page),
        },
    )
    assert created.status_code == 302
    assert "password to be changed" in pages.client.get("/admin/users").get_data(as_text=True)
    user_id = user_id_of(pages, "officer1")
    page = pages.client.get(f"/admin/users/{user_id}/password").get_data(as_text=True)
    pages.client.post(
        f"/admin/users/{user_id}/password", data={"password": NEW, "csrf_token": csrf_of(page)}
    )

    for username, home in [("newcomer", "/admin/users"), ("officer1", "/station")]:
        person = Pages(pages.client.application.test_client(), pages.seeded)
        response = person.login(username, NEW)
        assert response.headers["Location"] == "/account/password"
        assert person.client.get(home).headers["Location"] == "/account/password"
        assert change(person, NEW, "my very own passphrase")[0] == 302
        assert person.client.get(home).status_code == 200
