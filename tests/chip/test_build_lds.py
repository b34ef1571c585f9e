"""Builders write the bytes Doc 9303 and the biometric standards give, not just what we read."""

from chip.build_lds import build_com, build_dg1, build_dg2, build_dg14
from chip.face import ISO_39794_5


def test_dg1_is_the_mrz_unbroken_under_5f1f():
    data = build_dg1(["P" * 44, "<" * 44])
    assert data[:5].hex() == "615b5f1f58" and data[5:] == b"P" * 44 + b"<" * 44


def test_com_lists_group_tags_after_the_versions():
    assert build_com([1, 2]).hex() == "60145f0104303130375f36063034303030305c026175"


def test_a_19794_face_has_the_cbeff_header_and_the_fac_record(jpeg):
    data = build_dg2(jpeg, width=24, height=32)
    assert bytes.fromhex("8702010188020008") in data  # format owner SC 37, type 19794-5 face
    record = data[data.index(b"FAC\x00") :]
    assert record[4:8] == b"010\x00"
    assert int.from_bytes(record[8:12], "big") == len(record) == 14 + 20 + 12 + len(jpeg)
    assert record[12:14] == b"\x00\x01"
    # Image information: full frontal, JPEG, 24 x 32.
    assert record[34:40] == bytes([1, 0, 0, 24, 0, 32])
    assert record.endswith(jpeg)


def test_a_39794_face_is_a_der_block_with_its_format_and_size(jp2):
    data = build_dg2(jp2, width=24, height=32, encoding=ISO_39794_5)
    assert bytes.fromhex("8802002a") in data  # type 39794-5 face
    assert bytes.fromhex("a007800103810207e3") in data  # version 3, 2019
    assert bytes.fromhex("a003800103a706800118810120") in data  # JPEG 2000 lossy, 24 x 32


def test_dg14_holds_a_set_of_security_infos():
    assert build_dg14(["0.4.0.127.0.7.2.2.3.2.2"]).hex() == (
        "6e133111300f060a04007f00070202030202020101"
    )
