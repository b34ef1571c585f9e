"""Headquarters and a post as two gunicorn servers over HTTP on loopback: the post records a
crossing, `midas sync` brings it to headquarters, and a list headquarters changes reaches the
post's screening. Headquarters runs on the test's backend, the post on SQLite."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import select

from midas.cli import main
from midas.domain.lists import load_watchlist
from midas.domain.nodes import enroll_peer, init_node
from midas.persistence.database import database
from midas.persistence.models import Watchlist, WatchlistVersion
from tests.midas.auth_builders import PASSWORD, build_world, make_app
from tests.midas.crossing_builders import PEOPLE, load_lists, mrz, write_csv
from tests.midas.gunicorn_builders import Server
from watchlists.models import ListKind

pytestmark = pytest.mark.slow
NEWCOMER = ["p2", "Ivana Petrova", "", "1980-01-01", "BGR", "F"]
NEWCOMER_MRZ = mrz("PETROVA", "IVANA", "X12345678", nationality="BGR",
                   birth_date=date(1980, 1, 1), sex="F")  # fmt: skip


@dataclass
class Network:
    """Headquarters' server and setup app, and the post's app, database and server settings."""

    hq: Server
    hq_app: Flask
    post_app: Flask
    post_url: str
    post_env: dict[str, str]
    token: str
    folder: Path

    def serve_post(self, log: str) -> Server:
        return Server(self.post_url, self.folder / log, self.post_env)

    def sync(self) -> str:
        """Run `midas sync` at the post, as an operator or its timer would; return its output."""
        result = self.post_app.test_cli_runner().invoke(main, ["sync"])
        assert result.exit_code == 0, result.output
        return result.output


@pytest.fixture
def network(database_url: str, sqlite_template: Path, tmp_path: Path) -> Iterator[Network]:
    hq_key, post_key = tmp_path / "hq.key", tmp_path / "AAA.key"
    hq_public, post_public = init_node(hq_key), init_node(post_key)
    hq_app = make_app(database_url, NODE_ROLE="hq", NODE_KEY_FILE=str(hq_key))
    world = build_world(hq_app)  # posts AAA and BBB, their people, a station at AAA
    load_lists(hq_app, tmp_path)
    with database(hq_app).sessions.begin() as session:
        enroll_peer(session, "cli:test", "AAA", "post", post_public.pem())
    database(hq_app).dispose()
    post_db = tmp_path / "AAA.sqlite3"
    shutil.copyfile(sqlite_template, post_db)
    post_url = f"sqlite:///{post_db}"
    hq = Server(database_url, tmp_path / "hq.log",
                {"MIDAS_NODE_ROLE": "hq", "MIDAS_NODE_KEY_FILE": str(hq_key)})  # fmt: skip
    hq_url = f"http://127.0.0.1:{hq.port}"
    post_node = {"NODE_ROLE": "post", "NODE_CODE": "AAA", "NODE_KEY_FILE": str(post_key)}
    post_app = make_app(post_url, **post_node, HQ_URL=hq_url)
    with database(post_app).sessions.begin() as session:
        enroll_peer(session, "cli:test", "hq", "hq", hq_public.pem())
    post_env = {f"MIDAS_{key}": value for key, value in post_node.items()}
    try:
        yield Network(hq, hq_app, post_app, post_url, post_env | {"MIDAS_HQ_URL": hq_url},
                      world.station_token, tmp_path)  # fmt: skip
    finally:
        hq.stop()
        database(post_app).dispose()
        database(hq_app).dispose()


def screen(server: Server, token: str, lines: tuple[str, ...]) -> list[dict[str, Any]]:
    status, screened = server.post(
        "/api/v1/screenings", {"mrz": list(lines), "officer": "officer_a"}, token
    )
    assert status == 200, screened
    hits: list[dict[str, Any]] = screened["hits"]
    return hits


def active_version(app: Flask, name: str) -> int:
    with database(app).sessions() as session:
        number = session.scalar(
            select(WatchlistVersion.number)
            .join(Watchlist, Watchlist.active_version_id == WatchlistVersion.id)
            .where(Watchlist.name == name)
        )
    assert number is not None, f"{name} has no active version"
    return int(number)


def test_a_post_and_headquarters_sync_crossings_and_lists_over_http(network: Network) -> None:
    # The post starts empty: its first sync brings headquarters' lists, people and station.
    assert "pulled" in network.sync()
    assert active_version(network.post_app, "alerts") == active_version(network.hq_app, "alerts")
    post = network.serve_post("post.log")
    try:
        client_id = str(uuid.uuid4())
        status, recorded = post.post(
            "/api/v1/crossings",
            {"client_id": client_id, "direction": "entry", "decision": "referred",
             "officer": "officer_a", "mrz": list(mrz())},
            network.token,
        )  # fmt: skip
        assert status == 201, recorded
        assert screen(post, network.token, NEWCOMER_MRZ) == []
    finally:
        post.stop()

    assert "1 acknowledged" in network.sync()
    supervisor = requests.Session()
    hq = f"http://127.0.0.1:{network.hq.port}/api/v1"
    credentials = {"username": "supervisor_all", "password": PASSWORD}
    login = supervisor.post(f"{hq}/auth/login", json=credentials, timeout=30)
    assert login.status_code == 200, login.text
    found = supervisor.get(f"{hq}/crossings", params={"document_number": "L898902C3"}, timeout=30)
    assert found.status_code == 200, found.text
    assert [item["client_id"] for item in found.json()["items"]] == [client_id]

    # Headquarters loads a new version of a list; the post pulls it and screens against it.
    path = write_csv(network.folder / "alerts-next.csv", [*PEOPLE, NEWCOMER])
    loaded = load_watchlist(database(network.hq_app).sessions, "alerts", ListKind.PERSON,
                            "csv", path, "tester", progress=False)  # fmt: skip
    assert loaded.version is not None, loaded
    assert "pulled 1 bundle(s)" in network.sync()
    assert active_version(network.post_app, "alerts") == active_version(network.hq_app, "alerts")
    # A restarted post builds its indexes before serving: no waiting on a background build.
    post = network.serve_post("post-again.log")
    try:
        hits = screen(post, network.token, NEWCOMER_MRZ)
    finally:
        post.stop()
    assert [(hit["list"], hit["entry_id"]) for hit in hits] == [("alerts", "p2")]
