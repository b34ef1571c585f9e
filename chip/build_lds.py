"""Write real LDS files for tests, demo data and benchmarks: each builder inverts its reader.

`read_dgN(build_dgN(x)) == x`, and building what was read gives back the same bytes, so a file
made here exercises exactly the paths a chip's own file takes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from chip.face import (
    APPLICATION_5,
    BINARY_BLOCK_TAG,
    COUNT_TAG,
    DATA_TYPE_OF_IMAGE,
    DER_BLOCK_TAG,
    FACE_INFO_BYTES,
    FORMAT_CODE_OF_IMAGE,
    FORMAT_IDENTIFIER,
    FORMAT_OWNER_TAG,
    FORMAT_TYPE_19794_5,
    FORMAT_TYPE_39794_5,
    FORMAT_TYPE_TAG,
    GROUP_TEMPLATE_TAG,
    HEADER_TAG,
    IMAGE_INFO_BYTES,
    INFO_TEMPLATE_TAG,
    ISO_19794_5,
    ISO_39794_5,
    RECORD_HEADER_BYTES,
    SC37_FORMAT_OWNER,
    VERSION_2005,
    FaceEncoding,
    FaceImage,
    sniff_image_type,
)
from chip.files import EF_COM_TAG, TAG_OF_DATA_GROUP
from chip.lds import (
    DG11_FIELDS,
    DG11_OTHER_NAME_TAG,
    DG12_FIELDS,
    DG12_OTHER_PERSON_TAG,
    LDS_VERSION_TAG,
    MRZ_TAG,
    OTHER_NAMES_TAG,
    TAG_LIST_TAG,
    UNICODE_VERSION_TAG,
    DocumentDetails,
    PersonalDetails,
)
from chip.tlv import encode_tag, encode_tlv

# ISO/IEC 7816-11 biometric type 81: facial features (02).
BIOMETRIC_TYPE_FACE = b"\x81\x01\x02"
# ISO/IEC 39794-5 edition 1 is the third generation of the formats, published 2019.
VERSION_39794 = (3, 2019)


def _der_integer(tag: int, value: int) -> bytes:
    return encode_tlv(tag, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def build_com(
    groups: Iterable[int], *, lds_version: str = "0107", unicode_version: str = "040000"
) -> bytes:
    """Write EF.COM listing `groups` (numbers, in the order given)."""
    tag_list = b"".join(encode_tag(TAG_OF_DATA_GROUP[g]) for g in groups)
    body = (
        encode_tlv(LDS_VERSION_TAG, lds_version.encode("ascii"))
        + encode_tlv(UNICODE_VERSION_TAG, unicode_version.encode("ascii"))
        + encode_tlv(TAG_LIST_TAG, tag_list)
    )
    return encode_tlv(EF_COM_TAG, body)


def build_dg1(mrz_lines: Sequence[str]) -> bytes:
    """Write DG1 from the MRZ lines (joined without line breaks, Doc 9303 Part 10 §4.7.1)."""
    return encode_tlv(TAG_OF_DATA_GROUP[1], encode_tlv(MRZ_TAG, "".join(mrz_lines).encode("ascii")))


def _record_19794(face: FaceImage) -> bytes:
    """Write one ISO/IEC 19794-5:2005 facial record holding one frontal face, no feature points."""
    width, height = face.width or 0, face.height or 0
    block_length = FACE_INFO_BYTES + IMAGE_INFO_BYTES + len(face.data)
    face_info = block_length.to_bytes(4, "big") + bytes(FACE_INFO_BYTES - 4)
    # Face image type 1 (full frontal), colour space 1 (24-bit RGB), source type 0 (unspecified).
    image_info = (
        bytes([1, DATA_TYPE_OF_IMAGE[face.mime_type]])
        + width.to_bytes(2, "big")
        + height.to_bytes(2, "big")
        + bytes([1, 0])
        + bytes(4)
    )
    length = RECORD_HEADER_BYTES + block_length
    header = FORMAT_IDENTIFIER + VERSION_2005 + length.to_bytes(4, "big") + (1).to_bytes(2, "big")
    return header + face_info + image_info + face.data


def _block_39794(face: FaceImage) -> bytes:
    """Write an ISO/IEC 39794-5 FaceImageDataBlock, as JMRTD does (A1 holding the 65 block)."""
    generation, year = VERSION_39794
    version = encode_tlv(0xA0, _der_integer(0x80, generation) + _der_integer(0x81, year))
    information = encode_tlv(0xA0, _der_integer(0x80, FORMAT_CODE_OF_IMAGE[face.mime_type]))
    if face.width is not None and face.height is not None:
        size = _der_integer(0x80, face.width) + _der_integer(0x81, face.height)
        information += encode_tlv(0xA7, size)
    block_2d = encode_tlv(0x80, face.data) + encode_tlv(0xA1, information)
    choice = encode_tlv(0xA1, encode_tlv(0xA0, encode_tlv(0xA0, block_2d)))
    representation = encode_tlv(0x30, _der_integer(0x80, 0) + choice)
    data_block = encode_tlv(APPLICATION_5, version + encode_tlv(0xA1, representation))
    return encode_tlv(HEADER_TAG, data_block)


def build_dg2_faces(faces: Sequence[FaceImage]) -> bytes:
    """Write DG2 with one template per face, each in its own encoding and declared image type."""
    templates = b""
    for face in faces:
        if face.encoding == ISO_19794_5:
            format_type, block = (
                FORMAT_TYPE_19794_5,
                encode_tlv(BINARY_BLOCK_TAG, _record_19794(face)),
            )
        else:
            format_type, block = FORMAT_TYPE_39794_5, encode_tlv(DER_BLOCK_TAG, _block_39794(face))
        header = encode_tlv(
            HEADER_TAG,
            BIOMETRIC_TYPE_FACE
            + encode_tlv(FORMAT_OWNER_TAG, SC37_FORMAT_OWNER.to_bytes(2, "big"))
            + encode_tlv(FORMAT_TYPE_TAG, format_type.to_bytes(2, "big")),
        )
        templates += encode_tlv(INFO_TEMPLATE_TAG, header + block)
    group = encode_tlv(COUNT_TAG, bytes([len(faces)])) + templates
    return encode_tlv(TAG_OF_DATA_GROUP[2], encode_tlv(GROUP_TEMPLATE_TAG, group))


def build_dg2(
    image: bytes, *, width: int, height: int, encoding: FaceEncoding = ISO_19794_5
) -> bytes:
    """Write DG2 holding one face image, its type read from its first bytes."""
    mime_type = sniff_image_type(image)
    if mime_type is None:
        raise ValueError("the image is neither JPEG nor JPEG 2000")
    if encoding not in (ISO_19794_5, ISO_39794_5):
        raise ValueError(f"unknown face encoding {encoding!r}")
    return build_dg2_faces([FaceImage(mime_type, image, width, height, encoding)])


def _build_details(
    tag: int,
    values: PersonalDetails | DocumentDetails,
    table: tuple[tuple[int, str, bool], ...],
    names: tuple[str, ...],
    name_tag: int,
) -> bytes:
    listed: list[int] = []
    body = b""
    for field_tag, attribute, is_text in table:
        value = getattr(values, attribute)
        if value is None:
            continue
        listed.append(field_tag)
        body += encode_tlv(field_tag, value.encode("utf-8") if is_text else value)
    if names:
        listed.append(name_tag)
        entries = b"".join(encode_tlv(name_tag, n.encode("utf-8")) for n in names)
        body += encode_tlv(OTHER_NAMES_TAG, encode_tlv(COUNT_TAG, bytes([len(names)])) + entries)
    for unknown_tag, value in values.unknown:
        listed.append(unknown_tag)
        body += encode_tlv(unknown_tag, value)
    tag_list = encode_tlv(TAG_LIST_TAG, b"".join(encode_tag(t) for t in listed))
    return encode_tlv(tag, tag_list + body)


def build_dg11(details: PersonalDetails) -> bytes:
    """Write DG11 from the personal details given; None fields are left out."""
    return _build_details(
        TAG_OF_DATA_GROUP[11], details, DG11_FIELDS, details.other_names, DG11_OTHER_NAME_TAG
    )


def build_dg12(details: DocumentDetails) -> bytes:
    """Write DG12 from the document details given; None fields are left out."""
    return _build_details(
        TAG_OF_DATA_GROUP[12], details, DG12_FIELDS, details.other_persons, DG12_OTHER_PERSON_TAG
    )


def _oid(dotted: str) -> bytes:
    arcs = [int(a) for a in dotted.split(".")]
    body = b""
    for arc in [40 * arcs[0] + arcs[1], *arcs[2:]]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body += bytes(reversed(chunk))
    return encode_tlv(0x06, body)


# Doc 9303 Part 11 §9.2: id-CA-ECDH-AES-CBC-CMAC-128, the protocol most chips announce.
CHIP_AUTHENTICATION_OID = "0.4.0.127.0.7.2.2.3.2.2"


def build_dg14(protocols: Sequence[str] = (CHIP_AUTHENTICATION_OID,)) -> bytes:
    """Write a minimal DG14: one SecurityInfo per protocol OID, each with version 1."""
    infos = b"".join(encode_tlv(0x30, _oid(p) + _der_integer(0x02, 1)) for p in protocols)
    return encode_tlv(TAG_OF_DATA_GROUP[14], encode_tlv(0x31, infos))


def build_dg15(public_key: PublicKeyTypes) -> bytes:
    """Write DG15 holding the Active Authentication public key as a SubjectPublicKeyInfo."""
    der = public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return encode_tlv(TAG_OF_DATA_GROUP[15], der)
