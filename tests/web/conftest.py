"""Page fixtures: a seeded app, a live server on 127.0.0.1 in a thread, Debian's chromium.

Browser tests run on SQLite only (the API's own tests cover both databases), and so do the page
tests marked `one_backend`. The seed (a post, its people, a list) is written once per worker
into a SQLite file that each test on SQLite copies. Browser tests are skipped only when
/usr/bin/chromium is absent and we are not on CI; on CI (`CI=true`) they fail instead.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
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
from tests.conftest import share_compiled_templates
from tests.web.builders import FAST_SETTINGS, SEEDED, Seeded, build_indexes, seed, seed_rows

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
# Counts the requests a page's scripts make until their answers are handled, for settled():
# a request ends a macrotask after its answer (or its body) arrives, so the callbacks the
# page chained on it (microtasks: drawing a chart, showing a message) have run by then.
PENDING_REQUESTS = """(() => {
  let pending = 0;
  const finish = () => { setTimeout(() => { pending -= 1; }, 0); };
  const track = (promise) => { pending += 1; promise.then(finish, finish); return promise; };
  const fetch = window.fetch;
  window.fetch = function (...args) { return track(fetch.apply(this, args)); };
  for (const name of ["json", "text", "arrayBuffer", "blob", "formData"]) {
    const read = Response.prototype[name];
    Response.prototype[name] = function (...args) { return track(read.apply(this, args)); };
  }
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...args) {
    pending += 1;
    this.addEventListener("loadend", finish, { once: true });
    return send.apply(this, args);
  };
  Object.defineProperty(window, "midasPendingRequests", { get: () => pending });
})();"""
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def sqlite_app(template: Path, folder: Path) -> Flask:
    """Return an app on a copy of a migrated SQLite file, its list jobs in `folder`."""
    path = folder / "midas.sqlite3"
    shutil.copyfile(template, path)
    app = create_app(
        {"TESTING": True, "ENV": "testing", "DATABASE_URL": f"sqlite:///{path}", **FAST_SETTINGS}
    )
    share_compiled_templates(app)
    app.extensions[FOLDER_KEY] = folder / "loads"
    return app


@pytest.fixture(scope="session")
def seeded_sqlite(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a migrated SQLite file holding the seed, copied for each test that needs it."""
    folder = tmp_path_factory.mktemp("seeded")
    app = sqlite_app(sqlite_template, folder)
    seed_rows(app, folder)
    database(app).dispose()
    return folder / "midas.sqlite3"


@pytest.fixture
def database_url(database_url: str, backend: str, request: pytest.FixtureRequest) -> str:
    """Return the URL of the test's fresh database; a SQLite one already holds the seed."""
    if backend == "sqlite":
        seeded = request.getfixturevalue("seeded_sqlite")
        shutil.copyfile(seeded, database_url.removeprefix("sqlite:///"))
    return database_url


@pytest.fixture
def web_app(app: Flask, backend: str, tmp_path: Path) -> Flask:
    """Return the test app seeded with a post, its people and a list, its indexes built."""
    app.config.update(FAST_SETTINGS)
    password_hashing.init_app(app)
    app.extensions[FOLDER_KEY] = tmp_path / "loads"
    if backend == "sqlite":
        build_indexes(app)
        app.extensions["midas.web.seeded"] = SEEDED
    else:
        app.extensions["midas.web.seeded"] = seed(app, tmp_path)
    return app


@pytest.fixture
def seeded(web_app: Flask) -> Seeded:
    """Return who can log in to the seeded app."""
    found: Seeded = web_app.extensions["midas.web.seeded"]
    return found


def settled(page: Any) -> None:
    """Wait until the page has loaded and the requests its scripts made have been handled.

    Playwright's "networkidle" waits for half a second without requests, on every page; this
    waits exactly as long as the page is busy.
    """
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.midasPendingRequests === 0")


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


@pytest.fixture(scope="module")
def shared_app(seeded_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Return one seeded app for the tests of a module that change nothing (a role's gate, a
    redirect): they need no fresh database each."""
    app = sqlite_app(seeded_sqlite, tmp_path_factory.mktemp("shared"))
    build_indexes(app)
    yield app
    database(app).dispose()


@pytest.fixture(scope="module")
def signed_in(shared_app: Flask) -> dict[str, Pages]:
    """Return a page client of the shared app for each seeded person, logged in once."""
    clients = {}
    for username in (SEEDED.officer, SEEDED.supervisor, SEEDED.admin):
        clients[username] = Pages(shared_app.test_client(), SEEDED)
        assert clients[username].login(username).status_code == 302
    return clients


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
def live_server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[LiveServer]:
    """Serve a seeded app on a temporary SQLite database at a free port."""
    app = sqlite_app(seeded_sqlite, tmp_path)
    build_indexes(app)
    seeded = SEEDED
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    # The serving loop looks for shutdown() between polls: a short poll ends each test at once.
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}", seeded)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        database(app).dispose()


@pytest.fixture
def new_context(browser: Any) -> Iterator[Callable[[], Any]]:
    """Return a function opening a fresh browser context (another person at another screen)
    at a 1366x768 station screen; each is closed after the test."""
    opened: list[Any] = []

    def open_one() -> Any:
        one = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        one.set_default_timeout(10_000)
        one.add_init_script(PENDING_REQUESTS)
        opened.append(one)
        return one

    yield open_one
    for one in opened:
        one.close()


@pytest.fixture
def context(new_context: Callable[[], Any]) -> Any:
    """Return a fresh browser context at a 1366x768 station screen."""
    return new_context()
