"""A password an administrator set is temporary: its owner changes it before doing anything else.

Checked once per request, before any view: a page sends the person to the password page, the
API answers 403 saying why. Only the views marked `open_before_password_change` (logging in and
out, who am I, the CSRF token, changing the password) and static files are let through.
Station tokens have no password and are never held up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import Flask, current_app, redirect, request, url_for
from werkzeug.wrappers import Response

from midas.auth.identity import bearer_token, find_actor
from midas.domain.actors import PasswordChangeRequired

P = ParamSpec("P")
R = TypeVar("R")
OPEN_MARK = "midas_open_before_password_change"
API_PREFIX = "/api/"
PASSWORD_PAGE = "account.password"


def open_before_password_change(view: Callable[P, R]) -> Callable[P, R]:
    """Mark a view a person with a temporary password may still use."""
    setattr(view, OPEN_MARK, True)
    return view


def hold_until_changed() -> Response | None:
    """Refuse anything but the marked views to a person whose password is temporary."""
    endpoint = request.endpoint or ""
    view = current_app.view_functions.get(endpoint)
    if view is None or getattr(view, OPEN_MARK, False) or endpoint.rsplit(".", 1)[-1] == "static":
        return None
    if bearer_token() is not None:
        return None
    actor = find_actor()
    if actor is None or not actor.password_change_due:
        return None
    if request.path.startswith(API_PREFIX):
        raise PasswordChangeRequired()
    return redirect(url_for(PASSWORD_PAGE))


def init_app(app: Flask) -> None:
    """Hold people with a temporary password at the password change."""
    app.before_request(hold_until_changed)
