"""The hit review queue: supervisors confirm or dismiss the hits screening found, with a reason.

A hit is reviewed once (pending → confirmed or dismissed). Confirming a hit on a crossing whose
decision stands as `admitted` (the latest correction counts) says a listed person or document
was let through; that needs an `override_reason` acknowledging it, kept on the hit and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from midas.domain.actors import Actor
from midas.domain.audit import record_audit
from midas.domain.crossing_history import latest_in_chain
from midas.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from midas.domain.texts import N_
from midas.persistence.base import utcnow
from midas.persistence.database import begin_writing
from midas.persistence.models import Crossing, Decision, HitStatus, Role, ScreeningHit

REVIEWERS = frozenset({Role.SUPERVISOR})
MAX_PER_PAGE = 200


class Verdict(StrEnum):
    """What a reviewer decides about a hit."""

    CONFIRM = "confirm"
    DISMISS = "dismiss"


@dataclass(frozen=True, slots=True)
class HitPage:
    """One page of the review queue, oldest hit first."""

    hits: list[ScreeningHit]
    total: int
    page: int
    per_page: int


def _check_reviewer(actor: Actor) -> None:
    if actor.role not in REVIEWERS or actor.kind != "user":
        raise PermissionDenied(N_("only supervisors review hits"))


def list_hits(
    session: Session,
    actor: Actor,
    *,
    status: HitStatus | None = HitStatus.PENDING,
    page: int = 1,
    per_page: int = 50,
) -> HitPage:
    """Return the hits at the posts this supervisor oversees, oldest first; audited."""
    _check_reviewer(actor)
    begin_writing(session)  # the audit event
    if page < 1:
        raise InvalidInput(N_("pages start at 1"), field="page")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(
            N_("a page holds 1 to %(limit)s results"),
            params={"limit": MAX_PER_PAGE},
            field="per_page",
        )
    query = select(ScreeningHit).join(Crossing, Crossing.id == ScreeningHit.crossing_id)
    if status is not None:
        query = query.where(ScreeningHit.status == status)
    if actor.post_ids is not None:
        query = query.where(Crossing.post_id.in_(sorted(actor.post_ids)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    hits = session.scalars(
        query.options(
            selectinload(ScreeningHit.crossing).selectinload(Crossing.traveller),
            selectinload(ScreeningHit.crossing).selectinload(Crossing.post),
        )
        .order_by(ScreeningHit.created_at, ScreeningHit.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    record_audit(
        session,
        actor,
        "hit.list",
        "screening_hit",
        detail={"status": status.value if status else None, "hits": [h.id for h in hits]},
    )
    return HitPage(list(hits), total, page, per_page)


def get_hit(
    session: Session, actor: Actor, hit_id: int, *, for_update: bool = False
) -> ScreeningHit:
    """Return a hit at a post this supervisor oversees; NotFound otherwise.

    With `for_update` the hit's row stays locked until the transaction ends (PostgreSQL), so two
    reviewers of one hit take turns and the second sees the first's verdict.
    """
    _check_reviewer(actor)
    query = (
        select(ScreeningHit)
        .where(ScreeningHit.id == hit_id)
        .options(
            # What the hit page shows, so the page reads it after the transaction.
            selectinload(ScreeningHit.crossing).selectinload(Crossing.traveller),
            selectinload(ScreeningHit.crossing).selectinload(Crossing.post),
            selectinload(ScreeningHit.crossing).selectinload(Crossing.document),
            selectinload(ScreeningHit.crossing).selectinload(Crossing.officer),
            selectinload(ScreeningHit.reviewed_by),
        )
    )
    if for_update:
        query = query.with_for_update(of=ScreeningHit)
    hit = session.scalars(query).one_or_none()
    if hit is None or not actor.may_see_post(hit.crossing.post_id):
        raise NotFound(N_("no hit %(hit_id)s"), params={"hit_id": hit_id}, field="hit_id")
    return hit


def review_hit(
    session: Session,
    actor: Actor,
    hit_id: int,
    verdict: Verdict,
    reason: str,
    *,
    override_reason: str | None = None,
) -> ScreeningHit:
    """Confirm or dismiss a pending hit with a reason; confirming an admission needs an override."""
    begin_writing(session)
    hit = get_hit(session, actor, hit_id, for_update=True)
    if not reason or not reason.strip():
        raise InvalidInput(N_("say why"), field="reason")
    if hit.status is not HitStatus.PENDING:
        raise Conflict(
            N_("hit %(hit_id)s was already confirmed")
            if hit.status is HitStatus.CONFIRMED
            else N_("hit %(hit_id)s was already dismissed"),
            params={"hit_id": hit_id},
            field="hit_id",
        )
    override = (override_reason or "").strip() or None
    standing = latest_in_chain(session, hit.crossing_id)
    detail: dict[str, object] = {
        "crossing_id": hit.crossing_id,
        "decision": standing.decision.value,
        "list": hit.list_name,
        "entry_id": hit.entry_id,
        "reason": reason.strip(),
    }
    if verdict is Verdict.CONFIRM and standing.decision is Decision.ADMITTED:
        if override is None:
            raise Conflict(
                N_(
                    "hit %(hit_id)s is on crossing %(id)s, where the traveller was admitted: "
                    "confirming it needs a reason for the override, acknowledging the admission"
                ),
                params={"hit_id": hit_id, "id": standing.id},
                field="override_reason",
            )
        hit.override_reason = override
        detail["override"] = override
    hit.status = HitStatus.CONFIRMED if verdict is Verdict.CONFIRM else HitStatus.DISMISSED
    hit.reviewed_by_id = actor.user_id
    hit.reviewed_at = utcnow()
    hit.review_reason = reason.strip()
    session.flush()
    record_audit(session, actor, f"hit.{verdict.value}", "screening_hit", hit.id, detail=detail)
    return hit
