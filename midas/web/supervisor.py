"""Supervisor pages: dashboard, movement-log search and CSV, traveller history, hits, overstays."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pycountry
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response as BaseResponse

from midas.domain.admin import list_posts
from midas.domain.days import parse_day
from midas.domain.errors import DomainError, InvalidInput
from midas.domain.keys import is_id, page_number
from midas.domain.overstay import StayStatus, list_overstays, overstay_policy
from midas.domain.pseudonyms import app_pseudonyms
from midas.domain.reviews import REVIEWERS, Verdict, get_hit, list_hits, review_hit
from midas.domain.search import (
    MAX_PER_PAGE,
    CrossingQuery,
    SearchPage,
    corrections_of,
    search_crossings,
)
from midas.domain.spreadsheet import csv_text
from midas.domain.statistics import StatisticsQuery, check_query
from midas.domain.texts import N_
from midas.domain.traveller_files import merge_travellers, split_traveller
from midas.domain.travellers import traveller_history
from midas.languages import country_name, error_text
from midas.persistence import session
from midas.persistence.base import utcnow
from midas.persistence.models import Crossing, Decision, Direction, HitStatus, Role
from midas.web.forms import MergeForm, ReviewForm, SplitForm
from midas.web.labels import labels_of
from midas.web.navigation import SUPERVISORS, page, page_actor

bp = Blueprint("supervisor", __name__)

PER_PAGE = 25
# A CSV export stops here; narrow the filters for more (keeps one request bounded).
EXPORT_LIMIT = 10_000
FILTERS = (
    "name",
    "document_number",
    "issuing_state",
    "nationality",
    "post",
    "from",
    "to",
    "direction",
    "decision",
)


@bp.route("/dashboard")
@page(SUPERVISORS)
def dashboard() -> tuple[str, int]:
    """Show charts drawn from the statistics API (the page's script fetches them)."""
    today = utcnow().date()
    start = request.args.get("from") or (today - timedelta(days=29)).isoformat()
    end = request.args.get("to") or today.isoformat()
    errors: dict[str, str] = {}
    try:
        # The period is checked here as the API checks it, so a bad one is said once, beside
        # its field, instead of by every chart.
        check_query(
            StatisticsQuery(start=_day({"from": start}, "from"), end=_day({"to": end}, "to"))
        )
    except DomainError as error:
        errors[error.field or "from"] = error_text(error)
    return render_template(
        "dashboard.html", start=start, end=end, errors=errors, texts=_chart_texts()
    ), (422 if errors else 200)


def _chart_texts() -> dict[str, Any]:
    """Return the words dashboard.js shows, in the page's language: codes' labels, messages."""
    # Placeholders pass through gettext unchanged, for the script to fill in.
    labels: dict[str, dict[str, str]] = {
        kind: labels_of(kind) for kind in ("direction", "decision", "hit_status", "sex", "chip")
    }
    labels["nationality"] = {
        country.alpha_3: f"{country.alpha_3} ({country_name(country.alpha_3)})"
        for country in pycountry.countries
    }
    return {
        "labels": labels,
        "unknown": _("unknown"),
        "count": _("count"),
        "failed": _("Could not load these figures."),
        "failed_because": _("Could not load these figures: %(why)s.", why="%(why)s"),
        "server_answered": _("the server answered %(status)s", status="%(status)s"),
        "with_pending": _(
            "%(total)s (%(pending)s pending)", total="%(total)s", pending="%(pending)s"
        ),
    }


def _day(args: Mapping[str, str], name: str) -> date | None:
    return parse_day(args.get(name) or "", field=name)


def log_query(args: Mapping[str, str], *, page_number: int, per_page: int) -> CrossingQuery:
    """Read the search form's filters into a query; raise InvalidInput naming a bad field."""
    start, end = _day(args, "from"), _day(args, "to")
    direction = args.get("direction") or None
    decision = args.get("decision") or None
    if direction not in (None, *(d.value for d in Direction)):
        raise InvalidInput(N_("choose entry or exit"), field="direction")
    if decision not in (None, *(d.value for d in Decision)):
        raise InvalidInput(N_("choose admitted, refused or referred"), field="decision")
    return CrossingQuery(
        name=(args.get("name") or "").strip() or None,
        document_number=(args.get("document_number") or "").strip() or None,
        issuing_state=(args.get("issuing_state") or "").strip().upper() or None,
        nationality=(args.get("nationality") or "").strip().upper() or None,
        post=args.get("post") or None,
        from_=None if start is None else datetime.combine(start, time(), UTC),
        to=None if end is None else datetime.combine(end + timedelta(days=1), time(), UTC),
        direction=Direction(direction) if direction else None,
        decision=Decision(decision) if decision else None,
        page=page_number,
        per_page=per_page,
    )


def _page_number() -> int:
    return page_number(request.args.get("page"))


@bp.route("/log")
@page(SUPERVISORS)
def log() -> tuple[str, int]:
    """Search the movement log with filters; results paged, newest first."""
    actor = page_actor()
    args = {key: request.args.get(key, "") for key in FILTERS}
    searched = any(args.values()) or "page" in request.args
    errors: dict[str, str] = {}
    results: SearchPage | None = None
    pseudonyms = app_pseudonyms(current_app)
    db = session()
    with db.begin():
        posts = list_posts(db, actor)
        if searched:
            try:
                query = log_query(args, page_number=_page_number(), per_page=PER_PAGE)
                results = search_crossings(db, actor, query, pseudonyms=pseudonyms)
            except DomainError as error:
                errors[error.field or "name"] = error_text(error)
        db.expunge_all()
    filters = {key: value for key, value in args.items() if value}
    status = 422 if errors else 200
    return render_template(
        "log.html", args=args, filters=filters, results=results, errors=errors, posts=posts
    ), status


@bp.route("/log.csv")
@page(SUPERVISORS)
def log_csv() -> Response:
    """Export the crossings matching the filters as CSV (each page read is audited)."""
    actor = page_actor()
    args = {key: request.args.get(key, "") for key in FILTERS}
    rows: list[list[Any]] = []
    pseudonyms = app_pseudonyms(current_app)
    db = session()
    with db.begin():
        number = 1
        while len(rows) < EXPORT_LIMIT:
            query = log_query(args, page_number=number, per_page=MAX_PER_PAGE)
            found = search_crossings(db, actor, query, pseudonyms=pseudonyms)
            rows.extend(_csv_row(c) for c in found.crossings)
            if number * MAX_PER_PAGE >= found.total:
                break
            number += 1
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    return Response(
        _csv(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="crossings-{stamp}.csv"'},
    )


CSV_HEADER = [
    "crossing_id",
    "occurred_at_utc",
    "post",
    "direction",
    "decision",
    "refusal_reason",
    "surname",
    "given_names",
    "nationality",
    "sex",
    "age",
    "document_type",
    "issuing_state",
    "document_number",
    "transport_mode",
    "transport_ref",
    "purpose",
    "hits",
    "corrects_id",
]


def _csv_row(c: Crossing) -> list[Any]:
    return [
        c.id,
        c.occurred_at.astimezone(UTC).isoformat(),
        c.post.code,
        c.direction.value,
        c.decision.value,
        c.refusal_reason or "",
        c.traveller.surname or "",
        c.traveller.given_names or "",
        c.traveller_nationality or "",
        c.traveller_sex or "",
        "" if c.traveller_age is None else c.traveller_age,
        c.document.document_type,
        c.document.issuing_state,
        c.document.number or "",
        c.transport_mode or "",
        c.transport_ref or "",
        c.purpose or "",
        len(c.hits),
        c.corrects_id or "",
    ]


def _csv(rows: list[list[Any]]) -> Iterator[str]:
    yield csv_text(CSV_HEADER, rows)


@bp.route("/travellers/<int:traveller_id>")
@page(SUPERVISORS)
def traveller(traveller_id: int) -> str:
    """Show a traveller's documents and every crossing the supervisor may see."""
    return _traveller_page(traveller_id, MergeForm(), SplitForm())


def _traveller_page(traveller_id: int, merge: MergeForm, split: SplitForm) -> str:
    actor = page_actor()
    db = session()
    with db.begin():
        history = traveller_history(db, actor, traveller_id)
        corrected_by = corrections_of(db, [c.id for c in history.crossings])
        db.expunge_all()
    return render_template(
        "traveller.html",
        history=history,
        corrected_by=corrected_by,
        may_correct=actor.role is Role.SUPERVISOR,
        merge=merge,
        split=split,
    )


@bp.route("/travellers/<int:traveller_id>/merge", methods=["POST"])
@page(REVIEWERS)  # supervisors only: an administrator manages the system, not its records
def merge(traveller_id: int) -> BaseResponse | tuple[str, int]:
    """Merge another traveller into this one (their crossings are refiled as corrections)."""
    form = MergeForm()
    if form.validate_on_submit():
        db = session()
        try:
            with db.begin():
                done = merge_travellers(
                    db, page_actor(), traveller_id, form.other.data or 0, form.reason.data or ""
                )
        except DomainError as error:
            target = getattr(form, "other" if error.field == "traveller_id" else "reason")
            target.errors = [*list(target.errors or []), error_text(error)]
        else:
            flash(
                ngettext(
                    "Traveller %(other)s merged: %(num)d crossing refiled.",
                    "Traveller %(other)s merged: %(num)d crossings refiled.",
                    len(done.corrections),
                    other=form.other.data,
                ),
                "ok",
            )
            return redirect(url_for("supervisor.traveller", traveller_id=traveller_id))
    return _traveller_page(traveller_id, form, SplitForm(formdata=None)), 422


@bp.route("/travellers/<int:traveller_id>/split", methods=["POST"])
@page(REVIEWERS)
def split(traveller_id: int) -> BaseResponse | tuple[str, int]:
    """File the ticked crossings under a new traveller (as corrections)."""
    form = SplitForm()
    if form.validate_on_submit():
        chosen = [
            int(value) for value in request.form.getlist("crossing_ids") if is_id(value, big=True)
        ]
        db = session()
        try:
            with db.begin():
                done = split_traveller(
                    db, page_actor(), traveller_id, chosen, form.reason.data or ""
                )
        except DomainError as error:
            form.reason.errors = [*list(form.reason.errors or []), error_text(error)]
        else:
            flash(
                ngettext(
                    "%(num)d crossing filed under a new traveller.",
                    "%(num)d crossings filed under a new traveller.",
                    len(done.corrections),
                ),
                "ok",
            )
            return redirect(url_for("supervisor.traveller", traveller_id=done.traveller_id))
    return _traveller_page(traveller_id, MergeForm(formdata=None), form), 422


@bp.route("/hits")
@page(REVIEWERS)
def hits() -> str:
    """Show the hit review queue (pending first; other statuses on request)."""
    actor = page_actor()
    wanted = request.args.get("status", "pending")
    known = {status.value: status for status in HitStatus}
    status = None if wanted == "all" else known.get(wanted, HitStatus.PENDING)
    db = session()
    with db.begin():
        found = list_hits(db, actor, status=status, page=_page_number(), per_page=PER_PAGE)
        db.expunge_all()
    return render_template("hits.html", found=found, status=wanted)


@bp.route("/hits/<bigid:hit_id>", methods=["GET", "POST"])
@page(REVIEWERS)
def hit(hit_id: int) -> BaseResponse | tuple[str, int]:
    """Show one hit with its crossing, and confirm or dismiss it with a reason."""
    actor = page_actor()
    form = ReviewForm()
    status = 200
    if form.validate_on_submit():
        db = session()
        try:
            with db.begin():
                reviewed = review_hit(
                    db,
                    actor,
                    hit_id,
                    Verdict(form.verdict.data),
                    form.reason.data or "",
                    override_reason=form.override_reason.data,
                )
                verdict = reviewed.status
        except DomainError as error:
            target = getattr(form, error.field or "", None)
            (target.errors if target is not None else form.form_errors).append(error_text(error))
            status = 422 if error.field else 409
        else:
            if verdict is HitStatus.CONFIRMED:
                flash(_("Hit %(id)s confirmed.", id=hit_id), "ok")
            else:
                flash(_("Hit %(id)s dismissed.", id=hit_id), "ok")
            return redirect(url_for("supervisor.hits"))
    elif request.method == "POST":
        status = 422
    db = session()
    with db.begin():
        found = get_hit(db, actor, hit_id)
        crossing = found.crossing
        db.expunge_all()
    return render_template("hit.html", hit=found, crossing=crossing, form=form), status


@bp.route("/overstays")
@page(SUPERVISORS)
def overstays() -> str:
    """List who has overstayed and who is about to, most urgent first."""
    actor = page_actor()
    db = session()
    with db.begin():
        found = list_overstays(
            db, actor, overstay_policy(current_app.config), today=utcnow().date()
        )
    groups = {status: [o for o in found if o.assessment.status is status] for status in StayStatus}
    return render_template("overstays.html", groups=groups, StayStatus=StayStatus)
