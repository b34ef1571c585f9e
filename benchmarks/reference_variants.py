"""Write a listed person's primary name as other published conventions would, one class each.

The rules come from sources outside this project, not from the engine under test:

- Initials: a passport that shortens later given names to initials, in the MRZ
  ('PUTIN<<VLADIMIR<V') and as written ('Vladimir V. Putin'), Doc 9303 Part 3 field conventions
  (surname, '<<', given names separated by '<').
- Hispanic surnames: a person of a Spanish-speaking state carries two surnames (paternal, then
  maternal) and is often written with the first only ('Nicolas Maduro' for MADURO MOROS,
  Nicolas); particles stay with their surname (DE LA CRUZ).
- Merged and split: a space lost between two names (RAMIMAKHLOUF), and Arabic theophoric and
  kunya compounds written apart ('abd + al-X, X + allah, X + al-din, abu + X: ABDULRAHMAN ->
  ABDUL RAHMAN, NASRULLAH -> NASR ULLAH).
- Hypocorisms: English nicknames from the `nicknames` package (Carlton Northern's table,
  github.com/carltonnorthern/nicknames), formal name -> nickname (THEODORE -> TED).
- Arabic romanisation, for persons of Arabic-script origin (a name in Arabic script on the list,
  or a nationality of a state whose names are written in it): the letters that the English-usage
  BGN/PCGN 1956 system and French usage write differently (ش SH/CH, ج J/DJ, و U/OU; US Board on
  Geographic Names, 'Romanization of Arabic'), the renderings of ق, ث, ذ, غ that the ICAO TF3
  report lists for one name (32 published spellings of Qaddafi: Q/K/G, DH/D/Z, TH/T; M. Ellis,
  'Transliteration of Arabic in MRTDs', TAG/MRTD 18, 2008), short vowels that Arabic script does
  not write (u/o, a/e/i: Muhammad/Mohammed, Tariq/Tareq), shadda written single or double
  (Hassan/Hasan), ta marbuta with or without H (Hamza/Hamzah), and 'abd al-X written Abdul X.
- Persian and Dari: و as V and ق as GH (BGN/PCGN Persian usage: Vahid, Ghasem), for persons of
  Iran or Afghanistan.
- Doc 9303 Arabic: the MRZ transliteration ICAO recommends for names in Arabic script (Doc 9303,
  Part 3, from the 7th edition; table as in M. Ellis, 'Arabic Transliteration Rules in Document
  9303', ISO/TF3, V3.4.1, 2011, Appendix 1; ح XH, خ XKH, ش XSH, ع E ...), applied to the list's
  own Arabic-script name.

Every rule changes the name or yields nothing; a variant equal (letters only) to a name the entry
already lists is left out by the caller, so each query is a form the list does not hold.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from name_variation import PARTICLES, TITLES, hypocorisms, script_of, tokens

from watchlists.models import EntryName, PersonEntry

HISPANIC_STATES = frozenset(
    {
        "ARG",
        "BOL",
        "CHL",
        "COL",
        "CRI",
        "CUB",
        "DOM",
        "ECU",
        "ESP",
        "GNQ",
        "GTM",
        "HND",
        "MEX",
        "NIC",
        "PAN",
        "PER",
        "PRI",
        "PRY",
        "SLV",
        "URY",
        "VEN",
    }
)
# States whose names are written in Arabic script: the Arab League, Iran, Afghanistan, Pakistan.
ARABIC_SCRIPT_STATES = frozenset(
    {
        "ARE",
        "BHR",
        "COM",
        "DJI",
        "DZA",
        "EGY",
        "IRQ",
        "JOR",
        "KWT",
        "LBN",
        "LBY",
        "MAR",
        "MRT",
        "OMN",
        "PSE",
        "QAT",
        "SAU",
        "SDN",
        "SOM",
        "SYR",
        "TUN",
        "YEM",
        "IRN",
        "AFG",
        "PAK",
    }
)
PERSIAN_STATES = frozenset({"IRN", "AFG"})
# States whose documents write the surname first and whose lists keep that order.
SURNAME_FIRST_STATES = frozenset({"CHN", "TWN", "HKG", "MAC", "PRK", "KOR", "VNM", "KHM", "MNG"})

_COMPOUND_PREFIXES = ("ABDUL", "ABDEL", "ABDAL", "ABDUR", "ABDER", "ABDOUL", "ABOU", "ABU")
_COMPOUND_SUFFIXES = ("ULLAH", "ALLAH", "OLLAH", "UDDIN", "UDDEEN", "EDDINE", "EDDIN", "ADDIN")
_ABD_FORMS = frozenset({"ABDUL", "ABDEL", "ABDAL", "ABDOUL"})
_VOWELS = "AEIOU"

# Doc 9303 (see the module docstring): Arabic letters to MRZ letters; teh marbuta is XAH at the
# end of a name component and XTA elsewhere. Persian and Urdu letters as the same table gives.
_DOC9303_ARABIC = {
    "ء": "XE",
    "آ": "XAA",
    "أ": "XAE",
    "ؤ": "XW",
    "إ": "I",
    "ئ": "XI",
    "ا": "A",
    "ب": "B",
    "ت": "T",
    "ث": "XTH",
    "ج": "J",
    "ح": "XH",
    "خ": "XKH",
    "د": "D",
    "ذ": "XDH",
    "ر": "R",
    "ز": "Z",
    "س": "S",
    "ش": "XSH",
    "ص": "XSS",
    "ض": "XDZ",
    "ط": "XTT",
    "ظ": "XZZ",
    "ع": "E",
    "غ": "G",
    "ف": "F",
    "ق": "Q",
    "ك": "K",
    "ل": "L",
    "م": "M",
    "ن": "N",
    "ه": "H",
    "و": "W",
    "ى": "XAY",
    "ي": "Y",
    "پ": "P",
    "چ": "XC",
    "ژ": "XJ",
    "ک": "XKK",
    "گ": "XGG",
    "ی": "XYA",
}
_TEH_MARBUTA = "ة"


@dataclass(frozen=True, slots=True)
class Written:
    """A name as a document would carry it: a whole name, or surname and given names."""

    kind: str
    name: str | None = None
    surname: str | None = None
    given: str | None = None

    @property
    def text(self) -> str:
        """Return the name as one line, for display and for the brute-force baselines."""
        if self.name is not None:
            return self.name
        return f"{self.surname or ''}, {self.given or ''}".strip(", ")


@dataclass(frozen=True, slots=True)
class Parts:
    """A primary name split into surname and given-name tokens, titles left out."""

    surname: list[str]
    given: list[str]
    # Whether the list itself says which part is the surname (OFAC 'FAMILY, Given', FtM fields).
    known: bool
    # Whether the name is written surname first (East Asian states).
    surname_first: bool = False
    # Whether given names are joined by hyphens (KWAK, Chong-chol): one name, not two.
    joined_given: bool = False


def primary_latin(entry: PersonEntry) -> EntryName | None:
    """Return the entry's first name written in Latin script."""
    return next((n for n in entry.names if script_of(n.full) == "Latin"), None)


