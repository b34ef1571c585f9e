"""What reading an MRZ yields: typed fields plus every check, repair and problem.

These values are typed NamedTuples rather than frozen dataclasses: equally immutable, but built
by C code, which is a third of the cost of a parse (see docs/benchmarks.md).
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple


class Check(NamedTuple):
    """One check digit: which field, whether it passed, what it should be and what was read."""

    name: str
    passed: bool
    expected: str
    found: str
    line: int
    column: int

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "name": self.name,
            "passed": self.passed,
            "expected": self.expected,
            "found": self.found,
            "line": self.line,
            "column": self.column,
        }


class Repair(NamedTuple):
    """A character changed from what was read, where (1-based), and why."""

    line: int
    column: int
    found: str
    repaired: str
    field: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "line": self.line,
            "column": self.column,
            "from": self.found,
            "to": self.repaired,
            "field": self.field,
            "reason": self.reason,
        }


class Problem(NamedTuple):
    """Something wrong with the reading: a stable code, a sentence, and where (1-based)."""

    code: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "code": self.code,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "field": self.field,
        }


class MRZResult(NamedTuple):
    """A checked, typed reading of one machine-readable zone."""

    format: str | None
    lines: tuple[str, ...]
    raw_lines: tuple[str, ...]
    document_type: str | None = None
    issuing_state: str | None = None
    surname: str | None = None
    given_names: str | None = None
    names_truncated: bool = False
    document_number: str | None = None
    # The number as read before any repair, for look-ups that must not trust a repair (lost and
    # stolen lists are asked with both); the same as `document_number` when no repair touched it.
    printed_document_number: str | None = None
    nationality: str | None = None
    birth_date: date | None = None
    expiry_date: date | None = None
    sex: str | None = None
    optional_data: str | None = None
    optional_data_2: str | None = None
    checks: tuple[Check, ...] = ()
    repairs: tuple[Repair, ...] = ()
    problems: tuple[Problem, ...] = ()
    specimen: bool = False
    expired: bool = False
    expires_soon: bool = False

    @property
    def valid(self) -> bool:
        """True only when the shape is right and every check passes with no problem left."""
        return (
            self.format is not None
            and bool(self.checks)
            and all(c.passed for c in self.checks)
            and not self.problems
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the stable JSON form documented in the README."""
        return {
            "format": self.format,
            "document_type": self.document_type,
            "issuing_state": self.issuing_state,
            "surname": self.surname,
            "given_names": self.given_names,
            "names_truncated": self.names_truncated,
            "document_number": self.document_number,
            "printed_document_number": self.printed_document_number,
            "nationality": self.nationality,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "expiry_date": self.expiry_date.isoformat() if self.expiry_date else None,
            "sex": self.sex,
            "optional_data": self.optional_data,
            "optional_data_2": self.optional_data_2,
            "valid": self.valid,
            "checks": [c.to_dict() for c in self.checks],
            "repairs": [r.to_dict() for r in self.repairs],
            "problems": [p.to_dict() for p in self.problems],
            "specimen": self.specimen,
            "expired": self.expired,
            "expires_soon": self.expires_soon,
            "lines": list(self.lines),
        }
