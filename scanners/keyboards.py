"""Undo the keyboard layout between a keyboard-wedge scanner and the MRZ text it typed.

A wedge scanner types each MRZ character as the key press a US keyboard needs for it (Shift+A
for A, 1 for 1, Shift+comma for <); the computer turns each press into what its own layout puts
on that key, so on French AZERTY the digits come out as &é"'(-è_çà, < as . and M as ?.

Two conventions for capitals, and `remap` undoes both, even mixed: Shift (most scanners), or
Caps Lock on with letters pressed bare. Caps Lock is not Shift: on AZERTY it capitalises é but
does not give 2, and on Arabic it leaves the letter keys' Arabic letters as they are (XKB's key
types decide; the tables in scanners/keyboard_layouts.py record all four states of each key).

The layouts are data generated from xkb-data (scripts/keyboard_tables.py); names are in LAYOUTS.
"""

from __future__ import annotations

import re
from datetime import date
from types import MappingProxyType

from scanners.errors import UnknownLayout
from scanners.keyboard_layouts import DESCRIPTIONS, TABLES
from scanners.mrz.formats import FORMATS
from scanners.mrz.parse import parse_mrz, split_lines

MRZ_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
# Our layout names, US first; guess_layout tries the others in this order.
LAYOUTS: tuple[str, ...] = tuple(TABLES)
# Layout name -> XKB's description of it, for a settings page.
LAYOUT_DESCRIPTIONS = MappingProxyType(dict(DESCRIPTIONS))
# Longer text is not one MRZ (a TD3 is 89 characters with its line break), so it is not guessed.
MAX_GUESS_LENGTH = 400

# Indexes into a key's (plain, Shift, Lock, Shift+Lock) characters, fewest modifiers first.
_SHIFT_STATES = (0, 1)
_CAPS_LOCK_STATES = (2, 3)
# (line count, line length) of each MRZ format, and its lines joined by line breaks as a pattern.
_SHAPES = frozenset((fmt.line_count, fmt.line_length) for fmt in FORMATS)
_SHAPE = re.compile(
    "|".join("\n".join([f"[A-Z0-9<]{{{length}}}"] * count) for count, length in sorted(_SHAPES))
)
# Check digits do not depend on the day; any date will do for counting those that pass.
_ANY_DAY = date(2000, 1, 1)


def _presses(states: tuple[int, ...]) -> dict[str, tuple[str, int]]:
    """Return, for each character a US keyboard types in `states`, the key and state it takes."""
    presses: dict[str, tuple[str, int]] = {}
    for state in states:
        for key, chars in TABLES["us"].items():
            if chars[state]:
                presses.setdefault(chars[state], (key, state))
    return presses


_PRESSES = {False: _presses(_SHIFT_STATES), True: _presses(_CAPS_LOCK_STATES)}


def _forward(layout: str, caps_lock: bool) -> dict[int, str]:
    """Return the translation: US character -> what its key press types on `layout`."""
    table = TABLES[layout]
    return {ord(char): table[key][state] for char, (key, state) in _PRESSES[caps_lock].items()}


def _inverse(layout: str) -> dict[int, str]:
    """Return the translation: what `layout` shows -> the MRZ character the scanner meant.

    Shift first, then Caps Lock where it adds a character that means no other (the tests check
    that for every layout shipped, both conventions invert exactly).
    """
    inverse: dict[int, str] = {}
    for caps_lock in (False, True):
        forward = _FORWARD[layout, caps_lock]
        for char in MRZ_CHARACTERS:
            shown = forward[ord(char)]
            if len(shown) == 1 and shown != char:
                inverse.setdefault(ord(shown), char)
    return inverse


_FORWARD = {(name, caps): _forward(name, caps) for name in LAYOUTS for caps in (False, True)}
_INVERSE = {name: _inverse(name) for name in LAYOUTS}


def _known(layout: str) -> str:
    if layout not in TABLES:
        raise UnknownLayout(layout, LAYOUTS)
    return layout


def typed_on(text: str, layout: str, *, caps_lock: bool = False) -> str:
    """Return what a US wedge scanner typing `text` shows on a computer set to `layout`.

    With `caps_lock` the scanner types capitals with Caps Lock on instead of Shift. A character
    a US keyboard cannot type (a line break) passes unchanged; one whose key is a dead key on
    `layout` shows nothing.
    """
    return text.translate(_FORWARD[_known(layout), caps_lock])


def remap(text: str, layout: str) -> str:
    """Return the MRZ characters a US wedge scanner typed, from what `layout` showed of them.

    Undoes `typed_on` for A-Z, 0-9 and <, typed with Shift or with Caps Lock; every other
    character stays as it is.
    """
    return text.translate(_INVERSE[_known(layout)])


def has_mrz_shape(text: str) -> bool:
    """Tell whether the text's non-blank lines are one MRZ's: 3x30, 2x36 or 2x44 of A-Z0-9<."""
    return _SHAPE.fullmatch("\n".join(split_lines(text))) is not None


def _could_have_shape(text: str) -> bool:
    """Tell whether the line lengths fit an MRZ (`remap` keeps lengths: one character each)."""
    lines = split_lines(text)
    return len({len(line) for line in lines}) == 1 and (len(lines), len(lines[0])) in _SHAPES


def guess_layout(text: str) -> str | None:
    """Return the layout whose `remap` turns `text` into an MRZ's shape, or None.

    None when the text has an MRZ's shape already, or no layout gives it one. Layouts that type
    an MRZ alike (de and ch; fr, fr-oss and be when no 6 or 8 is typed) give the first in
    LAYOUTS; layouts that give different MRZs give the one with the most check digits passing.
    """
    if len(text) > MAX_GUESS_LENGTH or has_mrz_shape(text) or not _could_have_shape(text):
        return None
    found: dict[str, str] = {}
    for layout in LAYOUTS:
        meant = remap(text, layout)
        if meant != text and has_mrz_shape(meant):
            found.setdefault(meant, layout)
    if len(found) <= 1:
        return next(iter(found.values()), None)
    return found[max(found, key=_passing_checks)]


def restore_scan(text: str, layout: str) -> str:
    """Return the MRZ a wedge scanner meant, typed on a computer set to `layout`.

    The text is remapped only when it has no MRZ's shape and its remapping has one, so a scanner
    already set to the computer's layout keeps working; otherwise it comes back unchanged.
    """
    if has_mrz_shape(text):
        return text
    meant = remap(text, layout)
    return meant if has_mrz_shape(meant) else text


def _passing_checks(text: str) -> int:
    return sum(check.passed for check in parse_mrz(text, today=_ANY_DAY).checks)
