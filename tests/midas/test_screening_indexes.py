"""Screening indexes are built outside requests: at start, and in a builder thread per process
while the previous index serves; a list without any index is said unavailable, never skipped.

The builder is instrumented rather than fed a list too large to build within gunicorn's timeout:
a build held until the test releases it stands for any list, however large, and the test stays
cheap. The request path must answer at once while it is held, and never run it itself.
"""

# ruff: noqa: F811 - pytest fixtures are imported from the builders and named as arguments
from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from midas.domain import screening_indexes
from midas.domain.errors import ScreeningUnavailable
from midas.domain.lists import Sessions, load_watchlist
from midas.domain.screening_indexes import (
    MAX_BUILD_ATTEMPTS,
    Index,
    IndexCache,
    IndexState,
    app_index_cache,
    build_at_start,
    build_index,
)
from midas.persistence.active_lists import ActiveList
from midas.persistence.database import database
from midas.persistence.models import Crossing
from tests.midas.auth_builders import ApiClient, as_station, log_in
from tests.midas.crossing_builders import DOCUMENTS, PEOPLE, write_csv
from tests.midas.index_builders import held  # noqa: F401 - fixture
from tests.midas.test_api_crossings import LISTED, body
from watchlists.index import DocumentIndex
from watchlists.models import ListKind

SCREENINGS = "/api/v1/screenings"
HEALTH = "/api/v1/health"


def load(app: Flask, tmp_path: Path, name: str, rows: list[list[str]]) -> None:
    """Load a list (a new version if it exists) without building any index."""
    kind = ListKind.DOCUMENT if name == "sltd" else ListKind.PERSON
    path = write_csv(tmp_path / f"{name}-{uuid.uuid4().hex}.csv", rows)
    report = load_watchlist(database(app).sessions, name, kind, "csv", path, "tester")
    assert report.ok, report.failure


def crossings(app: Flask) -> int:
    with database(app).sessions() as session:
        return session.scalar(select(func.count()).select_from(Crossing)) or 0


def screen(station: ApiClient) -> Any:
    return station.post(SCREENINGS, json={"mrz": list(LISTED), "officer": "officer_a"})


def test_a_request_never_builds_an_index_and_says_screening_is_unavailable_meanwhile(
    app, world, tmp_path, held
):
    load(app, tmp_path, "alerts", PEOPLE)
    load(app, tmp_path, "sltd", DOCUMENTS)
    station = as_station(app, world.station_token)
    admin = log_in(app, "admin")

    refused = screen(station)
    assert refused.status_code == 503
    error = refused.get_json()["error"]
    assert error["code"] == "screening_unavailable"
    assert 'the lists "alerts" and "sltd" is not available yet' in error["message"]
    recorded = station.post("/api/v1/crossings", json=body())
    assert recorded.status_code == 503, recorded.get_json()
    assert crossings(app) == 0
    health = admin.get(HEALTH)
    assert health.status_code == 503 and health.get_json()["status"] == "unavailable"
    assert {item["name"]: item["index"] for item in health.get_json()["lists"]} == {
        "alerts": {"state": "building", "served_version": None, "failure": None},
        "sltd": {"state": "building", "served_version": None, "failure": None},
    }
    assert held.started.wait(timeout=60)

    held.released.set()
    assert app_index_cache(app).wait(timeout=60)
    screened = screen(station)
    assert screened.status_code == 200, screened.get_json()
    assert {hit["list"] for hit in screened.get_json()["hits"]} == {"alerts", "sltd"}
    assert station.post("/api/v1/crossings", json=body()).status_code == 201
    assert admin.get(HEALTH).get_json()["status"] == "ok"
    # Each list built once, by the process's builder thread, whatever the requests did.
    assert sorted(held.versions) == [("alerts", 1), ("sltd", 1)]
    assert {thread.name for thread in held.threads} == {"midas-index-builder"}
    assert threading.current_thread() not in held.threads


