"""String distances for screening; the only module that imports rapidfuzz."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import jellyfish
import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from watchlists.config import TokenScores
from watchlists.equivalents import arabic_key, given_name_groups
from watchlists.normalize import fold, split_glued
from watchlists.variants import variant_canon

_CANON = variant_canon()


class Agreement(StrEnum):
    """How two name tokens agree; shown in a hit's detail."""

    EXACT = "exact"
    FOLDED = "spelling"
    VARIANT = "variant"
    TRANSLITERATION = "transliteration"
    HYPOCORISM = "hypocorism"
    GLUED = "glued"
    PREFIX = "truncated"
    INITIAL = "initial"
    MERGED = "written together"
    PHONETIC = "sounds alike"
    FUZZY = "typo"
    NONE = "different"


_MARKS: dict[Agreement, str] = {
    Agreement.EXACT: "=",
    Agreement.FOLDED: "~",
    Agreement.VARIANT: "~",
    Agreement.TRANSLITERATION: "~",
    Agreement.HYPOCORISM: "~",
    Agreement.GLUED: "~",
    Agreement.PREFIX: "…=",
    Agreement.INITIAL: "~",
    Agreement.MERGED: "~",
    Agreement.PHONETIC: "~",
    Agreement.FUZZY: "~",
    Agreement.NONE: "≠",
}


@dataclass(frozen=True, slots=True)
class TokenComparison:
    """A score in [0, 1] for two tokens and the kind of agreement that earned it."""

    score: float
    agreement: Agreement

    def detail(self, query_token: str, list_token: str) -> str:
        """Return a human detail such as 'MOHAMED~MOHAMMED (variant)'."""
        mark = _MARKS[self.agreement]
        if self.agreement in (Agreement.EXACT, Agreement.NONE):
            return f"{query_token}{mark}{list_token}"
        return f"{query_token}{mark}{list_token} ({self.agreement.value})"


@lru_cache(maxsize=200_000)
def phonetic_key(token: str) -> str:
    """Return the Metaphone code of a token (folded first so ICAO spellings sound alike)."""
    return str(jellyfish.metaphone(fold(token)))


def variant_group(token: str) -> str | None:
    """Return the name of the variant group a spelling belongs to, or None."""
    return _CANON.get(token) or _CANON.get(fold(token))


def _equivalent(
    query_token: str,
    list_token: str,
    scores: TokenScores,
    keys: tuple[RuleKeys, RuleKeys] | None = None,
) -> TokenComparison | None:
    """Return how two spellings are one name by rule, not by letters, or None.

    Two romanisations of one Arabic, Persian or Pashto name (TAREK, TARIQ: equivalents.arabic_key)
    or a given name and its hypocorism (TED, THEODORE: the nicknames table). `keys` are the two
    tokens' RuleKeys, if the caller keeps them.
    """
    if keys is not None:
        query, listed = keys
        if query.transliteration and query.transliteration == listed.transliteration:
            return TokenComparison(scores.transliteration, Agreement.TRANSLITERATION)
        if query.groups & listed.groups:
            return TokenComparison(scores.hypocorism, Agreement.HYPOCORISM)
        return None
    key = _transliteration_key(query_token)
    if key is not None and key == _transliteration_key(list_token):
        return TokenComparison(scores.transliteration, Agreement.TRANSLITERATION)
    if given_name_groups(query_token) & given_name_groups(list_token):
        return TokenComparison(scores.hypocorism, Agreement.HYPOCORISM)
    return None


# Shortest tokens compared by their transliteration key: the key merges vowels, and in three
# letters that makes different names one (SUN and SON, LIN and LEN).
TRANSLITERATION_MIN_LENGTH = 4


def _transliteration_key(token: str) -> str | None:
    return arabic_key(token) if len(token) >= TRANSLITERATION_MIN_LENGTH else None


@dataclass(frozen=True, slots=True)
class RuleKeys:
    """What the rule-based comparisons need of one token, computed once per token.

    Transliteration keys are kept as their hashes (0 for no key): the index holds them for every
    listed token in two flat arrays, so that no pair of tokens recomputes a key. Two different
    keys with one 64-bit hash would count as one; among a million keys that is about a chance
    in 10^8 per index.
    """

    # Of the token as spelled, and of its folded form (None when folding leaves < 4 letters).
    transliteration: int
    folded_transliteration: int
    # Of the rest of the folded token after a glued prefix (ELKADDAFI: KADAFI), 0 if none.
    glued_transliteration: int
    groups: frozenset[int]


