"""Administrator pages: users, posts, stations (token shown once), watchlists, the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from midas.auth import Actor
from midas.auth.passwords import passwords
from midas.domain import admin as domain
from midas.domain.audit import AuditFilter, record_audit, search_audit, usernames
from midas.domain.days import parse_day
from midas.domain.errors import DomainError, InvalidInput, NotFound
from midas.domain.keys import page_number
from midas.domain.list_loads import admit_load
from midas.domain.list_settings import ListSettings, parse_policy, set_list_settings
from midas.domain.lists import entry_deltas, find_watchlist, list_watchlists, rejected_records
from midas.domain.nodes import HQ_CODE, Node
from midas.domain.pseudonyms import app_pseudonyms, audit_subjects
from midas.domain.sync_exchange import sync_status
from midas.domain.sync_standing import link_here, posts_standing
from midas.domain.texts import N_
from midas.languages import error_text
from midas.list_jobs import find_job, start_load
from midas.list_uploads import store_upload
from midas.persistence import database, session
from midas.persistence.base import utcnow
from midas.persistence.models import EntryChange, Role
from midas.web import shown_tokens
from midas.web.forms import (
    ConfirmForm,
    ListSettingsForm,
    PasswordResetForm,
    PostForm,
    StationEditForm,
    StationForm,
    StayRuleForm,
    UserForm,
    WatchlistForm,
    options,
)
from midas.web.navigation import ADMINS, SUPERVISORS, page, page_actor
from watchlists.errors import UnknownFormatError
from watchlists.format_names import public_name, registry_name
from watchlists.models import ListKind

bp = Blueprint("admin", __name__, url_prefix="/admin")
# Stored versions keep the registry's format names; pages show the ones people type.
bp.add_app_template_filter(public_name, "format_name")
# Codes (roles, statuses, kinds) shown as words in the page's language, on every page.

PER_PAGE = 50
# Rejected records shown on a version's page; the rest are counted.
REJECTED_SHOWN = 500


def _place(form: Any, error: DomainError) -> None:
    """Put each problem of a domain error next to its field, or above the form."""
    for problem in error.problems if isinstance(error, InvalidInput) else (error,):
        target = getattr(form, problem.field or "", None)
        message = error_text(problem)
        if target is not None and hasattr(target, "errors"):
            target.errors = [*list(target.errors or []), message]
        else:
            form.form_errors.append(message)


def _place_station_error(form: StationForm, error: DomainError | ValueError) -> None:
    """Show what was wrong with a station form: a domain error, or a post id that is no number."""
    if isinstance(error, DomainError):
        _place(form, error)
    else:
        form.post_id.errors = [_("Choose a post.")]


def _post_choices(posts: list[Any]) -> list[SelectChoice]:
    return options((str(p.id), f"{p.code} — {p.name}") for p in posts if p.active)


# Users -------------------------------------------------------------------------------------


@bp.route("/users", methods=["GET", "POST"])
@page(ADMINS)
def users() -> tuple[str, int] | Response:
    """List users and create one."""
    actor = page_actor()
    form = UserForm()
    db = session()
    status = 200
    with db.begin():
        posts = domain.list_posts(db, actor)
        db.expunge_all()
    form.post_id.choices = [SelectChoice("", _("None")), *_post_choices(posts)]
    form.supervised_post_ids.choices = _post_choices(posts)
    if form.validate_on_submit():
        try:
            with db.begin():
                user = domain.create_user(
                    db,
                    actor,
                    passwords(),
                    username=form.username.data or "",
                    full_name=form.full_name.data or "",
                    role=form.role.data or "",
                    password=form.password.data or "",
                    post_id=int(form.post_id.data) if form.post_id.data else None,
                    supervised_post_ids=[int(v) for v in form.supervised_post_ids.data or []],
                    all_posts=bool(form.all_posts.data),
                )
                created = user.username
        except DomainError as error:
            _place(form, error)
            status = 422
        else:
            flash(_("User %(username)s created.", username=created), "ok")
            return redirect(url_for("admin.users"))
    elif request.method == "POST":
        status = 422
    query = request.args.get("q") or None
    with db.begin():
        found, total = domain.list_users(db, actor, query=query, limit=500)
        db.expunge_all()
    return render_template(
        "admin/users.html", users=found, total=total, form=form, confirm=ConfirmForm(), q=query
    ), status


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@page(ADMINS)
def deactivate_user(user_id: int) -> Response:
    """Deactivate a user: their sessions end, their records stay."""
    ConfirmForm().validate_on_submit()
    db = session()
    try:
        with db.begin():
            user = domain.deactivate_user(db, page_actor(), user_id)
            name = user.username
    except DomainError as error:
        flash(error_text(error), "error")
    else:
        flash(_("User %(username)s deactivated.", username=name), "ok")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@page(ADMINS)
def reset_password(user_id: int) -> tuple[str, int] | Response:
    """Set a new password for a user: it unlocks the account and ends their sessions."""
    actor = page_actor()
    form = PasswordResetForm()
    db = session()
    status = 200
    with db.begin():
        user = domain.get_user(db, actor, user_id)
        db.expunge(user)
    if form.validate_on_submit():
        try:
            with db.begin():
                domain.reset_password(db, actor, passwords(), user_id, form.password.data or "")
        except DomainError as error:
            form.password.errors = [error_text(error)]
            status = 422
        else:
            flash(
                _(
                    "New password set for %(username)s; tell them in person.",
                    username=user.username,
                ),
                "ok",
            )
            return redirect(url_for("admin.users"))
    elif request.method == "POST":
        status = 422
    return render_template("admin/password.html", user=user, form=form), status


# Posts -------------------------------------------------------------------------------------


@bp.route("/posts", methods=["GET", "POST"])
@page(ADMINS)
def posts() -> tuple[str, int] | Response:
    """List border posts and create one."""
    actor = page_actor()
    form = PostForm()
    db = session()
    status = 200
    if form.validate_on_submit():
        try:
            with db.begin():
                post = domain.create_post(
                    db,
                    actor,
                    code=form.code.data or "",
                    name=form.name.data or "",
                    kind=form.kind.data or "",
                    country=form.country.data or "",
                    timezone=(form.timezone.data or "").strip(),
                    locale=form.locale.data or None,
                )
                code = post.code
        except DomainError as error:
            _place(form, error)
            status = 422
        else:
            flash(_("Post %(code)s created.", code=code), "ok")
            return redirect(url_for("admin.posts"))
    elif request.method == "POST":
        status = 422
    with db.begin():
        found = domain.list_posts(db, actor)
        for post in found:
            post.stations  # noqa: B018  # loaded inside the transaction, for the page
        db.expunge_all()
    return render_template("admin/posts.html", posts=found, form=form), status


@bp.route("/posts/<int:post_id>/language", methods=["POST"])
@page(ADMINS)
def post_language(post_id: int) -> Response:
    """Set the language a post's people see when they chose none ("" for their browser's)."""
    if not ConfirmForm().validate_on_submit():
        flash(_("The form expired: reload the page and try again."), "error")
        return redirect(url_for("admin.posts"))
    db = session()
    try:
        with db.begin():
            post = domain.update_post(
                db, page_actor(), post_id, locale=request.form.get("locale", "")
            )
            code = post.code
    except DomainError as error:
        flash(error_text(error), "error")
    else:
        flash(_("Language of post %(code)s saved.", code=code), "ok")
    return redirect(url_for("admin.posts"))


@bp.route("/sync")
@page(ADMINS)
def sync() -> str:
    """Show where the link stands: at headquarters each post's last contact, lists, backlog
    and warnings; at a post what waits for headquarters and how current its lists are."""
    actor = page_actor()
    config = current_app.config
    node = Node.of(config, Path(current_app.instance_path))
    behind_hours = int(config["SYNC_BEHIND_HOURS"])
    standings, link, waiting = [], None, None
    db = session()
    with db.begin():
        if node.role == "hq":
            standings = posts_standing(db, actor, utcnow(), timedelta(hours=behind_hours))
        elif node.role == "post":
            link = link_here(db, config, utcnow())
            (waiting,) = sync_status(db, [HQ_CODE])
    return render_template(
        "admin/sync.html", role=node.role, standings=standings, link=link, waiting=waiting,
        behind_hours=behind_hours,
    )  # fmt: skip


@bp.route("/posts/<int:post_id>/deactivate", methods=["POST"])
@page(ADMINS)
def deactivate_post(post_id: int) -> Response:
    """Close a post: nobody records there any more; its records stay."""
    ConfirmForm().validate_on_submit()
    db = session()
    try:
        with db.begin():
            post = domain.deactivate_post(db, page_actor(), post_id)
            code = post.code
    except DomainError as error:
        flash(error_text(error), "error")
    else:
        flash(_("Post %(code)s closed.", code=code), "ok")
    return redirect(url_for("admin.posts"))


# Stations ----------------------------------------------------------------------------------


@bp.route("/stations", methods=["GET", "POST"])
@page(ADMINS)
def stations() -> tuple[str, int, dict[str, str]] | Response:
    """List stations and create one; a new token is shown once, on the page after the redirect."""
    actor = page_actor()
    form = StationForm()
    db = session()
    status = 200
    with db.begin():
        posts = domain.list_posts(db, actor, active=True)
        db.expunge_all()
    form.post_id.choices = _post_choices(posts)
    if form.validate_on_submit():
        try:
            with db.begin():
                made = domain.create_station(
                    db, actor, post_id=int(form.post_id.data or 0), name=form.name.data or ""
                )
                shown_tokens.hold(made.station.name, made.token, "created")
        except (DomainError, ValueError) as error:
            _place_station_error(form, error)
            status = 422
        else:
            # Post/redirect/get: reloading the page that shows the token makes no second station.
            return redirect(url_for("admin.stations"), 303)
    elif request.method == "POST":
        status = 422
    return _stations_page(form, shown_tokens.take() if status == 200 else None, status)


def _stations_page(
    form: StationForm, issued: dict[str, Any] | None, status: int
) -> tuple[str, int, dict[str, str]]:
    db = session()
    with db.begin():
        found = domain.list_stations(db, page_actor())
        for station in found:
            station.post  # noqa: B018  # loaded inside the transaction, for the page
        db.expunge_all()
    body = render_template(
        "admin/stations.html", stations=found, form=form, issued=issued, confirm=ConfirmForm()
    )
    # The token must not linger in any cache.
    return body, status, {"Cache-Control": "no-store"}


@bp.route("/stations/<int:station_id>/edit", methods=["GET", "POST"])
@page(ADMINS)
def edit_station(station_id: int) -> tuple[str, int] | Response:
    """Rename a station or move it to another open post (its token stays)."""
    actor = page_actor()
    db = session()
    with db.begin():
        station = domain.get_station(db, actor, station_id)
        posts = domain.list_posts(db, actor, active=True)
        db.expunge_all()
    form = StationEditForm(
        data={
            "post_id": str(station.post_id),
            "name": station.name,
            "keyboard_layout": station.keyboard_layout,
        }
    )
    form.post_id.choices = _post_choices(posts)
    status = 200
    if form.validate_on_submit():
        try:
            with db.begin():
                changed = domain.update_station(
                    db, actor, station_id, name=form.name.data or "",
                    post_id=int(form.post_id.data or 0),
                    keyboard_layout=form.keyboard_layout.data or "us",
                )  # fmt: skip
                name = changed.name
        except (DomainError, ValueError) as error:
            _place_station_error(form, error)
            status = 422
        else:
            flash(_("Station %(name)s saved.", name=name), "ok")
            return redirect(url_for("admin.stations"))
    elif request.method == "POST":
        status = 422
    return render_template("admin/station_edit.html", station=station, form=form), status


def _issue_token(
    issue: Callable[[Session, Actor, int], domain.IssuedToken], station_id: int, action: str
) -> Response:
    """Issue a station a new token with `issue`; the stations page shows it once."""
    ConfirmForm().validate_on_submit()
    db = session()
    try:
        with db.begin():
            made = issue(db, page_actor(), station_id)
            shown_tokens.hold(made.station.name, made.token, action)
    except DomainError as error:
        flash(error_text(error), "error")
    # Post/redirect/get: reloading the page that shows the token does not rotate it again.
    return redirect(url_for("admin.stations"), 303)


@bp.route("/stations/<int:station_id>/rotate", methods=["POST"])
@page(ADMINS)
def rotate_station(station_id: int) -> Response:
    """Issue a new token for a station (the old one stops working); show it once."""
    return _issue_token(domain.rotate_station_token, station_id, "rotated")


@bp.route("/stations/<int:station_id>/reactivate", methods=["POST"])
@page(ADMINS)
def reactivate_station(station_id: int) -> Response:
    """Reactivate a deactivated station with a new token (the old one stays dead); show it once."""
    return _issue_token(domain.reactivate_station, station_id, "reactivated")


@bp.route("/stations/<int:station_id>/deactivate", methods=["POST"])
@page(ADMINS)
def deactivate_station(station_id: int) -> Response:
    """Deactivate a station: its token stops working at once."""
    ConfirmForm().validate_on_submit()
    db = session()
    try:
        with db.begin():
            station = domain.deactivate_station(db, page_actor(), station_id)
            name = station.name
    except DomainError as error:
        flash(error_text(error), "error")
    else:
        flash(_("Station %(name)s deactivated.", name=name), "ok")
    return redirect(url_for("admin.stations"))


# Watchlists --------------------------------------------------------------------------------


@bp.route("/watchlists", methods=["GET", "POST"])
@page(ADMINS)
def watchlists() -> tuple[str, int] | Response:
    """List the watchlists with their active versions; upload a file as a new version."""
    actor = page_actor()
    form = WatchlistForm()
    status = 200
    if form.validate_on_submit():
        try:
            target = _start_upload(actor, form)
        except DomainError as error:
            _place(form, error)
            status = 422
        else:
            if request.headers.get("X-Requested-With") == "fetch":
                return jsonify(location=target)
            return redirect(target)
    elif request.method == "POST":
        status = 422
    db = session()
    with db.begin():
        found = list_watchlists(db)
        db.expunge_all()
    return render_template("admin/watchlists.html", lists=found, form=form), status


def _start_upload(actor: Actor, form: WatchlistForm) -> str:
    """Check the form with the domain, save its files and start the load; return its page."""
    name = (form.name.data or "").strip()
    kind = ListKind(form.kind.data)
    try:
        fmt = registry_name(form.format.data or "csv")
    except UnknownFormatError as error:
        raise InvalidInput(N_("Choose one of the formats listed."), field="format") from error
    admit_load(database().sessions, name, kind)
    limit = int(current_app.config["MAX_LIST_UPLOAD_MB"]) * 1024 * 1024
    source = store_upload(form.file.data or [], fmt, limit)
    job = start_load(actor, name, kind, fmt, source, allow_removals=bool(form.allow_removals.data))
    return url_for("admin.load", name=name, job_id=job.id)


@bp.route("/watchlists/<name>/loads/<job_id>")
@page(ADMINS)
def load(name: str, job_id: str) -> Response | str:
    """Show a load's progress; when it is done, its report (any worker on the host can tell)."""
    job = find_job(job_id)
    if job is not None and job.list_name != name:
        job = None
    if request.args.get("format") == "json":
        if job is None:
            return jsonify(state="unknown")
        return jsonify(
            state=job.state,
            seconds=round(job.seconds, 1),
            error=job.error,
            progress=job.progress,
            percent=job.percent,
        )
    if job is None:
        # Unknown here (another host, or cleaned up): the versions tell the outcome.
        return redirect(url_for("admin.watchlist", name=name))
    return render_template("admin/load.html", job=job, name=name)


