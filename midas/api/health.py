"""Health: /api/v1/health — database, schema revision and active lists; no credentials, no people.

Answers 200 when the service can work (database reachable, schema at the revision the code
needs) and 503 otherwise, so a load balancer or compose healthcheck can act on the status alone.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from midas.auth import public
from midas.domain.list_loads import loader_alive
from midas.persistence.database import database
from midas.persistence.models import Watchlist, WatchlistVersion
from midas.persistence.schema import current_revision, head_revision
from watchlists.versions import VersionState

blp = Blueprint("health", __name__, url_prefix="/health", description="Service health.")


class DatabaseHealthSchema(Schema):
    """Whether the database answers, and at which schema revision."""

    reachable = fields.Boolean()
    backend = fields.String()
    revision = fields.String(allow_none=True)
    head = fields.String()
    current = fields.Boolean()


class ListHealthSchema(Schema):
    """A watchlist's active version, as screening uses it."""

    name = fields.String()
    kind = fields.String()
    active_version = fields.Integer(allow_none=True)
    entries = fields.Integer(allow_none=True)
    loaded_at = fields.DateTime(allow_none=True)


class HealthSchema(Schema):
    """`ok`, `degraded` (working, but something needs a look) or `unavailable` (503)."""

    status = fields.String()
    database = fields.Nested(DatabaseHealthSchema)
    lists = fields.List(fields.Nested(ListHealthSchema))
    warnings = fields.List(fields.String())


def _lists(engine: Any) -> list[dict[str, Any]]:
    query = (
        select(
            Watchlist.name,
            Watchlist.kind,
            WatchlistVersion.number,
            WatchlistVersion.entry_count,
            WatchlistVersion.finished_at,
        )
        .outerjoin(WatchlistVersion, WatchlistVersion.id == Watchlist.active_version_id)
        .order_by(Watchlist.name)
    )
    with engine.connect() as connection:
        return [
            {
                "name": name,
                "kind": str(kind),
                "active_version": number,
                "entries": entries,
                "loaded_at": finished,
            }
            for name, kind, number, entries, finished in connection.execute(query)
        ]


def _abandoned(engine: Any) -> list[str]:
    """Return a warning for each load left 'loading' by a process that has stopped."""
    query = (
        select(Watchlist.name, WatchlistVersion.number, WatchlistVersion.loader)
        .join(Watchlist, Watchlist.id == WatchlistVersion.watchlist_id)
        .where(WatchlistVersion.status == VersionState.LOADING)
        .order_by(Watchlist.name)
    )
    with engine.connect() as connection:
        return [
            f"the load of {name} version {number} was abandoned by a process that stopped; run"
            " `midas watchlist recover` or load the list again"
            for name, number, loader in connection.execute(query)
            if not loader_alive(loader)
        ]


def health_report() -> tuple[dict[str, Any], int]:
    """Check the database, the schema revision and the lists; return the body and status."""
    engine = database().engine
    head = head_revision()
    db: dict[str, Any] = {
        "reachable": False,
        "backend": engine.dialect.name,
        "revision": None,
        "head": head,
        "current": False,
    }
    body: dict[str, Any] = {"status": "unavailable", "database": db, "lists": [], "warnings": []}
    abandoned: list[str] = []
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        db["reachable"] = True
        db["revision"] = current_revision(engine)
        db["current"] = db["revision"] == head
        if db["current"]:
            body["lists"] = _lists(engine)
            abandoned = _abandoned(engine)
    except SQLAlchemyError as exc:
        # The report must come back whatever the database does; the class name says enough.
        body["warnings"].append(f"database error: {type(exc).__name__}")
        return body, 503
    if not db["current"]:
        body["warnings"].append(
            f"schema at {db['revision'] or 'nothing'}, the code needs {head}: run `midas init-db`"
        )
        return body, 503
    body["status"] = "ok"
    if abandoned:
        body["status"] = "degraded"
        body["warnings"].extend(abandoned)
    for item in body["lists"]:
        if item["active_version"] is None:
            # A list a person made exists to be screened: until a load succeeds it is not.
            body["status"] = "degraded"
            body["warnings"].append(
                f"list {item['name']} has no active version: it screens nothing until a load of"
                " it succeeds"
            )
    kinds = {item["kind"] for item in body["lists"] if item["active_version"] is not None}
    for kind in ("person", "document"):
        if kind not in kinds:
            body["status"] = "degraded"
            body["warnings"].append(f"no active {kind} list: {kind}s are not screened")
    return body, 200


@blp.route("")
@public
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="the database or schema is not usable")
def health() -> tuple[dict[str, Any], int]:
    """Report whether the service can work: database, schema revision, active lists."""
    return health_report()
