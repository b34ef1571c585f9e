"""The desk a crossing is recorded at, read in one query: station, post, officer, and more.

With the desk come what recording a crossing needs to know before it writes: whether the
station's token still opens it (`checked_station`), the crossing a client_id already recorded,
the active list versions, and, on PostgreSQL, the lookup of the reading's traveller.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any, Protocol, cast

from sqlalchemy import CompoundSelect, Select, Table, bindparam, select, true
from sqlalchemy.exc import MultipleResultsFound
from sqlalchemy.orm import Session

from midas.domain.actors import Actor, AuthenticationRequired, with_officer
from midas.domain.errors import InvalidInput, PermissionDenied
from midas.domain.travellers import FoundRow, Identity, lookup_query
from midas.persistence.active_lists import ACTIVE_LISTS_COLUMN
from midas.persistence.backends import backend_of
from midas.persistence.database import adopt
from midas.persistence.direct import DirectStatement
from midas.persistence.models import Crossing, Post, PostKind, Role, Station, User

_CROSSINGS = cast(Table, Crossing.__table__)
_STATIONS = cast(Table, Station.__table__)
_POSTS = cast(Table, Post.__table__)
_USERS = cast(Table, User.__table__)
_POST_COLUMNS = [column.label(f"post_{column.key}") for column in _POSTS.c]
# What a crossing shows of its officer; the other columns load if something reads them.
_OFFICER_COLUMNS = [
    _USERS.c[name].label(f"officer_{name}")
    for name in ("id", "username", "full_name", "role", "post_id", "all_posts", "active")
]
_STATION_COLUMNS = [
    _STATIONS.c.id.label("station_id"),
    _STATIONS.c.active.label("station_active"),
    _STATIONS.c.token_sha256.label("station_token_sha256"),
]
# The crossing a client_id already recorded comes along with the desk, in the same round trip
# (a concurrent request's crossing that commits later is met by the unique client_id: see
# midas.domain.submissions).
_REPLAY_COLUMNS = [
    _CROSSINGS.c.id.label("replay_id"),
    _CROSSINGS.c.submission_sha256.label("replay_submission_sha256"),
    _CROSSINGS.c.post_id.label("replay_post_id"),
]
# With the desk comes what the screening needs to know: which list versions are active.
_DESK_EXTRAS = (*_REPLAY_COLUMNS, ACTIVE_LISTS_COLUMN)
_RECORDED = (_CROSSINGS, _CROSSINGS.c.client_id == bindparam("client_id"))
_STATION_POST = _STATIONS.join(_POSTS, _POSTS.c.id == _STATIONS.c.post_id)
# A station's desk: its post and the officer it names (by username, or already attributed).
_STATION_DESK_BY_USERNAME = (
    select(*_STATION_COLUMNS, *_POST_COLUMNS, *_OFFICER_COLUMNS, *_DESK_EXTRAS)
    .select_from(
        _STATION_POST.outerjoin(_USERS, _USERS.c.username == bindparam("username")).outerjoin(
            *_RECORDED
        )
    )
    .where(_STATIONS.c.id == bindparam("station_id"))
)
_STATION_DESK_BY_USER = (
    select(*_STATION_COLUMNS, *_POST_COLUMNS, *_OFFICER_COLUMNS, *_DESK_EXTRAS)
    .select_from(
        _STATION_POST.outerjoin(_USERS, _USERS.c.id == bindparam("user_id")).outerjoin(*_RECORDED)
    )
    .where(_STATIONS.c.id == bindparam("station_id"))
)
# What checks a station's token when there is no desk row to check it with.
_STATION_CHECK = (
    select(*_STATION_COLUMNS, _POSTS.c.id.label("post_id"), _POSTS.c.active.label("post_active"))
    .select_from(_STATION_POST)
    .where(_STATIONS.c.id == bindparam("station_id"))
)
_PERSON_DESK = (
    select(*_POST_COLUMNS, *_OFFICER_COLUMNS, *_DESK_EXTRAS)
    .select_from(_USERS.outerjoin(_POSTS, _POSTS.c.id == _USERS.c.post_id).outerjoin(*_RECORDED))
    .where(_USERS.c.id == bindparam("user_id"))
)


class StationRow(Protocol):
    """The columns that check a station's token: its station and post."""

    station_id: int | None
    station_active: bool | None
    station_token_sha256: str | None
    post_id: int | None
    post_active: bool | None


class DeskRow(StationRow, Protocol):
    """A row of a desk query (the post's and officer's columns are read by their labels)."""

    officer_id: int | None
    replay_id: int | None
    replay_submission_sha256: str | None
    replay_post_id: int | None
    active_lists: str | None


