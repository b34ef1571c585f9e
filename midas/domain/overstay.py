"""Overstays: who has stayed longer than allowed, and who is about to, from entries and exits.

The rule is the Schengen-style rolling window: on every day a traveller is in the country, the
days of stay within the `window_days` ending that day (both ends counted, entry and exit days
included) must not exceed `allowed_days`. Days are calendar days at the post where the crossing
was recorded. Only admitted crossings count (a refused traveller did not enter), and a crossing
that a later record corrects is replaced by its correction.

Gaps in the record are counted on evidence only, so nobody is listed on a guess: an exit with no
recorded entry counts its own day, and an entry followed by another entry with no exit between
counts its own day; both are reported as anomalies for a supervisor to look into. Nationals of
the post's country have no limit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, aliased

from midas.domain.actors import Actor
from midas.domain.audit import record_audit
from midas.domain.errors import InvalidInput, PermissionDenied
from midas.domain.texts import N_
from midas.persistence.database import begin_writing
from midas.persistence.models import (
    Crossing,
    Decision,
    Direction,
    Post,
    Role,
    StayRule,
    TravelDocument,
    Traveller,
)
from statecodes import canonical, same_state

# Travellers whose crossings are read per query: keeps IN lists within every backend's limits.
CHUNK = 500
DEFAULT_RULE = "*"


@dataclass(frozen=True, slots=True)
class StayLimit:
    """`allowed_days` of stay within any `window_days` (both at least 1)."""

    allowed_days: int
    window_days: int

    @property
    def unlimited(self) -> bool:
        """Return True when the allowance covers the whole window, so no stay can exceed it."""
        return self.allowed_days >= self.window_days


@dataclass(frozen=True, slots=True)
class OverstayPolicy:
    """The settings overstay listing follows."""

    default_limit: StayLimit
    warning_days: int
    lookback_days: int


def overstay_policy(settings: Mapping[str, Any]) -> OverstayPolicy:
    """Return the overstay policy the app's settings ask for."""
    return OverstayPolicy(
        default_limit=StayLimit(
            int(settings["STAY_ALLOWED_DAYS"]), int(settings["STAY_WINDOW_DAYS"])
        ),
        warning_days=int(settings["OVERSTAY_WARNING_DAYS"]),
        lookback_days=int(settings["OVERSTAY_LOOKBACK_DAYS"]),
    )


@dataclass(frozen=True, slots=True)
class Movement:
    """An admitted entry or exit: when it happened and the calendar day at the post."""

    direction: Direction
    at: datetime
    day: date


class StayStatus(StrEnum):
    """Where a traveller stands against their allowed stay, most urgent first."""

    OVERSTAYING = "overstaying"  # in the country now, past the allowed stay
    ABOUT_TO = "about_to"  # in the country, the allowed stay ends within the warning period
    OVERSTAYED = "overstayed"  # left (or is back within limits) after overstaying
    WITHIN = "within"


class Anomaly(StrEnum):
    """A gap in the record that the counting could not fill from evidence."""

    EXIT_WITHOUT_ENTRY = "exit_without_entry"
    ENTRY_WITHOUT_EXIT = "entry_without_exit"


@dataclass(frozen=True, slots=True)
class StayAssessment:
    """One traveller's stays measured against their limit on `today`."""

    status: StayStatus
    inside: bool
    entered_on: date | None  # first day of the current stay when inside
    days_used: int  # days of stay in the window ending today
    last_allowed_day: date | None  # inside and not overstaying: the last day they may remain
    days_left: int | None  # days after today they may remain (0: today is the last day)
    overstay_days: int  # days of stay beyond the allowance since the reporting start
    first_overstay_day: date | None
    anomalies: tuple[Anomaly, ...]


