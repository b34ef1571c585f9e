"""Say how two published names of one listed person differ, by rules independent of the engine.

The classifier compares a held-out name (the query) with the names its entry keeps, and returns
the class of the difference to the nearest of them. It knows nothing of `watchlists`: tokens,
skeletons and script detection are its own, so an engine rewrite cannot move the yardstick.

Rules, applied in this order to the query's and a kept name's tokens:

1. Tokens are the name as published, NFKC, transliterated to ASCII by anyascii only when the
   name is not in Latin script, apostrophes and ayn/hamza marks deleted, upper-cased, split on
   anything not A-Z or 0-9; 'FAMILY, Given' (one comma, as OFAC writes) is read as 'Given FAMILY'.
   Titles (DR, COLONEL, MAULAVI, HAJI ...; `TITLES`) are set aside: a title difference is the
   class "title" only when nothing else differs.
2. Equal tokens pair up, whatever their order.
3. Merged/split: a token equal to two or three neighbouring tokens of the other side written
   together (RAMIMAKHLOUF = RAMI MAKHLOUF), or whose skeleton equals theirs. When one of the
   joined tokens is an article or particle (AL, EL, BIN, DE ...; `PARTICLES`) the difference is
   "article/particle" instead (ABD AL HALIM = ABDUL HALIM, AL ZAWAHIRI = ALZAWAHIRI).
4. Initial: a one-letter token and a longer token starting with that letter (V = VLADIMIROVICH).
5. Hypocorism: the two tokens are a name and its nickname in the `nicknames` package's table
   (Carlton Northern's hand-curated English names and nicknames; skipped when not installed).
6. Transliteration: different spellings whose consonant skeletons agree (`skeleton`: digraphs
   KH, GH, SH, CH, TH, DH, PH, DJ folded to one letter, Q and C to K, Z to S, a final T to D,
   vowels, W, H and a Y not first dropped, doubled letters made single) and whose edit
   similarity is at least 0.5: TAREK/TARIQ, MOHAMMET/MUHAMMAD, SAYYID/SAYED, OMAR/UMAR,
   HASAN/HASSAN. Particles never pair this way (AL is not ALI).
7. Near spelling: one letter apart (Damerau-Levenshtein) for tokens of 4 letters or more, two for
   7 or more, skeletons differing (GADET/GATDET).
8. Whatever is left: a particle alone is "article/particle"; listed tokens the query lacks are
   "dropped token" (one) or "dropped 2+ tokens"; query tokens the listed name lacks are "extra
   token"; tokens left on both sides are an unexplained difference.
9. Order: when every token pairs up but in another order, "reordered" (order is otherwise not
   a class: the other differences say more).

The class is the one difference found; "several" when more than one (titles and order aside);
"same letters" when the tokens agree and only case, diacritics or punctuation differ. The
nearest kept name is the one whose tokens pair up best (weighted by how they agree).

Not recall targets, reported apart: "single token" (the query has under two name tokens: a
kunya or a nickname such as SHEKAU), "partly different" (tokens left unexplained on both
sides, at least two paired: SHAMIL MAGOMEDOVICH ALIEV for ... ISMAILOV), "unrelated alias" (at
most one token paired) and "other script, unverified".

Scripts: the script of most of a name's letters by Unicode character name (Latin, Arabic,
Cyrillic, Han, Hangul, Greek, Hebrew, Thai, Kana, other). A query is compared with kept names of
its own script first. When none of them is a recall target, or it has none, names in other
scripts are compared after both are transliterated by anyascii: when two or more of the
query's name tokens pair up (any rule above) and at most one does not, the class is "other
script: query" (the query is not Latin) or "other script: listed" (a Latin query whose entry
keeps the name only in another script); otherwise "other script, unverified" when no
same-script name was there to compare.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import jellyfish
from anyascii import anyascii

if TYPE_CHECKING:
    from nicknames import NickNamer

# Honorifics and ranks that lists put before names; not part of the name proper.
TITLES = frozenset(
    {
        "DR",
        "DOCTOR",
        "PROF",
        "PROFESSOR",
        "ENGINEER",
        "ENG",
        "MR",
        "MRS",
        "MS",
        "COLONEL",
        "COL",
        "GENERAL",
        "GEN",
        "MAJOR",
        "CAPTAIN",
        "CAPT",
        "LIEUTENANT",
        "LT",
        "SERGEANT",
        "SGT",
        "COMMANDER",
        "BRIGADIER",
        "MAULAVI",
        "MAWLAWI",
        "MAULVI",
        "MOLAVI",
        "MAWLAVI",
        "MULLAH",
        "MULLA",
        "MOLLAH",
        "HAJI",
        "HAJJI",
        "HAJ",
        "ALHAJI",
        "ALHAJ",
        "SHEIKH",
        "SHAYKH",
        "SHAIKH",
        "SHEIK",
        "IMAM",
        "QARI",
        "QAZI",
        "JR",
        "SR",
        "II",
        "III",
    }
)

# Articles, particles and conjunctions written, glued or left out at will.
PARTICLES = frozenset(
    {
        "AL",
        "EL",
        "UL",
        "ALL",
        "AD",
        "AR",
        "AS",
        "ASH",
        "AT",
        "AZ",
        "AN",
        "ED",
        "ER",
        "ES",
        "BIN",
        "BEN",
        "BN",
        "IBN",
        "BINT",
        "BENT",
        "DE",
        "DEL",
        "DELA",
        "DELOS",
        "DELAS",
        "LA",
        "LAS",
        "LOS",
        "LE",
        "DA",
        "DI",
        "DO",
        "DOS",
        "DAS",
        "DU",
        "VAN",
        "VON",
        "DER",
        "DEN",
        "TER",
        "Y",
        "E",
    }
)

SCRIPT_NAMES = (
    ("LATIN", "Latin"),
    ("ARABIC", "Arabic"),
    ("CYRILLIC", "Cyrillic"),
    ("CJK", "Han"),
    ("HANGUL", "Hangul"),
    ("GREEK", "Greek"),
    ("HEBREW", "Hebrew"),
    ("THAI", "Thai"),
    ("HIRAGANA", "Kana"),
    ("KATAKANA", "Kana"),
)

# Classes that are not recall targets: the query is not the same name in another form.
NOT_TARGETS = frozenset(
    {"single token", "partly different", "unrelated alias", "other script, unverified"}
)
# Differences that name a class only when nothing else differs.
MINOR = frozenset({"reordered", "title"})

# How much each kind of agreement counts when choosing the nearest kept name.
_WEIGHTS = {
    "equal": 1.0,
    "merged/split": 0.9,
    "article/particle": 0.9,
    "transliteration": 0.85,
    "hypocorism": 0.8,
    "near spelling": 0.8,
    "initial": 0.6,
}
_MARKS = re.compile(r"['`´ʹʻʼʽʾʿ’‘]")
_SEPARATORS = re.compile(r"[^A-Z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SYLLABIC = frozenset({"Han", "Hangul", "Kana"})
# The article before a word of two letters or more, but not the word الله (Allah) itself.
_ARABIC_ARTICLE = re.compile(r"(^|\s)ال(?!له(?:\s|$))(?=\S{2})")
_DIGRAPHS = (
    ("TCH", "C"),
    ("SCH", "S"),
    ("PH", "F"),
    ("KH", "K"),
    ("GH", "G"),
    ("SH", "S"),
    ("CH", "S"),
    ("TH", "T"),
    ("DH", "D"),
    ("DJ", "J"),
    ("CK", "K"),
    ("Q", "K"),
    ("C", "K"),
    ("Z", "S"),
    ("X", "KS"),
)
_SKELETON_DROPS = str.maketrans("", "", "AEIOUYWH")


@dataclass(frozen=True, slots=True)
class Variation:
    """How a query differs from the nearest kept name of its entry."""

    kind: str
    script: str
    nearest: str
    detail: str
    # Every kind of difference found, for telling "several" apart.
    differences: tuple[str, ...] = ()

    @property
    def target(self) -> bool:
        """Tell whether screening should find the entry from this query."""
        return self.kind not in NOT_TARGETS


@dataclass(frozen=True, slots=True)
class Comparison:
    """The differences between two token lists and how well they pair up."""

    kinds: frozenset[str]
    paired: int
    name_tokens: int
    score: float
    detail: str


def script_of(text: str) -> str:
    """Return the script of most of the letters of a name ('none' when it has no letter)."""
    counts: Counter[str] = Counter()
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        label = next((label for key, label in SCRIPT_NAMES if key in name), "other")
        counts[label] += 1
    if not counts:
        return "none"
    return counts.most_common(1)[0][0]


def tokens(text: str) -> tuple[str, ...]:
    """Return a name's tokens as A-Z/0-9 words, given names first (rule 1)."""
    text = unicodedata.normalize("NFKC", text)
    if text.count(",") == 1:
        family, given = text.split(",")
        text = f"{given} {family}"
    text = _MARKS.sub("", text)
    script = script_of(text)
    if script == "Arabic":
        # The article is written joined to its word (الحبيب); anyascii would keep only its L.
        text = _ARABIC_ARTICLE.sub(r"\1AL ", text)
    if script in _SYLLABIC:
        # anyascii writes each syllable capitalised and joined (金正恩 -> JinZhengEn).
        text = _CAMEL.sub(" ", anyascii(text))
    text = _MARKS.sub("", anyascii(text)).upper()
    return tuple(t for t in _SEPARATORS.split(text) if t)


