"""Accuracy on the shared real specimens: the committed floor, and never a valid wrong reading.

A specimen counts as read when every key field is right (document number, birth and expiry
dates, surname, given names, issuing state, nationality), compared with the transcribed MRZ
sliced by position. Specimens whose printed check digits are wrong (truth.jsonl
`check_digits_valid: false`) count too: their fields can be read right, but a reading of them
must never be valid. The floor is read from docs/benchmarks.md so the two cannot drift.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanners.image import read_image
from tests.scanners.mrz_images import SHARED_DATA, load_specimens, negative_images, wrong_fields

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]

BENCHMARKS_DOC = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"


def committed_floor() -> float:
    section = BENCHMARKS_DOC.read_text(encoding="utf-8").split("## MRZ image reading", 1)[1]
    found = re.search(r"Committed floor: ([0-9.]+)", section)
    assert found, "docs/benchmarks.md '## MRZ image reading' must state 'Committed floor: X'"
    return float(found.group(1))


@pytest.fixture(scope="module")
def readings():
    if not (SHARED_DATA / "truth.jsonl").is_file():
        pytest.skip(f"shared MRZ specimens not found at {SHARED_DATA}")
    return [(specimen, read_image(specimen.path)) for specimen in load_specimens()]


def test_the_exact_match_rate_meets_the_committed_floor(readings):
    right = [s.path.name for s, r in readings if not wrong_fields(s, r.result)]
    rate = len(right) / len(readings)
    print(f"\nexact-match rate {rate:.3f} ({len(right)}/{len(readings)})")
    assert rate >= committed_floor()


def test_no_reading_is_valid_with_a_wrong_field(readings):
    valid_but_wrong = {
        s.path.name: wrong_fields(s, r.result)
        for s, r in readings
        if r.valid and wrong_fields(s, r.result)
    }
    assert valid_but_wrong == {}


def test_specimens_printed_with_wrong_check_digits_are_never_valid(readings):
    assert [s.path.name for s, r in readings if not s.check_digits_valid and r.valid] == []


def test_an_image_without_an_mrz_is_not_found():
    if not (SHARED_DATA / "truth.jsonl").is_file():
        pytest.skip(f"shared MRZ specimens not found at {SHARED_DATA}")
    for path in negative_images():
        assert not read_image(path).found, path.name
