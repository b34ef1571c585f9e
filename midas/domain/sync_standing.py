"""Where the link stands: at a post, how current headquarters' lists are and since when the post
has been offline; at headquarters, each post's last contact, list versions, backlog, and a
warning when it falls behind.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.admin.checks import require_admin
from midas.domain.nodes import HQ_CODE
from midas.persistence.base import utcnow
from midas.persistence.models import (
    IncomingLedger,
    OutgoingBundle,
    PublishedState,
    SyncPeer,
    Watchlist,
    WatchlistVersion,
)


def note_contact(session: Session, code: str, *, as_of: datetime | None = None) -> None:
    """Note that this node heard from `code` now; at a post, that what it holds of
    headquarters is current as of `as_of`."""
    peer = session.scalar(select(SyncPeer).where(SyncPeer.code == code))
    if peer is None:
        return
    peer.last_contact_at = utcnow()
    if as_of is not None and (peer.current_as_of is None or as_of > peer.current_as_of):
        peer.current_as_of = as_of


@dataclass(frozen=True, slots=True)
class PostLink:
    """At a post: headquarters' lists held are as of `lists_as_of`; offline since when, if so."""

    lists_as_of: datetime | None
    last_contact: datetime | None
    offline_since: datetime | None


def link_here(session: Session, settings: Mapping[str, Any], now: datetime) -> PostLink | None:
    """Return how this server stands with headquarters if it is a post (None otherwise), offline
    after the settings' SYNC_OFFLINE_AFTER_MINUTES without contact."""
    if settings.get("NODE_ROLE") != "post":
        return None
    offline_after = timedelta(minutes=int(settings["SYNC_OFFLINE_AFTER_MINUTES"]))
    return post_link(session, now, offline_after)


def post_link(session: Session, now: datetime, offline_after: timedelta) -> PostLink | None:
    """Return how this post stands with headquarters (None: headquarters is not enrolled)."""
    peer = session.scalar(select(SyncPeer).where(SyncPeer.code == HQ_CODE))
    if peer is None:
        return None
    heard = peer.last_contact_at or peer.enrolled_at
    offline = heard if now - heard > offline_after else None
    return PostLink(peer.current_as_of, peer.last_contact_at, offline)


@dataclass(frozen=True, slots=True)
class PostStanding:
    """At headquarters, one post: last contact, what it was sent, what waits, and whether it
    falls behind."""

    code: str
    revoked: bool
    last_contact: datetime | None
    received_sequence: int
    last_received: datetime | None
    waiting_bundles: int
    waiting_records: int
    waiting_since: datetime | None
    lists_sent: dict[str, int]
    lists_current: dict[str, int]
    silent: bool  # not heard from for longer than allowed
    untaken: bool  # has left headquarters' bundles untaken for longer than allowed

    @property
    def behind(self) -> bool:
        """Tell whether the post falls behind."""
        return self.silent or self.untaken


def posts_standing(
    session: Session, actor: Actor | str, now: datetime, behind_after: timedelta
) -> list[PostStanding]:
    """Return every enrolled post's standing, by code (administrators, and the command line)."""
    if isinstance(actor, Actor):
        require_admin(actor)
    current = {
        name: number
        for name, number in session.execute(
            select(Watchlist.name, WatchlistVersion.number).join(
                WatchlistVersion, WatchlistVersion.id == Watchlist.active_version_id
            )
        )
    }
    standings = []
    for peer in session.scalars(
        select(SyncPeer).where(SyncPeer.role == "post").order_by(SyncPeer.code)
    ):
        waiting = session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(OutgoingBundle.records), 0),
                func.min(OutgoingBundle.created_at),
            ).where(OutgoingBundle.receiver == peer.code, OutgoingBundle.acknowledged_at.is_(None))
        ).one()
        ledger = session.scalar(select(IncomingLedger).where(IncomingLedger.sender == peer.code))
        sent = {
            subject.removeprefix("list:"): int(json.loads(mark)["version"])
            for subject, mark in session.execute(
                select(PublishedState.subject, PublishedState.mark).where(
                    PublishedState.receiver == peer.code, PublishedState.subject.like("list:%")
                )
            )
        }
        heard = peer.last_contact_at or peer.enrolled_at
        active = peer.revoked_at is None
        untaken_since = waiting[2]
        standings.append(
            PostStanding(
                code=peer.code,
                revoked=peer.revoked_at is not None,
                last_contact=peer.last_contact_at,
                received_sequence=ledger.sequence if ledger else 0,
                last_received=ledger.updated_at if ledger else None,
                waiting_bundles=int(waiting[0]),
                waiting_records=int(waiting[1]),
                waiting_since=waiting[2],
                lists_sent=sent,
                lists_current=current,
                silent=active and now - heard > behind_after,
                untaken=active and untaken_since is not None and now - untaken_since > behind_after,
            )
        )
    return standings
