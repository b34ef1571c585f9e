"""What the trust store and the admin page need to know of a certificate or CRL."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID

# A name as RFC 5280 §7.1 compares it, near enough: attribute types with case-folded values
# whose inner whitespace is collapsed, so PrintableString and UTF8String spellings agree.
NameKey = tuple[tuple[str, str], ...]


def name_key(name: x509.Name) -> NameKey:
    """Return the comparison key of a distinguished name."""
    return tuple(
        (attr.oid.dotted_string, " ".join(str(attr.value).casefold().split())) for attr in name
    )


def country_of(name: x509.Name) -> str | None:
    """Return a name's country attribute upper-cased (Doc 9303 Part 12 §7.1: always present)."""
    values = name.get_attributes_for_oid(NameOID.COUNTRY_NAME)
    return str(values[0].value).upper() if values else None


def load_certificate(der: bytes) -> x509.Certificate:
    """Load a DER certificate, accepting what RFC 5280 forbids but real CSCAs carry.

    Some states' CSCAs and DSCs have serial numbers that are zero or negative; `cryptography`
    reads them with a deprecation warning (an error, some day: then a ValueError, which every
    caller treats as a certificate that cannot be read). Read serials with `serial_of`.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return x509.load_der_x509_certificate(der)


def serial_of(certificate: x509.Certificate) -> int:
    """Return a certificate's serial number, zero or negative ones included (see above)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return certificate.serial_number


def subject_key_id(certificate: x509.Certificate) -> bytes | None:
    """Return the subject key identifier, if the certificate has one."""
    try:
        return certificate.extensions.get_extension_for_class(
            x509.SubjectKeyIdentifier
        ).value.digest
    except x509.ExtensionNotFound:
        return None


def authority_key_id(item: x509.Certificate | x509.CertificateRevocationList) -> bytes | None:
    """Return the authority key identifier of a certificate or CRL, if it has one."""
    try:
        return item.extensions.get_extension_for_class(
            x509.AuthorityKeyIdentifier
        ).value.key_identifier
    except x509.ExtensionNotFound:
        return None


def is_ca(certificate: x509.Certificate) -> bool:
    """Tell whether basic constraints make the certificate a CA (CSCA or link certificate)."""
    try:
        return certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def is_self_issued(certificate: x509.Certificate) -> bool:
    """Tell a self-signed root from a link certificate (same name, but another key signed it)."""
    if name_key(certificate.subject) != name_key(certificate.issuer):
        return False
    aki = authority_key_id(certificate)
    return aki is None or aki == subject_key_id(certificate)


def valid_on(certificate: x509.Certificate, day: date) -> bool:
    """Tell whether `day` lies within the certificate's validity period (both ends included)."""
    start = certificate.not_valid_before_utc.date()
    return start <= day <= certificate.not_valid_after_utc.date()


@dataclass(frozen=True, slots=True)
class CertificateInfo:
    """A certificate as the admin page and the command line show it."""

    country: str | None
    subject: str
    issuer: str
    serial_hex: str
    not_before: date
    not_after: date
    subject_key_id: str | None
    authority_key_id: str | None
    is_ca: bool
    sha256_fingerprint: str


@dataclass(frozen=True, slots=True)
class CrlInfo:
    """A CRL as the admin page and the command line show it."""

    country: str | None
    issuer: str
    this_update: date
    next_update: date | None
    revoked_count: int


def describe(certificate: x509.Certificate) -> CertificateInfo:
    """Describe a certificate: who, by whom, serial, validity, key identifiers, fingerprint."""
    ski = subject_key_id(certificate)
    aki = authority_key_id(certificate)
    return CertificateInfo(
        country=country_of(certificate.subject),
        subject=certificate.subject.rfc4514_string(),
        issuer=certificate.issuer.rfc4514_string(),
        serial_hex=f"{serial_of(certificate):X}",
        not_before=certificate.not_valid_before_utc.date(),
        not_after=certificate.not_valid_after_utc.date(),
        subject_key_id=ski.hex() if ski else None,
        authority_key_id=aki.hex() if aki else None,
        is_ca=is_ca(certificate),
        sha256_fingerprint=certificate.fingerprint(hashes.SHA256()).hex(),
    )


def describe_crl(crl: x509.CertificateRevocationList) -> CrlInfo:
    """Describe a CRL: whose, when issued, when the next is due, how many revocations."""
    next_update = crl.next_update_utc
    return CrlInfo(
        country=country_of(crl.issuer),
        issuer=crl.issuer.rfc4514_string(),
        this_update=crl.last_update_utc.date(),
        next_update=next_update.date() if next_update else None,
        revoked_count=len(crl),
    )
