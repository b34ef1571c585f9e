"""Screen a traveller against a person index or a document against a document index.

A person's score is a name score, from an alignment of the traveller's name tokens with a listed
name's tokens, moved up or down by birth date, nationality and sex. Every feature is reported as
a Reason with its score and a human detail; the threshold and weights come from ScreeningConfig.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

import statecodes
from watchlists import doc9303
from watchlists.common_names import is_known_name
from watchlists.config import BirthDateScores, ScreeningConfig
from watchlists.distance import (
    Agreement,
    TokenComparison,
    joined_similarity,
    spelling_similarity,
    variant_group,
)
from watchlists.index import (
    DocumentIndex,
    EntryFacts,
    PersonIndex,
    document_kind,
    name_tokens,
    name_weight,
    sex_code,
)
from watchlists.models import BirthDate, Hit, ListKind, Reason
from watchlists.normalize import (
    is_honorific,
    is_particle,
    normalize_state,
    split_mrz_name,
    weighs_as_particle,
)
from watchlists.patronymics import is_patronymic
from watchlists.romanize import romanizations, script_of

# Two neighbouring tokens written together must agree at least this well to count as one.
_JOIN_MINIMUM = 0.9


@dataclass(frozen=True, slots=True)
class PersonQuery:
    """A traveller to screen: a whole name or surname and given names, plus supporting facts.

    `name` may be an MRZ name field ('SURNAME<<GIVEN<NAMES'). `truncated` says whether the name
    may have been cut to fit the MRZ; None means perhaps, so the last token may be a prefix.
    """

    name: str | None = None
    surname: str | None = None
    given_names: str | None = None
    birth_date: date | BirthDate | None = None
    nationality: str | None = None
    sex: str | None = None
    truncated: bool | None = None


@dataclass(slots=True)
class _QueryToken:
    text: str
    part: str
    particle: bool
    allow_prefix: bool
    weight: float = 1.0
    volume: int = 0
    agreeing: dict[int, TokenComparison] = field(default_factory=dict)
    # Whether the token is itself a name people bear (common_names.is_known_name).
    known: bool = False
    # Listed tokens this one may be written together with or apart from (RAMIMAKHLOUF holds
    # RAMI and MAKHLOUF; ABDUL with RAHMAN makes ABDULRAHMAN): they bring candidates and bound
    # scores, and are paired as a whole by _merge_leftovers, never one by one.
    parts: dict[int, TokenComparison] = field(default_factory=dict)
    # Listed tokens already compared with this one in full (_pair_leftovers), for this query.
    compared: dict[int, TokenComparison] = field(default_factory=dict)

    @property
    def may_stand_unpaired(self) -> bool:
        """Tell whether blocking may miss this token's partner (a cut MRZ name, an initial).

        Bounds of a name's score then count it neither matched nor missing.
        """
        return self.allow_prefix or len(self.text) == 1


@dataclass(frozen=True, slots=True)
class _Pair:
    query: int
    listed: int
    comparison: TokenComparison


@dataclass(frozen=True, slots=True)
class NameScore:
    """A name score in [0, 1] with the token pairs behind it."""

    score: float
    reasons: tuple[Reason, ...]


def query_tokens(query: PersonQuery) -> list[tuple[str, str]]:
    """Return the query's name tokens, each with its part (surname, given names, name)."""
    surname, given = query.surname, query.given_names
    if surname is None and given is None and query.name and "<<" in query.name:
        surname, given = split_mrz_name(query.name)
    if surname is not None or given is not None:
        return [(t, "surname") for t in name_tokens(surname or "")] + [
            (t, "given names") for t in name_tokens(given or "")
        ]
    return [(t, "name") for t in name_tokens(query.name or "")]


# ICAO Doc 9303: the name field holds 39 characters in TD3, 31 in TD2 and 30 in TD1; a name whose
# MRZ form is shorter than the shortest field cannot have been cut.
MRZ_SHORTEST_NAME_FIELD = 30


def mrz_name_length(tokens: list[tuple[str, str]]) -> int:
    """Return the length of the name written as an MRZ field ('SURNAME<<GIVEN<NAMES')."""
    surname = [t for t, part in tokens if part == "surname"]
    rest = [t for t, part in tokens if part != "surname"]
    length = sum(len(t) for t, _ in tokens) + max(0, len(tokens) - 1)
    return length + (1 if surname and rest else 0)


def screen_person(query: PersonQuery, index: PersonIndex, config: ScreeningConfig) -> list[Hit]:
    """Return the listed persons that match a traveller at or above the threshold, best first.

    A name written in another script than Latin is screened in each of its romanisations
    (romanize.romanizations) and, in Arabic script, as Doc 9303 writes it in the MRZ; each
    listed person keeps its best hit, with a reason that shows both spellings.
    """
    spellings = _romanized(query)
    if not spellings:
        return _screen_person(query, index, config)
    best: dict[str, Hit] = {}
    for spelled, shown in spellings:
        for found in _screen_person(spelled, index, config):
            spelling = Reason("script", found.reasons[0].score, shown)
            hit = found
            if spelling not in found.reasons:
                hit = dataclasses.replace(found, reasons=(*found.reasons, spelling))
            kept = best.get(hit.entry_id)
            if kept is None or (hit.possible, -hit.score) < (kept.possible, -kept.score):
                best[hit.entry_id] = hit
    hits = sorted(best.values(), key=lambda hit: (hit.possible, -hit.score, hit.entry_id))
    return hits[: config.max_hits]


def _romanized(query: PersonQuery) -> list[tuple[PersonQuery, str]]:
    """Return the query in each Latin spelling of its non-Latin parts, with how it was spelled.

    Empty when every part of the name is written in Latin letters.
    """
    parts = (query.name, query.surname, query.given_names)
    if all(part is None or part.isascii() or not _foreign(part) for part in parts):
        return []
    options = [_spelled(part) for part in parts]
    count = max(len(found) for found in options)
    spelled: list[tuple[PersonQuery, str]] = []
    original = " ".join(p for p in parts if p)
    for i in range(count):
        name, surname, given = (found[min(i, len(found) - 1)] for found in options)
        roman = " ".join(p for p in (name, surname, given) if p)
        changed = dataclasses.replace(query, name=name, surname=surname, given_names=given)
        spelled.append((changed, f"{original} ~ {roman}"))
    # A name in Arabic script is also read as the MRZ writes it (Doc 9303 Table C), which meets
    # every romanisation by its consonants: DJOUADI, UBAIDI and ANWARI, which no one spelling
    # made by rule reaches.
    written = [_written_arabic(part) for part in parts]
    if any(w is not None and w != part for w, part in zip(written, parts, strict=True)):
        name, surname, given = (
            w if w is not None else p for w, p in zip(written, parts, strict=True)
        )
        changed = dataclasses.replace(query, name=name, surname=surname, given_names=given)
        mrz = " ".join(p for p in (name, surname, given) if p)
        spelled.append((changed, f"{original} ~ {mrz} (Doc 9303)"))
    return spelled


