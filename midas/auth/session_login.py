"""Logging a person in with a session cookie: one flow for the JSON API and the login page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import flask_login
from flask import current_app, request
from flask import session as cookie_session

from midas.auth.identity import SessionUser, session_id
from midas.auth.login import LoginPolicy, authenticate
from midas.auth.passwords import passwords
from midas.domain.actors import Actor, user_actor
from midas.persistence import session
from midas.persistence.base import utcnow


@dataclass(frozen=True, slots=True)
class LoginResult:
    """Who is now logged in (None if nobody), and until when the account is locked, if it is."""

    actor: Actor | None
    locked_until: datetime | None = None


def log_in(username: str, password: str) -> LoginResult:
    """Check credentials under the lockout policy; on success start a fresh cookie session."""
    config = current_app.config
    policy = LoginPolicy(
        attempts=config["LOGIN_LOCKOUT_ATTEMPTS"],
        lockout=timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"]),
    )
    db = session()
    with db.begin():
        outcome = authenticate(
            db,
            passwords(),
            policy,
            username,
            password,
            now=utcnow(),
            remote_addr=request.remote_addr,
        )
        user = outcome.user
        actor = None if user is None else user_actor(user, request.remote_addr)
        stored_id = None if user is None else session_id(user)
    if outcome.locked_until is not None:
        return LoginResult(None, outcome.locked_until)
    if actor is None or stored_id is None:
        return LoginResult(None)
    # A fresh cookie session: nothing from before the login (a planted CSRF token) carries over.
    cookie_session.clear()
    cookie_session.permanent = True
    flask_login.login_user(SessionUser(stored_id, actor))
    return LoginResult(actor)
