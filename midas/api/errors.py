"""Map every error to one HTTP response, once: JSON `{"error": {code, message, field}}` for the API.

DomainError classes map to 404/403/422/409/503; missing credentials to 401; request validation
(webargs/marshmallow) to 422 naming the first field at fault. `code` and field names are stable
English codes; `message` is in the request's language (midas.languages: the person's choice,
else their post's, else `Accept-Language`); the audit log keeps the English. Pages (outside
/api/) get what the renderer registered under PAGE_ERROR_RENDERER returns, or werkzeug's plain
page until there is one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import suppress
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, make_response, request
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from marshmallow import Schema, fields
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from werkzeug.exceptions import HTTPException, InternalServerError

from midas.auth import AuthenticationRequired, forget_actor
from midas.domain.audit import record_audit
from midas.domain.days import OUT_OF_RANGE, OUT_OF_RANGE_TEXT
from midas.domain.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Unavailable,
)
from midas.languages import translated
from midas.persistence.database import begin_writing, database

logger = logging.getLogger(__name__)

STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    PermissionDenied: 403,
    InvalidInput: 422,
    Conflict: 409,
    Unavailable: 503,
}
# app.extensions key of a callable(status, code, message, field) -> response for pages.
PAGE_ERROR_RENDERER = "midas.page_errors"
API_PATH = "/api/"

PageRenderer = Callable[[int, str, str, str | None], Any]


class ErrorDetailSchema(Schema):
    """What went wrong: a code to branch on, a message for people, the field at fault."""

    code = fields.String(
        required=True, metadata={"description": "invalid, not_found, forbidden, conflict, ..."}
    )
    message = fields.String(required=True, metadata={"description": "what is wrong, in words"})
    field = fields.String(
        required=True, allow_none=True, metadata={"description": "the field at fault, if one"}
    )
    fields_ = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "request validation (422): every field at fault"},
    )
    segment = fields.Integer(
        metadata={"description": "a refused PAXLST message: the segment at fault (1 = the first)"}
    )
    position = fields.Integer(
        metadata={"description": "a refused PAXLST message: the character where reading stopped"}
    )


class ErrorSchema(Schema):
    """Every error answer of the API: `{"error": {code, message, field}}` (OpenAPI `Error`)."""

    error = fields.Nested(ErrorDetailSchema, required=True)


def wants_json() -> bool:
    """Tell whether the client is an API client (JSON) rather than a browser on a page."""
    if request.path.startswith(API_PATH):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def error_response(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    *,
    fields: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
    where: Mapping[str, int] | None = None,
) -> Any:
    """Answer an error as JSON to API clients and as a page to browsers; `where` adds the
    place of the fault in a message (segment, position)."""
    renderer: PageRenderer | None = current_app.extensions.get(PAGE_ERROR_RENDERER)
    if not wants_json() and renderer is not None:
        response: Response = make_response(renderer(status, code, message, field))
    else:
        body: dict[str, Any] = {"code": code, "message": message, "field": field}
        if fields:
            body["fields"] = dict(fields)
        body.update(where or {})
        response = jsonify(error=body)
        response.status_code = status
    response.headers.update(headers or {})
    return response


# How the audit log names a refused request, by the status it was answered with.
REFUSALS = {403: "denied", 404: "not_found"}


def audit_refusal(status: int, error: DomainError) -> None:
    """Write a refused request (403, or 404 for what lies outside the actor's posts) to the
    audit log in its own transaction: the request's own was rolled back with what it did."""
    outcome = REFUSALS.get(status)
    actor = g.get("midas_actor")
    if outcome is None or actor is None:
        return
    opened = g.get("db_session")
    if opened is not None:
        opened.rollback()
    detail = {"method": request.method, "path": request.path, "message": error.message}
    if error.field:
        detail["field"] = error.field
    try:
        with database().sessions.begin() as session:
            begin_writing(session)
            record_audit(session, actor, "request.refused", "request", outcome=outcome,
                         detail=detail)  # fmt: skip
    except SQLAlchemyError:  # the answer still goes out; the failure is in the server log
        logger.exception("could not write a refused request to the audit log")


def handle_domain_error(error: DomainError) -> Any:
    """Answer a domain error with the status its class maps to; audit refusals."""
    status = next(
        (code for cls, code in STATUS.items() if isinstance(error, cls)),
        400,
    )
    audit_refusal(status, error)
    fields: dict[str, list[str]] = {}
    if isinstance(error, InvalidInput) and len(error.problems) > 1:
        for problem in error.problems:
            fields.setdefault(problem.field or "", []).append(translated(problem))
    return error_response(
        status, error.code, translated(error), error.field, fields=fields or None,
        where=error.where,
    )  # fmt: skip


def handle_authentication_required(error: AuthenticationRequired) -> Any:
    """Answer 401: the request carries no valid credentials."""
    return error_response(
        401,
        error.code,
        str(_(error.message)),  # fixed sentences, marked where they are written
        headers={"WWW-Authenticate": 'Bearer realm="midas"'},
    )


def _flatten(messages: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, list[str]]]:
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            yield from _flatten(value, (*path, str(key)))
    elif isinstance(messages, list) and all(isinstance(item, str) for item in messages):
        yield ".".join(path), list(messages)
    elif isinstance(messages, list):
        for index, value in enumerate(messages):
            yield from _flatten(value, (*path, str(index)))
    else:
        yield ".".join(path), [str(messages)]


