"""A wedge scanner typing through a non-US keyboard layout: remapped, or recognised (issue 19)."""

import ctypes.util
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanners.errors import UnknownLayout
from scanners.keyboard_layouts import TABLES, XKB_DATA_VERSION, XKB_NAMES
from scanners.keyboards import (
    LAYOUT_DESCRIPTIONS,
    LAYOUTS,
    MAX_GUESS_LENGTH,
    MRZ_CHARACTERS,
    guess_layout,
    has_mrz_shape,
    remap,
    restore_scan,
    typed_on,
)
from scanners.mrz.parse import parse_mrz
from scanners.mrz.render import render
from tests.scanners.mrz import specimens as s
from tests.scanners.mrz.test_properties import TODAY, documents

ROOT = Path(__file__).resolve().parents[2]
FOREIGN = [layout for layout in LAYOUTS if layout != "us"]
DIGITS = "1234567890"
# The key (XKB name) the scanner presses for each digit.
DIGIT_KEYS = {digit: f"AE{i:02d}" for i, digit in enumerate(DIGITS, start=1)}


def joined(lines):
    return "\n".join(lines)


def shown(layout):
    """Every character an MRZ typed on `layout` can show, with Shift or Caps Lock."""
    return {
        char
        for caps_lock in (False, True)
        for char in typed_on(MRZ_CHARACTERS, layout, caps_lock=caps_lock)
    }


# The tables ------------------------------------------------------------------------------------


def test_the_layouts_are_those_of_the_issue_and_us_first():
    assert LAYOUTS[0] == "us"
    assert {"us", "fr", "be", "de", "ara"} <= set(LAYOUTS)
    assert XKB_NAMES["fr"] == ("fr", "") and XKB_NAMES["fr-oss"] == ("fr", "oss")
    assert LAYOUT_DESCRIPTIONS["fr"] == "French" and LAYOUT_DESCRIPTIONS["ara"] == "Arabic"
    assert XKB_DATA_VERSION.startswith("2.35")


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("caps_lock", [False, True])
def test_every_mrz_character_types_one_character_that_means_only_it(layout, caps_lock):
    typed = typed_on(MRZ_CHARACTERS, layout, caps_lock=caps_lock)
    assert len(typed) == len(MRZ_CHARACTERS)  # no dead key swallows one
    assert len(set(typed)) == len(MRZ_CHARACTERS)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_shift_and_caps_lock_never_give_one_shown_character_two_meanings(layout):
    meaning = {}
    for caps_lock in (False, True):
        for char in MRZ_CHARACTERS:
            typed = typed_on(char, layout, caps_lock=caps_lock)
            assert meaning.setdefault(typed, char) == char, (typed, char, meaning[typed])


def test_the_tables_agree_with_what_officers_reported():
    """The field reports of issue 19, against the tables generated from xkb-data."""
    assert typed_on(DIGITS, "fr") == "&é\"'(-è_çà"
    assert typed_on("<AQZWM", "fr") == ".QAWZ?"
    assert typed_on("YZ<", "de") == "ZY;"
    assert all("\u0600" <= char <= "\u06ff" for char in typed_on("SHALOM", "ara", caps_lock=True))


def installed_xkb_data():
    try:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", "xkb-data"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    return done.stdout.strip() or None


@pytest.mark.skipif(not ctypes.util.find_library("xkbcommon"), reason="needs libxkbcommon")
@pytest.mark.skipif(
    installed_xkb_data() != XKB_DATA_VERSION, reason="needs the xkb-data the tables came from"
)
def test_the_committed_tables_are_what_the_generator_writes_from_xkb():
    script = ROOT / "scripts" / "keyboard_tables.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


# Remapping -------------------------------------------------------------------------------------


@settings(max_examples=150)
@given(documents(), st.sampled_from(LAYOUTS), st.booleans())
def test_any_mrz_typed_on_any_layout_remaps_back_and_reads_valid(doc, layout, caps_lock):
    fmt, fields = doc
    mrz = joined(render(fmt, fields))
    typed = typed_on(mrz, layout, caps_lock=caps_lock)
    assert remap(typed, layout) == mrz
    assert restore_scan(typed, layout) == mrz
    assert parse_mrz(remap(typed, layout), today=TODAY).valid


@settings(max_examples=150)
@given(documents(), st.sampled_from(FOREIGN), st.booleans())
def test_an_mrz_typed_on_a_foreign_layout_is_recognised(doc, layout, caps_lock):
    fmt, fields = doc
    mrz = joined(render(fmt, fields))
    typed = typed_on(mrz, layout, caps_lock=caps_lock)
    assert not has_mrz_shape(typed)
    guessed = guess_layout(typed)
    assert guessed is not None
    # Layouts that type this MRZ alike may stand for each other; each gives the MRZ back.
    assert remap(typed, guessed) == mrz


