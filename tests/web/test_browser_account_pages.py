"""Account and administration workflows in a real browser: a password change, stay rules."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import LiveServer
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser

NEW = "a much longer passphrase"


def test_an_officer_changes_their_password_and_logs_in_with_it(
    live_server: LiveServer, context: Any
) -> None:
    officer = log_in(context, live_server, "officer1")
    officer.get_by_role("link", name="Password").click()
    assert officer.get_by_label("Current password").evaluate("el => el === document.activeElement")
    officer.get_by_label("Current password").fill(live_server.seeded.password)
    officer.get_by_label("New password", exact=True).fill(NEW)
    officer.get_by_label("New password again").fill(NEW)
    officer.get_by_label("New password again").press("Enter")
    officer.wait_for_url("**/station")
    assert "Your password has been changed" in officer.locator(".flash-ok").inner_text()

    again = context.browser.new_context().new_page()
    again.goto(live_server.url + "/login")
    again.get_by_label("Username").fill("officer1")
    again.get_by_label("Password").fill(NEW)
    again.get_by_label("Password").press("Enter")
    again.wait_for_url("**/station")


def test_an_admin_sets_changes_and_removes_a_stay_rule(
    live_server: LiveServer, context: Any
) -> None:
    admin = log_in(context, live_server, "admin1")
    admin.get_by_role("link", name="Stay rules").click()
    admin.get_by_label("Nationality code as in the passport, or * for the default").fill("GBR")
    admin.get_by_label("Days allowed").fill("90")
    admin.get_by_label("In any window of (days)").fill("180")
    admin.get_by_label("In any window of (days)").press("Enter")
    row = admin.locator("#stay-rules tbody tr").filter(has_text="GBR")
    assert "90" in row.inner_text() and "180 days" in row.inner_text()

    admin.get_by_label("Nationality code as in the passport, or * for the default").fill("GBR")
    admin.get_by_label("Days allowed").fill("30")
    admin.get_by_label("In any window of (days)").fill("60")
    admin.get_by_role("button", name="Save rule").click()
    assert "30" in row.inner_text() and "60 days" in row.inner_text()

    row.get_by_role("button", name="Remove the rule for GBR").click()
    assert "Stay rule for GBR removed" in admin.locator(".flash-ok").inner_text()
    assert admin.locator("#stay-rules tbody tr").filter(has_text="GBR").count() == 0


def test_reloading_the_new_station_token_page_makes_no_second_station(
    live_server: LiveServer, context: Any
) -> None:
    admin = log_in(context, live_server, "admin1")
    admin.goto(live_server.url + "/admin/stations")
    rows = admin.locator("table tbody tr").filter(has=admin.get_by_role("link", name="Edit"))
    before = rows.count()
    admin.get_by_label("Name").fill("Arrivals 9")
    admin.get_by_role("button", name="Create station and show its token").click()
    token = admin.locator("#station-token")
    assert token.inner_text().startswith("mst_")
    assert rows.filter(has_text="Arrivals 9").count() == 1

    admin.reload()

    assert admin.locator("#station-token").count() == 0  # shown once
    assert rows.count() == before + 1
    assert rows.filter(has_text="Arrivals 9").count() == 1
