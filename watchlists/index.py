"""Blocking indexes built from one list version: person names by token keys, documents by number.

Both keep their data in flat arrays and byte blobs rather than one object per name or document,
so that a million persons or ten million documents fit in memory.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt

from watchlists import doc9303
from watchlists.common_names import commonness
from watchlists.config import ScreeningConfig, TokenScores
from watchlists.distance import (
    TRANSLITERATION_MIN_LENGTH,
    Agreement,
    RuleKeys,
    TokenComparison,
    agreeing_many,
    compare_kept,
    compute_rule_keys,
    equivalence_keys,
    phonetic_key,
    variant_group,
)
from watchlists.equivalents import compound_forms
from watchlists.models import BirthDate, DocumentEntry, DocumentStatus, EntryName, PersonEntry
from watchlists.normalize import (
    fold,
    normalize_document_number,
    normalize_state,
    split_glued,
    tokenize,
    weighs_as_particle,
)
from watchlists.romanize import romanizations, script_of


def name_tokens(text: str) -> tuple[str, ...]:
    """Return a name's tokens as screening compares them: Arabic compounds written as one."""
    return compound_forms(tokenize(text))


def _spellings(name: EntryName) -> Iterator[tuple[str, tuple[str, ...], frozenset[str]]]:
    """Yield the forms a listed name is indexed under: (text shown, tokens, surname tokens).

    As written (a name in another script in each of its romanisations), and with Arabic
    compounds joined (ABD AL RAHMAN as ABDALRAHMAN), so that a traveller's name meets it either
    way: a document may carry the compound whole, or only one part of it.
    """
    family = _latin(name.family) if name.family else ()
    surname = frozenset(t for spelled in family for t in tokenize(spelled))
    joined_surname = frozenset(t for spelled in family for t in name_tokens(spelled))
    for spelled in _latin(name.full):
        plain = tokenize(spelled)
        yield name.full, plain, surname
        joined = compound_forms(plain)
        if joined != plain:
            yield name.full, joined, joined_surname


def _latin(text: str) -> tuple[str, ...]:
    """Return a name's Latin spellings: itself, or its romanisations if written in another script.

    The romanisations follow each script's standard (romanize.STANDARDS); a script with no
    romaniser keeps the name as written, and tokenize transliterates it letter by letter.
    """
    if text.isascii() or script_of(text) in (None, "Latin"):
        return (text,)
    return romanizations(text) or (text,)


# Shortest folded token that also gets one-deletion keys; shorter ones match exactly or by sound.
_DELETION_MIN_LENGTH = 4
# Shortest query token that may be a truncated MRZ token's start, looked up among longer tokens.
_PREFIX_KEY_LENGTH = 4
# Distinct query tokens whose expansion (agreeing listed tokens) is kept: travellers' names repeat.
_EXPAND_CACHE_SIZE = 65_536
# Sorts after any character a token may continue with.
_LAST_CHARACTER = "\U0010ffff"
# Tokens in at least this many names are "common": names holding two of them are also indexed by
# the pair, so that a traveller called MOHAMMED ALI is met with the names holding both, at once.
PAIR_MIN_DF = 2000


class _Blob:
    """Many strings in one UTF-8 byte array with an offset table."""

    __slots__ = ("_data", "_offsets")

    def __init__(self) -> None:
        self._data = bytearray()
        self._offsets = array("Q", [0])

    def append(self, text: str) -> int:
        self._data += text.encode("utf-8")
        self._offsets.append(len(self._data))
        return len(self._offsets) - 2

    def __getitem__(self, index: int) -> str:
        return self._data[self._offsets[index] : self._offsets[index + 1]].decode("utf-8")

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def nbytes(self) -> int:
        return len(self._data) + self._offsets.itemsize * len(self._offsets)


class _Interned:
    """A small table of repeated strings (categories, states) addressed by number."""

    __slots__ = ("_ids", "values")

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self.values: list[str] = []

    def id_of(self, value: str) -> int:
        found = self._ids.get(value)
        if found is None:
            found = self._ids[value] = len(self.values)
            self.values.append(value)
        return found


