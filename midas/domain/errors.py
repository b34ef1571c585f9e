"""Errors the domain raises; `midas.api.errors` maps each class to one HTTP status, once.

DomainError
├── NotFound            the thing asked for does not exist (or is not visible to this actor)
├── PermissionDenied    the actor's role or post does not allow it
├── InvalidInput        a value is wrong; `field` names it (`problems`: every wrong value)
├── Conflict            it contradicts what is recorded (an override is needed, a duplicate …)
└── Unavailable         something it needs is not ready yet; nothing was done
    └── ScreeningUnavailable  active lists this process cannot screen against yet

Each error carries its words as a `Text`: an English template marked with `N_` and its
parameters (`InvalidInput(N_("no post %(id)s"), field="post_id", params={"id": 7})`), so a
face shows it in the page's language; `.message` is the English text (logs, CLI, tests).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from midas.domain.texts import Text, ngettext

T = TypeVar("T")


class DomainError(Exception):
    """Root of every error `midas.domain` raises; carries the field at fault when there is one."""

    code = "error"

    def __init__(
        self,
        message: str | Text,
        *,
        field: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        self.text = message if isinstance(message, Text) else Text(message, dict(params or {}))
        self.message = self.text.render()
        super().__init__(self.message)
        self.field = field

    @property
    def where(self) -> dict[str, int]:
        """Return where in the input the fault is, beyond its field (a message's segment)."""
        return {}

    @property
    def template(self) -> str:
        """Return the English template of the message, before its parameters are filled in."""
        return self.text.template

    @property
    def params(self) -> Mapping[str, object]:
        """Return the message's parameters (data, shown untranslated)."""
        return self.text.params


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
        self,
        message: str | Text,
        *,
        field: str | None = None,
        params: Mapping[str, object] | None = None,
        problems: tuple[InvalidInput, ...] = (),
    ) -> None:
        super().__init__(message, field=field, params=params)
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
            raise InvalidInput(first.text, field=first.field, problems=tuple(self.found))


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
        super().__init__(
            ngettext(
                "screening against the list %(names)s is not available yet: this server is "
                "still preparing it. Nothing was screened or recorded; try again in a moment",
                "screening against the lists %(names)s is not available yet: this server is "
                "still preparing them. Nothing was screened or recorded; try again in a moment",
                len(self.lists),
                {"names": named},
            )
        )
