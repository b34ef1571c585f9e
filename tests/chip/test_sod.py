"""Reading EF.SOD: the LDSSecurityObject, its hashes and the DSC inside the SignedData."""

from __future__ import annotations

import hashlib

import pytest

from chip.build_pki import build_sod, make_master_list, tlv
from chip.errors import SODError
from chip.sod import read_sod
from tests.chip.documents import Document


def test_sod_gives_hash_algorithm_hashes_and_dsc(document: Document) -> None:
    sod = read_sod(document.sod)
    assert sod.version == 0
    assert sod.hash_algorithm == "sha256"
    assert sod.hashes[1] == hashlib.sha256(document.groups[1]).digest()
    assert set(sod.hashes) == {1, 2}
    assert sod.dsc == document.dsc.certificate


def test_version_1_carries_lds_version(document: Document) -> None:
    data = build_sod(
        document.groups,
        document.dsc.key,
        document.dsc.certificate,
        "sha512",
        "ecdsa",
        lds_version="0108",
    )
    sod = read_sod(data)
    assert (sod.version, sod.lds_version, sod.hash_algorithm) == (1, "0108", "sha512")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "tag 0x77"),
        (b"\x30\x03\x02\x01\x00", "tag 0x77"),
        (b"\x77\x05\x00", "runs past"),
        (b"\x77\x84\x00\x00\x00\x01\x00", "definite length"),
        (b"\x77\x03\x02\x01\x00", "not a CMS SignedData"),
    ],
)
def test_malformed_sod_is_refused_saying_why(data: bytes, reason: str) -> None:
    with pytest.raises(SODError, match=reason):
        read_sod(data)


def test_trailing_bytes_other_than_padding_are_refused(document: Document) -> None:
    read_sod(document.sod + b"\x00\x00")
    with pytest.raises(SODError, match="after the 0x77 value"):
        read_sod(document.sod + b"\x01")


def test_signed_data_of_another_content_type_is_not_a_sod(document: Document) -> None:
    master_list = make_master_list(document.dsc, [document.csca.certificate])
    with pytest.raises(SODError, match="is not LDSSecurityObject"):
        read_sod(tlv(b"\x77", master_list))
