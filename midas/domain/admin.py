"""Administration: users, posts, stations (with their tokens) and stay rules, every change audited.

Functions take a Session and the acting Actor; the caller owns the transaction. Only admins
change anything here; reads are scoped by the actor's posts.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

import statecodes
from midas.domain.actors import Actor
from midas.domain.audit import record_audit
from midas.domain.credentials import PasswordHashing, token_sha256
from midas.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Problems
from midas.domain.user_sessions import end_sessions
from midas.persistence.base import utcnow
from midas.persistence.database import begin_writing
from midas.persistence.login_failures import forget_failures
from midas.persistence.models import Post, PostKind, Role, Station, StayRule, User
from midas.persistence.models.posts import STATION_NAME_INDEX

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,79}")
POST_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,15}")
TOKEN_PREFIX = "mst_"
# Shown with a station so an admin can tell tokens apart; 8 random characters reveal nothing useful.
TOKEN_HINT_LENGTH = 12
DEFAULT_NATIONALITY = "*"
# The width of stations.name.
STATION_NAME_LENGTH = 120


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A station and its new token, which is shown once and never stored."""

    station: Station
    token: str


def require_admin(actor: Actor) -> None:
    """Refuse anyone but a person with the admin role."""
    if actor.role is not Role.ADMIN or actor.kind != "user":
        raise PermissionDenied("only an administrator may do this")


# Posts ---------------------------------------------------------------------------------------


def check_country(code: str, field: str = "country") -> str:
    """Return the code of the state a post lies in, in upper case, or raise naming the field."""
    upper = code.strip().upper()
    if not statecodes.is_state(upper):
        raise InvalidInput(
            f"{code!r} is not a country code (three letters, e.g. AUT, or RKS for Kosovo)",
            field=field,
        )
    return upper


def check_nationality(code: str, field: str = "nationality") -> str:
    """Return a nationality code a travel document may carry, in upper case, or raise."""
    upper = code.strip().upper()
    if not statecodes.is_known(upper):
        raise InvalidInput(
            f"{code!r} is not a nationality code of ICAO Doc 9303 (e.g. KEN, RKS or XXA)",
            field=field,
        )
    return upper


def check_timezone(name: str, field: str = "timezone") -> str:
    """Return an IANA time zone name, or raise naming the field."""
    if name not in available_timezones():
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(f"{name!r} is not an IANA time zone", field=field) from None
    return name


def _post_kind(kind: str | PostKind) -> PostKind:
    try:
        return PostKind(kind)
    except ValueError:
        choices = ", ".join(k.value for k in PostKind)
        raise InvalidInput(f"kind must be one of {choices}", field="kind") from None


def get_post(session: Session, actor: Actor, post_id: int) -> Post:
    """Return a post this actor may see."""
    post = session.get(Post, post_id)
    if post is None or not actor.may_see_post(post.id):
        raise NotFound(f"no post {post_id}", field="post_id")
    return post


def find_post(session: Session, code: str, field: str = "post") -> Post:
    """Return the post with a code, or raise naming the field."""
    post = session.scalar(select(Post).where(Post.code == code.strip().upper()))
    if post is None:
        raise InvalidInput(f"no post with code {code!r}", field=field)
    return post


def list_posts(session: Session, actor: Actor, *, active: bool | None = None) -> list[Post]:
    """Return the posts this actor may see, by code."""
    query = select(Post).order_by(Post.code)
    if actor.post_ids is not None:
        query = query.where(Post.id.in_(actor.post_ids))
    if active is not None:
        query = query.where(Post.active.is_(active))
    return list(session.scalars(query))


