"""Find the actor of a request: a session login (flask-login) or a station bearer token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from functools import wraps
from time import monotonic
from typing import ParamSpec, TypeVar, cast

import flask_login
from flask import current_app, g, request
from sqlalchemy import Table, bindparam, select, update

from midas.domain.actors import (
    Actor,
    AuthenticationRequired,
    desk_actor,
    gateway_actor,
    user_actor,
)
from midas.domain.admin.carrier_gateways import GATEWAY_TOKEN_PREFIX
from midas.domain.credentials import token_sha256
from midas.domain.errors import PermissionDenied
from midas.domain.user_sessions import session_user
from midas.persistence.base import utcnow
from midas.persistence.database import begin_writing, database, reading_connection
from midas.persistence.models import CarrierGateway, Post, Role, Station
from midas.persistence.models.users import STAFF_ROLES

P = ParamSpec("P")
R = TypeVar("R")

login_manager = flask_login.LoginManager()
# "basic" marks a session non-fresh when the client changes; "strong" would log out officers
# whose desk gets a new address from DHCP in the middle of a shift.
login_manager.session_protection = "basic"

# A station's last_seen_at is refreshed at most this often, so reads stay reads.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)
_NOT_LOOKED_UP = object()


class SessionUser:
    """What flask-login keeps for a logged-in person: the session's secret and the actor."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, session_id: str, actor: Actor) -> None:
        self.session_id = session_id
        self.actor = actor

    def get_id(self) -> str:
        """Return the id flask-login stores in the session cookie."""
        return self.session_id


def load_session_user(stored_id: str) -> SessionUser | None:
    """Load the logged-in user from the session's secret; None ends the session."""
    if not stored_id:
        return None
    with database().sessions() as lookup:
        user = session_user(lookup, stored_id, now=utcnow())
        if user is None:
            return None
        return SessionUser(stored_id, user_actor(user, request.remote_addr))


login_manager.user_loader(load_session_user)


def bearer_token() -> str | None:
    """Return the bearer token of the request, if it sends one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


# The token lookup runs on every station request, so it is one prebuilt Core statement (cached
# compiled form, prepared on the server) on a pooled connection, not an ORM session. It is not
# cached between requests, except for the recording view, which checks the token itself: a
# rotated or deactivated token stops working at once.
_STATIONS = cast(Table, Station.__table__)
_POSTS = cast(Table, Post.__table__)
_STATION_BY_TOKEN = (
    select(
        _STATIONS.c.id,
        _STATIONS.c.post_id,
        _STATIONS.c.last_seen_at,
        _STATIONS.c.keyboard_layout,
        _POSTS.c.locale,
    )
    .join_from(_STATIONS, _POSTS, _POSTS.c.id == _STATIONS.c.post_id)
    .where(
        _STATIONS.c.token_sha256 == bindparam("token_sha256"),
        _STATIONS.c.active.is_(True),
        _POSTS.c.active.is_(True),
    )
)
_SEEN = (
    update(_STATIONS)
    .where(_STATIONS.c.id == bindparam("station_id"))
    .values(last_seen_at=bindparam("now"))
)


# Where an app keeps, per process, the stations whose tokens it checked within the last minute.
CHECKED_TOKENS_KEY = "midas.checked_station_tokens"


def _checked_tokens() -> dict[str, tuple[int, int, float, str, str | None]]:
    """Return this process's {token SHA-256: (station id, post id, when checked, keyboard
    layout, the post's language)} for the app."""
    checked: dict[str, tuple[int, int, float, str, str | None]]
    checked = current_app.extensions.setdefault(CHECKED_TOKENS_KEY, {})
    return checked


def forget_station_token(digest: str) -> None:
    """Drop a token from the recently checked ones (it failed a check)."""
    _checked_tokens().pop(digest, None)


def _station_actor(token: str, *, checked_by_view: bool = False) -> Actor:
    digest = token_sha256(token)
    if checked_by_view:
        # The view checks the token in its own first statement (the recording's desk row), so a
        # token checked here within the last minute is not looked up on its own again; one that
        # was rotated or deactivated since is refused there, before anything is read or written.
        known = _checked_tokens().get(digest)
        if known is not None and monotonic() - known[2] < LAST_SEEN_RESOLUTION.total_seconds():
            actor = desk_actor(known[0], known[1], request.remote_addr, known[3], known[4])
            return replace(actor, unverified_token=digest)
    db = database()
    with reading_connection(db.engine) as lookup:
        station = lookup.execute(_STATION_BY_TOKEN, {"token_sha256": digest}).first()
    if station is None:
        forget_station_token(digest)
        raise AuthenticationRequired("the station token is unknown, rotated or deactivated")
    layout = station.keyboard_layout or "us"
    _checked_tokens()[digest] = (station.id, station.post_id, monotonic(), layout, station.locale)
    actor = desk_actor(station.id, station.post_id, request.remote_addr, layout, station.locale)
    now = utcnow()
    if station.last_seen_at is None or now - station.last_seen_at > LAST_SEEN_RESOLUTION:
        # Its own short write, declared up front (SQLite cannot turn a read into a write while
        # another request writes).
        with db.sessions() as writer, writer.begin():
            begin_writing(writer)
            writer.execute(_SEEN, {"station_id": actor.id, "now": now})
    return actor


