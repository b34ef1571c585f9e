"""Retention: crossings lose personal data after 3 years (5 for overstayers); statistics stay."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from midas.domain.overstay import StayLimit
from midas.domain.retention import (
    RetentionCounts,
    RetentionPolicy,
    _Row,
    due_crossings,
    retention_batch,
    years_before,
)
from midas.persistence.models import (
    Crossing,
    Decision,
    Direction,
    HitStatus,
    Role,
    ScreeningHit,
    TravelDocument,
    Traveller,
    Watchlist,
    WatchlistVersion,
)
from midas.persistence.models.travellers import TravellerNameKey
from tests.midas.operations_builders import make_crossing, make_post, make_traveller, make_user
from watchlists.models import ListKind

TODAY = date(2030, 6, 30)
LIMIT = StayLimit(90, 180)
POLICY = RetentionPolicy(years=3, overstay_years=5, batch_size=100, default_limit=LIMIT)
IN, OUT = Direction.ENTRY, Direction.EXIT


def years_ago(years: int, days: int = 0) -> date:
    return years_before(TODAY, years) + timedelta(days=days)


@pytest.fixture
def desk(session):
    with session.begin():
        post = make_post(session, "NBO")
        officer = make_user(session, "officer", Role.OFFICER, post)
    return post, officer


def cross(session, desk, traveller, direction, when, **overrides):
    post, officer = desk
    return make_crossing(session, traveller, post, officer, direction, when, **overrides)


def run(session, policy=POLICY, dry_run=False):
    """Run every batch, each in its own transaction, as `midas retention` does."""
    total, after = RetentionCounts(), 0
    while True:
        with session.begin():
            batch = retention_batch(session, policy, today=TODAY, after=after, dry_run=dry_run)
        if batch.last_traveller_id is None:
            return total
        total.add(batch.counts)
        after = batch.last_traveller_id
    session.expire_all()


def test_a_stay_that_ended_more_than_three_years_ago_is_anonymised_keeping_statistics(
    session, desk
):
    with session.begin():
        traveller = make_traveller(session, sex="F", nationality="UTO")
        session.add(TravellerNameKey(key="surname", traveller_id=traveller.id))
        entry = cross(session, desk, traveller, IN, years_ago(3, -30))
        exit_ = cross(session, desk, traveller, OUT, years_ago(3, -1))
    counts = run(session)
    session.expire_all()
    assert counts.crossings_anonymised == 2
    assert counts.travellers_anonymised == 1
    assert counts.documents_anonymised == 1
    for crossing in (session.get(Crossing, entry.id), session.get(Crossing, exit_.id)):
        assert crossing.anonymised_at is not None
        assert (
            crossing.reading is None and crossing.notes is None and crossing.transport_ref is None
        )
        assert (crossing.traveller_sex, crossing.traveller_nationality) == ("F", "UTO")
        assert crossing.traveller_age is not None
        assert crossing.traveller_id == traveller.id
    person = session.get(Traveller, traveller.id)
    assert (person.surname, person.given_names, person.name_key, person.birth_date) == (
        None,
        None,
        None,
        None,
    )
    assert (person.sex, person.birth_year, person.nationality) == ("F", 1990, "UTO")
    assert person.documents[0].number is None
    assert session.scalar(select(func.count()).select_from(TravellerNameKey)) == 0


def test_a_stay_that_ended_less_than_three_years_ago_is_kept_whole(session, desk):
    with session.begin():
        traveller = make_traveller(session)
        cross(session, desk, traveller, IN, years_ago(3, -30))
        cross(session, desk, traveller, OUT, years_ago(3, 1))
    assert run(session).crossings_anonymised == 0
    session.expire_all()
    assert session.get(Traveller, traveller.id).surname is not None


def test_an_overstayer_is_kept_five_years(session, desk):
    with session.begin():
        overstayer = make_traveller(session, surname="LATE")
        cross(session, desk, overstayer, IN, years_ago(4, -200))
        cross(session, desk, overstayer, OUT, years_ago(4))
        old = make_traveller(session, surname="LATE-AND-OLD")
        cross(session, desk, old, IN, years_ago(5, -200))
        cross(session, desk, old, OUT, years_ago(5, -1))
    counts = run(session)
    assert counts.overstayers_kept == 1
    assert counts.crossings_anonymised == 2
    session.expire_all()
    assert session.get(Traveller, overstayer.id).surname == "LATE"
    assert session.get(Traveller, old.id).surname is None


def test_an_entry_without_exit_is_kept_five_years_after_the_allowed_stay_ended(session, desk):
    with session.begin():
        still_inside = make_traveller(session, surname="INSIDE")
        cross(session, desk, still_inside, IN, years_ago(5, -80))
        gone = make_traveller(session, surname="GONE")
        cross(session, desk, gone, IN, years_ago(5, -100))
    assert run(session).crossings_anonymised == 1
    session.expire_all()
    assert session.get(Traveller, still_inside.id).surname == "INSIDE"
    assert session.get(Traveller, gone.id).surname is None


def test_a_refused_attempt_is_kept_three_years(session, desk):
    with session.begin():
        traveller = make_traveller(session)
        cross(
            session,
            desk,
            traveller,
            IN,
            years_ago(3, -1),
            decision=Decision.REFUSED,
            refusal_reason="E",
        )
    assert run(session).crossings_anonymised == 1
    session.expire_all()
    refused = session.scalars(select(Crossing)).one()
    assert (refused.decision, refused.refusal_reason) == (Decision.REFUSED, "E")


def test_old_crossings_of_a_traveller_who_travels_again_are_detached_from_the_person(session, desk):
    with session.begin():
        traveller = make_traveller(session, surname="FREQUENT")
        old_passport = traveller.documents[0]
        old_in = cross(session, desk, traveller, IN, years_ago(4))
        cross(session, desk, traveller, OUT, years_ago(4, 5))
        new_passport = TravelDocument(
            traveller=traveller, document_type="P", issuing_state="UTO", number="NEW1"
        )
        session.add(new_passport)
        session.flush()
        recent = cross(session, desk, traveller, IN, years_ago(0, -10), document_id=new_passport.id)
    counts = run(session)
    assert counts.crossings_detached == 2
    assert counts.travellers_anonymised == 0
    assert counts.documents_anonymised == 1
    session.expire_all()
    old = session.get(Crossing, old_in.id)
    assert old.traveller_id != traveller.id
    assert old.traveller.surname is None and old.document.number is None
    assert old.document.issuing_state == "UTO"
    assert session.get(Crossing, recent.id).traveller_id == traveller.id
    person = session.get(Traveller, traveller.id)
    assert person.surname == "FREQUENT"
    assert session.get(TravelDocument, old_passport.id).number is None
    assert session.get(TravelDocument, new_passport.id).number == "NEW1"


def test_hits_keep_their_list_and_status_but_lose_names_and_reasons(session, desk):
    with session.begin():
        traveller = make_traveller(session)
        crossing = cross(session, desk, traveller, OUT, years_ago(3, -1))
        version = WatchlistVersion(
            watchlist=Watchlist(name="wanted", kind=ListKind.PERSON),
            number=1,
            source_format="csv",
            file_name="wanted.csv",
            sha256="0" * 64,
            loaded_by="test",
        )
        session.add(version)
        session.flush()
        session.add(
            ScreeningHit(
                crossing_id=crossing.id,
                list_name="wanted",
                list_version_id=version.id,
                list_kind="person",
                entry_id="W1",
                matched_name="JOHN DOE",
                score=0.9,
                threshold=0.86,
                reasons=[["name", 0.9, "DOE~DOE"]],
                status=HitStatus.DISMISSED,
                review_reason="a namesake born 1950",
            )
        )
    assert run(session).hits_anonymised == 1
    session.expire_all()
    hit = session.scalars(select(ScreeningHit)).one()
    assert (hit.list_name, hit.status, hit.score) == ("wanted", HitStatus.DISMISSED, 0.9)
    assert (hit.matched_name, hit.entry_id, hit.reasons, hit.review_reason) == ("", "", [], None)


def test_a_dry_run_counts_without_changing_anything(session, desk):
    with session.begin():
        traveller = make_traveller(session, surname="KEPT")
        cross(session, desk, traveller, OUT, years_ago(3, -1))
    counts = run(session, dry_run=True)
    assert counts.crossings_anonymised == 1 and counts.travellers_anonymised == 1
    session.expire_all()
    assert session.get(Traveller, traveller.id).surname == "KEPT"
    assert session.scalars(select(Crossing)).one().anonymised_at is None


def test_running_twice_does_nothing_the_second_time_and_small_batches_do_the_same_work(
    session, desk
):
    with session.begin():
        for _ in range(5):
            cross(session, desk, make_traveller(session), OUT, years_ago(3, -1))
    small = RetentionPolicy(years=3, overstay_years=5, batch_size=2, default_limit=LIMIT)
    assert run(session, small).crossings_anonymised == 5
    assert run(session, small).crossings_anonymised == 0


def test_years_before_keeps_the_calendar_day_and_moves_29_february():
    assert years_before(date(2030, 6, 30), 3) == date(2027, 6, 30)
    assert years_before(date(2028, 2, 29), 3) == date(2025, 2, 28)


# -- the rule as a property over sequences of crossings ---------------------------------------

row_lists = st.lists(
    st.tuples(
        st.sampled_from([IN, OUT]),
        st.sampled_from([Decision.ADMITTED, Decision.ADMITTED, Decision.REFUSED]),
        st.integers(0, 9 * 365),
    ),
    max_size=10,
)


@settings(max_examples=150, deadline=None)
@given(raw=row_lists)
def test_nothing_younger_than_three_years_is_due_and_nothing_older_than_five_stays(raw):
    rows = [
        _Row(
            n,
            direction,
            decision,
            datetime.combine(TODAY - timedelta(days=age), time(12), UTC),
            1,
            1,
            False,
            False,
        )
        for n, (direction, decision, age) in enumerate(sorted(raw, key=lambda r: -r[2]))
    ]
    due, _ = due_crossings(rows, {1: "UTC"}, LIMIT, POLICY, TODAY)
    day_of = {row.id: row.at.date() for row in rows}
    assert all(day_of[i] < years_before(TODAY, 3) for i in due)
    five_years = years_before(TODAY, 5)
    # An entry lives as long as the exit that ends it, so only exits and refusals age alone.
    alone = {r.id for r in rows if r.direction is OUT or r.decision is not Decision.ADMITTED}
    assert {i for i in alone if day_of[i] < five_years} <= set(due)
    oldest_kept = five_years - timedelta(days=LIMIT.allowed_days)
    if all(day < oldest_kept for day in day_of.values()):
        assert set(due) == set(day_of)
