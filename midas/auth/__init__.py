"""Authentication and authorisation: session logins, station tokens, roles, CSRF, rate limits.

Every API module uses `current_actor()` and `require(*roles)`; domain functions take the Actor
and enforce post scoping themselves (`actor.post_ids`).
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from midas.auth import csrf, passwords, sessions, temporary_passwords
from midas.auth.identity import (
    csrf_exempt,
    current_actor,
    find_actor,
    forget_actor,
    login_manager,
    public,
    require,
    station_checked,
)
from midas.auth.limits import limiter
from midas.domain.actors import Actor, AuthenticationRequired
from midas.domain.desks import attribute_officer

__all__ = [
    "Actor",
    "AuthenticationRequired",
    "attribute_officer",
    "csrf_exempt",
    "current_actor",
    "find_actor",
    "forget_actor",
    "init_app",
    "public",
    "require",
    "station_checked",
]


def init_app(app: Flask) -> None:
    """Bind logins, password hashing, CSRF protection and rate limits to an app."""
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(
        minutes=app.config["SESSION_LIFETIME_MINUTES"]
    )
    # Tell a rate-limited client when to retry (Retry-After, X-RateLimit-*).
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    sessions.init_app(app)
    login_manager.init_app(app)
    passwords.init_app(app)
    csrf.init_app(app)
    temporary_passwords.init_app(app)
    limiter.init_app(app)