_GATEWAYS = cast(Table, CarrierGateway.__table__)
_GATEWAY_BY_TOKEN = select(_GATEWAYS.c.id, _GATEWAYS.c.name, _GATEWAYS.c.last_seen_at).where(
    _GATEWAYS.c.token_sha256 == bindparam("token_sha256"), _GATEWAYS.c.active.is_(True)
)
_GATEWAY_SEEN = (
    update(_GATEWAYS)
    .where(_GATEWAYS.c.id == bindparam("gateway_id"))
    .values(last_seen_at=bindparam("now"))
)


def _gateway_actor(token: str) -> Actor:
    db = database()
    with reading_connection(db.engine) as lookup:
        gateway = lookup.execute(_GATEWAY_BY_TOKEN, {"token_sha256": token_sha256(token)}).first()
    if gateway is None:
        raise AuthenticationRequired("the gateway token is unknown, rotated or deactivated")
    now = utcnow()
    if gateway.last_seen_at is None or now - gateway.last_seen_at > LAST_SEEN_RESOLUTION:
        with db.sessions() as writer, writer.begin():
            begin_writing(writer)
            writer.execute(_GATEWAY_SEEN, {"gateway_id": gateway.id, "now": now})
    return gateway_actor(gateway.id, gateway.name, request.remote_addr)


def find_actor() -> Actor | None:
    """Return the actor of this request, None when it carries no credentials."""
    cached = g.get("midas_actor", _NOT_LOOKED_UP)
    if cached is not _NOT_LOOKED_UP:
        return cast(Actor | None, cached)
    token = bearer_token()
    actor: Actor | None
    if token is not None and token.startswith(GATEWAY_TOKEN_PREFIX):
        actor = _gateway_actor(token)
    elif token is not None:
        view = current_app.view_functions.get(request.endpoint or "")
        actor = _station_actor(token, checked_by_view=getattr(view, "midas_station_checked", False))
    else:
        user = flask_login.current_user
        actor = user.actor if user.is_authenticated else None
    g.midas_actor = actor
    return actor


def forget_actor() -> None:
    """Treat the rest of this request as anonymous, without asking the database who it is.

    For the error page of a database outage: the page and flask-login's template context
    would otherwise look the person up again in the database that just failed.
    """
    g.midas_actor = None
    g._login_user = login_manager.anonymous_user()  # flask-login's per-request user


def current_actor() -> Actor:
    """Return the authenticated actor of this request; raise AuthenticationRequired if none."""
    actor = find_actor()
    if actor is None:
        raise AuthenticationRequired()
    return actor


def session_authenticated() -> bool:
    """Tell whether this request is authenticated by a session cookie (so CSRF matters)."""
    if bearer_token() is not None:
        return False
    return bool(flask_login.current_user.is_authenticated)


# The error body, as midas.api.errors documents it (its ErrorSchema is the spec's `Error`).
ERROR_BODY = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
AUTH_RESPONSES = {
    "401": {
        "description": "no valid credentials (log in, or send a station token)",
        "content": ERROR_BODY,
    },
    "403": {
        "description": "the role or post of the actor does not allow this",
        "content": ERROR_BODY,
    },
}


def _document(view: Callable[..., object], doc: dict[str, object]) -> None:
    # flask-smorest reads `_apidoc["manual_doc"]` (what `blp.doc` sets) when it registers a view.
    apidoc = dict(getattr(view, "_apidoc", {}))
    apidoc["manual_doc"] = {**apidoc.get("manual_doc", {}), **doc}
    view._apidoc = apidoc  # type: ignore[attr-defined]


def require(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Guard a view: 401 without credentials, 403 unless the actor has one of `roles` (any
    person's or station's if none: a carrier's gateway only where CARRIER is named).

    Put it right under the route decorator so credentials are checked before the body is parsed.
    """
    allowed = frozenset(roles or STAFF_ROLES)

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            actor = current_actor()
            if actor.role not in allowed:
                raise PermissionDenied(f"a {actor.role.value} may not do this")
            return view(*args, **kwargs)

        guarded.midas_roles = allowed  # type: ignore[attr-defined]
        _document(guarded, {"responses": AUTH_RESPONSES})
        return guarded

    return decorate


def public(view: Callable[P, R]) -> Callable[P, R]:
    """Mark an API view that needs no credentials (the OpenAPI document, the health check)."""
    view.midas_public = True  # type: ignore[attr-defined]
    _document(view, {"security": []})
    return view


def station_checked(view: Callable[P, R]) -> Callable[P, R]:
    """Mark a view that checks a station's token again in its own first statement.

    Only for a view that passes the actor to code that does so (`record_crossing`): there a
    station token checked within the last minute is not looked up on its own first.
    """
    view.midas_station_checked = True  # type: ignore[attr-defined]
    return view


def csrf_exempt(view: Callable[P, R]) -> Callable[P, R]:
    """Mark a view that needs no CSRF token (JSON-only login: no ambient authority to abuse)."""
    view.midas_csrf_exempt = True  # type: ignore[attr-defined]
    return view
