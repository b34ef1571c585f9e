"""Typed MRZs from desks of any keyboard layout: read back, or refused saying why."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from midas.domain.errors import InvalidInput
from midas.domain.readings import read_document, scanned_text
from scanners.keyboards import LAYOUTS, typed_on
from tests.midas.crossing_builders import NOW, mrz

NAMES = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=10)


@settings(max_examples=60, deadline=None)
@given(
    layout=st.sampled_from([layout for layout in LAYOUTS if layout != "us"]),
    surname=NAMES,
    given_names=NAMES,
    caps_lock=st.booleans(),
)
def test_a_desk_with_the_right_layout_reads_any_mrz(layout, surname, given_names, caps_lock):
    lines = "\n".join(mrz(surname, given_names, "X1234567Q", nationality="UTO"))
    typed = typed_on(lines, layout, caps_lock=caps_lock)
    assert scanned_text(typed, layout) == lines
    reading = read_document(typed, None, today=NOW.date(), keyboard_layout=layout)
    assert (reading.identity.surname, reading.identity.given_names) == (surname, given_names)


@pytest.mark.parametrize("layout", [layout for layout in LAYOUTS if layout != "us"])
def test_a_us_desk_refuses_another_layouts_mrz_saying_so(layout):
    lines = "\n".join(mrz("YILMAZ", "ZEYNEP", "U12345678", nationality="TUR"))
    typed = typed_on(lines, layout)
    if typed == lines:
        pytest.skip(f"{layout} types this MRZ as US QWERTY does")
    with pytest.raises(InvalidInput, match="set the reader to the keyboard layout"):
        scanned_text(typed, "us")


def test_an_mrz_typed_as_it_is_passes_any_desk():
    lines = "\n".join(mrz())
    for layout in LAYOUTS:
        assert scanned_text(lines, layout) == lines


def test_a_stray_character_is_not_blamed_on_the_keyboard():
    # '-' is what AZERTY shows for 6, but an MRZ with a stray '-' is not a French-typed MRZ:
    # no layout makes it valid, so the reader says what is wrong with it instead.
    lines = "\n".join(mrz("MUELLER", "ANNA", "C4K8L2M9P")).replace("MUELLER<", "MUELLER-", 1)
    assert scanned_text(lines, "us") == lines
    reading = read_document(lines, None, today=NOW.date())
    assert not reading.valid
    messages = [p["message"] for p in reading.data["problems"]]
    assert messages == ["'-' is not an MRZ character"]
