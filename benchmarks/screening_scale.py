"""Screening at scale: synthetic lists of 1M persons (3M names) and 10M documents.

Reports build time, resident memory, and p50/p99 latency of one screening on one core, against
brute force (every name scored with rapidfuzz; estimated from a subset and scaled linearly, as
scoring every name for every query would take hours). Lists are generated here from a fixed seed:
given names and surnames drawn Zipf-like from pools of real and syllable-made names, each person
with a primary name and two aliases (a variant spelling or typo, a reordering or dropped name).

    .venv/bin/python benchmarks/screening_scale.py            # full size
    .venv/bin/python benchmarks/screening_scale.py --scale 0.01  # 10,000 persons, 100,000 docs
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import string
import sys
import time
from collections.abc import Iterator
from datetime import date
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screening_quality import CULTURES, typo

from watchlists.config import ScreeningConfig
from watchlists.distance import BruteForceScorer, brute_force
from watchlists.index import DocumentIndex, PersonIndex
from watchlists.models import (
    BirthDate,
    DocumentEntry,
    DocumentStatus,
    EntryName,
    IdentityDocument,
    NameQuality,
    PersonEntry,
)
from watchlists.normalize import normalize_name
from watchlists.screening import PersonQuery, screen_document, screen_person

_ONSETS = [
    "",
    "B",
    "D",
    "F",
    "G",
    "H",
    "K",
    "KH",
    "L",
    "M",
    "N",
    "P",
    "R",
    "S",
    "SH",
    "T",
    "V",
    "Z",
    "CH",
    "J",
    "Y",
    "W",
    "BR",
    "DR",
    "TR",
    "ST",
    "GR",
    "KR",
]
_VOWELS = ["A", "E", "I", "O", "U", "AI", "OU", "IA", "EE", "OO"]
_CODAS = ["", "", "N", "R", "L", "M", "S", "D", "K", "T", "NG", "SH", "V", "Z"]
_STATES = [
    "AFG",
    "DEU",
    "FRA",
    "GBR",
    "USA",
    "RUS",
    "CHN",
    "IRN",
    "IRQ",
    "SYR",
    "PAK",
    "IND",
    "NGA",
    "MEX",
    "COL",
    "VEN",
    "TUR",
    "EGY",
    "SAU",
    "YEM",
    "UKR",
    "BLR",
    "PRK",
    "CUB",
    "ESP",
    "ITA",
    "NLD",
    "BEL",
    "POL",
    "ROU",
    "BRA",
    "ARG",
    "LBN",
    "JOR",
    "SOM",
    "SDN",
]


def rss_mib() -> float:
    """Return the current resident set size in MiB (Linux /proc)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def made_up_names(rng: random.Random, count: int) -> list[str]:
    """Return `count` distinct pronounceable names built from syllables."""
    names: set[str] = set()
    while len(names) < count:
        syllables = rng.choice((2, 2, 3, 3, 4))
        word = "".join(
            rng.choice(_ONSETS)
            + rng.choice(_VOWELS)
            + (rng.choice(_CODAS) if i == syllables - 1 else "")
            for i in range(syllables)
        )
        if 3 <= len(word) <= 14:
            names.add(word)
    return sorted(names)


def zipf_pool(real: list[str], made: list[str], flat: int) -> tuple[list[str], list[float]]:
    """Return a pool (real names first, so commonest) and Zipf-Mandelbrot cumulative weights.

    `flat` flattens the head: with 0 the commonest name would be on a tenth of all names.
    """
    pool = list(dict.fromkeys(real + made))
    weights = [1.0 / (rank + 1 + flat) ** 1.07 for rank in range(len(pool))]
    return pool, list(accumulate(weights))


