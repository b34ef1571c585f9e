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

import base64
import json
import uuid
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.lists import format_list
from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as cookie_session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.wrappers import Response

from midas.auth import Actor
from midas.domain.admin import list_stations
from midas.domain.chip_checks import (
    app_chip_verifier,
    chip_files_from,
    decode_chip_files,
    read_chip,
)
from midas.domain.crossing_rules import COMPANION_WINDOW
from midas.domain.crossings import record_crossing
from midas.domain.desks import resolve_post
from midas.domain.documents import ManualDocument, checked_manual
from midas.domain.errors import DomainError, InvalidInput, Problems, ScreeningUnavailable
from midas.domain.previews import Preview, preview_reading
from midas.domain.pseudonyms import app_pseudonyms
from midas.domain.readings import read_document, scanned_text
from midas.domain.scan_files import link_to_crossing
from midas.domain.screening import Screener, app_screener
from midas.domain.search import CrossingQuery, search_crossings
from midas.domain.submissions import Submission, once_per_client_id
from midas.domain.sync_standing import PostLink, link_here
from midas.domain.texts import N_
from midas.languages import error_text, page_language
from midas.persistence import session
from midas.persistence.base import utcnow
from midas.persistence.models import Crossing, Decision, Direction, Post, Station
from midas.web.forms import (
    ConfirmForm,
    DecisionForm,
    DeskForm,
    ImageScanForm,
    ManualDocumentForm,
    ScanForm,
    options,
    show_error,
)
from midas.web.inbox import (
    DONE,
    FAILED,
    Claimed,
    InboxError,
    claim,
    desk_folder,
    file_away,
    waiting,
)
from midas.web.labels import label_of
from midas.web.navigation import OFFICERS, page, page_actor
from midas.web.times import local_time
from scanners.errors import ScannerError

bp = Blueprint("station", __name__, url_prefix="/station")

# What the station remembers between travellers (a queue off one flight shares these).
STICKY = ("direction", "transport_mode", "transport_ref", "purpose")
STICKY_KEY = "station_defaults"
# The desk (station) the officer works at, whose scanner folder the page watches.
DESK_KEY = "station_desk"
# An image chosen on the page may be this large (a 600 dpi colour page as JPEG is ~3 MB).
MAX_IMAGE_BYTES = 20 * 1024 * 1024
# How each accepted format begins: the file's content is checked, not only its name.
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"%PDF-")
# Crossings offered as a minor's companion: the latest at this post in the window.
COMPANIONS_SHOWN = 10


def screener() -> Screener:
    """Return the app's screener with the indexes of now resolved (`Screener.resolved`)."""
    return app_screener(current_app).resolved()


def _unscreened() -> ScreeningUnavailable | None:
    """Return why screening is not available now (checking also starts the builds), or None."""
    try:
        app_screener(current_app).indexes()
    except ScreeningUnavailable as error:
        return error
    return None


def _warn_unscreened() -> None:
    """Tell the officer, before a scan, which lists cannot be screened against yet (checking
    also starts their build)."""
    error = _unscreened()
    if error is not None:
        named = format_list([f'"{name}"' for name in error.lists], locale=page_language())
        flash(
            _(
                "Screening against %(lists)s is not available yet: this server is still "
                "preparing it. Scans are refused until it is ready.",
                lists=named,
            ),
            "error",
        )


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
    _warn_unscreened()
    form = ScanForm(data={"direction": _defaults().get("direction", "entry")})
    return _render(actor, post, scan=form, preview=None, decision=None)


@bp.route("/scan", methods=["POST"])
@page(OFFICERS)
def scan() -> tuple[str, int]:
    """Read and screen a scanned MRZ; show the reading, the hits and the decision form."""
    actor = page_actor()
    post = _post(actor)
    form = ScanForm()
    mrz = form.mrz.data or ""
    if form.validate_on_submit():
        # A wedge scanner types US keys on this desk's keyboard: read back what it pressed, so
        # the preview, the decision form and the record all carry the MRZ itself.
        try:
            mrz = scanned_text(mrz, _keyboard_layout(actor, post))
            chip = _chip_uploads(form)
            return _previewed(actor, post, mrz, form.direction.data, chip=chip)
        except DomainError as error:
            form.mrz.errors = [error_text(error)]
            status = 503 if isinstance(error, ScreeningUnavailable) else 422
            return _unread(actor, post, form, mrz), status
    return _unread(actor, post, form, mrz), 422


