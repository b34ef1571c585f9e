"""The watchlists exception tree: every error names the fault and where it stood.

```
WatchlistError
├── SourceError              a list file could not be read as its format
│   ├── SourceNotFoundError  the file (or its folder) is missing
│   └── FormatError          the file is malformed beyond one record; the load aborts
├── UnknownFormatError       no loader for that format name
└── StoreError               the list store refused an operation
    ├── VersionStateError    the version is unknown or not in the state the operation needs
    ├── LoadInProgressError  another load of the same list has not finished
    └── ListChangedError     another version became active while a load was running
```
A bad *record* is not an exception: loaders yield `models.Rejected` and carry on.
"""

from __future__ import annotations


class WatchlistError(Exception):
    """Root of every error the watchlists package raises."""


class SourceError(WatchlistError):
    """A list source could not be read; `location` is a line, element or operation number."""

    def __init__(
        self, reason: str, *, path: str | None = None, location: str | None = None
    ) -> None:
        self.reason = reason
        self.path = path
        self.location = location
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.path, self.location) if part)
        return f"{where}: {self.reason}" if where else self.reason


class SourceNotFoundError(SourceError):
    """The list file, or a folder that should hold it, does not exist."""


class FormatError(SourceError):
    """The file is malformed beyond a single record (truncated XML, bad JSON, wrong encoding)."""


class UnknownFormatError(WatchlistError):
    """No loader is registered under that format name."""

    def __init__(self, name: str, known: tuple[str, ...]) -> None:
        self.name = name
        self.known = known
        super().__init__(f"unknown list format {name!r}; known: {', '.join(known)}")


class StoreError(WatchlistError):
    """The list store refused an operation."""


class VersionStateError(StoreError):
    """The list version is unknown, or not in the state the operation needs."""

    def __init__(self, list_name: str, version: int, reason: str) -> None:
        self.list_name = list_name
        self.version = version
        self.reason = reason
        super().__init__(f"{list_name} v{version}: {reason}")


class LoadInProgressError(StoreError):
    """Another load of the list is running: one load per list at a time."""

    def __init__(self, list_name: str, version: int | None, running: str) -> None:
        self.list_name = list_name
        self.version = version
        self.running = running
        number = f" (version {version})" if version is not None else ""
        super().__init__(
            f"another load of {list_name}{number} is still running: {running}; "
            "wait for it to finish, then load again"
        )


class ListChangedError(StoreError):
    """The active version is no longer the one a load compared itself against."""

    def __init__(self, list_name: str, expected: int | None, active: int | None) -> None:
        self.list_name = list_name
        self.expected = expected
        self.active = active
        was = "no version" if expected is None else f"version {expected}"
        now = "no version" if active is None else f"version {active}"
        super().__init__(
            f"{list_name} changed while this file loaded ({was} was active, now {now}); "
            "load the file again so it is checked against the version now active"
        )
