"""What a list file looks like from its first bytes, so a file given the wrong format is refused
before it is read instead of being rejected record by record.

Only the first SNIFF_BYTES are read, whatever the file's size. A shape is named only when the
bytes leave no doubt; anything else is left to the loader, which reports its own errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from watchlists.format_names import public_name, title

SNIFF_BYTES = 64 * 1024

# Root elements of the XML publications a loader reads.
_XML_ROOTS = {"CONSOLIDATED_LIST": "un_xml", "sdnList": "ofac_xml"}
# The families a format's files belong to.
_FAMILY = {
    "csv": "CSV",
    "ofac_csv": "CSV",
    "ofac_xml": "XML",
    "un_xml": "XML",
    "ftm": "JSON lines",
}
_PROLOGUE = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.DOTALL)
_ROOT = re.compile(rb"\s*<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_OFAC_ROW = re.compile(rb'\d+,\s*"')


@dataclass(frozen=True, slots=True)
class Shape:
    """What a file looks like: its family (XML, JSON lines, CSV, …) and, if known, its format."""

    family: str
    fmt: str | None = None

    def describe(self) -> str:
        """Return the shape in words, e.g. 'XML (UN Security Council XML)'."""
        return self.family if self.fmt is None else f"{self.family} ({title(self.fmt)})"


def sniff(path: Path) -> Shape | None:
    """Return the shape of the file at `path`, or None when its first bytes do not tell."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    head = head.removeprefix(b"\xef\xbb\xbf")
    if head.startswith((b"PK\x03\x04", b"\x1f\x8b")):
        return Shape("a compressed archive")
    if not head.strip():
        return Shape("an empty file")
    if b"\x00" in head:
        return Shape("a binary file")
    start = head.lstrip()
    if start.startswith(b"<"):
        position = 0
        while match := _PROLOGUE.match(head, position):
            position = match.end()
        root = _ROOT.match(head, position)
        name = root.group(2).decode("ascii") if root else None
        return Shape("XML", _XML_ROOTS.get(name or ""))
    if start.startswith((b"{", b"[")):
        return Shape("JSON lines", "ftm")
    first_line = start.split(b"\n", 1)[0]
    if _OFAC_ROW.match(first_line) and b"-0-" in first_line:
        return Shape("CSV", "ofac_csv")
    if b"entry_id" in first_line.lower():
        return Shape("CSV", "csv")
    return None


def mismatch(fmt: str, path: Path) -> str | None:
    """Return why the file at `path` is not of registry format `fmt`, or None when it may be."""
    shape = sniff(path)
    if shape is None:
        return None
    wanted = title(fmt)
    if shape.family not in _FAMILY.values():
        return f"{path.name} looks like {shape.describe()}, not {wanted}"
    if shape.family == _FAMILY.get(fmt) and shape.fmt in (None, fmt):
        return None
    reason = f"{path.name} looks like {shape.describe()}, not {wanted}"
    if shape.fmt is not None:
        reason += f"; choose the format {public_name(shape.fmt)}"
    return reason
