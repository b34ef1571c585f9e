"""Errors raised by the bundles package.

BundleError
├── MalformedBundle     the bytes are not a bundle of this format (says which line and why)
├── TamperedBundle      the signature, a digest or a count does not match what was signed
└── ChainError          a well-signed bundle that does not follow the last one accepted
    ├── GapInChain      a bundle is missing before this one
    └── ReplayedBundle  this bundle (or an older one) was accepted already
"""

from __future__ import annotations


class BundleError(Exception):
    """Root of every error the bundles package raises."""


class MalformedBundle(BundleError):
    """The bytes are not a bundle of this format."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


class TamperedBundle(BundleError):
    """What was signed is not what arrived: names the part that differs."""

    def __init__(self, part: str, reason: str) -> None:
        super().__init__(f"{part}: {reason}")
        self.part = part
        self.reason = reason


class ChainError(BundleError):
    """A bundle that does not follow the last one the receiver accepted from this sender."""

    def __init__(self, sender: str, expected: int, got: int, reason: str) -> None:
        super().__init__(f"from {sender}: expected bundle {expected}, got {got}: {reason}")
        self.sender = sender
        self.expected = expected
        self.got = got


class GapInChain(ChainError):
    """One or more bundles are missing before this one."""


class ReplayedBundle(ChainError):
    """This bundle, or an older one, was accepted already."""
