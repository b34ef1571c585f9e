"""Logging in and out, lockout, rate limits, CSRF, station tokens, and who may call what."""

from __future__ import annotations

import string

import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from midas.api.auth import FAILED_LOGIN
from midas.auth import attribute_officer
from midas.config import DEFAULT_SECRET_KEY, ConfigError, load_settings
from midas.domain.actors import station_actor, user_actor
from midas.domain.errors import InvalidInput, PermissionDenied
from midas.persistence.database import database
from midas.persistence.models import AuditEvent, Post, Station, User
from tests.midas.auth_builders import (
    PASSWORD,
    STRONG_SECRET,
    ApiClient,
    as_station,
    build_world,
    log_in,
    make_app,
)

LOGIN = "/api/v1/auth/login"
ME = "/api/v1/auth/me"


def audit_events(app, action=None):
    with database(app).sessions() as session:
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action is not None:
            query = query.where(AuditEvent.action == action)
        return list(session.scalars(query))


def user_row(app, username):
    with database(app).sessions() as session:
        return session.scalar(select(User).where(User.username == username))


# Logging in ------------------------------------------------------------------------------------


def test_a_person_logs_in_with_a_secure_session_cookie_and_sees_who_they_are(app, world, client):
    response = client.post(LOGIN, json={"username": "officer_a", "password": PASSWORD})

    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # not in testing; production is checked below
    me = client.get(ME).get_json()
    assert me["username"] == "officer_a"
    assert me["role"] == "officer"
    assert me["post_ids"] == [world.post_a]
    assert me["post"]["code"] == "AAA"
    assert me["csrf_token"]
    [event] = audit_events(app, "auth.login")
    assert (event.outcome, event.actor) == ("ok", f"user:{world.users['officer_a']}")
    assert event.remote_addr == "127.0.0.1"


def test_supervisors_are_scoped_to_their_posts_and_admins_to_all(app, world, login_as):
    assert login_as("supervisor_a").get(ME).get_json()["post_ids"] == [world.post_a]
    assert login_as("supervisor_all").get(ME).get_json()["post_ids"] is None
    assert login_as("admin").get(ME).get_json()["post_ids"] is None


@pytest.mark.parametrize(
    ("username", "reason"), [("officer_a", "wrong password"), ("nobody", "unknown user")]
)
def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(
    app, world, client, username, reason
):
    response = client.post(LOGIN, json={"username": username, "password": "not the password"})

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_credentials"
    assert response.get_json()["error"]["message"] == FAILED_LOGIN
    [event] = audit_events(app, "auth.login")
    assert event.outcome == "failed"
    assert event.detail["reason"] == reason
    assert client.get(ME).status_code == 401


def test_a_deactivated_user_cannot_log_in(app, world, login_as):
    login_as("admin").post(f"/api/v1/users/{world.users['officer_a']}/deactivate")

    response = app.test_client().post(LOGIN, json={"username": "officer_a", "password": PASSWORD})

    assert response.status_code == 401


def test_a_login_without_a_password_names_the_missing_field(app, world, client):
    response = client.post(LOGIN, json={"username": "officer_a"})

    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["field"] == "password"
    assert error["code"] == "invalid"


def test_a_login_must_be_json_so_a_cross_site_form_cannot_log_anyone_in(app, world, client):
    response = client.post(LOGIN, data={"username": "officer_a", "password": PASSWORD})

    assert response.status_code == 422


def test_logging_out_ends_the_session_and_is_audited(app, world, login_as):
    officer = login_as("officer_a")

    assert officer.post("/api/v1/auth/logout").status_code == 204

    assert officer.get(ME).status_code == 401
    assert [e.outcome for e in audit_events(app, "auth.logout")] == ["ok"]


def test_a_session_ends_when_an_admin_resets_the_password(app, world, login_as):
    officer = login_as("officer_a")
    new_password = "another long passphrase"

    reset = login_as("admin").post(
        f"/api/v1/users/{world.users['officer_a']}/password", json={"password": new_password}
    )

    assert reset.status_code == 204
    assert officer.get(ME).status_code == 401
    assert log_in(app, "officer_a", new_password).get(ME).status_code == 200