@cache
def skeleton(token: str) -> str:
    """Return a token's consonant skeleton (rule 6): SAYYID, SAYED -> SD; TARIQ, TAREK -> TRK."""
    text = token
    for pair, single in _DIGRAPHS:
        text = text.replace(pair, single)
    # A first Y is a consonant (YAHYA, YUSUF); elsewhere it writes a vowel.
    initial = "Y" if text.startswith("Y") else ""
    text = initial + text[len(initial) :].translate(_SKELETON_DROPS)
    if text.endswith("T"):
        text = text[:-1] + "D"
    return re.sub(r"(.)\1+", r"\1", text)


def similarity(left: str, right: str) -> float:
    """Return 1 minus the Levenshtein distance over the longer length."""
    longest = max(len(left), len(right)) or 1
    return 1.0 - jellyfish.levenshtein_distance(left, right) / longest


@cache
def _nicknamer() -> NickNamer | None:
    try:
        from nicknames import NickNamer
    except ImportError:
        return None
    return NickNamer()


@cache
def hypocorisms(name: str) -> frozenset[str]:
    """Return the nicknames the `nicknames` table gives for a formal name (upper case)."""
    namer = _nicknamer()
    if namer is None:
        return frozenset()
    return frozenset(n.upper() for n in namer.nicknames_of(name.lower()))


