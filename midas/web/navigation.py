"""Who may open which page: the role guard of every view, and the navigation each role sees."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from midas.auth import Actor, find_actor
from midas.domain.errors import PermissionDenied
from midas.domain.reviews import REVIEWERS
from midas.domain.texts import N_
from midas.persistence.models import Role

P = ParamSpec("P")
R = TypeVar("R")

OFFICERS = frozenset({Role.OFFICER})
SUPERVISORS = frozenset({Role.SUPERVISOR, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})


@dataclass(frozen=True, slots=True)
class NavItem:
    """One link of the navigation bar."""

    endpoint: str
    label: LazyString
    roles: frozenset[Role]


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("station.desk", _l("Station"), OFFICERS),
    NavItem("supervisor.dashboard", _l("Dashboard"), SUPERVISORS),
    NavItem("arrivals.arrivals", _l("Arrivals"), frozenset({Role.OFFICER, Role.SUPERVISOR})),
    NavItem("supervisor.log", _l("Movement log"), SUPERVISORS),
    NavItem("supervisor.hits", _l("Hit review"), REVIEWERS),
    NavItem("supervisor.overstays", _l("Overstays"), SUPERVISORS),
    NavItem("late_entries.enter", _l("Paper records"), frozenset({Role.SUPERVISOR})),
    NavItem("admin.users", _l("Users"), ADMINS),
    NavItem("admin.posts", _l("Posts"), ADMINS),
    NavItem("admin.stations", _l("Stations"), ADMINS),
    NavItem("admin.watchlists", _l("Watchlists"), ADMINS),
    NavItem("trust_store.trust_store", _l("Trust store"), ADMINS),
    NavItem("admin.stay_rules", _l("Stay rules"), ADMINS),
    NavItem("admin.sync", _l("Posts' sync"), ADMINS),
    NavItem("admin.audit", _l("Audit log"), SUPERVISORS),
)


# Domain errors carry English messages, translated where they are shown (the error page).
NOT_FOR_STATIONS = N_("pages are for people: log in with your username")
NOT_OPEN_TO = {
    Role.OFFICER: N_("this page is not open to officers"),
    Role.SUPERVISOR: N_("this page is not open to supervisors"),
    Role.ADMIN: N_("this page is not open to admins"),
}


def navigation(actor: Actor | None) -> list[NavItem]:
    """Return the links an actor's role may follow (none before login)."""
    if actor is None:
        return []
    return [item for item in NAVIGATION if actor.role in item.roles]


def home_endpoint(actor: Actor) -> str:
    """Return the page a person lands on after login: their role's first page."""
    return navigation(actor)[0].endpoint


def page_actor() -> Actor:
    """Return the person logged in on a page; PermissionDenied for a station token."""
    actor = find_actor()
    if actor is None or actor.kind != "user":
        raise PermissionDenied(NOT_FOR_STATIONS)
    return actor


def page(roles: frozenset[Role]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Guard a page: send an anonymous visitor to the login page, refuse other roles (403)."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            actor = find_actor()
            if actor is None:
                target = request.full_path if request.query_string else request.path
                return redirect(url_for("login.login", next=target))  # type: ignore[return-value]
            if actor.kind != "user":
                raise PermissionDenied(NOT_FOR_STATIONS)
            if actor.role not in roles:
                raise PermissionDenied(NOT_OPEN_TO[actor.role])
            return view(*args, **kwargs)

        guarded.midas_page_roles = roles  # type: ignore[attr-defined]
        return guarded

    return decorate
