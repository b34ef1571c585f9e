"""CSRF protection for everything a session cookie authenticates.

A state-changing request (POST, PUT, PATCH, DELETE) that a browser could send with the session
cookie must carry the session's CSRF token (flask-wtf), in the `X-CSRFToken` header (JSON API,
fetch) or the `csrf_token` form field (pages). Exempt: requests with a station bearer token (a
browser never attaches one by itself), API requests with no logged-in session (they carry no
ambient authority and are answered 401), and views marked `csrf_exempt` (the JSON-only login).
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_wtf.csrf import CSRFProtect, generate_csrf
from werkzeug.exceptions import BadRequest

from midas.auth.identity import bearer_token, session_authenticated

csrf = CSRFProtect()
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
API_PREFIX = "/api/"


def protect() -> None:
    """Refuse an unsafe session-authenticated request without a valid CSRF token."""
    if request.method in SAFE_METHODS or not current_app.config["WTF_CSRF_ENABLED"]:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or getattr(view, "midas_csrf_exempt", False):
        return
    if bearer_token() is not None:
        return
    if request.path.startswith(API_PREFIX) and not session_authenticated():
        return
    if any(not isinstance(name, str) for name in request.form):
        # A multipart part whose name werkzeug cannot read (`name="\"`): flask-wtf's search
        # for a prefixed token would fail on it with a server error.
        raise BadRequest("a form field has no readable name")
    csrf.protect()


def csrf_token() -> str:
    """Return the CSRF token of this session (creating it), for pages and API clients."""
    token: str = generate_csrf()
    return token


def init_app(app: Flask) -> None:
    """Install flask-wtf for its tokens and our own check, which knows about bearer tokens."""
    # flask-wtf's blanket check would refuse station requests; `protect` above decides instead.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    app.before_request(protect)