def test_the_previous_version_screens_while_the_new_one_builds(app, world, tmp_path, held):
    load(app, tmp_path, "alerts", PEOPLE)
    load(app, tmp_path, "sltd", DOCUMENTS)
    held.released.set()
    app_index_cache(app).build_now(database(app).sessions)
    held.released.clear()
    load(app, tmp_path, "alerts", [*PEOPLE, ["p2", "Ivan Petrov", "", "1970-01-01", "RUS", "M"]])
    station = as_station(app, world.station_token)
    admin = log_in(app, "admin")

    screened = screen(station).get_json()
    assert screened["lists"] == {"alerts": 1, "sltd": 1}
    assert alert_versions(screened) == [1]
    health = admin.get(HEALTH)
    assert health.status_code == 200 and health.get_json()["status"] == "degraded"
    [alerts] = [item for item in health.get_json()["lists"] if item["name"] == "alerts"]
    assert (alerts["active_version"], alerts["index"]) == (
        2,
        {"state": "building", "served_version": 1, "failure": None},
    )
    assert (
        "list alerts: screening uses version 1 while version 2 is being built"
        in (health.get_json()["warnings"])
    )

    held.released.set()
    assert app_index_cache(app).wait(timeout=60)
    screened = screen(station).get_json()
    assert screened["lists"] == {"alerts": 2, "sltd": 1}
    assert alert_versions(screened) == [2]
    assert held.threads[-1].name == "midas-index-builder"


def alert_versions(screened: dict[str, Any]) -> list[int]:
    return [hit["list_version"] for hit in screened["hits"] if hit["list"] == "alerts"]


def failing_on(version: int) -> tuple[Callable[[Sessions, ActiveList], Index], list[int]]:
    calls: list[int] = []

    def build(sessions: Sessions, active: ActiveList) -> Index:
        calls.append(active.version)
        if active.version == version:
            raise RuntimeError("the list could not be read")
        return build_index(sessions, active)

    return build, calls


def test_a_failing_build_is_tried_a_bounded_number_of_times_then_said_failed(app, tmp_path):
    sessions = database(app).sessions
    build, calls = failing_on(1)
    cache = IndexCache(build)
    load(app, tmp_path, "alerts", PEOPLE)
    for _ in range(MAX_BUILD_ATTEMPTS + 3):
        cache.statuses(sessions)  # each check may queue a retry
        assert cache.wait(timeout=60)
    assert calls == [1] * MAX_BUILD_ATTEMPTS
    [status] = cache.statuses(sessions)
    assert (status.state, status.served_version, status.failure) == (
        IndexState.FAILED,
        None,
        "RuntimeError",
    )
    with pytest.raises(ScreeningUnavailable):
        cache.indexes(sessions)

    load(app, tmp_path, "alerts", PEOPLE)  # a new version starts afresh
    cache.statuses(sessions)
    assert cache.wait(timeout=60)
    assert cache.indexes(sessions).versions() == {"alerts": 2}


def test_building_at_start_builds_every_active_list_in_the_calling_thread(app, tmp_path, held):
    load(app, tmp_path, "alerts", PEOPLE)
    load(app, tmp_path, "sltd", DOCUMENTS)
    held.released.set()
    assert sorted(build_at_start(app)) == ["alerts", "sltd"]
    assert held.threads == [threading.current_thread()] * 2
    # Nothing pooled is left for a forked worker to share.
    assert database(app).engine.pool.checkedin() == 0
    indexes = app_index_cache(app).indexes(database(app).sessions)
    assert indexes.versions() == {"alerts": 1, "sltd": 1}
    assert build_at_start(app) == ["alerts", "sltd"]  # nothing left to build
    assert len(held.threads) == 2


