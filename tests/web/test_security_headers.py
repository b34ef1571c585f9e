"""Every answer carries the security headers; nothing but static assets may be stored.

Pages and CSV exports hold travellers' personal data: no browser or proxy may keep them, no
other site may frame them, and the policy runs only the site's own script and style files,
so the templates hold no inline script, style attribute or `javascript:` link.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from midas import create_app
from tests.midas.auth_builders import STRONG_SECRET
from tests.web.builders import mrz, record
from tests.web.conftest import Pages

# Headers are added to every answer whatever the database said.
pytestmark = pytest.mark.one_backend

TEMPLATES = Path(__file__).resolve().parents[2] / "midas" / "web" / "templates"
STATIC = TEMPLATES.parent / "static"
PAGES = {
    "officer1": ["/station", "/station/manual", "/login"],
    "super1": ["/dashboard", "/log", "/log?name=LUND", "/hits", "/overstays", "/admin/audit"],
    "admin1": ["/admin/users", "/admin/posts", "/admin/stations", "/admin/watchlists"],
}
PRIVATE = [
    "/log.csv",
    "/api/v1/statistics?measure=crossings&group_by=day&format=csv",
    "/api/v1/crossings",
]


def assert_secure(headers: dict[str, str], where: str) -> None:
    policy = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in policy, where
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, where
    assert "style-src 'self'" in policy, where
    assert "object-src 'none'" in policy and "base-uri 'none'" in policy, where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("Referrer-Policy") == "same-origin", where


@pytest.mark.parametrize("username", sorted(PAGES))
def test_every_page_is_secured_and_never_stored(pages: Pages, username: str) -> None:
    pages.login(username)
    for path in PAGES[username]:
        response = pages.client.get(path)

        assert response.status_code in (200, 302), path
        assert_secure(dict(response.headers), path)
        assert response.headers["Cache-Control"] == "no-store", path


def test_csv_exports_and_the_api_are_never_stored(pages: Pages, web_app: Flask) -> None:
    record(web_app, "officer1", mrz("LUND", "EVA", "E7"))
    pages.login("super1")
    for path in PRIVATE:
        response = pages.client.get(path)

        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path


def test_error_answers_carry_the_headers_too(pages: Pages) -> None:
    for path in ("/nowhere", "/api/v1/nowhere", "/station"):
        response = pages.client.get(path)

        assert_secure(dict(response.headers), path)
        assert response.headers["Cache-Control"] == "no-store", path


def test_static_assets_may_be_cached(pages: Pages) -> None:
    response = pages.client.get("/assets/midas.css")
    response.close()  # the file it streams

    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_https_is_required_in_production_only(pages: Pages, tmp_path: Path) -> None:
    production = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": STRONG_SECRET,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
        }
    )

    secured = production.test_client().get("/login", base_url="https://midas.example")
    plain = pages.client.get("/login")

    assert secured.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in plain.headers


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=str)
def test_no_template_holds_what_the_policy_blocks(template: Path) -> None:
    text = template.read_text()
    found = [what for pattern, what in INLINE if pattern.search(text)]

    assert not found, f"{template.relative_to(TEMPLATES)}: {found}"


@pytest.mark.parametrize("script", sorted(STATIC.glob("*.js")), ids=lambda p: p.name)
def test_no_script_writes_markup_the_policy_blocks(script: Path) -> None:
    text = script.read_text()

    assert "style=" not in text and "javascript:" not in text
    assert "eval(" not in text and "new Function" not in text
