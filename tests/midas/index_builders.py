"""An instrumented index builder: it records where each build runs and holds it until released."""

from __future__ import annotations

import threading

import pytest

from midas.domain import screening_indexes
from midas.domain.lists import Sessions
from midas.domain.screening_indexes import Index, build_index
from midas.persistence.active_lists import ActiveList


class HeldBuilds:
    """A builder that records the thread of every build and holds each until released."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.versions: list[tuple[str, int]] = []
        self.started = threading.Event()
        self.released = threading.Event()

    def __call__(self, sessions: Sessions, active: ActiveList) -> Index:
        self.threads.append(threading.current_thread())
        self.versions.append((active.name, active.version))
        self.started.set()
        # Bounded only so that a broken test fails instead of hanging the suite.
        assert self.released.wait(timeout=60), "the test never released the build"
        return build_index(sessions, active)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> HeldBuilds:
    """Make every build of the app's cache wait for `held.released`."""
    builds = HeldBuilds()
    monkeypatch.setattr(screening_indexes, "build_index", builds)
    return builds
