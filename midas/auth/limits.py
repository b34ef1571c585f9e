"""Rate limits (flask-limiter): login attempts per client address."""

from __future__ import annotations

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address)


def login_rate_limit() -> str:
    """Return the login rate limit from the settings, e.g. "10 per minute"."""
    limit: str = current_app.config["LOGIN_RATE_LIMIT"]
    return limit