def arabic_script_origin(entry: PersonEntry) -> bool:
    """Tell whether the person's names are written in Arabic script at home."""
    return bool(set(entry.nationalities) & ARABIC_SCRIPT_STATES) or any(
        script_of(n.full) == "Arabic" for n in entry.names
    )


def parts_of(entry: PersonEntry, name: EntryName) -> Parts | None:
    """Split a name into surname and given names; a bare name's surname is guessed by position.

    Every token is kept, titles too, so that a variant differs from the listed name by its own
    rule alone.
    """
    family, given = name.family, name.given
    if family is None and name.full.count(",") == 1:
        family, given = name.full.split(",")
    surname_first = bool(set(entry.nationalities) & SURNAME_FIRST_STATES)
    if family is not None:
        surname, givens = list(tokens(family)), list(tokens(given or ""))
        if not givens or all(t in PARTICLES for t in surname):
            return None
        joined = "-" in (given or "")
        return Parts(surname, givens, True, surname_first=surname_first, joined_given=joined)
    words = list(tokens(name.full))
    if len(words) < 2:
        return None
    if surname_first:
        return Parts(words[:1], words[1:], False, surname_first=True)
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:
        start -= 1
    joined = "-" in " ".join(name.full.split()[:-1])
    return Parts(words[start:], words[:start], False, joined_given=joined)


def _written(kind: str, parts: Parts, surname: list[str], given: list[str]) -> Written:
    """Write changed parts the way the list wrote the name: as fields, or in its order."""
    if parts.known:
        return Written(kind, surname=" ".join(surname), given=" ".join(given))
    if parts.surname_first and not parts.known:
        return Written(kind, name=" ".join(surname + given))
    return Written(kind, name=" ".join(given + surname))


def initials(parts: Parts) -> Iterator[Written]:
    """Yield the MRZ and the written form with later given names as initials.

    Not for given names of East Asian syllables or joined by hyphens (one name written in
    parts), nor for names whose first given token is a title.
    """
    later = [t for t in parts.given[1:] if t not in PARTICLES]
    if not later or parts.surname_first or parts.joined_given or parts.given[0] in TITLES:
        return
    first = parts.given[0]
    letters = [t[0] for t in later]
    mrz = "<".join(parts.surname) + "<<" + "<".join([first, *letters])
    yield Written("initials: MRZ (PUTIN<<VLADIMIR<V)", name=mrz)
    written = " ".join([first, *(f"{letter}." for letter in letters), *parts.surname])
    yield Written("initials: written (Vladimir V. Putin)", name=written)


