"""Guards a load passes before it is activated: format, companions, removals, one at a time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from watchlists.errors import ListChangedError, UnknownFormatError
from watchlists.format_names import ACCEPTED_NAMES, PUBLIC_NAMES, public_name, registry_name
from watchlists.loaders import FORMATS
from watchlists.models import ListKind
from watchlists.sniffing import mismatch
from watchlists.versions import (
    DEFAULT_MAX_REMOVED_RATIO,
    MemoryListStore,
    Provenance,
    VersionState,
    load_list,
)

HEADER = "entry_id,name,birth_date,category\n"
FIXED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
OFAC_ROW = '{n},"SURNAME{n}, Given",individual,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'

# One small file of each family, and the formats it must not be loaded as.
SAMPLES = {
    "un.xml": ('<?xml version="1.0"?>\n<CONSOLIDATED_LIST dateGenerated="2026-01-01">', "un_xml"),
    "sdn.xml": ("<?xml version='1.0'?><!-- x --><sdnList xmlns='http://x'>", "ofac_xml"),
    "list.ftm.json": ('{"id": "a", "schema": "Person", "properties": {}}\n', "ftm"),
    "sdn.csv": (OFAC_ROW.format(n=1), "ofac_csv"),
    "list.csv": (HEADER + "P1,Someone,1970,sanctions\n", "csv"),
}


def persons(count: int) -> str:
    return HEADER + "".join(f"P{i},Person Number {i},1970,sanctions\n" for i in range(count))


def load(store: MemoryListStore, path: Path, fmt: str = "csv", **options: object):  # type: ignore[no-untyped-def]
    return load_list(store, "alerts", ListKind.PERSON, fmt, path, "admin1", **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("sample", sorted(SAMPLES))
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_file_of_another_format_is_refused_before_any_version_is_made(
    store: MemoryListStore, tmp_path: Path, sample: str, fmt: str
) -> None:
    text, actual = SAMPLES[sample]
    path = tmp_path / sample
    path.write_text(text)
    wrong = mismatch(fmt, path)
    if fmt == actual:
        assert wrong is None
        return
    assert wrong is not None and f"choose the format {public_name(actual)}" in wrong

    report = load(store, path, fmt)

    assert not report.ok and report.failure is not None and report.failure.stage == "source"
    assert report.version is None and store.versions("alerts") == []
    assert (report.added, report.changed, report.removed, report.rejected) == ((), (), (), ())


def test_the_real_un_list_given_as_ftm_says_it_is_xml(data_dir: Path) -> None:
    store = MemoryListStore()
    path = data_dir / "un_sc" / "consolidated.xml"
    assert load(store, path, "un_xml").ok

    report = load(store, path, "ftm")

    assert report.failure is not None
    assert "looks like XML (UN Security Council XML), not FollowTheMoney JSON lines" in str(
        report.failure
    )
    assert report.removed == () and report.rejected == ()
    assert [v.state for v in store.versions("alerts")] == [VersionState.ACTIVE]


def test_ofac_sdn_without_its_companion_files_loads_with_a_warning_for_each(
    store: MemoryListStore, tmp_path: Path
) -> None:
    sdn = tmp_path / "sdn.csv"
    sdn.write_text("".join(OFAC_ROW.format(n=n) for n in range(1, 5)))

    alone = load(store, sdn, "ofac_csv")
    (tmp_path / "alt.csv").write_text('1,10,"aka","OTHER, Name",-0- \n')
    with_aliases = load(store, tmp_path, "ofac_csv")

    assert alone.ok and len(alone.warnings) == 3
    assert any(w.startswith("alt.csv was not given with sdn.csv") for w in alone.warnings)
    assert [w.split()[0] for w in with_aliases.warnings] == ["sdn_comments.csv", "add.csv"]


def test_a_complete_ofac_folder_loads_without_warnings(data_dir: Path) -> None:
    report = load(MemoryListStore(), data_dir / "ofac_sdn" / "watchman-bench-2021", "ofac_csv")
    assert report.ok and report.warnings == ()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(size=st.integers(20, 120), kept_share=st.floats(0.0, 1.0))
def test_the_removal_guard_refuses_a_cut_off_file_naming_what_it_would_remove(
    tmp_path_factory: pytest.TempPathFactory, size: int, kept_share: float
) -> None:
    folder = tmp_path_factory.mktemp("removals")
    store = MemoryListStore()
    (folder / "full.csv").write_text(persons(size))
    kept = max(1, int(size * kept_share))
    (folder / "cut.csv").write_text(persons(kept))
    assert load(store, folder / "full.csv").ok

    report = load(store, folder / "cut.csv")

    removed = size - kept
    if removed / size <= DEFAULT_MAX_REMOVED_RATIO:
        assert report.ok
        return
    assert not report.ok and report.failure is not None
    reason = report.failure.reason
    assert f"would remove {removed:,} of the {size:,} entries of version 1" in reason
    assert f"P{kept} (Person Number {kept})" in reason
    assert store.active_version("alerts").version == 1  # type: ignore[union-attr]
    allowed = load(store, folder / "cut.csv", max_removed_ratio=None)
    assert allowed.ok and len(allowed.removed) == removed


def test_a_failure_names_files_relative_to_the_source_never_its_folder(
    store: MemoryListStore, tmp_path: Path
) -> None:
    folder = tmp_path / "midas-upload-abc123"
    folder.mkdir()
    cut = folder / "sdn.csv"
    cut.write_text(OFAC_ROW.format(n=1) + '2,"CUT OFF')

    report = load(store, cut, "ofac_csv")

    assert report.failure is not None
    assert str(folder) not in str(report.failure) and "midas-upload" not in str(report.failure)
    assert "sdn.csv" in str(report.failure)


def test_a_second_load_of_a_list_is_refused_while_one_runs(
    store: MemoryListStore, tmp_path: Path
) -> None:
    path = tmp_path / "list.csv"
    path.write_text(persons(3))
    running = store.begin_version(
        "alerts", ListKind.PERSON, Provenance("csv", "a.csv", "0" * 64, "admin2", FIXED)
    )

    report = load(store, path)

    assert not report.ok and report.failure is not None and report.failure.stage == "start"
    assert "another load of alerts (version 1) is still running" in str(report.failure)
    assert "admin2" in str(report.failure)
    assert [v.version.version for v in store.versions("alerts")] == [running]


def test_activation_over_a_version_other_than_the_one_verified_against_is_refused(
    store: MemoryListStore, tmp_path: Path
) -> None:
    path = tmp_path / "list.csv"
    path.write_text(persons(3))
    assert load(store, path).ok
    number = store.begin_version(
        "alerts", ListKind.PERSON, Provenance("csv", "a.csv", "0" * 64, "o", FIXED)
    )

    with pytest.raises(ListChangedError, match="no version was active, now version 1"):
        store.activate("alerts", number, entry_count=0, rejected_count=0, replaces=None)

    assert store.versions("alerts")[-1].state is VersionState.LOADING
    assert store.active_version("alerts").version == 1  # type: ignore[union-attr]


def test_format_names_are_one_vocabulary_and_accept_the_old_spelling() -> None:
    assert PUBLIC_NAMES == ("csv", "ofac-csv", "ofac-xml", "un-xml", "ftm")
    for name in FORMATS:
        assert registry_name(public_name(name)) == name == registry_name(name)
        assert name in ACCEPTED_NAMES and public_name(name) in ACCEPTED_NAMES
    with pytest.raises(UnknownFormatError, match="known: csv, ofac-csv"):
        registry_name("un xml")


class RacingStore(MemoryListStore):
    """A store where another load finishes just before this one takes the loading slot."""

    def __init__(self) -> None:
        super().__init__()
        self.other: Path | None = None

    def begin_version(self, list_name: str, kind: ListKind, provenance: Provenance) -> int:
        other, self.other = self.other, None
        if other is not None:
            assert load(self, other).ok
        return super().begin_version(list_name, kind, provenance)


def test_the_removal_guard_compares_against_the_version_active_when_the_load_began(
    tmp_path: Path,
) -> None:
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    small.write_text(persons(5))
    large.write_text(persons(50))
    racing = RacingStore()
    assert load(racing, small).ok
    racing.other = large

    report = load(racing, small)

    assert report.previous is not None and report.previous.version == 2
    assert report.failure is not None and "would remove 45 of the 50 entries of version 2" in (
        report.failure.reason
    )
    assert racing.active_version("alerts").version == 2  # type: ignore[union-attr]
