"""Administration rules: who may change what, what is valid, and that every change is audited."""

from __future__ import annotations

import hashlib

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

import statecodes
from midas.auth.passwords import Passwords, passwords
from midas.domain import admin
from midas.domain.actors import user_actor
from midas.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from midas.persistence.models import AuditEvent, Role, Station, StayRule, User
from tests.midas.auth_builders import PASSWORD

ALPHA_3 = {country.alpha_3 for country in pycountry.countries}


@pytest.fixture
def actors(session, world):
    with session.begin():
        return {
            name: user_actor(session.get(User, user_id)) for name, user_id in world.users.items()
        }


@pytest.fixture
def hasher(app):
    return passwords(app)


def actions(session):
    return [event.action for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


# Posts -----------------------------------------------------------------------------------------


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=4))
def test_a_country_is_accepted_exactly_when_it_is_a_state_of_the_code_table(code):
    if code in ALPHA_3 or code == "RKS":
        assert admin.check_country(code.lower()) == code
    else:
        with pytest.raises(InvalidInput) as refused:
            admin.check_country(code)
        assert refused.value.field == "country"


@pytest.mark.parametrize("code", ["D", "UNO", "EUE", "XXA", "UTO", "GBD"])
def test_organisations_and_kinds_of_nationality_are_no_country_for_a_post(code):
    with pytest.raises(InvalidInput, match="not a country code"):
        admin.check_country(code)


@given(st.sampled_from(sorted(statecodes.CODES)))
def test_every_code_a_document_may_carry_is_a_nationality_for_a_stay_rule(code):
    assert admin.check_nationality(code.lower()) == code


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=4))
def test_other_nationalities_are_refused_naming_the_field(code):
    if statecodes.is_known(code):
        return
    with pytest.raises(InvalidInput) as refused:
        admin.check_nationality(code)
    assert refused.value.field == "nationality"


def test_an_admin_creates_a_post_in_kosovo(session, actors):
    with session.begin():
        post = admin.create_post(
            session,
            actors["admin"],
            code="MER",
            name="Merdare",
            kind="land",
            country="rks",
            timezone="Europe/Belgrade",
        )
    assert post.country == "RKS"


def test_a_stay_rule_for_kosovars_can_be_set(session, actors):
    with session.begin():
        rule = admin.set_stay_rule(
            session, actors["admin"], "RKS", allowed_days=90, window_days=180
        )
    assert rule.nationality == "RKS"


@pytest.mark.parametrize(
    "zone", ["Europe/Vienna", "Africa/Nairobi", "UTC", "America/Port-au-Prince"]
)
def test_iana_time_zones_are_accepted(zone):
    assert admin.check_timezone(zone) == zone


@pytest.mark.parametrize("zone", ["Mars/Olympus", "GMT+25", "", "../etc/passwd"])
def test_other_time_zones_are_refused_naming_the_field(zone):
    with pytest.raises(InvalidInput) as refused:
        admin.check_timezone(zone)
    assert refused.value.field == "timezone"


def test_an_admin_creates_a_post_with_an_upper_case_unique_code(session, actors):
    with session.begin():
        post = admin.create_post(
            session,
            actors["admin"],
            code="ccc-sea",
            name="Charlie Port",
            kind="sea",
            country="hrv",
            timezone="Europe/Zagreb",
        )
    assert (post.code, post.country, post.active) == ("CCC-SEA", "HRV", True)
    with pytest.raises(Conflict) as duplicate, session.begin():
        admin.create_post(
            session,
            actors["admin"],
            code="CCC-SEA",
            name="Again",
            kind="sea",
            country="HRV",
            timezone="Europe/Zagreb",
        )
    assert duplicate.value.field == "code"
    assert "post.create" in actions(session)


@pytest.mark.one_backend  # a role's gate: the same on either database
@pytest.mark.parametrize("who", ["officer_a", "supervisor_all"])
def test_only_admins_change_posts(session, actors, world, who):
    with pytest.raises(PermissionDenied), session.begin():
        admin.update_post(session, actors[who], world.post_a, name="Renamed")


def test_officers_see_only_their_post_and_supervisors_theirs(session, actors, world):
    with session.begin():
        assert [p.code for p in admin.list_posts(session, actors["officer_a"])] == ["AAA"]
        assert [p.code for p in admin.list_posts(session, actors["supervisor_a"])] == ["AAA"]
        assert [p.code for p in admin.list_posts(session, actors["admin"])] == ["AAA", "BBB"]
        with pytest.raises(NotFound):
            admin.get_post(session, actors["officer_a"], world.post_b)


# Users -----------------------------------------------------------------------------------------


@given(st.text(max_size=11))
def test_a_password_shorter_than_twelve_characters_is_refused_naming_the_field(password):
    policy = Passwords.__new__(Passwords)
    policy.min_length = 12
    with pytest.raises(InvalidInput) as refused:
        policy.check_policy(password, field="password")
    assert refused.value.field == "password"


def new_user(session, actor, hasher, **overrides):
    fields = {
        "username": "dora",
        "full_name": "Dora Officer",
        "role": "officer",
        "password": PASSWORD,
        "post_id": None,
        "supervised_post_ids": (),
        "all_posts": False,
    } | overrides
    with session.begin():
        return admin.create_user(session, actor, hasher, **fields)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password": "too short"}, "password"),
        ({"username": "Dora Smith!"}, "username"),
        ({"username": "officer_a"}, "username"),
        ({"full_name": "  "}, "full_name"),
        ({"role": "king"}, "role"),
        ({}, "post_id"),  # an officer without a post
        ({"post_id": 999}, "post_id"),
        ({"role": "supervisor"}, "supervised_post_ids"),
        ({"role": "supervisor", "supervised_post_ids": [999]}, "supervised_post_ids"),
    ],
)
def test_an_invalid_user_is_refused_naming_the_field(session, actors, hasher, overrides, field):
    with pytest.raises((InvalidInput, Conflict)) as refused:
        new_user(session, actors["admin"], hasher, **overrides)

    assert refused.value.field == field


