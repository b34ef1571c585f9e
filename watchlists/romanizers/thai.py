"""Thai names by the Royal Thai General System of Transcription (RTGS, Royal Institute 1999).

A rule-based reading of the syllables of a name (PyThaiNLP's "royin" engine is 68 MB installed
and misreads names: ชินวัตร → CHINWATN). Each syllable is a leading vowel, an initial consonant or
cluster (กร, ปล, ขว …; silent ห before a sonorant and อ before ย), written vowels, and a final
consonant, each letter at its RTGS initial or final value (ร final is N, ย final I, ว final O).
A consonant with no written vowel takes O when it closes on a consonant (สม SOM, พล PHON) and A
when the next consonant carries a vowel (อภิ APHI, ทวี THAWI); รร is AN; C-ว-C is UA. Letters
under the thanthakhat ( ์) are silent, and so is a consonant left after a syllable's final at the
end of a word (จันทร์ CHAN, ลักษณ์ LAK, ชินวัตร CHINWAT). Where the syllables are ambiguous, ร
between a vowel and a vowelled consonant opens a syllable (สุรยุทธ์ SURAYUT), other consonants
close the syllable before (ชินวัตร CHINWAT, where RTGS from the spoken name is CHINNAWAT).
Thai has no capitals and spaces separate given name and surname, so no segmentation is needed.
Known limits: doubled consonants read twice in speech, Pali-Sanskrit silent vowels and tone-
dependent readings are not recovered; people often register non-RTGS spellings (SHINAWATRA).
"""

from __future__ import annotations

from collections.abc import Sequence

from anyascii import anyascii

_CONSONANTS = "กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ"
_INITIAL = dict(
    zip(
        _CONSONANTS,
        "K KH KH KH KH KH NG CH CH CH S CH Y D T TH TH TH N D T TH TH TH N B P PH F PH F PH M "  # noqa: SIM905
        "Y R L W S S S H L - H".split(),
        strict=True,
    )
)
_FINAL = dict(
    zip(
        _CONSONANTS,
        "K K K K K K NG T - T T - N T T T T T N T T T T T N P P - - P P P M I N N O T T T - N "  # noqa: SIM905
        "- -".split(),
        strict=True,
    )
)
_LEADING = frozenset("เแโใไ")
_MARKS = frozenset("ะัาำิีึืุูๅ")
_DROPPED = frozenset("่้๊๋็ํ๎ฺๆ")
_THANTHAKHAT = "์"
_CLUSTER_FIRST = frozenset("กขคตปพผบดฟ")
_SONORANTS = frozenset("งญนมยรลว")
_S_CLUSTERS = {"ทร": "S", "ซร": "S", "ศร": "S", "สร": "S"}
_SIMPLE_VOWELS = {"ะ": "A", "ั": "A", "า": "A", "ๅ": "A", "ำ": "AM", "ิ": "I", "ี": "I",
                  "ึ": "UE", "ื": "UE", "ุ": "U", "ู": "U"}  # fmt: skip
_LEAD_VOWELS = {"เ": "E", "แ": "AE", "โ": "O", "ใ": "AI", "ไ": "AI"}
# Short vowels, which a following consonant closes rather than opening a new syllable.
_SHORT = {"ะ": "short", "ิ": "short", "ึ": "short", "ุ": "short"}


def _value(table: dict[str, str], ch: str) -> str:
    found = table.get(ch)
    if found is None:
        return anyascii(ch).upper()
    return "" if found == "-" else found


def _silence(word: str) -> str:
    """Drop tone marks and the letters a thanthakhat silences (with a vowel on them)."""
    out: list[str] = []
    for ch in word:
        if ch in _DROPPED:
            continue
        if ch == _THANTHAKHAT:
            if out and out[-1] in "ิุ":
                out.pop()
            if out:
                out.pop()
            # A consonant left between a syllable's final and the silenced one is silent too.
            if len(out) >= 3 and all(_is_consonant(c) for c in out[-2:]) and out[-3] == "ั":
                out.pop()
            continue
        out.append(ch)
    return "".join(out)


def _is_consonant(ch: str) -> bool:
    return ch in _INITIAL


def _has_vowel(s: str, i: int) -> bool:
    """Tell whether the consonant at s[i] is followed by a vowel mark of its own."""
    return i + 1 < len(s) and s[i + 1] in _MARKS


def _initial(s: str, i: int, lead: str) -> tuple[str, int]:
    """Read the initial consonant or cluster at s[i]; return its spelling and the next index."""
    ch = s[i]
    nxt = s[i + 1] if i + 1 < len(s) else ""
    second_has_vowel = _has_vowel(s, i + 1) or (bool(lead) and i + 2 <= len(s))
    if nxt and ch + nxt in _S_CLUSTERS and second_has_vowel:
        return _S_CLUSTERS[ch + nxt], i + 2
    if ch in _CLUSTER_FIRST and nxt in ("ร", "ล", "ว") and second_has_vowel:
        return _INITIAL[ch] + _INITIAL[nxt], i + 2
    if ch == "ห" and nxt in _SONORANTS and second_has_vowel:
        return _INITIAL[nxt], i + 2
    if ch == "อ" and nxt == "ย" and second_has_vowel:
        return "Y", i + 2
    return _value(_INITIAL, ch), i + 1


