"""UN/EDIFACT syntax (ISO 9735): service string advice, separators, release character, segments.

Strict and linear: each character is looked at a bounded number of times (split, then join
where a separator was released), so no input can make it hang.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from paxlst.errors import EdifactError

_TAG = re.compile(r"[A-Z][A-Z0-9]{2}")
# The tags of the envelope and of PAXLST, known good without the regular expression (a
# tenth of the profiled parse time of a large manifest went to matching them).
_KNOWN_TAGS = frozenset(
    [
        "UNB",
        "UNG",
        "UNH",
        "UNT",
        "UNE",
        "UNZ",
        "BGM",
        "RFF",
        "NAD",
        "COM",
        "TDT",
        "LOC",
        "DTM",
        "ATT",
        "MEA",
        "GEI",
        "FTX",
        "NAT",
        "DOC",
        "CNT",
        "EMP",
        "QTY",
    ]
)
# Line breaks (and the indentation some senders add) may stand between segments; ISO 9735
# does not allow them, but every public sample and most carriers' systems write them.
_BETWEEN_SEGMENTS = " \t\r\n"


@dataclass(frozen=True, slots=True)
class ServiceChars:
    """The six characters a UNA segment advises (ISO 9735 §7); the defaults are `UNA:+.? '`."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    repetition: str = " "
    terminator: str = "'"

    def una(self) -> str:
        """Return the UNA segment that advises these characters."""
        return f"UNA{self.component}{self.element}{self.decimal}{self.release}" + (
            f"{self.repetition}{self.terminator}"
        )

    def escape(self, value: str) -> str:
        """Put the release character before every separator (and itself) in `value`."""
        special = {self.component, self.element, self.release, self.terminator}
        if self.repetition != " ":
            special.add(self.repetition)
        if not any(c in value for c in special):
            return value
        return "".join(self.release + c if c in special else c for c in value)


DEFAULT_CHARS = ServiceChars()


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment: its tag, its data elements (each a tuple of components), where it stood.

    `number` counts segments from 1 (UNA is advice, not a segment); `offset` is the character
    where the segment starts.
    """

    tag: str
    elements: tuple[tuple[str, ...], ...]
    number: int
    offset: int

    def value(self, element: int, component: int = 0) -> str:
        """Return one component (elements count from 1 after the tag); empty when absent."""
        if element > len(self.elements):
            return ""
        components = self.elements[element - 1]
        return components[component] if component < len(components) else ""


def is_number(value: str) -> bool:
    """Say whether `value` is an EDIFACT numeric value MIDAS counts with: 1-9 ASCII digits."""
    # str.isdigit alone accepts superscripts int() refuses, and int() refuses 4,300+ digits.
    return 0 < len(value) < 10 and value.isascii() and value.isdigit()


def read_advice(text: str) -> tuple[ServiceChars, int]:
    """Return the service characters and where the first segment starts (after UNA, if any)."""
    if not text.startswith("UNA"):
        return DEFAULT_CHARS, 0
    if len(text) < 9:
        raise EdifactError(1, 0, "UNA needs six service characters after its tag")
    c, e, d, r, rep, t = (text[i] for i in range(3, 9))
    chars = ServiceChars(c, e, d, r, rep, t)
    separators = [c, e, t] + ([r] if r != " " else [])
    if len(set(separators)) != len(separators):
        raise EdifactError(1, 3, f"UNA advises one character for two roles: {text[:9]!r}")
    if any(s.isalnum() or s in _BETWEEN_SEGMENTS for s in (c, e, t)):
        raise EdifactError(
            1, 3, f"UNA advises a letter, digit or space as a separator: {text[:9]!r}"
        )
    if r != " " and (r.isalnum() or r in _BETWEEN_SEGMENTS):
        raise EdifactError(1, 6, f"UNA advises a letter, digit or space as release: {text[:9]!r}")
    return chars, 9


def _split(text: str, sep: str, release: str) -> list[str]:
    """Split at every `sep` not released; a piece ending in an odd run of `release` joins on."""
    pieces = text.split(sep)
    if not release or release not in text:
        return pieces
    joined: list[str] = []
    carry: list[str] = []
    for piece in pieces:
        carry.append(piece)
        # The separator ends any run of release characters before it, so the run that decides
        # is the one that ends this piece: linear in the text, however many are released.
        run = len(piece) - len(piece.rstrip(release))
        if run % 2 == 0:
            joined.append(sep.join(carry))
            carry = []
    if carry:
        joined.append(sep.join(carry))
    return joined


def _unescape(value: str, chars: ServiceChars, number: int, offset: int) -> str:
    """Drop each release character, refusing one that releases nothing a separator could be."""
    release = chars.release
    out: list[str] = []
    i = 0
    while True:
        j = value.find(release, i)
        if j < 0:
            out.append(value[i:])
            return "".join(out)
        if j + 1 == len(value):
            raise EdifactError(number, offset + j, "release character at the end of a value")
        released = value[j + 1]
        if released not in (
            chars.component,
            chars.element,
            chars.release,
            chars.terminator,
            chars.repetition,
        ):
            raise EdifactError(
                number, offset + j, f"release character before {released!r}, not a separator"
            )
        out.append(value[i:j])
        out.append(released)
        i = j + 2


def read_segments(text: str) -> tuple[ServiceChars, list[Segment]]:
    """Split EDIFACT text into segments, refusing what ISO 9735 does not allow, with its place."""
    chars, start = read_advice(text)
    release = chars.release if chars.release != " " else ""
    body = text[start:]
    raw = _split(body, chars.terminator, release)
    tail = raw.pop()
    segments: list[Segment] = []
    offset = start
    for number, piece in enumerate(raw, start=1):
        stripped = piece.lstrip(_BETWEEN_SEGMENTS)
        where = offset + len(piece) - len(stripped)
        segments.append(_read_segment(stripped, chars, release, number, where))
        offset += len(piece) + 1
    if tail.strip(_BETWEEN_SEGMENTS):
        where = offset + len(tail) - len(tail.lstrip(_BETWEEN_SEGMENTS))
        raise EdifactError(
            len(raw) + 1, where, f"text ends inside a segment (no terminator {chars.terminator!r})"
        )
    return chars, segments


def _read_segment(
    text: str, chars: ServiceChars, release: str, number: int, offset: int
) -> Segment:
    if not text:
        raise EdifactError(number, offset, "empty segment")
    if not release or release not in text:
        # Most segments hold no release character: split them at C speed.
        elements = text.split(chars.element)
        tag = elements[0]
        if tag not in _KNOWN_TAGS and not _TAG.fullmatch(tag):
            raise EdifactError(number, offset, f"segment tag {tag[:12]!r} is not three capitals")
        component = chars.component
        return Segment(
            tag, tuple([tuple(e.split(component)) for e in elements[1:]]), number, offset
        )
    elements = _split(text, chars.element, release)
    tag = elements[0]
    if not _TAG.fullmatch(tag):
        raise EdifactError(number, offset, f"segment tag {tag[:12]!r} is not three capitals")
    parsed: list[tuple[str, ...]] = []
    position = offset + len(tag) + 1
    for element in elements[1:]:
        components = _split(element, chars.component, release)
        if release and release in element:
            values: list[str] = []
            at = position
            for component in components:
                values.append(_unescape(component, chars, number, at))
                at += len(component) + 1
            parsed.append(tuple(values))
        else:
            parsed.append(tuple(components))
        position += len(element) + 1
    return Segment(tag, tuple(parsed), number, offset)
