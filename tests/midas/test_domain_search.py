"""Movement-log search: fuzzy names through blocking keys, filters, post scoping, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from midas.domain.errors import InvalidInput, PermissionDenied
from midas.domain.pseudonyms import Pseudonyms
from midas.domain.search import CrossingQuery, name_score, search_crossings
from midas.domain.travellers import search_keys
from midas.persistence.models import AuditEvent, Decision, Direction
from tests.midas.crossing_builders import (
    NOW,
    load_lists,
    make_world,
    mrz,
    record,
    screener_for,
    tx,
)


@pytest.fixture
def world(session):
    return make_world(session)


PSEUDONYMS = Pseudonyms(b"test key")


@pytest.fixture
def screener(app, tmp_path):
    load_lists(app, tmp_path)
    return screener_for(app)


def search(session, actor, **filters):
    with tx(session):
        return search_crossings(session, actor, CrossingQuery(**filters), pseudonyms=PSEUDONYMS)


@pytest.mark.parametrize(
    "typed", ["Eriksson Anna", "ERIKSON ANA", "Erickson", "anna maria eriksen"]
)
def test_misspelt_names_find_the_traveller(session, world, screener, typed):
    record(session, world.officer, screener)
    record(session, world.officer, screener, mrz=mrz("OKAFOR", "CHIDI", "N1"))
    page = search(session, world.supervisor, name=typed)
    assert [c.traveller.surname for c in page.crossings] == ["ERIKSSON"]


def test_a_name_alone_never_matches_a_different_name(session, world, screener):
    record(session, world.officer, screener)
    assert search(session, world.supervisor, name="Okafor").total == 0


def test_filters_combine_and_pages_are_newest_first(session, world, screener):
    record(session, world.officer, screener)
    record(session, world.officer, screener, direction=Direction.EXIT, decision=Decision.REFERRED)
    page = search(session, world.chief, direction=Direction.EXIT, nationality="SE")
    assert page.total == 1 and page.crossings[0].decision is Decision.REFERRED
    first = search(session, world.chief, per_page=1)
    assert first.total == 2 and first.crossings[0].direction is Direction.EXIT


def test_decision_direction_and_time_filters_match_a_plain_filter_of_the_log(
    session, world, screener
):
    made = []
    for n, (hours, direction, decision) in enumerate(
        [
            (1, Direction.ENTRY, Decision.ADMITTED),
            (2, Direction.EXIT, Decision.ADMITTED),
            (3, Direction.ENTRY, Decision.REFUSED),
            (4, Direction.ENTRY, Decision.REFERRED),
            (5, Direction.EXIT, Decision.REFUSED),
        ]
    ):
        extra = {"refusal_reason": "B"} if decision is Decision.REFUSED else {}
        made.append(
            record(
                session, world.officer, screener, mrz=mrz(number=f"T{n}"), direction=direction,
                decision=decision, occurred_at=NOW - timedelta(hours=hours), **extra,
            ).crossing
        )  # fmt: skip
    windows = [(None, None), (NOW - timedelta(hours=3), None), (None, NOW - timedelta(hours=2)),
               (NOW - timedelta(hours=4), NOW - timedelta(hours=2))]  # fmt: skip
    for decision in (None, *Decision):
        for direction in (None, *Direction):
            for since, until in windows:
                expected = {
                    c.id
                    for c in made
                    if (decision is None or c.decision is decision)
                    and (direction is None or c.direction is direction)
                    and (since is None or c.occurred_at >= since)
                    and (until is None or c.occurred_at < until)  # `to` is exclusive
                }
                page = search(session, world.chief, decision=decision, direction=direction,
                              from_=since, to=until)  # fmt: skip
                assert {c.id for c in page.crossings} == expected, (decision, direction, since)
                assert page.total == len(expected)


def test_a_document_is_found_by_number_and_issuing_state(session, world, screener):
    german = record(session, world.officer, screener, mrz=mrz(number="C4711", issuing_state="DEU"))
    french = record(session, world.officer, screener, mrz=mrz(number="C4711", issuing_state="FRA"))
    assert search(session, world.chief, document_number="C4711").total == 2
    one = search(session, world.chief, document_number="c 4711", issuing_state="D")
    assert [c.id for c in one.crossings] == [german.crossing.id]
    by_state = search(session, world.chief, issuing_state="fr")
    assert french.crossing.id in {c.id for c in by_state.crossings}
    assert german.crossing.id not in {c.id for c in by_state.crossings}
    with pytest.raises(InvalidInput) as caught:
        search(session, world.chief, issuing_state="--")
    assert caught.value.field == "issuing_state"


def test_an_officer_sees_their_post_only_and_searches_are_audited(session, world, screener):
    record(session, world.officer, screener)
    assert search(session, world.other_officer).total == 0
    with pytest.raises(PermissionDenied):
        search(session, world.other_officer, post=str(world.post_id))
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "crossing.search"))
    assert len(list(events)) == 1  # the refused search rolled back with its transaction


def test_a_name_without_letters_is_invalid(session, world, screener):
    with pytest.raises(InvalidInput) as caught:
        search(session, world.supervisor, name="1234")
    assert caught.value.field == "name"


names = st.text(alphabet="ABCDEFGHIJKLMNOPRSTUVWYZ", min_size=4, max_size=12)


@given(names)
def test_a_name_scores_1_against_itself_and_shares_keys_with_itself(name):
    assert name_score([name], [name]) == 1.0
    assert search_keys(name) == search_keys(name.lower())
