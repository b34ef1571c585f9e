"""Greek names by ELOT 743 (ISO 843 transcription), which Greek passports follow.

ELOT 743 §4: ΑΙ ΕΙ ΟΙ ΥΙ ΟΥ are AI EI OI YI OU; ΑΥ ΕΥ ΗΥ are AV EV IV before a vowel or a voiced
consonant and AF EF IF before a voiceless one or at the end; ΓΓ NG, ΓΞ NX, ΓΧ NCH; ΓΚ, ΜΠ and ΝΤ
are G, B and D at the start of a word and NG, MP and NT inside it; Χ is CH. A diaeresis breaks a
digraph. The alternative is BGN/PCGN (1996): Χ → KH, ΜΠ → MB and ΝΤ → ND inside a word.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from anyascii import anyascii

_LETTERS: dict[str, str] = {
    "Α": "A",
    "Β": "V",
    "Γ": "G",
    "Δ": "D",
    "Ε": "E",
    "Ζ": "Z",
    "Η": "I",
    "Θ": "TH",
    "Ι": "I",
    "Κ": "K",
    "Λ": "L",
    "Μ": "M",
    "Ν": "N",
    "Ξ": "X",
    "Ο": "O",
    "Π": "P",
    "Ρ": "R",
    "Σ": "S",
    "Ϲ": "S",
    "Τ": "T",
    "Υ": "Y",
    "Φ": "F",
    "Χ": "CH",
    "Ψ": "PS",
    "Ω": "O",
}
_VOWEL_PAIRS: dict[str, str] = {"ΑΙ": "AI", "ΕΙ": "EI", "ΟΙ": "OI", "ΥΙ": "YI", "ΟΥ": "OU"}
_U_DIPHTHONGS: dict[str, str] = {"Α": "A", "Ε": "E", "Η": "I"}
_VOICELESS = frozenset("ΘΚΞΠΣΤΦΧΨ")
_NASAL_PAIRS: dict[str, tuple[str, str]] = {"ΜΠ": ("B", "MP"), "ΝΤ": ("D", "NT"), "ΓΚ": ("G", "NG")}
_DIAERESIS = "\u0308"


def _letters(word: str) -> list[tuple[str, bool]]:
    """Return the word's base letters in upper case, each with whether it bears a diaeresis."""
    letters: list[tuple[str, bool]] = []
    for ch in unicodedata.normalize("NFD", word.upper()):
        if unicodedata.combining(ch):
            if ch == _DIAERESIS and letters:
                letters[-1] = (letters[-1][0], True)
            continue
        letters.append((ch, False))
    return letters


def _transcribe(word: str, bgn: bool) -> str:
    letters = _letters(word)
    chars = [ch for ch, _ in letters]
    out: list[str] = []
    i = 0
    while i < len(chars):
        ch = chars[i]
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        nxt_plain = nxt and not letters[i + 1][1]
        pair = ch + nxt
        if nxt_plain and pair in _VOWEL_PAIRS:
            out.append(_VOWEL_PAIRS[pair])
            i += 2
        elif nxt_plain and ch in _U_DIPHTHONGS and nxt == "Υ":
            after = chars[i + 2] if i + 2 < len(chars) else ""
            voiceless = not after or after in _VOICELESS
            out.append(_U_DIPHTHONGS[ch] + ("F" if voiceless else "V"))
            i += 2
        elif pair == "ΓΓ":
            out.append("NG")
            i += 2
        elif pair in ("ΓΞ", "ΓΧ"):
            out.append("N" + _LETTERS[nxt] if not (bgn and nxt == "Χ") else "NKH")
            i += 2
        elif pair in _NASAL_PAIRS:
            initial, medial = _NASAL_PAIRS[pair]
            if bgn and pair != "ΓΚ":
                medial = "MB" if pair == "ΜΠ" else "ND"
            out.append(initial if i == 0 else medial)
            i += 2
        elif ch == "Χ" and bgn:
            out.append("KH")
            i += 1
        else:
            found = _LETTERS.get(ch)
            out.append(found if found is not None else anyascii(ch))
            i += 1
    return "".join(out)


def romanize(words: Sequence[str]) -> list[str]:
    """Return the ELOT 743 spelling of a Greek name, then the BGN/PCGN one."""
    return [" ".join(_transcribe(w, bgn) for w in words) for bgn in (False, True)]