def _syllables(s: str) -> list[str]:
    out: list[str] = []
    i = 0
    n = len(s)
    while i < n:
        ch = s[i]
        lead = ""
        if ch in _LEADING:
            lead = ch
            i += 1
            if i >= n:
                out.append(_LEAD_VOWELS[lead])
                break
            ch = s[i]
        if ch in "ฤฦ":
            out.append("RUE" if ch == "ฤ" else "LUE")
            i += 1
            continue
        if not _is_consonant(ch):
            out.append(anyascii(ch).upper())
            i += 1
            continue
        initial, i = _initial(s, i, lead)
        vowel, i, closed = _vowel(s, i, lead)
        final, i = _final(s, i, vowel, closed, lead)
        if lead and lead in "ใไ" and final == "I":
            final = ""
        if lead == "เ" and vowel == "E" and final == "I":
            vowel = "OE"
        out.append(initial + vowel + final)
        # A consonant left at the end of a word after a final is silent (Sanskrit spellings).
        if final and i == n - 1 and _is_consonant(s[i]):
            i += 1
    return out


def _vowel(s: str, i: int, lead: str) -> tuple[str, int, str]:
    """Read the written vowel at s[i]; return it, the next index, and whether a final is due."""
    n = len(s)
    ch = s[i] if i < n else ""
    nxt = s[i + 1] if i + 1 < n else ""
    if lead == "เ":
        if ch == "ี" and nxt == "ย":
            return "IA", i + 2, ""
        if ch == "ื" and nxt == "อ":
            return "UEA", i + 2, ""
        if ch == "า" and nxt == "ะ":
            return "O", i + 2, ""
        if ch == "า":
            return "AO", i + 1, ""
        if ch in ("อ", "ิ"):
            return "OE", i + 1, ""
        if ch == "ะ":
            return "E", i + 1, ""
        return "E", i, ""
    if lead:
        if ch == "ะ":
            i += 1
        return _LEAD_VOWELS[lead], i, ""
    if ch == "ั" and nxt == "ว":
        return "UA", i + 2, ""
    if ch == "ื" and nxt == "อ":
        return "UE", i + 2, ""
    if ch in _SIMPLE_VOWELS:
        return _SIMPLE_VOWELS[ch], i + 1, "closed" if ch == "ั" else _SHORT.get(ch, "")
    if ch == "ร" and nxt == "ร":
        return "A", i + 2, "rr"
    if ch == "อ" and (i + 1 >= n or not _has_vowel(s, i)):
        return "O", i + 1, ""
    if ch == "ว" and nxt and _is_consonant(nxt) and not _has_vowel(s, i + 1):
        return "UA", i + 1, ""
    if ch and _is_consonant(ch) and not _has_vowel(s, i):
        return "O", i, "closed"
    return "A", i, ""


def _final(s: str, i: int, vowel: str, closed: str, lead: str) -> tuple[str, int]:
    """Read the final consonant at s[i], if the syllable has one; return it and the next index."""
    n = len(s)
    if i >= n or not _is_consonant(s[i]) or _has_vowel(s, i):
        return ("N" if closed == "rr" else ""), i  # รร before a vowelled consonant reads AN
    ch = s[i]
    nxt = s[i + 1] if i + 1 < n else ""
    if closed in ("closed", "rr") or nxt == "" or nxt in _LEADING:
        return _value(_FINAL, ch), i + 1
    if nxt == "อ":
        return "", i  # the consonant carries อ as its vowel (ทอง THONG)
    if _has_vowel(s, i + 1):
        if ch == "ร" and not lead:
            return "", i
        return _value(_FINAL, ch), i + 1
    after = s[i + 2] if i + 2 < n else ""
    if nxt == "ร" and after == "ร":
        return "", i  # สุวรรณ SUWAN: the consonant starts a syllable spelt with รร
    if nxt == "ร" and after == "":
        return _value(_FINAL, ch), i + 1  # ตร at the end is a silent Sanskrit cluster (ประวิตร)
    if after == "" and closed == "short" and _value(_FINAL, ch) == _value(_FINAL, nxt):
        return _value(_FINAL, ch), i + 1  # ยุทธ YUT: a doubled sound at the end is read once
    if (closed != "short" or after == "") and (after == "" or _is_consonant(after)):
        return "", i  # มานพ MA-NOP, ลงกรณ LONGKON: after a long vowel it starts a syllable
    return _value(_FINAL, ch), i + 1


def romanize(words: Sequence[str]) -> list[str]:
    """Return the RTGS spelling of a Thai name."""
    return [" ".join("".join(_syllables(_silence(word))) for word in words)]
