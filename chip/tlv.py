"""BER-TLV as the LDS uses it (Doc 9303 Part 10 §4.1, ISO/IEC 8825-1): read strictly, write DER.

Reading is bounded by size, never by the clock: every length is checked against the bytes that
are left and against `MAX_LENGTH` before anything is sliced, nesting stops at `MAX_DEPTH`, and
each byte is visited once per level, so malformed input is refused in time linear in its size.
"""

from __future__ import annotations

from dataclasses import dataclass

from chip.errors import TLVError

# A DG2 in the ISO/IEC 39794-5 encoding nests 14 deep; twice that leaves room for any real file
# and keeps recursion far from Python's limit.
MAX_DEPTH = 32
# No value can be longer than the largest file we accept (`chip.files.MAX_FILE_BYTES`).
MAX_LENGTH = 1 << 20
# Doc 9303 tags are at most 3 bytes (5F1F, 7F61); ISO/IEC 8825-1 allows more, we allow 4.
MAX_TAG_BYTES = 4
# Four length bytes already express 4 GiB.
MAX_LENGTH_BYTES = 4


@dataclass(frozen=True, slots=True)
class Tlv:
    """One data object: its tag as written (0x5F1F), its value, and where it starts in the file."""

    tag: int
    value: bytes
    offset: int
    value_offset: int
    children: tuple[Tlv, ...] = ()

    @property
    def constructed(self) -> bool:
        """Say whether the value is itself a sequence of data objects (bit 6 of the tag)."""
        return _constructed(self.tag)

    def find(self, tag: int) -> Tlv | None:
        """Return the first child with `tag`, or None."""
        return next((c for c in self.children if c.tag == tag), None)

    def find_all(self, tag: int) -> tuple[Tlv, ...]:
        """Return every child with `tag`, in order."""
        return tuple(c for c in self.children if c.tag == tag)


def _constructed(tag: int) -> bool:
    first = tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")[0]
    return bool(first & 0x20)


def _read_tag(data: bytes, pos: int, base: int) -> tuple[int, int]:
    start = pos
    first = data[pos]
    tag = first
    pos += 1
    if first & 0x1F == 0x1F:
        while True:
            if pos >= len(data):
                raise TLVError(base + start, "truncated tag: the data ends inside it")
            if pos - start >= MAX_TAG_BYTES:
                raise TLVError(base + start, f"tag longer than {MAX_TAG_BYTES} bytes")
            byte = data[pos]
            tag = (tag << 8) | byte
            pos += 1
            if not byte & 0x80:
                break
    return tag, pos


def _read_length(data: bytes, pos: int, base: int) -> tuple[int, int]:
    if pos >= len(data):
        raise TLVError(base + pos, "truncated length: the data ends before it")
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    if first == 0x80:
        raise TLVError(base + pos, "indefinite length (0x80) is not allowed")
    count = first & 0x7F
    if count > MAX_LENGTH_BYTES:
        raise TLVError(base + pos, f"length in {count} bytes, more than {MAX_LENGTH_BYTES}")
    if pos + 1 + count > len(data):
        raise TLVError(base + pos, f"truncated length: {count} length bytes announced")
    length = int.from_bytes(data[pos + 1 : pos + 1 + count], "big")
    if length > MAX_LENGTH:
        raise TLVError(base + pos, f"length {length} is more than the {MAX_LENGTH} allowed")
    return length, pos + 1 + count


def _read_level(data: bytes, base: int, depth: int) -> tuple[Tlv, ...]:
    if depth > MAX_DEPTH:
        raise TLVError(base, f"nested more than {MAX_DEPTH} deep")
    items: list[Tlv] = []
    pos = 0
    while pos < len(data):
        start = pos
        tag, pos = _read_tag(data, pos, base)
        length_at = pos
        length, pos = _read_length(data, pos, base)
        if pos + length > len(data):
            raise TLVError(
                base + length_at,
                f"length {length} runs past the end ({len(data) - pos} bytes left)",
            )
        value = data[pos : pos + length]
        children = _read_level(value, base + pos, depth + 1) if _constructed(tag) else ()
        items.append(Tlv(tag, value, base + start, base + pos, children))
        pos += length
    return tuple(items)


def read_tlvs(data: bytes, *, base: int = 0) -> tuple[Tlv, ...]:
    """Read the whole buffer as a sequence of data objects, constructed ones down to their leaves.

    `base` is the absolute offset of `data[0]`, so errors name the byte in the file.
    """
    return _read_level(bytes(data), base, 1)


def read_tlv(data: bytes, *, base: int = 0) -> Tlv:
    """Read exactly one data object that fills the buffer; refuse empty input and trailing bytes."""
    if not data:
        raise TLVError(base, "no data object: the data is empty")
    data = bytes(data)
    _, pos = _read_tag(data, 0, base)
    length, pos = _read_length(data, pos, base)
    end = pos + length
    if end < len(data):
        raise TLVError(base + end, f"{len(data) - end} bytes after the end of the data object")
    return read_tlvs(data, base=base)[0]


def read_tags(data: bytes, *, base: int = 0) -> tuple[int, ...]:
    """Read a run of bare tags, as in a tag list (5C) of EF.COM, DG11 and DG12."""
    data = bytes(data)
    tags: list[int] = []
    pos = 0
    while pos < len(data):
        tag, pos = _read_tag(data, pos, base)
        tags.append(tag)
    return tuple(tags)


def encode_tag(tag: int) -> bytes:
    """Write a tag as given (0x5F1F -> 5F 1F)."""
    if tag < 0:
        raise ValueError(f"negative tag {tag}")
    return tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")


def encode_length(length: int) -> bytes:
    """Write a definite length in the shortest DER form."""
    if length < 0:
        raise ValueError(f"negative length {length}")
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def encode_tlv(tag: int, value: bytes) -> bytes:
    """Write one data object in DER: tag, shortest length, value."""
    return encode_tag(tag) + encode_length(len(value)) + value
