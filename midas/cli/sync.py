"""`midas node` and `midas sync`: what this server is, whom it trusts, and store and forward.

Offline (a USB stick): at the post, `midas sync export DIR` writes every bundle headquarters has
not acknowledged; at headquarters, `midas sync import FILE...` takes them and writes each
acknowledgement beside them (`--acks DIR`); back at the post, `midas sync import` takes the
acknowledgements. The other way, `midas sync export DIR` at headquarters writes each enrolled
post's bundles (lists, users, stations, stay rules, trust store; `--to CODE` for one post), and
the post imports them the same way. Enrolment, imports and revocations are audited as
"cli:<login name>".
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bundles.acks import is_ack
from bundles.codec import read_header
from midas.cli.language import _, say
from midas.cli.sync_http import HttpTransport
from midas.cli.users import cli_actor, fail
from midas.cli.watchlist import require_schema
from midas.config import NODE_FILE
from midas.domain.errors import DomainError
from midas.domain.nodes import HQ_CODE, Node, enroll_peer, init_node, revoke_peer
from midas.domain.sync_exchange import next_bundles, sync_status, take_ack, take_bundle
from midas.domain.sync_link import SyncRun, sync_once
from midas.domain.sync_standing import post_link, posts_standing
from midas.persistence.base import utcnow
from midas.persistence.database import database
from midas.persistence.models import SyncPeer


def _node() -> Node:
    return Node.of(current_app.config, Path(current_app.instance_path))


@click.group()
def node() -> None:
    """What this server is (a post or headquarters), and the nodes it trusts."""


@node.command("init")
@click.option("--role", type=click.Choice(["post", "hq"]), required=True)
@click.option("--code", default="", help="The post's code as headquarters knows it (posts).")
@with_appcontext
def init_command(role: str, code: str) -> None:
    """Make this node's key pair and record its role; print the public key to enrol elsewhere."""
    if role == "post" and not code:
        raise click.UsageError(_("a post needs --code, its post's code"))
    instance = Path(current_app.instance_path)
    recorded = instance / NODE_FILE
    if recorded.exists():
        raise click.ClickException(
            _("%(recorded)s exists: this node is initialised already", recorded=recorded)
        )
    node_code = HQ_CODE if role == "hq" else code
    try:
        public = init_node(
            Node.of(
                {
                    "NODE_ROLE": role,
                    "NODE_CODE": node_code,
                    "NODE_KEY_FILE": current_app.config["NODE_KEY_FILE"],
                },
                instance,
            ).key_path
        )
    except DomainError as error:
        raise fail(error) from error
    recorded.write_text(json.dumps({"role": role, "code": node_code}) + "\n")
    click.echo(
        _(
            "This node is %(role)s %(node_code)s; key fingerprint %(fingerprint)s.",
            role=role,
            node_code=node_code,
            fingerprint=public.fingerprint(),
        )
    )
    click.echo(_("Enrol this public key at the other end (midas node enroll):"))
    click.echo(public.pem().decode().rstrip())


@node.command("show")
@with_appcontext
def show_command() -> None:
    """Print this node's role, code and public key, and the nodes enrolled here."""
    here = _node()
    click.echo(_("role: %(role)s; code: %(code)s", role=here.role, code=here.code or "-"))
    if here.key_path.is_file():
        public = here.key().public
        click.echo(_("key fingerprint: %(fingerprint)s", fingerprint=public.fingerprint()))
        click.echo(public.pem().decode().rstrip())
    require_schema()
    with database().sessions() as session:
        for peer in session.query(SyncPeer).order_by(SyncPeer.code):
            enrolled = f"{peer.enrolled_at:%Y-%m-%d}"
            if peer.revoked_at:
                said = _(
                    "%(role)s %(code)s: revoked %(revoked)s %(enrolled)s",
                    role=peer.role,
                    code=peer.code,
                    revoked=format(peer.revoked_at, "%Y-%m-%d"),
                    enrolled=enrolled,
                )
            else:
                said = _(
                    "%(role)s %(code)s: enrolled %(enrolled)s",
                    role=peer.role,
                    code=peer.code,
                    enrolled=enrolled,
                )
            click.echo(said)