class DeskWithLookupRow(DeskRow, FoundRow, Protocol):
    """A row of a desk query that carries the lookup of the reading's traveller."""


@dataclass(frozen=True, slots=True)
class PostAtDesk:
    """The post of a desk as read with it: every column, without an ORM object (`adopt`)."""

    id: int
    code: str
    name: str
    kind: PostKind
    country: str
    timezone: str
    active: bool
    created_at: datetime

    def adopt(self, session: Session) -> Post:
        """Return the post as the session's ORM object."""
        return adopt(session, Post, asdict(self))


@dataclass(frozen=True, slots=True)
class OfficerAtDesk:
    """The officer named at a desk: what recording needs of them, without an ORM object."""

    id: int
    username: str
    full_name: str
    role: Role
    post_id: int | None
    all_posts: bool
    active: bool

    def adopt(self, session: Session) -> User:
        """Return the officer as the session's ORM object (other columns load when read)."""
        return adopt(session, User, asdict(self))


@dataclass(frozen=True, slots=True)
class Desk:
    """Who records a crossing, where: the acting actor, the post, the station and the officer."""

    acting: Actor
    post: PostAtDesk
    station_id: int | None
    officer: OfficerAtDesk | None


def desk_row(
    session: Session,
    actor: Actor,
    officer: str | None,
    client_id: str,
    identity: Identity | None = None,
) -> tuple[DeskRow | None, list[FoundRow] | None]:
    """Read the actor's desk and the crossing of this client_id, if any, in one query; on
    PostgreSQL, the lookup of the reading's traveller (`lookup_query`) comes with it.

    Returns the desk row, None when there is no desk to read (a station naming nobody) or it is
    not stored; and the lookup's rows, None when they were not read.
    """
    connection = session.connection()
    parameters: dict[str, Any]
    if actor.kind != "station":
        parameters = {"user_id": actor.user_id}
        statement = _PERSON_DESK
    elif officer is None and actor.user_id is not None:
        parameters = {"station_id": actor.station_id, "user_id": actor.user_id}
        statement = _STATION_DESK_BY_USER
    elif officer:
        parameters = {"station_id": actor.station_id, "username": officer}
        statement = _STATION_DESK_BY_USERNAME
    else:
        return None, None
    parameters["client_id"] = client_id
    if identity is None or not backend_of(connection).lateral_lookup:
        return _one(_direct(statement).execute(connection, parameters)), None
    lookup, found_by = lookup_query(identity)
    if lookup is None:
        return _one(_direct(statement).execute(connection, parameters)), []
    rows = _with_lookup(statement, lookup).execute(connection, parameters | found_by)
    if not rows:
        return None, None
    return rows[0], [row for row in rows if row.found_by is not None]


def _one(rows: list[DeskRow]) -> DeskRow | None:
    if len(rows) > 1:
        raise MultipleResultsFound("the desk query found more than one row")
    return rows[0] if rows else None


# The desk queries run straight on the driver (midas.persistence.direct), built once each.
_DIRECT_DESKS: dict[int, DirectStatement[DeskRow]] = {}
_DIRECT_DESKS_WITH_LOOKUP: dict[tuple[int, int], DirectStatement[DeskWithLookupRow]] = {}


def _direct(desk: Select[Any]) -> DirectStatement[DeskRow]:
    key = id(desk)
    found = _DIRECT_DESKS.get(key)
    if found is None:
        found = _DIRECT_DESKS.setdefault(key, DirectStatement(desk))
    return found


def _with_lookup(
    desk: Select[Any], lookup: Select[Any] | CompoundSelect[Any]
) -> DirectStatement[DeskWithLookupRow]:
    """The desk query with the traveller's lookup joined laterally: one row per lookup row, or
    one row with NULL lookup columns when it finds nothing (built once per pair)."""
    key = (id(desk), id(lookup))
    found = _DIRECT_DESKS_WITH_LOOKUP.get(key)
    if found is None:
        traveller = lookup.lateral("found")
        joined = desk.add_columns(*traveller.c).outerjoin(traveller, true())
        found = _DIRECT_DESKS_WITH_LOOKUP.setdefault(key, DirectStatement(joined))
    return found


