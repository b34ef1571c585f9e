"""Errors raised by scanner sources and image reading; MRZ check failures are results, not errors.

ScannerError
├── DependencyMissing        an optional package, program or font is not installed
├── UnknownLayout            a keyboard layout name that scanners.keyboards does not know
└── SourceError              an input could not be read
    └── ImageLoadError       a file is not a readable image or PDF page
"""

from __future__ import annotations

from pathlib import Path


class ScannerError(Exception):
    """Root of every error the scanners package raises."""


class DependencyMissing(ScannerError):
    """An optional package, program or font that image reading needs is missing."""

    def __init__(self, name: str, hint: str) -> None:
        super().__init__(f"{name} is not installed: {hint}")
        self.name = name
        self.hint = hint


class SourceError(ScannerError):
    """A scanner source could not read its input."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


class ImageLoadError(SourceError):
    """A file is not a readable image or PDF page."""


class UnknownLayout(ScannerError):
    """A keyboard layout name that scanners.keyboards has no table for."""

    def __init__(self, layout: str, known: tuple[str, ...]) -> None:
        super().__init__(f"unknown keyboard layout {layout!r}: known are {', '.join(known)}")
        self.layout = layout
        self.known = known
