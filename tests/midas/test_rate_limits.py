"""Every view that checks a password is rate-limited; the rest are let through unlimited."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from midas.auth.limits import LIMITED_MARK
from midas.persistence.database import database
from tests.midas.auth_builders import build_world, log_in, make_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def limited(database_url):
    # Forms are posted without their CSRF token here: the limit is what is under test.
    app = make_app(database_url, LOGIN_RATE_LIMIT="3 per minute", WTF_CSRF_ENABLED=False)
    build_world(app)
    yield app
    database(app).dispose()


def test_the_login_page_is_rate_limited(limited) -> None:
    client = limited.test_client()
    form = {"username": "nobody", "password": "whatever it is"}
    statuses = [client.post("/login", data=form).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_the_password_page_is_rate_limited(limited) -> None:
    officer = log_in(limited, "officer_a")  # one of the 3 passwords this address may try
    form = {
        "current_password": "guess guess guess",
        "new_password": "a fresh long passphrase",
        "repeat_password": "a fresh long passphrase",
    }
    statuses = [officer.client.post("/account/password", data=form).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]


PASSWORD_ROUTES = {"/login", "/api/v1/auth/login", "/account/password", "/api/v1/auth/password"}


@pytest.mark.parametrize("first", sorted(PASSWORD_ROUTES))
def test_every_password_checking_route_shares_one_count_per_address(limited, first) -> None:
    # LOGIN_RATE_LIMIT is what an address may try in all, not per route: spread over the four
    # routes, 3 per minute stays 3, whichever route comes first.
    officer = log_in(limited, "officer_a", environ={"REMOTE_ADDR": "10.0.0.5"})
    order = [first, *sorted(PASSWORD_ROUTES - {first})]

    statuses = [try_password(officer, route) for route in order]

    assert 429 not in statuses[:2] and statuses[2:] == [429, 429]
    assert try_password(officer, first, "10.0.0.6") != 429  # another address counts apart


def try_password(officer, route: str, address: str = "10.0.0.5") -> int:
    """Try a wrong password on one route from an address; return the status."""
    environ = {"REMOTE_ADDR": address}
    wrong = "guess guess guess"
    if route == "/login":
        data = {"username": "nobody", "password": wrong}
        return officer.client.post(route, data=data, environ_base=environ).status_code
    if route == "/api/v1/auth/login":
        body = {"username": "nobody", "password": wrong}
        return officer.client.post(route, json=body, environ_base=environ).status_code
    change = {"current_password": wrong, "new_password": "a fresh long passphrase"}
    if route == "/account/password":
        change["repeat_password"] = change["new_password"]
        return officer.client.post(route, data=change, environ_base=environ).status_code
    return officer.client.post(route, json=change, environ_base=environ).status_code


def test_other_requests_are_not_counted_against_anyone(limited) -> None:
    officer = log_in(limited, "officer_a")
    assert all(officer.get("/api/v1/auth/me").status_code == 200 for _ in range(10))
    marked = {
        name for name, view in limited.view_functions.items() if getattr(view, LIMITED_MARK, False)
    }
    assert marked == {
        "account.password", "login.login", "auth.login", "auth.change_password",
        "manifests.submit",  # a gateway's messages, per gateway (test_api_manifests)
    }  # fmt: skip


def test_views_are_limited_only_through_login_limited() -> None:
    # The request filter lets through every view without the mark `login_limited` sets, so a
    # limit put on with flask-limiter's own decorator would never be checked.
    offenders = []
    for path in sorted((ROOT / "midas").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("limit", "shared_limit")
                and isinstance(node.value, ast.Name)
                and node.value.id == "limiter"
                and path.name != "limits.py"
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
