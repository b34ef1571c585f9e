"""A node's Ed25519 key pair: made once at `midas node init`, kept in the instance folder."""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from bundles.errors import MalformedBundle


@dataclass(frozen=True, slots=True)
class PublicKey:
    """Another node's public key, as enrolment gave it."""

    key: ed25519.Ed25519PublicKey

    @classmethod
    def from_pem(cls, data: bytes) -> PublicKey:
        """Read a PEM public key; raise ValueError when it is not an Ed25519 key."""
        key = serialization.load_pem_public_key(data)
        if not isinstance(key, ed25519.Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return cls(key)

    def pem(self) -> bytes:
        """Return the key as PEM, to give to the other node."""
        return self.key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def fingerprint(self) -> str:
        """Return a short fingerprint to compare by eye (SHA-256 of the raw key, 16 hex digits)."""
        raw = self.key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return hashlib.sha256(raw).hexdigest()[:16]

    def verify(self, signature: bytes, data: bytes) -> bool:
        """Tell whether the signature over data is this key's."""
        try:
            self.key.verify(signature, data)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True, slots=True)
class NodeKey:
    """This node's private key."""

    key: ed25519.Ed25519PrivateKey

    @classmethod
    def generate(cls) -> NodeKey:
        """Make a new key pair."""
        return cls(ed25519.Ed25519PrivateKey.generate())

    @classmethod
    def load(cls, path: Path) -> NodeKey:
        """Read the key a node keeps; raise ValueError when the file holds no Ed25519 key."""
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, ed25519.Ed25519PrivateKey):
            raise ValueError(f"{path}: not an Ed25519 private key")
        return cls(key)

    def save(self, path: Path) -> None:
        """Write the key readable by its owner only; refuse to overwrite one."""
        data = self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)

    @property
    def public(self) -> PublicKey:
        """Return the public half."""
        return PublicKey(self.key.public_key())

    def sign(self, data: bytes) -> str:
        """Sign data; return the signature base64."""
        return base64.b64encode(self.key.sign(data)).decode("ascii")


def signature_bytes(text: object, line: int) -> bytes:
    """Decode a base64 signature as a bundle carries it; raise MalformedBundle."""
    if not isinstance(text, str):
        raise MalformedBundle(line, "the signature is not a string")
    try:
        decoded = base64.b64decode(text, validate=True)
    except ValueError:
        raise MalformedBundle(line, "the signature is not base64") from None
    # The last character before the padding carries bits base64 ignores: a signature spelt
    # another way decodes the same, so only the one spelling the signer wrote is taken.
    if base64.b64encode(decoded).decode("ascii") != text:
        raise MalformedBundle(line, "the signature is not written as its signer writes it")
    return decoded