def test_an_admin_creates_an_officer_with_a_hashed_password_and_it_is_audited(
    session, actors, hasher, world
):
    user = new_user(session, actors["admin"], hasher, username="Dora", post_id=world.post_a)

    assert user.username == "dora"
    assert user.password_hash.startswith("$argon2id$")
    [event] = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "user.create", AuditEvent.object_id == str(user.id)
        )
    )
    assert event.actor == actors["admin"].label
    assert "password" not in str(event.detail)


@pytest.mark.one_backend  # a role's gate: the same on either database
@pytest.mark.parametrize("who", ["officer_a", "supervisor_all"])
def test_only_admins_create_users(session, actors, hasher, world, who):
    with pytest.raises(PermissionDenied):
        new_user(session, actors[who], hasher, post_id=world.post_a)


def test_a_role_change_keeps_the_assignment_rules(session, actors, world):
    officer_id = world.users["officer_a"]
    with pytest.raises(InvalidInput) as refused, session.begin():
        admin.update_user(session, actors["admin"], officer_id, role="supervisor")
    assert refused.value.field == "supervised_post_ids"

    with session.begin():
        promoted = admin.update_user(
            session,
            actors["admin"],
            officer_id,
            role="supervisor",
            supervised_post_ids=[world.post_a, world.post_b],
        )
    assert (promoted.role, promoted.post_id) == (Role.SUPERVISOR, None)
    assert sorted(p.id for p in promoted.supervised) == [world.post_a, world.post_b]


def test_an_admin_cannot_demote_or_deactivate_themself(session, actors, world):
    admin_id = world.users["admin"]
    with pytest.raises(Conflict), session.begin():
        admin.update_user(session, actors["admin"], admin_id, role="officer", post_id=world.post_a)
    with pytest.raises(Conflict), session.begin():
        admin.deactivate_user(session, actors["admin"], admin_id)


def test_supervisors_see_only_the_officers_at_their_posts(session, actors, world):
    with session.begin():
        users, total = admin.list_users(session, actors["supervisor_a"])
        assert [u.username for u in users] == ["officer_a"]
        assert total == 1
        with pytest.raises(NotFound):
            admin.get_user(session, actors["supervisor_a"], world.users["officer_b"])
        with pytest.raises(PermissionDenied):
            admin.list_users(session, actors["officer_a"])
    assert actions(session).count("user.search") == 1


def test_a_user_list_is_paged_and_counted(session, actors):
    with session.begin():
        page, total = admin.list_users(session, actors["admin"], offset=1, limit=2)
    assert total == 5
    assert [u.username for u in page] == ["officer_a", "officer_b"]  # after "admin"


# Stations --------------------------------------------------------------------------------------


def test_a_station_token_is_kept_only_as_its_sha256(session, actors, world):
    with session.begin():
        issued = admin.create_station(session, actors["admin"], post_id=world.post_a, name="desk 2")
    stored = session.get(Station, issued.station.id)

    assert issued.token.startswith("mst_") and len(issued.token) > 40
    assert stored.token_sha256 == hashlib.sha256(issued.token.encode()).hexdigest()
    assert stored.token_hint == issued.token[:12]
    assert issued.token not in str([e.detail for e in session.scalars(select(AuditEvent))])


def test_rotating_a_token_replaces_its_hash(session, actors, world):
    with session.begin():
        before = session.get(Station, world.station_a).token_sha256
        issued = admin.rotate_station_token(session, actors["admin"], world.station_a)
    assert issued.station.token_sha256 not in (before, None)
    assert "station.token_rotate" in actions(session)


def test_a_station_is_not_created_at_a_closed_post(session, actors, world):
    with session.begin():
        admin.deactivate_post(session, actors["admin"], world.post_b)
    with pytest.raises(Conflict), session.begin():
        admin.create_station(session, actors["admin"], post_id=world.post_b, name="desk")


# Stay rules ------------------------------------------------------------------------------------


def test_stay_rules_are_set_replaced_and_removed_with_the_default_first(session, actors):
    with session.begin():
        admin.set_stay_rule(session, actors["admin"], "usa", allowed_days=90, window_days=180)
        admin.set_stay_rule(session, actors["admin"], "*", allowed_days=30, window_days=180)
        admin.set_stay_rule(session, actors["admin"], "USA", allowed_days=60, window_days=180)
    with session.begin():
        rules = [(r.nationality, r.allowed_days) for r in admin.list_stay_rules(session)]
        admin.delete_stay_rule(session, actors["admin"], "USA")
    assert rules == [("*", 30), ("USA", 60)]
    assert session.get(StayRule, "USA") is None
    assert actions(session).count("stay_rule.set") == 3


@pytest.mark.parametrize(
    ("nationality", "allowed", "window", "field"),
    [
        ("ZZZ", 90, 180, "nationality"),
        ("AUT", 0, 180, "allowed_days"),
        ("AUT", 90, 30, "window_days"),
    ],
)
def test_an_invalid_stay_rule_names_the_field(session, actors, nationality, allowed, window, field):
    with pytest.raises(InvalidInput) as refused, session.begin():
        admin.set_stay_rule(
            session, actors["admin"], nationality, allowed_days=allowed, window_days=window
        )
    assert refused.value.field == field