@bp.route("/watchlists/<name>", methods=["GET", "POST"])
@page(ADMINS)
def watchlist(name: str) -> tuple[str, int] | Response:
    """Show a list's versions with their provenance and which one is active; set its alert
    policy and possible-match floor."""
    actor = page_actor()
    form = ListSettingsForm()
    status = 200
    db = session()
    if form.validate_on_submit():
        try:
            wanted = ListSettings(
                alert_policy=parse_policy(form.alert_policy.data or ""),
                possible_match_floor=_floor(form.possible_match_floor.data or ""),
            )
            with db.begin():
                set_list_settings(db, actor, name, wanted)
        except DomainError as error:
            target = getattr(form, error.field or "", None)
            (target.errors if target is not None else form.form_errors).append(error_text(error))
            status = 422
        else:
            flash(
                _("Settings of %(name)s saved: they apply from the next screening.", name=name),
                "ok",
            )
            return redirect(url_for("admin.watchlist", name=name))
    elif request.method == "POST":
        status = 422
    with db.begin():
        found = find_watchlist(db, name)
        if found is None:
            raise NotFound(f"no watchlist {name}", field="name")
        record_audit(db, actor, "watchlist.read", "watchlist", name)
        versions = sorted(found.versions, key=lambda v: -v.number)
        db.expunge_all()
    if request.method == "GET":
        floor = found.possible_match_floor
        form.alert_policy.data = found.alert_policy.value
        form.possible_match_floor.data = "" if floor is None else str(floor)
    return render_template(
        "admin/watchlist.html", watchlist=found, versions=versions, form=form
    ), status