def nickname_pair(left: str, right: str) -> bool:
    """Tell whether one token is a nickname of the other in the `nicknames` table."""
    return right in hypocorisms(left) or left in hypocorisms(right)


def _near(left: str, right: str) -> bool:
    shortest = min(len(left), len(right))
    if shortest < 4:
        return False
    limit = 2 if shortest >= 7 else 1
    return jellyfish.damerau_levenshtein_distance(left, right) <= limit


def _same_skeleton(left: str, right: str, loose: bool = False) -> bool:
    """Tell whether two tokens share a skeleton; `loose` drops the edit-similarity guard."""
    if left in PARTICLES or right in PARTICLES:
        return False
    shape = skeleton(left)
    if not shape or shape != skeleton(right):
        return False
    return loose or similarity(left, right) >= 0.5


class _Pairing:
    """Greedy pairing of query tokens with listed tokens (rules 2 to 8)."""

    def __init__(self, query: Sequence[str], listed: Sequence[str], loose: bool) -> None:
        self.loose = loose
        self.query = list(query)
        self.listed = list(listed)
        self.query_free = [True] * len(query)
        self.listed_free = [True] * len(listed)
        # (query position, listed position, kind of agreement)
        self.pairs: list[tuple[int, int, str]] = []
        self.kinds: set[str] = set()

    def run(self) -> None:
        self._pair(lambda q, t: q == t, "equal")
        self._merged()
        self._pair(lambda q, t: len(q) == 1 < len(t) and t[0] == q, "initial")
        self._pair(lambda q, t: len(t) == 1 < len(q) and q[0] == t, "initial")
        self._pair(nickname_pair, "hypocorism")
        self._pair(lambda q, t: _same_skeleton(q, t, self.loose), "transliteration")
        self._pair(_near, "near spelling")

    def _pair(self, agree: Callable[[str, str], bool], kind: str) -> None:
        for qi, q in enumerate(self.query):
            if not self.query_free[qi]:
                continue
            for li, listed in enumerate(self.listed):
                if self.listed_free[li] and agree(q, listed):
                    self._take(qi, li, kind)
                    break

    def _take(self, qi: int, li: int, kind: str) -> None:
        self.query_free[qi] = False
        self.listed_free[li] = False
        self.pairs.append((qi, li, kind))
        if kind != "equal":
            self.kinds.add(kind)

    def _merged(self) -> None:
        for whole, parts, whole_free, parts_free, query_side in (
            (self.query, self.listed, self.query_free, self.listed_free, True),
            (self.listed, self.query, self.listed_free, self.query_free, False),
        ):
            for wi, token in enumerate(whole):
                if not whole_free[wi] or len(token) < 4:
                    continue
                run = self._run(token, parts, parts_free, self.loose)
                if run is None:
                    continue
                particle = any(parts[i] in PARTICLES for i in run)
                kind = "article/particle" if particle else "merged/split"
                whole_free[wi] = False
                for i in run:
                    parts_free[i] = False
                    qi, li = (wi, i) if query_side else (i, wi)
                    self.pairs.append((qi, li, kind))
                self.kinds.add(kind)

    @staticmethod
    def _run(token: str, parts: list[str], free: list[bool], loose: bool) -> range | None:
        for size in (2, 3):
            for start in range(len(parts) - size + 1):
                run = range(start, start + size)
                if not all(free[i] for i in run):
                    continue
                joined = "".join(parts[i] for i in run)
                if joined == token:
                    return run
                if loose:
                    # Part by part, so that AYYUB BASHIR (B + BSR) is not BASHIR (BSR).
                    shape = "".join(skeleton(parts[i]) for i in run)
                    if shape and shape == skeleton(token):
                        return run
                elif all(skeleton(parts[i]) for i in run) and _same_skeleton(joined, token):
                    # Every part must carry a consonant: PETER A is not PETR.
                    return run
        return None

    def leftovers(self) -> tuple[list[str], list[str]]:
        query = [t for t, free in zip(self.query, self.query_free, strict=True) if free]
        listed = [t for t, free in zip(self.listed, self.listed_free, strict=True) if free]
        return query, listed


