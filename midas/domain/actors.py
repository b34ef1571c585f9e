"""Who is acting: a person logged in, or a station acting for the officer it names.

The domain takes an Actor and scopes by its posts; `midas.auth` builds one from a request.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from midas.domain.errors import PermissionDenied
from midas.persistence.models import Role, Station, User


class AuthenticationRequired(Exception):
    """The request carries no valid credentials (answered 401, never a DomainError)."""

    code = "unauthenticated"

    def __init__(self, message: str = "log in or send a station token") -> None:
        super().__init__(message)
        self.message = message


class LoginRefused(AuthenticationRequired):
    """A login failed: unknown user, wrong password or inactive account (one message for all)."""

    code = "invalid_credentials"


class PasswordChangeRequired(PermissionDenied):
    """The person's password was set by an administrator and is to be changed first."""

    code = "password_change_required"

    def __init__(
        self,
        message: str = "your password was set by an administrator: change it first"
        " (POST /api/v1/auth/password), then try again",
    ) -> None:
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Actor:
    """The authenticated actor of a request; plain values, safe to keep after the session ends."""

    kind: str  # "user", "station" or "carrier"
    id: int  # users.id, stations.id or carrier_gateways.id
    username: str  # the user's username; for a station, the attributed officer's ("" until named)
    role: Role  # a station acts as an OFFICER
    user_id: int | None  # the accountable person; None for a station with no officer named yet
    station_id: int | None
    post_ids: frozenset[int] | None  # posts this actor may see and act at; None means every post
    remote_addr: str | None
    # A station recording a crossing within a minute of its token's last check: the SHA-256 of
    # the token, which the recording's first statement checks again (see `station_checked`).
    # None for every other actor: its credentials were checked against the database already.
    unverified_token: str | None = None
    # A person whose password an administrator set: they change it before anything else.
    password_change_due: bool = False
    # A station's computer's keyboard layout (stations.keyboard_layout): what its wedge scanner
    # types is read back as the US keys it pressed.
    keyboard_layout: str = "us"
    # The language this person chose for their pages (midas.domain.languages), and their post's
    # for people who chose none; both None: the browser's.
    locale: str | None = None
    post_locale: str | None = None

    @property
    def label(self) -> str:
        """Return how the audit log names this actor: the accountable person when there is one."""
        if self.user_id is not None:
            return f"user:{self.user_id}"
        return f"{self.kind}:{self.id}"

    def may_see_post(self, post_id: int) -> bool:
        """Tell whether this actor may see and act at a post."""
        return self.post_ids is None or post_id in self.post_ids


def user_actor(user: User, remote_addr: str | None = None) -> Actor:
    """Build the actor of a logged-in user from their row."""
    post_ids: frozenset[int] | None
    if user.role is Role.ADMIN or (user.role is Role.SUPERVISOR and user.all_posts):
        post_ids = None
    elif user.role is Role.SUPERVISOR:
        post_ids = frozenset(post.id for post in user.supervised)
    else:
        post_ids = frozenset() if user.post_id is None else frozenset({user.post_id})
    return Actor(
        kind="user",
        id=user.id,
        username=user.username,
        role=user.role,
        user_id=user.id,
        station_id=None,
        post_ids=post_ids,
        remote_addr=remote_addr,
        password_change_due=user.must_change_password,
        locale=user.locale,
        post_locale=user.post.locale if user.post is not None else None,
    )


def station_actor(station: Station, remote_addr: str | None = None) -> Actor:
    """Build the actor of a station request before an officer is attributed."""
    return desk_actor(station.id, station.post_id, remote_addr)


def desk_actor(
    station_id: int,
    post_id: int,
    remote_addr: str | None = None,
    keyboard_layout: str = "us",
    post_locale: str | None = None,
) -> Actor:
    """Build the actor of a station, by its id and its post's, before an officer is attributed."""
    return Actor(
        kind="station",
        id=station_id,
        username="",
        role=Role.OFFICER,
        user_id=None,
        station_id=station_id,
        post_ids=frozenset({post_id}),
        remote_addr=remote_addr,
        keyboard_layout=keyboard_layout,
        post_locale=post_locale,
    )


def gateway_actor(gateway_id: int, name: str, remote_addr: str | None = None) -> Actor:
    """Build the actor of a carrier's gateway: it sees no post and may only submit messages."""
    return Actor(
        kind="carrier",
        id=gateway_id,
        username=name,
        role=Role.CARRIER,
        user_id=None,
        station_id=None,
        post_ids=frozenset(),
        remote_addr=remote_addr,
    )


class Officer(Protocol):
    """An officer as far as acting for them goes: a User, or an officer read with a desk."""

    @property
    def id(self) -> int: ...

    @property
    def username(self) -> str: ...


def with_officer(actor: Actor, officer: Officer) -> Actor:
    """Return a station actor acting for an officer (who was checked to be posted there)."""
    return replace(actor, username=officer.username, user_id=officer.id)
