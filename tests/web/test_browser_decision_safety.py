"""Decision safety in a real browser: doubt preselects nothing, impostors, any post's history."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from midas.auth.passwords import passwords
from midas.domain.admin import create_user, find_post
from midas.persistence.database import database
from tests.web.builders import PASSWORD, add_post, mrz, record
from tests.web.conftest import LiveServer
from tests.web.test_browser import log_in, scan

pytestmark = pytest.mark.browser

HOLDER = mrz("BROWN", "OLIVER", "X4821937", nationality="GBR", birth_date=date(1988, 2, 3))
IMPOSTOR = mrz("BROWN", "THOMAS", "X4821937", nationality="GBR", birth_date=date(1980, 7, 9))


def test_one_enter_does_not_admit_an_expired_document(
    live_server: LiveServer, context: Any
) -> None:
    officer = log_in(context, live_server, "officer1")
    scan(officer, mrz("LUND", "EVA", "E1234567", nationality="SWE", expiry=date(2020, 1, 1)))
    banner = officer.locator("#concerns")
    assert banner.is_visible() and "expired" in banner.inner_text()
    assert officer.locator('input[name="decision"]:checked').count() == 0
    officer.keyboard.press("Enter")  # the focus is on the decision, none chosen
    officer.wait_for_load_state("networkidle")
    assert officer.locator(".flash-recorded").count() == 0
    officer.keyboard.press("Alt+A")
    reason = officer.get_by_label("Reason to admit despite the warnings above")
    assert reason.evaluate("el => el === document.activeElement")
    reason.fill("Emergency travel letter seen")
    officer.keyboard.press("Control+Enter")
    officer.wait_for_url("**/station?recorded=*")
    assert "LUND, EVA admitted" in officer.locator(".flash-recorded").inner_text()


def test_an_impostor_is_flagged_and_filed_under_the_name_read(
    live_server: LiveServer, context: Any, new_context: Any
) -> None:
    record(live_server.app, "officer1", HOLDER)
    officer = log_in(context, live_server, "officer1")
    scan(officer, IMPOSTOR)
    assert "BROWN, THOMAS" in officer.locator(".traveller-name").inner_text()
    assert "Document seen with another identity" in officer.locator("#concerns").inner_text()
    assert officer.locator('input[name="decision"][value="referred"]').is_checked()
    assert "same document, another person" in officer.locator("#recent-crossings").inner_text()
    officer.keyboard.press("Control+Enter")
    officer.wait_for_url("**/station?recorded=*")
    assert "BROWN, THOMAS referred" in officer.locator(".flash-recorded").inner_text()

    supervisor = log_in(new_context(), live_server, "super1")
    supervisor.goto(live_server.url + "/log?name=thomas+brown")
    row = supervisor.locator("tbody tr").first
    assert "BROWN, THOMAS" in row.inner_text()
    row.get_by_role("link", name="BROWN, THOMAS").click()
    assert "document on record for traveller" in supervisor.content()


def test_the_desk_sees_a_crossing_at_another_post(live_server: LiveServer, context: Any) -> None:
    app = live_server.app
    add_post(app, "NAM-BORDER")
    with app.app_context(), database(app).sessions.begin() as db:
        create_user(
            db, "cli:test", passwords(), username="officer9", full_name="Other Post",
            role="officer", password=PASSWORD, post_id=find_post(db, "NAM-BORDER").id,
        )  # fmt: skip
    record(app, "officer9", HOLDER)
    officer = log_in(context, live_server, "officer1")
    scan(officer, HOLDER)
    recent = officer.locator("#recent-crossings").inner_text()
    assert "NAM-BORDER" in recent and "entry" in recent
    assert "entry with no exit" in officer.locator("#concerns").inner_text()
    assert officer.locator("#no-crossing").count() == 0
