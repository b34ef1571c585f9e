"""Throw-away ePassport PKIs for tests, the demo and benchmarks: CSCAs, DSCs, CRLs, EF.SODs.

Everything here is generated with `cryptography` and encoded with asn1crypto; nothing is fit
for production (keys are cached in memory so that tests can build many PKIs cheaply).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Literal

from asn1crypto import algos, cms, core
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from chip.curves import explicit_parameters
from chip.masterlist import CSCA_MASTER_LIST_OID
from chip.signatures import HASHES
from chip.sod import LDS_SECURITY_OBJECT_OID

Family = Literal["pkcs1", "pss", "ecdsa"]
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
CURVES: dict[str, ec.EllipticCurve] = {
    "secp256r1": ec.SECP256R1(),
    "secp384r1": ec.SECP384R1(),
    "brainpoolP256r1": ec.BrainpoolP256R1(),
    "brainpoolP384r1": ec.BrainpoolP384R1(),
}


@functools.cache
def rsa_key(slot: int = 0, bits: int = 2048) -> rsa.RSAPrivateKey:
    """Return the RSA key of this slot, generated once per process."""
    return rsa.generate_private_key(65537, bits)


@functools.cache
def ec_key(curve: str = "secp256r1", slot: int = 0) -> ec.EllipticCurvePrivateKey:
    """Return the EC key of this curve and slot, generated once per process."""
    return ec.generate_private_key(CURVES[curve])


@dataclass(frozen=True, slots=True)
class Issued:
    """A certificate and its private key."""

    key: PrivateKey
    certificate: x509.Certificate


def _at(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _name(country: str, common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"Government of {country}"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _pss(hash_name: str = "sha256") -> padding.PSS:
    chosen = HASHES[hash_name]()
    return padding.PSS(padding.MGF1(chosen), chosen.digest_size)


def sign(key: PrivateKey, data: bytes, family: Family, hash_name: str = "sha256") -> bytes:
    """Sign `data` with the scheme of this family."""
    chosen = HASHES[hash_name]()
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(chosen))
    if family == "pss":
        return key.sign(data, _pss(hash_name), chosen)
    return key.sign(data, padding.PKCS1v15(), chosen)


def _certificate(
    subject: x509.Name,
    public_key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey,
    issuer: x509.Name,
    issuer_key: PrivateKey,
    family: Family,
    valid: tuple[date, date],
    serial: int,
    ca: bool,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(serial)
        .not_valid_before(_at(valid[0]))
        .not_valid_after(_at(valid[1]))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False
        )
    )
    if ca:
        usage = {"key_cert_sign": True, "crl_sign": True, "digital_signature": False}
    else:
        usage = {"key_cert_sign": False, "crl_sign": False, "digital_signature": True}
    builder = builder.add_extension(
        x509.KeyUsage(
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            encipher_only=False,
            decipher_only=False,
            **usage,
        ),
        True,
    )
    if family == "pss" and isinstance(issuer_key, rsa.RSAPrivateKey):
        return builder.sign(issuer_key, hashes.SHA256(), rsa_padding=_pss())
    return builder.sign(issuer_key, hashes.SHA256())


def make_csca(
    country: str,
    key: PrivateKey,
    family: Family = "pkcs1",
    valid: tuple[date, date] = (date(2020, 1, 1), date(2035, 1, 1)),
    serial: int = 1,
    common_name: str = "CSCA",
) -> Issued:
    """Return a self-signed CSCA of this state."""
    name = _name(country, common_name)
    certificate = _certificate(name, key.public_key(), name, key, family, valid, serial, ca=True)
    return Issued(key, certificate)


def make_link(
    old: Issued, new: Issued, family: Family = "pkcs1", serial: int = 100
) -> x509.Certificate:
    """Return a link certificate: the new CSCA's name and key, signed by the old CSCA."""
    valid = (
        new.certificate.not_valid_before_utc.date(),
        old.certificate.not_valid_after_utc.date(),
    )
    return _certificate(
        new.certificate.subject,
        new.key.public_key(),
        old.certificate.subject,
        old.key,
        family,
        valid,
        serial,
        ca=True,
    )


def make_dsc(
    csca: Issued,
    key: PrivateKey,
    family: Family = "pkcs1",
    valid: tuple[date, date] = (date(2024, 1, 1), date(2034, 4, 1)),
    serial: int = 1000,
    common_name: str = "DS",
) -> Issued:
    """Return a document signer certificate issued by this CSCA."""
    country = csca.certificate.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value
    subject = _name(str(country), f"{common_name} {serial}")
    certificate = _certificate(
        subject,
        key.public_key(),
        csca.certificate.subject,
        csca.key,
        family,
        valid,
        serial,
        ca=False,
    )
    return Issued(key, certificate)


