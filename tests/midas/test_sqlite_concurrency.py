"""Concurrent units of work: writers queue for the write lock, readers never wait for one.

SQLite cannot turn a transaction that has read into a writer while another connection writes
(SQLITE_BUSY at once, whatever the busy timeout), so a unit of work that writes declares it
first (`begin_writing`: BEGIN IMMEDIATE) and every other one begins deferred. The same tests
run on PostgreSQL, where nothing may fail either.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from midas.auth import Actor
from midas.domain.crossing_history import get_crossing
from midas.domain.crossings import record_crossing
from midas.domain.pseudonyms import Pseudonyms
from midas.domain.search import CrossingQuery, search_crossings
from midas.domain.travellers import traveller_history
from midas.persistence.database import begin_writing, database, reading
from midas.persistence.models import AuditEvent, Crossing
from tests.midas.crossing_builders import (
    NOW,
    Post1,
    load_lists,
    make_world,
    mrz,
    screener_for,
    submission,
)

WRITERS = 4
PER_WRITER = 8


@pytest.fixture
def world(session: Session) -> Post1:
    return make_world(session)


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
        thread.join(timeout=120)
    return errors


def test_concurrent_writers_all_record_their_crossings(
    app: Flask, world: Post1, tmp_path: Path
) -> None:
    load_lists(app, tmp_path)
    screener = screener_for(app)
    sessions = database(app).sessions
    actor = world.station_for()

    def writer(n: int) -> Callable[[], None]:
        def job() -> None:
            for i in range(PER_WRITER):
                lines = mrz(surname=f"WRITER{chr(65 + n)}", number=f"W{n}X{i:05d}")
                with sessions() as session, session.begin():
                    record_crossing(session, actor, submission(mrz=lines), screener, now=NOW)

        return job

    assert run_together([writer(n) for n in range(WRITERS)]) == []
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Crossing)) == WRITERS * PER_WRITER


def test_audited_reads_and_writes_interleave_without_failing(
    app: Flask, world: Post1, tmp_path: Path
) -> None:
    load_lists(app, tmp_path)
    screener = screener_for(app)
    sessions = database(app).sessions
    with sessions() as session, session.begin():
        first = record_crossing(session, world.station_for(), submission(), screener, now=NOW)
        crossing_id, traveller_id = first.crossing.id, first.crossing.traveller_id

    def writer(n: int) -> Callable[[], None]:
        def job() -> None:
            for i in range(PER_WRITER):
                lines = mrz(surname="PARALLEL", number=f"P{n}X{i:05d}", birth_date=date(1980, 1, 1))
                with sessions() as session, session.begin():
                    record_crossing(
                        session, world.station_for(), submission(mrz=lines), screener, now=NOW
                    )

        return job

    def reader(supervisor: Actor) -> Callable[[], None]:
        def job() -> None:
            for _ in range(PER_WRITER):
                # Each reads, then writes its audit event: a read-then-write unit of work.
                with sessions() as session, session.begin():
                    traveller_history(session, supervisor, traveller_id)
                with sessions() as session, session.begin():
                    get_crossing(session, supervisor, crossing_id)
                with sessions() as session, session.begin():
                    query = CrossingQuery(name="PARALLEL")
                    search_crossings(session, supervisor, query, pseudonyms=Pseudonyms(b"k"))

        return job

    jobs = [writer(0), writer(1), reader(world.supervisor), reader(world.chief)]
    assert run_together(jobs) == []
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Crossing)) == 1 + 2 * PER_WRITER
        reads = session.scalar(
            select(func.count()).where(
                AuditEvent.action.in_(["traveller.read", "crossing.read", "crossing.search"])
            )
        )
        assert reads == 2 * 3 * PER_WRITER


def test_a_long_read_does_not_hold_up_a_writer(app: Flask, world: Post1, tmp_path: Path) -> None:
    load_lists(app, tmp_path)
    screener = screener_for(app)
    sessions = database(app).sessions

    def write() -> None:
        with sessions() as session, session.begin():
            record_crossing(session, world.station_for(), submission(), screener, now=NOW)

    with sessions() as reader, reader.begin():
        before = reader.scalar(select(func.count()).select_from(Crossing))
        # While this read transaction stays open, another connection records a crossing.
        assert run_together([write]) == []
        # SQLite keeps the reader's snapshot (WAL); PostgreSQL's READ COMMITTED moves on.
        assert reader.scalar(select(func.count()).select_from(Crossing)) in (before, before + 1)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Crossing)) == before + 1


def test_only_units_of_work_that_write_begin_immediate_on_sqlite(app: Flask, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("BEGIN IMMEDIATE is SQLite's")
    engine = database(app).engine
    begun: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.startswith("BEGIN"):
            begun.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        sessions = database(app).sessions
        with sessions() as session, session.begin():
            session.execute(text("SELECT 1"))
        with sessions() as session, session.begin():
            begin_writing(session)
            session.execute(text("SELECT 1"))
        with reading(sessions) as session:
            session.execute(text("SELECT 1"))
        with sessions() as session, session.begin():
            session.execute(text("SELECT 1"))
            begin_writing(session)  # too late: the transaction already began deferred
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert begun == ["BEGIN", "BEGIN IMMEDIATE", "BEGIN", "BEGIN"]