def test_a_session_ends_when_the_user_is_deactivated(app, world, login_as):
    officer = login_as("officer_a")

    login_as("admin").post(f"/api/v1/users/{world.users['officer_a']}/deactivate")

    assert officer.get(ME).status_code == 401


def test_a_person_changes_their_own_password_after_giving_the_current_one(app, world, login_as):
    officer = login_as("officer_a")

    wrong = officer.post(
        "/api/v1/auth/password",
        json={"current_password": "guess guess guess", "new_password": "a fresh long passphrase"},
    )
    short = officer.post(
        "/api/v1/auth/password", json={"current_password": PASSWORD, "new_password": "short"}
    )
    changed = officer.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "a fresh long passphrase"},
    )

    assert (wrong.status_code, wrong.get_json()["error"]["field"]) == (422, "current_password")
    assert (short.status_code, short.get_json()["error"]["field"]) == (422, "new_password")
    assert changed.status_code == 204
    assert officer.get(ME).status_code == 200  # this session goes on
    assert log_in(app, "officer_a", "a fresh long passphrase")


def test_a_wrong_current_password_is_audited_and_guessing_it_is_rate_limited(database_url):
    limited = make_app(database_url, LOGIN_RATE_LIMIT="3 per minute")
    build_world(limited)
    officer = log_in(limited, "officer_a")  # the first of the 3 passwords this address may try
    guess = {"current_password": "guess guess guess", "new_password": "a fresh long passphrase"}

    statuses = [officer.post("/api/v1/auth/password", json=guess).status_code for _ in range(3)]

    assert statuses == [422, 422, 429]
    with database(limited).sessions() as session:
        failed = session.scalars(
            select(AuditEvent.outcome).where(AuditEvent.action == "user.password_change")
        ).all()
    assert failed == ["failed", "failed"]
    database(limited).dispose()


# Rate limit (throttling per username and address: test_login_throttle.py) -----------------


def test_logins_from_one_address_are_rate_limited(database_url):
    limited = make_app(database_url, LOGIN_RATE_LIMIT="3 per minute")
    client = limited.test_client()
    attempt = {"username": "nobody", "password": "whatever it is"}

    statuses = [client.post(LOGIN, json=attempt).status_code for _ in range(4)]
    refused = client.post(LOGIN, json=attempt)

    assert statuses == [401, 401, 401, 429]
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) > 0
    other_address = client.post(
        LOGIN, json=attempt, environ_base={"REMOTE_ADDR": "10.0.0.2"}
    ).status_code
    assert other_address == 401
    database(limited).dispose()


# CSRF ------------------------------------------------------------------------------------------


def test_a_session_write_without_the_csrf_token_is_refused(app, world, login_as):
    admin = login_as("admin")
    bare = ApiClient(admin.client)  # same cookies, no token

    refused = bare.post("/api/v1/stations", json={"post_id": world.post_a, "name": "desk 9"})
    forged = bare.post(
        "/api/v1/stations",
        json={"post_id": world.post_a, "name": "desk 9"},
        headers={"X-CSRFToken": "forged"},
    )
    accepted = admin.post("/api/v1/stations", json={"post_id": world.post_a, "name": "desk 9"})

    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "csrf"
    assert forged.status_code == 400
    assert accepted.status_code == 201


def test_the_csrf_token_can_be_fetched_again(app, world, login_as):
    admin = login_as("admin")

    token = admin.get("/api/v1/auth/csrf").get_json()["csrf_token"]

    assert ApiClient(admin.client, token).post("/api/v1/auth/logout").status_code == 204


def test_an_anonymous_write_is_answered_401_not_a_csrf_error(app, world, client):
    response = client.post("/api/v1/stations", json={"post_id": 1, "name": "x"})

    assert response.status_code == 401


# Station tokens --------------------------------------------------------------------------------


def test_a_station_authenticates_with_its_token_as_an_officer_at_its_post(app, world, station):
    me = station.get(ME).get_json()

    assert me["kind"] == "station"
    assert me["role"] == "officer"
    assert me["post_ids"] == [world.post_a]
    assert me["station_name"] == "desk 1"
    with database(app).sessions() as session:
        assert session.get(Station, world.station_a).last_seen_at is not None


