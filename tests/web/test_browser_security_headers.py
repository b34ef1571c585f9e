"""The strict Content-Security-Policy in a real browser: the pages work under it, framing fails.

Chromium reports every blocked script, style or frame as a `securitypolicyviolation` event and a
console error; a page that works under the policy raises none while a person uses it.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.builders import mrz, record
from tests.web.conftest import LiveServer, settled
from tests.web.test_browser import log_in, scan

pytestmark = pytest.mark.browser

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def violations(page: Any) -> list[str]:
    found: list[str] = page.evaluate("window.__violations || []")
    return found


def watched(context: Any) -> list[str]:
    """Record CSP complaints of every page the context opens (console and events)."""
    context.add_init_script(WATCH_VIOLATIONS)
    said: list[str] = []
    context.on(
        "page",
        lambda page: page.on(
            "console",
            lambda message: (
                said.append(message.text) if "Content Security Policy" in message.text else None
            ),
        ),
    )
    return said


def test_an_officer_s_station_works_under_the_policy(live_server: LiveServer, context: Any) -> None:
    said = watched(context)
    officer = log_in(context, live_server, "officer1")
    scan(officer, mrz("ERIKSSON", "ANNA MARIA", "L898902C3", nationality="SWE"))
    assert officer.locator("#screen-clear").is_visible()
    assert officer.locator("#record-button").evaluate("el => el === document.activeElement")
    officer.keyboard.press("Enter")
    officer.wait_for_url("**/station?recorded=*")

    assert violations(officer) == [] and said == []


def test_supervisor_and_admin_pages_work_under_the_policy(
    live_server: LiveServer, context: Any
) -> None:
    record(live_server.app, "officer1", mrz("LUND", "EVA", "E7001234"))
    said = watched(context)
    supervisor = log_in(context, live_server, "super1")
    supervisor.goto(live_server.url + "/dashboard")
    settled(supervisor)
    assert supervisor.locator("canvas").first.is_visible()
    assert violations(supervisor) == []
    supervisor.goto(live_server.url + "/log?name=LUND")
    supervisor.get_by_role("link", name="LUND, EVA").click()
    supervisor.get_by_role("link", name="← Back").click()  # back.js, not a javascript: link
    supervisor.wait_for_url("**/log?name=LUND")
    assert violations(supervisor) == []
    admin = log_in(context, live_server, "admin1")
    for path in ("/admin/users", "/admin/posts", "/admin/stations", "/admin/watchlists"):
        admin.goto(live_server.url + path)
        assert violations(admin) == [], path

    assert said == []


def test_no_other_page_can_frame_the_station(live_server: LiveServer, context: Any) -> None:
    log_in(context, live_server, "officer1")
    framing = context.new_page()  # about:blank: a page of no origin of ours, with no policy
    with framing.expect_console_message(
        predicate=lambda message: "frame-ancestors" in message.text
    ) as refused:
        framing.set_content(f'<iframe id="framed" src="{live_server.url}/station"></iframe>')

    assert "frame-ancestors 'none'" in refused.value.text and "blocked" in refused.value.text
    assert framing.frame_locator("#framed").locator("textarea").count() == 0
