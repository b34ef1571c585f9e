"""A watchlist load's status is a file per job: any worker on the host can tell how it went."""

from __future__ import annotations

import io
import json
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from flask import Flask

from midas import create_app
from midas.auth import passwords as password_hashing
from midas.list_jobs import FOLDER_KEY, LoadJob, find_job, process_stamp, save
from midas.persistence.database import database
from tests.web.builders import FAST_SETTINGS
from tests.web.conftest import Pages, csrf_of

# A load's status is a file any worker reads, not a row.
pytestmark = pytest.mark.one_backend

# Forty listed persons and one record without a name (rejected, under the 5% limit).
LIST = (
    b"entry_id,name,birth_date,nationalities,sex,action\n"
    + b"".join(f"W{n},Person Number{n} Listed,1970,KEN,M,\n".encode() for n in range(40))
    + b"W-BAD,,1980,KEN,M,\n"
)


def upload(pages: Pages) -> str:
    """Upload a small person list from the watchlists page; return the load page's path."""
    token = csrf_of(pages.client.get("/admin/watchlists").get_data(as_text=True))
    response = pages.client.post(
        "/admin/watchlists",
        data={
            "name": "national-wanted",
            "kind": "person",
            "format": "csv",
            "file": (io.BytesIO(LIST), "wanted.csv"),
            "csrf_token": token,
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    location: str = response.headers["Location"]
    return location


def settled(pages: Pages, path: str) -> dict[str, object]:
    """Poll a load's JSON status until it is no longer running (the load runs in a thread)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        body: dict[str, object] = pages.client.get(path + "?format=json").get_json()
        if body["state"] != "running":
            return body
        time.sleep(0.05)
    raise AssertionError("the load did not finish within a minute")


def test_a_load_reports_its_outcome_from_its_status_file(pages: Pages, web_app: Flask) -> None:
    pages.login("admin1")
    path = upload(pages)
    assert settled(pages, path)["state"] == "done"
    html = pages.client.get(path).get_data(as_text=True)
    assert "Version 1 of national-wanted is now active" in html
    assert 'id="count-entries">40<' in html
    assert 'id="count-rejected">1<' in html
    job_id = path.rsplit("/", 1)[1]
    stored = json.loads((web_app.extensions[FOLDER_KEY] / f"{job_id}.json").read_text())
    assert stored["state"] == "done"
    assert stored["report"]["version"] == 1


def test_another_worker_answers_for_a_load_it_did_not_run(
    pages: Pages, web_app: Flask, database_url: str
) -> None:
    pages.login("admin1")
    path = upload(pages)
    settled(pages, path)
    other = create_app(
        {"TESTING": True, "ENV": "testing", "DATABASE_URL": database_url, **FAST_SETTINGS}
    )
    password_hashing.init_app(other)
    other.extensions[FOLDER_KEY] = web_app.extensions[FOLDER_KEY]
    try:
        worker = Pages(other.test_client(), pages.seeded)
        worker.login("admin1")
        assert worker.client.get(path + "?format=json").get_json()["state"] == "done"
        assert "Version 1 of national-wanted is now active" in worker.client.get(path).get_data(
            as_text=True
        )
    finally:
        database(other).dispose()


def gone_pid() -> int:
    """Return the pid of a process that has exited."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_load_whose_process_died_shows_as_failed(pages: Pages, web_app: Flask) -> None:
    job = LoadJob(id=str(uuid.uuid4()), list_name="national-wanted", file_name="wanted.csv")
    job.pid = gone_pid()
    job.process_started = "12345"
    with web_app.app_context():
        save(job)
    pages.login("admin1")
    path = f"/admin/watchlists/national-wanted/loads/{job.id}"
    body = pages.client.get(path + "?format=json").get_json()
    assert body["state"] == "failed"
    html = pages.client.get(path).get_data(as_text=True)
    assert "The load stopped with an error" in html
    assert "worker process running this load stopped" in html


def test_a_running_load_of_a_live_process_shows_as_running(pages: Pages, web_app: Flask) -> None:
    job = LoadJob(id=str(uuid.uuid4()), list_name="national-wanted", file_name="wanted.csv")
    with web_app.app_context():
        job.process_started = process_stamp(job.pid)
        save(job)
        assert find_job(job.id) is not None
    pages.login("admin1")
    path = f"/admin/watchlists/national-wanted/loads/{job.id}"
    assert pages.client.get(path + "?format=json").get_json()["state"] == "running"
    assert 'id="load-running"' in pages.client.get(path).get_data(as_text=True)


def test_a_job_id_that_is_not_one_names_no_file(pages: Pages, web_app: Flask) -> None:
    folder: Path = web_app.extensions[FOLDER_KEY]
    folder.mkdir(parents=True, exist_ok=True)
    (folder.parent / "secret.json").write_text(json.dumps({"state": "done"}))
    pages.login("admin1")
    body = pages.client.get(
        "/admin/watchlists/national-wanted/loads/..%2Fsecret?format=json"
    ).get_json()
    assert body in (None, {"state": "unknown"})
    assert pages.client.get("/admin/watchlists/x/loads/not-a-job?format=json").get_json() == {
        "state": "unknown"
    }


def test_the_status_file_is_replaced_whole(web_app: Flask) -> None:
    job = LoadJob(id=str(uuid.uuid4()), list_name="l", file_name="f")
    with web_app.app_context():
        save(job)
        job.state = "done"
        save(job)
    folder: Path = web_app.extensions[FOLDER_KEY]
    assert [p.name for p in folder.iterdir()] == [f"{job.id}.json"]
    assert json.loads((folder / f"{job.id}.json").read_text())["state"] == "done"
