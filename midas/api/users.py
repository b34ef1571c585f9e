"""Users: /api/v1/users — admins manage them; supervisors see the officers at their posts."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from midas.api.ids import id_field
from midas.api.pagination import Page, PageArgs, PageSchema
from midas.auth import current_actor, require
from midas.auth.passwords import passwords
from midas.domain import admin
from midas.persistence import session
from midas.persistence.models import Role, User
from midas.persistence.models.users import STAFF_ROLES

blp = Blueprint("users", __name__, url_prefix="/users", description="People who use MIDAS.")

ROLES = [role.value for role in STAFF_ROLES]


class UserSchema(Schema):
    """A user as the API shows it (never the password hash)."""

    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    role = fields.String(metadata={"enum": ROLES})
    post_id = fields.Integer(allow_none=True)
    supervised_post_ids = fields.List(fields.Integer())
    all_posts = fields.Boolean()
    active = fields.Boolean()
    must_change_password = fields.Boolean(
        metadata={"description": "an administrator set the password; changed at the next login"}
    )
    created_at = fields.AwareDateTime()
    password_changed_at = fields.AwareDateTime()


class UserPageSchema(PageSchema):
    """A page of users."""

    items = fields.List(fields.Nested(UserSchema))


class UserQuery(PageArgs):
    """Filters of the user list."""

    role = fields.String(validate=validate.OneOf(ROLES))
    post_id = id_field()
    active = fields.Boolean()
    q = fields.String(metadata={"description": "part of the username or full name"})


class NewUserSchema(Schema):
    """A user to create; an officer needs post_id, a supervisor posts or all_posts."""

    username = fields.String(required=True, validate=validate.Length(min=3, max=80))
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=1024))
    post_id = id_field(allow_none=True, load_default=None)
    supervised_post_ids = fields.List(id_field(), load_default=list)
    all_posts = fields.Boolean(load_default=False)


class UserChangeSchema(Schema):
    """What an admin may change about a user; absent fields stay as they are."""

    full_name = fields.String(validate=validate.Length(min=1, max=200))
    role = fields.String(validate=validate.OneOf(ROLES))
    post_id = id_field()
    supervised_post_ids = fields.List(id_field())
    all_posts = fields.Boolean()
    active = fields.Boolean()


class PasswordResetSchema(Schema):
    """A new password set by an admin."""

    password = fields.String(required=True, load_only=True, validate=validate.Length(max=1024))


def user_body(user: User) -> dict[str, Any]:
    """Return a user as the API shows it."""
    return {
        "id": user.id,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role.value,
        "post_id": user.post_id,
        "supervised_post_ids": sorted(post.id for post in user.supervised),
        "all_posts": user.all_posts,
        "active": user.active,
        "must_change_password": user.must_change_password,
        "created_at": user.created_at,
        "password_changed_at": user.password_changed_at,
    }


@blp.route("")
@require(Role.ADMIN, Role.SUPERVISOR)
@blp.arguments(UserQuery, location="query")
@blp.response(200, UserPageSchema)
def list_users(args: dict[str, Any]) -> dict[str, Any]:
    """List users by username: all for admins, the officers at their posts for supervisors."""
    page = Page.from_args(args)
    db = session()
    with db.begin():
        users, total = admin.list_users(
            db,
            current_actor(),
            role=args.get("role"),
            post_id=args.get("post_id"),
            active=args.get("active"),
            query=args.get("q"),
            offset=page.offset,
            limit=page.per_page,
        )
        return page.answer([user_body(user) for user in users], total)


@blp.route("", methods=["POST"])
@require(Role.ADMIN)
@blp.arguments(NewUserSchema)
@blp.response(201, UserSchema)
def create_user(new: dict[str, Any]) -> dict[str, Any]:
    """Create a user with a temporary password (PASSWORD_MIN_LENGTH characters or more), which
    they change at their first login."""
    db = session()
    with db.begin():
        user = admin.create_user(db, current_actor(), passwords(), **new)
        return user_body(user)


@blp.route("/<int:user_id>")
@require()
@blp.response(200, UserSchema)
def show_user(user_id: int) -> dict[str, Any]:
    """Show a user: admins any, supervisors the officers at their posts, anyone themself."""
    db = session()
    with db.begin():
        return user_body(admin.get_user(db, current_actor(), user_id))


@blp.route("/<int:user_id>", methods=["PATCH"])
@require(Role.ADMIN)
@blp.arguments(UserChangeSchema)
@blp.response(200, UserSchema)
def update_user(changes: dict[str, Any], user_id: int) -> dict[str, Any]:
    """Change a user's name, role, posts or activity."""
    db = session()
    with db.begin():
        return user_body(admin.update_user(db, current_actor(), user_id, **changes))


@blp.route("/<int:user_id>/deactivate", methods=["POST"])
@require(Role.ADMIN)
@blp.response(200, UserSchema)
def deactivate_user(user_id: int) -> dict[str, Any]:
    """Deactivate a user: they cannot log in and their sessions end; their records stay."""
    db = session()
    with db.begin():
        return user_body(admin.deactivate_user(db, current_actor(), user_id))


@blp.route("/<int:user_id>/password", methods=["POST"])
@require(Role.ADMIN)
@blp.arguments(PasswordResetSchema)
@blp.response(204)
def reset_password(reset: dict[str, str], user_id: int) -> None:
    """Set a temporary password for a user (changed at their next login); their sessions end."""
    db = session()
    with db.begin():
        admin.reset_password(db, current_actor(), passwords(), user_id, reset["password"])
