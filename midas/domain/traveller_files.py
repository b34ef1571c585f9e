"""Which traveller a crossing is filed under: supervisors merge and split travellers.

Filing is corrected like anything else recorded: a crossing is never edited; it is refiled by a
correction row that copies it under the other traveller (`corrects_id` points back, the reason
is kept, the audit log says from whom to whom). The decision is unchanged, so the decision rules
are not asked again. A merge refiles every current crossing of one traveller under another,
moves their documents, and marks the merged traveller so that linking never picks them again.
A split refiles chosen crossings under a new traveller made from the identity they were read
with.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from midas.domain.actors import Actor
from midas.domain.audit import record_audit
from midas.domain.corrections import corrected_meanwhile
from midas.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from midas.domain.submissions import correction_taken
from midas.domain.texts import N_
from midas.domain.travellers import Identity, new_traveller
from midas.persistence.base import utcnow
from midas.persistence.models import Crossing, Role, TravelDocument, Traveller

# The most crossings one merge or split refiles: a bound on one request's work.
MAX_REFILED = 500


@dataclass(frozen=True, slots=True)
class Refiled:
    """The traveller crossings now belong to, and the correction rows that refiled them."""

    traveller_id: int
    corrections: list[int]


def _supervisor(actor: Actor) -> None:
    if actor.role is not Role.SUPERVISOR or actor.user_id is None:
        raise PermissionDenied(N_("only a supervisor merges or splits travellers"))


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput(N_("say why the crossings are filed anew"), field="reason")
    return text


def _traveller(session: Session, traveller_id: int) -> Traveller:
    traveller = session.get(Traveller, traveller_id)
    if traveller is None or traveller.anonymised_at is not None:
        raise NotFound(
            N_("no traveller %(traveller_id)s"),
            params={"traveller_id": traveller_id},
            field="traveller_id",
        )
    if traveller.merged_into_id is not None:
        raise Conflict(
            N_("traveller %(traveller_id)s was merged into traveller %(merged_into_id)s"),
            params={"traveller_id": traveller_id, "merged_into_id": traveller.merged_into_id},
            field="traveller_id",
        )
    return traveller


def _current(session: Session, traveller_id: int, ids: Sequence[int] | None) -> list[Crossing]:
    """Return the traveller's crossings that no correction supersedes (only `ids` if given)."""
    newer = aliased(Crossing)
    query = (
        select(Crossing)
        .where(Crossing.traveller_id == traveller_id)
        .where(~select(newer.id).where(newer.corrects_id == Crossing.id).exists())
        .order_by(Crossing.occurred_at, Crossing.id)
        .limit(MAX_REFILED + 1)
    )
    if ids is not None:
        query = query.where(Crossing.id.in_(sorted(set(ids))))
    found = list(session.scalars(query))
    if len(found) > MAX_REFILED:
        raise InvalidInput(
            N_("at most %(limit)s crossings are filed anew at once"),
            params={"limit": MAX_REFILED},
            field="crossing_ids",
        )
    return found


def _holder(session: Session, document_id: int) -> int:
    holder: int = session.scalars(
        select(TravelDocument.traveller_id).where(TravelDocument.id == document_id)
    ).one()
    return holder


def refile(
    session: Session, actor: Actor, crossing: Crossing, traveller_id: int, reason: str
) -> Crossing:
    """Add a correction row filing a crossing under another traveller; audited."""
    if not actor.may_see_post(crossing.post_id):
        raise PermissionDenied(
            N_("crossing %(id)s is at a post this supervisor does not oversee"),
            params={"id": crossing.id},
            field="crossing_ids",
        )
    skipped = {"id", "client_id", "submission_sha256", "recorded_at", "corrects_id"}
    values: dict[str, Any] = {
        column.key: getattr(crossing, column.key)
        for column in Crossing.__table__.columns
        if column.key not in skipped
    }
    holder = _holder(session, crossing.document_id)
    values.update(
        client_id=str(uuid.uuid4()),
        submission_sha256=None,
        recorded_at=utcnow(),
        traveller_id=traveller_id,
        officer_id=actor.user_id,
        corrects_id=crossing.id,
        correction_reason=reason,
        document_holder_id=None if holder == traveller_id else holder,
    )
    row = Crossing(**values)
    corrected = crossing.id  # read now: a failed flush expires the session's objects
    session.add(row)
    try:
        session.flush()
    except IntegrityError as error:
        if correction_taken(error):
            raise corrected_meanwhile(corrected) from error
        raise
    record_audit(
        session,
        actor,
        "crossing.correct",
        "crossing",
        row.id,
        detail={
            "post_id": row.post_id,
            "corrects_id": crossing.id,
            "reason": reason,
            "reassigned": {"from": crossing.traveller_id, "to": traveller_id},
        },
    )
    return row


