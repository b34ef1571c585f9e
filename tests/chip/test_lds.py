"""Every LDS file reads back to what was written, and bad files are refused naming file and byte."""

import contextlib
from dataclasses import replace
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chip.build_lds import (
    build_com,
    build_dg1,
    build_dg2,
    build_dg11,
    build_dg12,
    build_dg14,
    build_dg15,
)
from chip.errors import ChipError, LDSError
from chip.face import ISO_39794_5, read_dg2
from chip.files import ChipFiles, sort_files
from chip.lds import (
    ActiveAuthenticationKey,
    Com,
    DocumentDetails,
    PersonalDetails,
    SecurityInfos,
    read_chip,
    read_com,
    read_dg1,
    read_dg11,
    read_dg12,
    read_dg14,
    read_dg15,
)
from chip.tlv import encode_tlv
from scanners.mrz.render import MRZFields, render

# The Doc 9303 specimen holder.
SPECIMEN = MRZFields(
    document_code="P",
    issuing_state="UTO",
    surname="ERIKSSON",
    given_names="ANNA MARIA",
    document_number="L898902C3",
    nationality="UTO",
    birth_date=date(1974, 8, 12),
    expiry_date=date(2012, 4, 15),
    sex="F",
    optional_data="ZE184226B",
)
PERSONAL = PersonalDetails(
    full_name="ERIKSSON<<ANNA<MARIA",
    other_names=("ERIKSSON<<ANNA", "ERIKSDOTTER<<ANNA<MARIA"),
    personal_number="ZE184226B",
    full_date_of_birth="19740812",
    place_of_birth="ZENITH<UTOPIA",
    permanent_address="123 MAPLE STREET<ZENITH<UTOPIA",
    profession="TRAVEL AGENT",
    proof_of_citizenship=b"\xff\xd8\xff not really",
    unknown=((0x5F77, b"\x01\x02"),),
)
DOCUMENT = DocumentDetails(
    issuing_authority="UTOPIA PASSPORT OFFICE",
    date_of_issue="20020415",
    other_persons=("ERIKSSON<<OLA",),
    endorsements="NONE",
    personalization_time="20020415120000",
)


@pytest.mark.parametrize("form", ["TD1", "TD2", "TD3"])
def test_dg1_gives_back_the_specimen_mrz_lines(form):
    code = "P" if form == "TD3" else "I"
    lines = render(form, replace(SPECIMEN, document_code=code))
    data = build_dg1(lines)
    assert read_dg1(data) == tuple(lines)
    assert build_dg1(read_dg1(data)) == data


def test_dg1_with_an_mrz_of_another_length_is_refused_at_the_mrz():
    data = build_dg1(["P<UTOERIKSSON<<ANNA<MARIA" + "<" * 60])
    with pytest.raises(LDSError) as caught:
        read_dg1(data)
    assert str(caught.value) == (
        "DG1, byte 5: MRZ of 85 characters is not TD1 (90), TD2 (72) or TD3 (88)"
    )


def test_dg1_with_a_truncated_length_names_the_file_and_byte():
    with pytest.raises(LDSError) as caught:
        read_dg1(b"\x61\x5b\x5f\x1f\x58" + b"<" * 10)
    assert (caught.value.file, caught.value.offset) == ("DG1", 1)
    assert caught.value.reason == "length 91 runs past the end (13 bytes left)"


def test_com_lists_the_groups_and_versions():
    data = build_com([1, 2, 11, 12, 14, 15])
    assert read_com(data) == Com("0107", "040000", (1, 2, 11, 12, 14, 15))
    assert data.hex().startswith("60185f0104303130375f3606303430303030")


def test_com_that_names_a_file_that_is_no_group_is_refused():
    body = encode_tlv(0x5F01, b"0107") + encode_tlv(0x5F36, b"040000") + encode_tlv(0x5C, b"\x77")
    with pytest.raises(LDSError, match="tag list names 0x77, not a data group"):
        read_com(encode_tlv(0x60, body))


def test_dg11_and_dg12_read_back_every_field_and_keep_unknown_tags():
    assert read_dg11(build_dg11(PERSONAL)) == PERSONAL
    assert read_dg12(build_dg12(DOCUMENT)) == DOCUMENT
    assert read_dg11(build_dg11(PersonalDetails())) == PersonalDetails()


def test_dg11_whose_name_count_lies_is_refused():
    data = bytearray(build_dg11(PERSONAL))
    data[data.index(b"\xa0") + 4] = 3
    with pytest.raises(LDSError, match="name count does not match 2 names"):
        read_dg11(bytes(data))


