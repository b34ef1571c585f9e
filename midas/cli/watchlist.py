"""`midas watchlist load|apply-delta|recover|list|show|prune|settings`: lists in the database.

Loads, deltas and prunes are audited as "cli:<login name>", like the other administrative
commands.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from midas.cli.language import _, ngettext, say
from midas.cli.users import cli_actor
from midas.domain.audit import record_audit
from midas.domain.errors import DomainError
from midas.domain.flights import Rescreened
from midas.domain.list_changes import apply_list_delta, load_list, rescreen_flights
from midas.domain.list_loads import admit_load, fail_abandoned_loads
from midas.domain.list_pruning import RECENTLY_SUPERSEDED, PruneResult, prune_versions
from midas.domain.list_settings import (
    UNCHANGED,
    WANTED_PERSON_FLOOR,
    ListSettings,
    parse_policy,
    set_list_settings,
)
from midas.domain.lists import (
    entry_deltas,
    find_watchlist,
    list_watchlists,
    rejected_records,
)
from midas.list_uploads import sweep_uploads
from midas.persistence.database import database
from midas.persistence.models import EntryChange, Watchlist, WatchlistVersion
from midas.persistence.schema import SchemaOutOfDateError, require_current
from watchlists.format_names import ACCEPTED_NAMES, public_name, registry_name
from watchlists.models import ListKind, Rejected
from watchlists.versions import (
    DEFAULT_MAX_REJECTED_RATIO,
    DEFAULT_MAX_REMOVED_RATIO,
    LoadReport,
    VersionState,
)


def require_schema() -> None:
    """Stop with a hint when the database has not been created or upgraded."""
    try:
        require_current(database().engine)
    except SchemaOutOfDateError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
def watchlist() -> None:
    """Load and inspect watchlists; versions live in the database (DATABASE_URL)."""


def version_options(command: Callable[..., None]) -> Callable[..., None]:
    """Add the options every command that makes a new list version takes."""
    for option in reversed(
        [
            click.option(
                "--loaded-by",
                default=None,
                help="Who makes the new version (default: the OS user).",
            ),
            click.option(
                "--max-rejected-ratio",
                type=click.FloatRange(0.0, 1.0),
                default=DEFAULT_MAX_REJECTED_RATIO,
                show_default=True,
                help="Refuse the file when a larger share of its records is rejected.",
            ),
            click.option(
                "--show-rejected",
                type=click.IntRange(min=0),
                default=100,
                show_default=True,
                help="Print at most this many rejected records (0: all).",
            ),
        ]
    ):
        command = option(command)
    return command


def finish(
    report: LoadReport, action: str, show_rejected: int, *, allow_removals: bool = False
) -> None:
    """Audit a new version's load, print its report, and exit 1 when it was refused."""
    audit_load(report, action, allow_removals=allow_removals)
    print_report(report, show_rejected or None)
    if not report.ok:
        raise click.exceptions.Exit(1)


def print_rescreened(done: Rescreened | None) -> None:
    """Say what screening the flights still to land again found, if there were any."""
    if done is not None:
        click.echo(
            f"Flights still to land screened again: {done.flights} flight(s), "
            f"{done.travellers} traveller(s), {done.new_hits} new hit(s)."
        )


def rescreen_after_list_change() -> None:
    """Re-screen the flights still to land against the lists active now; say what it found."""
    print_rescreened(rescreen_flights(current_app, cli_actor(), now_utc=datetime.now(UTC)))


@watchlist.command("load")
@click.option("--name", required=True, help="List name, e.g. ofac-sdn.")
@click.option("--kind", type=click.Choice([kind.value for kind in ListKind]), required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(ACCEPTED_NAMES),
    required=True,
    help="csv, ofac-csv (a folder with sdn.csv, alt.csv, add.csv, sdn_comments.csv), ofac-xml,"
    " un-xml or ftm.",
)
@click.option(
    "--allow-removals",
    is_flag=True,
    help=f"Activate the file even when it removes more than {DEFAULT_MAX_REMOVED_RATIO:.0%} of"
    " the active entries (a real delisting wave, not a cut-off download); audited.",
)
@version_options
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@with_appcontext
def load(
    name: str,
    kind: str,
    fmt: str,
    allow_removals: bool,
    loaded_by: str | None,
    max_rejected_ratio: float,
    show_rejected: int,
    path: Path,
) -> None:
    """Load PATH into a new version of list NAME and swap it in if it verifies."""
    require_schema()
    sessions = database().sessions
    try:
        admit_load(sessions, name, ListKind(kind))
    except DomainError as error:
        raise click.ClickException(say(error)) from error
    change = load_list(
        current_app,
        cli_actor(),
        name,
        ListKind(kind),
        registry_name(fmt),
        path,
        loaded_by or getpass.getuser(),
        max_rejected_ratio=max_rejected_ratio,
        allow_removals=allow_removals,
    )
    finish(change.report, "watchlist.load", show_rejected, allow_removals=allow_removals)
    print_rescreened(change.rescreened)


