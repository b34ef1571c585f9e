"""Correct a recorded crossing: a new record pointing at the one it corrects, with a reason.

A crossing is never edited. The page asks for the decision again (pre-filled from the crossing)
and why; `midas.domain.crossings.correct_crossing`, as the API calls it, keeps the reading and
the hits and enforces who may correct: the officer's post or its supervisor, not an admin.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from midas.auth import Actor
from midas.domain.corrections import correct_crossing
from midas.domain.crossing_history import get_crossing
from midas.domain.errors import DomainError
from midas.domain.screening import Screener
from midas.domain.search import corrections_of
from midas.domain.submissions import Submission, once_per_client_id
from midas.persistence import session
from midas.persistence.models import Crossing, Decision, Direction, Role
from midas.web.forms import CorrectionForm, options, show_error
from midas.web.navigation import page, page_actor
from midas.web.station import screener

bp = Blueprint("corrections", __name__)

# As the API: officers correct at their post, supervisors at the posts they oversee.
CORRECTORS = frozenset({Role.OFFICER, Role.SUPERVISOR})


def _crossing(actor: Actor, crossing_id: int) -> tuple[Crossing, int | None]:
    db = session()
    with db.begin():
        crossing = get_crossing(db, actor, crossing_id)
        newer = corrections_of(db, [crossing.id]).get(crossing.id)
        db.expunge_all()
    return crossing, newer


def _prefilled(crossing: Crossing) -> CorrectionForm:
    data: dict[str, Any] = {
        "client_id": str(uuid.uuid4()),
        "direction": crossing.direction.value,
        "decision": crossing.decision.value,
        "refusal_reason": crossing.refusal_reason or "",
        "transport_mode": crossing.transport_mode or "",
        "transport_ref": crossing.transport_ref or "",
        "purpose": crossing.purpose or "",
        "notes": crossing.notes or "",
        "minor_accompanied": None
        if crossing.minor_accompanied is None
        else ("yes" if crossing.minor_accompanied else "no"),
        "accompanying_crossing_id": str(crossing.accompanying_crossing_id or ""),
        "override_reason": crossing.override_reason or "",
    }
    return CorrectionForm(formdata=None, data=data)


def _companion_choices(form: CorrectionForm, crossing: Crossing) -> None:
    current = crossing.accompanying_crossing_id
    choices = [("", _("No companion"))]
    if current:
        choices.append((str(current), _("Crossing %(number)s (as recorded)", number=current)))
    form.accompanying_crossing_id.choices = options(choices)


def _submission(form: CorrectionForm) -> Submission:
    accompanied = {"yes": True, "no": False}.get(form.minor_accompanied.data or "")
    companion = form.accompanying_crossing_id.data
    refused = form.decision.data == Decision.REFUSED.value
    return Submission(
        client_id=form.client_id.data or "",
        direction=Direction(form.direction.data),
        decision=Decision(form.decision.data),
        refusal_reason=(form.refusal_reason.data or None) if refused else None,
        transport_mode=form.transport_mode.data or None,
        transport_ref=(form.transport_ref.data or "").strip().upper() or None,
        purpose=form.purpose.data or None,
        notes=(form.notes.data or "").strip() or None,
        minor_accompanied=accompanied,
        accompanying_crossing_id=int(companion) if accompanied and companion else None,
        override_reason=(form.override_reason.data or "").strip() or None,
    )


@bp.route("/crossings/<bigid:crossing_id>/correct", methods=["GET", "POST"])
@page(CORRECTORS)
def correct(crossing_id: int) -> Response | tuple[str, int]:
    """Show a crossing and record a correction of it (the original stays as it was)."""
    actor = page_actor()
    crossing, newer = _crossing(actor, crossing_id)
    form = CorrectionForm() if request.method == "POST" else _prefilled(crossing)
    _companion_choices(form, crossing)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            db = session()
            horizon = int(current_app.config["MRZ_EXPIRY_HORIZON_DAYS"])

            def work(submission: Submission, screening: Screener) -> int:
                recorded = correct_crossing(
                    db,
                    actor,
                    crossing_id,
                    submission,
                    form.reason.data or "",
                    screening,
                    expiry_horizon_days=horizon,
                )
                return recorded.crossing.id

            try:
                submission, screening = _submission(form), screener()
                made = once_per_client_id(db, lambda: work(submission, screening))
            except DomainError as error:
                show_error(form, error)
                status = 409 if error.field == "crossing_id" else 422
            else:
                flash(
                    _(
                        "Crossing %(number)s corrected by crossing %(made)s; the original is kept.",
                        number=crossing_id,
                        made=made,
                    ),
                    "ok",
                )
                if actor.role is Role.SUPERVISOR:
                    return redirect(
                        url_for("supervisor.traveller", traveller_id=crossing.traveller_id)
                    )
                return redirect(url_for("station.desk"))
    return render_template(
        "correct.html", crossing=crossing, newer=newer, form=form, admin=actor.role is Role.ADMIN
    ), status
