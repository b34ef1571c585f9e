"""The `midas` console script: the service's own commands, run inside its app.

Operators see MIDAS's commands only. Flask's options and commands (`--app`, `--env-file`,
`run`, `shell`, `routes`) and those extensions add stay with Flask's own script for developers:
`flask --app wsgi run` or `flask --app wsgi shell`.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import click
from flask.cli import ScriptInfo

from midas import create_app
from midas.cli.chip import chip
from midas.cli.db import init_db
from midas.cli.demo import demo, retire_demo
from midas.cli.language import choose_language, set_language
from midas.cli.mrz import mrz
from midas.cli.paxlst import paxlst
from midas.cli.pki import pki
from midas.cli.retention import retention
from midas.cli.screen import screen
from midas.cli.sync import node, sync
from midas.cli.users import commands as user_commands
from midas.cli.watchlist import watchlist


class ServiceGroup(click.Group):
    """A command group whose commands load the MIDAS app on demand, as Flask's group does."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        if "obj" not in extra and "obj" not in self.context_settings:
            # Built for the command line: in production it starts even with demo data
            # present, so that `midas retire-demo` can remove it.
            extra["obj"] = ScriptInfo(
                create_app=partial(create_app, serving=False),
                set_debug_flag=False,
                load_dotenv_defaults=False,
            )
        return super().make_context(info_name, args, parent=parent, **extra)


@click.group(cls=ServiceGroup)
@click.option(
    "--language",
    envvar="MIDAS_LANGUAGE",
    default=None,
    metavar="CODE",
    help="Language of messages (en, fr, es, pt, ar); default: LANG if shipped, else English.",
)
def main(language: str | None) -> None:
    """Run and administer the MIDAS border management service."""
    set_language(choose_language(language))


main.add_command(mrz)
main.add_command(init_db)
main.add_command(watchlist)
main.add_command(screen)
main.add_command(pki)
main.add_command(chip)
main.add_command(node)
main.add_command(sync)
main.add_command(paxlst)
main.add_command(retention)
for command in user_commands:
    main.add_command(command)
main.add_command(demo)
main.add_command(retire_demo)
