"""Log in and out on a page (flask-wtf form, CSRF), and the home page that sends each role on."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from flask import session as cookie_session
from flask_babel import gettext
from werkzeug.wrappers import Response

from midas.auth import find_actor
from midas.auth.limits import login_limited
from midas.auth.session_login import log_in, log_out
from midas.auth.temporary_passwords import open_before_password_change
from midas.domain.texts import N_
from midas.web.forms import LoginForm
from midas.web.navigation import home_endpoint

# One answer for every failed login, so none tells which usernames exist or are held back.
FAILED_LOGIN = N_(
    "Wrong username or password. After several failed tries, wait a few minutes before the next."
)

bp = Blueprint("login", __name__)


def safe_next(target: str | None) -> str | None:
    """Return a same-site path to go to after login, or None (no open redirects)."""
    if not target or not target.isprintable() or "\\" in target:
        # Control characters (CR/LF would split the Location header) and backslashes (which
        # browsers read as "/", making "/\\host" another site) are never in our own paths.
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
@open_before_password_change
def login() -> Response | tuple[str, int]:
    """Show the login form; on success start a session and go where the person was heading."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        actor = log_in(form.username.data or "", form.password.data or "")
        if actor is None:
            form.password.errors = [gettext(FAILED_LOGIN)]
            status = 401
        elif actor.password_change_due:
            return redirect(url_for("account.password"))
        else:
            target = safe_next(request.args.get("next"))
            return redirect(target or url_for(home_endpoint(actor)))
    elif request.method == "POST":
        status = 422
    return render_template("login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@open_before_password_change
def logout() -> Response:
    """End the session on the server (a POST with the CSRF token, so no other site can log
    anyone out): a copy of its cookie opens nothing afterwards."""
    actor = find_actor()
    if actor is not None and actor.kind == "user":
        log_out(actor)
    cookie_session.clear()
    return redirect(url_for("login.login", logged_out=1))
