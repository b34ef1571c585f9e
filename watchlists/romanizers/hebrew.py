"""Hebrew names by the Academy of the Hebrew Language's 2006 simple transcription rules.

Letters: א and ע unwritten; ב B at the start of a word (or with dagesh) and V elsewhere; כ and פ
likewise K/KH and P/F; ך KH, ף F; ח H; צ ץ TS; ש SH (שׂ S); ק K; geresh makes ג׳ J, ז׳ ZH, צ׳ CH,
ת׳ TH. Vowel points are read where written (kamatz, patah A; segol, tsere E; hiriq I; holam O;
kubutz, shuruk U; a vocal shva at the start E). Unpointed words, as names usually are, go through
a name lexicon, then the matres lectionis: ו is V at the start of a word or doubled and O between
consonants; י is Y at the start of a word, before a vowel or doubled and I elsewhere; final ה
and א are A; a short A is inserted where syllables need one, as for Arabic. The alternative
spells ח as CH, as many Israeli passports and lists do (CHAIM).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from anyascii import anyascii

from watchlists.romanizers.syllables import Vowels, insert_vowels

_LETTERS: dict[str, str] = {
    "א": "", "ב": "V", "ג": "G", "ד": "D", "ה": "H", "ו": "V", "ז": "Z", "ח": "H", "ט": "T",
    "י": "Y", "כ": "KH", "ך": "KH", "ל": "L", "מ": "M", "ם": "M", "נ": "N", "ן": "N", "ס": "S",
    "ע": "", "פ": "F", "ף": "F", "צ": "TS", "ץ": "TS", "ק": "K", "ר": "R", "ש": "SH", "ת": "T",
}  # fmt: skip
_STOPS = {"ב": "B", "כ": "K", "פ": "P"}
_GERESH = {"ג": "J", "ז": "ZH", "צ": "CH", "ץ": "CH", "ת": "TH"}
_POINTS = {
    "\u05b8": "A", "\u05b7": "A", "\u05b2": "A", "\u05b6": "E", "\u05b5": "E", "\u05b1": "E",
    "\u05b4": "I", "\u05b9": "O", "\u05ba": "O", "\u05bb": "U", "\u05b3": "O",
}  # fmt: skip
_SHVA, _DAGESH, _SIN_DOT = "\u05b0", "\u05bc", "\u05c2"
_GERESH_MARKS = frozenset("'\u05f3\u2019")

# Common names whose unpointed spelling the rules cannot vowel; (standard, alternative).
NAMES: dict[str, tuple[str, ...]] = {
    "משה": ("MOSHE",), "דוד": ("DAVID",), "אברהם": ("AVRAHAM",), "יצחק": ("YITSHAK", "YITZHAK"),
    "יעקב": ("YAAKOV",), "שרה": ("SARA",), "רבקה": ("RIVKA",), "רחל": ("RAHEL", "RACHEL"),
    "לאה": ("LEA",), "יוסף": ("YOSEF",), "בנימין": ("BINYAMIN",), "שלמה": ("SHLOMO",),
    "שמואל": ("SHMUEL",), "אליהו": ("ELIYAHU",), "חיים": ("HAIM", "CHAIM"),
    "כהן": ("KOHEN", "COHEN"),
    "לוי": ("LEVI",), "ישראל": ("YISRAEL",), "יהודה": ("YEHUDA",), "מרים": ("MIRYAM",),
    "אסתר": ("ESTER",), "מיכאל": ("MIKHAEL",), "דניאל": ("DANIEL",), "גבריאל": ("GAVRIEL",),
    "נתניהו": ("NETANYAHU",), "בנימן": ("BINYAMIN",), "יונתן": ("YONATAN",), "אהרון": ("AHARON",),
    "אהרן": ("AHARON",), "מנחם": ("MENAHEM", "MENACHEM"), "יוסי": ("YOSI",), "אבי": ("AVI",),
    "שמעון": ("SHIMON",), "ראובן": ("REUVEN",), "אריאל": ("ARIEL",), "איתן": ("EITAN",),
    "עמוס": ("AMOS",), "יגאל": ("YIGAL",), "יאיר": ("YAIR",), "אהוד": ("EHUD",),
    "שאול": ("SHAUL",), "גולדה": ("GOLDA",), "מאיר": ("MEIR",), "בן": ("BEN",),
    "בת": ("BAT",), "פרץ": ("PERETS",), "שמיר": ("SHAMIR",), "רבין": ("RABIN",),
    "פרס": ("PERES",), "ברק": ("BARAK",), "שרון": ("SHARON",), "אולמרט": ("OLMERT",),
    "נפתלי": ("NAFTALI",), "בנט": ("BENNETT",), "לפיד": ("LAPID",), "הרצוג": ("HERZOG",),
    "יצחקי": ("YITSHAKI",), "אלי": ("ELI",), "נחום": ("NAHUM",), "חנה": ("HANA", "CHANA"),
    "תמר": ("TAMAR",), "נועה": ("NOA",), "יעל": ("YAEL",), "אורי": ("URI",),
}  # fmt: skip


def _bare(word: str) -> str:
    return "".join(ch for ch in word if not unicodedata.combining(ch) and ch not in _GERESH_MARKS)


def _letter(ch: str, i: int, marks: str, geresh: bool, alternative: bool) -> str:
    if geresh and ch in _GERESH:
        return _GERESH[ch]
    if ch in _STOPS and (i == 0 or _DAGESH in marks):
        return _STOPS[ch]
    if ch == "ש" and _SIN_DOT in marks:
        return "S"
    if ch == "ח" and alternative:
        return "CH"
    found = _LETTERS.get(ch)
    return found if found is not None else anyascii(ch).upper()


def _letters(word: str) -> list[tuple[str, str, bool]]:
    """Return each letter of the word with its points and whether a geresh follows it."""
    out: list[tuple[str, str, bool]] = []
    for ch in word:
        if ch in _GERESH_MARKS:
            if out:
                out[-1] = (out[-1][0], out[-1][1], True)
        elif unicodedata.combining(ch):
            if out:
                out[-1] = (out[-1][0], out[-1][1] + ch, out[-1][2])
        else:
            out.append((ch, "", False))
    return out


def _pointed(word: str, alternative: bool) -> str | None:
    letters = _letters(word)
    if sum(1 for _, marks, _ in letters if any(m in _POINTS for m in marks)) * 2 < len(letters):
        return None
    out: list[str] = []
    for i, (ch, marks, geresh) in enumerate(letters):
        if ch == "ו" and "\u05b9" in marks and i > 0:
            out.append("O")
        elif ch == "ו" and _DAGESH in marks and i > 0 and not any(m in _POINTS for m in marks):
            out.append("U")
        elif (
            ch == "י"
            and i > 0
            and not any(m in _POINTS for m in marks)
            and out
            and (out[-1] in ("I", "E"))
        ):
            continue
        else:
            out.append(_letter(ch, i, marks, geresh, alternative))
            out += [_POINTS[m] for m in marks if m in _POINTS]
            if _SHVA in marks and i == 0:
                out.append("E")
    return "".join(out)


def _unpointed(word: str, alternative: bool) -> str:
    letters = _letters(word)
    n = len(letters)
    units: list[tuple[str, str]] = []
    for i, (ch, marks, geresh) in enumerate(letters):
        nxt = letters[i + 1][0] if i + 1 < n else ""
        if ch == "א":
            if i == 0:
                units.append(("S", "I" if nxt == "י" else "O" if nxt == "ו" else "A"))
            elif i == n - 1:
                units.append(("V", "A"))
            else:
                units.append(("C", ""))
        elif ch == "ה" and i == n - 1 and i > 0:
            units.append(("V", "A"))
        elif ch == "ו" and not geresh:
            if i == 0 or nxt == "ו":
                units.append(("C", "V"))
            elif i > 0 and letters[i - 1][0] == "ו":
                continue
            else:
                units.append(("V", "O"))
        elif ch == "י":
            if i > 0 and letters[i - 1][0] == "א" and i == 1:
                continue
            if i == 0 or (nxt in ("א", "ה", "ו") and i + 1 < n - 1) or nxt == "י":
                units.append(("C", "Y"))
            elif i > 0 and letters[i - 1][0] == "י":
                units.append(("V", "I"))
            else:
                units.append(("V", "I"))
        else:
            units.append(("C", _letter(ch, i, marks, geresh, alternative)))
    out: list[str] = []
    run: list[str] = []
    before: str | None = None
    vowels = Vowels()
    for kind, letters_ in units:
        if kind == "C":
            run.append(letters_)
            continue
        out += insert_vowels(run, before, False, vowels)
        out.append(letters_)
        run = []
        before = letters_ if kind == "V" else ""
    out += insert_vowels(run, before, True, vowels)
    return "".join(out)


def _word(word: str, alternative: bool) -> str:
    spellings = NAMES.get(_bare(word))
    if spellings is not None:
        return spellings[min(int(alternative), len(spellings) - 1)]
    pointed = _pointed(word, alternative)
    return pointed if pointed is not None else _unpointed(word, alternative)


def romanize(words: Sequence[str]) -> list[str]:
    """Return the Academy 2006 spelling of a Hebrew name, then the one with ח as CH."""
    return [" ".join(_word(w, alternative) for w in words) for alternative in (False, True)]
