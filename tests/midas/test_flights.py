"""Advance passenger information at a post: a flight's manifest stored with its hits, and the hit
shown again when that passenger is scanned at the desk."""

from __future__ import annotations

import io
import time
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from midas.cli import main
from midas.domain.actors import user_actor
from midas.domain.flights import refer_before_arrival
from midas.list_jobs import FOLDER_KEY
from midas.persistence.database import database
from midas.persistence.models import AuditEvent, Flight, ManifestTraveller, User
from paxlst.models import Document
from paxlst.write import write_paxlst
from tests.midas.crossing_builders import load_lists, mrz
from tests.paxlst.builders import make_flight, make_traveller

STOLEN_MRZ = mrz("MEIER", "KARL", "C01X00T47", nationality="DEU", birth_date=date(1970, 1, 1))


@pytest.fixture
def lists(app, tmp_path):
    load_lists(app, tmp_path)  # Mohamed Al Rashid (IRQ, 1975-03-02); DEU passport C01X00T47


def arriving_now(tmp_path, *travellers, **flight):
    now = datetime.now(ZoneInfo("Europe/Vienna")).replace(tzinfo=None, second=0, microsecond=0)
    path = tmp_path / "flight.edi"
    path.write_text(
        write_paxlst(
            make_flight(arrival_airport="AAA", arrival_time=now, **flight), list(travellers)
        )
    )
    return path


def stolen_passenger(**overrides):
    values = dict(
        surname="MEIER", given_names="KARL", nationality="DEU", birth_date=date(1970, 1, 1),
        document_number="C01X00T47", document_issuing_state="DEU", sex="M",
        document_expiry=date(2030, 4, 15),
    )  # fmt: skip
    return make_traveller(**(values | overrides))


def test_a_loaded_flight_is_stored_screened_and_audited(app, world, runner, lists, tmp_path):
    path = arriving_now(tmp_path, stolen_passenger(), make_traveller())
    loaded = runner.invoke(main, ["paxlst", "load", str(path)])
    assert loaded.exit_code == 3, loaded.output  # a hit
    assert "flight ZZ123" in loaded.output and "2 travellers, 1 hits" in loaded.output
    with database(app).sessions() as session:
        (flight,) = session.scalars(select(Flight)).all()
        travellers = session.scalars(select(ManifestTraveller).order_by(ManifestTraveller.id))
        assert [(t.surname, t.hit_count) for t in travellers] == [("MEIER", 1), ("WILLIAMS", 0)]
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "paxlst.load"))
        assert event.detail["hits"] == 1 and "MEIER" not in str(event.detail)
    # The carrier's corrected message replaces the flight's travellers.
    again = runner.invoke(main, ["paxlst", "load", str(arriving_now(tmp_path, make_traveller()))])
    assert again.exit_code == 0, again.output
    with database(app).sessions() as session:
        assert session.scalar(select(Flight.id)) == flight.id
        assert [t.surname for t in session.scalars(select(ManifestTraveller))] == ["WILLIAMS"]


def test_a_flight_for_no_post_is_refused_naming_the_airport(runner, world, lists, tmp_path):
    path = tmp_path / "elsewhere.edi"
    path.write_text(write_paxlst(make_flight(arrival_airport="ZZZ"), [make_traveller()]))
    refused = runner.invoke(main, ["paxlst", "load", str(path)])
    assert refused.exit_code == 1
    assert "no post for arrival airport ZZZ" in refused.stderr


def test_the_desk_finds_the_passenger_on_the_manifest_with_the_hit(
    runner, world, station, login_as, lists, tmp_path
):
    passenger = stolen_passenger(surname="MEIERS")  # the carrier misspelt the name
    assert (
        runner.invoke(main, ["paxlst", "load", str(arriving_now(tmp_path, passenger))]).exit_code
        == 3
    )
    seen = station.post(
        "/api/v1/screenings", json={"mrz": list(STOLEN_MRZ), "officer": "officer_a"}
    ).get_json()
    manifest = seen["manifest"]
    assert manifest["flight"] == "ZZ123" and manifest["differences"] == ["surname"]
    assert [hit["entry_id"] for hit in manifest["hits"]] == ["d1"]
    assert "manifest_differs" in [c["code"] for c in seen["concerns"]]
    other = station.post(
        "/api/v1/screenings", json={"mrz": list(mrz()), "officer": "officer_a"}
    ).get_json()
    assert other["manifest"] is None


def refer_all(app) -> None:
    """Refer every manifest traveller as supervisor_a would, before landing."""
    with database(app).sessions.begin() as session:
        supervisor = session.scalar(select(User).where(User.username == "supervisor_a"))
        actor = user_actor(supervisor)
        for traveller_id in session.scalars(select(ManifestTraveller.id)).all():
            refer_before_arrival(session, actor, traveller_id, True)


