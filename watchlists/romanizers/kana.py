"""Japanese names in Hepburn as Japanese passports write it; kanji read by pykakasi.

The Ministry of Foreign Affairs' passport Hepburn table: long vowels are not marked (おお, おう → O;
うう → U; the katakana ー is dropped), ん is N but M before B, M or P (NAMBA, HOMMA, SAMPEI), っ
doubles the next consonant (っち → TCH). Alternatives, in order: long O as OH, which passports
allow on request (SATOH, OHNO); long vowels kept as written, the form most lists and input
methods use (SATOU, OONO, ん always N); and ん always N with long vowels unmarked.

Kanji are read by pykakasi's dictionary, one reading per word. A kanji name's reading is
ambiguous (中島 is NAKAJIMA or NAKASHIMA, 菅 SUGA or KAN) and only the holder's registered
reading is right, so a kanji name's romanisation is a guess; kana names are exact. When a name
is written as one word, the words pykakasi's dictionary finds become its words (安倍晋三 →
ABE SHINZO), which often but not always separates surname from given name.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from anyascii import anyascii

_BASE: dict[str, str] = dict(
    zip(
        "あいうえおかきくけこがぎぐげごさしすせそざじずぜぞたちつてとだぢづでどなにぬねの"
        "はひふへほばびぶべぼぱぴぷぺぽまみむめもやゆよらりるれろわゐゑをゔぁぃぅぇぉゕゖゎ",
        "A I U E O KA KI KU KE KO GA GI GU GE GO SA SHI SU SE SO ZA JI ZU ZE ZO TA CHI TSU TE "  # noqa: SIM905
        "TO DA JI ZU DE DO NA NI NU NE NO HA HI FU HE HO BA BI BU BE BO PA PI PU PE PO MA MI MU "
        "ME MO YA YU YO RA RI RU RE RO WA I E O VU A I U E O KA KE WA".split(),
        strict=True,
    )
)
_SMALL_Y = {"ゃ": "A", "ゅ": "U", "ょ": "O"}
_SMALL_VOWELS = {"ぁ": "A", "ぃ": "I", "ぅ": "U", "ぇ": "E", "ぉ": "O"}
_STEMS = {"SHI": "SH", "CHI": "CH", "JI": "J", "TSU": "TS", "U": "W", "I": "Y", "VU": "V"}
_SOKUON, _LONG, _N = "っ", "ー", "ん"
_KATAKANA = (0x30A1, 0x30F6)


def _hiragana(text: str) -> str:
    low, high = _KATAKANA
    return "".join(chr(ord(ch) - 0x60) if low <= ord(ch) <= high else ch for ch in text)


def _morae(hira: str) -> list[str]:
    """Return the romaji of each mora; っ, ー and ん stay as themselves for _spell to decide."""
    morae: list[str] = []
    for ch in hira:
        if ch in _SMALL_Y and morae and morae[-1].endswith("I") and len(morae[-1]) > 1:
            stem = morae[-1][:-1]
            morae[-1] = stem + ("" if stem in ("SH", "CH", "J") else "Y") + _SMALL_Y[ch]
        elif ch in _SMALL_VOWELS and morae and morae[-1] not in (_SOKUON, _LONG, _N):
            last = morae[-1]
            stem = _STEMS.get(last, last[:-1] if len(last) > 1 else last)
            morae[-1] = stem + _SMALL_VOWELS[ch]
        elif ch in (_SOKUON, _LONG, _N):
            morae.append(ch)
        else:
            found = _BASE.get(ch)
            morae.append(found if found is not None else anyascii(ch).upper())
    return morae


def _spell(morae: list[str], long_o: str, labial_n: str) -> str:
    """Spell morae with long O as `long_o` ("", "H" or as written) and ん before B/M/P."""
    out: list[str] = []
    double = False
    lengthened = False
    for i, mora in enumerate(morae):
        last = out[-1][-1] if out and out[-1] else ""
        if mora == _SOKUON:
            double = True
            continue
        repeats = (
            not lengthened
            and last != ""
            and ((mora == "U" and last in "OU") or (mora == "O" and last == "O"))
        )
        if last and (mora == _LONG or repeats):
            lengthened = True
            if long_o == "KEEP":
                out.append(last if mora == _LONG else mora)
            elif long_o == "H" and last == "O":
                out.append("H")
            continue
        lengthened = False
        if mora == _N:
            following = morae[i + 1] if i + 1 < len(morae) else ""
            out.append(labial_n if following[:1] in ("B", "M", "P") else "N")
            continue
        if double and mora[:1].isalpha() and mora[:1] not in "AEIOU":
            mora = ("T" if mora.startswith("CH") else mora[0]) + mora
        double = False
        out.append(mora)
    return "".join(out)


@cache
def _kakasi() -> Any:
    """Return pykakasi's converter, or None where it is not installed.

    pykakasi is GPL-3.0, so it is the optional extra `kanji` (`pip install '.[kanji]'`), not a
    dependency of this MIT project: without it a name in kanji has no romanisation of its own.
    """
    try:
        import pykakasi  # imported late: its dictionary takes 0.5 s to load
    except ImportError:
        return None
    # pykakasi declares py.typed but leaves its constructor unannotated.
    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


def _has_kanji(word: str) -> bool:
    return any(0x3400 <= ord(ch) <= 0x9FFF or 0xF900 <= ord(ch) <= 0xFAFF or ch == "々"
               for ch in word)  # fmt: skip


def _readings(words: Sequence[str]) -> list[str]:
    """Return the name's words in hiragana, read by pykakasi where they hold kanji."""
    readings: list[str] = []
    for word in words:
        if not _has_kanji(word):
            readings.append(_hiragana(word))
            continue
        kakasi = _kakasi()
        if kakasi is None:
            return []
        items = [item["hira"] for item in kakasi.convert(word) if item["hira"].strip()]
        if len(words) == 1:
            readings.extend(items)
        else:
            readings.append("".join(items))
    return readings


def romanize(words: Sequence[str]) -> list[str]:
    """Return the passport Hepburn spelling of a Japanese name, then the alternatives above."""
    morae = [_morae(reading) for reading in _readings(words)]
    styles = (("", "M"), ("H", "M"), ("KEEP", "N"), ("", "N"))
    return [" ".join(_spell(m, long_o, n) for m in morae) for long_o, n in styles]
