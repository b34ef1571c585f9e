"""`midas create-user`, `create-post`, `create-station`: set up people and places from a shell.

The shell user is trusted as an administrator; each change is audited as "cli:<login name>".
"""

from __future__ import annotations

import getpass
import sys

import click
from flask.cli import with_appcontext

from midas.auth.passwords import passwords
from midas.cli.language import _, say
from midas.domain import admin
from midas.domain.errors import DomainError
from midas.persistence.database import database
from midas.persistence.models import PostKind
from midas.persistence.models.users import STAFF_ROLES


def cli_actor() -> str:
    """Name the shell user in the audit log."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "cli:unknown"


def fail(error: DomainError) -> click.ClickException:
    """Turn a domain error into a CLI error naming the option at fault."""
    where = f" (--{error.field.replace('_', '-')})" if error.field else ""
    return click.ClickException(f"{say(error)}{where}")


@click.command("create-user")
@click.option("--username", required=True, help="Login name: lower-case letters, digits, .-_")
@click.option("--full-name", default=None, help="The person's name (default: the username).")
@click.option("--role", required=True, type=click.Choice([r.value for r in STAFF_ROLES]))
@click.option("--post", "post_code", default=None, help="Code of an officer's post.")
@click.option(
    "--supervises", multiple=True, metavar="CODE", help="Code of a post a supervisor oversees."
)
@click.option("--all-posts", is_flag=True, help="A supervisor of every post.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option(
    "--must-change-password",
    is_flag=True,
    help="The person changes the password at the first login (set it for someone else).",
)
@with_appcontext
def create_user(
    username: str,
    full_name: str | None,
    role: str,
    post_code: str | None,
    supervises: tuple[str, ...],
    all_posts: bool,
    password_stdin: bool,
    must_change_password: bool,
) -> None:
    """Create a user; the password is asked twice, or read from stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with database().writers() as session:
        try:
            with session.begin():
                post_id = None if post_code is None else admin.find_post(session, post_code).id
                supervised = [admin.find_post(session, c, "supervises").id for c in supervises]
                user = admin.create_user(
                    session,
                    cli_actor(),
                    passwords(),
                    username=username,
                    full_name=full_name or username,
                    role=role,
                    password=password,
                    post_id=post_id,
                    supervised_post_ids=supervised,
                    all_posts=all_posts,
                    must_change_password=must_change_password,
                )
                click.echo(
                    _(
                        "Created %(role)s %(username)s (id %(id)s).",
                        role=user.role.value,
                        username=user.username,
                        id=user.id,
                    )
                )
        except DomainError as error:
            raise fail(error) from None


@click.command("create-post")
@click.option("--code", required=True, help="Unique post code, e.g. VIE-AIR.")
@click.option("--name", required=True, help="The post's name.")
@click.option("--kind", required=True, type=click.Choice([k.value for k in PostKind]))
@click.option("--country", required=True, help="Alpha-3 code, e.g. AUT (RKS for Kosovo).")
@click.option("--timezone", required=True, help="IANA time zone, e.g. Europe/Vienna.")
@with_appcontext
def create_post(code: str, name: str, kind: str, country: str, timezone: str) -> None:
    """Create a border post."""
    with database().writers() as session:
        try:
            with session.begin():
                post = admin.create_post(
                    session,
                    cli_actor(),
                    code=code,
                    name=name,
                    kind=kind,
                    country=country,
                    timezone=timezone,
                )
                click.echo(_("Created post %(code)s (id %(id)s).", code=post.code, id=post.id))
        except DomainError as error:
            raise fail(error) from None


@click.command("create-station")
@click.option("--post", "post_code", required=True, help="Code of the station's post.")
@click.option("--name", required=True, help="The station's name, e.g. 'desk 3'.")
@with_appcontext
def create_station(post_code: str, name: str) -> None:
    """Create a station and print its token, this once (only its SHA-256 is kept)."""
    with database().writers() as session:
        try:
            with session.begin():
                post = admin.find_post(session, post_code)
                issued = admin.create_station(session, cli_actor(), post_id=post.id, name=name)
                click.echo(
                    _(
                        "Created station %(name)s (id %(id)s).",
                        name=issued.station.name,
                        id=issued.station.id,
                    )
                )
                click.echo(_("Token (shown once): %(token)s", token=issued.token))
        except DomainError as error:
            raise fail(error) from None


commands = (create_user, create_post, create_station)
