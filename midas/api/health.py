"""Health: /api/v1/health — database, schema revision, active lists and their screening indexes.

Answers 200 when the service can work (database reachable, schema at the revision the code
needs, an index ready in this process for every active list) and 503 otherwise, so a load
balancer or compose healthcheck can act on the status alone. Anyone gets the status; which lists
an agency holds, their sizes and load times are for supervisors and administrators.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from midas.auth import AuthenticationRequired, find_actor, public
from midas.domain.list_loads import loader_alive
from midas.domain.screening_indexes import IndexState, IndexStatus, app_index_cache
from midas.domain.sync_standing import PostLink, link_here
from midas.persistence.base import utcnow
from midas.persistence.database import database
from midas.persistence.models import Role, Watchlist, WatchlistVersion
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


class IndexHealthSchema(Schema):
    """This process's screening index of a list: ready, building or failed; the version served."""

    state = fields.String(metadata={"description": "ready, building or failed"})
    served_version = fields.Integer(
        allow_none=True, metadata={"description": "null: the list is not screened yet"}
    )
    failure = fields.String(allow_none=True)


class ListHealthSchema(Schema):
    """A watchlist's active version, as screening uses it."""

    name = fields.String()
    kind = fields.String()
    active_version = fields.Integer(allow_none=True)
    entries = fields.Integer(allow_none=True)
    loaded_at = fields.DateTime(allow_none=True)
    index = fields.Nested(IndexHealthSchema, allow_none=True)


class SyncHealthSchema(Schema):
    """A post's link to headquarters: how current its lists are, and offline since when."""

    lists_as_of = fields.DateTime(allow_none=True)
    last_contact = fields.DateTime(allow_none=True)
    offline_since = fields.DateTime(allow_none=True)


class HealthSchema(Schema):
    """`ok`, `degraded` (working, but something needs a look) or `unavailable` (503); the rest
    for supervisors and administrators only."""

    status = fields.String()
    database = fields.Nested(DatabaseHealthSchema)
    lists = fields.List(fields.Nested(ListHealthSchema))
    sync = fields.Nested(
        SyncHealthSchema, allow_none=True, metadata={"description": "a post's link only"}
    )
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


# Who may see the detail: which lists the agency holds, their sizes and load times.
DETAIL_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


def _index_json(status: IndexStatus) -> dict[str, Any]:
    return {
        "state": status.state.value,
        "served_version": status.served_version,
        "failure": status.failure,
    }


def _index_warning(status: IndexStatus) -> str | None:
    """Say what an index not ready means for screening, in plain words."""
    if status.served_version is None:
        if status.state is IndexState.BUILDING:
            return str(
                _(
                    "list %(name)s: not screened yet, its index is being built; screenings and "
                    "crossings are refused until it is ready",
                    name=status.name,
                )
            )
        return str(
            _(
                "list %(name)s: not screened yet, building version %(version)s failed "
                "(%(failure)s); screenings and crossings are refused until it is ready",
                name=status.name,
                version=status.active_version,
                failure=status.failure,
            )
        )
    if status.state is IndexState.BUILDING:
        return str(
            _(
                "list %(name)s: screening uses version %(served)s while version %(version)s is "
                "being built",
                name=status.name,
                served=status.served_version,
                version=status.active_version,
            )
        )
    if status.state is IndexState.FAILED:
        return str(
            _(
                "list %(name)s: building version %(version)s failed (%(failure)s); screening uses "
                "version %(served)s",
                name=status.name,
                version=status.active_version,
                failure=status.failure,
                served=status.served_version,
            )
        )
    return None


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
            _(
                "the load of %(name)s version %(number)s was abandoned by a process that "
                "stopped; run `midas watchlist recover` or load the list again",
                name=name,
                number=number,
            )
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
    indexes: list[IndexStatus] = []
    abandoned: list[str] = []
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        db["reachable"] = True
        db["revision"] = current_revision(engine)
        db["current"] = db["revision"] == head
        if db["current"]:
            body["lists"] = _lists(engine)
            indexes = app_index_cache(current_app).statuses(database().sessions)
            abandoned = _abandoned(engine)
    except SQLAlchemyError as exc:
        # The report must come back whatever the database does; the class name says enough.
        body["warnings"].append(_("database error: %(kind)s", kind=type(exc).__name__))
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
    by_name = {status.name: status for status in indexes}
    for item in body["lists"]:
        status = by_name.get(item["name"])
        item["index"] = None if status is None else _index_json(status)
        warning = None if status is None else _index_warning(status)
        if warning is not None:
            body["status"] = "degraded"
            body["warnings"].append(warning)
    link = _link()
    if link is not None:
        body["sync"] = {
            "lists_as_of": link.lists_as_of,
            "last_contact": link.last_contact,
            "offline_since": link.offline_since,
        }
        if link.offline_since is not None:
            # Working, as a post must offline, but its lists may be old: worth a look.
            body["status"] = "degraded"
            since = f"{link.offline_since:%Y-%m-%d %H:%M}"
            if link.lists_as_of is None:
                said = _("offline since %(since)s UTC: lists never received", since=since)
            else:
                as_of = f"{link.lists_as_of:%Y-%m-%d %H:%M}"
                said = _(
                    "offline since %(since)s UTC: lists as of %(as_of)s", since=since, as_of=as_of
                )
            body["warnings"].append(said)
    if any(status.served_version is None for status in indexes):
        body["status"] = "unavailable"
        return body, 503
    return body, 200


def _link() -> PostLink | None:
    """Return a post's link to headquarters (None on any other server)."""
    if current_app.config.get("NODE_ROLE") != "post":
        return None  # no session opened on a server that is no post
    with database().sessions() as session:
        return link_here(session, current_app.config, utcnow())


def _may_see_detail() -> bool:
    try:
        actor = find_actor()
    except AuthenticationRequired:
        # A wrong or rotated token still gets what anyone gets: the status.
        return False
    return actor is not None and actor.role in DETAIL_ROLES


@blp.route("")
@public
@blp.response(200, HealthSchema)
@blp.alt_response(
    503, schema=HealthSchema, description="the database, schema or a list's index is not usable"
)
def health() -> tuple[dict[str, Any], int]:
    """Report whether the service can work; supervisors and administrators see why (database,
    schema revision, active lists and this process's screening indexes)."""
    body, status = health_report()
    if not _may_see_detail():
        return {"status": body["status"]}, status
    return body, status
