"""Every page at a 1366x768 station screen: labelled controls, a sane focus order, WCAG contrast.

Checked in chromium on the rendered page (computed styles, not the CSS source):
- every visible form control has an accessible name (a <label>, aria-label or aria-labelledby);
- no positive tabindex (it would pull focus out of document order), images have alt text, the
  page states its language and has one main landmark and a heading;
- text contrast against its effective background is at least 4.5:1 (3:1 for large text), the
  WCAG 2.1 AA rule;
- nothing is wider than the screen (no horizontal scrolling at a station).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.builders import STOLEN_NUMBER, mrz
from tests.web.conftest import LiveServer, settled
from tests.web.test_browser import log_in, scan

pytestmark = pytest.mark.browser

AUDIT = (Path(__file__).parent / "accessibility_audit.js").read_text()

SUPERVISOR_PAGES = ["/dashboard", "/log", "/log?name=eriksson", "/hits", "/overstays"]
ADMIN_PAGES = [
    "/admin/users",
    "/admin/posts",
    "/admin/stations",
    "/admin/watchlists",
    "/admin/stay-rules",
    "/admin/audit",
    "/account/password",
]


def audit(page: Any) -> list[str]:
    """Return what the rendered page gets wrong."""
    settled(page)
    problems: list[str] = page.evaluate(AUDIT)
    return problems


def test_the_login_page_is_accessible(live_server: LiveServer, context: Any) -> None:
    page = context.new_page()
    page.goto(live_server.url + "/login")
    assert audit(page) == []


def test_the_station_is_accessible_waiting_and_with_a_hit(
    live_server: LiveServer, context: Any
) -> None:
    officer = log_in(context, live_server, "officer1")
    waiting = audit(officer)
    scan(officer, mrz("MUSTERMANN", "ERIKA", STOLEN_NUMBER, nationality="DEU"))
    with_hit = audit(officer)
    officer.goto(live_server.url + "/station/manual")
    manual = audit(officer)

    assert (waiting, with_hit, manual) == ([], [], [])


@pytest.mark.parametrize(
    ("username", "paths"), [("super1", SUPERVISOR_PAGES), ("admin1", ADMIN_PAGES)]
)
def test_desk_pages_are_accessible(
    live_server: LiveServer, context: Any, username: str, paths: list[str]
) -> None:
    person = log_in(context, live_server, username)
    found = {}
    for path in paths:
        person.goto(live_server.url + path)
        problems = audit(person)
        if problems:
            found[path] = problems

    assert found == {}