def _written_arabic(part: str | None) -> str | None:
    """Return a part of a name in Arabic script as Doc 9303 writes it, else None."""
    if part is None or script_of(part) != "Arabic":
        return None
    return doc9303.write(part)


def _spelled(part: str | None) -> tuple[str | None, ...]:
    if part is None or not _foreign(part):
        return (part,)
    return romanizations(part) or (part,)


def _foreign(text: str) -> bool:
    """Tell whether a name is written in a script other than Latin."""
    return not text.isascii() and script_of(text) not in (None, "Latin")


def _screen_person(query: PersonQuery, index: PersonIndex, config: ScreeningConfig) -> list[Hit]:
    tokens = _prepare(query, index, config)
    if not any(not t.particle for t in tokens):
        return []
    candidates = _candidates(tokens, index, config)
    best: dict[int, tuple[float, int, _Alignment]] = {}
    for name_id in candidates:
        alignment = _align_name(tokens, index, name_id, config)
        if alignment is None:
            continue
        row = index.name_entry(name_id)
        if row not in best or alignment.score > best[row][0]:
            best[row] = (alignment.score, name_id, alignment)
    hits: list[Hit] = []
    lowest = _lowest_threshold(query, config)
    for row, (name_score, name_id, alignment) in best.items():
        if alignment.full_score + _max_support(config) < lowest and not _may_be_possible(
            name_score, config
        ):
            continue
        facts = index.entry_facts(row)
        evidence = _evidence(query, facts, config)
        threshold = config.threshold
        if _born_same_day(evidence, config):
            # Born the same day: a known name one letter off is likelier a typo than a namesake.
            name_score = alignment.full_score
        total = name_score + sum(adjust for adjust, _ in evidence)
        total = min(1.0, max(0.0, total))
        if total < threshold and _born_same_day(evidence, config):
            threshold = config.supported_name_threshold
        reasons = _name_reasons(tokens, alignment) + tuple(r for _, r in evidence)
        listed_text = index.name_text(name_id)
        if _foreign(listed_text):
            shown = f"{listed_text} ~ {' '.join(alignment.listed)}"
            reasons += (Reason("script", reasons[0].score, shown),)
        possible: Reason | None = None
        if total < threshold or name_score < min(threshold, config.supported_name_threshold):
            possible = _possible_match(name_score, threshold, evidence, config)
            if possible is None:
                continue
            reasons += (possible,)
        hits.append(
            Hit(
                list_name=index.list_name,
                entry_id=facts.entry_id,
                matched_name=index.name_text(name_id),
                score=round(total, 4),
                threshold=threshold,
                reasons=reasons,
                kind=ListKind.PERSON,
                category=facts.category,
                action=facts.action,
                list_version=index.version,
                possible=possible is not None,
            )
        )
    # A possible match never pushes a hit out of the first `max_hits`.
    hits.sort(key=lambda hit: (hit.possible, -hit.score, hit.entry_id))
    return hits[: config.max_hits]


def _may_be_possible(name_score: float, config: ScreeningConfig) -> bool:
    """Tell whether a name scores well enough alone to be a possible match."""
    return config.possible_match_floor is not None and name_score >= config.possible_match_floor


def _possible_match(
    name_score: float,
    threshold: float,
    evidence: list[tuple[float, Reason]],
    config: ScreeningConfig,
) -> Reason | None:
    """Return why a name under the threshold is a possible match, or None when it is not one.

    It is one when the name alone reaches the floor and it is contradicting facts that took the
    score under the threshold: with agreeing facts only it would have hit.
    """
    if not _may_be_possible(name_score, config):
        return None
    against = [reason for adjust, reason in evidence if adjust < 0]
    supported = name_score + sum(adjust for adjust, _ in evidence if adjust > 0)
    if not against or supported < threshold:
        return None
    differs = "; ".join(f"{reason.feature} differs: {reason.detail}" for reason in against)
    return Reason("possible match", round(name_score, 4), f"name matches; {differs}")


def _lowest_threshold(query: PersonQuery, config: ScreeningConfig) -> float:
    """Return the lowest final score that may still hit for this query."""
    if query.birth_date is None:
        return config.threshold
    return min(config.threshold, config.supported_name_threshold)


def _born_same_day(evidence: list[tuple[float, Reason]], config: ScreeningConfig) -> bool:
    """Tell whether the full birth date agrees with a listed one (or swaps day and month)."""
    return any(
        reason.feature == "birth date" and reason.score >= config.supported_birth_score
        for _, reason in evidence
    )


def _max_support(config: ScreeningConfig) -> float:
    return config.birth_date.support + config.nationality.support + config.sex.support


def _prepare(query: PersonQuery, index: PersonIndex, config: ScreeningConfig) -> list[_QueryToken]:
    pairs = query_tokens(query)
    tokens: list[_QueryToken] = []
    may_be_cut = query.truncated
    if may_be_cut is None:
        may_be_cut = mrz_name_length(pairs) >= MRZ_SHORTEST_NAME_FIELD
    written = doc9303.looks_transliterated([text for text, _ in pairs])
    if written:
        pairs = _doc9303_compounds(pairs)
    for position, (text, part) in enumerate(pairs):
        last = position == len(pairs) - 1
        tokens.append(
            _QueryToken(
                text=text,
                part=part,
                particle=weighs_as_particle(text) or (written and text in doc9303.PARTICLES),
                allow_prefix=last and may_be_cut,
            )
        )
    for token in tokens:
        if token.particle:
            token.weight = config.particle_weight
            continue
        token.agreeing = index.expand(token.text, config.tokens, allow_prefix=token.allow_prefix)
        if written:
            # A name in Doc 9303's Arabic letters (MXHMD) meets its romanisations (MUHAMMAD).
            found = index.expand_doc9303(token.text, config.tokens)
            if found:
                token.agreeing = _better_of(token.agreeing, found)
        token.known = is_known_name(token.text, variant_group(token.text))
        token.volume = sum(index.token_df(t) for t in token.agreeing)
        token.weight = name_weight(token.text, config)
    _find_parts(tokens, index, config)
    return tokens


def _better_of(
    first: dict[int, TokenComparison], second: dict[int, TokenComparison]
) -> dict[int, TokenComparison]:
    """Return the agreements of both, each listed token's at the better score."""
    merged = dict(first)
    for token_id, comparison in second.items():
        kept = merged.get(token_id)
        if kept is None or comparison.score > kept.score:
            merged[token_id] = comparison
    return merged