class _KeyTable:
    """Blocking keys to token ids: (key hash, token id) pairs collected, then sorted by hash.

    Two flat arrays instead of a dictionary of a million keys. Keys are hashed with Python's own
    string hash, stable within the process that holds the index; a collision only brings an extra
    candidate token, which screening compares and drops like any other.
    """

    __slots__ = ("_hashes", "_sorted_hashes", "_sorted_tokens", "_tokens")

    def __init__(self) -> None:
        self._hashes = array("q")
        self._tokens = array("I")
        self._sorted_hashes: npt.NDArray[np.int64] = np.zeros(0, np.int64)
        self._sorted_tokens: npt.NDArray[np.uint32] = np.zeros(0, np.uint32)

    def add(self, keys: Iterable[str], token_id: int) -> None:
        """Record that a token carries these keys."""
        before = len(self._hashes)
        self._hashes.extend(map(hash, keys))
        self._tokens.extend(repeat(token_id, len(self._hashes) - before))

    def seal(self) -> None:
        """Sort the pairs by key hash for lookups; no keys are added afterwards."""
        hashes = np.frombuffer(self._hashes, np.int64)
        order = np.argsort(hashes, kind="stable")
        self._sorted_hashes = hashes[order]
        self._sorted_tokens = np.frombuffer(self._tokens, np.uint32)[order]
        self._hashes, self._tokens = array("q"), array("I")

    def tokens_of(self, keys: Iterable[str]) -> set[int]:
        """Return the ids of the tokens that carry any of these keys."""
        return set(self.token_array(keys).tolist())

    def token_array(self, keys: Iterable[str]) -> npt.NDArray[np.uint32]:
        """Return the ids of the tokens that carry any of these keys, ascending, each once."""
        wanted = np.fromiter(map(hash, keys), np.int64)
        low = np.searchsorted(self._sorted_hashes, wanted, "left")
        high = np.searchsorted(self._sorted_hashes, wanted, "right")
        spans = [
            self._sorted_tokens[start:end]
            for start, end in zip(low.tolist(), high.tolist(), strict=True)
            if end > start
        ]
        if not spans:
            return np.zeros(0, np.uint32)
        return np.unique(np.concatenate(spans))

    def nbytes(self) -> int:
        """Return the bytes held by the sorted arrays."""
        return int(self._sorted_hashes.nbytes + self._sorted_tokens.nbytes)


def token_keys(token: str) -> set[str]:
    """Return a token's blocking keys: folded form, one-deletions, sound, variant, glued rest."""
    folded = fold(token)
    keys = {folded}
    if len(folded) >= _DELETION_MIN_LENGTH:
        keys.update(folded[:i] + folded[i + 1 :] for i in range(len(folded)))
    keys.add("M:" + phonetic_key(token))
    group = variant_group(token)
    if group is not None:
        keys.add("V:" + group)
    glued = split_glued(folded)
    if glued is not None:
        keys.add(glued[1])
    return keys | equivalence_keys(token)


_SEX_CODES = {"M": 1, "F": 2, "X": 3}
_SEX_NAMES = {1: "M", 2: "F", 3: "X"}


def sex_code(sex: str | None) -> int:
    """Return 1, 2, 3 for M, F, X (male, female, female/male words accepted) and 0 for unknown."""
    if not sex:
        return 0
    letter = sex.strip().upper()[:1]
    return _SEX_CODES.get(letter, 0)


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """What the index keeps of a listed person for evidence and for the hit."""

    entry_id: str
    birth_dates: tuple[BirthDate, ...]
    nationalities: tuple[str, ...]
    sex: str | None
    category: str
    action: str


@dataclass(frozen=True, slots=True)
class PersonDocument:
    """An identity document a listed person is known to hold; `row` is the person's entry row."""

    row: int
    number: str
    issuing_state: str | None
    kind: str | None