def stays(
    movements: Iterable[Movement], today: date
) -> tuple[list[tuple[date, date]], bool, tuple[Anomaly, ...]]:
    """Return the stays (first and last day, inclusive), whether the traveller is inside, gaps."""
    ordered = sorted(
        (m for m in movements if m.day <= today),
        key=lambda m: (m.at, m.direction is Direction.EXIT),
    )
    result: list[tuple[date, date]] = []
    anomalies: list[Anomaly] = []
    opened: date | None = None
    for movement in ordered:
        if movement.direction is Direction.ENTRY:
            if opened is not None:
                result.append((opened, opened))
                anomalies.append(Anomaly.ENTRY_WITHOUT_EXIT)
            opened = movement.day
        elif opened is None:
            result.append((movement.day, movement.day))
            anomalies.append(Anomaly.EXIT_WITHOUT_ENTRY)
        else:
            result.append((opened, movement.day))
            opened = None
    if opened is not None:
        result.append((opened, today))
    return result, opened is not None, tuple(dict.fromkeys(anomalies))


def assess_stay(
    movements: Iterable[Movement],
    limit: StayLimit,
    today: date,
    *,
    since: date | None = None,
    warning_days: int = 7,
) -> StayAssessment:
    """Measure a traveller's stays against `limit` on `today`; overstays count from `since`."""
    since = today if since is None or since > today else since
    periods, inside, anomalies = stays(movements, today)
    window = limit.window_days
    # Day i of `present` is `start + i`; the array runs a window past today for the projection.
    # Days before `start` weigh on no window that ends on or after `since`, so stays are clipped.
    start = since - timedelta(days=window - 1)
    span = (today - start).days + 1
    present = bytearray(span + window)
    for first, last in periods:
        lo, hi = max((first - start).days, 0), (last - start).days
        if hi >= lo:
            present[lo : hi + 1] = b"\x01" * (hi - lo + 1)
    used = 0
    overstay_days = 0
    first_over: date | None = None
    reporting_from = (since - start).days
    for i in range(span):
        used += present[i] - (present[i - window] if i >= window else 0)
        if i >= reporting_from and present[i] and used > limit.allowed_days:
            overstay_days += 1
            if first_over is None:
                first_over = start + timedelta(days=i)
    entered_on = periods[-1][0] if inside else None
    over_now = inside and bool(present[span - 1]) and used > limit.allowed_days
    last_allowed: date | None = None
    days_left: int | None = None
    if inside and not over_now and not limit.unlimited:
        projected = used
        for k in range(1, window + 1):
            i = span - 1 + k
            projected += 1 - (present[i - window] if i >= window else 0)
            if projected > limit.allowed_days:
                days_left = k - 1
                last_allowed = today + timedelta(days=days_left)
                break
    if over_now:
        status = StayStatus.OVERSTAYING
    elif days_left is not None and days_left <= warning_days:
        status = StayStatus.ABOUT_TO
    elif overstay_days:
        status = StayStatus.OVERSTAYED
    else:
        status = StayStatus.WITHIN
    return StayAssessment(
        status=status,
        inside=inside,
        entered_on=entered_on,
        days_used=used,
        last_allowed_day=last_allowed,
        days_left=days_left,
        overstay_days=overstay_days,
        first_overstay_day=first_over,
        anomalies=anomalies,
    )


# -- on the database --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Overstay:
    """A traveller listed on the overstay report, with the facts a supervisor acts on."""

    traveller_id: int
    surname: str | None
    given_names: str | None
    nationality: str | None
    birth_date: date | None
    document_number: str | None
    document_issuing_state: str | None
    limit: StayLimit
    assessment: StayAssessment
    last_crossing_id: int
    last_crossing_at: datetime
    last_direction: Direction
    last_post_id: int
    last_post_code: str
    last_post_timezone: str


@dataclass(frozen=True, slots=True)
class _Row:
    crossing_id: int
    traveller_id: int
    document_id: int
    direction: Direction
    at: datetime
    post_id: int


def effective() -> Any:
    """Return the condition that a crossing has not been replaced by a correction."""
    correction = aliased(Crossing)
    return ~exists().where(correction.corrects_id == Crossing.id)


def stay_limits(session: Session) -> dict[str, StayLimit]:
    """Return the stay_rules rows by nationality ('*' is the default row)."""
    return {
        rule.nationality: StayLimit(rule.allowed_days, rule.window_days)
        for rule in session.scalars(select(StayRule))
    }


