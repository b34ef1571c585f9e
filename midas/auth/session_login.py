"""Logging a person in and out with a session cookie: one flow for the JSON API and the pages."""

from __future__ import annotations

from datetime import timedelta

import flask_login
from flask import current_app, request
from flask import session as cookie_session

from midas.auth.identity import SessionUser
from midas.auth.login import LoginPolicy, authenticate
from midas.auth.passwords import passwords
from midas.domain.actors import Actor, user_actor
from midas.domain.audit import record_audit
from midas.domain.user_sessions import end_session, start_session
from midas.persistence import session
from midas.persistence.base import utcnow
from midas.persistence.database import begin_writing


def login_policy() -> LoginPolicy:
    """Return the app's throttling of failed logins."""
    config = current_app.config
    return LoginPolicy(
        attempts=config["LOGIN_THROTTLE_ATTEMPTS"],
        longest_wait=timedelta(minutes=config["LOGIN_THROTTLE_MAX_MINUTES"]),
    )


def log_in(username: str, password: str) -> Actor | None:
    """Check credentials; on success start a server-side session in a fresh cookie.

    None for every failure alike (wrong, unknown, inactive, or waiting after many failures).
    """
    db = session()
    now = utcnow()
    with db.begin():
        outcome = authenticate(
            db,
            passwords(),
            login_policy(),
            username,
            password,
            now=now,
            remote_addr=request.remote_addr,
        )
        user = outcome.user
        if user is None:
            return None
        actor = user_actor(user, request.remote_addr)
        secret = start_session(db, user, now=now, lifetime=current_app.permanent_session_lifetime)
    # A fresh cookie session: nothing from before the login (a planted CSRF token) carries over.
    cookie_session.clear()
    # A browser-session cookie: closing the browser of a shared desk PC forgets it; the server
    # ends the session after SESSION_LIFETIME_MINUTES in any case.
    cookie_session.permanent = False
    flask_login.login_user(SessionUser(secret, actor))
    return actor


def log_out(actor: Actor) -> None:
    """End this request's session on the server and in the cookie, and audit it."""
    user = flask_login.current_user
    db = session()
    with db.begin():
        begin_writing(db)
        if isinstance(user, SessionUser):
            end_session(db, user.session_id)
        record_audit(db, actor, "auth.logout", "user", actor.id)
    flask_login.logout_user()
    cookie_session.clear()


def current_session_secret() -> str | None:
    """Return the secret of this request's login session, None without one."""
    user = flask_login.current_user
    return user.session_id if isinstance(user, SessionUser) else None
