"""`midas paxlst watch`: the files carriers' gateways drop into PAXLST_INBOX, each stored and
screened whole or refused with a report, never taken while still being written."""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from midas.cli import main
from midas.persistence.database import database
from midas.persistence.models import Flight, ManifestTraveller
from paxlst.write import write_paxlst
from tests.midas.crossing_builders import load_lists
from tests.paxlst.builders import make_flight, make_traveller


@pytest.fixture
def lists(app, tmp_path):
    load_lists(app, tmp_path)


@pytest.fixture
def inbox(app, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    app.config["PAXLST_INBOX"] = str(folder)
    return folder


def message(number="123", *travellers, airport="AAA") -> str:
    now = datetime.now(ZoneInfo("Europe/Vienna")).replace(tzinfo=None, second=0, microsecond=0)
    flight = make_flight(flight_number=number, arrival_airport=airport, arrival_time=now)
    return write_paxlst(flight, list(travellers or [make_traveller()]))


def drop(folder, name, text, age=0):
    path = folder / name
    path.write_text(text)
    stamp = path.stat().st_mtime - age
    os.utime(path, (stamp, stamp))
    return path


def counts(app):
    with database(app).sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Flight)),
            session.scalar(select(func.count()).select_from(ManifestTraveller)),
        )


def test_a_pass_stores_good_files_and_refuses_bad_ones_with_a_report(
    app, world, runner, lists, inbox
):
    drop(inbox, "kq101.edi", message("101", make_traveller(), make_traveller(surname="B")))
    drop(inbox, "broken.edi", "UNB+UNOA:4+X+Y+260101:0000+1'UNH+1+PAXLST:D:02B:UN:IATA'")
    drop(inbox, "nowhere.edi", message("7", airport="ZZZ"))
    result = runner.invoke(main, ["paxlst", "watch"])
    assert result.exit_code == 1, result.output
    assert "kq101.edi: stored, 1 flight(s)" in result.stdout
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["kq101.edi"]
    refused = sorted(p.name for p in (inbox / "refused").iterdir())
    assert refused == ["broken.edi", "broken.edi.error.txt", "nowhere.edi", "nowhere.edi.error.txt"]
    assert "segment" in (inbox / "refused" / "broken.edi.error.txt").read_text()
    assert "arrival airport ZZZ" in (inbox / "refused" / "nowhere.edi.error.txt").read_text()
    assert [p.name for p in inbox.iterdir() if p.is_file()] == []
    assert counts(app) == (1, 2)  # nothing of the refused files


def test_files_still_being_written_are_left_alone(app, world, runner, lists, inbox):
    for name in (".kq101.edi", "kq101.edi.tmp", "kq101.EDI.PART"):
        drop(inbox, name, message())
    (inbox / "sub").mkdir()
    result = runner.invoke(main, ["paxlst", "watch"])
    assert result.exit_code == 0, result.output
    assert counts(app) == (0, 0)
    assert sorted(p.name for p in inbox.iterdir()) == [
        ".kq101.edi", "done", "kq101.EDI.PART", "kq101.edi.tmp", "refused", "sub",
    ]  # fmt: skip


def test_the_same_file_twice_stores_one_flight(app, world, runner, lists, inbox):
    drop(inbox, "a.edi", message())
    assert runner.invoke(main, ["paxlst", "watch"]).exit_code == 0
    drop(inbox, "a.edi", message())  # the gateway sent it again, same name and content
    assert runner.invoke(main, ["paxlst", "watch"]).exit_code == 0
    assert counts(app) == (1, 1)
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["a.edi", "a.edi.2"]


@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.integers(min_value=0, max_value=7), batch=st.integers(min_value=1, max_value=4))
def test_a_pass_takes_at_most_its_batch_oldest_first(
    app, world, runner, lists, inbox, files, batch
):
    for leftover in inbox.iterdir():
        if leftover.is_file():
            leftover.unlink()
    before = len(list((inbox / "done").iterdir())) if (inbox / "done").exists() else 0
    app.config["PAXLST_INBOX_BATCH"] = batch
    names = [f"f{n}-{files}-{batch}.edi" for n in range(files)]
    for age, name in enumerate(reversed(names)):  # names[0] is the oldest
        drop(inbox, name, message(str(100 + len(name) + age)), age=100 + age)
    result = runner.invoke(main, ["paxlst", "watch"])
    assert result.exit_code == 0, result.output
    taken = min(files, batch)
    assert len(list((inbox / "done").iterdir())) - before == taken
    left = sorted(p.name for p in inbox.iterdir() if p.is_file())
    assert left == sorted(names[taken:])


def test_watch_needs_the_setting(app, runner):
    app.config["PAXLST_INBOX"] = ""
    result = runner.invoke(main, ["paxlst", "watch"])
    assert result.exit_code == 2 and "PAXLST_INBOX" in result.output


def test_retention_deletes_the_moved_files_after_the_manifests_retention(
    app, world, runner, lists, inbox
):
    app.config["PAXLST_RETENTION_HOURS"] = 1
    drop(inbox, "old.edi", message("1"))
    drop(inbox, "new.edi", message("2"))
    drop(inbox, "bad.edi", "UNB+UNOA:4+X+Y+260101:0000+1'")
    assert runner.invoke(main, ["paxlst", "watch"]).exit_code == 1
    for path in (inbox / "done" / "old.edi", inbox / "refused" / "bad.edi.error.txt"):
        stamp = path.stat().st_mtime - 26 * 3600  # past the hour's retention and the day
        os.utime(path, (stamp, stamp))
    result = runner.invoke(main, ["retention"])
    assert result.exit_code == 0, result.output
    assert "PAXLST files deleted from the inbox: 2." in result.output
    assert [p.name for p in (inbox / "done").iterdir()] == ["new.edi"]
    assert [p.name for p in (inbox / "refused").iterdir()] == ["bad.edi"]


def test_a_file_stays_in_the_inbox_when_the_database_fails(
    app, world, runner, lists, inbox, monkeypatch
):
    drop(inbox, "a.edi", message())

    def failing(*args, **kwargs):
        raise OperationalError("INSERT ...", {"surname": "WILLIAMS"}, Exception("gone"))

    monkeypatch.setattr("midas.domain.paxlst_inbox.receive_message", failing)
    result = runner.invoke(main, ["paxlst", "watch"])
    assert result.exit_code == 1
    assert "the database failed (OperationalError)" in result.output
    assert "WILLIAMS" not in result.output
    assert [p.name for p in inbox.iterdir() if p.is_file()] == ["a.edi"]
    assert list((inbox / "refused").iterdir()) == []


@pytest.mark.parametrize(
    "field",
    [
        {"document_number": "A" * 60},
        {"surname": "S" * 260},
        {"booking_reference": "B" * 60},
        {"document_type": "PXXXX"},
    ],
)
def test_a_field_longer_than_any_real_one_is_reported_and_never_blocks_the_inbox(
    app, world, runner, lists, inbox, field
):
    """A carrier's oversized field is left out (or cut, for a name) and said as a record's
    problem: the file is stored, and the files after it are not held up."""
    drop(inbox, "a-long.edi", message("101", make_traveller(**field)), age=60)
    drop(inbox, "b-good.edi", message("102"))
    result = runner.invoke(main, ["paxlst", "watch"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["a-long.edi", "b-good.edi"]
    (name,) = field
    with database(app).sessions() as session:
        problems = [
            problem
            for row in session.scalars(select(ManifestTraveller))
            for problem in row.problems
            if problem["field"] == name
        ]
    assert problems and "longer than" in problems[0]["reason"]
