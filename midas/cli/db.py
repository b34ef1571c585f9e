"""`midas init-db`: create or upgrade the schema through the packaged Alembic migrations."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from midas.cli.language import _
from midas.persistence.database import database
from midas.persistence.schema import current_revision, upgrade


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database schema (idempotent) and print the revision."""
    engine = database().engine
    url = engine.url.render_as_string(hide_password=True)
    before = current_revision(engine)
    reached = upgrade(engine)
    if before == reached:
        click.echo(
            _("Database %(url)s is up to date at revision %(reached)s.", url=url, reached=reached)
        )
    else:
        click.echo(
            _(
                "Database %(url)s upgraded from %(value)s to revision %(reached)s.",
                url=url,
                value=before or "empty",
                reached=reached,
            )
        )
