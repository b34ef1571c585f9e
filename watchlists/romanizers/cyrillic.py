"""Cyrillic names: the ICAO Doc 9303 Part 3 table, and one alternative that passports show."""

from __future__ import annotations

from collections.abc import Sequence

from anyascii import anyascii

# ICAO Doc 9303 Part 3 §6 (transliteration of Cyrillic); watchlists.normalize applies this table.
ICAO: dict[str, str] = {
    "А": "A",
    "Б": "B",
    "В": "V",
    "Г": "G",
    "Д": "D",
    "Е": "E",
    "Ё": "E",
    "Ж": "ZH",
    "З": "Z",
    "И": "I",
    "Й": "I",
    "К": "K",
    "Л": "L",
    "М": "M",
    "Н": "N",
    "О": "O",
    "П": "P",
    "Р": "R",
    "С": "S",
    "Т": "T",
    "У": "U",
    "Ф": "F",
    "Х": "KH",
    "Ц": "TS",
    "Ч": "CH",
    "Ш": "SH",
    "Щ": "SHCH",
    "Ъ": "IE",
    "Ы": "Y",
    "Ь": "",
    "Э": "E",
    "Ю": "IU",
    "Я": "IA",
    "Ґ": "G",
    "Є": "IE",
    "І": "I",
    "Ї": "I",
    "Ў": "U",
    "Ђ": "D",
    "Ј": "J",
    "Љ": "LJ",
    "Њ": "NJ",
    "Ћ": "C",
    "Џ": "DZ",
    "Ѕ": "DZ",
    "Ѓ": "G",
    "Ќ": "K",
}

# Russian names as Soviet and Russian passports before 2010 and BGN/PCGN write them: Й → Y,
# Ю → YU, Я → YA, Ъ silent, and Е → YE after a vowel or a sign (VASILYEV, not VASILEV).
_RUSSIAN: dict[str, str] = {**ICAO, "Й": "Y", "Ю": "YU", "Я": "YA", "Ъ": ""}
# The Ukrainian national system (Cabinet of Ministers resolution 55, 2010): Г → H, И → Y; Є, Ї,
# Й, Ю, Я are YE, YI, Y, YU, YA at the start of a word and IE, I, I, IU, IA elsewhere.
_UKRAINIAN: dict[str, str] = {**ICAO, "Г": "H", "И": "Y", "Ь": "", "Ъ": ""}
_UKRAINIAN_INITIAL: dict[str, str] = {"Є": "YE", "Ї": "YI", "Й": "Y", "Ю": "YU", "Я": "YA"}
_UKRAINIAN_LETTERS = frozenset("ҐЄІЇ")
_VOWELS_AND_SIGNS = frozenset("АЕЁИОУЫЭЮЯІЇЄЬЪ")
_SIGNS = frozenset("ЬЪ")
_IOTATED = {"Е": "YE", "Ё": "YE"}


def _letter(ch: str, table: dict[str, str]) -> str:
    found = table.get(ch)
    return found if found is not None else anyascii(ch)


def _icao(word: str) -> str:
    return "".join(_letter(ch, ICAO) for ch in word)


def _russian(word: str) -> str:
    out: list[str] = []
    for i, ch in enumerate(word):
        after_vowel = i == 0 or word[i - 1] in _VOWELS_AND_SIGNS
        if ch in _IOTATED and after_vowel:
            out.append(_IOTATED[ch])
        elif ch == "И" and i > 0 and word[i - 1] in _SIGNS:
            out.append("YI")
        else:
            out.append(_letter(ch, _RUSSIAN))
    return "".join(out)


def _ukrainian(word: str) -> str:
    out: list[str] = []
    for i, ch in enumerate(word):
        if i == 0 and ch in _UKRAINIAN_INITIAL:
            out.append(_UKRAINIAN_INITIAL[ch])
        elif ch == "Г" and i > 0 and word[i - 1] == "З":
            out.append("GH")
        else:
            out.append(_letter(ch, _UKRAINIAN))
    return "".join(out)


def romanize(words: Sequence[str]) -> list[str]:
    """Return the ICAO spelling of a Cyrillic name, then the Russian or Ukrainian alternative."""
    upper = [word.upper() for word in words]
    ukrainian = any(ch in _UKRAINIAN_LETTERS for word in upper for ch in word)
    alternative = _ukrainian if ukrainian else _russian
    return [" ".join(_icao(w) for w in upper), " ".join(alternative(w) for w in upper)]
