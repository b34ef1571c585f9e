"""Web pages for officers, supervisors and administrators: server-rendered, small local JS.

Views call `midas.domain`; templates never query. Static files (CSS, JS, the vendored Chart.js)
are served from this package: border posts are often offline from the internet, so no CDN.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any, cast

from flask import Blueprint, Flask, abort, current_app, request

from midas.api.errors import PAGE_ERROR_RENDERER
from midas.auth import AuthenticationRequired, find_actor
from midas.auth.csrf import csrf_token
from midas.auth.nodes import signed_node
from midas.domain.errors import PermissionDenied
from midas.languages import per_request
from midas.persistence.models import Role
from midas.web import errors, labels
from midas.web.navigation import navigation
from midas.web.times import local_time
from midas.wording import SCORE_MEANING, percent, plural

# One line per page module; each defines `bp` (imported when the app is built, as the API does).
PAGES = (
    "midas.web.login",
    "midas.web.account",
    "midas.web.station",
    "midas.web.supervisor",
    "midas.web.admin",
    "midas.web.trust_store",
    "midas.web.corrections",
    "midas.web.late_entries",
    "midas.web.arrivals",
)

assets = Blueprint(
    "web",
    __name__,
    static_folder="static",
    static_url_path="/assets",
    template_folder="templates",
)


def page_context() -> dict[str, Any]:
    """Give every template the actor, the role-based navigation and the CSRF token."""
    try:
        actor = find_actor()
    except AuthenticationRequired:
        actor = None  # a bad station token: the error page shows no one logged in
    person = actor if actor is not None and actor.kind == "user" else None
    return {
        "actor": person,
        "nav": navigation(person),
        "csrf_token": csrf_token,
        "Role": Role,
        "SCORE_MEANING": SCORE_MEANING,
    }


# The largest request body a page endpoint takes (an image and the form around it); others
# follow the app's MAX_CONTENT_LENGTH.
MIB = 1024 * 1024
# The most a station's scan or decision form may carry: 18 chip files of 1 MiB, base64, and the
# form around them.
CHIP_FORM_BYTES = 26 * MIB
# Endpoints that take a file, and their cap in bytes; every other request has MAX_REQUEST_MB.
BODY_LIMITS: dict[str, Callable[[Mapping[str, Any]], int]] = {
    "station.image": lambda config: 21 * MIB,
    "admin.watchlists": lambda config: int(config["MAX_LIST_UPLOAD_MB"]) * MIB,
    "trust_store.trust_store": lambda config: int(config["MAX_LIST_UPLOAD_MB"]) * MIB,
    # A scan with the chip's files (at most 18 of 1 MiB), and the decision form that carries
    # them on, base64 in a field, to be verified again when recording.
    "station.scan": lambda config: CHIP_FORM_BYTES,
    "station.record": lambda config: CHIP_FORM_BYTES,
    # A carrier gateway's PAXLST message (the API's only raw body).
    "manifests.submit": lambda config: int(config["PAXLST_MAX_MB"]) * MIB,
}


# Endpoints where a post sends a bundle, and their cap: only for a request its key signed.
NODE_BODY_LIMITS: dict[str, Callable[[Mapping[str, Any]], int]] = {
    "sync.push_bundle": lambda config: int(config["SYNC_MAX_BUNDLE_MB"]) * MIB,
}


def _signed_by_node() -> bool:
    """Tell whether an enrolled, unrevoked post signed this request (its body not yet read)."""
    try:
        signed_node()
    except (AuthenticationRequired, PermissionDenied):
        return False  # the view refuses it after the small cap
    return True


def _may_upload(endpoint: str) -> bool:
    """Tell whether the person logged in (or the gateway) has a role the upload is open to."""
    view = current_app.view_functions.get(endpoint)
    # A page's roles, or an API view's (the carriers' message endpoint).
    page_roles: frozenset[Role] = getattr(view, "midas_page_roles", frozenset())
    roles = page_roles or cast(frozenset[Role], getattr(view, "midas_roles", frozenset()))
    try:
        actor = find_actor()
    except AuthenticationRequired:
        return False  # a bad station token: the view refuses it after the small cap
    return actor is not None and actor.kind in ("user", "carrier") and actor.role in roles


def limit_body() -> None:
    """Cap every request body before anything reads it (413); only people logged in upload."""
    limit = int(current_app.config["MAX_REQUEST_MB"]) * MIB
    endpoint = request.endpoint or ""
    upload = BODY_LIMITS.get(endpoint)
    # The larger cap only for a person whose role the page is open to: neither an anonymous
    # client nor an officer can make the server take in a list-sized body for the admin page
    # (the view's own role check comes after the body is read).
    if upload is not None and _may_upload(endpoint):
        limit = max(limit, upload(current_app.config))
    bundle = NODE_BODY_LIMITS.get(endpoint)
    if bundle is not None and _signed_by_node():
        limit = max(limit, bundle(current_app.config))
    if request.content_length is not None and request.content_length > limit:
        abort(413)  # before a byte of the body is spooled
    request.max_content_length = limit  # a body sent without its length stops at the limit
    if endpoint in ("station.scan", "station.record"):
        # A form field (not a file) may hold the chip's files, base64: werkzeug keeps fields
        # in memory up to this, 500 kB by default.
        request.max_form_memory_size = limit


def init_app(app: Flask) -> None:
    """Register the page blueprints, template helpers and the HTML error pages."""
    # First of all: the CSRF check, registered earlier, reads the form and so the body.
    app.before_request_funcs.setdefault(None, []).insert(0, limit_body)
    app.register_blueprint(assets)
    for name in PAGES:
        app.register_blueprint(import_module(name).bp)
    app.context_processor(page_context)
    app.add_template_filter(per_request(local_time), "local_time")
    app.add_template_filter(per_request(plural), "plural")
    app.add_template_filter(percent, "percent")
    labels.init_app(app)
    app.add_template_filter(lambda data: base64.b64encode(data).decode(), "b64encode")
    app.extensions[PAGE_ERROR_RENDERER] = errors.render_error
