"""Korean names by the Revised Romanization (2000), split into surname and given name.

Each syllable is romanised on its own, since RR §3.6 does not transcribe sound changes between
the syllables of a given name. A name written as one word is split after its surname: two
syllables if they form a compound surname from the table below, one otherwise.

RR leaves surnames to convention (RR §3.6 note), so the primary spelling takes the surname as
South Korean passports conventionally spell it (KIM, LEE, PARK, CHOI, JUNG …; any other with an
initial ㄱ as K) and the given name by RR, joined: 김정은 → KIM JEONGEUN. Alternatives, in order:
the given name's syllables apart (KIM JEONG EUN); the North Korean official system (1992),
syllables apart (KIM JONG UN: ㅓ → O, ㅡ → U, ㅕ → YO, ㄱ ㄷ ㅂ → K T P at the start of a name part
and G D B after a vowel or nasal inside it, ㅋ ㅌ ㅍ → KH TH PH, 이 → RI); and the surname by
strict RR letters (GIM, BAK; 이 as YI).
"""

from __future__ import annotations

from collections.abc import Sequence

from anyascii import anyascii

_INITIALS = ("G", "KK", "N", "D", "TT", "R", "M", "B", "PP", "S", "SS", "", "J", "JJ", "CH", "K",
             "T", "P", "H")  # fmt: skip
_VOWELS = ("A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE", "OE", "YO", "U",
           "WO", "WE", "WI", "YU", "EU", "UI", "I")  # fmt: skip
_FINALS = ("", "K", "K", "K", "N", "N", "N", "T", "L", "K", "M", "L", "L", "L", "P", "L", "M",
           "P", "P", "T", "T", "NG", "T", "T", "K", "T", "P", "T")  # fmt: skip

# North Korean national system (1992), as DPRK names appear on UN and national lists.
_DPRK_INITIALS = ("K", "KK", "N", "T", "TT", "R", "M", "P", "PP", "S", "SS", "", "J", "JJ",
                  "CH", "KH", "TH", "PH", "H")  # fmt: skip
_DPRK_VOICED = {"K": "G", "T": "D", "P": "B"}
_DPRK_VOWELS = ("A", "AE", "YA", "YAE", "O", "E", "YO", "YE", "O", "WA", "WAE", "OE", "YO",
                "U", "WO", "WE", "WI", "YU", "U", "UI", "I")  # fmt: skip
_DPRK_SURNAMES = {"이": "RI", "리": "RI", "최": "CHOE", "박": "PAK", "노": "RO", "로": "RO",
                  "류": "RYU", "유": "YU", "림": "RIM", "임": "RIM"}  # fmt: skip

# Compound (two-syllable) surnames.
COMPOUND_SURNAMES = frozenset(
    "남궁 제갈 선우 독고 황보 사공 서문 동방 을지 어금 망절 강전 소봉 장곡".split()  # noqa: SIM905
)

# Surnames as South Korean passports conventionally spell them where that differs from RR.
CONVENTIONAL_SURNAMES: dict[str, str] = {
    "이": "LEE", "리": "LEE", "박": "PARK", "최": "CHOI", "정": "JUNG", "조": "CHO",
    "강": "KANG", "윤": "YOON", "장": "JANG", "임": "LIM", "림": "LIM", "오": "OH",
    "신": "SHIN", "권": "KWON", "황": "HWANG", "안": "AHN", "유": "YOO", "류": "RYU",
    "전": "JEON", "고": "KO", "문": "MOON", "손": "SOHN", "허": "HUR", "노": "ROH",
    "심": "SHIM", "곽": "KWAK", "성": "SUNG", "주": "JOO", "우": "WOO", "구": "KOO",
    "나": "NA", "진": "JIN", "엄": "UM", "채": "CHAE", "천": "CHUN", "현": "HYUN",
    "변": "BYUN", "염": "YEOM", "석": "SUK", "선": "SUN", "설": "SUL", "길": "KIL",
    "명": "MYUNG", "기": "KI", "금": "KEUM", "육": "YUK", "국": "KOOK", "경": "KYUNG",
    "부": "BOO", "편": "PYUN", "견": "KYUN", "근": "KEUN", "김": "KIM", "그": "KEU",
    "곡": "KOK", "공": "KONG", "계": "KYE", "갈": "KAL", "감": "KAM", "간": "KAN",
    "독고": "DOKGO", "남궁": "NAMGOONG", "선우": "SUNWOO", "황보": "HWANGBO",
}  # fmt: skip
_RR_SURNAMES = {"이": "YI", "리": "YI"}

_FIRST, _LAST = 0xAC00, 0xD7A3


def _is_syllable(ch: str) -> bool:
    return _FIRST <= ord(ch) <= _LAST


def _jamo(ch: str) -> tuple[int, int, int]:
    index = ord(ch) - _FIRST
    return index // 588, (index % 588) // 28, index % 28


def _rr(word: str) -> list[str]:
    """Return the RR spelling of each syllable of `word` (anything else by anyascii)."""
    syllables: list[str] = []
    for ch in word:
        if _is_syllable(ch):
            initial, vowel, final = _jamo(ch)
            syllables.append(_INITIALS[initial] + _VOWELS[vowel] + _FINALS[final])
        else:
            syllables.append(anyascii(ch).upper())
    return syllables


def _dprk(word: str) -> list[str]:
    syllables: list[str] = []
    for i, ch in enumerate(word):
        if not _is_syllable(ch):
            syllables.append(anyascii(ch).upper())
            continue
        initial, vowel, final = _jamo(ch)
        consonant = _DPRK_INITIALS[initial]
        previous_final = _jamo(word[i - 1])[2] if i > 0 and _is_syllable(word[i - 1]) else 0
        # Plain stops are voiced after a vowel or a nasal inside a name (Kim Kye Gwan).
        if i > 0 and previous_final in (0, 4, 16, 21):
            consonant = _DPRK_VOICED.get(consonant, consonant)
        syllables.append(consonant + _DPRK_VOWELS[vowel] + _FINALS[final])
    return syllables


def split_name(word: str) -> tuple[str, ...]:
    """Split a Korean name written as one word into surname and given name."""
    if len(word) < 2 or not all(_is_syllable(ch) for ch in word):
        return (word,)
    cut = 2 if word[:2] in COMPOUND_SURNAMES and len(word) > 2 else 1
    return word[:cut], word[cut:]


def _conventional(surname: str) -> str:
    found = CONVENTIONAL_SURNAMES.get(surname)
    if found is not None:
        return found
    rr = "".join(_rr(surname))
    return "K" + rr[1:] if rr.startswith("G") else rr


def romanize(words: Sequence[str]) -> list[str]:
    """Return a Korean name as passports write it by RR, then the alternatives named above."""
    parts = list(split_name(words[0])) if len(words) == 1 else list(words)
    surname, given = parts[0], parts[1:]
    conventional = _conventional(surname)
    joined = [conventional, *("".join(_rr(w)) for w in given)]
    apart = [conventional, *(" ".join(_rr(w)) for w in given)]
    dprk_surname = _DPRK_SURNAMES.get(surname, "".join(_dprk(surname)))
    dprk = [dprk_surname, *(" ".join(_dprk(w)) for w in given)]
    strict = [_RR_SURNAMES.get(surname, "".join(_rr(surname))), *joined[1:]]
    return [" ".join(p) for p in (joined, apart, dprk, strict)]