def create_post(
    session: Session,
    actor: Actor | str,
    *,
    code: str,
    name: str,
    kind: str | PostKind,
    country: str,
    timezone: str,
) -> Post:
    """Create a border post; the code is unique (upper case letters, digits, hyphens)."""
    begin_writing(session)
    if isinstance(actor, Actor):
        require_admin(actor)
    upper = code.strip().upper()
    if not POST_CODE.fullmatch(upper):
        raise InvalidInput("a post code is 2-16 letters, digits or hyphens", field="code")
    if session.scalar(select(Post.id).where(Post.code == upper)) is not None:
        raise Conflict(f"a post with code {upper} exists", field="code")
    if not name.strip():
        raise InvalidInput("a post needs a name", field="name")
    post = Post(
        code=upper,
        name=name.strip(),
        kind=_post_kind(kind),
        country=check_country(country),
        timezone=check_timezone(timezone),
        active=True,
    )
    session.add(post)
    session.flush()
    record_audit(session, actor, "post.create", "post", post.id, detail=_post_detail(post))
    return post


def _post_detail(post: Post) -> dict[str, Any]:
    return {
        "code": post.code,
        "name": post.name,
        "kind": post.kind.value,
        "country": post.country,
        "timezone": post.timezone,
        "active": post.active,
    }


def update_post(
    session: Session,
    actor: Actor,
    post_id: int,
    *,
    name: str | None = None,
    kind: str | PostKind | None = None,
    country: str | None = None,
    timezone: str | None = None,
    active: bool | None = None,
) -> Post:
    """Change a post's name, kind, country, time zone or activity (its code stays)."""
    begin_writing(session)
    require_admin(actor)
    post = get_post(session, actor, post_id)
    if name is not None:
        if not name.strip():
            raise InvalidInput("a post needs a name", field="name")
        post.name = name.strip()
    if kind is not None:
        post.kind = _post_kind(kind)
    if country is not None:
        post.country = check_country(country)
    if timezone is not None:
        post.timezone = check_timezone(timezone)
    if active is not None:
        post.active = active
    record_audit(session, actor, "post.update", "post", post.id, detail=_post_detail(post))
    return post


def deactivate_post(session: Session, actor: Actor, post_id: int) -> Post:
    """Close a post: its stations' tokens stop working; its records stay."""
    begin_writing(session)
    require_admin(actor)
    post = get_post(session, actor, post_id)
    post.active = False
    record_audit(session, actor, "post.deactivate", "post", post.id)
    return post


# Users ---------------------------------------------------------------------------------------


def _role(role: str | Role) -> Role:
    try:
        return Role(role)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise InvalidInput(f"role must be one of {choices}", field="role") from None


def _posts(session: Session, post_ids: Iterable[int], field: str) -> list[Post]:
    wanted = sorted(set(post_ids))
    posts = list(session.scalars(select(Post).where(Post.id.in_(wanted)).order_by(Post.id)))
    missing = sorted(set(wanted) - {post.id for post in posts})
    if missing:
        raise InvalidInput(f"no post {missing[0]}", field=field)
    return posts


def _check_assignment(user: User) -> None:
    """Hold the rule: an officer has one post, a supervisor some posts or all, an admin none."""
    if user.role is Role.OFFICER:
        if user.post_id is None:
            raise InvalidInput("an officer must be posted at a post", field="post_id")
        if user.supervised or user.all_posts:
            raise InvalidInput("an officer supervises no posts", field="supervised_post_ids")
    elif user.role is Role.SUPERVISOR:
        if not user.supervised and not user.all_posts:
            raise InvalidInput(
                "a supervisor needs the posts they supervise, or all posts",
                field="supervised_post_ids",
            )
    elif user.supervised or user.all_posts:
        user.supervised = []
        user.all_posts = False


def _load_user(session: Session, actor: Actor, user_id: int) -> User:
    user = session.scalar(
        select(User).options(selectinload(User.supervised)).where(User.id == user_id)
    )
    if user is None or not _may_see_user(actor, user):
        raise NotFound(f"no user {user_id}", field="user_id")
    return user


def get_user(session: Session, actor: Actor, user_id: int) -> User:
    """Return a user: admins see everyone, supervisors the officers at their posts, others self."""
    begin_writing(session)
    user = _load_user(session, actor, user_id)
    record_audit(session, actor, "user.read", "user", user.id)
    return user


def _may_see_user(actor: Actor, user: User) -> bool:
    if actor.role is Role.ADMIN or actor.user_id == user.id:
        return True
    if actor.role is Role.SUPERVISOR and user.role is Role.OFFICER:
        return user.post_id is not None and actor.may_see_post(user.post_id)
    return False


