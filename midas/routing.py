"""Path converters: an id in a URL stays within the range of the key column it looks up.

A number beyond the column's range cannot name a row, so it matches no route (404) instead of
reaching the database, where SQLite overflows and PostgreSQL rejects it with a server error.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from midas.domain.keys import INT32_MAX, INT64_MAX


class IdConverter(IntegerConverter):
    """`<int:...>`: an id of a 32-bit key column (users, posts, stations, travellers)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", INT32_MAX)
        super().__init__(url_map, *args, **kwargs)


class BigIdConverter(IntegerConverter):
    """`<bigid:...>`: an id of a 64-bit key column (crossings, screening hits, audit events)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", INT64_MAX)
        super().__init__(url_map, *args, **kwargs)


def parameter_schema(converter: IntegerConverter) -> dict[str, Any]:
    """Describe an id path parameter in the OpenAPI document."""
    return {"type": "integer", "minimum": 0, "maximum": converter.max}


def init_app(app: Flask) -> None:
    """Install the id converters; call before any route is added."""
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["bigid"] = BigIdConverter
