"""The JSON API under /api/v1 (flask-smorest): one module per resource, each exposing `blp`.

Every operation needs credentials except those marked `midas.auth.public` (the OpenAPI document
at /api/v1/openapi.json and the health check); `authenticate` enforces that for every blueprint
registered here, so a view that forgets `require` still answers 401 to an anonymous client.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from flask import Flask, current_app, request
from flask_smorest import Api, Blueprint

from midas.api import errors, request_text
from midas.auth import current_actor
from midas.domain.errors import PermissionDenied
from midas.domain.texts import N_
from midas.persistence.models import Role
from midas.routing import BigIdConverter, IdConverter, parameter_schema

API_PREFIX = "/api/v1"
EXTENSION_KEY = "midas.api"
DOC_BLUEPRINT = "api-docs"

# One line per resource module; each defines `blp` with a url_prefix relative to /api/v1.
RESOURCES = (
    "midas.api.auth",
    "midas.api.users",
    "midas.api.posts",
    "midas.api.stations",
    "midas.api.stay_rules",
    "midas.api.audit",
    "midas.api.crossings",
    "midas.api.hits",
    "midas.api.travellers",
    "midas.api.statistics",
    "midas.api.overstays",
    "midas.api.watchlists",
    "midas.api.pki",
    "midas.api.gateways",
    "midas.api.manifests",
    "midas.api.flights",
    "midas.api.health",
    "midas.api.sync",
)

SECURITY_SCHEMES = {
    "session": {"type": "apiKey", "in": "cookie", "name": "midas_session"},
    "station": {"type": "http", "scheme": "bearer", "description": "a station's API token"},
    "gateway": {
        "type": "http",
        "scheme": "bearer",
        "description": "a carrier gateway's token (midas paxlst gateway add): it may only submit "
        "PAXLST messages",
    },
    "node": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Midas-Signature",
        "description": "a post's Ed25519 signature over the request (bundles.request_signature)",
    },
}


# The OpenAPI document depends on the code alone. Documenting the blueprints (apispec deep-copies
# every schema) took most of the time of building an app, so a process documents them for its
# first app and every later app serves that document.
_DOCUMENT: dict[str, Any] = {}


class _DocumentedOnce(Api):  # type: ignore[misc]  # flask-smorest ships no type hints
    """An Api that documents its blueprints only while the process has no document yet."""

    def register_blueprint(self, blp: Blueprint, **options: Any) -> None:
        if not _DOCUMENT:
            super().register_blueprint(blp, **options)
            return
        self._app.register_blueprint(blp, **{k: v for k, v in options.items() if k != "parameters"})


def _served_document(api: Api) -> None:
    """Keep the first app's document for the process; serve it from this app."""
    if not _DOCUMENT:
        _DOCUMENT.update(api.spec.to_dict())
    api.spec.to_dict = lambda: _DOCUMENT


class MidasApi(_DocumentedOnce):
    """flask-smorest's Api, documenting the error body our handlers really answer."""

    ERROR_SCHEMA = errors.ErrorSchema


def authenticate() -> None:
    """Refuse an anonymous request to any API operation not marked public (401)."""
    if request.blueprint is None or request.endpoint is None:
        return
    if not request.path.startswith(API_PREFIX) or request.blueprint == DOC_BLUEPRINT:
        return
    view = current_app.view_functions[request.endpoint]
    if not getattr(view, "midas_public", False):
        actor = current_actor()
        # A gateway reaches only the views that name its role, even one that forgot `require`.
        if actor.role is Role.CARRIER and Role.CARRIER not in getattr(view, "midas_roles", ()):
            raise PermissionDenied(N_("a carrier's gateway may only submit manifests"))


def init_app(app: Flask) -> None:
    """Create the app's Api, register every resource blueprint and the error handlers."""
    app.config.update(
        API_TITLE="MIDAS",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=API_PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
    )
    api = MidasApi(
        app,
        spec_kwargs={
            "info": {"description": "Border management: crossings, screening, administration."},
            "security": [{"session": []}, {"station": []}],
        },
    )
    api.spec.components.security_scheme("session", SECURITY_SCHEMES["session"])
    api.spec.components.security_scheme("station", SECURITY_SCHEMES["station"])
    api.spec.components.security_scheme("gateway", SECURITY_SCHEMES["gateway"])
    api.spec.components.security_scheme("node", SECURITY_SCHEMES["node"])
    app.extensions[EXTENSION_KEY] = api
    for converter in (IdConverter, BigIdConverter):
        api.register_converter(converter, parameter_schema)
    for name in RESOURCES:
        blueprint: Blueprint = import_module(name).blp
        api.register_blueprint(blueprint, url_prefix=API_PREFIX + (blueprint.url_prefix or ""))
    errors.init_app(app)
    _served_document(api)
    # Pages too: every request's text is checked before any view (or the login) reads it.
    app.before_request(request_text.check_request_text)
    app.before_request(authenticate)
