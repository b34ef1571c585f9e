"""Log in and out on a page (flask-wtf form, CSRF), and the home page that sends each role on."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

import flask_login
from flask import Blueprint, redirect, render_template, request, url_for
from flask import session as cookie_session
from werkzeug.wrappers import Response

from midas.auth import find_actor
from midas.auth.limits import login_limited
from midas.auth.session_login import log_in
from midas.domain.audit import record_audit
from midas.persistence import session
from midas.persistence.base import utcnow
from midas.web.forms import LoginForm
from midas.web.navigation import home_endpoint, page_actor
from midas.wording import plural

bp = Blueprint("login", __name__)


def safe_next(target: str | None) -> str | None:
    """Return a same-site path to go to after login, or None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/")
def home() -> Response:
    """Send a person to their role's first page, or to the login page."""
    actor = find_actor()
    if actor is None or actor.kind != "user":
        return redirect(url_for("login.login"))
    return redirect(url_for(home_endpoint(actor)))


@bp.route("/login", methods=["GET", "POST"])
@login_limited
def login() -> Response | tuple[str, int]:
    """Show the login form; on success start a session and go where the person was heading."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = log_in(form.username.data or "", form.password.data or "")
        if result.locked_until is not None:
            # Minutes from now read the same at every post; a clock time would need a zone.
            minutes = max(1, math.ceil((result.locked_until - utcnow()).total_seconds() / 60))
            form.username.errors = [
                "This account is locked after too many failed logins. Try again in "
                f"{plural(minutes, 'minute')} or ask an administrator."
            ]
            status = 401
        elif result.actor is None:
            form.password.errors = ["Wrong username or password."]
            status = 401
        else:
            target = safe_next(request.args.get("next"))
            return redirect(target or url_for(home_endpoint(result.actor)))
    elif request.method == "POST":
        status = 422
    return render_template("login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """End the session (a POST with the CSRF token, so no other site can log anyone out)."""
    actor = find_actor()
    if actor is not None and actor.kind == "user":
        db = session()
        with db.begin():
            record_audit(db, page_actor(), "auth.logout", "user", actor.id)
        flask_login.logout_user()
    cookie_session.clear()
    return redirect(url_for("login.login", logged_out=1))
