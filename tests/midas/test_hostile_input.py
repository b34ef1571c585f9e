"""Property: hostile text in any query, form or JSON value gets a 4xx naming it, never a 500.

NUL bytes (PostgreSQL refuses them in text), other control characters, lone surrogates, Unicode
digits where a number goes ("²", "١٢"), numbers beyond 64 bits, CR/LF, and days at the ends of
the calendar, sent to every page (each page's form fields and its query) and to the API, as a
person of a role the page is open to, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from midas.persistence.database import database
from midas.persistence.models import Role
from midas.web import forms
from tests.conftest import TEMPLATE_DATABASE, PostgresServer
from tests.midas.auth_builders import PASSWORD, ApiClient, World, build_world, log_in, make_app

# What a hostile client types: control characters, numbers no column holds, Unicode digits
# (a lone surrogate only fits in JSON, so it is tested apart).
HOSTILE = st.one_of(
    st.sampled_from(
        [
            "a\x00b",
            "\x00",
            "x\x1b[31m",
            "²",
            "١٢",
            "99999999999999999999",
            "9223372036854775808",
            "-1",
            "abc",
            "/log\r\nX-Injected: 1",
            "0001-01-01",
            "9999-12-31",
            "9999-12-31T23:59:59-14:00",
            "0001-01-01T00:00:00+14:00",
            "",
        ]
    ),
    st.text(max_size=12),
)
CONTROL = {chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]}

# Every field name of the pages' forms, and the query names the pages read.
FORM_FIELDS = sorted(
    {
        name
        for _, form in inspect.getmembers(forms, inspect.isclass)
        if issubclass(form, forms.FlaskForm) and form is not forms.FlaskForm
        for name, value in vars(form).items()
        if hasattr(value, "field_class")
    }
)
QUERY_NAMES = [
    "name", "document_number", "issuing_state", "nationality", "post", "from", "to",
    "direction", "decision", "page", "next", "today", "since", "until", "username", "action",
    "object_type", "object_id", "outcome", "status", "recorded",
]  # fmt: skip
# Pages that end the session the fuzzing rides on.
SKIPPED = {"login.logout", "account.password", "static", "web.static"}
ROLE_USERS = {Role.OFFICER: "officer_a", Role.SUPERVISOR: "supervisor_all", Role.ADMIN: "admin"}


@dataclass
class Fuzzed:
    """An app on one backend with its world, and a logged-in page client per role."""

    app: Flask
    world: World
    pages: dict[Role, FlaskClient]
    api: dict[Role, ApiClient]


def _page_client(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    answer = client.post("/login", data={"username": username, "password": PASSWORD})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return client


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def fuzzed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Fuzzed]:
    """Return the app of one backend, its world and the logged-in clients."""
    server: PostgresServer | None = None
    if request.param == "sqlite":
        path: Path = request.getfixturevalue("sqlite_template")
        copy = tmp_path_factory.mktemp("hostile") / "midas.sqlite3"
        copy.write_bytes(path.read_bytes())
        url, name = f"sqlite:///{copy}", ""
    else:
        server = request.getfixturevalue("postgres_server")
        name = server.create_database(TEMPLATE_DATABASE)
        url = server.url(name)
    app = make_app(url, LOGIN_RATE_LIMIT="10000 per minute", WTF_CSRF_ENABLED=False)
    world = build_world(app)
    pages = {role: _page_client(app, user) for role, user in ROLE_USERS.items()}
    api = {role: log_in(app, user) for role, user in ROLE_USERS.items()}
    yield Fuzzed(app, world, pages, api)
    database(app).dispose()
    if server is not None:
        server.drop_database(name)


def _page_routes(methods: set[str]) -> list[tuple[str, str]]:
    app = make_app("sqlite://")
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED or rule.rule.startswith("/api/"):
            continue
        if methods & (rule.methods or set()):
            found.append((rule.endpoint, rule.rule))
    return sorted(found)


def _path(fuzzed: Fuzzed, rule: str) -> str:
    """Fill a rule's parameters with rows of the world (or numbers that name none)."""
    ids = {
        "user_id": fuzzed.world.users["officer_b"],
        "post_id": fuzzed.world.post_b,
        "station_id": fuzzed.world.station_a,
    }
    path = rule
    for part in rule.split("<")[1:]:
        spec = part.split(">")[0]
        name = spec.split(":")[-1]
        path = path.replace(f"<{spec}>", str(ids.get(name, 1)))
    return path


