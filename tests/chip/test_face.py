"""DG2 yields each face with its image, in either encoding, and refuses a type that lies."""

import pytest

from chip.build_lds import build_dg2, build_dg2_faces
from chip.errors import LDSError
from chip.face import ISO_19794_5, ISO_39794_5, FaceImage, read_dg2, sniff_image_type
from chip.tlv import encode_tlv, read_tlv

ENCODINGS = [ISO_19794_5, ISO_39794_5]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize(
    ("kind", "mime_type"), [("jpeg", "image/jpeg"), ("jp2", "image/jp2"), ("j2k", "image/jp2")]
)
def test_one_face_reads_back_in_either_encoding(request, encoding, kind, mime_type):
    image = request.getfixturevalue(kind)
    data = build_dg2(image, width=24, height=32, encoding=encoding)
    assert read_dg2(data) == (FaceImage(mime_type, image, 24, 32, encoding),)
    assert build_dg2_faces(read_dg2(data)) == data


def test_several_faces_in_mixed_encodings_keep_their_order(jpeg, jp2):
    faces = (
        FaceImage("image/jpeg", jpeg, 24, 32, ISO_19794_5),
        FaceImage("image/jp2", jp2, None, None, ISO_39794_5),
    )
    assert read_dg2(build_dg2_faces(faces)) == faces


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_an_image_whose_bytes_disagree_with_its_declared_type_is_refused(jpeg, encoding):
    data = build_dg2_faces([FaceImage("image/jp2", jpeg, 24, 32, encoding)])
    with pytest.raises(LDSError) as caught:
        read_dg2(data)
    assert caught.value.reason == "image declared as image/jp2 but its bytes are image/jpeg"
    assert data[caught.value.offset :].startswith(jpeg)


def test_an_image_that_is_neither_jpeg_nor_jpeg_2000_is_refused(jpeg):
    data = build_dg2_faces([FaceImage("image/jpeg", b"GIF89a" + jpeg, 1, 1, ISO_19794_5)])
    with pytest.raises(LDSError, match="neither JPEG nor JPEG 2000"):
        read_dg2(data)


def test_image_types_are_told_by_their_first_bytes(jpeg, jp2, j2k):
    found = [sniff_image_type(b) for b in (jpeg, jp2, j2k, b"\x89PNG")]
    assert found == ["image/jpeg", "image/jp2", "image/jp2", None]


def test_a_39794_block_written_without_the_application_tag_also_reads(jpeg):
    data = build_dg2(jpeg, width=24, height=32, encoding=ISO_39794_5)
    # Unwrap 7F2E > A1 > 65 into 7F2E > A1, the form some issuers write.
    root = read_tlv(data)
    template = root.children[0].find_all(0x7F60)[0]
    header, block = template.children
    inner = block.children[0].children[0]
    rewritten = encode_tlv(0x7F2E, encode_tlv(0xA1, inner.value))
    group = encode_tlv(0x02, b"\x01") + encode_tlv(
        0x7F60, encode_tlv(0xA1, header.value) + rewritten
    )
    faces = read_dg2(encode_tlv(0x75, encode_tlv(0x7F61, group)))
    assert faces == (FaceImage("image/jpeg", jpeg, 24, 32, ISO_39794_5),)


def test_a_record_length_that_disagrees_with_the_block_is_refused(jpeg):
    data = bytearray(build_dg2(jpeg, width=24, height=32))
    at = data.index(b"FAC\x00")
    data[at + 11] ^= 0x01
    with pytest.raises(LDSError, match="record length says") as caught:
        read_dg2(bytes(data))
    assert caught.value.offset == at + 8


def test_a_count_that_disagrees_with_the_templates_is_refused(jpeg):
    data = bytearray(build_dg2(jpeg, width=24, height=32))
    at = data.index(b"\x02\x01\x01")
    data[at + 2] = 2
    with pytest.raises(LDSError, match="count says 2 templates, 1 found"):
        read_dg2(bytes(data))


def test_a_file_that_is_not_dg2_is_refused_at_its_first_byte():
    with pytest.raises(LDSError) as caught:
        read_dg2(b"\x61\x00")
    assert str(caught.value) == "DG2, byte 0: outer tag 0x61 is not 0x75"


def test_a_builder_refuses_an_image_it_cannot_name():
    with pytest.raises(ValueError, match="neither JPEG nor JPEG 2000"):
        build_dg2(b"\x89PNG", width=1, height=1)
