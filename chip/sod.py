"""EF.SOD (Doc 9303 Part 10 §4.6.2): tag 0x77 around a CMS SignedData of an LDSSecurityObject."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import ClassVar

from asn1crypto import algos, core
from cryptography import x509

from chip.cms import MALFORMED, SignedContent, read_signed_data, signer_certificate
from chip.errors import CMSError, SODError

LDS_SECURITY_OBJECT_OID = "2.23.136.1.1.1"
# Far above a real EF.SOD (a few kB with its DSC): bounds the work a hostile file can cause.
MAX_SOD_BYTES = 1 << 16


# asn1crypto ships no type hints, so its base classes are Any to mypy.
class _DataGroupHash(core.Sequence):  # type: ignore[misc]
    _fields: ClassVar = [
        ("data_group_number", core.Integer),
        ("data_group_hash_value", core.OctetString),
    ]


class _DataGroupHashes(core.SequenceOf):  # type: ignore[misc]
    _child_spec = _DataGroupHash


class _LDSVersionInfo(core.Sequence):  # type: ignore[misc]
    _fields: ClassVar = [
        ("lds_version", core.PrintableString),
        ("unicode_version", core.PrintableString),
    ]


class _LDSSecurityObject(core.Sequence):  # type: ignore[misc]
    """Doc 9303 Part 10 §4.6.2.3: version 0, or version 1 with LDSVersionInfo."""

    _fields: ClassVar = [
        ("version", core.Integer),
        ("hash_algorithm", algos.DigestAlgorithm),
        ("data_group_hash_values", _DataGroupHashes),
        ("lds_version_info", _LDSVersionInfo, {"optional": True}),
    ]


@dataclass(frozen=True, slots=True)
class SecurityObject:
    """An EF.SOD read: the hash algorithm, each data group's hash, the signed data, the DSC."""

    version: int
    hash_algorithm: str
    hashes: MappingProxyType[int, bytes]
    lds_version: str | None
    unicode_version: str | None
    signed: SignedContent
    dsc: x509.Certificate | None


def _unwrap(data: bytes) -> bytes:
    """Return the value of the 0x77 TLV; trailing padding of 0x00 or 0xFF is tolerated."""
    if len(data) > MAX_SOD_BYTES:
        raise SODError(f"{len(data)} bytes, more than the {MAX_SOD_BYTES} allowed")
    if len(data) < 2 or data[0] != 0x77:
        raise SODError("does not begin with tag 0x77")
    first = data[1]
    if first < 0x80:
        length, start = first, 2
    else:
        octets = first & 0x7F
        if octets == 0 or octets > 3 or len(data) < 2 + octets:
            raise SODError(f"length octet 0x{first:02X} is not a definite length we accept")
        length, start = int.from_bytes(data[2 : 2 + octets], "big"), 2 + octets
    end = start + length
    if end > len(data):
        raise SODError(f"length {length} runs past the end of the {len(data)} bytes")
    if data[end:].strip(b"\x00").strip(b"\xff"):
        raise SODError(f"{len(data) - end} bytes after the 0x77 value")
    return data[start:end]


def read_sod(data: bytes) -> SecurityObject:
    """Read an EF.SOD; raise SODError saying what is wrong with a malformed one."""
    try:
        signed = read_signed_data(_unwrap(data))
    except CMSError as error:
        raise SODError(error.reason) from error
    if signed.content_type != LDS_SECURITY_OBJECT_OID:
        raise SODError(f"content type {signed.content_type} is not LDSSecurityObject")
    try:
        lso = _LDSSecurityObject.load(signed.content, strict=True)
        version = lso["version"].native
        if version not in (0, 1):
            raise SODError(f"LDSSecurityObject version {version}, not 0 or 1")
        info = lso["lds_version_info"]
        if (version == 1) != bool(info):
            raise SODError(f"LDSSecurityObject version {version} with LDSVersionInfo wrongly")
        hashes: dict[int, bytes] = {}
        for entry in lso["data_group_hash_values"]:
            number = entry["data_group_number"].native
            if not 1 <= number <= 16:
                raise SODError(f"data group number {number} is not 1 to 16")
            if number in hashes:
                raise SODError(f"DG{number} hashed twice")
            hashes[number] = entry["data_group_hash_value"].native
        hash_name = lso["hash_algorithm"]["algorithm"].native
        lds_version = info["lds_version"].native if info else None
        unicode_version = info["unicode_version"].native if info else None
        dsc = signer_certificate(signed, signed.certificates)
    except MALFORMED as malformed:
        raise SODError(f"LDSSecurityObject malformed: {malformed}") from malformed
    if not hashes:
        raise SODError("LDSSecurityObject hashes no data group")
    return SecurityObject(
        version=version,
        hash_algorithm=hash_name,
        hashes=MappingProxyType(hashes),
        lds_version=lds_version,
        unicode_version=unicode_version,
        signed=signed,
        dsc=dsc,
    )
