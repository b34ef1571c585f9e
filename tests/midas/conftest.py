"""Fixtures of the API and auth tests: a small world of posts, people and a station, and clients
acting as them (the builders are in tests/midas/auth_builders.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.midas.auth_builders import ApiClient, World, as_station, build_world, log_in

# Headquarters and posts, each its own app.
from tests.midas.sync_builders import hq, outpost, posts  # noqa: F401


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return an anonymous test client."""
    return app.test_client()


@pytest.fixture
def world(app: Flask) -> World:
    """Return the small world, created in the app's database."""
    return build_world(app)


@pytest.fixture
def login_as(app: Flask, world: World) -> Callable[[str], ApiClient]:
    """Return a function logging in one of the world's people: login_as("officer_a")."""
    return lambda username: log_in(app, username)


@pytest.fixture
def station(app: Flask, world: World) -> ApiClient:
    """Return a client acting as the world's station at post AAA."""
    return as_station(app, world.station_token)