def test_dg14_is_data_with_the_protocols_named():
    oids = ("0.4.0.127.0.7.2.2.3.2.2", "0.4.0.127.0.7.2.2.1.2")
    data = build_dg14(oids)
    infos = read_dg14(data)
    assert infos == SecurityInfos(data[2:], oids)


@pytest.mark.parametrize(
    ("key", "algorithm", "size"),
    [
        (ec.generate_private_key(ec.SECP256R1()).public_key(), "EC secp256r1", 256),
        (rsa.generate_private_key(65537, 1024).public_key(), "RSA", 1024),
        (ed25519.Ed25519PrivateKey.generate().public_key(), "Ed25519", 256),
    ],
)
def test_dg15_is_the_key_with_its_algorithm(key, algorithm, size):
    data = build_dg15(key)
    der = key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    assert read_dg15(data) == ActiveAuthenticationKey(der, algorithm, size)


def test_dg15_with_a_key_nobody_knows_is_still_data():
    spki = encode_tlv(0x30, encode_tlv(0x30, encode_tlv(0x06, b"\x2a\x03")) + b"\x03\x01\x00")
    assert read_dg15(encode_tlv(0x6F, spki)) == ActiveAuthenticationKey(spki, None, None)


def test_read_chip_reads_what_is_present_and_reports_each_bad_file(jpeg):
    lines = render("TD3", SPECIMEN)
    blobs = [build_com([1, 2, 11]), build_dg1(lines), build_dg2(jpeg, width=24, height=32)]
    files = sort_files([*blobs, b"\x6b\x80\x00\x00", b"\x6c\x03\x5c\x01\x5f"])
    chip = read_chip(files)
    assert chip.com == Com("0107", "040000", (1, 2, 11))
    assert chip.mrz == tuple(lines)
    assert [f.mime_type for f in chip.faces] == ["image/jpeg"]
    assert chip.personal is None and chip.document is None
    assert [str(p) for p in chip.problems] == [
        "DG11, byte 1: indefinite length (0x80) is not allowed",
        "DG12, byte 4: tag list: truncated tag: the data ends inside it",
    ]


def test_read_chip_of_no_files_is_empty():
    assert read_chip(ChipFiles()).problems == ()


def _valid_files() -> list[bytes]:
    jpeg = b"\xff\xd8\xff\xe0" + bytes(40)
    jp2 = b"\xff\x4f\xff\x51" + bytes(40)
    return [
        build_com([1, 2, 11, 12, 14, 15]),
        build_dg1(render("TD1", replace(SPECIMEN, document_code="I"))),
        build_dg2(jpeg, width=24, height=32),
        build_dg2(jp2, width=24, height=32, encoding=ISO_39794_5),
        build_dg11(PERSONAL),
        build_dg12(DOCUMENT),
        build_dg14(),
        build_dg15(ec.generate_private_key(ec.SECP256R1()).public_key()),
    ]


VALID = _valid_files()
READERS = [read_com, read_dg1, read_dg2, read_dg11, read_dg12, read_dg14, read_dg15]


def _read_all(data: bytes) -> None:
    for reader in READERS:
        # Any other exception fails the property; a refusal is what malformed input earns.
        with contextlib.suppress(ChipError):
            reader(data)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=120))
def test_any_bytes_are_read_or_refused_with_a_chip_error(data):
    _read_all(data)
    # A first byte that opens an LDS file reaches past the outer tag check.
    for tag in (0x60, 0x61, 0x75, 0x6B, 0x6C, 0x6E, 0x6F):
        _read_all(bytes([tag]) + data)


@st.composite
def damaged_files(draw):
    data = bytearray(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        match draw(st.sampled_from(["flip", "cut", "insert"])):
            case "flip" if at < len(data):
                data[at] ^= 1 << draw(st.integers(0, 7))
            case "cut":
                del data[at:]
            case _:
                data[at:at] = bytes([draw(st.integers(0, 255))])
    return bytes(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_files())
def test_damaged_valid_files_are_read_or_refused_with_a_chip_error(data):
    _read_all(data)
    if data and data[0] in (0x60, 0x61, 0x75, 0x6B, 0x6C, 0x6E, 0x6F):
        read_chip(sort_files([data]))


def test_valid_files_all_read():
    assert read_dg2(VALID[3])[0].encoding == ISO_39794_5
    chip = read_chip(sort_files(VALID[:3] + VALID[4:]))
    assert chip.problems == ()