def make_crl(
    csca: Issued,
    revoked: Iterable[int] = (),
    this_update: date = date(2025, 1, 1),
    next_update: date = date(2099, 1, 1),
    family: Family = "pkcs1",
) -> x509.CertificateRevocationList:
    """Return a CRL of this CSCA revoking these serial numbers."""
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(csca.certificate.subject)
        .last_update(_at(this_update))
        .next_update(_at(next_update))
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(csca.key.public_key()), False
        )
        .add_extension(x509.CRLNumber(1), False)
    )
    for serial in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(_at(this_update))
            .build()
        )
    if family == "pss" and isinstance(csca.key, rsa.RSAPrivateKey):
        return builder.sign(csca.key, hashes.SHA256(), rsa_padding=_pss())
    return builder.sign(csca.key, hashes.SHA256())


def with_explicit_parameters(
    subject: Issued, issuer_key: PrivateKey, family: Family = "ecdsa"
) -> Issued:
    """Re-encode an EC certificate's key with explicit domain parameters and sign it again."""
    if not isinstance(subject.key, ec.EllipticCurvePrivateKey):
        raise TypeError("explicit parameters are for EC keys")
    asn1 = asn1_x509.Certificate.load(subject.certificate.public_bytes(serialization.Encoding.DER))
    tbs = asn1["tbs_certificate"]
    point = tbs["subject_public_key_info"]["public_key"]
    parameters = asn1_keys.ECDomainParameters(
        name="specified", value=explicit_parameters(subject.key.curve)
    )
    tbs["subject_public_key_info"] = asn1_keys.PublicKeyInfo(
        {"algorithm": {"algorithm": "ec", "parameters": parameters}, "public_key": point}
    )
    tbs_der = tbs.dump(force=True)
    rebuilt = asn1_x509.Certificate(
        {
            "tbs_certificate": asn1_x509.TbsCertificate.load(tbs_der),
            "signature_algorithm": asn1["signature_algorithm"],
            "signature_value": sign(issuer_key, tbs_der, family),
        }
    )
    return Issued(subject.key, x509.load_der_x509_certificate(rebuilt.dump(force=True)))


def _signature_algorithm(key: PrivateKey, family: Family, hash_name: str) -> dict[str, object]:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return {"algorithm": f"{hash_name}_ecdsa"}
    if family == "pss":
        size = HASHES[hash_name].digest_size
        return {
            "algorithm": "rsassa_pss",
            "parameters": algos.RSASSAPSSParams(
                {
                    "hash_algorithm": {"algorithm": hash_name},
                    "mask_gen_algorithm": {
                        "algorithm": "mgf1",
                        "parameters": {"algorithm": hash_name},
                    },
                    "salt_length": size,
                }
            ),
        }
    return {"algorithm": f"{hash_name}_rsa"}


def signed_data(
    content_type: str,
    content: bytes,
    signer: Issued,
    family: Family,
    hash_name: str = "sha256",
    include_certificate: bool = True,
    signing_time: date = date(2025, 1, 2),
) -> bytes:
    """Return a DER ContentInfo: a one-signer SignedData over `content`, signed attributes."""
    attributes = cms.CMSAttributes(
        [
            cms.CMSAttribute({"type": "content_type", "values": [content_type]}),
            cms.CMSAttribute(
                {"type": "signing_time", "values": [cms.Time({"utc_time": _at(signing_time)})]}
            ),
            cms.CMSAttribute(
                {"type": "message_digest", "values": [hashlib.new(hash_name, content).digest()]}
            ),
        ]
    )
    signature = sign(signer.key, attributes.dump(), family, hash_name)
    asn1_cert = asn1_x509.Certificate.load(
        signer.certificate.public_bytes(serialization.Encoding.DER)
    )
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                name="issuer_and_serial_number",
                value=cms.IssuerAndSerialNumber(
                    {"issuer": asn1_cert.issuer, "serial_number": asn1_cert.serial_number}
                ),
            ),
            "digest_algorithm": {"algorithm": hash_name},
            "signed_attrs": attributes,
            "signature_algorithm": _signature_algorithm(signer.key, family, hash_name),
            "signature": signature,
        }
    )
    data = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [{"algorithm": hash_name}],
            "encap_content_info": {
                "content_type": content_type,
                "content": core.ParsableOctetString(content),
            },
            "certificates": [asn1_cert] if include_certificate else None,
            "signer_infos": [signer_info],
        }
    )
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": data}).dump())


