"""In a real browser: while a new list has no screening index, the desk and a scan say so."""
# ruff: noqa: F811 - the `held` fixture is imported and named as an argument

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from midas.domain.screening_indexes import app_index_cache
from tests.midas.index_builders import HeldBuilds, held  # noqa: F401 - fixture
from tests.web.conftest import LiveServer
from tests.web.test_browser import log_in, scan
from tests.web.test_station_screening_unavailable import PETRENKO, load_wanted

pytestmark = pytest.mark.browser


def test_the_desk_and_a_scan_say_a_new_list_is_not_screened_yet(
    live_server: LiveServer, context: Any, tmp_path: Path, held: HeldBuilds
) -> None:
    load_wanted(live_server.app, tmp_path)
    officer = log_in(context, live_server, "officer1")
    notice = officer.locator(".flash-error").inner_text()
    assert 'Screening against "national-wanted" is not available yet' in notice
    scan(officer, PETRENKO)
    box = officer.get_by_label("Machine-readable zone")
    assert box.get_attribute("aria-describedby") == "mrz-error"
    said = officer.locator("#mrz-error").inner_text()
    assert 'Screening against the list "national-wanted" is not available yet' in said
    assert officer.locator("#decision-form").count() == 0

    held.released.set()
    assert app_index_cache(live_server.app).wait(timeout=30)
    officer.goto(live_server.url + "/station")
    assert officer.locator(".flash-error").count() == 0
    scan(officer, PETRENKO)
    assert "Arrest; call duty officer" in officer.locator("#hit-banner").inner_text()