def _key_hash(key: str | None) -> int:
    return 0 if key is None else hash(key) or 1


def compute_rule_keys(token: str) -> RuleKeys:
    """Return a token's RuleKeys (the index keeps them for listed tokens; see rule_keys)."""
    folded = fold(token)
    key = _key_hash(_transliteration_key(token))
    glued = split_glued(folded)
    return RuleKeys(
        transliteration=key,
        folded_transliteration=key if len(folded) >= TRANSLITERATION_MIN_LENGTH else 0,
        glued_transliteration=_key_hash(_transliteration_key(glued[1])) if glued else 0,
        groups=given_name_groups(token),
    )


# A query token's RuleKeys, computed once however many listed tokens it meets.
rule_keys = lru_cache(maxsize=65_536)(compute_rule_keys)


# Letters whose romanisations of one Arabic letter differ (ق as Q, K, G; ج as J, G, DJ; ش as
# SH or CH; a vowel or glide as any other: EBRAHIM, IBRAHIM; OUALID, WALID): two romanisations
# of one name begin with the same letter or with two of one group.
_FIRST_LETTER_GROUPS = {
    **dict.fromkeys("QCGJK", "K"),
    **dict.fromkeys("DZ", "D"),
    **dict.fromkeys("AEIOUWVY", "A"),
    "S": "K",
}


def _may_transliterate(left: str, right: str) -> bool:
    """Tell cheaply whether two tokens may be romanisations of one name (before their keys)."""
    if not left or not right or abs(len(left) - len(right)) > 3:
        return False
    first, second = left[0], right[0]
    return first == second or _FIRST_LETTER_GROUPS.get(first, first) == _FIRST_LETTER_GROUPS.get(
        second, second
    )


def equivalence_keys(token: str) -> set[str]:
    """Return blocking keys shared by tokens that _equivalent may find to be one name."""
    keys = {f"N:{group}" for group in given_name_groups(token)}
    key = _transliteration_key(token)
    if key is not None:
        keys.add("A:" + key)
    return keys


def edit_similarity(left: str, right: str) -> float:
    """Return 1 minus the optimal-string-alignment distance over the longer length."""
    return float(OSA.normalized_similarity(left, right))


@lru_cache(maxsize=65_536)
def compare_tokens(
    query_token: str, list_token: str, scores: TokenScores, *, allow_prefix: bool = False
) -> TokenComparison:
    """Compare a traveller's token with a listed token; `allow_prefix` when the query may be cut."""
    return _compare(
        query_token, list_token, fold(query_token), fold(list_token), None, scores, allow_prefix
    )


def compare_kept(
    query_token: str,
    list_token: str,
    folded_list: str,
    list_keys: RuleKeys,
    scores: TokenScores,
    *,
    allow_prefix: bool,
) -> TokenComparison:
    """Compare tokens as compare_tokens does, given what an index keeps of the listed token."""
    keys = (rule_keys(query_token), list_keys)
    return _compare(
        query_token, list_token, fold(query_token), folded_list, None, scores, allow_prefix, keys
    )


# Endings of a nisba, the adjective of descent or origin that Persian, Arabic and Pashto
# surnames make of a name (AHMADI of AHMAD, HASHEMI of HASHIM, NIAZI of NIAZ).
_NISBA_ENDINGS = ("I", "Y", "EE")
_VOWELS = frozenset("AEIOUY")
# Shortest name a nisba is made from here: below it a final I is as likely a spelling.
_NISBA_MIN_STEM = 4


def nisba_of(left: str, right: str) -> bool:
    """Tell whether one token is the other's nisba (AHMADI, AHMAD): two names, not one misspelt.

    Letters alone make them a typo or a sound-alike, and surnames of this kind are among the
    commonest of Iran and Pakistan: an innocent AHMADI, Ali must not meet a listed ALI, Ahmad.
    The name must end in a consonant (YURIY is YURI, ALIY is ALI) and the stem spell it, as
    written or as another romanisation (HASHEM, HASHIM).
    """
    if len(left) < len(right):
        left, right = right, left
    if right[-1] in _VOWELS or len(right) < _NISBA_MIN_STEM:
        return False
    for ending in _NISBA_ENDINGS:
        if not left.endswith(ending):
            continue
        stem = left[: -len(ending)]
        if len(stem) < _NISBA_MIN_STEM or stem[-1] in _VOWELS:
            continue
        if stem == right or fold(stem) == fold(right):
            return True
        key = _transliteration_key(stem)
        if key is not None and key == _transliteration_key(right):
            return True
    return False


