"""Trust-store inputs read into plain certificates and CRLs with provenance: LDIF, PEM, DER.

ICAO PKD LDIF downloads (RFC 2849) carry DSCs and CSCAs as `userCertificate;binary::`, CRLs as
`certificateRevocationList;binary::` and master lists as `pkdMasterListContent::`, each value
base64 and folded across lines. A broken entry is reported with its number; the rest is read.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from cryptography import x509

from chip.certificates import load_certificate
from chip.errors import TrustStoreError
from chip.masterlist import MasterList, read_master_list
from chip.provenance import Provenance, SourcedCertificate, SourcedCrl
from chip.trust import TrustStore

_CERTIFICATE_ATTRIBUTES = {"usercertificate", "cacertificate"}
_CRL_ATTRIBUTES = {"certificaterevocationlist", "authorityrevocationlist"}
_MASTER_LIST_ATTRIBUTES = {"pkdmasterlistcontent"}
_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\s*(.*?)\s*-----END \1-----", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Bundle:
    """What one input yielded: certificates, CRLs, master lists read, and per-entry errors."""

    certificates: tuple[SourcedCertificate, ...] = ()
    crls: tuple[SourcedCrl, ...] = ()
    master_lists: tuple[MasterList, ...] = ()
    errors: tuple[TrustStoreError, ...] = ()

    def certificate_list(self) -> list[x509.Certificate]:
        """Return the certificates alone, master lists' CSCAs included."""
        return [item.certificate for item in self.certificates]

    def crl_list(self) -> list[x509.CertificateRevocationList]:
        """Return the CRLs alone."""
        return [item.crl for item in self.crls]


def store_of(bundles: Iterable[Bundle]) -> TrustStore:
    """Build one trust store from everything these bundles hold."""
    certificates: list[x509.Certificate] = []
    crls: list[x509.CertificateRevocationList] = []
    for bundle in bundles:
        certificates += bundle.certificate_list()
        crls += bundle.crl_list()
    return TrustStore.build(certificates, crls)


def _master_list_bundle(master_list: MasterList, entry: int | None) -> list[SourcedCertificate]:
    return [
        SourcedCertificate(
            item.certificate,
            Provenance(master_list.source, entry, item.provenance.via),
        )
        for item in master_list.certificates
    ]


def _records(text: str) -> list[tuple[int, list[str]]]:
    """Split LDIF into records of unfolded lines, numbered from 1 among those with a `dn`."""
    records: list[list[str]] = [[]]
    for line in text.splitlines():
        if not line.strip():
            records.append([])
        elif line.startswith(" "):
            if records[-1]:
                records[-1][-1] += line[1:]
        elif not line.startswith("#"):
            records[-1].append(line)
    numbered: list[tuple[int, list[str]]] = []
    for lines in records:
        if lines and lines[0].lower().startswith("dn:"):
            numbered.append((len(numbered) + 1, lines))
    return numbered


def read_ldif(
    data: bytes,
    source: str,
    store: TrustStore | None = None,
    *,
    today: date | None = None,
    accept_unverified: str | None = None,
) -> Bundle:
    """Read an ICAO PKD LDIF download; an entry that cannot be read is an error naming it."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise TrustStoreError(source, f"not UTF-8 at byte {error.start}") from error
    certificates: list[SourcedCertificate] = []
    crls: list[SourcedCrl] = []
    master_lists: list[MasterList] = []
    errors: list[TrustStoreError] = []
    for entry, lines in _records(text):
        for line in lines[1:]:
            attribute, _, rest = line.partition(":")
            kind = attribute.split(";")[0].strip().lower()
            if kind not in _CERTIFICATE_ATTRIBUTES | _CRL_ATTRIBUTES | _MASTER_LIST_ATTRIBUTES:
                continue
            if not rest.startswith(":"):
                errors.append(TrustStoreError(source, f"{attribute} is not base64", entry))
                continue
            try:
                value = base64.b64decode(rest[1:].strip(), validate=True)
                provenance = Provenance(source, entry)
                if kind in _CERTIFICATE_ATTRIBUTES:
                    certificate = load_certificate(value)
                    certificates.append(SourcedCertificate(certificate, provenance))
                elif kind in _CRL_ATTRIBUTES:
                    crls.append(SourcedCrl(x509.load_der_x509_crl(value), provenance))
                else:
                    master_list = read_master_list(
                        value,
                        f"{source}, entry {entry}",
                        store,
                        today=today,
                        accept_unverified=accept_unverified,
                    )
                    master_lists.append(master_list)
                    certificates += _master_list_bundle(master_list, None)
                    errors += master_list.errors
            except TrustStoreError as error:
                errors.append(TrustStoreError(source, error.reason, entry))
            except (binascii.Error, ValueError) as error:
                errors.append(TrustStoreError(source, f"{attribute}: {error}", entry))
    return Bundle(tuple(certificates), tuple(crls), tuple(master_lists), tuple(errors))


def _read_der(value: bytes, provenance: Provenance) -> SourcedCertificate | SourcedCrl:
    try:
        return SourcedCertificate(load_certificate(value), provenance)
    except ValueError:
        return SourcedCrl(x509.load_der_x509_crl(value), provenance)


def read_pem(data: bytes, source: str) -> Bundle:
    """Read a PEM bundle of certificates and CRLs (blocks numbered from 1), or one DER item."""
    items: list[SourcedCertificate | SourcedCrl] = []
    errors: list[TrustStoreError] = []
    if b"-----BEGIN" not in data:
        try:
            items.append(_read_der(data, Provenance(source)))
        except ValueError as error:
            reason = f"neither PEM nor a DER certificate or CRL: {error}"
            raise TrustStoreError(source, reason) from error
    for entry, match in enumerate(_PEM_BLOCK.finditer(data), 1):
        label = match.group(1).decode("ascii")
        if label not in ("CERTIFICATE", "X509 CRL", "TRUSTED CERTIFICATE"):
            errors.append(TrustStoreError(source, f"a {label} block is not imported", entry))
            continue
        try:
            value = base64.b64decode(b"".join(match.group(2).split()), validate=True)
            items.append(_read_der(value, Provenance(source, entry)))
        except (binascii.Error, ValueError) as error:
            errors.append(TrustStoreError(source, f"{label}: {error}", entry))
    certificates = tuple(i for i in items if isinstance(i, SourcedCertificate))
    crls = tuple(i for i in items if isinstance(i, SourcedCrl))
    return Bundle(certificates, crls, (), tuple(errors))
