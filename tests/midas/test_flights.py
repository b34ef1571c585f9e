"""Advance passenger information at a post: a flight's manifest stored with its hits, and the hit
shown again when that passenger is scanned at the desk."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from midas.cli import main
from midas.persistence.database import database
from midas.persistence.models import AuditEvent, Flight, ManifestTraveller
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
