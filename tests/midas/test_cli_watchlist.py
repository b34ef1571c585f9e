"""`midas watchlist load|apply-delta|list|show|prune` against the database, on both backends."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from midas.cli import main
from midas.domain.list_pruning import prune_versions
from midas.persistence.base import utcnow
from midas.persistence.models import (
    AuditEvent,
    Direction,
    Role,
    ScreeningHit,
    Watchlist,
    WatchlistEntry,
    WatchlistVersion,
)
from tests.midas.operations_builders import make_crossing, make_post, make_traveller, make_user

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
    assert "first version of the list: 30 added" in output


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
    load(
        runner,
        write_persons(tmp_path / "v2.csv", rows),
        "--max-rejected-ratio",
        "0.5",
        "--allow-removals",
    )
    listed = runner.invoke(main, ["watchlist", "list"])
    assert listed.exit_code == 0
    [line] = [line for line in listed.output.splitlines() if line.startswith("alerts")]
    assert line.split()[:5] == ["alerts", "person", "refer", "v2", "3"]
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


def delta_line(op: str, entity_id: str, name: str = "", birth: str = "") -> str:
    entity: dict[str, object] = {"id": entity_id}
    if op != "DEL":
        properties = {"name": [name], **({"birthDate": [birth]} if birth else {})}
        entity |= {"schema": "Person", "properties": properties, "target": True}
    return json.dumps({"op": op, "entity": entity})


def write_delta(path: Path, *lines: str) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def apply(runner: FlaskCliRunner, path: Path, name: str = "alerts") -> tuple[int, str]:
    args = ["watchlist", "apply-delta", "--name", name, "--loaded-by", "officer7", str(path)]
    result = runner.invoke(main, args)
    return result.exit_code, result.output


def audit_events(session: Session, action: str) -> list[AuditEvent]:
    session.expire_all()
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def active_ids(session: Session, name: str = "alerts") -> set[str]:
    session.expire_all()
    watchlist = session.scalars(select(Watchlist).where(Watchlist.name == name)).one()
    return set(
        session.scalars(
            select(WatchlistEntry.entry_id).where(
                WatchlistEntry.version_id == watchlist.active_version_id
            )
        )
    )


def test_a_delta_makes_a_new_version_with_its_changes_and_provenance(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    assert load(runner, write_persons(tmp_path / "v1.csv", persons(3)))[0] == 0
    delta = write_delta(
        tmp_path / "20240601000000-x.entities.delta.json",
        delta_line("ADD", "q1", "Nadia Quinn", "1970-02-03"),
        delta_line("MOD", "p1", "Listed Person One", "1980"),
        delta_line("DEL", "p2"),
    )
    code, output = apply(runner, delta)
    assert code == 0, output
    assert "Loaded alerts (person, ftm-delta) as version 2: now active." in output
    assert "1 added, 1 changed, 1 removed since version 1" in output
    assert active_ids(session) == {"p0", "p1", "q1"}
    shown = runner.invoke(main, ["watchlist", "show", "alerts"]).output
    assert "source    ftm-delta 20240601000000-x.entities.delta.json" in shown
    assert "1 added (q1); 1 changed (p1); 1 removed (p2)" in shown
    [event] = audit_events(session, "watchlist.delta")
    assert (event.actor.startswith("cli:"), event.outcome) == (True, "ok")
    assert (event.object_id, event.detail["version"], event.detail["added"]) == ("alerts", 2, 1)


def test_a_delta_that_fails_verification_leaves_the_active_version(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    assert load(runner, write_persons(tmp_path / "v1.csv", persons(3)))[0] == 0
    broken = ['{"op": "ADD"}', '{"op": "POP", "entity": {"id": "x"}}', "not json"]
    code, output = apply(runner, write_delta(tmp_path / "bad.delta.json", *broken))
    assert code == 1
    assert "FAILED" in output and "alerts: version 1 stays active" in output
    assert active_ids(session) == {"p0", "p1", "p2"}
    assert "version 2: failed" in runner.invoke(main, ["watchlist", "show", "alerts"]).output
    [event] = audit_events(session, "watchlist.delta")
    assert event.outcome == "failed" and "rejected" in event.detail["failure"]


def test_a_delta_is_refused_for_a_document_list(runner: FlaskCliRunner, tmp_path: Path) -> None:
    documents = tmp_path / "docs.csv"
    documents.write_text(
        "entry_id,document_number,issuing_state,status\nd1,X1234567,FRA,stolen\n", encoding="utf-8"
    )
    args = ["watchlist", "load", "--name", "docs", "--kind", "document", "--format", "csv"]
    assert runner.invoke(main, [*args, str(documents)]).exit_code == 0
    code, output = apply(runner, write_delta(tmp_path / "d.json", delta_line("DEL", "d1")), "docs")
    assert code == 1
    assert "docs is a document list" in output


@pytest.mark.shared_data
def test_the_real_ftm_deltas_apply_in_order_to_an_empty_list(
    runner: FlaskCliRunner, session: Session, shared_data: Path
) -> None:
    folder = shared_data / "watchlists/opensanctions_ftm/deltas"
    code, output = apply(runner, folder, "os")
    assert code == 0, output
    assert "as version 1: now active" in output
    files = sorted(path.name for path in folder.iterdir())
    assert f"file      {'+'.join(files)}" in output
    assert len(active_ids(session, "os")) > 0


def add_hit(session: Session, version_number: int, name: str = "alerts") -> None:
    version = session.scalars(
        select(WatchlistVersion)
        .join(Watchlist, Watchlist.id == WatchlistVersion.watchlist_id)
        .where(Watchlist.name == name, WatchlistVersion.number == version_number)
    ).one()
    post = make_post(session)
    officer = make_user(session, "officer", Role.OFFICER, post=post)
    traveller = make_traveller(session)
    crossing = make_crossing(session, traveller, post, officer, Direction.ENTRY, date(2026, 1, 5))
    session.add(
        ScreeningHit(
            crossing_id=crossing.id,
            list_name=name,
            list_version_id=version.id,
            list_kind="person",
            entry_id="p0",
            matched_name="LISTED PERSON0",
            score=0.95,
            threshold=0.87,
            reasons=[],
        )
    )


def version_numbers(session: Session, name: str = "alerts") -> list[int]:
    session.expire_all()
    return list(
        session.scalars(
            select(WatchlistVersion.number)
            .join(Watchlist, Watchlist.id == WatchlistVersion.watchlist_id)
            .where(Watchlist.name == name)
            .order_by(WatchlistVersion.number)
        )
    )


def prune(
    runner: FlaskCliRunner, keep: int, name: str = "alerts", spare_minutes: int | None = 0
) -> tuple[int, str]:
    """Prune; by default sparing no recently superseded version (these tests load just now)."""
    spare = [] if spare_minutes is None else ["--spare-minutes", str(spare_minutes)]
    result = runner.invoke(main, ["watchlist", "prune", name, "--keep", str(keep), *spare])
    return result.exit_code, result.output


def test_prune_keeps_the_newest_versions_and_deletes_the_rest_with_their_rows(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    for number in range(1, 5):
        path = write_persons(tmp_path / f"v{number}.csv", persons(number + 1))
        assert load(runner, path)[0] == 0
    code, output = prune(runner, 2)
    assert code == 0, output
    assert "alerts: deleted 2 versions: v1, v2" in output
    assert version_numbers(session) == [3, 4]
    assert active_ids(session) == {"p0", "p1", "p2", "p3", "p4"}
    session.expire_all()
    held = session.scalars(select(WatchlistEntry.version_id).distinct()).all()
    assert len(held) == 2
    [event] = audit_events(session, "watchlist.prune")
    assert event.object_id == "alerts" and event.actor.startswith("cli:")
    assert event.detail == {"keep": 2, "deleted": [1, 2], "kept_referenced": [], "kept_recent": []}
    assert prune(runner, 2)[1].startswith("alerts: deleted 0 versions: none")


def test_prune_never_deletes_the_active_version_or_one_that_hits_reference(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    for number in range(1, 4):
        assert load(runner, write_persons(tmp_path / f"v{number}.csv", persons(3)))[0] == 0
    with session.begin():
        add_hit(session, 2)
    broken = tmp_path / "broken.csv"
    broken.write_text("entry_id,nom\nx,y\n", encoding="utf-8")
    assert load(runner, broken)[0] == 1  # v4 failed: v3 stays active but is no longer newest
    code, output = prune(runner, 1)
    assert code == 0, output
    assert "deleted 1 version: v1" in output
    assert "kept v3: active" in output
    assert "kept v2: stored screening hits reference it" in output
    assert version_numbers(session) == [2, 3, 4]
    [event] = audit_events(session, "watchlist.prune")
    assert event.detail["kept_referenced"] == [2]


def test_prune_names_an_unknown_list_and_refuses_keeping_none(runner: FlaskCliRunner) -> None:
    code, output = prune(runner, 1, "nope")
    assert code == 1 and "no watchlist named 'nope'" in output
    code, output = prune(runner, 0, "nope")
    assert code == 2 and "--keep" in output


def test_a_failed_prune_deletes_nothing_and_is_audited_as_failed(
    runner: FlaskCliRunner, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(1, 4):
        assert load(runner, write_persons(tmp_path / f"v{number}.csv", persons(2)))[0] == 0

    def delete_then_fail(db: Session, name: str, keep: int, **options: timedelta) -> None:
        prune_versions(db, name, keep, **options)
        raise OperationalError("DELETE", {}, RuntimeError("connection lost"))

    # midas.cli re-exports the command group under the module's name, so patch the module.
    monkeypatch.setattr(sys.modules["midas.cli.watchlist"], "prune_versions", delete_then_fail)
    code, output = prune(runner, 1)
    assert code == 1 and "prune of alerts failed, nothing deleted" in output
    assert version_numbers(session) == [1, 2, 3]
    [event] = audit_events(session, "watchlist.prune")
    assert event.outcome == "failed" and event.detail["error"] == "OperationalError"


def test_prune_by_default_spares_a_version_superseded_within_the_hour(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    """A service process may still be screening against the version a load just replaced.

    Its hits are stored a moment later, against that version: deleting it then would make the
    crossing fail. The version superseded just now is spared; the one before it is not.
    """
    for number in range(1, 4):
        assert load(runner, write_persons(tmp_path / f"v{number}.csv", persons(2)))[0] == 0
    code, output = prune(runner, 1, spare_minutes=None)
    assert code == 0, output
    assert "deleted 0 versions" in output
    assert "kept v2: superseded less than the spare time ago" in output
    assert "kept v1: superseded" in output  # v2 replaced v1 seconds ago too
    with session.begin():
        add_hit(session, 2)  # the in-flight crossing stores its hit: the version is still there
    assert version_numbers(session) == [1, 2, 3]
    [event] = audit_events(session, "watchlist.prune")
    assert event.detail["kept_recent"] == [1, 2]


def test_prune_measures_recent_from_when_the_next_version_turned_active(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    for number in range(1, 4):
        assert load(runner, write_persons(tmp_path / f"v{number}.csv", persons(2)))[0] == 0
    with session.begin():
        versions = {
            v.number: v
            for v in session.scalars(select(WatchlistVersion).order_by(WatchlistVersion.number))
        }
        # v2 turned active three hours ago (superseding v1), v3 twenty minutes ago.
        versions[2].finished_at = utcnow() - timedelta(hours=3)
        versions[3].finished_at = utcnow() - timedelta(minutes=20)
        versions[1].finished_at = utcnow() - timedelta(hours=5)
    with session.begin():
        result = prune_versions(session, "alerts", 1, spare_superseded_within=timedelta(hours=1))
    assert result is not None
    assert result.deleted == (1,)
    assert result.kept_recent == (2,)
    assert version_numbers(session) == [2, 3]
