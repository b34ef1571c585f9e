"""DG2, the encoded face (Doc 9303 Part 10 §4.7.2): ISO/IEC 19794-5:2005 or ISO/IEC 39794-5.

DG2 is a CBEFF biometric information group template (ISO/IEC 7816-11): 75 > 7F61 > count 02,
then one 7F60 template per face, each an A1 header and a data block. A 5F2E block holds a
binary ISO/IEC 19794-5 record; a 7F2E block holds the DER-encoded ISO/IEC 39794-5
FaceImageDataBlock. Every face carries its image type twice, once declared and once in the
image's own first bytes; a record where they disagree is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from chip.errors import LDSError
from chip.files import TAG_OF_DATA_GROUP, open_file
from chip.tlv import Tlv

FaceEncoding = Literal["ISO/IEC 19794-5", "ISO/IEC 39794-5"]
ImageType = Literal["image/jpeg", "image/jp2"]

ISO_19794_5: FaceEncoding = "ISO/IEC 19794-5"
ISO_39794_5: FaceEncoding = "ISO/IEC 39794-5"
JPEG: ImageType = "image/jpeg"
JPEG_2000: ImageType = "image/jp2"

DG2 = "DG2"
# ISO/IEC 7816-11 Table 3 and Doc 9303 Part 10 §4.7.2.
GROUP_TEMPLATE_TAG = 0x7F61
INFO_TEMPLATE_TAG = 0x7F60
COUNT_TAG = 0x02
HEADER_TAG = 0xA1
FORMAT_OWNER_TAG = 0x87
FORMAT_TYPE_TAG = 0x88
BINARY_BLOCK_TAG = 0x5F2E
DER_BLOCK_TAG = 0x7F2E
SECURE_MESSAGING_TAG = 0x7D
# CBEFF format identifiers registered by IBIA: JTC 1/SC 37, face image 2005 and 3rd generation.
SC37_FORMAT_OWNER = 0x0101
FORMAT_TYPE_19794_5 = 0x0008
FORMAT_TYPE_39794_5 = 0x002A

# ISO/IEC 19794-5:2005 §5.4-5.8: a 14-byte record header, then per face a 20-byte facial
# information block, 8 bytes per feature point and a 12-byte image information block.
FORMAT_IDENTIFIER = b"FAC\x00"
VERSION_2005 = b"010\x00"
RECORD_HEADER_BYTES = 14
FACE_INFO_BYTES = 20
FEATURE_POINT_BYTES = 8
IMAGE_INFO_BYTES = 12
IMAGE_DATA_TYPES: dict[int, ImageType] = {0: JPEG, 1: JPEG_2000}
DATA_TYPE_OF_IMAGE: dict[ImageType, int] = {JPEG: 0, JPEG_2000: 1}

# ISO/IEC 39794-5 ImageDataFormat codes; PNG and the raw formats are not allowed in an eMRTD.
IMAGE_FORMAT_CODES: dict[int, ImageType] = {2: JPEG, 3: JPEG_2000, 4: JPEG_2000}
FORMAT_CODE_OF_IMAGE: dict[ImageType, int] = {JPEG: 2, JPEG_2000: 3}
# Context tags of the 39794-5 blocks (automatic tagging: [n] is 0x80 + n, or 0xA0 + n when
# constructed).
APPLICATION_5 = 0x65


@dataclass(frozen=True, slots=True)
class FaceImage:
    """One face from DG2: the image bytes, their type, size when declared, and the encoding."""

    mime_type: ImageType
    data: bytes
    width: int | None
    height: int | None
    encoding: FaceEncoding


def sniff_image_type(data: bytes) -> ImageType | None:
    """Name the image type by its first bytes: JPEG, JPEG 2000 codestream or JP2 file, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\xff\x4f\xff\x51") or data.startswith(b"\x00\x00\x00\x0cjP  "):
        return JPEG_2000
    return None


def _check_image(declared: ImageType, image: bytes, offset: int) -> None:
    found = sniff_image_type(image)
    if found is None:
        raise LDSError(
            DG2, f"image bytes are neither JPEG nor JPEG 2000 (declared {declared})", offset
        )
    if found != declared:
        raise LDSError(DG2, f"image declared as {declared} but its bytes are {found}", offset)


def read_dg2(data: bytes) -> tuple[FaceImage, ...]:
    """Read every face in DG2, refusing a structure or an image that does not match Part 10."""
    root = open_file(data, TAG_OF_DATA_GROUP[2])
    if len(root.children) != 1 or root.children[0].tag != GROUP_TEMPLATE_TAG:
        raise LDSError(DG2, "expected exactly one biometric information group template 7F61", 0)
    group = root.children[0]
    count_tlv = group.find(COUNT_TAG)
    if count_tlv is None or len(count_tlv.value) != 1:
        raise LDSError(DG2, "the group template has no one-byte count 02", group.offset)
    templates = group.find_all(INFO_TEMPLATE_TAG)
    if count_tlv.value[0] != len(templates) or len(group.children) != len(templates) + 1:
        raise LDSError(
            DG2,
            f"count says {count_tlv.value[0]} templates, {len(templates)} found",
            count_tlv.offset,
        )
    if not templates:
        raise LDSError(DG2, "no face", group.offset)
    faces: list[FaceImage] = []
    for template in templates:
        faces.extend(_read_template(template))
    return tuple(faces)


def _read_template(template: Tlv) -> tuple[FaceImage, ...]:
    if template.find(SECURE_MESSAGING_TAG) is not None:
        raise LDSError(
            DG2, "statically protected templates (7D) are not supported", template.offset
        )
    if template.find(HEADER_TAG) is None:
        raise LDSError(DG2, "biometric information template without header A1", template.offset)
    binary, der = template.find(BINARY_BLOCK_TAG), template.find(DER_BLOCK_TAG)
    if binary is not None:
        return _read_19794_record(binary.value, binary.value_offset)
    if der is not None:
        return _read_39794_block(der)
    raise LDSError(DG2, "biometric information template without data block", template.offset)


