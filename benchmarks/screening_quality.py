"""Screening quality on the real OFAC list: recall of listed persons, false hits on innocents.

Queries are built from the list itself: every strong alias as a query for its entry, and the
primary name perturbed as a border would see it (MRZ form, token swap, dropped middle name,
truncation, one or two typing/OCR errors, a variant spelling). Innocent travellers are common
given names and surnames from many cultures, combined at random, minus any whose name key is a
listed name's. The same queries are run through brute-force rapidfuzz WRatio (cutoff 85) and
token_sort_ratio (cutoff 90) over every listed name.

Entries are split in two by a hash of their id: `--split dev` was used while tuning the
configuration, `--split test` (the default) is what docs/benchmarks.md reports. The index always
holds the whole list; only the queries come from one half. Innocents use seed+1 on dev and seed+2
on test, so the reported innocents were not seen while tuning.

With `--possible-floors 0.9,0.92,...` it also measures the possible-match band
(ScreeningConfig.possible_match_floor) at each floor, on the same queries: every listed query is
given a false identity's birth date (more than a year from every listed one), and each innocent
its own birth date. It reports how many listed queries then come back as a possible match of the
right entry, and how many innocents get a possible-match alert they did not get before.

    .venv/bin/python benchmarks/screening_quality.py [--split test] [--per-kind 400]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from watchlists.config import ScreeningConfig
from watchlists.distance import BruteForceScorer, brute_force
from watchlists.index import PersonIndex
from watchlists.models import BirthDate, Hit, NameQuality, PersonEntry
from watchlists.normalize import fold, name_key, normalize_name, tokenize
from watchlists.screening import PersonQuery, screen_person
from watchlists.variants import PARTICLES, VARIANT_GROUPS

DEFAULT_LIST = Path("/work/shared/data/watchlists/ofac_sdn/watchman-bench-2021")

# Common given names and surnames by culture, spelled as passports of that culture write them.
CULTURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "arabic": (
        (
            "MOHAMMED",
            "AHMED",
            "ALI",
            "OMAR",
            "YOUSSEF",
            "KHALED",
            "HASSAN",
            "IBRAHIM",
            "MAHMOUD",
            "MUSTAFA",
            "SAMIR",
            "TAREK",
            "NOUR",
            "FATIMA",
            "AISHA",
            "MARIAM",
            "LAYLA",
            "ZAINAB",
            "HANA",
            "RANIA",
            "KARIM",
            "NABIL",
            "WALID",
            "AMIR",
            "SARA",
            "ABDULLAH",
            "FAISAL",
        ),
        (
            "HADDAD",
            "KHOURY",
            "MANSOUR",
            "SALEH",
            "NASSAR",
            "HAMDAN",
            "AWAD",
            "BAKR",
            "QASSEM",
            "ABDALLAH",
            "YOUSSEF",
            "HUSSEIN",
            "ISMAIL",
            "FARAH",
            "SHAHIN",
            "OTHMAN",
            "RIZK",
            "ZAYED",
            "DARWISH",
            "SABRI",
            "JABER",
            "NAJJAR",
            "ATTIA",
            "MAHMOUD",
            "SALAMEH",
        ),
    ),
    "persian": (
        (
            "REZA",
            "MEHDI",
            "ALI",
            "HOSSEIN",
            "MARYAM",
            "ZAHRA",
            "FATEMEH",
            "AMIR",
            "SARA",
            "NEDA",
            "PARISA",
            "DARIUSH",
            "KAVEH",
            "BABAK",
            "SHIRIN",
            "ARASH",
            "FARHAD",
            "LEILA",
        ),
        (
            "AHMADI",
            "HOSSEINI",
            "MOHAMMADI",
            "REZAEI",
            "MOUSAVI",
            "KARIMI",
            "JAFARI",
            "RAHIMI",
            "HASHEMI",
            "GHOLAMI",
            "SADEGHI",
            "MORADI",
            "TEHRANI",
            "NAZARI",
            "SHARIFI",
            "KAZEMI",
        ),
    ),
    "turkish": (
        (
            "MEHMET",
            "MUSTAFA",
            "AHMET",
            "EMRE",
            "BURAK",
            "ELIF",
            "ZEYNEP",
            "AYSE",
            "FATMA",
            "CAN",
            "MERVE",
            "OZLEM",
            "HAKAN",
            "SERKAN",
            "KEMAL",
            "DENIZ",
            "EMINE",
            "SELIN",
        ),
        (
            "YILMAZ",
            "KAYA",
            "DEMIR",
            "SAHIN",
            "CELIK",
            "YILDIZ",
            "YILDIRIM",
            "OZTURK",
            "AYDIN",
            "OZDEMIR",
            "ARSLAN",
            "DOGAN",
            "KILIC",
            "ASLAN",
            "CETIN",
            "KARA",
            "KOC",
            "KURT",
        ),
    ),
    "russian": (
        (
            "ALEKSANDR",
            "SERGEI",
            "DMITRII",
            "ANDREI",
            "ALEKSEI",
            "MAKSIM",
            "IVAN",
            "MIKHAIL",
            "NATALIA",
            "ELENA",
            "OLGA",
            "TATIANA",
            "IRINA",
            "SVETLANA",
            "ANNA",
            "ARTEM",
            "PAVEL",
        ),
        (
            "IVANOV",
            "SMIRNOV",
            "KUZNETSOV",
            "POPOV",
            "VASILEV",
            "PETROV",
            "SOKOLOV",
            "MIKHAILOV",
            "NOVIKOV",
            "FEDOROV",
            "MOROZOV",
            "VOLKOV",
            "ALEKSEEV",
            "LEBEDEV",
            "SEMENOV",
            "EGOROV",
            "PAVLOVA",
            "KOZLOVA",
            "STEPANOVA",
            "NIKOLAEVA",
            "ORLOVA",
            "ANDREEVA",
        ),
    ),
    "ukrainian": (
        (
            "OLEKSANDR",
            "SERHII",
            "ANDRII",
            "MYKOLA",
            "VOLODYMYR",
            "OKSANA",
            "OLENA",
            "IRYNA",
            "YULIIA",
            "TARAS",
            "BOHDAN",
            "VIKTORIIA",
            "DMYTRO",
            "YAROSLAV",
        ),
        (
            "MELNYK",
            "SHEVCHENKO",
            "BOIKO",
            "KOVALENKO",
            "BONDARENKO",
            "TKACHENKO",
            "KRAVCHENKO",
            "OLIINYK",
            "SHEVCHUK",
            "POLISHCHUK",
            "LYSENKO",
            "MARCHENKO",
            "SAVCHENKO",
            "RUDENKO",
        ),
    ),
    "chinese": (
        (
            "WEI",
            "FANG",
            "NA",
            "XIUYING",
            "MIN",
            "JING",
            "LI",
            "QIANG",
            "LEI",
            "JUN",
            "YANG",
            "YONG",
            "YAN",
            "JIE",
            "TAO",
            "MING",
            "CHAO",
            "XIAOMING",
            "HUI",
            "LING",
        ),
        (
            "WANG",
            "LI",
            "ZHANG",
            "LIU",
            "CHEN",
            "YANG",
            "HUANG",
            "ZHAO",
            "WU",
            "ZHOU",
            "XU",
            "SUN",
            "MA",
            "ZHU",
            "HU",
            "GUO",
            "HE",
            "GAO",
            "LIN",
            "LUO",
        ),
    ),
    "korean": (
        (
            "MINJUN",
            "SEOYEON",
            "JIHO",
            "SUBIN",
            "HYUNWOO",
            "JIWOO",
            "YEJIN",
            "DONGHYUN",
            "SUNGMIN",
            "JIYOUNG",
            "EUNJI",
            "SEUNGHO",
        ),
        (
            "KIM",
            "LEE",
            "PARK",
            "CHOI",
            "JUNG",
            "KANG",
            "CHO",
            "YOON",
            "JANG",
            "LIM",
            "HAN",
            "OH",
            "SEO",
            "SHIN",
            "KWON",
        ),
    ),
    "japanese": (
        (
            "HIROSHI",
            "TAKESHI",
            "KENJI",
            "YUKI",
            "HARUTO",
            "SORA",
            "YUI",
            "AOI",
            "SAKURA",
            "NAOKI",
            "KAORI",
            "AKIRA",
            "MISAKI",
            "RYOTA",
        ),
        (
            "SATO",
            "SUZUKI",
            "TAKAHASHI",
            "TANAKA",
            "WATANABE",
            "ITO",
            "YAMAMOTO",
            "NAKAMURA",
            "KOBAYASHI",
            "KATO",
            "YOSHIDA",
            "YAMADA",
            "SASAKI",
            "MATSUMOTO",
        ),
    ),
    "vietnamese": (
        (
            "VAN ANH",
            "THI HOA",
            "MINH",
            "DUC",
            "HUONG",
            "LAN",
            "TUAN",
            "THANH",
            "HUNG",
            "LINH",
            "QUANG",
            "NGOC",
        ),
        (
            "NGUYEN",
            "TRAN",
            "LE",
            "PHAM",
            "HOANG",
            "HUYNH",
            "PHAN",
            "VU",
            "VO",
            "DANG",
            "BUI",
            "DO",
            "HO",
            "NGO",
        ),
    ),
    "indian": (
        (
            "RAHUL",
            "AMIT",
            "PRIYA",
            "ANJALI",
            "VIKRAM",
            "SURESH",
            "SUNITA",
            "RAJESH",
            "ANIL",
            "POOJA",
            "DEEPAK",
            "NEHA",
            "ARJUN",
            "KAVITA",
            "SANJAY",
            "MEERA",
            "RAVI",
            "LAKSHMI",
        ),
        (
            "SHARMA",
            "PATEL",
            "SINGH",
            "KUMAR",
            "GUPTA",
            "REDDY",
            "IYER",
            "NAIR",
            "RAO",
            "JOSHI",
            "MEHTA",
            "DESAI",
            "CHOPRA",
            "MALHOTRA",
            "BANERJEE",
            "CHATTERJEE",
            "PILLAI",
            "VERMA",
        ),
    ),
    "pakistani": (
        (
            "MUHAMMAD",
            "IMRAN",
            "ASIF",
            "BILAL",
            "USMAN",
            "AYESHA",
            "SANA",
            "FAHAD",
            "ZEESHAN",
            "HINA",
            "KASHIF",
            "NADIA",
            "SHAHID",
            "TARIQ",
            "ADNAN",
        ),
        (
            "KHAN",
            "AHMED",
            "MALIK",
            "QURESHI",
            "CHAUDHRY",
            "BUTT",
            "SHEIKH",
            "RAZA",
            "IQBAL",
            "AWAN",
            "MIRZA",
            "ABBASI",
            "SIDDIQUI",
            "HASHMI",
            "JAVED",
        ),
    ),
    "hispanic": (
        (
            "JOSE",
            "JUAN",
            "LUIS",
            "CARLOS",
            "JORGE",
            "MIGUEL",
            "MARIA",
            "ANA",
            "CARMEN",
            "LAURA",
            "SOFIA",
            "VALENTINA",
            "DIEGO",
            "ALEJANDRO",
            "FERNANDO",
            "ISABEL",
            "PABLO",
            "LUCIA",
        ),
        (
            "GARCIA",
            "RODRIGUEZ",
            "MARTINEZ",
            "HERNANDEZ",
            "LOPEZ",
            "GONZALEZ",
            "PEREZ",
            "SANCHEZ",
            "RAMIREZ",
            "TORRES",
            "FLORES",
            "RIVERA",
            "GOMEZ",
            "DIAZ",
            "MORALES",
            "JIMENEZ",
            "RUIZ",
            "ALVAREZ",
            "CASTILLO",
            "ROMERO",
            "VARGAS",
            "MENDOZA",
        ),
    ),
    "anglo": (
        (
            "JAMES",
            "JOHN",
            "ROBERT",
            "MICHAEL",
            "WILLIAM",
            "DAVID",
            "MARY",
            "PATRICIA",
            "JENNIFER",
            "LINDA",
            "ELIZABETH",
            "SARAH",
            "EMILY",
            "THOMAS",
            "DANIEL",
            "JESSICA",
            "OLIVER",
            "GRACE",
        ),
        (
            "SMITH",
            "JOHNSON",
            "WILLIAMS",
            "BROWN",
            "JONES",
            "MILLER",
            "DAVIS",
            "WILSON",
            "ANDERSON",
            "TAYLOR",
            "THOMAS",
            "MOORE",
            "JACKSON",
            "WHITE",
            "HARRIS",
            "CLARK",
            "LEWIS",
            "WALKER",
            "HALL",
            "YOUNG",
            "ALLEN",
            "WRIGHT",
            "SCOTT",
            "GREEN",
        ),
    ),
    "german": (
        (
            "LUKAS",
            "FELIX",
            "JONAS",
            "LEON",
            "MAXIMILIAN",
            "ANNA",
            "LENA",
            "LEONIE",
            "HANNAH",
            "JUERGEN",
            "KLAUS",
            "UWE",
            "SABINE",
            "MONIKA",
            "STEFAN",
            "ANDREAS",
            "KATRIN",
        ),
        (
            "MUELLER",
            "SCHMIDT",
            "SCHNEIDER",
            "FISCHER",
            "WEBER",
            "MEYER",
            "WAGNER",
            "BECKER",
            "SCHULZ",
            "HOFFMANN",
            "SCHAEFER",
            "KOCH",
            "RICHTER",
            "KLEIN",
            "WOLF",
            "SCHROEDER",
            "NEUMANN",
            "ZIMMERMANN",
            "BRAUN",
            "KRUEGER",
        ),
    ),
    "french": (
        (
            "JEAN",
            "PIERRE",
            "MICHEL",
            "PHILIPPE",
            "NICOLAS",
            "MARIE",
            "NATHALIE",
            "ISABELLE",
            "CAMILLE",
            "CHLOE",
            "LOUIS",
            "HUGO",
            "MANON",
            "JULIEN",
            "CELINE",
            "ANTOINE",
        ),
        (
            "MARTIN",
            "BERNARD",
            "DUBOIS",
            "THOMAS",
            "ROBERT",
            "RICHARD",
            "PETIT",
            "DURAND",
            "LEROY",
            "MOREAU",
            "SIMON",
            "LAURENT",
            "LEFEBVRE",
            "MICHEL",
            "GARNIER",
            "FAURE",
            "ROUSSEAU",
            "BLANC",
            "GUERIN",
            "MULLER",
        ),
    ),
    "west_african": (
        (
            "CHINEDU",
            "OLUWASEUN",
            "EMEKA",
            "NGOZI",
            "ADAEZE",
            "BABAJIDE",
            "FUNMILAYO",
            "KWAME",
            "KOFI",
            "AMA",
            "ABENA",
            "YAW",
            "AMINATA",
            "MAMADOU",
            "FATOUMATA",
            "SEYDOU",
            "IBRAHIMA",
        ),
        (
            "OKAFOR",
            "ADEYEMI",
            "OKONKWO",
            "BELLO",
            "OGUNLEYE",
            "NWOSU",
            "MENSAH",
            "BOATENG",
            "OWUSU",
            "ASANTE",
            "DIALLO",
            "TRAORE",
            "KEITA",
            "COULIBALY",
            "TOURE",
            "KONE",
            "SOW",
        ),
    ),
    "east_african": (
        (
            "ABDI",
            "HODAN",
            "FARAH",
            "AMINA",
            "GETACHEW",
            "TESFAYE",
            "ALMAZ",
            "SELAM",
            "JUMA",
            "WANJIKU",
            "OTIENO",
            "AKINYI",
            "BARAKA",
            "NEEMA",
        ),
        (
            "MOHAMED",
            "HASSAN",
            "WARSAME",
            "OSMAN",
            "TADESSE",
            "BEKELE",
            "GIRMA",
            "HAILE",
            "KAMAU",
            "MWANGI",
            "ODHIAMBO",
            "OCHIENG",
            "NJOROGE",
            "MUTUA",
        ),
    ),
    "balkan": (
        (
            "MARKO",
            "NIKOLA",
            "STEFAN",
            "LUKA",
            "MILOS",
            "JOVANA",
            "MILICA",
            "ANA",
            "IVANA",
            "DRAGAN",
            "ZORAN",
            "GORAN",
            "ALEKSANDAR",
            "SNEZANA",
            "EMIR",
            "AIDA",
        ),
        (
            "JOVANOVIC",
            "PETROVIC",
            "NIKOLIC",
            "MARKOVIC",
            "DJORDJEVIC",
            "STOJANOVIC",
            "ILIC",
            "PAVLOVIC",
            "HODZIC",
            "KOVACEVIC",
            "BABIC",
            "HORVAT",
            "NOVAK",
            "BEGIC",
            "DELIC",
        ),
    ),
}


# Innocents counted without those whose name is a listed name with middle names left out.
STRICT = "innocent, own-name forms left out"


@dataclass(frozen=True, slots=True)
class Case:
    """One query with the entry it should find (None for an innocent traveller)."""

    kind: str
    query: PersonQuery
    text: str
    target: str | None
    birth: BirthDate | None
    # An innocent whose name is a listed name with listed middle names left out.
    own_name_form: bool = False


def load_persons(folder: Path) -> list[PersonEntry]:
    """Read individuals with the project's OFAC CSV loader."""
    from watchlists.loaders.ofac_csv import iter_records

    return [r for r in iter_records(folder, progress=False) if isinstance(r, PersonEntry)]


