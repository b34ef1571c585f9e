"""Over HTTP under gunicorn: a station records a crossing once however often it retries, and a
worker killed halfway through a request leaves nothing half-written."""

from __future__ import annotations

import os
import signal
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from midas.persistence.database import database
from midas.persistence.models import Crossing, ScreeningHit, TravelDocument, Traveller
from tests.midas.auth_builders import build_world, make_app
from tests.midas.crossing_builders import load_lists, mrz
from tests.midas.gunicorn_builders import Server

pytestmark = pytest.mark.slow


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[tuple[Server, str, str]]:
    setup = make_app(database_url)
    world = build_world(setup)
    load_lists(setup, tmp_path)
    database(setup).dispose()
    server = Server(database_url, tmp_path / "gunicorn.log")
    try:
        yield server, world.station_token, database_url
    finally:
        server.stop()


def counts(database_url: str) -> dict[str, int]:
    app = make_app(database_url)
    with database(app).sessions() as session:
        found = {
            model.__name__: session.scalar(select(func.count()).select_from(model))
            for model in (Crossing, Traveller, TravelDocument, ScreeningHit)
        }
    database(app).dispose()
    return found


def submission(lines: tuple[str, ...]) -> dict:
    return {
        "client_id": str(uuid.uuid4()),
        "direction": "entry",
        "decision": "referred",
        "officer": "officer_a",
        "mrz": list(lines),
    }


def test_a_station_records_over_http_and_a_retry_finds_one_crossing(served):
    server, token, url = served
    sent = submission(mrz())
    status, first = server.post("/api/v1/crossings", sent, token)
    assert status == 201, first
    status, again = server.post("/api/v1/crossings", sent, token)
    assert status == 200 and again["id"] == first["id"]
    assert counts(url)["Crossing"] == 1


def test_a_worker_killed_halfway_through_a_request_leaves_nothing_written(served, backend):
    if backend == "sqlite":
        pytest.skip(
            "on SQLite a recording takes the write lock before its first statement (BEGIN "
            "IMMEDIATE), so no outside lock can stop it after a write; the in-process failure "
            "tests in test_domain_crossings cover atomicity there"
        )
    server, token, url = served
    listed = mrz(
        "AL RASHID",
        "MOHAMED",
        "C01X00T47",
        nationality="IRQ",
        issuing_state="DEU",
        birth_date=date(1975, 3, 2),
        sex="M",
    )
    # Warm the worker (screening indexes) so the blocked request is the one under test.
    assert (
        server.post("/api/v1/screenings", {"mrz": list(listed), "officer": "officer_a"}, token)[0]
        == 200
    )
    blocker, wait_blocked = _block_writes(backend, url)
    outcome: dict[str, object] = {}

    def send() -> None:
        try:
            outcome["response"] = server.post("/api/v1/crossings", submission(listed), token)
        except (OSError, urllib.error.URLError) as error:
            outcome["error"] = error

    request = threading.Thread(target=send)
    request.start()
    try:
        wait_blocked()
        for pid in server.workers():
            os.kill(pid, signal.SIGKILL)
    finally:
        blocker.rollback()
        blocker.close()
    request.join(timeout=30)
    assert "response" not in outcome, outcome
    assert counts(url) == {"Crossing": 0, "Traveller": 0, "TravelDocument": 0, "ScreeningHit": 0}


def _block_writes(backend: str, url: str):
    """Hold a lock the request will wait on after (PostgreSQL) or at (SQLite) its first write."""
    if backend == "postgresql":
        parsed = make_url(url)
        socket_dir, name = str(parsed.query["host"]), str(parsed.database)
        connection = psycopg.connect(host=socket_dir, user="postgres", dbname=name)
        # Travellers, documents and the crossing are written; the hits then wait for this lock.
        connection.execute("LOCK TABLE screening_hits IN ACCESS EXCLUSIVE MODE")

        def wait_blocked() -> None:
            deadline = time.monotonic() + 20
            with psycopg.connect(host=socket_dir, user="postgres", dbname=name) as probe:
                while time.monotonic() < deadline:
                    waiting = probe.execute(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE datname = %s AND wait_event_type = 'Lock'",
                        (name,),
                    ).fetchone()
                    if waiting and waiting[0]:
                        return
                    time.sleep(0.05)
            raise AssertionError("the request never reached the locked table")

        return connection, wait_blocked
    raise AssertionError(f"no way to hold a request halfway on {backend}")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the log is the same on both
def test_the_access_log_keeps_no_searched_name(served, backend):
    server, token, _ = served
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}/api/v1/crossings?name=ERIKSSON&document_number=L898902C3",
        headers={"Authorization": f"Bearer {token}", "Referer": "http://x/log?name=ERIKSSON"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:  # a station does not search the log
        urllib.request.urlopen(request, timeout=30)
    refused.value.close()
    assert refused.value.code == 403
    server.stop()
    log = server.log.name
    text = Path(log).read_text()
    assert '"GET /api/v1/crossings?name=-&document_number=- HTTP/1.1" 403' in text
    assert '"http://x/log?name=-"' in text
    assert "ERIKSSON" not in text and "L898902C3" not in text


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the start is the same on both
def test_the_master_builds_the_indexes_before_forking_so_the_first_screening_has_hits(
    served, backend
):
    server, token, _ = served
    listed = mrz(
        "AL RASHID",
        "MOHAMED",
        "C01X00T47",
        nationality="IRQ",
        issuing_state="DEU",
        birth_date=date(1975, 3, 2),
        sex="M",
    )
    status, screened = server.post(
        "/api/v1/screenings", {"mrz": list(listed), "officer": "officer_a"}, token
    )
    assert status == 200, screened
    assert {hit["list"] for hit in screened["hits"]} == {"alerts", "sltd"}
    server.stop()
    assert "screening indexes ready before forking: 2" in Path(server.log.name).read_text()