def test_a_list_failing_to_build_at_start_does_not_stop_the_start(
    app, tmp_path, monkeypatch, caplog
):
    load(app, tmp_path, "alerts", PEOPLE)
    load(app, tmp_path, "sltd", DOCUMENTS)
    build, calls = failing_on(1)
    monkeypatch.setattr(screening_indexes, "build_index", build)
    assert build_at_start(app) == []  # "alerts" failed first: the workers build both
    assert "screening indexes not all built at start" in caplog.text
    assert calls == [1]


def test_a_list_without_any_index_is_never_skipped_by_screening(app, tmp_path):
    sessions = database(app).sessions
    load(app, tmp_path, "sltd", DOCUMENTS)
    cache = IndexCache()
    cache.build_now(sessions)
    load(app, tmp_path, "alerts", PEOPLE)  # a new list: nothing of it is ready
    with pytest.raises(ScreeningUnavailable) as raised:
        cache.indexes(sessions)
    assert raised.value.lists == ("alerts",)
    assert cache.wait(timeout=60)
    assert cache.indexes(sessions).versions() == {"alerts": 1, "sltd": 1}


_OPS = st.lists(
    st.one_of(
        st.tuples(st.just("activate"), st.sampled_from(["alerts", "sltd", "wanted"])),
        st.just(("request", "")),
        st.just(("settle", "")),
    ),
    max_size=30,
)


@given(ops=_OPS)
@settings(max_examples=60)
def test_however_versions_and_requests_interleave_requests_never_build_and_never_go_back(ops):
    """Each version is built at most once, off the request thread; a list once screened is never
    unavailable again nor screened against an older version; settled, all are current."""
    built: list[tuple[str, int, threading.Thread]] = []

    def build(sessions: Sessions, active: ActiveList) -> Index:
        built.append((active.name, active.version_id, threading.current_thread()))
        return DocumentIndex.build(active.name, active.version, [])

    cache = IndexCache(build)
    sessions: Any = object()  # the builder above reads nothing
    active: dict[str, ActiveList] = {}
    ids = iter(range(1, 1000))
    served: dict[str, int] = {}
    for op, name in ops:
        if op == "activate":
            number = active[name].version + 1 if name in active else 1
            active[name] = ActiveList(name, ListKind.DOCUMENT, next(ids), number)
            continue
        snapshot = sorted(active.values(), key=lambda a: a.name)
        if op == "settle":
            # A check notices what changed since the last one; then its builds are waited for.
            with contextlib.suppress(ScreeningUnavailable):
                cache.indexes(sessions, snapshot)
            assert cache.wait(timeout=60)
        try:
            versions = cache.indexes(sessions, snapshot)
        except ScreeningUnavailable as refused:
            assert not set(refused.lists) & set(served), "a list once screened went unavailable"
            assert set(refused.lists) <= set(active)
            continue
        assert set(versions.versions()) == set(active)
        for list_name, version in versions.versions().items():
            assert version >= served.get(list_name, 0), "screened against an older version"
            served[list_name] = version
        if op == "settle":
            assert versions.versions() == {n: a.version for n, a in active.items()}
    assert cache.wait(timeout=60)
    assert threading.current_thread() not in {thread for _, _, thread in built}
    assert len({version_id for _, version_id, _ in built}) == len(built), "a version built twice"


def test_a_retry_of_a_recorded_crossing_is_answered_while_a_new_list_is_unscreened(
    app, world, tmp_path, held
):
    load(app, tmp_path, "sltd", DOCUMENTS)
    held.released.set()
    app_index_cache(app).build_now(database(app).sessions)
    held.released.clear()
    station = as_station(app, world.station_token)
    sent = body()
    assert station.post("/api/v1/crossings", json=sent).status_code == 201
    load(app, tmp_path, "alerts", PEOPLE)  # a new list: not screened until its index is built
    again = station.post("/api/v1/crossings", json=sent)
    assert again.status_code == 200, again.get_json()
    assert station.post("/api/v1/crossings", json=body()).status_code == 503
    assert crossings(app) == 1
    held.released.set()