def list_users(
    session: Session,
    actor: Actor,
    *,
    role: str | Role | None = None,
    post_id: int | None = None,
    active: bool | None = None,
    query: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[User], int]:
    """Return a page of users this actor may see, by username, and how many match in all."""
    begin_writing(session)
    if actor.role not in (Role.ADMIN, Role.SUPERVISOR) or actor.kind != "user":
        raise PermissionDenied("only supervisors and administrators list users")
    statement = select(User)
    if actor.role is Role.SUPERVISOR:
        statement = statement.where(User.role == Role.OFFICER)
        if actor.post_ids is not None:
            statement = statement.where(User.post_id.in_(actor.post_ids))
    if role is not None:
        statement = statement.where(User.role == _role(role))
    if post_id is not None:
        statement = statement.where(User.post_id == post_id)
    if active is not None:
        statement = statement.where(User.active.is_(active))
    if query:
        pattern = f"%{query.strip().lower()}%"
        statement = statement.where(
            func.lower(User.username).like(pattern) | func.lower(User.full_name).like(pattern)
        )
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    users = list(
        session.scalars(
            statement.options(selectinload(User.supervised))
            .order_by(User.username)
            .offset(offset)
            .limit(limit)
        )
    )
    filters = {"role": role, "post_id": post_id, "active": active, "query": query}
    record_audit(
        session,
        actor,
        "user.search",
        "user",
        detail={k: str(v) for k, v in filters.items() if v is not None} | {"results": len(users)},
    )
    return users, total


def _user_detail(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "role": user.role.value,
        "post_id": user.post_id,
        "supervised_post_ids": sorted(post.id for post in user.supervised),
        "all_posts": user.all_posts,
        "active": user.active,
    }


def create_user(
    session: Session,
    actor: Actor | str,
    passwords: PasswordHashing,
    *,
    username: str,
    full_name: str,
    role: str | Role,
    password: str,
    post_id: int | None = None,
    supervised_post_ids: Sequence[int] = (),
    all_posts: bool = False,
    must_change_password: bool | None = None,
) -> User:
    """Create a user; a string actor ("cli:root") is the command line, trusted as an admin.

    A password an administrator sets is temporary (changed at the first login) unless said
    otherwise; from the command line it is kept unless `must_change_password`.
    """
    begin_writing(session)
    if isinstance(actor, Actor):
        require_admin(actor)
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise InvalidInput(
            "a username is 3-80 lower-case letters, digits, dots, hyphens or underscores",
            field="username",
        )
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise Conflict(f"the username {name} is taken", field="username")
    if not full_name.strip():
        raise InvalidInput("a user needs a full name", field="full_name")
    user = User(
        username=name,
        full_name=full_name.strip(),
        role=_role(role),
        password_hash=passwords.hash(password),
        post_id=None if post_id is None else _posts(session, [post_id], "post_id")[0].id,
        all_posts=all_posts,
        active=True,
        must_change_password=(
            isinstance(actor, Actor) if must_change_password is None else must_change_password
        ),
    )
    user.supervised = _posts(session, supervised_post_ids, "supervised_post_ids")
    _check_assignment(user)
    session.add(user)
    session.flush()
    record_audit(session, actor, "user.create", "user", user.id, detail=_user_detail(user))
    return user


def _admin_guard(session: Session, actor: Actor, user: User, *, leaves_admin: bool) -> None:
    """Refuse changes that would leave nobody able to administer the service.

    The active administrators' rows are locked (in id order, so two guards never deadlock)
    before they are counted: of two administrators removing each other at the same moment, the
    second waits for the first, then sees it is the last one. SQLite gets the same order from
    the write lock `begin_writing` takes.
    """
    if not leaves_admin or user.role is not Role.ADMIN or not user.active:
        return
    if actor.user_id == user.id:
        raise Conflict("administrators may not demote or deactivate themselves", field="role")
    admins = set(
        session.scalars(
            select(User.id)
            .where(User.role == Role.ADMIN, User.active.is_(True))
            .order_by(User.id)
            .with_for_update()
        )
    )
    if not admins - {user.id}:
        raise Conflict("this is the last active administrator", field="role")


