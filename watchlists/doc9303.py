"""Names written in the MRZ with Doc 9303's transliteration of Arabic script, read back.

ICAO Doc 9303 Part 3 §6 (Table C, "Transliteration of Arabic script", from the 7th edition;
Appendix B explains it) writes each Arabic letter as a Latin letter or as an X-escape: ح XH,
خ XKH, ش XSH, ث XTH, ذ XDH, ص XSS, ض XDZ, ط XTT, ظ XZZ, ع E, ة XAH (at the end of a name
component; XTA elsewhere), ى XAY, and Persian, Urdu and Pashto letters likewise (چ XC, ک XKK,
گ XGG, ی XYA ...). Short vowels are not written, and the article stays on its name: محمد is
MXHMD, عبد الله EBD ALLH, الرازي ALRAZY. A list keeps such a person as MUHAMMAD, ABDULLAH,
AL-RAZI, so the engine compares the two by what both still show, the consonants:

- `listed_key(token)` and `query_keys(token)` give a blocking key, the consonant skeleton in
  the classes `equivalents.arabic_key` uses (ق and ك one class, ذ and ض with د ...), without
  vowels, ʿayn, hamza or the glides W and Y, doubled letters once, with the ABD-, ABU-, -ALLAH
  and -AL-DIN parts of compounds as arabic_key keeps them.
- `agrees(query, listed)` then checks the vowels Doc 9303 does write: a long vowel or glide in
  the MRZ (ا A, و W, ي Y) must be in the romanisation at that place, and a diphthong or glide
  the romanisation writes (HUSAYN's AY) must be in the MRZ: حسن (XHSN) is HASAN, not HUSAYN.
- `looks_transliterated(tokens)` tells a name written so: every token in the table's letters,
  and one with an X-escape, or of three letters or more and no A, I, O, U (BKR, EMR), or BN.
- `compounds(tokens)` joins what Arabic writes as one compound with its article (EBD ALLH).

Doc 9303 asks search algorithms to expect missing vowels and ignore the X characters (Appendix
B); this module does that and no more, and only for names that look written so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from watchlists.equivalents import arabic_key

__all__ = [
    "PARTICLES",
    "agrees",
    "compounds",
    "listed_key",
    "looks_transliterated",
    "query_keys",
    "write",
]

# Doc 9303 Part 3 Table C, MRZ letters to the classes of equivalents.arabic_key (uppercase: a
# consonant; "a", "u", "y": a long vowel or glide the MRZ writes, "e" one read as A or I; "": a
# letter no romanisation reliably shows, ʿayn and the hamza forms). The classes follow each
# letter's usual romanisation: غ G is GH (K class), ظ XZZ is Z, گ XGG is G (J class), چ XC is CH.
_LETTERS: dict[str, str] = {
    # Arabic
    "XE": "",  # ء hamza
    "XAA": "a",  # آ alef with madda
    "XAE": "",  # أ alef with hamza above
    "XW": "",  # ؤ waw with hamza
    "XI": "",  # ئ yeh with hamza
    "I": "",  # إ alef with hamza below
    "A": "a",  # ا alef
    "B": "B",
    "T": "T",
    "XTH": "θ",  # ث
    "J": "J",
    "XH": "H",  # ح
    "XKH": "X",  # خ
    "D": "D",
    "XDH": "D",  # ذ
    "R": "R",
    "Z": "Z",
    "S": "S",
    "XSH": "C",  # ش
    "XSS": "S",  # ص
    "XDZ": "D",  # ض
    "XTT": "T",  # ط
    "XZZ": "Z",  # ظ
    "E": "",  # ع ʿayn
    "G": "K",  # غ
    "F": "F",
    "Q": "K",  # ق
    "K": "K",
    "L": "L",
    "M": "M",
    "N": "N",
    "H": "H",  # ه
    "W": "u",  # و
    "Y": "y",  # ي
    "XAY": "e",  # ى alef maksura; Persian and Pashto type final ی with it (NOMANI)
    "XAH": "a",  # ة teh marbuta ending a name component
    "XTA": "a",  # ة elsewhere
    "XXA": "a",  # ٱ alef wasla
    # Persian, Urdu, Pashto
    "P": "P",
    "XC": "C",  # چ
    "XJ": "Z",  # ژ
    "XKK": "K",  # ک keheh
    "XGG": "J",  # گ
    "XYA": "y",  # ی Farsi yeh
    "XXT": "T",  # ٹ
    "XRT": "T",  # ټ
    "XKE": "Z",  # ځ
    "XXH": "S",  # څ
    "XXD": "D",  # ڈ
    "XDR": "D",  # ډ
    "XXR": "R",  # ڑ
    "XRR": "R",  # ړ
    "XRX": "Z",  # ږ
    "XXS": "C",  # ښ
    "XXK": "J",  # ګ
    "XNG": "NJ",  # ڭ
    "XNN": "N",  # ں
    "XXN": "N",  # ڼ
    "XDO": "H",  # ھ
    "XYH": "a",  # ۀ
    "XXG": "H",  # ہ
    "XGE": "a",  # ۂ
    "XTG": "a",  # ۃ
    "XXY": "y",  # ۍ
    "XYB": "y",  # ے
    "XBE": "y",  # ۓ
}
# Doc 9303 Part 3 Table C from the other side: each Arabic-script letter as the MRZ writes it.
# ة is XAH, as it ends the word it stands in.
_WRITTEN_LETTERS: dict[str, str] = {
    "ء": "XE", "آ": "XAA", "أ": "XAE", "ؤ": "XW", "ئ": "XI", "إ": "I", "ا": "A", "ب": "B",
    "ت": "T", "ث": "XTH", "ج": "J", "ح": "XH", "خ": "XKH", "د": "D", "ذ": "XDH", "ر": "R",
    "ز": "Z", "س": "S", "ش": "XSH", "ص": "XSS", "ض": "XDZ", "ط": "XTT", "ظ": "XZZ", "ع": "E",
    "غ": "G", "ف": "F", "ق": "Q", "ك": "K", "ل": "L", "م": "M", "ن": "N", "ه": "H", "و": "W",
    "ي": "Y", "ى": "XAY", "ة": "XAH", "ٱ": "XXA",
    "پ": "P", "چ": "XC", "ژ": "XJ", "ک": "XKK", "گ": "XGG", "ی": "XYA", "ٹ": "XXT", "ټ": "XRT",
    "ځ": "XKE", "څ": "XXH", "ڈ": "XXD", "ډ": "XDR", "ڑ": "XXR", "ړ": "XRR", "ږ": "XRX",
    "ښ": "XXS", "ګ": "XXK", "ڭ": "XNG", "ں": "XNN", "ڼ": "XXN", "ھ": "XDO", "ۀ": "XYH",
    "ہ": "XXG", "ۂ": "XGE", "ۃ": "XTG", "ۍ": "XXY", "ے": "XYB", "ۓ": "XBE",
}  # fmt: skip
# Short vowels, shadda, sukun, dagger alef and tatweel: the MRZ writes none of them.
_UNWRITTEN = frozenset(chr(code) for code in (*range(0x064B, 0x0653), 0x0670, 0x0640))


def write(text: str) -> str | None:
    """Write a name in Arabic script as the MRZ does with Table C (محمد MXHMD), or None.

    None when a letter is not in the table: a name in another script, or with digits.
    """
    words: list[str] = []
    for word in text.split():
        letters = []
        for ch in word:
            if ch in _UNWRITTEN:
                continue
            written = _WRITTEN_LETTERS.get(ch)
            if written is None:
                return None
            letters.append(written)
        if letters:
            words.append("".join(letters))
    return " ".join(words) or None


_ESCAPES = sorted((k for k in _LETTERS if k.startswith("X")), key=len, reverse=True)
_MRZ_LETTER = re.compile("|".join(_ESCAPES) + "|[A-WYZ]")
# A token written in the table's letters only, every X starting one of its escapes.
_WRITTEN = re.compile("(?:" + "|".join(_ESCAPES) + "|[A-WYZ])+")
# Letters Doc 9303 writes for no Arabic letter outside an escape: O, U, C, V.
_NOT_IN_TABLE = re.compile("[OUCV]")
_ESCAPE = re.compile("|".join(_ESCAPES))
# Vowel letters of romanisations; in Doc 9303's letters E is ʿayn (and only an initial one is
# told from a romanisation's E: EMR, not BEN) and Y a consonant or long ī.
_VOWEL_LETTERS = re.compile("[AIOU]")
# Escapes that tell a name written so; XE and XI also begin other names (ALEXEI, XI JINPING).
_TELLING = re.compile("|".join(e for e in _ESCAPES if e not in ("XE", "XI", "XW")))

# Particles as Doc 9303 writes them: بن BN, ابن ABN, بنت BNT, ولد WLD, the article ال AL apart.
PARTICLES: frozenset[str] = frozenset({"BN", "ABN", "BNT", "WLD", "AL"})
# عبد EBD and ابو ABW (أبو XAEBW) begin a compound with the next word; الله ALLH and الدين ALDYN
# (with Farsi yeh ALDXYAN) end one.
_ABD_WRITTEN = ("EBD",)
_ABU_WRITTEN = ("XAEBW", "ABW")
_FIRST_HALVES = frozenset(_ABD_WRITTEN + _ABU_WRITTEN)
_ALLAH_WRITTEN = ("ALLH",)
_DIN_WRITTEN = ("ALDXYAN", "ALDYN")
_SECOND_HALVES = frozenset(_ALLAH_WRITTEN + _DIN_WRITTEN)


def looks_transliterated(tokens: Sequence[str]) -> bool:
    """Tell whether a name's A-Z tokens look written with Doc 9303's Arabic table.

    So they do when every token is written in the table's letters, and one has an X-escape
    (but XE or XI), or three letters or more, no A, I, O or U and no E but a first one (BKR, EMR,
    YWSF), or is BN or WLD, or ends in ALLH or ALDYN; XAVIER, MAXIM, OMAR or AHMED BEN ALI do not.
    """
    if not tokens or any(
        _WRITTEN.fullmatch(t) is None or _NOT_IN_TABLE.search(_ESCAPE.sub("", t)) for t in tokens
    ):
        return False
    return any(
        _TELLING.search(t)
        or (len(t) >= 3 and not _VOWEL_LETTERS.search(t) and "E" not in t[1:])
        or t in PARTICLES - {"AL"}
        or t.endswith(_ALLAH_WRITTEN + _DIN_WRITTEN)
        for t in tokens
    )


def compounds(tokens: Sequence[str]) -> tuple[str, ...]:
    """Join Doc 9303 compounds written apart: EBD ALLH → EBDALLH, NSR ALDYN → NSRALDYN."""
    out: list[str] = []
    joining = False
    for token in tokens:
        if out and (joining or token in _SECOND_HALVES):
            out[-1] += token
            joining = token == "AL"  # the article written apart: EBD AL RXHMN
            continue
        out.append(token)
        joining = token in _FIRST_HALVES
    return tuple(out)


_Shape = tuple[str, tuple[str, ...], tuple[frozenset[str], ...], str]


def _shape(prefix: str, symbols: Sequence[str], suffix: str) -> _Shape | None:
    """Return (prefix, consonants, the vowel marks before, between and after them, suffix)."""
    consonants: list[str] = []
    gaps: list[set[str]] = [set()]
    for symbol in symbols:
        if symbol in ("a", "e", "i", "u", "v", "y", "o"):
            gaps[-1].add(symbol)
        elif consonants and consonants[-1] == symbol and not gaps[-1]:
            continue  # a doubled letter (shadda), written twice or once
        else:
            consonants.append(symbol)
            gaps.append(set())
    if not consonants and not (prefix or suffix):
        return None
    return prefix, tuple(consonants), tuple(frozenset(g) for g in gaps), suffix


def _key_of(shape: _Shape) -> str:
    prefix, consonants, _, suffix = shape
    return "D:" + prefix + "".join(consonants) + suffix


# -- the listed side: a romanisation, through its arabic_key -------------------------------

_ROMAN_SYMBOLS = {"Y": "y", "W": "u"}


def _listed_shape(token: str) -> _Shape | None:
    key = arabic_key(token)
    if key is None:
        return None
    if key == "ABD:LAH":
        return "ABD:", (), (frozenset(),), ":LAH"
    prefix = key[:4] if key[:4] in ("ABD:", "ABU:") else ""
    suffix = key[-4:] if key[-4:] in (":LAH", ":DIN") else ""
    stem = key[len(prefix) : len(key) - len(suffix)]
    return _shape(prefix, [_ROMAN_SYMBOLS.get(s, s) for s in stem], suffix)


# Listed tokens a query's candidates bring, compared again by later queries.
_kept_listed_shape = lru_cache(maxsize=65_536)(_listed_shape)


def listed_key(token: str) -> str | None:
    """Return the Doc 9303 blocking key of a listed (romanised) token, or None."""
    shape = _listed_shape(token)
    return None if shape is None else _key_of(shape)


# -- the query side: a token in Doc 9303's letters -----------------------------------------


# Letters that begin a word with a vowel: alef in each form, hamza, ʿayn. A romanisation of such
# a word begins with a vowel too: أحمد XAEXHMD is AHMAD, not HAMID or HAMAD.
_ONSETS = frozenset({"A", "XAE", "I", "XAA", "XXA", "E", "XE"})


def _decode(token: str) -> list[str]:
    symbols: list[str] = []
    for match in _MRZ_LETTER.finditer(token):
        letter = match.group(0)
        if match.start() == 0 and letter in _ONSETS:
            symbols.append("o")
        if letter == "A" and match.start() == 0:
            continue  # a word's first alef carries its vowel, whichever (ابراهيم IBRAHIM)
        if letter == "XYA" and match.end() == len(token):
            letter = "XAY"  # final ی is ā or ī (عیسی ESSA, نعمانی NOMANI)
        symbols.extend(_LETTERS[letter])
    return symbols


@lru_cache(maxsize=4096)
def _query_shapes(token: str) -> tuple[_Shape, ...]:
    """Return the shapes a Doc 9303 token may have as a romanisation's arabic_key reads it."""
    prefix = suffix = ""
    stems = [token]
    for written, name in [(w, "ABD:") for w in _ABD_WRITTEN] + [(w, "ABU:") for w in _ABU_WRITTEN]:
        rest = token[len(written) :]
        if token.startswith(written) and len(rest) > 1:
            if rest in ("ALLH", "LLH"):
                return (("ABD:", (), (frozenset(),), ":LAH"),) if name == "ABD:" else ()
            prefix, stems = name, [rest]
            if rest.startswith("AL") and len(rest) > 3:
                # The article; folding also merges it with a name's first L (ABDULLATIF).
                stems = [rest[2:]] + ([rest[3:]] if rest.startswith("ALL") else [])
            break
    for written, name in [(w, ":LAH") for w in _ALLAH_WRITTEN] + [
        (w, ":DIN") for w in _DIN_WRITTEN
    ]:
        if stems[0].endswith(written) and len(stems[0]) >= len(written) + 2:
            suffix, stems = name, [stem[: -len(written)] for stem in stems]
            break
    if not prefix and stems[0].startswith("AL") and len(stems[0]) > 3:
        stems.append(stems[0][2:])
    decoded = [_decode(stem) for stem in stems]
    for symbols in list(decoded):
        if len(symbols) >= 2 and symbols[-1] == "H":
            # A final ه or ح: a romanisation's -AH is read as ta marbuta (SALAH keys as SALA),
            # and a final ه is voiced (طه TAHA).
            decoded += [[*symbols[:-1], "a"], [*symbols, "a"]]
        if len(symbols) >= 2 and symbols[-1] == "T":
            decoded.append([*symbols[:-1], "D"])  # arabic_key's final -T after a vowel is -D
    shapes = (_shape(prefix, symbols, suffix) for symbols in decoded)
    return tuple(shape for shape in shapes if shape is not None)