@settings(max_examples=50)
@given(documents())
def test_a_us_mrz_is_no_wrong_layout_and_no_layout_setting_spoils_it(doc):
    fmt, fields = doc
    mrz = joined(render(fmt, fields))
    assert guess_layout(mrz) is None
    assert guess_layout(mrz.lower()) is None  # parse_mrz reads it as is
    for layout in LAYOUTS:
        assert restore_scan(mrz, layout) == mrz


@given(st.text(max_size=MAX_GUESS_LENGTH + 50))
def test_random_text_has_no_layout(text):
    assert guess_layout(text) is None


@given(st.data())
def test_text_of_an_mrz_shape_but_no_layout_characters_has_no_layout(data):
    meaningful = set(MRZ_CHARACTERS).union(*(shown(layout) for layout in LAYOUTS))
    alphabet = st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc", "Z"), exclude_characters=meaningful
    ).filter(lambda c: len(c.upper()) == 1 and c.upper() not in meaningful)
    count, length = data.draw(st.sampled_from([(3, 30), (2, 36), (2, 44)]))
    lines = [data.draw(st.text(alphabet, min_size=length, max_size=length)) for _ in range(count)]
    assert guess_layout(joined(lines)) is None


# Fixtures: Doc 9303 specimens as each layout types them ------------------------------------------


def test_the_td3_specimen_typed_on_azerty_shows_its_digits_and_fillers():
    mrz = joined(s.TD3)
    typed = typed_on(mrz, "fr")
    fr = TABLES["fr"]
    # What the digit keys and Shift+comma type on AZERTY France, as xkb-data says.
    azerty_digits = {fr[DIGIT_KEYS[digit]][0] for digit in set(DIGITS) & set(mrz)}
    assert typed.splitlines()[0].startswith("P" + fr["AB08"][1] + "UTO")
    assert azerty_digits <= set(typed)
    assert not any(char.isdigit() for char in typed)
    assert "<" not in typed
    assert not parse_mrz(typed, today=TODAY).valid
    assert guess_layout(typed) == "fr"  # its 8s are typed as AZERTY France types them
    assert remap(typed, "fr") == mrz
    assert parse_mrz(remap(typed, "fr"), today=TODAY).valid


@pytest.mark.parametrize(
    ("lines", "layout", "caps_lock", "guessed"),
    [
        (s.TD3, "fr", True, "fr"),
        (s.TD3, "be", False, "be"),
        (s.TD1, "de", False, "de"),
        (s.TD1, "ch", True, "de"),  # Swiss German types an MRZ as German does
        (s.TD2, "ara", False, "ara"),
        (s.TD2, "ara", True, "ara"),
        (s.MRVA, "fr-oss", False, "fr"),  # so does the alternative French layout as French
        (s.MRVB, "de", True, "de"),
    ],
)
def test_specimens_typed_on_foreign_layouts_are_recognised_and_restored(
    lines, layout, caps_lock, guessed
):
    typed = typed_on(joined(lines), layout, caps_lock=caps_lock)
    assert not parse_mrz(typed, today=TODAY).valid
    assert guess_layout(typed) == guessed
    assert restore_scan(typed, layout) == joined(lines)


def test_remapping_keeps_line_breaks_and_what_no_layout_types():
    typed = typed_on(joined(s.TD2), "fr") + "\r\n"
    assert remap(typed, "fr") == joined(s.TD2) + "\r\n"
    assert remap("@ ~", "fr") == "@ ~"
    assert remap("~", "ara") == "Z"  # Shift+Z types ~ on Arabic


def test_a_wrong_layout_with_a_character_no_layout_types_is_not_guessed():
    typed = typed_on(joined(s.TD3), "de")
    assert guess_layout("@" + typed[1:]) is None


def test_a_layout_setting_that_does_not_fit_leaves_the_text_as_typed():
    typed = typed_on(joined(s.TD3), "fr")
    assert restore_scan(typed, "de") == typed
    assert restore_scan(typed, "us") == typed


def test_an_unknown_layout_is_an_error_naming_the_known_ones():
    with pytest.raises(UnknownLayout, match="known are us, fr"):
        remap("P<UTO", "dvorak")
    with pytest.raises(UnknownLayout):
        typed_on("P<UTO", "fr-ca")


def test_when_two_layouts_give_different_mrzs_the_one_whose_checks_pass_is_guessed():
    # Fillers typed as commas: Arabic's Shift+comma, but also AZERTY's M under Caps Lock.
    typed = joined(s.TD3).replace("<", ",")
    assert has_mrz_shape(remap(typed, "fr")) and has_mrz_shape(remap(typed, "ara"))
    assert guess_layout(typed) == "ara"
