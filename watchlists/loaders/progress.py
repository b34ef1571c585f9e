"""Open list files for streaming, with a tqdm progress bar by bytes read on a terminal only."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from tqdm import tqdm

from watchlists.errors import SourceNotFoundError


class _CountingReader(io.RawIOBase):
    """A raw reader that reports every chunk it reads to a progress bar."""

    def __init__(self, raw: IO[bytes], bar: tqdm[None]) -> None:
        self._raw = raw
        self._bar = bar

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self._bar.update(len(data))
        return len(data)


def show_progress() -> bool:
    """Return whether a progress bar is wanted: only when stderr is a terminal."""
    return sys.stderr.isatty()


@contextmanager
def open_binary(path: Path, *, desc: str, progress: bool | None = None) -> Iterator[IO[bytes]]:
    """Open `path` for binary streaming; raise SourceNotFoundError when it is missing."""
    try:
        raw = path.open("rb")
    except FileNotFoundError as exc:
        raise SourceNotFoundError("file not found", path=str(path)) from exc
    with raw:
        if not (show_progress() if progress is None else progress):
            yield raw
            return
        total = path.stat().st_size
        with tqdm(total=total, unit="B", unit_scale=True, desc=desc, leave=False) as bar:
            yield io.BufferedReader(_CountingReader(raw, bar))


@contextmanager
def open_text(
    path: Path, *, desc: str, progress: bool | None = None, encoding: str = "utf-8-sig"
) -> Iterator[IO[str]]:
    """Open `path` for text streaming with universal newlines left to the csv module."""
    with open_binary(path, desc=desc, progress=progress) as binary:
        yield io.TextIOWrapper(binary, encoding=encoding, newline="")