@node.command("enroll")
@click.option("--code", required=True, help="The other node's code (a post's code, or hq).")
@click.option("--role", type=click.Choice(["post", "hq"]), required=True)
@click.option(
    "--public-key", "key_file", required=True, type=click.Path(exists=True, path_type=Path)
)
@with_appcontext
def enroll_command(code: str, role: str, key_file: Path) -> None:
    """Trust another node's public key (a post at headquarters, headquarters at a post)."""
    require_schema()
    try:
        with database().sessions.begin() as session:
            enroll_peer(session, cli_actor(), code, role, key_file.read_bytes())
    except DomainError as error:
        raise fail(error) from error
    click.echo(_("%(role)s %(code)s enrolled.", role=role, code=code))


@node.command("revoke")
@click.option("--code", required=True)
@with_appcontext
def revoke_command(code: str) -> None:
    """Revoke a node: its bundles are refused from now on."""
    require_schema()
    try:
        with database().sessions.begin() as session:
            revoke_peer(session, cli_actor(), code)
    except DomainError as error:
        raise fail(error) from error
    click.echo(_("%(code)s revoked.", code=code))


@click.group(invoke_without_command=True)
@click.option(
    "--every",
    type=click.IntRange(min=1),
    default=None,
    help="Keep syncing, every so many minutes, until stopped (a post's own sync service).",
)
@click.option("--runs", type=click.IntRange(min=0), default=0, hidden=True)
@click.pass_context
@with_appcontext
def sync(context: click.Context, every: int | None, runs: int) -> None:
    """Send this post's records to headquarters and take headquarters' answers.

    Without a command, sync once over the link (HQ_URL): push every bundle headquarters has not
    acknowledged, then pull what headquarters has for this post. With --every, go on syncing:
    a run the link cuts short is said and retried at the next.
    """
    if context.invoked_subcommand is not None:
        return
    require_schema()
    here = _node()
    if here.role != "post" or not current_app.config["HQ_URL"]:
        raise click.UsageError("only a post with HQ_URL set syncs over the link")
    if every is None:
        try:
            _say(sync_once(database().sessions, here, _transport(here)))
        except DomainError as error:
            raise fail(error) from error
        return
    done = 0
    while not runs or done < runs:
        try:
            _say(sync_once(database().sessions, here, _transport(here)))
        except DomainError as error:
            click.echo(f"{utcnow():%Y-%m-%d %H:%M} UTC: {say(error)}", err=True)
        except SQLAlchemyError as error:
            # A locked or unreachable database this time: the post syncs again at the next run.
            # Only the error's kind is said: its text may quote a traveller's data.
            why = _("the database failed (%(kind)s)", kind=type(error).__name__)
            click.echo(f"{utcnow():%Y-%m-%d %H:%M} UTC: {why}", err=True)
        done += 1
        if not runs or done < runs:
            time.sleep(every * 60)


def _transport(here: Node) -> HttpTransport:
    """Return the link to headquarters as the settings give it now."""
    config = current_app.config
    timeout = float(config["SYNC_TIMEOUT_SECONDS"])
    return HttpTransport(str(config["HQ_URL"]), here.code, here.key(), timeout)


def _say(run: SyncRun) -> None:
    click.echo(
        _(
            "pushed %(pushed)s bundle(s), %(acknowledged)s acknowledged; pulled %(pulled)s "
            "bundle(s), %(records)s record(s)",
            pushed=run.pushed,
            acknowledged=run.acknowledged,
            pulled=run.pulled,
            records=run.records,
        )
    )


@sync.command("export")
@click.option(
    "--to",
    "receiver",
    default=None,
    help="The node to write for: hq at a post (the default), a post's code at headquarters "
    "(default: every enrolled post).",
)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_command(receiver: str | None, folder: Path) -> None:
    """Write every bundle the receiver has not acknowledged into FOLDER (a USB stick)."""
    require_schema()
    here = _node()
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    try:
        with database().sessions.begin() as session:
            receivers = [receiver] if receiver else _receivers(session, here)
            made = {to: next_bundles(session, here, to) for to in receivers}
    except DomainError as error:
        raise fail(error) from error
    for to, bundles in made.items():
        for data in bundles:
            header = read_header(data)
            name = f"{header['sender']}-to-{to}-{header['sequence']:06d}.bundle"
            (folder / name).write_bytes(data)
            written += 1
    click.echo(_("%(count)s bundle(s) written to %(folder)s", count=written, folder=folder))


