"""Statistics for supervisors: counts of crossings, refusals and hits, grouped in SQL.

Crossings carry the traveller's sex, age and nationality as they were at the crossing, so the
figures survive anonymisation. Age bands follow the SDG 17.18 disaggregation. Days, weeks
(ISO, starting Monday) and months are UTC calendar periods, the same on every post and backend.
A crossing replaced by a correction is counted once, as its correction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.audit import record_audit
from midas.domain.errors import InvalidInput, PermissionDenied
from midas.domain.overstay import effective
from midas.domain.spreadsheet import csv_text
from midas.domain.texts import N_
from midas.persistence.database import begin_writing
from midas.persistence.models import Crossing, Decision, Post, Role, ScreeningHit
from midas.persistence.periods import period_key

AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-17", 0, 17),
    ("18-24", 18, 24),
    ("25-34", 25, 34),
    ("35-44", 35, 44),
    ("45-54", 45, 54),
    ("55-64", 55, 64),
    ("65+", 65, None),
)
UNKNOWN = "unknown"
MAX_DIMENSIONS = 3


class Measure(StrEnum):
    """What is counted."""

    CROSSINGS = "crossings"
    REFUSALS = "refusals"  # crossings refused, usually grouped by reason
    HITS = "hits"  # screening hits, usually grouped by list


class Dimension(StrEnum):
    """What the counts are grouped by."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    POST = "post"
    DIRECTION = "direction"
    DECISION = "decision"
    NATIONALITY = "nationality"
    SEX = "sex"
    AGE_BAND = "age_band"
    REFUSAL_REASON = "refusal_reason"
    # Passive Authentication of the chip: verified, failed, not_verifiable, or no_chip.
    CHIP = "chip"
    LIST = "list"  # hits only
    HIT_STATUS = "hit_status"  # hits only


# The chip dimension's value for a crossing whose document had no chip read.
NO_CHIP = "no_chip"
HIT_DIMENSIONS = frozenset({Dimension.LIST, Dimension.HIT_STATUS})
TIME_DIMENSIONS = frozenset({Dimension.DAY, Dimension.WEEK, Dimension.MONTH})


@dataclass(frozen=True, slots=True)
class StatisticsQuery:
    """One request for figures: a measure, the dimensions, the period and the posts."""

    measure: Measure = Measure.CROSSINGS
    group_by: tuple[Dimension, ...] = ()
    start: date | None = None  # first UTC day included
    end: date | None = None  # last UTC day included
    post_ids: frozenset[int] | None = None  # None: every post the actor may see


@dataclass(frozen=True, slots=True)
class StatisticsRow:
    """One group: its value on each dimension (None when not recorded) and its count."""

    keys: tuple[str | None, ...]
    count: int


@dataclass(frozen=True, slots=True)
class StatisticsTable:
    """The figures a query asked for, rows sorted by their keys."""

    query: StatisticsQuery
    rows: tuple[StatisticsRow, ...]

    @property
    def total(self) -> int:
        """Return the sum of every row's count."""
        return sum(row.count for row in self.rows)

    def records(self) -> list[dict[str, Any]]:
        """Return the rows as dictionaries keyed by dimension name, plus `count`."""
        names = [d.value for d in self.query.group_by]
        return [
            {**dict(zip(names, row.keys, strict=True)), "count": row.count} for row in self.rows
        ]


def age_band(age: int | None) -> str:
    """Return the SDG 17.18 age band of an age in years."""
    if age is None or age < 0:
        return UNKNOWN
    for label, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return UNKNOWN  # unreachable: the last band is open


def _age_band_sql() -> ColumnElement[str]:
    age = Crossing.traveller_age
    whens = [(age <= high, label) for label, _, high in AGE_BANDS if high is not None]
    return case((age.is_(None), UNKNOWN), (age < 0, UNKNOWN), *whens, else_=AGE_BANDS[-1][0])


def _column(session: Session, dimension: Dimension) -> ColumnElement[Any]:
    if dimension in TIME_DIMENSIONS:
        return period_key(session, Crossing.occurred_at, dimension.value)
    columns: dict[Dimension, Any] = {
        Dimension.POST: Post.code,
        Dimension.DIRECTION: Crossing.direction,
        Dimension.DECISION: Crossing.decision,
        Dimension.NATIONALITY: Crossing.traveller_nationality,
        Dimension.SEX: Crossing.traveller_sex,
        Dimension.AGE_BAND: _age_band_sql(),
        Dimension.REFUSAL_REASON: Crossing.refusal_reason,
        Dimension.CHIP: func.coalesce(Crossing.chip_status, NO_CHIP),
        Dimension.LIST: ScreeningHit.list_name,
        Dimension.HIT_STATUS: ScreeningHit.status,
    }
    column: ColumnElement[Any] = columns[dimension]
    return column


