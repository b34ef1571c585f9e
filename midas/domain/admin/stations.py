"""Stations (scanning desks) and their tokens: created, rotated, renamed and deactivated by
administrators; names unique per post."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.admin.checks import require_admin
from midas.domain.audit import record_audit
from midas.domain.credentials import token_sha256
from midas.domain.errors import Conflict, InvalidInput, NotFound
from midas.domain.texts import N_
from midas.persistence.database import begin_writing
from midas.persistence.models import Post, Station
from midas.persistence.models.posts import STATION_NAME_INDEX
from scanners.keyboards import LAYOUT_DESCRIPTIONS, LAYOUTS

# The keyboard layouts a station's computer may have, for the station form: name → description.
KEYBOARD_LAYOUTS: dict[str, str] = {name: LAYOUT_DESCRIPTIONS[name] for name in LAYOUTS}

TOKEN_PREFIX = "mst_"


# Shown with a station so an admin can tell tokens apart; 8 random characters reveal nothing useful.
TOKEN_HINT_LENGTH = 12


# The width of stations.name.
STATION_NAME_LENGTH = 120


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A station and its new token, which is shown once and never stored."""

    station: Station
    token: str


def station_name_taken(error: IntegrityError) -> bool:
    """Tell whether a write failed because the post already has a station of that name."""
    diag = getattr(error.orig, "diag", None)
    if diag is not None:  # PostgreSQL (psycopg) names the unique index
        return getattr(diag, "constraint_name", None) == STATION_NAME_INDEX
    return STATION_NAME_INDEX in str(error.orig)  # SQLite names an expression index


def new_station_token() -> str:
    """Return a fresh station token: 256 random bits, URL-safe, with a recognisable prefix."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def get_station(session: Session, actor: Actor, station_id: int) -> Station:
    """Return a station at a post this actor may see."""
    station = session.get(Station, station_id)
    if station is None or not actor.may_see_post(station.post_id):
        raise NotFound(
            N_("no station %(station_id)s"), params={"station_id": station_id}, field="station_id"
        )
    return station


def list_stations(
    session: Session, actor: Actor, *, post_id: int | None = None, active: bool | None = None
) -> list[Station]:
    """Return the stations at posts this actor may see, by post and name."""
    query = select(Station).join(Post).order_by(Post.code, Station.name)
    if actor.post_ids is not None:
        query = query.where(Station.post_id.in_(actor.post_ids))
    if post_id is not None:
        query = query.where(Station.post_id == post_id)
    if active is not None:
        query = query.where(Station.active.is_(active))
    return list(session.scalars(query))


def _issue(station: Station) -> str:
    token = new_station_token()
    station.token_sha256 = token_sha256(token)
    station.token_hint = token[:TOKEN_HINT_LENGTH]
    return token


def _station_name(name: str) -> str:
    """Return a station name with its spaces tidied, or raise if there is none."""
    tidy = " ".join(name.split())
    if not tidy:
        raise InvalidInput(N_("a station needs a name"), field="name")
    if len(tidy) > STATION_NAME_LENGTH:
        raise InvalidInput(
            N_("a station name is at most %(limit)s characters"),
            params={"limit": STATION_NAME_LENGTH},
            field="name",
        )
    return tidy


def _name_taken(post: Post, name: str) -> Conflict:
    return Conflict(
        N_(
            "post %(code)s already has a station named %(name)s (perhaps deactivated): choose "
            "another name, or reactivate that station"
        ),
        params={"code": post.code, "name": repr(name)},
        field="name",
    )


def _check_name_free(session: Session, post: Post, name: str, station_id: int | None) -> None:
    """Refuse a name another station of the post has, whatever the case or active state."""
    # A post has a handful of stations: compare in Python, where case folding is Unicode's
    # on every database (SQLite's lower() folds ASCII only).
    others = session.execute(
        select(Station.id, Station.name).where(Station.post_id == post.id)
    ).all()
    wanted = name.casefold()
    if any(other.name.casefold() == wanted and other.id != station_id for other in others):
        raise _name_taken(post, name)


def _flush_station(session: Session, post: Post, name: str) -> None:
    """Flush, turning a concurrent admin's same name into the same refusal."""
    try:
        session.flush()
    except IntegrityError as error:
        if station_name_taken(error):
            raise _name_taken(post, name) from error
        raise