def in_split(entry_id: str, split: str) -> bool:
    """Put an entry in the dev or the test half by a stable hash of its id."""
    bit = hashlib.sha256(entry_id.encode()).digest()[0] & 1
    return bit == (0 if split == "dev" else 1)


_VARIANTS = {spelling: group for group in VARIANT_GROUPS for spelling in group}
_CANON = {fold(spelling): group[0] for group in VARIANT_GROUPS for spelling in group}
_KEYBOARD = {
    "A": "SQ",
    "B": "VN",
    "C": "XV",
    "D": "SF",
    "E": "WR",
    "F": "DG",
    "G": "FH",
    "H": "GJ",
    "I": "UO",
    "J": "HK",
    "K": "JL",
    "L": "K",
    "M": "N",
    "N": "BM",
    "O": "IP",
    "P": "O",
    "Q": "W",
    "R": "ET",
    "S": "AD",
    "T": "RY",
    "U": "YI",
    "V": "CB",
    "W": "QE",
    "X": "ZC",
    "Y": "TU",
    "Z": "X",
}
# Letter pairs OCR engines confuse on an MRZ.
_OCR = {
    "O": "Q",
    "Q": "O",
    "I": "L",
    "L": "I",
    "M": "N",
    "N": "M",
    "U": "V",
    "V": "U",
    "E": "F",
    "F": "E",
    "C": "G",
    "G": "C",
    "H": "N",
    "B": "E",
    "K": "X",
    "X": "K",
}