def check_query(query: StatisticsQuery) -> None:
    """Raise InvalidInput naming the field of a query that cannot be answered."""
    if len(query.group_by) > MAX_DIMENSIONS:
        raise InvalidInput(
            N_("group by at most %(limit)s dimensions"),
            params={"limit": MAX_DIMENSIONS},
            field="group_by",
        )
    if len(set(query.group_by)) != len(query.group_by):
        raise InvalidInput(N_("a dimension is named twice"), field="group_by")
    if len(TIME_DIMENSIONS & set(query.group_by)) > 1:
        raise InvalidInput(N_("group by one of day, week or month"), field="group_by")
    if query.measure is not Measure.HITS and HIT_DIMENSIONS & set(query.group_by):
        raise InvalidInput(N_("grouping by list or hit status counts hits only"), field="group_by")
    if query.start and query.end and query.start > query.end:
        raise InvalidInput(N_("the first day is after the last day"), field="from")


def crossing_statistics(session: Session, actor: Actor, query: StatisticsQuery) -> StatisticsTable:
    """Count crossings, refusals or hits at the actor's posts, grouped as the query asks."""
    if actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise PermissionDenied(N_("only supervisors and administrators see statistics"))
    check_query(query)
    posts = query.post_ids
    if posts is not None and actor.post_ids is not None and not posts <= actor.post_ids:
        raise PermissionDenied(N_("statistics are limited to your posts"), field="post")
    if posts is None:
        posts = actor.post_ids
    begin_writing(session)  # the audit event
    keys = [_column(session, d).label(f"k{i}") for i, d in enumerate(query.group_by)]
    counted = func.count(ScreeningHit.id if query.measure is Measure.HITS else Crossing.id)
    statement = select(*keys, counted.label("n")).select_from(Crossing)
    if query.measure is Measure.HITS:
        statement = statement.join(ScreeningHit, ScreeningHit.crossing_id == Crossing.id)
    else:
        statement = statement.where(effective())
    if query.measure is Measure.REFUSALS:
        statement = statement.where(Crossing.decision == Decision.REFUSED)
    if Dimension.POST in query.group_by:
        statement = statement.join(Post, Post.id == Crossing.post_id)
    if posts is not None:
        statement = statement.where(Crossing.post_id.in_(sorted(posts) or [-1]))
    if query.start is not None:
        statement = statement.where(Crossing.occurred_at >= _midnight(query.start))
    if query.end is not None:
        statement = statement.where(Crossing.occurred_at < _midnight(query.end + timedelta(days=1)))
    if keys:
        statement = statement.group_by(*keys)
    rows = [
        StatisticsRow(tuple(_label(value) for value in row[:-1]), int(row[-1]))
        for row in session.execute(statement)
        if keys or row[-1]
    ]
    rows.sort(key=lambda row: tuple("" if k is None else k for k in row.keys))
    record_audit(
        session,
        actor,
        "statistics.read",
        detail={
            "measure": query.measure.value,
            "group_by": [d.value for d in query.group_by],
            "from": query.start.isoformat() if query.start else None,
            "to": query.end.isoformat() if query.end else None,
        },
    )
    return StatisticsTable(query, tuple(rows))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _label(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, StrEnum):
        return value.value
    return str(value)


def to_csv(table: StatisticsTable) -> str:
    """Return the table as CSV: a header of dimension names and `count`, one line per row."""
    header = [*(d.value for d in table.query.group_by), "count"]
    return csv_text(
        header, ([*("" if k is None else k for k in r.keys), r.count] for r in table.rows)
    )


def parse_dimensions(text: str | Sequence[str] | None) -> tuple[Dimension, ...]:
    """Read `group_by` as comma-separated names; raise InvalidInput naming a bad one."""
    if text is None:
        return ()
    parts = text.split(",") if isinstance(text, str) else [p for t in text for p in t.split(",")]
    dimensions: list[Dimension] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        try:
            dimensions.append(Dimension(part))
        except ValueError:
            names = ", ".join(d.value for d in Dimension)
            raise InvalidInput(
                N_("unknown dimension %(part)s; use %(names)s"),
                params={"part": repr(part), "names": names},
                field="group_by",
            ) from None
    return tuple(dimensions)
