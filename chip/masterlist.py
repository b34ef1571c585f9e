"""CSCA master lists (Doc 9303 Part 12 §9): a signed SET OF CSCA certificates, verified first.

The signer is a master-list signer certificate issued by the publishing state's CSCA, which is
normally in the list itself; it may instead be found in a store the caller trusts already.
An unverifiable list is refused unless the caller accepts it and says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from asn1crypto import core
from cryptography import x509

from chip.certificates import load_certificate, valid_on
from chip.chain import find_path
from chip.cms import (
    MALFORMED,
    SignedContent,
    check_signature,
    check_signed_attributes,
    read_signed_data,
    signer_certificate,
)
from chip.errors import CMSError, TrustStoreError
from chip.provenance import Provenance, SourcedCertificate
from chip.results import Step, StepStatus
from chip.trust import TrustStore

CSCA_MASTER_LIST_OID = "2.23.136.1.1.2"


# asn1crypto ships no type hints, so its base classes are Any to mypy.
class _Certificates(core.SetOf):  # type: ignore[misc]
    _child_spec = core.Any


class _CscaMasterList(core.Sequence):  # type: ignore[misc]
    _fields: ClassVar = [("version", core.Integer), ("cert_list", _Certificates)]


@dataclass(frozen=True, slots=True)
class MasterList:
    """A master list read: its CSCAs, its signer, each verification step, and the verdict."""

    source: str
    certificates: tuple[SourcedCertificate, ...]
    signer: x509.Certificate | None
    checks: tuple[Step, ...]
    verified: bool
    accepted_because: str | None = None
    errors: tuple[TrustStoreError, ...] = ()


def _certificates(
    signed: SignedContent, source: str
) -> tuple[list[SourcedCertificate], list[TrustStoreError]]:
    try:
        content = _CscaMasterList.load(signed.content, strict=True)
        items = [item.dump() for item in content["cert_list"]]
    except MALFORMED as malformed:
        raise TrustStoreError(source, f"CscaMasterList malformed: {malformed}") from malformed
    certificates, errors = [], []
    for number, der in enumerate(items, 1):
        try:
            certificate = load_certificate(der)
        except MALFORMED as malformed:
            errors.append(TrustStoreError(source, f"certificate {number}: {malformed}"))
            continue
        provenance = Provenance(source, None, f"master list certificate {number}")
        certificates.append(SourcedCertificate(certificate, provenance))
    return certificates, errors


def _verify(
    signed: SignedContent,
    listed: list[x509.Certificate],
    store: TrustStore | None,
    today: date | None,
) -> tuple[x509.Certificate | None, list[Step]]:
    steps = [check_signed_attributes(signed)]
    signer = signer_certificate(signed, signed.certificates)
    if signer is None:
        steps.append(Step("signature", "failed", "the signer's certificate is not included"))
        return None, steps
    steps.append(check_signature(signed, signer))
    if today is not None:
        status: StepStatus = "passed" if valid_on(signer, today) else "failed"
        steps.append(Step("signer_validity", status, f"signer valid on {today}"))
    known = [*listed, *(store.authorities if store else ())]
    path = find_path(signer, TrustStore.build(known))
    steps.append(Step("signer_chain", path.step.status, path.step.detail))
    return signer, steps


def read_master_list(
    data: bytes,
    source: str,
    store: TrustStore | None = None,
    *,
    today: date | None = None,
    accept_unverified: str | None = None,
) -> MasterList:
    """Read and verify a master list; refuse an unverified one unless `accept_unverified`."""
    try:
        signed = read_signed_data(data)
    except CMSError as error:
        raise TrustStoreError(source, error.reason) from error
    if signed.content_type != CSCA_MASTER_LIST_OID:
        raise TrustStoreError(source, f"content type {signed.content_type} is not a master list")
    certificates, errors = _certificates(signed, source)
    listed = [item.certificate for item in certificates]
    signer, steps = _verify(signed, listed, store, today)
    structure = Step("structure", "passed", f"{len(listed)} certificates")
    verified = all(step.status == "passed" for step in steps)
    if not verified and accept_unverified is None:
        failed = next(s for s in steps if s.status != "passed")
        raise TrustStoreError(source, f"master list not verified: {failed.name}: {failed.detail}")
    return MasterList(
        source=source,
        certificates=tuple(certificates),
        signer=signer,
        checks=(structure, *steps),
        verified=verified,
        accepted_because=None if verified else accept_unverified,
        errors=tuple(errors),
    )
