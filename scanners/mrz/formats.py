"""The five ICAO Doc 9303 MRZ formats as data: fields, their places, character classes, checks.

Positions are 0-based slices of a line. Reports turn them into 1-based columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CharClass(StrEnum):
    """What may stand at a position: drives OCR repair."""

    DIGIT = "digit"  # digits only (dates, check digits)
    ALPHA = "alpha"  # letters and fillers (names, state codes, document type)
    ALNUM = "alnum"  # letters, digits and fillers (document number, optional data)
    SEX = "sex"  # M, F, X or filler


@dataclass(frozen=True, slots=True)
class Span:
    """A slice of one line."""

    line: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A named field of a format, where it stands and what characters it may hold."""

    name: str
    span: Span
    char_class: CharClass


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """A check digit: where it stands and which spans it protects, in order."""

    name: str
    digit: Span
    covers: tuple[Span, ...]

    def positions(self) -> list[tuple[int, int]]:
        """Return every (line, column) the check reads, its own digit last (0-based)."""
        cells = [(s.line, c) for s in self.covers for c in range(s.start, s.end)]
        return [*cells, (self.digit.line, self.digit.start)]


@dataclass(frozen=True, slots=True)
class Format:
    """One MRZ format: its name, its shape, its fields and its checks."""

    name: str
    line_count: int
    line_length: int
    fields: tuple[FieldSpec, ...]
    checks: tuple[CheckSpec, ...]

    def field(self, name: str) -> FieldSpec:
        """Return the field called `name`."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)


def _f(name: str, line: int, start: int, end: int, cls: CharClass) -> FieldSpec:
    return FieldSpec(name, Span(line, start, end), cls)


def _c(name: str, line: int, pos: int, *covers: tuple[int, int, int]) -> CheckSpec:
    return CheckSpec(name, Span(line, pos, pos + 1), tuple(Span(*c) for c in covers))


A, D, N, S = CharClass.ALPHA, CharClass.DIGIT, CharClass.ALNUM, CharClass.SEX


def _two_line(name: str, length: int, composite: bool) -> Format:
    """TD2, TD3 and the two visas share one layout (Doc 9303 Parts 4, 6 and 7)."""
    # TD3 keeps a check digit for its personal number; TD2 has only the composite after it.
    optional_end = {"TD3": 42, "TD2": 35}.get(name, length)
    fields = (
        _f("document_code", 0, 0, 2, A),
        _f("issuing_state", 0, 2, 5, A),
        _f("name", 0, 5, length, A),
        _f("document_number", 1, 0, 9, N),
        _f("nationality", 1, 10, 13, A),
        _f("birth_date", 1, 13, 19, D),
        _f("sex", 1, 20, 21, S),
        _f("expiry_date", 1, 21, 27, D),
        _f("optional_data", 1, 28, optional_end, N),
    )
    checks = [
        _c("document_number", 1, 9, (1, 0, 9)),
        _c("birth_date", 1, 19, (1, 13, 19)),
        _c("expiry_date", 1, 27, (1, 21, 27)),
    ]
    if name == "TD3":
        checks.append(_c("personal_number", 1, 42, (1, 28, 42)))
    if composite:
        checks.append(_c("composite", 1, length - 1, (1, 0, 10), (1, 13, 20), (1, 21, length - 1)))
    return Format(name, 2, length, fields, tuple(checks))


TD1 = Format(
    "TD1",
    3,
    30,
    (
        _f("document_code", 0, 0, 2, A),
        _f("issuing_state", 0, 2, 5, A),
        _f("document_number", 0, 5, 14, N),
        _f("optional_data", 0, 15, 30, N),
        _f("birth_date", 1, 0, 6, D),
        _f("sex", 1, 7, 8, S),
        _f("expiry_date", 1, 8, 14, D),
        _f("nationality", 1, 15, 18, A),
        _f("optional_data_2", 1, 18, 29, N),
        _f("name", 2, 0, 30, A),
    ),
    (
        _c("document_number", 0, 14, (0, 5, 14)),
        _c("birth_date", 1, 6, (1, 0, 6)),
        _c("expiry_date", 1, 14, (1, 8, 14)),
        _c("composite", 1, 29, (0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)),
    ),
)
TD2 = _two_line("TD2", 36, composite=True)
TD3 = _two_line("TD3", 44, composite=True)
MRVA = _two_line("MRVA", 44, composite=False)
MRVB = _two_line("MRVB", 36, composite=False)

FORMATS: tuple[Format, ...] = (TD1, TD2, TD3, MRVA, MRVB)


def detect(line_count: int, line_length: int, first_char: str) -> Format | None:
    """Pick the format for a shape; visas are told from TD2/TD3 by the document code V."""
    if line_count == 3 and line_length == 30:
        return TD1
    if line_count == 2 and line_length in (36, 44):
        visa = first_char == "V"
        if line_length == 44:
            return MRVA if visa else TD3
        return MRVB if visa else TD2
    return None
