"""Advance passenger information in a real browser: a flight's hit on the arrivals page, a
supervisor's referral, the same passenger at the desk, and the no-show after the flight."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from midas.cli import main
from paxlst.write import write_paxlst
from tests.paxlst.builders import make_flight, make_traveller
from tests.web.builders import STOLEN_NUMBER, build_indexes, mrz
from tests.web.conftest import LiveServer
from tests.web.test_browser import log_in, scan

pytestmark = pytest.mark.browser

PASSENGER = mrz("MEIER", "KARL", STOLEN_NUMBER, nationality="DEU", birth_date=date(1970, 1, 1))


def test_a_hit_before_landing_is_referred_and_waits_at_the_desk(
    live_server: LiveServer, context: Any, new_context: Any, tmp_path: Path
) -> None:
    app = live_server.app
    now = datetime.now(ZoneInfo("Africa/Nairobi")).replace(tzinfo=None, second=0, microsecond=0)
    passenger = make_traveller(
        surname="MEIER", given_names="KARL", nationality="DEU", birth_date=date(1970, 1, 1),
        sex="F", document_number=STOLEN_NUMBER, document_issuing_state="DEU",
        document_expiry=date(2031, 4, 15),
    )  # fmt: skip
    manifest = tmp_path / "flight.edi"
    manifest.write_text(
        write_paxlst(
            make_flight(arrival_airport="NBO", arrival_time=now), [passenger, make_traveller()]
        )
    )
    build_indexes(app)
    assert app.test_cli_runner().invoke(main, ["paxlst", "load", str(manifest)]).exit_code == 3

    supervisor = log_in(context, live_server, "super1")
    supervisor.get_by_role("link", name="Arrivals").click()
    supervisor.get_by_role("link", name="ZZ123").click()
    assert "interpol-sltd" in supervisor.locator("#manifest").inner_text()
    supervisor.get_by_role("button", name="Refer on arrival MEIER").click()
    assert "Referred to secondary inspection." in supervisor.locator(".flash-ok").inner_text()

    officer = log_in(new_context(), live_server, "officer1")
    scan(officer, PASSENGER)
    shown = officer.locator("#on-manifest").inner_text()
    assert "ZZ123" in shown and "Referred to secondary inspection before arrival" in shown
    assert "Pre-screening hit" in shown
    assert officer.locator('input[name="decision"]:checked').get_attribute("value") == "referred"
    officer.keyboard.press("Control+Enter")
    officer.wait_for_url("**/station?recorded=*")

    # After the flight: the passenger met at the desk is not a no-show; the other one is.
    app.config["PAXLST_NO_SHOW_GRACE_MINUTES"] = 0
    supervisor.get_by_role("link", name="Arrivals", exact=True).click()
    supervisor.get_by_role("link", name="After the flights").click()
    assert supervisor.locator("#count-no-shows").inner_text() == "1"
    no_shows = supervisor.locator("#no-shows").inner_text()
    assert "WILLIAMS, JOHN DONALD" in no_shows and "MEIER" not in no_shows
    assert "ZZ" in supervisor.locator("#carriers").inner_text()
