"""Expected arrivals: the flights coming to a post, their travellers screened before landing.

Officers see their post's flights; supervisors the posts they supervise, and pre-assign a
traveller with a hit to secondary inspection before the flight lands.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from midas.domain.actors import Actor
from midas.domain.admin import list_posts
from midas.domain.errors import DomainError
from midas.domain.flight_reports import REQUIRED_FIELDS, flight_report, report_settings
from midas.domain.flights import expected_flights, flight_with_travellers, refer_before_arrival
from midas.languages import error_text
from midas.persistence import session
from midas.persistence.models import Post, Role
from midas.web.forms import ConfirmForm
from midas.web.navigation import page, page_actor

bp = Blueprint("arrivals", __name__, url_prefix="/arrivals")

ARRIVALS_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})


def _chosen_post(db: Session, actor: Actor) -> tuple[list[Post], Post]:
    """Return the active posts the actor sees and the one asked for (`?post=`), else the first."""
    posts = list_posts(db, actor, active=True)
    wanted = request.args.get("post", type=int)
    post = next((p for p in posts if p.id == wanted), posts[0] if posts else None)
    if post is None:
        abort(404)
    return posts, post


@bp.route("")
@page(ARRIVALS_ROLES)
def arrivals() -> str:
    """List the flights expected at a post, with travellers, hits and referrals counted."""
    actor = page_actor()
    db = session()
    with db.begin():
        posts, post = _chosen_post(db, actor)
        now = datetime.now(ZoneInfo(post.timezone)).replace(tzinfo=None)
        flights = expected_flights(db, actor, post.id, now)
        db.expunge_all()
    return render_template(
        "arrivals.html",
        posts=posts,
        post=post,
        flights=flights,
        now=now,
        form=ConfirmForm(),
        supervisor=actor.role is Role.SUPERVISOR,
    )


@bp.route("/report")
@page(frozenset({Role.SUPERVISOR}))
def report() -> str:
    """Show a post's day after its flights: no-shows, entries on no manifest, carriers' data."""
    actor = page_actor()
    db = session()
    with db.begin():
        posts, post = _chosen_post(db, actor)
        today = datetime.now(ZoneInfo(post.timezone)).date()
        day = _day(request.args.get("day"), today)
        found = flight_report(
            db, actor, post.id, day, report_settings(current_app.config), now_utc=datetime.now(UTC)
        )
    return render_template(
        "arrivals_report.html",
        posts=posts,
        post=post,
        report=found,
        day=day,
        previous=day - timedelta(days=1),
        following=day + timedelta(days=1) if day < today else None,
        fields=REQUIRED_FIELDS,
    )


def _day(value: str | None, today: date) -> date:
    """Return the day asked for (YYYY-MM-DD), today if none; 404 for one that is no date."""
    if not value:
        return today
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(404)


@bp.route("/<int:flight_id>")
@page(ARRIVALS_ROLES)
def flight(flight_id: int) -> str:
    """Show a flight's travellers, those with hits first (a read of personal data, audited)."""
    actor = page_actor()
    db = session()
    try:
        with db.begin():
            found = flight_with_travellers(db, actor, flight_id)
            travellers = sorted(found.travellers, key=lambda t: (-t.hit_count, t.surname))
            db.expunge_all()
    except DomainError:
        abort(404)
    return render_template(
        "arrival.html",
        flight=found,
        travellers=travellers,
        form=ConfirmForm(),
        supervisor=actor.role is Role.SUPERVISOR,
    )


@bp.route("/<int:flight_id>/travellers/<int:traveller_id>/refer", methods=["POST"])
@page(frozenset({Role.SUPERVISOR}))
def refer(flight_id: int, traveller_id: int) -> Response:
    """Pre-assign a traveller to secondary inspection before the flight lands (or undo it)."""
    actor = page_actor()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    referred = request.form.get("referred", "1") == "1"
    db = session()
    try:
        with db.begin():
            refer_before_arrival(db, actor, traveller_id, referred)
    except DomainError as error:
        flash(error_text(error), "error")
    else:
        flash(
            _("Referred to secondary inspection.") if referred else _("Referral withdrawn."), "ok"
        )
    return redirect(url_for("arrivals.flight", flight_id=flight_id))