def typo(token: str, rng: random.Random) -> str:
    """Apply one typing or OCR error to a token."""
    i = rng.randrange(len(token))
    roll = rng.random()
    if roll < 0.3:
        return token[:i] + rng.choice(_KEYBOARD.get(token[i], "E")) + token[i + 1 :]
    if roll < 0.5:
        return token[:i] + _OCR.get(token[i], "E") + token[i + 1 :]
    if roll < 0.7:
        return token[:i] + token[i + 1 :]
    if roll < 0.85:
        return token[:i] + token[i] + token[i:]
    if i + 1 < len(token):
        return token[:i] + token[i + 1] + token[i] + token[i + 2 :]
    return token[:i] + rng.choice("AEIOU") + token[i + 1 :]


def parts(entry: PersonEntry) -> tuple[list[str], list[str]]:
    """Return the primary name's surname and given-name tokens."""
    primary = entry.names[0]
    if primary.family is not None:
        return list(tokenize(primary.family)), list(tokenize(primary.given or ""))
    tokens = list(tokenize(primary.full))
    return tokens[-1:], tokens[:-1]


def mrz_field(surname: list[str], given: list[str], width: int) -> str:
    """Write a name as an MRZ name field, cut to `width` characters."""
    field = "<".join(surname) + "<<" + "<".join(given)
    return field[:width].rstrip("<")


