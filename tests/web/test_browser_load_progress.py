"""A running watchlist load in a real browser: its progress bar and counts move as it goes."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from midas.list_jobs import LoadJob, process_stamp, save
from tests.web.conftest import LiveServer
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser


def test_the_load_page_follows_a_running_load(live_server: LiveServer, context: Any) -> None:
    job = LoadJob(id=str(uuid.uuid4()), list_name="national-wanted", file_name="wanted.csv")
    job.progress = {
        "stage": "reading",
        "records": 1000,
        "rejected": 2,
        "bytes_read": 10,
        "bytes_total": 100,
    }
    with live_server.app.app_context():
        job.process_started = process_stamp(job.pid)
        save(job)
    admin = log_in(context, live_server, "admin1")
    admin.goto(f"{live_server.url}/admin/watchlists/national-wanted/loads/{job.id}")
    bar = admin.get_by_label("Reading the records")
    assert bar.evaluate("el => el.tagName") == "PROGRESS"
    assert bar.evaluate("el => el.value") == 10

    job.progress = {**job.progress, "records": 5000, "rejected": 7, "bytes_read": 60}
    with live_server.app.app_context():
        save(job)
    # A function, not an expression string: the page's CSP refuses Playwright's eval of a string.
    admin.wait_for_function("() => document.getElementById('load-bar').value === 60")
    assert admin.locator("#load-records").inner_text().replace(",", "") == "5000"
    assert admin.locator("#load-rejected").inner_text() == "7"
    assert "60% of the file" in admin.locator("#load-counts").inner_text()