def _unread(actor: Actor, post: Post, form: ScanForm, mrz: str) -> str:
    """Show why a scan was not read, with an empty box: the scanner's next lines start afresh."""
    # Text left in the box would sit after the caret, so the next scan would be typed in front
    # of it and never read; what was read is shown beside the box instead.
    cleared = ScanForm(formdata=None, data={"direction": form.direction.data or "entry"})
    cleared.direction.errors = list(form.direction.errors or [])
    cleared.mrz.errors = list(form.mrz.errors or [])
    if not form.errors.keys() - {"csrf_token"} and form.errors:
        cleared.mrz.errors = [EXPIRED]
    return _render(actor, post, scan=cleared, preview=None, as_read=_lines(mrz))


def _lines(mrz: str) -> list[str]:
    """Return the non-blank lines of a scan, trimmed, as the scanner typed them."""
    return [line.strip() for line in mrz.splitlines() if line.strip()]


def _previewed(
    actor: Actor,
    post: Post,
    mrz: str,
    direction: str | None,
    image: ImageRead | None = None,
    scan_image: str = "",
    chip: Sequence[bytes] = (),
) -> tuple[str, int]:
    """Read and screen MRZ lines (with the chip's files, if read); show the preview and the
    decision form (DomainError if unread)."""
    defaults = _defaults()
    defaults["direction"] = direction if direction in ("entry", "exit") else "entry"
    uncertain = image is not None and not image.trusted
    preview = _preview(
        actor,
        post,
        mrz,
        direction=Direction(defaults["direction"]),
        uncertain=uncertain,
        chip=chip,
    )
    cookie_session[STICKY_KEY] = defaults
    decision = _decision_form(preview, mrz, defaults, uncertain=uncertain)
    decision.scan_image.data = scan_image
    decision.chip.data = _chip_field(chip)
    companions = _companions(actor, post, Direction(defaults["direction"]), preview)
    _companion_choices(decision, companions, preview, post)
    return _render(
        actor,
        post,
        scan=ScanForm(formdata=None, data={"direction": defaults["direction"]}),
        preview=preview,
        decision=decision,
        companions=companions,
        image=image,
        as_read=_lines(mrz),
    ), 200


def _preview(
    actor: Actor,
    post: Post,
    mrz: str | None,
    manual: ManualDocument | None = None,
    *,
    direction: Direction | None = None,
    uncertain: bool = False,
    chip: Sequence[bytes] = (),
) -> Preview:
    now = utcnow()
    today = now.astimezone(_zone(post)).date()
    horizon = int(current_app.config["MRZ_EXPIRY_HORIZON_DAYS"])
    reading = read_document(mrz, manual, today=today, expiry_horizon_days=horizon)
    screening = screener()
    db = session()
    with db.begin():
        reading = read_chip(
            db,
            reading,
            chip,
            app_chip_verifier(current_app),
            today=today,
            expiry_horizon_days=horizon,
        )
        pseudonyms = app_pseudonyms(current_app)
        preview = preview_reading(
            db,
            actor,
            reading,
            screening,
            pseudonyms=pseudonyms,
            now=now,
            direction=direction,
            uncertain=uncertain,
        )
        db.expunge_all()
    return preview


def _zone(post: Post) -> ZoneInfo:
    return ZoneInfo(post.timezone)


def _decision_form(
    preview: Preview,
    mrz: str,
    defaults: dict[str, str],
    manual: ManualDocument | None = None,
    *,
    uncertain: bool = False,
) -> DecisionForm:
    """Return the decision form with the decision the rules suggest preselected (none when the
    document itself is in doubt: the officer must choose)."""
    suggested = preview.assessment.suggested
    data: dict[str, Any] = {
        "client_id": str(uuid.uuid4()),
        "mrz": "\n".join(line.strip() for line in mrz.splitlines() if line.strip()),
        "manual": "" if manual is None else manual_json(manual),
        "direction": defaults.get("direction", "entry"),
        "decision": None if suggested is None else suggested.value,
        "uncertain": "1" if uncertain else "",
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
            pseudonyms=app_pseudonyms(current_app),
        )
        db.expunge_all()
    return sorted(page_of.crossings, key=lambda c: (c.is_minor, -c.occurred_at.timestamp()))