def traveller_birth(listed: tuple[BirthDate, ...], rng: random.Random) -> BirthDate | None:
    """Return the birth date the real traveller would carry, from a listed one."""
    if not listed:
        return None
    first = listed[0]
    year = rng.randint(first.year_from, first.year_to)
    return BirthDate(year, year, first.month or rng.randint(1, 12), first.day or rng.randint(1, 28))


def perturbations(entry: PersonEntry, rng: random.Random) -> Iterator[tuple[str, PersonQuery]]:
    """Yield (kind, query) for each way the entry's primary name is perturbed."""
    surname, given = parts(entry)
    if not surname or not given:
        return
    all_tokens = surname + given
    yield "mrz", PersonQuery(name=mrz_field(surname, given, 39))
    yield "swap", PersonQuery(name=" ".join(given + surname))
    if len(all_tokens) >= 3:
        middle = [t for t in given[1:]] or given
        dropped = rng.choice(middle)
        kept = list(given)
        kept.remove(dropped)
        if kept:
            yield "drop middle", PersonQuery(surname=" ".join(surname), given_names=" ".join(kept))
    field = "<".join(surname) + "<<" + "<".join(given)
    if len(field) > 30:
        # Cut as a TD1 card (30) or a passport (39) would, whichever cuts this name.
        width = 39 if len(field) > 39 else 30
        yield "truncated", PersonQuery(name=mrz_field(surname, given, width))
    long_tokens = [i for i, t in enumerate(all_tokens) if len(t) >= 4 and t not in PARTICLES]
    if long_tokens:
        for errors in (1, 2):
            changed = list(all_tokens)
            for _ in range(errors):
                i = rng.choice(long_tokens)
                changed[i] = typo(changed[i], rng)
            yield (
                f"{errors} typo",
                PersonQuery(
                    surname=" ".join(changed[: len(surname)]),
                    given_names=" ".join(changed[len(surname) :]),
                ),
            )
    in_group = [i for i, t in enumerate(all_tokens) if t in _VARIANTS]
    if in_group:
        i = rng.choice(in_group)
        others = [s for s in _VARIANTS[all_tokens[i]] if s != all_tokens[i]]
        changed = list(all_tokens)
        changed[i] = rng.choice(others)
        yield (
            "variant",
            PersonQuery(
                surname=" ".join(changed[: len(surname)]),
                given_names=" ".join(changed[len(surname) :]),
            ),
        )


