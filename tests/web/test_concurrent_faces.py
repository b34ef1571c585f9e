"""Desks, a supervisor and an administrator at once, through the pages and the API.

Each person is a thread with their own client on one app over one database file, as gunicorn's
sync workers share it: every audited read and write must wait its turn for SQLite's write lock
(never answer 500 "database is locked"), and every one of them must be in the log afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from midas.persistence.database import database
from midas.persistence.models import AuditEvent, Crossing
from tests.web.builders import form_values, mrz, record
from tests.web.conftest import Pages, csrf_of

DESKS = 3
ROUNDS = 6


def logged_in(app: Flask, pages: Pages, username: str) -> FlaskClient:
    """Return a client of its own, logged in through the login page."""
    own = Pages(app.test_client(), pages.seeded)
    assert own.login(username).status_code == 302
    return own.client


def run_together(jobs: list[Callable[[], None]]) -> list[BaseException]:
    """Run jobs in threads released at once; return what they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(len(jobs))

    def run(job: Callable[[], None]) -> None:
        try:
            start.wait()
            job()
        except BaseException as exc:  # the test thread must see every failure
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return errors


def ok(response: Any, what: str) -> str:
    assert response.status_code in (200, 302), f"{what}: {response.status_code}"
    text: str = response.get_data(as_text=True)
    return text


def test_desks_supervisor_and_admin_at_once_never_meet_a_locked_database(
    web_app: Flask, pages: Pages
) -> None:
    first = record(web_app, "officer1", mrz("KAMAU", "ESTHER", "K1000000A"))
    desks = [logged_in(web_app, pages, "officer1") for _ in range(DESKS)]
    supervisor = logged_in(web_app, pages, "super1")
    admin = logged_in(web_app, pages, "admin1")

    def desk(n: int) -> Callable[[], None]:
        client = desks[n]

        def job() -> None:
            for i in range(ROUNDS):
                token = csrf_of(ok(client.get("/station"), "desk"))
                lines = mrz("KAMAU", "ESTHER", f"D{n}X{i:05d}")
                scanned = client.post(
                    "/station/scan", data={"mrz": lines, "direction": "entry", "csrf_token": token}
                )
                values = form_values(ok(scanned, "scan"), "decision-form")
                ok(client.post("/station/record", data=values), "record")

        return job

    def supervising() -> None:
        for _ in range(ROUNDS):
            ok(supervisor.get("/log?name=KAMAU"), "log page")
            ok(supervisor.get("/log.csv?name=KAMAU"), "log export")
            ok(supervisor.get(f"/api/v1/crossings/{first}"), "crossing API")
            ok(supervisor.get("/hits"), "hits page")
            ok(supervisor.get("/api/v1/crossings?name=KAMAU"), "crossing search API")
            ok(
                supervisor.get("/api/v1/statistics?measure=crossings&group_by=decision"),
                "statistics API",
            )

    def administering() -> None:
        for _ in range(ROUNDS):
            ok(admin.get("/admin/audit"), "audit page")
            ok(admin.get("/admin/users"), "users page")
            ok(admin.get("/api/v1/audit"), "audit API")

    jobs = [desk(n) for n in range(DESKS)] + [supervising, administering]
    assert run_together(jobs) == []
    with database(web_app).sessions() as db:
        assert db.scalar(select(func.count()).select_from(Crossing)) == 1 + DESKS * ROUNDS
        searches = db.scalar(select(func.count()).where(AuditEvent.action == "crossing.search"))
        assert searches is not None and searches >= 3 * ROUNDS
