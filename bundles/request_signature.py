"""Signed requests: how a node proves, without a password, that it sent an HTTP request.

The sender signs, with its Ed25519 key, the method, the path and query, its code, the time and
the SHA-256 of the body; the receiver checks the signature against the key it enrolled for that
code before it reads the body, then checks the body against the digest. A request outside
MAX_SKEW of the receiver's clock is refused, so a captured request cannot be replayed later;
one replayed within it repeats an operation that changes nothing twice (bundles and
acknowledgements are idempotent).

    X-Midas-Node: NBO
    X-Midas-Date: 2026-12-08T06:40:00+00:00
    X-Midas-Body-SHA256: <hex>
    X-Midas-Signature: <base64 Ed25519 over the lines below>

    midas-request/1 \\n POST \\n /api/v1/sync/bundles \\n NBO \\n <date> \\n <body sha256>
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from bundles.errors import BundleError
from bundles.keys import NodeKey, PublicKey, signature_bytes

FORMAT = "midas-request/1"
NODE = "X-Midas-Node"
DATE = "X-Midas-Date"
BODY = "X-Midas-Body-SHA256"
SIGNATURE = "X-Midas-Signature"
MAX_SKEW = timedelta(minutes=5)


class UnsignedRequest(BundleError):
    """A request whose signature headers are missing, stale or not the sender's."""


def _lowered(headers: Mapping[str, str]) -> dict[str, str]:
    """Return headers by lower-case name: HTTP names are case-insensitive."""
    return {name.lower(): value for name, value in headers.items()}


def _signed_text(method: str, target: str, node: str, date: str, body_sha256: str) -> bytes:
    return "\n".join((FORMAT, method.upper(), target, node, date, body_sha256)).encode()


def sign_request(
    key: NodeKey, node: str, method: str, target: str, body: bytes, now: datetime
) -> dict[str, str]:
    """Return the headers that sign a request to `target` (its path and query)."""
    date = now.isoformat()
    digest = hashlib.sha256(body).hexdigest()
    signature = key.sign(_signed_text(method, target, node, date, digest))
    return {NODE: node, DATE: date, BODY: digest, SIGNATURE: signature}


def check_request(
    headers: Mapping[str, str],
    method: str,
    target: str,
    key_of: Callable[[str], PublicKey],
    now: datetime,
) -> str:
    """Return the node that signed these headers; raise UnsignedRequest saying what is wrong.

    `key_of` returns the enrolled key of a node's code (raising for a stranger or a revoked
    node). The body is checked apart, once read (`check_body`).
    """
    given = _lowered(headers)
    missing = [name for name in (NODE, DATE, BODY, SIGNATURE) if not given.get(name.lower())]
    if missing:
        raise UnsignedRequest(f"the request lacks {', '.join(missing)}")
    node, date, digest = given[NODE.lower()], given[DATE.lower()], given[BODY.lower()]
    try:
        sent = datetime.fromisoformat(date)
    except ValueError:
        raise UnsignedRequest(f"{DATE} {date!r} is not ISO 8601") from None
    if sent.tzinfo is None:
        raise UnsignedRequest(f"{DATE} {date!r} has no UTC offset")
    if abs(now - sent) > MAX_SKEW:
        raise UnsignedRequest(
            f"the request was signed at {date}, more than {MAX_SKEW} from this server's clock"
        )
    signature = signature_bytes(given[SIGNATURE.lower()], 1)
    if not key_of(node).verify(signature, _signed_text(method, target, node, date, digest)):
        raise UnsignedRequest(f"the request is not signed by {node}'s key")
    return node


def check_body(headers: Mapping[str, str], body: bytes) -> None:
    """Refuse a body other than the one the request signed."""
    if hashlib.sha256(body).hexdigest() != _lowered(headers).get(BODY.lower()):
        raise UnsignedRequest("the body is not the one signed")