def first_surname(surname: list[str]) -> list[str] | None:
    """Return the first of two surnames with its particles, or None for a single surname."""
    names = [i for i, t in enumerate(surname) if t not in PARTICLES]
    if len(names) < 2:
        return None
    return surname[: names[0] + 1]


def hispanic(entry: PersonEntry, parts: Parts) -> Iterator[Written]:
    """Yield the name with the second surname dropped, for persons of Spanish-speaking states."""
    if not set(entry.nationalities) & HISPANIC_STATES:
        return
    first = first_surname(parts.surname)
    if first is None:
        return
    yield _written("Hispanic: second surname dropped", parts, first, parts.given)
    if len(parts.given) >= 2:
        yield Written(
            "Hispanic: first given name + first surname", name=" ".join([parts.given[0], *first])
        )


def merged(parts: Parts, rng: random.Random) -> Iterator[Written]:
    """Yield the name with the space between two neighbouring names lost."""
    words = parts.given + parts.surname
    pairs = [
        i
        for i in range(len(words) - 1)
        if words[i] not in PARTICLES and words[i + 1] not in PARTICLES
    ]
    if not pairs:
        return
    i = rng.choice(pairs)
    glued = [*words[:i], words[i] + words[i + 1], *words[i + 2 :]]
    yield Written("merged: space lost (RAMIMAKHLOUF)", name=" ".join(glued))


def _split_compound(token: str) -> list[str] | None:
    for suffix in _COMPOUND_SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            head = token[: -len(suffix)]
            # 'abd allah: ABDULLAH is ABD ALLAH, not ABD ULLAH.
            return [head, "ALLAH"] if head == "ABD" else [head, suffix]
    for prefix in _COMPOUND_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= 3:
            return [prefix, token[len(prefix) :]]
    return None


def split(parts: Parts) -> Iterator[Written]:
    """Yield the name with its first Arabic compound written as two words."""
    for side in ("given", "surname"):
        words = parts.given if side == "given" else parts.surname
        for i, token in enumerate(words):
            pieces = _split_compound(token)
            if pieces is None:
                continue
            changed = [*words[:i], *pieces, *words[i + 1 :]]
            if side == "given":
                yield _written("split: compound apart (ABDULRAHMAN)", parts, parts.surname, changed)
            else:
                yield _written("split: compound apart (ABDULRAHMAN)", parts, changed, parts.given)
            return


def nickname(parts: Parts, rng: random.Random) -> Iterator[Written]:
    """Yield the name with its first given name that has a nickname replaced by one."""
    for i, token in enumerate(parts.given):
        options = sorted(n for n in hypocorisms(token) if len(n) >= 3)
        if options:
            changed = [*parts.given[:i], rng.choice(options), *parts.given[i + 1 :]]
            yield _written("hypocorism: nickname for given name", parts, parts.surname, changed)
            return


# One function per romanisation rule, from a token to its other spelling (or itself).
def _french(token: str) -> str:
    token = token.replace("SH", "CH")
    token = re.sub(r"(?<!D)J", "DJ", token)
    token = re.sub(r"(?<![OU])U", "OU", token)
    return re.sub(r"^W(?=[AEIOU])", "OU", token)


def _q_as_k(token: str) -> str:
    return token.replace("Q", "K")


def _digraphs(token: str) -> str:
    return token.replace("TH", "T").replace("DH", "D").replace("GH", "G")


# Short vowels in the last syllable that popular spellings write otherwise.
_FINAL_SYLLABLES = {"AD": "ED", "ED": "AD", "IQ": "EQ", "EQ": "IQ", "ID": "ED", "IM": "EM"}


def _vowels(token: str) -> str:
    # A first-syllable short u written o, or o written u: MUHAMMAD/MOHAMMAD, UMAR/OMAR.
    match = re.match(r"^([^AEIOUY]*)([UO])(?![AEIOUY])", token)
    if match is not None:
        vowel = "O" if match.group(2) == "U" else "U"
        token = token[: match.start(2)] + vowel + token[match.end(2) :]
    # The last syllable after a consonant: AHMAD/AHMED, TARIQ/TAREQ, HAMID/HAMED, ABDAL/ABDEL.
    ending = token[-2:]
    if len(token) >= 4 and ending in _FINAL_SYLLABLES and token[-3] not in _VOWELS + "Y":
        token = token[:-2] + _FINAL_SYLLABLES[ending]
    elif token in ("ABDAL", "ABDEL"):
        token = "ABDEL" if token == "ABDAL" else "ABDAL"
    return token


