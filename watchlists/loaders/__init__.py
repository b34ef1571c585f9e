"""One loader per published list format, registered by name for `versions.load_list`.

Every loader module exposes `FORMAT`, `iter_records(path, *, progress=None)` yielding
`PersonEntry | DocumentEntry | Rejected | Skipped` as it streams the file, `read_published(path)`
for the publication date the file states (or None) and `source_files(path)`, the files the
source is made of (hashed, in order, for the version's checksum).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from watchlists.errors import UnknownFormatError
from watchlists.loaders import csv_generic, ftm, ofac_csv, ofac_xml, un_xml
from watchlists.loaders.records import Entry, Record, Skipped
from watchlists.models import ListKind

__all__ = ["FORMATS", "Entry", "Format", "Record", "RecordReader", "Skipped", "get_format"]


class RecordReader(Protocol):
    """The shape of every loader's `iter_records`."""

    def __call__(self, path: Path, *, progress: bool | None = None) -> Iterator[Record]:
        """Yield the records of the source at `path`, streaming."""
        ...


@dataclass(frozen=True, slots=True)
class Format:
    """A published list format: what it can hold and how to read it."""

    name: str
    kinds: frozenset[ListKind]
    iter_records: RecordReader
    read_published: Callable[[Path], date | None]
    source_files: Callable[[Path], tuple[Path, ...]]


_PERSONS = frozenset({ListKind.PERSON})

FORMATS: dict[str, Format] = {
    module.FORMAT: Format(
        module.FORMAT, kinds, module.iter_records, module.read_published, module.source_files
    )
    for module, kinds in (
        (csv_generic, frozenset(ListKind)),
        (ofac_csv, _PERSONS),
        (ofac_xml, _PERSONS),
        (un_xml, _PERSONS),
        (ftm, _PERSONS),
    )
}


def get_format(name: str) -> Format:
    """Return the registered format called `name`; raise UnknownFormatError otherwise."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormatError(name, tuple(sorted(FORMATS))) from None
