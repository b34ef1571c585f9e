"""Screening recall on names as the lists publish them, and false alerts on innocent travellers.

A yardstick the engine's own rules did not make (issue 17). Three kinds of query per list:

1. Held-out published variants. For every entry with two or more names, each primary or strong
   name in turn (in an order drawn from the seed) is held out: round r removes the r-th of every
   entry's names, the index is built from everything else, and the held-out name is screened
   (names alone; then with the entry's exact birth date, where it has one). Weak aliases (OFAC
   remark a.k.a.s, UN 'Low' quality) stay in the index but are never held out: they are
   nicknames and kunyas, not spellings of the name. Recall: the entry is among the hits. Each
   pair is classified by `name_variation` (its docstring lists the rules); the same query is
   also screened against an index of its entry alone ("alone"), which shows how much the rest
   of the list moves the result.
2. Public-reference variants, from each entry's primary name by rules published elsewhere
   (`reference_variants`: MRZ and written initials, Hispanic second surname, merged and split
   names, English hypocorisms, Arabic and Persian romanisation, Doc 9303 Arabic MRZ), against
   the whole list. A variant whose letters equal a name the entry lists is left out.
3. Innocent travellers (`innocent_travellers`), the same for every list, minus those whose
   order-free name key equals a name of any list screened; a second rate leaves out also those
   whose key of consonant skeletons equals a listed name's (namesakes in another spelling).

Names that list several spellings joined by ';' (24 UN aliases) are read as one name each.

Baselines in the same run: brute-force rapidfuzz over every indexed name (WRatio at 85,
token_sort_ratio at 90; with a birth date, owners whose every listed date is more than a year
off are dropped). Classes are capped at --per-class queries per list, drawn with the seed.

    .venv/bin/python benchmarks/screening_variants.py [--lists ofac,un,ftm] [--per-class 400]
        [--innocents 6000] [--no-baselines] [--seed 2024] [--show-misses 3] [--json PATH]

The lists are read from ../shared/data/watchlists beside the repository (SOURCES.md there).
"""

from __future__ import annotations

import argparse
import json
import random
import shlex
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

# This checkout's engine, not whichever copy of `watchlists` the environment installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from innocent_travellers import Traveller, travellers
from name_variation import NOT_TARGETS, classify, script_of, skeleton, tokens
from reference_variants import ARABIC_SCRIPT_STATES, HISPANIC_STATES, Written, reference_variants
from screening_quality import dob_contradicts, query_text

import watchlists
from watchlists.config import ScreeningConfig
from watchlists.distance import BruteForceScorer, brute_force
from watchlists.index import PersonIndex
from watchlists.loaders import ftm, ofac_csv, un_xml
from watchlists.models import BirthDate, EntryName, NameQuality, PersonEntry
from watchlists.normalize import normalize_name
from watchlists.screening import PersonQuery, screen_person

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "watchlists"


@dataclass(frozen=True, slots=True)
class Source:
    """One list as saved under shared/data/watchlists, and the loader that reads it."""

    title: str
    paths: tuple[str, ...]
    read: Callable[[Path], Iterable[object]]
    # Whether innocents are screened against it (a list of ten persons says nothing).
    innocents: bool = True


SOURCES = {
    "ofac": Source(
        "OFAC SDN, watchman-bench-2021 (sdn.csv + alt.csv)",
        ("ofac_sdn/watchman-bench-2021",),
        lambda path: ofac_csv.iter_records(path, progress=False),
    ),
    "un": Source(
        "UN Security Council consolidated list (consolidated.xml, 2026-02-27)",
        ("un_sc/consolidated.xml",),
        lambda path: un_xml.iter_records(path, progress=False),
    ),
    "ftm": Source(
        "OpenSanctions FtM samples (zala, eu_fsf)",
        (
            "opensanctions_ftm/zala.entities.ftm.json",
            "opensanctions_ftm/eu_fsf_sample.entities.ftm.json",
        ),
        lambda path: ftm.iter_records(path, progress=False),
        innocents=False,
    ),
}

HELD_OUT = "held-out"
REFERENCE = "reference"
INNOCENT = "innocent"