def _floor(text: str) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise InvalidInput(
            N_("%(text)s is not a number between 0.8 and 1"),
            params={"text": repr(text)},
            field="possible_match_floor",
        ) from None


@bp.route("/watchlists/<name>/versions/<int:number>")
@page(ADMINS)
def version(name: str, number: int) -> str:
    """Show one version: provenance, counts, changes, rejected records with their reasons."""
    actor = page_actor()
    db = session()
    with db.begin():
        found = find_watchlist(db, name)
        chosen = next((v for v in (found.versions if found else []) if v.number == number), None)
        if found is None or chosen is None:
            raise NotFound(f"no version {number} of {name}", field="number")
        rejected = rejected_records(db, chosen.id, limit=REJECTED_SHOWN)
        deltas = entry_deltas(db, chosen.id)
        record_audit(db, actor, "watchlist.read", "watchlist_version", chosen.id)
        db.expunge_all()
    return render_template(
        "admin/version.html",
        watchlist=found,
        version=chosen,
        rejected=rejected,
        deltas={change.value: ids for change, ids in deltas.items()},
        EntryChange=EntryChange,
    )


# Stay rules --------------------------------------------------------------------------------


@bp.route("/stay-rules", methods=["GET", "POST"])
@page(ADMINS)
def stay_rules() -> tuple[str, int] | Response:
    """List the allowed stays per nationality; add or change one (same nationality replaces)."""
    actor = page_actor()
    form = StayRuleForm()
    db = session()
    status = 200
    if form.validate_on_submit():
        try:
            with db.begin():
                rule = domain.set_stay_rule(
                    db,
                    actor,
                    (form.nationality.data or "").strip().upper(),
                    allowed_days=form.allowed_days.data or 0,
                    window_days=form.window_days.data or 0,
                )
                said = _(
                    "Stay rule set — %(nationality)s: %(allowed)s days in any %(window)s.",
                    nationality=rule.nationality,
                    allowed=rule.allowed_days,
                    window=rule.window_days,
                )
        except DomainError as error:
            _place(form, error)
            status = 422
        else:
            flash(said, "ok")
            return redirect(url_for("admin.stay_rules"))
    elif request.method == "POST":
        status = 422
    with db.begin():
        rules = domain.list_stay_rules(db)
        db.expunge_all()
    return render_template(
        "admin/stay_rules.html", rules=rules, form=form, confirm=ConfirmForm()
    ), status


