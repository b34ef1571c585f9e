"""Page fixtures: a seeded app, a live server on 127.0.0.1 in a thread, Debian's chromium.

Browser tests run on SQLite only (the API's own tests cover both databases). They are skipped
only when /usr/bin/chromium is absent and we are not on CI; on CI (`CI=true`) they fail instead.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import BaseWSGIServer, make_server

from midas import create_app
from midas.auth import passwords as password_hashing
from midas.list_jobs import FOLDER_KEY
from midas.persistence.database import database
from tests.web.builders import FAST_SETTINGS, Seeded, seed

CHROMIUM = Path("/usr/bin/chromium")
ON_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1366, "height": 768}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def web_app(app: Flask, tmp_path: Path) -> Flask:
    """Return the test app (both backends) seeded with a post, its people and a list."""
    app.config.update(FAST_SETTINGS)
    password_hashing.init_app(app)
    app.extensions[FOLDER_KEY] = tmp_path / "loads"
    app.extensions["midas.web.seeded"] = seed(app, tmp_path)
    return app


@pytest.fixture
def seeded(web_app: Flask) -> Seeded:
    """Return who can log in to the seeded app."""
    found: Seeded = web_app.extensions["midas.web.seeded"]
    return found


def csrf_of(html: str) -> str:
    """Return the CSRF token a page's form carries."""
    found = CSRF.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


@dataclass
class Pages:
    """A Flask test client that logs in through the login page, as a browser would."""

    client: FlaskClient
    seeded: Seeded

    def login(self, username: str, password: str | None = None) -> Any:
        """Log in with the login form (fetching its CSRF token first)."""
        token = csrf_of(self.client.get("/login").get_data(as_text=True))
        return self.client.post(
            "/login",
            data={
                "username": username,
                "password": self.seeded.password if password is None else password,
                "csrf_token": token,
            },
        )


@pytest.fixture
def pages(web_app: Flask, seeded: Seeded) -> Pages:
    """Return a page client on the seeded app."""
    return Pages(web_app.test_client(), seeded)


# Browser harness -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Launch Debian's chromium once for the session (never a downloaded browser)."""
    if not CHROMIUM.exists():
        if ON_CI:
            pytest.fail(f"{CHROMIUM} is missing; CI must run the browser tests", pytrace=False)
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class LiveServer:
    """The app served over HTTP on 127.0.0.1 in a thread."""

    app: Flask
    url: str
    seeded: Seeded


@pytest.fixture
def live_server(sqlite_template: Path, tmp_path: Path) -> Iterator[LiveServer]:
    """Serve a seeded app on a temporary SQLite database at a free port."""
    path = tmp_path / "midas.sqlite3"
    shutil.copyfile(sqlite_template, path)
    app = create_app(
        {"TESTING": True, "ENV": "testing", "DATABASE_URL": f"sqlite:///{path}", **FAST_SETTINGS}
    )
    app.extensions[FOLDER_KEY] = tmp_path / "loads"
    seeded = seed(app, tmp_path)
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}", seeded)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        database(app).dispose()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """Return a fresh browser context at a 1366x768 station screen."""
    opened = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    opened.set_default_timeout(10_000)
    yield opened
    opened.close()
