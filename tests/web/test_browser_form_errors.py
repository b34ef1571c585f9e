"""A form sent back with errors puts the cursor in the first field in error."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import LiveServer
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser


def focused(page: Any) -> str:
    found: str = page.evaluate("() => document.activeElement && document.activeElement.id")
    return found


def test_the_manual_form_focuses_the_field_in_error_and_names_every_one(
    live_server: LiveServer, context: Any
) -> None:
    officer = log_in(context, live_server, "officer1")
    officer.goto(live_server.url + "/station/manual")
    officer.locator("#surname").fill("OTIENO")
    officer.locator("#document_number").fill("K1234567")
    officer.locator("#issuing_state").fill("KEN")
    officer.locator("#birth_date").fill("02/03/1985")
    officer.locator("#nationality").fill("XXQ")
    with officer.expect_navigation():
        officer.get_by_role("button", name="Check document").click()
    assert officer.locator("#birth_date-error").is_visible()
    assert officer.locator("#nationality-error").is_visible()
    # The first field in error in the page's order, not the form's first field.
    first = officer.evaluate("() => document.querySelector('main [aria-invalid=\"true\"]').id")
    assert focused(officer) == first


def test_the_dashboard_focuses_the_day_in_error(live_server: LiveServer, context: Any) -> None:
    supervisor = log_in(context, live_server, "super1")
    supervisor.goto(live_server.url + "/dashboard?from=2026-03-01&to=March")
    assert focused(supervisor) == "d-to"
