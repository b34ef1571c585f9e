"""The session cookie: opened only when sent, and working as Flask's own where it is."""

# ruff: noqa: F401, F811  (pytest fixtures imported from auth_builders)
from __future__ import annotations

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from midas.auth.sessions import CookieSessionInterface
from tests.midas.auth_builders import app, log_in, login_as, station, world


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
    # A cookie whose signature does not match opens no session.
    client.client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie.value[:-2] + "xx")
    assert client.get("/api/v1/auth/me").status_code == 401


def test_logging_out_deletes_the_cookie(app: Flask, world) -> None:
    client = log_in(app, "supervisor_a")
    response = client.post("/api/v1/auth/logout")
    assert response.status_code in (200, 204)
    assert client.client.get_cookie(app.config["SESSION_COOKIE_NAME"]) is None
    assert client.get("/api/v1/auth/me").status_code == 401
