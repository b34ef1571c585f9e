"""Write scanners/keyboard_layouts.py: what each key of each layout types, read from XKB.

Run on a machine with libxkbcommon and xkb-data (Debian: libxkbcommon0, xkb-data):

    python scripts/keyboard_tables.py            # rewrite the table module
    python scripts/keyboard_tables.py --check    # fail if the committed module differs

The tables come from compiling each keymap with libxkbcommon (rules evdev, model pc105), so
includes, key types and Caps Lock behaviour are XKB's own, not read by hand. MIDAS needs
neither XKB nor this script at run time.
"""

from __future__ import annotations

import argparse
import ctypes
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "scanners" / "keyboard_layouts.py"
RULES = "/usr/share/X11/xkb/rules/evdev.xml"

# Our name -> XKB (layout, variant). The order is the order guess_layout tries them in.
LAYOUTS = {
    "us": ("us", ""),
    "fr": ("fr", ""),
    "be": ("be", ""),
    "de": ("de", ""),
    "ch": ("ch", ""),
    "fr-oss": ("fr", "oss"),
    "ara": ("ara", ""),
}

# The keys of a US ANSI (104-key) keyboard that type characters, as a wedge scanner emulates
# it; XKB key names. An ANSI keyboard has no <LSGT> key, so a scanner never presses it.
KEYS = (
    "TLDE",
    *(f"AE{i:02d}" for i in range(1, 13)),
    *(f"AD{i:02d}" for i in range(1, 13)),
    "BKSL",
    *(f"AC{i:02d}" for i in range(1, 12)),
    *(f"AB{i:02d}" for i in range(1, 11)),
)
STATES = ("plain", "Shift", "Lock", "Shift+Lock")


class _Names(ctypes.Structure):
    _fields_ = [
        ("rules", ctypes.c_char_p),
        ("model", ctypes.c_char_p),
        ("layout", ctypes.c_char_p),
        ("variant", ctypes.c_char_p),
        ("options", ctypes.c_char_p),
    ]


def _library() -> ctypes.CDLL:
    """Load libxkbcommon and declare the few functions used."""
    lib = ctypes.CDLL("libxkbcommon.so.0")
    p, u32 = ctypes.c_void_p, ctypes.c_uint32
    lib.xkb_context_new.restype = p
    lib.xkb_context_new.argtypes = [ctypes.c_int]
    lib.xkb_keymap_new_from_names.restype = p
    lib.xkb_keymap_new_from_names.argtypes = [p, ctypes.POINTER(_Names), ctypes.c_int]
    lib.xkb_keymap_key_by_name.restype = u32
    lib.xkb_keymap_key_by_name.argtypes = [p, ctypes.c_char_p]
    lib.xkb_keymap_mod_get_index.restype = u32
    lib.xkb_keymap_mod_get_index.argtypes = [p, ctypes.c_char_p]
    lib.xkb_state_new.restype = p
    lib.xkb_state_new.argtypes = [p]
    lib.xkb_state_update_mask.argtypes = [p, u32, u32, u32, u32, u32, u32]
    lib.xkb_state_key_get_one_sym.restype = u32
    lib.xkb_state_key_get_one_sym.argtypes = [p, u32]
    lib.xkb_keysym_to_utf32.restype = u32
    lib.xkb_keysym_to_utf32.argtypes = [u32]
    return lib


def read_layout(lib: ctypes.CDLL, layout: str, variant: str) -> dict[str, tuple[str, ...]]:
    """Return, for each key, the character it types in each of STATES ("" for none or dead)."""
    context = lib.xkb_context_new(0)
    names = _Names(b"evdev", b"pc105", layout.encode(), variant.encode(), b"")
    keymap = lib.xkb_keymap_new_from_names(context, ctypes.byref(names), 0)
    if not keymap:
        raise SystemExit(f"XKB could not compile layout {layout!r} variant {variant!r}")
    state = lib.xkb_state_new(keymap)
    shift = 1 << lib.xkb_keymap_mod_get_index(keymap, b"Shift")
    lock = 1 << lib.xkb_keymap_mod_get_index(keymap, b"Lock")
    table: dict[str, list[str]] = {key: [] for key in KEYS}
    for mask in (0, shift, lock, shift | lock):
        lib.xkb_state_update_mask(state, mask, 0, 0, 0, 0, 0)
        for key in KEYS:
            code = lib.xkb_keymap_key_by_name(keymap, key.encode())
            sym = lib.xkb_state_key_get_one_sym(state, code)
            point = lib.xkb_keysym_to_utf32(sym)
            table[key].append(chr(point) if point else "")
    return {key: tuple(chars) for key, chars in table.items()}


