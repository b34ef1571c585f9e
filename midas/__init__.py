"""MIDAS: the border management service that composes `scanners` and `watchlists`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from midas import api, auth, headers, languages, log_privacy, persistence, routing, web
from midas.api.json_provider import JSONProvider
from midas.config import instance_folder, load_settings
from midas.production import refuse_public_credentials


def create_app(overrides: Mapping[str, Any] | None = None, *, serving: bool = True) -> Flask:
    """Build the application: config, extensions, persistence, blueprints, errors, CLI.

    An app built to serve in production refuses demo logins and station tokens whose secrets
    are published; the command line (`serving=False`) still starts, to retire them.
    """
    log_privacy.install()  # before anything can log a database error
    app = Flask(__name__, instance_path=instance_folder(), instance_relative_config=True)
    app.json = JSONProvider(app)
    instance_path = Path(app.instance_path)
    instance_path.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(load_settings(instance_path, overrides))
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        # Only the configured hops are believed; werkzeug ignores headers beyond them.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    routing.init_app(app)
    persistence.init_app(app)
    auth.init_app(app)
    languages.init_app(app)
    api.init_app(app)
    # Pages after the API: they reuse its error handlers, rendering HTML for browsers.
    web.init_app(app)
    if serving and app.config["ENV"] == "production":
        refuse_public_credentials(app)
    headers.init_app(app)
    return app