@bp.route("/stay-rules/<nationality>/delete", methods=["POST"])
@page(ADMINS)
def delete_stay_rule(nationality: str) -> Response:
    """Remove a nationality's rule; the default applies to it again."""
    if not ConfirmForm().validate_on_submit():
        flash(_("The form expired: reload the page and try again."), "error")
        return redirect(url_for("admin.stay_rules"))
    db = session()
    try:
        with db.begin():
            domain.delete_stay_rule(db, page_actor(), nationality)
    except DomainError as error:
        flash(error_text(error), "error")
    else:
        flash(
            _(
                "Stay rule for %(nationality)s removed; the default applies.",
                nationality=nationality,
            ),
            "ok",
        )
    return redirect(url_for("admin.stay_rules"))


# Audit log ---------------------------------------------------------------------------------

AUDIT_FILTERS = ("username", "action", "object_type", "object_id", "outcome", "since", "until",
                 "traveller_name", "document_number")  # fmt: skip


def _audit_filter(args: dict[str, str]) -> AuditFilter:
    days: dict[str, datetime | None] = {}
    for name in ("since", "until"):
        day = parse_day(args.get(name, ""), field=name)
        if day is None:
            days[name] = None
            continue
        extra = timedelta(days=1) if name == "until" else timedelta()
        days[name] = datetime.combine(day + extra, time(), UTC)
    return AuditFilter(
        username=args.get("username", "").strip().lower() or None,
        action=args.get("action", "").strip() or None,
        object_type=args.get("object_type", "").strip() or None,
        object_id=args.get("object_id", "").strip() or None,
        outcome=args.get("outcome", "").strip() or None,
        since=days["since"],
        until=days["until"],
        subjects=audit_subjects(
            app_pseudonyms(current_app),
            args.get("traveller_name", "").strip() or None,
            args.get("document_number", "").strip() or None,
        ),
    )


@bp.route("/audit")
@page(SUPERVISORS)
def audit() -> tuple[str, int]:
    """Search the audit log (administrators see all; supervisors their posts' people)."""
    actor = page_actor()
    args = {key: request.args.get(key, "") for key in AUDIT_FILTERS}
    number = page_number(request.args.get("page"))
    errors: dict[str, str] = {}
    events: list[Any] = []
    total = 0
    names: dict[str, str] = {}
    db = session()
    with db.begin():
        try:
            wanted = _audit_filter(args)
            events, total = search_audit(
                db, actor, wanted, offset=(number - 1) * PER_PAGE, limit=PER_PAGE
            )
            names = usernames(db, events)
        except DomainError as error:
            errors[error.field or "action"] = error_text(error)
        db.expunge_all()
    filters = {key: value for key, value in args.items() if value}
    return render_template(
        "admin/audit.html",
        args=args,
        filters=filters,
        events=events,
        total=total,
        names=names,
        errors=errors,
        page=number,
        per_page=PER_PAGE,
        admin=actor.role is Role.ADMIN,
    ), 422 if errors else 200
