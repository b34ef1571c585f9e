"""Store and forward: bundles made from what a node recorded, and bundles taken in, in order.

A post makes its next bundle from the crossings, hit reviews and audit events (`sync_events`)
recorded since the last one it made, keeps it byte for byte until headquarters acknowledges
it, and sends every unacknowledged bundle each time (online, or as files on a USB stick).
Headquarters checks each against the post's key and chain, stores its records, and answers
with a signed acknowledgement of how far it holds the post's chain (`bundles.acks`). The online
and offline paths call the same functions: `next_bundles`, `take_bundle` and `take_ack`.

Headquarters sends each post, the same way, what it decides for posts: list versions, stay
rules, users, the post's stations and the trust store (`sync_lists`, `sync_reference`), only
what changed since the last bundle it made for that post. A post takes a bundle whole or not
at all: one transaction per bundle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bundles.acks import ack_sender, read_ack, write_ack
from bundles.chain import accept
from bundles.codec import MAX_RECORDS, read_bundle, read_header, write_bundle
from bundles.errors import BundleError, ReplayedBundle
from bundles.keys import NodeKey
from bundles.model import Ledger, Record
from midas.domain.audit import record_audit
from midas.domain.errors import Conflict, InvalidInput
from midas.domain.nodes import HQ_CODE, Node, peer_key
from midas.domain.sync_events import (
    AUDIT,
    HIT_REVIEW,
    audit_records,
    mark_audit,
    mark_reviews,
    review_records,
    store_audit_events,
    store_review,
    unbundled_audit,
    unbundled_reviews,
)
from midas.domain.sync_lists import KINDS as LIST_KINDS
from midas.domain.sync_lists import apply_list_records, list_updates
from midas.domain.sync_published import Update, keep_mark, published_marks
from midas.domain.sync_records import CROSSING, Lookups, crossing_records, unbundled_crossings
from midas.domain.sync_records import store_crossing_record as store_crossing
from midas.domain.sync_reference import KINDS as REFERENCE_KINDS
from midas.domain.sync_reference import apply_reference_records, reference_updates
from midas.domain.sync_standing import note_contact
from midas.domain.texts import N_
from midas.persistence.base import utcnow
from midas.persistence.database import begin_writing
from midas.persistence.models import Crossing, IncomingLedger, OutgoingBundle, SyncPeer

# Crossings per bundle: a day at a busy post in one, a month's outage in thirty.
BUNDLE_CROSSINGS = 5_000


@dataclass(frozen=True, slots=True)
class Taken:
    """What taking in one bundle did: whose, which, how many records were new, and the
    acknowledgement to send back."""

    sender: str
    sequence: int
    stored: int
    replayed: bool
    ack: bytes


def _last_outgoing(session: Session, receiver: str) -> OutgoingBundle | None:
    return session.scalar(
        select(OutgoingBundle)
        .where(OutgoingBundle.receiver == receiver)
        .order_by(OutgoingBundle.sequence.desc())
        .limit(1)
    )


def _make(
    session: Session, node: Node, key: NodeKey, receiver: str, records: list[Record]
) -> OutgoingBundle:
    last = _last_outgoing(session, receiver)
    data = write_bundle(
        key,
        sender=node.code,
        receiver=receiver,
        sequence=(last.sequence if last else 0) + 1,
        previous=last.digest if last else "",
        created_at=utcnow(),
        records=records,
    )
    made = read_bundle(data, key.public)
    bundle = OutgoingBundle(
        receiver=receiver,
        sequence=made.sequence,
        digest=made.digest,
        records=len(records),
        data=data,
    )
    session.add(bundle)
    session.flush()
    return bundle


def next_bundles(session: Session, node: Node, receiver: str = HQ_CODE) -> list[bytes]:
    """Bundle what is new for the receiver since the last bundle, then return every bundle it
    has not acknowledged, oldest first (the caller's transaction keeps the new ones).

    A post bundles the crossings it recorded; headquarters bundles, for one post, what it
    decides for posts and changed since.
    """
    if node.role not in ("hq", "post"):
        raise Conflict(N_("only a post sends its crossings on"), field="role")
    # One bundler per receiver at a time (an export and an online sync at once): the second
    # waits, then finds the first's bundles made.
    begin_writing(session)
    session.scalar(select(SyncPeer.id).where(SyncPeer.code == receiver).with_for_update())
    if node.role == "hq":
        return _headquarters_bundles(session, node, receiver)
    key = node.key()
    while True:
        last = _last_outgoing(session, receiver)
        sequence = (last.sequence if last else 0) + 1
        crossings = unbundled_crossings(session, BUNDLE_CROSSINGS)
        # Crossings first, marked with the bundle they go in, so the reviews chosen next may
        # be of crossings in this bundle: a review travels only with or after its crossing.
        session.execute(
            update(Crossing)
            .where(Crossing.id.in_([c.id for c in crossings]))
            .values(sync_bundle=sequence)
        )
        hits = unbundled_reviews(session, BUNDLE_CROSSINGS - len(crossings))
        events = unbundled_audit(session, BUNDLE_CROSSINGS - len(crossings) - len(hits))
        records = [
            *crossing_records(session, crossings),
            *review_records(hits, node.code),
            *audit_records(session, events, node.code),
        ]
        if not records:
            break
        made = _make(session, node, key, receiver, records)
        assert made.sequence == sequence  # the same transaction chose both
        mark_reviews(session, hits, sequence)
        mark_audit(session, events, sequence)
        if len(records) < BUNDLE_CROSSINGS:
            break
    return _unacknowledged(session, receiver)


def _unacknowledged(session: Session, receiver: str) -> list[bytes]:
    return list(
        session.scalars(
            select(OutgoingBundle.data)
            .where(OutgoingBundle.receiver == receiver, OutgoingBundle.acknowledged_at.is_(None))
            .order_by(OutgoingBundle.sequence)
        )
    )


def _headquarters_bundles(session: Session, node: Node, receiver: str) -> list[bytes]:
    """Bundle for one post what changed since its last bundle; each subject whole in one."""
    if receiver == HQ_CODE:
        raise InvalidInput(N_("name the post to send to"), field="receiver")
    try:
        peer_key(session, receiver, "post")
    except InvalidInput as error:
        raise Conflict(error.message, field="receiver") from None
    key = node.key()
    sent = published_marks(session, receiver)
    updates = [*list_updates(session, sent), *reference_updates(session, receiver, sent)]
    batch: list[Update] = []
    for subject in updates:
        if len(subject.records) > MAX_RECORDS:
            raise Conflict(
                N_("%(subject)s needs %(count)s records, more than a bundle holds"),
                params={"subject": subject.subject, "count": len(subject.records)},
                field="receiver",
            )
        if sum(len(u.records) for u in batch) + len(subject.records) > MAX_RECORDS:
            _bundle_updates(session, node, key, receiver, batch)
            batch = []
        batch.append(subject)
    if batch:
        _bundle_updates(session, node, key, receiver, batch)
    return _unacknowledged(session, receiver)


def _bundle_updates(
    session: Session, node: Node, key: NodeKey, receiver: str, updates: list[Update]
) -> None:
    _make(session, node, key, receiver, [r for u in updates for r in u.records])
    for subject in updates:
        keep_mark(session, receiver, subject)


def take_bundle(session: Session, node: Node, data: bytes) -> Taken:
    """Check a bundle against its sender's key and chain, store its records, and return the
    acknowledgement to send back; a bundle taken already is acknowledged again, changing
    nothing. A gap or a fork is refused: the sender resends from what was acknowledged."""
    begin_writing(session)  # SQLite: take the write lock first, not midway through the bundle
    try:
        sender = str(read_header(data)["sender"])
        # Bundles carry crossings, which headquarters takes from posts only.
        expected = "post" if node.role == "hq" else "hq"
        bundle = read_bundle(data, peer_key(session, sender, expected))
    except BundleError as error:
        raise InvalidInput(
            N_("the bundle is refused: %(error)s"), params={"error": error}, field="bundle"
        ) from None
    ledger_row = session.scalar(
        select(IncomingLedger).where(IncomingLedger.sender == sender).with_for_update()
    )
    if ledger_row is None:
        ledger_row = IncomingLedger(sender=sender, sequence=0, digest="", records=0)
        session.add(ledger_row)
        session.flush()
    # At a post, what it holds of headquarters is as current as the bundle it takes.
    note_contact(session, sender, as_of=bundle.created_at if node.role == "post" else None)
    try:
        ledger = accept(Ledger(ledger_row.sequence, ledger_row.digest), bundle, node.code)
    except ReplayedBundle:
        return Taken(sender, bundle.sequence, 0, True, _acknowledge(node, ledger_row))
    except BundleError as error:
        raise InvalidInput(
            N_("the bundle is refused: %(error)s"), params={"error": error}, field="bundle"
        ) from None
    stored = _store(session, node, sender, bundle.records)
    ledger_row.sequence, ledger_row.digest = ledger.sequence, ledger.digest
    ledger_row.records += len(bundle.records)
    ledger_row.updated_at = utcnow()
    record_audit(
        session,
        f"node:{sender}",
        "sync.take",
        "bundle",
        bundle.sequence,
        detail={"sender": sender, "records": len(bundle.records), "stored": stored},
    )
    return Taken(sender, bundle.sequence, stored, False, _acknowledge(node, ledger_row))


def _store(session: Session, node: Node, sender: str, records: Sequence[Record]) -> int:
    """Store a bundle's records as this node's role takes them; return how many were new."""
    known = {CROSSING, HIT_REVIEW, AUDIT} if node.role == "hq" else LIST_KINDS | REFERENCE_KINDS
    for record in records:
        if record.kind not in known:
            raise InvalidInput(
                N_("a record of kind %(kind)s is not known here"),
                params={"kind": repr(record.kind)},
                field="kind",
            )
    if node.role == "hq":
        stored = 0
        lookups = Lookups()
        for record in records:
            if record.kind == CROSSING:
                stored += store_crossing(session, sender, record, lookups)
            elif record.kind == HIT_REVIEW:
                stored += store_review(session, sender, record)
        audit = [r for r in records if r.kind == AUDIT]
        return stored + store_audit_events(session, sender, audit)
    actor = f"node:{sender}"
    apply_list_records(session, actor, [r for r in records if r.kind in LIST_KINDS])
    apply_reference_records(
        session, actor, node.code, [r for r in records if r.kind in REFERENCE_KINDS]
    )
    return len(records)


def held_ack(session: Session, node: Node, sender: str) -> bytes | None:
    """Return this node's acknowledgement of how far it holds a sender's chain (None: it holds
    nothing of it): sent again, it makes good an acknowledgement the link lost."""
    ledger = session.scalar(select(IncomingLedger).where(IncomingLedger.sender == sender))
    return None if ledger is None or ledger.sequence == 0 else _acknowledge(node, ledger)


def _acknowledge(node: Node, ledger: IncomingLedger) -> bytes:
    """Sign how far this node holds the sender's chain."""
    return write_ack(
        node.key(),
        sender=node.code,
        receiver=ledger.sender,
        sequence=ledger.sequence,
        digest=ledger.digest,
        created_at=utcnow(),
    )


def take_ack(session: Session, node: Node, data: bytes, sender: str | None = None) -> int:
    """Mark this node's bundles up to the acknowledged one as delivered; return how many.

    The acknowledged bundle must be the one this node made (same digest): anything else means
    the receiver holds another chain, and nothing is marked. `sender`, when the request's
    sender is known, must be the acknowledgement's.
    """
    try:
        ack = read_ack(data, peer_key(session, ack_sender(data)))
    except BundleError as error:
        raise InvalidInput(
            N_("the acknowledgement is refused: %(error)s"), params={"error": error}, field="ack"
        ) from None
    if sender is not None and ack.sender != sender:
        raise InvalidInput(
            N_("%(sender)s sent an acknowledgement of %(other)s"),
            params={"sender": sender, "other": ack.sender},
            field="ack",
        )
    note_contact(session, ack.sender)
    if ack.receiver != node.code:
        raise InvalidInput(
            N_("the acknowledgement is for %(receiver)s"),
            params={"receiver": ack.receiver},
            field="ack",
        )
    if ack.sequence == 0:
        return 0
    made = session.scalar(
        select(OutgoingBundle.digest).where(
            OutgoingBundle.receiver == ack.sender, OutgoingBundle.sequence == ack.sequence
        )
    )
    if made != ack.digest:
        raise InvalidInput(
            N_("%(sender)s acknowledges a bundle %(sequence)s this node did not make"),
            params={"sender": ack.sender, "sequence": ack.sequence},
            field="ack",
        )
    marked = session.scalars(
        update(OutgoingBundle)
        .where(
            OutgoingBundle.receiver == ack.sender,
            OutgoingBundle.sequence <= ack.sequence,
            OutgoingBundle.acknowledged_at.is_(None),
        )
        .values(acknowledged_at=utcnow())
        .returning(OutgoingBundle.id)
    ).all()
    return len(marked)


@dataclass(frozen=True, slots=True)
class PeerStatus:
    """Where this node stands with another: bundles waiting either way, and last contact."""

    peer: str
    waiting_bundles: int
    waiting_records: int
    received_sequence: int
    last_received: datetime | None


def sync_status(session: Session, peers: list[str]) -> list[PeerStatus]:
    """Return what waits to be sent to each peer and what was last taken from it."""
    statuses = []
    for peer in peers:
        waiting = session.execute(
            select(func.count(), func.coalesce(func.sum(OutgoingBundle.records), 0)).where(
                OutgoingBundle.receiver == peer, OutgoingBundle.acknowledged_at.is_(None)
            )
        ).one()
        ledger = session.scalar(select(IncomingLedger).where(IncomingLedger.sender == peer))
        statuses.append(
            PeerStatus(
                peer=peer,
                waiting_bundles=int(waiting[0]),
                waiting_records=int(waiting[1]),
                received_sequence=ledger.sequence if ledger else 0,
                last_received=ledger.updated_at if ledger else None,
            )
        )
    return statuses