def limit_for(
    nationality: str | None, rules: Mapping[str, StayLimit], default: StayLimit
) -> StayLimit:
    """Return the limit of a nationality: its rule, else the '*' rule, else the setting.

    A nationality is looked up as the state it names: a German passport's D finds the DEU rule.
    """
    if nationality:
        for code in (nationality, canonical(nationality)):
            if code in rules:
                return rules[code]
        for code, limit in rules.items():
            if code != DEFAULT_RULE and same_state(code, nationality):
                return limit
    return rules.get(DEFAULT_RULE, default)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_day(at: datetime, timezone: str) -> date:
    """Return the calendar day at a post of a UTC time."""
    return at.astimezone(_zone(timezone)).date()


def _candidates(session: Session, recent_from: datetime) -> list[int]:
    admitted = Crossing.decision == Decision.ADMITTED
    recent = select(Crossing.traveller_id).where(admitted, Crossing.occurred_at >= recent_from)
    later = aliased(Crossing)
    still_inside = select(Crossing.traveller_id).where(
        admitted,
        Crossing.direction == Direction.ENTRY,
        Crossing.occurred_at < recent_from,
        ~exists().where(
            and_(
                later.traveller_id == Crossing.traveller_id,
                later.occurred_at > Crossing.occurred_at,
                later.decision == Decision.ADMITTED,
            )
        ),
    )
    ids = set(session.scalars(recent.distinct())) | set(session.scalars(still_inside.distinct()))
    return sorted(ids)


def _movements(session: Session, traveller_ids: Sequence[int]) -> dict[int, list[_Row]]:
    rows: dict[int, list[_Row]] = defaultdict(list)
    for offset in range(0, len(traveller_ids), CHUNK):
        chunk = traveller_ids[offset : offset + CHUNK]
        query = (
            select(
                Crossing.id,
                Crossing.traveller_id,
                Crossing.document_id,
                Crossing.direction,
                Crossing.occurred_at,
                Crossing.post_id,
            )
            .where(
                Crossing.traveller_id.in_(chunk),
                Crossing.decision == Decision.ADMITTED,
                effective(),
            )
            .order_by(Crossing.traveller_id, Crossing.occurred_at, Crossing.id)
        )
        for row in session.execute(query):
            rows[row.traveller_id].append(_Row(*row))
    return rows


def traveller_movements(rows: Sequence[_Row], zones: Mapping[int, str]) -> list[Movement]:
    """Return a traveller's crossings as movements on the posts' calendar days."""
    return [Movement(r.direction, r.at, local_day(r.at, zones[r.post_id])) for r in rows]


def _check_assessment_day(today: date, policy: OverstayPolicy, widest: int) -> None:
    """Refuse a day so near the calendar's ends that the windows around it leave it."""
    # The listing reaches back the lookback and a window (and a day), and forward a window
    # and the warning period; every day it computes must be a date.
    reach = policy.lookback_days + 2 * widest + policy.warning_days + 2
    if (today - date.min).days < reach or (date.max - today).days < reach:
        raise InvalidInput(
            N_("give a day from %(min)s to %(max)s"),
            params={
                "min": date.min + timedelta(days=reach),
                "max": date.max - timedelta(days=reach),
            },
            field="today",
        )


