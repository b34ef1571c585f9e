"""`midas retention`: anonymises what is due in batches, reports counts, audits as the system."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from midas.cli import main
from midas.persistence.models import AuditEvent, Crossing, Direction, Role, Traveller
from tests.midas.operations_builders import make_crossing, make_post, make_traveller, make_user


@pytest.fixture
def old_and_new(session):
    """One traveller who left in 2025 and one who left in 2029."""
    with session.begin():
        post = make_post(session, "NBO")
        officer = make_user(session, "officer", Role.OFFICER, post)
        for surname, year in (("OLD", 2025), ("NEW", 2029)):
            traveller = make_traveller(session, surname=surname)
            make_crossing(session, traveller, post, officer, Direction.ENTRY, date(year, 1, 1))
            make_crossing(session, traveller, post, officer, Direction.EXIT, date(year, 1, 20))
    return session


def surnames(session):
    session.expire_all()
    return sorted(t.surname or "-" for t in session.scalars(select(Traveller)))


def test_retention_anonymises_what_is_due_and_reports_the_counts(runner, old_and_new):
    result = runner.invoke(main, ["retention", "--today", "2030-06-30"])
    assert result.exit_code == 0, result.output
    assert "Retention on 2030-06-30: personal data kept 3 years after exit, 5 for" in result.output
    assert "crossings anonymised   2" in result.output
    assert "travellers anonymised  1" in result.output
    assert surnames(old_and_new) == ["-", "NEW"]
    actions = [e.action for e in old_and_new.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["retention.batch", "retention.manifests", "retention.run"]
    run = old_and_new.scalars(select(AuditEvent).where(AuditEvent.action == "retention.run")).one()
    assert run.actor == "system"
    assert run.detail["crossings_anonymised"] == 2


def test_a_dry_run_reports_without_changing_anything(runner, old_and_new):
    result = runner.invoke(main, ["retention", "--dry-run", "--today", "2030-06-30"])
    assert result.exit_code == 0, result.output
    assert "dry run (nothing changed)" in result.output
    assert "2 crossings would be anonymised." in result.output
    assert surnames(old_and_new) == ["NEW", "OLD"]
    assert old_and_new.scalars(select(Crossing.anonymised_at)).all() == [None] * 4
    actions = [e.action for e in old_and_new.scalars(select(AuditEvent))]
    assert actions == ["retention.dry_run"]


def test_a_second_run_finds_nothing_due(runner, old_and_new):
    runner.invoke(main, ["retention", "--today", "2030-06-30"])
    result = runner.invoke(main, ["retention", "--today", "2030-06-30"])
    assert result.exit_code == 0, result.output
    assert "Nothing was due." in result.output


def test_the_day_must_be_a_date(runner, old_and_new):
    result = runner.invoke(main, ["retention", "--today", "June"])
    assert result.exit_code == 2
    assert "--today" in result.output
