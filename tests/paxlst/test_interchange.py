"""The envelope: UNB/UNZ, UNG/UNE and UNH/UNT counts and references, encodings, truncation."""

from __future__ import annotations

import pytest

from paxlst.errors import EdifactError, PaxlstError
from paxlst.interchange import read_interchange
from paxlst.write import write_paxlst
from tests.paxlst.builders import make_flight, make_traveller


def test_reads_envelope_groups_and_messages(guide_sample):
    interchange = read_interchange(guide_sample)
    assert (interchange.syntax, interchange.sender, interchange.recipient) == (
        "UNOA",
        "XAAIRLINE",
        "BORDERAPI",
    )
    assert interchange.control_reference == "000000417"
    (message,) = interchange.messages
    assert (message.reference, message.type, message.directory) == ("XA0417", "PAXLST", "D05B")
    assert (message.part, message.last_part) == (1, True)
    assert message.common_access_reference == "XA417/251121/0830"
    assert message.segments[0].tag == "UNH" and message.segments[-1].tag == "UNT"


def test_bytes_are_decoded_as_the_syntax_identifier_says():
    text = write_paxlst(make_flight(), [make_traveller(surname="MÜLLER")], syntax="UNOC")
    interchange = read_interchange(text.encode("latin-1"))
    assert interchange.syntax == "UNOC"
    assert "MÜLLER" in interchange.messages[0].segments[8].value(4, 0)


def test_a_byte_outside_the_syntax_is_refused_with_its_place():
    text = write_paxlst(make_flight(), [make_traveller(surname="MÜLLER")])
    data = text.encode("latin-1")
    with pytest.raises(EdifactError) as caught:
        read_interchange(data)
    assert caught.value.offset == data.index("Ü".encode("latin-1"))
    assert caught.value.segment_number == 10  # the NAD+FL
    assert "UNOA" in caught.value.reason


def _lines(text: str) -> list[str]:
    return text.splitlines()


@pytest.fixture
def written() -> list[str]:
    text = write_paxlst(make_flight(), [make_traveller(), make_traveller()], line_breaks=True)
    return _lines(text)


def _read(lines: list[str]) -> None:
    read_interchange("\n".join(lines) + "\n")


def test_a_wrong_unt_count_names_the_unt(written):
    index = next(i for i, line in enumerate(written) if line.startswith("UNT"))
    written[index] = written[index].replace("UNT+", "UNT+9")
    with pytest.raises(EdifactError, match="UNT counts") as caught:
        _read(written)
    assert caught.value.segment_number == index  # the UNA line is no segment


def test_a_unt_reference_that_differs_from_the_unh_is_refused(written):
    index = next(i for i, line in enumerate(written) if line.startswith("UNT"))
    written[index] = written[index].replace("PAX0001", "PAX0009")
    with pytest.raises(EdifactError, match="differs from UNH's") as caught:
        _read(written)
    assert caught.value.segment_number == index


def test_a_unz_count_or_reference_that_is_wrong_is_refused(written):
    written[-1] = "UNZ+2+000000001'"
    with pytest.raises(EdifactError, match="UNZ counts '2' messages; there are 1"):
        _read(written)
    written[-1] = "UNZ+1+000000002'"
    with pytest.raises(EdifactError, match="UNZ reference"):
        _read(written)


@pytest.mark.parametrize("cut", [2, 5, 12, 20])
def test_a_truncated_interchange_is_refused_after_its_last_segment(written, cut):
    kept = written[:cut]
    with pytest.raises(EdifactError, match="text ends") as caught:
        _read(kept)
    assert caught.value.segment_number == cut  # segments 1..cut-1 were read


def test_text_cut_inside_a_segment_is_refused_there(written):
    text = "\n".join(written)
    cut = text.index("DTM+329") + 5
    with pytest.raises(EdifactError, match="no terminator") as caught:
        read_interchange(text[:cut])
    assert caught.value.offset == text.index("DTM+329")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda lines: ["UNH+X+PAXLST:D:02B:UN:IATA'", *lines[1:]], "UNH where the"),
        (lambda lines: [*lines, "UNB+UNOA:4+A+B+1:1+2'"], "after UNZ"),
        (lambda lines: [*lines[:3], "UNZ+0+1'", *lines[3:]], "UNZ inside message"),
        (lambda lines: [*lines[:-1], "BGM+745'", lines[-1]], "BGM outside a message"),
    ],
)
def test_segments_out_of_their_envelope_are_refused(written, change, words):
    with pytest.raises(EdifactError, match=words):
        _read(change(written[1:]))


def test_every_error_is_a_paxlst_error():
    assert issubclass(EdifactError, PaxlstError)