def list_overstays(
    session: Session,
    actor: Actor,
    policy: OverstayPolicy,
    *,
    today: date,
    statuses: frozenset[StayStatus] = frozenset(
        {StayStatus.OVERSTAYING, StayStatus.ABOUT_TO, StayStatus.OVERSTAYED}
    ),
    post_id: int | None = None,
    nationality: str | None = None,
) -> list[Overstay]:
    """List travellers who overstay, are about to, or did since the lookback; most urgent first.

    A supervisor sees the travellers whose last crossing was at one of their posts; an admin
    sees all. The listing reads personal data, so it is audited.
    """
    begin_writing(session)
    if actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise PermissionDenied(N_("only supervisors and administrators may list overstays"))
    if post_id is not None and actor.post_ids is not None and post_id not in actor.post_ids:
        raise PermissionDenied(N_("this post is not one of yours"), field="post")
    if StayStatus.WITHIN in statuses:
        raise InvalidInput(N_("travellers within their stay are not listed"), field="status")
    rules = stay_limits(session)
    widest = max([policy.default_limit.window_days, *(r.window_days for r in rules.values())])
    _check_assessment_day(today, policy, widest)
    since = today - timedelta(days=policy.lookback_days)
    # A day before `since - widest` cannot weigh on any day from `since`; one day's margin
    # covers posts whose calendar day runs ahead of UTC.
    recent_from = datetime.combine(since - timedelta(days=widest + 1), time(), UTC)
    posts = {p.id: p for p in session.scalars(select(Post))}
    zones = {pid: p.timezone for pid, p in posts.items()}
    by_traveller = _movements(session, _candidates(session, recent_from))
    travellers = {
        t.id: t
        for offset in range(0, len(by_traveller), CHUNK)
        for t in session.scalars(
            select(Traveller).where(Traveller.id.in_(list(by_traveller)[offset : offset + CHUNK]))
        )
    }
    found: list[tuple[Overstay, int]] = []
    for traveller_id, rows in by_traveller.items():
        last = rows[-1]
        if actor.post_ids is not None and last.post_id not in actor.post_ids:
            continue
        if post_id is not None and last.post_id != post_id:
            continue
        traveller = travellers[traveller_id]
        if nationality is not None and not (
            traveller.nationality and same_state(traveller.nationality, nationality)
        ):
            continue
        # Citizens of the post's state do not overstay (a German passport says D, a post DEU).
        country = posts[last.post_id].country
        if traveller.nationality and country and same_state(traveller.nationality, country):
            continue
        limit = limit_for(traveller.nationality, rules, policy.default_limit)
        if limit.unlimited:
            continue
        assessment = assess_stay(
            traveller_movements(rows, zones),
            limit,
            today,
            since=since,
            warning_days=policy.warning_days,
        )
        if assessment.status not in statuses:
            continue
        overstay = Overstay(
            traveller_id=traveller_id,
            surname=traveller.surname,
            given_names=traveller.given_names,
            nationality=traveller.nationality,
            birth_date=traveller.birth_date,
            document_number=None,
            document_issuing_state=None,
            limit=limit,
            assessment=assessment,
            last_crossing_id=last.crossing_id,
            last_crossing_at=last.at,
            last_direction=last.direction,
            last_post_id=last.post_id,
            last_post_code=posts[last.post_id].code,
            last_post_timezone=posts[last.post_id].timezone,
        )
        found.append((overstay, last.document_id))
    documents = (
        {
            d.id: d
            for d in session.scalars(
                select(TravelDocument).where(TravelDocument.id.in_({doc for _, doc in found}))
            )
        }
        if found
        else {}
    )
    result = [
        _with_document(overstay, documents.get(document_id)) for overstay, document_id in found
    ]
    result.sort(key=_urgency)
    record_audit(
        session,
        actor,
        "overstay.list",
        "traveller",
        None,
        detail={
            "today": today.isoformat(),
            "count": len(result),
            "statuses": sorted(statuses),
            "traveller_ids": [o.traveller_id for o in result][:500],
        },
    )
    return result


def _with_document(overstay: Overstay, document: TravelDocument | None) -> Overstay:
    if document is None:
        return overstay
    return replace(
        overstay,
        document_number=document.number,
        document_issuing_state=document.issuing_state,
    )


_ORDER = {status: rank for rank, status in enumerate(StayStatus)}


def _urgency(overstay: Overstay) -> tuple[int, int, int, int]:
    a = overstay.assessment
    return (_ORDER[a.status], -a.overstay_days, a.days_left or 0, overstay.traveller_id)


def is_overstayer(movements: Iterable[Movement], limit: StayLimit, today: date) -> bool:
    """Return True if the traveller overstayed on any day of their recorded history."""
    ordered = list(movements)
    if not ordered or limit.unlimited:
        return False
    first = min(m.day for m in ordered)
    return assess_stay(ordered, limit, today, since=first).overstay_days > 0
