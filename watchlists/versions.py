"""List versions: the store interface, an in-memory store, and load-verify-swap of a list file.

A load never edits the active version. It begins a new version, streams the file into it in
batches, verifies the result and only then activates it in one step; on any failure the new
version is discarded and the previous one stays active. Versions are immutable once active,
so a reader that asks for the active version number and then reads that version's entries
never sees a mix of two loads.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from watchlists.companions import missing_companions
from watchlists.errors import (
    ListChangedError,
    LoadInProgressError,
    SourceError,
    StoreError,
    VersionStateError,
)
from watchlists.loaders import Entry, Record, Skipped, get_format
from watchlists.loaders.ftm import (
    DELTA_FORMAT,
    HeldDocument,
    iter_delta,
    with_documents,
    without_document,
)
from watchlists.models import (
    DocumentEntry,
    IdentityDocument,
    ListKind,
    ListVersion,
    PersonEntry,
    Rejected,
)
from watchlists.sniffing import mismatch

logger = logging.getLogger(__name__)

# A publication that rejects more than this share of its records is more likely broken (a
# changed layout, a bad export) than dirty; refuse it and keep the previous version.
DEFAULT_MAX_REJECTED_RATIO = 0.05
# A new full publication that drops more than this share of the active entries is more likely
# truncated (a download cut off) than a real delisting wave: sanctions lists delist a few
# entries per publication. Refuse it unless the caller explicitly allows the removals.
DEFAULT_MAX_REMOVED_RATIO = 0.1
# Removed entries a refusal names, so a person can tell a cut-off file from a delisting.
REMOVED_NAMED = 5
BATCH_SIZE = 1000
_CHUNK = 1 << 20
# Progress is reported at most this often, so a callback that writes a file stays cheap.
PROGRESS_EVERY_RECORDS = 1000
PROGRESS_EVERY_SECONDS = 0.5


class VersionState(StrEnum):
    """Where a list version stands."""

    LOADING = "loading"
    ACTIVE = "active"
    SUPERSEDED = "superseded"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a version's data came from, known before its entries are read."""

    source_format: str
    file_name: str
    checksum_sha256: str
    loaded_by: str
    loaded_at: datetime
    published: date | None = None


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """A version as the store keeps it: its provenance and counts, its state, why it failed."""

    version: ListVersion
    state: VersionState
    failure: str | None = None


class ListStore(Protocol):
    """Where list versions live; midas implements it on its database, tests use MemoryListStore.

    `begin_version` .. `activate` / `discard` is one load, and a list has at most one load at a
    time: `begin_version` raises LoadInProgressError while another version is LOADING.
    `activate` must flip the active pointer atomically (one transaction) and mark the previous
    active version superseded;
    `discard` must drop the version's entries and leave the active pointer alone. Entries of a
    version never change once it is active.
    """

    def begin_version(self, list_name: str, kind: ListKind, provenance: Provenance) -> int:
        """Create a LOADING version and return its number (one more than the list's highest)."""
        ...

    def add_entries(self, list_name: str, version: int, entries: Sequence[Entry]) -> None:
        """Append a batch of entries to a LOADING version."""
        ...

    def add_rejected(self, list_name: str, version: int, rejected: Sequence[Rejected]) -> None:
        """Record a batch of rejected records (location and reason) of a LOADING version."""
        ...

    def activate(
        self,
        list_name: str,
        version: int,
        *,
        entry_count: int,
        rejected_count: int,
        replaces: int | None,
    ) -> ListVersion:
        """Make a LOADING version the active one, atomically; return it with its counts.

        `replaces` is the version the load was verified against (None: none was active); when
        another is active by now, raise ListChangedError and change nothing.
        """
        ...

    def discard(self, list_name: str, version: int, reason: str) -> None:
        """Mark a LOADING version FAILED with the reason, drop its entries, keep the active one."""
        ...

    def active_version(self, list_name: str) -> ListVersion | None:
        """Return the active version of a list, or None before its first successful load."""
        ...

    def entries(self, list_name: str, version: int) -> Iterator[Entry]:
        """Yield the entries of one version in load order."""
        ...

    def rejected(self, list_name: str, version: int) -> Iterator[Rejected]:
        """Yield the rejected records of one version in file order."""
        ...

    def versions(self, list_name: str) -> list[StoredVersion]:
        """Return every version of a list, oldest first."""
        ...