def _receivers(session: Session, here: Node) -> list[str]:
    """Return whom this node writes for by default: headquarters, or every enrolled post."""
    if here.role != "hq":
        return [HQ_CODE]
    return list(
        session.scalars(
            select(SyncPeer.code)
            .where(SyncPeer.role == "post", SyncPeer.revoked_at.is_(None))
            .order_by(SyncPeer.code)
        )
    )


@sync.command("import")
@click.option(
    "--acks",
    "acks_folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the acknowledgements to carry back (default: beside each bundle).",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@with_appcontext
def import_command(acks_folder: Path | None, paths: tuple[Path, ...]) -> None:
    """Take bundles (and acknowledgements) from files or folders, oldest first."""
    require_schema()
    here = _node()
    files = sorted(
        p for path in paths for p in ([path] if path.is_file() else sorted(path.iterdir()))
    )
    sessions = database().sessions
    problems = 0
    for path in files:
        data = path.read_bytes()
        try:
            with sessions.begin() as session:
                if is_ack(data):
                    marked = take_ack(session, here, data)
                    click.echo(
                        _(
                            "%(name)s: %(marked)s bundle(s) acknowledged",
                            name=path.name,
                            marked=marked,
                        )
                    )
                    continue
                taken = take_bundle(session, here, data)
        except DomainError as error:
            problems += 1
            click.echo(f"{path.name}: {say(error)}", err=True)
            continue
        target = acks_folder or path.parent
        target.mkdir(parents=True, exist_ok=True)
        ack_path = target / f"ack-{taken.sender}-{taken.sequence:06d}.ack"
        ack_path.write_bytes(taken.ack)
        said = (
            _("taken already")
            if taken.replayed
            else _("%(count)s new record(s)", count=taken.stored)
        )
        click.echo(
            _(
                "%(name)s: bundle %(sequence)s from %(sender)s: %(said)s",
                name=path.name,
                sequence=taken.sequence,
                sender=taken.sender,
                said=said,
            )
        )
    if problems:
        raise click.exceptions.Exit(1)


@sync.command("status")
@with_appcontext
def status_command() -> None:
    """Print what waits to be sent to each node and what was last taken from it (JSON); at
    headquarters each post's last contact, lists sent and whether it falls behind, at a post
    how current its lists are and since when it is offline."""
    require_schema()
    here = _node()
    config = current_app.config
    now = utcnow()
    with database().sessions() as session:
        peers = [p.code for p in session.query(SyncPeer).order_by(SyncPeer.code)]
        statuses = sync_status(session, peers)
        standings = {}
        if here.role == "hq":
            behind = timedelta(hours=int(config["SYNC_BEHIND_HOURS"]))
            standings = {s.code: s for s in posts_standing(session, cli_actor(), now, behind)}
        link = None
        if here.role == "post":
            offline = timedelta(minutes=int(config["SYNC_OFFLINE_AFTER_MINUTES"]))
            link = post_link(session, now, offline)
    shown = []
    for s in statuses:
        item: dict[str, object] = {
            "peer": s.peer,
            "waiting_bundles": s.waiting_bundles,
            "waiting_records": s.waiting_records,
            "received_sequence": s.received_sequence,
            "last_received": _moment(s.last_received),
        }
        standing = standings.get(s.peer)
        if standing is not None:
            item.update(
                last_contact=_moment(standing.last_contact),
                lists_sent=standing.lists_sent,
                falling_behind=standing.behind,
                not_heard_from=standing.silent,
                untaken_since=_moment(standing.waiting_since) if standing.untaken else None,
            )
        if link is not None and s.peer == HQ_CODE:
            item.update(
                last_contact=_moment(link.last_contact),
                lists_as_of=_moment(link.lists_as_of),
                offline_since=_moment(link.offline_since),
            )
        shown.append(item)
    click.echo(json.dumps(shown, indent=2))


def _moment(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