def checked_station(session: Session, actor: Actor, row: StationRow | None) -> Actor:
    """Check the token of a station whose request did not look it up on its own (see
    `midas.auth.station_checked`) against the desk row: refuse it (401) if it no longer opens
    an active station at an active post, before anything is read or written."""
    digest = actor.unverified_token
    if digest is None:
        return actor
    if row is None:
        parameters = {"station_id": actor.station_id}
        row = cast(StationRow | None, session.execute(_STATION_CHECK, parameters).one_or_none())
    if (
        row is None
        or row.station_token_sha256 != digest
        or not row.station_active
        or row.post_id is None
        or not row.post_active
    ):
        raise AuthenticationRequired("the station token is unknown, rotated or deactivated")
    # The station's post as it is now, should it have moved since the token was last looked up.
    return replace(actor, post_ids=frozenset({row.post_id}), unverified_token=None)


def attributed_desk(
    session: Session, actor: Actor, officer: str | None, row: DeskRow | None
) -> Desk:
    """Apply the checks of `crossings.recorder` and `crossings._desk`, in the same order, to a
    row of `desk_row`."""
    acting = actor
    station_id: int | None = None
    if actor.kind == "station":
        named = not (officer is None and actor.user_id is not None)
        if named and not officer:
            raise InvalidInput("a station must name the officer at the desk", field="officer")
        user = _officer_of(row)
        if named:
            if user is None or not user.active or user.role is not Role.OFFICER:
                raise InvalidInput(f"no active officer named {officer!r}", field="officer")
            if actor.post_ids is None or user.post_id not in actor.post_ids:
                raise InvalidInput(
                    f"officer {officer!r} is not posted at this station", field="officer"
                )
            acting = with_officer(actor, user)
        if row is None or not row.station_active:
            raise PermissionDenied("this station is not active")
        station_id = row.station_id
    else:
        if officer not in (None, "", actor.username):
            raise PermissionDenied("a person records only under their own name")
        user = _officer_of(row)
        if user is None or user.post_id is None or actor.role is not Role.OFFICER:
            raise PermissionDenied("only an officer posted at a post records crossings")
    if row is None or row.post_id is None or not row.post_active:
        raise PermissionDenied("this post is not open to this actor")
    if not acting.may_see_post(row.post_id):
        raise PermissionDenied("this post is not open to this actor")
    values = {column.key: getattr(row, f"post_{column.key}") for column in _POSTS.c}
    return Desk(acting, PostAtDesk(**values), station_id, user)


def _officer_of(row: DeskRow | None) -> OfficerAtDesk | None:
    if row is None or row.officer_id is None:
        return None
    values = {label.name[len("officer_") :]: getattr(row, label.name) for label in _OFFICER_COLUMNS}
    return OfficerAtDesk(**values)


def attribute_officer(session: Session, actor: Actor, username: str | None) -> Actor:
    """Return the actor to record under: a station names an officer posted at its post.

    A person acts for themself: naming anyone else is refused. The officer a station names must
    be an active officer posted at the station's post; the attribution is then audited as theirs.
    """
    if actor.kind == "user":
        if username not in (None, "", actor.username):
            raise PermissionDenied("a person records only under their own name")
        return actor
    if not username:
        raise InvalidInput("a station must name the officer at the desk", field="officer")
    officer = session.scalar(select(User).where(User.username == username))
    if officer is None or not officer.active or officer.role is not Role.OFFICER:
        raise InvalidInput(f"no active officer named {username!r}", field="officer")
    if actor.post_ids is None or officer.post_id not in actor.post_ids:
        raise InvalidInput(f"officer {username!r} is not posted at this station", field="officer")
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
        found = session.execute(
            select(Station, Post, User)
            .join(Post, Post.id == Station.post_id)
            .outerjoin(User, User.id == actor.user_id)
            .where(Station.id == actor.station_id)
        ).one_or_none()
        station, post, user = found if found is not None else (None, None, None)
        if station is None or not station.active:
            raise PermissionDenied("this station is not active")
        station_id: int | None = station.id
    else:
        person = session.execute(
            select(User, Post)
            .outerjoin(Post, Post.id == User.post_id)
            .where(User.id == actor.user_id)
        ).one_or_none()
        user, post = person if person is not None else (None, None)
        if user is None or user.post_id is None or actor.role is not Role.OFFICER:
            raise PermissionDenied("only an officer posted at a post records crossings")
        station_id = None
    if post is None or not post.active or not actor.may_see_post(post.id):
        raise PermissionDenied("this post is not open to this actor")
    return post, station_id, user


def recorder(session: Session, actor: Actor, officer: str | None) -> Actor:
    """Return the actor a crossing is recorded under: a station names its officer."""
    if actor.kind == "station" and officer is None and actor.user_id is not None:
        return actor
    return attribute_officer(session, actor, officer)
