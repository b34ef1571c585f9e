"""A document as the server reads it: MRZ lines parsed here, or a typed-in document checked."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from midas.domain.crossing_rules import local_date
from midas.domain.decisions import ReadingFacts
from midas.domain.documents import ManualDocument, checked_manual
from midas.domain.errors import InvalidInput
from midas.domain.mrz_problems import problem_text
from midas.domain.texts import N_, Text
from midas.domain.travellers import Identity
from scanners.keyboards import (
    LAYOUT_DESCRIPTIONS,
    guess_layout,
    has_mrz_shape,
    remap,
    restore_scan,
)
from scanners.mrz.parse import parse_mrz
from scanners.mrz.result import Problem

# MRZ problems that mean a character may not be what is printed (scanners.mrz.parse).
UNCERTAIN_PROBLEMS = frozenset({"uncertain_character", "ambiguous_repair"})


@dataclass(frozen=True, slots=True)
class DocumentReading:
    """A reading as the server understands it: identity, validity, and the JSON to keep."""

    identity: Identity
    names_truncated: bool | None
    valid: bool
    expired: bool
    data: dict[str, Any]
    # The identity in the chip's DG1 when Passive Authentication verified it (chip_checks).
    chip_identity: Identity | None = None
    # The chip's face image (media type, bytes) for the desk to show; kept in `data` only when
    # the retention setting says so.
    chip_face: tuple[str, bytes] | None = None

    @property
    def printed_number(self) -> str | None:
        """The document number as printed, before the reader's repairs (MRZ readings)."""
        value = self.data.get("printed_document_number")
        return value if isinstance(value, str) else None

    def facts(self, *, uncertain: bool = False) -> ReadingFacts:
        """Return what the decision rules need of this reading (`uncertain`: the reader said so)."""
        return reading_facts(self.data, self.valid, self.expired, uncertain=uncertain)


def reading_facts(
    data: dict[str, Any] | None, valid: bool, expired: bool, *, uncertain: bool = False
) -> ReadingFacts:
    """Return the decision rules' view of a stored or fresh reading."""
    data = data or {}
    repaired = bool(data.get("repairs")) or any(
        problem.get("code") in UNCERTAIN_PROBLEMS for problem in data.get("problems") or ()
    )
    kept = data.get("chip")
    chip: dict[str, Any] = kept if isinstance(kept, dict) else {}
    return ReadingFacts(
        source=str(data.get("source", "mrz")),
        valid=valid,
        expired=expired,
        uncertain=uncertain or repaired,
        chip=chip.get("status"),
        chip_failed_step=chip.get("failed_step"),
        chip_differences=tuple(chip.get("mrz_differences") or ()),
        chip_without_dg1=bool(chip) and chip.get("dg1") is None,
    )


def read_document(
    mrz: Sequence[str] | str | None,
    manual: ManualDocument | None,
    *,
    today: date,
    expiry_horizon_days: int = 90,
    keyboard_layout: str = "us",
) -> DocumentReading:
    """Parse MRZ lines on the server, or take a typed-in document; raise InvalidInput if neither.

    `keyboard_layout`: the layout of the computer a keyboard-wedge scanner typed the lines on;
    what it typed is read back as the US keys the scanner pressed when that makes an MRZ.
    """
    if (mrz is None) == (manual is None):
        raise InvalidInput(N_("give either the MRZ lines or a typed-in document"), field="mrz")
    if manual is not None:
        manual = checked_manual(manual, today)
        identity = Identity.of(**asdict(manual))
        expired = manual.expiry_date is not None and manual.expiry_date < today
        data = {"source": "manual", **json.loads(json.dumps(asdict(manual), default=str))}
        data.update({"valid": False, "expired": expired, "checks": [], "problems": []})
        return DocumentReading(identity, None, False, expired, data)
    typed = mrz if isinstance(mrz, str) else "\n".join(mrz or [])
    typed = scanned_text(typed, keyboard_layout)
    result = parse_mrz(typed, today=today, expiry_horizon_days=expiry_horizon_days)
    if result.format is None or not result.document_number or not result.issuing_state:
        raise InvalidInput(_unread(typed, result.problems), field="mrz")
    identity = Identity.of(
        surname=result.surname,
        given_names=result.given_names,
        birth_date=result.birth_date,
        nationality=result.nationality,
        sex=result.sex,
        document_number=result.document_number,
        issuing_state=result.issuing_state,
        document_type=result.document_type,
        expiry_date=result.expiry_date,
    )
    data = {"source": "mrz", **result.to_dict()}
    return DocumentReading(identity, result.names_truncated, result.valid, result.expired, data)


def scanned_text(typed: str, keyboard_layout: str) -> str:
    """Return what a wedge scanner pressed, from what it typed on a desk of this layout (the
    text as it is when it has an MRZ's shape already, or when nothing else would have one).

    Typed text that is no MRZ but would be one on another layout is refused, saying so: read
    as it is, the MRZ reader's repairs could turn it into a valid MRZ with a wrong name (Y and
    Z swapped on QWERTZ, and names carry no check digit).
    """
    text = typed if keyboard_layout == "us" else restore_scan(typed, keyboard_layout)
    lines = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    if not has_mrz_shape(lines):
        layout = other_layout(lines)
        if layout is not None:
            raise InvalidInput(_wrong_layout(layout), field="mrz")
    return text


def other_layout(text: str) -> str | None:
    """Name the keyboard layout on which this text is a valid MRZ (every check digit passes),
    or None: the shape alone is no proof, for a layout that swaps letters keeps it."""
    layout = guess_layout(text)
    if layout is None or not parse_mrz(remap(text, layout)).valid:
        return None
    return layout


def _wrong_layout(layout: str) -> Text:
    return Text(
        N_(
            "the lines look like an MRZ typed on a %(layout)s keyboard: set the reader to the "
            "keyboard layout of this computer, or set the station's keyboard layout to %(layout)s"
        ),
        {"layout": LAYOUT_DESCRIPTIONS[layout]},
    )


def _unread(typed: str, problems: Sequence[Problem]) -> Text:
    """Say why lines are not an MRZ; when they are one typed on another keyboard, say so."""
    layout = other_layout(typed)
    if layout is not None:
        return _wrong_layout(layout)
    said = tuple(problem_text(p) for p in problems) or Text(N_("no document number"))
    return Text(N_("the MRZ could not be read: %(problems)s"), {"problems": said})


def read_on_post_date(
    mrz: Sequence[str] | str | None,
    manual: ManualDocument | None,
    moment: datetime,
    timezone: str,
    expiry_horizon_days: int,
) -> DocumentReading:
    """Read a document as of the post's calendar date at the crossing's moment."""
    today = local_date(moment, timezone)
    return read_document(mrz, manual, today=today, expiry_horizon_days=expiry_horizon_days)
