"""/api/v1/watchlists: admins see lists and versions and load new versions in the background."""

# ruff: noqa: F401, F811  (pytest fixtures imported from auth_builders)
from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from midas.list_jobs import FOLDER_KEY
from midas.persistence.database import database
from midas.persistence.models import AuditEvent
from tests.midas.auth_builders import ApiClient, app, login_as, station, world

LISTS = "/api/v1/watchlists"
HEADER = "entry_id,name,aliases,birth_date,nationalities,sex\n"
PEOPLE = [f"p{n},Person{n} Listed,,1970-01-01,DEU,M\n" for n in range(3, 60)]
FIRST = HEADER + (
    "p1,Mohamed Al Rashid,Abu Rashid,1975-03-02,IRQ,M\n"
    "p2,Ivan Petrov,,1980-05-01,RUS,M\n"
    "x1,,,1990-01-01,DEU,F\n" + "".join(PEOPLE)  # no name: rejected (one in 60 is within the limit)
)
SECOND = HEADER + (
    "p1,Mohamed Al Rashid,Abu Rashid,1975-03-02,IRQ,M\n"
    "p2,Ivan Petrov,Vanya Petrov,1980-05-01,RUS,M\n"
    "p60,Anna Schmidt,,1985-07-07,DEU,F\n" + "".join(PEOPLE)
)


@pytest.fixture(autouse=True)
def status_folder(app: Flask, tmp_path: Path) -> None:
    app.extensions[FOLDER_KEY] = tmp_path / "loads"


def upload(client: ApiClient, name: str, text: str, **form: str) -> Any:
    data: dict[str, Any] = {"kind": "person", "format": "csv"} | form
    data["file"] = (io.BytesIO(text.encode()), "list.csv")
    return client.post(f"{LISTS}/{name}/loads", data=data, content_type="multipart/form-data")


def finished(client: ApiClient, job: dict[str, Any]) -> dict[str, Any]:
    """Poll a load's status URL until it is no longer running (at most 30 s)."""
    deadline = time.monotonic() + 30
    while True:
        status = client.get(job["status_url"])
        assert status.status_code == 200, status.get_json()
        body: dict[str, Any] = status.get_json()
        if body["state"] != "running" or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def load(client: ApiClient, name: str, text: str, **form: str) -> dict[str, Any]:
    response = upload(client, name, text, **form)
    assert response.status_code == 202, response.get_json()
    return finished(client, response.get_json())


def test_an_admin_loads_a_list_and_sees_its_versions(app, world, login_as):
    admin = login_as("admin")

    first = load(admin, "national-alerts", FIRST)
    assert first["state"] == "done" and first["report"]["ok"], first["report"]
    assert (first["report"]["version"], first["report"]["entry_count"]) == (1, 59)
    [listed] = admin.get(LISTS).get_json()["items"]
    assert (listed["name"], listed["kind"], listed["version_count"]) == (
        "national-alerts",
        "person",
        1,
    )
    assert listed["active_version"]["number"] == 1
    assert listed["active_version"]["rejected_count"] == 1

    second = load(admin, "national-alerts", SECOND)
    assert second["report"]["version"] == 2 and second["report"]["previous_version"] == 1

    shown = admin.get(f"{LISTS}/national-alerts").get_json()
    assert [(v["number"], v["active"]) for v in shown["versions"]] == [(2, True), (1, False)]
    assert shown["active_version"]["entry_count"] == 60
    version = admin.get(f"{LISTS}/national-alerts/versions/2").get_json()
    assert (version["added"], version["changed"], version["removed"]) == (["p60"], ["p2"], [])
    old = admin.get(f"{LISTS}/national-alerts/versions/1").get_json()
    assert [r["location"] for r in old["rejected"]] and "name" in old["rejected"][0]["reason"]
    with database(app).sessions() as session:
        reads = session.scalars(
            select(AuditEvent.object_type).where(AuditEvent.action == "watchlist.read")
        ).all()
        loads = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("watchlist.%"))
        ).all()
    assert sorted(reads) == ["watchlist", "watchlist_version", "watchlist_version"]
    assert loads.count("watchlist.upload") == 2 and loads.count("watchlist.load") == 2


def test_a_failed_load_leaves_the_active_version_active(app, world, login_as):
    admin = login_as("admin")
    load(admin, "alerts", FIRST)

    failed = load(admin, "alerts", "<not a csv list>", format="un_xml")

    assert failed["state"] in ("done", "failed")
    assert failed["state"] == "failed" or not failed["report"]["ok"], failed
    shown = admin.get(f"{LISTS}/alerts").get_json()
    assert shown["active_version"]["number"] == 1


@pytest.mark.parametrize(
    ("name", "form", "field"),
    [
        ("alerts", {"kind": "people"}, "kind"),
        ("alerts", {"format": "pdf"}, "format"),
        (" alerts", {}, "name"),
        ("sltd", {"kind": "person"}, "kind"),  # sltd is a document list
    ],
)
def test_a_load_is_refused_up_front_naming_the_field(app, world, login_as, name, form, field):
    admin = login_as("admin")
    documents = (
        "entry_id,document_number,issuing_state,document_type,status\nd1,C01X00T47,DEU,P,stolen\n"
    )
    assert load(admin, "sltd", documents, kind="document")["report"]["ok"]

    response = upload(admin, name, FIRST, **form)

    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["field"] == field


def test_a_load_without_a_file_names_the_file(app, world, login_as):
    response = login_as("admin").post(
        f"{LISTS}/alerts/loads",
        data={"kind": "person", "format": "csv"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "file"


def test_unknown_lists_versions_and_loads_are_not_found(app, world, login_as):
    admin = login_as("admin")
    assert admin.get(f"{LISTS}/nothing").get_json()["error"]["field"] == "name"
    load(admin, "alerts", FIRST)
    assert admin.get(f"{LISTS}/alerts/versions/9").status_code == 404
    assert admin.get(f"{LISTS}/alerts/loads/not-a-job").status_code == 404


@pytest.mark.parametrize("who", ["officer_a", "supervisor_all"])
def test_only_admins_see_or_load_lists(app, world, login_as, station, who):
    admin = login_as("admin")
    job = upload(admin, "alerts", FIRST).get_json()
    finished(admin, job)
    for client in (login_as(who), station):
        assert client.get(LISTS).status_code == 403
        assert client.get(f"{LISTS}/alerts").status_code == 403
        assert client.get(f"{LISTS}/alerts/versions/1").status_code == 403
        assert client.get(job["status_url"]).status_code == 403
        assert upload(client, "alerts", SECOND).status_code == 403
    assert len(admin.get(f"{LISTS}/alerts").get_json()["versions"]) == 1
