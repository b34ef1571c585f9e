"""Statistics: crossings, refusals and hits counted in SQL by period, post, sex, age band …"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from midas.domain.errors import InvalidInput, PermissionDenied
from midas.domain.statistics import (
    AGE_BANDS,
    Dimension,
    Measure,
    StatisticsQuery,
    StatisticsRow,
    StatisticsTable,
    age_band,
    crossing_statistics,
    parse_dimensions,
    to_csv,
)
from midas.persistence.models import (
    AuditEvent,
    Decision,
    Direction,
    HitStatus,
    Role,
    ScreeningHit,
    Watchlist,
    WatchlistVersion,
)
from tests.midas.operations_builders import (
    actor_for,
    make_crossing,
    make_post,
    make_traveller,
    make_user,
)
from watchlists.models import ListKind

IN, OUT = Direction.ENTRY, Direction.EXIT


@pytest.fixture
def log(session):
    """A small movement log at two posts over two weeks of June 2026."""
    with session.begin():
        airport = make_post(session, "NBO")
        land = make_post(session, "NMG")
        officer = make_user(session, "officer", Role.OFFICER, airport)
        supervisor = make_user(session, "supervisor", Role.SUPERVISOR)
        admin = make_user(session, "admin", Role.ADMIN)
        adult = make_traveller(session, sex="F", birth_date=date(1980, 3, 1), nationality="UTO")
        child = make_traveller(session, sex="M", birth_date=date(2015, 3, 1), nationality="ATL")
        senior = make_traveller(session, sex=None, birth_date=None, nationality=None)
        # Monday 1 June and Sunday 7 June are in one ISO week; Monday 8 June starts the next.
        make_crossing(session, adult, airport, officer, IN, datetime(2026, 6, 1, 0, 30, tzinfo=UTC))
        make_crossing(
            session, child, airport, officer, IN, datetime(2026, 6, 7, 23, 59, tzinfo=UTC)
        )
        make_crossing(session, adult, land, officer, OUT, datetime(2026, 6, 8, 9, 0, tzinfo=UTC))
        refused = make_crossing(
            session,
            senior,
            land,
            officer,
            IN,
            datetime(2026, 6, 9, 9, 0, tzinfo=UTC),
            decision=Decision.REFUSED,
            refusal_reason="E",
        )
        wrong = make_crossing(
            session, senior, airport, officer, IN, datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
        )
        make_crossing(
            session,
            senior,
            airport,
            officer,
            OUT,
            datetime(2026, 7, 1, 9, 0, tzinfo=UTC),
            corrects_id=wrong.id,
        )
        watchlist = Watchlist(name="stolen", kind=ListKind.DOCUMENT)
        version = WatchlistVersion(
            watchlist=watchlist,
            number=1,
            source_format="csv",
            file_name="stolen.csv",
            sha256="0" * 64,
            loaded_by="test",
        )
        session.add(version)
        session.flush()
        for status in (HitStatus.PENDING, HitStatus.CONFIRMED):
            session.add(
                ScreeningHit(
                    crossing_id=refused.id,
                    list_name="stolen",
                    list_version_id=version.id,
                    list_kind="document",
                    entry_id="S1",
                    matched_name="X",
                    score=1.0,
                    threshold=1.0,
                    reasons=[],
                    status=status,
                )
            )
    return {"airport": airport, "land": land, "supervisor": supervisor, "admin": admin}


def figures(session, user, visible=None, **query):
    with session.begin():
        table = crossing_statistics(session, actor_for(user, visible), StatisticsQuery(**query))
    return {row.keys: row.count for row in table.rows}


def test_crossings_by_iso_week_start_on_monday_in_utc(session, log):
    assert figures(session, log["admin"], group_by=(Dimension.WEEK,)) == {
        ("2026-06-01",): 2,
        ("2026-06-08",): 2,
        ("2026-06-29",): 1,
    }


def test_crossings_by_day_and_month(session, log):
    by_day = figures(session, log["admin"], group_by=(Dimension.DAY,))
    assert by_day[("2026-06-07",)] == 1
    assert by_day[("2026-06-01",)] == 1
    assert figures(session, log["admin"], group_by=(Dimension.MONTH,)) == {
        ("2026-06",): 4,
        ("2026-07",): 1,
    }


def test_a_corrected_crossing_is_counted_once_as_its_correction(session, log):
    july = figures(session, log["admin"], group_by=(Dimension.DIRECTION,), start=date(2026, 7, 1))
    assert july == {("exit",): 1}


def test_crossings_by_post_direction_sex_and_age_band(session, log):
    assert figures(session, log["admin"], group_by=(Dimension.POST, Dimension.DIRECTION)) == {
        ("NBO", "entry"): 2,
        ("NBO", "exit"): 1,
        ("NMG", "entry"): 1,
        ("NMG", "exit"): 1,
    }
    assert figures(session, log["admin"], group_by=(Dimension.SEX, Dimension.AGE_BAND)) == {
        (None, "unknown"): 2,
        ("F", "45-54"): 2,
        ("M", "0-17"): 1,
    }


def test_crossings_by_nationality_keep_the_unrecorded_apart(session, log):
    assert figures(session, log["admin"], group_by=(Dimension.NATIONALITY,)) == {
        (None,): 2,
        ("ATL",): 1,
        ("UTO",): 2,
    }


def test_refusals_by_reason(session, log):
    refusals = figures(
        session, log["admin"], measure=Measure.REFUSALS, group_by=(Dimension.REFUSAL_REASON,)
    )
    assert refusals == {("E",): 1}


def test_hits_by_list_and_status(session, log):
    hits = figures(
        session, log["admin"], measure=Measure.HITS, group_by=(Dimension.LIST, Dimension.HIT_STATUS)
    )
    assert hits == {("stolen", "confirmed"): 1, ("stolen", "pending"): 1}


def test_the_period_includes_both_end_days(session, log):
    june_first_week = figures(session, log["admin"], start=date(2026, 6, 1), end=date(2026, 6, 7))
    assert june_first_week == {(): 2}


def test_a_supervisor_counts_only_at_their_posts(session, log):
    mine = frozenset({log["land"].id})
    assert figures(session, log["supervisor"], mine, group_by=(Dimension.POST,)) == {("NMG",): 2}
    with pytest.raises(PermissionDenied):
        figures(session, log["supervisor"], mine, post_ids=frozenset({log["airport"].id}))


def test_officers_see_no_statistics(session, log):
    officer = make_user(session, "other", Role.OFFICER, log["airport"])
    session.commit()
    with pytest.raises(PermissionDenied):
        figures(session, officer, frozenset({log["airport"].id}))


# Refused before anything is written: the same on either database.
@pytest.mark.one_backend
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"group_by": (Dimension.DAY, Dimension.MONTH)}, "group_by"),
        ({"group_by": (Dimension.POST, Dimension.POST)}, "group_by"),
        ({"group_by": (Dimension.LIST,)}, "group_by"),
        ({"start": date(2026, 2, 1), "end": date(2026, 1, 1)}, "from"),
    ],
)
def test_queries_that_cannot_be_answered_name_the_field(session, log, query, field):
    with pytest.raises(InvalidInput) as raised:
        figures(session, log["admin"], **query)
    assert raised.value.field == field


def test_reading_statistics_is_audited(session, log):
    figures(session, log["admin"], group_by=(Dimension.MONTH,))
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "statistics.read")).one()
    assert event.detail["group_by"] == ["month"]


def test_csv_has_a_header_and_one_line_per_group(session, log):
    with session.begin():
        table = crossing_statistics(
            session,
            actor_for(log["admin"]),
            StatisticsQuery(group_by=(Dimension.SEX, Dimension.DIRECTION)),
        )
    lines = to_csv(table).splitlines()
    assert lines[0] == "sex,direction,count"
    assert ",entry,1" in lines
    assert table.total == 5


def test_dimensions_are_read_from_a_comma_separated_list():
    assert parse_dimensions("month, post") == (Dimension.MONTH, Dimension.POST)
    with pytest.raises(InvalidInput, match="unknown dimension 'colour'"):
        parse_dimensions("colour")


@given(st.integers(0, 130))
def test_every_age_falls_in_exactly_one_sdg_band(age):
    band = age_band(age)
    matching = [
        label for label, low, high in AGE_BANDS if low <= age and (high is None or age <= high)
    ]
    assert matching == [band]


def test_age_bands_have_sdg_edges():
    assert [age_band(a) for a in (17, 18, 24, 25, 64, 65, None)] == [
        "0-17",
        "18-24",
        "18-24",
        "25-34",
        "55-64",
        "65+",
        "unknown",
    ]


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_the_statistics_csv_never_writes_a_cell_a_spreadsheet_runs(name: str) -> None:
    table = StatisticsTable(
        StatisticsQuery(measure=Measure.HITS, group_by=(Dimension.LIST,)),
        rows=(StatisticsRow((name,), 3), StatisticsRow((None,), -1)),
    )

    rows = list(csv.reader(io.StringIO(to_csv(table))))

    assert rows == [["list", "count"], ["'" + name, "3"], ["", "-1"]]