def _compare(
    query_token: str,
    list_token: str,
    folded_query: str,
    folded_list: str,
    edit: float | None,
    scores: TokenScores,
    allow_prefix: bool,
    keys: tuple[RuleKeys, RuleKeys] | None = None,
) -> TokenComparison:
    """Compare two tokens given their folded forms and, if known, edit similarity and RuleKeys."""
    if query_token == list_token:
        return TokenComparison(scores.exact, Agreement.EXACT)
    if folded_query == folded_list:
        return TokenComparison(scores.folded, Agreement.FOLDED)
    if query_token[-1] != list_token[-1] and nisba_of(query_token, list_token):
        return _DIFFERENT
    group = _CANON.get(query_token) or _CANON.get(folded_query)
    listed_group = _CANON.get(list_token) or _CANON.get(folded_list)
    if group is not None and group == listed_group:
        return TokenComparison(scores.variant, Agreement.VARIANT)
    # Before the groups part two names: SAYED is SAID's spelling and SAYYID's too.
    equivalent = _equivalent(query_token, list_token, scores, keys)
    if equivalent is not None:
        return equivalent
    if group is not None and listed_group is not None:
        # Two known names (ABDUL, ABDULLAH; MOHAMMED, MAHMOUD): alike in letters, not the same.
        return TokenComparison(0.0, Agreement.NONE)
    if min(len(query_token), len(list_token)) == 1:
        # An initial stands for any name it begins (V for VLADIMIROVICH), either way round.
        if query_token[0] == list_token[0]:
            return TokenComparison(scores.initial, Agreement.INITIAL)
        return _DIFFERENT
    # Folding can hide a typo's letter (IGOE → IGO), so the raw spelling is compared as well.
    if edit is None:
        edit = max(
            edit_similarity(query_token, list_token), edit_similarity(folded_query, folded_list)
        )
    short = max(len(query_token), len(list_token)) < scores.fuzzy_min_length
    best = TokenComparison(0.0 if short else edit, Agreement.FUZZY)
    if (
        allow_prefix
        and len(query_token) < len(list_token)
        and list_token.startswith(query_token)
        and scores.prefix > best.score
    ):
        best = TokenComparison(scores.prefix, Agreement.PREFIX)
    if abs(len(folded_query) - len(folded_list)) >= _GLUED_LENGTH_GAP:
        glued = _glued_score(folded_query, folded_list, scores, keys)
        if glued > best.score:
            best = TokenComparison(glued, Agreement.GLUED)
    if (
        best.score < scores.phonetic
        and edit >= scores.phonetic_min_edit
        and min(len(query_token), len(list_token)) >= scores.phonetic_min_length
        and phonetic_key(query_token) == phonetic_key(list_token)
    ):
        best = TokenComparison(scores.phonetic, Agreement.PHONETIC)
    if best.score < scores.minimum:
        return TokenComparison(best.score, Agreement.NONE)
    return best


_DIFFERENT = TokenComparison(0.0, Agreement.NONE)
# A glued prefix adds letters, unless the rest is spelled otherwise (ELKADDAFI for QADHAFI): any
# difference in length may be one.
_GLUED_LENGTH_GAP = 1


def compare_many(
    query_token: str,
    list_tokens: Sequence[str],
    scores: TokenScores,
    *,
    allow_prefix: bool,
    folded_tokens: Sequence[str] | None = None,
    sound_tokens: Sequence[str] | None = None,
) -> list[TokenComparison]:
    """Compare a traveller's token with many listed tokens as compare_tokens would.

    Where tokens do not agree the result is NONE with score 0, not their distance. `folded_tokens`
    and `sound_tokens` are the listed tokens' folded forms and phonetic keys, if the caller keeps
    them.
    """
    found = [_DIFFERENT] * len(list_tokens)
    positions, comparisons = agreeing_many(
        query_token,
        list_tokens,
        scores,
        allow_prefix=allow_prefix,
        folded_tokens=folded_tokens,
        sound_tokens=sound_tokens,
    )
    for position, comparison in zip(positions, comparisons, strict=True):
        found[position] = comparison
    return found


