"""The hit review queue: scoped to the supervisor's posts; reviewed once, with reasons."""

from __future__ import annotations

from datetime import date

import pytest

from midas.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from midas.domain.reviews import Verdict, list_hits, review_hit
from midas.persistence.models import Decision, HitStatus
from tests.midas.crossing_builders import load_lists, make_world, mrz, record, screener_for, tx

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
    from midas.domain.crossings import correct_crossing
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
            submission(mrz=None, decision=Decision.ADMITTED),
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
