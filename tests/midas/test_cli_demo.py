"""`midas demo`: a living system for a new user, loaded once however often it runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from midas import create_app
from midas.cli import main
from midas.domain.credentials import token_sha256
from midas.domain.demo import POSTS, plan_crossings
from midas.persistence.database import database
from midas.persistence.models import (
    Crossing,
    Decision,
    Post,
    ScreeningHit,
    Station,
    User,
    Watchlist,
)
from tests.midas.auth_builders import STRONG_SECRET


@pytest.mark.slow
def test_demo_loads_posts_people_lists_and_crossings_once(runner, session):
    first = runner.invoke(main, ["demo"])
    assert first.exit_code == 0, first.output
    assert "Users created: admin, supervisor, officer1, officer2, officer3" in first.output
    assert "demo-station-jkia-0123456789abcdef" in first.output
    assert "admin       demo-admin-password" in first.output
    assert "Demo chips (its CSCA trusted as demo-utopia)" in first.output

    count = lambda model: session.scalar(select(func.count()).select_from(model))  # noqa: E731
    assert {p.kind.value for p in session.scalars(select(Post))} == {"air", "land", "sea"}
    for demo_post in POSTS:
        hashed = token_sha256(demo_post.token)
        assert session.scalar(select(Station).where(Station.token_sha256 == hashed)) is not None
    lists = session.scalars(select(Watchlist)).all()
    assert {w.name for w in lists} == {"demo-wanted", "demo-stolen-documents"}
    assert all(w.active_version_id is not None for w in lists)
    crossings = count(Crossing)
    assert crossings >= 250
    decisions = set(session.scalars(select(Crossing.decision).distinct()))
    assert decisions == {Decision.ADMITTED, Decision.REFUSED, Decision.REFERRED}
    assert session.scalar(select(func.count()).where(Crossing.is_minor)) >= 6
    assert {h.list_name for h in session.scalars(select(ScreeningHit))} == {
        "demo-wanted",
        "demo-stolen-documents",
    }

    second = runner.invoke(main, ["demo"])
    assert second.exit_code == 0, second.output
    assert "Users created: none (already there)" in second.output
    assert "demo-station-jkia" not in second.output
    assert f"Crossings recorded: 0 (0 hits); already there: {crossings}" in second.output
    assert "Demo chips (already there)" in second.output
    session.expire_all()
    assert count(Crossing) == crossings
    assert count(User) == 5


def test_demo_is_refused_in_production(database_url):
    production = create_app(
        {"ENV": "production", "SECRET_KEY": STRONG_SECRET, "DATABASE_URL": database_url}
    )
    result = production.test_cli_runner().invoke(main, ["demo"])
    database(production).dispose()
    assert result.exit_code == 1
    assert "refused in production" in result.output


def test_the_plan_spans_the_last_months_without_future_crossings():
    today = datetime(2026, 6, 30, tzinfo=UTC).date()
    plan = plan_crossings(today)
    assert plan == plan_crossings(today)
    assert len({c.number for c in plan}) == len(plan)
    assert min(c.at for c in plan).date() >= today - timedelta(days=150)
    assert max(c.at for c in plan).date() <= today