def query_text(query: PersonQuery) -> str:
    """Return the query as one plain string for the brute-force baselines."""
    if query.name is not None:
        return normalize_name(query.name)
    return normalize_name(f"{query.surname or ''} {query.given_names or ''}")


def listed_cases(persons: list[PersonEntry], split: str, seed: int, per_kind: int) -> list[Case]:
    """Build queries for listed persons: aliases and perturbed primary names."""
    rng = random.Random(seed)
    by_kind: dict[str, list[Case]] = {}
    for entry in persons:
        if not in_split(entry.entry_id, split):
            continue
        birth = traveller_birth(entry.birth_dates, rng)
        aliases = [n for n in entry.names[1:] if n.quality is NameQuality.STRONG]
        if aliases:
            alias = rng.choice(aliases)
            query = PersonQuery(name=alias.full)
            by_kind.setdefault("alias", []).append(
                Case("alias", query, query_text(query), entry.entry_id, birth)
            )
        for kind, query in perturbations(entry, rng):
            by_kind.setdefault(kind, []).append(
                Case(kind, query, query_text(query), entry.entry_id, birth)
            )
    cases: list[Case] = []
    for kind in sorted(by_kind):
        group = by_kind[kind]
        rng.shuffle(group)
        cases.extend(group[:per_kind])
    return cases