def _client(fuzzed: Fuzzed, endpoint: str) -> FlaskClient:
    view = fuzzed.app.view_functions[endpoint]
    roles: frozenset[Role] = getattr(view, "midas_page_roles", frozenset({Role.ADMIN}))
    role = next(r for r in (Role.ADMIN, Role.SUPERVISOR, Role.OFFICER) if r in roles)
    return fuzzed.pages[role]


def _refused_for_control(response: Any, values: dict[str, str]) -> None:
    held = [name for name, value in values.items() if CONTROL & set(value) or _surrogate(value)]
    if held and response.status_code not in (302, 403, 404, 405):
        assert response.status_code == 422, (held, response.status_code)


def _surrogate(value: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in value)


@pytest.mark.parametrize(("endpoint", "rule"), _page_routes({"POST"}))
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(values=st.fixed_dictionaries({name: HOSTILE for name in FORM_FIELDS}))
def test_no_form_on_any_page_answers_hostile_text_with_a_server_error(
    fuzzed: Fuzzed, endpoint: str, rule: str, values: dict[str, str]
) -> None:
    client = _client(fuzzed, endpoint)
    response = client.post(_path(fuzzed, rule), data=values)

    assert response.status_code < 500, (endpoint, values, response.get_data(as_text=True)[:500])
    _refused_for_control(response, values)


@pytest.mark.parametrize(("endpoint", "rule"), _page_routes({"GET"}))
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(values=st.fixed_dictionaries({name: HOSTILE for name in QUERY_NAMES}))
def test_no_page_answers_a_hostile_query_with_a_server_error(
    fuzzed: Fuzzed, endpoint: str, rule: str, values: dict[str, str]
) -> None:
    client = _client(fuzzed, endpoint)
    response = client.get(_path(fuzzed, rule), query_string=values)

    assert response.status_code < 500, (endpoint, values, response.get_data(as_text=True)[:500])
    _refused_for_control(response, values)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/crossings?page={}",
        "/api/v1/crossings?post={}",
        "/api/v1/crossings?name={}",
        "/api/v1/hits?page={}",
        "/api/v1/audit?page={}",
        "/api/v1/users?q={}",
        "/api/v1/overstays?today={}",
        "/api/v1/statistics?measure=crossings&group_by=week&from={}&to={}",
        "/api/v1/crossings?from={}",
        "/api/v1/audit?until={}",
    ],
)
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=HOSTILE)
def test_no_api_query_answers_hostile_text_with_a_server_error(
    fuzzed: Fuzzed, path: str, value: str
) -> None:
    response = fuzzed.api[Role.SUPERVISOR].get(path.replace("{}", "{0}").format(_quoted(value)))
    if response.status_code == 403:
        response = fuzzed.api[Role.ADMIN].get(path.replace("{}", "{0}").format(_quoted(value)))

    assert response.status_code < 500, (path, value, response.get_data(as_text=True))
    if response.status_code >= 400:
        assert response.get_json()["error"]["message"]


def _quoted(value: str) -> str:
    from urllib.parse import quote

    return quote(value.encode("utf-8", "surrogatepass"), safe="")


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(name=HOSTILE, code=HOSTILE)
def test_api_bodies_with_control_characters_are_refused_naming_the_field(
    fuzzed: Fuzzed, name: str, code: str
) -> None:
    body = {"code": code, "name": name, "kind": "air", "country": "AUT", "timezone": "UTC"}
    response = fuzzed.api[Role.ADMIN].post("/api/v1/posts", json=body)

    assert response.status_code < 500, (body, response.get_data(as_text=True))
    bad = [field for field, value in (("code", code), ("name", name)) if CONTROL & set(value)]
    if bad:
        assert response.status_code == 422
        assert response.get_json()["error"]["field"] in bad