# Where a listed person's names come from, by nationality, for the held-out table by origin.
_ORIGINS = (
    ("Persian (IRN)", frozenset({"IRN"})),
    ("Pashto/Dari (AFG)", frozenset({"AFG"})),
    ("Urdu (PAK)", frozenset({"PAK"})),
    ("Arabic (Arab League)", ARABIC_SCRIPT_STATES - {"IRN", "AFG", "PAK"}),
    ("Hispanic", HISPANIC_STATES),
    ("Russian and CIS", frozenset({"RUS", "BLR", "UKR", "KAZ", "KGZ", "TJK", "UZB", "AZE"})),
    ("Korean", frozenset({"PRK", "KOR"})),
    ("Chinese", frozenset({"CHN", "HKG", "TWN"})),
)


@dataclass(frozen=True, slots=True)
class Case:
    """One query, the entry it should find (None for an innocent) and how it was made."""

    part: str
    kind: str
    query: PersonQuery
    shown: str
    target: str | None
    birth: BirthDate | None = None
    script: str = "Latin"
    origin: str = "other or unknown"
    round: int = -1
    # Not a recall target (see name_variation.NOT_TARGETS); reported, never summed.
    aside: bool = False
    # The nearest kept name and the token pairing, for the misses listing.
    nearest: str = ""
    detail: str = ""
    differences: tuple[str, ...] = ()
    # Innocents whose skeleton key is a listed name's, per list.
    namesake_of: frozenset[str] = frozenset()

    @property
    def text(self) -> str:
        """Return the query as one plain string for the brute-force baselines."""
        return query_text(self.query)


@dataclass
class Outcome:
    """Per method and pass, whether each case found its entry (or, for innocents, alerted)."""

    found: dict[tuple[str, bool], dict[int, bool]] = field(default_factory=dict)
    seconds: dict[tuple[str, bool], float] = field(default_factory=dict)
    misses: list[tuple[int, str]] = field(default_factory=list)

    def record(self, method: str, with_birth: bool, case: int, value: bool) -> None:
        self.found.setdefault((method, with_birth), {})[case] = value


BASELINES = {
    "WRatio@85": (BruteForceScorer.WRATIO, 85.0),
    "token_sort@90": (BruteForceScorer.TOKEN_SORT_RATIO, 90.0),
}


def load(key: str) -> list[PersonEntry]:
    """Read one list's persons, or exit saying where the data was looked for."""
    source = SOURCES[key]
    persons: list[PersonEntry] = []
    for relative in source.paths:
        path = DATA / relative
        if not path.exists():
            sys.exit(
                f"screening_variants: {path} not found; the lists live in ../shared/data/"
                "watchlists beside the repository (see SOURCES.md there)"
            )
        persons.extend(r for r in source.read(path) if isinstance(r, PersonEntry))
    return [one_name_each(p) for p in persons]


def one_name_each(entry: PersonEntry) -> PersonEntry:
    """Split names that list several spellings ('Syed Husain Husaini; Syed Husein Huseini').

    The UN list joins some spellings of an alias with semicolons; a document carries one.
    """
    if not any(";" in n.full for n in entry.names):
        return entry
    names: list[EntryName] = []
    for name in entry.names:
        if ";" not in name.full:
            names.append(name)
            continue
        for part in name.full.split(";"):
            if part.strip():
                names.append(replace(name, full=part.strip(), given=None, family=None))
    return replace(entry, names=tuple(names))


def exact_birth(entry: PersonEntry) -> BirthDate | None:
    """Return the entry's first birth date known to the day, as the traveller's."""
    return next((b for b in entry.birth_dates if b.exact is not None), None)


def origin_of(entry: PersonEntry) -> str:
    """Name the naming tradition an entry's nationalities point to."""
    nationalities = set(entry.nationalities)
    return next((label for label, states in _ORIGINS if nationalities & states), "other or unknown")


def query_of(name: EntryName) -> PersonQuery:
    """Screen a published name as a document gives it: OFAC 'FAMILY, Given' as its two fields."""
    if name.family and name.given and name.full.count(",") == 1:
        return PersonQuery(surname=name.family, given_names=name.given)
    return PersonQuery(name=name.full)


