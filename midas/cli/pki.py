"""`midas pki load` and `midas pki list`: the trust store of country signing certificates.

Loads are audited as "cli:<login name>", like watchlist loads. A load reads and verifies every
file before anything is written, and is all or nothing.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from midas.cli.language import _
from midas.cli.users import cli_actor, fail
from midas.cli.watchlist import require_schema
from midas.domain.errors import DomainError
from midas.domain.trust_loads import read_trust_files
from midas.domain.trust_store import (
    TRUST_FORMATS,
    app_trust_cache,
    state_trust,
    store_trust_version,
    trust_versions,
)
from midas.persistence.database import database


@click.group()
def pki() -> None:
    """Manage the trust store for Passive Authentication (CSCA master lists, ICAO PKD)."""


@pki.command("load")
@click.option("--name", required=True, help="Trust source, e.g. icao-pkd or a state's list.")
@click.option("--format", "fmt", type=click.Choice(TRUST_FORMATS), required=True)
@click.option(
    "--accept-unverified-signer",
    "unverified_reason",
    default=None,
    metavar="REASON",
    help="Load a master list whose signer does not verify, keeping REASON with the version.",
)
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@with_appcontext
def load(name: str, fmt: str, unverified_reason: str | None, paths: tuple[Path, ...]) -> None:
    """Load PATHS (master lists, LDIF downloads or PEM files) as a new version of source NAME."""
    require_schema()
    try:
        loaded = read_trust_files(
            fmt,
            [(path.name, path.read_bytes()) for path in paths],
            accept_unverified=unverified_reason,
        )
        with database().sessions.begin() as session:
            version = store_trust_version(session, cli_actor(), name, fmt, loaded)
            number, counts = (
                version.number,
                (
                    version.csca_count,
                    version.dsc_count,
                    version.crl_count,
                ),
            )
    except DomainError as error:
        raise fail(error) from error
    click.echo(
        _(
            "%(name)s version %(number)s active: %(cscas)s CSCA certificates, %(dscs)s "
            "document signer certificates, %(crls)s CRLs",
            name=name,
            number=number,
            cscas=counts[0],
            dscs=counts[1],
            crls=counts[2],
        )
    )


@pki.command("list")
@click.option(
    "--stale-within",
    type=click.IntRange(min=0),
    default=None,
    help="Warn of CRLs whose next update falls within DAYS (default: from config).",
)
@with_appcontext
def list_command(stale_within: int | None) -> None:
    """Print the trust versions and, per issuing state, what is trusted until when (JSON)."""
    require_schema()
    days = int(current_app.config["PKI_CRL_WARNING_DAYS"]) if stale_within is None else stale_within
    with database().sessions() as session:
        versions = [v.to_dict() for v in trust_versions(session)]
        store = app_trust_cache(current_app).store(session)
    overview = state_trust(store, date.today(), days)
    click.echo(json.dumps({"versions": versions, "states": overview}, indent=2, default=str))
