"""A carrier's PAXLST message as received: from a gateway posting to the API or a file in the
watched folder, read whole, checked, then every flight in it stored and screened at once.

Nothing of a message is stored unless all of it is: a message that cannot be read, names a
flight for no post, or (from a gateway) a carrier the gateway is not registered for, is refused
before anything is written. What comes back tells the sender what was taken and the problems
of its records, never a screening result: a carrier must not learn who is on a watchlist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.admin.carrier_gateways import carrier_codes
from midas.domain.audit import record_audit
from midas.domain.errors import InvalidInput, PermissionDenied
from midas.domain.flights import StoredFlight, arrival_post, store_manifest
from midas.domain.manifests import read_manifest_file
from midas.domain.screening_indexes import ScreeningIndexes
from midas.domain.texts import N_
from midas.persistence.models import CarrierGateway, Role
from paxlst.models import Manifest, RecordProblem
from watchlists.config import ScreeningConfig


@dataclass(frozen=True, slots=True)
class ReceivedFlight:
    """A flight of a received message as stored, and the problems the carrier's data had."""

    stored: StoredFlight
    problems: tuple[RecordProblem, ...]

    def receipt(self) -> dict[str, Any]:
        """Return what the sender is told: the flight, counts and problems, no hits."""
        return {
            "flight": self.stored.designator,
            "post": self.stored.post,
            "arrival_local": self.stored.arrival_local.isoformat(),
            "travellers": self.stored.travellers,
            "duplicate": self.stored.duplicate,
            "problems": [
                {"segment": p.segment_number, "field": p.field, "reason": p.reason}
                for p in self.problems
            ],
        }


def gateway_carriers(session: Session, actor: Actor) -> frozenset[str]:
    """Return the carriers an active gateway may send for; refuse any other actor."""
    if actor.role is not Role.CARRIER or actor.kind != "carrier":
        raise PermissionDenied(N_("only a carrier's gateway submits messages here"))
    gateway = session.get(CarrierGateway, actor.id)
    if gateway is None or not gateway.active:
        raise PermissionDenied(N_("this gateway is deactivated"))
    return carrier_codes(gateway.carriers)


def receive_message(
    session: Session,
    actor: Actor | str,
    data: bytes,
    indexes: ScreeningIndexes,
    config: ScreeningConfig,
    *,
    source: str,
    today: date,
    carriers: frozenset[str] | None = None,
    post_code: str | None = None,
) -> list[ReceivedFlight]:
    """Store and screen every flight of one PAXLST interchange, or none (ManifestRefused,
    InvalidInput, PermissionDenied); `carriers`: those the sender may send for (None: any);
    `post_code`: the arrival post, when not the arrival airport's."""
    manifests = read_manifest_file(data, source, today)
    if not manifests:
        raise InvalidInput(
            N_("%(source)s: the interchange holds no PAXLST message"),
            params={"source": source},
            field="paxlst",
        )
    for manifest in manifests:
        _check_sendable(session, manifest, source, carriers, post_code)
    received = []
    for manifest in manifests:
        stored = store_manifest(
            session, actor, manifest, indexes, config,
            source=source, data=data, post_code=post_code,
        )  # fmt: skip
        received.append(ReceivedFlight(stored, tuple(manifest.problems)))
    record_audit(
        session, actor, "paxlst.receive",
        detail={
            "source": source[:200],
            "flights": [item.stored.id for item in received],
            "duplicates": sum(item.stored.duplicate for item in received),
            "bytes": len(data),
        },
    )  # fmt: skip
    return received


def _check_sendable(
    session: Session,
    manifest: Manifest,
    source: str,
    carriers: frozenset[str] | None,
    post_code: str | None,
) -> None:
    flight = manifest.flight
    if carriers is not None and (flight.carrier or "").upper() not in carriers:
        raise PermissionDenied(
            N_(
                "%(source)s: this gateway may not send manifests for flight %(flight)s "
                "(carrier %(carrier)s)"
            ),
            params={
                "source": source,
                "flight": flight.designator,
                "carrier": flight.carrier or "—",
            },
            field="paxlst",
        )
    if flight.arrival_time is None:
        raise InvalidInput(
            N_("%(source)s: flight %(flight)s has no arrival time (DTM+232)"),
            params={"source": source, "flight": flight.designator},
            field="paxlst",
        )
    arrival_post(session, flight.arrival_airport, post_code)
