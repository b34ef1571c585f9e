"""A running load shows its stage, records read and rejected, and how much of the file is read."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from flask import Flask

from midas import create_app
from midas.auth import passwords as password_hashing
from midas.list_jobs import (
    FOLDER_KEY,
    LoadJob,
    ProgressWriter,
    find_job,
    process_stamp,
    save,
)
from midas.persistence.database import database
from tests.web.builders import FAST_SETTINGS
from tests.web.conftest import Pages
from tests.web.test_load_status import settled, upload
from watchlists.versions import LoadProgress, LoadStage

# Progress is a file any worker reads, not a row.
pytestmark = pytest.mark.one_backend


def running_job(web_app: Flask, progress: dict[str, object] | None) -> LoadJob:
    """Write the status file of a load running in this process, with the given progress."""
    job = LoadJob(id=str(uuid.uuid4()), list_name="national-wanted", file_name="wanted.csv")
    job.progress = progress
    with web_app.app_context():
        job.process_started = process_stamp(job.pid)
        save(job)
    return job


def test_another_worker_shows_the_progress_of_a_running_load(
    pages: Pages, web_app: Flask, database_url: str
) -> None:
    progress = {
        "stage": "reading",
        "records": 12345,
        "rejected": 17,
        "bytes_read": 25_000_000,
        "bytes_total": 100_000_000,
    }
    job = running_job(web_app, progress)
    other = create_app(
        {"TESTING": True, "ENV": "testing", "DATABASE_URL": database_url, **FAST_SETTINGS}
    )
    password_hashing.init_app(other)
    other.extensions[FOLDER_KEY] = web_app.extensions[FOLDER_KEY]
    try:
        worker = Pages(other.test_client(), pages.seeded)
        worker.login("admin1")
        path = f"/admin/watchlists/national-wanted/loads/{job.id}"
        body = worker.client.get(path + "?format=json").get_json()
        assert body["state"] == "running"
        assert body["progress"] == progress
        assert body["percent"] == 25
        html = worker.client.get(path).get_data(as_text=True)
    finally:
        database(other).dispose()
    assert '<label for="load-bar" id="load-stage" role="status">Reading the records</label>' in html
    assert 'id="load-bar" max="100" value="25"' in html
    assert 'id="load-records">12,345<' in html
    assert 'id="load-rejected">17<' in html
    assert "25% of the file" in html
    assert "load.js" in html


def test_a_load_of_unknown_size_shows_a_bar_without_a_value(pages: Pages, web_app: Flask) -> None:
    progress = {
        "stage": "verifying",
        "records": 40,
        "rejected": 0,
        "bytes_read": None,
        "bytes_total": None,
    }
    job = running_job(web_app, progress)
    pages.login("admin1")
    path = f"/admin/watchlists/national-wanted/loads/{job.id}"
    assert pages.client.get(path + "?format=json").get_json()["percent"] is None
    html = pages.client.get(path).get_data(as_text=True)
    assert "Verifying the new version" in html
    assert '<progress id="load-bar" aria-valuetext="working">' in html


def test_a_load_started_from_the_page_leaves_its_last_progress_in_the_file(
    pages: Pages, web_app: Flask
) -> None:
    pages.login("admin1")
    path = upload(pages)
    body = settled(pages, path)
    assert body["state"] == "done"
    assert body["progress"]["stage"] == "done"
    assert (body["progress"]["records"], body["progress"]["rejected"]) == (41, 1)
    assert body["progress"]["bytes_read"] == body["progress"]["bytes_total"] > 0


def test_progress_writes_stage_changes_at_once_and_counts_throttled(web_app: Flask) -> None:
    job = LoadJob(id=str(uuid.uuid4()), list_name="l", file_name="f")
    folder: Path = web_app.extensions[FOLDER_KEY]
    write = ProgressWriter(web_app, job)
    with web_app.app_context():
        write(LoadProgress(LoadStage.READING, 0, 0, 0, 100))
        stored = json.loads((folder / f"{job.id}.json").read_text())
        assert stored["progress"]["stage"] == "reading"
        for records in range(1, 50):
            write(LoadProgress(LoadStage.READING, records * 1000, 0, records, 100))
        # However many calls came, the job holds the latest; the file holds a whole one.
        assert job.progress is not None and job.progress["records"] == 49_000
        stored = json.loads((folder / f"{job.id}.json").read_text())
        assert stored["progress"]["stage"] == "reading"
        write(LoadProgress(LoadStage.VERIFYING, 49_000, 0, 100, 100))
        stored = json.loads((folder / f"{job.id}.json").read_text())
    assert stored["progress"] == {
        "stage": "verifying",
        "records": 49_000,
        "rejected": 0,
        "bytes_read": 100,
        "bytes_total": 100,
    }


def test_a_status_file_with_fields_unknown_here_is_still_read(web_app: Flask) -> None:
    job = running_job(web_app, None)
    path: Path = web_app.extensions[FOLDER_KEY] / f"{job.id}.json"
    stored = json.loads(path.read_text())
    path.write_text(json.dumps({**stored, "written_by_a_later_release": 1}))
    with web_app.app_context():
        found = find_job(job.id)
    assert found is not None and found.running
