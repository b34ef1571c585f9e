"""Enter paper records from an outage: a supervisor's late entry of a crossing, with a reason.

Recording at the desk refuses a crossing older than MAX_BACKDATE (a probable clock error). When
a post worked on paper for longer (a power cut, a broken link), its supervisor enters each paper
record here, naming the officer who decided; `midas.domain.late_entries` applies the rules of
every crossing and keeps when it happened, when it was entered and why.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms import (
    DateTimeLocalField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from midas.domain.admin import list_posts
from midas.domain.errors import DomainError, InvalidInput
from midas.domain.late_entries import enter_late_crossing
from midas.domain.screening import Screener
from midas.domain.submissions import Submission, once_per_client_id
from midas.domain.texts import N_
from midas.persistence import session
from midas.persistence.models import Decision, Direction, Post, Role
from midas.web.forms import (
    DECISIONS,
    DIRECTIONS,
    PURPOSES,
    REASONS,
    TRANSPORTS,
    FlaskForm,
    options,
    show_error,
)
from midas.web.navigation import page, page_actor
from midas.web.station import screener

bp = Blueprint("late_entries", __name__)

LATE_ENTERERS = frozenset({Role.SUPERVISOR})


class LateEntryForm(FlaskForm):
    """A paper record: where and when, who decided what, the MRZ as printed, and why late."""

    client_id = HiddenField()
    post_id = SelectField(_l("Post"), choices=[], validate_choice=False)
    occurred_at = DateTimeLocalField(
        _l("When it happened (the post's local time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Give the date and time on the paper record."))],
    )
    officer = StringField(
        _l("Officer who decided (username)"),
        validators=[DataRequired(_l("Name the officer on the paper record.")), Length(max=80)],
    )
    mrz = TextAreaField(
        _l("MRZ lines, as on the document"),
        validators=[DataRequired(_l("Type the document's MRZ lines.")), Length(max=200)],
    )
    direction = SelectField(_l("Direction"), choices=options(DIRECTIONS))
    decision = RadioField(
        _l("Decision"),
        choices=options(DECISIONS),
        validators=[InputRequired(_l("Choose a decision."))],
    )
    refusal_reason = SelectField(_l("Reason for refusal"), choices=options(REASONS), default="")
    transport_mode = SelectField(_l("Transport"), choices=options(TRANSPORTS), default="")
    transport_ref = StringField(
        _l("Flight, vehicle or vessel"), validators=[Optional(), Length(max=32)]
    )
    purpose = SelectField(_l("Purpose of travel"), choices=options(PURPOSES), default="")
    minor_accompanied = RadioField(
        _l("If a minor, they travelled"),
        choices=options([("yes", _l("Accompanied")), ("no", _l("Unaccompanied"))]),
        validators=[Optional()],
    )
    accompanying_crossing_id = StringField(
        _l("Companion's crossing number"), validators=[Optional(), Length(max=20)]
    )
    override_reason = StringField(
        _l("Reason the traveller was admitted despite warnings"),
        validators=[Optional(), Length(max=500)],
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    reason = TextAreaField(
        _l("Why is it entered late?"),
        validators=[DataRequired(_l("Say why the record is entered late.")), Length(max=2000)],
    )


def _posts() -> list[Post]:
    db = session()
    with db.begin():
        posts = list_posts(db, page_actor(), active=True)
        db.expunge_all()
    return posts


def _submission(form: LateEntryForm, post: Post) -> Submission:
    local = form.occurred_at.data
    assert isinstance(local, datetime)  # InputRequired
    accompanied = {"yes": True, "no": False}.get(form.minor_accompanied.data or "")
    companion = (form.accompanying_crossing_id.data or "").strip()
    refused = form.decision.data == Decision.REFUSED.value
    return Submission(
        client_id=form.client_id.data or "",
        direction=Direction(form.direction.data),
        decision=Decision(form.decision.data),
        mrz=tuple(line for line in (form.mrz.data or "").splitlines() if line.strip()),
        occurred_at=local.replace(tzinfo=ZoneInfo(post.timezone)),
        officer=form.officer.data,
        refusal_reason=(form.refusal_reason.data or None) if refused else None,
        transport_mode=form.transport_mode.data or None,
        transport_ref=form.transport_ref.data,
        purpose=form.purpose.data or None,
        notes=form.notes.data,
        minor_accompanied=accompanied,
        accompanying_crossing_id=_crossing_number(companion) if accompanied and companion else None,
        override_reason=form.override_reason.data,
    )


def _crossing_number(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise InvalidInput(
            N_("give the companion's crossing number"), field="accompanying_crossing_id"
        )
    return int(text)


@bp.route("/late-entries/new", methods=["GET", "POST"])
@page(LATE_ENTERERS)
def enter() -> Response | tuple[str, int]:
    """Show the paper-record form; enter the record as a crossing (a new form after each)."""
    actor = page_actor()
    posts = {post.id: post for post in _posts()}
    form = LateEntryForm()
    form.post_id.choices = options((str(p.id), f"{p.code} — {p.name}") for p in posts.values())
    status = 200
    if request.method == "GET":
        form.client_id.data = str(uuid.uuid4())
    elif form.validate_on_submit():
        status = 422
        db = session()
        horizon = int(current_app.config["MRZ_EXPIRY_HORIZON_DAYS"])
        post = posts.get(int(form.post_id.data)) if (form.post_id.data or "").isdigit() else None

        def work(submission: Submission, screening: Screener) -> int:
            assert post is not None
            return enter_late_crossing(
                db, actor, post.id, submission, form.reason.data or "", screening,
                expiry_horizon_days=horizon,
            ).crossing.id  # fmt: skip

        try:
            if post is None:
                raise InvalidInput(N_("choose one of your posts"), field="post_id")
            submission, screening = _submission(form, post), screener()
            made = once_per_client_id(db, lambda: work(submission, screening))
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Paper record entered as crossing %(number)s.", number=made), "ok")
            return redirect(url_for("late_entries.enter"))
    else:
        status = 422
    return render_template("late_entry.html", form=form), status
