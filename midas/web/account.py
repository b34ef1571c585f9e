"""A person's own account: their password (the current one is asked again) and language."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms import SelectField

from midas.auth.limits import login_limited
from midas.auth.passwords import passwords
from midas.auth.session_login import current_session_secret
from midas.auth.temporary_passwords import open_before_password_change
from midas.domain.admin import WrongPassword, audit_wrong_password, change_own_password
from midas.domain.errors import DomainError
from midas.domain.languages import LANGUAGES, choose_own_language
from midas.languages import error_text
from midas.persistence import session
from midas.persistence.models import Role
from midas.web.forms import FlaskForm, PasswordChangeForm, options
from midas.web.navigation import home_endpoint, page, page_actor

bp = Blueprint("account", __name__, url_prefix="/account")

EVERYONE = frozenset(Role)


class LanguageForm(FlaskForm):
    """A person chooses the language of their pages, or leaves it to their post and browser."""

    locale = SelectField(
        _l("Language of your pages"),
        choices=options([("", _l("Your post's or your browser's")), *LANGUAGES.items()]),
    )


@bp.route("/language", methods=["GET", "POST"])
@page(EVERYONE)
@open_before_password_change
def language() -> Response | tuple[str, int]:
    """Choose the language of one's own pages; it follows the person to every station."""
    actor = page_actor()
    form = LanguageForm(locale=actor.locale or "")
    status = 200
    if form.validate_on_submit():
        db = session()
        try:
            with db.begin():
                choose_own_language(db, actor, form.locale.data or None)
        except DomainError as error:
            form.locale.errors = [error_text(error)]
            status = 422
        else:
            flash(_("Your language has been saved."), "ok")
            return redirect(url_for("account.language"))
    elif request.method == "POST":
        status = 422
    return render_template("account/language.html", form=form), status


@bp.route("/password", methods=["GET", "POST"])
@page(EVERYONE)
@login_limited
@open_before_password_change
def password() -> Response | tuple[str, int]:
    """Change one's own password; this session goes on, every other one ends."""
    actor = page_actor()
    form = PasswordChangeForm()
    status = 200
    if form.validate_on_submit():
        if form.new_password.data != form.repeat_password.data:
            form.repeat_password.errors = ["The two new passwords differ: type it again."]
            status = 422
        else:
            db = session()
            try:
                with db.begin():
                    change_own_password(
                        db,
                        actor,
                        passwords(),
                        form.current_password.data or "",
                        form.new_password.data or "",
                        keep_session=current_session_secret(),
                    )
            except DomainError as error:
                if isinstance(error, WrongPassword):
                    with db.begin():
                        audit_wrong_password(db, actor)
                target = getattr(form, error.field or "", None) or form.new_password
                target.errors = [*list(target.errors or []), error_text(error)]
                status = 422
            else:
                flash(_("Your password has been changed; other sessions have ended."), "ok")
                return redirect(url_for(home_endpoint(actor)))
    elif request.method == "POST":
        status = 422
    return render_template(
        "account/password.html", form=form, due=actor.password_change_due
    ), status
