"""Hit reviews and audit events travel from a post to headquarters once each, keeping when they
happened at the post and when headquarters received them.

Headquarters runs on the test's backend (SQLite and PostgreSQL), posts on SQLite files.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from bundles.codec import read_bundle, write_bundle
from bundles.model import Bundle
from midas.domain.actors import user_actor
from midas.domain.errors import InvalidInput
from midas.domain.reviews import Verdict, review_hit
from midas.persistence.models import (
    AuditEvent,
    Decision,
    Direction,
    HitStatus,
    Post,
    Role,
    ScreeningHit,
    SentAuditEvent,
    User,
)
from tests.midas.crossing_builders import NOW, load_lists, make_user, mrz
from tests.midas.sync_builders import Site, acknowledge, export, take
from tests.midas.test_sync import cross

STOLEN = mrz("MEIER", "KARL", "C01X00T47", nationality="DEU", birth_date=date(1970, 1, 1))


def review(site: Site, verdict: Verdict = Verdict.CONFIRM) -> None:
    """Have the post's supervisor review its one hit."""
    with site.sessions()() as session:
        post = session.scalar(select(Post).where(Post.code == site.node.code))
        supervisor = session.scalar(select(User).where(User.username == "sup"))
        if supervisor is None:
            supervisor = make_user(session, "sup", Role.SUPERVISOR, post, supervised=[post])
            session.commit()
        actor = user_actor(supervisor)
        hit_id = session.scalar(select(ScreeningHit.id))
        session.commit()
        with session.begin():
            review_hit(session, actor, hit_id, verdict, "the listed man, by his photograph")


def sent(site: Site, data: bytes) -> Bundle:
    return read_bundle(data, site.node.key().public)


def kinds(bundle: Bundle) -> list[str]:
    return sorted({r.kind for r in bundle.records})


def resent(site: Site, bundle: Bundle, sequence: int, previous: str) -> bytes:
    """Return the bundle's records again as the post's later bundle."""
    return write_bundle(
        site.node.key(), sender=site.node.code, receiver="hq", sequence=sequence,
        previous=previous, created_at=NOW, records=list(bundle.records),
    )  # fmt: skip


def hq_hit(hq: Site) -> ScreeningHit:
    with hq.sessions()() as session:
        hit = session.scalar(select(ScreeningHit))
        assert hit is not None
        session.expunge(hit)
        return hit


def test_a_review_reaches_headquarters_with_its_crossing_or_after_it(hq, posts, tmp_path):
    nbo = posts["NBO"]
    load_lists(nbo.app, tmp_path)
    cross(nbo, Direction.ENTRY, 3, STOLEN, decision=Decision.REFERRED)
    (first,) = export(nbo)
    assert "hit_review" not in kinds(sent(nbo, first))  # not reviewed yet
    assert acknowledge(nbo, take(hq, first).ack) == 1
    assert hq_hit(hq).status is HitStatus.PENDING

    review(nbo)
    (second,) = export(nbo)
    assert kinds(sent(nbo, second)) == ["audit", "hit_review"]
    taken = take(hq, second)
    hit = hq_hit(hq)
    with nbo.sessions()() as session:
        at_post = session.scalar(select(ScreeningHit))
    assert hit.status is HitStatus.CONFIRMED
    assert hit.reviewed_at == at_post.reviewed_at  # when it happened at the post
    assert hit.review_received_at is not None and hit.review_received_at >= hit.reviewed_at
    with hq.sessions()() as session:
        reviewer = session.get(User, hit.reviewed_by_id)
        assert (reviewer.username, reviewer.role, reviewer.active) == (
            "sup@NBO", Role.SUPERVISOR, False
        )  # fmt: skip

    # The same review again, in a later bundle, changes nothing.
    again = resent(nbo, sent(nbo, second), 3, sent(nbo, second).digest)
    assert take(hq, again).stored == 0
    assert hq_hit(hq).review_received_at == hit.review_received_at
    assert taken.stored > 0


def test_a_review_made_before_its_crossing_left_travels_with_it(hq, posts, tmp_path):
    nbo = posts["NBO"]
    load_lists(nbo.app, tmp_path)
    cross(nbo, Direction.ENTRY, 3, STOLEN, decision=Decision.REFERRED)
    review(nbo, Verdict.DISMISS)
    (bundle,) = export(nbo)
    assert kinds(sent(nbo, bundle)) == ["audit", "crossing", "hit_review"]
    take(hq, bundle)
    hit = hq_hit(hq)
    assert hit.status is HitStatus.DISMISSED and hit.reviewed_by_id is not None


