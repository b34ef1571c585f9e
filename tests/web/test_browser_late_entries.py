"""A supervisor enters a paper record from an outage in a real browser."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from midas.persistence.database import database
from midas.persistence.models import Crossing
from tests.web.builders import mrz
from tests.web.conftest import LiveServer
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser


def test_a_supervisor_enters_a_paper_record_weeks_after_the_outage(
    live_server: LiveServer, context: Any
) -> None:
    supervisor = log_in(context, live_server, "super1")
    supervisor.get_by_role("link", name="Paper records").click()
    happened = datetime.now(ZoneInfo("Africa/Nairobi")) - timedelta(days=21)
    supervisor.get_by_label("When it happened (the post's local time)").fill(
        happened.strftime("%Y-%m-%dT%H:%M")
    )
    supervisor.get_by_label("Officer who decided (username)").fill("officer1")
    supervisor.get_by_label("MRZ lines, as on the document").fill(
        mrz("ERIKSSON", "ANNA MARIA", "L898902C3")
    )
    supervisor.get_by_text("Admit", exact=True).click()
    supervisor.get_by_label("Why is it entered late?").fill("Power cut 1-20 March, paper forms")
    # Forgetting nothing but the reason's neighbour: a wrong officer is named beside the field.
    supervisor.get_by_label("Officer who decided (username)").fill("nobody")
    supervisor.get_by_role("button", name="Enter the record").click()
    assert "No officer named 'nobody'" in supervisor.locator("#late-entry-form").inner_text()
    supervisor.get_by_label("Officer who decided (username)").fill("officer1")
    supervisor.get_by_role("button", name="Enter the record").click()
    assert "Paper record entered as crossing" in supervisor.locator(".flash-ok").inner_text()
    with database(live_server.app).sessions() as session:
        crossing = session.scalars(select(Crossing)).one()
    assert crossing.late_entry_reason == "Power cut 1-20 March, paper forms"
    assert crossing.recorded_at - crossing.occurred_at > timedelta(days=20)
    width = supervisor.evaluate("document.documentElement.scrollWidth")
    assert width <= supervisor.viewport_size["width"]
