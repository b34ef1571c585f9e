"""BER-TLV is read strictly, with the absolute offset of every fault, and written as DER."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chip.errors import TLVError
from chip.tlv import (
    MAX_DEPTH,
    encode_length,
    encode_tag,
    encode_tlv,
    read_tags,
    read_tlv,
    read_tlvs,
)


def test_multi_byte_tags_and_long_lengths_are_read_with_their_offsets():
    inner = encode_tlv(0x5F1F, b"X" * 200)
    root = read_tlv(encode_tlv(0x61, inner))
    assert (root.tag, root.offset, root.value_offset, root.constructed) == (0x61, 0, 3, True)
    (mrz,) = root.children
    assert (mrz.tag, mrz.offset, mrz.value_offset, mrz.value) == (0x5F1F, 3, 7, b"X" * 200)
    assert not mrz.constructed
    assert root.find(0x5F1F) is mrz and root.find(0x5F01) is None


def test_a_base_makes_offsets_absolute():
    (item,) = read_tlvs(b"\x04\x01A", base=100)
    assert (item.offset, item.value_offset) == (100, 102)


@pytest.mark.parametrize(
    ("data", "offset", "reason"),
    [
        (b"", 0, "no data object: the data is empty"),
        (b"\x5f", 0, "truncated tag: the data ends inside it"),
        (b"\x5f\x9f\x9f\x9f\x01\x00", 0, "tag longer than 4 bytes"),
        (b"\x61", 1, "truncated length: the data ends before it"),
        (b"\x61\x82\x01", 1, "truncated length: 2 length bytes announced"),
        (b"\x61\x80\x00\x00", 1, "indefinite length (0x80) is not allowed"),
        (b"\x61\x85\x00\x00\x00\x00\x01", 1, "length in 5 bytes, more than 4"),
        (b"\x61\x84\x01\x00\x00\x01", 1, "length 16777217 is more than the 1048576 allowed"),
        (b"\x61\x05\x04\x01", 1, "length 5 runs past the end (2 bytes left)"),
        (b"\x61\x03\x04\x05\x41", 3, "length 5 runs past the end (1 bytes left)"),
        (b"\x61\x00\xff\xff", 2, "2 bytes after the end of the data object"),
    ],
)
def test_malformed_input_is_refused_with_reason_and_offset(data, offset, reason):
    with pytest.raises(TLVError) as caught:
        read_tlv(data)
    assert (caught.value.offset, caught.value.reason) == (offset, reason)
    assert str(caught.value) == f"byte {offset}: {reason}"


def test_nesting_beyond_the_bound_is_refused_where_it_goes_too_deep():
    data = b"\x04\x00"
    for _ in range(MAX_DEPTH - 1):
        data = encode_tlv(0x30, data)
    assert read_tlv(data).tag == 0x30
    with pytest.raises(TLVError) as caught:
        read_tlv(encode_tlv(0x30, data))
    # The leaf 04 00 sits one level too deep, after 32 two-byte headers.
    assert (caught.value.offset, caught.value.reason) == (64, f"nested more than {MAX_DEPTH} deep")


def test_a_tag_list_is_read_as_bare_tags():
    assert read_tags(bytes.fromhex("5F0E5F2B6175")) == (0x5F0E, 0x5F2B, 0x61, 0x75)
    with pytest.raises(TLVError, match="truncated tag"):
        read_tags(b"\x5f\x0e\x5f")


@pytest.mark.parametrize(
    ("length", "encoded"),
    [(0, "00"), (127, "7f"), (128, "8180"), (255, "81ff"), (256, "820100"), (65536, "83010000")],
)
def test_lengths_are_written_in_the_shortest_form(length, encoded):
    assert encode_length(length).hex() == encoded


def test_tags_are_written_as_given():
    assert encode_tag(0x5F1F) == b"\x5f\x1f" and encode_tag(0x7F61) == b"\x7f\x61"
    assert encode_tag(0x00) == b"\x00"


@settings(max_examples=60, deadline=None)
@given(value=st.binary(max_size=300), tag=st.sampled_from([0x04, 0x5F1F, 0x5F0E, 0x80, 0x9F21]))
def test_what_is_written_reads_back(value, tag):
    item = read_tlv(encode_tlv(tag, value))
    assert (item.tag, item.value) == (tag, value)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_read_or_refused_with_a_tlv_error(data):
    try:
        read_tlvs(data)
    except TLVError as error:
        assert 0 <= error.offset <= len(data)