@watchlist.command("apply-delta")
@click.option("--name", required=True, help="The person list to change, e.g. opensanctions.")
@version_options
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@with_appcontext
def apply_delta_command(
    name: str, loaded_by: str | None, max_rejected_ratio: float, show_rejected: int, path: Path
) -> None:
    """Apply the FtM delta file PATH (or every delta file of a folder, in name order) to NAME.

    The active version plus the delta becomes a new version, verified and swapped in like a
    full load; on failure the active version stays.
    """
    require_schema()
    change = apply_list_delta(
        current_app,
        cli_actor(),
        name,
        path,
        loaded_by or getpass.getuser(),
        max_rejected_ratio=max_rejected_ratio,
    )
    finish(change.report, "watchlist.delta", show_rejected)
    print_rescreened(change.rescreened)


def audit_load(report: LoadReport, action: str, *, allow_removals: bool = False) -> None:
    """Record a load or delta in the audit log, failed or not."""
    detail = {
        "file": report.file_name,
        "format": public_name(report.source_format),
        "removals_allowed": allow_removals,
        "warnings": list(report.warnings),
        "sha256": report.checksum_sha256,
        "version": report.version,
        "entries": report.entry_count,
        "rejected": len(report.rejected),
        "added": len(report.added),
        "changed": len(report.changed),
        "removed": len(report.removed),
        "failure": None if report.failure is None else str(report.failure),
    }
    outcome = "ok" if report.ok else "failed"
    with database().sessions.begin() as session:
        record_audit(
            session,
            cli_actor(),
            action,
            "watchlist",
            report.list_name,
            outcome=outcome,
            detail=detail,
        )


@watchlist.command("recover")
@with_appcontext
def recover() -> None:
    """Fail the loads left running by a process that stopped, and remove their uploaded files.

    A load started by a process on another host cannot be checked from here and is left alone.
    """
    require_schema()
    failed = fail_abandoned_loads(database().sessions)
    for load in failed:
        click.echo(
            _(
                "%(list_name)s: version %(number)s (started by %(loaded_by)s) was abandoned; "
                "failed and its entries removed",
                list_name=load.list_name,
                number=load.number,
                loaded_by=load.loaded_by,
            )
        )
    removed = sweep_uploads()
    click.echo(
        _(
            "%(count)s abandoned load(s) failed; %(removed)s leftover upload(s) removed.",
            count=len(failed),
            removed=removed,
        )
    )


