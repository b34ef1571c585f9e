"""The session cookie: opened only when sent, and working as Flask's own where it is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask.testing import FlaskClient
from sqlalchemy import select, update
from werkzeug.test import EnvironBuilder

from midas.auth.sessions import CookieSessionInterface
from midas.domain.credentials import token_sha256
from midas.persistence.base import utcnow
from midas.persistence.database import database
from midas.persistence.models import UserSession
from tests.midas.auth_builders import PASSWORD, log_in


def test_a_station_request_builds_no_session_and_sets_no_cookie(
    app: Flask, station, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(app.session_interface, CookieSessionInterface)
    built: list[int] = []
    real = SecureCookieSessionInterface.get_signing_serializer

    def counted(self, flask_app):
        built.append(1)
        return real(self, flask_app)

    monkeypatch.setattr(SecureCookieSessionInterface, "get_signing_serializer", counted)
    response = station.get("/api/v1/posts")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers and built == []


def test_a_login_sets_a_signed_session_that_opens_later_requests(app: Flask, world) -> None:
    client = log_in(app, "supervisor_a")
    cookie = client.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None and cookie.http_only
    assert client.get("/api/v1/auth/me").status_code == 200
    # A cookie whose signature does not match opens no session. A character well inside the
    # signature changes: the last one of a base64 signature carries bits that are not used, so
    # changing it may change nothing.
    at = len(cookie.value) - 5
    flipped = "A" if cookie.value[at] != "A" else "B"
    client.client.set_cookie(
        app.config["SESSION_COOKIE_NAME"], cookie.value[:at] + flipped + cookie.value[at + 1 :]
    )
    assert client.get("/api/v1/auth/me").status_code == 401


def test_logging_out_deletes_the_cookie(app: Flask, world) -> None:
    client = log_in(app, "supervisor_a")
    response = client.post("/api/v1/auth/logout")
    assert response.status_code in (200, 204)
    assert client.client.get_cookie(app.config["SESSION_COOKIE_NAME"]) is None
    assert client.get("/api/v1/auth/me").status_code == 401


# Sessions live on the server -------------------------------------------------------------------


def copy_of(app: Flask, client) -> FlaskClient:
    """Return another client carrying a copy of a client's session cookie (a stolen cookie)."""
    name = app.config["SESSION_COOKIE_NAME"]
    copy = app.test_client()
    copy.set_cookie(name, client.client.get_cookie(name).value)
    return copy


def test_logging_out_ends_the_session_on_the_server_so_a_copied_cookie_opens_nothing(
    app: Flask, world, station
) -> None:
    officer = log_in(app, "officer_a")
    stolen = copy_of(app, officer)
    assert stolen.get("/api/v1/auth/me").status_code == 200

    assert officer.post("/api/v1/auth/logout").status_code == 204

    assert stolen.get("/api/v1/auth/me").status_code == 401
    assert stolen.get("/api/v1/crossings").status_code == 401
    assert station.get("/api/v1/auth/me").status_code == 200  # desks go on with their tokens


def test_logging_out_on_the_page_ends_the_session_on_the_server(app: Flask, world) -> None:
    officer = log_in(app, "officer_a")
    stolen = copy_of(app, officer)

    response = officer.post("/logout")

    assert response.status_code == 302
    assert stolen.get("/api/v1/auth/me").status_code == 401
    assert stolen.get("/station").status_code == 302


def test_logging_out_ends_only_that_session(app: Flask, world) -> None:
    at_desk, at_home = log_in(app, "supervisor_a"), log_in(app, "supervisor_a")

    at_desk.post("/api/v1/auth/logout")

    assert at_home.get("/api/v1/auth/me").status_code == 200


def test_the_cookie_lasts_as_long_as_the_browser_and_the_session_ends_on_the_server(
    app: Flask, world
) -> None:
    response = app.test_client().post(
        "/api/v1/auth/login", json={"username": "officer_a", "password": PASSWORD}
    )
    cookie = response.headers["Set-Cookie"].lower()
    assert "expires=" not in cookie and "max-age=" not in cookie
    officer = log_in(app, "officer_a")

    with database(app).sessions() as session, session.begin():
        session.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))

    assert officer.get("/api/v1/auth/me").status_code == 401


def test_the_database_keeps_only_a_digest_of_the_session_secret(app: Flask, world) -> None:
    officer = log_in(app, "officer_a")
    with app.test_request_context():
        secret = app.session_interface.open_session(app, _request_with(app, officer)).get(
            "_user_id"
        )
    with database(app).sessions() as session:
        stored = session.scalars(select(UserSession.token_sha256)).all()
    assert secret and secret not in stored and token_sha256(secret) in stored


def _request_with(app: Flask, client):
    name = app.config["SESSION_COOKIE_NAME"]
    builder = EnvironBuilder(headers={"Cookie": f"{name}={client.client.get_cookie(name).value}"})
    return app.request_class(builder.get_environ())


@pytest.mark.parametrize("change", ["deactivate", "reset", "patch_inactive"])
def test_an_administrator_ending_an_account_ends_its_sessions_for_good(
    app: Flask, world, change
) -> None:
    officer = log_in(app, "officer_a")
    admin = log_in(app, "admin")
    user = f"/api/v1/users/{world.users['officer_a']}"

    if change == "deactivate":
        admin.post(f"{user}/deactivate")
    elif change == "reset":
        admin.post(f"{user}/password", json={"password": "a brand new passphrase"})
    else:
        admin.patch(user, json={"active": False})
    admin.patch(user, json={"active": True})

    assert officer.get("/api/v1/auth/me").status_code == 401


def test_changing_ones_password_keeps_this_session_and_ends_the_others(app: Flask, world) -> None:
    here, elsewhere = log_in(app, "officer_a"), log_in(app, "officer_a")
    stolen = copy_of(app, here)

    changed = here.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "a fresh long passphrase"},
    )

    assert changed.status_code == 204
    assert here.get("/api/v1/auth/me").status_code == 200
    assert stolen.get("/api/v1/auth/me").status_code == 200  # the very same session
    assert elsewhere.get("/api/v1/auth/me").status_code == 401