def listed_key(text: str) -> str:
    """Return a name key that also equates variant spellings (MOHAMMED SALEH = SALEH MOHAMMAD)."""
    return " ".join(sorted(_CANON.get(t, t) for t in name_key(text).split()))


def middle_dropped_keys(persons: list[PersonEntry]) -> set[str]:
    """Return the keys of every listed name with one or more listed middle names left out.

    The form a travel document may carry (OLGA STEPANOVA for STEPANOVA, Olga G.): the
    surname and the first given name kept, any non-empty set of the later given names dropped.
    The listed queries of kind "drop middle" are such forms and must alert, so an innocent with
    one of these names is scored both ways: as an innocent, and left out of the strict count.
    """
    keys: set[str] = set()
    for person in persons:
        for name in person.names:
            if name.family is not None:
                surname = list(tokenize(name.family))
                given = list(tokenize(name.given or ""))
            else:
                tokens = list(tokenize(name.full))
                surname, given = tokens[-1:], tokens[:-1]
            middle = given[1:]
            if not surname or not middle or len(middle) > 6:
                continue
            for mask in range(1, 1 << len(middle)):
                kept = [t for i, t in enumerate(middle) if not mask >> i & 1]
                keys.add(listed_key(" ".join(surname + given[:1] + kept)))
    return keys


def innocent_cases(persons: list[PersonEntry], seed: int, count: int) -> tuple[list[Case], int]:
    """Generate innocents whose name key is no listed name's; also return how many were dropped.

    Innocents whose name is a listed name with listed middle names left out are kept (the
    generator is unchanged) but marked `own_name_form`, so both counts can be reported.
    """
    rng = random.Random(seed)
    listed = {listed_key(n.full) for p in persons for n in p.names}
    own_forms = middle_dropped_keys(persons)
    cultures = sorted(CULTURES)
    cases: list[Case] = []
    excluded = 0
    while len(cases) < count:
        given_pool, surname_pool = CULTURES[rng.choice(cultures)]
        given = [rng.choice(given_pool)]
        if rng.random() < 0.35:
            second = rng.choice(given_pool)
            if second != given[0]:
                given.append(second)
        surname = [rng.choice(surname_pool)]
        if rng.random() < 0.15:
            surname.append(rng.choice(surname_pool))
        text = " ".join(given + surname)
        if listed_key(text) in listed:
            excluded += 1
            continue
        year = rng.randint(1940, 2006)
        birth = BirthDate(year, year, rng.randint(1, 12), rng.randint(1, 28))
        query = PersonQuery(surname=" ".join(surname), given_names=" ".join(given))
        own = listed_key(text) in own_forms
        cases.append(Case("innocent", query, normalize_name(text), None, birth, own))
    return cases, excluded


@dataclass
class Tally:
    """Counts for one method on one kind of query."""

    queries: int = 0
    alerted: int = 0
    at_one: int = 0
    at_ten: int = 0

    def add(self, ranked: list[str], target: str | None) -> None:
        self.queries += 1
        if target is None:
            self.alerted += bool(ranked)
            return
        self.alerted += target in ranked
        self.at_one += ranked[:1] == [target]
        self.at_ten += target in ranked[:10]


