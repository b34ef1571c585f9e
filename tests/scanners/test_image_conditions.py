"""Reading MRZs printed over patterns, at small scale, and choosing between unchecked readings."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest

from scanners.image import (
    MATCH_SLACK,
    MIN_TRUSTED_PITCH,
    _likeliest,
    _Parsed,
    prefer_classes,
    read_image,
)
from scanners.mrz.parse import parse_mrz
from scanners.ocr_passes import Candidate
from tests.scanners.mrz_images import (
    TD1_LINES,
    TD3_LINES,
    draw_guilloche,
    reading_fields,
    render_document,
    shrink,
    truth_fields,
)

TODAY = date(2011, 1, 1)  # the ICAO example documents expire in 2012


def encoded(page, form: str = "PNG") -> bytes:
    buffer = BytesIO()
    page.convert("L").save(buffer, format=form)
    return buffer.getvalue()


@pytest.mark.parametrize("spacing", [4, 6])
def test_an_mrz_printed_over_a_guilloche_pattern_is_read(spacing):
    page = draw_guilloche(render_document(TD3_LINES), shade=150, spacing=spacing)
    reading = read_image(encoded(page), today=TODAY)
    assert reading.valid
    assert reading.result.lines == TD3_LINES


@pytest.mark.parametrize("blur", [0.6, 0.8])
@pytest.mark.parametrize("pitch", [6.0, 6.5])
@pytest.mark.parametrize(("lines", "form"), [(TD3_LINES, "TD3"), (TD1_LINES, "TD1")])
def test_small_blurred_print_is_read_right_but_never_trusted_as_valid(lines, form, pitch, blur):
    page = shrink(render_document(lines), pitch, blur=blur)
    reading = read_image(encoded(page, "JPEG"), today=TODAY)
    assert reading_fields(reading.result) == truth_fields("\n".join(lines), form)
    assert reading.pitch < MIN_TRUSTED_PITCH and not reading.valid


def parsed(lines: tuple[str, ...], score: float, name: str = "ocrb") -> _Parsed:
    result = parse_mrz(lines, today=TODAY)
    passed = sum(check.passed for check in result.checks)
    return _Parsed(result, name, Candidate(lines, score, 12.0), passed)


BAD_COMPOSITE = (TD3_LINES[0], TD3_LINES[1][:-1] + "9")  # printed with a wrong check digit
GARBLED_STATE = ("P<XQZ" + TD3_LINES[0][5:], TD3_LINES[1])  # no state; no check digit covers it


def test_a_well_matched_reading_beats_a_worse_matched_one_that_passes_more_checks():
    printed = parsed(BAD_COMPOSITE, 0.93)
    garbled = parsed(GARBLED_STATE, 0.93 - MATCH_SLACK - 0.02)
    assert garbled.passed > printed.passed and not garbled.result.valid
    assert _likeliest([garbled, printed]) is printed


def test_among_readings_matched_alike_the_one_passing_more_checks_wins():
    printed = parsed(BAD_COMPOSITE, 0.93)
    right = parsed(TD3_LINES, 0.93 - MATCH_SLACK / 2)
    assert _likeliest([printed, right]) is right


def test_a_valid_reading_wins_however_it_matched():
    right = parsed(TD3_LINES, 0.6)
    assert right.result.valid
    assert _likeliest([parsed(BAD_COMPOSITE, 0.95), right]) is right


def test_a_document_number_glyph_torn_between_u_and_0_reads_0_and_keeps_u_as_a_choice():
    torn = (TD3_LINES[0][:5] + "UUU" + TD3_LINES[0][8:], "LU98902C3" + TD3_LINES[1][9:])
    chosen, seen = prefer_classes(torn, {(1, 1): "0", (0, 6): "0"})
    assert chosen[1].startswith("L098902C3")
    assert seen[(1, 1)] == "U"
    assert chosen[0][6] == "U"  # a name letter stays a letter