class PersonIndex:
    """Names of one list version, blocked by token keys (folded, one-deletion, sound, variant)."""

    def __init__(self, list_name: str, version: int, pair_min_df: int = PAIR_MIN_DF) -> None:
        self.list_name = list_name
        self.version = version
        self.pair_min_df = pair_min_df
        self._pairs: dict[int, array[int]] = {}
        self.tokens: list[str] = []
        self._folded: list[str] = []
        self._sounds: list[str] = []
        self._sound_codes: dict[str, str] = {}
        self._token_ids: dict[str, int] = {}
        self._keys = _KeyTable()
        self._token_df = array("I")
        self._token_particle = bytearray()
        self._name_tokens = array("I")
        self._name_surname = bytearray()
        self._name_starts = array("Q", [0])
        self._name_entry = array("I")
        self._name_text = _Blob()
        self._post_starts = array("Q")
        self._postings = array("I")
        self._entry_ids = _Blob()
        self._entry_dates = array("h")
        self._entry_date_starts = array("Q", [0])
        self._entry_nat = array("H")
        self._entry_nat_starts = array("Q", [0])
        self._entry_sex = bytearray()
        self._entry_category = array("H")
        self._entry_action = array("H")
        self._states = _Interned()
        self._labels = _Interned()
        self._weights: dict[tuple[float, float, tuple[float, float, float]], array[float]] = {}
        self._entry_first_name = array("I")
        self._doc_numbers = _Blob()
        self._doc_entry = array("I")
        self._doc_states = array("H")
        self._doc_kinds = array("H")
        self._doc_hashes = array("Q")
        self._doc_table = _NumberTable(array("Q"))
        self._expanded: dict[tuple[str, bool, TokenScores], dict[int, TokenComparison]] = {}
        self._np_postings: npt.NDArray[np.uint32] = np.zeros(0, np.uint32)
        self._np_name_tokens: npt.NDArray[np.uint32] = np.zeros(0, np.uint32)
        self._np_name_surname: npt.NDArray[np.uint8] = np.zeros(0, np.uint8)
        self._np_name_starts: npt.NDArray[np.int64] = np.zeros(1, np.int64)
        # Tokens, folded forms and sounds as object arrays, and which folded tokens start with
        # a glued prefix: an expansion gathers its neighbours with one take, not a loop.
        self._np_tokens: npt.NDArray[np.object_] = np.zeros(0, object)
        self._np_folded: npt.NDArray[np.object_] = np.zeros(0, object)
        self._np_sounds: npt.NDArray[np.object_] = np.zeros(0, object)
        self._np_glued: npt.NDArray[np.bool_] = np.zeros(0, bool)
        # What rule-based comparisons need of each token (distance.RuleKeys), kept so that no
        # query recomputes a listed token's transliteration key: hashes of its key and of its
        # glued rest's key, hypocorism groups of the few tokens that have any, first letters.
        self._transliterations = array("q")
        self._glued_transliterations = array("q")
        self._groups: dict[int, frozenset[int]] = {}
        self._np_first: npt.NDArray[np.uint32] = np.zeros(0, np.uint32)
        self._spelled: list[str] = []
        self._spelled_ids: npt.NDArray[np.uint32] = np.zeros(0, np.uint32)

    @classmethod
    def build(
        cls,
        list_name: str,
        version: int,
        entries: Iterable[PersonEntry],
        *,
        pair_min_df: int = PAIR_MIN_DF,
    ) -> PersonIndex:
        """Build the index from one list version's persons."""
        index = cls(list_name, version, pair_min_df)
        for entry in entries:
            index._add_entry(entry)
        index._keys.seal()
        index._build_postings()
        index._build_pairs()
        index._doc_table = _NumberTable(index._doc_hashes)
        index._doc_hashes = array("Q")
        # Zero-copy views for vectorised candidate gathering in screening.
        index._np_postings = np.frombuffer(index._postings, np.uint32)
        index._np_name_tokens = np.frombuffer(index._name_tokens, np.uint32)
        index._np_name_surname = np.frombuffer(index._name_surname, np.uint8)
        index._np_name_starts = np.frombuffer(index._name_starts, np.uint64).astype(np.int64)
        index._prepare_token_arrays()
        return index

    def _extensions(self, token: str) -> npt.NDArray[np.uint32]:
        """Return the ids of the listed tokens that start with `token` (its full forms if cut)."""
        low = bisect.bisect_left(self._spelled, token)
        high = bisect.bisect_left(self._spelled, token + _LAST_CHARACTER, low)
        return np.sort(self._spelled_ids[low:high])

    def _prepare_token_arrays(self) -> None:
        # Tokens in spelling order: those that start with a cut token are one contiguous run.
        order = np.argsort(np.array(self.tokens, dtype=object), kind="stable")
        self._spelled = [self.tokens[i] for i in order.tolist()]
        self._spelled_ids = order.astype(np.uint32)
        self._np_tokens = np.array(self.tokens, dtype=object)
        self._np_folded = np.array(self._folded, dtype=object)
        self._np_sounds = np.array(self._sounds, dtype=object)
        self._np_glued = np.fromiter(
            (split_glued(folded) is not None for folded in self._folded), bool, len(self._folded)
        )
        self._np_first = np.fromiter(
            (ord(token[0]) for token in self.tokens), np.uint32, len(self.tokens)
        )

    # -- building -------------------------------------------------------------------------

    def _add_entry(self, entry: PersonEntry) -> None:
        row = self._entry_ids.append(entry.entry_id)
        for birth in entry.birth_dates:
            self._entry_dates.extend(
                (birth.year_from, birth.year_to, birth.month or 0, birth.day or 0)
            )
        self._entry_date_starts.append(len(self._entry_dates))
        for nationality in entry.nationalities:
            state = normalize_state(nationality)
            if state is not None:
                self._entry_nat.append(self._states.id_of(state))
        self._entry_nat_starts.append(len(self._entry_nat))
        self._entry_sex.append(sex_code(entry.sex))
        self._entry_category.append(self._labels.id_of(entry.category))
        self._entry_action.append(self._labels.id_of(entry.action))
        self._entry_first_name.append(len(self._name_entry))
        self._add_documents(row, entry)
        seen: set[tuple[str, ...]] = set()
        for name in entry.names:
            for text, tokens, surname in _spellings(name):
                # Screening ignores token order, so a reordered spelling adds nothing.
                order_free = tuple(sorted(tokens))
                if not tokens or order_free in seen:
                    continue
                seen.add(order_free)
                self._add_name(row, text, tokens, surname)

    def _add_documents(self, row: int, entry: PersonEntry) -> None:
        added: set[tuple[str, str]] = set()
        for document in entry.documents:
            number = normalize_document_number(document.number)
            state = normalize_state(document.issuing_state) or ""
            if not number or (number, state) in added:
                continue
            added.add((number, state))
            self._doc_numbers.append(number)
            self._doc_entry.append(row)
            self._doc_states.append(self._states.id_of(state))
            self._doc_kinds.append(self._labels.id_of(document.kind or ""))
            self._doc_hashes.append(number_hash(number))

    def _add_name(
        self, row: int, text: str, tokens: tuple[str, ...], surname: frozenset[str]
    ) -> None:
        self._name_text.append(text)
        self._name_entry.append(row)
        token_ids = self._token_ids
        counted: set[int] = set()
        for token in tokens:
            token_id = token_ids.get(token)
            if token_id is None:
                token_id = self._add_token(token)
            self._name_tokens.append(token_id)
            self._name_surname.append(token in surname)
            if token_id not in counted:
                counted.add(token_id)
                self._token_df[token_id] += 1
        self._name_starts.append(len(self._name_tokens))

    def _add_token(self, token: str) -> int:
        token_id = len(self.tokens)
        self.tokens.append(token)
        self._folded.append(fold(token))
        sound = phonetic_key(token)
        self._sounds.append(self._sound_codes.setdefault(sound, sound))
        self._token_ids[token] = token_id
        self._token_df.append(0)
        self._token_particle.append(1 if weighs_as_particle(token) else 0)
        keys = token_keys(token)
        # Only a query in Doc 9303's Arabic letters looks this key up (expand_doc9303).
        written = doc9303.listed_key(token)
        if written is not None:
            keys.add(written)
        self._keys.add(keys, token_id)
        kept = compute_rule_keys(token)
        self._transliterations.append(kept.transliteration)
        self._glued_transliterations.append(kept.glued_transliteration)
        if kept.groups:
            self._groups[token_id] = kept.groups
        return token_id

    def rule_keys(self, token_id: int) -> RuleKeys:
        """Return a listed token's RuleKeys from what the index keeps."""
        key = self._transliterations[token_id]
        return RuleKeys(
            transliteration=key,
            folded_transliteration=(
                key if len(self._folded[token_id]) >= TRANSLITERATION_MIN_LENGTH else 0
            ),
            glued_transliteration=self._glued_transliterations[token_id],
            groups=self._groups.get(token_id, frozenset()),
        )

    def compare(
        self, token: str, token_id: int, scores: TokenScores, *, allow_prefix: bool
    ) -> TokenComparison:
        """Compare a query token with a listed token as distance.compare_tokens does."""
        return compare_kept(
            token,
            self.tokens[token_id],
            self._folded[token_id],
            self.rule_keys(token_id),
            scores,
            allow_prefix=allow_prefix,
        )

    def _build_postings(self) -> None:
        """Invert name → tokens into token → names, one array ordered by token, then name."""
        token_of, name_of = self._distinct_token_names()
        counts = np.bincount(token_of, minlength=len(self.tokens))
        starts = np.zeros(len(self.tokens) + 1, np.uint64)
        np.cumsum(counts, out=starts[1:])
        self._post_starts = _as_array("Q", starts)
        self._postings = _as_array("I", name_of.astype(np.uint32))

    def _distinct_token_names(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Return (token, name) once per token a name holds, ordered by token, then name."""
        names = max(1, len(self._name_entry))
        tokens = np.frombuffer(self._name_tokens, np.uint32).astype(np.int64)
        starts: npt.NDArray[np.int64] = np.frombuffer(self._name_starts, np.uint64).astype(np.int64)
        lengths = starts[1:] - starts[:-1]
        owners = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        both = np.sort(tokens * names + owners)
        distinct = np.ones(len(both), bool)
        distinct[1:] = both[1:] != both[:-1]
        both = both[distinct]
        return both // names, both % names

    def _build_pairs(self) -> None:
        """Index names by each pair of common tokens they hold."""
        common = np.frombuffer(self._token_df, np.uint32) >= self.pair_min_df
        if not common.any():
            return
        names = np.frombuffer(self._postings, np.uint32).astype(np.int64)
        starts: npt.NDArray[np.int64] = np.frombuffer(self._post_starts, np.uint64).astype(np.int64)
        tokens = np.repeat(np.arange(len(self.tokens), dtype=np.int64), starts[1:] - starts[:-1])
        held = common[tokens]
        tokens, names = tokens[held], names[held]
        order = np.lexsort((tokens, names))
        tokens, names = tokens[order], names[order]
        per_name = np.bincount(names, minlength=max(1, len(self._name_entry)))
        keys: list[npt.NDArray[np.int64]] = []
        holders: list[npt.NDArray[np.int64]] = []
        # A name's common tokens are consecutive and ascending; each pair (i < j) is one key.
        for gap in range(1, int(per_name.max(initial=0))):
            same = names[gap:] == names[:-gap]
            keys.append((tokens[:-gap][same] << 32) | tokens[gap:][same])
            holders.append(names[:-gap][same])
        if not keys:
            return
        pair_keys, pair_names = np.concatenate(keys), np.concatenate(holders)
        order = np.lexsort((pair_names, pair_keys))
        pair_keys, pair_names = pair_keys[order], pair_names[order]
        distinct, first = np.unique(pair_keys, return_index=True)
        bounds = [*first.tolist(), len(pair_keys)]
        self._pairs = {
            int(key): _as_array("I", pair_names[bounds[i] : bounds[i + 1]].astype(np.uint32))
            for i, key in enumerate(distinct.tolist())
        }

    # -- reading --------------------------------------------------------------------------

    @property
    def name_count(self) -> int:
        """Return how many distinct names the index holds."""
        return len(self._name_entry)

    @property
    def entry_count(self) -> int:
        """Return how many listed persons the index holds."""
        return len(self._entry_ids)

    def nbytes(self) -> int:
        """Return an estimate of the bytes held by the flat arrays (dictionaries excluded)."""
        arrays = (
            self._token_df,
            self._name_tokens,
            self._name_starts,
            self._name_entry,
            self._post_starts,
            self._postings,
            self._entry_dates,
            self._entry_date_starts,
            self._entry_nat,
            self._entry_nat_starts,
            self._entry_category,
            self._entry_action,
            self._entry_first_name,
            self._doc_entry,
            self._doc_states,
            self._doc_kinds,
        )
        total = sum(a.itemsize * len(a) for a in arrays)
        total += len(self._name_surname) + len(self._entry_sex)
        total += self._doc_numbers.nbytes() + self._doc_table.nbytes()
        total += self._keys.nbytes() + self._spelled_ids.nbytes + 8 * len(self._spelled)
        total += 8 * (len(self._transliterations) + len(self._glued_transliterations))
        total += self._np_first.nbytes
        return total + self._name_text.nbytes() + self._entry_ids.nbytes()

    def token_id(self, token: str) -> int | None:
        """Return the id of a listed token spelled exactly so, or None."""
        return self._token_ids.get(token)

    def token_df(self, token_id: int) -> int:
        """Return how many names contain a token."""
        return self._token_df[token_id]

    def token_weight(self, token_id: int, config: ScreeningConfig) -> float:
        """Return a token's weight: low for particles and common tokens, 1 for rare ones."""
        return self.token_weights(config)[token_id]

    def token_weights(self, config: ScreeningConfig) -> array[float]:
        """Return every token's weight under `config`, computed once per weighting."""
        settings = (config.particle_weight, config.initial_weight, config.common_token_weights)
        cached = self._weights.get(settings)
        if cached is None or len(cached) != len(self.tokens):
            cached = array(
                "f",
                (
                    config.particle_weight if particle else name_weight(token, config)
                    for particle, token in zip(self._token_particle, self.tokens, strict=True)
                ),
            )
            self._weights[settings] = cached
        return cached

    def expand(
        self, token: str, scores: TokenScores, *, allow_prefix: bool
    ) -> dict[int, TokenComparison]:
        """Return the listed tokens that agree with a query token, with how they agree."""
        cache_key = (token, allow_prefix, scores)
        found = self._expanded.get(cache_key)
        if found is None:
            found = self._expand(token, scores, allow_prefix=allow_prefix)
            if len(self._expanded) >= _EXPAND_CACHE_SIZE:
                # Emptied at once rather than evicted one by one: a single dict operation, so
                # threads screening against the same index never see it mid-change.
                self._expanded.clear()
            self._expanded[cache_key] = found
        return found

    def _expand(
        self, token: str, scores: TokenScores, *, allow_prefix: bool
    ) -> dict[int, TokenComparison]:
        ordered = self._keys.token_array(token_keys(token))
        if allow_prefix and len(token) >= _PREFIX_KEY_LENGTH:
            ordered = np.union1d(ordered, self._extensions(token))
        positions, compared = agreeing_many(
            token,
            self._np_tokens[ordered].tolist(),
            scores,
            allow_prefix=allow_prefix,
            folded_tokens=self._np_folded[ordered].tolist(),
            sound_tokens=self._np_sounds[ordered].tolist(),
            glued=self._np_glued[ordered],
            equivalent=np.isin(ordered, self._keys.token_array(equivalence_keys(token))),
            first_letters=self._np_first[ordered],
            keys_of=lambda position: self.rule_keys(int(ordered[position])),
        )
        ids = ordered[positions].tolist()
        return dict(sorted(zip(ids, compared, strict=True)))

    def expand_doc9303(self, token: str, scores: TokenScores) -> dict[int, TokenComparison]:
        """Return the listed tokens one Arabic name with a token in Doc 9303's letters."""
        cache_key = ("doc9303:" + token, False, scores)
        found = self._expanded.get(cache_key)
        if found is None:
            agreeing = TokenComparison(scores.transliteration, Agreement.TRANSLITERATION)
            found = {
                token_id: agreeing
                for token_id in self._keys.token_array(doc9303.query_keys(token)).tolist()
                if doc9303.agrees(token, self.tokens[token_id])
            }
            if len(self._expanded) >= _EXPAND_CACHE_SIZE:
                self._expanded.clear()
            self._expanded[cache_key] = found
        return found

    def postings_array(self, token_id: int) -> npt.NDArray[np.uint32]:
        """Return the ids of the names that contain a token, as a read-only numpy view."""
        return self._np_postings[self._post_starts[token_id] : self._post_starts[token_id + 1]]

    def name_lengths(self, name_ids: npt.NDArray[np.intp]) -> npt.NDArray[np.int64]:
        """Return how many tokens each of some names has."""
        starts = self._np_name_starts
        return starts[name_ids + 1] - starts[name_ids]

    def names_tokens(
        self, name_ids: npt.NDArray[np.intp]
    ) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
        """Return the token ids of some names end to end, and where each name's tokens begin."""
        positions, begins = self._positions(name_ids)
        return self._np_name_tokens[positions], begins

    def names_tokens_and_surname(
        self, name_ids: npt.NDArray[np.intp]
    ) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
        """Return names_tokens(name_ids) with, per token, whether it is part of the surname."""
        positions, begins = self._positions(name_ids)
        surname: npt.NDArray[np.bool_] = self._np_name_surname[positions] > 0
        return self._np_name_tokens[positions], surname, begins

    def _positions(
        self, name_ids: npt.NDArray[np.intp]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        starts = self._np_name_starts[name_ids]
        lengths = self._np_name_starts[name_ids + 1] - starts
        ends = np.cumsum(lengths)
        begins = ends - lengths
        positions = np.repeat(starts - begins, lengths) + np.arange(
            int(ends[-1]) if len(ends) else 0
        )
        return positions, begins

    def token_weight_vector(self, config: ScreeningConfig) -> npt.NDArray[np.float32]:
        """Return token_weights(config) as a read-only numpy view."""
        return np.frombuffer(self.token_weights(config), np.float32)

    def postings(self, token_id: int) -> array[int]:
        """Return the ids of the names that contain a token."""
        return self._postings[self._post_starts[token_id] : self._post_starts[token_id + 1]]

    def pair_postings(self, first: int, second: int) -> array[int] | None:
        """Return the names holding two common tokens, or None if either token is not common."""
        if self._token_df[first] < self.pair_min_df or self._token_df[second] < self.pair_min_df:
            return None
        low, high = min(first, second), max(first, second)
        return self._pairs.get((low << 32) | high, array("I"))

    def name_token_ids(self, name_id: int) -> array[int]:
        """Return a name's token ids in written order."""
        return self._name_tokens[self._name_starts[name_id] : self._name_starts[name_id + 1]]

    def name_length(self, name_id: int) -> int:
        """Return how many tokens a name has."""
        return self._name_starts[name_id + 1] - self._name_starts[name_id]

    def name_surname_flags(self, name_id: int) -> bytearray:
        """Return, per token of a name, 1 where the list marks it as part of the surname."""
        return self._name_surname[self._name_starts[name_id] : self._name_starts[name_id + 1]]

    def name_text(self, name_id: int) -> str:
        """Return a name as the list spells it."""
        return self._name_text[name_id]

    def name_entry(self, name_id: int) -> int:
        """Return the entry row a name belongs to."""
        return self._name_entry[name_id]

    def entry_name(self, row: int) -> str:
        """Return a listed person's first name as the list spells it (its id if it has none)."""
        first = self._entry_first_name[row]
        following = row + 1 < len(self._entry_first_name)
        end = self._entry_first_name[row + 1] if following else self.name_count
        return self._name_text[first] if first < end else self._entry_ids[row]

    @property
    def document_count(self) -> int:
        """Return how many identity documents of listed persons the index holds."""
        return len(self._doc_numbers)

    def lookup_documents(self, number: str) -> Iterator[PersonDocument]:
        """Yield every listed person's document whose normalised number equals `number`."""
        normalised = normalize_document_number(number)
        if not normalised:
            return
        for position in self._doc_table.rows(number_hash(normalised)):
            if self._doc_numbers[position] == normalised:
                yield PersonDocument(
                    row=self._doc_entry[position],
                    number=normalised,
                    issuing_state=self._states.values[self._doc_states[position]] or None,
                    kind=self._labels.values[self._doc_kinds[position]] or None,
                )

    def entry_facts(self, row: int) -> EntryFacts:
        """Return the facts kept about one listed person."""
        dates = self._entry_dates[self._entry_date_starts[row] : self._entry_date_starts[row + 1]]
        births = tuple(
            BirthDate(dates[i], dates[i + 1], dates[i + 2] or None, dates[i + 3] or None)
            for i in range(0, len(dates), 4)
        )
        nat = self._entry_nat[self._entry_nat_starts[row] : self._entry_nat_starts[row + 1]]
        return EntryFacts(
            entry_id=self._entry_ids[row],
            birth_dates=births,
            nationalities=tuple(self._states.values[i] for i in nat),
            sex=_SEX_NAMES.get(self._entry_sex[row]),
            category=self._labels.values[self._entry_category[row]],
            action=self._labels.values[self._entry_action[row]],
        )


def _as_array(typecode: str, values: npt.NDArray[Any]) -> array[int]:
    """Return a numpy vector as a flat array of the given type code (same item size)."""
    flat = array(typecode)
    flat.frombytes(np.ascontiguousarray(values).tobytes())
    return flat


def name_weight(token: str, config: ScreeningConfig) -> float:
    """Return a name token's weight: lower the more people bear it, 1 for a rare name.

    Fixed reference data (common_names), not the list's counts: the weight of a token, and so a
    listed name's score against a traveller, never moves when other names join the list.
    """
    if len(token) == 1:
        return config.initial_weight
    tier = commonness(token, variant_group(token))
    return 1.0 if tier == 0 else config.common_token_weights[tier - 1]


# -- documents ----------------------------------------------------------------------------

_STATUSES = tuple(DocumentStatus)


def document_kind(document_type: str | None) -> str | None:
    """Return the ICAO document code letter (P, I, A, C, V) of a document type, or None."""
    if not document_type:
        return None
    letters = "".join(ch for ch in document_type.upper() if ch.isalpha())
    return letters[:1] or None


def number_hash(number: str) -> int:
    """Return a non-zero 64-bit hash of a normalised document number (stable across processes)."""
    digest = hashlib.blake2b(number.encode("ascii", "replace"), digest_size=8).digest()
    return int.from_bytes(digest, "little") | 1


class _NumberTable:
    """An open-addressing table from 64-bit number hashes to row numbers, in two flat arrays."""

    __slots__ = ("_mask", "_rows", "_slots")

    def __init__(self, hashes: array[int]) -> None:
        size = 1 << max(4, math.ceil(math.log2(max(1, len(hashes)) / 0.6)))
        mask = size - 1
        slots = array("Q", bytes(8 * size))
        rows = array("I", bytes(4 * size))
        for row, value in enumerate(hashes):
            slot = value & mask
            while slots[slot]:
                slot = (slot + 1) & mask
            slots[slot] = value
            rows[slot] = row
        self._slots, self._rows, self._mask = slots, rows, mask

    def rows(self, value: int) -> Iterator[int]:
        """Yield the rows stored under a hash (callers confirm the number: hashes may collide)."""
        slots, mask = self._slots, self._mask
        slot = value & mask
        while slots[slot]:
            if slots[slot] == value:
                yield self._rows[slot]
            slot = (slot + 1) & mask

    def nbytes(self) -> int:
        """Return the bytes held by the table."""
        return self._slots.itemsize * len(self._slots) + self._rows.itemsize * len(self._rows)


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """A listed document as the index keeps it."""

    entry_id: str
    number: str
    issuing_state: str
    document_kind: str | None
    status: DocumentStatus
    action: str


class DocumentIndex:
    """Listed documents in an open-addressing table of 64-bit number hashes over flat arrays."""

    def __init__(self, list_name: str, version: int) -> None:
        self.list_name = list_name
        self.version = version
        self._numbers = _Blob()
        self._entry_ids = _Blob()
        self._hashes = array("Q")
        self._states = array("H")
        self._kinds = bytearray()
        self._status = bytearray()
        self._actions = array("H")
        self._interned = _Interned()
        self._table = _NumberTable(array("Q"))

    @classmethod
    def build(cls, list_name: str, version: int, entries: Iterable[DocumentEntry]) -> DocumentIndex:
        """Build the index from one list version's documents."""
        index = cls(list_name, version)
        for entry in entries:
            index._add(entry)
        index._build_table()
        return index

    def _add(self, entry: DocumentEntry) -> None:
        number = normalize_document_number(entry.number)
        self._numbers.append(number)
        self._entry_ids.append(entry.entry_id)
        self._hashes.append(number_hash(number))
        state = normalize_state(entry.issuing_state) or ""
        self._states.append(self._interned.id_of(state))
        kind = document_kind(entry.document_type)
        self._kinds.append(ord(kind) if kind else 0)
        self._status.append(_STATUSES.index(entry.status))
        self._actions.append(self._interned.id_of(entry.action))

    def _build_table(self) -> None:
        self._table = _NumberTable(self._hashes)
        # The hashes live on in the table; keeping the build copy would double the memory.
        self._hashes = array("Q")

    def __len__(self) -> int:
        return len(self._numbers)

    def nbytes(self) -> int:
        """Return an estimate of the bytes held by the index."""
        arrays = (self._states, self._actions)
        total = sum(a.itemsize * len(a) for a in arrays) + self._table.nbytes()
        total += len(self._kinds) + len(self._status)
        return total + self._numbers.nbytes() + self._entry_ids.nbytes()

    def lookup(self, number: str) -> Iterator[DocumentRecord]:
        """Yield every listed document whose normalised number equals `number` exactly."""
        normalised = normalize_document_number(number)
        if not normalised:
            return
        for row in self._table.rows(number_hash(normalised)):
            if self._numbers[row] == normalised:
                yield self._record(row)

    def _record(self, row: int) -> DocumentRecord:
        kind = self._kinds[row]
        return DocumentRecord(
            entry_id=self._entry_ids[row],
            number=self._numbers[row],
            issuing_state=self._interned.values[self._states[row]],
            document_kind=chr(kind) if kind else None,
            status=_STATUSES[self._status[row]],
            action=self._interned.values[self._actions[row]],
        )
