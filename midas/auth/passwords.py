"""Password hashing with argon2id and the password policy."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app

from midas.domain.errors import InvalidInput

EXTENSION_KEY = "midas.passwords"


class Passwords:
    """Hash and verify passwords with the app's argon2 parameters and enforce the policy."""

    def __init__(self, hasher: PasswordHasher, min_length: int) -> None:
        self.hasher = hasher
        self.min_length = min_length

    @cached_property
    def _decoy(self) -> str:
        # Verifying against this when a username is unknown takes as long as a real check, so
        # response times do not tell which usernames exist. Made at the first login, not at
        # every app start (a production-cost hash is a tenth of a second).
        return self.hasher.hash("decoy password that never matches")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Passwords:
        """Build from PASSWORD_* settings."""
        hasher = PasswordHasher(
            time_cost=settings["PASSWORD_HASH_TIME_COST"],
            memory_cost=settings["PASSWORD_HASH_MEMORY_KIB"],
            parallelism=settings["PASSWORD_HASH_PARALLELISM"],
        )
        return cls(hasher, settings["PASSWORD_MIN_LENGTH"])

    def check_policy(self, password: str, field: str = "password") -> None:
        """Raise InvalidInput naming the field when a new password breaks the policy."""
        if len(password) < self.min_length:
            raise InvalidInput(
                f"a password needs at least {self.min_length} characters", field=field
            )
        if password.strip() != password:
            raise InvalidInput("a password must not start or end with a space", field=field)
        if len(set(password)) < 4:
            raise InvalidInput("a password needs at least 4 different characters", field=field)

    def hash(self, password: str, field: str = "password") -> str:
        """Check the policy, then return the argon2id hash of a new password."""
        self.check_policy(password, field)
        return self.hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        """Tell whether a password matches a stored hash (None: compare with a decoy, say no)."""
        try:
            return self.hasher.verify(password_hash or self._decoy, password) and bool(
                password_hash
            )
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """Tell whether a hash was made with other parameters than the current ones."""
        return self.hasher.check_needs_rehash(password_hash)


def init_app(app: Flask) -> None:
    """Build the app's password hasher from its settings."""
    app.extensions[EXTENSION_KEY] = Passwords.from_settings(app.config)


def passwords(app: Flask | None = None) -> Passwords:
    """Return the password hasher of an app (the current one by default)."""
    target = current_app if app is None else app
    result: Passwords = target.extensions[EXTENSION_KEY]
    return result
