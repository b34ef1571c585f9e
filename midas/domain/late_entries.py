"""Late entries: a supervisor enters a paper record of a crossing from an outage.

When a post works on paper for longer than MAX_BACKDATE (a power cut, a broken link), its
crossings cannot be recorded at the desk any more. A supervisor of the post enters each paper
record, naming the officer who decided and saying why it is late. The crossing is decided by
the same rules as any other (`midas.domain.crossing_rules`), screened against the lists as they
are now, and keeps when it happened (`occurred_at`), when it was entered (`recorded_at`) and
why (`late_entry_reason`); the audit event names the supervisor.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.crossing_history import companion_crossing, confirmed_sentence
from midas.domain.crossing_rules import (
    CrossingCase,
    age_at,
    check_late_time,
    decide_crossing,
    stated_reason,
)
from midas.domain.crossings import Recorded, audit_detail, replayed_submission, write_decided
from midas.domain.decisions import Listed
from midas.domain.errors import InvalidInput, NotFound, PermissionDenied
from midas.domain.readings import read_on_post_date
from midas.domain.screening import Screener, screen_reading
from midas.domain.submissions import (
    Submission,
    keyed,
)
from midas.domain.texts import N_
from midas.domain.travellers import link_traveller
from midas.persistence.base import utcnow
from midas.persistence.crossing_rows import confirmed_hits
from midas.persistence.database import begin_writing
from midas.persistence.desk_rows import user_named
from midas.persistence.models import Post, Role, User


def enter_late_crossing(
    session: Session,
    actor: Actor,
    post_id: int,
    submission: Submission,
    reason: str,
    screener: Screener,
    *,
    now: datetime | None = None,
    expiry_horizon_days: int = 90,
) -> Recorded:
    """Enter a paper record of a crossing at a post (a supervisor's), or return the one this
    client_id entered."""
    why = stated_reason(reason, N_("say why the record is entered late (the outage)"))
    client_id, fingerprint = keyed(submission, "late", post_id, why)
    clock = now or utcnow()
    begin_writing(session)
    # Read: a retry's crossing, the post, the officer who decided, the traveller.
    replayed = replayed_submission(session, actor, client_id, fingerprint)
    if replayed is not None:
        return replayed
    if actor.role is not Role.SUPERVISOR:
        raise PermissionDenied(N_("paper records are entered late by a supervisor of the post"))
    post = session.get(Post, post_id)
    if post is None or not actor.may_see_post(post.id):
        raise NotFound(N_("no post %(post_id)s"), params={"post_id": post_id}, field="post_id")
    officer = deciding_officer(session, submission.officer)
    moment = check_late_time(submission.occurred_at, clock)
    reading = read_on_post_date(
        submission.mrz, submission.document, moment, post.timezone, expiry_horizon_days
    )
    screening = screen_reading(screener, reading)
    link = link_traveller(session, reading.identity)
    confirmed = confirmed_hits(
        session,
        traveller_id=link.traveller.id,
        document_id=link.document.id,
        entries={(hit.list_name, hit.entry_id) for hit in screening.hits},
    )
    # Decide: the rules of every new crossing row.
    decided = decide_crossing(
        CrossingCase(
            submission=submission,
            client_id=client_id,
            fingerprint=fingerprint,
            acting=actor,
            post_id=post.id,
            station_id=None,
            moment=moment,
            recorded_at=clock,
            reading=reading.data,
            document_valid=reading.valid,
            document_expired=reading.expired,
            facts=reading.facts(uncertain=submission.reading_uncertain),
            sex=reading.identity.sex,
            age=age_at(reading.identity.birth_date, moment, post.timezone),
            nationality=reading.identity.nationality,
            traveller_id=link.traveller.id,
            document_id=link.document.id,
            holder_id=link.holder_id,
            companion=companion_crossing(session, submission.accompanying_crossing_id),
            listed=[Listed.of(hit) for hit in screening.hits],
            policies=screening.policies,
            confirmed=[confirmed_sentence(hit) for hit in confirmed],
            officer_id=officer.id,
            late_entry_reason=why,
        )
    )
    # Write: the row, its hits and its audit event (the supervisor's).
    detail = audit_detail(
        decided.row, link.linked_by.value, screening, confirmed, decided.assessment
    )
    detail |= {"reason": why, "officer_id": officer.id}
    return write_decided(
        session, actor, decided, screening.hits, "crossing.late_entry", detail,
        linked_by=link.linked_by.value,
    )  # fmt: skip


def deciding_officer(session: Session, username: str | None) -> User:
    """Return the officer a paper record names (who may have left the post since)."""
    if not username or not username.strip():
        raise InvalidInput(
            N_("name the officer who decided, as on the paper record"), field="officer"
        )
    officer = user_named(session, username.strip())
    if officer is None or officer.role is not Role.OFFICER:
        raise InvalidInput(
            N_("no officer named %(username)s"),
            params={"username": repr(username.strip())},
            field="officer",
        )
    return officer
