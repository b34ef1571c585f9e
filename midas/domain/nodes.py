"""This node and the nodes it syncs with: its role, its code, its key, and enrolment.

A node is `standalone` (one server, as before), a `post` (records at its desks, sends its records
to headquarters) or `hq` (receives every post's records). Its key is made by `midas node init`
and kept in the instance folder; the other side enrols its public key (`midas node enroll`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bundles.keys import NodeKey, PublicKey
from midas.domain.audit import record_audit
from midas.domain.errors import Conflict, InvalidInput, NotFound
from midas.domain.texts import N_
from midas.persistence.base import utcnow
from midas.persistence.models import SyncPeer

ROLES = ("standalone", "post", "hq")
HQ_CODE = "hq"
KEY_FILE = "node.key"


@dataclass(frozen=True, slots=True)
class Node:
    """This node as configured: role, code (a post's code, or `hq`), and where its key is."""

    role: str
    code: str
    key_path: Path

    @classmethod
    def of(cls, config: Any, instance: Path) -> Node:
        """Return the node an app's settings describe."""
        role = str(config.get("NODE_ROLE") or "standalone")
        code = HQ_CODE if role == "hq" else str(config.get("NODE_CODE") or "")
        key_file = str(config.get("NODE_KEY_FILE") or "")
        return cls(role, code, Path(key_file) if key_file else instance / KEY_FILE)

    def key(self) -> NodeKey:
        """Return this node's key; raise Conflict when `midas node init` has not made it."""
        if self.role == "standalone":
            raise Conflict(
                N_("this server is standalone: set NODE_ROLE to post or hq"), field="role"
            )
        if not self.key_path.is_file():
            raise Conflict(
                N_("no node key at %(key_path)s: run `midas node init`"),
                params={"key_path": self.key_path},
                field="key",
            )
        return NodeKey.load(self.key_path)


def init_node(key_path: Path) -> PublicKey:
    """Make this node's key pair; refuse to replace an existing one (enrolments name it)."""
    if key_path.exists():
        raise Conflict(
            N_("%(key_path)s exists: this node has its key already"),
            params={"key_path": key_path},
            field="key",
        )
    key = NodeKey.generate()
    key.save(key_path)
    return key.public


def enroll_peer(
    session: Session, actor: str, code: str, role: str, public_key_pem: bytes
) -> SyncPeer:
    """Enrol another node's public key (a post at headquarters, headquarters at a post)."""
    code = code.strip()
    if not code or len(code) > 40:
        raise InvalidInput(N_("a node code of 1 to 40 characters"), field="code")
    if role not in ("post", "hq"):
        raise InvalidInput(N_("role must be post or hq"), field="role")
    try:
        key = PublicKey.from_pem(public_key_pem)
    except ValueError as error:
        raise InvalidInput(
            N_("not an Ed25519 public key in PEM: %(error)s"), params={"error": error}, field="key"
        ) from None
    if session.scalar(select(SyncPeer).where(SyncPeer.code == code)) is not None:
        raise Conflict(N_("node %(code)s is enrolled already"), params={"code": code}, field="code")
    peer = SyncPeer(code=code, role=role, public_key=key.pem().decode())
    session.add(peer)
    session.flush()
    record_audit(
        session,
        actor,
        "node.enroll",
        "sync_peer",
        peer.id,
        detail={"code": code, "role": role, "fingerprint": key.fingerprint()},
    )
    return peer


def revoke_peer(session: Session, actor: str, code: str) -> None:
    """Revoke a node: its bundles are refused from now on."""
    peer = session.scalar(select(SyncPeer).where(SyncPeer.code == code))
    if peer is None:
        raise NotFound(N_("no node %(code)s is enrolled"), params={"code": code}, field="code")
    peer.revoked_at = utcnow()
    record_audit(session, actor, "node.revoke", "sync_peer", peer.id, detail={"code": code})


def peer_key(session: Session, code: str, role: str | None = None) -> PublicKey:
    """Return an enrolled, unrevoked node's key; refuse a stranger, a revoked node, or a node
    of another role than `role` (headquarters takes crossings from posts only)."""
    peer = session.scalar(select(SyncPeer).where(SyncPeer.code == code))
    if peer is None:
        raise InvalidInput(
            N_("node %(code)s is not enrolled here"), params={"code": code}, field="sender"
        )
    if role is not None and peer.role != role:
        raise InvalidInput(
            N_("node %(code)s is enrolled as %(role)s, not %(role2)s"),
            params={"code": code, "role": peer.role, "role2": role},
            field="sender",
        )
    if peer.revoked_at is not None:
        raise InvalidInput(
            N_("node %(code)s was revoked on %(revoked_at)s"),
            params={"code": code, "revoked_at": format(peer.revoked_at, "%Y-%m-%d")},
            field="sender",
        )
    return PublicKey.from_pem(peer.public_key.encode())
