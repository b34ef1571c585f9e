"""The Logical Data Structure (Doc 9303 Part 10 §4.6-4.7): EF.COM and the data groups as values.

Each reader takes a whole file and returns typed values or raises `LDSError` naming the file and
the byte; `read_chip` reads every file present and reports each file's error apart, so one bad
group hides nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm

# DSA is left out: Active Authentication uses RSA or ECDSA (Part 11 §6.1), and naming DSA
# warns that it is deprecated.
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key

from chip.errors import LDSError, TLVError
from chip.face import FaceImage, read_dg2
from chip.files import DATA_GROUP_TAGS, EF_COM_TAG, TAG_OF_DATA_GROUP, ChipFiles, open_file
from chip.tlv import Tlv, read_tags

LDS_VERSION_TAG = 0x5F01
UNICODE_VERSION_TAG = 0x5F36
TAG_LIST_TAG = 0x5C
MRZ_TAG = 0x5F1F
COUNT_TAG = 0x02
OTHER_NAMES_TAG = 0xA0
# Doc 9303 Part 3 §4: TD1 is 3 lines of 30, TD2 2 of 36, TD3 2 of 44; DG1 holds them unbroken.
MRZ_LINES: dict[int, tuple[int, int]] = {90: (3, 30), 72: (2, 36), 88: (2, 44)}
# Doc 9303 Part 10 §4.7.11 and §4.7.12: tag, attribute, and whether the value is text.
DG11_FIELDS: tuple[tuple[int, str, bool], ...] = (
    (0x5F0E, "full_name", True),
    (0x5F10, "personal_number", True),
    (0x5F2B, "full_date_of_birth", True),
    (0x5F11, "place_of_birth", True),
    (0x5F42, "permanent_address", True),
    (0x5F12, "telephone", True),
    (0x5F13, "profession", True),
    (0x5F14, "title", True),
    (0x5F15, "personal_summary", True),
    (0x5F16, "proof_of_citizenship", False),
    (0x5F17, "other_travel_documents", True),
    (0x5F18, "custody_information", True),
)
DG11_OTHER_NAME_TAG = 0x5F0F
DG12_FIELDS: tuple[tuple[int, str, bool], ...] = (
    (0x5F19, "issuing_authority", True),
    (0x5F26, "date_of_issue", True),
    (0x5F1B, "endorsements", True),
    (0x5F1C, "tax_or_exit_requirements", True),
    (0x5F1D, "image_of_front", False),
    (0x5F1E, "image_of_rear", False),
    (0x5F55, "personalization_time", True),
    (0x5F56, "personalization_system_serial", True),
)
DG12_OTHER_PERSON_TAG = 0x5F1A
SECURITY_INFOS_TAG = 0x31
SPKI_TAG = 0x30
OID_TAG = 0x06


@dataclass(frozen=True, slots=True)
class Com:
    """EF.COM: the LDS and Unicode versions (as written, "0107", "040000") and the groups listed."""

    lds_version: str
    unicode_version: str
    data_groups: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PersonalDetails:
    """DG11, additional personal details; absent fields are None, unknown tags kept by tag."""

    full_name: str | None = None
    other_names: tuple[str, ...] = ()
    personal_number: str | None = None
    full_date_of_birth: str | None = None
    place_of_birth: str | None = None
    permanent_address: str | None = None
    telephone: str | None = None
    profession: str | None = None
    title: str | None = None
    personal_summary: str | None = None
    proof_of_citizenship: bytes | None = None
    other_travel_documents: str | None = None
    custody_information: str | None = None
    unknown: tuple[tuple[int, bytes], ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentDetails:
    """DG12, additional document details; absent fields are None, unknown tags kept by tag."""

    issuing_authority: str | None = None
    date_of_issue: str | None = None
    other_persons: tuple[str, ...] = ()
    endorsements: str | None = None
    tax_or_exit_requirements: str | None = None
    image_of_front: bytes | None = None
    image_of_rear: bytes | None = None
    personalization_time: str | None = None
    personalization_system_serial: str | None = None
    unknown: tuple[tuple[int, bytes], ...] = ()


@dataclass(frozen=True, slots=True)
class SecurityInfos:
    """DG14 as data: the DER SecurityInfos and the protocol OID of each info, in order."""

    der: bytes
    protocols: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ActiveAuthenticationKey:
    """DG15 as data: the DER SubjectPublicKeyInfo, its algorithm and size when recognised."""

    der: bytes
    algorithm: str | None
    key_size: int | None


@dataclass(frozen=True, slots=True)
class ChipData:
    """What the LDS files of one document say, with each unreadable file's error."""

    com: Com | None = None
    mrz: tuple[str, ...] | None = None
    faces: tuple[FaceImage, ...] = ()
    personal: PersonalDetails | None = None
    document: DocumentDetails | None = None
    security_infos: SecurityInfos | None = None
    active_authentication_key: ActiveAuthenticationKey | None = None
    problems: tuple[LDSError, ...] = ()


