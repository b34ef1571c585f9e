"""One load per list at a time, never activated over a newer version; abandoned loads are failed,
cleaned and reported; a failed first load leaves no list (both backends)."""

from __future__ import annotations

import csv
import re
import socket
import subprocess
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from midas.cli import main
from midas.domain.errors import Conflict, InvalidInput
from midas.domain.list_loads import (
    ABANDONED,
    admit_load,
    check_new_list_name,
    this_loader,
)
from midas.domain.lists import SqlListStore, find_watchlist, load_watchlist
from midas.persistence.database import database
from midas.persistence.models import AuditEvent, Watchlist, WatchlistEntry, WatchlistVersion
from tests.midas.auth_builders import build_world, log_in
from watchlists.errors import ListChangedError, LoadInProgressError
from watchlists.models import EntryName, ListKind, PersonEntry
from watchlists.versions import LoadProgress, LoadStage, Provenance, VersionState

HEADER = ["entry_id", "name", "birth_date"]


def write_persons(path: Path, count: int, prefix: str = "p") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows([f"{prefix}{n}", f"Listed Person{n}", "1980"] for n in range(count))
    return path


def gone_pid() -> int:
    """Return the pid of a process that has exited."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


@pytest.fixture
def sessions(app: Flask) -> sessionmaker[Session]:
    return database(app).sessions


def provenance() -> Provenance:
    return Provenance("csv", "x.csv", "0" * 64, "admin2", datetime.now(UTC))


def begin_abandoned(sessions: sessionmaker[Session], loader: str) -> int:
    """Leave a version of `alerts` loading with some entries, as a killed load would."""
    store = SqlListStore(sessions)
    number = store.begin_version("alerts", ListKind.PERSON, provenance())
    person = PersonEntry(entry_id="half", names=(EntryName(full="Half Loaded"),))
    store.add_entries("alerts", number, [person])
    with sessions.begin() as session:
        session.execute(
            update(WatchlistVersion).where(WatchlistVersion.number == number).values(loader=loader)
        )
    return number


def version_states(sessions: sessionmaker[Session]) -> list[tuple[int, VersionState]]:
    with sessions() as session:
        rows = session.execute(
            select(WatchlistVersion.number, WatchlistVersion.status).order_by(
                WatchlistVersion.number
            )
        )
        return [(number, status) for number, status in rows]


def test_a_second_load_while_one_runs_is_refused_and_the_first_wins(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    first_file = write_persons(tmp_path / "first.csv", 30, "a")
    second_file = write_persons(tmp_path / "second.csv", 30, "b")
    reading, release = threading.Event(), threading.Event()
    reports = []

    def hold(progress: LoadProgress) -> None:
        if progress.stage is LoadStage.READING and not reading.is_set():
            reading.set()
            release.wait(30)

    def first() -> None:
        reports.append(
            load_watchlist(
                sessions, "alerts", ListKind.PERSON, "csv", first_file, "a", on_progress=hold
            )
        )

    runner = threading.Thread(target=first)
    runner.start()
    try:
        assert reading.wait(30)
        with pytest.raises(Conflict, match=r"a load of alerts .* is still running"):
            admit_load(sessions, "alerts", ListKind.PERSON)
        second = load_watchlist(sessions, "alerts", ListKind.PERSON, "csv", second_file, "b")
    finally:
        release.set()
        runner.join(60)

    assert not second.ok and second.failure is not None and second.failure.stage == "start"
    assert "another load of alerts (version 1) is still running" in str(second.failure)
    assert reports[0].ok and reports[0].version == 1
    assert version_states(sessions) == [(1, VersionState.ACTIVE)]


def test_loads_begun_at_the_same_moment_get_one_loading_version(
    sessions: sessionmaker[Session],
) -> None:
    store = SqlListStore(sessions)
    barrier = threading.Barrier(4)
    outcomes: list[object] = []

    def begin() -> None:
        barrier.wait(30)
        try:
            outcomes.append(store.begin_version("alerts", ListKind.PERSON, provenance()))
        except LoadInProgressError as error:
            outcomes.append(error)

    threads = [threading.Thread(target=begin) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(type(o).__name__ for o in outcomes) == ["LoadInProgressError"] * 3 + ["int"]
    assert version_states(sessions) == [(1, VersionState.LOADING)]


def test_a_version_is_never_activated_over_one_it_was_not_verified_against(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    store = SqlListStore(sessions)
    assert load_watchlist(
        sessions, "alerts", ListKind.PERSON, "csv", write_persons(tmp_path / "v1.csv", 5), "a"
    ).ok
    number = store.begin_version("alerts", ListKind.PERSON, provenance())

    with pytest.raises(ListChangedError, match="no version was active, now version 1"):
        store.activate("alerts", number, entry_count=0, rejected_count=0, replaces=None)

    assert version_states(sessions) == [(1, VersionState.ACTIVE), (2, VersionState.LOADING)]


def test_an_abandoned_load_is_failed_cleaned_and_audited_by_the_next(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    dead = begin_abandoned(sessions, f"{socket.gethostname()}:{gone_pid()}:12345")

    report = load_watchlist(
        sessions, "alerts", ListKind.PERSON, "csv", write_persons(tmp_path / "v.csv", 5), "a"
    )

    assert report.ok and report.version == dead + 1
    with sessions() as session:
        failed = session.scalars(
            select(WatchlistVersion).where(WatchlistVersion.number == dead)
        ).one()
        assert (failed.status, failed.failure_reason) == (VersionState.FAILED, ABANDONED)
        left = session.scalar(select(func.count()).where(WatchlistEntry.version_id == failed.id))
        assert left == 0
        [event] = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "watchlist.load", AuditEvent.outcome == "failed"
            )
        ).all()
        assert event.detail["version"] == dead and event.detail["started_by"] == "admin2"


def test_a_load_running_on_another_host_is_left_alone(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    begin_abandoned(sessions, "another-host.example:1:1")

    report = load_watchlist(
        sessions, "alerts", ListKind.PERSON, "csv", write_persons(tmp_path / "v.csv", 5), "a"
    )

    assert report.failure is not None and "still running" in str(report.failure)
    assert version_states(sessions) == [(1, VersionState.LOADING)]


def test_a_live_load_of_this_process_blocks_a_new_one(sessions: sessionmaker[Session]) -> None:
    begin_abandoned(sessions, this_loader())
    with pytest.raises(Conflict, match="started by admin2"):
        admit_load(sessions, "alerts", ListKind.PERSON)


def test_a_failed_first_load_leaves_no_list_behind(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("entry_id,name\nx1,\nx2,\n")

    report = load_watchlist(sessions, "alerts", ListKind.PERSON, "csv", bad, "a")

    assert not report.ok and report.version is None
    with sessions() as session:
        assert find_watchlist(session, "alerts") is None
        assert session.scalar(select(func.count()).select_from(WatchlistVersion)) == 0


def test_a_failed_later_load_keeps_the_list_and_its_failed_version(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    assert load_watchlist(
        sessions, "alerts", ListKind.PERSON, "csv", write_persons(tmp_path / "v1.csv", 5), "a"
    ).ok
    bad = tmp_path / "bad.csv"
    bad.write_text("entry_id,name\nx1,\nx2,\n")

    report = load_watchlist(sessions, "alerts", ListKind.PERSON, "csv", bad, "a")

    assert not report.ok and report.version == 2
    assert version_states(sessions) == [(1, VersionState.ACTIVE), (2, VersionState.FAILED)]


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Bad Name!", "capital letters, spaces, '!' not allowed"),
        ("bad name", "spaces not allowed"),
        ("-alerts", "starting and ending with a letter or digit"),
        ("alerts\x1f", "control characters not allowed"),
        ("x" * 121, "1 to 120"),
        ("", "Give the list a name"),
    ],
)
def test_a_new_list_name_is_refused_saying_what_is_wrong(name: str, said: str) -> None:
    with pytest.raises(InvalidInput, match=said) as refused:
        check_new_list_name(name)
    assert refused.value.field == "name"


@pytest.mark.parametrize("name", ["ofac-sdn", "un.sc", "national_wanted", "a", "x" * 120])
def test_a_good_list_name_passes(name: str) -> None:
    check_new_list_name(name)


def cli_load(
    runner: FlaskCliRunner, path: Path, *extra: str, name: str = "alerts"
) -> tuple[int, str]:
    args = ["watchlist", "load", "--name", name, "--kind", "person", *extra, str(path)]
    result = runner.invoke(main, args)
    return result.exit_code, result.output


def test_the_cli_refuses_a_bad_name_and_takes_either_format_spelling(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = write_persons(tmp_path / "v.csv", 5)
    code, output = cli_load(runner, path, "--format", "csv", name="Bad Name!")
    assert code == 1 and "The list name 'Bad Name!' cannot be used" in output
    assert cli_load(runner, path, "--format", "csv")[0] == 0
    xml = tmp_path / "un.xml"
    xml.write_text("<?xml version='1.0'?><CONSOLIDATED_LIST/>")
    for spelling in ("ftm", "un_xml", "un-xml"):
        code, output = cli_load(runner, xml, "--format", spelling, "--allow-removals")
        assert "Error: Invalid value" not in output, output
    assert (
        "looks like XML (UN Security Council XML), not FollowTheMoney JSON lines"
        in (cli_load(runner, xml, "--format", "ftm")[1])
    )


def test_the_cli_removal_override_is_explicit_and_audited(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    assert cli_load(runner, write_persons(tmp_path / "full.csv", 40), "--format", "csv")[0] == 0
    cut = write_persons(tmp_path / "cut.csv", 20)

    code, output = cli_load(runner, cut, "--format", "csv")
    assert code == 1
    assert "would remove 20 of the 40 entries of version 1 (50.0%)" in output
    assert "p20 (Listed Person20)" in output and "and 15 more" in output

    code, output = cli_load(runner, cut, "--format", "csv", "--allow-removals")
    assert code == 0, output
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "watchlist.load").order_by(AuditEvent.id)
    ).all()
    assert [e.detail["removals_allowed"] for e in events] == [False, False, True]
    assert events[-1].detail["removed"] == 20


def test_the_cli_recover_command_fails_abandoned_loads(runner: FlaskCliRunner, app: Flask) -> None:
    sessions = database(app).sessions
    begin_abandoned(sessions, f"{socket.gethostname()}:{gone_pid()}:12345")

    result = runner.invoke(main, ["watchlist", "recover"])

    assert result.exit_code == 0, result.output
    assert "alerts: version 1 (started by admin2) was abandoned" in result.output
    assert version_states(sessions) == [(1, VersionState.FAILED)]
    with sessions() as session:
        assert session.scalars(select(Watchlist)).one().active_version_id is None


def test_health_reports_an_abandoned_load_until_it_is_recovered(
    app: Flask, sessions: sessionmaker[Session], runner: FlaskCliRunner
) -> None:
    begin_abandoned(sessions, f"{socket.gethostname()}:{gone_pid()}:12345")
    build_world(app)
    client = log_in(app, "admin")  # the detail of health is for supervisors and administrators

    body = client.get("/api/v1/health").get_json()
    assert body["status"] == "degraded"
    assert "the load of alerts version 1 was abandoned" in " ".join(body["warnings"])

    assert runner.invoke(main, ["watchlist", "recover"]).exit_code == 0
    after = client.get("/api/v1/health").get_json()
    assert "abandoned" not in " ".join(after["warnings"])


@given(st.text(max_size=130))
def test_a_list_name_is_accepted_exactly_when_it_is_a_plain_lower_case_name(name: str) -> None:
    plain = re.fullmatch(r"[a-z0-9](?:[a-z0-9._-]{0,118}[a-z0-9])?", name) is not None
    try:
        check_new_list_name(name)
    except InvalidInput as refused:
        assert (not plain and refused.field == "name" and "cannot be used" in refused.message) or (
            name == "" and "Give the list a name" in refused.message
        )
    else:
        assert plain


def test_the_cli_warns_of_each_ofac_file_missing_beside_sdn_csv(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    row = '{n},"SURNAME{n}, Given",individual,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
    sdn = tmp_path / "sdn.csv"
    sdn.write_text("".join(row.format(n=n) for n in range(1, 10)))
    (tmp_path / "add.csv").write_text('1,20,-0- ,"Kabul",-0- ,"Afghanistan",-0- \n')

    code, output = cli_load(runner, sdn, "--format", "ofac-csv")

    assert code == 0, output
    assert "Warning: alt.csv was not given with sdn.csv: this version lacks the aliases" in output
    assert "Warning: sdn_comments.csv was not given" in output
    assert "add.csv was not given" not in output
