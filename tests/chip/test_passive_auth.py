"""Passive Authentication: every check a named step; verified, failed or not verifiable."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chip.build_pki import (
    build_sod,
    ec_key,
    make_crl,
    make_csca,
    make_dg1,
    make_dsc,
    make_link,
    sign,
    with_explicit_parameters,
)
from chip.certificates import load_certificate
from chip.files import ChipFiles
from chip.passive_auth import verify_chip
from chip.results import PassiveAuthentication
from chip.trust import TrustStore
from tests.chip.documents import FAMILIES, MRZ, TODAY, Document, make_document


def step(result: PassiveAuthentication, name: str) -> tuple[str, str]:
    found = next(s for s in result.checks if s.name == name)
    return found.status, found.detail


@pytest.mark.parametrize("family", FAMILIES)
def test_each_algorithm_family_verifies(family: str) -> None:
    doc = make_document(family)
    store = TrustStore.build([doc.csca.certificate], [make_crl(doc.csca, [], family="ecdsa")])
    result = verify_chip(doc.files, store, TODAY)
    assert result.status == "verified", result.checks
    assert result.data_groups_verified == (1, 2)
    assert result.hash_algorithm == "sha256"
    assert result.dsc_serial == f"{doc.dsc.certificate.serial_number:X}"
    assert [s.name for s in result.checks] == [
        "sod_structure", "hash_algorithm", "signed_attributes", "signature", "dsc_validity",
        "csca_chain", "csca_validity", "dsc_revocation", "dg1_hash", "dg2_hash",
    ]  # fmt: skip


@pytest.mark.parametrize("hash_name", ["sha1", "sha224", "sha384", "sha512"])
def test_other_hash_algorithms_verify(document: Document, hash_name: str) -> None:
    sod = build_sod(document.groups, document.dsc.key, document.dsc.certificate, hash_name, "ecdsa")
    files = ChipFiles(sod=sod, groups=document.groups)
    result = verify_chip(files, TrustStore.build([document.csca.certificate]), TODAY)
    assert (result.status, result.hash_algorithm) == ("verified", hash_name)


def test_ec_keys_with_explicit_parameters_map_to_their_named_curve(document: Document) -> None:
    csca = make_csca("UT", ec_key("brainpoolP256r1", 7), "ecdsa")
    dsc = with_explicit_parameters(make_dsc(csca, ec_key("brainpoolP384r1", 7)), csca.key)
    explicit_csca = with_explicit_parameters(csca, csca.key)
    sod = build_sod(document.groups, dsc.key, dsc.certificate, signature="ecdsa")
    store = TrustStore.build([explicit_csca.certificate])
    result = verify_chip(ChipFiles(sod=sod, groups=document.groups), store, TODAY)
    assert result.status == "verified", result.checks


def test_a_dsc_of_the_new_csca_verifies_through_a_link_from_the_trusted_old_one(
    document: Document,
) -> None:
    old = make_csca("UT", ec_key("secp256r1", 10), "ecdsa", (date(2015, 1, 1), date(2030, 1, 1)))
    new = make_csca("UT", ec_key("secp256r1", 11), "ecdsa", (date(2024, 1, 1), date(2039, 1, 1)))
    dsc = make_dsc(new, ec_key("secp256r1", 12), "ecdsa")
    sod = build_sod(document.groups, dsc.key, dsc.certificate, signature="ecdsa")
    files = ChipFiles(sod=sod, groups=document.groups)
    linked = TrustStore.build([old.certificate, make_link(old, new, "ecdsa")])
    result = verify_chip(files, linked, TODAY)
    assert result.status == "verified", result.checks
    assert "via 1 link certificate" in step(result, "csca_chain")[1]
    unlinked = verify_chip(files, TrustStore.build([old.certificate]), TODAY)
    assert unlinked.failed_step == "csca_chain"


def test_a_dsc_of_the_old_csca_verifies_through_a_link_from_the_trusted_new_one(
    document: Document,
) -> None:
    old = make_csca("UT", ec_key("secp256r1", 10), "ecdsa", (date(2015, 1, 1), date(2030, 1, 1)))
    new = make_csca("UT", ec_key("secp256r1", 11), "ecdsa", (date(2024, 1, 1), date(2039, 1, 1)))
    dsc = make_dsc(old, ec_key("secp256r1", 13), "ecdsa")
    sod = build_sod(document.groups, dsc.key, dsc.certificate, signature="ecdsa")
    files = ChipFiles(sod=sod, groups=document.groups)
    # Only a certificate of the old key signed by the new key can vouch for the old key.
    store = TrustStore.build([new.certificate, make_link(new, old, "ecdsa")])
    result = verify_chip(files, store, TODAY)
    assert result.status == "verified", result.checks
    # The forward link (old key vouching for the new) proves nothing about the old key.
    forward_only = TrustStore.build([new.certificate, make_link(old, new, "ecdsa")])
    assert verify_chip(files, forward_only, TODAY).failed_step == "csca_chain"


@pytest.mark.parametrize("number", [1, 2])
def test_a_flipped_byte_in_a_data_group_fails_that_group(document: Document, number: int) -> None:
    groups = dict(document.groups)
    data = bytearray(groups[number])
    data[len(data) // 2] ^= 0x01
    groups[number] = bytes(data)
    result = verify_chip(
        ChipFiles(sod=document.sod, groups=groups),
        TrustStore.build([document.csca.certificate]),
        TODAY,
    )
    assert (result.status, result.failed_step) == ("failed", f"dg{number}_hash")
    assert result.data_groups_verified == tuple(n for n in (1, 2) if n != number)


def test_a_flipped_byte_in_the_signature_fails_the_signature(document: Document) -> None:
    sod = bytearray(document.sod)
    sod[-5] ^= 0x01  # the SignerInfo's signature ends the file
    result = verify_chip(
        ChipFiles(sod=bytes(sod), groups=document.groups),
        TrustStore.build([document.csca.certificate]),
        TODAY,
    )
    assert result.failed_step == "signature"


def test_a_csca_of_the_state_with_another_key_fails_the_chain(document: Document) -> None:
    impostor = make_csca("UT", ec_key("secp256r1", 20), "ecdsa")
    result = verify_chip(document.files, TrustStore.build([impostor.certificate]), TODAY)
    assert result.failed_step == "csca_chain"


def test_no_csca_of_the_issuing_state_is_not_verifiable(document: Document) -> None:
    other = make_csca("ZZ", ec_key("secp256r1", 21), "ecdsa")
    result = verify_chip(document.files, TrustStore.build([other.certificate]), TODAY)
    assert result.status == "not_verifiable"
    assert step(result, "csca_chain") == ("not_verifiable", "no CSCA of state UT in the store")
    assert verify_chip(document.files, TrustStore(), TODAY).status == "not_verifiable"


def test_no_sod_is_not_verifiable(document: Document) -> None:
    result = verify_chip(ChipFiles(groups=document.groups), TrustStore(), TODAY)
    assert result.status == "not_verifiable"
    assert result.to_dict()["checks"] == [
        {"name": "sod_structure", "status": "not_verifiable", "detail": "no EF.SOD given"}
    ]


def test_an_expired_csca_fails_even_a_valid_dsc(document: Document) -> None:
    csca = make_csca("UT", ec_key("secp256r1", 0), "ecdsa", (date(2015, 1, 1), date(2026, 1, 1)))
    dsc = make_dsc(csca, ec_key("secp256r1", 1), "ecdsa", (date(2025, 1, 1), date(2035, 1, 1)))
    sod = build_sod(document.groups, dsc.key, dsc.certificate, signature="ecdsa")
    result = verify_chip(
        ChipFiles(sod=sod, groups=document.groups), TrustStore.build([csca.certificate]), TODAY
    )
    assert result.failed_step == "csca_validity"
    assert step(result, "dsc_validity")[0] == "passed"


def test_an_expired_dsc_fails(document: Document) -> None:
    dsc = make_dsc(
        document.csca, ec_key("secp256r1", 1), "ecdsa", (date(2020, 1, 1), date(2026, 4, 30))
    )
    sod = build_sod(document.groups, dsc.key, dsc.certificate, signature="ecdsa")
    store = TrustStore.build([document.csca.certificate])
    result = verify_chip(ChipFiles(sod=sod, groups=document.groups), store, TODAY)
    assert result.failed_step == "dsc_validity"
    assert "2026-04-30" in step(result, "dsc_validity")[1]


def test_a_revoked_dsc_fails(document: Document) -> None:
    crl = make_crl(document.csca, [document.dsc.certificate.serial_number], family="ecdsa")
    store = TrustStore.build([document.csca.certificate], [crl])
    assert verify_chip(document.files, store, TODAY).failed_step == "dsc_revocation"


def test_a_crl_not_signed_by_the_issuer_is_ignored(document: Document) -> None:
    impostor = make_csca("UT", ec_key("secp256r1", 22), "ecdsa")
    crl = make_crl(impostor, [document.dsc.certificate.serial_number], family="ecdsa")
    store = TrustStore.build([document.csca.certificate], [crl])
    result = verify_chip(document.files, store, TODAY)
    assert result.status == "verified"
    assert step(result, "dsc_revocation")[0] == "skipped"


def test_a_stale_crl_or_none_is_said_but_not_fatal(document: Document) -> None:
    stale = make_crl(document.csca, [], date(2025, 1, 1), date(2026, 1, 1), "ecdsa")
    result = verify_chip(
        document.files, TrustStore.build([document.csca.certificate], [stale]), TODAY
    )
    assert result.status == "verified"
    status, detail = step(result, "dsc_revocation")
    assert status == "skipped" and "stale" in detail
    result = verify_chip(document.files, TrustStore.build([document.csca.certificate]), TODAY)
    assert result.status == "verified"
    assert step(result, "dsc_revocation")[0] == "skipped"
    fresh = make_crl(document.csca, [5], family="ecdsa")
    result = verify_chip(
        document.files, TrustStore.build([document.csca.certificate], [fresh]), TODAY
    )
    assert step(result, "dsc_revocation")[0] == "passed"


def test_a_digest_of_the_wrong_length_fails_the_hash_algorithm(document: Document) -> None:
    sod = build_sod(
        document.groups,
        document.dsc.key,
        document.dsc.certificate,
        "sha256",
        "ecdsa",
        hashes_override={1: b"\x00" * 20},
    )
    files = ChipFiles(sod=sod, groups=document.groups)
    result = verify_chip(files, TrustStore.build([document.csca.certificate]), TODAY)
    assert result.failed_step == "hash_algorithm"
    assert "DG1 (20 bytes)" in step(result, "hash_algorithm")[1]


def test_an_unsupported_hash_algorithm_fails_clearly(document: Document) -> None:
    sod = build_sod(document.groups, document.dsc.key, document.dsc.certificate, "md5", "ecdsa")
    files = ChipFiles(sod=sod, groups=document.groups)
    result = verify_chip(files, TrustStore.build([document.csca.certificate]), TODAY)
    assert result.failed_step == "hash_algorithm"
    assert "md5" in step(result, "hash_algorithm")[1]


def test_a_group_missing_from_the_sod_fails_and_a_missing_file_is_unverified(
    document: Document,
) -> None:
    store = TrustStore.build([document.csca.certificate])
    extra = ChipFiles(sod=document.sod, groups={**document.groups, 3: b"\x63\x01\x00"})
    result = verify_chip(extra, store, TODAY)
    assert result.failed_step == "dg3_hash"
    partial = verify_chip(ChipFiles(sod=document.sod, groups={1: document.groups[1]}), store, TODAY)
    assert partial.status == "verified"
    assert partial.data_groups_verified == (1,)
    assert step(partial, "dg2_hash")[0] == "skipped"


def test_a_dsc_left_out_of_the_sod_is_found_in_the_store(document: Document) -> None:
    sod = build_sod(
        document.groups,
        document.dsc.key,
        document.dsc.certificate,
        signature="ecdsa",
        include_certificate=False,
    )
    files = ChipFiles(sod=sod, groups=document.groups)
    known = TrustStore.build([document.csca.certificate], dscs=[document.dsc.certificate])
    assert verify_chip(files, known, TODAY).status == "verified"
    unknown = verify_chip(files, TrustStore.build([document.csca.certificate]), TODAY)
    assert step(unknown, "signature")[0] == "not_verifiable"


def test_the_dg1_mrz_is_hashed_as_raw_bytes(document: Document) -> None:
    other = {1: make_dg1(MRZ.replace("ANNA", "ANNE")), 2: document.groups[2]}
    result = verify_chip(
        ChipFiles(sod=document.sod, groups=other),
        TrustStore.build([document.csca.certificate]),
        TODAY,
    )
    assert result.failed_step == "dg1_hash"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300))
def test_random_bytes_fail_the_sod_structure_and_never_raise(data: bytes) -> None:
    result = verify_chip(ChipFiles(sod=b"\x77" + data), TrustStore(), TODAY)
    assert (result.status, result.failed_step) == ("failed", "sod_structure")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(position=st.integers(0, 10_000), value=st.integers(0, 255), cut=st.integers(0, 10_000))
def test_a_damaged_sod_never_raises(
    document: Document, position: int, value: int, cut: int
) -> None:
    sod = bytearray(document.sod)
    sod[position % len(sod)] = value
    store = TrustStore.build([document.csca.certificate])
    result = verify_chip(ChipFiles(sod=bytes(sod), groups=document.groups), store, TODAY)
    assert result.status in ("verified", "failed", "not_verifiable")
    truncated = verify_chip(ChipFiles(sod=document.sod[: cut % len(document.sod)]), store, TODAY)
    assert truncated.failed_step == "sod_structure"


def test_a_dsc_whose_key_may_not_sign_fails(document: Document) -> None:
    # A certificate of the CSCA's with a key for certificates and CRLs only (not a DSC).
    genuine = document.dsc.certificate
    usage = x509.KeyUsage(
        digital_signature=False, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
        encipher_only=False, decipher_only=False,
    )  # fmt: skip
    builder = (
        x509.CertificateBuilder()
        .subject_name(genuine.subject)
        .issuer_name(genuine.issuer)
        .public_key(document.dsc.key.public_key())
        .serial_number(genuine.serial_number + 1)
        .not_valid_before(genuine.not_valid_before_utc)
        .not_valid_after(genuine.not_valid_after_utc)
        .add_extension(usage, True)
    )
    for extension in genuine.extensions:
        if not isinstance(extension.value, x509.KeyUsage):
            builder = builder.add_extension(extension.value, extension.critical)
    dsc = builder.sign(document.csca.key, hashes.SHA256())
    sod = build_sod(document.groups, document.dsc.key, dsc, signature="ecdsa")
    store = TrustStore.build([document.csca.certificate])
    result = verify_chip(ChipFiles(sod=sod, groups=document.groups), store, TODAY)
    assert result.failed_step == "dsc_validity"
    assert step(result, "dsc_validity")[1] == "the DSC's key usage does not allow signing"


def test_a_dsc_with_a_negative_serial_as_some_states_issue_verifies(document: Document) -> None:
    # RFC 5280 forbids it and `cryptography` warns; real document signers carry such serials.
    asn1 = asn1_x509.Certificate.load(document.dsc.certificate.public_bytes(Encoding.DER))
    tbs = asn1["tbs_certificate"]
    tbs["serial_number"] = -4242
    tbs_der = tbs.dump(force=True)
    rebuilt = asn1_x509.Certificate(
        {
            "tbs_certificate": asn1_x509.TbsCertificate.load(tbs_der),
            "signature_algorithm": asn1["signature_algorithm"],
            "signature_value": sign(document.csca.key, tbs_der, "ecdsa"),
        }
    )
    dsc = load_certificate(rebuilt.dump(force=True))
    sod = build_sod(document.groups, document.dsc.key, dsc, signature="ecdsa")
    store = TrustStore.build([document.csca.certificate])
    result = verify_chip(ChipFiles(sod=sod, groups=document.groups), store, TODAY)
    assert result.status == "verified", result.checks
    assert result.dsc_serial == "-1092"


def test_a_dsc_naming_one_state_but_signed_by_anothers_csca_does_not_verify() -> None:
    # The German CSCA's name in the issuer field, the French CSCA's key behind the signature.
    german = make_csca("DE", ec_key("secp256r1", 40), "ecdsa")
    french = make_csca("FR", ec_key("secp256r1", 41), "ecdsa")
    key = ec_key("secp256r1", 42)
    forged = (
        x509.CertificateBuilder()
        .subject_name(x509.Name.from_rfc4514_string("CN=DS 1,C=DE"))
        .issuer_name(german.certificate.subject)
        .public_key(key.public_key())
        .serial_number(77)
        .not_valid_before(datetime(2024, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2034, 1, 1, tzinfo=UTC))
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(french.key.public_key()), False
        )
        .sign(french.key, hashes.SHA256())
    )
    groups = {1: make_dg1(MRZ)}
    sod = build_sod(groups, key, forged, signature="ecdsa")
    store = TrustStore.build([german.certificate, french.certificate])
    result = verify_chip(ChipFiles(sod=sod, groups=groups), store, TODAY)
    assert result.status != "verified"
    assert result.failed_step == "csca_chain" or result.status == "not_verifiable"
