"""The files a chip holds, recognised by their first tag (Doc 9303 Part 10 §4.6), not by name.

A document reader exports them as separate files; the desk client, the scanner folder and the
API hand them over as bytes. A contactless reader (BAC/PACE, a later issue) plugs in behind
`ChipReader`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from chip.errors import LDSError, TLVError
from chip.tlv import Tlv, read_tlv

# Doc 9303 Part 10 Table 34: the application tag that opens each elementary file.
EF_COM_TAG = 0x60
EF_SOD_TAG = 0x77
DATA_GROUP_TAGS: dict[int, int] = {
    0x61: 1, 0x75: 2, 0x63: 3, 0x76: 4, 0x65: 5, 0x66: 6, 0x67: 7, 0x68: 8,
    0x69: 9, 0x6A: 10, 0x6B: 11, 0x6C: 12, 0x6D: 13, 0x6E: 14, 0x6F: 15, 0x70: 16,
}  # fmt: skip
TAG_OF_DATA_GROUP: dict[int, int] = {dg: tag for tag, dg in DATA_GROUP_TAGS.items()}
# Far above any real LDS file (a DG2 with a large JPEG 2000 is under 100 kB): bounds the work.
MAX_FILE_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class ChipFiles:
    """One document's exported chip files: EF.COM, EF.SOD and the data groups by number."""

    com: bytes | None = None
    sod: bytes | None = None
    groups: dict[int, bytes] = field(default_factory=dict)


class ChipReader(Protocol):
    """Anything that yields one document's chip files: a folder of exports, a contactless reader."""

    def read_files(self) -> ChipFiles:
        """Return the files read from the chip."""
        ...


def file_name(data: bytes) -> str:
    """Name a file by its first tag (`EF.COM`, `EF.SOD`, `DG2`), or say it is not an LDS file."""
    if not data:
        raise LDSError("file", "empty file")
    tag = data[0]
    if tag == EF_COM_TAG:
        return "EF.COM"
    if tag == EF_SOD_TAG:
        return "EF.SOD"
    if tag in DATA_GROUP_TAGS:
        return f"DG{DATA_GROUP_TAGS[tag]}"
    raise LDSError("file", f"first byte 0x{tag:02X} is not the tag of an LDS file", 0)


def sort_files(blobs: Iterable[bytes]) -> ChipFiles:
    """Sort exported files by their first tag; refuse duplicates, strangers and oversized files."""
    com: bytes | None = None
    sod: bytes | None = None
    groups: dict[int, bytes] = {}
    for data in blobs:
        name = file_name(data)
        if len(data) > MAX_FILE_BYTES:
            raise LDSError(name, f"{len(data)} bytes, more than the {MAX_FILE_BYTES} allowed")
        if name == "EF.COM":
            if com is not None:
                raise LDSError(name, "given twice")
            com = data
        elif name == "EF.SOD":
            if sod is not None:
                raise LDSError(name, "given twice")
            sod = data
        else:
            number = DATA_GROUP_TAGS[data[0]]
            if number in groups:
                raise LDSError(name, "given twice")
            groups[number] = data
    return ChipFiles(com, sod, groups)


def name_of_tag(tag: int) -> str:
    """Name the file an outer tag opens (`EF.COM`, `DG2`)."""
    if tag == EF_COM_TAG:
        return "EF.COM"
    if tag == EF_SOD_TAG:
        return "EF.SOD"
    return f"DG{DATA_GROUP_TAGS[tag]}"


def open_file(data: bytes, tag: int) -> Tlv:
    """Read a whole LDS file as a TLV tree; refuse another outer tag; errors name the file."""
    name = name_of_tag(tag)
    if not data:
        raise LDSError(name, "empty file")
    if len(data) > MAX_FILE_BYTES:
        raise LDSError(name, f"{len(data)} bytes, more than the {MAX_FILE_BYTES} allowed")
    if data[0] != tag:
        raise LDSError(name, f"outer tag 0x{data[0]:02X} is not 0x{tag:02X}", 0)
    try:
        return read_tlv(data)
    except TLVError as error:
        raise LDSError(name, error.reason, error.offset) from error