def _shadda(token: str) -> str:
    return re.sub(r"([B-DF-HJ-NP-TV-Z])\1", r"\1", token)


def _ta_marbuta(token: str) -> str:
    if len(token) >= 4 and token.endswith("AH"):
        return token[:-1]
    if len(token) >= 4 and token.endswith("A") and token[-2] not in _VOWELS:
        return token + "H"
    return token


def _persian(token: str) -> str:
    return re.sub(r"^W", "V", token).replace("QQ", "GH").replace("Q", "GH")


ARABIC_RULES: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("ar: French spelling (SH→CH, J→DJ, U→OU)", _french),
    ("ar: ق written K (TARIQ→TARIK)", _q_as_k),
    ("ar: TH, DH, GH written T, D, G", _digraphs),
    ("ar: short vowels (MUHAMMAD→MOHAMMED)", _vowels),
    ("ar: shadda written single (HASSAN→HASAN)", _shadda),
    ("ar: ta marbuta ±H (HAMZA→HAMZAH)", _ta_marbuta),
)
PERSIAN_RULE = ("fa: و as V, ق as GH (WAHID→VAHID)", _persian)


def _abd_al(words: list[str]) -> list[str] | None:
    out: list[str] = []
    changed = False
    i = 0
    while i < len(words):
        word = words[i]
        following = words[i + 1] if i + 1 < len(words) else ""
        if word == "ABD" and following in ("AL", "EL", "UL") and i + 2 < len(words):
            out.append("ABDUL")
            i += 2
            changed = True
            continue
        if word in _ABD_FORMS and following and following not in PARTICLES:
            out.extend(["ABD", "AL"])
            changed = True
        elif word[:5] in _ABD_FORMS and len(word) - 5 >= 3:
            out.extend(["ABD", "AL", word[5:]])
            changed = True
        else:
            out.append(word)
        i += 1
    return out if changed else None


def romanised(entry: PersonEntry, parts: Parts) -> Iterator[Written]:
    """Yield the name as each Arabic (and for Iran, Afghanistan Persian) rule would write it."""
    if not arabic_script_origin(entry):
        return
    rules = list(ARABIC_RULES)
    if set(entry.nationalities) & PERSIAN_STATES:
        rules.append(PERSIAN_RULE)
    for kind, rule in rules:
        surname = [t if t in PARTICLES else rule(t) for t in parts.surname]
        given = [t if t in PARTICLES else rule(t) for t in parts.given]
        if (surname, given) != (parts.surname, parts.given):
            yield _written(kind, parts, surname, given)
    surname_abd = _abd_al(parts.surname)
    given_abd = _abd_al(parts.given)
    if surname_abd is not None or given_abd is not None:
        yield _written(
            "ar: 'abd al-X written Abdul X (and back)",
            parts,
            surname_abd or parts.surname,
            given_abd or parts.given,
        )


def doc9303_arabic(text: str) -> str:
    """Transliterate a name in Arabic script as Doc 9303 recommends for the MRZ."""
    words = []
    for word in unicodedata.normalize("NFKC", text).split():
        out = []
        for position, char in enumerate(word):
            if char == _TEH_MARBUTA:
                out.append("XAH" if position == len(word) - 1 else "XTA")
            elif char in _DOC9303_ARABIC:
                out.append(_DOC9303_ARABIC[char])
            elif "A" <= char.upper() <= "Z":
                out.append(char.upper())
        if out:
            words.append("".join(out))
    return " ".join(words)


def doc9303(entry: PersonEntry) -> Iterator[Written]:
    """Yield the Doc 9303 MRZ transliteration of the entry's first name in Arabic script."""
    arabic = next((n.full for n in entry.names if script_of(n.full) == "Arabic"), None)
    if arabic is None or "(" in arabic:
        return
    written = doc9303_arabic(arabic)
    if written:
        yield Written("Doc 9303 Arabic MRZ transliteration", name=written)


def reference_variants(entry: PersonEntry, rng: random.Random) -> list[Written]:
    """Return every public-reference variant of the entry's primary Latin name."""
    name = primary_latin(entry)
    found: list[Written] = list(doc9303(entry))
    if name is None:
        return found
    parts = parts_of(entry, name)
    if parts is None:
        return found
    found.extend(initials(parts))
    found.extend(hispanic(entry, parts))
    found.extend(merged(parts, rng))
    found.extend(split(parts))
    found.extend(nickname(parts, rng))
    found.extend(romanised(entry, parts))
    return found