def test_audit_events_reach_headquarters_once_keeping_both_times(hq, posts):
    nbo = posts["NBO"]
    cross(nbo, Direction.ENTRY, 10)
    (data,) = export(nbo)
    bundle = sent(nbo, data)
    with nbo.sessions()() as session:
        at_post = {e.action: e for e in session.scalars(select(AuditEvent))}
    assert take(hq, data).stored == 1 + len(at_post)
    with hq.sessions()() as session:
        arrived = session.scalars(select(AuditEvent).where(AuditEvent.origin_id.is_not(None)))
        by_action = {e.action: e for e in arrived}
    assert by_action.keys() == at_post.keys()
    recorded = by_action["crossing.record"]
    assert recorded.actor.endswith("@NBO") and recorded.at == at_post["crossing.record"].at
    assert recorded.received_at is not None and recorded.received_at >= recorded.at
    assert by_action["node.enroll"].actor == "cli:test@NBO"

    # Sent again in a later bundle (a post restored from backup): stored once.
    assert take(hq, resent(nbo, bundle, 2, bundle.digest)).stored == 0
    with hq.sessions()() as session:
        count = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.origin_id.is_not(None))
        )
    assert count == len(at_post)


def test_an_audit_event_committed_after_a_later_one_was_sent_is_still_sent(hq, posts):
    nbo = posts["NBO"]
    cross(nbo, Direction.ENTRY, 10)
    with nbo.sessions().begin() as session:
        first, *_, last = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
        session.add(SentAuditEvent(event_id=last, bundle=99))  # as if sent while `first` was open
    (data,) = export(nbo)
    audited = [r for r in sent(nbo, data).records if r.kind == "audit"]
    assert len(audited) == last - first  # every event but the one marked sent


def test_a_post_reviews_and_audits_for_itself_only(hq, posts, tmp_path):
    nbo = posts["NBO"]
    load_lists(nbo.app, tmp_path)
    cross(nbo, Direction.ENTRY, 3, STOLEN, decision=Decision.REFERRED)
    review(nbo)
    (data,) = export(nbo)
    bundle = sent(nbo, data)
    for kind in ("hit_review", "audit"):
        claimed = [
            replace(r, data=r.data | {"post": "NMG"}) if r.kind == kind else r
            for r in bundle.records
        ]
        forged = write_bundle(
            nbo.node.key(), sender="NBO", receiver="hq", sequence=1, previous="",
            created_at=NOW, records=claimed,
        )  # fmt: skip
        with pytest.raises(InvalidInput, match="a post sends its own records only"):
            take(hq, forged)
    without_crossing = [r for r in bundle.records if r.kind != "crossing"]
    forged = write_bundle(
        nbo.node.key(), sender="NBO", receiver="hq", sequence=1, previous="",
        created_at=NOW, records=without_crossing,
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="names a hit headquarters does not hold"):
        take(hq, forged)
    with hq.sessions()() as session:
        assert session.scalar(select(func.count()).select_from(ScreeningHit)) == 0


def test_a_review_made_first_at_headquarters_stands_and_the_posts_is_kept_in_the_log(
    hq, posts, tmp_path
):
    nbo = posts["NBO"]
    load_lists(nbo.app, tmp_path)
    cross(nbo, Direction.ENTRY, 3, STOLEN, decision=Decision.REFERRED)
    (first,) = export(nbo)
    acknowledge(nbo, take(hq, first).ack)
    with hq.sessions().begin() as session:
        hit = session.scalar(select(ScreeningHit))
        hit.status, hit.reviewed_at = HitStatus.DISMISSED, NOW
    review(nbo, Verdict.CONFIRM)
    (second,) = export(nbo)
    take(hq, second)
    assert hq_hit(hq).status is HitStatus.DISMISSED
    with hq.sessions()() as session:
        kept = session.scalar(
            select(AuditEvent).where(AuditEvent.action == "hit.review_not_applied")
        )
    assert kept is not None and kept.detail["status"] == "confirmed"


def test_no_post_can_take_the_place_of_another_post_s_audit_events(hq, posts):
    """NMG sends records bearing NBO's audit ids first (as its own): NBO's events still arrive."""
    nbo, nmg = posts["NBO"], posts["NMG"]
    cross(nbo, Direction.ENTRY, 10)
    (data,) = export(nbo)
    theirs = [r for r in sent(nbo, data).records if r.kind == "audit"]
    assert theirs
    forged = [replace(r, data={**r.data, "post": "NMG"}) for r in theirs]
    squatting = write_bundle(
        nmg.node.key(), sender="NMG", receiver="hq", sequence=1, previous="",
        created_at=NOW, records=forged,
    )  # fmt: skip
    assert take(hq, squatting).stored == len(forged)
    assert take(hq, data).stored == 1 + len(theirs)
    with hq.sessions()() as session:
        actors = list(session.scalars(select(AuditEvent.actor)))
    assert sum(actor.endswith("@NBO") for actor in actors) == len(theirs)
