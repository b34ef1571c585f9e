"""Carriers' gateways: registered, given a token (shown once), rotated and deactivated by
administrators; each may submit PAXLST messages for the carriers it is registered for."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.admin.checks import require_admin
from midas.domain.audit import record_audit
from midas.domain.credentials import token_sha256
from midas.domain.errors import Conflict, InvalidInput, NotFound
from midas.domain.texts import N_
from midas.persistence.database import begin_writing
from midas.persistence.models import CarrierGateway

# A gateway token is told from a station's ("mst_") by its prefix, so one lookup finds it.
GATEWAY_TOKEN_PREFIX = "mcg_"
TOKEN_HINT_LENGTH = 12
# IATA (2 characters, a digit allowed) or ICAO (3 letters) airline designators.
CARRIER_CODE = re.compile(r"[A-Z0-9]{2}|[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class IssuedGatewayToken:
    """A gateway and its new token, which is shown once and never stored."""

    gateway: CarrierGateway
    token: str


def carrier_codes(carriers: str) -> frozenset[str]:
    """Return the designators a gateway sends for, from their stored or typed form."""
    return frozenset(carriers.replace(",", " ").upper().split())


def _check_carriers(carriers: str) -> str:
    codes = carrier_codes(carriers)
    if not codes:
        raise InvalidInput(
            N_("name the airline codes the gateway sends for (KQ, BA...)"), field="carriers"
        )
    bad = sorted(code for code in codes if not CARRIER_CODE.fullmatch(code))
    if bad:
        raise InvalidInput(
            N_("%(code)s is no airline code: two characters (IATA) or three letters (ICAO)"),
            params={"code": repr(bad[0])},
            field="carriers",
        )
    joined = " ".join(sorted(codes))
    if len(joined) > 200:
        raise InvalidInput(N_("too many airline codes for one gateway"), field="carriers")
    return joined


def _issue(gateway: CarrierGateway) -> str:
    token = GATEWAY_TOKEN_PREFIX + secrets.token_urlsafe(32)
    gateway.token_sha256 = token_sha256(token)
    gateway.token_hint = token[:TOKEN_HINT_LENGTH]
    return token


def _admin(actor: Actor | str) -> None:
    if isinstance(actor, Actor):
        require_admin(actor)


def create_gateway(
    session: Session, actor: Actor | str, *, name: str, carriers: str
) -> IssuedGatewayToken:
    """Register a carrier's gateway and issue its token (returned once, kept as SHA-256)."""
    begin_writing(session)
    _admin(actor)
    tidy = " ".join(name.split())
    if not tidy or len(tidy) > 120:
        raise InvalidInput(N_("a gateway needs a name of at most 120 characters"), field="name")
    if session.scalar(select(CarrierGateway.id).where(CarrierGateway.name == tidy)) is not None:
        raise Conflict(
            N_("there is a gateway named %(name)s already"),
            params={"name": repr(tidy)},
            field="name",
        )
    gateway = CarrierGateway(name=tidy, carriers=_check_carriers(carriers), active=True)
    token = _issue(gateway)
    session.add(gateway)
    session.flush()
    record_audit(
        session, actor, "gateway.create", "carrier_gateway", gateway.id,
        detail={"name": tidy, "carriers": gateway.carriers, "token_hint": gateway.token_hint},
    )  # fmt: skip
    return IssuedGatewayToken(gateway, token)


def find_gateway(session: Session, name: str) -> CarrierGateway:
    """Return the gateway of that name."""
    gateway = session.scalar(select(CarrierGateway).where(CarrierGateway.name == name))
    if gateway is None:
        raise NotFound(N_("no gateway named %(name)s"), params={"name": repr(name)}, field="name")
    return gateway


def rotate_gateway_token(session: Session, actor: Actor | str, name: str) -> IssuedGatewayToken:
    """Issue a new token for a gateway (reactivating it); the old one stops working at once."""
    begin_writing(session)
    _admin(actor)
    gateway = find_gateway(session, name)
    token = _issue(gateway)
    gateway.active = True
    record_audit(
        session, actor, "gateway.token_rotate", "carrier_gateway", gateway.id,
        detail={"token_hint": gateway.token_hint},
    )  # fmt: skip
    return IssuedGatewayToken(gateway, token)


def deactivate_gateway(session: Session, actor: Actor | str, name: str) -> CarrierGateway:
    """Stop a gateway's token from working; what it sent stays."""
    begin_writing(session)
    _admin(actor)
    gateway = find_gateway(session, name)
    gateway.active = False
    record_audit(session, actor, "gateway.deactivate", "carrier_gateway", gateway.id)
    return gateway


def list_gateways(session: Session) -> list[CarrierGateway]:
    """Return every gateway by name."""
    return list(session.scalars(select(CarrierGateway).order_by(CarrierGateway.name)))
