"""A crossing as a post sends it to headquarters, and as headquarters stores it.

The record names everything by what both nodes share — the crossing's client id (a UUID, its
global id), the post's code, the officer's username, the identity read, the list's name and
version number — never by a node's own integer ids. Headquarters links the identity to its own
travellers with the same rules as a desk (`link_traveller`) and never decides again: what the
officer decided at the post is what happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bundles.model import Record
from midas.domain.errors import InvalidInput
from midas.domain.texts import N_
from midas.domain.travellers import Identity, link_traveller
from midas.persistence.models import (
    Crossing,
    Decision,
    Direction,
    HitStatus,
    Post,
    Role,
    ScreeningHit,
    Station,
    User,
    Watchlist,
    WatchlistVersion,
)

CROSSING = "crossing"
# Columns copied as they are (JSON-safe values; times and enums are handled apart).
PLAIN = (
    "submission_sha256", "transport_mode", "transport_ref", "purpose", "refusal_reason", "notes",
    "reading", "document_valid", "document_expired", "chip_status", "traveller_sex",
    "traveller_age", "traveller_nationality", "is_minor", "minor_accompanied", "override_reason",
    "correction_reason", "late_entry_reason",
)  # fmt: skip
HIT_PLAIN = (
    "list_name", "list_kind", "entry_id", "matched_name", "score", "threshold", "reasons",
    "category", "action", "review_reason", "override_reason",
)  # fmt: skip
# An unusable password hash: an officer known only from a post's records cannot log in here.
NO_LOGIN = "!synced-from-post"


def unbundled_crossings(session: Session, limit: int) -> list[Crossing]:
    """Return crossings no bundle carries yet, oldest first, with what a record names.

    Chosen by what is not yet bundled, not by ids after the last bundled one: on PostgreSQL an
    id is taken before its transaction commits, so a crossing can appear after a later one.
    """
    return list(
        session.scalars(
            select(Crossing)
            .where(Crossing.sync_bundle.is_(None))
            .order_by(Crossing.id)
            .limit(limit)
            .options(
                selectinload(Crossing.post),
                selectinload(Crossing.station),
                selectinload(Crossing.officer),
                selectinload(Crossing.traveller),
                selectinload(Crossing.document),
                selectinload(Crossing.hits),
            )
        )
    )


def crossing_records(session: Session, crossings: Sequence[Crossing]) -> list[Record]:
    """Return crossings as records for headquarters."""
    linked = {c.accompanying_crossing_id for c in crossings} | {c.corrects_id for c in crossings}
    linked.discard(None)
    client_ids: dict[int, str] = {
        row.id: row.client_id
        for row in session.execute(
            select(Crossing.id, Crossing.client_id).where(Crossing.id.in_(linked))
        )
    }
    version_ids = {h.list_version_id for c in crossings for h in c.hits} - {None}
    numbers: dict[int, int] = {
        row.id: row.number
        for row in session.execute(
            select(WatchlistVersion.id, WatchlistVersion.number).where(
                WatchlistVersion.id.in_(version_ids)
            )
        )
    }
    return [_record(c, client_ids, numbers) for c in crossings]


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _record(crossing: Crossing, client_ids: dict[int, str], numbers: dict[int, int]) -> Record:
    traveller, document = crossing.traveller, crossing.document
    data: dict[str, Any] = {name: getattr(crossing, name) for name in PLAIN}
    data.update(
        post=crossing.post.code,
        station=None if crossing.station is None else crossing.station.name,
        officer=crossing.officer.username,
        direction=crossing.direction.value,
        decision=crossing.decision.value,
        occurred_at=crossing.occurred_at.isoformat(),
        recorded_at=crossing.recorded_at.isoformat(),
        accompanying=client_ids.get(crossing.accompanying_crossing_id or 0),
        corrects=client_ids.get(crossing.corrects_id or 0),
        identity={
            "surname": traveller.surname,
            "given_names": traveller.given_names,
            "birth_date": _day(traveller.birth_date),
            "nationality": traveller.nationality,
            "sex": traveller.sex,
            "document_number": document.number,
            "issuing_state": document.issuing_state,
            "document_type": document.document_type,
            "expiry_date": _day(document.expiry_date),
        },
        hits=[
            {
                **{name: getattr(hit, name) for name in HIT_PLAIN},
                "list_version": numbers.get(hit.list_version_id or 0),
                "status": hit.status.value,
                "created_at": hit.created_at.isoformat(),
            }
            for hit in crossing.hits
        ],
    )
    return Record(CROSSING, crossing.client_id, crossing.occurred_at, data)


def _date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def sync_user(session: Session, username: str, post: Post, role: Role = Role.OFFICER) -> User:
    """Return the user who acted at this post: headquarters' user of that name working at this
    post, else one known only from the post's records (named `username@POST`, unable to log in),
    never a user of another post or role who happens to share the name."""
    user = session.scalar(
        select(User).where(User.username == username, User.post_id == post.id)
    ) or session.scalar(select(User).where(User.username == f"{username}@{post.code}"))
    if user is None:
        user = User(
            username=f"{username}@{post.code}"[:80],
            full_name=f"{username} ({post.code})",
            role=role,
            password_hash=NO_LOGIN,
            post_id=post.id,
            active=False,
        )
        session.add(user)
        session.flush()
    return user


@dataclass(slots=True)
class Lookups:
    """What one bundle's crossings name at headquarters, looked up once per bundle: its post,
    officers and stations (a bundle holds thousands of crossings by a few dozen people)."""

    post: Post | None = None
    officers: dict[str, int] = field(default_factory=dict)
    stations: dict[str, int | None] = field(default_factory=dict)


def store_crossing_record(
    session: Session, sender: str, record: Record, lookups: Lookups | None = None
) -> bool:
    """Store a post's crossing at headquarters; False when it is stored already (a resend).

    A post speaks for itself only: a crossing naming another post is refused.
    """
    lookups = lookups or Lookups()
    if session.scalar(select(Crossing.id).where(Crossing.client_id == record.id)) is not None:
        return False
    data = record.data
    if data.get("post") != sender:
        raise InvalidInput(
            N_(
                "crossing %(id)s from %(sender)s names post %(post)s: a post sends its own "
                "crossings only"
            ),
            params={"id": record.id, "sender": sender, "post": repr(data.get("post"))},
            field="post",
        )
    post = lookups.post or session.scalar(select(Post).where(Post.code == sender))
    lookups.post = post
    if post is None:
        raise InvalidInput(
            N_(
                "crossing %(id)s from %(sender)s names post %(post)s, which headquarters does not "
                "have: create it, then import again"
            ),
            params={"id": record.id, "sender": sender, "post": repr(data.get("post"))},
            field="post",
        )
    identity = Identity.of(
        **{
            **data["identity"],
            "birth_date": _date(data["identity"].get("birth_date")),
            "expiry_date": _date(data["identity"].get("expiry_date")),
        }
    )
    link = link_traveller(session, identity)
    station = None
    name = data.get("station")
    if isinstance(name, str) and name:
        if name not in lookups.stations:
            lookups.stations[name] = session.scalar(
                select(Station.id).where(Station.post_id == post.id, Station.name == name)
            )
        station = lookups.stations[name]
    officer = str(data["officer"])
    if officer not in lookups.officers:
        lookups.officers[officer] = sync_user(session, officer, post).id

    def crossing_id(client_id: object) -> int | None:
        if not isinstance(client_id, str):
            return None
        return session.scalar(select(Crossing.id).where(Crossing.client_id == client_id))

    crossing = Crossing(
        client_id=record.id,
        post_id=post.id,
        station_id=station,
        officer_id=lookups.officers[officer],
        traveller_id=link.traveller.id,
        document_id=link.document.id,
        direction=Direction(data["direction"]),
        decision=Decision(data["decision"]),
        occurred_at=datetime.fromisoformat(data["occurred_at"]),
        recorded_at=datetime.fromisoformat(data["recorded_at"]),
        accompanying_crossing_id=crossing_id(data.get("accompanying")),
        corrects_id=crossing_id(data.get("corrects")),
        document_holder_id=link.holder_id,
        **{name: data.get(name) for name in PLAIN},
    )
    session.add(crossing)
    session.flush()
    for hit in data.get("hits") or ():
        session.add(
            ScreeningHit(
                crossing_id=crossing.id,
                list_version_id=_version_id(session, hit["list_name"], hit.get("list_version")),
                status=HitStatus(hit["status"]),
                created_at=datetime.fromisoformat(hit["created_at"]),
                **{name: hit.get(name) for name in HIT_PLAIN},
            )
        )
    return True


def _version_id(session: Session, list_name: str, number: object) -> int | None:
    if not isinstance(number, int):
        return None
    return session.scalar(
        select(WatchlistVersion.id)
        .join(Watchlist, WatchlistVersion.watchlist_id == Watchlist.id)
        .where(Watchlist.name == list_name, WatchlistVersion.number == number)
    )
