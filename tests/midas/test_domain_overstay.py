"""Overstays: the rolling-window rule, gaps in the record, and the supervisor's listing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from midas.domain.errors import PermissionDenied
from midas.domain.overstay import (
    Anomaly,
    Movement,
    OverstayPolicy,
    StayLimit,
    StayStatus,
    assess_stay,
    is_overstayer,
    list_overstays,
    stays,
)
from midas.persistence.models import AuditEvent, Decision, Direction, PostKind, Role, StayRule
from tests.midas.operations_builders import (
    actor_for,
    make_crossing,
    make_post,
    make_traveller,
    make_user,
)

TODAY = date(2026, 6, 30)
LIMIT = StayLimit(allowed_days=90, window_days=180)
IN, OUT = Direction.ENTRY, Direction.EXIT


def day(offset: int) -> date:
    """Return TODAY shifted by `offset` days."""
    return TODAY + timedelta(days=offset)


def move(direction: Direction, when: date, hour: int = 12) -> Movement:
    return Movement(direction, datetime.combine(when, time(hour), UTC), when)


def trip(entry: int, exit_: int | None = None) -> list[Movement]:
    """Return an entry `entry` days from today and, if given, the exit `exit_` days from today."""
    moves = [move(IN, day(entry))]
    if exit_ is not None:
        moves.append(move(OUT, day(exit_)))
    return moves


# -- the rule on examples ---------------------------------------------------------------------


def test_a_traveller_inside_for_exactly_the_allowance_is_within_it_on_the_last_day():
    assessment = assess_stay(trip(-89), LIMIT, TODAY, warning_days=0)
    assert assessment.inside
    assert assessment.days_used == 90
    assert assessment.days_left == 0
    assert assessment.last_allowed_day == TODAY
    assert assessment.status is StayStatus.ABOUT_TO


def test_one_day_more_is_an_overstay_counted_from_day_91():
    assessment = assess_stay(trip(-90), LIMIT, TODAY, since=day(-365))
    assert assessment.status is StayStatus.OVERSTAYING
    assert assessment.overstay_days == 1
    assert assessment.first_overstay_day == TODAY
    assert assessment.days_left is None


def test_entry_and_exit_days_both_count():
    # 45 days + 46 days within 180: 91 days of stay by the end of the second trip.
    moves = [*trip(-150, -106), *trip(-45, 0)]
    assessment = assess_stay(moves, LIMIT, TODAY, since=day(-365))
    assert assessment.status is StayStatus.OVERSTAYED
    assert assessment.overstay_days == 1
    assert not assessment.inside


def test_days_leave_the_window_after_180_days():
    # 80 days long ago, then a stay that would be over the limit if the old days still counted.
    moves = [*trip(-300, -221), *trip(-60)]
    assessment = assess_stay(moves, LIMIT, TODAY, since=day(-365))
    assert assessment.status is StayStatus.WITHIN
    assert assessment.days_used == 61
    assert assessment.days_left == 29


def test_a_traveller_whose_allowance_ends_within_the_warning_period_is_about_to_overstay():
    assessment = assess_stay(trip(-85), LIMIT, TODAY, warning_days=7)
    assert assessment.status is StayStatus.ABOUT_TO
    assert assessment.days_left == 4
    assert assessment.last_allowed_day == day(4)


def test_earlier_stays_in_the_window_shorten_what_is_left():
    moves = [*trip(-170, -131), *trip(-9)]  # 40 days, then 10 so far
    assessment = assess_stay(moves, LIMIT, TODAY, warning_days=7)
    # The 40 earlier days leave the window one by one from day 10 on, so 40 + 10 + k <= 90
    # holds until the old days start to fall out: the projection walks it day by day.
    assert assessment.days_used == 50
    assert assessment.last_allowed_day is not None
    assert assessment.days_left == (assessment.last_allowed_day - TODAY).days
    assert assessment.days_left >= 40


def test_an_overstay_that_ended_before_the_lookback_is_not_reported():
    moves = trip(-700, -500)
    assert assess_stay(moves, LIMIT, TODAY, since=day(-365)).status is StayStatus.WITHIN
    assert is_overstayer(moves, LIMIT, TODAY)


def test_a_return_within_limits_after_an_overstay_is_still_reported_as_overstayed():
    moves = [*trip(-300, -150), *trip(-5)]
    assessment = assess_stay(moves, LIMIT, TODAY, since=day(-365))
    assert assessment.inside
    assert assessment.status is StayStatus.OVERSTAYED
    assert assessment.overstay_days == 61


def test_an_exit_without_a_recorded_entry_counts_its_own_day_and_is_flagged():
    periods, inside, anomalies = stays([move(OUT, day(-3))], TODAY)
    assert periods == [(day(-3), day(-3))]
    assert not inside
    assert anomalies == (Anomaly.EXIT_WITHOUT_ENTRY,)


def test_two_entries_without_an_exit_between_count_the_first_entry_day_only():
    periods, inside, anomalies = stays([move(IN, day(-100)), move(IN, day(-10))], TODAY)
    assert periods == [(day(-100), day(-100)), (day(-10), TODAY)]
    assert inside
    assert anomalies == (Anomaly.ENTRY_WITHOUT_EXIT,)


def test_a_same_day_exit_and_reentry_counts_the_day_once():
    moves = [move(IN, day(-10), 8), move(OUT, day(-5), 9), move(IN, day(-5), 18)]
    assert assess_stay(moves, LIMIT, TODAY).days_used == 11


def test_an_allowance_as_long_as_the_window_never_runs_out():
    assessment = assess_stay(trip(-1000), StayLimit(365, 365), TODAY, since=day(-365))
    assert assessment.status is StayStatus.WITHIN
    assert assessment.days_left is None


def test_movements_after_today_are_ignored():
    assert assess_stay(trip(5), LIMIT, TODAY).status is StayStatus.WITHIN


# -- the rule as properties over sequences of crossings --------------------------------------

HORIZON = 400
limits = st.builds(
    lambda window, share: StayLimit(max(1, window * share // 100), window),
    st.integers(2, 200),
    st.integers(5, 95),
)
movement_lists = st.lists(
    st.tuples(st.sampled_from([IN, OUT]), st.integers(-HORIZON, 0), st.integers(0, 23)),
    max_size=12,
).map(lambda raw: [move(d, day(offset), hour) for d, offset, hour in raw])


def present_days(moves: list[Movement]) -> set[date]:
    periods, _, _ = stays(moves, TODAY)
    return {
        first + timedelta(days=i) for first, last in periods for i in range((last - first).days + 1)
    }


def used_on(present: set[date], when: date, window: int) -> int:
    return sum(1 for p in present if when - timedelta(days=window) < p <= when)


@settings(max_examples=150, deadline=None)
@given(moves=movement_lists, limit=limits, lookback=st.integers(0, HORIZON))
def test_overstay_days_are_the_present_days_whose_window_holds_too_many(moves, limit, lookback):
    since = day(-lookback)
    assessment = assess_stay(moves, limit, TODAY, since=since)
    present = present_days(moves)
    over = sorted(
        p
        for p in present
        if p >= since and used_on(present, p, limit.window_days) > limit.allowed_days
    )
    assert assessment.overstay_days == len(over)
    assert assessment.first_overstay_day == (over[0] if over else None)
    assert assessment.days_used == used_on(present, TODAY, limit.window_days)


@settings(max_examples=150, deadline=None)
@given(moves=movement_lists, limit=limits)
def test_staying_to_the_last_allowed_day_is_legal_and_one_day_more_is_not(moves, limit):
    assessment = assess_stay(moves, limit, TODAY)
    if assessment.last_allowed_day is None:
        return
    present = present_days(moves)
    stay_on = present | {day(k) for k in range(1, assessment.days_left + 1)}
    assert all(
        used_on(stay_on, day(k), limit.window_days) <= limit.allowed_days
        for k in range(assessment.days_left + 1)
    )
    one_more = stay_on | {day(assessment.days_left + 1)}
    assert used_on(one_more, day(assessment.days_left + 1), limit.window_days) > limit.allowed_days


@settings(max_examples=100, deadline=None)
@given(moves=movement_lists, limit=limits)
def test_the_order_crossings_arrive_in_does_not_matter(moves, limit):
    assert assess_stay(moves, limit, TODAY) == assess_stay(list(reversed(moves)), limit, TODAY)


@settings(max_examples=100, deadline=None)
@given(moves=movement_lists, limit=limits)
def test_a_traveller_inside_and_over_the_limit_is_overstaying(moves, limit):
    assessment = assess_stay(moves, limit, TODAY)
    over_today = assessment.inside and assessment.days_used > limit.allowed_days
    assert (assessment.status is StayStatus.OVERSTAYING) == over_today
    if assessment.status is StayStatus.OVERSTAYING:
        assert assessment.overstay_days >= 1


@settings(max_examples=100, deadline=None)
@given(moves=movement_lists, limit=limits, extra=st.integers(1, 60))
def test_staying_longer_never_removes_an_overstay(moves, limit, extra):
    before = assess_stay(moves, limit, TODAY, since=day(-HORIZON))
    if not before.inside:
        return
    later = TODAY + timedelta(days=extra)
    after = assess_stay(moves, limit, later, since=day(-HORIZON))
    assert after.overstay_days >= before.overstay_days


@pytest.mark.parametrize("offset", [-89, -90, -200])
def test_the_last_crossing_decides_whether_the_traveller_is_inside(offset):
    inside = assess_stay(trip(offset), LIMIT, TODAY)
    left = assess_stay(trip(offset, 0), LIMIT, TODAY)
    assert inside.inside and inside.entered_on == day(offset)
    assert not left.inside and left.entered_on is None


# -- the listing on the database --------------------------------------------------------------


@pytest.fixture
def border(session):
    """Two posts in Kenya, a supervisor of the first, an admin, and an officer at each."""
    with session.begin():
        airport = make_post(session, "NBO")
        land = make_post(session, "NMG", kind=PostKind.LAND)
        officer = make_user(session, "officer", Role.OFFICER, airport)
        supervisor = make_user(session, "supervisor", Role.SUPERVISOR)
        admin = make_user(session, "admin", Role.ADMIN)
    return {
        "airport": airport,
        "land": land,
        "officer": officer,
        "supervisor": supervisor,
        "admin": admin,
    }


POLICY = OverstayPolicy(default_limit=LIMIT, warning_days=7, lookback_days=365)


def listing(session, user, post_ids=None, **kwargs):
    with session.begin():
        return list_overstays(session, actor_for(user, post_ids), POLICY, today=TODAY, **kwargs)


def visit(session, border, traveller, entry, exit_=None, post="airport", **overrides):
    post_row, officer = border[post], border["officer"]
    make_crossing(session, traveller, post_row, officer, IN, day(entry), **overrides)
    if exit_ is not None:
        make_crossing(session, traveller, post_row, officer, OUT, day(exit_), **overrides)


def test_the_listing_names_overstayers_and_those_about_to_and_leaves_the_rest_out(session, border):
    with session.begin():
        overstaying = make_traveller(session, surname="LONGSTAY")
        visit(session, border, overstaying, -120)
        about_to = make_traveller(session, surname="SOON")
        visit(session, border, about_to, -86)
        left_late = make_traveller(session, surname="LEFTLATE")
        visit(session, border, left_late, -200, -60)
        fine = make_traveller(session, surname="FINE")
        visit(session, border, fine, -10)
        citizen = make_traveller(session, surname="CITIZEN", nationality="KEN")
        visit(session, border, citizen, -300)
    found = listing(session, border["admin"])
    assert [(o.surname, o.assessment.status) for o in found] == [
        ("LONGSTAY", StayStatus.OVERSTAYING),
        ("SOON", StayStatus.ABOUT_TO),
        ("LEFTLATE", StayStatus.OVERSTAYED),
    ]
    longstay = found[0]
    assert longstay.assessment.overstay_days == 31
    assert longstay.document_number == overstaying.documents[0].number
    assert longstay.last_post_code == "NBO"
    assert found[1].assessment.days_left == 3


def test_refused_entries_do_not_start_a_stay(session, border):
    with session.begin():
        refused = make_traveller(session)
        visit(session, border, refused, -150, decision=Decision.REFUSED, refusal_reason="E")
    assert listing(session, border["admin"]) == []


def test_a_corrected_crossing_counts_as_its_correction(session, border):
    with session.begin():
        traveller = make_traveller(session, surname="CORRECTED")
        wrong = make_crossing(
            session, traveller, border["airport"], border["officer"], IN, day(-150)
        )
        make_crossing(
            session,
            traveller,
            border["airport"],
            border["officer"],
            IN,
            day(-20),
            corrects_id=wrong.id,
        )
    assert listing(session, border["admin"]) == []


def test_a_stay_rule_for_a_nationality_replaces_the_default(session, border):
    with session.begin():
        session.add(StayRule(nationality="ATL", allowed_days=30, window_days=180))
        session.add(StayRule(nationality="*", allowed_days=60, window_days=180))
        short = make_traveller(session, surname="SHORT", nationality="ATL")
        visit(session, border, short, -40)
        default = make_traveller(session, surname="DEFAULT", nationality="UTO")
        visit(session, border, default, -70)
        under = make_traveller(session, surname="UNDER", nationality="UTO")
        visit(session, border, under, -20)
    found = {o.surname: o for o in listing(session, border["admin"])}
    assert set(found) == {"SHORT", "DEFAULT"}
    assert found["SHORT"].limit == StayLimit(30, 180)
    assert found["DEFAULT"].limit == StayLimit(60, 180)


def test_states_are_compared_as_states_not_as_codes(session, border):
    # A German passport writes D (Doc 9303 Part 3 §5) where posts, rules and filters say DEU.
    with session.begin():
        german_post = make_post(session, "FRA1", country="DEU", timezone="Europe/Berlin")
        border["german"] = german_post
        citizen = make_traveller(session, surname="BURGER", nationality="D")
        visit(session, border, citizen, -300, post="german")
        session.add(StayRule(nationality="DEU", allowed_days=30, window_days=180))
        visitor = make_traveller(session, surname="GAST", nationality="D")
        visit(session, border, visitor, -40)
    found = listing(session, border["admin"])
    assert [(o.surname, o.limit) for o in found] == [("GAST", StayLimit(30, 180))]
    assert [o.surname for o in listing(session, border["admin"], nationality="DEU")] == ["GAST"]


def test_a_supervisor_sees_overstayers_whose_last_crossing_was_at_their_posts(session, border):
    with session.begin():
        visit(session, border, make_traveller(session, surname="AIRPORT"), -120)
        visit(session, border, make_traveller(session, surname="LAND"), -120, post="land")
    airport_only = frozenset({border["airport"].id})
    assert [o.surname for o in listing(session, border["supervisor"], airport_only)] == ["AIRPORT"]
    assert [o.surname for o in listing(session, border["admin"], post_id=border["land"].id)] == [
        "LAND"
    ]
    with pytest.raises(PermissionDenied):
        listing(session, border["supervisor"], airport_only, post_id=border["land"].id)


def test_officers_may_not_list_overstays(session, border):
    with pytest.raises(PermissionDenied):
        listing(session, border["officer"], frozenset({border["airport"].id}))


def test_the_listing_is_audited_with_the_travellers_it_showed(session, border):
    with session.begin():
        traveller = make_traveller(session)
        visit(session, border, traveller, -120)
    listing(session, border["admin"])
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "overstay.list")).one()
    assert event.actor == f"user:{border['admin'].id}"
    assert event.detail["traveller_ids"] == [traveller.id]


def test_a_traveller_who_entered_long_ago_and_never_left_is_found(session, border):
    with session.begin():
        visit(session, border, make_traveller(session, surname="FOREVER"), -900)
    (found,) = listing(session, border["admin"])
    assert found.assessment.status is StayStatus.OVERSTAYING
    assert found.assessment.entered_on == day(-900)
