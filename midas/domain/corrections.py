"""Correct a recorded crossing: a new row pointing at the row it corrects, decided by the same
rules as a new crossing (`midas.domain.crossing_rules`); the original stays as it is.

Only the latest row of a chain may be corrected, and only once: two corrections of one row at
the same moment cannot both commit (a unique index on `corrects_id`), the later gets a Conflict.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.chip_checks import carried_chip
from midas.domain.crossing_history import (
    chain_ids,
    companion_crossing,
    confirmed_sentence,
    list_policies,
)
from midas.domain.crossing_rules import (
    LATE_ENTRY_LIMIT,
    MAX_BACKDATE,
    CrossingCase,
    age_at,
    decide_crossing,
    past_moment,
    stated_reason,
)
from midas.domain.crossings import Recorded, audit_detail, replayed_submission, write_decided
from midas.domain.decisions import Listed
from midas.domain.desks import recorder
from midas.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from midas.domain.readings import read_on_post_date, reading_facts
from midas.domain.screening import Screener, ScreeningResult, screen_reading
from midas.domain.submissions import (
    Submission,
    correction_taken,
    keyed,
)
from midas.domain.texts import N_
from midas.domain.travellers import link_traveller
from midas.persistence.base import utcnow
from midas.persistence.crossing_rows import confirmed_hits, correction_of, hits_of
from midas.persistence.database import begin_writing
from midas.persistence.models import (
    Crossing,
    HitStatus,
    Post,
    Role,
    ScreeningHit,
    Traveller,
)
from midas.persistence.traveller_rows import holder_of
from watchlists.models import ListKind


def correct_crossing(
    session: Session,
    actor: Actor,
    crossing_id: int,
    submission: Submission,
    reason: str,
    screener: Screener,
    *,
    now: datetime | None = None,
    expiry_horizon_days: int = 90,
    reassign_to: int | None = None,
) -> Recorded:
    """Record a correction of a crossing as a new row pointing at it; the original stays as is.

    Without new MRZ lines the correction keeps the original reading, traveller and hits (they
    stay on the original row); with them the document is read and screened again.
    `reassign_to`: a supervisor files the crossing under this traveller instead (a document
    carried by someone else than the identity linked).
    """
    why = stated_reason(reason, N_("say why the crossing is corrected"))
    client_id, fingerprint = keyed(submission, crossing_id, reason)
    clock = now or utcnow()
    begin_writing(session)
    # Read: a retry's crossing, the row corrected, the actor, and what the rules look at.
    replayed = replayed_submission(session, actor, client_id, fingerprint)
    if replayed is not None:
        return replayed
    original = session.get(Crossing, crossing_id)
    if original is None or not actor.may_see_post(original.post_id):
        raise NotFound(
            N_("no crossing %(crossing_id)s"),
            params={"crossing_id": crossing_id},
            field="crossing_id",
        )
    if actor.role is Role.ADMIN:
        raise PermissionDenied(N_("corrections are made by the officer's post or its supervisor"))
    newer = correction_of(session, original.id)
    if newer is not None:
        raise Conflict(
            N_(
                "crossing %(crossing_id)s was already corrected by crossing %(newer)s: correct "
                "that one"
            ),
            params={"crossing_id": crossing_id, "newer": newer},
            field="crossing_id",
        )
    acting = (
        actor if actor.role is Role.SUPERVISOR else recorder(session, actor, submission.officer)
    )
    if acting.user_id is None:
        raise InvalidInput(N_("name the officer who corrects"), field="officer")
    moment = corrected_time(submission.occurred_at, original, clock)
    post = session.get(Post, original.post_id)
    assert post is not None  # a foreign key guarantees it
    if submission.mrz is not None or submission.document is not None:
        reading = carried_chip(
            original.reading,
            read_on_post_date(
                submission.mrz, submission.document, moment, post.timezone, expiry_horizon_days
            ),
        )
        screening = screen_reading(screener, reading)
        link = link_traveller(session, reading.identity)
        traveller_id, document_id = link.traveller.id, link.document.id
        holder_id = link.holder_id
        linked_by = link.linked_by.value
        data: dict[str, Any] | None = reading.data
        valid, expired = reading.valid, reading.expired
        identity = reading.identity
        sex, nationality = identity.sex, identity.nationality
        age = age_at(identity.birth_date, moment, post.timezone)
        entries = {(hit.list_name, hit.entry_id) for hit in screening.hits}
        listed = [Listed.of(hit) for hit in screening.hits]
        policies = screening.policies
    else:
        screening = ScreeningResult([], {})
        traveller_id, document_id = original.traveller_id, original.document_id
        holder_id = original.document_holder_id
        linked_by = "original"
        data, valid, expired = original.reading, original.document_valid, original.document_expired
        age = original.traveller_age
        sex, nationality = original.traveller_sex, original.traveller_nationality
        # The hits stay on the rows they were found on; those not dismissed still count.
        standing = [
            hit
            for hit in hits_of(session, chain_ids(session, original))
            if hit.status is not HitStatus.DISMISSED
        ]
        entries = {(hit.list_name, hit.entry_id) for hit in standing}
        listed = [_listed(hit) for hit in standing]
        policies = list_policies(session, {hit.list_name for hit in standing})
    if reassign_to is not None:
        traveller_id = _reassigned(session, actor, reassign_to, traveller_id)
        linked_by = "corrected"
        holder_id = holder_of(session, document_id)
    confirmed = confirmed_hits(
        session, traveller_id=traveller_id, document_id=document_id, entries=entries
    )
    # Decide: the rules of a new crossing row.
    decided = decide_crossing(
        CrossingCase(
            submission=submission,
            client_id=client_id,
            fingerprint=fingerprint,
            acting=acting,
            post_id=original.post_id,
            station_id=original.station_id,
            moment=moment,
            recorded_at=clock,
            reading=data,
            document_valid=valid,
            document_expired=expired,
            facts=reading_facts(data, valid, expired, uncertain=submission.reading_uncertain),
            sex=sex,
            age=age,
            nationality=nationality,
            traveller_id=traveller_id,
            document_id=document_id,
            holder_id=holder_id,
            companion=companion_crossing(session, submission.accompanying_crossing_id),
            listed=listed,
            policies=policies,
            confirmed=[confirmed_sentence(hit) for hit in confirmed],
            corrects_id=original.id,
            correction_reason=why,
            # A paper record stays one through its corrections.
            late_entry_reason=original.late_entry_reason,
        )
    )
    # Write: the row, its hits and its audit event.
    detail = audit_detail(decided.row, linked_by, screening, confirmed, decided.assessment)
    detail["reason"] = why
    if reassign_to is not None:
        detail["reassigned"] = {"from": original.traveller_id, "to": traveller_id}
    try:
        return write_decided(
            session, acting, decided, screening.hits, "crossing.correct", detail,
            linked_by=linked_by,
        )  # fmt: skip
    except IntegrityError as error:
        if correction_taken(error):
            raise corrected_meanwhile(crossing_id) from error
        raise


def corrected_meanwhile(crossing_id: int) -> Conflict:
    """The error of a correction another request made first (the chain never forks)."""
    return Conflict(
        N_(
            "crossing %(crossing_id)s was corrected meanwhile by another request: correct the "
            "newer row"
        ),
        params={"crossing_id": crossing_id},
        field="crossing_id",
    )


def _listed(hit: ScreeningHit) -> Listed:
    kind = ListKind(hit.list_kind)
    return Listed(hit.list_name, kind, hit.entry_id, hit.matched_name, hit.possible)


def _reassigned(session: Session, actor: Actor, traveller_id: int, current: int) -> int:
    """Check that a supervisor may file a crossing under this traveller; return their id."""
    if actor.role is not Role.SUPERVISOR:
        raise PermissionDenied(
            N_("only a supervisor files a crossing under another traveller"), field="traveller_id"
        )
    if traveller_id == current:
        raise InvalidInput(
            N_("the crossing is already filed under traveller %(current)s"),
            params={"current": current},
            field="traveller_id",
        )
    traveller = session.get(Traveller, traveller_id)
    if traveller is None or traveller.anonymised_at is not None:
        raise NotFound(
            N_("no traveller %(traveller_id)s"),
            params={"traveller_id": traveller_id},
            field="traveller_id",
        )
    return traveller_id


def corrected_time(value: datetime | None, original: Crossing, now: datetime) -> datetime:
    """Keep the original time unless a new one is given: not in the future, and no earlier
    than the row could have been entered with (MAX_BACKDATE before it was recorded, or
    LATE_ENTRY_LIMIT for a late entry). An old crossing may be corrected late."""
    if value is None:
        return original.occurred_at
    moment = past_moment(value, now)
    late = original.late_entry_reason is not None
    window = LATE_ENTRY_LIMIT if late else MAX_BACKDATE
    earliest = original.recorded_at - window
    if moment < earliest:
        raise InvalidInput(
            N_("the corrected time is more than %(days)s days before the crossing was entered")
            if late
            else N_(
                "the corrected time is more than %(days)s days before the crossing was recorded"
            ),
            params={"days": window.days},
            field="occurred_at",
        )
    return moment
