"""Error answers are what the OpenAPI document says: every documented error response's schema
validates the real bodies; a 405 says which methods are allowed; a database that cannot be
reached is a 503 with Retry-After, not a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from flask import Flask

from tests.midas.auth_builders import PASSWORD, World, log_in, make_app


def _openapi_to_json_schema(node: Any) -> Any:
    """Turn OpenAPI 3.0's `nullable` into JSON Schema's type list, recursively."""
    if isinstance(node, dict):
        converted = {key: _openapi_to_json_schema(value) for key, value in node.items()}
        if converted.pop("nullable", False) and "type" in converted:
            converted["type"] = [converted["type"], "null"]
        return converted
    if isinstance(node, list):
        return [_openapi_to_json_schema(item) for item in node]
    return node


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def documented_error_schemas(document: dict[str, Any]) -> dict[tuple[str, str, str], Any]:
    """Return (path, method, status) -> the JSON schema of every documented error response."""
    found = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, response in operation["responses"].items():
                if status != "default" and int(status) < 400:
                    continue
                content = _resolve(document, response).get("content", {})
                schema = content.get("application/json", {}).get("schema")
                found[(path, method, status)] = schema
    return found


def validator(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    whole = _openapi_to_json_schema({**schema, "components": document["components"]})
    return jsonschema_rs.validator_for(whole)


@pytest.fixture
def document(app: Flask) -> dict[str, Any]:
    found: dict[str, Any] = app.test_client().get("/api/v1/openapi.json").get_json()
    return found


def real_error_bodies(app: Flask, world: World) -> Iterator[tuple[str, int, Any]]:
    """Provoke every error the API answers, and yield (what, status, body)."""
    anonymous = app.test_client()
    officer = log_in(app, "officer_a")
    admin = log_in(app, "admin")
    answers = {
        "no credentials": anonymous.get("/api/v1/users"),
        "wrong role": officer.get("/api/v1/users"),
        "wrong password": anonymous.post(
            "/api/v1/auth/login", json={"username": "admin", "password": "wrong"}
        ),
        "no such row": admin.get("/api/v1/users/999999"),
        "no such path": admin.get("/api/v1/nowhere"),
        "wrong method": admin.delete("/api/v1/health"),
        "validation": admin.post("/api/v1/users", json={"username": 7}),
        "not json": admin.post("/api/v1/users", data="{oops", content_type="application/json"),
        "no csrf token": admin.client.post("/api/v1/users", json={}),
        "conflict": admin.post(
            "/api/v1/posts",
            json={"code": "AAA", "name": "x", "kind": "air", "country": "AUT", "timezone": "UTC"},
        ),
        "control character": admin.get("/api/v1/users?q=a%00"),
        "too large": admin.post(
            "/api/v1/users", data="x" * (3 * 1024 * 1024), content_type="application/json"
        ),
    }
    for what, response in answers.items():
        assert response.status_code >= 400, what
        yield what, response.status_code, response.get_json()


def test_every_documented_error_schema_validates_every_real_error_body(
    app: Flask, world: World, document: dict[str, Any]
) -> None:
    schemas = documented_error_schemas(document)
    bodies = list(real_error_bodies(app, world))
    assert {status for _, status, _ in bodies} >= {400, 401, 403, 404, 405, 409, 413, 422}

    undocumented = [key for key, schema in schemas.items() if schema is None]
    assert not undocumented, f"error responses without a body schema: {undocumented[:5]}"
    checked = 0
    for (path, method, status), schema in schemas.items():
        if path.endswith("/health") and status == "503":
            continue  # the health check answers its own report, documented as such
        check = validator(document, schema)
        for what, _, body in bodies:
            errors = [str(error) for error in check.iter_errors(body)]
            assert not errors, (method, path, status, what, body, errors)
            checked += 1
    assert checked > 100


def test_a_405_names_the_allowed_methods_on_the_api_and_on_pages(app: Flask, world: World) -> None:
    api = app.test_client().delete("/api/v1/health")
    page = app.test_client().put("/login")

    assert api.status_code == 405 and page.status_code == 405
    assert set(api.headers["Allow"].split(", ")) >= {"GET"}
    assert set(page.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert api.get_json()["error"]["code"] == "method_not_allowed"


@pytest.fixture
def unreachable(
    app: Flask, world: World, tmp_path: Path, backend: str
) -> Iterator[tuple[Flask, Any]]:
    """Return a client logged in to an app, and the app, whose database then goes away."""
    officer = log_in(app, "officer_a")
    gone = tmp_path / "gone"  # a folder that does not exist: no file, no server socket in it
    url = (
        f"sqlite:///{gone / 'midas.sqlite3'}"
        if backend == "sqlite"
        else f"postgresql+psycopg://postgres@/midas?host={gone}&connect_timeout=2"
    )
    broken = make_app(url, SECRET_KEY=app.config["SECRET_KEY"])
    broken.config["PROPAGATE_EXCEPTIONS"] = False
    yield broken, officer


def test_a_database_that_cannot_be_reached_is_a_503_with_retry_after(
    unreachable: tuple[Flask, Any],
) -> None:
    broken, officer = unreachable
    cookie = officer.client.get_cookie("midas_session")
    assert cookie is not None
    api = broken.test_client()
    api.set_cookie("midas_session", cookie.value)
    page = broken.test_client()
    page.set_cookie("midas_session", cookie.value)

    answer = api.get("/api/v1/crossings/1")
    shown = page.get("/station", headers={"Accept": "text/html"})
    login = broken.test_client().post(
        "/api/v1/auth/login", json={"username": "admin", "password": PASSWORD}
    )

    for response in (answer, shown, login):
        assert response.status_code == 503, response.get_data(as_text=True)[:300]
        assert int(response.headers["Retry-After"]) > 0
    assert answer.get_json()["error"]["code"] == "unavailable"
    assert "briefly unavailable" in shown.get_data(as_text=True)


def test_a_form_field_without_a_readable_name_is_a_400_not_a_server_error(
    app: Flask, world: World
) -> None:
    """A multipart part named `"\\"` (schemathesis found it): werkzeug reads no name for it."""
    admin = log_in(app, "admin")
    boundary = "6f9cf19471cdba90f3de805033f91d6e"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="\\"\r\n\r\nnull\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    answer = admin.post(
        "/api/v1/watchlists/0/loads",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert answer.status_code == 400, answer.get_data(as_text=True)
