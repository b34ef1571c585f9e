"""Loading a watchlist in a real browser: several files chosen at once, a warning for a missing
one, a bad name said beside its field, the removal override ticked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import LiveServer
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser

OFAC_ROW = '{n},"SURNAME{n}, Given",individual,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text)
    return str(path)


def fill(page: Any, name: str, fmt: str, files: list[str]) -> None:
    page.get_by_label("List name").fill(name)
    page.get_by_label("Format").select_option(fmt)
    page.get_by_label("Files").set_input_files(files)


def test_an_administrator_loads_ofac_with_its_files_and_sees_what_is_missing(
    live_server: LiveServer, context: Any, tmp_path: Path
) -> None:
    sdn = write(tmp_path, "sdn.csv", "".join(OFAC_ROW.format(n=n) for n in range(1, 30)))
    alt = write(tmp_path, "alt.csv", '1,10,"aka","OTHER, Name",-0- \n')
    admin = log_in(context, live_server, "admin1")
    admin.goto(f"{live_server.url}/admin/watchlists")

    fill(admin, "Bad Name!", "ofac-csv", [sdn, alt])
    admin.get_by_role("button", name="Upload and load").click()
    error = admin.locator("#name-error")
    error.wait_for()
    assert "cannot be used (capital letters, spaces, '!' not allowed)" in error.inner_text()

    fill(admin, "ofac-sdn", "ofac-csv", [sdn, alt])
    admin.get_by_role("button", name="Upload and load").click()
    admin.locator("#load-report").wait_for(timeout=30_000)

    assert "Version 1 of ofac-sdn is now active" in admin.locator("#load-report").inner_text()
    warnings = admin.locator("#load-warnings").inner_text()
    assert "sdn_comments.csv was not given with sdn.csv" in warnings
    assert "add.csv was not given" in warnings and "alt.csv" not in warnings


def test_a_cut_off_file_is_refused_until_the_override_is_ticked(
    live_server: LiveServer, context: Any, tmp_path: Path
) -> None:
    header = "entry_id,name,birth_date\n"
    rows = [f"W{n},Person Number{n} Listed,1970\n" for n in range(40)]
    full = write(tmp_path, "full.csv", header + "".join(rows))
    cut = write(tmp_path, "cut.csv", header + "".join(rows[:10]))
    admin = log_in(context, live_server, "admin1")
    for path, tick in ((full, False), (cut, False), (cut, True)):
        admin.goto(f"{live_server.url}/admin/watchlists")
        fill(admin, "alerts", "csv", [path])
        if tick:
            admin.get_by_label("Load even if it removes more than 10%").check()
        admin.get_by_role("button", name="Upload and load").click()
        admin.locator("#load-report").wait_for(timeout=30_000)
        report = admin.locator("#load-report").inner_text()
        if path == cut and not tick:
            assert "would remove 30 of the 40 entries of version 1" in report
            assert "W10 (Person Number10 Listed)" in report
            assert admin.locator("#count-changes").count() == 0
    assert "Version 3 of alerts is now active" in report  # version 2 was refused