@watchlist.command("prune")
@click.argument("name")
@click.option(
    "--keep",
    type=click.IntRange(min=1),
    required=True,
    help="Keep the newest N versions; older ones are deleted unless active, loading or hit.",
)
@click.option(
    "--spare-minutes",
    type=click.IntRange(min=0),
    default=int(RECENTLY_SUPERSEDED.total_seconds() // 60),
    show_default=True,
    help="Also keep a version superseded less than this many minutes ago (a running service"
    " may still be storing hits against it).",
)
@with_appcontext
def prune(name: str, keep: int, spare_minutes: int) -> None:
    """Delete old versions of list NAME with their entries; never one that hits reference."""
    require_schema()
    sessions = database().sessions
    try:
        with sessions.begin() as session:
            spare = timedelta(minutes=spare_minutes)
            result = prune_versions(session, name, keep, spare_superseded_within=spare)
            if result is None:
                raise click.ClickException(
                    _("no watchlist named %(name)s; see `midas watchlist list`", name=repr(name))
                )
            record_audit(
                session,
                cli_actor(),
                "watchlist.prune",
                "watchlist",
                name,
                detail={
                    "keep": keep,
                    "deleted": list(result.deleted),
                    "kept_referenced": list(result.kept_referenced),
                    "kept_recent": list(result.kept_recent),
                },
            )
    except SQLAlchemyError as error:
        # A hit recorded against an old version between the check and the delete, or a lost
        # connection: nothing was deleted (one transaction), and the log says the prune failed.
        with sessions.begin() as session:
            detail = {"keep": keep, "error": type(error).__name__}
            record_audit(
                session,
                cli_actor(),
                "watchlist.prune",
                "watchlist",
                name,
                outcome="failed",
                detail=detail,
            )
        raise click.ClickException(
            _("prune of %(name)s failed, nothing deleted: %(error)s", name=name, error=error)
        ) from error
    print_pruned(result)


def print_pruned(result: PruneResult) -> None:
    """Print which versions a prune deleted and which old ones it kept, and why."""
    deleted = ", ".join(f"v{number}" for number in result.deleted) or _("none")
    click.echo(
        _(
            "%(list_name)s: deleted %(versions)s: %(deleted)s",
            list_name=result.list_name,
            versions=ngettext("%(num)d version", "%(num)d versions", len(result.deleted)),
            deleted=deleted,
        )
    )
    if result.kept_active is not None:
        click.echo(_("  kept v%(kept_active)s: active", kept_active=result.kept_active))
    for number in result.kept_loading:
        click.echo(_("  kept v%(number)s: still loading", number=number))
    for number in result.kept_referenced:
        click.echo(_("  kept v%(number)s: stored screening hits reference it", number=number))
    for number in result.kept_recent:
        click.echo(
            _(
                "  kept v%(number)s: superseded less than the spare time ago (--spare-minutes)",
                number=number,
            )
        )


def print_report(report: LoadReport, limit: int | None) -> None:
    """Print what a load did: version, counts, changes, rejected records, or why it failed."""
    label = f"{report.list_name} ({report.kind}, {public_name(report.source_format)})"
    if report.ok:
        click.echo(
            _(
                "Loaded %(label)s as version %(version)s: now active.",
                label=label,
                version=report.version,
            )
        )
    else:
        click.echo(
            _("Load of %(label)s FAILED: %(failure)s", label=label, failure=report.failure),
            err=True,
        )
        if report.active:
            kept = _(
                "%(list_name)s: version %(version)s stays active.",
                list_name=report.list_name,
                version=report.active.version,
            )
        else:
            kept = _("%(list_name)s: no version stays active.", list_name=report.list_name)
        click.echo(kept, err=True)
    for warning in report.warnings:
        click.echo(_("Warning: %(warning)s", warning=warning), err=True)
    click.echo(_("  file      %(file_name)s", file_name=report.file_name))
    if report.checksum_sha256:
        click.echo(_("  sha256    %(checksum_sha256)s", checksum_sha256=report.checksum_sha256))
    click.echo(_("  published %(published)s", published=report.published or _("not stated")))
    if report.ok:
        click.echo(_("  entries   %(count)s", count=report.entry_count))
    else:
        click.echo(_("  entries   %(count)s read, none activated", count=report.entry_count))
    click.echo(_("  rejected  %(count)s", count=len(report.rejected)))
    skipped = ", ".join(f"{what} {count}" for what, count in report.skipped)
    detail = f" ({skipped})" if skipped else ""
    click.echo(
        _(
            "  skipped   %(count)s%(detail)s",
            count=sum(count for _, count in report.skipped),
            detail=detail,
        )
    )
    if report.ok:
        if report.previous:
            click.echo(
                _(
                    "  changes   %(added)s added, %(changed)s changed, %(removed)s removed since "
                    "version %(version)s",
                    added=len(report.added),
                    changed=len(report.changed),
                    removed=len(report.removed),
                    version=report.previous.version,
                )
            )
        else:
            click.echo(
                _("  changes   first version of the list: %(count)s added", count=len(report.added))
            )
    print_rejected(report.rejected[:limit] if limit else report.rejected, len(report.rejected))


def print_rejected(shown: tuple[Rejected, ...] | list[Rejected], total: int) -> None:
    """Print rejected records as 'location: reason' lines, saying how many were left out."""
    if not total:
        return
    click.echo(_("  rejected records:"))
    for record in shown:
        click.echo(f"    {record.location}: {record.reason}")
    if total > len(shown):
        click.echo(_("    … and %(total)s more", total=total - len(shown)))


@watchlist.command("list")
@with_appcontext
def list_command() -> None:
    """List every watchlist with its active version."""
    require_schema()
    with database().sessions() as session:
        watchlists = list_watchlists(session)
        if not watchlists:
            click.echo(_("No watchlists loaded; use `midas watchlist load`."))
            return
        # Column names are codes, as in a CSV header: scripts may read them.
        click.echo(f"{'NAME':<24} {'KIND':<9} {'POLICY':<7} {'ACTIVE':>6} {'ENTRIES':>8}  LOADED")
        for item in watchlists:
            active = item.active_version
            policy = item.alert_policy.value
            if active is None:
                none = _("no active version")
                click.echo(f"{item.name:<24} {item.kind:<9} {policy:<7} {'-':>6} {'-':>8}  {none}")
                continue
            loaded = f"{active.loaded_at:%Y-%m-%d %H:%M}Z by {active.loaded_by}"
            click.echo(
                f"{item.name:<24} {item.kind:<9} {policy:<7} {'v' + str(active.number):>6} "
                f"{active.entry_count:>8}  {loaded}"
            )


@watchlist.command("show")
@click.argument("name")
@click.option(
    "--rejected-limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Rejected records to print per version (0: all).",
)
@with_appcontext
def show(name: str, rejected_limit: int) -> None:
    """Show list NAME: every version with provenance, counts, changes and rejected records."""
    require_schema()
    with database().sessions() as session:
        item = find_watchlist(session, name)
        if item is None:
            raise click.ClickException(
                _("no watchlist named %(name)s; see `midas watchlist list`", name=repr(name))
            )
        active = next((v.number for v in item.versions if v.id == item.active_version_id), None)
        if active:
            said = _(
                "%(name)s (%(kind)s list): active version %(version)s",
                name=item.name,
                kind=item.kind,
                version=active,
            )
        else:
            said = _("%(name)s (%(kind)s list): no active version", name=item.name, kind=item.kind)
        click.echo(said)
        floor = item.possible_match_floor
        policy = item.alert_policy.value
        if floor is None:
            said = _("  alert policy: %(policy)s; possible matches: off", policy=policy)
        else:
            said = _(
                "  alert policy: %(policy)s; possible matches: from a name score of %(floor)s",
                policy=policy,
                floor=floor,
            )
        click.echo(said)
        for version in item.versions:
            _show_version(session, item, version, rejected_limit or None)


def _show_version(
    session: Session, item: Watchlist, version: WatchlistVersion, limit: int | None
) -> None:
    marker = "*" if version.id == item.active_version_id else " "
    click.echo(
        _(
            "%(marker)s version %(number)s: %(status)s",
            marker=marker,
            number=version.number,
            status=version.status,
        )
    )
    click.echo(
        _(
            "    source    %(public_name)s %(file_name)s",
            public_name=public_name(version.source_format),
            file_name=version.file_name,
        )
    )
    click.echo(_("    sha256    %(sha256)s", sha256=version.sha256))
    click.echo(_("    published %(published)s", published=version.published or _("not stated")))
    click.echo(
        _(
            "    loaded    %(loaded_at)sZ by %(loaded_by)s",
            loaded_at=format(version.loaded_at, "%Y-%m-%d %H:%M:%S"),
            loaded_by=version.loaded_by,
        )
    )
    click.echo(
        _(
            "    counts    %(entry_count)s entries, %(rejected_count)s rejected, "
            "%(skipped_count)s skipped",
            entry_count=version.entry_count,
            rejected_count=version.rejected_count,
            skipped_count=version.skipped_count,
        )
    )
    if version.failure_reason:
        click.echo(_("    failure   %(failure_reason)s", failure_reason=version.failure_reason))
    if version.status in (VersionState.ACTIVE, VersionState.SUPERSEDED):
        deltas = entry_deltas(session, version.id)
        parts = []
        for change in EntryChange:
            ids = deltas[change]
            sample = f" ({', '.join(ids[:5])}{', …' if len(ids) > 5 else ''})" if ids else ""
            parts.append(f"{len(ids)} {change.value}{sample}")
        click.echo(_("    changes   %(changes)s", changes="; ".join(parts)))
    shown = rejected_records(session, version.id, limit)
    print_rejected(shown, version.rejected_count)


@watchlist.command("settings")
@click.argument("name")
@click.option(
    "--policy",
    help="What a hit does: block (only a supervisor admits, with a reason), refer (secondary"
    " inspection preselected; admitting needs a reason) or inform.",
)
@click.option(
    "--possible-match-floor",
    "floor",
    help="Name score from which a listed person whose birth date differs is shown as a"
    f" possible match ('off' for none; {WANTED_PERSON_FLOOR} suits wanted-person lists).",
)
@with_appcontext
def settings(name: str, policy: str | None, floor: str | None) -> None:
    """Set list NAME's alert policy and possible-match floor (audited)."""
    require_schema()
    try:
        wanted = ListSettings(
            alert_policy=None if policy is None else parse_policy(policy),
            possible_match_floor=_floor_option(floor),
        )
        with database().writers.begin() as session:
            item = set_list_settings(session, cli_actor(), name, wanted)
            shown = item.possible_match_floor
            policy_code = item.alert_policy.value
            if shown is None:
                said = _(
                    "%(name)s: alert policy %(policy)s; possible matches off",
                    name=item.name,
                    policy=policy_code,
                )
            else:
                said = _(
                    "%(name)s: alert policy %(policy)s; possible matches from %(floor)s",
                    name=item.name,
                    policy=policy_code,
                    floor=shown,
                )
            click.echo(said)
    except DomainError as error:
        raise click.ClickException(say(error)) from error


def _floor_option(text: str | None) -> float | None:
    if text is None:
        return UNCHANGED
    if text.strip().lower() in ("off", "none", ""):
        return None
    try:
        return float(text)
    except ValueError:
        raise click.BadParameter(
            _("%(text)s is not a number (or 'off')", text=repr(text)),
            param_hint="--possible-match-floor",
        ) from None
