"""Fixtures for watchlist loader and version tests: shared data folder, store, file writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from watchlists.versions import MemoryListStore

DATA_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "watchlists"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def data_dir() -> Path:
    """Return ../shared/data/watchlists, or skip when this checkout has no shared data beside it."""
    if not DATA_DIR.is_dir():
        pytest.skip(f"shared watchlist data not found at {DATA_DIR} (see its SOURCES.md)")
    return DATA_DIR


@pytest.fixture
def fixtures_dir() -> Path:
    """Return tests/watchlists/fixtures."""
    return FIXTURES


@pytest.fixture
def store() -> MemoryListStore:
    """Return an empty in-memory list store."""
    return MemoryListStore()


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    """Return a function writing text (or bytes) to a file under tmp_path and returning its path."""

    def write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding=encoding, newline="")
        return path

    return write
