"""`midas paxlst load|screen`: flight manifests (UN/EDIFACT PAXLST) screened before arrival.

`watch` takes the files carriers' gateways drop into PAXLST_INBOX (one pass, or `--loop`);
`gateway add|rotate|deactivate|list` registers the gateways that post to /api/v1/manifests.
`screen` prints one JSON line per traveller, with the flight, the traveller's data, the problems
of their record and the same hit objects as `midas screen --batch`, storing nothing; `load`
stores each flight at its arrival post with its travellers' hits (audited as "cli:<login>").
Exit 0 no hit, 3 any hit, 1 a message refused (the others are taken all the same), 2 usage error.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from midas.cli.language import _, say
from midas.cli.screen import HIT_EXIT, active_indexes
from midas.cli.users import cli_actor, fail
from midas.cli.watchlist import require_schema, rescreen_after_list_change
from midas.domain.admin.carrier_gateways import (
    IssuedGatewayToken,
    create_gateway,
    deactivate_gateway,
    list_gateways,
    rotate_gateway_token,
)
from midas.domain.carrier_messages import receive_message
from midas.domain.errors import DomainError, InvalidInput, Unavailable
from midas.domain.manifests import manifest_problems, read_manifest_file, screen_manifest
from midas.domain.paxlst_inbox import ingest_inbox
from midas.domain.screening_indexes import screening_config
from midas.domain.texts import N_
from midas.persistence.database import database

# A manifest is a few megabytes; this bounds what one file may make the command read.
MAX_FILE_BYTES = 64 * 1024 * 1024


@click.group()
def paxlst() -> None:
    """Advance passenger information: flight manifests (UN/EDIFACT PAXLST)."""


@paxlst.command("load")
@click.option("--post", "post_code", help="The arrival post (default: the arrival airport's).")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@with_appcontext
def load_command(post_code: str | None, files: tuple[Path, ...]) -> None:
    """Store the flights of FILES with their travellers screened."""
    require_schema()
    indexes = active_indexes()
    config = screening_config(current_app.config)
    any_hit = refused = False
    for path in files:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise InvalidInput(
                    N_("%(path)s: larger than %(limit)s bytes"),
                    params={"path": path, "limit": MAX_FILE_BYTES},
                    field="paxlst",
                )
            data = path.read_bytes()
            # A file's flights are stored together or not at all.
            with database().sessions.begin() as session:
                received = receive_message(
                    session, cli_actor(), data, indexes, config,
                    source=path.name, today=date.today(), post_code=post_code,
                )  # fmt: skip
            for item in received:
                stored = item.stored
                any_hit = any_hit or stored.hits > 0
                click.echo(
                    _(
                        "%(name)s: flight %(designator)s arriving %(arrival_local)s: "
                        "%(travellers)s travellers, %(hits)s hits",
                        name=path.name,
                        designator=stored.designator,
                        arrival_local=stored.arrival_local,
                        travellers=stored.travellers,
                        hits=stored.hits,
                    )
                )
        except DomainError as error:
            refused = True
            click.echo(say(error), err=True)
    if refused:
        raise click.exceptions.Exit(1)
    if any_hit:
        raise click.exceptions.Exit(HIT_EXIT)


@paxlst.command("rescreen")
@with_appcontext
def rescreen_command() -> None:
    """Screen the travellers of every flight not yet landed again (after a list changed)."""
    require_schema()
    rescreen_after_list_change()


@paxlst.command("screen")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@with_appcontext
def screen_command(files: tuple[Path, ...]) -> None:
    """Screen every passenger and crew member of FILES without storing anything."""
    require_schema()
    indexes = active_indexes()
    config = screening_config(current_app.config)
    any_hit = refused = False
    for path in files:
        if path.stat().st_size > MAX_FILE_BYTES:
            refused = True
            click.echo(
                _(
                    "%(path)s: larger than %(limit)s bytes",
                    path=path,
                    limit=MAX_FILE_BYTES,
                ),
                err=True,
            )
            continue
        try:
            manifests = read_manifest_file(path.read_bytes(), str(path), date.today())
        except DomainError as error:
            refused = True
            click.echo(say(error), err=True)
            continue
        for manifest in manifests:
            for problem in manifest_problems(manifest):
                click.echo(
                    _(
                        "%(path)s: segment %(segment_number)s: %(field)s: %(reason)s",
                        path=path,
                        segment_number=problem.segment_number,
                        field=problem.field,
                        reason=problem.reason,
                    ),
                    err=True,
                )
            for screened in screen_manifest(manifest, indexes, config):
                any_hit = any_hit or bool(screened.hits)
                click.echo(json.dumps(screened.to_dict(), ensure_ascii=False))
    if refused:
        raise click.exceptions.Exit(1)
    if any_hit:
        raise click.exceptions.Exit(HIT_EXIT)


@paxlst.command("watch")
@click.option("--loop", is_flag=True, help="Keep watching: a pass every --interval seconds.")
@click.option("--interval", default=30, show_default=True, type=click.IntRange(1, 3600))
@with_appcontext
def watch_command(loop: bool, interval: int) -> None:
    """Store and screen the files in PAXLST_INBOX, moving each to done/ or refused/."""
    require_schema()
    setting = str(current_app.config["PAXLST_INBOX"])
    if not setting:
        raise click.UsageError(_("set PAXLST_INBOX (MIDAS_PAXLST_INBOX) to the inbox folder"))
    inbox = Path(setting)
    if not inbox.is_dir():
        raise click.ClickException(_("the inbox %(inbox)s is not a folder", inbox=inbox))
    refused = False
    while True:
        try:
            refused = _watch_pass(inbox) or refused
        except (Unavailable, SQLAlchemyError) as error:
            # The files stay in the inbox for the next pass. A database error's text may quote
            # a traveller's data in its parameters: only its kind is said.
            why = (
                say(error)
                if isinstance(error, Unavailable)
                else _("the database failed (%(kind)s)", kind=type(error).__name__)
            )
            said = _("nothing more taken this pass: %(why)s", why=why)
            if not loop:
                raise click.ClickException(said) from error
            click.echo(said, err=True)
        if not loop:
            break
        time.sleep(interval)
    if refused:
        raise click.exceptions.Exit(1)


def _watch_pass(inbox: Path) -> bool:
    """Run one pass over the inbox; say what it did; tell whether a file was refused."""
    config = current_app.config
    done = ingest_inbox(
        database().sessions, cli_actor(), inbox, active_indexes(), screening_config(config),
        batch=int(config["PAXLST_INBOX_BATCH"]), max_bytes=int(config["PAXLST_MAX_MB"]) << 20,
        today=date.today(),
    )  # fmt: skip
    for name, flights in done.stored:
        click.echo(_("%(name)s: stored, %(flights)s flight(s)", name=name, flights=flights))
    for name, why in done.refused:
        click.echo(_("%(name)s: refused: %(why)s", name=name, why=why), err=True)
    if done.waiting:
        click.echo(_("%(count)s file(s) wait for the next pass", count=done.waiting))
    return bool(done.refused)


@paxlst.group("gateway")
def gateway() -> None:
    """Carriers' gateways that post PAXLST messages to /api/v1/manifests."""