def query_written(written: Written) -> PersonQuery:
    """Screen a public-reference variant as written."""
    if written.name is not None:
        return PersonQuery(name=written.name)
    return PersonQuery(surname=written.surname, given_names=written.given)


def holdout_order(entry: PersonEntry, seed: int) -> list[int]:
    """Return the positions of the entry's holdable names in the order rounds hold them out."""
    if len(entry.names) < 2:
        return []
    holdable = [i for i, n in enumerate(entry.names) if n.quality is not NameQuality.WEAK]
    random.Random(f"{seed}/{entry.entry_id}").shuffle(holdable)
    return holdable


def without(entry: PersonEntry, position: int) -> PersonEntry:
    """Return the entry with one name removed."""
    names = entry.names[:position] + entry.names[position + 1 :]
    return replace(entry, names=names)


def held_out_cases(persons: list[PersonEntry], seed: int) -> list[Case]:
    """Return a classified case for every holdable name of every entry with two names or more."""
    cases = []
    for entry in persons:
        birth = exact_birth(entry)
        origin = origin_of(entry)
        for round_, position in enumerate(holdout_order(entry, seed)):
            name = entry.names[position]
            kept = [n.full for n in without(entry, position).names]
            variation = classify(name.full, kept)
            cases.append(
                Case(
                    HELD_OUT,
                    variation.kind,
                    query_of(name),
                    name.full,
                    entry.entry_id,
                    birth,
                    script=variation.script,
                    origin=origin,
                    round=round_,
                    aside=not variation.target,
                    nearest=variation.nearest,
                    detail=variation.detail,
                    differences=variation.differences,
                )
            )
    return cases


def reference_cases(persons: list[PersonEntry], seed: int) -> list[Case]:
    """Return a case for every public-reference variant the list's entries yield."""
    rng = random.Random(seed)
    cases = []
    for entry in persons:
        listed = {tuple(sorted(tokens(n.full))) for n in entry.names}
        for written in reference_variants(entry, rng):
            if tuple(sorted(tokens(written.text))) in listed:
                continue
            cases.append(
                Case(
                    REFERENCE,
                    written.kind,
                    query_written(written),
                    written.text,
                    entry.entry_id,
                    exact_birth(entry),
                    script=script_of(written.text),
                    origin=origin_of(entry),
                    nearest=entry.names[0].full,
                )
            )
    return cases


def name_key(text: str) -> tuple[str, ...]:
    """Return a name's tokens in order, whatever order it was written in."""
    return tuple(sorted(tokens(text)))


def skeleton_key(text: str) -> tuple[str, ...]:
    """Return the sorted consonant skeletons of a name's tokens (MOHAMMED ALI = ALY MUHAMMAD)."""
    return tuple(sorted(skeleton(t) for t in tokens(text)))


def innocent_cases(
    lists: dict[str, list[PersonEntry]], count: int, seed: int
) -> tuple[list[Case], int]:
    """Return innocents whose name is no listed name, marking namesakes per list."""
    listed = {name_key(n.full) for persons in lists.values() for p in persons for n in p.names}
    skeletons = {
        key: {skeleton_key(n.full) for p in persons for n in p.names}
        for key, persons in lists.items()
    }
    found, dropped = travellers(count, seed, lambda text: name_key(text) in listed)
    cases = [innocent_case(t, skeletons) for t in found]
    return cases, dropped


def innocent_case(traveller: Traveller, skeletons: dict[str, set[tuple[str, ...]]]) -> Case:
    """Make the case for one innocent traveller."""
    shape = skeleton_key(traveller.text)
    return Case(
        INNOCENT,
        traveller.culture,
        PersonQuery(surname=traveller.surname, given_names=traveller.given),
        f"{traveller.surname}, {traveller.given}",
        None,
        traveller.birth,
        namesake_of=frozenset(key for key, shapes in skeletons.items() if shape in shapes),
    )