class Generator:
    """Synthetic persons and travellers from fixed pools and a seed."""

    def __init__(self, seed: int, scale: float) -> None:
        rng = random.Random(seed)
        real_given = sorted({n for given, _ in CULTURES.values() for n in given})
        real_surnames = sorted({n for _, surnames in CULTURES.values() for n in surnames})
        rng.shuffle(real_given)
        rng.shuffle(real_surnames)
        made = made_up_names(rng, max(2000, int(260_000 * min(1.0, scale * 4))))
        split = len(made) // 8
        # Commonest given name on about 3% of names, commonest surname on about 1%.
        self.given, self.given_cw = zipf_pool(real_given, made[:split], 8)
        self.surnames, self.surnames_cw = zipf_pool(real_surnames, made[split:], 30)
        self.seed = seed

    def name_tokens(self, rng: random.Random) -> tuple[list[str], list[str]]:
        surnames = rng.choices(self.surnames, cum_weights=self.surnames_cw, k=rng.choice((1, 1, 2)))
        given = rng.choices(self.given, cum_weights=self.given_cw, k=rng.choice((1, 2, 2, 3)))
        return surnames, list(dict.fromkeys(given))

    def persons(self, count: int) -> Iterator[PersonEntry]:
        rng = random.Random(self.seed + 1)
        # Documents come from their own generator so that names stay as in earlier runs.
        papers = random.Random(self.seed + 4)
        alphabet = string.ascii_uppercase + string.digits
        for number in range(count):
            surname, given = self.name_tokens(rng)
            names = [
                EntryName(
                    f"{' '.join(surname)}, {' '.join(given)}",
                    NameQuality.PRIMARY,
                    " ".join(given),
                    " ".join(surname),
                )
            ]
            spelled = list(surname + given)
            i = rng.randrange(len(spelled))
            if len(spelled[i]) >= 4:
                spelled[i] = typo(spelled[i], rng)
            names.append(EntryName(" ".join(spelled), NameQuality.STRONG))
            names.append(EntryName(" ".join(given[:1] + surname), NameQuality.STRONG))
            births = ()
            if rng.random() < 0.8:
                year = rng.randint(1940, 2000)
                births = (BirthDate(year, year, rng.randint(1, 12), rng.randint(1, 28)),)
            yield PersonEntry(
                entry_id=f"P{number}",
                names=tuple(names),
                birth_dates=births,
                nationalities=(rng.choice(_STATES),),
                sex=rng.choice("MF"),
                documents=(
                    IdentityDocument(
                        "".join(papers.choices(alphabet, k=9)), papers.choice(_STATES), "Passport"
                    ),
                )
                if papers.random() < 0.5
                else (),
            )

    def documents(self, count: int) -> Iterator[DocumentEntry]:
        rng = random.Random(self.seed + 2)
        alphabet = string.ascii_uppercase + string.digits
        statuses = list(DocumentStatus)
        for number in range(count):
            yield DocumentEntry(
                entry_id=f"D{number}",
                number="".join(rng.choices(alphabet, k=9)),
                issuing_state=rng.choice(_STATES),
                status=rng.choice(statuses),
                document_type=rng.choice(("P", "I", "P", "P")),
            )

    def travellers(self, count: int, listed: list[PersonEntry]) -> list[PersonQuery]:
        """Half innocents from the same pools, half listed persons with a typo or a swap."""
        rng = random.Random(self.seed + 3)
        queries: list[PersonQuery] = []
        for i in range(count):
            if i % 2 == 0:
                surname, given = self.name_tokens(rng)
                year = rng.randint(1940, 2006)
                queries.append(
                    PersonQuery(
                        surname=" ".join(surname),
                        given_names=" ".join(given),
                        birth_date=date(year, rng.randint(1, 12), 1),
                    )
                )
            else:
                entry = rng.choice(listed)
                primary = entry.names[0]
                given = (primary.given or "").split()
                if given and len(given[0]) >= 4:
                    given[0] = typo(given[0], rng)
                queries.append(PersonQuery(surname=primary.family, given_names=" ".join(given)))
        return queries


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def bench_persons(generator: Generator, persons: int, queries: int, brute_names: int) -> None:
    gc.collect()
    before = rss_mib()
    started = time.perf_counter()
    index = PersonIndex.build("synthetic", 1, generator.persons(persons))
    build = time.perf_counter() - started
    gc.collect()
    # As a service should once its indexes are built: the cyclic collector then never walks the
    # index's objects again, which otherwise costs tens of milliseconds on an unlucky query.
    gc.freeze()
    after = rss_mib()
    print(
        f"persons: {index.entry_count:,} persons, {index.name_count:,} names,"
        f" {len(index.tokens):,} distinct tokens"
    )
    print(
        f"  build {build:.1f} s; RSS +{after - before:,.0f} MiB"
        f" (flat arrays {index.nbytes() / 2**20:,.0f} MiB)"
    )
    sample = [entry for _, entry in zip(range(2000), generator.persons(persons), strict=False)]
    travellers = generator.travellers(queries, sample)
    config = ScreeningConfig()
    for query in travellers[:50]:
        screen_person(query, index, config)  # warm the caches once, as a running service would
    latencies: list[float] = []
    cpu: list[float] = []
    alerted = [0, 0]
    for number, query in enumerate(travellers):
        clock, cpu_clock = time.perf_counter(), time.thread_time()
        found = screen_person(query, index, config)
        cpu.append(time.thread_time() - cpu_clock)
        latencies.append(time.perf_counter() - clock)
        alerted[number % 2] += bool(found)
    p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
    cpu_p50, cpu_p99 = percentile(cpu, 0.5), percentile(cpu, 0.99)
    half = len(travellers) // 2
    print(
        f"  screen_person over {len(travellers):,} travellers (half listed with a typo):"
        f" p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {max(latencies) * 1000:.1f} ms wall clock;"
        f" CPU time p50 {cpu_p50 * 1000:.2f} ms,"
        f" p99 {cpu_p99 * 1000:.2f} ms;"
        f" alerted {alerted[1]:,}/{half:,} listed, {alerted[0]:,}/{half:,} others"
        f" (others come from the same name pools, so some share a listed name)"
    )
    held = [
        (d.number, d.issuing_state)
        for _, entry in zip(range(1000), generator.persons(persons), strict=False)
        for d in entry.documents
    ]
    clock = time.perf_counter()
    found_documents = sum(bool(screen_document(n, s, "P", index)) for n, s in held)
    per_lookup = (time.perf_counter() - clock) / max(1, len(held)) * 1e6
    print(
        f"  screen_document on the person index ({index.document_count:,} listed persons'"
        f" documents): {found_documents}/{len(held)} held documents hit, {per_lookup:.1f} µs each"
    )
    names = [
        normalize_name(name.full) for entry in generator.persons(persons) for name in entry.names
    ][:brute_names]
    for scorer, cutoff in (
        (BruteForceScorer.TOKEN_SORT_RATIO, 90.0),
        (BruteForceScorer.WRATIO, 85.0),
    ):
        subset = travellers[:10]
        clock, cpu_clock = time.perf_counter(), time.thread_time()
        for query in subset:
            text = normalize_name(f"{query.surname or ''} {query.given_names or ''}")
            brute_force(text, names, scorer, cutoff)
        per_query = (time.perf_counter() - clock) / len(subset)
        cpu_per_query = (time.thread_time() - cpu_clock) / len(subset)
        full = per_query * index.name_count / len(names)
        cpu_full = cpu_per_query * index.name_count / len(names)
        print(
            f"  brute force {scorer.value}@{cutoff:.0f}: {per_query * 1000:.0f} ms per query over"
            f" {len(names):,} names -> est. {full * 1000:,.0f} ms over {index.name_count:,}"
            f" names; index is {full / (p50 / 1000):,.0f}x faster at p50,"
            f" {full / (p99 / 1000):,.0f}x at p99 (wall clock); in CPU time"
            f" {cpu_full * 1000:,.0f} ms, {cpu_full / cpu_p50:,.0f}x at p50,"
            f" {cpu_full / cpu_p99:,.0f}x at p99"
        )


