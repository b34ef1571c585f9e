"""What the domain needs of credentials: a password hasher (kept by `midas.auth`) and how a
station token is stored."""

from __future__ import annotations

import hashlib
from typing import Protocol


class PasswordHashing(Protocol):
    """Hashes and checks passwords under the service's policy (`midas.auth.passwords`)."""

    def hash(self, password: str, field: str = "password") -> str:
        """Return the hash of a password that meets the policy (InvalidInput otherwise)."""
        ...

    def verify(self, password_hash: str | None, password: str) -> bool:
        """Tell whether a password matches a stored hash."""
        ...


def token_sha256(token: str) -> str:
    """Return the hex SHA-256 by which a station token is stored and looked up."""
    return hashlib.sha256(token.encode()).hexdigest()