def test_a_station_needs_no_csrf_token(app, world, station):
    # An authenticated write that reaches the view: refused for its role, not for CSRF.
    response = station.post("/api/v1/stations", json={"post_id": world.post_a, "name": "x"})

    assert response.status_code == 403


@pytest.mark.parametrize("token", ["mst_not-a-real-token", ""])
def test_an_unknown_token_is_refused(app, world, token):
    response = as_station(app, token).get(ME)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_rotated_token_stops_working_and_the_new_one_works(app, world, login_as):
    rotated = login_as("admin").post(f"/api/v1/stations/{world.station_a}/token")
    new_token = rotated.get_json()["token"]

    assert as_station(app, world.station_token).get(ME).status_code == 401
    assert as_station(app, new_token).get(ME).status_code == 200


def test_a_deactivated_station_is_refused(app, world, login_as, station):
    login_as("admin").post(f"/api/v1/stations/{world.station_a}/deactivate")

    assert station.get(ME).status_code == 401


def test_a_station_at_a_closed_post_is_refused(app, world, login_as, station):
    login_as("admin").post(f"/api/v1/posts/{world.post_a}/deactivate")

    assert station.get(ME).status_code == 401


def test_a_station_records_under_an_officer_posted_at_its_post(app, world, session):
    with session.begin():
        desk = station_actor(session.get(Station, world.station_a))

        acting = attribute_officer(session, desk, "officer_a")

        assert (acting.username, acting.user_id) == ("officer_a", world.users["officer_a"])
        assert acting.label == f"user:{world.users['officer_a']}"
        for wrong in ("officer_b", "supervisor_a", "nobody", None):
            with pytest.raises(InvalidInput) as refused:
                attribute_officer(session, desk, wrong)
            assert refused.value.field == "officer"


def test_a_person_records_only_under_their_own_name(app, world, session):
    with session.begin():
        officer = user_actor(session.get(User, world.users["officer_a"]))

        assert attribute_officer(session, officer, None) is officer
        assert attribute_officer(session, officer, "officer_a") is officer
        with pytest.raises(PermissionDenied):
            attribute_officer(session, officer, "officer_b")


# Every endpoint needs credentials --------------------------------------------------------------

PUBLIC = {"/api/v1/openapi.json", "/api/v1/auth/login", "/api/v1/health"}