def compare(
    query: Sequence[str],
    listed: Sequence[str],
    *,
    titled: tuple[bool, bool] = (True, True),
    loose: bool = False,
) -> Comparison:
    """Compare two token lists (rules 1 to 9) and say how they differ.

    `titled` says for each side whether titles are to be set aside: only in names published in
    Latin script, where a transliteration cannot make a title by chance ('عمر' -> MR). `loose`
    compares skeletons without the similarity guard, for names from different scripts (a
    transliterated Arabic name has no short vowels: ZBYDY for ZUBAIDI).
    """
    query_titles = Counter(t for t in query if titled[0] and t in TITLES)
    listed_titles = Counter(t for t in listed if titled[1] and t in TITLES)
    query_names = [t for t in query if not (titled[0] and t in TITLES)]
    listed_names = [t for t in listed if not (titled[1] and t in TITLES)]
    pairing = _Pairing(query_names, listed_names, loose)
    pairing.run()
    kinds = set(pairing.kinds)
    if query_titles != listed_titles:
        kinds.add("title")
    left_query, left_listed = pairing.leftovers()
    if any(t in PARTICLES for t in left_query + left_listed):
        kinds.add("article/particle")
    left_query = [t for t in left_query if t not in PARTICLES]
    left_listed = [t for t in left_listed if t not in PARTICLES]
    if left_query and left_listed:
        kinds.add("different")
    elif left_listed:
        kinds.add("dropped token" if len(left_listed) == 1 else "dropped 2+ tokens")
    elif left_query:
        kinds.add("extra token")
    positions = [li for _, li, _ in sorted(pairing.pairs)]
    if positions != sorted(positions):
        kinds.add("reordered")
    paired_query = {qi for qi, _, _ in pairing.pairs if query_names[qi] not in PARTICLES}
    covered = {li for _, li, _ in pairing.pairs if listed_names[li] not in PARTICLES}
    # A token that joins two listed names counts as two (RAMIMAKHLOUF).
    name_tokens = max(sum(t not in PARTICLES for t in query_names), min(len(covered), 2))
    weight = sum(
        _WEIGHTS[kind] for qi, kind in {(qi, kind) for qi, _, kind in pairing.pairs}
    ) / max(len(query_names), len(listed_names), 1)
    detail = " ".join(
        f"{query_names[qi]}={listed_names[li]}"
        if kind == "equal"
        else f"{query_names[qi]}~{listed_names[li]}({kind})"
        for qi, li, kind in sorted(pairing.pairs)
    )
    if left_query or left_listed:
        detail += f" | query only: {' '.join(left_query) or '-'}"
        detail += f"; listed only: {' '.join(left_listed) or '-'}"
    return Comparison(frozenset(kinds), len(paired_query), name_tokens, weight, detail)