def _tlv(tag: bytes, value: bytes) -> bytes:
    size = len(value)
    if size < 0x80:
        return tag + bytes([size])
    octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return tag + bytes([0x80 | len(octets)]) + octets


def tlv(tag: bytes, value: bytes) -> bytes:
    """Encode a BER-TLV with a definite length."""
    return _tlv(tag, value) + value


def make_dg1(mrz: str) -> bytes:
    """Return DG1 holding this MRZ (Doc 9303 Part 10 §4.7.1)."""
    return tlv(b"\x61", tlv(b"\x5f\x1f", mrz.encode("ascii")))


def make_dg2(size: int = 2000, seed: int = 0) -> bytes:
    """Return a DG2-tagged file of arbitrary content (the hash covers raw bytes only)."""
    return tlv(b"\x75", random.Random(seed).randbytes(size))


def build_sod(
    groups: Mapping[int, bytes],
    dsc_key: PrivateKey,
    dsc_cert: x509.Certificate,
    hash_algorithm: str = "sha256",
    signature: Family = "pkcs1",
    *,
    hashes_override: Mapping[int, bytes] | None = None,
    lds_version: str | None = None,
    include_certificate: bool = True,
) -> bytes:
    """Return a real EF.SOD: tag 0x77 around a SignedData of the groups' LDSSecurityObject."""
    hashed = {n: hashlib.new(hash_algorithm, data).digest() for n, data in groups.items()}
    hashed.update(hashes_override or {})
    entries = b"".join(
        tlv(b"\x30", core.Integer(n).dump() + core.OctetString(h).dump())
        for n, h in sorted(hashed.items())
    )
    version = 0 if lds_version is None else 1
    body = core.Integer(version).dump()
    body += algos.DigestAlgorithm({"algorithm": hash_algorithm}).dump()
    body += tlv(b"\x30", entries)
    if lds_version is not None:
        body += tlv(
            b"\x30",
            core.PrintableString(lds_version).dump() + core.PrintableString("040000").dump(),
        )
    content = signed_data(
        LDS_SECURITY_OBJECT_OID,
        tlv(b"\x30", body),
        Issued(dsc_key, dsc_cert),
        signature,
        hash_algorithm if hash_algorithm in HASHES else "sha256",
        include_certificate,
    )
    return tlv(b"\x77", content)


def make_master_list(
    signer: Issued, certificates: Iterable[x509.Certificate], family: Family = "ecdsa"
) -> bytes:
    """Return a CSCA master list (Doc 9303 Part 12 §9) signed by `signer`."""
    certs = b"".join(c.public_bytes(serialization.Encoding.DER) for c in certificates)
    content = tlv(b"\x30", core.Integer(0).dump() + tlv(b"\x31", certs))
    return signed_data(CSCA_MASTER_LIST_OID, content, signer, family)


def _ldif_value(attribute: str, value: bytes) -> str:
    """Return `attribute:: base64`, folded at 76 columns per RFC 2849."""
    line = f"{attribute}:: {base64.b64encode(value).decode('ascii')}"
    return "\n ".join(line[i : i + 76] for i in range(0, len(line), 76))


def to_ldif(
    certificates: Iterable[x509.Certificate] = (),
    crls: Iterable[x509.CertificateRevocationList] = (),
    master_lists: Iterable[bytes] = (),
) -> str:
    """Return LDIF shaped like an ICAO PKD download, long values folded."""
    entries = ["version: 1"]
    for number, certificate in enumerate(certificates):
        entries.append(
            f"dn: cn=cert{number},o=dsc,dc=data,dc=download,dc=pkd,dc=icao,dc=int\n"
            "objectClass: pkdDownload\n"
            + _ldif_value(
                "userCertificate;binary",
                certificate.public_bytes(serialization.Encoding.DER),
            )
        )
    for number, crl in enumerate(crls):
        entries.append(
            f"dn: cn=crl{number},o=crl,dc=data,dc=download,dc=pkd,dc=icao,dc=int\n"
            "objectClass: cRLDistributionPoint\n"
            + _ldif_value(
                "certificateRevocationList;binary", crl.public_bytes(serialization.Encoding.DER)
            )
        )
    for number, master_list in enumerate(master_lists):
        entries.append(
            f"dn: cn=ml{number},o=ml,dc=CSCAMasterList,dc=pkd,dc=icao,dc=int\n"
            "objectClass: pkdMasterList\n" + _ldif_value("pkdMasterListContent", master_list)
        )
    return "\n\n".join(entries) + "\n"
