"""`midas create-post`, `create-user`, `create-station`: set up a service from a shell."""

from __future__ import annotations

from sqlalchemy import select

from midas.cli import main
from midas.persistence.database import database
from midas.persistence.models import AuditEvent, Role, Station, User
from tests.midas.auth_builders import PASSWORD, log_in

POST = ["create-post", "--code", "vie-air", "--name", "Vienna Airport", "--kind", "air"]
PLACE = ["--country", "AUT", "--timezone", "Europe/Vienna"]


def test_a_post_and_an_officer_created_from_the_shell_can_log_in(app):
    runner = app.test_cli_runner()

    post = runner.invoke(main, [*POST, *PLACE])
    user = runner.invoke(
        main,
        [
            "create-user",
            "--username",
            "olga",
            "--role",
            "officer",
            "--post",
            "VIE-AIR",
            "--password-stdin",
        ],
        input=f"{PASSWORD}\n",
    )

    assert post.exit_code == 0, post.output
    assert "Created post VIE-AIR" in post.output
    assert user.exit_code == 0, user.output
    assert log_in(app, "olga").get("/api/v1/auth/me").get_json()["post"]["code"] == "VIE-AIR"
    with database(app).sessions() as session:
        created = session.scalars(select(AuditEvent).where(AuditEvent.action.like("%.create")))
        assert {(e.action, e.actor[:4]) for e in created} == {
            ("post.create", "cli:"),
            ("user.create", "cli:"),
        }


def test_the_password_is_asked_twice_when_not_piped(app):
    runner = app.test_cli_runner()

    result = runner.invoke(
        main,
        ["create-user", "--username", "root", "--role", "admin"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    with database(app).sessions() as session:
        assert session.scalar(select(User.role).where(User.username == "root")) is Role.ADMIN


def test_a_short_password_is_refused_naming_the_option(app):
    runner = app.test_cli_runner()
    runner.invoke(main, [*POST, *PLACE])

    result = runner.invoke(
        main,
        [
            "create-user",
            "--username",
            "olga",
            "--role",
            "officer",
            "--post",
            "VIE-AIR",
            "--password-stdin",
        ],
        input="short\n",
    )

    assert result.exit_code == 1
    assert "at least 12 characters (--password)" in result.output


def test_an_unknown_post_is_refused_naming_the_option(app):
    result = app.test_cli_runner().invoke(
        main,
        [
            "create-user",
            "--username",
            "olga",
            "--role",
            "officer",
            "--post",
            "NOPE",
            "--password-stdin",
        ],
        input=f"{PASSWORD}\n",
    )

    assert result.exit_code == 1
    assert "--post" in result.output


def test_a_bad_country_is_refused_naming_the_option(app):
    result = app.test_cli_runner().invoke(
        main, [*POST, "--country", "AUS-TRIA", "--timezone", "Europe/Vienna"]
    )

    assert result.exit_code == 1
    assert "(--country)" in result.output


def test_a_station_token_is_printed_once_and_only_its_hash_is_kept(app):
    runner = app.test_cli_runner()
    runner.invoke(main, [*POST, *PLACE])

    result = runner.invoke(main, ["create-station", "--post", "VIE-AIR", "--name", "desk 1"])

    assert result.exit_code == 0, result.output
    token = result.output.split("Token (shown once): ")[1].strip()
    with database(app).sessions() as session:
        assert session.scalar(select(Station.token_hint)) == token[:12]
    assert (
        app.test_client()
        .get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        .status_code
        == 200
    )
