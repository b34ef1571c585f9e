"""Request bodies are capped before they are read: small for everyone, file-sized for uploads."""

from __future__ import annotations

from io import BytesIO

import pytest
from flask import Flask
from werkzeug.test import EnvironBuilder

from tests.web.conftest import Pages

# Bodies are capped before any view reads the database.
pytestmark = pytest.mark.one_backend

MIB = 1024 * 1024


def post_bytes(pages: Pages, path: str, size: int, content_type: str) -> int:
    response = pages.client.post(path, data=b"x" * size, content_type=content_type)
    return response.status_code


def post_file(pages: Pages, path: str, size: int) -> int:
    upload = {"image": (BytesIO(b"x" * size), "scan.png")}
    environ = EnvironBuilder(path=path, method="POST", data=upload).get_environ()
    try:
        return pages.client.open(environ).status_code
    finally:
        environ["wsgi.input"].close()  # the test client spooled the body to a temporary file


def test_an_anonymous_client_cannot_send_a_file_sized_body(pages: Pages, web_app: Flask) -> None:
    web_app.config["MAX_REQUEST_MB"] = 1

    assert post_file(pages, "/station/image", 3 * MIB) == 413
    assert post_bytes(pages, "/api/v1/auth/login", 3 * MIB, "application/json") == 413
    # Under the cap the request goes on to the login and CSRF checks as usual.
    assert post_bytes(pages, "/api/v1/auth/login", 100, "application/json") != 413


def test_a_logged_in_officer_may_upload_an_image_larger_than_other_requests(
    pages: Pages, web_app: Flask
) -> None:
    web_app.config["MAX_REQUEST_MB"] = 1
    pages.login("officer1")

    image = post_file(pages, "/station/image", 3 * MIB)
    other = post_bytes(pages, "/station/manual", 3 * MIB, "application/x-www-form-urlencoded")
    # A scan may carry the chip's files (18 of 1 MiB, base64): up to 26 MiB, and no more.
    scan = post_bytes(pages, "/station/scan", 27 * MIB, "application/x-www-form-urlencoded")

    assert image != 413
    assert other == 413
    assert scan == 413


def post_list(pages: Pages, size: int) -> int:
    upload = {"file": (BytesIO(b"x" * size), "list.csv"), "name": "l", "kind": "person"}
    environ = EnvironBuilder(path="/admin/watchlists", method="POST", data=upload).get_environ()
    try:
        return pages.client.open(environ).status_code
    finally:
        environ["wsgi.input"].close()


def test_only_an_administrator_may_send_a_list_sized_body(pages: Pages, web_app: Flask) -> None:
    web_app.config["MAX_REQUEST_MB"] = 1
    pages.login("officer1")

    assert post_list(pages, 3 * MIB) == 413  # refused before the body is spooled
    # The larger image cap is the officer's own page's, not the administrator's.
    assert post_file(pages, "/station/image", 3 * MIB) != 413


def test_an_administrator_may_send_a_list_larger_than_other_requests(
    pages: Pages, web_app: Flask
) -> None:
    web_app.config["MAX_REQUEST_MB"] = 1
    pages.login("admin1")

    assert post_list(pages, 3 * MIB) != 413
    assert post_file(pages, "/station/image", 3 * MIB) == 413