def _text(tlv: Tlv, name: str) -> str:
    try:
        return tlv.value.decode("utf-8")
    except UnicodeDecodeError as error:
        raise LDSError(name, f"tag 0x{tlv.tag:X} is not UTF-8 text", tlv.value_offset) from error


def _tag_list(root: Tlv, name: str) -> tuple[int, ...]:
    found = root.find(TAG_LIST_TAG)
    if found is None:
        raise LDSError(name, "no tag list 5C", 0)
    try:
        return read_tags(found.value, base=found.value_offset)
    except TLVError as error:
        raise LDSError(name, f"tag list: {error.reason}", error.offset) from error


def read_com(data: bytes) -> Com:
    """Read EF.COM: versions and the data groups the chip says it holds."""
    root = open_file(data, EF_COM_TAG)
    found = {child.tag: child for child in root.children}
    for tag in (LDS_VERSION_TAG, UNICODE_VERSION_TAG, TAG_LIST_TAG):
        if tag not in found:
            raise LDSError("EF.COM", f"no tag 0x{tag:X}", 0)
    groups: list[int] = []
    for tag in _tag_list(root, "EF.COM"):
        if tag not in DATA_GROUP_TAGS:
            raise LDSError("EF.COM", f"tag list names 0x{tag:X}, not a data group", 0)
        groups.append(DATA_GROUP_TAGS[tag])
    return Com(
        _text(found[LDS_VERSION_TAG], "EF.COM"),
        _text(found[UNICODE_VERSION_TAG], "EF.COM"),
        tuple(groups),
    )


def read_dg1(data: bytes) -> tuple[str, ...]:
    """Read DG1: the MRZ, cut into its lines by its length (TD1, TD2 or TD3)."""
    root = open_file(data, TAG_OF_DATA_GROUP[1])
    mrz = root.find(MRZ_TAG)
    if mrz is None or len(root.children) != 1:
        raise LDSError("DG1", "expected exactly one MRZ data object 5F1F", 0)
    if len(mrz.value) not in MRZ_LINES:
        raise LDSError(
            "DG1",
            f"MRZ of {len(mrz.value)} characters is not TD1 (90), TD2 (72) or TD3 (88)",
            mrz.value_offset,
        )
    try:
        text = mrz.value.decode("ascii")
    except UnicodeDecodeError as error:
        raise LDSError("DG1", "MRZ is not ASCII", mrz.value_offset) from error
    count, width = MRZ_LINES[len(text)]
    return tuple(text[i * width : (i + 1) * width] for i in range(count))


def _read_details(
    root: Tlv, name: str, table: tuple[tuple[int, str, bool], ...], list_tag: int
) -> dict[str, Any]:
    _tag_list(root, name)
    by_tag = {tag: (attribute, is_text) for tag, attribute, is_text in table}
    values: dict[str, Any] = {}
    listed: list[str] = []
    unknown: list[tuple[int, bytes]] = []
    for child in root.children:
        if child.tag == TAG_LIST_TAG:
            continue
        if child.tag == OTHER_NAMES_TAG:
            names = child.find_all(list_tag)
            count = child.find(COUNT_TAG)
            if count is None or count.value != bytes([len(names)]):
                raise LDSError(name, f"name count does not match {len(names)} names", child.offset)
            listed.extend(_text(n, name) for n in names)
        elif child.tag in by_tag:
            attribute, is_text = by_tag[child.tag]
            if attribute in values:
                raise LDSError(name, f"tag 0x{child.tag:X} given twice", child.offset)
            values[attribute] = _text(child, name) if is_text else child.value
        else:
            unknown.append((child.tag, child.value))
    values["unknown"] = tuple(unknown)
    values["names"] = tuple(listed)
    return values


