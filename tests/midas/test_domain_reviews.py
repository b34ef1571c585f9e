"""The hit review queue: scoped to the supervisor's posts; reviewed once, with reasons."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import func, select

from midas.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from midas.domain.reviews import Verdict, list_hits, review_hit
from midas.domain.statistics import StatisticsQuery, crossing_statistics
from midas.persistence.database import database
from midas.persistence.models import AuditEvent, Decision, HitStatus, ScreeningHit
from tests.midas.crossing_builders import load_lists, make_world, mrz, record, screener_for, tx
from tests.midas.test_sqlite_concurrency import run_together

LISTED = mrz("AL RASHID", "MOHAMED", "R1", nationality="IRQ", birth_date=date(1975, 3, 2), sex="M")


@pytest.fixture
def world(session):
    return make_world(session)


@pytest.fixture
def screener(app, tmp_path):
    load_lists(app, tmp_path)
    return screener_for(app)


def test_the_queue_holds_pending_hits_of_the_supervisors_posts(session, world, screener):
    record(session, world.officer, screener, mrz=LISTED, decision=Decision.REFERRED)
    record(session, world.other_officer, screener, mrz=LISTED, decision=Decision.REFERRED)
    with tx(session):
        assert list_hits(session, world.supervisor).total == 1
        assert list_hits(session, world.chief).total == 2
    with pytest.raises(PermissionDenied), tx(session):
        list_hits(session, world.officer)


def test_a_dismissal_is_kept_with_its_reviewer_and_reason(session, world, screener):
    hit_id = (
        record(session, world.officer, screener, mrz=LISTED, decision=Decision.REFERRED)
        .crossing.hits[0]
        .id
    )
    with tx(session):
        hit = review_hit(session, world.supervisor, hit_id, Verdict.DISMISS, "older man")
    assert hit.status is HitStatus.DISMISSED and hit.reviewed_by_id == world.supervisor.user_id
    with pytest.raises(Conflict), tx(session):
        review_hit(session, world.supervisor, hit_id, Verdict.CONFIRM, "changed my mind")


def test_a_review_needs_a_reason_and_the_right_post(session, world, screener):
    hit_id = (
        record(session, world.other_officer, screener, mrz=LISTED, decision=Decision.REFERRED)
        .crossing.hits[0]
        .id
    )
    with pytest.raises(NotFound), tx(session):
        review_hit(session, world.supervisor, hit_id, Verdict.CONFIRM, "match")
    with pytest.raises(InvalidInput), tx(session):
        review_hit(session, world.chief, hit_id, Verdict.CONFIRM, "  ")


def test_confirming_over_an_admission_counts_the_latest_correction(session, world, screener):
    from midas.domain.corrections import correct_crossing
    from tests.midas.crossing_builders import NOW, submission

    crossing = record(
        session, world.officer, screener, mrz=LISTED, decision=Decision.REFERRED
    ).crossing
    hit_id, crossing_id = crossing.hits[0].id, crossing.id
    with tx(session):
        correct_crossing(
            session,
            world.officer,
            crossing_id,
            submission(
                mrz=None, decision=Decision.ADMITTED, override_reason="cleared in secondary"
            ),
            "cleared in secondary",
            screener,
            now=NOW,
        )
    with pytest.raises(Conflict) as caught, tx(session):
        review_hit(session, world.supervisor, hit_id, Verdict.CONFIRM, "match")
    assert caught.value.field == "override_reason"
    with tx(session):
        hit = review_hit(
            session,
            world.supervisor,
            hit_id,
            Verdict.CONFIRM,
            "match",
            override_reason="admitted after secondary; alert passed on",
        )
    assert hit.override_reason.startswith("admitted after secondary")


def test_two_reviewers_of_one_hit_take_turns_and_the_second_is_refused(app, world, screener):

    sessions = database(app).sessions
    with sessions() as session:
        hit_id = (
            record(session, world.officer, screener, mrz=LISTED, decision=Decision.REFERRED)
            .crossing.hits[0]
            .id
        )
    verdicts: list[str] = []

    def reviewer(actor, verdict: Verdict) -> Callable[[], None]:
        def job() -> None:
            with sessions() as session, session.begin():
                review_hit(session, actor, hit_id, verdict, f"{verdict.value} by {actor.user_id}")
                verdicts.append(verdict.value)

        return job

    errors = run_together(
        [reviewer(world.supervisor, Verdict.DISMISS), reviewer(world.chief, Verdict.DISMISS)]
    )

    # Exactly one verdict stands; the other reviewer is told the hit was already reviewed.
    assert len(verdicts) == 1
    assert [type(error) for error in errors] == [Conflict]
    with sessions() as session:
        assert session.get(ScreeningHit, hit_id).status is HitStatus.DISMISSED
        reviews = select(func.count()).where(AuditEvent.action == "hit.dismiss")
        assert session.scalar(reviews) == 1


def test_supervisor_reads_interleave_with_recording_without_failing(app, world, screener):

    sessions = database(app).sessions
    with sessions() as session:
        record(session, world.officer, screener, mrz=LISTED, decision=Decision.REFERRED)

    def writer(n: int) -> Callable[[], None]:
        def job() -> None:
            for i in range(6):
                lines = mrz("PARALLEL", "ANA", f"Q{n}X{i:04d}")
                with sessions() as session:
                    record(session, world.officer, screener, mrz=lines)

        return job

    def supervisor() -> None:
        for _ in range(6):
            # Each reads, then writes its audit event: a read-then-write unit of work.
            with sessions() as session, session.begin():
                list_hits(session, world.chief)
            with sessions() as session, session.begin():
                crossing_statistics(session, world.chief, StatisticsQuery())

    assert run_together([writer(0), writer(1), supervisor]) == []
