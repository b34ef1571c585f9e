"""After the flights of a day: no-shows, entries on no manifest, and each carrier's data."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from midas.cli import main
from midas.domain.errors import NotFound, PermissionDenied
from midas.domain.flight_reports import ReportSettings, flight_report
from midas.domain.flights import store_manifest
from midas.domain.manifests import read_manifest_file
from midas.persistence.models import AuditEvent, Crossing, Flight, Post
from paxlst.write import write_paxlst
from tests.midas.auth_builders import build_world, log_in
from tests.midas.crossing_builders import (
    NOW,
    load_lists,
    make_world,
    mrz,
    record,
    screener_for,
    tx,
)
from tests.paxlst.builders import make_flight, make_traveller

ZONE = ZoneInfo("Europe/Stockholm")
LOCAL_NOW = NOW.astimezone(ZONE).replace(tzinfo=None)  # 2026-03-10 13:00 in Stockholm
SETTINGS = ReportSettings(grace=timedelta(hours=3), late_before_arrival=timedelta(minutes=30))


@pytest.fixture
def world(session: Session):
    return make_world(session)


@pytest.fixture
def world_api(app):
    return build_world(app)  # posts AAA and BBB, people of every role (tests/midas/auth_builders)


@pytest.fixture
def login_as(app, world_api):
    return lambda username: log_in(app, username)


@pytest.fixture
def screener(app, tmp_path):
    load_lists(app, tmp_path)
    return screener_for(app)


def arrives(session, world, screener, number, arrival, travellers, *, received_before, **more):
    """Store a flight of carrier ZZ at the world's post, first received before its arrival."""
    values = {"departure_time": arrival - timedelta(hours=2)} | more
    flight = make_flight(flight_number=number, arrival_airport="ARN", arrival_time=arrival,
                         **values)  # fmt: skip
    data = write_paxlst(flight, travellers).encode()
    code = session.get(Post, world.post_id).code
    with tx(session):
        for manifest in read_manifest_file(data, "test", date(2026, 3, 10)):
            stored = store_manifest(
                session, "cli:test", manifest, screener.indexes(), screener.config,
                source="t", data=data, post_code=code,
            )  # fmt: skip
        row = session.get(Flight, stored.id)
        row.first_received_at = (arrival - received_before).replace(tzinfo=ZONE)


def holder(**overrides):
    """The traveller of the default MRZ (ERIKSSON, L898902C3, 1974-08-12)."""
    values = dict(surname="ERIKSSON", given_names="ANNA MARIA", nationality="SWE", sex="F",
                  birth_date=date(1974, 8, 12), document_number="L898902C3",
                  document_issuing_state="SWE")  # fmt: skip
    return make_traveller(**(values | overrides))


def enters(session, world, screener, at_local, **mrz_fields):
    moment = at_local.replace(tzinfo=ZONE)
    return record(session, world.station_for(), screener, officer="officer1",
                  mrz=mrz(**mrz_fields), occurred_at=moment).crossing  # fmt: skip


def report(session, world, actor=None, day=date(2026, 3, 10)):
    with tx(session):
        return flight_report(session, actor or world.supervisor, world.post_id, day, SETTINGS,
                             now_utc=NOW)  # fmt: skip


def test_no_shows_and_entries_on_no_manifest_after_the_grace(session, world, screener):
    landed = LOCAL_NOW - timedelta(hours=5)
    on_board = [
        holder(document_number="l898 902-c3"),  # written loosely by the carrier: the same
        make_traveller(surname="ABSENT", document_number="X1234567"),
        make_traveller(role="crew", surname="PILOT", document_number="C7654321", birth_date=None),
    ]
    arrives(session, world, screener, "1", landed, on_board, received_before=timedelta(hours=3))
    arrives(session, world, screener, "2", LOCAL_NOW - timedelta(hours=1),
            [make_traveller(surname="STILLCOMING", document_number="Y1111111")],
            received_before=timedelta(minutes=10))  # fmt: skip
    enters(session, world, screener, landed + timedelta(minutes=40))
    enters(session, world, screener, landed + timedelta(minutes=50), surname="PILOT",
           given_names="ANNA", number="C7654321", birth_date=date(1980, 1, 1))  # fmt: skip
    enters(session, world, screener, landed + timedelta(minutes=45), surname="STRANGER",
           given_names="SAM", number="S9999999", nationality="GBR")  # fmt: skip

    found = report(session, world)

    assert (found.arrived_flights, found.waiting_flights) == (1, 1)
    assert [(m.flight, m.surname) for m in found.missing] == [("ZZ1", "ABSENT")]
    assert found.no_shows == 1  # STILLCOMING's flight is within the grace
    assert [(u.surname, u.nationality) for u in found.unlisted] == [("STRANGER", "GBR")]
    assert found.not_on_manifest == 1
    (zz,) = found.carriers
    assert (zz.carrier, zz.flights, zz.travellers, zz.late_messages) == ("ZZ", 2, 4, 1)
    assert zz.missing["birth_date"] == 1 and zz.missing["nationality"] == 0
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "flight.report"))
    assert event.detail["no_shows"] == 1 and "ABSENT" not in str(event.detail)


def test_an_entry_on_another_post_or_another_birth_date_is_no_show_up(session, world, screener):
    landed = LOCAL_NOW - timedelta(hours=5)
    arrives(session, world, screener, "1", landed, [holder()],
            received_before=timedelta(hours=3))  # fmt: skip
    enters(session, world, screener, landed + timedelta(minutes=30), birth_date=date(1975, 8, 12))
    found = report(session, world)
    assert [m.surname for m in found.missing] == ["ERIKSSON"]
    assert found.not_on_manifest == 1


