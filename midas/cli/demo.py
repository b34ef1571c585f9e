"""`midas demo`: load demo posts, people, lists and crossings (idempotent; never in production)."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from midas.auth.passwords import passwords
from midas.cli.language import _, ngettext, say
from midas.cli.users import cli_actor
from midas.cli.watchlist import require_schema
from midas.domain.audit import record_audit
from midas.domain.demo import (
    DEMO_ACTOR,
    POSTS,
    USERS,
    DemoReport,
    ensure_people_and_posts,
    plan_crossings,
    record_planned,
    recorded_demo_crossings,
    retire_public_credentials,
    write_lists,
)
from midas.domain.demo_chips import DEMO_SOURCE, ensure_demo_chips
from midas.domain.lists import find_watchlist, load_watchlist
from midas.domain.screening import built_screener
from midas.persistence.database import database
from watchlists.models import ListKind


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Load demo posts, stations, users, two small lists and a few hundred crossings."""
    if current_app.config["ENV"] == "production":
        raise click.ClickException(_("demo data has public passwords: refused in production mode"))
    require_schema()
    sessions = database().sessions
    report = DemoReport()
    with sessions.begin() as session:
        ensure_people_and_posts(session, passwords(), report)
    with tempfile.TemporaryDirectory(prefix="midas-demo-") as folder:
        for name, (kind, path) in write_lists(Path(folder)).items():
            with sessions() as session:
                listed = find_watchlist(session, name)
                if listed is not None and listed.active_version_id is not None:
                    continue
            loaded = load_watchlist(sessions, name, ListKind(kind), "csv", path, DEMO_ACTOR)
            if not loaded.ok:
                raise click.ClickException(
                    _(
                        "demo list %(name)s did not load: %(failure)s",
                        name=name,
                        failure=loaded.failure,
                    )
                )
            report.lists.append(name)
    screener = built_screener(current_app)
    recorded_ids: dict[int, int] = {}
    plan = plan_crossings(datetime.now(UTC).date())
    with sessions.begin() as session:
        report.crossings_existing = recorded_demo_crossings(session, plan)
    # The plan moves with the calendar: once any of it is recorded, the demo ran before.
    if not report.crossings_existing:
        with click.progressbar(plan, label="Crossings") as planned:
            for crossing in planned:
                with sessions.begin() as session:
                    record_planned(session, crossing, screener, recorded_ids, report)
    with sessions.begin() as session:
        chips = ensure_demo_chips(session, Path(current_app.instance_path), DEMO_ACTOR)
    with sessions.begin() as session:
        record_audit(
            session,
            DEMO_ACTOR,
            "demo.load",
            detail={
                "posts": report.posts,
                "users": report.users,
                "lists": report.lists,
                "crossings_recorded": report.crossings_recorded,
            },
        )
    _print(report)
    if chips.loaded:
        trusted = _("its CSCA trusted as %(source)s", source=DEMO_SOURCE)
    else:
        trusted = _("already there")
    click.echo(
        _(
            "Demo chips (%(trusted)s): %(folder)s/verified, altered and untrusted-state hold a "
            "chip's files and the printed MRZ, for the station's 'Chip files' or `midas chip "
            "verify`",
            trusted=trusted,
            folder=chips.folder,
        )
    )


def _print(report: DemoReport) -> None:
    there = _("none (already there)")
    click.echo(_("Posts created: %(posts)s", posts=", ".join(report.posts) or there))
    click.echo(_("Users created: %(users)s", users=", ".join(report.users) or there))
    if report.users:
        click.echo(_("Demo logins (public: never use demo data in production):"))
        for person in USERS:
            if person.username in report.users:
                click.echo(f"  {person.username:<11} {person.password}  ({person.role})")
    if report.tokens:
        click.echo(_("Station tokens (shown once; send as 'Authorization: Bearer <token>'):"))
        for demo_post in POSTS:
            if demo_post.code in report.tokens:
                click.echo(
                    f"  {demo_post.code:<5} {demo_post.station}: {report.tokens[demo_post.code]}"
                )
    active = _("none (already active)")
    click.echo(_("Lists loaded: %(lists)s", lists=", ".join(report.lists) or active))
    click.echo(
        _(
            "Crossings recorded: %(recorded)s (%(hits)s); already there: %(existing)s",
            recorded=report.crossings_recorded,
            hits=ngettext("%(num)d hit", "%(num)d hits", report.hits),
            existing=report.crossings_existing,
        )
    )


@click.command("retire-demo")
@with_appcontext
def retire_demo() -> None:
    """Deactivate demo logins still on their published password and demo station tokens."""
    require_schema()
    with database().sessions.begin() as session:
        retired = retire_public_credentials(session, cli_actor(), passwords())
    if not retired:
        click.echo(_("No demo login or station token is open: nothing to retire."))
        return
    click.echo(_("Deactivated %(credentials)s.", credentials=say(retired.described())))
