"""The chip at the desk in a real browser: a chip that verifies, one that fails, one that cannot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from midas.domain.trust_store import TrustLoad, store_trust_version
from midas.persistence.database import database
from tests.midas.chip_builders import chip_files, pki
from tests.web.builders import mrz
from tests.web.conftest import LiveServer
from tests.web.test_browser import log_in, scan

pytestmark = pytest.mark.browser

HOLDER = mrz("LINDQVIST", "SARA", "UT4821937", nationality="UTO")
OTHER = mrz("LINDQVIST", "SARA", "UT4821938", nationality="UTO")


def exported(folder: Path, name: str, files: list[bytes]) -> list[str]:
    folder = folder / name
    folder.mkdir()
    paths = []
    for number, blob in enumerate(files):
        path = folder / f"file{number}.bin"
        path.write_bytes(blob)
        paths.append(str(path))
    return paths


def test_the_desk_shows_what_the_chip_says(
    live_server: LiveServer, context: Any, tmp_path: Path
) -> None:
    with database(live_server.app).sessions.begin() as session:
        load = TrustLoad((pki().csca.certificate,), (), (), ({"file": "csca.pem"},))
        store_trust_version(session, "test", "utopia", "pem", load)
    officer = log_in(context, live_server, "officer1")
    chip_label = "Chip files (EF.SOD and data groups, optional)"

    officer.get_by_label(chip_label).set_input_files(
        exported(tmp_path, "good", chip_files(HOLDER.splitlines()))
    )
    officer.get_by_label("Machine-readable zone").focus()
    scan(officer, HOLDER)
    assert "chip verified" in officer.locator("#chip-status").inner_text()
    assert officer.locator("#chip-face img").is_visible()
    assert "equals the printed one" in officer.locator("#chip-match").inner_text()
    officer.keyboard.press("Enter")
    officer.wait_for_url("**/station?recorded=*")
    assert "LINDQVIST, SARA admitted" in officer.locator(".flash-recorded").inner_text()

    officer.get_by_label(chip_label).set_input_files(
        exported(tmp_path, "altered", chip_files(HOLDER.splitlines(), dg1_lines=OTHER.splitlines()))
    )
    officer.get_by_label("Machine-readable zone").focus()
    scan(officer, HOLDER)
    assert "CHIP FAILED" in officer.locator("#chip-status").inner_text()
    assert "document number" in officer.locator("#chip-mismatch").inner_text()
    assert "Passive Authentication" in officer.locator("#concerns").inner_text()
    assert officer.locator('input[name="decision"]:checked').get_attribute("value") == "referred"

    officer.goto(live_server.url + "/station")
    stranger = pki("VV", 20)
    officer.get_by_label(chip_label).set_input_files(
        exported(tmp_path, "unknown", chip_files(HOLDER.splitlines(), stranger))
    )
    officer.get_by_label("Machine-readable zone").focus()
    scan(officer, HOLDER)
    assert "chip not verifiable" in officer.locator("#chip-status").inner_text()
    assert officer.locator('input[name="decision"]:checked').get_attribute("value") == "admitted"
