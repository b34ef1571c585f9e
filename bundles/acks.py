"""Acknowledgements: a receiver's signed word of how far it holds a sender's chain.

An acknowledgement is not itself chained: it states a fact that only grows ("I hold your
bundles up to 7, whose digest is ..."), so a lost one is made good by the next, and one taken
twice changes nothing.

    {"format": "midas-ack/1", "sender": "hq", "receiver": "NBO", "sequence": 7,
     "digest": "<sha256 of bundle 7>", "created_at": ...}
    {"signature": "<Ed25519 over the first line, base64>"}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bundles.codec import MAX_LINE_BYTES, canonical
from bundles.errors import MalformedBundle, TamperedBundle
from bundles.keys import NodeKey, PublicKey, signature_bytes

FORMAT = "midas-ack/1"


@dataclass(frozen=True, slots=True)
class Ack:
    """A verified acknowledgement: `sender` holds `receiver`'s chain up to `sequence`."""

    sender: str
    receiver: str
    sequence: int
    digest: str
    created_at: datetime


def write_ack(
    key: NodeKey, *, sender: str, receiver: str, sequence: int, digest: str, created_at: datetime
) -> bytes:
    """Return a signed acknowledgement."""
    line = canonical(
        {
            "format": FORMAT,
            "sender": sender,
            "receiver": receiver,
            "sequence": sequence,
            "digest": digest,
            "created_at": created_at.isoformat(),
        }
    )
    return line + b"\n" + canonical({"signature": key.sign(line)}) + b"\n"


def is_ack(data: bytes) -> bool:
    """Tell whether these bytes say they are an acknowledgement (not yet verified)."""
    first = data.split(b"\n", 1)[0]
    if len(first) > MAX_LINE_BYTES:
        return False
    try:
        value = json.loads(first)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(value, dict) and value.get("format") == FORMAT


def ack_sender(data: bytes) -> str:
    """Return who an acknowledgement says it is from, unverified, to choose the key."""
    return str(_fields(data)[0].get("sender", ""))


def _fields(data: bytes) -> tuple[dict[str, object], bytes, bytes]:
    if len(data) > 2 * MAX_LINE_BYTES:
        raise MalformedBundle(1, "too large for an acknowledgement")
    lines = data.rstrip(b"\n").split(b"\n")
    if len(lines) != 2:
        raise MalformedBundle(1, "an acknowledgement is two lines")
    try:
        body, signature = json.loads(lines[0]), json.loads(lines[1])
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedBundle(1, f"not JSON: {error}") from None
    if not isinstance(body, dict) or not isinstance(signature, dict):
        raise MalformedBundle(1, "not JSON objects")
    if body.get("format") != FORMAT:
        raise MalformedBundle(1, f"format {body.get('format')!r} is not {FORMAT}")
    return body, lines[0], signature_bytes(signature.get("signature"), 2)


def read_ack(data: bytes, sender_key: PublicKey) -> Ack:
    """Read and verify an acknowledgement signed by `sender_key`."""
    body, line, signature = _fields(data)
    if not sender_key.verify(signature, line):
        raise TamperedBundle("signature", f"not signed by {body.get('sender')}'s key")
    sequence, digest = body.get("sequence"), body.get("digest")
    sender, receiver, created = body.get("sender"), body.get("receiver"), body.get("created_at")
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 0:
        raise MalformedBundle(1, "sequence is not a count")
    if not all(isinstance(v, str) for v in (digest, sender, receiver, created)):
        raise MalformedBundle(1, "sender, receiver, digest and created_at are strings")
    try:
        moment = datetime.fromisoformat(str(created))
    except ValueError:
        raise MalformedBundle(1, "created_at is not ISO 8601") from None
    return Ack(str(sender), str(receiver), sequence, str(digest), moment)