def agreeing_many(
    query_token: str,
    list_tokens: Sequence[str],
    scores: TokenScores,
    *,
    allow_prefix: bool,
    folded_tokens: Sequence[str] | None = None,
    sound_tokens: Sequence[str] | None = None,
    glued: npt.NDArray[np.bool_] | None = None,
    equivalent: npt.NDArray[np.bool_] | None = None,
    first_letters: npt.NDArray[np.uint32] | None = None,
    keys_of: Callable[[int], RuleKeys] | None = None,
) -> tuple[list[int], list[TokenComparison]]:
    """Return the positions of the listed tokens that agree with a query token, and how.

    `equivalent` says, if the caller knows (from the blocking keys of equivalence_keys), which
    listed tokens may be one name with the query token by rule. `first_letters` (code points)
    and `keys_of` (a position's RuleKeys) are what the caller keeps of the listed tokens.

    The same comparisons as compare_tokens. Edit similarities (as spelled and folded) are
    computed in two vectorised passes; only pairs that may be a cut name or a glued prefix, or
    whose query token is a known name with variants, get the full one-by-one comparison.
    `glued` says, if the caller knows, which folded listed tokens split_glued would split.
    """
    count = len(list_tokens)
    if not count:
        return [], []
    if variant_group(query_token) is not None:
        if keys_of is None or folded_tokens is None:
            everything = [
                compare_tokens(query_token, t, scores, allow_prefix=allow_prefix)
                for t in list_tokens
            ]
        else:
            folded_query, query_keys = fold(query_token), rule_keys(query_token)
            everything = [
                _compare(
                    query_token,
                    t,
                    folded_query,
                    folded_tokens[i],
                    None,
                    scores,
                    allow_prefix,
                    (query_keys, keys_of(i)),
                )
                for i, t in enumerate(list_tokens)
            ]
        kept = [i for i, c in enumerate(everything) if c.agreement is not Agreement.NONE]
        return kept, [everything[i] for i in kept]
    if folded_tokens is None:
        folded_tokens = [fold(t) for t in list_tokens]
    folded_query = fold(query_token)
    raw = process.cdist(
        [query_token], list_tokens, scorer=OSA.normalized_similarity, dtype=np.float64
    )[0]
    folded = process.cdist(
        [folded_query], folded_tokens, scorer=OSA.normalized_similarity, dtype=np.float64
    )[0]
    edits = np.maximum(raw, folded)
    lengths = np.fromiter(map(len, list_tokens), np.int64, count)
    folded_lengths = np.fromiter(map(len, folded_tokens), np.int64, count)
    special = np.abs(folded_lengths - len(folded_query)) >= _GLUED_LENGTH_GAP
    if split_glued(folded_query) is None:
        if glued is not None:
            special &= glued
        else:
            for position in np.flatnonzero(special).tolist():
                special[position] = split_glued(folded_tokens[position]) is not None
    # Spellings that are one name by rule (equivalents) are compared one by one.
    if equivalent is not None:
        special |= equivalent
    elif _transliteration_key(query_token) is not None or given_name_groups(query_token):
        for position in np.flatnonzero(~special).tolist():
            special[position] = _equivalent(query_token, list_tokens[position], scores) is not None
    # An initial against a name it begins, either way round.
    if first_letters is None:
        first_letters = np.fromiter((ord(t[0]) for t in list_tokens), np.uint32, count)
    initial = first_letters == ord(query_token[0])
    initial &= (lengths == 1) | (len(query_token) == 1)
    special |= initial & (raw < 1.0)
    if allow_prefix:
        for position in np.flatnonzero(~special & (lengths > len(query_token))).tolist():
            special[position] = list_tokens[position].startswith(query_token)
    exact = raw == 1.0
    same_folded = (folded == 1.0) & ~exact
    long_enough = np.maximum(lengths, len(query_token)) >= scores.fuzzy_min_length
    score = np.where(long_enough, edits, 0.0)
    agree = exact | same_folded | (score >= scores.minimum)
    may_sound = (
        ~exact
        & ~same_folded
        & (score < scores.phonetic)
        & (edits >= scores.phonetic_min_edit)
        & (np.minimum(lengths, len(query_token)) >= scores.phonetic_min_length)
    )
    if may_sound.any():
        sound = phonetic_key(query_token)
        for position in np.flatnonzero(may_sound).tolist():
            listed_sound = (
                sound_tokens[position]
                if sound_tokens is not None
                else phonetic_key(list_tokens[position])
            )
            if listed_sound == sound:
                agree[position] = True
            else:
                may_sound[position] = False
    positions: list[int] = []
    comparisons: list[TokenComparison] = []
    plain = agree & ~special
    for position in np.flatnonzero(plain).tolist():
        if (
            not exact[position]
            and not same_folded[position]
            and nisba_of(query_token, list_tokens[position])
        ):
            continue
        positions.append(position)
        if exact[position]:
            comparisons.append(_EXACT if scores.exact == 1.0 else _exact(scores))
        elif same_folded[position]:
            comparisons.append(TokenComparison(scores.folded, Agreement.FOLDED))
        elif may_sound[position]:
            comparisons.append(TokenComparison(scores.phonetic, Agreement.PHONETIC))
        else:
            comparisons.append(TokenComparison(float(score[position]), Agreement.FUZZY))
    own_keys = rule_keys(query_token) if keys_of is not None else None
    for position in np.flatnonzero(special).tolist():
        comparison = _compare(
            query_token,
            list_tokens[position],
            folded_query,
            folded_tokens[position],
            float(edits[position]),
            scores,
            allow_prefix,
            None if keys_of is None or own_keys is None else (own_keys, keys_of(position)),
        )
        if comparison.agreement is not Agreement.NONE:
            positions.append(position)
            comparisons.append(comparison)
    return positions, comparisons