def kind_of(comparison: Comparison) -> str:
    """Name the class of a comparison's differences (see the module docstring)."""
    kinds = set(comparison.kinds)
    if comparison.name_tokens < 2:
        return "single token"
    if "different" in kinds:
        return "partly different" if comparison.paired >= 2 else "unrelated alias"
    if comparison.paired == 0:
        return "unrelated alias"
    major = kinds - MINOR
    if len(major) > 1:
        return "several"
    if major:
        return next(iter(major))
    if len(kinds) > 1:
        return "several"
    if kinds:
        return next(iter(kinds))
    return "same letters"


def _nearest(query: str, names: Sequence[str]) -> tuple[Comparison, str] | None:
    best: tuple[Comparison, str] | None = None
    query_tokens = tokens(query)
    script = script_of(query)
    for name in names:
        other = script_of(name)
        titled = (script == "Latin", other == "Latin")
        loose = script != other
        comparison = compare(query_tokens, tokens(name), titled=titled, loose=loose)
        key = (comparison.score, -len(comparison.kinds))
        if best is None or key > (best[0].score, -len(best[0].kinds)):
            best = (comparison, name)
    return best


def _kinds(comparison: Comparison) -> tuple[str, ...]:
    return tuple(sorted(comparison.kinds))


def classify(query: str, kept: Sequence[str]) -> Variation:
    """Classify a held-out name against the names its entry keeps."""
    script = script_of(query)
    same = [name for name in kept if script_of(name) == script]
    other = [name for name in kept if script_of(name) != script]
    found = _nearest(query, same)
    if found is not None:
        comparison, nearest = found
        kind = kind_of(comparison)
        if kind not in NOT_TARGETS or not other:
            return Variation(kind, script, nearest, comparison.detail, _kinds(comparison))
    crossed = _nearest(query, other)
    if crossed is not None:
        comparison, nearest = crossed
        if comparison.paired >= max(2, comparison.name_tokens - 1):
            if script != "Latin":
                return Variation("other script: query", script, nearest, comparison.detail)
            listed_script = script_of(nearest)
            return Variation("other script: listed", listed_script, nearest, comparison.detail)
    if found is not None:
        comparison, nearest = found
        return Variation(
            kind_of(comparison), script, nearest, comparison.detail, _kinds(comparison)
        )
    nearest = other[0] if other else ""
    return Variation("other script, unverified", script, nearest, "")
