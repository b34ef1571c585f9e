"""Innocent travellers by culture, their names composed as that culture's passports write them.

The cultures and name pools of `screening_quality.CULTURES` (one or two given names, one surname
now and then two), with these written as their documents do:

- arabic: own name, father's name and, two times in five, grandfather's name as given names,
  then the family name (the chain of names of Gulf and Levant passports);
- persian: one given name, one time in five a compound (MOHAMMAD REZA), then the surname;
- pashto: a given name, one time in three followed by KHAN, JAN, GUL, SHAH ..., then a tribal or
  family surname (AHMADZAI, ZADRAN);
- somali: own name and father's name as given names, grandfather's name as the surname;
- chinese: surname, then a given name of one syllable or two written as one word (XIAOMING);
- korean: surname, then a two-syllable given name written as one word (MINJUN);
- hispanic: one or two given names, then both surnames (paternal, maternal).

Surnames of the Chinese, Korean and Hispanic pools are drawn as often as their rank suggests
(weight 1/rank for Korean, 1/sqrt(rank) for Chinese and Hispanic: a few names carry much of each
population); every other pool is drawn uniformly. Each culture gets the same number of
travellers, so per-culture rates are comparable.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from screening_quality import CULTURES

from watchlists.models import BirthDate

_ARABIC_MALE = (
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
    "KARIM",
    "NABIL",
    "WALID",
    "ABDULLAH",
    "FAISAL",
    "SALEH",
    "HUSSEIN",
    "ABDELRAHMAN",
    "SAID",
    "JAMAL",
    "ADEL",
    "MAJED",
)
_PERSIAN_COMPOUND_FIRST = ("MOHAMMAD", "ALI", "AMIR", "SEYED", "ABOL")
_PASHTO_GIVEN = (
    "AHMAD",
    "MOHAMMAD",
    "GUL",
    "NOOR",
    "ZABIHULLAH",
    "HEKMATULLAH",
    "RAHMATULLAH",
    "SAMIULLAH",
    "NASIR",
    "WAHIDULLAH",
    "MIRWAIS",
    "HAMID",
    "FARID",
    "SHAFIQ",
    "ZALMAI",
    "AJMAL",
    "ASADULLAH",
    "BASHIR",
    "JAWED",
    "NAJIB",
    "RAHIM",
    "SHER",
    "WALI",
    "MALALAI",
    "PARWANA",
    "GULALAI",
    "NAZIA",
    "ZARGHONA",
    "SHABANA",
    "FARZANA",
)
_PASHTO_SECOND = ("KHAN", "JAN", "GUL", "SHAH", "MOHAMMAD", "AHMAD")
_PASHTO_SURNAMES = (
    "AHMADZAI",
    "POPALZAI",
    "YUSUFZAI",
    "SHINWARI",
    "ZADRAN",
    "KAKAR",
    "MOHMAND",
    "WARDAK",
    "DURRANI",
    "BARAKZAI",
    "ACHAKZAI",
    "NOORZAI",
    "ALIKOZAI",
    "STANIKZAI",
    "MANGAL",
    "KHOGYANI",
    "AFRIDI",
    "SAFI",
    "JALALI",
    "NIAZI",
    "HOTAK",
    "TARAKI",
    "GHILZAI",
    "SAMADI",
    "KHALILI",
    "AMINI",
    "HAKIMI",
    "SAHAK",
)
_SOMALI_MALE = (
    "MOHAMED",
    "ABDI",
    "ABDIRAHMAN",
    "ABDULLAHI",
    "AHMED",
    "ALI",
    "HASSAN",
    "HUSSEIN",
    "OMAR",
    "YUSUF",
    "ISMAIL",
    "ABDIKARIM",
    "ABDIRIZAK",
    "FARAH",
    "WARSAME",
    "GULED",
    "LIBAN",
    "ADEN",
    "DAHIR",
    "ELMI",
    "MOHAMUD",
    "NUR",
    "OSMAN",
    "SAMATAR",
    "IBRAHIM",
    "ISSE",
    "HASHI",
    "MUSE",
    "ROBLE",
    "JAMA",
    "HIRSI",
    "GEDI",
    "EGAL",
    "DUALE",
    "ABDIWALI",
    "ABDIFATAH",
    "MUKTAR",
    "BASHIR",
    "ABDINASIR",
)
_SOMALI_FEMALE = (
    "HODAN",
    "AMINA",
    "FADUMO",
    "FARTUN",
    "HAWA",
    "IFRAH",
    "SAHRA",
    "NIMCO",
    "MUNA",
    "DEEQA",
    "ASHA",
    "KHADIJA",
    "FATUMA",
    "SAGAL",
    "UBAH",
    "ANAB",
    "NASRA",
    "HALIMO",
    "SAFIYA",
    "MARYAN",
    "LEYLA",
    "QAMAR",
)
# Most common first.
_CHINESE_SURNAMES = (
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
    "ZHENG",
    "LIANG",
    "XIE",
    "SONG",
    "TANG",
    "HAN",
    "FENG",
    "DENG",
    "CAO",
    "PENG",
    "ZENG",
    "XIAO",
    "TIAN",
    "DONG",
    "YUAN",
    "PAN",
    "YU",
    "JIANG",
    "CAI",
    "DU",
)
_CHINESE_SYLLABLES = (
    "WEI",
    "FANG",
    "NA",
    "XIU",
    "YING",
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
    "XIAO",
    "HUI",
    "LING",
    "HONG",
    "HUA",
    "JIAN",
    "PING",
    "GANG",
    "LAN",
    "YU",
    "XIN",
    "HAO",
    "YI",
    "YUN",
    "FEI",
    "BO",
    "LONG",
    "TING",
    "XUE",
    "MEI",
    "JIA",
    "ZHI",
    "WEN",
    "KAI",
    "RUI",
    "XIANG",
    "HAI",
    "SHAN",
    "QING",
    "BIN",
    "DONG",
)
# Most common first.
_KOREAN_SURNAMES = (
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
    "HWANG",
    "AHN",
    "SONG",
    "JEON",
    "HONG",
    "YOO",
    "KO",
    "MOON",
    "YANG",
    "SON",
    "BAE",
    "BAEK",
    "HEO",
    "NAM",
    "SIM",
)
_KOREAN_SYLLABLES = (
    "MIN",
    "JUN",
    "SEO",
    "YEON",
    "JI",
    "HO",
    "SU",
    "BIN",
    "HYUN",
    "WOO",
    "YE",
    "JIN",
    "DONG",
    "SUNG",
    "YOUNG",
    "EUN",
    "SEUNG",
    "HYE",
    "JAE",
    "SOO",
    "KYUNG",
    "HEE",
    "JOON",
    "TAE",
    "SANG",
    "CHUL",
    "KI",
    "HOON",
    "NA",
    "RA",
    "HA",
    "YUN",
    "WON",
    "GYU",
)


@dataclass(frozen=True, slots=True)
class Traveller:
    """An innocent traveller: culture, name as the document writes it, and birth date."""

    culture: str
    surname: str
    given: str
    birth: BirthDate

    @property
    def text(self) -> str:
        """Return given names then surname, as one line."""
        return f"{self.given} {self.surname}"


Composer = Callable[[random.Random], tuple[list[str], list[str]]]


def _ranked(pool: Sequence[str], power: float) -> Callable[[random.Random], str]:
    weights = [1.0 / (rank + 1) ** power for rank in range(len(pool))]
    return lambda rng: rng.choices(pool, weights)[0]


def _western(culture: str) -> Composer:
    given_pool, surname_pool = CULTURES[culture]

    def compose(rng: random.Random) -> tuple[list[str], list[str]]:
        given = [rng.choice(given_pool)]
        if rng.random() < 0.35:
            second = rng.choice(given_pool)
            if second != given[0]:
                given.append(second)
        surname = [rng.choice(surname_pool)]
        if rng.random() < 0.15:
            surname.append(rng.choice(surname_pool))
        return given, surname

    return compose


def _arabic(rng: random.Random) -> tuple[list[str], list[str]]:
    given_pool, surname_pool = CULTURES["arabic"]
    given = [rng.choice(given_pool), rng.choice(_ARABIC_MALE)]
    if rng.random() < 0.4:
        given.append(rng.choice(_ARABIC_MALE))
    return given, [rng.choice(surname_pool)]


def _persian(rng: random.Random) -> tuple[list[str], list[str]]:
    given_pool, surname_pool = CULTURES["persian"]
    given = [rng.choice(given_pool)]
    if rng.random() < 0.2:
        given.insert(0, rng.choice(_PERSIAN_COMPOUND_FIRST))
    return given, [rng.choice(surname_pool)]


def _pashto(rng: random.Random) -> tuple[list[str], list[str]]:
    given = [rng.choice(_PASHTO_GIVEN)]
    if rng.random() < 0.33:
        second = rng.choice(_PASHTO_SECOND)
        if second != given[0]:
            given.append(second)
    return given, [rng.choice(_PASHTO_SURNAMES)]


def _somali(rng: random.Random) -> tuple[list[str], list[str]]:
    own = rng.choice(_SOMALI_FEMALE if rng.random() < 0.5 else _SOMALI_MALE)
    return [own, rng.choice(_SOMALI_MALE)], [rng.choice(_SOMALI_MALE)]


_chinese_surname = _ranked(_CHINESE_SURNAMES, 0.5)
_korean_surname = _ranked(_KOREAN_SURNAMES, 1.0)
_hispanic_surname = _ranked(CULTURES["hispanic"][1], 0.5)


def _chinese(rng: random.Random) -> tuple[list[str], list[str]]:
    syllables = 1 if rng.random() < 0.3 else 2
    given = "".join(rng.choice(_CHINESE_SYLLABLES) for _ in range(syllables))
    return [given], [_chinese_surname(rng)]


def _korean(rng: random.Random) -> tuple[list[str], list[str]]:
    given = "".join(rng.sample(_KOREAN_SYLLABLES, 2))
    return [given], [_korean_surname(rng)]


def _hispanic(rng: random.Random) -> tuple[list[str], list[str]]:
    given_pool = CULTURES["hispanic"][0]
    given = [rng.choice(given_pool)]
    if rng.random() < 0.4:
        second = rng.choice(given_pool)
        if second != given[0]:
            given.append(second)
    first = _hispanic_surname(rng)
    second_surname = _hispanic_surname(rng)
    while second_surname == first:
        second_surname = _hispanic_surname(rng)
    return given, [first, second_surname]


COMPOSERS: dict[str, Composer] = {culture: _western(culture) for culture in CULTURES}
COMPOSERS.update(
    arabic=_arabic,
    persian=_persian,
    pashto=_pashto,
    somali=_somali,
    chinese=_chinese,
    korean=_korean,
    hispanic=_hispanic,
)


def travellers(
    count: int, seed: int, excluded: Callable[[str], bool]
) -> tuple[list[Traveller], int]:
    """Return `count` travellers spread evenly over cultures, and how many were left out.

    A generated name for which `excluded(text)` holds (its name is a listed name) is left out
    and another drawn in its place.
    """
    rng = random.Random(seed)
    cultures = sorted(COMPOSERS)
    found: list[Traveller] = []
    dropped = 0
    for position in range(count):
        culture = cultures[position % len(cultures)]
        while True:
            given, surname = COMPOSERS[culture](rng)
            year = rng.randint(1940, 2006)
            birth = BirthDate(year, year, rng.randint(1, 12), rng.randint(1, 28))
            traveller = Traveller(culture, " ".join(surname), " ".join(given), birth)
            if not excluded(traveller.text):
                break
            dropped += 1
        found.append(traveller)
    return found, dropped