@pytest.mark.parametrize("text", ["a\x00b", "x\x1by", "\x7f"])
def test_the_anonymous_login_refuses_control_characters_in_the_username(
    fuzzed: Fuzzed, text: str
) -> None:
    client = fuzzed.app.test_client()

    page = client.post("/login", data={"username": text, "password": "x"})
    api = client.post("/api/v1/auth/login", json={"username": text, "password": "x"})

    assert page.status_code == 422
    assert "control character" in page.get_data(as_text=True)
    assert api.status_code == 422
    assert api.get_json()["error"]["field"] == "username"


def test_a_lone_surrogate_in_a_json_body_is_refused_naming_the_field(fuzzed: Fuzzed) -> None:
    body = '{"code": "QQQ", "name": "\\ud800", "kind": "air", "country": "AUT", "timezone": "UTC"}'

    response = fuzzed.api[Role.ADMIN].post(
        "/api/v1/posts", data=body, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "name"


def test_a_json_body_nested_too_deeply_is_invalid_json_not_a_server_error(fuzzed: Fuzzed) -> None:
    depth = 200_000
    response = fuzzed.api[Role.ADMIN].post(
        "/api/v1/users", data="[" * depth + "]" * depth, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("page", ["²", "١٢", "99999999999999999999", "-3", "0"])
@pytest.mark.parametrize("path", ["/log?name=doe&page={}", "/hits?page={}", "/admin/audit?page={}"])
def test_a_page_number_that_is_not_one_shows_the_first_page(
    fuzzed: Fuzzed, path: str, page: str
) -> None:
    response = fuzzed.pages[Role.SUPERVISOR].get(path.format(page))

    assert response.status_code in (200, 422)


@pytest.mark.parametrize("value", ["99999999999999999999", "9223372036854775808", "²"])
def test_api_page_and_post_beyond_their_columns_are_422(fuzzed: Fuzzed, value: str) -> None:
    for name in ("page", "post"):
        response = fuzzed.api[Role.SUPERVISOR].get(f"/api/v1/crossings?{name}={value}")

        assert response.status_code == 422, response.get_json()
        assert response.get_json()["error"]["field"] == name


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01"])
def test_overstays_refuse_a_day_outside_the_years_served(fuzzed: Fuzzed, value: str) -> None:
    response = fuzzed.api[Role.SUPERVISOR].get(f"/api/v1/overstays?today={value}")

    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "today"


@pytest.mark.parametrize(
    "target", ["/log\r\nX-Injected: 1", "/log%0d%0aX: 1", "/\\evil.example", "/log\x00"]
)
def test_login_never_follows_a_next_with_control_characters_or_backslashes(
    fuzzed: Fuzzed, target: str
) -> None:
    client = fuzzed.app.test_client()

    response = client.post(
        "/login",
        query_string={"next": target},
        data={"username": "supervisor_a", "password": PASSWORD},
    )

    assert response.status_code in (302, 422)
    location = response.headers.get("Location", "")
    assert "\r" not in location and "\n" not in location and "evil" not in location


@pytest.mark.parametrize("number", ["9" * 5000, "-" + "1" * 4301])
def test_a_json_number_of_too_many_digits_is_invalid_json_not_a_server_error(
    fuzzed: Fuzzed, number: str
) -> None:
    body = '{"username": "abc", "full_name": "A", "role": "officer", "post_id": ' + number + "}"

    response = fuzzed.api[Role.ADMIN].post(
        "/api/v1/users", data=body, content_type="application/json"
    )

    assert response.status_code == 400
    assert "too many digits" in response.get_json()["error"]["message"]


def test_an_empty_json_body_is_still_no_arguments(fuzzed: Fuzzed) -> None:
    response = fuzzed.api[Role.ADMIN].get("/api/v1/users", data="", content_type="application/json")

    assert response.status_code == 200
