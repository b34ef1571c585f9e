"""Desk scanner images follow their crossing's retention; unread or unrecorded ones go soon."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from midas.cli import main
from midas.domain.scan_files import link_to_crossing, linked_name, sweep_scan_images
from midas.persistence.models import AuditEvent, Direction, Role
from tests.midas.operations_builders import make_crossing, make_post, make_traveller, make_user

NOW = datetime(2030, 6, 30, 12, tzinfo=UTC)
DAY = timedelta(hours=24)
CLAIMED = "0123456789ab-scan.png"


def put(folder: Path, name: str, age: timedelta) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"image")
    then = (NOW - age).timestamp()
    os.utime(path, (then, then))
    return path


@pytest.fixture
def crossings(session):
    """Two crossings: one still held, one anonymised by retention."""
    with session.begin():
        post = make_post(session, "NBO")
        officer = make_user(session, "officer", Role.OFFICER, post)
        traveller = make_traveller(session, surname="KEPT")
        held = make_crossing(session, traveller, post, officer, Direction.ENTRY, date(2030, 6, 1))
        gone = make_crossing(session, traveller, post, officer, Direction.EXIT, date(2026, 1, 1))
        gone.anonymised_at = NOW
        return held.id, gone.id


def test_the_sweep_keeps_what_retention_allows_and_deletes_the_rest(session, crossings, tmp_path):
    held, gone = crossings
    desk = tmp_path / "inbox" / "7"
    keep = [
        put(desk / "failed", "bbbbbbbbbbbb-fresh.png", timedelta(hours=2)),
        put(desk / "done", "cccccccccccc-fresh.png", timedelta(hours=2)),
        put(desk / "done", linked_name(held, "dddddddddddd-old.png"), 400 * DAY),
    ]
    delete = [
        put(desk / "failed", "eeeeeeeeeeee-old.png", DAY + timedelta(minutes=1)),
        put(desk / "done", "ffffffffffff-old.png", 2 * DAY),
        put(desk / "done", linked_name(gone, "aaaaaaaaaaaa-new.png"), timedelta(minutes=1)),
        put(desk / "done", linked_name(999_999, "aaaaaaaaaaaa-gone.png"), timedelta(minutes=1)),
    ]

    with session.begin():
        dry = sweep_scan_images(session, tmp_path / "inbox", now=NOW, unrecorded=DAY, dry_run=True)
    assert all(path.exists() for path in keep + delete)
    with session.begin():
        counts = sweep_scan_images(session, tmp_path / "inbox", now=NOW, unrecorded=DAY)

    assert (counts.unreadable, counts.unrecorded, counts.crossing_anonymised) == (1, 1, 2)
    assert counts == dry
    assert all(path.exists() for path in keep)
    assert not any(path.exists() for path in delete)


@given(st.text(max_size=60))
def test_a_name_from_a_page_never_reaches_outside_the_desks_done_folder(tmp_path_factory, named):
    desk = tmp_path_factory.mktemp("desk")
    outside = put(desk, "outside.png", DAY)
    put(desk / "done", CLAIMED, DAY)

    linked = link_to_crossing(desk, named, 42)

    assert outside.exists()
    if linked is not None:
        assert named == CLAIMED and linked == desk / "done" / f"crossing-42-{CLAIMED}"


def test_midas_retention_sweeps_the_scanner_folders_and_audits_it(
    app, runner, session, crossings, tmp_path
):
    held, gone = crossings
    desk = tmp_path / "inbox" / "3"
    put(desk / "done", linked_name(gone, CLAIMED), timedelta(minutes=1))
    put(desk / "failed", "bbbbbbbbbbbb-x.png", 3 * DAY)
    kept = put(desk / "done", linked_name(held, CLAIMED), timedelta(minutes=1))
    app.config["SCAN_INBOX"] = str(tmp_path / "inbox")

    result = runner.invoke(main, ["retention", "--today", NOW.date().isoformat()])

    assert result.exit_code == 0, result.output
    said = "Scanner images deleted: 1 of anonymised crossings, 0 never recorded and 1 unreadable"
    assert said in result.output
    assert [p.name for p in desk.rglob("*.png")] == [kept.name]
    session.expire_all()
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "retention.scan_images")
    ).one()
    assert event.detail == {"unreadable": 1, "unrecorded": 0, "crossing_anonymised": 1}