def update_user(
    session: Session,
    actor: Actor,
    user_id: int,
    *,
    full_name: str | None = None,
    role: str | Role | None = None,
    post_id: int | None = None,
    supervised_post_ids: Sequence[int] | None = None,
    all_posts: bool | None = None,
    active: bool | None = None,
) -> User:
    """Change a user's name, role, post, supervised posts or activity (the username stays)."""
    begin_writing(session)
    require_admin(actor)
    user = _load_user(session, actor, user_id)
    new_role = user.role if role is None else _role(role)
    _admin_guard(session, actor, user, leaves_admin=new_role is not Role.ADMIN or active is False)
    if full_name is not None:
        if not full_name.strip():
            raise InvalidInput("a user needs a full name", field="full_name")
        user.full_name = full_name.strip()
    user.role = new_role
    if post_id is not None:
        user.post_id = _posts(session, [post_id], "post_id")[0].id
    elif new_role is not Role.OFFICER:
        user.post_id = None
    if supervised_post_ids is not None:
        user.supervised = _posts(session, supervised_post_ids, "supervised_post_ids")
    if all_posts is not None:
        user.all_posts = all_posts
    if active is not None:
        user.active = active
        if not active:
            end_sessions(session, user.id)
    _check_assignment(user)
    record_audit(session, actor, "user.update", "user", user.id, detail=_user_detail(user))
    return user


def deactivate_user(session: Session, actor: Actor, user_id: int) -> User:
    """Deactivate a user: their sessions end for good (reactivating opens none); records stay."""
    begin_writing(session)
    require_admin(actor)
    user = _load_user(session, actor, user_id)
    _admin_guard(session, actor, user, leaves_admin=True)
    user.active = False
    end_sessions(session, user.id)
    record_audit(session, actor, "user.deactivate", "user", user.id)
    return user


def reset_password(
    session: Session, actor: Actor | str, passwords: PasswordHashing, user_id: int, password: str
) -> User:
    """Set a temporary password for a user (changed at their next login), forget their failed
    logins and end their sessions."""
    begin_writing(session)
    if isinstance(actor, Actor):
        require_admin(actor)
        user = _load_user(session, actor, user_id)
    else:
        found = session.get(User, user_id)
        if found is None:
            raise NotFound(f"no user {user_id}", field="user_id")
        user = found
    user.password_hash = passwords.hash(password)
    user.password_changed_at = utcnow()
    user.must_change_password = True
    forget_failures(session, user.username)
    end_sessions(session, user.id)
    record_audit(session, actor, "user.password_reset", "user", user.id)
    return user


class WrongPassword(InvalidInput):
    """The current password given is not the person's; audit it apart (it rolls back)."""


def audit_wrong_password(session: Session, actor: Actor) -> None:
    """Record a failed change of one's own password, in a transaction of its own."""
    begin_writing(session)
    record_audit(session, actor, "user.password_change", "user", actor.id, outcome="failed")


def change_own_password(
    session: Session,
    actor: Actor,
    passwords: PasswordHashing,
    current: str,
    new: str,
    *,
    keep_session: str | None = None,
) -> User:
    """Change the actor's own password after checking the current one; end every session of
    theirs but `keep_session` (the one making the change).

    A wrong current password raises WrongPassword, which rolls back the caller's transaction;
    the caller then records the attempt with `audit_wrong_password` in a new one. It never
    slows down logins: a person who mistypes here is already logged in.
    """
    begin_writing(session)
    if actor.kind != "user":
        raise PermissionDenied("a station has no password")
    user = session.get(User, actor.id)
    if user is None or not user.active:
        raise NotFound("no such user", field="user_id")
    if not passwords.verify(user.password_hash, current):
        raise WrongPassword("the current password is wrong", field="current_password")
    if new == current:
        raise InvalidInput(
            "the new password must differ from the current one", field="new_password"
        )
    user.password_hash = passwords.hash(new, field="new_password")
    user.password_changed_at = utcnow()
    user.must_change_password = False
    end_sessions(session, user.id, keep=keep_session)
    record_audit(session, actor, "user.password_change", "user", user.id)
    return user