def api_routes(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.rule in PUBLIC:
            continue
        path = rule.rule
        for argument in rule.arguments:
            path = (
                path.replace(f"<int:{argument}>", "1")
                .replace(f"<bigid:{argument}>", "1")
                .replace(f"<{argument}>", "AUT")
            )
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path


def test_every_api_operation_but_the_public_ones_refuses_an_anonymous_client(app, client):
    routes = list(api_routes(app))

    answers = {(m, p): client.open(p, method=m, json={}).status_code for m, p in routes}

    assert len(routes) > 20
    assert {route: status for route, status in answers.items() if status != 401} == {}


def test_the_openapi_document_is_public_and_describes_every_kind_of_credentials(app, client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    spec = response.get_json()
    assert set(spec["components"]["securitySchemes"]) == {"session", "station", "gateway", "node"}
    assert "/api/v1/users" in spec["paths"]
    assert spec["paths"]["/api/v1/auth/login"]["post"]["security"] == []


# Passwords -------------------------------------------------------------------------------------


def test_passwords_are_stored_as_argon2id_hashes(app, world):
    stored = user_row(app, "officer_a").password_hash

    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert PasswordHasher().verify(stored, PASSWORD)


def test_a_hash_made_with_old_parameters_is_upgraded_at_the_next_login(database_url):
    from tests.midas.auth_builders import build_world

    old = make_app(database_url)
    build_world(old)
    database(old).dispose()
    stronger = make_app(database_url, PASSWORD_HASH_TIME_COST=2)

    log_in(stronger, "officer_a")

    assert "t=2" in user_row(stronger, "officer_a").password_hash
    database(stronger).dispose()


# Production settings ---------------------------------------------------------------------------


def test_production_refuses_the_default_or_a_short_secret(tmp_path):
    for secret in (DEFAULT_SECRET_KEY, "short but not default"):
        with pytest.raises(ConfigError) as refused:
            load_settings(tmp_path, {"ENV": "production", "SECRET_KEY": secret}, environ={})
        assert refused.value.key == "SECRET_KEY"


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    unit=st.text(alphabet=string.printable.strip(), min_size=1, max_size=6),
    length=st.integers(min_value=32, max_value=200),
)
def test_production_refuses_a_secret_that_repeats_a_few_characters(tmp_path, unit, length):
    secret = (unit * length)[:length]
    with pytest.raises(ConfigError) as refused:
        load_settings(tmp_path, {"ENV": "production", "SECRET_KEY": secret}, environ={})
    assert refused.value.key == "SECRET_KEY"
    assert "too easy to guess" in str(refused.value)


@pytest.mark.parametrize(
    "secret",
    [
        "abcdefghijklmnopqrstuvwxyz0123456789",
        "passwordpasswordpasswordpassword",
        "qwertyuiopasdfghjklzxcvbnm1234567890",
        "MidasProductionSecretKey2026!!!!x",
    ],
)
def test_production_refuses_a_long_but_guessable_secret(tmp_path, secret):
    with pytest.raises(ConfigError, match="SECRET_KEY: is too easy to guess"):
        load_settings(tmp_path, {"ENV": "production", "SECRET_KEY": secret}, environ={})


def test_a_generated_secret_is_accepted_in_production(tmp_path):
    settings = load_settings(tmp_path, {"ENV": "production", "SECRET_KEY": STRONG_SECRET}, {})
    assert settings["SECRET_KEY"] == STRONG_SECRET


def test_production_sends_the_session_cookie_over_https_only(tmp_path):
    settings = load_settings(
        tmp_path, {"ENV": "production", "SECRET_KEY": STRONG_SECRET}, environ={}
    )

    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    with pytest.raises(ConfigError, match="SESSION_COOKIE_SECURE"):
        load_settings(
            tmp_path,
            {"ENV": "production", "SECRET_KEY": STRONG_SECRET},
            environ={"MIDAS_SESSION_COOKIE_SECURE": "false"},
        )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("MIDAS_LOGIN_LOCKOUT_ATTEMPTS", "MIDAS_LOGIN_THROTTLE_ATTEMPTS"),
        ("MIDAS_LOGIN_LOCKOUT_MINUTES", "MIDAS_LOGIN_THROTTLE_MAX_MINUTES"),
    ],
)
def test_a_retired_lockout_setting_fails_at_start_naming_its_replacement(tmp_path, old, new):
    with pytest.raises(ConfigError) as refused:
        load_settings(tmp_path, {}, environ={old: "5"})

    assert refused.value.key == old and new in refused.value.reason


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("LOGIN_RATE_LIMIT", "often"),
        ("PASSWORD_MIN_LENGTH", 8),
        ("LOGIN_THROTTLE_ATTEMPTS", 0),
        ("LOGIN_THROTTLE_MAX_MINUTES", 0),
    ],
)
def test_weak_or_broken_security_settings_fail_at_start_naming_the_key(tmp_path, key, value):
    with pytest.raises(ConfigError) as refused:
        load_settings(tmp_path, {key: value}, environ={})

    assert refused.value.key == key


# Errors ----------------------------------------------------------------------------------------


def test_an_unexpected_error_is_answered_500_in_json_without_details(database_url):
    broken = make_app(database_url, PROPAGATE_EXCEPTIONS=False)

    def explode():
        raise RuntimeError("secret internals")

    broken.add_url_rule("/api/v1/explode", "explode", explode)

    response = broken.test_client().get("/api/v1/explode")

    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal"
    assert "secret" not in response.get_data(as_text=True)
    database(broken).dispose()


def test_an_unknown_api_path_is_answered_404_in_json(app, client):
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_a_closed_post_keeps_its_row(app, world, login_as):
    login_as("admin").post(f"/api/v1/posts/{world.post_b}/deactivate")

    with database(app).sessions() as session:
        assert session.get(Post, world.post_b).active is False
