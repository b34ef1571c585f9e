"""Border posts: created, changed and deactivated by administrators, read by everyone posted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.admin.checks import POST_CODE, check_country, check_timezone, require_admin
from midas.domain.audit import record_audit
from midas.domain.errors import Conflict, InvalidInput, NotFound
from midas.domain.languages import checked_locale
from midas.domain.texts import N_
from midas.persistence.database import begin_writing
from midas.persistence.models import Post, PostKind


def _post_kind(kind: str | PostKind) -> PostKind:
    try:
        return PostKind(kind)
    except ValueError:
        choices = ", ".join(k.value for k in PostKind)
        raise InvalidInput(
            N_("kind must be one of %(choices)s"), params={"choices": choices}, field="kind"
        ) from None


def get_post(session: Session, actor: Actor, post_id: int) -> Post:
    """Return a post this actor may see."""
    post = session.get(Post, post_id)
    if post is None or not actor.may_see_post(post.id):
        raise NotFound(N_("no post %(post_id)s"), params={"post_id": post_id}, field="post_id")
    return post


def find_post(session: Session, code: str, field: str = "post") -> Post:
    """Return the post with a code, or raise naming the field."""
    post = session.scalar(select(Post).where(Post.code == code.strip().upper()))
    if post is None:
        raise InvalidInput(
            N_("no post with code %(code)s"), params={"code": repr(code)}, field=field
        )
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
    locale: str | None = None,
) -> Post:
    """Create a border post; the code is unique (upper case letters, digits, hyphens); `locale`
    is the language its people see when they chose none (None or "": their browser's)."""
    begin_writing(session)
    if isinstance(actor, Actor):
        require_admin(actor)
    upper = code.strip().upper()
    if not POST_CODE.fullmatch(upper):
        raise InvalidInput(N_("a post code is 2-16 letters, digits or hyphens"), field="code")
    if session.scalar(select(Post.id).where(Post.code == upper)) is not None:
        raise Conflict(
            N_("a post with code %(upper)s exists"), params={"upper": upper}, field="code"
        )
    if not name.strip():
        raise InvalidInput(N_("a post needs a name"), field="name")
    post = Post(
        code=upper,
        name=name.strip(),
        kind=_post_kind(kind),
        country=check_country(country),
        timezone=check_timezone(timezone),
        locale=checked_locale(locale),
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
        "locale": post.locale,
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
    locale: str | None = None,
    active: bool | None = None,
) -> Post:
    """Change a post's name, kind, country, time zone, language or activity (its code stays); a
    `locale` of "" clears the post's language (its people see their browser's)."""
    begin_writing(session)
    require_admin(actor)
    post = get_post(session, actor, post_id)
    if name is not None:
        if not name.strip():
            raise InvalidInput(N_("a post needs a name"), field="name")
        post.name = name.strip()
    if kind is not None:
        post.kind = _post_kind(kind)
    if country is not None:
        post.country = check_country(country)
    if timezone is not None:
        post.timezone = check_timezone(timezone)
    if locale is not None:
        post.locale = checked_locale(locale)
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
