"""`midas chip verify`: Passive Authentication of exported chip files, printed as the API's JSON.

Exit 0 when the chip verifies (and, with --mrz-file, its DG1 equals the printed MRZ); 1 when it
fails, cannot be verified, or differs from the printed MRZ; 2 for a usage error, such as a file
that is not an LDS file.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from midas.cli.language import _, say
from midas.cli.mrz import split_blocks
from midas.cli.watchlist import require_schema
from midas.domain.chip_checks import check_chip, sorted_chip_files, with_extra_cscas
from midas.domain.errors import DomainError
from midas.domain.readings import read_document
from midas.domain.trust_store import app_trust_cache
from midas.persistence.database import database


@click.group()
def chip() -> None:
    """Verify ePassport chip data (ICAO Doc 9303 Parts 10-12)."""


@chip.command("verify")
@click.option(
    "--csca",
    "cscas",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A PEM or DER CSCA certificate trusted for this run only (repeatable).",
)
@click.option(
    "--mrz-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The MRZ printed on the data page, as text, to compare DG1 with.",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date to check validity periods against (default: today).",
)
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@with_appcontext
def verify(
    cscas: tuple[Path, ...], mrz_file: Path | None, today: Any, files: tuple[Path, ...]
) -> None:
    """Verify FILES (EF.SOD and data groups, recognised by their tags) against the trust store."""
    require_schema()
    day: date = today.date() if today else date.today()
    horizon = int(current_app.config["MRZ_EXPIRY_HORIZON_DAYS"])
    try:
        sorted_files = sorted_chip_files([path.read_bytes() for path in files], field="FILES")
        printed = None
        if mrz_file is not None:
            with mrz_file.open(encoding="utf-8") as stream:
                blocks = list(split_blocks(stream))
            if len(blocks) != 1:
                raise click.UsageError(_("%(mrz_file)s: give exactly one MRZ", mrz_file=mrz_file))
            printed = read_document(blocks[0], None, today=day, expiry_horizon_days=horizon)
        with database().sessions() as session:
            store = app_trust_cache(current_app).store(session)
        store = with_extra_cscas(store, [path.read_bytes() for path in cscas])
    except DomainError as error:
        click.echo(_("Error: %(message)s", message=say(error)), err=True)
        sys.exit(2)
    result = check_chip(sorted_files, printed, store, today=day, expiry_horizon_days=horizon)
    click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    sys.exit(0 if result.verified and result.mrz_match is not False else 1)
