"""Errors the domain raises; `midas.api.errors` maps each class to one HTTP status, once.

DomainError
├── NotFound            the thing asked for does not exist (or is not visible to this actor)
├── PermissionDenied    the actor's role or post does not allow it
├── InvalidInput        a value is wrong; `field` names it (`problems`: every wrong value)
├── Conflict            it contradicts what is recorded (an override is needed, a duplicate …)
└── Unavailable         something it needs is not ready yet; nothing was done
    └── ScreeningUnavailable  active lists this process cannot screen against yet
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


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
    """A value is wrong; `field` says which. `problems` holds every wrong value of the input
    (this one first), so a form can show each beside its field at once."""

    code = "invalid"

    def __init__(
        self, message: str, *, field: str | None = None, problems: tuple[InvalidInput, ...] = ()
    ) -> None:
        super().__init__(message, field=field)
        self.problems: tuple[InvalidInput, ...] = problems or (self,)


class Problems:
    """Collect the wrong values of one input, to raise them together (`InvalidInput.problems`)."""

    def __init__(self) -> None:
        self.found: list[InvalidInput] = []

    def check(self, read: Callable[[], T], default: T) -> T:
        """Return what `read` returns, or `default` after noting the InvalidInput it raised."""
        try:
            return read()
        except InvalidInput as error:
            self.found.extend(error.problems)
            return default

    def raise_any(self) -> None:
        """Raise the problems noted, the first one's message first; nothing when there are none."""
        if self.found:
            first = self.found[0]
            raise InvalidInput(first.message, field=first.field, problems=tuple(self.found))


class Conflict(DomainError):
    """The request contradicts what is recorded (for example, admitting a confirmed hit)."""

    code = "conflict"


class Unavailable(DomainError):
    """Something the request needs is not ready yet; nothing was done, and a retry may work."""

    code = "unavailable"


class ScreeningUnavailable(Unavailable):
    """Active lists have no screening index in this process yet: screening without them would
    miss their hits, so nothing is screened (or recorded) until they are ready."""

    code = "screening_unavailable"

    def __init__(self, lists: Sequence[str]) -> None:
        self.lists = tuple(lists)
        named = " and ".join(f'"{name}"' for name in self.lists)
        lists, them = ("lists", "them") if len(self.lists) > 1 else ("list", "it")
        super().__init__(
            f"screening against the {lists} {named} is not available yet: this server is still "
            f"preparing {them}. Nothing was screened or recorded; try again in a moment"
        )
