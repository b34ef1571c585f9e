"""Every text a request carries is checked once, before any view reads it (midas.domain.text).

Query and form values, file names, JSON strings (keys too) and path segments: a NUL byte in any
of them would otherwise reach the database, where PostgreSQL answers it with a server error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from flask import current_app, request
from werkzeug.exceptions import BadRequest

from midas.domain.text import check_text


def _json_texts(body: Any) -> Iterator[tuple[str, str]]:
    # A stack, not recursion: the walk is bounded by the body's size, never by its depth.
    stack: list[tuple[str, Any]] = [("", body)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            yield path or "body", value
        elif isinstance(value, dict):
            for key, item in value.items():
                where = f"{path}.{key}" if path else str(key)
                yield where, str(key)
                stack.append((where, item))
        elif isinstance(value, list):
            stack.extend(
                (f"{path}.{index}" if path else str(index), item)
                for index, item in enumerate(value)
            )


def json_body() -> Any:
    """Return the parsed JSON body; refuse one that is not JSON (400), as the views would."""
    data = request.get_data(cache=True)
    if not data.strip():
        return None  # no body: webargs reads it as no arguments, and so do we
    try:
        return current_app.json.loads(data)
    except json.JSONDecodeError as error:
        # Refused here because the views' parser (webargs) would recurse into a body nested
        # too deeply until the stack runs out; the answer is the one it gives bad JSON.
        refused = BadRequest()
        refused.exc = error  # type: ignore[attr-defined]  # read by midas.api.errors
        raise refused from None
    except ValueError:
        return None  # not text at all (bad UTF-8): the view's parser says so


def request_texts() -> Iterator[tuple[str, str]]:
    """Yield (where, text) for every text of the request, the body's only when it is parsed."""
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str):
            yield name, value
    for name, value in request.args.items(multi=True):
        yield name, name
        yield name, value
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, value in request.form.items(multi=True):
            yield name, name
            yield name, value
        for name, upload in request.files.items(multi=True):
            yield name, upload.filename or ""
    elif request.is_json:
        yield from _json_texts(json_body())


def check_request_text() -> None:
    """Refuse a request any of whose texts holds a control character (InvalidInput, 422)."""
    for where, text in request_texts():
        check_text(text, field=where)
