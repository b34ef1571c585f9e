"""Users: created, changed, deactivated and reset by administrators; their own password changes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from midas.domain.actors import Actor
from midas.domain.admin.checks import require_admin
from midas.domain.audit import record_audit
from midas.domain.credentials import PasswordHashing
from midas.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from midas.domain.texts import N_
from midas.domain.user_sessions import end_sessions
from midas.persistence.base import utcnow
from midas.persistence.database import begin_writing
from midas.persistence.login_failures import forget_failures
from midas.persistence.models import Post, Role, User
from midas.persistence.models.users import STAFF_ROLES

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,79}")


def _role(role: str | Role) -> Role:
    found = next((r for r in STAFF_ROLES if r.value == role), None)
    if found is None:
        # A carrier is a gateway (`midas paxlst gateway add`), never a person's login.
        choices = ", ".join(r.value for r in STAFF_ROLES)
        raise InvalidInput(
            N_("role must be one of %(choices)s"), params={"choices": choices}, field="role"
        )
    return found


def _posts(session: Session, post_ids: Iterable[int], field: str) -> list[Post]:
    wanted = sorted(set(post_ids))
    posts = list(session.scalars(select(Post).where(Post.id.in_(wanted)).order_by(Post.id)))
    missing = sorted(set(wanted) - {post.id for post in posts})
    if missing:
        raise InvalidInput(N_("no post %(missing)s"), params={"missing": missing[0]}, field=field)
    return posts


def _check_assignment(user: User) -> None:
    """Hold the rule: an officer has one post, a supervisor some posts or all, an admin none."""
    if user.role is Role.OFFICER:
        if user.post_id is None:
            raise InvalidInput(N_("an officer must be posted at a post"), field="post_id")
        if user.supervised or user.all_posts:
            raise InvalidInput(N_("an officer supervises no posts"), field="supervised_post_ids")
    elif user.role is Role.SUPERVISOR:
        if not user.supervised and not user.all_posts:
            raise InvalidInput(
                N_("a supervisor needs the posts they supervise, or all posts"),
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
        raise NotFound(N_("no user %(user_id)s"), params={"user_id": user_id}, field="user_id")
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
        raise PermissionDenied(N_("only supervisors and administrators list users"))
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
            statement.options(selectinload(User.supervised), selectinload(User.post))
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
            N_("a username is 3-80 lower-case letters, digits, dots, hyphens or underscores"),
            field="username",
        )
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise Conflict(
            N_("the username %(name)s is taken"), params={"name": name}, field="username"
        )
    if not full_name.strip():
        raise InvalidInput(N_("a user needs a full name"), field="full_name")
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
        raise Conflict(N_("administrators may not demote or deactivate themselves"), field="role")
    admins = set(
        session.scalars(
            select(User.id)
            .where(User.role == Role.ADMIN, User.active.is_(True))
            .order_by(User.id)
            .with_for_update()
        )
    )
    if not admins - {user.id}:
        raise Conflict(N_("this is the last active administrator"), field="role")


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
            raise InvalidInput(N_("a user needs a full name"), field="full_name")
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
            raise NotFound(N_("no user %(user_id)s"), params={"user_id": user_id}, field="user_id")
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
        raise PermissionDenied(N_("a station has no password"))
    user = session.get(User, actor.id)
    if user is None or not user.active:
        raise NotFound(N_("no such user"), field="user_id")
    if not passwords.verify(user.password_hash, current):
        raise WrongPassword(N_("the current password is wrong"), field="current_password")
    if new == current:
        raise InvalidInput(
            N_("the new password must differ from the current one"), field="new_password"
        )
    user.password_hash = passwords.hash(new, field="new_password")
    user.password_changed_at = utcnow()
    user.must_change_password = False
    end_sessions(session, user.id, keep=keep_session)
    record_audit(session, actor, "user.password_change", "user", user.id)
    return user