def _doc9303_compounds(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Join the compounds of a name in Doc 9303's Arabic letters, part by part (EBD ALLH)."""
    joined: list[tuple[str, str]] = []
    for part, group in itertools.groupby(pairs, key=lambda pair: pair[1]):
        joined += [(text, part) for text in doc9303.compounds([text for text, _ in group])]
    return joined


# A token written together with another is looked for only when it is at least this long.
_MERGE_MIN_LENGTH = 6
# Each part of a token written together has at least this many letters.
_PART_MIN_LENGTH = 2


def _find_parts(tokens: list[_QueryToken], index: PersonIndex, config: ScreeningConfig) -> None:
    """Note the listed tokens a query token may be written together with or apart from.

    A long token none of whose agreements is exact may be two listed tokens written together
    (RAMIMAKHLOUF); two neighbouring tokens may be one listed token written apart (MAKH LOUF).
    This only finds candidates: a name's score comes from its own tokens (_merge_leftovers).
    """
    merged = TokenComparison(config.tokens.merged, Agreement.MERGED)
    for token in tokens:
        if token.particle or len(token.text) < _MERGE_MIN_LENGTH:
            continue
        if any(c.agreement is Agreement.EXACT for c in token.agreeing.values()):
            continue
        text = token.text
        # A token that agrees with no listed token may be two written together with a typing
        # error in one of them; looking that up costs an expansion per cut, so only then.
        fuzzy = not token.agreeing
        for cut in range(_PART_MIN_LENGTH, len(text) - _PART_MIN_LENGTH + 1):
            # One part spelled as listed; the other as listed or with a typing error.
            for exact, other in ((text[:cut], text[cut:]), (text[cut:], text[:cut])):
                found = index.token_id(exact)
                if found is None:
                    continue
                others = (
                    index.expand(other, config.tokens, allow_prefix=False)
                    if fuzzy and len(other) >= config.tokens.fuzzy_min_length
                    else {}
                )
                exactly = index.token_id(other)
                ids = set(others) | ({exactly} if exactly is not None else set())
                if ids:
                    token.parts.setdefault(found, merged)
                    for part in ids:
                        token.parts.setdefault(part, merged)
    for first, second in itertools.pairwise(tokens):
        for joined in (first.text + second.text, second.text + first.text):
            whole = index.token_id(joined)
            if whole is not None and not first.particle:
                first.parts.setdefault(whole, merged)
    for token in tokens:
        token.volume += sum(index.token_df(t) for t in token.parts if t not in token.agreeing)


_TYPO_LIKE = (Agreement.FUZZY, Agreement.PHONETIC)


def _candidates(
    tokens: list[_QueryToken], index: PersonIndex, config: ScreeningConfig
) -> list[int]:
    """Gather names from the rarest tokens' postings first, then keep the best pre-scored ones."""
    core = sorted(
        (t for t in tokens if not t.particle and (t.agreeing or t.parts)), key=lambda t: t.volume
    )
    if not core:
        return []
    if len(core) > 1 and core[0].volume > config.gather_budget:
        names, gains = _common_pairs(core[0], core[1], index, config)
    else:
        found: list[tuple[npt.NDArray[np.uint32], float]] = []
        used = 0
        for token in core:
            if used + token.volume > config.gather_budget:
                break
            used += token.volume
            for token_id, comparison in (token.parts | token.agreeing).items():
                found.append((index.postings_array(token_id), token.weight * comparison.score))
        names, gains = _sum_by_name(found)
    # Ties (common names) go to the shorter names, which have fewer tokens left unmatched.
    ranked = gains - 0.01 * index.name_lengths(names)
    names, ranked = _best(names, ranked, config.bound_candidates)
    bounds = _score_bounds(tokens, index, names, config)
    hopeful = bounds >= _floor(config) - 1e-6
    # The names that may score best are aligned first, and only so many of them.
    names, bounds = _best(names[hopeful], bounds[hopeful], config.max_candidates)
    return [int(n) for n in names[np.argsort(-bounds, kind="stable")]]


def _best(
    names: npt.NDArray[np.intp], ranked: npt.NDArray[np.float64], count: int
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
    """Keep the `count` names ranked highest (in no particular order)."""
    if len(names) <= count:
        return names, ranked
    best = np.argpartition(-ranked, count - 1)[:count]
    return names[best], ranked[best]


# Query tokens past this many are not in the candidate bound's masks: they are never counted
# unmatched, so the bound only rises and stays a bound.
_MASK_BITS = 64

_NameGains = tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]


def _floor(config: ScreeningConfig) -> float:
    """Return the blocking-only score below which a name is not aligned in full."""
    lowest = min(config.threshold - _max_support(config), config.supported_name_threshold)
    if config.possible_match_floor is not None:
        lowest = min(lowest, config.possible_match_floor)
    return lowest - config.rescue_margin


def _score_bounds(
    tokens: list[_QueryToken],
    index: PersonIndex,
    names: npt.NDArray[np.intp],
    config: ScreeningConfig,
) -> npt.NDArray[np.float64]:
    """Bound from above, for many names at once, the score _quick_score would give each.

    A listed token no query token agrees with is surely unmatched, and so is a query token that
    agrees with none of a name's tokens; matched weight is at most each agreeable listed token
    paired with its heaviest agreeing query token. Names under the floor need no alignment.
    """
    if not len(names):
        return np.zeros(0, np.float64)
    held, surname, begins = index.names_tokens_and_surname(names)
    weights = index.token_weight_vector(config)[held].astype(np.float64)
    cut = config.cut_name_discount if tokens[-1].allow_prefix else 1.0
    penalty = np.where(
        surname, config.unmatched_list_surname_penalty, cut * config.unmatched_list_penalty
    )
    best_query_weight, agreeing_bits = _agreements(tokens, held)
    # Bit k of a name's mask: query token k agrees with one of the name's tokens.
    met_bits = np.bitwise_or.reduceat(agreeing_bits, begins)
    unmatched_query = np.zeros(len(names), np.float64)
    for k, token in enumerate(tokens[:_MASK_BITS]):
        if not token.may_stand_unpaired:
            met = (met_bits >> np.uint64(k)) & np.uint64(1)
            unmatched_query += np.where(met, 0.0, config.unmatched_query_penalty * token.weight)
    agreeable = best_query_weight > 0
    matched = np.add.reduceat(np.where(agreeable, (weights + best_query_weight) / 2, 0.0), begins)
    unmatched = np.add.reduceat(np.where(agreeable, 0.0, penalty * weights), begins)
    denominator = matched + unmatched + unmatched_query
    return np.divide(matched, denominator, out=np.zeros(len(names)), where=denominator > 0)


def _agreements(
    tokens: list[_QueryToken], held: npt.NDArray[np.uint32]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.uint64]]:
    """Return, per held listed token, the heaviest agreeing query token's weight and which agree.

    One lookup for all query tokens: their agreeing token ids merged into one sorted array, each
    with the bit mask of the query tokens that agree with it and the heaviest one's weight.
    """
    ids, bits, weights = [], [], []
    for k, token in enumerate(tokens):
        agreeing = token.parts | token.agreeing
        if agreeing:
            count = len(agreeing)
            ids.append(np.fromiter(agreeing, np.uint32, count))
            bits.append(np.full(count, 1 << k if k < _MASK_BITS else 0, np.uint64))
            weights.append(np.full(count, token.weight, np.float64))
    if not ids:
        return np.zeros(len(held), np.float64), np.zeros(len(held), np.uint64)
    merged = np.concatenate(ids)
    order = np.argsort(merged, kind="stable")
    merged = merged[order]
    starts = np.flatnonzero(np.r_[True, merged[1:] != merged[:-1]])
    distinct = merged[starts]
    masks = np.bitwise_or.reduceat(np.concatenate(bits)[order], starts)
    heaviest = np.maximum.reduceat(np.concatenate(weights)[order], starts)
    where = np.minimum(np.searchsorted(distinct, held), len(distinct) - 1)
    found = distinct[where] == held
    return np.where(found, heaviest[where], 0.0), np.where(found, masks[where], np.uint64(0))


