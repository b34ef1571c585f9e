"""Nodes for the sync tests: headquarters and posts, each its own app and database.

`hq` and `posts`: headquarters on the test's backend, posts NBO and NMG on SQLite files.
`outpost`: post NBO on the test's backend, its headquarters on a SQLite file. Bundles travel
as bytes: the same path as a USB stick.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from midas import create_app
from midas.domain.nodes import Node, enroll_peer, init_node
from midas.domain.sync_exchange import Taken, next_bundles, take_ack, take_bundle
from midas.persistence.database import database
from midas.persistence.models import Post, PostKind, Role, User
from tests.conftest import CHEAP_HASHING
from tests.midas.crossing_builders import make_user


@dataclass
class Site:
    """One node: its app, its identity and key, and (at a post) its officer."""

    app: Flask
    node: Node
    officer: User | None = None

    def sessions(self) -> sessionmaker[Session]:
        return database(self.app).sessions


def make_post_row(session: Session, code: str) -> Post:
    post = Post(code=code, name=f"Post {code}", kind=PostKind.LAND, country="KEN",
                timezone="Africa/Nairobi")  # fmt: skip
    session.add(post)
    session.flush()
    return post


def node_app(sqlite_template: Path, tmp_path: Path, code: str, role: str) -> Flask:
    """Return an app on a fresh SQLite file, configured as this node."""
    path = tmp_path / f"{code}.sqlite3"
    shutil.copyfile(sqlite_template, path)
    settings: dict[str, Any] = {"TESTING": True, "ENV": "testing",
                                "DATABASE_URL": f"sqlite:///{path}", "NODE_ROLE": role,
                                "NODE_CODE": code, **CHEAP_HASHING}  # fmt: skip
    return create_app(settings)


def headquarters(app: Flask, tmp_path: Path) -> Site:
    """Make `app` headquarters, holding posts NBO and NMG and an administrator."""
    node = Node("hq", "hq", tmp_path / "hq.key")
    init_node(node.key_path)
    app.config.update(NODE_ROLE="hq", NODE_KEY_FILE=str(node.key_path))
    with database(app).sessions.begin() as session:
        for code in ("NBO", "NMG"):
            make_post_row(session, code)
        make_user(session, "chief", Role.ADMIN, None)
    return Site(app, node)


def enrol_post(hq: Site, app: Flask, code: str, tmp_path: Path) -> Site:
    """Make `app` post `code`, with its post row and an officer, enrolled both ways."""
    node = Node("post", code, tmp_path / f"{code}.key")
    public = init_node(node.key_path)
    app.config.update(NODE_ROLE="post", NODE_CODE=code, NODE_KEY_FILE=str(node.key_path))
    with database(app).sessions.begin() as session:
        post = make_post_row(session, code)
        officer = make_user(session, f"officer-{code.lower()}", Role.OFFICER, post)
        enroll_peer(session, "cli:test", "hq", "hq", hq.node.key().public.pem())
        session.flush()
        session.expunge(officer)
    with hq.sessions().begin() as session:
        enroll_peer(session, "cli:test", code, "post", public.pem())
    return Site(app, node, officer)


@pytest.fixture
def hq(app: Flask, tmp_path: Path) -> Site:
    return headquarters(app, tmp_path)


@pytest.fixture
def posts(hq: Site, sqlite_template: Path, tmp_path: Path) -> Iterator[dict[str, Site]]:
    made = {
        code: enrol_post(hq, node_app(sqlite_template, tmp_path, code, "post"), code, tmp_path)
        for code in ("NBO", "NMG")
    }
    yield made
    for site in made.values():
        database(site.app).dispose()


@pytest.fixture
def outpost(app: Flask, sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[Site, Site]]:
    """Post NBO on the test's backend, and its headquarters on SQLite."""
    center = headquarters(node_app(sqlite_template, tmp_path, "hq", "hq"), tmp_path)
    yield center, enrol_post(center, app, "NBO", tmp_path)
    database(center.app).dispose()


def export(site: Site, receiver: str = "hq") -> list[bytes]:
    with site.sessions().begin() as session:
        return next_bundles(session, site.node, receiver)


def take(site: Site, data: bytes) -> Taken:
    with site.sessions().begin() as session:
        return take_bundle(session, site.node, data)


def acknowledge(site: Site, ack: bytes) -> int:
    with site.sessions().begin() as session:
        return take_ack(session, site.node, ack)


def count(site: Site, model: Any) -> int:
    with site.sessions()() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0
