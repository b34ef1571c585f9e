"""Errors the domain raises; `midas.api.errors` maps each class to one HTTP status, once.

DomainError
├── NotFound            the thing asked for does not exist (or is not visible to this actor)
├── PermissionDenied    the actor's role or post does not allow it
├── InvalidInput        a value is wrong; `field` names it
└── Conflict            it contradicts what is recorded (an override is needed, a duplicate …)
"""

from __future__ import annotations


class DomainError(Exception):
    """Root of every error `midas.domain` raises; carries the field at fault when there is one."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The thing asked for does not exist, or this actor may not know it exists."""

    code = "not_found"


class PermissionDenied(DomainError):
    """The actor's role or post does not allow this."""

    code = "forbidden"


class InvalidInput(DomainError):
    """A value is wrong; `field` says which."""

    code = "invalid"


class Conflict(DomainError):
    """The request contradicts what is recorded (for example, admitting a confirmed hit)."""

    code = "conflict"
