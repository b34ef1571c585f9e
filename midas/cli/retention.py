"""`midas retention`: anonymise crossings whose retention period has run out, in batches."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from midas.cli.language import _, ngettext
from midas.cli.watchlist import require_schema
from midas.domain.audit import record_audit
from midas.domain.flights import sweep_manifests
from midas.domain.paxlst_inbox import sweep_inbox_files
from midas.domain.retention import RetentionCounts, retention_batch, retention_policy
from midas.domain.scan_files import sweep_scan_images
from midas.persistence.database import database

SYSTEM = "system"


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="Count what is due without changing anything.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Measure periods up to this day (YYYY-MM-DD) instead of today (UTC).",
)
@with_appcontext
def retention(dry_run: bool, today: datetime | None) -> None:
    """Anonymise the personal data of crossings past their retention period; print the counts."""
    require_schema()
    policy = retention_policy(current_app.config)
    day: date = today.date() if today else datetime.now(UTC).date()
    sessions = database().writers
    total = RetentionCounts()
    batches = 0
    after = 0
    action = "retention.dry_run" if dry_run else "retention.run"
    settings = {
        "today": day.isoformat(),
        "years": policy.years,
        "overstay_years": policy.overstay_years,
    }
    try:
        while True:
            with sessions.begin() as session:
                batch = retention_batch(session, policy, today=day, after=after, dry_run=dry_run)
                if batch.crossing_ids and not dry_run:
                    # One event per committed batch: the log matches what the database holds
                    # even if a later batch fails.
                    record_audit(
                        session,
                        SYSTEM,
                        "retention.batch",
                        "crossing",
                        detail={**settings, **batch.counts.as_dict()},
                    )
            if batch.last_traveller_id is None:
                break
            total.add(batch.counts)
            batches += 1
            after = batch.last_traveller_id
    except BaseException:
        # Whatever stopped the run (including Ctrl-C), the log records how far it got.
        with sessions.begin() as session:
            record_audit(
                session,
                SYSTEM,
                action,
                outcome="failed",
                detail={**settings, "batches": batches, **total.as_dict()},
            )
        raise
    _sweep_images(today, dry_run)
    _sweep_manifests(today, dry_run)
    with sessions.begin() as session:
        record_audit(
            session, SYSTEM, action, detail={**settings, "batches": batches, **total.as_dict()}
        )
    said = dict(
        day=day.isoformat(),
        years=policy.years,
        overstay_years=policy.overstay_years,
        batches=batches,
    )
    if dry_run:
        heading = _(
            "Retention dry run (nothing changed) on %(day)s: personal data kept %(years)s years "
            "after exit, %(overstay_years)s for overstayers; %(batches)s batch(es).",
            **said,
        )
    else:
        heading = _(
            "Retention on %(day)s: personal data kept %(years)s years after exit, "
            "%(overstay_years)s for overstayers; %(batches)s batch(es).",
            **said,
        )
    click.echo(heading)
    for name, count in total.as_dict().items():
        label = name.replace("_", " ")
        click.echo(f"  {label:<22} {count}")
    if not dry_run and total.crossings_anonymised == 0:
        click.echo(_("Nothing was due."))
    elif dry_run:
        click.echo(
            ngettext(
                "%(num)d crossing would be anonymised.",
                "%(num)d crossings would be anonymised.",
                total.crossings_anonymised,
            )
        )


def _sweep_manifests(today: datetime | None, dry_run: bool) -> None:
    """Delete advance passenger information PAXLST_RETENTION_HOURS after the flight arrived,
    but for travellers with a hit or a referral; report and audit the counts."""
    hours = int(current_app.config["PAXLST_RETENTION_HOURS"])
    # Arrival times are the airports' local times: a day's margin covers any time zone.
    now = (
        datetime.combine(today.date(), time.max)
        if today
        else datetime.now(UTC).replace(tzinfo=None)
    )
    cutoff = now - timedelta(hours=hours + 24)
    with database().sessions.begin() as session:
        swept = sweep_manifests(session, cutoff, dry_run=dry_run)
        if not dry_run:
            record_audit(session, SYSTEM, "retention.manifests", detail=asdict(swept))
    travellers = ngettext("%(num)d traveller", "%(num)d travellers", swept.travellers)
    flights = ngettext("%(num)d flight", "%(num)d flights", swept.flights)
    if dry_run:
        said = _(
            "Advance passenger information would be deleted: %(travellers)s without a hit, "
            "%(flights)s (arrived more than %(hours)s hours ago).",
            travellers=travellers,
            flights=flights,
            hours=hours,
        )
    else:
        said = _(
            "Advance passenger information deleted: %(travellers)s without a hit, "
            "%(flights)s (arrived more than %(hours)s hours ago).",
            travellers=travellers,
            flights=flights,
            hours=hours,
        )
    click.echo(said)
    inbox = str(current_app.config.get("PAXLST_INBOX") or "")
    if inbox:
        # The files in done/ and refused/ are the carriers' messages: the same personal data.
        files = sweep_inbox_files(Path(inbox), cutoff.replace(tzinfo=UTC), dry_run=dry_run)
        if dry_run:
            click.echo(
                _("PAXLST files that would be deleted from the inbox: %(files)s.", files=files)
            )
        else:
            click.echo(_("PAXLST files deleted from the inbox: %(files)s.", files=files))


def _sweep_images(today: datetime | None, dry_run: bool) -> None:
    """Delete the desk scanners' images whose crossing is anonymised, or that were never
    recorded and are older than SCAN_UNRECORDED_HOURS; report and audit the counts."""
    inbox = str(current_app.config.get("SCAN_INBOX") or "")
    if not inbox:
        return
    # With --today, the images are aged as at the end of that day.
    now = datetime.combine(today.date(), time.max, UTC) if today else datetime.now(UTC)
    hours = int(current_app.config["SCAN_UNRECORDED_HOURS"])
    with database().sessions.begin() as session:
        counts = sweep_scan_images(
            session, Path(inbox), now=now, unrecorded=timedelta(hours=hours), dry_run=dry_run
        )
        if not dry_run:
            record_audit(session, SYSTEM, "retention.scan_images", detail=asdict(counts))
    said = dict(
        anonymised=counts.crossing_anonymised,
        unrecorded=counts.unrecorded,
        unreadable=counts.unreadable,
        hours=hours,
    )
    if dry_run:
        click.echo(
            _(
                "Scanner images would be deleted: %(anonymised)s of anonymised crossings, "
                "%(unrecorded)s never recorded and %(unreadable)s unreadable (older than "
                "%(hours)s hours).",
                **said,
            )
        )
    else:
        click.echo(
            _(
                "Scanner images deleted: %(anonymised)s of anonymised crossings, %(unrecorded)s "
                "never recorded and %(unreadable)s unreadable (older than %(hours)s hours).",
                **said,
            )
        )