@dataclass(slots=True)
class _Slot:
    """One version inside MemoryListStore."""

    meta: ListVersion
    state: VersionState
    entries: list[Entry] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    frozen: tuple[Entry, ...] = ()
    failure: str | None = None


class MemoryListStore:
    """A thread-safe ListStore in memory, for tests and the CLI without a database."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: dict[str, dict[int, _Slot]] = {}
        self._active: dict[str, int] = {}

    def _slot(self, list_name: str, version: int, state: VersionState | None = None) -> _Slot:
        slot = self._slots.get(list_name, {}).get(version)
        if slot is None:
            raise VersionStateError(list_name, version, "no such version")
        if state is not None and slot.state is not state:
            raise VersionStateError(list_name, version, f"is {slot.state}, not {state}")
        return slot

    def begin_version(self, list_name: str, kind: ListKind, provenance: Provenance) -> int:
        """Create a LOADING version and return its number."""
        with self._lock:
            slots = self._slots.setdefault(list_name, {})
            kinds = {slot.meta.kind for slot in slots.values()}
            if kinds and kind not in kinds:
                raise StoreError(f"{list_name} is a {kinds.pop()} list, not a {kind} list")
            running = [n for n, slot in slots.items() if slot.state is VersionState.LOADING]
            if running:
                meta = slots[running[0]].meta
                since = f"started by {meta.loaded_by} at {meta.loaded_at:%Y-%m-%d %H:%M} UTC"
                raise LoadInProgressError(list_name, running[0], since)
            number = max(slots, default=0) + 1
            slots[number] = _Slot(
                meta=ListVersion(
                    list_name=list_name,
                    kind=kind,
                    version=number,
                    source_format=provenance.source_format,
                    file_name=provenance.file_name,
                    checksum_sha256=provenance.checksum_sha256,
                    loaded_at=provenance.loaded_at,
                    loaded_by=provenance.loaded_by,
                    published=provenance.published,
                ),
                state=VersionState.LOADING,
            )
            return number

    def add_entries(self, list_name: str, version: int, entries: Sequence[Entry]) -> None:
        """Append a batch of entries to a LOADING version."""
        with self._lock:
            self._slot(list_name, version, VersionState.LOADING).entries.extend(entries)

    def add_rejected(self, list_name: str, version: int, rejected: Sequence[Rejected]) -> None:
        """Record a batch of rejected records of a LOADING version."""
        with self._lock:
            self._slot(list_name, version, VersionState.LOADING).rejected.extend(rejected)

    def activate(
        self,
        list_name: str,
        version: int,
        *,
        entry_count: int,
        rejected_count: int,
        replaces: int | None,
    ) -> ListVersion:
        """Make a LOADING version active, superseding the previous one."""
        with self._lock:
            slot = self._slot(list_name, version, VersionState.LOADING)
            if entry_count != len(slot.entries):
                reason = f"activate says {entry_count} entries, the store holds {len(slot.entries)}"
                raise VersionStateError(list_name, version, reason)
            previous = self._active.get(list_name)
            if previous != replaces:
                raise ListChangedError(list_name, replaces, previous)
            if previous is not None:
                self._slots[list_name][previous].state = VersionState.SUPERSEDED
            slot.frozen, slot.entries = tuple(slot.entries), []
            slot.meta = _counted(slot.meta, entry_count, rejected_count)
            slot.state = VersionState.ACTIVE
            self._active[list_name] = version
            return slot.meta

    def discard(self, list_name: str, version: int, reason: str) -> None:
        """Mark a LOADING version FAILED and drop its entries."""
        with self._lock:
            slot = self._slot(list_name, version, VersionState.LOADING)
            slot.meta = _counted(slot.meta, 0, len(slot.rejected))
            slot.entries, slot.state, slot.failure = [], VersionState.FAILED, reason

    def active_version(self, list_name: str) -> ListVersion | None:
        """Return the active version of a list, or None."""
        with self._lock:
            number = self._active.get(list_name)
            return None if number is None else self._slots[list_name][number].meta

    def entries(self, list_name: str, version: int) -> Iterator[Entry]:
        """Yield the entries of one version (a snapshot for a version still loading)."""
        with self._lock:
            slot = self._slot(list_name, version)
            snapshot = (
                slot.frozen if slot.state is not VersionState.LOADING else tuple(slot.entries)
            )
        return iter(snapshot)

    def rejected(self, list_name: str, version: int) -> Iterator[Rejected]:
        """Yield the rejected records of one version."""
        with self._lock:
            snapshot = tuple(self._slot(list_name, version).rejected)
        return iter(snapshot)

    def versions(self, list_name: str) -> list[StoredVersion]:
        """Return every version of a list, oldest first."""
        with self._lock:
            slots = self._slots.get(list_name, {})
            return [
                StoredVersion(slots[n].meta, slots[n].state, slots[n].failure)
                for n in sorted(slots)
            ]


def _counted(meta: ListVersion, entry_count: int, rejected_count: int) -> ListVersion:
    return replace(meta, entry_count=entry_count, rejected_count=rejected_count)


class LoadStage(StrEnum):
    """What a load is doing, in the order a load goes through it."""

    READING = "reading"
    VERIFYING = "verifying"
    ACTIVATING = "activating"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class LoadProgress:
    """How far a load has got: its stage, records read and rejected, bytes read of the total."""

    stage: LoadStage
    records: int
    rejected: int
    bytes_read: int | None = None
    bytes_total: int | None = None


ProgressCallback = Callable[[LoadProgress], None]


class _ReadMeter:
    """Tells how many bytes of the source files have been read, where the system can say.

    The loaders own their file handles (watchlists/loaders/progress.py), so the position is
    asked of the kernel (/proc/self/fdinfo) rather than threaded through every loader; where
    there is no /proc the bytes read stay unknown and only the total is reported.
    """

    def __init__(self, files: Sequence[Path]) -> None:
        self.files = [file.resolve() for file in files]
        self.sizes: dict[str, int] = {}
        for file in self.files:
            try:
                self.sizes[str(file)] = file.stat().st_size
            except OSError:
                continue
        self.total = sum(self.sizes.values()) if len(self.sizes) == len(self.files) else None
        self.done: set[str] = set()
        self.position: dict[str, int] = {}

    def read(self) -> int | None:
        """Return the bytes read so far across the files, or None when it cannot be known."""
        if self.total is None or not Path("/proc/self/fdinfo").is_dir():
            return None
        open_now: dict[str, int] = {}
        try:
            descriptors = os.listdir("/proc/self/fd")
        except OSError:
            return None
        for fd in descriptors:
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
                if target not in self.sizes:
                    continue
                info = Path(f"/proc/self/fdinfo/{fd}").read_text()
            except OSError:
                continue  # closed between the listing and the read
            pos = int(info.split("pos:", 1)[1].split()[0]) if "pos:" in info else 0
            open_now[target] = max(open_now.get(target, 0), pos)
        for name, size in self.sizes.items():
            if name in open_now:
                self.position[name] = min(open_now[name], size)
            elif name in self.position:
                # A file seen open and now closed has been read to its end.
                self.done.add(name)
        return min(
            self.total,
            sum(self.sizes[n] if n in self.done else p for n, p in self.position.items()),
        )


class _Reporter:
    """Calls a progress callback at each stage and then at most every so many records or seconds."""

    def __init__(self, callback: ProgressCallback | None, meter: _ReadMeter | None) -> None:
        self.callback, self.meter = callback, meter
        self.stage = LoadStage.READING
        self.records = self.rejected = 0
        self.last_records = 0
        self.last_time = time.monotonic()

    def enter(self, stage: LoadStage) -> None:
        """Report a new stage at once."""
        self.stage = stage
        self._emit()

    def tick(self, records: int, rejected: int) -> None:
        """Note the counts; report them when enough records or time have passed."""
        self.records, self.rejected = records, rejected
        if self.callback is None:
            return
        if records - self.last_records >= PROGRESS_EVERY_RECORDS or (
            records % 64 == 0 and time.monotonic() - self.last_time >= PROGRESS_EVERY_SECONDS
        ):
            self._emit()

    def _emit(self) -> None:
        if self.callback is None:
            return
        self.last_records, self.last_time = self.records, time.monotonic()
        total = None if self.meter is None else self.meter.total
        if self.stage is LoadStage.READING:
            read = None if self.meter is None else self.meter.read()
        else:
            read = total  # past reading, the whole file has been read
        try:
            self.callback(LoadProgress(self.stage, self.records, self.rejected, read, total))
        except Exception:  # the caller's display, not the load: it must never half-load a list
            logger.warning("a progress callback failed; the load goes on", exc_info=True)


@dataclass(frozen=True, slots=True)
class LoadFailure:
    """Why a load was refused: the stage, the reason and, where known, the line or element."""

    stage: str
    reason: str
    location: str | None = None

    def __str__(self) -> str:
        where = f" at {self.location}" if self.location else ""
        return f"{self.stage} failed{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What one load did: the version it made, what changed, what was rejected, or why not."""

    list_name: str
    kind: ListKind
    source_format: str
    file_name: str
    checksum_sha256: str
    published: date | None
    version: int | None
    active: ListVersion | None
    previous: ListVersion | None
    entry_count: int = 0
    rejected: tuple[Rejected, ...] = ()
    skipped: tuple[tuple[str, int], ...] = ()
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    failure: LoadFailure | None = None
    # What the load went without (a companion file not given): the version may still be active.
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Return whether the new version was activated."""
        return self.failure is None


def checksum(files: Sequence[Path]) -> str:
    """Return the sha256 of one file, or of 'sha256  name' lines (sha256sum's output) for many."""
    digests = []
    for file in files:
        digest = hashlib.sha256()
        with file.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
        digests.append((digest.hexdigest(), file.name))
    if len(digests) == 1:
        return digests[0][0]
    lines = "".join(f"{hexdigest}  {name}\n" for hexdigest, name in digests)
    return hashlib.sha256(lines.encode()).hexdigest()


def read_active(store: ListStore, list_name: str) -> tuple[ListVersion, list[Entry]] | None:
    """Return the active version and its entries, read consistently, or None."""
    active = store.active_version(list_name)
    if active is None:
        return None
    return active, list(store.entries(list_name, active.version))


def _utcnow() -> datetime:
    return datetime.now(UTC)


def load_list(
    store: ListStore,
    name: str,
    kind: ListKind,
    fmt: str,
    path: Path,
    loaded_by: str,
    *,
    max_rejected_ratio: float = DEFAULT_MAX_REJECTED_RATIO,
    max_removed_ratio: float | None = DEFAULT_MAX_REMOVED_RATIO,
    progress: bool | None = None,
    on_progress: ProgressCallback | None = None,
    now: Callable[[], datetime] = _utcnow,
) -> LoadReport:
    """Load a list file into a new version and activate it only if it passes verification.

    `progress` switches the terminal bar; `on_progress` is called at each stage and then at
    most every PROGRESS_EVERY_RECORDS records or PROGRESS_EVERY_SECONDS, never while the
    store is inside a call.
    """
    loader = get_format(fmt)
    path = Path(path)
    root = _root(path)
    previous = store.active_version(name)
    if kind not in loader.kinds:
        held = ", ".join(sorted(loader.kinds))
        failure = LoadFailure("source", f"format {fmt} holds {held} lists, not {kind}")
        return _unstarted(name, kind, fmt, path, previous, failure)
    try:
        files = loader.source_files(path)
        wrong = next((reason for file in files[:1] if (reason := mismatch(fmt, file))), None)
        if wrong is not None:
            return _unstarted(name, kind, fmt, path, previous, LoadFailure("source", wrong))
        digest = checksum(files)
    except (SourceError, OSError) as exc:
        return _unstarted(name, kind, fmt, path, previous, _failure("source", exc, root))
    published, early = None, None
    try:
        published = loader.read_published(path)
    except SourceError as exc:
        early = _failure("parse", exc, root)
    provenance = Provenance(
        source_format=fmt,
        file_name="+".join(file.name for file in files),
        checksum_sha256=digest,
        loaded_by=loaded_by,
        loaded_at=now(),
        published=published,
    )
    records = loader.iter_records(path, progress=progress) if early is None else iter(())
    return _load(
        store,
        name,
        kind,
        provenance,
        records,
        previous,
        early=early,
        max_rejected_ratio=max_rejected_ratio,
        max_removed_ratio=max_removed_ratio,
        reporter=_Reporter(on_progress, _ReadMeter(files) if on_progress else None),
        root=root,
        warnings=missing_companions(fmt, files),
    )


def _root(path: Path) -> Path:
    """Return the folder a source's file names are told relative to."""
    return path if path.is_dir() else path.parent


def apply_delta(
    store: ListStore,
    name: str,
    path: Path,
    loaded_by: str,
    *,
    max_rejected_ratio: float = DEFAULT_MAX_REJECTED_RATIO,
    progress: bool | None = None,
    on_progress: ProgressCallback | None = None,
    now: Callable[[], datetime] = _utcnow,
) -> LoadReport:
    """Apply an FtM delta file (or a folder of them, in order) to the active person version.

    The result is a new version like any load: verified, then activated, or discarded with
    the previous version left active. Without an active version the deltas apply to an empty
    list. ADD and MOD replace the whole entity; a Person that turns into another schema (or
    stops being a target) is removed, as is a DEL.
    """
    path = Path(path)
    root = _root(path)
    previous = store.active_version(name)
    if previous is not None and previous.kind is not ListKind.PERSON:
        failure = LoadFailure(
            "source", f"{name} is a {previous.kind} list; FtM deltas hold persons"
        )
        return _unstarted(name, ListKind.PERSON, DELTA_FORMAT, path, previous, failure)
    try:
        files = get_format("ftm").source_files(path)
        if not files:
            raise SourceError("no delta file found", path=str(path))
        digest = checksum(files)
    except (SourceError, OSError) as exc:
        failure = _failure("source", exc, root)
        return _unstarted(name, ListKind.PERSON, DELTA_FORMAT, path, previous, failure)
    base: dict[str, Entry] = {}
    if previous is not None:
        base = {entry.entry_id: entry for entry in store.entries(name, previous.version)}
    provenance = Provenance(
        source_format=DELTA_FORMAT,
        file_name="+".join(file.name for file in files),
        checksum_sha256=digest,
        loaded_by=loaded_by,
        loaded_at=now(),
        published=get_format("ftm").read_published(path),
    )
    return _load(
        store,
        name,
        ListKind.PERSON,
        provenance,
        _delta_records(base, path, progress),
        previous,
        max_rejected_ratio=max_rejected_ratio,
        max_removed_ratio=None,
        reporter=_Reporter(on_progress, _ReadMeter(files) if on_progress else None),
        root=root,
        based_on_previous=True,
    )


class _DeltaDocuments:
    """Keeps the documents of FtM document entities on their holders' entries as deltas apply.

    A holder named before it is listed (added later in the same run) gets the document when it
    arrives; a Person replaced by MOD keeps the documents of document entities not changed.
    """

    def __init__(self, base: dict[str, Entry]) -> None:
        self.base = base
        self.waiting: dict[str, HeldDocument] = {}
        self._holders: dict[str, set[str]] | None = None

    @property
    def holders(self) -> dict[str, set[str]]:
        """Return the holder ids of each document entity, found in the base on first need."""
        if self._holders is None:
            self._holders = {}
            for entry in self.base.values():
                if isinstance(entry, PersonEntry):
                    for document in entry.documents:
                        if document.entity_id is not None:
                            self._holders.setdefault(document.entity_id, set()).add(entry.entry_id)
        return self._holders

    def remove(self, entity_id: str) -> None:
        """Take the documents of document entity `entity_id` off every holder."""
        self.waiting.pop(entity_id, None)
        for holder in self.holders.pop(entity_id, set()):
            entry = self.base.get(holder)
            if isinstance(entry, PersonEntry):
                self.base[holder] = without_document(entry, entity_id)

    def add(self, entity_id: str, held: HeldDocument) -> None:
        """Put the documents of a document entity on its holders, or keep them until listed."""
        self.remove(entity_id)
        for holder in held.holders:
            entry = self.base.get(holder)
            if isinstance(entry, PersonEntry):
                self.base[holder] = with_documents(entry, held.documents)
                self.holders.setdefault(entity_id, set()).add(holder)
            else:
                self.waiting[entity_id] = held

    def person(self, entry: PersonEntry) -> PersonEntry:
        """Return a new or replaced Person with the documents its document entities give it."""
        previous = self.base.get(entry.entry_id)
        kept: list[IdentityDocument] = []
        if isinstance(previous, PersonEntry):
            kept = [d for d in previous.documents if d.entity_id is not None]
        for entity_id, held in self.waiting.items():
            if entry.entry_id in held.holders:
                kept.extend(held.documents)
                self.holders.setdefault(entity_id, set()).add(entry.entry_id)
        return with_documents(entry, kept)


def _delta_records(base: dict[str, Entry], path: Path, progress: bool | None) -> Iterator[Record]:
    """Apply delta operations to `base`, yielding rejects and skips, then the resulting entries."""
    documents = _DeltaDocuments(base)
    for op in iter_delta(path, progress=progress):
        if isinstance(op, Rejected):
            yield op
            continue
        if op.entity_id not in base:
            documents.remove(op.entity_id)
        if op.op == "DEL":
            base.pop(op.entity_id, None)
        elif isinstance(op.record, PersonEntry):
            base[op.entity_id] = documents.person(op.record)
        elif isinstance(op.record, HeldDocument):
            base.pop(op.entity_id, None)
            documents.add(op.entity_id, op.record)
        else:
            base.pop(op.entity_id, None)
            if op.record is not None:
                yield op.record
    yield from base.values()


def _failure(stage: str, exc: SourceError | OSError, root: Path) -> LoadFailure:
    """Return a LoadFailure naming files relative to the source's folder, never its full path.

    A page uploads into a private temporary folder; its path means nothing to the person and
    tells anyone reading the message where the server keeps uploads.
    """
    if isinstance(exc, SourceError):
        shown = None if exc.path is None else _relative(exc.path, root)
        location = ": ".join(part for part in (shown, exc.location) if part) or None
        return LoadFailure(stage, _scrubbed(exc.reason, root), location)
    shown = None if exc.filename is None else _relative(str(exc.filename), root)
    return LoadFailure(stage, exc.strerror or _scrubbed(str(exc), root), shown)


def _relative(path: str, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return Path(path).name


def _scrubbed(text: str, root: Path) -> str:
    folder = str(root)
    if len(folder) <= 1:  # "." or "/": nothing private to hide, and every slash would match
        return text
    return text.replace(folder + os.sep, "").replace(folder, ".")


def _unstarted(
    name: str,
    kind: ListKind,
    fmt: str,
    path: Path,
    previous: ListVersion | None,
    failure: LoadFailure,
) -> LoadReport:
    return LoadReport(
        list_name=name,
        kind=kind,
        source_format=fmt,
        file_name=path.name,
        checksum_sha256="",
        published=None,
        version=None,
        active=previous,
        previous=previous,
        failure=failure,
    )


def _fits(kind: ListKind, entry: Entry) -> bool:
    wanted = PersonEntry if kind is ListKind.PERSON else DocumentEntry
    return isinstance(entry, wanted)


class _Batches:
    """Buffers entries and rejects, flushing them to the store a batch at a time."""

    def __init__(self, store: ListStore, name: str, version: int) -> None:
        self.store, self.name, self.version = store, name, version
        self.entries: list[Entry] = []
        self.rejected: list[Rejected] = []

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        if len(self.entries) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        if self.entries:
            self.store.add_entries(self.name, self.version, self.entries)
            self.entries = []
        if self.rejected:
            self.store.add_rejected(self.name, self.version, self.rejected)
            self.rejected = []


def _load(
    store: ListStore,
    name: str,
    kind: ListKind,
    provenance: Provenance,
    records: Iterable[Record],
    previous: ListVersion | None,
    *,
    max_rejected_ratio: float,
    max_removed_ratio: float | None,
    early: LoadFailure | None = None,
    reporter: _Reporter | None = None,
    root: Path = Path("."),
    based_on_previous: bool = False,
    warnings: tuple[str, ...] = (),
) -> LoadReport:
    """Stream records into a new version, verify, then activate or discard it.

    The active version is read again once this load holds the list's one loading slot, so the
    removal guard compares against the version `activate` will replace; a delta whose records
    were built on an older one fails instead.
    """
    reporter = reporter or _Reporter(None, None)
    try:
        version = store.begin_version(name, kind, provenance)
    except LoadInProgressError as exc:
        refused = LoadFailure("start", str(exc))
        report = _unstarted(name, kind, provenance.source_format, root, previous, refused)
        return replace(report, file_name=provenance.file_name)
    current = store.active_version(name)
    changed_meanwhile = _number(current) != _number(previous)
    if not based_on_previous:
        previous = current
    before: dict[str, tuple[int, str]] = {}
    if previous is not None:
        before = {
            entry.entry_id: (hash(entry), _label(entry))
            for entry in store.entries(name, previous.version)
        }
    batches = _Batches(store, name, version)
    seen: set[str] = set()
    rejected: list[Rejected] = []
    skipped: Counter[str] = Counter()
    added: list[str] = []
    changed: list[str] = []
    failure: LoadFailure | None = early
    if failure is None and based_on_previous and changed_meanwhile:
        failure = _changed(ListChangedError(name, _number(previous), _number(current)))
        records = ()
    settled = False
    reporter.enter(LoadStage.READING)
    try:
        for record in records:
            reporter.tick(len(seen) + len(rejected), len(rejected))
            if isinstance(record, Skipped):
                skipped[record.what] += 1
                continue
            if not isinstance(record, Rejected):
                record = _accept(kind, record, seen)
            if isinstance(record, Rejected):
                rejected.append(record)
                batches.rejected.append(record)
                continue
            seen.add(record.entry_id)
            batches.add(record)
            if record.entry_id not in before:
                added.append(record.entry_id)
            elif before[record.entry_id][0] != hash(record):
                changed.append(record.entry_id)
        batches.flush()
        settled = True
    except (SourceError, OSError) as exc:
        failure = _failure("parse", exc, root)
        settled = True
    finally:
        if not settled:  # a bug, not bad data: still never leave a version half loaded
            store.discard(name, version, "load aborted by an unexpected error")
    reporter.tick(len(seen) + len(rejected), len(rejected))
    removed = [entry_id for entry_id in before if entry_id not in seen]
    if failure is None:
        reporter.enter(LoadStage.VERIFYING)
        named = [f"{entry_id} ({before[entry_id][1]})" for entry_id in removed[:REMOVED_NAMED]]
        failure = _verify(
            len(seen), rejected, removed, named, previous, max_rejected_ratio, max_removed_ratio
        )
    active: ListVersion | None = previous
    if failure is None:
        reporter.enter(LoadStage.ACTIVATING)
        try:
            active = store.activate(
                name,
                version,
                entry_count=len(seen),
                rejected_count=len(rejected),
                replaces=_number(previous),
            )
        except ListChangedError as exc:
            failure = _changed(exc)
            active = store.active_version(name)
        else:
            reporter.enter(LoadStage.DONE)
    if failure is not None:
        batches.entries = []
        batches.flush()
        store.discard(name, version, str(failure))
        reporter.enter(LoadStage.FAILED)
    return LoadReport(
        list_name=name,
        kind=kind,
        source_format=provenance.source_format,
        file_name=provenance.file_name,
        checksum_sha256=provenance.checksum_sha256,
        published=provenance.published,
        version=version,
        active=active,
        previous=previous,
        entry_count=len(seen),
        rejected=tuple(rejected),
        skipped=tuple(sorted(skipped.items())),
        added=tuple(added),
        changed=tuple(changed),
        removed=tuple(removed),
        failure=failure,
        warnings=warnings,
    )


def _number(version: ListVersion | None) -> int | None:
    return None if version is None else version.version


def _changed(exc: ListChangedError) -> LoadFailure:
    return LoadFailure("activate", str(exc).removeprefix(f"{exc.list_name} "))


def _label(entry: Entry) -> str:
    """Return how a removal names an entry: its first name, or its document number."""
    if isinstance(entry, PersonEntry):
        return entry.names[0].full if entry.names else "no name"
    return f"{entry.issuing_state} {entry.number}"


def _accept(kind: ListKind, entry: Entry, seen: set[str]) -> Entry | Rejected:
    """Return the entry, or Rejected when it is of the wrong kind or repeats an entry_id."""
    location = f"entry {entry.entry_id}"
    if not _fits(kind, entry):
        return Rejected(
            location=location, reason=f"kind: a {type(entry).__name__} in a {kind} list"
        )
    if entry.entry_id in seen:
        return Rejected(location=location, reason="entry_id: repeats an earlier entry; first kept")
    return entry


def _verify(
    entry_count: int,
    rejected: Sequence[Rejected],
    removed: Sequence[str],
    named: Sequence[str],
    previous: ListVersion | None,
    max_rejected_ratio: float,
    max_removed_ratio: float | None,
) -> LoadFailure | None:
    """Return why a loaded version must not become active, or None when it may."""
    if entry_count == 0:
        first = (
            f"; first rejected: {rejected[0].location}: {rejected[0].reason}" if rejected else ""
        )
        return LoadFailure("verify", f"no entries loaded{first}")
    total = entry_count + len(rejected)
    if rejected and len(rejected) / total > max_rejected_ratio:
        sample = rejected[0]
        reason = (
            f"{len(rejected)} of {total} records rejected ({len(rejected) / total:.1%}), "
            f"above the limit of {max_rejected_ratio:.1%}; first: {sample.reason}"
        )
        return LoadFailure("verify", reason, sample.location)
    if (
        max_removed_ratio is not None
        and previous is not None
        and previous.entry_count
        and len(removed) / previous.entry_count > max_removed_ratio
    ):
        more = len(removed) - len(named)
        listed = "; ".join(named) + (f"; and {more:,} more" if more > 0 else "")
        reason = (
            f"this file would remove {len(removed):,} of the {previous.entry_count:,} entries "
            f"of version {previous.version} ({len(removed) / previous.entry_count:.1%}), more "
            f"than the {max_removed_ratio:.0%} allowed; a file cut off during download is more "
            f"likely than a delisting this large. It would remove: {listed}. If the removals "
            "are real, load it again allowing large removals"
        )
        return LoadFailure("verify", reason)
    return None