def read_dg11(data: bytes) -> PersonalDetails:
    """Read DG11, the additional personal details."""
    root = open_file(data, TAG_OF_DATA_GROUP[11])
    values = _read_details(root, "DG11", DG11_FIELDS, DG11_OTHER_NAME_TAG)
    values["other_names"] = values.pop("names")
    return PersonalDetails(**values)


def read_dg12(data: bytes) -> DocumentDetails:
    """Read DG12, the additional document details."""
    root = open_file(data, TAG_OF_DATA_GROUP[12])
    values = _read_details(root, "DG12", DG12_FIELDS, DG12_OTHER_PERSON_TAG)
    values["other_persons"] = values.pop("names")
    return DocumentDetails(**values)


def _dotted(oid: Tlv, name: str) -> str:
    """Write a DER OBJECT IDENTIFIER (X.690 §8.19) in dotted form."""
    arcs: list[int] = []
    value = 0
    for index, byte in enumerate(oid.value):
        if value == 0 and byte == 0x80:
            raise LDSError(name, "object identifier arc padded with 0x80", oid.value_offset + index)
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    if not arcs or oid.value[-1] & 0x80:
        raise LDSError(name, "object identifier is empty or cut short", oid.offset)
    first = min(arcs[0] // 40, 2)
    return ".".join(str(a) for a in (first, arcs[0] - 40 * first, *arcs[1:]))


def read_dg14(data: bytes) -> SecurityInfos:
    """Read DG14 as data: the SecurityInfos SET and the protocol OID of each info."""
    root = open_file(data, TAG_OF_DATA_GROUP[14])
    if len(root.children) != 1 or root.children[0].tag != SECURITY_INFOS_TAG:
        raise LDSError("DG14", "expected one SET OF SecurityInfo (31)", 0)
    infos = root.children[0]
    protocols: list[str] = []
    for info in infos.children:
        if info.tag != 0x30 or not info.children or info.children[0].tag != OID_TAG:
            raise LDSError(
                "DG14", "SecurityInfo is not a SEQUENCE opening with an OID", info.offset
            )
        protocols.append(_dotted(info.children[0], "DG14"))
    return SecurityInfos(
        data[infos.offset : infos.value_offset + len(infos.value)], tuple(protocols)
    )


def _key_algorithm(der: bytes) -> tuple[str | None, int | None]:
    try:
        key = load_der_public_key(der)
    except (ValueError, UnsupportedAlgorithm):
        # An algorithm `cryptography` does not know is still a key we can hand on as data.
        return None, None
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"EC {key.curve.name}", key.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 456
    return type(key).__name__, None


def read_dg15(data: bytes) -> ActiveAuthenticationKey:
    """Read DG15 as data: the Active Authentication public key and, where known, its algorithm."""
    root = open_file(data, TAG_OF_DATA_GROUP[15])
    if len(root.children) != 1 or root.children[0].tag != SPKI_TAG:
        raise LDSError("DG15", "expected one SubjectPublicKeyInfo SEQUENCE (30)", 0)
    spki = root.children[0]
    der = data[spki.offset : spki.value_offset + len(spki.value)]
    algorithm, size = _key_algorithm(der)
    return ActiveAuthenticationKey(der, algorithm, size)


def read_chip(files: ChipFiles) -> ChipData:
    """Read every LDS file present; a file that cannot be read becomes a problem naming it."""
    problems: list[LDSError] = []
    values: dict[str, Any] = {}
    readers: tuple[tuple[str, bytes | None, Callable[[bytes], object]], ...] = (
        ("com", files.com, read_com),
        ("mrz", files.groups.get(1), read_dg1),
        ("faces", files.groups.get(2), read_dg2),
        ("personal", files.groups.get(11), read_dg11),
        ("document", files.groups.get(12), read_dg12),
        ("security_infos", files.groups.get(14), read_dg14),
        ("active_authentication_key", files.groups.get(15), read_dg15),
    )
    for attribute, data, reader in readers:
        if data is None:
            continue
        try:
            values[attribute] = reader(data)
        except LDSError as error:
            problems.append(error)
    return ChipData(**values, problems=tuple(problems))