def merge_travellers(
    session: Session, actor: Actor, keep_id: int, merge_id: int, reason: str
) -> Refiled:
    """File every current crossing and document of `merge_id` under `keep_id`; audited."""
    _supervisor(actor)
    why = _reason(reason)
    if keep_id == merge_id:
        raise InvalidInput(N_("a traveller is not merged with themselves"), field="traveller_id")
    kept, merged = _traveller(session, keep_id), _traveller(session, merge_id)
    crossings = _current(session, merged.id, None)
    if not any(actor.may_see_post(crossing.post_id) for crossing in crossings):
        # Outside the supervisor's posts the traveller is not theirs to know about.
        raise NotFound(
            N_("no traveller %(merge_id)s"), params={"merge_id": merge_id}, field="traveller_id"
        )
    session.execute(
        update(TravelDocument)
        .where(TravelDocument.traveller_id == merged.id)
        .values(traveller_id=kept.id)
    )
    rows = [refile(session, actor, crossing, kept.id, why) for crossing in crossings]
    merged.merged_into_id = kept.id
    session.flush()
    record_audit(
        session,
        actor,
        "traveller.merge",
        "traveller",
        kept.id,
        detail={"merged": merged.id, "reason": why, "corrections": [row.id for row in rows]},
    )
    return Refiled(kept.id, [row.id for row in rows])


def split_traveller(
    session: Session, actor: Actor, traveller_id: int, crossing_ids: Sequence[int], reason: str
) -> Refiled:
    """File the chosen crossings of a traveller under a new traveller made from the identity
    the first of them was read with; audited."""
    _supervisor(actor)
    why = _reason(reason)
    source = _traveller(session, traveller_id)
    if not crossing_ids:
        raise InvalidInput(N_("choose the crossings to file apart"), field="crossing_ids")
    crossings = _current(session, source.id, crossing_ids)
    if len(crossings) != len(set(crossing_ids)):
        raise InvalidInput(
            N_("each crossing must be a current crossing of this traveller (not superseded)"),
            field="crossing_ids",
        )
    everything = _current(session, source.id, None)
    if len(everything) == len(crossings):
        raise InvalidInput(
            N_("a split leaves at least one crossing with the traveller"), field="crossing_ids"
        )
    identity = _identity_read(crossings[0].reading or {})
    if not identity.surname:
        raise InvalidInput(
            N_("crossing %(id)s keeps no name to start a traveller from"),
            params={"id": crossings[0].id},
            field="crossing_ids",
        )
    created = new_traveller(session, identity)
    rows = [refile(session, actor, crossing, created.id, why) for crossing in crossings]
    record_audit(
        session,
        actor,
        "traveller.split",
        "traveller",
        source.id,
        detail={"new": created.id, "reason": why, "corrections": [row.id for row in rows]},
    )
    return Refiled(created.id, [row.id for row in rows])


def _identity_read(reading: dict[str, Any]) -> Identity:
    born = reading.get("birth_date")
    return Identity.of(
        surname=reading.get("surname"),
        given_names=reading.get("given_names"),
        birth_date=date.fromisoformat(born) if isinstance(born, str) and born else None,
        nationality=reading.get("nationality"),
        sex=reading.get("sex"),
        document_number=reading.get("document_number"),
        issuing_state=reading.get("issuing_state"),
        document_type=reading.get("document_type"),
    )
