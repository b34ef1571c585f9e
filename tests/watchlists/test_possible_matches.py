"""Possible matches: a listed name with a contradicting birth date is shown, not dropped.

A wanted person travelling on a false identity carries the listed name and another birth date.
With `possible_match_floor` set, such a name comes back as a possible hit that says what differs;
with it unset (the default, and what sanctions lists use) screening is exactly as without it.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchlists.config import WANTED_POSSIBLE_MATCH_FLOOR, ScreeningConfig
from watchlists.index import PersonIndex
from watchlists.models import BirthDate, EntryName, NameQuality, PersonEntry
from watchlists.screening import PersonQuery, screen_person

OFF = ScreeningConfig()
WANTED = ScreeningConfig(possible_match_floor=WANTED_POSSIBLE_MATCH_FLOOR)


def make_person(entry_id, name, **overrides):
    family, _, given_names = name.partition(",")
    entry_name = EntryName(
        name, NameQuality.PRIMARY, given=given_names.strip(), family=family.strip()
    )
    return PersonEntry(entry_id=entry_id, names=(entry_name,), **overrides)


LISTED = [
    make_person(
        "w1",
        "OKONKWO, Chinedu Emmanuel",
        birth_dates=(BirthDate(1980, 1980, 1, 1),),
        sex="M",
        nationalities=("NGA",),
        category="wanted",
        action="arrest",
    ),
    make_person("w2", "KOVALENKO, Dmytro Ivanovych", birth_dates=(BirthDate(1975, 1975, 6, 3),)),
    make_person("w3", "DUPONT, Jean-Luc", birth_dates=(BirthDate(1969, 1969, 12, 24),)),
    make_person("w4", "OKONKWO, Chinedu", birth_dates=(BirthDate(1990, 1990, 5, 5),)),
]
ORDINARY = [
    make_person(f"o{i}", f"{surname}, {given}")
    for i, (surname, given) in enumerate(
        (s, g)
        for s in ("SMITH", "GARCIA", "KIM", "ALI", "KHAN", "PETROV")
        for g in ("John", "Maria", "Ahmed", "Ivan", "Omar", "Anna")
    )
]


@pytest.fixture(scope="module")
def index():
    return PersonIndex.build("wanted", 2, LISTED + ORDINARY)


def false_identity(**overrides):
    fields = {"surname": "OKONKWO", "given_names": "CHINEDU EMMANUEL"}
    fields["birth_date"] = date(1988, 3, 2)
    return PersonQuery(**(fields | overrides))


def test_an_exact_listed_name_born_another_day_is_dropped_when_the_floor_is_off(index):
    assert screen_person(false_identity(), index, OFF) == []


def test_with_a_floor_it_comes_back_as_a_possible_match_that_says_what_differs(index):
    hits = screen_person(false_identity(), index, WANTED)
    assert [hit.entry_id for hit in hits] == ["w1"]
    hit = hits[0]
    assert hit.possible
    assert hit.score < hit.threshold == WANTED.threshold
    assert (hit.category, hit.action) == ("wanted", "arrest")
    features = [reason.feature for reason in hit.reasons]
    assert features == ["name", "surname", "given names", "birth date", "possible match"]
    possible = hit.reasons[-1]
    assert possible.score == hit.reasons[0].score == 1.0
    assert possible.detail == (
        "name matches; birth date differs: 1988-03-02 vs 1980-01-01 (different)"
    )


def test_every_contradicting_fact_is_named(index):
    query = false_identity(sex="F", nationality="GHA")
    (hit,) = screen_person(query, index, WANTED)
    assert hit.possible
    assert hit.reasons[-1].detail == (
        "name matches; birth date differs: 1988-03-02 vs 1980-01-01 (different);"
        " nationality differs: GHA not in NGA; sex differs: F≠M"
    )


def test_a_different_sex_alone_can_make_a_possible_match(index):
    query = false_identity(birth_date=None, sex="F")
    # OKONKWO, Chinedu (w4) is on the document whole, with no sex listed: a hit of its own.
    assert [h.entry_id for h in screen_person(query, index, OFF)] == ["w4"]
    (hit,) = [h for h in screen_person(query, index, WANTED) if h.entry_id == "w1"]
    assert hit.possible
    assert hit.reasons[-1].detail == "name matches; sex differs: F≠M"


def test_the_same_birth_date_gives_a_normal_hit(index):
    hits = screen_person(false_identity(birth_date=date(1980, 1, 1)), index, WANTED)
    assert hits[0].entry_id == "w1"
    assert not any(hit.possible for hit in hits)
    assert all("possible match" not in {r.feature for r in hit.reasons} for hit in hits)


def test_a_name_the_list_holds_without_contradiction_is_never_possible(index):
    hits = screen_person(PersonQuery(surname="DUPONT", given_names="JEAN LUC"), index, WANTED)
    assert [(hit.entry_id, hit.possible) for hit in hits] == [("w3", False)]


def test_possible_matches_come_after_real_hits_and_within_max_hits(index):
    # Born the day w4 was: w4 hits on its birthday; w1 has the whole name but another birth date.
    query = false_identity(birth_date=date(1990, 5, 5))
    hits = screen_person(query, index, WANTED)
    assert [(hit.entry_id, hit.possible) for hit in hits] == [("w4", False), ("w1", True)]
    capped = dataclasses.replace(WANTED, max_hits=1)
    assert [hit.entry_id for hit in screen_person(query, index, capped)] == ["w4"]


@pytest.mark.parametrize(
    "near_exact",
    [
        false_identity(),
        false_identity(surname=None, given_names=None, name="OKONKWO<<CHINEDU<EMMANUEL"),
        false_identity(surname=None, given_names=None, name="CHINEDU EMMANUEL OKONKWO"),
        false_identity(surname="OKONKOW"),
    ],
    ids=["exact", "MRZ form", "reordered", "one typo"],
)
def test_the_recommended_floor_takes_exact_and_near_exact_names(index, near_exact):
    assert [(h.entry_id, h.possible) for h in screen_person(near_exact, index, WANTED)][:1] == [
        ("w1", True)
    ]


@pytest.mark.parametrize(
    "loose",
    [
        false_identity(surname="KOVALENKO", given_names="DMYTRO"),
        false_identity(surname="OKONKWA", given_names="CHINEDO EMMANUEL"),
        false_identity(surname="OKONKWA", given_names="CHINEDO"),
    ],
    ids=["middle name left out", "two typos", "two typos and middle name left out"],
)
def test_the_recommended_floor_leaves_loose_names_out(index, loose):
    assert screen_person(loose, index, WANTED) == []


# -- the band only adds -----------------------------------------------------------------------

_TOKENS = ["OKONKWO", "OKONKOW", "CHINEDU", "EMMANUEL", "KOVALENKO", "DMYTRO", "IVANOVYCH"]
_TOKENS += ["DUPONT", "JEAN", "LUC", "SMITH", "ANNA", "PETROV", "IVAN", "KHAN", "OMAR"]
_DATES = [date(1980, 1, 1), date(1988, 3, 2), date(1975, 6, 3), date(1990, 5, 5), None]
queries = st.builds(
    PersonQuery,
    surname=st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=2).map(" ".join),
    given_names=st.lists(st.sampled_from(_TOKENS), max_size=2).map(" ".join),
    birth_date=st.sampled_from(_DATES),
    sex=st.sampled_from([None, "M", "F"]),
    nationality=st.sampled_from([None, "NGA", "GHA"]),
)


@settings(max_examples=150, deadline=None)
@given(query=queries, floor=st.sampled_from([0.8, WANTED_POSSIBLE_MATCH_FLOOR, 1.0]))
def test_a_floor_only_adds_possible_hits_after_the_real_ones(index, query, floor):
    off = screen_person(query, index, OFF)
    on = screen_person(query, index, dataclasses.replace(OFF, possible_match_floor=floor))
    assert not any(hit.possible for hit in off)
    assert all(hit.score >= hit.threshold for hit in off)
    assert [hit for hit in on if not hit.possible] == off
    assert on[: len(off)] == off
    for hit in on[len(off) :]:
        assert hit.possible and hit.score < hit.threshold
        assert hit.reasons[-1].feature == "possible match"
        assert hit.reasons[-1].score >= floor
        assert "differs" in hit.reasons[-1].detail