_EXACT = TokenComparison(1.0, Agreement.EXACT)


def _exact(scores: TokenScores) -> TokenComparison:
    return TokenComparison(scores.exact, Agreement.EXACT)


def _glued_score(
    query_token: str,
    list_token: str,
    scores: TokenScores,
    keys: tuple[RuleKeys, RuleKeys] | None = None,
) -> float:
    """Score two folded tokens one of which may carry a glued prefix (ELKADDAFI, KADAFI)."""
    best = 0.0
    sides = ((list_token, query_token), (query_token, list_token))
    for side, (whole, other) in enumerate(sides):
        parts = split_glued(whole)
        if parts is None:
            continue
        rest = parts[1]
        if rest == other:
            return scores.glued
        if _may_transliterate(rest, other) and _same_glued_key(rest, other, keys, side):
            # The article glued to another romanisation of the name (ELKADDAFI, QADHAFI).
            return scores.glued * scores.transliteration
        best = max(best, scores.glued * edit_similarity(rest, other))
    return best


def _same_glued_key(
    rest: str, other: str, keys: tuple[RuleKeys, RuleKeys] | None, side: int
) -> bool:
    """Tell whether a glued token's rest and the other folded token share a transliteration key.

    `side` 0: the listed token is the glued one; 1: the query token is.
    """
    if keys is None:
        key = _transliteration_key(rest)
        return key is not None and key == _transliteration_key(other)
    query, listed = keys
    glued, plain = (listed, query) if side == 0 else (query, listed)
    return bool(glued.glued_transliteration) and (
        glued.glued_transliteration == plain.folded_transliteration
    )


def joined_similarity(left: Sequence[str], right: Sequence[str]) -> float:
    """Return the edit similarity of two token runs written without spaces (ABDUL RAHMAN)."""
    return spelling_similarity("".join(left), "".join(right))


# Folding moves an edit similarity by a few letters at most: below this, as spelled, it cannot
# reach a join's or a merge's minimum folded either, and folding (a regex) is skipped.
_FOLD_WORTH = 0.75


def spelling_similarity(left: str, right: str) -> float:
    """Return the edit similarity of two spellings, as written or folded, whichever is higher."""
    raw = edit_similarity(left, right)
    if raw == 1.0 or raw < _FOLD_WORTH:
        return raw
    return max(raw, edit_similarity(fold(left), fold(right)))


class BruteForceScorer(StrEnum):
    """Whole-name rapidfuzz scorers used as baselines in benchmarks."""

    WRATIO = "WRatio"
    TOKEN_SORT_RATIO = "token_sort_ratio"


_SCORERS = {
    BruteForceScorer.WRATIO: fuzz.WRatio,
    BruteForceScorer.TOKEN_SORT_RATIO: fuzz.token_sort_ratio,
}


def brute_force(
    query: str, choices: Sequence[str], scorer: BruteForceScorer, cutoff: float
) -> list[tuple[int, float]]:
    """Return (index, score) of every choice scoring at least `cutoff`, best first."""
    found = process.extract(
        query, choices, scorer=_SCORERS[scorer], score_cutoff=cutoff, limit=None
    )
    return [(int(index), float(score)) for _choice, score, index in found]
