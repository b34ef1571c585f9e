"""CMS SignedData (RFC 5652) as EF.SOD and CSCA master lists use it: one signer, signed attributes.

Doc 9303 Part 10 §4.6.2.2 and Part 12 §9: exactly one SignerInfo, signed attributes present
with the content-type and message-digest attributes; the signer's certificate is usually among
`certificates`, and is found by the SignerInfo's issuer and serial number or key identifier.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization

from chip.certificates import load_certificate, serial_of, subject_key_id
from chip.curves import public_key_of
from chip.errors import AlgorithmError, CMSError
from chip.results import Step
from chip.signatures import Scheme, digest, scheme_of, verify

# asn1crypto parses lazily and signals malformed input with these (RecursionError for absurd
# nesting); parsing catches exactly them so that a bad document is a result, never a crash.
MALFORMED = (ValueError, TypeError, KeyError, IndexError, OverflowError, RecursionError)


@dataclass(frozen=True, slots=True)
class SignedContent:
    """What a one-signer CMS SignedData holds, read and ready to be verified."""

    content_type: str
    content: bytes
    certificates: tuple[x509.Certificate, ...]
    digest_name: str
    signed_attributes: bytes | None
    attribute_content_type: str | None
    message_digest: bytes | None
    signing_time: datetime | None
    signature: bytes
    scheme: Scheme | None
    scheme_problem: str
    signer_issuer: asn1_x509.Name | None
    signer_serial: int | None
    signer_key_id: bytes | None


def _attributes(
    signer: cms.SignerInfo,
) -> tuple[bytes | None, str | None, bytes | None, datetime | None]:
    attrs = signer["signed_attrs"]
    if not attrs:
        return None, None, None, None
    content_type = message_digest = signing_time = None
    for attr in attrs:
        kind = attr["type"].dotted
        values = attr["values"]
        if len(values) != 1:
            raise CMSError(f"signed attribute {kind} has {len(values)} values, not one")
        if kind == "1.2.840.113549.1.9.3":
            content_type = values[0].dotted
        elif kind == "1.2.840.113549.1.9.4":
            message_digest = values[0].native
        elif kind == "1.2.840.113549.1.9.5":
            signing_time = values[0].native
    # RFC 5652 §5.4: the signature covers the attributes' DER with the SET OF tag, not [0].
    der = attrs.dump()
    return b"\x31" + der[1:], content_type, message_digest, signing_time


def read_signed_data(data: bytes) -> SignedContent:
    """Read a ContentInfo holding a one-signer SignedData; raise CMSError saying what is wrong."""
    try:
        info = cms.ContentInfo.load(data, strict=True)
        if info["content_type"].native != "signed_data":
            raise CMSError(f"content type {info['content_type'].dotted} is not SignedData")
        signed = info["content"]
        encap = signed["encap_content_info"]
        content = encap["content"].native if encap["content"] else None
        if not isinstance(content, bytes):
            raise CMSError("no encapsulated content (detached signature)")
        certificates = tuple(
            load_certificate(choice.chosen.dump())
            for choice in (signed["certificates"] or ())
            if choice.name == "certificate"
        )
        signers = signed["signer_infos"]
        if len(signers) != 1:
            raise CMSError(f"{len(signers)} SignerInfos, Doc 9303 requires exactly one")
        signer = signers[0]
        digest_name = signer["digest_algorithm"]["algorithm"].native
        attributes, attribute_type, message_digest, signing_time = _attributes(signer)
        scheme: Scheme | None = None
        problem = ""
        try:
            scheme = scheme_of(signer["signature_algorithm"], digest_name)
        except AlgorithmError as unsupported:
            problem = unsupported.reason
        sid = signer["sid"]
        issuer = serial = key_id = None
        if sid.name == "issuer_and_serial_number":
            issuer = sid.chosen["issuer"]
            serial = sid.chosen["serial_number"].native
        else:
            key_id = sid.chosen.native
        return SignedContent(
            content_type=encap["content_type"].dotted,
            content=content,
            certificates=certificates,
            digest_name=digest_name,
            signed_attributes=attributes,
            attribute_content_type=attribute_type,
            message_digest=message_digest,
            signing_time=signing_time,
            signature=signer["signature"].native,
            scheme=scheme,
            scheme_problem=problem,
            signer_issuer=issuer,
            signer_serial=serial,
            signer_key_id=key_id,
        )
    except MALFORMED as malformed:
        raise CMSError(f"not a CMS SignedData: {malformed}") from malformed


def signer_certificate(
    signed: SignedContent, candidates: Iterable[x509.Certificate]
) -> x509.Certificate | None:
    """Return the certificate the SignerInfo names, among `candidates`, or None."""
    for certificate in candidates:
        if signed.signer_key_id is not None:
            if subject_key_id(certificate) == signed.signer_key_id:
                return certificate
            continue
        if serial_of(certificate) != signed.signer_serial:
            continue
        der = certificate.public_bytes(serialization.Encoding.DER)
        if asn1_x509.Certificate.load(der).issuer == signed.signer_issuer:
            return certificate
    return None


def check_signed_attributes(signed: SignedContent) -> Step:
    """Check the content-type and message-digest attributes against the encapsulated content."""
    name = "signed_attributes"
    if signed.signed_attributes is None:
        return Step(name, "failed", "no signed attributes (Doc 9303 Part 10 §4.6.2.2)")
    if signed.attribute_content_type != signed.content_type:
        return Step(
            name,
            "failed",
            f"content-type attribute {signed.attribute_content_type} is not the encapsulated"
            f" content's type {signed.content_type}",
        )
    if signed.message_digest is None:
        return Step(name, "failed", "no message-digest attribute")
    try:
        expected = digest(signed.digest_name, signed.content)
    except AlgorithmError as unsupported:
        return Step(name, "failed", unsupported.reason)
    if expected != signed.message_digest:
        return Step(
            name, "failed", f"message digest is not the {signed.digest_name} of the content"
        )
    return Step(name, "passed", f"content type and {signed.digest_name} message digest match")


def check_signature(signed: SignedContent, signer: x509.Certificate) -> Step:
    """Verify the SignerInfo's signature over the signed attributes with the signer's key."""
    name = "signature"
    if signed.scheme is None:
        return Step(name, "failed", signed.scheme_problem)
    if signed.signed_attributes is None:
        return Step(name, "failed", "no signed attributes to verify")
    try:
        verify(public_key_of(signer), signed.signature, signed.signed_attributes, signed.scheme)
    except InvalidSignature:
        return Step(name, "failed", f"{signed.scheme.describe()} signature does not verify")
    except AlgorithmError as unsupported:
        return Step(name, "failed", unsupported.reason)
    except UnsupportedAlgorithm as unsupported:
        return Step(name, "failed", f"unsupported: {unsupported}")
    return Step(name, "passed", f"{signed.scheme.describe()} signature verifies")
