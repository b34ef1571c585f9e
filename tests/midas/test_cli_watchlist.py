"""`midas watchlist load|list|show` against the service database, on both backends."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from midas.cli import main

PERSON_HEADER = ["entry_id", "name", "aliases", "birth_date", "nationalities", "sex"]


def write_persons(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(PERSON_HEADER)
        writer.writerows(rows)
    return path


def persons(count: int, prefix: str = "p") -> list[list[str]]:
    return [[f"{prefix}{n}", f"Listed Person{n}", "", "1980", "FRA", "F"] for n in range(count)]


def load(runner: FlaskCliRunner, path: Path, *extra: str, name: str = "alerts") -> tuple[int, str]:
    args = ["watchlist", "load", "--name", name, "--kind", "person", "--format", "csv"]
    result = runner.invoke(main, [*args, *extra, "--loaded-by", "officer7", str(path)])
    return result.exit_code, result.output


def test_load_prints_the_report_with_rejected_lines(runner: FlaskCliRunner, tmp_path: Path) -> None:
    rows = [*persons(30), ["bad", "Some Body", "", "19x0", "", ""]]
    code, output = load(runner, write_persons(tmp_path / "alerts.csv", rows))
    assert code == 0, output
    assert "as version 1: now active" in output
    assert "entries   30" in output and "rejected  1" in output
    assert "line 32: birth_date:" in output
    assert "30 added, 0 changed, 0 removed since nothing" in output


def test_a_failed_load_exits_non_zero_and_keeps_the_active_version(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    assert load(runner, write_persons(tmp_path / "v1.csv", persons(5)))[0] == 0
    broken = tmp_path / "v2.csv"
    broken.write_text("entry_id,nom\nx,y\n", encoding="utf-8")
    code, output = load(runner, broken)
    assert code == 1
    assert "FAILED" in output and "line 1" in output
    assert "alerts: version 1 stays active" in output
    shown = runner.invoke(main, ["watchlist", "show", "alerts"])
    assert "alerts (person list): active version 1" in shown.output
    assert "version 2: failed" in shown.output


def test_list_and_show_give_versions_provenance_and_rejections(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    load(runner, write_persons(tmp_path / "v1.csv", persons(3)))
    rows = [*persons(2), ["new", "New Comer", "", "", "", ""], ["bad", "X", "", "", "", "Q"]]
    load(runner, write_persons(tmp_path / "v2.csv", rows), "--max-rejected-ratio", "0.5")
    listed = runner.invoke(main, ["watchlist", "list"])
    assert listed.exit_code == 0
    [line] = [line for line in listed.output.splitlines() if line.startswith("alerts")]
    assert line.split()[:4] == ["alerts", "person", "v2", "3"]
    assert "by officer7" in line
    shown = runner.invoke(main, ["watchlist", "show", "alerts"])
    assert shown.exit_code == 0, shown.output
    out = shown.output
    assert "  version 1: superseded" in out and "* version 2: active" in out
    assert "source    csv v2.csv" in out
    assert "1 added (new); 0 changed; 1 removed (p2)" in out
    assert "line 5: sex: 'Q' is not M, F or empty" in out


def test_show_names_an_unknown_list(runner: FlaskCliRunner) -> None:
    result = runner.invoke(main, ["watchlist", "show", "nope"])
    assert result.exit_code == 1
    assert "no watchlist named 'nope'" in result.output


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("fmt", "relative", "entries"),
    [
        ("ofac-csv", "watchlists/ofac_sdn/watchman-bench-2021", 4620),
        ("un-xml", "watchlists/un_sc/consolidated.xml", 730),
        ("ftm", "watchlists/opensanctions_ftm/zala.entities.ftm.json", 6),
    ],
)
def test_real_lists_load_with_the_counts_of_the_file(
    runner: FlaskCliRunner, shared_data: Path, fmt: str, relative: str, entries: int
) -> None:
    args = ["watchlist", "load", "--name", fmt, "--kind", "person", "--format", fmt]
    result = runner.invoke(main, [*args, str(shared_data / relative)])
    assert result.exit_code == 0, result.output
    assert f"entries   {entries}\n" in result.output
    listed = runner.invoke(main, ["watchlist", "list"])
    assert f"{entries}" in listed.output


@pytest.mark.shared_data
def test_a_truncated_real_file_fails_and_leaves_the_old_version_active(
    runner: FlaskCliRunner, shared_data: Path, tmp_path: Path
) -> None:
    source = shared_data / "watchlists/un_sc/consolidated.xml"
    args = ["watchlist", "load", "--name", "un", "--kind", "person", "--format", "un-xml"]
    assert runner.invoke(main, [*args, str(source)]).exit_code == 0
    truncated = tmp_path / "consolidated.xml"
    truncated.write_bytes(source.read_bytes()[:600_000])
    result = runner.invoke(main, [*args, str(truncated)])
    assert result.exit_code == 1
    assert "FAILED" in result.output and "line" in result.output
    assert "un: version 1 stays active" in result.output
    assert "* version 1: active" in runner.invoke(main, ["watchlist", "show", "un"]).output