def test_a_referral_before_arrival_is_a_rule_at_the_desk_and_outlives_a_new_message(
    app, world, station, runner, lists, tmp_path
):
    holder = make_traveller(
        surname="ERIKSSON", given_names="ANNA MARIA", nationality="SWE",
        birth_date=date(1974, 8, 12), sex="F", document_number="L898902C3",
        document_issuing_state="SWE", document_expiry=date(2030, 4, 15),
    )  # fmt: skip
    assert (
        runner.invoke(main, ["paxlst", "load", str(arriving_now(tmp_path, holder))]).exit_code == 0
    )
    refer_all(app)
    # The carrier sends the manifest again (at wheels-up): the referral stays.
    assert (
        runner.invoke(main, ["paxlst", "load", str(arriving_now(tmp_path, holder))]).exit_code == 0
    )
    seen = station.post(
        "/api/v1/screenings", json={"mrz": list(mrz()), "officer": "officer_a"}
    ).get_json()
    assert seen["manifest"]["referred"] is True and seen["manifest"]["differences"] == []
    assert "referred_before_arrival" in [c["code"] for c in seen["concerns"]]
    assert seen["suggested_decision"] == "referred"
    payload = {"client_id": str(uuid.uuid4()), "direction": "entry", "decision": "admitted",
               "officer": "officer_a", "mrz": list(mrz())}  # fmt: skip
    refused = station.post("/api/v1/crossings", json=payload)
    assert refused.status_code == 409 and refused.get_json()["error"]["field"] == "override_reason"
    admitted = station.post(
        "/api/v1/crossings", json=payload | {"override_reason": "secondary cleared the traveller"}
    )
    assert admitted.status_code == 201, admitted.get_json()


def test_the_carriers_spelling_of_states_and_names_is_no_difference(
    world, station, runner, lists, tmp_path
):
    # As the page prints a hyphenated name: MUELLER<SCHMITT.
    hyphenated = mrz("MUELLER SCHMITT", "ANNA", "C4K8L2M9P", nationality="D",
                     birth_date=date(1980, 5, 6))  # fmt: skip
    carrier = make_traveller(surname="MUELLER-SCHMITT", given_names="ANNA LENA",
                             nationality="D", birth_date=date(1980, 5, 6),
                             document_number="C4K8L2M9P", document_issuing_state="D",
                             document_expiry=date(2030, 4, 15))  # fmt: skip
    assert (
        runner.invoke(main, ["paxlst", "load", str(arriving_now(tmp_path, carrier))]).exit_code == 0
    )
    answer = station.post(
        "/api/v1/screenings", json={"mrz": list(hyphenated), "officer": "officer_a"}
    )
    assert answer.status_code == 200, answer.get_json()
    seen = answer.get_json()
    # The page says ANNA (the MRZ is not cut here, but an MRZ may cut given names): only the
    # carrier's fuller given names would differ, and a cut is allowed for.
    assert seen["manifest"]["differences"] == []


def test_retention_deletes_manifests_after_arrival_but_keeps_hits(
    app, world, runner, lists, tmp_path
):
    long_ago = datetime(2026, 1, 10, 14, 0)
    old = tmp_path / "old.edi"
    old.write_text(write_paxlst(
        make_flight(arrival_airport="AAA", arrival_time=long_ago),
        [stolen_passenger(), make_traveller()],
    ))  # fmt: skip
    quiet = tmp_path / "quiet.edi"
    quiet.write_text(write_paxlst(
        make_flight(arrival_airport="AAA", arrival_time=long_ago, flight_number="456"),
        [make_traveller(surname="QUIET")],
    ))  # fmt: skip
    assert runner.invoke(main, ["paxlst", "load", str(old), str(quiet)]).exit_code == 3
    assert (
        runner.invoke(
            main, ["paxlst", "load", str(arriving_now(tmp_path, make_traveller()))]
        ).exit_code
        == 0
    )
    dry = runner.invoke(main, ["retention", "--dry-run"])
    assert "2 travellers without a hit, 1 flight" in dry.output, dry.output
    done = runner.invoke(main, ["retention"])
    assert done.exit_code == 0, done.output
    with database(app).sessions() as session:
        left = session.execute(
            select(Flight.flight_number, ManifestTraveller.surname)
            .join(ManifestTraveller, ManifestTraveller.flight_id == Flight.id)
            .order_by(Flight.flight_number, ManifestTraveller.surname)
        ).all()
        assert [tuple(row) for row in left] == [("123", "MEIER"), ("123", "WILLIAMS")]
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.manifests"))
        assert event.detail == {"travellers": 2, "flights": 1}


