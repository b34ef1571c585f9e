"""gunicorn's access log without the values of query strings (gunicorn.conf.py's logger_class).

A supervisor searches the movement log by a traveller's name, document number or date of birth,
and those travel in the query string (`GET /log?name=...`, `GET /api/v1/crossings?name=...`),
and again in the Referer of the page's next request. gunicorn's access log writes the request
line and the Referer as they came, to a file kept and shipped far longer than the crossings
themselves. This logger writes them with every query value replaced by "-": the parameter
names stay, so the log still tells which filters a request used.

Everything else is gunicorn's own Logger: its format (`access_log_format`), its handlers and
their reopening on USR1.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from gunicorn.glogging import Logger

REDACTED = "-"


def redact_query(query: str) -> str:
    """Return a query string with each parameter's value replaced by REDACTED."""
    if not query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(name, REDACTED) for name, _ in pairs], safe=REDACTED)


def redact_url(url: str) -> str:
    """Return a URL (or a path with a query) with its query's values redacted."""
    if "?" not in url:
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=redact_query(parts.query)))


class AccessLogger(Logger):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn's Logger, writing query strings (request line, Referer) without their values."""

    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: dt.timedelta
    ) -> dict[str, Any]:
        """gunicorn's atoms, with every one that holds a query string redacted."""
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        query = environ.get("QUERY_STRING") or ""
        if query:
            redacted = redact_query(query)
            raw_uri = redact_url(str(environ.get("RAW_URI", "")))
            atoms["q"] = redacted
            atoms["r"] = f"{environ['REQUEST_METHOD']} {raw_uri} {environ['SERVER_PROTOCOL']}"
            atoms["{query_string}e"] = redacted
            atoms["{raw_uri}e"] = raw_uri
            atoms["{request_uri}e"] = raw_uri
        referer = environ.get("HTTP_REFERER")
        if referer and "?" in referer:
            atoms["f"] = atoms["{referer}i"] = atoms["{http_referer}e"] = redact_url(referer)
        return atoms