def capped(cases: list[Case], per_class: int, seed: int) -> list[Case]:
    """Keep at most `per_class` cases of each (part, kind), drawn with the seed."""
    groups: dict[tuple[str, str], list[Case]] = defaultdict(list)
    for case in cases:
        groups[(case.part, case.kind)].append(case)
    rng = random.Random(seed)
    kept: list[Case] = []
    for key in sorted(groups):
        group = groups[key]
        rng.shuffle(group)
        kept.extend(group[:per_class])
    return kept


def ours(query: PersonQuery, index: PersonIndex, config: ScreeningConfig) -> list[str]:
    """Return the entry ids the engine alerts on, best first."""
    return [hit.entry_id for hit in screen_person(query, index, config)]


class Brute:
    """Brute-force rapidfuzz over every name of one index's worth of entries."""

    def __init__(self, persons: Iterable[PersonEntry]) -> None:
        self.names: list[str] = []
        self.owners: list[PersonEntry] = []
        for person in persons:
            for name in person.names:
                self.names.append(normalize_name(name.full))
                self.owners.append(person)

    def alerts(
        self, text: str, scorer: BruteForceScorer, cutoff: float, birth: BirthDate | None
    ) -> tuple[list[str], list[str]]:
        """Return the entries alerted on by name alone, and those left with the birth date."""
        names_alone: list[str] = []
        with_birth: list[str] = []
        for position, _score in brute_force(text, self.names, scorer, cutoff):
            owner = self.owners[position]
            if owner.entry_id not in names_alone:
                names_alone.append(owner.entry_id)
                if not dob_contradicts(owner.birth_dates, birth):
                    with_birth.append(owner.entry_id)
        return names_alone, with_birth


def screen_cases(
    numbered: list[tuple[int, Case]],
    persons: list[PersonEntry],
    outcome: Outcome,
    config: ScreeningConfig,
    baselines: bool,
    alone: dict[str, PersonEntry] | None = None,
) -> None:
    """Screen cases against one index (and brute force over the same names), recording results."""
    index = PersonIndex.build("variants", 1, persons)
    for with_birth in (False, True):
        started = time.perf_counter()
        for number, case in numbered:
            if with_birth and case.birth is None:
                continue
            query = replace(case.query, birth_date=case.birth) if with_birth else case.query
            ranked = ours(query, index, config)
            hit = bool(ranked) if case.target is None else case.target in ranked
            outcome.record("ours", with_birth, number, hit)
            wrong = hit if case.target is None else not hit
            if wrong and not with_birth:
                outcome.misses.append((number, ", ".join(ranked[:3])))
        key = ("ours", with_birth)
        outcome.seconds[key] = outcome.seconds.get(key, 0.0) + time.perf_counter() - started
    if alone is not None:
        started = time.perf_counter()
        for number, case in numbered:
            assert case.target is not None
            single = PersonIndex.build("alone", 1, [alone[case.target]])
            outcome.record("alone", False, number, case.target in ours(case.query, single, config))
        key = ("alone", False)
        outcome.seconds[key] = outcome.seconds.get(key, 0.0) + time.perf_counter() - started
    if not baselines:
        return
    brute = Brute(persons)
    for method, (scorer, cutoff) in BASELINES.items():
        started = time.perf_counter()
        for number, case in numbered:
            names_alone, with_birth_ids = brute.alerts(case.text, scorer, cutoff, case.birth)
            for pass_birth, ranked in ((False, names_alone), (True, with_birth_ids)):
                if pass_birth and case.birth is None:
                    continue
                hit = bool(ranked) if case.target is None else case.target in ranked
                outcome.record(method, pass_birth, number, hit)
        key = (method, False)
        outcome.seconds[key] = outcome.seconds.get(key, 0.0) + time.perf_counter() - started


def run_list(
    persons: list[PersonEntry],
    cases: list[Case],
    config: ScreeningConfig,
    baselines: bool,
    seed: int,
) -> Outcome:
    """Screen one list's held-out, reference and innocent cases."""
    outcome = Outcome()
    numbered = list(enumerate(cases))
    rounds: dict[int, list[tuple[int, Case]]] = defaultdict(list)
    for number, case in numbered:
        if case.part == HELD_OUT:
            rounds[case.round].append((number, case))
    for round_ in sorted(rounds):
        kept: list[PersonEntry] = []
        alone: dict[str, PersonEntry] = {}
        for entry in persons:
            order = holdout_order(entry, seed)
            if round_ < len(order):
                entry = without(entry, order[round_])
                alone[entry.entry_id] = entry
            kept.append(entry)
        screen_cases(rounds[round_], kept, outcome, config, baselines, alone)
    whole = [(n, c) for n, c in numbered if c.part != HELD_OUT]
    screen_cases(whole, persons, outcome, config, baselines)
    return outcome


