"""The desk a crossing is recorded at: who may record there, and under which officer.

The desk is read in one query with what recording needs to know before it writes
(`midas.persistence.desk_rows`): whether the station's token still opens it (`checked_station`),
the crossing a client_id already recorded, the active list versions, and, where the database
can, the lookup of the reading's traveller.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from midas.domain.actors import Actor, AuthenticationRequired, with_officer
from midas.domain.errors import InvalidInput, PermissionDenied
from midas.domain.texts import N_
from midas.domain.travellers import Identity, lookup_of
from midas.persistence.desk_rows import (
    DeskRead,
    OfficerAtDesk,
    PostAtDesk,
    person_desk,
    read_person_desk,
    read_station,
    read_station_desk,
    station_desk,
    user_named,
)
from midas.persistence.models import Post, Role, User


@dataclass(frozen=True, slots=True)
class Desk:
    """Who records a crossing, where: the acting actor, the post, the station and the officer."""

    acting: Actor
    post: PostAtDesk
    station_id: int | None
    officer: OfficerAtDesk | None


def read_desk(
    session: Session,
    actor: Actor,
    officer: str | None,
    client_id: str,
    identity: Identity | None = None,
) -> DeskRead | None:
    """Read the actor's desk and the crossing of this client_id, if any, in one query, with the
    lookup of the reading's traveller where the database can (its `found`).

    None when there is no desk to read (a station naming nobody) or it is not stored.
    """
    connection = session.connection()
    lookup = None if identity is None else lookup_of(identity)
    if actor.kind != "station":
        return read_person_desk(connection, actor.user_id, client_id, lookup)
    if officer is None and actor.user_id is not None:
        return read_station_desk(connection, actor.station_id, actor.user_id, client_id, lookup)
    if officer:
        return read_station_desk(connection, actor.station_id, officer, client_id, lookup)
    return None


def checked_station(session: Session, actor: Actor, desk: DeskRead | None) -> Actor:
    """Check the token of a station whose request did not look it up on its own (see
    `midas.auth.station_checked`) against the desk read: refuse it (401) if it no longer opens
    an active station at an active post, before anything is read or written."""
    digest = actor.unverified_token
    if digest is None:
        return actor
    station = read_station(session.connection(), actor.station_id) if desk is None else desk.station
    if (
        station is None
        or station.token_sha256 != digest
        or not station.active
        or station.post_id is None
        or not station.post_active
    ):
        raise AuthenticationRequired("the station token is unknown, rotated or deactivated")
    # The station's post as it is now, should it have moved since the token was last looked up.
    return replace(actor, post_ids=frozenset({station.post_id}), unverified_token=None)


def attributed_desk(actor: Actor, officer: str | None, desk: DeskRead | None) -> Desk:
    """Apply the checks of `recorder` and `resolve_post`, in the same order, to a desk read."""
    acting = actor
    station_id: int | None = None
    user = None if desk is None else desk.officer
    if actor.kind == "station":
        named = not (officer is None and actor.user_id is not None)
        if named and not officer:
            raise InvalidInput(N_("a station must name the officer at the desk"), field="officer")
        if named:
            if user is None or not user.active or user.role is not Role.OFFICER:
                raise InvalidInput(
                    N_("no active officer named %(officer)s"),
                    params={"officer": repr(officer)},
                    field="officer",
                )
            if actor.post_ids is None or user.post_id not in actor.post_ids:
                raise InvalidInput(
                    N_("officer %(officer)s is not posted at this station"),
                    params={"officer": repr(officer)},
                    field="officer",
                )
            acting = with_officer(actor, user)
        station = None if desk is None else desk.station
        if station is None or not station.active:
            raise PermissionDenied(N_("this station is not active"))
        station_id = station.station_id
    else:
        if officer not in (None, "", actor.username):
            raise PermissionDenied(N_("a person records only under their own name"))
        if user is None or user.post_id is None or actor.role is not Role.OFFICER:
            raise PermissionDenied(N_("only an officer posted at a post records crossings"))
    post = None if desk is None else desk.post
    if post is None or not post.active or not acting.may_see_post(post.id):
        raise PermissionDenied(N_("this post is not open to this actor"))
    return Desk(acting, post, station_id, user)


def attribute_officer(session: Session, actor: Actor, username: str | None) -> Actor:
    """Return the actor to record under: a station names an officer posted at its post.

    A person acts for themself: naming anyone else is refused. The officer a station names must
    be an active officer posted at the station's post; the attribution is then audited as theirs.
    """
    if actor.kind == "user":
        if username not in (None, "", actor.username):
            raise PermissionDenied(N_("a person records only under their own name"))
        return actor
    if not username:
        raise InvalidInput(N_("a station must name the officer at the desk"), field="officer")
    officer = user_named(session, username)
    if officer is None or not officer.active or officer.role is not Role.OFFICER:
        raise InvalidInput(
            N_("no active officer named %(username)s"),
            params={"username": repr(username)},
            field="officer",
        )
    if actor.post_ids is None or officer.post_id not in actor.post_ids:
        raise InvalidInput(
            N_("officer %(username)s is not posted at this station"),
            params={"username": repr(username)},
            field="officer",
        )
    return with_officer(actor, officer)


def resolve_post(session: Session, actor: Actor) -> tuple[Post, int | None]:
    """Return the post an actor records at and its station; raise PermissionDenied if none."""
    post, station_id, _ = _desk(session, actor)
    return post, station_id


def _desk(session: Session, actor: Actor) -> tuple[Post, int | None, User | None]:
    """Return the post, the station and the accountable user of an actor, in one query."""
    user: User | None
    if actor.kind == "station":
        # The officer comes along in the same round trip (the crossing names them).
        found = station_desk(session, actor.station_id, actor.user_id)
        station, post, user = found if found is not None else (None, None, None)
        if station is None or not station.active:
            raise PermissionDenied(N_("this station is not active"))
        station_id: int | None = station.id
    else:
        person = person_desk(session, actor.user_id)
        user, post = person if person is not None else (None, None)
        if user is None or user.post_id is None or actor.role is not Role.OFFICER:
            raise PermissionDenied(N_("only an officer posted at a post records crossings"))
        station_id = None
    if post is None or not post.active or not actor.may_see_post(post.id):
        raise PermissionDenied(N_("this post is not open to this actor"))
    return post, station_id, user


def recorder(session: Session, actor: Actor, officer: str | None) -> Actor:
    """Return the actor a crossing is recorded under: a station names its officer."""
    if actor.kind == "station" and officer is None and actor.user_id is not None:
        return actor
    return attribute_officer(session, actor, officer)
