"""`midas paxlst load|screen`: flight manifests (UN/EDIFACT PAXLST) screened before arrival.

`screen` prints one JSON line per traveller, with the flight, the traveller's data, the problems
of their record and the same hit objects as `midas screen --batch`, storing nothing; `load`
stores each flight at its arrival post with its travellers' hits (audited as "cli:<login>").
Exit 0 no hit, 3 any hit, 1 a message refused (the others are taken all the same), 2 usage error.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from midas.cli.language import _, say
from midas.cli.screen import HIT_EXIT, active_indexes
from midas.cli.users import cli_actor
from midas.cli.watchlist import require_schema, rescreen_after_list_change
from midas.domain.errors import DomainError, InvalidInput
from midas.domain.flights import store_manifest
from midas.domain.manifests import manifest_problems, read_manifest_file, screen_manifest
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
            manifests = read_manifest_file(data, str(path), date.today())
            for manifest in manifests:
                with database().sessions.begin() as session:
                    stored = store_manifest(
                        session, cli_actor(), manifest, indexes, config,
                        source=path.name, data=data, post_code=post_code,
                    )  # fmt: skip
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
