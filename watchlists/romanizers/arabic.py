"""Arabic-script names (Arabic, Persian, Urdu, Pashto) by rule, with a lexicon and vowelling.

Letters follow the phonetic reading of the ICAO Doc 9303 Part 3 Arabic table (Table C, whose X
escapes mark the letters read here as TH, KH, DH, SH, GH and the emphatics S, D, T, Z), which is
the simplified BGN/PCGN and ALA-LC reading: ث TH, ج J, ح H, خ KH, ذ DH, ش SH, ص S, ض D, ط T, ظ Z,
ع and ء unwritten, غ GH, ق Q; Persian, Urdu and Pashto letters as ALA-LC reads them (پ P, چ CH,
ژ ZH, گ G, ٹ T, ڈ D, ڑ R, ځ Z, څ S, ډ D, ړ R, ږ ZH, ښ SH, ګ G, ڼ N, ې E, ے E).

Vowels. Short vowels are not written, so a word is vowelled in three steps:
1. A word found in the lexicon (arabic_names) takes its spelling there.
2. Written vowels (fatha, kasra, damma, sukun, shadda) are read when at least half of the
   word's consonants carry one.
3. Otherwise the word is read as consonants and long vowels: ا is A, و and ي are the long vowels
   U and I between consonants and the consonants W and Y at the start of a word, before a vowel
   letter or after ا; as the second letter before two consonants they are the diphthongs AW and
   AY (FAYSAL, JAWHAR); final ى is A, final ة is AH (A in the popular spellings), final ـية is
   IYA. A short vowel is then inserted wherever Arabic syllables need one: after the first
   consonant of a word beginning with two consonants; between the last two consonants of a word
   ending in two (HASAN, not HASN; JAFAR from جعفر); and after a consonant that follows a long
   vowel, because a long vowel does not close a syllable inside a word (FATIMA). The inserted
   vowel is A, except I after a long A (the fāʿil pattern: KHALID, HAMID, QASIM) and U after the
   initial م of a participle (MUSTAFA, MUBARAK) other than the mafʿūl pattern مCCوC (MAHMUD,
   MANSUR). Consonants and long vowels come out right; short vowels are a plausible guess.

The article ال is AL, written apart (AL TIKRITI); عبد ال X is ABD AL X, X الدين is X AL DIN and X
الله is XALLAH in the standard spelling. Four spellings are produced, primary first:
  0. standard: BGN/PCGN-ALA-LC letters, ة as AH, ABD AL RAHMAN, SAYF AL DIN, ABDALLAH;
  1. popular English (Gulf, Levant, Iraq, South Asia): the lexicon's popular spelling, ة as A,
     ABDUL RAHMAN, SAIF AL DIN, ABDULLAH, KHAYRULLAH;
  2. glued and assimilated: ABDULRAHMAN, SAIFUDDIN, and the article assimilated to a following
     sun letter (AR RIMI, ASH SHAER);
  3. Maghrebi French: CH for ش, DJ for ج, K for ق, OU for long U, E for inserted I and for a
     final syllable's A, EL for the article, BEN, OULD, ABOU, ABDERRAHMANE, NOUREDDINE.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from anyascii import anyascii

from watchlists.romanizers.arabic_names import NAMES
from watchlists.romanizers.syllables import Vowels, insert_vowels

_CONSONANTS: dict[str, str] = {
    "ب": "B", "ت": "T", "ث": "TH", "ج": "J", "ح": "H", "خ": "KH", "د": "D", "ذ": "DH",
    "ر": "R", "ز": "Z", "س": "S", "ش": "SH", "ص": "S", "ض": "D", "ط": "T", "ظ": "Z",
    "ع": "", "غ": "GH", "ف": "F", "ق": "Q", "ك": "K", "ک": "K", "ل": "L", "م": "M", "ن": "N",
    "ه": "H", "ہ": "H", "ھ": "H", "ء": "", "ؤ": "", "ئ": "", "أ": "", "إ": "",
    "پ": "P", "چ": "CH", "ژ": "ZH", "گ": "G", "ٹ": "T", "ڈ": "D", "ڑ": "R", "ں": "N",
    "ځ": "Z", "څ": "S", "ډ": "D", "ړ": "R", "ږ": "ZH", "ښ": "SH", "ګ": "G", "ڼ": "N",
    "ڤ": "V", "ۋ": "V", "ڥ": "V", "ڨ": "G", "ڭ": "NG", "ڢ": "F", "ڧ": "Q", "ۆ": "O",
    "ۇ": "U", "ۈ": "U", "ٺ": "T", "ټ": "T", "ٻ": "B", "ڄ": "J", "ڃ": "NY", "ڇ": "CH",
}  # fmt: skip
_FRENCH: dict[str, str] = {"ش": "CH", "ج": "DJ", "ق": "K"}
_YEH = frozenset("يیىېۍئ")
_WAW = frozenset("وۉۊ")
_ALEFS = frozenset("اأإآٱ")
_VOWEL_LETTERS = frozenset("اأإآٱىة") | _YEH | _WAW
_SUN = frozenset("تثدذرزسشصضطظلنژچ")
_SKELETON = str.maketrans("أإآٱىیۍېئکؤةۀہھ", "اااايييييكوهههه")
_FATHA, _DAMMA, _KASRA, _SUKUN, _SHADDA = "\u064e", "\u064f", "\u0650", "\u0652", "\u0651"
_SHORT = {_FATHA: "A", _DAMMA: "U", _KASRA: "I", "\u064b": "AN", "\u064c": "UN", "\u064d": "IN"}
_DAGGER_ALEF = "\u0670"


@dataclass(frozen=True, slots=True)
class _Profile:
    column: int
    ta_marbuta: str
    french: bool = False


_PROFILES = (_Profile(0, "AH"), _Profile(1, "A"), _Profile(1, "A"), _Profile(2, "A", True))


def _skeleton(word: str) -> str:
    bare = "".join(ch for ch in word if not unicodedata.combining(ch))
    return bare.translate(_SKELETON)


def _lexicon(word: str, profile: _Profile) -> str | None:
    spellings = NAMES.get(_skeleton(word))
    if spellings is None:
        return None
    return spellings[min(profile.column, len(spellings) - 1)]


def _consonant(ch: str, profile: _Profile) -> str:
    if profile.french and ch in _FRENCH:
        return _FRENCH[ch]
    found = _CONSONANTS.get(ch)
    return found if found is not None else anyascii(ch).upper()


# A unit is a consonant ("C", letters) or a written vowel ("V", letters).
_Unit = tuple[str, str]


def _units(word: str, profile: _Profile) -> list[_Unit]:
    """Read a bare word as consonants and written vowels, per step 3 of the module docstring.

    A unit is ("C", letters) for a consonant, ("V", letters) for a long vowel and ("S", letters)
    for the short vowel an alef carries at the start of a word.
    """
    letters = [ch for ch in word if not unicodedata.combining(ch)]
    units: list[_Unit] = []
    n = len(letters)
    long_u = "OU" if profile.french else "U"
    for i, ch in enumerate(letters):
        nxt = letters[i + 1] if i + 1 < n else ""
        after = letters[i + 2] if i + 2 < n else ""
        prev = letters[i - 1] if i > 0 else ""
        if ch == "ھ" and units and units[-1][0] == "C" and units[-1][1]:
            units[-1] = ("C", units[-1][1] + "H")  # Urdu aspirate: بھ BH
        elif ch in _ALEFS:
            if i == 0:
                units.append(("S", "I" if ch == "إ" else "A"))
            else:
                units.append(("V", "A") if ch in "اآٱ" else ("C", ""))
        elif ch == "ئ" and prev in _ALEFS:
            units.append(("V", "I"))
        elif ch == "ة":
            units.append(("V", profile.ta_marbuta) if i == n - 1 else ("C", "T"))
        elif ch == "ى" and i == n - 1:
            # Persian and Egyptian hands write final ي as ى; the nisba ـانى is then I.
            units.append(("V", "I" if "".join(letters[-3:-1]) == "ان" else "A"))
        elif ch in "هہ" and i == n - 1 and n >= 4 and prev not in _ALEFS | _YEH | _WAW:
            units.append(("V", profile.ta_marbuta))  # ه written for ة (حماده, زاده)
        elif ch in ("ے", "ې"):
            units.append(("V", "E"))
        elif ch in _YEH or ch in _WAW:
            units.extend(_glide(ch, i, n, prev, nxt, after, long_u, units))
        else:
            units.append(("C", _consonant(ch, profile)))
    return units


def _glide(
    ch: str, i: int, n: int, prev: str, nxt: str, after: str, long_u: str, units: list[_Unit]
) -> list[_Unit]:
    """Read و or ي as a consonant, a long vowel or a diphthong (step 3 of the docstring)."""
    yeh = ch in _YEH
    glide, vowel = ("Y", "I") if yeh else ("W", long_u)
    vowel_next = nxt != "" and nxt in _VOWEL_LETTERS
    if yeh and nxt == "ة" and i == n - 2 and units and units[-1][0] == "C":
        return [("V", "I"), ("C", "Y")]
    if i == 0 or (nxt != "" and nxt in "اأإآٱىة") or (prev in _ALEFS and (vowel_next or yeh)):
        return [("C", glide)]
    if units and units[-1][0] == "S":
        return [("C", glide)]
    two_consonants = nxt != "" and not vowel_next and after != "" and after not in _VOWEL_LETTERS
    arabic_yeh_in_three = ch == "ي" and n == 3 and not vowel_next
    if i == 1 and (two_consonants or arabic_yeh_in_three):
        return [("V", "A" + glide)]
    return [("V", vowel)]


def _first_vowel(word: str) -> str:
    bare = _skeleton(word)
    if bare.startswith("م") and len(bare) >= 4:
        mafuul = len(bare) == 5 and bare[3] == "و"
        return "A" if mafuul else "U"
    return "A"


def _vowelled(word: str, profile: _Profile) -> str:
    units = _units(word, profile)
    french = profile.french
    vowels = Vowels(
        first=_first_vowel(word), after_a="E" if french else "I", final="E" if french else "A"
    )
    out: list[str] = []
    run: list[str] = []
    previous: str | None = None
    for kind, letters in units:
        if kind == "C":
            run.append(letters)
            continue
        out += insert_vowels(run, previous, False, vowels)
        out.append(letters)
        run = []
        previous = letters if kind == "V" else ""
    out += insert_vowels(run, previous, True, vowels)
    spelling = "".join(out)
    ends_long_nasal = len(units) >= 2 and units[-1][0] == "C" and units[-2][0] == "V"
    if profile.french and spelling.endswith(("AN", "IN")) and ends_long_nasal:
        spelling += "E"
    return spelling


def _pointed(word: str, profile: _Profile) -> str | None:
    """Read a word by its written short vowels, or None when too few of them are written."""
    marks = [ch for ch in word if ch in _SHORT or ch == _SUKUN]
    letters = [ch for ch in word if not unicodedata.combining(ch)]
    if not marks or len(marks) * 2 < len(letters):
        return None
    out: list[str] = []
    for ch in word:
        if ch in _SHORT:
            out.append(_SHORT[ch])
        elif ch == _DAGGER_ALEF:
            out.append("A")
        elif ch == _SHADDA and out:
            out.append(out[-1][-1:])
        elif ch in _ALEFS:
            out.append("" if ch in "أإ" and len(out) > 0 else "A" if ch != "إ" else "I")
        elif ch in _WAW:
            out.append("U" if out and out[-1] in ("U",) else "W")
        elif ch in _YEH:
            out.append("I" if out and out[-1] in ("I",) else "Y" if ch != "ى" else "A")
        elif ch == "ة":
            after_a = bool(out) and out[-1].endswith("A")
            out.append(profile.ta_marbuta[1:] if after_a else profile.ta_marbuta)
        elif not unicodedata.combining(ch):
            out.append(_consonant(ch, profile))
    return "".join(out)


def _name_word(word: str, profile: _Profile) -> str:
    skeleton = _skeleton(word)
    if profile.french and skeleton.startswith("بل") and len(skeleton) >= 5:
        return "BEL" + _name_word(word[skeleton.index("بل") + 2 :], profile)  # بلقاسم BELKACEM
    found = _lexicon(word, profile)
    if found is not None:
        return found
    pointed = _pointed(word, profile)
    return pointed if pointed is not None else _vowelled(word, profile)


def _article(rest: str, profile: _Profile, index: int) -> str:
    """Spell the article before `rest` in profile number `index`."""
    if profile.french:
        return "EL"
    first = _skeleton(rest)[:1]
    if index == 2 and first in _SUN:
        return "A" + _consonant(first, profile)
    return "AL"


def _has_article(word: str) -> bool:
    return _skeleton(word).startswith("ال") and len(_skeleton(word)) >= 4


def _strip_article(word: str) -> str:
    bare = [ch for ch in word]
    letters_seen = 0
    for i, ch in enumerate(bare):
        if not unicodedata.combining(ch):
            letters_seen += 1
            if letters_seen == 3:
                return word[i:]
    return word


@dataclass(frozen=True, slots=True)
class _Item:
    """One element of a name: a plain word, an article and word, or a compound name."""

    kind: str  # "word", "article", "abd", "din", "allah"
    head: str = ""
    tail: str = ""


def _items(name: Sequence[str]) -> list[_Item]:
    words = list(name)
    items: list[_Item] = []
    i = 0
    while i < len(words):
        word = words[i]
        skeleton = _skeleton(word)
        nxt = words[i + 1] if i + 1 < len(words) else ""
        nxt_skeleton = _skeleton(nxt)
        if skeleton == "عبد" and nxt_skeleton in ("الله", "لله"):
            items.append(_Item("allah", word))
            i += 2
        elif skeleton == "عبد" and _has_article(nxt):
            items.append(_Item("abd", word, _strip_article(nxt)))
            i += 2
        elif skeleton in ("عبدالله", "عبدلله"):
            items.append(_Item("allah", "عبد"))
            i += 1
        elif skeleton.startswith("عبدال") and len(skeleton) > 6:
            items.append(_Item("abd", "عبد", word[skeleton.index("ال") + 2 :]))
            i += 1
        elif nxt_skeleton == "الدين" and skeleton not in ("ال", "آل"):
            items.append(_Item("din", word))
            i += 2
        elif skeleton.endswith("الدين") and len(skeleton) > 6:
            items.append(_Item("din", word[: skeleton.rindex("الدين")]))
            i += 1
        elif nxt_skeleton == "الله" and skeleton not in ("ال", "آل"):
            items.append(_Item("allah", word))
            i += 2
        elif skeleton.endswith("الله") and len(skeleton) > 5:
            items.append(_Item("allah", word[: skeleton.rindex("الله")]))
            i += 1
        elif skeleton.startswith("ابو") and len(skeleton) > 5:
            rest = word[skeleton.index("ابو") + 3 :]
            items.append(_Item("word", word[: len(word) - len(rest)]))
            words = [*words[: i + 1], rest, *words[i + 1 :]]
            i += 1
        elif _has_article(word) and skeleton != "الله":
            items.append(_Item("article", tail=_strip_article(word)))
            i += 1
        else:
            items.append(_Item("word", word))
            i += 1
    return items


def _render(item: _Item, profile: _Profile, index: int) -> str:
    if item.kind == "word":
        return _name_word(item.head, profile)
    if item.kind == "article":
        return _article(item.tail, profile, index) + " " + _name_word(item.tail, profile)
    if item.kind == "abd":
        tail = _name_word(item.tail, profile)
        sun = _skeleton(item.tail)[:1] in _SUN
        if profile.french:
            return "ABDE" + tail[0] + tail if sun else "ABDEL" + tail
        return ("ABD AL ", "ABDUL ", "ABDUL", "ABDUL")[index] + tail
    head = _name_word(item.head, profile) if _skeleton(item.head) != "عبد" else "ABD"
    if item.kind == "din":
        if profile.french:
            return head + "EDDINE"
        return head + (" AL DIN", " AL DIN", "UDDIN", "UDDIN")[index]
    if profile.french:
        return head + "ELLAH" if head == "ABD" else head + "ALLAH"
    return head + ("ALLAH", "ULLAH", "ULLAH", "ULLAH")[index]


def romanize(words: Sequence[str]) -> list[str]:
    """Return the four spellings of an Arabic-script name described in the module docstring."""
    words = [word.replace("\u0640", "") for word in words]
    items = _items([w for w in words if w])
    return [
        " ".join(_render(item, profile, index) for item in items)
        for index, profile in enumerate(_PROFILES)
    ]
