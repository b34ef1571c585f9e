"""EDIFACT syntax: UNA advice, release characters, and errors that say which segment and where."""

from __future__ import annotations

import pytest

from paxlst.errors import EdifactError
from paxlst.syntax import ServiceChars, read_advice, read_segments


def test_without_una_the_default_characters_apply():
    chars, segments = read_segments("UNB+UNOA:4+A+B'UNZ+0+1'")
    assert chars == ServiceChars()
    assert [s.tag for s in segments] == ["UNB", "UNZ"]
    assert segments[0].elements == (("UNOA", "4"), ("A",), ("B",))
    assert segments[1].number == 2 and segments[1].offset == 15


def test_una_advises_other_characters():
    chars, segments = read_segments("UNA*|.! ~UNB|UNOA*4|A|B~NAD|FL|||O'NEIL*MARY~")
    assert chars == ServiceChars("*", "|", ".", "!", " ", "~")
    assert segments[1].value(4, 0) == "O'NEIL" and segments[1].value(4, 1) == "MARY"
    assert segments[0].offset == 9


def test_released_separators_are_data():
    _, segments = read_segments("NAD+FL+++O?'BRIEN?:X:ANN?+MARIE??'")
    assert segments[0].elements[3] == ("O'BRIEN:X", "ANN+MARIE?")


def test_a_run_of_release_characters_counts_in_pairs():
    _, segments = read_segments("RFF+AVF:AB???'C'FTX+X'")
    assert segments[0].value(1, 1) == "AB?'C"
    assert [s.tag for s in segments] == ["RFF", "FTX"]


def test_line_breaks_between_segments_are_passed_over():
    _, segments = read_segments("UNA:+.? '\r\nUNB+UNOA:4'\r\n  UNZ+0+1'\n")
    assert [(s.tag, s.offset) for s in segments] == [("UNB", 11), ("UNZ", 26)]


@pytest.mark.parametrize(
    ("text", "number", "offset", "words"),
    [
        ("UNB+A'NAD+FL?", 2, 6, "ends inside a segment"),
        ("UNB+A'NAD+O?X'", 2, 11, "not a separator"),
        ("UNB+A'nad+X'", 2, 6, "three capitals"),
        ("UNB+A''", 2, 6, "empty segment"),
        ("UNA:+.?", 1, 0, "six service characters"),
        ("UNA::.? 'UNB'", 1, 3, "two roles"),
        ("UNAA+.? 'UNB'", 1, 3, "letter, digit or space"),
        ("UNB+A'UNZ+1", 2, 6, "no terminator"),
    ],
)
def test_refuses_malformed_syntax_naming_segment_and_offset(text, number, offset, words):
    with pytest.raises(EdifactError) as caught:
        read_segments(text)
    assert (caught.value.segment_number, caught.value.offset) == (number, offset)
    assert words in caught.value.reason
    assert f"segment {number}" in str(caught.value)


def test_escape_puts_the_release_before_each_service_character():
    chars = ServiceChars()
    assert chars.escape("O'NEIL+SONS:1?") == "O?'NEIL?+SONS?:1??"
    assert chars.escape("PLAIN") == "PLAIN"


def test_read_advice_reports_where_segments_start():
    assert read_advice("UNA:+.? 'UNB")[1] == 9
    assert read_advice("UNB+X'")[1] == 0
