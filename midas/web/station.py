"""The officer's station: scan a document, see the reading and the screening, decide, record.

Server-rendered forms with a little local JavaScript (static/station.js) for the keyboard:
the scan form submits by itself when a complete MRZ has been typed by a keyboard-wedge scanner
or pasted, and Alt-key shortcuts pick the decision. Each step is one request to this service,
which calls the same domain functions as the JSON API (`preview_reading`, `record_crossing`),
so the rules live in one place and the page works even with JavaScript off. The decision form
carries a client-generated UUID: pressing Enter twice, or resending after a timeout, records
the crossing once.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask import session as cookie_session
from werkzeug.wrappers import Response

from midas.auth import Actor
from midas.cli.screen import INDEX_CACHE_KEY
from midas.domain.crossings import (
    COMPANION_WINDOW,
    Preview,
    Submission,
    preview_reading,
    read_document,
    record_crossing,
    resolve_post,
)
from midas.domain.errors import DomainError
from midas.domain.lists import IndexCache, screening_config
from midas.domain.screening import Screener, cached_screener
from midas.domain.search import CrossingQuery, search_crossings
from midas.persistence import database, session
from midas.persistence.base import utcnow
from midas.persistence.models import Crossing, Decision, Direction, Post
from midas.web.forms import DecisionForm, ScanForm, options
from midas.web.navigation import OFFICERS, page, page_actor

bp = Blueprint("station", __name__, url_prefix="/station")

# What the station remembers between travellers (a queue off one flight shares these).
STICKY = ("direction", "transport_mode", "transport_ref", "purpose")
STICKY_KEY = "station_defaults"
# Crossings offered as a minor's companion: the latest at this post in the window.
COMPANIONS_SHOWN = 10


def screener() -> Screener:
    """Return a screener over the lists active now, from this process's shared index cache.

    The indexes are resolved here, before the caller opens its transaction: refreshing them
    reads the database on a connection of its own, which SQLite would make wait for ours.
    """
    cache: IndexCache = current_app.extensions.setdefault(INDEX_CACHE_KEY, IndexCache())
    live = cached_screener(cache, database().sessions, screening_config(current_app.config))
    indexes = live.indexes()
    return Screener(indexes=lambda: indexes, config=live.config)


def _defaults() -> dict[str, str]:
    stored = cookie_session.get(STICKY_KEY)
    return dict(stored) if isinstance(stored, dict) else {}


def _post(actor: Actor) -> Post:
    db = session()
    with db.begin():
        post, _ = resolve_post(db, actor)
        db.expunge(post)
    return post


@bp.route("")
@page(OFFICERS)
def desk() -> str:
    """Show the scan box, waiting for the next document (and the last confirmation)."""
    actor = page_actor()
    post = _post(actor)
    form = ScanForm(data={"direction": _defaults().get("direction", "entry")})
    return render_template("station.html", post=post, scan=form, preview=None, decision=None)


@bp.route("/scan", methods=["POST"])
@page(OFFICERS)
def scan() -> tuple[str, int]:
    """Read and screen a scanned MRZ; show the reading, the hits and the decision form."""
    actor = page_actor()
    post = _post(actor)
    form = ScanForm()
    if not form.validate_on_submit():
        return render_template("station.html", post=post, scan=form, preview=None), 422
    mrz = form.mrz.data or ""
    try:
        preview = _preview(actor, post, mrz)
    except DomainError as error:
        form.mrz.errors = [_sentence(error.message)]
        return render_template("station.html", post=post, scan=form, preview=None), 422
    defaults = _defaults()
    defaults["direction"] = form.direction.data or "entry"
    cookie_session[STICKY_KEY] = defaults
    decision = _decision_form(preview, mrz, defaults)
    companions = _companions(actor, post, Direction(defaults["direction"]), preview)
    _companion_choices(decision, companions, preview)
    return render_template(
        "station.html",
        post=post,
        scan=ScanForm(formdata=None, data={"direction": defaults["direction"]}),
        preview=preview,
        decision=decision,
        companions=companions,
    ), 200


def _preview(actor: Actor, post: Post, mrz: str) -> Preview:
    now = utcnow()
    today = now.astimezone(_zone(post)).date()
    horizon = int(current_app.config["MRZ_EXPIRY_HORIZON_DAYS"])
    reading = read_document(mrz, None, today=today, expiry_horizon_days=horizon)
    screening = screener()
    db = session()
    with db.begin():
        preview = preview_reading(db, actor, reading, screening, now=now)
        for crossing in preview.previous:
            _ = crossing.post.timezone  # loaded while the transaction is open
        db.expunge_all()
    return preview


def _zone(post: Post) -> ZoneInfo:
    return ZoneInfo(post.timezone)


def _sentence(message: str) -> str:
    text = message.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


def _decision_form(preview: Preview, mrz: str, defaults: dict[str, str]) -> DecisionForm:
    """Return the decision form, its default the safe one: refer on a hit, admit otherwise."""
    hit = bool(preview.screening.hits or preview.confirmed)
    data: dict[str, Any] = {
        "client_id": str(uuid.uuid4()),
        "mrz": "\n".join(line.strip() for line in mrz.splitlines() if line.strip()),
        "direction": defaults.get("direction", "entry"),
        "decision": "referred" if hit else "admitted",
        "transport_mode": defaults.get("transport_mode", ""),
        "transport_ref": defaults.get("transport_ref", ""),
        "purpose": defaults.get("purpose", ""),
        "minor_accompanied": "yes" if preview.minor else None,
    }
    return DecisionForm(formdata=None, data=data)


def _companions(actor: Actor, post: Post, direction: Direction, preview: Preview) -> list[Crossing]:
    """Return recent crossings at this post a minor may be travelling with (adults first)."""
    if not preview.minor:
        return []
    db = session()
    with db.begin():
        page_of = search_crossings(
            db,
            actor,
            CrossingQuery(
                post=post.code,
                from_=utcnow() - COMPANION_WINDOW,
                direction=direction,
                per_page=COMPANIONS_SHOWN,
            ),
        )
        for crossing in page_of.crossings:
            _ = crossing.traveller.surname
        db.expunge_all()
    return sorted(page_of.crossings, key=lambda c: (c.is_minor, -c.occurred_at.timestamp()))


def _companion_choices(form: DecisionForm, companions: list[Crossing], preview: Preview) -> None:
    form.accompanying_crossing_id.choices = options(
        [("", "Choose the accompanying traveller")]
        + [
            (
                str(c.id),
                f"{c.traveller.surname or ''}, {c.traveller.given_names or ''} — "
                f"{c.decision.value} {c.occurred_at.strftime('%H:%M')} UTC (crossing {c.id})",
            )
            for c in companions
        ]
    )
    if preview.minor and companions and not form.accompanying_crossing_id.data:
        adults = [c for c in companions if not c.is_minor]
        if adults:
            form.accompanying_crossing_id.data = str(adults[0].id)


@bp.route("/record", methods=["POST"])
@page(OFFICERS)
def record() -> Response | tuple[str, int]:
    """Record the decision; back to a waiting scan box with a confirmation, or show what to fix."""
    actor = page_actor()
    post = _post(actor)
    form = DecisionForm()
    mrz = form.mrz.data or ""
    if form.validate_on_submit():
        try:
            crossing = _record(actor, form)
        except DomainError as error:
            _attach(form, error)
        else:
            _remember(form)
            flash(_confirmation(crossing, post), "recorded")
            return redirect(url_for("station.desk", recorded=crossing.id))
    try:
        preview = _preview(actor, post, mrz)
    except DomainError:
        flash("The reading could not be repeated: scan the document again.", "error")
        return redirect(url_for("station.desk"))
    companions = _companions(actor, post, Direction(form.direction.data or "entry"), preview)
    chosen = form.accompanying_crossing_id.data
    _companion_choices(form, companions, preview)
    form.accompanying_crossing_id.data = chosen or form.accompanying_crossing_id.data
    scan = ScanForm(formdata=None, data={"direction": form.direction.data})
    return render_template(
        "station.html",
        post=post,
        scan=scan,
        preview=preview,
        decision=form,
        companions=companions,
        errors=True,
    ), 422


def _record(actor: Actor, form: DecisionForm) -> Crossing:
    lines = tuple(line for line in (form.mrz.data or "").splitlines() if line.strip())
    accompanied = {"yes": True, "no": False}.get(form.minor_accompanied.data or "")
    companion = form.accompanying_crossing_id.data
    submission = Submission(
        client_id=form.client_id.data or "",
        direction=Direction(form.direction.data),
        decision=Decision(form.decision.data),
        mrz=lines,
        refusal_reason=form.refusal_reason.data or None
        if form.decision.data == Decision.REFUSED.value
        else None,
        transport_mode=form.transport_mode.data or None,
        transport_ref=(form.transport_ref.data or "").strip().upper() or None,
        purpose=form.purpose.data or None,
        notes=(form.notes.data or "").strip() or None,
        minor_accompanied=accompanied,
        accompanying_crossing_id=int(companion) if accompanied and companion else None,
        override_reason=(form.override_reason.data or "").strip() or None,
    )
    screening = screener()
    db = session()
    with db.begin():
        recorded = record_crossing(
            db,
            actor,
            submission,
            screening,
            expiry_horizon_days=int(current_app.config["MRZ_EXPIRY_HORIZON_DAYS"]),
        )
        crossing = recorded.crossing
        _ = crossing.traveller.surname, crossing.hits
        db.expunge_all()
    return crossing


def _attach(form: DecisionForm, error: DomainError) -> None:
    """Show a domain error next to the field it names (or above the form when it names none)."""
    target = getattr(form, error.field or "", None)
    if error.field == "accompanying_crossing_id" or error.field == "minor_accompanied":
        target = getattr(form, error.field)
    message = _sentence(error.message)
    if target is not None and hasattr(target, "errors"):
        target.errors = [*list(target.errors or []), message]
    else:
        form.form_errors.append(message)


def _remember(form: DecisionForm) -> None:
    defaults = _defaults()
    for name in STICKY:
        defaults[name] = getattr(form, name).data or ""
    defaults["transport_ref"] = defaults["transport_ref"].strip().upper()
    cookie_session[STICKY_KEY] = defaults


def _confirmation(crossing: Crossing, post: Post) -> str:
    name = f"{crossing.traveller.surname or ''}, {crossing.traveller.given_names or ''}".strip(", ")
    when = crossing.occurred_at.astimezone(_zone(post)).strftime("%H:%M")
    verb = {
        Decision.ADMITTED: "admitted",
        Decision.REFUSED: f"refused (reason {crossing.refusal_reason})",
        Decision.REFERRED: "referred to secondary inspection",
    }[crossing.decision]
    hits = f"; {len(crossing.hits)} hit(s) sent for review" if crossing.hits else ""
    return (
        f"Recorded: {name} {verb} — {crossing.direction.value} at {when}, "
        f"crossing {crossing.id}{hits}. Ready for the next traveller."
    )


def companion_window_hours() -> float:
    """Return the companion window in hours, for the page's hint."""
    return COMPANION_WINDOW / timedelta(hours=1)
