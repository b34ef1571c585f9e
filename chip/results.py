"""What verifying chip data yields: every step as a named result, and one outcome.

The outcome is never a bare boolean (Doc 9303 Part 11 §5.1): `verified` when every step
passed, `failed` naming the first step that failed, `not_verifiable` when a step could not be
carried out for want of something outside the document (no EF.SOD, no CSCA for the issuer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

StepStatus = Literal["passed", "failed", "not_verifiable", "skipped"]
Outcome = Literal["verified", "failed", "not_verifiable"]


@dataclass(frozen=True, slots=True)
class Step:
    """One verification step: its stable name, how it ended, and a sentence saying why."""

    name: str
    status: StepStatus
    detail: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {"name": self.name, "status": self.status, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class PassiveAuthentication:
    """The result of Passive Authentication of one document's chip data."""

    status: Outcome
    checks: tuple[Step, ...]
    dsc_issuer: str | None = None
    dsc_serial: str | None = None
    hash_algorithm: str | None = None
    data_groups_verified: tuple[int, ...] = ()

    @property
    def failed_step(self) -> str | None:
        """Name the first step that failed, if any."""
        return next((s.name for s in self.checks if s.status == "failed"), None)

    def to_dict(self) -> dict[str, Any]:
        """Return the stable JSON form (`midas chip verify` and the API print it)."""
        return {
            "status": self.status,
            "failed_step": self.failed_step,
            "checks": [s.to_dict() for s in self.checks],
            "dsc_issuer": self.dsc_issuer,
            "dsc_serial": self.dsc_serial,
            "hash_algorithm": self.hash_algorithm,
            "data_groups_verified": list(self.data_groups_verified),
        }


def outcome_of(steps: tuple[Step, ...]) -> Outcome:
    """Reduce steps to one outcome: any failure fails; else any unverifiable step; else verified."""
    if any(s.status == "failed" for s in steps):
        return "failed"
    if any(s.status == "not_verifiable" for s in steps) or not steps:
        return "not_verifiable"
    return "verified"
