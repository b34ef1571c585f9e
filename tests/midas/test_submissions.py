"""One crossing per client_id when requests carrying it run at the same moment (both backends)."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from midas.domain import crossings as crossings_module
from midas.domain.crossings import Recorded, record_crossing
from midas.domain.submissions import once_per_client_id
from midas.persistence.database import database
from midas.persistence.models import AuditEvent, Crossing, Traveller
from tests.midas.crossing_builders import (
    NOW,
    Post1,
    load_lists,
    make_world,
    mrz,
    screener_for,
    submission,
)


@pytest.fixture
def world(session: Session) -> Post1:
    return make_world(session)


def counts(app: Flask) -> dict[str, int]:
    with database(app).sessions() as session:
        actions = session.execute(
            select(AuditEvent.action, func.count())
            .where(AuditEvent.action.like("crossing.%"))
            .group_by(AuditEvent.action)
        ).all()
        return {
            "crossings": session.scalar(select(func.count()).select_from(Crossing)) or 0,
            "travellers": session.scalar(select(func.count()).select_from(Traveller)) or 0,
            **{str(action): int(number) for action, number in actions},
        }


def test_a_submission_that_loses_the_race_for_its_client_id_answers_as_a_retry(
    app: Flask, world: Post1, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_lists(app, tmp_path)
    screener = screener_for(app)
    sessions = database(app).sessions
    actor = world.station_for()
    sent = submission(mrz=mrz(surname="RACER", number="R0000001"))
    with sessions() as session, session.begin():
        first = record_crossing(session, actor, sent, screener, now=NOW).crossing.id
    real_read_desk = crossings_module.read_desk
    looked: list[str] = []

    def blind_once(
        session: Session, actor: Any, officer: str | None, client_id: str, *rest: Any
    ) -> Any:
        # The first look misses the crossing, as a request does that looked just before the
        # other one committed; it goes on, inserts, meets the unique client_id, and runs again.
        looked.append(client_id)
        seen = str(uuid.uuid4()) if len(looked) == 1 else client_id
        return real_read_desk(session, actor, officer, seen, *rest)

    monkeypatch.setattr(crossings_module, "read_desk", blind_once)
    with sessions() as session:
        again = once_per_client_id(
            session, lambda: record_crossing(session, actor, sent, screener, now=NOW)
        )
        assert not again.created and again.crossing.id == first
    assert len(looked) == 2
    # The losing attempt left nothing: no second crossing, traveller or audit event of a record.
    assert counts(app) == {
        "crossings": 1,
        "travellers": 1,
        "crossing.record": 1,
        "crossing.replay": 1,
    }


def test_simultaneous_submissions_of_one_client_id_record_one_crossing(
    app: Flask, world: Post1, tmp_path: Path
) -> None:
    load_lists(app, tmp_path)
    screener = screener_for(app)
    sessions = database(app).sessions
    actor = world.station_for()
    sent = submission(mrz=mrz(surname="TWICE", number="T0000001"))
    senders = 6
    start = threading.Barrier(senders)
    results: list[Recorded] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            start.wait()
            with sessions() as session:
                recorded = once_per_client_id(
                    session, lambda: record_crossing(session, actor, sent, screener, now=NOW)
                )
                results.append(recorded)
        except BaseException as error:  # the test thread must see every failure
            errors.append(error)

    threads = [threading.Thread(target=send) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(r.created for r in results) == [False] * (senders - 1) + [True]
    assert len({r.crossing.id for r in results}) == 1
    assert counts(app) == {
        "crossings": 1,
        "travellers": 1,
        "crossing.record": 1,
        "crossing.replay": senders - 1,
    }