def _sum_by_name(found: list[tuple[npt.NDArray[np.uint32], float]]) -> _NameGains:
    """Add up the gains of each name over postings that each bring one gain to all their names."""
    found = [(names, gain) for names, gain in found if len(names)]
    if not found:
        return np.zeros(0, np.intp), np.zeros(0, np.float64)
    names = np.concatenate([n for n, _ in found]).astype(np.intp)
    gains = np.repeat([g for _, g in found], [len(n) for n, _ in found])
    unique, inverse = np.unique(names, return_inverse=True)
    sums = np.bincount(inverse, weights=gains, minlength=len(unique))
    return unique, sums.astype(np.float64, copy=False)


def _max_by_name(names: npt.NDArray[np.intp], gains: npt.NDArray[np.float64]) -> _NameGains:
    """Keep each name once, with its best gain."""
    if not len(names):
        return names, gains
    order = np.lexsort((-gains, names))
    names, gains = names[order], gains[order]
    first = np.ones(len(names), bool)
    first[1:] = names[1:] != names[:-1]
    return names[first], gains[first]


def _with_partner(
    scan: dict[int, float], partners: dict[int, float], index: PersonIndex
) -> _NameGains:
    """Return the names holding a scanned token and a partner token, with both tokens' gains."""
    if not scan or not partners:
        return np.zeros(0, np.intp), np.zeros(0, np.float64)
    postings = [index.postings_array(t) for t in scan]
    names = np.concatenate(postings).astype(np.intp)
    if not len(names):
        return names, np.zeros(0, np.float64)
    own = np.repeat(list(scan.values()), [len(p) for p in postings])
    held, begins = index.names_tokens(names)
    partner_ids = np.array(sorted(partners), np.uint32)
    partner_gains = np.array([partners[t] for t in sorted(partners)], np.float64)
    where = np.minimum(np.searchsorted(partner_ids, held), len(partner_ids) - 1)
    gain = np.where(partner_ids[where] == held, partner_gains[where], 0.0)
    best = np.maximum.reduceat(gain, begins)
    keep = best > 0
    return names[keep], own[keep] + best[keep]


def _common_pairs(
    first: _QueryToken, second: _QueryToken, index: PersonIndex, config: ScreeningConfig
) -> _NameGains:
    """Every token is common (MOHAMMED ALI): take the names that hold the two rarest together."""
    floor = config.gather_min_score
    a_side = {t: c.score * first.weight for t, c in first.agreeing.items() if c.score >= floor}
    b_side = {t: c.score * second.weight for t, c in second.agreeing.items() if c.score >= floor}
    rare_a = {t: a_side[t] for t in _within_budget(first, a_side, index, config)}
    rare_b = {t: b_side[t] for t in _within_budget(second, b_side, index, config)}
    common_a = {t: g for t, g in a_side.items() if index.pair_postings(t, t) is not None}
    parts = [_with_partner(rare_a, b_side, index), _with_partner(rare_b, common_a, index)]
    for a, a_gain in common_a.items():
        for b, b_gain in b_side.items():
            if a == b:
                continue
            held = index.pair_postings(a, b)
            if held:
                names = np.frombuffer(held, np.uint32).astype(np.intp)
                parts.append((names, np.full(len(names), a_gain + b_gain)))
    return _max_by_name(
        np.concatenate([n for n, _ in parts]), np.concatenate([g for _, g in parts])
    )


def _within_budget(
    token: _QueryToken, side: dict[int, float], index: PersonIndex, config: ScreeningConfig
) -> list[int]:
    """Return a token's uncommon agreements, best first, while their names fit the budget."""
    rare = sorted(
        (t for t in side if index.pair_postings(t, t) is None),
        key=lambda t: -token.agreeing[t].score,
    )
    kept: list[int] = []
    volume = 0
    for token_id in rare:
        volume += index.token_df(token_id)
        if volume > config.gather_budget:
            break
        kept.append(token_id)
    return kept


@dataclass(frozen=True, slots=True)
class _Merge:
    """Tokens one side writes together and the other apart (RAMIMAKHLOUF, RAMI MAKHLOUF)."""

    query: tuple[int, ...]
    listed: tuple[int, ...]
    score: float


@dataclass(frozen=True, slots=True)
class _Alignment:
    listed: list[str]
    pairs: list[_Pair]
    joins: list[tuple[int | None, int | None, float]]
    # The name score, with a known name's typo-like agreements discounted.
    score: float
    # The name score with them counted in full: when the birthday agrees, a typo is likelier.
    full_score: float
    merges: list[_Merge] = field(default_factory=list)
    # The traveller's tokens a list left out of a name it gives whole (a patronymic), by kind.
    spare: dict[int, str] = field(default_factory=dict)
    # Whether the traveller's name is a short form of the listed one (its rest charged as one).
    short_form: bool = False


def score_name(
    tokens: list[_QueryToken], index: PersonIndex, name_id: int, config: ScreeningConfig
) -> NameScore | None:
    """Align the query's tokens with one listed name's tokens and score the alignment."""
    alignment = _align_name(tokens, index, name_id, config)
    if alignment is None:
        return None
    return NameScore(alignment.score, _name_reasons(tokens, alignment))


