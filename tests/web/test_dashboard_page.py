"""The dashboard says what is wrong with a period once, beside its field, and labels its charts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.builders import STOLEN_NUMBER, mrz, record
from tests.web.conftest import LiveServer, Pages
from tests.web.test_browser import log_in

# The period's form and the charts' labels: the same on either database.
pytestmark = pytest.mark.one_backend


def test_a_reversed_period_is_said_beside_its_field_and_no_chart_asks(pages: Pages) -> None:
    pages.login("super1")
    response = pages.client.get("/dashboard?from=2026-03-10&to=2026-03-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="d-from-error">The first day is after the last day.</p>' in html
    assert 'id="dashboard"' not in html
    assert "Could not load" not in html


def test_a_date_that_is_no_date_is_said_beside_its_field(pages: Pages) -> None:
    pages.login("super1")
    response = pages.client.get("/dashboard?from=2026-03-01&to=March")
    assert response.status_code == 422
    assert 'id="d-to-error">Give the date as YYYY-MM-DD.</p>' in response.get_data(as_text=True)


@pytest.mark.browser
def test_every_chart_of_two_dimensions_has_a_legend(live_server: LiveServer, context: Any) -> None:
    stolen = mrz("MUSTERMANN", "ERIKA", STOLEN_NUMBER, nationality="DEU")
    record(live_server.app, "officer1", stolen, decision="referred")
    supervisor = log_in(context, live_server, "super1")
    supervisor.goto(live_server.url + "/dashboard")
    supervisor.wait_for_selector("#dashboard[data-ready='1']")
    legends = supervisor.evaluate(
        "() => ['c-time', 'c-post', 'c-agesex', 'c-hits'].map(id => {"
        " const chart = Chart.getChart(id);"
        " return [id, !!chart && chart.options.plugins.legend.display]; })"
    )
    assert legends == [["c-time", True], ["c-post", True], ["c-agesex", True], ["c-hits", True]]


@pytest.mark.browser
def test_a_chart_that_cannot_load_says_why(live_server: LiveServer, context: Any) -> None:
    supervisor = log_in(context, live_server, "super1")
    supervisor.route(
        "**/api/v1/statistics?measure=hits*",
        lambda route: route.fulfill(
            status=422,
            content_type="application/json",
            body='{"code": "invalid_input", "message": "the period is too long", "field": "to"}',
        ),
    )
    supervisor.goto(live_server.url + "/dashboard")
    supervisor.wait_for_selector("#dashboard[data-ready='1']")
    said = supervisor.locator("#c-hits").locator("xpath=..").locator(".empty").inner_text()
    assert said == "Could not load these figures: the period is too long."