def ours(case: Case, index: PersonIndex, config: ScreeningConfig, with_birth: bool) -> list[str]:
    query = case.query
    if with_birth and case.birth is not None:
        query = replace(query, birth_date=case.birth)
    return [hit.entry_id for hit in screen_person(query, index, config)]


def dob_contradicts(listed: tuple[BirthDate, ...], birth: BirthDate | None) -> bool:
    """Tell whether every listed birth date is more than a year away from the traveller's."""
    if birth is None or not listed:
        return False
    return all(birth.year_from > b.year_to + 1 or birth.year_to < b.year_from - 1 for b in listed)


def false_identity_birth(listed: tuple[BirthDate, ...], rng: random.Random) -> BirthDate:
    """Return a birth date more than a year from every listed one, as a forged document's."""
    while True:
        year = rng.randint(1940, 2006)
        birth = BirthDate(year, year, rng.randint(1, 12), rng.randint(1, 28))
        if dob_contradicts(listed, birth):
            return birth


def best_possible(hits: list[Hit], target: str | None) -> float | None:
    """Return the best name score of a possible hit (of the target, when there is one)."""
    scores = [
        hit.reasons[-1].score
        for hit in hits
        if hit.possible and (target is None or hit.entry_id == target)
    ]
    return max(scores, default=None)


def possible_band(
    cases: list[Case],
    innocents: list[Case],
    persons: list[PersonEntry],
    index: PersonIndex,
    floors: list[float],
    seed: int,
) -> None:
    """Report what possible_match_floor adds at each floor (one run at the lowest floor).

    A possible hit at floor f is one whose name score is at least f, so one run at the lowest
    floor serves them all; max_hits is the only difference, and no query here comes near it.
    """
    rng = random.Random(seed)
    births = {p.entry_id: p.birth_dates for p in persons}
    config = replace(ScreeningConfig(), possible_match_floor=min(floors))
    listed: dict[str, list[float | None]] = {}
    real_hits = 0
    started = time.perf_counter()
    for case in cases:
        assert case.target is not None
        if not births[case.target]:
            continue
        birth = false_identity_birth(births[case.target], rng)
        hits = screen_person(replace(case.query, birth_date=birth), index, config)
        real_hits += any(h.entry_id == case.target and not h.possible for h in hits)
        score = best_possible(hits, case.target)
        listed.setdefault(case.kind, []).append(score)
        listed.setdefault("ALL listed", []).append(score)
    innocent: list[float | None] = []
    for case in innocents:
        hits = screen_person(replace(case.query, birth_date=case.birth), index, config)
        # Only a possible alert on a traveller who had no real alert is an extra one.
        innocent.append(None if any(not h.possible for h in hits) else best_possible(hits, None))
    seconds = time.perf_counter() - started
    print(
        "\n### possible matches: listed queries with a false identity's birth date,"
        " innocents with their own\n"
    )
    print(f"(real hits of the right entry with the false birth date: {real_hits})\n")
    print("| query kind | n |" + "".join(f" floor {f:.2f} |" for f in floors))
    print("|" + " --- |" * (2 + len(floors)))
    for kind in sorted(listed, key=lambda k: (k == "ALL listed", k)):
        found = listed[kind]
        row = f"| {kind} | {len(found)} |"
        for floor in floors:
            reached = sum(s is not None and s >= floor for s in found)
            row += f" {100 * reached / len(found):.1f}% |"
        print(row)
    row = f"| innocents: extra possible alerts per 1,000 | {len(innocent)} |"
    for floor in floors:
        extra = sum(s is not None and s >= floor for s in innocent)
        row += f" {1000 * extra / len(innocent):.1f} ({extra}) |"
    print(row)
    print(f"\nseconds: {seconds:.1f}")


