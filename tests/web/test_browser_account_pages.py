"""Account and administration workflows in a real browser: a password change, stay rules."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from midas.auth.passwords import passwords
from midas.domain.admin import reset_password
from midas.persistence.database import database
from midas.persistence.models import User
from tests.web.conftest import LiveServer
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser

NEW = "a much longer passphrase"
TEMPORARY = "set by the administrator"


def test_an_officer_changes_their_password_and_logs_in_with_it(
    live_server: LiveServer, context: Any, new_context: Any
) -> None:
    officer = log_in(context, live_server, "officer1")
    officer.get_by_role("link", name="Password").click()
    # The page may still be loading after the click: wait for its autofocus.
    expect(officer.get_by_label("Current password")).to_be_focused()
    officer.get_by_label("Current password").fill(live_server.seeded.password)
    officer.get_by_label("New password", exact=True).fill(NEW)
    officer.get_by_label("New password again").fill(NEW)
    officer.get_by_label("New password again").press("Enter")
    officer.wait_for_url("**/station")
    assert "Your password has been changed" in officer.locator(".flash-ok").inner_text()

    again = new_context().new_page()
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


def test_a_password_an_administrator_set_is_changed_before_anything_else(
    live_server: LiveServer, context: Any
) -> None:
    app = live_server.app
    with app.app_context(), database(app).sessions() as session, session.begin():
        officer = session.scalar(select(User).where(User.username == "officer1"))
        reset_password(session, "cli:test", passwords(app), officer.id, TEMPORARY)

    page = context.new_page()
    page.goto(live_server.url + "/login")
    page.get_by_label("Username").fill("officer1")
    page.get_by_label("Password").fill(TEMPORARY)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url("**/account/password")
    assert "An administrator set your password" in page.locator("#password-due").inner_text()
    page.goto(live_server.url + "/station")
    page.wait_for_url("**/account/password")

    page.get_by_label("Current password").fill(TEMPORARY)
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("New password again").fill(NEW)
    page.get_by_label("New password again").press("Enter")
    page.wait_for_url("**/station")
    assert "Your password has been changed" in page.locator(".flash-ok").inner_text()


def test_logging_out_ends_the_session_for_a_copy_of_its_cookie_too(
    live_server: LiveServer, context: Any, new_context: Any
) -> None:
    officer = log_in(context, live_server, "officer1")
    officer.wait_for_url("**/station")
    copy = new_context()
    copy.add_cookies(context.cookies())
    other = copy.new_page()
    other.goto(live_server.url + "/station")
    assert other.url.endswith("/station")

    officer.get_by_role("button", name="Log out").click()
    officer.wait_for_url("**/login?logged_out=1")

    other.goto(live_server.url + "/station")
    assert "/login?next=" in other.url
    copy.close()


def test_the_session_cookie_is_forgotten_when_the_browser_closes(
    live_server: LiveServer, context: Any
) -> None:
    log_in(context, live_server, "officer1").wait_for_url("**/station")

    [cookie] = [c for c in context.cookies() if c["name"] == "midas_session"]

    assert cookie["expires"] == -1  # a browser-session cookie