def query_keys(token: str) -> set[str]:
    """Return the blocking keys of a token written in Doc 9303's letters (with, without AL)."""
    return {_key_of(shape) for shape in _query_shapes(token)}


# A long vowel or glide in the MRZ, and what a romanisation writes for it in the same place.
_WRITTEN_AS = {
    "a": frozenset("avy"),
    "u": frozenset("u"),
    "y": frozenset("iyv"),
    "e": frozenset("aivy"),
    "o": frozenset("aiuvy"),  # a word's first vowel (_ONSETS): any at all
}


# A romanisation's final vowel, and what the MRZ writes for it.
_FINAL = {
    "a": frozenset("ae"),
    "i": frozenset("ye"),
    "u": frozenset("u"),
    "v": frozenset("aye"),
    "y": frozenset("ye"),
}


def _gaps_agree(mrz: Sequence[frozenset[str]], roman: Sequence[frozenset[str]]) -> bool:
    for written, spelled in zip(mrz, roman, strict=True):
        if any(not (_WRITTEN_AS[mark] & spelled) for mark in written):
            return False
        if "y" in spelled and not written & {"y", "e"}:
            return False  # a diphthong or glide the MRZ would write as Y (HUSAYN, not HASAN)
    # Arabic writes a name's final vowel (ALI علي, HAMZA حمزة, HAMDI حمدي): HAMDI is not XHMD,
    # ALIA not ELY.
    return all(_FINAL[vowel] & mrz[-1] for vowel in roman[-1])


def agrees(query: str, listed: str) -> bool:
    """Tell whether a Doc 9303 token and a listed romanisation are one Arabic name."""
    roman = _kept_listed_shape(listed)
    if roman is None:
        return False
    # A romanisation's W or Y keys as a glide, but begins no word with a vowel (WALI is not ELY).
    vowel_first = listed[:1] in _VOWELS_FIRST
    for shape in _query_shapes(query):
        same = shape[0] == roman[0] and shape[1] == roman[1] and shape[3] == roman[3]
        if same and "o" in shape[2][0] and not vowel_first:
            continue
        if same and _gaps_agree(shape[2], roman[2]):
            return True
    return False


_VOWELS_FIRST = frozenset("AEIOU")
