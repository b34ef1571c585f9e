"""/api/v1/watchlists: admins see lists and versions and load new versions in the background."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from midas.list_jobs import FOLDER_KEY
from midas.persistence.database import database
from midas.persistence.models import AuditEvent
from tests.midas.auth_builders import ApiClient

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


@pytest.mark.one_backend  # a role's gate: the same on either database
@pytest.mark.parametrize("who", ["officer_a", "supervisor_all"])
def test_only_admins_see_or_load_lists(app, world, login_as, station, who):
    admin = login_as("admin")
    job = upload(admin, "alerts", FIRST).get_json()
    finished(admin, job)
    for other in (login_as(who), station):
        assert other.get(LISTS).status_code == 403
        assert other.get(f"{LISTS}/alerts").status_code == 403
        assert other.get(f"{LISTS}/alerts/versions/1").status_code == 403
        assert other.get(job["status_url"]).status_code == 403
        assert upload(other, "alerts", SECOND).status_code == 403
    assert len(admin.get(f"{LISTS}/alerts").get_json()["versions"]) == 1


# -- loads as people got them wrong (issue 16) -----------------------------------------------

OFAC_ROW = '{n},"SURNAME{n}, Given",individual,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
OFAC = {
    "sdn.csv": "".join(OFAC_ROW.format(n=n) for n in range(1, 30)),
    "alt.csv": '1,10,"aka","OTHER, Name",-0- \n',
    "add.csv": '1,20,-0- ,"Kabul",-0- ,"Afghanistan",-0- \n',
    "sdn_comments.csv": '1,"more remarks"\n',
}


def upload_files(client: ApiClient, name: str, files: dict[str, bytes], **form: str) -> Any:
    data: dict[str, Any] = {"kind": "person", "format": "ofac-csv"} | form
    data["file"] = [(io.BytesIO(content), file_name) for file_name, content in files.items()]
    return client.post(f"{LISTS}/{name}/loads", data=data, content_type="multipart/form-data")


def zipped(files: dict[str, str]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file_name, text in files.items():
            archive.writestr(f"sdn_2024/{file_name}", text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        (["sdn.csv"], ["alt.csv", "sdn_comments.csv", "add.csv"]),
        (["sdn.csv", "alt.csv"], ["sdn_comments.csv", "add.csv"]),
        (["SDN.CSV", "alt.csv", "add.csv", "sdn_comments.csv"], []),
    ],
)
def test_an_ofac_upload_takes_every_file_and_warns_of_each_missing_one(
    app, world, login_as, given, missing
):
    admin = login_as("admin")
    files = {name: OFAC[name.lower()].encode() for name in given}

    response = upload_files(admin, "ofac-sdn", files)

    assert response.status_code == 202, response.get_json()
    report = finished(admin, response.get_json())["report"]
    assert report["ok"] and report["entry_count"] == 29
    assert [w.split()[0] for w in report["warnings"]] == missing
    if "alt.csv" in missing:
        assert "aliases" in report["warnings"][0]


def test_an_ofac_upload_may_be_one_archive_of_its_files(app, world, login_as):
    admin = login_as("admin")

    response = upload_files(admin, "ofac-sdn", {"sdn.zip": zipped(OFAC)})

    report = finished(admin, response.get_json())["report"]
    assert report["ok"] and report["warnings"] == [] and report["source_format"] == "ofac-csv"
    version = admin.get(f"{LISTS}/ofac-sdn/versions/1").get_json()
    assert version["file_name"] == "sdn.csv+alt.csv+add.csv+sdn_comments.csv"


@pytest.mark.parametrize(
    ("files", "said"),
    [
        ({"alt.csv": OFAC["alt.csv"].encode()}, "OFAC SDN CSV needs sdn.csv"),
        ({"sdn.csv": b"x", "notes.txt": b"x"}, "does not read notes.txt"),
        ({"a.csv": b"x", "b.csv": b"x"}, "generic CSV is one file; 2 were given"),
        ({"sdn.zip": b"PK\x03\x04 broken"}, "sdn.zip is not a readable archive"),
    ],
)
def test_an_upload_that_is_not_one_source_of_its_format_is_refused(
    app, world, login_as, files, said
):
    fmt = "csv" if "a.csv" in files else "ofac-csv"
    response = upload_files(login_as("admin"), "ofac-sdn", files, format=fmt)

    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["field"] == "file" and said in error["message"]


@pytest.mark.parametrize("name", ["Bad Name!", "bad name", "ALERTS", "alerts/2"])
def test_a_badly_named_new_list_is_refused_and_nothing_is_kept(app, world, login_as, name):
    admin = login_as("admin")

    response = upload(admin, name, FIRST)

    assert response.status_code in (404, 422), response.get_json()
    if response.status_code == 422:
        error = response.get_json()["error"]
        assert error["field"] == "name" and "cannot be used" in error["message"]
    assert admin.get(LISTS).get_json()["items"] == []


def test_a_failed_first_load_leaves_no_empty_list_and_health_stays_honest(
    app, world, login_as, client
):
    admin = login_as("admin")

    failed = load(admin, "alerts", HEADER + "x1,,,,,\n")

    assert not failed["report"]["ok"] and failed["report"]["version"] is None
    assert admin.get(LISTS).get_json()["items"] == []
    # The detail of health is for supervisors and administrators.
    assert all("alerts" not in w for w in admin.get("/api/v1/health").get_json()["warnings"])


def test_a_list_without_an_active_version_makes_health_degraded(app, world, login_as):
    from midas.domain.lists import SqlListStore
    from watchlists.models import ListKind
    from watchlists.versions import Provenance

    store = SqlListStore(database(app).sessions)
    number = store.begin_version(
        "alerts", ListKind.PERSON, Provenance("csv", "x.csv", "0" * 64, "a", datetime.now(UTC))
    )
    store.discard("alerts", number, "broken")

    body = login_as("admin").get("/api/v1/health").get_json()

    assert body["status"] == "degraded"
    assert "list alerts has no active version: it screens nothing" in " ".join(body["warnings"])


# A UN consolidated list in small (the real one is in tests/watchlists/test_load_guards.py).
UN_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<CONSOLIDATED_LIST dateGenerated="2026-02-27">'
    "<INDIVIDUALS>"
    + "".join(
        f"<INDIVIDUAL><DATAID>{n}</DATAID><REFERENCE_NUMBER>QDi.{n}</REFERENCE_NUMBER>"
        f"<FIRST_NAME>PERSON{n}</FIRST_NAME><SECOND_NAME>LISTED</SECOND_NAME></INDIVIDUAL>"
        for n in range(1, 40)
    )
    + "</INDIVIDUALS></CONSOLIDATED_LIST>\n"
).encode()


def test_the_un_list_given_as_ftm_is_refused_as_xml_with_no_change_counts(app, world, login_as):
    admin = login_as("admin")
    files = {"consolidated.xml": UN_XML}
    first = finished(admin, upload_files(admin, "un-sc", files, format="un-xml").get_json())
    assert first["report"]["ok"], first

    wrong = finished(admin, upload_files(admin, "un-sc", files, format="ftm").get_json())

    report = wrong["report"]
    assert not report["ok"]
    assert (
        "looks like XML (UN Security Council XML), not FollowTheMoney JSON lines"
        in (report["failure"])
    )
    assert "choose the format un-xml" in report["failure"]
    assert (report["added"], report["changed"], report["removed"]) == (None, None, None)
    assert report["rejected_total"] == 0
    assert [v["status"] for v in admin.get(f"{LISTS}/un-sc").get_json()["versions"]] == ["active"]


@pytest.mark.parametrize("spelling", ["un-xml", "un_xml"])
def test_format_names_are_the_command_lines_and_the_old_spelling_still_posts(
    app, world, login_as, spelling
):
    admin = login_as("admin")
    xml = b"<?xml version='1.0'?><CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>"

    response = upload_files(admin, "un-sc", {"un.xml": xml}, format=spelling)

    assert response.status_code == 202, response.get_json()
    assert finished(admin, response.get_json())["report"]["source_format"] == "un-xml"


def test_a_failure_never_shows_the_servers_upload_folder(app, world, login_as):
    admin = login_as("admin")
    cut = OFAC["sdn.csv"] + '99,"CUT OFF'

    report = finished(admin, upload_files(admin, "ofac-sdn", {"sdn.csv": cut.encode()}).get_json())

    failure = report["report"]["failure"]
    assert "sdn.csv" in failure
    assert "midas-upload" not in failure and "/tmp" not in failure and "\\" not in failure


def test_a_cut_off_list_is_refused_unless_removals_are_allowed_which_is_audited(
    app, world, login_as
):
    admin = login_as("admin")
    assert load(admin, "alerts", SECOND)["report"]["ok"]
    cut = HEADER + "".join(PEOPLE[:20])

    refused = load(admin, "alerts", cut)["report"]
    allowed = load(admin, "alerts", cut, allow_removals="true")["report"]

    assert (
        not refused["ok"] and "this file would remove 40 of the 60 entries" in (refused["failure"])
    )
    assert "p1 (Mohamed Al Rashid)" in refused["failure"]
    assert allowed["ok"] and allowed["removed"] == 40
    with app.app_context(), database(app).sessions() as db:
        events = db.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.in_(["watchlist.upload", "watchlist.load"]))
            .order_by(AuditEvent.id)
        ).all()
    flags = [(e.action, e.detail["removals_allowed"]) for e in events][-4:]
    assert flags == [
        ("watchlist.upload", False),
        ("watchlist.load", False),
        ("watchlist.upload", True),
        ("watchlist.load", True),
    ]


def test_a_load_is_refused_with_409_while_another_of_the_list_runs(app, world, login_as):
    from midas.domain.lists import SqlListStore
    from watchlists.models import ListKind
    from watchlists.versions import Provenance

    admin = login_as("admin")
    assert load(admin, "alerts", FIRST)["report"]["ok"]
    SqlListStore(database(app).sessions).begin_version(
        "alerts", ListKind.PERSON, Provenance("csv", "x.csv", "0" * 64, "admin2", datetime.now(UTC))
    )

    response = upload(admin, "alerts", SECOND)

    assert response.status_code == 409, response.get_json()
    assert "is still running" in response.get_json()["error"]["message"]