def _align_name(
    tokens: list[_QueryToken], index: PersonIndex, name_id: int, config: ScreeningConfig
) -> _Alignment | None:
    """Pair tokens on blocking agreements; compare the leftovers only if the name may still hit."""
    listed_ids = index.name_token_ids(name_id)
    all_weights = index.token_weights(config)
    surname = index.name_surname_flags(name_id)
    cut = config.cut_name_discount if tokens[-1].allow_prefix else 1.0
    penalties = [
        config.unmatched_list_surname_penalty if flag else cut * config.unmatched_list_penalty
        for flag in surname
    ]
    first_given = _first_given_position(surname, listed_ids, index)
    if first_given is not None:
        penalties[first_given] = max(penalties[first_given], config.unmatched_first_given_penalty)
    weights = [all_weights[t] for t in listed_ids]
    floor = _floor(config)
    if _quick_score(tokens, listed_ids, weights, penalties, config) < floor:
        return None
    options: list[_Pair] = []
    for q, token in enumerate(tokens):
        if token.particle:
            continue
        for position, token_id in enumerate(listed_ids):
            comparison = token.agreeing.get(token_id)
            if comparison is not None:
                options.append(_Pair(q, position, comparison))
    pairs = _greedy(options, set(), set())
    listed = [index.tokens[t] for t in listed_ids]
    pairs += _pair_leftovers(tokens, index, listed_ids, pairs, config)
    merges = _merge_leftovers(tokens, listed, pairs, config)
    joins = _join_leftovers(tokens, listed, pairs, merges)
    penalties = _second_surnames(surname, penalties, pairs, config)
    charged = penalties
    penalties = _short_form(tokens, listed, surname, first_given, weights, penalties, pairs, config)
    spare = _left_out_by_list(tokens, surname, first_given, weights, pairs, config)
    full_score = _weigh(
        tokens, weights, penalties, pairs, joins, config, merges=merges, spare=spare
    )
    if full_score < 0:
        return None
    score = full_score
    discounted = {i for i, pair in enumerate(pairs) if _namesake(tokens[pair.query], pair)}
    if discounted:
        score = _weigh(
            tokens,
            weights,
            penalties,
            pairs,
            joins,
            config,
            merges=merges,
            discounted=discounted,
            spare=spare,
        )
    short_form = penalties != charged
    return _Alignment(listed, pairs, joins, score, full_score, merges, spare, short_form)


def _second_surnames(
    surname: Sequence[int], penalties: list[float], pairs: list[_Pair], config: ScreeningConfig
) -> list[float]:
    """Charge a missing surname token as a middle name when another surname token is matched.

    Hispanic and Portuguese names carry two surnames and documents often show one: MADURO for
    MADURO MOROS (either one, as Portuguese names keep the father's last).
    """
    if sum(1 for flag in surname if flag) < 2:
        return penalties
    matched = {pair.listed for pair in pairs}
    if not any(surname[position] for position in matched):
        return penalties
    return [
        min(penalty, config.unmatched_second_surname_penalty)
        if surname[position] and position not in matched
        else penalty
        for position, penalty in enumerate(penalties)
    ]


def _short_form(
    tokens: list[_QueryToken],
    listed: list[str],
    surname: Sequence[int],
    first_given: int | None,
    weights: list[float],
    penalties: list[float],
    pairs: list[_Pair],
    config: ScreeningConfig,
) -> list[float]:
    """Charge the listed tokens a short form of the name leaves out as one missing middle name.

    A short form holds the first given name and the first surname, and nothing the listed name
    lacks, each spelled as listed or as a known variant (DANIEL MORA for MORA RICARDO, Daniel
    Alberto; AWAD, Kamal for AWAD, Kamal Abdelrahman Aref): how people write a Hispanic or a
    long name day to day, so the rest it leaves out costs what one middle name costs, however
    many tokens it has. It counts only when the two name someone on their own
    (`short_form_weight`): JUAN GARCIA names nobody. A list that marks no surname (the UN's
    FIRST_NAME, SECOND_NAME ...) writes a name in its own order: a short form then holds its
    first name and the second or the last (MUTASSIM QADHAFI for Mutassim Billah Abuminyar
    Qadhafi; PAUL MALONG for PAUL MALONG AWAN ANEI, a chain of father's and grandfather's names).
    """
    # Spelled as listed or as a known variant: a transliteration key also merges AMIR and AMMAR.
    whole = {p.query: p for p in pairs if p.comparison.score >= config.tokens.variant}
    if any(q not in whole for q, token in enumerate(tokens) if not token.particle):
        return penalties
    matched = {pair.listed for pair in whole.values()}
    if first_given is None:
        if any(surname) or len(matched) < 2:
            return penalties
        names = [
            i for i, text in enumerate(listed) if len(text) > 1 and not weighs_as_particle(text)
        ]
        # The first name and the father's (the second) or the family's (the last): a long name
        # holds many common names an innocent's may share (IBRAHIM SAEED SALEM AWAD ...).
        if not names or names[0] not in matched or not matched <= {*names[:2], names[-1]}:
            return penalties
    else:
        # The first surname, as Spanish names are shortened (LARA ALVAREZ is not ALVAREZ alone).
        first_surname = next(
            (i for i, flag in enumerate(surname) if flag and not is_particle(listed[i])), None
        )
        if first_given not in matched or first_surname not in matched:
            return penalties
    named = sum((tokens[p.query].weight + weights[p.listed]) / 2 for p in whole.values())
    if named < config.short_form_weight:
        return penalties
    rest = [position for position in range(len(weights)) if position not in matched]
    left_out = sum(weights[position] for position in rest)
    if not left_out:
        return penalties
    # Spread one middle name's cost (that of the heaviest left out) over the rest by weight.
    share = config.unmatched_list_penalty * max(weights[position] for position in rest) / left_out
    return [
        min(penalty, share) if position in rest else penalty
        for position, penalty in enumerate(penalties)
    ]


# What a list leaves out of a name it otherwise gives whole, shown in a hit's detail.
_PATRONYMIC = "patronymic"
_MIDDLE_NAME = "middle name"


def _left_out_by_list(
    tokens: list[_QueryToken],
    surname: Sequence[int],
    first_given: int | None,
    weights: list[float],
    pairs: list[_Pair],
    config: ScreeningConfig,
) -> dict[int, str]:
    """Return the traveller's tokens a list left out of a name it otherwise gives whole, by kind.

    The listed name must be a short form of the traveller's: every listed token matched whole,
    among them the listed first given name and a surname, naming someone on their own
    (`short_form_weight`); where the document says which is which, its first given name and a
    surname are among those matched. Lists often leave out a patronymic (MENYAILO, Sergei for
    MENYAILO, Sergei Ivanovich) or middle names (GILBOA, Joseph for GILBOA, Joseph Papzian),
    which then cost what one missing middle name costs, as the rest of a short form does on the
    list's side; middle names only when the document says which names are given and the listed
    ones, spelled as listed or as a known variant, weigh `middle_name_weight`. Any other token
    still costs in full: a second surname on the document (DELIC PETROVIC, Zoran for PETROVIC,
    Zoran) was measured to bring namesakes more often than the listed person
    (docs/benchmarks.md).
    """
    if first_given is None or not any(surname):
        return {}
    whole = [p for p in pairs if p.comparison.agreement is not Agreement.INITIAL]
    if len({p.listed for p in whole}) < len(weights):
        return {}
    named = sum((tokens[p.query].weight + weights[p.listed]) / 2 for p in whole)
    if named < config.short_form_weight:
        return {}
    matched = {p.query for p in whole}
    given = [q for q, t in enumerate(tokens) if t.part == "given names" and not t.particle]
    family = [q for q, t in enumerate(tokens) if t.part == "surname" and not t.particle]
    if (given and given[0] not in matched) or (family and not matched & set(family)):
        return {}
    left_out = {
        q: _PATRONYMIC
        for q, token in enumerate(tokens)
        if q not in matched and token.part != "surname" and is_patronymic(token.text)
    }
    # A middle name: one of the document's given names after its first, the listed name spelled
    # as listed or as a known variant (GILBOA, Joseph Papzian for GILBOA, Joseph).
    heavy = config.middle_name_weight is not None and named >= config.middle_name_weight
    if heavy and all(p.comparison.score >= config.tokens.variant for p in whole):
        for q in given[1:]:
            if q not in matched and q not in left_out:
                left_out[q] = _MIDDLE_NAME
    return left_out


