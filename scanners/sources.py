"""Where scans come from: a watched folder, one file, a keyboard-wedge or serial reader, a fake."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, TextIO

from scanners.errors import SourceError

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".pdf"})
TEXT_SUFFIXES = frozenset({".txt", ".mrz"})


@dataclass(frozen=True, slots=True)
class Scan:
    """One thing a scanner delivered: MRZ text, or the path of an image to read."""

    kind: Literal["text", "image"]
    payload: str | Path
    source: str


class Scanner(Protocol):
    """A source of scans; iterating yields them as they arrive."""

    name: str

    def read(self) -> Iterator[Scan]:
        """Yield scans until the source is exhausted or stopped."""
        ...


def scan_of_file(path: Path, source: str) -> Scan:
    """Return the scan for one dropped file: its text for .txt/.mrz, else its path as an image."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        try:
            return Scan("text", path.read_text(encoding="utf-8"), source)
        except (OSError, UnicodeDecodeError) as error:
            raise SourceError(path, f"cannot read MRZ text ({error})") from error
    if suffix in IMAGE_SUFFIXES:
        return Scan("image", path, source)
    raise SourceError(path, f"not an image or MRZ text file (suffix {suffix or 'none'})")


@dataclass(slots=True)
class FileSource:
    """One image or text file."""

    path: Path
    name: str = "file"

    def read(self) -> Iterator[Scan]:
        """Yield the file's one scan."""
        if not self.path.is_file():
            raise SourceError(self.path, "no such file")
        yield scan_of_file(self.path, self.name)


@dataclass(slots=True)
class FolderSource:
    """A folder a desk scanner drops files into; each new file is yielded once, oldest first.

    Files are taken in (modification time, name) order. A file is taken only once its size has
    stayed the same for one poll, so a scan still being written is not read half-done.
    """

    folder: Path
    name: str = "folder"
    poll_seconds: float = 0.5
    limit: int | None = None  # stop after this many scans; None watches until interrupted
    idle_polls: int | None = None  # stop after this many polls that found nothing new
    sleep: Callable[[float], None] = time.sleep  # tests pass a no-op

    def read(self) -> Iterator[Scan]:
        """Yield a scan for every new image or text file, polling the folder."""
        if not self.folder.is_dir():
            raise SourceError(self.folder, "no such folder")
        seen: set[Path] = set()
        sizes: dict[Path, int] = {}
        count = idle = 0
        while True:
            ready = self._ready(seen, sizes)
            for path in ready:
                seen.add(path)
                yield scan_of_file(path, self.name)
                count += 1
                if self.limit is not None and count >= self.limit:
                    return
            idle = 0 if ready else idle + 1
            if self.idle_polls is not None and idle >= self.idle_polls:
                return
            self.sleep(self.poll_seconds)

    def _ready(self, seen: set[Path], sizes: dict[Path, int]) -> list[Path]:
        found = []
        for path in self.folder.iterdir():
            suffix = path.suffix.lower()
            if path in seen or path.name.startswith("."):
                continue
            if suffix not in IMAGE_SUFFIXES | TEXT_SUFFIXES or not path.is_file():
                continue
            stat = path.stat()
            if sizes.get(path) == stat.st_size:
                found.append((stat.st_mtime, path.name, path))
            sizes[path] = stat.st_size
        return [path for _, _, path in sorted(found)]


@dataclass(slots=True)
class StreamSource:
    """Lines typed by a keyboard-wedge or serial MRZ reader; a blank line ends each MRZ."""

    stream: TextIO | None = None  # None reads standard input
    name: str = "stdin"

    def read(self) -> Iterator[Scan]:
        """Yield one text scan per block of non-blank lines."""
        block: list[str] = []
        for raw in self.stream or sys.stdin:
            line = raw.strip()
            if line:
                block.append(line)
            elif block:
                yield Scan("text", "\n".join(block), self.name)
                block = []
        if block:
            yield Scan("text", "\n".join(block), self.name)


@dataclass(slots=True)
class FakeScanner:
    """A scanner for tests: yields the given MRZ texts and image paths, in order."""

    items: Iterable[str | Path]
    name: str = "fake"

    def read(self) -> Iterator[Scan]:
        """Yield a text scan for each string and an image scan for each path."""
        for item in self.items:
            if isinstance(item, Path):
                yield Scan("image", item, self.name)
            else:
                yield Scan("text", item, self.name)
