"""Recording a crossing stays cheap: a bounded number of statements, nothing read back.

The figures in docs/benchmarks.md depend on these counts; a change that adds a lazy load to
the response or a query per request shows here before it shows in the benchmark.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from flask import Flask
from psycopg import _queries as psycopg_queries
from sqlalchemy import Engine, event, func, inspect, select
from sqlalchemy.orm import Session

from midas.domain import travellers
from midas.domain.travellers import Identity, LinkedBy, link_traveller
from midas.persistence import direct
from midas.persistence.database import adopt, database
from midas.persistence.models import Crossing, Decision, TravelDocument, Traveller, User
from midas.persistence.models.travellers import TravellerNameKey
from midas.persistence.traveller_rows import NOTHING_FOUND
from tests.midas.crossing_builders import load_lists, make_world, mrz, record, screener_for

# Statements (BEGIN and COMMIT aside) of one station request recording a listed traveller's new
# document, its token checked a moment ago: the request's transaction, with its hits (23 before
# they were counted, 14 on the ORM path, 10 while the token and the active lists had queries of
# their own). The desk, the token check, the active list versions and the replay check share
# one query (on PostgreSQL the traveller's lookup too); on PostgreSQL the crossing and its audit
# event go in one WITH statement; no backend
# takes a lock for the client_id (its unique constraint and one retry keep it to one crossing).
# One statement more since issue 20: the traveller's entry on the manifests of flights arriving
# at the post, whose referral before landing is a decision rule (it cannot join the desk's
# query on PostgreSQL, which is a few bytes short of psycopg's limit for prepared statements).
STATEMENTS = {"postgresql": 7, "sqlite": 9}
TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "ROLLBACK"}


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_recording_over_the_api_takes_a_bounded_number_of_statements(
    app: Flask, station, tmp_path, backend: str
) -> None:
    load_lists(app, tmp_path)
    body = {
        "client_id": str(uuid.uuid4()),
        "direction": "entry",
        "decision": "referred",
        "officer": "officer_a",
        # Listed in both lists: the hits are stored and shown without being read back.
        "mrz": list(mrz("AL RASHID", "MOHAMED", "C01X00T47", nationality="IRQ",
                        issuing_state="DEU", birth_date=date(1975, 3, 2), sex="M")),
    }  # fmt: skip
    first = station.post("/api/v1/crossings", json=body | {"client_id": str(uuid.uuid4())})
    assert first.status_code == 201, first.get_json()
    with statements(database(app).engine) as seen:
        listed = mrz("AL RASHID", "MOHAMED", "N7654321", nationality="IRQ",
                     birth_date=date(1975, 3, 2), sex="M")  # fmt: skip
        response = station.post("/api/v1/crossings", json=body | {"mrz": list(listed)})
    assert response.status_code == 201, response.get_json()
    shown = response.get_json()
    assert shown["officer"] == "officer_a" and shown["post"]["code"]
    assert shown["traveller"]["surname"] == "AL RASHID" and shown["document"]["number"]
    assert len(shown["hits"]) >= 1
    assert len([s for s in seen if s not in TRANSACTION_CONTROL]) <= STATEMENTS[backend], seen
    replay = station.post(
        "/api/v1/crossings", json=body | {"client_id": first.get_json()["client_id"]}
    )
    assert replay.status_code == 200
    assert len(replay.get_json()["hits"]) == len(first.get_json()["hits"]) >= 2


def test_a_document_stored_by_a_concurrent_request_is_linked_to(
    app: Flask, world, monkeypatch: pytest.MonkeyPatch
) -> None:
    identity = Identity.of(
        surname="RACE", given_names="ANNA", birth_date=None, nationality="SWE", sex="F",
        document_number="R1234567", issuing_state="SWE", document_type="P",
    )  # fmt: skip
    sessions = database(app).sessions
    with sessions() as session, session.begin():
        stored = link_traveller(session, identity)
        stored_id = stored.document.id
    # The second request looked before the first one's document was visible to it.
    real = travellers.find_travellers
    calls: list[int] = []

    def not_yet(connection, wanted):
        calls.append(1)
        return NOTHING_FOUND if len(calls) == 1 else real(connection, wanted)

    monkeypatch.setattr(travellers, "find_travellers", not_yet)
    with sessions() as session, session.begin():
        link = link_traveller(session, identity)
        assert (link.linked_by, link.document.id) == (LinkedBy.DOCUMENT, stored_id)
        assert link.traveller.id == stored.traveller.id and len(calls) == 2
        assert session.scalar(select(func.count()).select_from(TravelDocument)) == 1
        # The traveller made for the document is discarded with its name keys.
        assert session.scalar(select(func.count()).select_from(Traveller)) == 1
        keys = session.scalar(select(func.count()).select_from(TravellerNameKey))
        assert keys == len(travellers.search_keys("RACE ANNA"))


# The benchmark's request: a first-time traveller, no hits (13 statements on the ORM path).
# PostgreSQL reads the desk, the token check, the active list versions and the traveller's
# lookup in one query, and stores the traveller, name keys, document, crossing and audit event
# in one statement (7 while a client_id took an advisory lock, 6 while the token and the active
# lists had queries of their own, 4 while the traveller went in a statement of its own and 3
# while the lookup did); and, since issue 20, looks the traveller up on the flights' manifests.
FIRST_TIME_STATEMENTS = {"postgresql": 3, "sqlite": 8}


def test_a_first_time_traveller_takes_fewer_statements_on_postgresql(
    app: Flask, station, tmp_path, backend: str
) -> None:
    load_lists(app, tmp_path)
    body = {"direction": "entry", "decision": "admitted", "officer": "officer_a"}
    first = body | {"client_id": str(uuid.uuid4()), "mrz": list(mrz("OKAFOR", "CHIDI", "W1"))}
    warm = station.post("/api/v1/crossings", json=first)
    assert warm.status_code == 201, warm.get_json()
    new = body | {"client_id": str(uuid.uuid4()), "mrz": list(mrz("JANSEN", "PIETER", "X7654321"))}
    with statements(database(app).engine) as seen:
        response = station.post("/api/v1/crossings", json=new)
    assert response.status_code == 201, response.get_json()
    shown = response.get_json()
    assert shown["linked_by"] == "new" and shown["hits"] == []
    assert shown["traveller"]["surname"] == "JANSEN" and shown["document"]["number"] == "X7654321"
    counted = [s for s in seen if s not in TRANSACTION_CONTROL]
    assert len(counted) <= FIRST_TIME_STATEMENTS[backend], counted
    with database(app).sessions() as session:
        keys = session.scalars(
            select(TravellerNameKey.key).where(
                TravellerNameKey.traveller_id == shown["traveller_id"]
            )
        ).all()
    assert sorted(keys) == sorted(travellers.search_keys("JANSEN PIETER"))


def test_a_recorded_crossing_is_built_as_an_orm_object_only_when_read_without_a_query(
    app: Flask, session: Session, tmp_path, backend: str
) -> None:
    people = make_world(session)
    load_lists(app, tmp_path)
    listed = mrz("AL RASHID", "MOHAMED", "N7654321", nationality="IRQ",
                 birth_date=date(1975, 3, 2), sex="M")  # fmt: skip
    recorded = record(
        session, people.officer, screener_for(app), mrz=listed, decision=Decision.REFERRED
    )
    stored = recorded.stored
    assert stored is not None and len(stored.hits) >= 1
    # The API answers from `stored`: nothing built the ORM crossing yet, nor the first-time
    # traveller and document it refers to.
    kinds = (Crossing, Traveller, TravelDocument)
    assert [o for o in session.identity_map.values() if isinstance(o, kinds)] == []
    with statements(database(app).engine) as seen:
        crossing = recorded.crossing
        shown = (
            crossing.client_id,
            crossing.post.code,
            crossing.officer.username,
            crossing.traveller.surname,
            crossing.document.number,
            [hit.id for hit in crossing.hits],
        )
    assert seen == []
    assert crossing is recorded.crossing and inspect(crossing).persistent
    assert crossing.id == stored.values["id"] and shown[3] == "AL RASHID"
    assert shown[5] == [hit.id for hit in stored.hits]
    again = session.scalars(select(Crossing).where(Crossing.id == crossing.id)).one()
    assert again is crossing and again.traveller_id == stored.traveller.id
    assert crossing.traveller is session.get(Traveller, again.traveller_id)
    assert crossing.document.traveller is crossing.traveller


def test_an_adopted_row_is_persistent_clean_and_loads_what_was_not_given(app: Flask, world) -> None:
    sessions = database(app).sessions
    officer_id = world.users["officer_a"]
    with sessions() as session, statements(database(app).engine) as seen:
        officer = adopt(session, User, {"id": officer_id, "username": "officer_a"})
        assert inspect(officer).persistent and not session.dirty and seen == []
        assert adopt(session, User, {"id": officer_id, "username": "other"}) is officer
        assert officer.full_name == "Officer_A" and len(seen) >= 1  # loaded when first read
        assert officer.username == "officer_a"
        session.flush()
        assert not [s for s in seen if s in ("INSERT", "UPDATE")]


@contextmanager
def executed(engine: Engine) -> Iterator[list[tuple[str, object]]]:
    seen: list[tuple[str, object]] = []

    def keep(conn: object, cursor: object, statement: str, parameters: object, *rest: object):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", keep)


# psycopg parses a query's placeholders once and caches the result only for queries of at most
# these many bytes and parameters; a longer one is parsed by regular expressions on every
# execution (that cost a first-time crossing 10% more CPU when its statement had 53).
CACHED_LENGTH = psycopg_queries.MAX_CACHED_STATEMENT_LENGTH
CACHED_PARAMETERS = psycopg_queries.MAX_CACHED_STATEMENT_PARAMS


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_every_statement_of_a_recording_stays_within_psycopg_query_cache(
    app: Flask, station, tmp_path, backend: str
) -> None:
    load_lists(app, tmp_path)
    body = {"direction": "entry", "decision": "referred", "officer": "officer_a"}
    readings = [
        mrz("OKAFOR", "CHIDI", "W1"),  # first time
        mrz("OKAFOR", "CHIDI", "W1"),  # by document
        mrz("OKAFOR", "CHIDI", "W2"),  # by identity, a new document
        mrz(
            "AL RASHID",
            "MOHAMED",
            "N7654321",
            nationality="IRQ",
            birth_date=date(1975, 3, 2),
            sex="M",
        ),  # listed: hits
    ]
    linked = []
    with executed(database(app).engine) as seen:
        for lines in readings:
            sent = body | {"client_id": str(uuid.uuid4()), "mrz": list(lines)}
            response = station.post("/api/v1/crossings", json=sent)
            assert response.status_code == 201, response.get_json()
            linked.append((response.get_json()["linked_by"], len(response.get_json()["hits"])))
    assert [how for how, _ in linked] == ["new", "document", "identity", "new"]
    assert linked[-1][1] >= 1
    assert len(seen) >= 8
    for statement, parameters in seen:
        assert len(statement.encode()) <= CACHED_LENGTH, statement[:200]
        count = len(parameters) if isinstance(parameters, dict | list | tuple) else 0
        assert count <= CACHED_PARAMETERS, (count, statement[:200])


def test_the_switch_runs_the_same_statements_through_sqlalchemy(
    app: Flask, station, tmp_path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_lists(app, tmp_path)
    body = {"direction": "entry", "decision": "referred", "officer": "officer_a"}

    def record_three(series: str) -> list[tuple[dict[str, Any], list[str]]]:
        """A first-time traveller (the station's token checked), another, a listed one."""
        answers = []
        for surname, number in (("OKAFOR", "W1"), ("JANSEN", "X765"), ("AL RASHID", "N765")):
            # Given names that differ by series, so no series links to the other's travellers.
            given = {"1": "MOHAMED", "2": "MOHAMMED"}[series]
            lines = mrz(surname, given, number + series, nationality="IRQ",
                        birth_date=date(1975, 3, 2), sex="M")  # fmt: skip
            new = body | {"client_id": str(uuid.uuid4()), "mrz": list(lines)}
            with statements(database(app).engine) as seen:
                response = station.post("/api/v1/crossings", json=new)
            assert response.status_code == 201, response.get_json()
            answers.append((response.get_json(), seen))
        return answers

    on_driver = record_three("1")

    def on_the_driver(self: object, dialect: object) -> None:
        raise AssertionError("a statement ran on the driver with the switch off")

    monkeypatch.setattr(direct.DirectStatement, "compiled", on_the_driver)
    direct.use_driver(False)
    try:
        plain = record_three("2")
    finally:
        direct.use_driver(True)
    # The same statements, the station's token aside (checked once, at the first request).
    assert [seen for _, seen in plain[1:]] == [seen for _, seen in on_driver[1:]]
    for (shown, _), (expected, _) in zip(plain, on_driver, strict=True):
        assert shown["linked_by"] == expected["linked_by"]
        assert len(shown["hits"]) == len(expected["hits"])
        assert shown["traveller"]["surname"] == expected["traveller"]["surname"]
    assert plain[2][0]["hits"]
