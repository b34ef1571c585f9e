"""No page scrolls sideways at a 1366x768 station screen, whatever state its forms are in.

Each page is checked as it first renders, with every choice of every form made in turn (a
refusal's reason list appears, a select shows its longest option), and after each of its forms
is sent empty (the errors beside the fields); the page after an error is audited in full.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.builders import STOLEN_NUMBER, mrz, record
from tests.web.conftest import LiveServer, settled
from tests.web.test_accessibility import ADMIN_PAGES, SUPERVISOR_PAGES, audit
from tests.web.test_browser import CLEAN, log_in, scan

pytestmark = pytest.mark.browser

STATES = (Path(__file__).parent / "form_states.js").read_text()
# Forms that take data (a text box, a choice); a form of buttons only (deactivate, log out)
# changes something when sent and has no error state.
DATA_ENTRY = "input:not([type=hidden]):not([type=submit]):not([type=file]), select, textarea"
TEXT_BOXES = (
    "input[type=text], input[type=password], input[type=search], input[type=date], "
    "input[type=number], input:not([type]), textarea"
)
DATA_FORMS = f"""() => Array.from(document.forms).map((form, i) => [i, form])
  .filter(([, form]) => form.querySelector("{DATA_ENTRY}") && !form.closest("nav, header"))
  .map(([i]) => i)"""
EMPTIED_AND_SENT = f"""(i) => {{
  const form = document.forms[i];
  for (const el of form.querySelectorAll("{TEXT_BOXES}")) el.value = "";
  form.submit();
}}"""


def states_of(page: Any) -> list[str]:
    """Return the states of the page's forms in which the page is wider than the screen."""
    settled(page)
    wide: list[str] = page.evaluate(STATES)
    return wide


def errors_of(page: Any, url: str) -> dict[str, list[str]]:
    """Send each data form of the page at `url` empty; return the problems of each answer."""
    page.goto(url)
    found: dict[str, list[str]] = {}
    for index in page.evaluate(DATA_FORMS):
        page.goto(url)
        settled(page)
        with page.expect_navigation():
            page.evaluate(EMPTIED_AND_SENT, index)
        problems = audit(page) + states_of(page)
        if problems:
            found[f"{url} form {index}"] = problems
    return found


def check(page: Any, url: str, *, send: bool = True) -> dict[str, list[str]]:
    """Return what is wrong with the page at `url` in any state of its forms."""
    page.goto(url)
    found: dict[str, list[str]] = {}
    first = states_of(page)
    if first:
        found[url] = first
    if send:
        found |= errors_of(page, url)
    return found


def test_the_station_in_any_state_of_its_forms_fits_the_screen(
    live_server: LiveServer, context: Any
) -> None:
    officer = log_in(context, live_server, "officer1")
    found = check(officer, live_server.url + "/station")
    found |= check(officer, live_server.url + "/station/manual")
    for lines in (CLEAN, mrz("MUSTERMANN", "ERIKA", STOLEN_NUMBER, nationality="DEU")):
        officer.goto(live_server.url + "/station")
        scan(officer, lines)
        wide = states_of(officer)
        if wide:
            found[f"preview of {lines.splitlines()[1][:9]}"] = wide
        officer.goto(live_server.url + "/station")
        scan(officer, lines)
        with officer.expect_navigation():
            officer.evaluate(
                "() => { document.querySelector('input[name=decision][value=refused]').click();"
                " document.getElementById('decision-form').submit(); }"
            )
        problems = audit(officer) + states_of(officer)
        if problems:
            found[f"refusal without a reason of {lines.splitlines()[1][:9]}"] = problems
    assert found == {}


def test_the_correction_page_in_any_state_fits_the_screen(
    live_server: LiveServer, context: Any
) -> None:
    crossing = record(live_server.app, "officer1", CLEAN)
    supervisor = log_in(context, live_server, "super1")
    assert check(supervisor, f"{live_server.url}/crossings/{crossing}/correct") == {}


@pytest.mark.parametrize(
    ("username", "paths"), [("super1", SUPERVISOR_PAGES), ("admin1", ADMIN_PAGES)]
)
def test_desk_pages_in_any_state_of_their_forms_fit_the_screen(
    live_server: LiveServer, context: Any, username: str, paths: list[str]
) -> None:
    stolen = mrz("MUSTERMANN", "ERIKA", STOLEN_NUMBER, nationality="DEU")
    record(live_server.app, "officer1", stolen, decision="referred")
    person = log_in(context, live_server, username)
    found: dict[str, list[str]] = {}
    for path in paths:
        found |= check(person, live_server.url + path)
    assert found == {}
