"""The dashboard's charts in the pseudo-locale: their series, categories and figures come from
the page in its language, never as the script's English or the API's codes."""

from __future__ import annotations

from typing import Any

import pytest

from midas.languages import pseudo
from tests.web.builders import STOLEN_NUMBER, mrz, record
from tests.web.conftest import LiveServer
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser


def test_the_dashboards_charts_speak_the_pages_language(
    live_server: LiveServer, context: Any
) -> None:
    stolen = mrz("MUSTERMANN", "ERIKA", STOLEN_NUMBER, nationality="DEU")
    record(live_server.app, "officer1", stolen, decision="referred")
    live_server.app.config["PSEUDO_LOCALE"] = True
    supervisor = log_in(context, live_server, "super1")
    supervisor.goto(live_server.url + "/dashboard")
    supervisor.wait_for_selector("#dashboard[data-ready='1']")

    def series(chart: str) -> list[str]:
        return list(
            supervisor.evaluate(f"() => Chart.getChart('{chart}').data.datasets.map(d => d.label)")
        )

    def categories(chart: str) -> list[str]:
        return list(supervisor.evaluate(f"() => Chart.getChart('{chart}').data.labels"))

    assert series("c-time") == [pseudo("entry")]  # a direction, not the code `entry`
    assert series("c-hits") == [pseudo("pending")]
    assert categories("c-nationality") == ["DEU (Germany)"]  # the code and the state's name
    assert series("c-agesex") == [pseudo("female")]
    assert categories("c-chip") == [pseudo("no chip read")]
    hits = supervisor.locator("#kpi-hits").inner_text()
    assert hits == pseudo("%(total)s (%(pending)s pending)") % {"total": 1, "pending": 1}