def _namesake(token: _QueryToken, pair: _Pair) -> bool:
    """Tell whether a typo-like pair is more likely two names than one name mistyped.

    So it is when the traveller's token is itself a name people bear (GORAN against ZORAN): a
    typing error seldom lands on another real name. Fixed reference data decides, not the list.
    """
    return token.known and pair.comparison.agreement in _TYPO_LIKE


def _first_given_position(
    surname: Sequence[int], listed_ids: Sequence[int], index: PersonIndex
) -> int | None:
    """Return where a listed name's first given name stands, when the list says which is which.

    An honorific before it (HAJI, SEYED) is no given name: SHARIAT, Hossein is a short form of
    SHARIAT, Seyed Hossein.
    """
    if not any(surname):
        return None
    for position, flag in enumerate(surname):
        text = index.tokens[listed_ids[position]]
        if not flag and len(text) > 1 and not is_honorific(text):
            return position
    return None


def _quick_score(
    tokens: list[_QueryToken],
    listed_ids: Sequence[int],
    weights: list[float],
    penalties: list[float],
    config: ScreeningConfig,
) -> float:
    """Score a name on blocking agreements alone (a lower bound of the full score, cheaply)."""
    options: list[tuple[float, int, int]] = []
    for position, token_id in enumerate(listed_ids):
        for q, token in enumerate(tokens):
            comparison = token.agreeing.get(token_id) or token.parts.get(token_id)
            if comparison is not None:
                options.append((comparison.score, q, position))
    if not options:
        return 0.0
    options.sort(reverse=True)
    used_query: set[int] = set()
    used_listed: set[int] = set()
    numerator = denominator = 0.0
    for score, q, position in options:
        if q in used_query or position in used_listed:
            continue
        used_query.add(q)
        used_listed.add(position)
        weight = (tokens[q].weight + weights[position]) / 2
        numerator += weight * score
        denominator += weight
    for q, token in enumerate(tokens):
        if q not in used_query and not token.may_stand_unpaired:
            denominator += config.unmatched_query_penalty * token.weight
    for position, weight in enumerate(weights):
        if position not in used_listed:
            denominator += penalties[position] * weight
    return numerator / denominator


def _weigh(
    tokens: list[_QueryToken],
    weights: list[float],
    penalties: list[float],
    pairs: list[_Pair],
    joins: list[tuple[int | None, int | None, float]],
    config: ScreeningConfig,
    *,
    merges: Sequence[_Merge] = (),
    discounted: frozenset[int] | set[int] = frozenset(),
    spare: dict[int, str] | None = None,
) -> float:
    """Return matched weight over matched plus penalised unmatched weight; -1 if too little.

    The pairs at the positions in `discounted` count `known_name_typo_factor` of their score.
    """
    matched_query = {p.query for p in pairs}
    matched_listed = {p.listed for p in pairs}
    numerator = denominator = core_matched = 0.0
    for merge in merges:
        weight = (
            sum(tokens[q].weight for q in merge.query) + sum(weights[i] for i in merge.listed)
        ) / 2
        numerator += weight * merge.score
        denominator += weight
        core_matched += weight
        matched_query.update(merge.query)
        matched_listed.update(merge.listed)
    for position, pair in enumerate(pairs):
        initial = pair.comparison.agreement is Agreement.INITIAL
        if initial:
            # An initial says as little as the lighter of the two tokens, and never makes a
            # name by itself (M G is not MIN GAO).
            weight = min(tokens[pair.query].weight, weights[pair.listed])
        else:
            weight = (tokens[pair.query].weight + weights[pair.listed]) / 2
        score = pair.comparison.score
        if position in discounted:
            score *= config.known_name_typo_factor
        numerator += weight * score
        denominator += weight
        if not tokens[pair.query].particle and not initial:
            core_matched += weight
    for query_position, listed_position, similarity in joins:
        if query_position is not None:
            weight = tokens[query_position].weight
            matched_query.add(query_position)
        else:
            assert listed_position is not None
            weight = weights[listed_position]
            matched_listed.add(listed_position)
        numerator += weight * similarity
        denominator += weight
    core_query = sum(t.weight for t in tokens if not t.particle and len(t.text) > 1)
    if core_matched < min(config.min_matched_weight, 0.95 * core_query):
        return -1.0
    extra = config.unmatched_query_penalty
    if len(matched_listed) == len(weights) and sum(weights) >= config.covered_name_weight:
        # Every listed token is on the document, and they name someone on their own: a
        # document carries full names where a list often has only some (MARIN, Pedro Antonio
        # for MARIN MARIN, Pedro Antonio), so the document's other names cost less.
        extra = config.unmatched_extra_query_penalty
    left_out = 0.0
    for position, token in enumerate(tokens):
        # The last token of a name cut to fit the MRZ may be a fragment of anything.
        if position not in matched_query and not token.allow_prefix:
            if spare and position in spare:
                left_out = max(left_out, token.weight)
            else:
                denominator += extra * token.weight
    # What a list left out of a name it gives whole costs one middle name, as a short form's rest.
    denominator += config.unmatched_list_penalty * left_out
    for position, weight in enumerate(weights):
        if position not in matched_listed:
            denominator += penalties[position] * weight
    return numerator / denominator if denominator else 0.0


def _pair_leftovers(
    tokens: list[_QueryToken],
    index: PersonIndex,
    listed_ids: Sequence[int],
    pairs: list[_Pair],
    config: ScreeningConfig,
) -> list[_Pair]:
    """Compare tokens the blocking keys did not bring together (two typos, particles)."""
    used_query = {p.query for p in pairs}
    used_listed = {p.listed for p in pairs}
    extra: list[_Pair] = []
    for q, token in enumerate(tokens):
        if q in used_query:
            continue
        for position, token_id in enumerate(listed_ids):
            if position in used_listed:
                continue
            if token.particle and not is_honorific(token.text):
                if index.tokens[token_id] == token.text:
                    extra.append(_Pair(q, position, TokenComparison(1.0, Agreement.EXACT)))
                continue
            comparison = token.compared.get(token_id)
            if comparison is None:
                comparison = token.compared[token_id] = index.compare(
                    token.text, token_id, config.tokens, allow_prefix=token.allow_prefix
                )
            if comparison.agreement is not Agreement.NONE:
                extra.append(_Pair(q, position, comparison))
    return _greedy(extra, used_query, used_listed)


