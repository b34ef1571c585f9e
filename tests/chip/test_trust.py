"""The trust store and its inputs: master lists, LDIF, PEM; the overview for the admin page."""

from __future__ import annotations

from datetime import date

import pytest
from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import serialization

from chip.build_pki import (
    ec_key,
    make_crl,
    make_csca,
    make_dsc,
    make_master_list,
    to_ldif,
)
from chip.bundle import read_ldif, read_pem, store_of
from chip.certificates import describe, describe_crl
from chip.curves import explicit_parameters, named_curve_of
from chip.errors import AlgorithmError, TrustStoreError
from chip.masterlist import read_master_list
from chip.trust import TrustStore, trust_overview
from tests.chip.documents import TODAY, Document

DER = serialization.Encoding.DER
PEM = serialization.Encoding.PEM


def test_a_store_from_der_blobs_finds_the_issuer(document: Document) -> None:
    other = make_csca("ZZ", ec_key("secp256r1", 30), "ecdsa")
    crl = make_crl(document.csca, [7], family="ecdsa")
    store = TrustStore.from_der(
        [document.csca.certificate.public_bytes(DER), other.certificate.public_bytes(DER)],
        [crl.public_bytes(DER)],
    )
    assert store.issuers_of(document.dsc.certificate) == (document.csca.certificate,)
    assert store.states == ("UT", "ZZ")
    assert store.crls_of(document.csca.certificate.subject) == (crl,)


def test_a_master_list_signed_by_a_listed_cscas_signer_is_verified(document: Document) -> None:
    signer = make_dsc(document.csca, ec_key("secp256r1", 31), "ecdsa", serial=77)
    other = make_csca("ZZ", ec_key("secp256r1", 30), "ecdsa")
    data = make_master_list(signer, [document.csca.certificate, other.certificate])
    master_list = read_master_list(data, "ml.der", today=TODAY)
    assert master_list.verified
    assert [c.certificate for c in master_list.certificates] == [
        document.csca.certificate,
        other.certificate,
    ]
    assert [s.name for s in master_list.checks] == [
        "structure", "signed_attributes", "signature", "signer_validity", "signer_chain",
    ]  # fmt: skip
    assert master_list.certificates[1].provenance.describe() == "ml.der, master list certificate 2"


def test_a_master_list_with_a_signer_of_no_known_csca_is_refused(document: Document) -> None:
    stranger = make_csca("XX", ec_key("secp256r1", 32), "ecdsa")
    signer = make_dsc(stranger, ec_key("secp256r1", 33), "ecdsa")
    data = make_master_list(signer, [document.csca.certificate])
    with pytest.raises(TrustStoreError, match="signer_chain"):
        read_master_list(data, "ml.der")
    accepted = read_master_list(data, "ml.der", accept_unverified="bootstrap from a CD")
    assert not accepted.verified
    assert accepted.accepted_because == "bootstrap from a CD"
    # The signer's CSCA, trusted already, makes the same list verifiable.
    assert read_master_list(data, "ml.der", TrustStore.build([stranger.certificate])).verified


def test_a_master_list_with_a_damaged_signature_is_refused(document: Document) -> None:
    signer = make_dsc(document.csca, ec_key("secp256r1", 31), "ecdsa", serial=77)
    data = bytearray(make_master_list(signer, [document.csca.certificate]))
    data[-5] ^= 0x01
    with pytest.raises(TrustStoreError, match="signature"):
        read_master_list(bytes(data), "ml.der")


def test_ldif_entries_are_read_unfolded_and_a_broken_entry_is_named(document: Document) -> None:
    signer = make_dsc(document.csca, ec_key("secp256r1", 31), "ecdsa", serial=77)
    crl = make_crl(document.csca, [7], family="ecdsa")
    text = to_ldif(
        [document.dsc.certificate, signer.certificate],
        [crl],
        [make_master_list(signer, [document.csca.certificate])],
    )
    assert "\n " in text  # values are folded
    lines = text.split("\n")
    # Damage the base64 of the second entry (the second certificate).
    second = [i for i, line in enumerate(lines) if line.startswith("dn:")][1]
    lines[second + 3] = " !!!" + lines[second + 3][4:]
    bundle = read_ldif("\n".join(lines).encode(), "icaopkd-001.ldif")
    assert [(e.entry, e.source) for e in bundle.errors] == [(2, "icaopkd-001.ldif")]
    assert "entry 2" in str(bundle.errors[0])
    assert bundle.certificate_list() == [document.dsc.certificate, document.csca.certificate]
    assert bundle.crl_list() == [crl]
    assert bundle.master_lists[0].verified
    assert bundle.certificates[1].provenance.describe() == (
        "icaopkd-001.ldif, entry 4, master list certificate 1"
    )
    store = store_of([bundle])
    assert store.authorities == (document.csca.certificate,)


def test_pem_bundles_and_der_files_are_read(document: Document) -> None:
    crl = make_crl(document.csca, [7], family="ecdsa")
    data = (
        document.csca.certificate.public_bytes(PEM)
        + document.dsc.certificate.public_bytes(PEM)
        + crl.public_bytes(PEM)
        + b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"
    )
    bundle = read_pem(data, "bundle.pem")
    assert bundle.certificate_list() == [document.csca.certificate, document.dsc.certificate]
    assert bundle.crl_list() == [crl]
    assert [(e.entry, e.reason) for e in bundle.errors] == [
        (4, "a PUBLIC KEY block is not imported")
    ]
    assert read_pem(crl.public_bytes(DER), "crl.der").crl_list() == [crl]
    with pytest.raises(TrustStoreError, match=r"junk\.bin"):
        read_pem(b"junk", "junk.bin")


def test_describe_and_the_overview_say_what_is_trusted_until_when(document: Document) -> None:
    info = describe(document.csca.certificate)
    assert (info.country, info.is_ca, info.not_after) == ("UT", True, date(2035, 1, 1))
    assert info.subject_key_id == info.authority_key_id
    due = make_crl(document.csca, [7, 8], date(2026, 4, 1), date(2026, 5, 10), "ecdsa")
    assert describe_crl(due).revoked_count == 2
    expired = make_csca(
        "UT", ec_key("secp256r1", 34), "ecdsa", (date(2010, 1, 1), date(2020, 1, 1))
    )
    store = TrustStore.build([document.csca.certificate, expired.certificate], [due])
    (state,) = trust_overview(store, TODAY, within_days=14)
    assert state.state == "UT"
    assert state.trusted_until == date(2035, 1, 1)
    assert [c.valid_today for c in state.cscas] == [False, True]
    assert state.crls_stale_soon == (
        (document.csca.certificate.subject.rfc4514_string(), date(2026, 5, 10)),
    )
    assert trust_overview(store, TODAY, within_days=5)[0].crls_stale_soon == ()


def test_explicit_parameters_of_no_known_curve_are_refused() -> None:
    params = explicit_parameters(ec_key("secp256r1").curve).native
    params["curve"]["b"] = b"\x01" * 32
    with pytest.raises(AlgorithmError, match="no curve of Doc 9303"):
        named_curve_of(asn1_keys.SpecifiedECDomain(params))