def _uint(record: bytes, at: int, size: int) -> int:
    return int.from_bytes(record[at : at + size], "big")


def _read_19794_record(record: bytes, base: int) -> tuple[FaceImage, ...]:
    """Read an ISO/IEC 19794-5:2005 facial record (§5.4-5.8); `base` is its offset in DG2."""
    if len(record) < RECORD_HEADER_BYTES:
        raise LDSError(DG2, f"facial record of {len(record)} bytes, shorter than its header", base)
    if record[0:4] != FORMAT_IDENTIFIER:
        raise LDSError(
            DG2, f"facial record format {record[0:4]!r} is not {FORMAT_IDENTIFIER!r}", base
        )
    if record[4:8] != VERSION_2005:
        raise LDSError(
            DG2, f"facial record version {record[4:8]!r} is not {VERSION_2005!r}", base + 4
        )
    if _uint(record, 8, 4) != len(record):
        raise LDSError(
            DG2,
            f"record length says {_uint(record, 8, 4)}, the block holds {len(record)}",
            base + 8,
        )
    count = _uint(record, 12, 2)
    if count == 0:
        raise LDSError(DG2, "facial record with no face", base + 12)
    faces: list[FaceImage] = []
    pos = RECORD_HEADER_BYTES
    for _ in range(count):
        if pos + FACE_INFO_BYTES > len(record):
            raise LDSError(DG2, "facial record ends inside a facial information block", base + pos)
        block_length = _uint(record, pos, 4)
        points = _uint(record, pos + 4, 2)
        image_at = pos + FACE_INFO_BYTES + points * FEATURE_POINT_BYTES + IMAGE_INFO_BYTES
        end = pos + block_length
        if image_at > end or end > len(record):
            raise LDSError(DG2, f"facial block length {block_length} does not fit", base + pos)
        info = image_at - IMAGE_INFO_BYTES
        data_type = record[info + 1]
        if data_type not in IMAGE_DATA_TYPES:
            raise LDSError(
                DG2,
                f"image data type {data_type} is not JPEG (0) or JPEG 2000 (1)",
                base + info + 1,
            )
        declared = IMAGE_DATA_TYPES[data_type]
        image = record[image_at:end]
        _check_image(declared, image, base + image_at)
        width, height = _uint(record, info + 2, 2), _uint(record, info + 4, 2)
        faces.append(FaceImage(declared, image, width, height, ISO_19794_5))
        pos = end
    if pos != len(record):
        raise LDSError(DG2, f"{len(record) - pos} bytes after the last face", base + pos)
    return tuple(faces)


def _child(parent: Tlv, tag: int, what: str) -> Tlv:
    found = parent.find(tag)
    if found is None:
        raise LDSError(DG2, f"{what} [{tag & 0x1F}] missing", parent.offset)
    return found


def _der_integer(field: Tlv, what: str) -> int:
    """Read a non-negative DER INTEGER of at most 4 bytes (sizes, codes, versions)."""
    if not 1 <= len(field.value) <= 4 or field.value[0] & 0x80:
        raise LDSError(DG2, f"{what} is not a non-negative integer of 1 to 4 bytes", field.offset)
    return int.from_bytes(field.value, "big")


def _read_39794_block(block: Tlv) -> tuple[FaceImage, ...]:
    """Read an ISO/IEC 39794-5 FaceImageDataBlock under 7F2E.

    The ICAO application profile puts it in an A1 object under 7F2E. JMRTD keeps the block's
    own [APPLICATION 5] tag (65) inside A1; others write its fields straight in A1. Both read.
    """
    data_block = _child(block, HEADER_TAG, "face image data block")
    if len(data_block.children) == 1 and data_block.children[0].tag == APPLICATION_5:
        data_block = data_block.children[0]
    version = _child(data_block, 0xA0, "version block")
    generation = _der_integer(_child(version, 0x80, "generation"), "generation")
    if generation != 3:
        raise LDSError(DG2, f"39794 version generation {generation} is not 3", version.offset)
    representations = _child(data_block, 0xA1, "representation blocks")
    if not representations.children:
        raise LDSError(DG2, "no representation block", representations.offset)
    return tuple(_read_representation(r) for r in representations.children)


def _read_representation(representation: Tlv) -> FaceImage:
    if representation.tag != 0x30:
        raise LDSError(DG2, "representation block is not a SEQUENCE", representation.offset)
    choice = _child(representation, 0xA1, "image representation")
    base = _child(choice, 0xA0, "image representation base")
    block_2d = _child(base, 0xA0, "2D image representation")
    image = _child(block_2d, 0x80, "representation data")
    information = _child(block_2d, 0xA1, "2D image information")
    format_choice = _child(information, 0xA0, "image data format")
    code = _der_integer(_child(format_choice, 0x80, "image data format code"), "format code")
    if code not in IMAGE_FORMAT_CODES:
        raise LDSError(
            DG2,
            f"image data format {code} is not JPEG (2) or JPEG 2000 (3, 4)",
            format_choice.offset,
        )
    declared = IMAGE_FORMAT_CODES[code]
    _check_image(declared, image.value, image.value_offset)
    width = height = None
    size = information.find(0xA7)
    if size is not None:
        width = _der_integer(_child(size, 0x80, "width"), "width")
        height = _der_integer(_child(size, 0x81, "height"), "height")
    return FaceImage(declared, image.value, width, height, ISO_39794_5)