def _merge_leftovers(
    tokens: list[_QueryToken], listed: list[str], pairs: list[_Pair], config: ScreeningConfig
) -> list[_Merge]:
    """Pair a token left over on one side with two left over on the other, written together.

    RAMIMAKHLOUF against MAKHLOUF, RAMI (either order); MAKH LOUF against MAKHLOUF. Only the
    two names decide: the similarity of the one token to the other two joined, folded.
    """
    free_query = [
        q
        for q, token in enumerate(tokens)
        if not token.particle and q not in {p.query for p in pairs}
    ]
    free_listed = [i for i in range(len(listed)) if i not in {p.listed for p in pairs}]
    query_text = [token.text for token in tokens]
    merges: list[_Merge] = []
    for whole, two, query_side in (
        (free_query, free_listed, True),
        (free_listed, free_query, False),
    ):
        texts = listed if query_side else query_text
        for position in list(whole):
            one = (query_text if query_side else listed)[position]
            found = _written_together(one, two, texts, config)
            if found is None:
                continue
            score, first, second = found
            two.remove(first)
            two.remove(second)
            whole.remove(position)
            if query_side:
                merges.append(_Merge((position,), (first, second), score))
            else:
                merges.append(_Merge((first, second), (position,), score))
    return merges


def _written_together(
    one: str, candidates: list[int], texts: Sequence[str], config: ScreeningConfig
) -> tuple[float, int, int] | None:
    """Return the best two of `candidates` whose texts joined spell `one`, with the score."""
    if len(one) < _MERGE_MIN_LENGTH:
        return None
    if len(candidates) < 2:
        return None
    lengths = {position: len(texts[position]) for position in candidates}
    best: tuple[float, int, int] | None = None
    for first in candidates:
        for second in candidates:
            if first == second or abs(lengths[first] + lengths[second] - len(one)) > 2:
                continue
            similarity = spelling_similarity(one, texts[first] + texts[second])
            if similarity >= _JOIN_MINIMUM and (best is None or similarity > best[0]):
                best = (config.tokens.merged * similarity, first, second)
    return best


def _greedy(options: list[_Pair], used_query: set[int], used_listed: set[int]) -> list[_Pair]:
    chosen: list[_Pair] = []
    used_query, used_listed = set(used_query), set(used_listed)
    for pair in sorted(options, key=lambda p: -p.comparison.score):
        if pair.query in used_query or pair.listed in used_listed:
            continue
        used_query.add(pair.query)
        used_listed.add(pair.listed)
        chosen.append(pair)
    return chosen


def _join_leftovers(
    tokens: list[_QueryToken], listed: list[str], pairs: list[_Pair], merges: list[_Merge]
) -> list[tuple[int | None, int | None, float]]:
    """Let an unpaired token join a paired neighbour when the two are one word written apart."""
    matched_query = {p.query for p in pairs} | {q for m in merges for q in m.query}
    matched_listed = {p.listed for p in pairs} | {i for m in merges for i in m.listed}
    joins: list[tuple[int | None, int | None, float]] = []
    by_query = {p.query: p for p in pairs}
    by_listed = {p.listed: p for p in pairs}
    for q in range(len(tokens)):
        if q in matched_query:
            continue
        for neighbour in (q - 1, q + 1):
            pair = by_query.get(neighbour)
            if pair is None:
                continue
            run = [tokens[min(q, neighbour)].text, tokens[max(q, neighbour)].text]
            similarity = joined_similarity(run, [listed[pair.listed]])
            if similarity >= _JOIN_MINIMUM:
                joins.append((q, None, similarity))
                break
    for position in range(len(listed)):
        if position in matched_listed:
            continue
        for neighbour in (position - 1, position + 1):
            pair = by_listed.get(neighbour)
            if pair is None:
                continue
            run = [listed[min(position, neighbour)], listed[max(position, neighbour)]]
            similarity = joined_similarity([tokens[pair.query].text], run)
            if similarity >= _JOIN_MINIMUM:
                joins.append((None, position, similarity))
                break
    return joins


def _name_reasons(tokens: list[_QueryToken], alignment: _Alignment) -> tuple[Reason, ...]:
    listed, pairs, joins, score = (
        alignment.listed,
        alignment.pairs,
        alignment.joins,
        alignment.score,
    )
    details: dict[str, list[str]] = {}
    part_scores: dict[str, list[float]] = {}
    for pair in sorted(pairs, key=lambda p: p.query):
        token = tokens[pair.query]
        details.setdefault(token.part, []).append(
            pair.comparison.detail(token.text, listed[pair.listed])
        )
        part_scores.setdefault(token.part, []).append(pair.comparison.score)
    joined_query = {q for q, _, _ in joins if q is not None}
    joined_listed = {position for _, position, _ in joins if position is not None}
    for merge in alignment.merges:
        part = tokens[merge.query[0]].part
        written = " ".join(tokens[q].text for q in merge.query)
        apart = " ".join(listed[i] for i in merge.listed)
        details.setdefault(part, []).append(f"{written}~{apart} (written together)")
        part_scores.setdefault(part, []).append(merge.score)
        joined_query.update(merge.query)
        joined_listed.update(merge.listed)
    paired_query = {p.query for p in pairs}
    merged_query = {q for merge in alignment.merges for q in merge.query}
    for q, token in enumerate(tokens):
        if q in merged_query:
            continue
        if q in joined_query:
            details.setdefault(token.part, []).append(f"{token.text} (written together)")
        elif q in alignment.spare:
            shown = f"{token.text} ({alignment.spare[q]} not listed)"
            details.setdefault(token.part, []).append(shown)
            part_scores.setdefault(token.part, []).append(0.0)
        elif q not in paired_query:
            what = "honorific " if is_honorific(token.text) else ""
            details.setdefault(token.part, []).append(f"{token.text} ({what}not in listed name)")
            part_scores.setdefault(token.part, []).append(0.0)
    paired_listed = {p.listed for p in pairs}
    extra = [
        f"{text} (honorific)" if is_honorific(text) else text
        for position, text in enumerate(listed)
        if position not in paired_listed and position not in joined_listed
    ]
    reasons = [Reason("name", round(score, 4), _name_detail(details, extra, alignment.short_form))]
    if len(details) > 1 or "name" not in details:
        for part in ("surname", "given names"):
            if part in part_scores:
                part_score = sum(part_scores[part]) / len(part_scores[part])
                reasons.append(Reason(part, round(part_score, 4), ", ".join(details[part])))
    return tuple(reasons)


def _name_detail(details: dict[str, list[str]], extra: list[str], short_form: bool) -> str:
    shown = [item for part in details.values() for item in part]
    if extra:
        also = " ".join(extra)
        shown.append(f"short form of a name with {also}" if short_form else f"listed also {also}")
    return ", ".join(shown)


# -- supporting evidence --------------------------------------------------------------------


