"""Station workflows in a real browser: the desk scanner, an image, manual entry, a correction."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.builders import add_desk, mrz
from tests.web.conftest import LiveServer, settled
from tests.web.test_browser import CLEAN, log_in
from tests.web.test_station_images import png

pytestmark = pytest.mark.browser


def test_the_desk_scanner_image_appears_by_itself_and_is_recorded(
    live_server: LiveServer, context: Any, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    live_server.app.config["SCAN_INBOX"] = str(inbox)
    desk = add_desk(live_server.app, live_server.seeded.post_code, "Arrivals 3")
    officer = log_in(context, live_server, "officer1")
    officer.get_by_label("Your desk").select_option(label="Arrivals 3")
    officer.get_by_role("button", name="Use this desk").click()
    officer.wait_for_url("**/station")
    assert "Working at desk Arrivals 3." in officer.locator(".flash-ok").inner_text()

    folder = inbox / str(desk)
    folder.mkdir(parents=True)
    scanned = folder / "scan-0001.png"
    scanned.write_bytes(png(CLEAN))
    then = time.time() - 5  # settled: the scanner has finished writing it
    os.utime(scanned, (then, then))
    # The page's script sees the new file and reads it without a key being pressed.
    officer.wait_for_url("**/station/scanner", timeout=30_000)
    assert "ERIKSSON, ANNA MARIA" in officer.locator(".traveller-name").inner_text()
    assert "Read from the desk scanner" in officer.locator("#image-read").inner_text()
    assert officer.locator("#record-button").evaluate("el => el === document.activeElement")
    officer.keyboard.press("Enter")
    officer.wait_for_url("**/station?recorded=*")
    assert "ERIKSSON, ANNA MARIA admitted" in officer.locator(".flash-recorded").inner_text()
    assert len(list((folder / "done").iterdir())) == 1
    assert not scanned.exists()


def test_an_image_chosen_on_the_page_is_read_at_once(
    live_server: LiveServer, context: Any, tmp_path: Path
) -> None:
    image = tmp_path / "passport.png"
    image.write_bytes(png(CLEAN))
    officer = log_in(context, live_server, "officer1")
    officer.get_by_label("Image of the data page").set_input_files(str(image))
    officer.wait_for_url("**/station/image")
    assert "ERIKSSON, ANNA MARIA" in officer.locator(".traveller-name").inner_text()
    assert "passport.png" in officer.locator("#image-read").inner_text()


def test_an_officer_types_a_document_in_and_records_it(
    live_server: LiveServer, context: Any
) -> None:
    officer = log_in(context, live_server, "officer1")
    officer.get_by_role("link", name="No readable MRZ? Type the document in").click()
    # The page may still be loading after the click: wait for its autofocus.
    expect(officer.get_by_label("Document type")).to_be_focused()
    officer.get_by_label("Document number").fill("K1234567")
    officer.get_by_label("Issuing state (alpha-3)").fill("KEN")
    officer.get_by_label("Surname").fill("Otieno")
    officer.get_by_label("Given names").fill("Brian")
    officer.get_by_label("Nationality (alpha-3)").fill("KEN")
    officer.get_by_label("Date of birth (YYYY-MM-DD)").fill("1985-13-02")
    officer.get_by_label("Date of birth (YYYY-MM-DD)").press("Enter")
    error = officer.locator("#birth_date-error")
    assert "is not a date" in error.inner_text()
    officer.get_by_label("Date of birth (YYYY-MM-DD)").fill("1985-03-02")
    officer.get_by_label("Date of birth (YYYY-MM-DD)").press("Enter")
    assert "entered by hand" in officer.locator("#entered-by-hand").inner_text()
    settled(officer)  # the shortcut is the page script's, which may not have run yet
    officer.keyboard.press("Control+Enter")
    officer.wait_for_url("**/station?recorded=*")
    assert "(document entered by hand)" in officer.locator(".flash-recorded").inner_text()


def test_an_officer_corrects_the_direction_just_recorded(
    live_server: LiveServer, context: Any
) -> None:
    officer = log_in(context, live_server, "officer1")
    box = officer.get_by_label("Machine-readable zone")
    for line in mrz("BANDA", "TEMBO", "B7654321", nationality="ZMB").splitlines():
        box.press_sequentially(line)
        box.press("Enter")
    officer.wait_for_url("**/station/scan")
    officer.keyboard.press("Enter")
    officer.wait_for_url("**/station?recorded=*")
    officer.locator("#correct-last").click()
    officer.get_by_label("Why is it corrected?").fill("Wrong direction: he was leaving")
    officer.get_by_label("Direction").select_option("exit")
    officer.get_by_role("button", name="Record the correction").click()
    officer.wait_for_url("**/station")
    assert "corrected by crossing" in officer.locator(".flash-ok").inner_text()