def validation_fields(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Return webargs messages as {field: [message, ...]}, without the location level."""
    messages = data.get("messages") or {}
    fields: dict[str, list[str]] = {}
    for location_messages in messages.values():
        for field, texts in _flatten(location_messages):
            fields[field or "_schema"] = texts
    return fields


def validation_text(text: str) -> str:
    """Return a request validation message in the request's language: ours by its template,
    marshmallow's through the catalogs (translators may add its few fixed sentences)."""
    if text == OUT_OF_RANGE:
        return translated(OUT_OF_RANGE_TEXT)
    return str(_(text))


def handle_http_exception(error: HTTPException) -> Any:
    """Answer werkzeug's HTTP errors, request validation (422) and rate limits in our format."""
    status = error.code or 500
    if isinstance(error, RateLimitExceeded):
        return error_response(
            429,
            "rate_limited",
            _("too many attempts: at most %(limit)s", limit=error.description),
        )
    if isinstance(error, CSRFError):
        return error_response(
            400,
            "csrf",
            _(
                "%(problem)s: send the X-CSRFToken header",
                problem=error.description.rstrip("."),
            ),
            "csrf_token",
        )
    data = getattr(error, "data", None)
    cause = getattr(error, "exc", None)
    if status == 400 and isinstance(cause, json.JSONDecodeError):
        return error_response(
            400,
            "invalid_json",
            _(
                "the body is not valid JSON: %(problem)s at line %(line)s column %(column)s",
                problem=cause.msg,
                line=cause.lineno,
                column=cause.colno,
            ),
            "body",
        )
    if status == 422 and isinstance(data, Mapping):
        fields = {
            name: [validation_text(text) for text in texts]
            for name, texts in validation_fields(data).items()
        }
        field, texts = next(iter(fields.items()), (None, [_("invalid request")]))
        if field == "_schema" and texts == [validation_text("Invalid input type.")]:
            # marshmallow's words for a body that is JSON but not an object ([1, 2], "text").
            return error_response(422, "invalid", _("the body must be a JSON object"), "body")
        shown = None if field == "_schema" else field
        message = f"{field}: {texts[0]}" if shown else texts[0]
        return error_response(422, "invalid", message, shown, fields=fields)
    code = (error.name or "error").lower().replace(" ", "_")
    # werkzeug's own headers of the error: Allow on a 405, WWW-Authenticate, Retry-After.
    kept = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    return error_response(status, code, error.description or error.name or "error", headers=kept)


def handle_server_error(error: InternalServerError) -> Any:
    """Roll back first (the session may be mid-transaction), then answer 500 without details."""
    opened = g.get("db_session")
    if opened is not None:
        opened.rollback()
    return error_response(500, "internal", _("an unexpected error occurred; it has been logged"))


# Seconds a client waits before trying again while the database is unreachable: a restart or
# a fail-over of PostgreSQL takes about this long.
RETRY_AFTER_SECONDS = 30


def handle_database_unavailable(error: OperationalError | SQLAlchemyTimeoutError) -> Any:
    """Answer 503 with Retry-After when the database cannot be reached (roll back first)."""
    opened = g.get("db_session")
    if opened is not None:
        with suppress(SQLAlchemyError):  # the connection is gone; the pool discards it
            opened.rollback()
    forget_actor()  # the error page must not ask the failed database who is logged in
    logger.error("the database is unavailable: %s", type(error).__name__, exc_info=error)
    return error_response(
        503,
        "unavailable",
        _("the database cannot be reached just now; try again in a moment"),
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def init_app(app: Flask) -> None:
    """Register the error handlers (after flask-smorest's, which they replace)."""
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(AuthenticationRequired, handle_authentication_required)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(InternalServerError, handle_server_error)
    # OperationalError: the server is down, refuses connections or dropped this one (also
    # SQLite's "unable to open database file"); TimeoutError: no pooled connection came free.
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(SQLAlchemyTimeoutError, handle_database_unavailable)
