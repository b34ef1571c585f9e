"""Romanise names written in non-Latin scripts, by each script's standard, and segment them.

`romanizations` answers the Latin spellings a list or a passport may show for a name written in
Cyrillic, Greek, Arabic (with Persian, Urdu and Pashto letters), Hebrew, Thai, Han, Hangul or
Japanese kana; the first spelling follows the script's standard (see STANDARDS) and the others
are the variants passports and lists really show. Any other script gets anyascii once, marked as
a fallback in STANDARDS. `segment` splits a name into its words in its own script, including
Chinese and Korean names, which are written without a space between surname and given name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

from anyascii import anyascii

from watchlists.romanizers import arabic, cyrillic, greek, han, hangul, hebrew, kana, thai

# Each romanisation is at most this many spellings, primary first: a hard bound, so a caller
# can build an index entry per spelling without the count of entries growing unchecked.
MAX_ROMANIZATIONS = 4

# What each script's primary spelling follows; "Other" marks the anyascii fallback.
STANDARDS: dict[str, str] = {
    "Cyrillic": "ICAO Doc 9303 Part 3 Cyrillic table; alternative BGN/PCGN-style Russian or "
    "the Ukrainian national system (2010)",
    "Greek": "ELOT 743 (ISO 843 transcription, as Greek passports print); alternative "
    "BGN/PCGN 1996",
    "Arabic": "ICAO Doc 9303 Part 3 Arabic table read phonetically (BGN/PCGN and ALA-LC "
    "without diacritics), a name lexicon and a vowel-insertion heuristic",
    "Hebrew": "Academy of the Hebrew Language 2006 simple transcription, a name lexicon and "
    "a vowel-insertion heuristic",
    "Thai": "Royal Thai General System of Transcription (RTGS), by rule",
    "Han": "Hanyu Pinyin without tones (pypinyin) with surname readings, as PRC passports write",
    "Hangul": "Revised Romanization of Korean (2000), per syllable as for personal names",
    "Kana": "Hepburn as Japanese passports write it (MOFA passport Hepburn); kanji read by "
    "pykakasi",
    "Other": "anyascii fallback: no standard",
}

# The Unicode ranges (bounds included) of the letters we read, with their scripts; a letter
# outside all of them is "Other", except Latin letters elsewhere, which are caught by name.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "Latin"),
    (0x0250, 0x02AF, "Latin"),
    (0x0370, 0x03FF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"),
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x0750, 0x077F, "Arabic"),
    (0x08A0, 0x08FF, "Arabic"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x1100, 0x11FF, "Hangul"),
    (0x1C80, 0x1C8F, "Cyrillic"),
    (0x1E00, 0x1EFF, "Latin"),
    (0x1F00, 0x1FFF, "Greek"),
    (0x2C60, 0x2C7F, "Latin"),
    (0x2DE0, 0x2DFF, "Cyrillic"),
    (0x3005, 0x3007, "Han"),
    (0x3021, 0x3029, "Han"),
    (0x3040, 0x30FF, "Kana"),
    (0x3130, 0x318F, "Hangul"),
    (0x31F0, 0x31FF, "Kana"),
    (0x3400, 0x4DBF, "Han"),
    (0x4E00, 0x9FFF, "Han"),
    (0xA640, 0xA69F, "Cyrillic"),
    (0xA720, 0xA7FF, "Latin"),
    (0xA960, 0xA97F, "Hangul"),
    (0xAC00, 0xD7FF, "Hangul"),
    (0xF900, 0xFAFF, "Han"),
    (0xFB1D, 0xFB4F, "Hebrew"),
    (0xFB50, 0xFDFF, "Arabic"),
    (0xFE70, 0xFEFF, "Arabic"),
    (0xFF21, 0xFF5A, "Latin"),
    (0xFF66, 0xFF9F, "Kana"),
    (0x1B000, 0x1B16F, "Kana"),
    (0x20000, 0x323AF, "Han"),
)
# Ties between scripts with equally many letters go to the earlier one here.
_ORDER = ("Kana", "Han", "Hangul", "Arabic", "Hebrew", "Thai", "Greek", "Cyrillic", "Latin")

_NON_ASCII_LETTERS = re.compile(r"[^A-Z]+")

_ROMANIZERS: dict[str, Callable[[Sequence[str]], list[str]]] = {
    "Cyrillic": cyrillic.romanize,
    "Greek": greek.romanize,
    "Arabic": arabic.romanize,
    "Hebrew": hebrew.romanize,
    "Thai": thai.romanize,
    "Han": han.romanize,
    "Hangul": hangul.romanize,
    "Kana": kana.romanize,
}


def _script_of_letter(ch: str) -> str:
    code = ord(ch)
    for low, high, script in _RANGES:
        if low <= code <= high:
            if script == "Latin" and code < 0x80 and not ch.isalpha():
                return "Other"
            return script
    return "Latin" if unicodedata.name(ch, "").startswith("LATIN") else "Other"


@lru_cache(maxsize=100_000)
def script_of(text: str) -> str | None:
    """Return the script most of the letters of `text` are written in, or None without letters.

    Any kana makes a name Japanese ("Kana"), since kanji mixed with kana are Japanese too.
    """
    counts: dict[str, int] = {}
    for ch in unicodedata.normalize("NFKC", text):
        if unicodedata.category(ch).startswith("L"):
            script = _script_of_letter(ch)
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    if "Kana" in counts:
        return "Kana"
    return max(counts, key=lambda s: (counts[s], -_rank(s)))


def _rank(script: str) -> int:
    return _ORDER.index(script) if script in _ORDER else len(_ORDER)


def _words(text: str) -> list[str]:
    """Split a name into runs of letters and marks, after NFKC.

    Format characters (Cf) such as the ZWNJ Persian writes inside names are dropped; anything
    else that is not a letter or a mark, "·" and "・" included, separates words.
    """
    words: list[str] = []
    current: list[str] = []
    for ch in unicodedata.normalize("NFKC", text):
        category = unicodedata.category(ch)
        if category[0] in "LM":
            current.append(ch)
        elif category == "Cf":
            continue
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def _clean(spelling: str) -> str:
    ascii_text = spelling if spelling.isascii() else anyascii(spelling)
    return " ".join(_NON_ASCII_LETTERS.sub(" ", ascii_text.upper()).split())


@lru_cache(maxsize=100_000)
def romanizations(text: str) -> tuple[str, ...]:
    """Return Latin spellings of a name in a non-Latin script, primary first, at most four.

    Each spelling is upper-case A-Z words separated by single spaces. Latin names, and names
    for which nothing sensible can be produced, give ().
    """
    script = script_of(text)
    if script is None or script == "Latin":
        return ()
    words = _words(text)
    romanizer = _ROMANIZERS.get(script)
    candidates = romanizer(words) if romanizer is not None else [" ".join(words)]
    spellings: list[str] = []
    for candidate in candidates:
        spelling = _clean(candidate)
        if spelling and spelling not in spellings:
            spellings.append(spelling)
            if len(spellings) == MAX_ROMANIZATIONS:
                break
    return tuple(spellings)


@lru_cache(maxsize=100_000)
def segment(text: str) -> tuple[str, ...]:
    """Return the words of a name in its own script; Chinese and Korean names split surname off.

    Words written apart stay apart; a Han or Hangul name written as one word is split into
    surname and given name by the rules `romanizations` follows (compound surnames from a table).
    """
    script = script_of(text)
    words = _words(text)
    if len(words) == 1 and script == "Han":
        return han.split_name(words[0])
    if len(words) == 1 and script == "Hangul":
        return hangul.split_name(words[0])
    return tuple(words)
