"""Fixtures and builders for API and auth tests: a small world of posts, people and a station.

The fixtures built on these (`client`, `world`, `login_as`, `station`) are in
tests/midas/conftest.py; `app` is the root conftest's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from midas import create_app
from midas.auth.passwords import passwords
from midas.domain import admin
from midas.persistence.database import database

PASSWORD = "correct horse battery staple"
CHEAP_HASHING = {
    "PASSWORD_HASH_TIME_COST": 1,
    "PASSWORD_HASH_MEMORY_KIB": 64,
    "PASSWORD_HASH_PARALLELISM": 1,
}


def make_app(database_url: str, **overrides: Any) -> Flask:
    """Build a test app on a database with cheap password hashing."""
    settings = {"TESTING": True, "ENV": "testing", "DATABASE_URL": database_url}
    return create_app(settings | CHEAP_HASHING | overrides)


@dataclass(frozen=True, slots=True)
class World:
    """Two posts, a person of every kind, and a station at the first post."""

    post_a: int
    post_b: int
    users: dict[str, int]  # username -> id
    station_a: int
    station_token: str


def build_world(app: Flask) -> World:
    """Create posts AAA (air, Austria) and BBB (land, Slovenia), people and a station at AAA."""
    hasher = passwords(app)
    with app.app_context(), database(app).sessions() as session, session.begin():
        a = admin.create_post(
            session,
            "cli:test",
            code="AAA",
            name="Alpha Airport",
            kind="air",
            country="AUT",
            timezone="Europe/Vienna",
        )
        b = admin.create_post(
            session,
            "cli:test",
            code="BBB",
            name="Bravo Bridge",
            kind="land",
            country="SVN",
            timezone="Europe/Ljubljana",
        )
        people: dict[str, dict[str, Any]] = {
            "officer_a": {"role": "officer", "post_id": a.id},
            "officer_b": {"role": "officer", "post_id": b.id},
            "supervisor_a": {"role": "supervisor", "supervised_post_ids": [a.id]},
            "supervisor_all": {"role": "supervisor", "all_posts": True},
            "admin": {"role": "admin"},
        }
        users = {
            name: admin.create_user(
                session,
                "cli:test",
                hasher,
                username=name,
                full_name=name.title(),
                password=PASSWORD,
                **fields,
            ).id
            for name, fields in people.items()
        }
        issued = admin.create_station(session, "cli:test", post_id=a.id, name="desk 1")
        return World(a.id, b.id, users, issued.station.id, issued.token)


class ApiClient:
    """A test client logged in as someone, sending the CSRF token with every write."""

    def __init__(self, client: FlaskClient, csrf_token: str | None = None) -> None:
        self.client = client
        self.csrf_token = csrf_token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        sent = dict(headers or {})
        if self.csrf_token is not None:
            sent.setdefault("X-CSRFToken", self.csrf_token)
        return sent

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        """GET a path."""
        return self.client.get(path, **kwargs)

    def post(self, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> TestResponse:
        """POST with the CSRF token."""
        return self.client.post(path, headers=self._headers(headers), **kwargs)

    def put(self, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> TestResponse:
        """PUT with the CSRF token."""
        return self.client.put(path, headers=self._headers(headers), **kwargs)

    def patch(
        self, path: str, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> TestResponse:
        """PATCH with the CSRF token."""
        return self.client.patch(path, headers=self._headers(headers), **kwargs)

    def delete(
        self, path: str, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> TestResponse:
        """DELETE with the CSRF token."""
        return self.client.delete(path, headers=self._headers(headers), **kwargs)


def log_in(
    app: Flask, username: str, password: str = PASSWORD, environ: dict[str, str] | None = None
) -> ApiClient:
    """Return a fresh client logged in as a user; fail the test if the login fails."""
    client = app.test_client()
    response = client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": password},
        environ_base=environ or {},
    )
    assert response.status_code == 200, response.get_json()
    return ApiClient(client, response.get_json()["csrf_token"])


def as_station(app: Flask, token: str) -> ApiClient:
    """Return a client that authenticates with a station's bearer token (no cookies, no CSRF)."""
    client = app.test_client(use_cookies=False)
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return ApiClient(client)


# Keys production accepts: long and without a pattern zxcvbn can guess (fixed, so runs repeat).
STRONG_SECRET = "pH7vXq2LmR9tKw4ZsB8nYc3JdF6gHa1Ue5Qo0Vi2"
OTHER_STRONG_SECRET = "kN4rT8wQ1zX6cV3bM9sD5fG2hJ7lP0aY"