def test_carrier_data_quality_counts_missing_fields_and_bad_records(session, world, screener):
    text = write_paxlst(
        make_flight(flight_number="7", arrival_airport="ARN", arrival_time=LOCAL_NOW),
        [make_traveller(), make_traveller(surname="SECOND", nationality=None, sex=None)],
    )
    broken = text.replace("DTM+329:720907", "DTM+329:729907", 1).encode()
    (manifest,) = read_manifest_file(broken, "test", date(2026, 3, 10))
    code = session.get(Post, world.post_id).code
    with tx(session):
        store_manifest(session, "cli:test", manifest, screener.indexes(), screener.config,
                       source="t", data=broken, post_code=code)  # fmt: skip
    (zz,) = report(session, world).carriers
    assert (zz.travellers, zz.bad_records) == (2, 1)
    assert dict(zz.missing) == {"birth_date": 1, "nationality": 1, "sex": 1}


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(minutes=st.integers(min_value=-600, max_value=600))
def test_a_message_is_late_exactly_when_it_came_within_the_setting_of_arrival(
    session, world, screener, minutes
):
    with tx(session):
        for flight in session.scalars(select(Flight)):
            session.delete(flight)
    arrives(session, world, screener, "9", LOCAL_NOW, [make_traveller()],
            received_before=timedelta(minutes=minutes))  # fmt: skip
    (zz,) = report(session, world).carriers
    assert zz.late_messages == (minutes < 30)


def test_only_a_supervisor_of_the_post_sees_the_report(session, world, screener):
    for actor in (world.officer, world.admin, world.station):
        with pytest.raises(PermissionDenied):
            report(session, world, actor)
    with pytest.raises(NotFound), tx(session):
        flight_report(session, world.supervisor, world.other_post_id, date(2026, 3, 10),
                      SETTINGS, now_utc=NOW)  # fmt: skip


def test_a_message_after_departure_counts_where_the_departure_time_zone_is_known(
    session, world, screener
):
    helsinki = session.get(Post, world.other_post_id).code  # Europe/Helsinki: UTC+2 in March
    # Departs Helsinki 12:00 local (10:00 UTC), lands 12:30 in Stockholm (11:30 UTC).
    arrival = datetime(2026, 3, 10, 12, 30)
    for number, came in (("1", timedelta(minutes=60)), ("2", timedelta(minutes=45))):
        arrives(session, world, screener, number, arrival, [make_traveller()],
                received_before=came, departure_airport=helsinki,
                departure_time=datetime(2026, 3, 10, 12, 0))  # fmt: skip
    # Received 11:30 and 11:45 Stockholm time: 10:30 and 10:45 UTC, both after 10:00 UTC.
    (zz,) = report(session, world).carriers
    assert (zz.after_departure, zz.late_messages) == (2, 0)
    arrives(session, world, screener, "3", arrival, [make_traveller()],
            received_before=timedelta(hours=3), departure_airport="SYD")  # fmt: skip
    (zz,) = report(session, world).carriers
    assert (zz.flights, zz.after_departure) == (3, 2)  # Sydney's time is unknown: not counted


def test_the_report_through_the_api(app, world_api, login_as, tmp_path):
    load_lists(app, tmp_path)
    arrival = datetime.now(ZoneInfo("Europe/Vienna")).replace(tzinfo=None, second=0, microsecond=0)
    data = write_paxlst(
        make_flight(arrival_airport="AAA", arrival_time=arrival - timedelta(hours=4)),
        [make_traveller(), make_traveller(surname="OTHER", nationality=None)],
    )
    path = tmp_path / "f.edi"
    path.write_text(data)
    assert app.test_cli_runner().invoke(main, ["paxlst", "load", str(path)]).exit_code == 0
    day = (arrival - timedelta(hours=4)).date()
    url = f"/api/v1/flights/report?post_id={world_api.post_a}&day={day.isoformat()}"
    answer = login_as("supervisor_a").get(url)
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert (body["arrived_flights"], body["no_shows"]) == (1, 2)
    assert sorted(m["surname"] for m in body["missing"]) == ["OTHER", "WILLIAMS"]
    assert body["carriers"] == [{
        "carrier": "ZZ", "flights": 1, "travellers": 2, "bad_records": 0,
        "missing": {"nationality": 1}, "late_messages": 1, "after_departure": 0,
    }]  # fmt: skip
    for who in ("officer_a", "admin", "supervisor_all"):
        expected = 200 if who == "supervisor_all" else 403
        assert login_as(who).get(url).status_code == expected, who
    other = f"/api/v1/flights/report?post_id={world_api.post_b}"
    assert login_as("supervisor_a").get(other).status_code == 404


def test_an_entry_matches_by_the_number_as_printed_when_the_reader_repaired_it(
    session, world, screener
):
    landed = LOCAL_NOW - timedelta(hours=5)
    arrives(session, world, screener, "1", landed, [holder(document_number="L898902CB")],
            received_before=timedelta(hours=3))  # fmt: skip
    crossing = enters(session, world, screener, landed + timedelta(minutes=30))
    assert report(session, world).no_shows == 1  # as read, L898902C3 is not on the manifest
    with tx(session):
        row = session.get(Crossing, crossing.id)
        row.reading = dict(row.reading or {}) | {"printed_document_number": "L898902CB"}
    found = report(session, world)
    assert (found.no_shows, found.not_on_manifest) == (0, 0)
