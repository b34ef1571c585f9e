"""What a station may read: its own recent crossings and the history of a traveller it recently
recorded, and only for the officer it names, who is then accountable for the read.

A station token sits in a desk client on a shared machine; with it alone, anybody could walk
crossing and traveller ids through a post's whole movement log. People (officers, supervisors)
are scoped by their posts elsewhere; this narrows stations further to what a desk needs.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.errors import NotFound, PermissionDenied
from midas.domain.texts import N_
from midas.persistence.base import utcnow
from midas.persistence.models import Crossing

# How far back a desk looks at its own work: a shift and its overrun, so an officer can still
# show or correct what they recorded today.
STATION_READ_WINDOW = timedelta(hours=24)


def _since(now: datetime | None) -> datetime:
    return (now or utcnow()) - STATION_READ_WINDOW


def require_named_officer(actor: Actor) -> None:
    """Refuse a station's read that names no officer: the audit log must say who read."""
    if actor.kind == "station" and actor.user_id is None:
        raise PermissionDenied(N_("a station reads only for the officer at the desk: name them"))


def check_station_crossing(
    session: Session, actor: Actor, crossing_id: int, now: datetime | None = None
) -> None:
    """Refuse a station a crossing it did not record within the read window (as not found)."""
    if actor.kind != "station":
        return
    require_named_officer(actor)
    own = session.scalar(
        select(Crossing.id).where(
            Crossing.id == crossing_id,
            Crossing.station_id == actor.station_id,
            Crossing.recorded_at >= _since(now),
        )
    )
    if own is None:
        raise NotFound(
            N_("no crossing %(crossing_id)s"),
            params={"crossing_id": crossing_id},
            field="crossing_id",
        )


def check_station_traveller(
    session: Session, actor: Actor, traveller_id: int, now: datetime | None = None
) -> None:
    """Refuse a station a traveller it did not record within the read window (as not found)."""
    if actor.kind != "station":
        return
    require_named_officer(actor)
    seen = session.scalar(
        select(Crossing.id)
        .where(
            Crossing.traveller_id == traveller_id,
            Crossing.station_id == actor.station_id,
            Crossing.recorded_at >= _since(now),
        )
        .limit(1)
    )
    if seen is None:
        raise NotFound(
            N_("no traveller %(traveller_id)s"),
            params={"traveller_id": traveller_id},
            field="traveller_id",
        )
