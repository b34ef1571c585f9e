"""Chip files are recognised by their first tag, whatever they are called."""

import pytest

from chip.errors import LDSError
from chip.files import DATA_GROUP_TAGS, MAX_FILE_BYTES, file_name, sort_files


@pytest.mark.parametrize(("tag", "number"), sorted(DATA_GROUP_TAGS.items()))
def test_every_data_group_is_named_by_its_tag(tag, number):
    assert file_name(bytes([tag, 0])) == f"DG{number}"
    assert sort_files([bytes([tag, 0])]).groups == {number: bytes([tag, 0])}


def test_com_and_sod_are_sorted_apart_from_the_groups():
    files = sort_files([b"\x77\x00", b"\x60\x00", b"\x61\x00"])
    assert (files.com, files.sod, sorted(files.groups)) == (b"\x60\x00", b"\x77\x00", [1])


@pytest.mark.parametrize(
    ("blobs", "message"),
    [
        ([b""], "empty file"),
        ([b"\x30\x00"], "0x30 is not the tag of an LDS file"),
        ([b"\x61\x00", b"\x61\x01"], "DG1: given twice"),
        ([b"\x77\x00", b"\x77\x00"], "EF.SOD: given twice"),
        ([b"\x75" + bytes(MAX_FILE_BYTES)], "DG2: 1048577 bytes"),
    ],
)
def test_strangers_duplicates_and_oversized_files_are_refused_by_name(blobs, message):
    with pytest.raises(LDSError, match=message):
        sort_files(blobs)
