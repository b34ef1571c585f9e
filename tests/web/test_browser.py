"""The pages in a real browser (Debian's chromium via Playwright), one scenario each.

Each test serves a freshly seeded app on 127.0.0.1 (SQLite) and drives it with the keyboard and
mouse the way an officer, a supervisor or an administrator would.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from midas.domain.screening_indexes import app_index_cache
from tests.web.builders import STOLEN_NUMBER, mrz, record, write_csv
from tests.web.conftest import LiveServer, settled

pytestmark = pytest.mark.browser

CLEAN = mrz("ERIKSSON", "ANNA MARIA", "L898902C3", nationality="SWE")


def log_in(context: Any, server: LiveServer, username: str) -> Any:
    """Open a page, log in with the form, and return the page."""
    page = context.new_page()
    page.goto(server.url + "/login")
    # By the fields' ids: their labels follow the page's language.
    page.locator("#username").fill(username)
    page.locator("#password").fill(server.seeded.password)
    with page.expect_navigation():
        page.locator("#password").press("Enter")
    settled(page)
    return page


def scan(page: Any, lines: str) -> None:
    """Type MRZ lines into the focused scan box as a keyboard-wedge scanner does: line, Enter."""
    box = page.get_by_label("Machine-readable zone")
    assert box.evaluate("el => el === document.activeElement"), "focus must wait in the scan box"
    for line in lines.splitlines():
        page.keyboard.type(line)
        page.keyboard.press("Enter")
    page.wait_for_url("**/station/scan")


def test_an_officer_scans_a_clean_passport_admits_and_finds_it_in_the_log(
    live_server: LiveServer, context: Any, new_context: Any
) -> None:
    officer = log_in(context, live_server, "officer1")
    assert officer.url.endswith("/station")
    scan(officer, CLEAN)
    assert officer.locator("#screen-clear").is_visible()
    assert "ERIKSSON, ANNA MARIA" in officer.locator(".traveller-name").inner_text()
    assert "all checks pass" in officer.content()
    assert officer.locator("#record-button").evaluate("el => el === document.activeElement")
    officer.keyboard.press("Enter")  # admit is chosen when there is no hit
    officer.wait_for_url("**/station?recorded=*")
    confirmation = officer.locator(".flash-recorded").inner_text()
    assert "ERIKSSON, ANNA MARIA admitted" in confirmation
    assert officer.get_by_label("Machine-readable zone").evaluate(
        "el => el === document.activeElement"
    )

    supervisor = log_in(new_context(), live_server, "super1")
    supervisor.goto(live_server.url + "/log?name=eriksson")
    row = supervisor.locator("tbody tr").first
    assert "ERIKSSON, ANNA MARIA" in row.inner_text()
    assert "admitted" in row.inner_text()


def test_a_stolen_passport_raises_the_banner_is_referred_and_reaches_the_queue(
    live_server: LiveServer, context: Any, new_context: Any
) -> None:
    officer = log_in(context, live_server, "officer1")
    scan(officer, mrz("MUSTERMANN", "ERIKA", STOLEN_NUMBER, nationality="DEU"))
    banner = officer.locator("#hit-banner")
    assert banner.is_visible()
    text = banner.inner_text()
    assert "WATCHLIST HIT" in text
    assert "interpol-sltd" in text
    assert "SLTD-1" in text
    assert "Action:" in text
    officer.keyboard.press("Alt+S")
    assert officer.locator('input[name="decision"][value="referred"]').is_checked()
    officer.keyboard.press("Control+Enter")
    officer.wait_for_url("**/station?recorded=*")
    assert "referred to secondary inspection" in officer.locator(".flash-recorded").inner_text()
    assert "1 hit sent for review" in officer.locator(".flash-recorded").inner_text()

    supervisor = log_in(new_context(), live_server, "super1")
    supervisor.goto(live_server.url + "/hits")
    row = supervisor.locator("tbody tr").first
    assert "MUSTERMANN, ERIKA" in row.inner_text()
    assert "interpol-sltd" in row.inner_text()
    row.get_by_role("link", name="Review").click()
    supervisor.get_by_label("Confirm: it is the listed person or document").check()
    supervisor.get_by_label("Reason", exact=True).fill("Passport seized; traveller interviewed")
    supervisor.get_by_role("button", name="Save review").click()
    assert "confirmed" in supervisor.locator(".flash-ok").inner_text()


def test_an_officer_records_a_minor_travelling_with_a_parent(
    live_server: LiveServer, context: Any, new_context: Any
) -> None:
    officer = log_in(context, live_server, "officer1")
    scan(officer, mrz("OKAFOR", "CHIDI", "A12345678", nationality="NGA", sex="M"))
    officer.keyboard.press("Enter")
    officer.wait_for_url("**/station?recorded=*")
    child = mrz(
        "OKAFOR", "ADA", "A87654321", nationality="NGA", sex="F", birth_date=date(2016, 5, 1)
    )
    scan(officer, child)
    assert "Minor: under 18" in officer.locator(".minor-flag").inner_text()
    assert officer.get_by_label("Accompanied", exact=True).is_checked()
    companion = officer.get_by_label("Accompanied by")
    assert "OKAFOR, CHIDI" in companion.locator("option:checked").inner_text()
    officer.keyboard.press("Control+Enter")
    officer.wait_for_url("**/station?recorded=*")
    assert "OKAFOR, ADA admitted" in officer.locator(".flash-recorded").inner_text()

    supervisor = log_in(new_context(), live_server, "super1")
    supervisor.goto(live_server.url + "/log?name=okafor+ada")
    supervisor.locator("tbody tr").first.get_by_role("link", name="OKAFOR, ADA").click()
    assert "accompanied (with" in supervisor.locator("table").last.inner_text()


def test_a_minor_without_an_answer_is_stopped_with_the_reason_next_to_the_field(
    live_server: LiveServer, context: Any
) -> None:
    officer = log_in(context, live_server, "officer1")
    scan(officer, mrz("BANDA", "TEMBO", "B1234567", nationality="ZMB", birth_date=date(2012, 1, 9)))
    # The officer clears the suggested answer and records without saying.
    officer.evaluate(
        "document.querySelectorAll('input[name=minor_accompanied]')"
        ".forEach(r => { r.checked = false; })"
    )
    officer.keyboard.press("Control+Enter")
    officer.wait_for_load_state()
    assert "say whether they travel accompanied" in officer.locator("fieldset.minor").inner_text()


def test_a_supervisor_finds_a_misspelt_name_opens_the_history_and_exports_csv(
    live_server: LiveServer, context: Any, tmp_path: Path
) -> None:
    lines = mrz("MOHAMMED", "ABDULLAH", "K7001234", nationality="SOM", sex="M")
    record(live_server.app, "officer1", lines)
    record(live_server.app, "officer1", lines, direction="exit")
    record(live_server.app, "officer1", mrz("ERIKSSON", "ANNA", "L1234567"))
    supervisor = log_in(context, live_server, "super1")
    supervisor.get_by_role("link", name="Movement log").click()
    supervisor.get_by_label("Name (spelling may vary)").fill("Mohamed Abdula")
    # Counting rows does not wait: the search's page must have loaded first.
    with supervisor.expect_navigation():
        supervisor.get_by_role("button", name="Search").click()
    settled(supervisor)
    rows = supervisor.locator("tbody tr")
    assert rows.count() == 2
    assert "MOHAMMED, ABDULLAH" in rows.first.inner_text()
    with supervisor.expect_download() as download:
        supervisor.locator("#export-csv").click()
    exported = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert [row["surname"] for row in exported] == ["MOHAMMED", "MOHAMMED"]
    assert {row["direction"] for row in exported} == {"entry", "exit"}
    rows.first.get_by_role("link", name="MOHAMMED, ABDULLAH").click()
    assert supervisor.locator("h1").inner_text() == "MOHAMMED, ABDULLAH"
    assert "Crossings (2)" in supervisor.content()


def test_an_admin_uploads_a_list_with_bad_lines_and_screening_uses_it_once_indexed(
    live_server: LiveServer, context: Any, new_context: Any, tmp_path: Path
) -> None:
    rows = [["entry_id", "name", "birth_date", "nationalities", "sex", "action"]]
    rows += [[f"W{n}", f"Person Number{n} Listed", "1970", "KEN", "M", ""] for n in range(50)]
    rows.append(["W-BAD-1", "", "1980", "KEN", "M", ""])
    rows.append(["W-BAD-2", "Broken Date", "19X0-13", "KEN", "M", ""])
    rows.append(["W-99", "Viktor Petrenko", "1968-02-14", "UKR", "M", "Arrest; call duty officer"])
    path = write_csv(tmp_path / "national-wanted.csv", rows)

    admin = log_in(context, live_server, "admin1")
    admin.get_by_role("link", name="Watchlists").click()
    admin.get_by_label("List name").fill("national-wanted")
    admin.get_by_label("Kind").select_option("person")
    admin.get_by_label("Format").select_option("csv")
    admin.get_by_label("File").set_input_files(str(path))
    admin.get_by_role("button", name="Upload and load").click()
    report = admin.locator("#load-report")
    report.wait_for()
    assert "Version 1 of national-wanted is now active" in report.inner_text()
    assert admin.locator("#count-entries").inner_text() == "51"
    assert admin.locator("#count-rejected").inner_text() == "2"
    rejected = admin.locator("#rejected-table").inner_text()
    assert "line 52" in rejected and "name" in rejected
    admin.get_by_role("link", name="All versions").click()
    assert "active" in admin.locator("tbody tr").first.inner_text()

    officer = log_in(new_context(), live_server, "officer1")
    # Opening the desk checked the lists and started the new one's build, outside any request.
    assert app_index_cache(live_server.app).wait(timeout=30)
    scan(
        officer,
        mrz(
            "PETRENKO",
            "VIKTOR",
            "FA123456",
            nationality="UKR",
            sex="M",
            birth_date=date(1968, 2, 14),
        ),
    )
    banner = officer.locator("#hit-banner").inner_text()
    assert "national-wanted" in banner
    assert "Arrest; call duty officer" in banner


def test_an_officer_cannot_open_supervisor_or_admin_pages(
    live_server: LiveServer, context: Any
) -> None:
    officer = log_in(context, live_server, "officer1")
    nav = officer.get_by_role("navigation", name="Main").inner_text()
    assert "Movement log" not in nav and "Users" not in nav
    # One login for every page: the refusal depends on the role, not on the page opened before.
    answers = {}
    for path in [
        "/log",
        "/hits",
        "/dashboard",
        "/admin/users",
        "/admin/watchlists",
        "/admin/audit",
    ]:
        response = officer.goto(live_server.url + path)
        said = "This page is not open to you" in officer.locator("h1").inner_text()
        answers[path] = (response.status, said)
    assert {path: answer for path, answer in answers.items() if answer != (403, True)} == {}


@pytest.mark.parametrize(
    "unreadable",
    [
        "P<SWEBROKEN<<LINE",  # one short line: Enter reads it at once
        "\n".join(["<" * 44] * 2),  # the shape of a passport's MRZ with nothing in it
        "\n".join(["<" * 30] * 3),  # the shape of an identity card's
    ],
)
def test_after_an_unreadable_scan_the_next_one_is_read(
    live_server: LiveServer, context: Any, unreadable: str
) -> None:
    officer = log_in(context, live_server, "officer1")
    scan(officer, unreadable)
    box = officer.get_by_label("Machine-readable zone")
    assert officer.locator("#mrz-error").is_visible()
    assert box.input_value() == ""
    shown = officer.locator("#lines-as-read pre").inner_text().splitlines()
    assert shown == [line.strip() for line in unreadable.splitlines()]
    scan(officer, CLEAN)
    assert "ERIKSSON, ANNA MARIA" in officer.locator(".traveller-name").inner_text()
    assert officer.locator("#lines-as-read pre").inner_text().splitlines() == CLEAN.splitlines()
