"""The desk a crossing is recorded at, read in one query: station, post, officer, and more.

With the desk come what recording a crossing needs to know before it writes: whether the
station's token still opens it, the crossing a client_id already recorded, the active list
versions, and, where the database can (`backends`), the lookup of the reading's traveller. The
domain gets them as one typed `DeskRead`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, cast

from sqlalchemy import CompoundSelect, Connection, Select, Table, bindparam, select, true
from sqlalchemy.exc import MultipleResultsFound
from sqlalchemy.orm import Session

from midas.persistence.active_lists import ACTIVE_LISTS_COLUMN, ActiveList, parse_active_lists
from midas.persistence.backends import backend_of
from midas.persistence.database import adopt
from midas.persistence.direct import DirectStatement
from midas.persistence.models import Crossing, Post, PostKind, Role, Station, User
from midas.persistence.traveller_rows import (
    NOTHING_FOUND,
    FoundRow,
    TravellerLookup,
    TravellersFound,
    found_in,
    lookup_statement,
)

_CROSSINGS = cast(Table, Crossing.__table__)
_STATIONS = cast(Table, Station.__table__)
_POSTS = cast(Table, Post.__table__)
_USERS = cast(Table, User.__table__)
_POST_COLUMNS = [column.label(f"post_{column.key}") for column in _POSTS.c]
# What a crossing shows of its officer; the other columns load if something reads them.
_OFFICER_FIELDS = ("id", "username", "full_name", "role", "post_id", "all_posts", "active")
_OFFICER_COLUMNS = [_USERS.c[name].label(f"officer_{name}") for name in _OFFICER_FIELDS]
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


class _StationColumns(Protocol):
    """The columns of a station desk's row, or of the station check, that check its token."""

    station_id: int | None
    station_active: bool | None
    station_token_sha256: str | None
    post_id: int | None
    post_active: bool | None


class DeskRow(Protocol):
    """A row of a desk query (a person's desk has no station columns)."""

    post_id: int | None
    post_code: str | None
    post_name: str | None
    post_kind: PostKind | None
    post_country: str | None
    post_timezone: str | None
    post_active: bool | None
    post_created_at: datetime | None
    officer_id: int | None
    officer_username: str | None
    officer_full_name: str | None
    officer_role: Role | None
    officer_post_id: int | None
    officer_all_posts: bool | None
    officer_active: bool | None
    replay_id: int | None
    replay_submission_sha256: str | None
    replay_post_id: int | None
    active_lists: str | None


class _DeskWithLookupRow(DeskRow, FoundRow, Protocol):
    """A row of a desk query that carries the lookup of the reading's traveller."""


@dataclass(frozen=True, slots=True)
class StationCheck:
    """What checks a station's token: whether its station and post are stored and active."""

    station_id: int | None
    active: bool
    token_sha256: str | None
    post_id: int | None
    post_active: bool


@dataclass(frozen=True, slots=True)
class PostAtDesk:
    """The post of a desk as read with it: every column, without an ORM object."""

    id: int
    code: str
    name: str
    kind: PostKind
    country: str
    timezone: str
    active: bool
    created_at: datetime

    def as_orm(self, session: Session) -> Post:
        """Return the post as the session's ORM object, without a query."""
        return adopt(session, Post, {name: getattr(self, name) for name in _POST_FIELDS})


_POST_FIELDS = tuple(PostAtDesk.__dataclass_fields__)


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

    def as_orm(self, session: Session) -> User:
        """Return the officer as the session's ORM object (other columns load when read)."""
        return adopt(session, User, {name: getattr(self, name) for name in _OFFICER_FIELDS})


@dataclass(frozen=True, slots=True)
class Replay:
    """The crossing a client_id already recorded: a retry's, or a reuse."""

    crossing_id: int
    submission_sha256: str | None
    post_id: int | None


@dataclass(frozen=True, slots=True)
class DeskRead:
    """Everything recording reads with the desk, in one round trip."""

    # The station of a station's desk (None at a person's desk).
    station: StationCheck | None
    post: PostAtDesk | None
    officer: OfficerAtDesk | None
    replay: Replay | None
    # The active version of every list, by list name.
    active_lists: list[ActiveList]
    # The lookup of the reading's traveller; None when it was not read with the desk.
    found: TravellersFound | None


def read_person_desk(
    connection: Connection, user_id: int | None, client_id: str, lookup: TravellerLookup | None
) -> DeskRead | None:
    """Read a person's desk (their post) with the crossing of this client_id; None if the
    person is not stored."""
    parameters: dict[str, object] = {"user_id": user_id, "client_id": client_id}
    return _read(connection, _PERSON_DESK, parameters, lookup, station=False)


def read_station_desk(
    connection: Connection,
    station_id: int | None,
    officer: int | str,
    client_id: str,
    lookup: TravellerLookup | None,
) -> DeskRead | None:
    """Read a station's desk with the officer it names (a user id, or a username) and the
    crossing of this client_id; None if the station is not stored."""
    parameters: dict[str, object] = {"station_id": station_id, "client_id": client_id}
    if isinstance(officer, int):
        parameters["user_id"] = officer
        return _read(connection, _STATION_DESK_BY_USER, parameters, lookup, station=True)
    parameters["username"] = officer
    return _read(connection, _STATION_DESK_BY_USERNAME, parameters, lookup, station=True)


