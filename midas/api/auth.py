"""Log in and out, and tell who is logged in: /api/v1/auth."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from midas.api.errors import ErrorSchema
from midas.auth import csrf_exempt, current_actor, public, require
from midas.auth.csrf import csrf_token
from midas.auth.limits import login_limited
from midas.auth.passwords import passwords
from midas.auth.session_login import current_session_secret, log_in, log_out
from midas.auth.temporary_passwords import open_before_password_change
from midas.domain.actors import LoginRefused
from midas.domain.admin import WrongPassword, audit_wrong_password, change_own_password
from midas.domain.texts import N_
from midas.persistence import session
from midas.persistence.models import Post, Station, User

# One answer for every failed login, so none tells which usernames exist or are held back.
FAILED_LOGIN = N_(
    "wrong username or password; after several failed tries, wait a few minutes before the next"
)

blp = Blueprint("auth", __name__, url_prefix="/auth", description="Log in, log out, who am I.")


class LoginSchema(Schema):
    """Credentials of a person."""

    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class PasswordChangeSchema(Schema):
    """A person changes their own password."""

    current_password = fields.String(required=True, validate=validate.Length(max=1024))
    new_password = fields.String(required=True, validate=validate.Length(max=1024))


class PostRefSchema(Schema):
    """A post, briefly."""

    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    timezone = fields.String()


class MeSchema(Schema):
    """The authenticated actor, with what pages need to show and scope."""

    kind = fields.String(metadata={"description": '"user" or "station"'})
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String(allow_none=True)
    role = fields.String()
    post = fields.Nested(PostRefSchema, allow_none=True)
    post_ids = fields.List(fields.Integer(), allow_none=True, metadata={"description": "null: all"})
    station_id = fields.Integer(allow_none=True)
    station_name = fields.String(allow_none=True)
    csrf_token = fields.String(metadata={"description": "send as X-CSRFToken on writes"})
    must_change_password = fields.Boolean(
        metadata={"description": "true: change the password (POST /auth/password) first"}
    )


class CsrfSchema(Schema):
    """The session's CSRF token."""

    csrf_token = fields.String()


def _post_ref(post: Post | None) -> dict[str, Any] | None:
    if post is None:
        return None
    return {"id": post.id, "code": post.code, "name": post.name, "timezone": post.timezone}


def _me() -> dict[str, Any]:
    actor = current_actor()
    me: dict[str, Any] = {
        "kind": actor.kind,
        "id": actor.id,
        "username": actor.username,
        "full_name": None,
        "role": actor.role.value,
        "post": None,
        "post_ids": None if actor.post_ids is None else sorted(actor.post_ids),
        "station_id": actor.station_id,
        "station_name": None,
        "csrf_token": csrf_token() if actor.kind == "user" else "",
        "must_change_password": actor.password_change_due,
    }
    db = session()
    if actor.kind == "user":
        user = db.get(User, actor.id)
        if user is not None:
            me["full_name"] = user.full_name
            me["post"] = _post_ref(user.post)
    else:
        station = db.get(Station, actor.id)
        if station is not None:
            me["station_name"] = station.name
            me["post"] = _post_ref(station.post)
    db.rollback()
    return me


@blp.route("/login", methods=["POST"])
@public
@csrf_exempt
@login_limited
@blp.arguments(LoginSchema)
@blp.response(200, MeSchema)
@blp.alt_response(
    401, schema=ErrorSchema, description="wrong credentials, or too many failed ones: wait, retry"
)
@blp.alt_response(429, schema=ErrorSchema, description="too many passwords tried from this address")
@open_before_password_change
def login(credentials: dict[str, str]) -> dict[str, Any]:
    """Log a person in with a session cookie; the answer carries the CSRF token for writes.

    Every failure is answered alike: after several for one username from one address, that
    address waits (seconds, doubling) before the next try for that name is checked.
    """
    if log_in(credentials["username"], credentials["password"]) is None:
        raise LoginRefused(FAILED_LOGIN)
    return _me()


@blp.route("/logout", methods=["POST"])
@require()
@blp.response(204)
@open_before_password_change
def logout() -> None:
    """End the session of the person logged in, on the server: a copy of its cookie is dead."""
    actor = current_actor()
    if actor.kind == "user":
        log_out(actor)


@blp.route("/me")
@require()
@blp.response(200, MeSchema)
@open_before_password_change
def me() -> dict[str, Any]:
    """Tell who is authenticated: role, post scope, and the CSRF token for writes."""
    return _me()


@blp.route("/csrf")
@require()
@blp.response(200, CsrfSchema)
@open_before_password_change
def csrf() -> dict[str, str]:
    """Return the session's CSRF token, to send as X-CSRFToken on writes."""
    return {"csrf_token": csrf_token()}


@blp.route("/password", methods=["POST"])
@require()
@login_limited
@blp.arguments(PasswordChangeSchema)
@blp.response(204)
@open_before_password_change
def change_password(change: dict[str, str]) -> None:
    """Change one's own password (the current one is asked again); other sessions end.

    A wrong current password is audited and counts in the address's password rate limit, never
    toward slowing down logins.
    """
    actor = current_actor()
    db = session()
    try:
        with db.begin():
            change_own_password(
                db,
                actor,
                passwords(),
                change["current_password"],
                change["new_password"],
                keep_session=current_session_secret(),
            )
    except WrongPassword:
        with db.begin():
            audit_wrong_password(db, actor)
        raise
