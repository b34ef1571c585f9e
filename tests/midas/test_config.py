"""Settings: bad values fail at start naming the key; proxy headers trusted only as configured."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from sqlalchemy import select

from midas import create_app
from midas.config import ConfigError, load_settings
from midas.persistence.database import database
from midas.persistence.models import AuditEvent
from tests.midas.auth_builders import make_app

LOGIN = "/api/v1/auth/login"
ATTEMPT = {"username": "nobody", "password": "whatever it is"}


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("TRUSTED_PROXIES", "-1", "between 0 and 5"),
        ("TRUSTED_PROXIES", "9", "between 0 and 5"),
        ("TRUSTED_PROXIES", "two", "expected an integer"),
        ("SCAN_INBOX", "relative/inbox", "absolute folder path"),
        ("PAXLST_INBOX", "relative/inbox", "absolute folder path"),
        ("PAXLST_INBOX_BATCH", "0", "at least 1"),
        ("PAXLST_MAX_MB", "0", "at least 1"),
        ("PAXLST_GATEWAY_RATE_LIMIT", "often", "not a rate limit"),
        ("PAXLST_NO_SHOW_GRACE_MINUTES", "-5", "must not be negative"),
        ("PAXLST_LATE_MINUTES", "-1", "must not be negative"),
    ],
)
def test_a_bad_setting_fails_at_start_naming_the_key(
    tmp_path: Path, key: str, value: str, says: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(tmp_path, {key: value})

    assert raised.value.key == key
    assert says in str(raised.value)


def test_settings_come_from_the_environment(tmp_path: Path) -> None:
    environ = {
        "MIDAS_TRUSTED_PROXIES": "1",
        "MIDAS_SCAN_INBOX": str(tmp_path / "inbox"),
        "MIDAS_PAXLST_INBOX": str(tmp_path / "paxlst"),
        "MIDAS_PAXLST_GATEWAY_RATE_LIMIT": "5 per second",
    }

    settings = load_settings(tmp_path, environ=environ)
    assert settings["PAXLST_INBOX"] == str(tmp_path / "paxlst")
    assert settings["PAXLST_GATEWAY_RATE_LIMIT"] == "5 per second"

    assert settings["TRUSTED_PROXIES"] == 1
    assert settings["SCAN_INBOX"] == str(tmp_path / "inbox")


def _failed_login_addresses(app) -> list[str | None]:
    with database(app).sessions() as session:
        rows = session.scalars(
            select(AuditEvent.remote_addr)
            .where(AuditEvent.action == "auth.login")
            .order_by(AuditEvent.id)
        )
        return list(rows)


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(database_url):
    app = make_app(database_url, LOGIN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    statuses = [
        client.post(
            LOGIN, json=ATTEMPT, environ_base=proxy, headers={"X-Forwarded-For": f"192.0.2.{n}"}
        ).status_code
        for n in range(3)
    ]

    # A guesser cannot dodge the limit by inventing a new address for every attempt.
    assert statuses == [401, 401, 429]
    assert _failed_login_addresses(app) == ["10.0.0.1", "10.0.0.1"]
    database(app).dispose()


def test_behind_a_trusted_proxy_the_client_address_is_the_forwarded_one(database_url):
    app = make_app(database_url, LOGIN_RATE_LIMIT="2 per minute", TRUSTED_PROXIES=1)
    client = app.test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    def attempt(address: str) -> int:
        headers = {"X-Forwarded-For": address}
        return client.post(LOGIN, json=ATTEMPT, environ_base=proxy, headers=headers).status_code

    first = [attempt("192.0.2.7") for _ in range(3)]
    other = attempt("192.0.2.8")

    # Counted per traveller-facing client, not per proxy: one desk's guesses do not lock out
    # every desk behind the same proxy.
    assert first == [401, 401, 429]
    assert other == 401
    assert _failed_login_addresses(app) == ["192.0.2.7", "192.0.2.7", "192.0.2.8"]
    database(app).dispose()


def test_the_pseudo_locale_is_refused_in_production(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(
            tmp_path,
            {
                "ENV": "production",
                "PSEUDO_LOCALE": True,
                "SECRET_KEY": secrets.token_urlsafe(32),
                "AUDIT_PSEUDONYM_KEY": secrets.token_urlsafe(32),
            },
        )

    assert raised.value.key == "PSEUDO_LOCALE"


def test_each_node_on_one_machine_keeps_its_own_instance_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "network" / "post-nmg"
    folder.mkdir(parents=True)
    (folder / "node.json").write_text('{"role": "post", "code": "NMG"}\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MIDAS_INSTANCE_PATH", "network/post-nmg")

    app = create_app({"TESTING": True, "ENV": "testing"})

    assert Path(app.instance_path) == folder
    assert (app.config["NODE_ROLE"], app.config["NODE_CODE"]) == ("post", "NMG")
    assert app.config["DATABASE_URL"] == f"sqlite:///{folder / 'midas.sqlite3'}"