def percent(hits: int, total: int) -> str:
    """Return a share as a percentage with one decimal, or a dash for none."""
    return f"{100 * hits / total:.1f}%" if total else "–"


def rate(found: dict[int, bool], numbers: list[int]) -> tuple[int, int]:
    """Return (hits, n) over the numbered cases that ran in a pass."""
    ran = [n for n in numbers if n in found]
    return sum(found[n] for n in ran), len(ran)


def methods_of(outcome: Outcome) -> list[str]:
    """Return the methods that ran, ours first."""
    return ["ours", *(m for m in BASELINES if (m, False) in outcome.found)]


def recall_row(
    label: str, numbers: list[int], outcome: Outcome, extra: str = "", alone: bool = True
) -> str:
    """Return one markdown row of recall by method and pass for the numbered cases."""
    row = f"| {label} |{extra} {len(numbers)} |"
    for method in methods_of(outcome):
        hits, total = rate(outcome.found.get((method, False), {}), numbers)
        row += f" {percent(hits, total)} |"
        hits, total = rate(outcome.found.get((method, True), {}), numbers)
        row += f" {percent(hits, total)} ({total}) |"
        if method == "ours" and alone:
            hits, total = rate(outcome.found.get(("alone", False), {}), numbers)
            row += f" {percent(hits, total)} |"
    return row


def recall_header(first: str, outcome: Outcome, extra: str = "", alone: bool = True) -> str:
    """Return the header and rule of a recall table."""
    head = f"| {first} |{extra} n |"
    for method in methods_of(outcome):
        head += f" {method} | {method} +dob (n) |"
        if method == "ours" and alone:
            head += " ours, entry alone |"
    cells = head.count("|") - 1
    return head + "\n|" + " --- |" * cells


def grouped(
    cases: list[Case], part: str, by: Callable[[Case], str], targets_only: bool = False
) -> dict[str, list[int]]:
    """Group the numbers of one part's cases by a label."""
    groups: dict[str, list[int]] = defaultdict(list)
    for number, case in enumerate(cases):
        if case.part == part and not (targets_only and case.aside):
            groups[by(case)].append(number)
    return groups


