"""The `midas` console script: a FlaskGroup over the service and the library commands."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from midas import create_app
from midas.cli.db import init_db
from midas.cli.demo import demo
from midas.cli.mrz import mrz
from midas.cli.retention import retention
from midas.cli.screen import screen
from midas.cli.users import commands as user_commands
from midas.cli.watchlist import watchlist


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False)
def main() -> None:
    """Run and administer the MIDAS border management service."""


main.add_command(mrz)
main.add_command(init_db)
main.add_command(watchlist)
main.add_command(screen)
main.add_command(retention)
for command in user_commands:
    main.add_command(command)
main.add_command(demo)
