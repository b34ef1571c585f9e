"""An officer's round in the pseudo-locale, in a real browser: log in, scan, read the result,
decide and record; on every page no visible text is plain English and nothing scrolls sideways
at 1366×768 though every text is 40% longer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.builders import STOLEN_NUMBER, mrz
from tests.web.conftest import PENDING_REQUESTS, VIEWPORT, LiveServer, settled
from tests.web.pseudo_text import english_in
from tests.web.test_pseudo_locale_pages import DATA, DOMAIN_PARTS

pytestmark = pytest.mark.browser

CLEAN = mrz("ERIKSSON", "ANNA MARIA", "L898902C3", nationality="SWE")
STOLEN = mrz("MUSTERMANN", "ERIKA", STOLEN_NUMBER, nationality="DEU")
# The visible text nodes of the page outside data (codes, MRZ lines, key caps, isolated values),
# with the attributes people read.
VISIBLE_TEXTS = """(skipped) => {
  const data = ["script", "style", "kbd", "pre", "bdi", "title", ".mono", ...skipped].join(", ");
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(data) || !parent.checkVisibility()) { continue; }
    if (node.textContent.trim()) { texts.push(node.textContent); }
  }
  for (const el of document.body.querySelectorAll("[aria-label], [placeholder], [alt], [title]")) {
    if (el.closest(data)) { continue; }
    for (const name of ["aria-label", "placeholder", "alt", "title"]) {
      if (el.hasAttribute(name)) { texts.push(el.getAttribute(name)); }
    }
  }
  return texts;
}"""


def check_page(page: Any, allowed: frozenset[str] = DATA) -> None:
    """Assert the page shows no plain English and does not scroll sideways at 1366 pixels."""
    settled(page)
    skipped = [f".{name}" for name in sorted(DOMAIN_PARTS)]
    assert english_in(page.evaluate(VISIBLE_TEXTS, skipped), allowed) == [], page.url
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 1366, f"{page.url} is {width} pixels wide"


def scan(page: Any, lines: str) -> None:
    """Type MRZ lines into the focused scan box as a keyboard-wedge scanner does: line, Enter."""
    assert page.locator("#mrz").evaluate("el => el === document.activeElement")
    for line in lines.splitlines():
        page.keyboard.type(line)
        page.keyboard.press("Enter")
    page.wait_for_url("**/station/scan")


def press_on_another_layout(page: Any, key: str, code: str) -> None:
    """Press Alt with the key at a US position that types another letter (an Arabic layout)."""
    page.evaluate(
        """([key, code]) => document.activeElement.dispatchEvent(new KeyboardEvent("keydown",
             { key: key, code: code, altKey: true, bubbles: true, cancelable: true }))""",
        [key, code],
    )


def test_an_officer_scans_decides_and_records_in_the_pseudo_locale(
    live_server: LiveServer, context: Any
) -> None:
    live_server.app.config["PSEUDO_LOCALE"] = True
    officer = context.new_page()
    officer.goto(live_server.url + "/login")
    check_page(officer)
    officer.locator("#username").fill("officer1")
    officer.locator("#password").fill(live_server.seeded.password)
    with officer.expect_navigation():
        officer.locator("#password").press("Enter")
    assert officer.url.endswith("/station")
    check_page(officer)

    scan(officer, CLEAN)
    assert officer.locator("#screen-clear").is_visible()
    check_page(officer)
    # The shortcuts are keys: Alt and the key where A, R, S sit, whatever the layout types.
    press_on_another_layout(officer, "ق", "KeyR")
    assert officer.locator('input[name="decision"][value="refused"]').is_checked()
    press_on_another_layout(officer, "ش", "KeyA")
    assert officer.locator('input[name="decision"][value="admitted"]').is_checked()
    with officer.expect_navigation():
        officer.keyboard.press("Control+Enter")
    officer.wait_for_url("**/station?recorded=*")
    assert officer.locator(".flash-recorded").inner_text().startswith("⟦")
    check_page(officer)

    scan(officer, STOLEN)
    assert officer.locator("#hit-banner").is_visible()
    check_page(officer)
    officer.keyboard.press("Alt+S")
    assert officer.locator('input[name="decision"][value="referred"]').is_checked()
    with officer.expect_navigation():
        officer.keyboard.press("Control+Enter")
    officer.wait_for_url("**/station?recorded=*")
    check_page(officer)


def test_the_alt_shortcuts_are_keys_on_any_keyboard_layout(
    live_server: LiveServer, context: Any
) -> None:
    officer = context.new_page()
    officer.goto(live_server.url + "/login")
    officer.locator("#username").fill("officer1")
    officer.locator("#password").fill(live_server.seeded.password)
    with officer.expect_navigation():
        officer.locator("#password").press("Enter")
    settled(officer)
    scan(officer, CLEAN)
    # An Arabic layout types "ق" on R and "س" on S; macOS's Option+A types "å".
    for key, code, value in (("ق", "KeyR", "refused"), ("س", "KeyS", "referred"),
                             ("å", "KeyA", "admitted")):  # fmt: skip
        press_on_another_layout(officer, key, code)
        assert officer.locator(f'input[name="decision"][value="{value}"]').is_checked(), key
    # AZERTY's A sits where QWERTY has Q: the key that types "a" is the one meant.
    press_on_another_layout(officer, "r", "KeyR")
    press_on_another_layout(officer, "a", "KeyQ")
    assert officer.locator('input[name="decision"][value="admitted"]').is_checked()


def test_an_arabic_station_keeps_the_mrz_and_codes_left_to_right_and_fits(
    live_server: LiveServer, browser: Any
) -> None:
    live_server.app.config["PSEUDO_LOCALE"] = True  # every text 40% longer, as in the first test
    context = browser.new_context(viewport=VIEWPORT, extra_http_headers={"Accept-Language": "ar"})
    context.set_default_timeout(10_000)
    context.add_init_script(PENDING_REQUESTS)
    try:
        officer = context.new_page()
        officer.goto(live_server.url + "/login")
        assert officer.evaluate("document.documentElement.dir") == "rtl"
        officer.locator("#username").fill("officer1")
        officer.locator("#password").fill(live_server.seeded.password)
        with officer.expect_navigation():
            officer.locator("#password").press("Enter")
        check_page(officer)
        assert direction(officer, "#mrz") == "ltr"
        scan(officer, STOLEN)
        check_page(officer)
        # The MRZ's "<" would be mirrored to ">" and its runs reordered in a right-to-left line.
        for selector in ("#mrz", "#lines-as-read pre", ".identity .mono", "#hit-banner .mono"):
            assert direction(officer, selector) == "ltr", selector
        assert officer.locator("#lines-as-read pre").inner_text().startswith("P<DEUMUSTERMANN")
        officer.goto(live_server.url + "/station/manual")
        check_page(officer)
        for name in ("document_number", "issuing_state", "nationality", "birth_date"):
            assert direction(officer, f"#{name}") == "ltr", name
    finally:
        context.close()


def direction(page: Any, selector: str) -> str:
    """Return the writing direction the browser lays an element out in."""
    found: str = page.locator(selector).first.evaluate("el => getComputedStyle(el).direction")
    return found
