"""Online sync: a post pushes its bundles to headquarters, then pulls headquarters' bundles, over
a transport (HTTP in service, in-process or faulty in tests), with the same functions as the
bundles carried on a USB stick (`next_bundles`, `take_bundle`, `take_ack`).

Headquarters' side (`serve_push`, `serve_pull`, `serve_ack`) is what its endpoints call once the
request is known to come from an enrolled, unrevoked post; the post's side is `sync_once`. Each
step is its own transaction, so a link that drops midway loses nothing: what was not
acknowledged is sent again next time, and a bundle taken twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bundles.codec import read_header
from bundles.errors import BundleError
from midas.domain.errors import Conflict, DomainError, InvalidInput
from midas.domain.nodes import HQ_CODE, Node
from midas.domain.sync_exchange import held_ack, next_bundles, take_ack, take_bundle
from midas.domain.sync_standing import note_contact
from midas.domain.texts import N_
from midas.persistence.base import utcnow
from midas.persistence.models import IncomingLedger, OutgoingBundle

# Bundles pulled in one run at most: a run's work is bounded by count, and the next run goes on.
MAX_PULLS = 100


class LinkDown(DomainError):
    """The transport could not reach headquarters, or lost the answer: try again later."""

    code = "unavailable"


class Transport(Protocol):
    """How a post reaches headquarters; each call may raise LinkDown."""

    def push(self, bundle: bytes) -> bytes:
        """Send one of the post's bundles; return headquarters' acknowledgement."""
        ...

    def pull(self, after: int) -> bytes | None:
        """Return headquarters' first bundle for this post after `after`, or None."""
        ...

    def acknowledge(self, ack: bytes) -> None:
        """Give headquarters the post's acknowledgement of its bundles."""
        ...


# -- at headquarters ----------------------------------------------------------------------------


def _from(sender: str, data: bytes) -> None:
    try:
        claimed = str(read_header(data)["sender"])
    except BundleError as error:
        raise InvalidInput(
            N_("the bundle is refused: %(error)s"), params={"error": error}, field="bundle"
        ) from None
    if claimed != sender:
        raise InvalidInput(
            N_("post %(sender)s sent a bundle of %(claimed)s"),
            params={"sender": sender, "claimed": claimed},
            field="bundle",
        )


def serve_push(sessions: sessionmaker[Session], node: Node, sender: str, data: bytes) -> bytes:
    """Take a post's bundle; return the acknowledgement to answer with."""
    _from(sender, data)
    with sessions.begin() as session:
        return take_bundle(session, node, data).ack


def serve_pull(
    sessions: sessionmaker[Session], node: Node, receiver: str, after: int
) -> bytes | None:
    """Return headquarters' first unacknowledged bundle for a post after `after`, or None."""
    with sessions.begin() as session:
        note_contact(session, receiver)
        # What is bundled already first: a post pulls one bundle at a time, and bundling anew
        # (every list and reference snapshot compared) is for when it has taken them all.
        held = _held_after(session, receiver, after)
        if held is None:
            next_bundles(session, node, receiver)
            held = _held_after(session, receiver, after)
        return held


def _held_after(session: Session, receiver: str, after: int) -> bytes | None:
    """Return the first bundle kept for a receiver, unacknowledged, after sequence `after`."""
    return session.scalar(
        select(OutgoingBundle.data)
        .where(
            OutgoingBundle.receiver == receiver,
            OutgoingBundle.acknowledged_at.is_(None),
            OutgoingBundle.sequence > after,
        )
        .order_by(OutgoingBundle.sequence)
        .limit(1)
    )


def serve_ack(sessions: sessionmaker[Session], node: Node, sender: str, data: bytes) -> int:
    """Take a post's acknowledgement of headquarters' bundles; return how many it marked."""
    with sessions.begin() as session:
        return take_ack(session, node, data, sender)


# -- at a post ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SyncRun:
    """What one run did: bundles pushed and acknowledged, bundles pulled and taken."""

    pushed: int
    acknowledged: int
    pulled: int
    records: int


def _received(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return (
            session.scalar(select(IncomingLedger.sequence).where(IncomingLedger.sender == HQ_CODE))
            or 0
        )


def sync_once(sessions: sessionmaker[Session], node: Node, transport: Transport) -> SyncRun:
    """Push every bundle headquarters has not acknowledged, then pull its bundles for this post
    (at most MAX_PULLS); raise LinkDown when the link fails, keeping what was done."""
    if node.role != "post":
        raise Conflict(N_("only a post syncs with headquarters"), field="role")
    with sessions.begin() as session:
        waiting = next_bundles(session, node)
    acknowledged = 0
    for data in waiting:
        ack = transport.push(data)
        with sessions.begin() as session:
            acknowledged += take_ack(session, node, ack)
    pulled = records = 0
    with sessions() as session:
        held = held_ack(session, node, HQ_CODE)
    if held is not None:
        transport.acknowledge(held)  # again: the last run's may have been lost on the way
    after = _received(sessions)
    while pulled < MAX_PULLS:
        pulled_data = transport.pull(after)
        if pulled_data is None:
            break
        with sessions.begin() as session:
            taken = take_bundle(session, node, pulled_data)
        transport.acknowledge(taken.ack)
        pulled += 1
        records += taken.stored
        after = _received(sessions)
    if pulled < MAX_PULLS:
        with sessions.begin() as session:
            # Headquarters had nothing newer: what this post holds is current as of now.
            note_contact(session, HQ_CODE, as_of=utcnow())
    return SyncRun(len(waiting), acknowledged, pulled, records)


class DirectTransport:
    """A transport that calls headquarters' side in this process: the fake link's far end."""

    def __init__(self, sessions: sessionmaker[Session], node: Node, post: str) -> None:
        self.sessions, self.node, self.post = sessions, node, post

    def push(self, bundle: bytes) -> bytes:
        """Take the bundle at headquarters."""
        return serve_push(self.sessions, self.node, self.post, bundle)

    def pull(self, after: int) -> bytes | None:
        """Return headquarters' next bundle for the post."""
        return serve_pull(self.sessions, self.node, self.post, after)

    def acknowledge(self, ack: bytes) -> None:
        """Take the post's acknowledgement at headquarters."""
        serve_ack(self.sessions, self.node, self.post, ack)
