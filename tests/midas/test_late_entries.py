"""Paper records from an outage: a supervisor enters them late, with a reason; corrections of
any crossing stay within the time its row could have been entered with."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from midas.domain.corrections import correct_crossing
from midas.domain.crossing_rules import LATE_ENTRY_LIMIT, MAX_BACKDATE
from midas.domain.crossings import record_crossing
from midas.domain.errors import InvalidInput, NotFound, PermissionDenied
from midas.domain.late_entries import enter_late_crossing
from midas.persistence.models import AuditEvent, Crossing, Decision
from tests.midas.crossing_builders import (
    NOW,
    load_lists,
    make_world,
    mrz,
    record,
    screener_for,
    submission,
    tx,
)

OUTAGE = "power cut at the post, paper forms 1-20 March"


@pytest.fixture
def world(session: Session):
    return make_world(session)


@pytest.fixture
def screener(app, tmp_path):
    load_lists(app, tmp_path)
    return screener_for(app)


def enter(session, actor, screener, world, reason=OUTAGE, post_id=None, **overrides):
    values = {"officer": "officer1", "occurred_at": NOW - timedelta(days=20)} | overrides
    with tx(session):
        return enter_late_crossing(
            session,
            actor,
            world.post_id if post_id is None else post_id,
            submission(**values),
            reason,
            screener,
            now=NOW,
        )


def test_an_officer_cannot_record_a_crossing_older_than_the_backdate_limit(
    session, world, screener
):
    with pytest.raises(InvalidInput) as raised:
        record(
            session, world.officer, screener, occurred_at=NOW - MAX_BACKDATE - timedelta(hours=1)
        )
    assert raised.value.field == "occurred_at"
    assert "supervisor" in str(raised.value) and "late entry" in str(raised.value)


def test_a_supervisor_enters_a_paper_record_keeping_when_it_happened_and_was_entered(
    session, world, screener
):
    happened = NOW - timedelta(days=20)
    entered = enter(session, world.supervisor, screener, world, occurred_at=happened).crossing
    stored = session.get(Crossing, entered.id)
    assert stored.occurred_at == happened
    assert stored.recorded_at > happened  # entered now, not then
    assert stored.late_entry_reason == OUTAGE
    assert stored.post_id == world.post_id and stored.station_id is None
    assert stored.officer_id == world.officer.user_id  # the officer who decided on paper
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "crossing.late_entry")
    ).one()
    assert event.actor == world.supervisor.label  # the supervisor who entered it
    assert event.detail["reason"] == OUTAGE and event.object_id == str(entered.id)


def test_a_late_entry_is_idempotent_by_client_id(session, world, screener):
    client_id = str(uuid.uuid4())
    first = enter(session, world.supervisor, screener, world, client_id=client_id)
    again = enter(session, world.supervisor, screener, world, client_id=client_id)
    assert first.created and not again.created
    assert again.crossing.id == first.crossing.id


@pytest.mark.parametrize(
    ("who", "error"),
    [("officer", PermissionDenied), ("admin", PermissionDenied), ("station", PermissionDenied)],
)
def test_only_a_supervisor_enters_late(session, world, screener, who, error):
    actor = {"officer": world.officer, "admin": world.admin, "station": world.station}[who]
    with pytest.raises(error):
        enter(session, actor, screener, world)
    assert session.scalars(select(Crossing)).all() == []


def test_a_supervisor_enters_late_only_at_a_post_they_supervise(session, world, screener):
    with pytest.raises(NotFound):
        enter(session, world.supervisor, screener, world, post_id=world.other_post_id)
    with pytest.raises(NotFound):
        enter(session, world.supervisor, screener, world, post_id=999_999)


# Refused before anything is written: the same on either database.
@pytest.mark.one_backend
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "   "}, "reason"),
        ({"reason": "x" * 2001}, "reason"),
        ({"officer": None}, "officer"),
        ({"officer": "super1"}, "officer"),  # a supervisor did not decide at the desk
        ({"officer": "nobody"}, "officer"),
        ({"occurred_at": None}, "occurred_at"),
        ({"occurred_at": NOW + timedelta(hours=1)}, "occurred_at"),
        ({"occurred_at": NOW - LATE_ENTRY_LIMIT - timedelta(days=1)}, "occurred_at"),
        ({"decision": Decision.REFUSED}, "refusal_reason"),  # the rules of any crossing
    ],
)
def test_a_late_entry_says_what_is_wrong(session, world, screener, overrides, field):
    overrides = dict(overrides)  # pop() must not change the parameters themselves
    reason = overrides.pop("reason", OUTAGE)
    with pytest.raises(InvalidInput) as raised:
        enter(session, world.supervisor, screener, world, reason=reason, **overrides)
    assert raised.value.field == field
    assert session.scalars(select(Crossing)).all() == []


def test_a_late_entry_is_screened_and_decided_like_any_crossing(session, world, screener):
    listed = mrz("AL RASHID", "MOHAMED", "N7654321", nationality="IRQ",
                 birth_date=date(1975, 3, 2), sex="M")  # fmt: skip
    entered = enter(
        session, world.supervisor, screener, world, mrz=listed, decision=Decision.REFERRED
    ).crossing
    assert entered.hits and entered.late_entry_reason == OUTAGE


def test_a_correction_of_a_late_entry_keeps_it_one(session, world, screener):
    entered = enter(session, world.supervisor, screener, world).crossing
    with tx(session):
        corrected = correct_crossing(
            session,
            world.supervisor,
            entered.id,
            submission(mrz=None, decision=Decision.REFERRED, occurred_at=None),
            "the paper form said referred",
            screener,
            now=NOW,
        ).crossing
    assert corrected.late_entry_reason == OUTAGE
    assert corrected.occurred_at == entered.occurred_at


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days_back=st.integers(min_value=0, max_value=4000))
def test_a_corrected_time_is_never_earlier_than_the_row_could_have_been_entered(
    session, world, screener, days_back
):
    # Recorded and corrected on the real clock: the bound is from when the row was recorded.
    with tx(session):
        original = record_crossing(
            session, world.officer, submission(occurred_at=None), screener
        ).crossing
    moved = original.recorded_at - timedelta(days=days_back, minutes=1)
    allowed = days_back < MAX_BACKDATE.days
    try:
        with tx(session):
            corrected = correct_crossing(
                session,
                world.supervisor,
                original.id,
                submission(mrz=None, occurred_at=moved),
                "clock error",
                screener,
            ).crossing
    except InvalidInput as error:
        assert not allowed and error.field == "occurred_at"
    else:
        assert allowed and corrected.occurred_at == moved


def test_every_wrong_value_of_a_decision_is_said_at_once(session, world, screener):
    with pytest.raises(InvalidInput) as raised:
        record(
            session,
            world.officer,
            screener,
            decision=Decision.REFUSED,  # no reason code
            transport_mode="horse",
            purpose="x" * 40,
        )
    fields = {problem.field for problem in raised.value.problems}
    assert fields == {"refusal_reason", "transport_mode", "purpose"}
