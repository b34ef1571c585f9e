"""The bundle format: JSON lines, signed, bounded.

    {"format": "midas-bundle/1", "sender": ..., "receiver": ..., "sequence": 7,
     "previous": "<sha256 of bundle 6>", "created_at": ..., "records": 2,
     "records_sha256": "<sha256 of the record lines>"}
    {"kind": "crossing", "id": "<uuid>", "at": "2026-12-08T06:40:00+00:00", "data": {...}}
    {"kind": "audit", "id": "<uuid>", "at": ..., "data": {...}}
    {"signature": "<Ed25519 over the header line, a newline and the record lines, base64>"}

Each line is canonical JSON (sorted keys, no spaces), so the bytes signed are the bytes sent. The
bundle's digest (SHA-256 of what is signed) is the next bundle's `previous`: the chain.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bundles.errors import MalformedBundle, TamperedBundle
from bundles.keys import NodeKey, PublicKey, signature_bytes
from bundles.model import Bundle, Record

FORMAT = "midas-bundle/1"
# Bounds on what a receiver reads: work by size and count, never by the clock. A busy post's
# month offline (150,000 crossings) fits in bundles of MAX_RECORDS.
MAX_BUNDLE_BYTES = 512 * 1024 * 1024
MAX_RECORDS = 50_000
MAX_LINE_BYTES = 4 * 1024 * 1024
HEADER_KEYS = frozenset(
    {"format", "sender", "receiver", "sequence", "previous", "created_at", "records"}
    | {"records_sha256"}
)


def canonical(value: Any) -> bytes:
    """Return the one JSON encoding of a value that is signed and sent."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _record_line(record: Record) -> bytes:
    return canonical(
        {"kind": record.kind, "id": record.id, "at": record.at.isoformat(), "data": record.data}
    )


def write_bundle(
    key: NodeKey,
    *,
    sender: str,
    receiver: str,
    sequence: int,
    previous: str,
    created_at: datetime,
    records: Sequence[Record],
) -> bytes:
    """Return the signed bundle of these records, the `sequence`-th from sender to receiver."""
    if sequence < 1:
        raise ValueError("a bundle's sequence starts at 1")
    if len(records) > MAX_RECORDS:
        raise ValueError(f"at most {MAX_RECORDS} records in a bundle")
    body = b"".join(_record_line(record) + b"\n" for record in records)
    header = canonical(
        {
            "format": FORMAT,
            "sender": sender,
            "receiver": receiver,
            "sequence": sequence,
            "previous": previous,
            "created_at": created_at.isoformat(),
            "records": len(records),
            "records_sha256": hashlib.sha256(body).hexdigest(),
        }
    )
    signed = header + b"\n" + body
    return signed + canonical({"signature": key.sign(signed)}) + b"\n"


def _json(line: bytes, number: int) -> dict[str, Any]:
    if len(line) > MAX_LINE_BYTES:
        raise MalformedBundle(number, f"longer than {MAX_LINE_BYTES} bytes")
    try:
        value = json.loads(line)
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedBundle(number, f"not JSON: {error}") from None
    if not isinstance(value, dict):
        raise MalformedBundle(number, "not a JSON object")
    return value


def _moment(text: object, number: int, name: str) -> datetime:
    if not isinstance(text, str):
        raise MalformedBundle(number, f"{name} is not a date and time")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise MalformedBundle(number, f"{name} {text!r} is not ISO 8601") from None
    if moment.tzinfo is None:
        raise MalformedBundle(number, f"{name} {text!r} has no UTC offset")
    return moment


def read_header(data: bytes) -> dict[str, Any]:
    """Return a bundle's header, unverified: whom it is from, to choose the key to check it."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise MalformedBundle(1, f"the bundle is larger than {MAX_BUNDLE_BYTES} bytes")
    end = data.find(b"\n")
    if end < 0:
        raise MalformedBundle(1, "no header line")
    header = _json(data[:end], 1)
    if header.get("format") != FORMAT:
        raise MalformedBundle(1, f"format {header.get('format')!r} is not {FORMAT}")
    missing = HEADER_KEYS - header.keys()
    if missing:
        raise MalformedBundle(1, f"the header lacks {', '.join(sorted(missing))}")
    for name in ("sender", "receiver", "previous", "records_sha256"):
        if not isinstance(header[name], str):
            raise MalformedBundle(1, f"{name} is not a string")
    for name in ("sequence", "records"):
        value = header[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise MalformedBundle(1, f"{name} is not a count")
    if header["records"] > MAX_RECORDS:
        raise MalformedBundle(1, f"more than {MAX_RECORDS} records")
    return header


def read_bundle(data: bytes, sender_key: PublicKey) -> Bundle:
    """Read and verify a bundle signed by `sender_key`; raise what is wrong and where."""
    header = read_header(data)
    if not data.endswith(b"\n"):
        raise MalformedBundle(header["records"] + 2, "the bundle is cut short")
    lines = data[:-1].split(b"\n")
    expected = header["records"] + 2
    if len(lines) != expected:
        raise TamperedBundle(
            "records", f"the header says {header['records']}, the bundle has {len(lines) - 2}"
        )
    signature_line = _json(lines[-1], expected)
    if set(signature_line) != {"signature"}:
        raise MalformedBundle(expected, "the last line is not the signature")
    signed = data[: len(data) - len(lines[-1]) - 1]
    signature = signature_bytes(signature_line["signature"], expected)
    if not sender_key.verify(signature, signed):
        raise TamperedBundle("signature", f"not signed by {header['sender']}'s key")
    body = signed[len(lines[0]) + 1 :]
    if hashlib.sha256(body).hexdigest() != header["records_sha256"]:
        raise TamperedBundle("records", "their digest differs from the header's")
    records = tuple(_record(lines[number - 1], number) for number in range(2, expected))
    return Bundle(
        sender=header["sender"],
        receiver=header["receiver"],
        sequence=header["sequence"],
        previous=header["previous"],
        created_at=_moment(header["created_at"], 1, "created_at"),
        records=records,
        digest=hashlib.sha256(signed).hexdigest(),
    )


def _record(line: bytes, number: int) -> Record:
    value = _json(line, number)
    kind, record_id, data = value.get("kind"), value.get("id"), value.get("data")
    if not isinstance(kind, str) or not kind:
        raise MalformedBundle(number, "the record has no kind")
    if not isinstance(record_id, str):
        raise MalformedBundle(number, "the record has no id")
    try:
        uuid.UUID(record_id)
    except ValueError:
        raise MalformedBundle(number, f"id {record_id!r} is not a UUID") from None
    if not isinstance(data, dict):
        raise MalformedBundle(number, "the record's data is not an object")
    return Record(kind, record_id, _moment(value.get("at"), number, "at"), data)
