"""A load reports its progress: every stage in order, counts that only grow, bytes of the total."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from watchlists.models import ListKind
from watchlists.versions import (
    PROGRESS_EVERY_RECORDS,
    LoadProgress,
    LoadStage,
    MemoryListStore,
    VersionState,
    apply_delta,
    load_list,
)

HEADER = "entry_id,name,birth_date,category\n"


def person_csv(count: int, bad: int = 0) -> str:
    """Return a person list of `count` good rows and `bad` rows without a name."""
    rows = [f"P{i},Person Number {i},1970,sanctions\n" for i in range(count)]
    rows += [f"B{i},,1970,sanctions\n" for i in range(bad)]
    return HEADER + "".join(rows)


def load_csv(store: MemoryListStore, path: Path, seen: list[LoadProgress], **options: object):
    return load_list(
        store,
        "national",
        ListKind.PERSON,
        "csv",
        path,
        "officer1",
        on_progress=seen.append,
        **options,  # type: ignore[arg-type]
    )


def stages(seen: list[LoadProgress]) -> list[LoadStage]:
    """Return the stages reported, each once, in the order they came."""
    return [p.stage for i, p in enumerate(seen) if i == 0 or seen[i - 1].stage != p.stage]


def test_a_load_reports_every_stage_in_order_with_growing_counts(store, write_file):
    path = write_file("list.csv", person_csv(4000, bad=20))
    seen: list[LoadProgress] = []

    report = load_csv(store, path, seen)

    assert report.ok
    assert stages(seen) == [
        LoadStage.READING,
        LoadStage.VERIFYING,
        LoadStage.ACTIVATING,
        LoadStage.DONE,
    ]
    records = [p.records for p in seen]
    assert records == sorted(records)
    assert [p.rejected for p in seen] == sorted(p.rejected for p in seen)
    assert records[0] == 0 and records[-1] == 4020 and seen[-1].rejected == 20
    reading = [p for p in seen if p.stage is LoadStage.READING]
    assert len(reading) >= 4020 // PROGRESS_EVERY_RECORDS  # it moves while it reads
    assert len(seen) < 4020 // 100  # and is throttled, not called per record
    size = path.stat().st_size
    assert all(p.bytes_total == size for p in seen)
    assert all(p.bytes_read is None or 0 <= p.bytes_read <= size for p in seen)
    assert seen[-1].bytes_read == size
    if Path("/proc/self/fdinfo").is_dir():  # where the system tells a file's read position
        read = [p.bytes_read for p in reading]
        assert read == sorted(read)  # type: ignore[type-var]
        assert any(0 < (b or 0) < size for b in read)


def test_a_refused_load_reports_failed_and_keeps_the_previous_version(store, write_file):
    load_list(store, "national", ListKind.PERSON, "csv", write_file("v1.csv", person_csv(50)), "o")
    seen: list[LoadProgress] = []

    report = load_csv(store, write_file("v2.csv", person_csv(100, bad=50)), seen)

    assert not report.ok and report.failure is not None and report.failure.stage == "verify"
    assert stages(seen) == [LoadStage.READING, LoadStage.VERIFYING, LoadStage.FAILED]
    assert seen[-1].records == 150 and seen[-1].rejected == 50
    active = store.active_version("national")
    assert active is not None and active.version == 1


class WatchedStore(MemoryListStore):
    """A memory store that knows whether one of its calls is under way."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False

    def __getattribute__(self, name: str):  # type: ignore[no-untyped-def]
        found = super().__getattribute__(name)
        if name.startswith("_") or name == "inside" or not callable(found):
            return found

        def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
            object.__setattr__(self, "inside", True)
            try:
                return found(*args, **kwargs)
            finally:
                object.__setattr__(self, "inside", False)

        return watched


def test_progress_is_never_reported_from_inside_a_store_call(write_file):
    store = WatchedStore()
    calls: list[bool] = []
    load_list(
        store,
        "national",
        ListKind.PERSON,
        "csv",
        write_file("list.csv", person_csv(2500)),
        "o",
        on_progress=lambda p: calls.append(store.inside),
    )
    assert calls and not any(calls)


def test_a_load_without_a_callback_is_as_before(store, write_file):
    report = load_list(
        store, "national", ListKind.PERSON, "csv", write_file("l.csv", person_csv(10)), "o"
    )
    assert report.ok and report.entry_count == 10


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(good=st.integers(0, 2500), bad=st.integers(0, 60))
def test_progress_never_counts_more_than_the_report(tmp_path, good, bad):
    path = tmp_path / f"l{good}-{bad}.csv"
    path.write_text(person_csv(good, bad))
    seen: list[LoadProgress] = []

    report = load_csv(MemoryListStore(), path, seen)

    final = report.entry_count + len(report.rejected)
    assert all(p.records <= final and p.rejected <= len(report.rejected) for p in seen)
    assert [p.records for p in seen] == sorted(p.records for p in seen)
    assert seen[-1].stage is (LoadStage.DONE if report.ok else LoadStage.FAILED)


def test_a_delta_reports_its_stages_like_a_load(store, write_file):
    base = "".join(
        f'{{"id": "p{i}", "schema": "Person", "properties": {{"name": ["Person {i}"]}}}}\n'
        for i in range(1500)
    )
    load_list(store, "os", ListKind.PERSON, "ftm", write_file("base.json", base), "o")
    delta = write_file(
        "d/20240601000000-x.entities.delta.json",
        '{"op": "DEL", "entity": {"id": "p0"}}\n',
    )
    seen: list[LoadProgress] = []

    report = apply_delta(store, "os", delta.parent, "o", on_progress=seen.append)

    assert report.ok and report.entry_count == 1499
    assert stages(seen) == [
        LoadStage.READING,
        LoadStage.VERIFYING,
        LoadStage.ACTIVATING,
        LoadStage.DONE,
    ]
    assert seen[-1].records == 1499


def test_a_failing_progress_callback_never_strands_a_version(store, write_file):
    path = write_file("list.csv", person_csv(50))

    def broken(progress: LoadProgress) -> None:
        raise OSError(28, "No space left on device")  # a full disk under the status files

    report = load_list(
        store, "national", ListKind.PERSON, "csv", path, "officer1", on_progress=broken
    )

    # Progress is the caller's display: its failure neither fails nor half-loads the list.
    assert report.ok and report.entry_count == 50
    assert store.active_version("national") is not None
    assert [v.state for v in store.versions("national")] == [VersionState.ACTIVE]