def _evidence(
    query: PersonQuery, facts: EntryFacts, config: ScreeningConfig
) -> list[tuple[float, Reason]]:
    found: list[tuple[float, Reason]] = []
    if query.birth_date is not None and facts.birth_dates:
        wanted = as_birth_date(query.birth_date)
        score, detail = max(
            (
                compare_birth_dates(wanted, listed, config.birth_date_scores)
                for listed in facts.birth_dates
            ),
            key=lambda found_pair: found_pair[0],
        )
        found.append((config.birth_date.adjustment(score), Reason("birth date", score, detail)))
    nationality = normalize_state(query.nationality)
    if nationality is not None and facts.nationalities:
        agrees = nationality in facts.nationalities
        score = 1.0 if agrees else 0.0
        mark = "in" if agrees else "not in"
        detail = f"{nationality} {mark} {', '.join(facts.nationalities)}"
        found.append((config.nationality.adjustment(score), Reason("nationality", score, detail)))
    sex = sex_code(query.sex)
    if sex and facts.sex:
        agrees = sex == sex_code(facts.sex)
        score = 1.0 if agrees else 0.0
        detail = f"{query.sex}{'=' if agrees else '≠'}{facts.sex}"
        found.append((config.sex.adjustment(score), Reason("sex", score, detail)))
    return found


def as_birth_date(value: date | BirthDate) -> BirthDate:
    """Return a traveller's birth date as a BirthDate (an exact date, or as partial as it came)."""
    if isinstance(value, BirthDate):
        return value
    return BirthDate(value.year, value.year, value.month, value.day)


def _show(value: BirthDate) -> str:
    if value.exact is not None:
        return value.exact.isoformat()
    years = (
        str(value.year_from)
        if value.year_from == value.year_to
        else (f"{value.year_from}–{value.year_to}")
    )
    if value.month and value.year_from == value.year_to:
        return f"{years}-{value.month:02d}"
    return years


def compare_birth_dates(
    query: BirthDate, listed: BirthDate, scores: BirthDateScores
) -> tuple[float, str]:
    """Score a traveller's birth date against a listed one, with a human detail."""
    shown = f"{_show(query)} vs {_show(listed)}"
    q_exact, l_exact = query.exact, listed.exact
    if q_exact is not None and l_exact is not None:
        if q_exact == l_exact:
            return scores.exact, f"{_show(query)}={_show(listed)}"
        if q_exact.year == l_exact.year:
            if q_exact.month == l_exact.day and q_exact.day == l_exact.month:
                return scores.swapped, f"{shown} (day and month swapped)"
            return scores.same_year, f"{shown} (same year)"
        if abs(q_exact.year - l_exact.year) == 1:
            return scores.near_year, f"{shown} (a year apart)"
        return scores.different, f"{shown} (different)"
    low = max(query.year_from, listed.year_from)
    high = min(query.year_to, listed.year_to)
    if low <= high:
        return scores.year_in_range, f"{shown} (year agrees)"
    gap = low - high
    if gap == 1:
        return scores.near_year, f"{shown} (a year apart)"
    return scores.different, f"{shown} (different)"


# -- documents --------------------------------------------------------------------------------

# A document number that agrees is a hit; an issuing state both sides give and agree on makes
# it a certain one (1.0). Where either side gives no state the hit is still shown, scored lower
# and saying which side gave none: a stolen passport must not hide behind a missing code.
DOCUMENT_THRESHOLD = 0.9
STATE_UNCONFIRMED_SCORE = 0.9
# The issuing state reason's own score when the states could not be compared.
_STATE_NOT_COMPARED = 0.5


def state_reason(read: str | None, listed: str | None) -> Reason | None:
    """Compare the state a document gives with the state a list gives; None when they differ.

    D and DEU, or RKS and UNK, are one state (statecodes.same_state). When either side gives
    no state the reason says so plainly, with a score below an agreement.
    """
    code = statecodes.to_code(read.replace("<", " ")) if read else None
    if code is not None and listed:
        if not statecodes.same_state(code, listed):
            return None
        return Reason("issuing state", 1.0, f"{code}={listed}")
    if listed:
        if read and read.strip("< "):
            detail = f"{read!r} is no known issuing state code; the list gives {listed}"
        else:
            detail = f"the document checked gives no issuing state; the list gives {listed}"
        return Reason("issuing state", _STATE_NOT_COMPARED, detail)
    if code is not None:
        detail = f"the list gives no issuing state; the document checked gives {code}"
    else:
        detail = "the list gives no issuing state, nor does the document checked"
    return Reason("issuing state", _STATE_NOT_COMPARED, detail)


def _document_score(state: Reason) -> float:
    return 1.0 if state.score == 1.0 else STATE_UNCONFIRMED_SCORE


def screen_document(
    number: str,
    issuing_state: str | None,
    document_type: str | None,
    index: DocumentIndex | PersonIndex,
) -> list[Hit]:
    """Return the listed documents, or listed persons holding one, with this number and state.

    When both the document and the list give an issuing state they must be the same state;
    when either gives none the hit stays, scored STATE_UNCONFIRMED_SCORE with a reason saying
    which. On a document list the type must agree too when both sides know it. On a person list
    the listed persons' own passports and identity cards are compared by number and issuing
    state only: lists name document kinds in free text ('Passport', 'Cedula No.'), so the kind
    is shown in the detail but never decides.
    """
    if isinstance(index, PersonIndex):
        return _screen_person_documents(number, issuing_state, index)
    kind = document_kind(document_type)
    hits: list[Hit] = []
    for record in index.lookup(number):
        state = state_reason(issuing_state, record.issuing_state or None)
        if state is None:
            continue
        if kind is not None and record.document_kind is not None and record.document_kind != kind:
            continue
        reasons = [Reason("document number", 1.0, f"{record.number}={record.number}"), state]
        if kind is not None and record.document_kind is not None:
            reasons.append(Reason("document type", 1.0, f"{kind}={record.document_kind}"))
        hits.append(
            Hit(
                list_name=index.list_name,
                entry_id=record.entry_id,
                matched_name=record.number,
                score=_document_score(state),
                threshold=DOCUMENT_THRESHOLD,
                reasons=tuple(reasons),
                kind=ListKind.DOCUMENT,
                category=record.status.value,
                action=record.action,
                list_version=index.version,
            )
        )
    return hits


def _screen_person_documents(
    number: str, issuing_state: str | None, index: PersonIndex
) -> list[Hit]:
    best: dict[int, Hit] = {}
    for document in index.lookup_documents(number):
        state = state_reason(issuing_state, document.issuing_state)
        if state is None:
            continue
        score = _document_score(state)
        if document.row in best and best[document.row].score >= score:
            continue
        facts = index.entry_facts(document.row)
        shown = f"{document.number}={document.number}"
        if document.kind:
            shown += f" ({document.kind})"
        best[document.row] = Hit(
            list_name=index.list_name,
            entry_id=facts.entry_id,
            matched_name=index.entry_name(document.row),
            score=score,
            threshold=DOCUMENT_THRESHOLD,
            reasons=(Reason("document number", 1.0, shown), state),
            kind=ListKind.PERSON,
            category=facts.category,
            action=facts.action,
            list_version=index.version,
        )
    return list(best.values())
