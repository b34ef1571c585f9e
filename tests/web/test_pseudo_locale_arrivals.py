"""The arrivals pages and the sync page speak the page's language: nothing left in plain English."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask

from tests.web.conftest import Pages, csrf_of
from tests.web.test_arrivals_page import load_flight
from tests.web.test_pseudo_locale_admin import plain_english

pytestmark = pytest.mark.one_backend


@pytest.fixture
def pseudo(pages: Pages, web_app: Flask) -> Iterator[Pages]:
    """Return the page client with the pseudo-locale on."""
    web_app.config["PSEUDO_LOCALE"] = True
    yield pages
    web_app.config["PSEUDO_LOCALE"] = False


def test_the_arrivals_pages_are_marked_for_translation(
    pseudo: Pages, web_app: Flask, tmp_path
) -> None:
    load_flight(web_app, tmp_path)
    web_app.config["PAXLST_NO_SHOW_GRACE_MINUTES"] = 0
    pseudo.login("super1")
    client = pseudo.client
    shown = {"/arrivals": client.get("/arrivals").get_data(as_text=True)}
    flight = re.search(r'href="(/arrivals/\d+)"', shown["/arrivals"])
    assert flight
    page = client.get(flight.group(1)).get_data(as_text=True)
    shown["flight"] = page
    action = re.search(r'action="(/arrivals/\d+/travellers/\d+/refer)"', page)
    assert action
    referred = client.post(
        action.group(1),
        data={"csrf_token": csrf_of(page), "referred": "1"},
        follow_redirects=True,
    )
    shown["flight, referred"] = referred.get_data(as_text=True)
    report = re.search(r'href="([^"]+)" id="report-link"', shown["/arrivals"])
    assert report
    shown["report"] = client.get(report.group(1).replace("&amp;", "&")).get_data(as_text=True)
    travellers = frozenset({"MEIER", "KARL", "WILLIAMS", "JOHN", "DONALD"})  # the manifest's
    left = {
        name: words for name, html in shown.items() if (words := plain_english(html, travellers))
    }
    assert left == {}, left


def test_the_sync_page_is_marked_for_translation(pseudo: Pages) -> None:
    pseudo.login("admin1")
    html = pseudo.client.get("/admin/sync").get_data(as_text=True)
    assert plain_english(html) == []