def _show_token(issued: IssuedGatewayToken) -> None:
    gateway = issued.gateway
    click.echo(
        _("Gateway %(name)s for %(carriers)s.", name=gateway.name, carriers=gateway.carriers)
    )
    click.echo(_("Its token (shown once, send as 'Authorization: Bearer ...'):"))
    click.echo(issued.token)


@gateway.command("add")
@click.option("--carriers", required=True, help='Airline codes it sends for: "KQ BA".')
@click.argument("name")
@with_appcontext
def gateway_add(carriers: str, name: str) -> None:
    """Register gateway NAME and print its token."""
    require_schema()
    try:
        with database().sessions.begin() as session:
            issued = create_gateway(session, cli_actor(), name=name, carriers=carriers)
            _show_token(issued)
    except DomainError as error:
        raise fail(error) from error


@gateway.command("rotate")
@click.argument("name")
@with_appcontext
def gateway_rotate(name: str) -> None:
    """Issue gateway NAME a new token (the old one stops working) and print it."""
    require_schema()
    try:
        with database().sessions.begin() as session:
            _show_token(rotate_gateway_token(session, cli_actor(), name))
    except DomainError as error:
        raise fail(error) from error


@gateway.command("deactivate")
@click.argument("name")
@with_appcontext
def gateway_deactivate(name: str) -> None:
    """Stop gateway NAME's token from working."""
    require_schema()
    try:
        with database().sessions.begin() as session:
            deactivate_gateway(session, cli_actor(), name)
    except DomainError as error:
        raise fail(error) from error
    click.echo(_("Gateway %(name)s deactivated.", name=name))


@gateway.command("list")
@with_appcontext
def gateway_list() -> None:
    """List the gateways: name, carriers, token hint, active, last seen."""
    require_schema()
    with database().sessions() as session:
        for item in list_gateways(session):
            seen = item.last_seen_at.isoformat(timespec="seconds") if item.last_seen_at else "-"
            state = "active" if item.active else "inactive"
            click.echo(f"{item.name}\t{item.carriers}\t{item.token_hint}…\t{state}\t{seen}")
