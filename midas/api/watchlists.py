"""Watchlists: /api/v1/watchlists — admins see lists and their versions and load new versions.

A load runs in the background (a large list takes longer than a request may): POST answers 202
with the job's status URL, which tells its progress and, when it is done, its report. The new
version becomes active only if the whole file loaded; otherwise the previous one stays active.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from werkzeug.datastructures import FileStorage

from midas.auth import current_actor, require
from midas.domain.audit import record_audit
from midas.domain.errors import NotFound
from midas.domain.list_loads import admit_load
from midas.domain.list_settings import UNCHANGED, ListSettings, set_list_settings
from midas.domain.lists import (
    entry_deltas,
    find_watchlist,
    list_watchlists,
    rejected_records,
)
from midas.domain.texts import N_
from midas.list_jobs import LoadJob, find_job, start_load
from midas.list_uploads import store_upload
from midas.persistence import database, session
from midas.persistence.models import AlertPolicy, Role, Watchlist, WatchlistVersion
from watchlists.format_names import ACCEPTED_NAMES, public_name, registry_name
from watchlists.models import ListKind
from watchlists.versions import DEFAULT_MAX_REMOVED_RATIO

blp = Blueprint(
    "watchlists", __name__, url_prefix="/watchlists", description="Watchlists and their versions."
)

# Rejected records shown with a version (its rejected_count tells how many there are in all).
REJECTED_SHOWN = 500


class VersionSchema(Schema):
    """One version of a list: where it came from, how many entries, whether it is active."""

    number = fields.Integer()
    status = fields.String(metadata={"description": "loading, active, superseded or failed"})
    active = fields.Boolean()
    source_format = fields.String()
    file_name = fields.String()
    checksum_sha256 = fields.String()
    published = fields.Date(allow_none=True)
    loaded_at = fields.AwareDateTime()
    loaded_by = fields.String()
    entry_count = fields.Integer()
    rejected_count = fields.Integer()


class WatchlistSchema(Schema):
    """A list and its active version (null before a first complete load)."""

    name = fields.String()
    kind = fields.String()
    alert_policy = fields.String(
        metadata={"description": "block, refer or inform: what a hit does to the decision"}
    )
    possible_match_floor = fields.Float(
        allow_none=True,
        metadata={"description": "name score from which a person whose birth date differs is "
                  "shown as a possible match; null: none"},
    )  # fmt: skip
    active_version = fields.Nested(VersionSchema, allow_none=True)
    version_count = fields.Integer()


class WatchlistListSchema(Schema):
    """Every list."""

    items = fields.List(fields.Nested(WatchlistSchema))


class WatchlistDetailSchema(WatchlistSchema):
    """A list with all its versions, newest first."""

    versions = fields.List(fields.Nested(VersionSchema))


class RejectedSchema(Schema):
    """A record of the file that was not loaded, and why."""

    location = fields.String(metadata={"description": "where in the file (line or entry id)"})
    reason = fields.String()


class VersionDetailSchema(VersionSchema):
    """A version with the entry ids it added, changed and removed, and its rejected records."""

    added = fields.List(fields.String())
    changed = fields.List(fields.String())
    removed = fields.List(fields.String())
    rejected = fields.List(fields.Nested(RejectedSchema))


class SettingsArgs(Schema):
    """A list's decision settings to change; a field left out stays as it is."""

    alert_policy = fields.String(validate=validate.OneOf([p.value for p in AlertPolicy]))
    possible_match_floor = fields.Float(allow_none=True)


class LoadArgs(Schema):
    """A list file to load as a new version (multipart/form-data)."""

    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in ListKind]))
    format = fields.String(
        load_default="csv",
        validate=validate.OneOf(ACCEPTED_NAMES),
        metadata={"description": "csv, ofac-csv, ofac-xml, un-xml or ftm (ofac_csv … accepted)"},
    )
    allow_removals = fields.Boolean(
        load_default=False,
        metadata={
            "description": "activate the file even when it removes more than "
            f"{DEFAULT_MAX_REMOVED_RATIO:.0%} of the active entries (audited)"
        },
    )


class LoadFile(Schema):
    """The uploaded list file, or every file its format reads (or one zip/tar archive of them)."""

    file = fields.List(fields.Raw(metadata={"type": "string", "format": "binary"}), required=True)


class LoadJobSchema(Schema):
    """A load: running, done or failed; its progress while it runs, its report when done."""

    id = fields.String()
    list_name = fields.String()
    file_name = fields.String()
    state = fields.String(metadata={"description": "running, done or failed"})
    seconds = fields.Float()
    percent = fields.Integer(allow_none=True)
    progress = fields.Dict(allow_none=True)
    error = fields.String(allow_none=True)
    report = fields.Dict(allow_none=True)
    rescreened = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        allow_none=True,
        metadata={
            "description": "the flights still to land, screened again once the version was "
            "active: flights, travellers, new_hits (null: none to land)"
        },
    )
    status_url = fields.String()


def version_body(watchlist: Watchlist, version: WatchlistVersion) -> dict[str, Any]:
    """Return a version as the API shows it."""
    return {
        "number": version.number,
        "status": str(version.status),
        "active": watchlist.active_version_id == version.id,
        "source_format": public_name(version.source_format),
        "file_name": version.file_name,
        "checksum_sha256": version.sha256,
        "published": version.published,
        "loaded_at": version.loaded_at,
        "loaded_by": version.loaded_by,
        "entry_count": version.entry_count,
        "rejected_count": version.rejected_count,
    }


