"""The trust store page: /admin/trust-store — what is trusted per state, and loading new files.

Administrators load CSCA master lists, ICAO PKD LDIF downloads or PEM files as a new version of a
named source (all or nothing, as `midas pki load` does); the page shows every version with its
provenance and, per issuing state, the CSCAs trusted and until when, with CRLs about to go stale.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from midas.domain.errors import DomainError
from midas.domain.trust_loads import read_trust_files
from midas.domain.trust_store import (
    app_trust_cache,
    state_trust,
    store_trust_version,
    trust_versions,
)
from midas.persistence import session
from midas.persistence.base import utcnow
from midas.web.forms import TrustLoadForm, show_error
from midas.web.navigation import ADMINS, page, page_actor

bp = Blueprint("trust_store", __name__, url_prefix="/admin/trust-store")


@bp.route("", methods=["GET", "POST"])
@page(ADMINS)
def trust_store() -> tuple[str, int] | Response:
    """Show the trust store and load files into a new version of a source."""
    actor = page_actor()
    form = TrustLoadForm()
    db = session()
    status = 200
    if form.validate_on_submit():
        try:
            files = [(upload.filename or "file", upload.read()) for upload in form.files.data]
            loaded = read_trust_files(
                form.format.data or "",
                files,
                accept_unverified=form.accept_unverified.data or None,
            )
            with db.begin():
                version = store_trust_version(
                    db, actor, form.name.data or "", form.format.data or "", loaded
                )
                said = _(
                    "%(name)s version %(number)s is active: %(cscas)s CSCA certificates,"
                    " %(dscs)s document signer certificates, %(crls)s CRLs.",
                    name=form.name.data,
                    number=version.number,
                    cscas=format_number(version.csca_count),
                    dscs=format_number(version.dsc_count),
                    crls=format_number(version.crl_count),
                )
        except DomainError as error:
            show_error(form, error)
            status = 422
        else:
            flash(said, "ok")
            return redirect(url_for("trust_store.trust_store"))
    elif request.method == "POST":
        status = 422
    with db.begin():
        versions = trust_versions(db)
        store = app_trust_cache(current_app).store(db)
    days = int(current_app.config["PKI_CRL_WARNING_DAYS"])
    states = state_trust(store, utcnow().date(), days)
    return render_template(
        "admin/trust_store.html", versions=versions, states=states, form=form, days=days
    ), status