def _companion_name(crossing: Crossing) -> str:
    return f"{crossing.traveller.surname or ''}, {crossing.traveller.given_names or ''}"


def _companion_choices(
    form: DecisionForm, companions: list[Crossing], preview: Preview, post: Post
) -> None:
    form.accompanying_crossing_id.choices = options(
        [("", _("Choose the accompanying traveller"))]
        + [
            (
                str(c.id),
                _(
                    "%(name)s — %(decision)s %(time)s (crossing %(number)s)",
                    name=_companion_name(c),
                    decision=label_of(c.decision, "decision"),
                    time=local_time(c.occurred_at, post.timezone, "%H:%M"),
                    number=c.id,
                ),
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
    try:
        manual = manual_from_json(form.manual.data or "")
    except InvalidInput:
        flash(_("The typed-in document could not be read back: type it again."), "error")
        return redirect(url_for("station.manual"))
    if form.validate_on_submit():
        try:
            crossing = _record(actor, form)
        except DomainError as error:
            show_error(form, error)
        else:
            _remember(form)
            _link_scan_image(actor, post, form.scan_image.data or "", crossing.id)
            flash(_confirmation(crossing, post), "recorded")
            return redirect(url_for("station.desk", recorded=crossing.id))
    try:
        preview = _preview(
            actor,
            post,
            None if manual else mrz,
            manual,
            direction=Direction(form.direction.data or "entry"),
            uncertain=form.uncertain.data == "1",
            chip=_chip_of(form),
        )
    except ScreeningUnavailable as error:
        flash(error_text(error), "error")
        return redirect(url_for("station.desk"))
    except DomainError:
        flash(_("The reading could not be repeated: scan the document again."), "error")
        return redirect(url_for("station.desk"))
    companions = _companions(actor, post, Direction(form.direction.data or "entry"), preview)
    chosen = form.accompanying_crossing_id.data
    _companion_choices(form, companions, preview, post)
    form.accompanying_crossing_id.data = chosen or form.accompanying_crossing_id.data
    scan = ScanForm(formdata=None, data={"direction": form.direction.data})
    return _render(
        actor,
        post,
        scan=scan,
        preview=preview,
        decision=form,
        companions=companions,
        errors=True,
        manual_form=None if manual is None else _manual_form(manual, form.direction.data),
    ), 422


def _record(actor: Actor, form: DecisionForm) -> Crossing:
    manual = manual_from_json(form.manual.data or "")
    lines = tuple(line for line in (form.mrz.data or "").splitlines() if line.strip())
    accompanied = {"yes": True, "no": False}.get(form.minor_accompanied.data or "")
    companion = form.accompanying_crossing_id.data
    submission = Submission(
        client_id=form.client_id.data or "",
        direction=Direction(form.direction.data),
        decision=Decision(form.decision.data),
        mrz=None if manual else lines,
        document=manual,
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
        reading_uncertain=form.uncertain.data == "1",
        chip=_chip_of(form),
    )
    screening = screener()
    db = session()
    horizon = int(current_app.config["MRZ_EXPIRY_HORIZON_DAYS"])
    verifier = app_chip_verifier(current_app)

    def work() -> Crossing:
        recorded = record_crossing(
            db, actor, submission, screening, expiry_horizon_days=horizon, chip=verifier
        )
        crossing = recorded.crossing  # built with what the page shows (StoredCrossing.as_orm)
        db.expunge_all()
        return crossing

    return once_per_client_id(db, work)


def _chip_uploads(form: ScanForm) -> tuple[bytes, ...]:
    """Return the chip files uploaded with a scan (none chosen: none)."""
    return chip_files_from(
        (upload.filename, upload.stream)
        for upload in form.chip.data or ()
        if getattr(upload, "filename", "")  # not the empty part of a field left empty
    )


def _chip_field(chip: Sequence[bytes]) -> str:
    return json.dumps([base64.b64encode(blob).decode() for blob in chip]) if chip else ""


def _chip_of(form: DecisionForm) -> tuple[bytes, ...]:
    """Return the chip files the decision form carries from the scan."""
    text = form.chip.data or ""
    if not text:
        return ()
    try:
        encoded = json.loads(text)
    except ValueError:
        raise InvalidInput(CHIP_NOT_READ_BACK, field="chip") from None
    if not isinstance(encoded, list) or not all(isinstance(e, str) for e in encoded):
        raise InvalidInput(CHIP_NOT_READ_BACK, field="chip")
    return decode_chip_files(encoded)


def _remember(form: DecisionForm) -> None:
    defaults = _defaults()
    for name in STICKY:
        defaults[name] = getattr(form, name).data or ""
    defaults["transport_ref"] = defaults["transport_ref"].strip().upper()
    cookie_session[STICKY_KEY] = defaults


def _confirmation(crossing: Crossing, post: Post) -> str:
    name = f"{crossing.traveller.surname or ''}, {crossing.traveller.given_names or ''}".strip(", ")
    when = local_time(crossing.occurred_at, post.timezone, "%H:%M")
    verb = {
        Decision.ADMITTED: _("admitted"),
        Decision.REFUSED: _("refused (reason %(reason)s)", reason=crossing.refusal_reason),
        Decision.REFERRED: _("referred to secondary inspection"),
    }[crossing.decision]
    hits = (
        ngettext(
            "; %(num)d hit sent for review", "; %(num)d hits sent for review", len(crossing.hits)
        )
        if crossing.hits
        else ""
    )
    by_hand = (
        _(" (document entered by hand)")
        if (crossing.reading or {}).get("source") == "manual"
        else ""
    )
    return str(
        _(
            "Recorded: %(name)s %(outcome)s — %(direction)s at %(time)s, crossing %(number)s"
            "%(by_hand)s%(hits)s. Ready for the next traveller.",
            name=name,
            outcome=verb,
            direction=label_of(crossing.direction, "direction"),
            time=when,
            number=crossing.id,
            by_hand=by_hand,
            hits=hits,
        )
    )


def companion_window_hours() -> float:
    """Return the companion window in hours, for the page's hint."""
    return COMPANION_WINDOW / timedelta(hours=1)


# Manual entry --------------------------------------------------------------------------------

MANUAL_FIELDS = (
    "document_type",
    "document_number",
    "issuing_state",
    "surname",
    "given_names",
    "nationality",
    "birth_date",
    "sex",
    "expiry_date",
)


# What a typed date that is no date says, by field (translated where the error is shown).
NOT_A_DATE = {
    "birth_date": N_(
        "The date of birth %(value)s is not a date: write it as YYYY-MM-DD, e.g. 1974-08-12"
    ),
    "expiry_date": N_(
        "The expiry date %(value)s is not a date: write it as YYYY-MM-DD, e.g. 1974-08-12"
    ),
}


def _day(text: str, field: str) -> date | None:
    value = text.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(NOT_A_DATE[field], params={"value": repr(value)}, field=field) from None


def manual_document(values: Mapping[str, str], today: date) -> ManualDocument:
    """Parse typed-in document fields; the domain checks them (InvalidInput naming the field)."""
    # Dates that are no dates are reported with whatever else is wrong, not before it.
    problems = Problems()
    birth = problems.check(lambda: _day(values.get("birth_date", ""), "birth_date"), None)
    expiry = problems.check(lambda: _day(values.get("expiry_date", ""), "expiry_date"), None)
    document = ManualDocument(
        surname=values.get("surname", ""),
        given_names=values.get("given_names", ""),
        birth_date=birth,
        nationality=values.get("nationality", "") or None,
        sex=values.get("sex", "") or None,
        document_number=values.get("document_number", "") or None,
        issuing_state=values.get("issuing_state", ""),
        document_type=values.get("document_type", "") or "P",
        expiry_date=expiry,
    )
    checked = problems.check(lambda: checked_manual(document, today), document)
    problems.raise_any()
    return checked


def manual_json(manual: ManualDocument) -> str:
    """Return a typed-in document as the decision form carries it."""
    return json.dumps(
        {
            name: "" if getattr(manual, name) is None else str(getattr(manual, name))
            for name in MANUAL_FIELDS
        }
    )


def manual_from_json(text: str) -> ManualDocument | None:
    """Read back a typed-in document from the decision form (None when the MRZ was scanned)."""
    if not text.strip():
        return None
    try:
        values = json.loads(text)
    except ValueError:
        raise InvalidInput("the typed-in document is garbled", field="manual") from None
    if not isinstance(values, dict):
        raise InvalidInput("the typed-in document is garbled", field="manual")
    return manual_document({k: str(v) for k, v in values.items()}, utcnow().date())


def _manual_form(manual: ManualDocument, direction: str | None) -> ManualDocumentForm:
    data: dict[str, Any] = {name: getattr(manual, name) or "" for name in MANUAL_FIELDS}
    data["direction"] = direction or "entry"
    return ManualDocumentForm(formdata=None, data={k: str(v) for k, v in data.items()})


@bp.route("/manual", methods=["GET", "POST"])
@page(OFFICERS)
def manual() -> tuple[str, int]:
    """Type a document in when its MRZ is damaged or absent; then the same preview and decision."""
    actor = page_actor()
    post = _post(actor)
    defaults = _defaults()
    form = ManualDocumentForm(data={"direction": defaults.get("direction", "entry")})
    page_of: dict[str, Any] = {"post": post, "scan": None, "manual_form": form, "preview": None}
    if request.method != "POST":
        return _render(actor, **page_of), 200
    valid = form.validate_on_submit()
    values = {name: getattr(form, name).data or "" for name in MANUAL_FIELDS}
    today = utcnow().astimezone(_zone(post)).date()
    try:
        document = manual_document(values, today)
        if not valid:
            return _render(actor, **page_of), 422
        direction = Direction(form.direction.data or "entry")
        preview = _preview(actor, post, None, document, direction=direction)
    except DomainError as error:
        # The form's own checks and the domain's are reported together, each beside its field.
        for problem in error.problems if isinstance(error, InvalidInput) else (error,):
            name = (problem.field or "").removeprefix("document.")
            target = getattr(form, name, None)
            message = error_text(problem)
            if target is not None and name in MANUAL_FIELDS:
                if not target.errors:
                    target.errors = [message]
            else:
                form.form_errors.append(message)
        return _render(actor, **page_of), 422
    defaults["direction"] = form.direction.data or "entry"
    cookie_session[STICKY_KEY] = defaults
    decision = _decision_form(preview, "", defaults, document)
    companions = _companions(actor, post, Direction(defaults["direction"]), preview)
    _companion_choices(decision, companions, preview, post)
    return _render(
        actor,
        post,
        scan=None,
        manual_form=_manual_form(document, defaults["direction"]),
        preview=preview,
        decision=decision,
        companions=companions,
    ), 200


# Desk scanner: the watched folder and images chosen on the page --------------------------------


@dataclass(frozen=True, slots=True)
class ImageRead:
    """How an image's MRZ was read, shown with the preview."""

    name: str
    source: str  # "scanner" (the desk's folder) or "upload" (chosen on the page)
    pass_name: str | None
    seconds: float
    trusted: bool


def _desks(actor: Actor, post: Post) -> list[Station]:
    """Return the post's active desks, read once per request (the keyboard layout, the scanner
    folder and the page each ask)."""
    read: dict[int, list[Station]] = g.setdefault("midas_desks", {})
    if post.id not in read:
        db = session()
        with db.begin():
            found = list_stations(db, actor, post_id=post.id, active=True)
            db.expunge_all()
        read[post.id] = [station for station in found if station.post_id == post.id]
    return read[post.id]


def _keyboard_layout(actor: Actor, post: Post) -> str:
    """Return the keyboard layout of the desk this page works at (US without a desk)."""
    desk = _chosen(_desks(actor, post))
    return desk.keyboard_layout if desk is not None else "us"


def _chosen(desks: list[Station]) -> Station | None:
    """Return the desk remembered in the session if it is still a desk of this post."""
    remembered = cookie_session.get(DESK_KEY)
    return next((desk for desk in desks if desk.id == remembered), None)


def _link() -> PostLink | None:
    """Return how this post stands with headquarters (None: this server is no post)."""
    if current_app.config.get("NODE_ROLE") != "post":
        return None  # no transaction on a server that is no post
    db = session()
    with db.begin():
        return link_here(db, current_app.config, utcnow())


def _render(actor: Actor, post: Post, **values: Any) -> str:
    """Render the station page with the desk, scanner and image forms around the given values."""
    desks = _desks(actor, post)
    desk = _chosen(desks)
    inbox = str(current_app.config.get("SCAN_INBOX") or "")
    desk_form = DeskForm(formdata=None, data={"station_id": str(desk.id) if desk else ""})
    desk_form.station_id.choices = options(
        [("", _("Choose your desk"))] + [(str(d.id), d.name) for d in desks]
    )
    values.setdefault("image_form", ImageScanForm(formdata=None))
    values.setdefault("decision", None)
    values.setdefault("as_read", [])
    if "link" not in values:
        values["link"] = _link()
    return render_template(
        "station.html",
        post=post,
        desks=desks,
        desk=desk,
        desk_form=desk_form,
        watching=bool(inbox and desk),
        confirm=ConfirmForm(formdata=None),
        direction=_defaults().get("direction", "entry"),
        **values,
    )


@bp.route("/desk", methods=["POST"])
@page(OFFICERS)
def choose_desk() -> Response:
    """Remember which desk of this post the officer works at (its scanner folder is watched)."""
    actor = page_actor()
    post = _post(actor)
    form = DeskForm()
    desks = _desks(actor, post)
    form.station_id.choices = options([(str(d.id), d.name) for d in desks])
    if not form.validate_on_submit():
        flash(_("The form expired: reload the page and choose the desk again."), "error")
        return redirect(url_for("station.desk"))
    wanted = form.station_id.data or ""
    desk = next((d for d in desks if str(d.id) == wanted), None)
    if desk is None:
        cookie_session.pop(DESK_KEY, None)
        flash(_("Choose one of this post's desks."), "error")
    else:
        cookie_session[DESK_KEY] = desk.id
        flash(_("Working at desk %(desk)s.", desk=desk.name), "ok")
    return redirect(url_for("station.desk"))


def _link_scan_image(actor: Actor, post: Post, claimed: str, crossing_id: int) -> None:
    """Tie the desk scanner's image to the crossing recorded from it, so it shares its retention."""
    folder = _watched_folder(actor, post)
    if claimed and folder is not None:
        link_to_crossing(folder, claimed, crossing_id)


def _watched_folder(actor: Actor, post: Post) -> Path | None:
    """Return the chosen desk's scanner folder (None: no desk, or no watched folder set)."""
    desk = _chosen(_desks(actor, post))
    if desk is None:
        return None
    return desk_folder(str(current_app.config.get("SCAN_INBOX") or ""), desk.id)


@bp.route("/scanner/status")
@page(OFFICERS)
def scanner_status() -> Response:
    """Tell the page's script whether the desk scanner has left new images (nothing is claimed)."""
    actor = page_actor()
    folder = _watched_folder(actor, _post(actor))
    if folder is None:
        return jsonify(watching=False, waiting=0)
    return jsonify(watching=True, waiting=len(waiting(folder)))


@bp.route("/scanner", methods=["POST"])
@page(OFFICERS)
def check_scanner() -> tuple[str, int]:
    """Claim the oldest new image from the desk's folder, read it, and show the preview."""
    actor = page_actor()
    post = _post(actor)
    direction = request.form.get("direction", "")
    waiting_page = {"scan": ScanForm(formdata=None, data={"direction": direction or "entry"})}
    if not ConfirmForm().validate_on_submit():
        return _render(
            actor, post, **waiting_page, scanner_message=str(EXPIRED), scanner_error=True
        ), 400
    folder = _watched_folder(actor, post)
    if folder is None:
        message = _("Choose your desk first; the scanner folder is watched only when one is set.")
        return _render(
            actor, post, **waiting_page, scanner_message=message, scanner_error=True
        ), 409
    unscreened = _unscreened()
    if unscreened is not None:
        # The image stays in the folder, read once screening is ready: not filed as failed.
        message = _(
            "%(problem)s The scanned image waits in the folder.", problem=error_text(unscreened)
        )
        return _render(
            actor, post, **waiting_page, scanner_message=message, scanner_error=True
        ), 503
    try:
        claimed = claim(folder)
    except InboxError as error:
        # The page's script stops watching: resubmitting each second would not help.
        message = _(
            "The scanner folder cannot be used (%(error)s). Tell the administrator.", error=error
        )
        return _render(
            actor,
            post,
            **waiting_page,
            scanner_message=message,
            scanner_error=True,
            scanner_stuck=True,
        ), 500
    if claimed is None:
        return _render(
            actor, post, **waiting_page, scanner_message=_("No new image from the desk scanner.")
        ), 200
    outcome = FAILED  # until the reading is shown: an image never stays in processing/
    try:
        read = _read_image(claimed.path, claimed.name, "scanner")
        chip = _chip_from_folder(claimed)
        shown = _previewed(
            actor,
            post,
            read[0],
            direction,
            image=read[1],
            scan_image=claimed.path.name,
            chip=chip,
        )
        outcome = DONE
    except (DomainError, ScannerError) as error:
        message = _(
            "%(file)s: %(problem)s The file was moved to failed/.",
            file=claimed.name,
            problem=_image_problem(error),
        )
        return _render(
            actor, post, **waiting_page, scanner_message=message, scanner_error=True
        ), 422
    finally:
        file_away(claimed, outcome)
    return shown


EXPIRED = _l("The form expired: reload the page and try again.")
CHIP_NOT_READ_BACK = N_("the chip files could not be read back: scan again")


def _chip_from_folder(claimed: Claimed) -> tuple[bytes, ...]:
    """Return the chip files claimed with a scanner image."""
    with ExitStack() as opened:
        return chip_files_from(
            (path.name, opened.enter_context(path.open("rb"))) for path in claimed.chip
        )


def _read_image(image: Path | bytes, name: str, source: str) -> tuple[str, ImageRead]:
    """Read an image's MRZ lines; InvalidInput when none are found."""
    from scanners.image import read_image  # numpy, scipy, Pillow: only when an image is read

    reading = read_image(image, today=utcnow().date())
    if not reading.found or not reading.result.lines:
        raise InvalidInput(
            N_(
                "no machine-readable zone was found in the image: scan the data page again, "
                "flat and whole, or type the document in"
            ),
            field="image",
        )
    read = ImageRead(
        name=name,
        source=source,
        pass_name=reading.winner,
        seconds=reading.seconds,
        trusted=reading.valid,
    )
    return "\n".join(reading.result.lines), read


def _image_problem(error: DomainError | ScannerError) -> str:
    if isinstance(error, DomainError):
        return error_text(error)
    reason = getattr(error, "reason", None) or str(error)
    return str(_("The image could not be read (%(reason)s).", reason=reason))


@bp.route("/image", methods=["POST"])
@page(OFFICERS)
def image() -> tuple[str, int]:
    """Read the MRZ of an image chosen or dropped on the page; show the preview."""
    actor = page_actor()
    post = _post(actor)
    form = ImageScanForm()
    direction = request.form.get("direction", "")
    waiting_page = {"scan": ScanForm(formdata=None, data={"direction": direction or "entry"})}
    if not form.validate_on_submit():
        return _render(actor, post, **waiting_page, image_form=form), 422
    upload = form.image.data
    data = upload.stream.read(MAX_IMAGE_BYTES + 1)
    problem = None
    if len(data) > MAX_IMAGE_BYTES:
        problem = _(
            "The image is larger than %(size)s MB: scan it smaller.",
            size=MAX_IMAGE_BYTES // (1024 * 1024),
        )
    elif not data.startswith(IMAGE_MAGIC):
        problem = _("This file is not a JPEG, PNG, TIFF or PDF image.")
    if problem is None:
        name = Path(upload.filename or "image").name
        try:
            mrz, read = _read_image(data, name, "upload")
            return _previewed(actor, post, mrz, direction, image=read)
        except (DomainError, ScannerError) as error:
            problem = _image_problem(error)
    form.image.errors = [problem]
    return _render(actor, post, **waiting_page, image_form=form), 422
