"""What is on record about crossings: a crossing, its chain of corrections, a traveller's or
document's earlier crossings, and the companion a minor's crossing names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from midas.domain.actors import Actor
from midas.domain.audit import record_audit
from midas.domain.crossing_rules import Companion
from midas.domain.desk_reads import check_station_crossing
from midas.domain.errors import NotFound
from midas.domain.texts import N_, Text
from midas.domain.travellers import visible_crossings
from midas.persistence.crossing_rows import companion_row
from midas.persistence.database import begin_writing
from midas.persistence.models import (
    AlertPolicy,
    Crossing,
    Decision,
    Direction,
    Post,
    ScreeningHit,
    Watchlist,
)

# Previous crossings shown with a screening result.
PREVIOUS_LIMIT = 20
# Crossings at any post shown at the desk (date, post, direction, decision).
RECENT_LIMIT = 5


def _links(traveller_id: int | None, document_id: int | None) -> list[ColumnElement[bool]]:
    """The conditions that find crossings of a traveller or of a document."""
    links = []
    if traveller_id is not None:
        links.append(Crossing.traveller_id == traveller_id)
    if document_id is not None:
        links.append(Crossing.document_id == document_id)
    return links


def previous_crossings(
    session: Session,
    actor: Actor,
    *,
    traveller_id: int | None,
    document_id: int | None,
    limit: int = PREVIOUS_LIMIT,
) -> list[Crossing]:
    """Return the latest crossings of a traveller or document this actor may see, newest first."""
    links = _links(traveller_id, document_id)
    if not links:
        return []
    query = (
        select(Crossing)
        .where(or_(*links))
        .options(selectinload(Crossing.post), selectinload(Crossing.hits))
        .order_by(Crossing.occurred_at.desc(), Crossing.id.desc())
        .limit(limit)
    )
    if actor.post_ids is not None:
        query = query.where(Crossing.post_id.in_(sorted(actor.post_ids)))
    return list(session.scalars(query))


@dataclass(frozen=True, slots=True)
class RecentCrossing:
    """A crossing of this traveller or document at any post, as the desk shows it."""

    occurred_at: datetime
    post_code: str
    post_name: str
    direction: Direction
    decision: Decision
    # Recorded under another traveller than the one this reading links to (same document).
    other_traveller: bool


def recent_crossings(
    session: Session,
    *,
    traveller_id: int | None,
    document_id: int | None,
    limit: int = RECENT_LIMIT,
) -> list[RecentCrossing]:
    """Return the latest crossings of a traveller or document at ANY post, newest first.

    Only what the desk needs (date, post, direction, decision): an officer must know that the
    traveller crossed elsewhere, while searches and full histories stay scoped to their posts.
    A crossing since corrected is shown as corrected, once.
    """
    links = _links(traveller_id, document_id)
    if not links:
        return []
    newer = aliased(Crossing)
    rows = session.execute(
        select(
            Crossing.occurred_at,
            Post.code,
            Post.name,
            Crossing.direction,
            Crossing.decision,
            Crossing.traveller_id,
        )
        .join(Post, Post.id == Crossing.post_id)
        .where(or_(*links), ~exists().where(newer.corrects_id == Crossing.id))
        .order_by(Crossing.occurred_at.desc(), Crossing.id.desc())
        .limit(limit)
    )
    return [
        RecentCrossing(at, code, name, direction, decision, traveller_id != who)
        for at, code, name, direction, decision, who in rows
    ]


def entry_without_exit(recent: Sequence[RecentCrossing]) -> bool:
    """Tell whether the latest admitted crossing on record is an entry (no exit since)."""
    for crossing in recent:
        if crossing.decision is Decision.ADMITTED and not crossing.other_traveller:
            return crossing.direction is Direction.ENTRY
    return False


def get_crossing(session: Session, actor: Actor, crossing_id: int) -> Crossing:
    """Return a crossing this actor may see (NotFound otherwise); audited as a read."""
    begin_writing(session)  # the audit event
    check_station_crossing(session, actor, crossing_id)
    crossing = session.scalars(
        select(Crossing)
        .where(Crossing.id == crossing_id)
        .options(
            selectinload(Crossing.hits),
            selectinload(Crossing.post),
            selectinload(Crossing.traveller),
            selectinload(Crossing.document),
            selectinload(Crossing.officer),
        )
    ).one_or_none()
    if crossing is None or not visible_crossings(actor, [crossing]):
        raise NotFound(
            N_("no crossing %(crossing_id)s"),
            params={"crossing_id": crossing_id},
            field="crossing_id",
        )
    record_audit(session, actor, "crossing.read", "crossing", crossing.id)
    return crossing


def latest_in_chain(session: Session, crossing_id: int) -> Crossing:
    """Return the newest correction of a crossing (the crossing itself when uncorrected)."""
    current = session.get(Crossing, crossing_id)
    if current is None:
        raise NotFound(
            N_("no crossing %(crossing_id)s"),
            params={"crossing_id": crossing_id},
            field="crossing_id",
        )
    while True:
        newer = session.scalars(
            select(Crossing).where(Crossing.corrects_id == current.id).order_by(Crossing.id)
        ).first()
        if newer is None:
            return current
        current = newer


def chain_ids(session: Session, crossing: Crossing) -> list[int]:
    """Return the ids of a crossing and every row it corrects, back to the original."""
    ids = [crossing.id]
    current: Crossing | None = crossing
    while current is not None and current.corrects_id is not None:
        ids.append(current.corrects_id)
        current = session.get(Crossing, current.corrects_id)
    return ids


def confirmed_sentence(hit: ScreeningHit) -> Text:
    """Name a confirmed hit in a sentence."""
    return Text(
        N_("Hit %(id)s (%(list)s entry %(entry)s, %(name)s)"),
        {"id": hit.id, "list": hit.list_name, "entry": hit.entry_id, "name": hit.matched_name},
    )


def list_policies(session: Session, names: set[str]) -> dict[str, AlertPolicy]:
    """Return the alert policy of each named list as it stands now."""
    if not names:
        return {}
    rows = session.execute(
        select(Watchlist.name, Watchlist.alert_policy).where(Watchlist.name.in_(sorted(names)))
    )
    return {name: policy for name, policy in rows}


def companion_crossing(session: Session, crossing_id: int | None) -> Companion | None:
    """Return the crossing a minor's submission names as their companion's, if it exists."""
    if crossing_id is None:
        return None
    row = companion_row(session, crossing_id)
    return None if row is None else Companion(*row)
