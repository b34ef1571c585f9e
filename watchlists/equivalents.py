"""Name equivalents beyond spelling: given-name hypocorisms and Arabic-origin transliterations.

Two independent rules, each a pure function of upper-case A-Z tokens (as `normalize.tokenize`
gives them), folded with `normalize.fold` first so they agree with the rest of screening:

- `given_name_groups` / `equivalent_given_names`: hypocorisms and diminutives (TED is EDWARD's
  and THEODORE's), from the `nicknames` package's curated table (see `hypocorisms`).
- `arabic_key` / `compound_forms`: a key equal for the usual romanisations of one Arabic,
  Persian or Pashto name (TARIQ/TAREK, HUSAYN/HOSSEIN, ABDELAZIZ/ABDULAZIZ) and different for
  different names (HASAN/HUSAYN, MAHMUD/MUHAMMAD, SAʿID/SAʿD/SAYYID, ABDUL/ABDULLAH), and the
  joining of compounds written apart (ABD AL RAHMAN, SAIF AL DIN) so that their keys agree.

The key rebuilds what Arabic script writes: consonants and long vowels. Its letter classes follow
Doc 9303 Part 3's Arabic table (ج J, ق Q, خ KH, غ G, ش SH, ث TH, ذ DH, و W, ي Y) joined with the
other romanisations in use on the lists, each class chosen by measuring how many alias pairs of
one person it unites against how many different names it merges (UN and OFAC lists, the UN
list's names in Arabic script as ground truth):

- K, Q, CK, C before A/O/U: ق and ك (QASIM/KASIM/KACEM). GH joins them: Persian writes ق as GH
  (GHASEM, SADEGH, BAGHERI), and 35 alias pairs on the lists need it. KH (خ) stays apart.
- J, DJ, G: ج (Egyptian GAMAL, RAGAB; Maghrebi DJAMEL). G as ق (GADDAFI) would merge East Asian
  and Persian G (گ) names with K ones, so only ج is taken.
- D, DH: ض and ذ (RAMADAN/RAMADHAN, FADIL/FADHIL, RIAD/RIYADH; 29 pairs). TH (ث) stays apart:
  TH as S (OTHMAN/OSMAN) also merges THAMIR with SAMIR and NATHIR with NASIR.
- SH, CH, SCH, TCH: ش (RACHID, CHERIF). C before E/I/Y is S (HACEN, NACER). PH is F, V is W
  (Persian VALI), ZH is Z.
- Vowels: U, O, OU (and the folded OO) are one class (OMAR/UMAR, YOUSSEF/YUSEF). A, E, I, Y
  after a front vowel (AI, EI, AY, EY, AIE) is the diphthong or the long ī after ʿayn (HUSAYN/
  HUSSEIN/HOSEIN, ZAYD/ZEID, SAʿĪD/SAEID), kept apart from a single vowel (SAʿĪD ≠ SAʿD). A
  single A, E or I is one class in the last syllable before a consonant, where romanisations
  disagree most (KHALED/KHALID, AHMED/AHMAD, TAREK/TARIQ); elsewhere A stays apart from I and E
  (ISAM ≠ ASEM, AKRAM ≠ IKRAM; E for kasra in EBRAHIM, ESMAIL, HESHAM). A final vowel keeps its
  class (HAMZA ≠ HAMZI, ALI ≠ ALIA); -AH is -A, a mute -E after N drops (ABDERRAHMANE,
  AMINE), another final -E is ta marbuta -A (CHEHADE, ZADE).
- Glides: Y before a vowel at the start or between vowels is a consonant (YAHYA, SAYYID), and
  so is I between a consonant and a vowel (ZAKARIA = ZAKARIYA, YAHIA = YAHYA); OU before a
  vowel at the start is W (OUALID). Final -T after a vowel is the Turkish -D (MOHAMMET, AHMET).
- Compounds: ABD + article + name keys as ABD + name, whatever the article's vowel or its
  assimilation (ABDUL-, ABDEL-, ABDAL-, ABDUR-, ABDUS-, ABDOUL-: ABDURRAHMAN = ABD AL RAHMAN);
  every spelling of ABD ALLAH is one key; ABU/ABOU + article + name as ABU + name; a name ending
  in ALLAH (NASRULLAH/NASRALLAH) or in AL-DIN (SAIFUDDIN/SAIF AL DIN/SEIFEDDINE) keys its stem.

The accepted cost, measured: the last-syllable merge makes CaCaC and CaCiC names one key
(JAMAL/JAMIL, HAMID/HAMAD, BASHAR/BASHIR, AMIN/AMAN, AMER/AMIR/AMMAR), 9 of 145,429 pairs of
different Arabic-script names on the UN list. `normalize.fold` already merges SAEED with SAAD
(both SAD), and the key must agree with fold. Left to `variants.VARIANT_GROUPS`: abbreviations
(MOHD), Turkish and Balkan forms (MEHMET, HUSEYIN, JUSUF), E for a u (YOUSSEF ≠ YUSUF).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from watchlists.hypocorisms import hypocorism_groups
from watchlists.normalize import fold
from watchlists.variants import PARTICLES

__all__ = [
    "ARABIC_KEY_MIN_LENGTH",
    "arabic_key",
    "compound_forms",
    "equivalent_arabic_names",
    "equivalent_given_names",
    "given_name_groups",
]


@lru_cache(maxsize=65_536)
def given_name_groups(token: str) -> frozenset[int]:
    """Return the ids of the hypocorism groups a given name belongs to (empty if none).

    A group is a full name with its diminutives (EDWARD, ED, EDDIE, NED, TED, TEDDY); a token
    may sit in several (TED: EDWARD's and THEODORE's). Tokens are compared folded.
    """
    return hypocorism_groups().get(fold(token), frozenset())


def equivalent_given_names(left: str, right: str) -> bool:
    """Tell whether two given names are the same name or hypocorisms of one name."""
    if fold(left) == fold(right):
        return True
    return not given_name_groups(left).isdisjoint(given_name_groups(right))


# Below this many folded letters a token carries too little to key: ALI has three.
ARABIC_KEY_MIN_LENGTH = 3

# ABD ALLAH in all its spellings (ABDULLAH, ABDALLA, ABDELLAH, ABDOULLAH, ABDILLAH).
_ABD_ALLAH = re.compile(r"ABD[AEIOU]*L+[AEIOU]*L*AH?")
# ABD + the article, any vowel before its L, or the L assimilated to a sun letter (ABDUR RAHMAN
# folds to ABDURAHMAN); what follows must be a name of three letters or more.
_ABD = re.compile(r"ABD(?:OU|[AEIOU])?(?:[AEIOU]?L)?(?=[A-Z]{3})")
_ABU = re.compile(r"AB(?:OU|U|O)(?:[AEU]L)?(?=[A-Z]{3})")
# A name ending in ALLAH (NASRULLAH, HABIBALLAH, ATAULLAH); not after I, as -ILA ends female
# names (JAMILA, NABILA).
_ALLAH = re.compile(r"([A-Z]*?[^AEIOU])[AEIOU]*[AEOU]L+AH?")
# A name ending in AL-DIN (SAIFUDDIN, SAIF-AL-DIN, SEIFEDDINE, NUREDDIN, ALAUDDIN).
_DIN = re.compile(r"([A-Z]{3,}?)[AEIOU]{0,2}[LD]?D[IE]NE?")

_CONSONANTS: dict[str, str] = {
    "SCH": "C",
    "TCH": "C",
    "SH": "C",
    "CH": "C",
    "KH": "X",
    "GH": "K",
    "TH": "θ",
    "DH": "D",
    "ZH": "Z",
    "DJ": "J",
    "PH": "F",
    "CK": "K",
    "Q": "K",
    "K": "K",
    "G": "J",
    "J": "J",
    "V": "W",
    "W": "W",
    "X": "KS",
}
for _letter in "BDFHLMNPRSTZ":
    _CONSONANTS.setdefault(_letter, _letter)
_GRAPHEME = re.compile(
    "|".join(sorted(_CONSONANTS, key=len, reverse=True)) + "|OU|C(?=[EIY])|C|[AEIOUY]"
)


def _classes(stem: str, consonants: dict[str, str]) -> list[str]:
    """Split a folded stem into consonant classes and raw vowel letters ('a','e','i','u','y')."""
    out: list[str] = []
    for match in _GRAPHEME.finditer(stem):
        g = match.group(0)
        if g in consonants:
            out.append(consonants[g])
        elif g == "C":
            # French C before E or I is S (HACEN, KACEM), elsewhere K (BACAR).
            out.append("S" if match.end() < len(stem) and stem[match.end()] in "EIY" else "K")
        elif g in ("OU", "O", "U"):
            out.append("u")
        else:
            out.append(g.lower())
    return out


def _is_vowel(symbol: str) -> bool:
    return symbol in ("a", "e", "i", "u", "y")


def _glide(symbols: list[str], i: int) -> str:
    """Return symbol i, or the consonant Y or W when that vowel letter is a glide."""
    s = symbols[i]
    before = symbols[i - 1] if i else None
    after = symbols[i + 1] if i + 1 < len(symbols) else None
    if s == "y" and after is not None and _is_vowel(after) and after != "y":
        return "Y"  # YAHYA, SAYYID
    if s == "i" and before is not None and not _is_vowel(before) and after in ("a", "u"):
        return "Y"  # ZAKARIA = ZAKARIYA, YAHIA = YAHYA
    if s == "u" and before is None and after in ("a", "e", "i"):
        return "W"  # OUALID, OUASSIM
    return s


# Vowel classes: a single front vowel letter by its place in the stem. In the last syllable
# before a consonant the short vowel is the one romanisations disagree on most (KHALED/KHALID,
# AHMED/AHMAD, TAREK/TARIQ), elsewhere E stands for kasra (EBRAHIM, ESMAIL, HESHAM).
_LAST_SYLLABLE: dict[str, str] = {"a": "v", "e": "v", "i": "v", "y": "v"}
_OTHER_SYLLABLE: dict[str, str] = {"a": "a", "e": "i", "i": "i", "y": "i"}
_FINAL: dict[str, str] = {"a": "a", "e": "i", "i": "i", "y": "i"}


def _stem_key(
    stem: str,
    consonants: dict[str, str],
    last: dict[str, str] = _LAST_SYLLABLE,
    other: dict[str, str] = _OTHER_SYLLABLE,
) -> str:
    """Return the key of a stem with no compound parts."""
    stem = re.sub(r"(?<=[A-Z]{2})AH$", "A", stem)
    # A mute final E after N is French spelling (ABDERRAHMANE, AMINE, HOCINE); after another
    # consonant it is the Levantine or Persian ta marbuta (CHEHADE, ZADE, HAMIYE).
    stem = re.sub(r"(?<=[A-Z]{2})NE$", "N", stem)
    stem = re.sub(r"(?<=[A-Z]{2}[^AEIOUY])E$", "A", stem)
    symbols = _classes(stem, consonants)
    glided = [_glide(symbols, i) for i in range(len(symbols))]
    # A front vowel written before a glide Y is the glide's own (SAIYID, ALIYA, ZAKARIYYA).
    glided = [
        s
        for i, s in enumerate(glided)
        if not (s in ("i", "e") and i + 1 < len(glided) and glided[i + 1] == "Y" and i > 0)
    ]
    parts: list[str | list[str]] = []
    for s in glided:
        if _is_vowel(s):
            if parts and isinstance(parts[-1], list):
                parts[-1].append(s)
            else:
                parts.append([s])
        else:
            parts.append(s)
    runs = [i for i, part in enumerate(parts) if isinstance(part, list)]
    closed = [i for i in runs if i + 1 < len(parts)]
    # A stem's only syllable keeps its vowel (ALI/ELI, SAD/SID); merging is for the last one.
    last_closed = closed[-1] if len(runs) > 1 and closed and closed[-1] != runs[0] else -1
    out: list[str] = []
    for i, part in enumerate(parts):
        if isinstance(part, str):
            out.append(part)
        elif i + 1 == len(parts):
            out.extend(_run_class(part, _FINAL))
        else:
            out.extend(_run_class(part, last if i == last_closed else other))
    # Final -T after a vowel is Turkish devoicing of -D (MOHAMMET, AHMET, MURAT).
    if len(out) >= 3 and out[-1] == "T" and out[-2] in ("a", "i", "u", "v", "y"):
        out[-1] = "D"
    return "".join(out)


def _run_class(run: list[str], single: dict[str, str]) -> list[str]:
    """Return the class(es) of a run of vowel letters: u, y (diphthong or long i), or `single`."""
    classes: list[str] = []
    front: list[str] = []

    def flush() -> None:
        if front:
            # AI, EI, AY, EY, AIE: the diphthong of HUSAYN or the ī after ʿayn of SAʿĪD.
            glide = len(front) > 1 and ("i" in front[1:] or "y" in front)
            classes.append("y" if glide else single[front[0]])
            front.clear()

    for s in run:
        if s == "u":
            flush()
            if not classes or classes[-1] != "u":
                classes.append("u")
        else:
            front.append(s)
    flush()
    return classes


def _key(  # the tables are parameters so that alternatives can be measured
    token: str,
    consonants: dict[str, str] = _CONSONANTS,
    last: dict[str, str] = _LAST_SYLLABLE,
    other: dict[str, str] = _OTHER_SYLLABLE,
) -> str | None:
    """Return the Arabic key of an A-Z token under a consonant table (for measurements)."""
    folded = fold(token)
    if len(folded) < ARABIC_KEY_MIN_LENGTH or folded in PARTICLES or not folded.isalpha():
        return None
    if _ABD_ALLAH.fullmatch(folded):
        return "ABD:LAH"
    prefix = ""
    for rule, name in ((_ABD, "ABD:"), (_ABU, "ABU:")):
        found = rule.match(folded)
        if found:
            prefix, folded = name, folded[found.end() :]
            break
    suffix = ""
    found = _ALLAH.fullmatch(folded)
    if found and len(found.group(1)) >= 3:
        folded, suffix = found.group(1), ":LAH"
    else:
        found = _DIN.fullmatch(folded)
        if found:
            folded, suffix = found.group(1), ":DIN"
    return prefix + _stem_key(folded, consonants, last, other) + suffix


@lru_cache(maxsize=200_000)
def arabic_key(token: str) -> str | None:
    """Return a key equal for romanisations of one Arabic-origin name, or None.

    None for tokens under ARABIC_KEY_MIN_LENGTH folded letters, particles (AL, BIN, ABU) and
    anything but A-Z. Join compounds written apart with `compound_forms` first.
    """
    return _key(token, _CONSONANTS)


def equivalent_arabic_names(left: str, right: str) -> bool:
    """Tell whether two tokens are romanisations of one Arabic-origin name by `arabic_key`."""
    key = arabic_key(left)
    return key is not None and key == arabic_key(right)


# The article written apart, plain (AL, EL, UL) or assimilated to a sun letter (AR, ASH, UD).
_ARTICLE = re.compile(r"(?:[AEIOU]|OU)(?:L|R|S|SH|Z|D|DH|T|TH|N)")
# ABD with the article glued on (ABDUL, ABDEL, ABDOUL, ABDUR, ABDUS) or bare (ABD): always the
# first half of a compound. ABDU, ABDI, ABDO, ABDOU are names of their own (ABDOU DIOUF) unless
# an article follows.
_ABD_HALF = re.compile(r"ABD(?:(?:[AEIOU]|OU)(?:L|R|S|SH|Z|D|DH|T|TH|N))?")
_ABD_BARE = re.compile(r"ABD(?:[AEIOU]|OU)")
_ABU_HALF = re.compile(r"AB(?:U|OU)")
# AL-DIN written as one word after the name (SALAH UDDIN, NASR EDDINE), or DIN after an article.
_ARTICLE_DIN = re.compile(r"(?:[AEIOU]|OU)[LD]?D(?:I|EE|E)NE?")
_DIN_WORD = re.compile(r"D{1,2}(?:I|EE|E)NE?")
# ALLAH written apart after a name (NASR ALLAH, HABIB ULLAH, AMAN ULLA).
_ALLAH_WORD = re.compile(r"(?:[AEOU]|OU)(?:LLAH?|LAH)")


def _is_name(token: str) -> bool:
    return len(token) >= 2 and token not in PARTICLES and _ARTICLE.fullmatch(token) is None


def _is_second_half(token: str) -> bool:
    # ABU is a particle, so ABD ABU X is left apart; ABD must not take ABUX on a second pass.
    return _is_name(token) and _ABU_HALF.match(token) is None


def compound_forms(tokens: Sequence[str]) -> tuple[str, ...]:
    """Return the tokens with Arabic compounds written apart joined into one token.

    ABD or ABU, an optional article, and the name that follows (ABD AL RAHMAN, ABDUL RAHMAN,
    ABU BAKR → ABDALRAHMAN, ABDULRAHMAN, ABUBAKR); a name and AL-DIN (SAIF AL DIN, SALAH UDDIN);
    a name and ALLAH (NASR ALLAH). Tokens are joined as written, so no letter is lost or added;
    BIN, IBN, BINT, OULD and every other token stay as they are.
    """
    out: list[str] = []
    i = 0
    count = len(tokens)
    while i < count:
        token = tokens[i]
        nxt = tokens[i + 1] if i + 1 < count else ""
        after = tokens[i + 2] if i + 2 < count else ""
        if _ABD_HALF.fullmatch(token) or _ABU_HALF.fullmatch(token) or _ABD_BARE.fullmatch(token):
            if _ARTICLE.fullmatch(nxt) and _is_second_half(after):
                token, i = token + nxt + after, i + 3
            elif _is_second_half(nxt) and not _ABD_BARE.fullmatch(token):
                token, i = token + nxt, i + 2
            else:
                i += 1
        else:
            i += 1
        while _is_name(token):
            nxt = tokens[i] if i < count else ""
            after = tokens[i + 1] if i + 1 < count else ""
            if _ARTICLE.fullmatch(nxt) and _DIN_WORD.fullmatch(after):
                token, i = token + nxt + after, i + 2
            elif _ARTICLE_DIN.fullmatch(nxt) or _ALLAH_WORD.fullmatch(nxt):
                token, i = token + nxt, i + 1
            else:
                break
        out.append(token)
    return tuple(out)