def report_list(
    key: str,
    persons: list[PersonEntry],
    cases: list[Case],
    available: Counter[tuple[str, str, str]],
    outcome: Outcome,
) -> None:
    """Print one list's tables."""
    names = sum(len(p.names) for p in persons)
    title = SOURCES[key].title if key in SOURCES else "list given by the caller"
    print(f"\n## {key}: {title}\n")
    print(f"{len(persons)} persons, {names} names.")
    held = grouped(cases, HELD_OUT, lambda c: c.kind)
    if held:
        print("\n### Held-out published variants, by class\n")
        print("Recall: the entry is among the hits. `+dob`: the entry's exact birth date given.")
        print("Classes marked *aside* are not recall targets and are not in the totals.\n")
        print(recall_header("class", outcome, " available |"))
        order = sorted(held, key=lambda k: (k in NOT_TARGETS, -len(held[k]), k))
        for kind in order:
            label = f"{kind} *aside*" if kind in NOT_TARGETS else kind
            extra = f" {available[(HELD_OUT, 'class', kind)]} |"
            print(recall_row(label, held[kind], outcome, extra))
        targets = [n for k in held if k not in NOT_TARGETS for n in held[k]]
        latin = [n for n in targets if cases[n].script == "Latin"]
        other = [n for n in targets if cases[n].script != "Latin"]
        print(recall_row("**all targets**", targets, outcome, " |"))
        print(recall_row("**targets, Latin script**", latin, outcome, " |"))
        print(recall_row("**targets, other scripts**", other, outcome, " |"))
        found, alone = outcome.found.get(("ours", False), {}), outcome.found.get(("alone", False))
        if alone is not None:
            only_alone = sum(alone[n] and not found[n] for n in targets)
            only_list = sum(found[n] and not alone[n] for n in targets)
            print(
                f"\nFound against the entry alone but not against the whole list: {only_alone};"
                f" found against the list but not alone: {only_list} (of {len(targets)})."
            )
        scripts = grouped(cases, HELD_OUT, lambda c: c.script, targets_only=True)
        print("\n### Held-out targets, by script of the non-Latin side (Latin: both Latin)\n")
        print(recall_header("script", outcome, " available |"))
        for script in sorted(scripts, key=lambda s: (s != "Latin", s)):
            extra = f" {available[(HELD_OUT, 'script', script)]} |"
            print(recall_row(script, scripts[script], outcome, extra))
        origins = grouped(cases, HELD_OUT, lambda c: c.origin, targets_only=True)
        print("\n### Held-out targets, by origin (nationality)\n")
        print(recall_header("origin", outcome))
        for origin in sorted(origins):
            print(recall_row(origin, origins[origin], outcome))
        combos = Counter(" + ".join(cases[n].differences) for n in held.get("several", []))
        if combos:
            common = "; ".join(f"{combo} {count}" for combo, count in combos.most_common(6))
            print(f"\n'several', most common combinations: {common}.")
    reference = grouped(cases, REFERENCE, lambda c: c.kind)
    if reference:
        print("\n### Public-reference variants of the primary name, by class\n")
        print(recall_header("class", outcome, " available |", alone=False))
        for kind in sorted(reference):
            extra = f" {available[(REFERENCE, 'class', kind)]} |"
            print(recall_row(kind, reference[kind], outcome, extra, alone=False))
        every = [n for k in reference for n in reference[k]]
        print(recall_row("**all**", every, outcome, " |", alone=False))
    innocents = grouped(cases, INNOCENT, lambda c: c.kind)
    if innocents:
        print("\n### Innocent travellers: false alerts per 1,000\n")
        head = "| culture | n |"
        for method in methods_of(outcome):
            head += f" {method} names | {method} +dob |"
        print(head + "\n|" + " --- |" * (head.count("|") - 1))
        strict = [n for k in innocents for n in innocents[k] if key not in cases[n].namesake_of]
        rows = [(k, innocents[k]) for k in sorted(innocents)]
        rows.append(("**all**", [n for k in innocents for n in innocents[k]]))
        rows.append(("**all, namesakes by skeleton left out**", strict))
        for label, numbers in rows:
            row = f"| {label} | {len(numbers)} |"
            for method in methods_of(outcome):
                for with_birth in (False, True):
                    hits, total = rate(outcome.found.get((method, with_birth), {}), numbers)
                    row += f" {1000 * hits / total:.1f} |" if total else " – |"
            print(row)


def report_misses(cases: list[Case], outcome: Outcome, per_class: int, seed: int) -> None:
    """Print a few of the engine's misses (names alone) per class, and false alerts per culture."""
    groups: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for number, ranked in outcome.misses:
        case = cases[number]
        if case.aside:
            continue
        groups[(case.part, case.kind)].append((number, ranked))
    if not groups:
        return
    print("\n### Engine misses, names alone (a few per class)\n")
    rng = random.Random(seed)
    for part, kind in sorted(groups):
        sample = groups[(part, kind)]
        picked = rng.sample(sample, min(per_class, len(sample)))
        for number, ranked in picked:
            case = cases[number]
            if part == INNOCENT:
                print(f"- {part} {kind}: {case.shown!r} alerted on {ranked}")
            else:
                print(f"- {part} {kind}: {case.shown!r} for {case.nearest!r} ({case.target})")