# Stations ------------------------------------------------------------------------------------


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
        raise NotFound(f"no station {station_id}", field="station_id")
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
        raise InvalidInput("a station needs a name", field="name")
    if len(tidy) > STATION_NAME_LENGTH:
        raise InvalidInput(
            f"a station name is at most {STATION_NAME_LENGTH} characters", field="name"
        )
    return tidy


def _name_taken(post: Post, name: str) -> Conflict:
    return Conflict(
        f"post {post.code} already has a station named {name!r} (perhaps deactivated): "
        "choose another name, or reactivate that station",
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
        raise InvalidInput(f"no post {post_id}", field="post_id")
    if not post.active:
        raise Conflict(f"post {post.code} is closed", field="post_id")
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
        raise Conflict("the station is deactivated", field="station_id")
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
) -> Station:
    """Rename a station or move it to another open post; its token stays as it is."""
    begin_writing(session)
    require_admin(actor)
    station = get_station(session, actor, station_id)
    before = {"post_id": station.post_id, "name": station.name}
    tidy = station.name if name is None else _station_name(name)
    post = station.post
    if post_id is not None and post_id != station.post_id:
        found = session.get(Post, post_id)
        if found is None:
            raise InvalidInput(f"no post {post_id}", field="post_id")
        if not found.active:
            raise Conflict(f"post {found.code} is closed", field="post_id")
        post = found
    _check_name_free(session, post, tidy, station.id)
    station.name = tidy
    station.post_id = post.id
    _flush_station(session, post, tidy)
    after = {"post_id": station.post_id, "name": station.name}
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
        raise Conflict("the station is active; rotate its token instead", field="station_id")
    post = session.get(Post, station.post_id)
    if post is None or not post.active:
        raise Conflict("the station's post is closed: move the station first", field="post_id")
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


# Stay rules ----------------------------------------------------------------------------------


def list_stay_rules(session: Session) -> list[StayRule]:
    """Return every stay rule, the default ('*') first."""
    rules = list(session.scalars(select(StayRule).order_by(StayRule.nationality)))
    return sorted(rules, key=lambda rule: rule.nationality != DEFAULT_NATIONALITY)


def _nationality(code: str) -> str:
    if code.strip() == DEFAULT_NATIONALITY:
        return DEFAULT_NATIONALITY
    return check_nationality(code)


def _stay_days(allowed_days: int, window_days: int) -> None:
    if allowed_days < 1:
        raise InvalidInput("the days allowed must be at least 1", field="allowed_days")
    if window_days < allowed_days:
        raise InvalidInput(
            "the window must be at least as many days as the days allowed", field="window_days"
        )


def set_stay_rule(
    session: Session, actor: Actor | str, nationality: str, *, allowed_days: int, window_days: int
) -> StayRule:
    """Create or replace the allowed stay of a nationality ('*' is the default rule)."""
    begin_writing(session)
    if isinstance(actor, Actor):
        require_admin(actor)
    problems = Problems()
    code = problems.check(lambda: _nationality(nationality), "")
    problems.check(lambda: _stay_days(allowed_days, window_days), None)
    problems.raise_any()
    rule = session.get(StayRule, code)
    if rule is None:
        rule = StayRule(nationality=code, allowed_days=allowed_days, window_days=window_days)
        session.add(rule)
    else:
        rule.allowed_days = allowed_days
        rule.window_days = window_days
    record_audit(
        session,
        actor,
        "stay_rule.set",
        "stay_rule",
        code,
        detail={"allowed_days": allowed_days, "window_days": window_days},
    )
    return rule


def delete_stay_rule(session: Session, actor: Actor, nationality: str) -> None:
    """Remove a nationality's stay rule; the default rule applies to it again."""
    begin_writing(session)
    require_admin(actor)
    code = _nationality(nationality)
    rule = session.get(StayRule, code)
    if rule is None:
        raise NotFound(f"no stay rule for {code}", field="nationality")
    session.delete(rule)
    record_audit(session, actor, "stay_rule.delete", "stay_rule", code)