def watchlist_body(watchlist: Watchlist) -> dict[str, Any]:
    """Return a list and its active version."""
    active = next((v for v in watchlist.versions if v.id == watchlist.active_version_id), None)
    return {
        "name": watchlist.name,
        "kind": watchlist.kind.value,
        "alert_policy": watchlist.alert_policy.value,
        "possible_match_floor": watchlist.possible_match_floor,
        "active_version": None if active is None else version_body(watchlist, active),
        "version_count": len(watchlist.versions),
    }


def job_body(job: LoadJob) -> dict[str, Any]:
    """Return a load job as the API shows it."""
    return {
        "id": job.id,
        "list_name": job.list_name,
        "file_name": job.file_name,
        "state": job.state,
        "seconds": round(job.seconds, 1),
        "percent": job.percent,
        "progress": job.progress,
        "error": job.error,
        "report": job.report,
        "rescreened": job.rescreened,
        "status_url": url_for("watchlists.show_load", name=job.list_name, job_id=job.id),
    }


def _found(name: str) -> Watchlist:
    watchlist = find_watchlist(session(), name)
    if watchlist is None:
        raise NotFound(N_("no watchlist named %(name)s"), params={"name": repr(name)}, field="name")
    return watchlist


@blp.route("")
@require(Role.ADMIN)
@blp.response(200, WatchlistListSchema)
def list_all() -> dict[str, Any]:
    """List every watchlist with its active version."""
    db = session()
    with db.begin():
        return {"items": [watchlist_body(found) for found in list_watchlists(db)]}


@blp.route("/<name>")
@require(Role.ADMIN)
@blp.response(200, WatchlistDetailSchema)
def show(name: str) -> dict[str, Any]:
    """Show a list with all its versions, newest first."""
    db = session()
    with db.begin():
        watchlist = _found(name)
        record_audit(db, current_actor(), "watchlist.read", "watchlist", name)
        versions = sorted(watchlist.versions, key=lambda version: -version.number)
        return watchlist_body(watchlist) | {
            "versions": [version_body(watchlist, version) for version in versions]
        }


@blp.route("/<name>", methods=["PATCH"])
@require(Role.ADMIN)
@blp.arguments(SettingsArgs())
@blp.response(200, WatchlistSchema)
def change_settings(args: dict[str, Any], name: str) -> dict[str, Any]:
    """Set a list's alert policy and possible-match floor (audited)."""
    db = session()
    with db.begin():
        policy = args.get("alert_policy")
        wanted = ListSettings(
            alert_policy=None if policy is None else AlertPolicy(policy),
            possible_match_floor=args.get("possible_match_floor", UNCHANGED),
        )
        return watchlist_body(set_list_settings(db, current_actor(), name, wanted))


@blp.route("/<name>/versions/<int:number>")
@require(Role.ADMIN)
@blp.response(200, VersionDetailSchema)
def show_version(name: str, number: int) -> dict[str, Any]:
    """Show a version: provenance, counts, the entry ids it changed, its rejected records."""
    db = session()
    with db.begin():
        watchlist = _found(name)
        version = next((v for v in watchlist.versions if v.number == number), None)
        if version is None:
            raise NotFound(
                N_("%(name)s has no version %(number)s"),
                params={"name": name, "number": number},
                field="number",
            )
        deltas = entry_deltas(db, version.id)
        rejected = rejected_records(db, version.id, limit=REJECTED_SHOWN)
        record_audit(db, current_actor(), "watchlist.read", "watchlist_version", version.id)
        return (
            version_body(watchlist, version)
            | {change.value: ids for change, ids in deltas.items()}
            | {"rejected": [{"location": r.location, "reason": r.reason} for r in rejected]}
        )


@blp.route("/<name>/loads", methods=["POST"])
@require(Role.ADMIN)
@blp.arguments(LoadArgs, location="form")
@blp.arguments(LoadFile, location="files")
@blp.response(202, LoadJobSchema)
def load(args: dict[str, Any], files: dict[str, Any], name: str) -> dict[str, Any]:
    """Start loading a file as the list's next version; follow `status_url` for the outcome.

    Refused with 409 while another load of the list runs.
    """
    uploads: list[FileStorage] = files["file"]
    kind = ListKind(args["kind"])
    fmt = registry_name(args["format"])
    admit_load(database().sessions, name, kind)
    limit = int(current_app.config["MAX_LIST_UPLOAD_MB"]) * 1024 * 1024
    source = store_upload(uploads, fmt, limit)
    job = start_load(
        current_actor(), name, kind, fmt, source, allow_removals=args["allow_removals"]
    )
    return job_body(job)


@blp.route("/<name>/loads/<job_id>")
@require(Role.ADMIN)
@blp.response(200, LoadJobSchema)
def show_load(name: str, job_id: str) -> dict[str, Any]:
    """Tell how a load goes: its progress while it runs, its report when it is done."""
    job = find_job(job_id)
    if job is None or job.list_name != name:
        raise NotFound(
            N_("no load %(job_id)s of %(name)s on this host"),
            params={"job_id": job_id, "name": name},
            field="job_id",
        )
    return job_body(job)