def baseline(
    case: Case,
    names: list[str],
    owners: list[PersonEntry],
    scorer: BruteForceScorer,
    cutoff: float,
    with_birth: bool,
) -> list[str]:
    ranked: list[str] = []
    for position, _score in brute_force(case.text, names, scorer, cutoff):
        owner = owners[position]
        if with_birth and dob_contradicts(owner.birth_dates, case.birth):
            continue
        if owner.entry_id not in ranked:
            ranked.append(owner.entry_id)
    return ranked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", type=Path, default=DEFAULT_LIST, help="OFAC CSV folder")
    parser.add_argument("--split", choices=("dev", "test"), default="test")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--per-kind", type=int, default=400, help="listed queries per kind")
    parser.add_argument("--innocents", type=int, default=4000)
    parser.add_argument("--no-baselines", action="store_true", help="skip brute force")
    parser.add_argument("--show-misses", type=int, default=0, help="print this many misses")
    parser.add_argument(
        "--possible-floors",
        type=lambda text: sorted(float(f) for f in text.split(",")),
        default=None,
        help="also measure the possible-match band at these floors (comma-separated)",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    persons = load_persons(args.list)
    config = ScreeningConfig()
    index = PersonIndex.build("ofac", 1, persons)
    build_seconds = time.perf_counter() - started
    offset = 1 if args.split == "dev" else 2
    cases = listed_cases(persons, args.split, args.seed, args.per_kind)
    innocents, excluded = innocent_cases(persons, args.seed + offset, args.innocents)
    print(
        f"list {args.list.name}: {len(persons)} individuals, {index.name_count} names;"
        f" index built in {build_seconds:.1f} s; split {args.split}, seed {args.seed};"
        f" {len(cases)} listed queries, {len(innocents)} innocents"
        f" ({excluded} generated names dropped as listed)"
    )
    names = [n.full for p in persons for n in p.names]
    owners = [p for p in persons for _ in p.names]
    plain = [normalize_name(n) for n in names]
    methods: dict[str, tuple[BruteForceScorer, float] | None] = {"ours": None}
    if not args.no_baselines:
        methods["WRatio@85"] = (BruteForceScorer.WRATIO, 85.0)
        methods["token_sort@90"] = (BruteForceScorer.TOKEN_SORT_RATIO, 90.0)
    results: dict[tuple[str, bool, str], Tally] = {}
    timings: dict[str, float] = {}
    misses: list[str] = []
    for method, spec in methods.items():
        for with_birth in (False, True):
            clock = time.perf_counter()
            for case in cases + innocents:
                if with_birth and case.birth is None:
                    continue
                if spec is None:
                    ranked = ours(case, index, config, with_birth)
                else:
                    scorer, cutoff = spec
                    ranked = baseline(case, plain, owners, scorer, cutoff, with_birth)
                results.setdefault((method, with_birth, case.kind), Tally()).add(
                    ranked, case.target
                )
                results.setdefault(
                    (method, with_birth, "ALL listed" if case.target else "innocent*"), Tally()
                )
                if case.target is not None:
                    results[(method, with_birth, "ALL listed")].add(ranked, case.target)
                elif not case.own_name_form:
                    results.setdefault((method, with_birth, STRICT), Tally()).add(ranked, None)
                wrong = (
                    ranked
                    if case.target is None
                    else ([] if case.target in ranked else ["(missed)"])
                )
                if spec is None and wrong and len(misses) < args.show_misses:
                    mode = "+dob" if with_birth else "names"
                    misses.append(
                        f"{mode} {case.kind}: {case.text!r} -> {ranked[:3]} want {case.target}"
                    )
            timings[f"{method} {'+dob' if with_birth else 'names'}"] = time.perf_counter() - clock
    report(results, methods, timings)
    for line in misses:
        print("  miss", line)
    if args.possible_floors:
        possible_band(cases, innocents, persons, index, args.possible_floors, args.seed + 3)
    return 0


def report(
    results: dict[tuple[str, bool, str], Tally],
    methods: dict[str, tuple[BruteForceScorer, float] | None],
    timings: dict[str, float],
) -> None:
    summaries = ("ALL listed", "innocent*", "innocent", STRICT)
    kinds = sorted({k for _, _, k in results if k not in summaries})
    for with_birth in (False, True):
        title = "with birth dates" if with_birth else "names alone"
        print(f"\n### {title}\n")
        header = "| query kind | n |" + "".join(
            f" {m} alerted | {m} r@1 | {m} r@10 |" for m in methods
        )
        print(header)
        print("|" + " --- |" * (2 + 3 * len(methods)))
        for kind in [*kinds, "ALL listed"]:
            first = results.get((next(iter(methods)), with_birth, kind))
            if first is None:
                continue
            row = f"| {kind} | {first.queries} |"
            for method in methods:
                t = results[(method, with_birth, kind)]
                row += (
                    f" {100 * t.alerted / t.queries:.1f}% | {100 * t.at_one / t.queries:.1f}% |"
                    f" {100 * t.at_ten / t.queries:.1f}% |"
                )
            print(row)
        labels = (
            ("innocent", "innocents: false hits per 1,000"),
            (STRICT, "innocents minus listed names with a middle name left out: per 1,000"),
        )
        for key, label in labels:
            first = results[(next(iter(methods)), with_birth, key)]
            row = f"| {label} | {first.queries} |"
            for method in methods:
                t = results[(method, with_birth, key)]
                row += f" {1000 * t.alerted / t.queries:.1f} | | |"
            print(row)
    print("\nseconds per run:", ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))


if __name__ == "__main__":
    sys.exit(main())