def test_a_list_that_changes_before_landing_screens_the_flight_again(
    app, world, runner, lists, tmp_path
):
    newcomer = make_traveller(surname="KOVAC", given_names="IVAN", nationality="HRV",
                              birth_date=date(1969, 7, 1), sex="M")  # fmt: skip
    assert (
        runner.invoke(main, ["paxlst", "load", str(arriving_now(tmp_path, newcomer))]).exit_code
        == 0
    )
    listed = tmp_path / "alerts-v2.csv"
    listed.write_text(
        "entry_id,name,aliases,birth_date,nationalities,sex\n"
        "p1,Mohamed Al Rashid,Abu Rashid,1975-03-02,IRQ,M\n"
        "p2,Ivan Kovac,,1969-07-01,HRV,M\n"
    )
    loaded = runner.invoke(
        main,
        ["watchlist", "load", "--name", "alerts", "--kind", "person", "--format", "csv",
         "--loaded-by", "tester", str(listed)],
    )  # fmt: skip
    assert loaded.exit_code == 0, loaded.output
    assert "screened again: 1 flight(s), 1 traveller(s), 1 new hit(s)" in loaded.output
    with database(app).sessions() as session:
        (traveller,) = session.scalars(select(ManifestTraveller)).all()
        assert traveller.hit_count == 1 and traveller.hits[0]["entry_id"] == "p2"
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "paxlst.rescreen"))


def test_a_hit_on_a_travellers_other_document_survives_a_list_change(
    app, world, runner, lists, tmp_path
):
    """The stolen passport is the traveller's second document: it hits when the message
    arrives, and again when a list changes before landing (every document is screened)."""
    carrying = make_traveller(
        surname="KOVAC", given_names="IVAN", nationality="HRV", birth_date=date(1969, 7, 1),
        other_documents=(Document(type="P", number="C01X00T47", issuing_state="DEU"),),
    )  # fmt: skip
    path = arriving_now(tmp_path, carrying)
    assert runner.invoke(main, ["paxlst", "load", str(path)]).exit_code == 3

    def entries() -> list[str]:
        with database(app).sessions() as session:
            (traveller,) = session.scalars(select(ManifestTraveller)).all()
            return sorted(hit["entry_id"] for hit in traveller.hits)

    assert entries() == ["d1"]
    listed = tmp_path / "alerts-v2.csv"
    listed.write_text(
        "entry_id,name,aliases,birth_date,nationalities,sex\n"
        "p1,Mohamed Al Rashid,Abu Rashid,1975-03-02,IRQ,M\n"
        "p9,Somebody Else,,1950-01-01,FRA,M\n"
    )
    loaded = runner.invoke(
        main,
        ["watchlist", "load", "--name", "alerts", "--kind", "person", "--format", "csv",
         "--loaded-by", "tester", str(listed)],
    )  # fmt: skip
    assert loaded.exit_code == 0, loaded.output
    assert "screened again: 1 flight(s), 1 traveller(s)" in loaded.output
    assert entries() == ["d1"]


def test_a_list_loaded_through_the_api_screens_the_flights_still_to_land(
    app, world, runner, login_as, lists, tmp_path
):
    app.extensions[FOLDER_KEY] = tmp_path / "loads"
    newcomer = make_traveller(surname="KOVAC", given_names="IVAN", nationality="HRV",
                              birth_date=date(1969, 7, 1), sex="M")  # fmt: skip
    path = arriving_now(tmp_path, newcomer)
    assert runner.invoke(main, ["paxlst", "load", str(path)]).exit_code == 0
    admin = login_as("admin")
    listed = b"entry_id,name,birth_date,nationalities,sex\np9,Ivan Kovac,1969-07-01,HRV,M\n"
    started = admin.post(
        "/api/v1/watchlists/new-alerts/loads",
        data={"kind": "person", "format": "csv", "file": (io.BytesIO(listed), "list.csv")},
        content_type="multipart/form-data",
    )
    assert started.status_code == 202, started.get_json()
    deadline = time.monotonic() + 30
    while (job := admin.get(started.get_json()["status_url"]).get_json())["state"] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert job["report"]["ok"], job
    assert job["rescreened"] == {"flights": 1, "travellers": 1, "new_hits": 1}
    with database(app).sessions() as session:
        (traveller,) = session.scalars(select(ManifestTraveller)).all()
        assert [hit["entry_id"] for hit in traveller.hits] == ["p9"]
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "paxlst.rescreen"))
        assert event.actor == f"user:{world.users['admin']}"