def create_station(session: Session, actor: Actor | str, *, post_id: int, name: str) -> IssuedToken:
    """Create a station at an active post and issue its token (returned once, kept as SHA-256).

    Names are unique within a post whatever their case: a second "Desk 1" is refused.
    """
    begin_writing(session)
    if isinstance(actor, Actor):
        require_admin(actor)
    post = session.get(Post, post_id)
    if post is None:
        raise InvalidInput(N_("no post %(post_id)s"), params={"post_id": post_id}, field="post_id")
    if not post.active:
        raise Conflict(N_("post %(code)s is closed"), params={"code": post.code}, field="post_id")
    tidy = _station_name(name)
    _check_name_free(session, post, tidy, None)
    station = Station(post_id=post.id, name=tidy, active=True)
    token = _issue(station)
    session.add(station)
    _flush_station(session, post, tidy)
    record_audit(
        session,
        actor,
        "station.create",
        "station",
        station.id,
        detail={"post_id": post.id, "name": station.name, "token_hint": station.token_hint},
    )
    return IssuedToken(station, token)


def rotate_station_token(session: Session, actor: Actor, station_id: int) -> IssuedToken:
    """Issue a new token for a station; the old one stops working at once."""
    begin_writing(session)
    require_admin(actor)
    station = get_station(session, actor, station_id)
    if not station.active:
        raise Conflict(N_("the station is deactivated"), field="station_id")
    token = _issue(station)
    record_audit(
        session,
        actor,
        "station.token_rotate",
        "station",
        station.id,
        detail={"token_hint": station.token_hint},
    )
    return IssuedToken(station, token)


def update_station(
    session: Session,
    actor: Actor,
    station_id: int,
    *,
    name: str | None = None,
    post_id: int | None = None,
    keyboard_layout: str | None = None,
) -> Station:
    """Rename a station, move it to another open post or set its keyboard layout; its token
    stays as it is."""
    begin_writing(session)
    require_admin(actor)
    station = get_station(session, actor, station_id)
    before = {
        "post_id": station.post_id,
        "name": station.name,
        "keyboard_layout": station.keyboard_layout,
    }
    if keyboard_layout is not None:
        if keyboard_layout not in LAYOUTS:
            raise InvalidInput(
                N_("keyboard layout must be one of %(choices)s"),
                params={"choices": ", ".join(LAYOUTS)},
                field="keyboard_layout",
            )
        station.keyboard_layout = keyboard_layout
    tidy = station.name if name is None else _station_name(name)
    post = station.post
    if post_id is not None and post_id != station.post_id:
        found = session.get(Post, post_id)
        if found is None:
            raise InvalidInput(
                N_("no post %(post_id)s"), params={"post_id": post_id}, field="post_id"
            )
        if not found.active:
            raise Conflict(
                N_("post %(code)s is closed"), params={"code": found.code}, field="post_id"
            )
        post = found
    _check_name_free(session, post, tidy, station.id)
    station.name = tidy
    station.post_id = post.id
    _flush_station(session, post, tidy)
    after = {
        "post_id": station.post_id,
        "name": station.name,
        "keyboard_layout": station.keyboard_layout,
    }
    record_audit(
        session, actor, "station.update", "station", station.id,
        detail={"before": before, "after": after},
    )  # fmt: skip
    return station


def reactivate_station(session: Session, actor: Actor, station_id: int) -> IssuedToken:
    """Reactivate a deactivated station with a new token (its old token never works again)."""
    begin_writing(session)
    require_admin(actor)
    station = get_station(session, actor, station_id)
    if station.active:
        raise Conflict(N_("the station is active; rotate its token instead"), field="station_id")
    post = session.get(Post, station.post_id)
    if post is None or not post.active:
        raise Conflict(N_("the station's post is closed: move the station first"), field="post_id")
    station.active = True
    token = _issue(station)
    record_audit(
        session, actor, "station.reactivate", "station", station.id,
        detail={"token_hint": station.token_hint},
    )  # fmt: skip
    return IssuedToken(station, token)


def deactivate_station(session: Session, actor: Actor, station_id: int) -> Station:
    """Deactivate a station: its token stops working at once; its records stay."""
    begin_writing(session)
    require_admin(actor)
    station = get_station(session, actor, station_id)
    station.active = False
    record_audit(session, actor, "station.deactivate", "station", station.id)
    return station