def _read(
    connection: Connection,
    statement: Select[Any],
    parameters: dict[str, object],
    lookup: TravellerLookup | None,
    *,
    station: bool,
) -> DeskRead | None:
    if lookup is None or not backend_of(connection).lateral_lookup:
        return _desk_read(_one(_direct(statement).execute(connection, parameters)), station, None)
    with_lookup = lookup_statement(lookup)
    if with_lookup is None:
        row = _one(_direct(statement).execute(connection, parameters))
        return _desk_read(row, station, NOTHING_FOUND)
    traveller, found_by = with_lookup
    rows = _with_lookup(statement, traveller).execute(connection, parameters | found_by)
    if not rows:
        return None
    return _desk_read(rows[0], station, found_in(rows, lookup))


def _one(rows: list[DeskRow]) -> DeskRow | None:
    if len(rows) > 1:
        raise MultipleResultsFound("the desk query found more than one row")
    return rows[0] if rows else None


def _desk_read(
    row: DeskRow | None, station: bool, found: TravellersFound | None
) -> DeskRead | None:
    if row is None:
        return None
    post = None
    if row.post_id is not None:
        post = PostAtDesk(
            row.post_id, cast(str, row.post_code), cast(str, row.post_name),
            cast(PostKind, row.post_kind), cast(str, row.post_country),
            cast(str, row.post_timezone), bool(row.post_active),
            cast(datetime, row.post_created_at),
        )  # fmt: skip
    officer = None
    if row.officer_id is not None:
        officer = OfficerAtDesk(
            row.officer_id, cast(str, row.officer_username), cast(str, row.officer_full_name),
            cast(Role, row.officer_role), row.officer_post_id, bool(row.officer_all_posts),
            bool(row.officer_active),
        )  # fmt: skip
    replay = None
    if row.replay_id is not None:
        replay = Replay(row.replay_id, row.replay_submission_sha256, row.replay_post_id)
    check = _station_check(cast(_StationColumns, row)) if station else None
    return DeskRead(check, post, officer, replay, parse_active_lists(row.active_lists), found)


def _station_check(row: _StationColumns) -> StationCheck:
    return StationCheck(
        row.station_id, bool(row.station_active), row.station_token_sha256, row.post_id,
        bool(row.post_active),
    )  # fmt: skip


# The desk queries run straight on the driver (midas.persistence.direct), built once each.
_DIRECT_DESKS: dict[int, DirectStatement[DeskRow]] = {}
_DIRECT_DESKS_WITH_LOOKUP: dict[tuple[int, int], DirectStatement[_DeskWithLookupRow]] = {}


def _direct(desk: Select[Any]) -> DirectStatement[DeskRow]:
    key = id(desk)
    found = _DIRECT_DESKS.get(key)
    if found is None:
        found = _DIRECT_DESKS.setdefault(key, DirectStatement(desk))
    return found


def _with_lookup(
    desk: Select[Any], lookup: Select[Any] | CompoundSelect[Any]
) -> DirectStatement[_DeskWithLookupRow]:
    """The desk query with the traveller's lookup joined laterally: one row per lookup row, or
    one row with NULL lookup columns when it finds nothing (built once per pair)."""
    key = (id(desk), id(lookup))
    found = _DIRECT_DESKS_WITH_LOOKUP.get(key)
    if found is None:
        traveller = lookup.lateral("found")
        joined = desk.add_columns(*traveller.c).outerjoin(traveller, true())
        found = _DIRECT_DESKS_WITH_LOOKUP.setdefault(key, DirectStatement(joined))
    return found


def read_station(connection: Connection, station_id: int | None) -> StationCheck | None:
    """Read what checks a station's token, when no desk was read to check it with."""
    row = connection.execute(_STATION_CHECK, {"station_id": station_id}).one_or_none()
    return None if row is None else _station_check(cast(_StationColumns, row))


def user_named(session: Session, username: str) -> User | None:
    """Return the user of this username, or None."""
    return session.scalar(select(User).where(User.username == username))


def station_desk(
    session: Session, station_id: int | None, user_id: int | None
) -> tuple[Station, Post, User | None] | None:
    """Return a station, its post and the user it acts for, in one query; None if no station."""
    found = session.execute(
        select(Station, Post, User)
        .join(Post, Post.id == Station.post_id)
        .outerjoin(User, User.id == user_id)
        .where(Station.id == station_id)
    ).one_or_none()
    return None if found is None else (found[0], found[1], found[2])


def person_desk(session: Session, user_id: int | None) -> tuple[User, Post | None] | None:
    """Return a person and their post, in one query; None if the person is not stored."""
    found = session.execute(
        select(User, Post).outerjoin(Post, Post.id == User.post_id).where(User.id == user_id)
    ).one_or_none()
    return None if found is None else (found[0], found[1])