def git_commit() -> str:
    """Return the repository's commit, marked when the work tree has changes."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (with uncommitted changes)" if dirty else "")


def figures(key: str, cases: list[Case], outcome: Outcome) -> Iterator[dict[str, object]]:
    """Yield the raw figures of one list, one record per case group, method and pass."""
    groups: dict[tuple[str, str, str, bool], list[int]] = defaultdict(list)
    for number, case in enumerate(cases):
        groups[(case.part, case.kind, case.script, case.aside)].append(number)
    for (part, label, script, aside), numbers in sorted(groups.items()):
        for (method, with_birth), found in sorted(outcome.found.items()):
            hits, total = rate(found, numbers)
            if total:
                yield {
                    "list": key,
                    "part": part,
                    "class": label,
                    "script": script,
                    "aside": aside,
                    "method": method,
                    "birth_date": with_birth,
                    "n": total,
                    "hits": hits,
                }


@dataclass(frozen=True, slots=True)
class Options:
    """What one run measures and how much of it."""

    per_class: int = 400
    innocents: int = 6000
    seed: int = 2024
    baselines: bool = True
    show_misses: int = 0


def evaluate(lists: dict[str, list[PersonEntry]], options: Options) -> list[dict[str, object]]:
    """Screen every list's cases, print its tables, and return the raw figures."""
    config = ScreeningConfig()
    screened = {k: v for k, v in lists.items() if k not in SOURCES or SOURCES[k].innocents}
    innocents, dropped = innocent_cases(screened, options.innocents, options.seed + 1)
    print(
        f"per class: {options.per_class}; innocents: {len(innocents)} over"
        f" {len({c.kind for c in innocents})} cultures ({dropped} generated names dropped as"
        " listed); engine: ScreeningConfig() defaults"
    )
    records: list[dict[str, object]] = []
    timings: list[str] = []
    for key, persons in lists.items():
        everything = held_out_cases(persons, options.seed) + reference_cases(persons, options.seed)
        available = Counter((c.part, "class", c.kind) for c in everything)
        available.update((c.part, "script", c.script) for c in everything if not c.aside)
        cases = capped(everything, options.per_class, options.seed)
        if key in screened:
            cases += innocents
        outcome = run_list(persons, cases, config, options.baselines, options.seed)
        report_list(key, persons, cases, available, outcome)
        if options.show_misses:
            report_misses(cases, outcome, options.show_misses, options.seed)
        seconds = ", ".join(
            f"{method}{' +dob' if birth else ''} {value:.1f}"
            for (method, birth), value in sorted(outcome.seconds.items())
        )
        timings.append(f"{key}: {seconds}")
        records.extend(figures(key, cases, outcome))
    print("\nseconds (baselines: both passes in one):", "; ".join(timings))
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", default="ofac,un,ftm", help="comma-separated: ofac, un, ftm")
    parser.add_argument("--per-class", type=int, default=400, help="queries per class and list")
    parser.add_argument("--innocents", type=int, default=6000, help="innocent travellers")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-baselines", action="store_true", help="skip brute force")
    parser.add_argument("--show-misses", type=int, default=0, help="misses to print per class")
    parser.add_argument("--json", type=Path, default=None, help="write the raw figures here")
    args = parser.parse_args(argv)
    keys = [k.strip() for k in args.lists.split(",") if k.strip()]
    unknown = [k for k in keys if k not in SOURCES]
    if unknown:
        parser.error(f"unknown list {', '.join(unknown)}; choose from {', '.join(SOURCES)}")
    options = Options(
        per_class=args.per_class,
        innocents=args.innocents,
        seed=args.seed,
        baselines=not args.no_baselines,
        show_misses=args.show_misses,
    )
    started = time.perf_counter()
    lists = {key: load(key) for key in keys}
    command = shlex.join(
        ["benchmarks/screening_variants.py", *(sys.argv[1:] if argv is None else argv)]
    )
    commit = git_commit()
    print("# Screening on published name variants (benchmarks/screening_variants.py)\n")
    engine = Path(watchlists.__file__).parent
    print(f"command: `{command}`; seed {args.seed}; commit {commit}; engine {engine}")
    records = evaluate(lists, options)
    print(f"total: {time.perf_counter() - started:.0f} s")
    if args.json is not None:
        meta = {"command": command, "seed": args.seed, "commit": commit}
        args.json.write_text(json.dumps({"meta": meta, "figures": records}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
