"""Crossings as recording reads and writes them: the crossing a client_id recorded, a new row
with its audit event, a first-time traveller's crossing, and a crossing as just stored.

A recorded crossing comes back as a `StoredCrossing`: its columns and the rows it refers to,
as read or written. Building its ORM object costs as much again as the rest of an API answer,
so it is built only when something reads it (`as_orm`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, cast

from sqlalchemy import ColumnElement, Connection, Table, bindparam, or_, select, tuple_
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from midas.persistence.backends import backend_of
from midas.persistence.database import adopt
from midas.persistence.desk_rows import OfficerAtDesk, PostAtDesk, Replay
from midas.persistence.models import (
    Crossing,
    Decision,
    Direction,
    HitStatus,
    ScreeningHit,
    TravelDocument,
    Traveller,
)
from midas.persistence.new_travellers import FirstCrossing, NewDocument, NewTraveller
from midas.persistence.traveller_rows import DocumentRow, TravellerRow

_CROSSINGS = cast(Table, Crossing.__table__)
# Built once (Core, not ORM): SQLAlchemy caches its compiled form and psycopg prepares it.
_BY_CLIENT_ID = select(_CROSSINGS.c.id, _CROSSINGS.c.submission_sha256, _CROSSINGS.c.post_id).where(
    _CROSSINGS.c.client_id == bindparam("client_id")
)


def recorded_under(connection: Connection, client_id: str) -> Replay | None:
    """Return the crossing a client_id recorded, if any."""
    row = connection.execute(_BY_CLIENT_ID, {"client_id": client_id}).one_or_none()
    return None if row is None else Replay(row.id, row.submission_sha256, row.post_id)


def crossing_with_hits(session: Session, crossing_id: int) -> Crossing:
    """Return a stored crossing with its hits loaded."""
    return session.scalars(
        select(Crossing).where(Crossing.id == crossing_id).options(selectinload(Crossing.hits))
    ).one()


class CompanionRow(NamedTuple):
    """What the rules of a minor's crossing read of the crossing named as their companion's."""

    id: int
    post_id: int
    direction: Direction
    occurred_at: datetime
    is_minor: bool
    decision: Decision
    traveller_id: int | None


def companion_row(session: Session, crossing_id: int) -> CompanionRow | None:
    """Return the crossing named as a minor's companion's, if it is stored."""
    row = session.execute(
        select(
            Crossing.id,
            Crossing.post_id,
            Crossing.direction,
            Crossing.occurred_at,
            Crossing.is_minor,
            Crossing.decision,
            Crossing.traveller_id,
        ).where(Crossing.id == crossing_id)
    ).one_or_none()
    return None if row is None else CompanionRow(*row)


def confirmed_hits(
    session: Session,
    *,
    traveller_id: int | None,
    document_id: int | None,
    entries: Collection[tuple[str, str]],
) -> list[ScreeningHit]:
    """Return CONFIRMED hits for these (list, entry) pairs on crossings of this traveller or
    document."""
    if not entries:  # most crossings: no hit, nothing to look up (and no clause to build)
        return []
    links: list[ColumnElement[bool]] = []
    if traveller_id is not None:
        links.append(Crossing.traveller_id == traveller_id)
    if document_id is not None:
        links.append(Crossing.document_id == document_id)
    if not links:
        return []
    return list(
        session.scalars(
            select(ScreeningHit)
            .join(Crossing, Crossing.id == ScreeningHit.crossing_id)
            .where(
                or_(*links),
                ScreeningHit.status == HitStatus.CONFIRMED,
                tuple_(ScreeningHit.list_name, ScreeningHit.entry_id).in_(sorted(entries)),
            )
            .order_by(ScreeningHit.id)
        )
    )


def correction_of(session: Session, crossing_id: int) -> int | None:
    """Return the id of the row that corrects a crossing, if any."""
    return session.scalar(select(Crossing.id).where(Crossing.corrects_id == crossing_id))


def hits_of(session: Session, crossing_ids: Sequence[int]) -> list[ScreeningHit]:
    """Return the hits found on these crossings."""
    return list(
        session.scalars(select(ScreeningHit).where(ScreeningHit.crossing_id.in_(crossing_ids)))
    )


def insert_crossing(
    connection: Connection, values: Mapping[str, object], event: Mapping[str, object]
) -> int:
    """Insert a crossing row and its audit event (`midas.domain.audit.audit_values`); return
    the new crossing's id."""
    return backend_of(connection).insert_audited(connection, _CROSSINGS, values, event)


def store_first_crossing(
    connection: Connection,
    traveller: NewTraveller,
    document: NewDocument,
    values: Mapping[str, object],
    event: Mapping[str, object],
) -> FirstCrossing | None:
    """Store a first-time traveller, their name keys and document with their crossing (`values`,
    without the traveller's and document's ids) and its audit event, whose detail gets the
    traveller's id.

    None when the document turned out to be stored already (by a concurrent request): then
    nothing of it is kept, and the caller links the reading to the stored document.
    """
    backend = backend_of(connection)
    return backend.store_first_crossing(connection, traveller, document, values, event)


@dataclass(frozen=True, slots=True)
class StoredCrossing:
    """A crossing as recording has just stored it: its columns (with its id) and the rows it
    refers to, as read or written in the session's transaction."""

    session: Session
    values: Mapping[str, object]
    post: PostAtDesk
    officer: OfficerAtDesk
    traveller: TravellerRow
    document: DocumentRow
    hits: Sequence[ScreeningHit]

    def as_orm(self) -> Crossing:
        """Return the crossing as a clean persistent ORM object, its related rows set, so that
        showing it needs no further query."""
        crossing = adopt(self.session, Crossing, dict(self.values))
        traveller: Traveller = self.traveller.as_orm(self.session)
        document: TravelDocument = self.document.as_orm(self.session, traveller)
        for name, related in (
            ("post", self.post.as_orm(self.session)),
            ("officer", self.officer.as_orm(self.session)),
            ("traveller", traveller),
            ("document", document),
            ("hits", list(self.hits)),
        ):
            set_committed_value(crossing, name, related)
        return crossing
