"""Pages lying any way round are read right, and a reading never depends on the clock."""

from __future__ import annotations

import time
from datetime import date
from functools import cache
from io import BytesIO

import numpy as np
import pytest

from scanners.image import MIN_TRUSTED_PITCH, ImageReading, load_page, read_image
from scanners.ocr_passes import TURNED_PASSES
from scanners.regions import likely_turns
from tests.scanners.mrz import specimens
from tests.scanners.mrz_images import reading_fields, render_document, shrink, truth_fields

TODAY = date(2011, 1, 1)  # the ICAO example documents expire in 2012
FORMATS = {
    "TD1": tuple(specimens.TD1),
    "TD2": tuple(specimens.TD2),
    "TD3": tuple(specimens.TD3),
    "MRVA": tuple(specimens.MRVA),
    "MRVB": tuple(specimens.MRVB),
}
ANGLES = (0, 90, 180, 270)  # counter-clockwise, as the page lies on the glass or in the photo
SMALL_PITCH = 6.5  # px per glyph: the small blurred JPEGs of test_image_conditions.py


def turned_page(lines: tuple[str, ...], angle: int, pitch: float | None = None) -> bytes:
    """Return an encoded page turned `angle` degrees: sharp PNG, or small blurred JPEG."""
    page = render_document(lines)
    if pitch is not None:
        page = shrink(page, pitch, blur=0.6)
    buffer = BytesIO()
    page.rotate(angle, expand=True).save(buffer, format="PNG" if pitch is None else "JPEG")
    return buffer.getvalue()


@cache
def reading_of(form: str, angle: int, pitch: float | None = None) -> ImageReading:
    """Return the reading of a turned page, read once per worker: tests below share pages."""
    return read_image(turned_page(FORMATS[form], angle, pitch), today=TODAY)


def read_right(reading: ImageReading, lines: tuple[str, ...]) -> bool:
    truth = truth_fields("\n".join(lines), "TD1" if len(lines) == 3 else "TD3")
    return reading_fields(reading.result) == truth


@pytest.mark.parametrize("angle", ANGLES)
@pytest.mark.parametrize("form", FORMATS)
def test_every_format_is_read_valid_whichever_way_the_page_lies(form, angle):
    reading = reading_of(form, angle)
    assert reading.valid
    assert reading.result.format == form
    assert reading.result.lines == FORMATS[form]
    assert reading.winner == TURNED_PASSES[angle // 90]


@pytest.mark.slow
@pytest.mark.parametrize("angle", ANGLES)
@pytest.mark.parametrize("form", FORMATS)
def test_small_blurred_print_is_read_right_whichever_way_but_never_trusted(form, angle):
    reading = reading_of(form, angle, SMALL_PITCH)
    assert read_right(reading, FORMATS[form])
    assert reading.pitch < MIN_TRUSTED_PITCH and not reading.valid


@pytest.mark.parametrize("angle", ANGLES)
@pytest.mark.parametrize("form", ["TD1", "MRVB"])
def test_the_way_a_page_lies_is_guessed_so_it_is_read_first(form, angle):
    page = load_page(turned_page(FORMATS[form], angle))
    turns = likely_turns(page)
    assert sorted(turns) == [0, 1, 2, 3]
    assert turns[0] == angle // 90


def test_a_page_without_an_mrz_is_still_tried_every_way():
    page = render_document(("THIS PAGE HAS NO MACHINE READABLE ZONE",), pitch=20)
    page = page.crop((0, 0, page.width, page.height - 60))
    assert sorted(likely_turns(np.asarray(page, dtype=np.float32) / 255)) == [0, 1, 2, 3]


class JumpingClock:
    """Every clock in `time` leaps an hour each time it is read, as on a machine under load."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        self.now += 3600.0
        return self.now


@pytest.mark.parametrize(
    ("form", "angle", "pitch"),
    [
        ("TD3", 90, None),
        ("TD1", 270, None),
        # never valid, so every way is read: the whole bounded sequence of passes runs
        pytest.param("TD3", 180, SMALL_PITCH, marks=pytest.mark.slow),
    ],
)
def test_a_reading_does_not_depend_on_how_much_time_passes(monkeypatch, form, angle, pitch):
    image = turned_page(FORMATS[form], angle, pitch)
    calm = reading_of(form, angle, pitch)
    clock = JumpingClock()
    for name in ("time", "monotonic", "perf_counter", "process_time", "thread_time"):
        monkeypatch.setattr(time, name, clock)
    busy = read_image(image, today=TODAY)
    monkeypatch.undo()
    assert busy.result == calm.result
    assert (busy.winner, busy.valid, busy.pitch) == (calm.winner, calm.valid, calm.pitch)
    assert [a.lines for a in busy.attempts] == [a.lines for a in calm.attempts]
    assert read_right(busy, FORMATS[form])