def descriptions() -> dict[str, str]:
    """Return XKB's own description of each of LAYOUTS, from the evdev rules registry."""
    wanted = {xkb: name for name, xkb in LAYOUTS.items()}
    found: dict[str, str] = {}
    for layout in ET.parse(RULES).getroot().iter("layout"):
        base = layout.findtext("configItem/name") or ""
        if (base, "") in wanted:
            found[wanted[base, ""]] = layout.findtext("configItem/description") or base
        for variant in layout.iter("variant"):
            key = (base, variant.findtext("configItem/name") or "")
            if key in wanted:
                found[wanted[key]] = variant.findtext("configItem/description") or key[1]
    return found


def xkb_data_version() -> str:
    """Return the installed xkb-data package version, or 'unknown'."""
    try:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", "xkb-data"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip() or "unknown"


def _literal(char: str) -> str:
    if char == "":
        return '""'
    if char == '"':
        return "'\"'"
    if char == "\\":
        return '"\\\\"'
    if char.isascii() and char.isprintable():
        return f'"{char}"'
    return f'"\\u{ord(char):04x}"'


def _shown(char: str) -> str:
    if char == "":
        return "-"
    if unicodedata.combining(char):
        return "\u25cc" + char
    return char


def render_module(
    tables: dict[str, dict[str, tuple[str, ...]]], names: dict[str, str], version: str
) -> str:
    """Return the source of the table module."""
    out = [
        '"""What each key of each keyboard layout types: generated by scripts/keyboard_tables.py.',
        "",
        "Do not edit: run the script. Source: libxkbcommon compiling XKB keymaps (rules evdev,",
        f"model pc105) from Debian's xkb-data {version}. Each key is an XKB key name (its place",
        "on the keyboard); each entry gives the character the key types in the states",
        f"{', '.join(STATES)}; an empty string where it types none (a dead key, or nothing).",
        "",
        "Layouts (our name: XKB layout(variant), XKB description):",
    ]
    for name, (layout, variant) in LAYOUTS.items():
        xkb = f"{layout}({variant})" if variant else layout
        out.append(f"    {name}: {xkb}, {names.get(name, '')}")
    out += [
        '"""',
        "",
        "from __future__ import annotations",
        "",
        f'XKB_DATA_VERSION = "{version}"',
        "",
        "# Our name -> XKB's description (the name a settings page can show).",
        "DESCRIPTIONS: dict[str, str] = {",
    ]
    for name in LAYOUTS:
        out.append(f'    "{name}": "{names.get(name, name)}",')
    out += [
        "}",
        "",
        "# Our name -> XKB (layout, variant).",
        "XKB_NAMES: dict[str, tuple[str, str]] = {",
    ]
    for name, (layout, variant) in LAYOUTS.items():
        out.append(f'    "{name}": ("{layout}", "{variant}"),')
    out += [
        "}",
        "",
        "# Layout -> key -> characters in the states plain, Shift, Lock, Shift+Lock.",
        "TABLES: dict[str, dict[str, tuple[str, str, str, str]]] = {",
    ]
    for name, table in tables.items():
        out.append(f'    "{name}": {{')
        for key in KEYS:
            chars = table[key]
            row = f'        "{key}": ({", ".join(_literal(c) for c in chars)}),'
            out.append(f"{row}  # {' '.join(_shown(c) for c in chars)}")
        out.append("    },")
    out += ["}", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Write or check the table module."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    lib = _library()
    tables = {name: read_layout(lib, *xkb) for name, xkb in LAYOUTS.items()}
    source = render_module(tables, descriptions(), xkb_data_version())
    if args.check:
        if TARGET.read_text(encoding="utf-8") != source:
            print(f"{TARGET} differs from what XKB gives here", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(source, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
