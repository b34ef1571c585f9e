"""Hash and signature algorithms of Doc 9303 Part 12 §4.4 and Part 10 §4.6.2, and verification.

RSA PKCS#1 v1.5, RSA-PSS (hash, MGF1 hash and salt length from the AlgorithmIdentifier),
ECDSA (X9.62 DER signatures) and BSI TR-03111 ecdsa-plain (r || s) with SHA-1..SHA-512.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from asn1crypto import algos
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from chip.curves import VerifyingKey
from chip.errors import AlgorithmError

HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}
# BSI TR-03111 §5.2.1 ecdsa-plain-signatures: r || s, each the size of the order, no DER.
_PLAIN_ECDSA: dict[str, str] = {
    "0.4.0.127.0.7.1.1.4.1.1": "sha1",
    "0.4.0.127.0.7.1.1.4.1.2": "sha224",
    "0.4.0.127.0.7.1.1.4.1.3": "sha256",
    "0.4.0.127.0.7.1.1.4.1.4": "sha384",
    "0.4.0.127.0.7.1.1.4.1.5": "sha512",
}


def hash_algorithm(name: str) -> hashes.HashAlgorithm:
    """Return the hash algorithm of this asn1crypto name, or refuse one Doc 9303 does not use."""
    if name not in HASHES:
        raise AlgorithmError(f"hash algorithm {name} is not one of {', '.join(HASHES)}")
    return HASHES[name]()


def digest(name: str, data: bytes) -> bytes:
    """Hash `data` with the named algorithm."""
    hash_algorithm(name)
    return hashlib.new(name, data).digest()


@dataclass(frozen=True, slots=True)
class Scheme:
    """How a signature is made: family (pkcs1, pss, ecdsa, ecdsa_plain), hash and PSS details."""

    family: str
    hash_name: str
    mgf_hash_name: str = ""
    salt_length: int = 0

    def describe(self) -> str:
        """Name the scheme for a step's detail."""
        if self.family == "pss":
            return f"RSA-PSS {self.hash_name} (MGF1 {self.mgf_hash_name}, salt {self.salt_length})"
        return {"pkcs1": "RSA PKCS#1 v1.5", "ecdsa": "ECDSA", "ecdsa_plain": "ECDSA (plain)"}[
            self.family
        ] + f" {self.hash_name}"


def scheme_of(algorithm: algos.SignedDigestAlgorithm, digest_name: str) -> Scheme:
    """Read a CMS signature AlgorithmIdentifier; `digest_name` serves when it names no hash."""
    try:
        oid = algorithm["algorithm"].dotted
        if oid in _PLAIN_ECDSA:
            return Scheme("ecdsa_plain", _PLAIN_ECDSA[oid])
        family = algorithm.signature_algo
        if family == "rsassa_pss":
            params = algorithm["parameters"]
            mgf = params["mask_gen_algorithm"]
            if mgf["algorithm"].native != "mgf1":
                raise AlgorithmError(f"RSA-PSS mask generation {mgf['algorithm'].native}")
            return Scheme(
                "pss",
                params["hash_algorithm"]["algorithm"].native,
                mgf["parameters"]["algorithm"].native,
                params["salt_length"].native,
            )
        try:
            hash_name = algorithm.hash_algo
        except ValueError:  # rsaEncryption or bare ecdsa: the SignerInfo's digest algorithm
            hash_name = digest_name
        if family == "rsassa_pkcs1v15":
            return Scheme("pkcs1", hash_name)
        if family == "ecdsa":
            return Scheme("ecdsa", hash_name)
    except (ValueError, KeyError, TypeError) as malformed:
        raise AlgorithmError(f"malformed signature algorithm: {malformed}") from malformed
    raise AlgorithmError(f"signature algorithm {algorithm['algorithm'].native} is not supported")


def verify(key: VerifyingKey, signature: bytes, data: bytes, scheme: Scheme) -> None:
    """Verify a signature; raise InvalidSignature, or AlgorithmError if key and scheme differ."""
    chosen = hash_algorithm(scheme.hash_name)
    if isinstance(key, rsa.RSAPublicKey):
        if scheme.family == "pkcs1":
            key.verify(signature, data, padding.PKCS1v15(), chosen)
            return
        if scheme.family == "pss":
            mgf = padding.MGF1(hash_algorithm(scheme.mgf_hash_name))
            key.verify(signature, data, padding.PSS(mgf, scheme.salt_length), chosen)
            return
    elif isinstance(key, ec.EllipticCurvePublicKey):
        if scheme.family == "ecdsa":
            key.verify(signature, data, ec.ECDSA(chosen))
            return
        if scheme.family == "ecdsa_plain":
            size = (key.curve.key_size + 7) // 8
            if len(signature) != 2 * size:
                raise InvalidSignature()
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            key.verify(encode_dss_signature(r, s), data, ec.ECDSA(chosen))
            return
    raise AlgorithmError(f"a {type(key).__name__} cannot verify {scheme.describe()}")


def verify_issued(
    item: x509.Certificate | x509.CertificateRevocationList, issuer_key: VerifyingKey
) -> None:
    """Verify a certificate's or CRL's signature with its issuer's key; raise InvalidSignature."""
    chosen = item.signature_hash_algorithm
    if chosen is None:
        raise AlgorithmError(f"signature algorithm {item.signature_algorithm_oid.dotted_string}")
    tbs = (
        item.tbs_certificate_bytes
        if isinstance(item, x509.Certificate)
        else item.tbs_certlist_bytes
    )
    params = item.signature_algorithm_parameters
    if isinstance(issuer_key, rsa.RSAPublicKey):
        if isinstance(params, padding.PSS | padding.PKCS1v15):
            issuer_key.verify(item.signature, tbs, params, chosen)
            return
    elif isinstance(params, ec.ECDSA):
        issuer_key.verify(item.signature, tbs, params)
        return
    raise AlgorithmError(f"a {type(issuer_key).__name__} cannot verify {params}")
