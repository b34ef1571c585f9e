"""An officer, a supervisor and an administrator do their work in each language, in chromium.

Each person's browser asks for the language (Accept-Language), as a post's computers would; the
pages answer in it, Arabic right to left, pass the accessibility check and need no horizontal
scrolling at 1366x768, while the MRZ, document numbers and the keyboard shortcuts stay what they
are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from babel.support import Translations

from tests.web.builders import STOLEN_NUMBER, mrz, write_csv
from tests.web.conftest import PENDING_REQUESTS, VIEWPORT, LiveServer, settled
from tests.web.test_accessibility import audit

pytestmark = pytest.mark.browser

CATALOGS = Path(__file__).resolve().parents[2] / "midas" / "translations"
LANGUAGES = ["en", "fr", "es", "pt", "ar"]


def tr(code: str, text: str) -> str:
    """Return a text as the shipped catalog of a language has it."""
    return str(Translations.load(str(CATALOGS), [code]).gettext(text))


def person(browser: Any, server: LiveServer, code: str, username: str) -> Any:
    """Open a browser asking for a language, log in with the form's fields, return the page."""
    context = browser.new_context(viewport=VIEWPORT, locale=code)
    context.set_default_timeout(10_000)
    context.add_init_script(PENDING_REQUESTS)
    page = context.new_page()
    page.goto(server.url + "/login")
    check_page(page, code)
    page.locator("#username").fill(username)
    page.locator("#password").fill(server.seeded.password)
    with page.expect_navigation():
        page.locator("#password").press("Enter")
    settled(page)
    return page


def check_page(page: Any, code: str) -> None:
    """The page is in the language, in its direction, accessible (labels, focus order, WCAG
    contrast) and fits a 1366-pixel station screen."""
    assert audit(page) == [], f"{page.url} in {code}"
    assert page.locator("html").get_attribute("lang") == code
    assert page.locator("html").get_attribute("dir") == ("rtl" if code == "ar" else "ltr")
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= VIEWPORT["width"], f"{page.url} scrolls sideways ({width} px) in {code}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_role_works_in_each_language(
    live_server: LiveServer, browser: Any, tmp_path: Path, code: str
) -> None:
    officer = person(browser, live_server, code, "officer1")
    assert officer.url.endswith("/station")
    check_page(officer, code)
    assert officer.locator("nav.mainnav a[aria-current=page]").inner_text() == tr(code, "Station")
    box = officer.locator("#mrz")
    assert box.evaluate("el => el === document.activeElement")
    for line in mrz("MUSTERMANN", "ERIKA", STOLEN_NUMBER, nationality="DEU").splitlines():
        officer.keyboard.type(line)
        officer.keyboard.press("Enter")
    officer.wait_for_url("**/station/scan")
    check_page(officer, code)
    assert officer.locator("#hit-banner").is_visible()
    # The MRZ's data stays as written, left to right, in every language.
    assert "MUSTERMANN, ERIKA" in officer.locator(".traveller-name").inner_text()
    officer.keyboard.press("Alt+S")
    assert officer.locator('input[name="decision"][value="referred"]').is_checked()
    officer.keyboard.press("Control+Enter")
    officer.wait_for_url("**/station?recorded=*")
    check_page(officer, code)
    assert officer.locator(".flash-recorded").is_visible()

    supervisor = person(browser, live_server, code, "super1")
    for path in ("/dashboard", "/log", "/overstays"):
        supervisor.goto(live_server.url + path)
        check_page(supervisor, code)
    supervisor.goto(live_server.url + "/hits")
    check_page(supervisor, code)
    supervisor.locator("tbody tr").first.locator("a[href*='/hits/']").click()
    check_page(supervisor, code)
    supervisor.locator('input[name="verdict"][value="confirm"]').check()
    supervisor.locator("#reason").fill("Passport seized")
    with supervisor.expect_navigation():
        supervisor.locator("form button[type=submit].primary").click()
    check_page(supervisor, code)
    assert supervisor.locator(".flash-ok").is_visible()

    rows = [["entry_id", "name", "birth_date", "nationalities", "sex", "action"]]
    rows += [["W-1", "Viktor Petrenko", "1968-02-14", "UKR", "M", "Arrest"]]
    path = write_csv(tmp_path / "wanted.csv", rows)
    admin = person(browser, live_server, code, "admin1")
    for page_path in ("/admin/users", "/admin/posts", "/admin/stations", "/admin/audit"):
        admin.goto(live_server.url + page_path)
        check_page(admin, code)
    admin.goto(live_server.url + "/admin/watchlists")
    check_page(admin, code)
    admin.locator("#name").fill("national-wanted")
    admin.locator("#kind").select_option("person")
    admin.locator("#format").select_option("csv")
    admin.locator("#file").set_input_files(str(path))
    admin.locator("#upload-button").click()
    admin.locator("#load-report").wait_for()
    check_page(admin, code)
    assert admin.locator("#count-entries").inner_text() == "1"