def bench_documents(generator: Generator, documents: int, lookups: int) -> None:
    gc.collect()
    before = rss_mib()
    started = time.perf_counter()
    index = DocumentIndex.build("synthetic-sltd", 1, generator.documents(documents))
    build = time.perf_counter() - started
    gc.collect()
    after = rss_mib()
    print(
        f"documents: {len(index):,} documents; build {build:.1f} s;"
        f" RSS +{after - before:,.0f} MiB (index {index.nbytes() / 2**20:,.0f} MiB)"
    )
    rng = random.Random(7)
    present = [d for _, d in zip(range(lookups // 2), generator.documents(documents), strict=False)]
    queries = [(d.number, d.issuing_state, d.document_type) for d in present]
    alphabet = string.ascii_uppercase + string.digits
    queries += [("".join(rng.choices(alphabet, k=9)), "DEU", "P") for _ in range(lookups // 2)]
    latencies: list[float] = []
    hits = 0
    for number, state, kind in queries:
        clock = time.perf_counter()
        hits += bool(screen_document(number, state, kind, index))
        latencies.append(time.perf_counter() - clock)
    p50, p99 = percentile(latencies, 0.5) * 1e6, percentile(latencies, 0.99) * 1e6
    print(
        f"  screen_document over {len(queries):,} lookups (half listed): p50 {p50:.1f} µs,"
        f" p99 {p99:.1f} µs; {hits:,} hits"
    )
    numbers = [
        d.number for _, d in zip(range(1_000_000), generator.documents(documents), strict=False)
    ]
    clock = time.perf_counter()
    for number, _, _ in queries[:20]:
        _ = [n for n in numbers if n == number]
    per_query = (time.perf_counter() - clock) / 20 * documents / len(numbers)
    print(
        f"  brute force (scan every number): est. {per_query * 1000:,.0f} ms per lookup;"
        f" index is {per_query / (p99 / 1e6):,.0f}x faster at p99"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="fraction of 1M persons / 10M documents to generate",
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument(
        "--brute-names",
        type=int,
        default=300_000,
        help="names scored by brute force, then scaled to the full list",
    )
    parser.add_argument("--skip-documents", action="store_true")
    parser.add_argument("--skip-persons", action="store_true")
    args = parser.parse_args(argv)
    persons = int(1_000_000 * args.scale)
    documents = int(10_000_000 * args.scale)
    print(
        f"scale {args.scale}: {persons:,} persons, {documents:,} documents, seed {args.seed};"
        f" python {sys.version.split()[0]}, one process"
    )
    generator = Generator(args.seed, args.scale)
    if not args.skip_persons:
        bench_persons(generator, persons, args.queries, min(args.brute_names, persons * 3))
    if not args.skip_documents:
        bench_documents(generator, documents, 100_000 if args.scale >= 0.1 else 10_000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
