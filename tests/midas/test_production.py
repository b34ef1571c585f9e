"""Production refuses to serve demo logins and station tokens whose secrets are published."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import select

from midas import create_app
from midas.auth.passwords import passwords
from midas.cli import main
from midas.domain import admin
from midas.domain.credentials import token_sha256
from midas.domain.demo import POSTS, USERS, DemoReport, ensure_people_and_posts
from midas.persistence.database import database
from midas.persistence.models import Station, User
from midas.production import PublicCredentialsInProduction
from tests.conftest import CHEAP_HASHING
from tests.midas.auth_builders import STRONG_SECRET, make_app

NEW_PASSWORD = "a passphrase nobody published"


def _production(database_url: str, **kwargs: Any) -> Flask:
    settings = {"ENV": "production", "SECRET_KEY": STRONG_SECRET, "DATABASE_URL": database_url}
    return create_app(settings | CHEAP_HASHING, **kwargs)


@pytest.fixture
def seeded(database_url: str) -> Flask:
    """A database holding the demo posts, stations and people, as `midas demo` leaves them."""
    app = make_app(database_url)
    with app.app_context(), database(app).sessions.begin() as session:
        ensure_people_and_posts(session, passwords(app), DemoReport())
    database(app).dispose()
    return app


def test_production_refuses_to_start_with_demo_logins_and_tokens(seeded, database_url):
    with pytest.raises(PublicCredentialsInProduction) as refused:
        _production(database_url)

    said = str(refused.value)
    assert "admin, officer1, officer2, officer3, supervisor" in said
    assert all(f"{demo.code} {demo.station}" in said for demo in POSTS)
    assert "midas retire-demo" in said
    assert not any(person.password in said for person in USERS)  # secrets are not repeated


def test_after_retire_demo_production_starts(seeded, database_url):
    cli = _production(database_url, serving=False)  # the command line starts, to fix it
    result = cli.test_cli_runner().invoke(main, ["retire-demo"])
    database(cli).dispose()
    assert result.exit_code == 0, result.output
    assert "Deactivated demo logins with their published password: admin" in result.output

    served = _production(database_url)

    with database(served).sessions() as session:
        assert not any(session.scalars(select(User.active)))
        assert not any(session.scalars(select(Station.active)))
    database(served).dispose()


def test_new_passwords_and_rotated_tokens_make_the_demo_data_safe(seeded, database_url):
    app = make_app(database_url)
    with app.app_context(), database(app).sessions.begin() as session:
        for user in session.scalars(select(User)):
            admin.reset_password(session, "cli:test", passwords(app), user.id, NEW_PASSWORD)
        for station in session.scalars(select(Station)):
            station.token_sha256 = token_sha256(admin.new_station_token())
    database(app).dispose()

    database(_production(database_url)).dispose()  # starts


def test_one_open_login_is_enough_to_refuse(seeded, database_url):
    app = make_app(database_url)
    with app.app_context(), database(app).sessions.begin() as session:
        for user in session.scalars(select(User).where(User.username != "officer2")):
            user.active = False
        for station in session.scalars(select(Station)):
            station.active = False
    database(app).dispose()

    with pytest.raises(PublicCredentialsInProduction, match="published password: officer2\\."):
        _production(database_url)


def test_an_account_called_admin_with_its_own_password_is_no_demo_login(database_url):
    app = make_app(database_url)
    with app.app_context(), database(app).sessions.begin() as session:
        admin.create_user(
            session, "cli:test", passwords(app), username="admin", full_name="Real Admin",
            role="admin", password=NEW_PASSWORD,
        )  # fmt: skip
    database(app).dispose()

    database(_production(database_url)).dispose()


def test_an_empty_database_does_not_stop_the_start(empty_database_url):
    database(_production(empty_database_url)).dispose()


# The console script --------------------------------------------------------------------------


def test_midas_help_shows_the_services_commands_only():
    shown = CliRunner().invoke(main, ["--help"]).output

    for own in ("init-db", "watchlist", "screen", "retention", "create-user", "retire-demo"):
        assert own in shown
    for flasks in ("--env-file", "--app", "--debug", "routes", "shell", " run "):
        assert flasks not in shown
    for flasks in ("routes", "shell", "run", "openapi"):
        result = CliRunner().invoke(main, [flasks, "--help"])
        assert result.exit_code == 2 and "No such command" in result.output


def test_flasks_commands_stay_reachable_through_flask_itself(database_url):
    from flask.cli import cli as flask_cli

    app = make_app(database_url)
    result = CliRunner().invoke(flask_cli, ["routes"], obj=ScriptInfo(create_app=lambda: app))
    database(app).dispose()
    assert result.exit_code == 0, result.output
    assert "/admin/stations" in result.output
