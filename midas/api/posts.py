"""Border posts: /api/v1/posts — everyone sees the posts they work at; admins manage them."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from midas.auth import current_actor, require
from midas.domain import admin
from midas.domain.languages import LANGUAGES
from midas.persistence import session
from midas.persistence.models import Post, PostKind, Role

blp = Blueprint("posts", __name__, url_prefix="/posts", description="Border crossing points.")

KINDS = [kind.value for kind in PostKind]
LOCALE = (
    f"the language its people see when they chose none ({', '.join(LANGUAGES)}); "
    "null: their browser's"
)


class PostSchema(Schema):
    """A border post."""

    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    kind = fields.String(metadata={"enum": KINDS})
    country = fields.String(metadata={"description": "ISO 3166-1 alpha-3, or RKS (Kosovo)"})
    timezone = fields.String(metadata={"description": "IANA time zone, e.g. Europe/Vienna"})
    locale = fields.String(allow_none=True, metadata={"description": LOCALE})
    active = fields.Boolean()
    created_at = fields.AwareDateTime()


class PostListSchema(Schema):
    """The posts an actor may see."""

    items = fields.List(fields.Nested(PostSchema))


class PostQuery(Schema):
    """Filters of the post list."""

    active = fields.Boolean()


class NewPostSchema(Schema):
    """A post to create; the country is a state of the code table (ISO 3166 or RKS)."""

    code = fields.String(required=True, validate=validate.Length(min=2, max=16))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    country = fields.String(required=True, validate=validate.Length(equal=3))
    timezone = fields.String(required=True, validate=validate.Length(min=1, max=64))
    # The domain checks the code, so the API and the pages say the same about a wrong one.
    locale = fields.String(allow_none=True, metadata={"description": LOCALE})


class PostChangeSchema(Schema):
    """What an admin may change about a post; the code stays."""

    name = fields.String(validate=validate.Length(min=1, max=200))
    kind = fields.String(validate=validate.OneOf(KINDS))
    country = fields.String(validate=validate.Length(equal=3))
    timezone = fields.String(validate=validate.Length(min=1, max=64))
    locale = fields.String(allow_none=True, metadata={"description": LOCALE})
    active = fields.Boolean()


def post_body(post: Post) -> dict[str, Any]:
    """Return a post as the API shows it."""
    return {
        "id": post.id,
        "code": post.code,
        "name": post.name,
        "kind": post.kind.value,
        "country": post.country,
        "timezone": post.timezone,
        "locale": post.locale,
        "active": post.active,
        "created_at": post.created_at,
    }


@blp.route("")
@require()
@blp.arguments(PostQuery, location="query")
@blp.response(200, PostListSchema)
def list_posts(args: dict[str, Any]) -> dict[str, Any]:
    """List the posts this actor works at (all for admins and all-post supervisors), by code."""
    db = session()
    with db.begin():
        posts = admin.list_posts(db, current_actor(), active=args.get("active"))
        return {"items": [post_body(post) for post in posts]}


@blp.route("", methods=["POST"])
@require(Role.ADMIN)
@blp.arguments(NewPostSchema)
@blp.response(201, PostSchema)
def create_post(new: dict[str, Any]) -> dict[str, Any]:
    """Create a border post."""
    db = session()
    with db.begin():
        return post_body(admin.create_post(db, current_actor(), **new))


@blp.route("/<int:post_id>")
@require()
@blp.response(200, PostSchema)
def show_post(post_id: int) -> dict[str, Any]:
    """Show a post this actor works at."""
    db = session()
    with db.begin():
        return post_body(admin.get_post(db, current_actor(), post_id))


@blp.route("/<int:post_id>", methods=["PATCH"])
@require(Role.ADMIN)
@blp.arguments(PostChangeSchema)
@blp.response(200, PostSchema)
def update_post(changes: dict[str, Any], post_id: int) -> dict[str, Any]:
    """Change a post's name, kind, country, time zone, language or activity."""
    if "locale" in changes and changes["locale"] is None:
        changes["locale"] = ""  # null clears the post's language
    db = session()
    with db.begin():
        return post_body(admin.update_post(db, current_actor(), post_id, **changes))


@blp.route("/<int:post_id>/deactivate", methods=["POST"])
@require(Role.ADMIN)
@blp.response(200, PostSchema)
def deactivate_post(post_id: int) -> dict[str, Any]:
    """Close a post: its station tokens stop working; its records stay."""
    db = session()
    with db.begin():
        return post_body(admin.deactivate_post(db, current_actor(), post_id))
