"""The rules of a new crossing row, for recording and corrections alike: pure, no statements.

Recording reads what a crossing depends on (the desk, the document's traveller, the minor's
companion, earlier confirmed hits), `decide_crossing` applies every rule to it and returns the
row to write, and one call writes it. A correction is a new row decided by the same function.

Rules:
- A refusal needs a reason code of the SBC Annex V Part B form; other decisions take none.
- ICAO Annex 9 (minors): a traveller under 18 on the crossing date (at the post) is flagged, and
  the officer must say whether they travel accompanied, naming the companion's crossing at the
  same post, in the same direction, within `COMPANION_WINDOW`: an adult's crossing, not
  refused, and not the minor's own.
- What admitting needs (a reason, a supervisor) is `midas.domain.decisions.assess`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from midas.domain.actors import Actor
from midas.domain.decisions import Assessment, Listed, ReadingFacts, assess, check_decision
from midas.domain.errors import InvalidInput, Problems
from midas.domain.refusals import refusal_reason
from midas.domain.submissions import Submission
from midas.domain.texts import N_, Text
from midas.persistence.models import AlertPolicy, Decision, Direction, Role

# Age under which ICAO Annex 9 (and the EU Practical Handbook, 5.6) treat a traveller as a minor.
MINOR_AGE = 18
# A minor's companion must have crossed at the same post this close in time to the minor.
COMPANION_WINDOW = timedelta(hours=2)
# Station clocks drift: a crossing up to this far in the future is accepted as "now".
CLOCK_SKEW = timedelta(minutes=5)
# Crossings recorded later than this after they happened are refused as probable clock errors;
# a supervisor enters older paper records (an outage) as late entries, giving a reason.
MAX_BACKDATE = timedelta(days=7)
# A late entry is at most this old: well inside the shortest retention period (3 years).
LATE_ENTRY_LIMIT = timedelta(days=365)
# Longest reason kept with a late entry or a correction.
REASON_LENGTH = 2000
TRANSPORT_MODES = frozenset({"air", "land", "sea", "rail", "foot"})
# Free-text columns and their widths.
TRANSPORT_REF_LENGTH = 32
PURPOSE_LENGTH = 32


def past_moment(value: datetime, now: datetime) -> datetime:
    """Return a time given with its offset in UTC; refuse a naive or a future one."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(N_("give the time with its UTC offset (e.g. Z)"), field="occurred_at")
    moment = value.astimezone(UTC)
    if moment > now + CLOCK_SKEW:
        raise InvalidInput(N_("the crossing time is in the future"), field="occurred_at")
    return moment


def check_occurred_at(value: datetime | None, now: datetime) -> datetime:
    """Return the crossing time in UTC (now by default); refuse naive, future or stale times."""
    if value is None:
        return now
    moment = past_moment(value, now)
    if moment < now - MAX_BACKDATE:
        raise InvalidInput(
            N_(
                "the crossing time is more than %(days)s days ago: a paper record from an outage "
                "is entered by a supervisor, as a late entry with a reason"
            ),
            params={"days": MAX_BACKDATE.days},
            field="occurred_at",
        )
    return moment


def check_late_time(value: datetime | None, now: datetime) -> datetime:
    """Return a late entry's time in UTC: given, not in the future, within LATE_ENTRY_LIMIT."""
    if value is None:
        raise InvalidInput(N_("give the time the crossing happened"), field="occurred_at")
    moment = past_moment(value, now)
    if moment < now - LATE_ENTRY_LIMIT:
        raise InvalidInput(
            N_(
                "the crossing time is more than %(days)s days ago: older paper records are kept "
                "on paper"
            ),
            params={"days": LATE_ENTRY_LIMIT.days},
            field="occurred_at",
        )
    return moment


def local_date(moment: datetime, timezone: str) -> date:
    """Return the calendar date at a moment in a post's time zone."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def age_on(birth: date, day: date) -> int:
    """Return the age in whole years on a day (a 29 February birthday counts on 1 March)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_at(birth: date | None, moment: datetime, timezone: str) -> int | None:
    """Return the age at a moment, on the post's calendar; None when the birth date is unknown."""
    return None if birth is None else age_on(birth, local_date(moment, timezone))


@dataclass(frozen=True, slots=True)
class Companion:
    """The crossing named as a minor's companion, as the rules see it."""

    id: int
    post_id: int
    direction: Direction
    occurred_at: datetime
    is_minor: bool
    decision: Decision
    traveller_id: int | None


@dataclass(frozen=True, slots=True)
class CrossingCase:
    """Everything the rules of a new crossing row look at, read before deciding."""

    submission: Submission
    client_id: str
    fingerprint: str
    acting: Actor  # the officer (or supervisor) the row is recorded under
    post_id: int
    station_id: int | None
    moment: datetime
    recorded_at: datetime  # now, as the caller's clock says
    reading: dict[str, Any] | None
    document_valid: bool
    document_expired: bool
    facts: ReadingFacts
    sex: str | None
    age: int | None
    nationality: str | None
    # None for a first-time traveller, whose traveller and document are written with the row.
    traveller_id: int | None
    document_id: int | None
    # The traveller the document is on record with, when that is another person.
    holder_id: int | None
    companion: Companion | None
    listed: Sequence[Listed]
    policies: Mapping[str, AlertPolicy]
    confirmed: Sequence[Text]  # a sentence per hit confirmed on an earlier crossing
    corrects_id: int | None = None
    correction_reason: str | None = None
    # A late entry: the officer who decided (on paper), when not the one acting.
    officer_id: int | None = None
    late_entry_reason: str | None = None


@dataclass(frozen=True, slots=True)
class CrossingRow:
    """The columns of a new crossings row (its id is the writer's)."""

    client_id: str
    submission_sha256: str
    post_id: int
    station_id: int | None
    officer_id: int
    traveller_id: int | None
    document_id: int | None
    direction: Direction
    occurred_at: datetime
    recorded_at: datetime
    transport_mode: str | None
    transport_ref: str | None
    purpose: str | None
    decision: Decision
    refusal_reason: str | None
    notes: str | None
    reading: dict[str, Any] | None
    document_valid: bool
    document_expired: bool
    chip_status: str | None
    traveller_sex: str | None
    traveller_age: int | None
    traveller_nationality: str | None
    is_minor: bool
    minor_accompanied: bool | None
    accompanying_crossing_id: int | None
    override_reason: str | None
    document_holder_id: int | None
    corrects_id: int | None
    correction_reason: str | None
    late_entry_reason: str | None

    def values(self) -> dict[str, Any]:
        """Return the columns by name, as an insert takes them."""
        return {name: getattr(self, name) for name in _ROW_FIELDS}


_ROW_FIELDS = tuple(CrossingRow.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class Decided:
    """A crossing as the rules allow it: the row to write and the concerns it was decided on."""

    row: CrossingRow
    assessment: Assessment


def decide_crossing(case: CrossingCase) -> Decided:
    """Apply every rule of a new crossing row to what was read; raise what breaks one."""
    submission = case.submission
    officer_id = case.officer_id if case.officer_id is not None else case.acting.user_id
    if officer_id is None:
        raise InvalidInput(N_("name the officer who decided"), field="officer")
    # What is wrong with the submission's own values is said all at once.
    problems = Problems()
    refusal = problems.check(lambda: refusal_code(submission), None)
    mode = problems.check(lambda: transport_mode(submission.transport_mode), None)
    reference = problems.check(
        lambda: bounded(
            _stripped(submission.transport_ref).upper(), TRANSPORT_REF_LENGTH, "transport_ref"
        ),
        None,
    )
    purpose = problems.check(
        lambda: bounded(_stripped(submission.purpose), PURPOSE_LENGTH, "purpose"), None
    )
    minor = case.age is not None and case.age < MINOR_AGE
    unknown: tuple[bool | None, int | None] = (None, None)
    accompanied, companion_id = problems.check(lambda: _minor_rules(case, minor), unknown)
    problems.raise_any()
    holder_id = case.holder_id if case.holder_id != case.traveller_id else None
    assessment = assess(
        case.facts,
        case.listed,
        case.policies,
        confirmed=case.confirmed,
        other_identity=holder_id is not None,
    )
    override = check_decision(
        assessment,
        submission.decision,
        submission.override_reason,
        supervisor=case.acting.role is Role.SUPERVISOR,
    )
    row = CrossingRow(
        client_id=case.client_id,
        submission_sha256=case.fingerprint,
        post_id=case.post_id,
        station_id=case.station_id,
        officer_id=officer_id,
        traveller_id=case.traveller_id,
        document_id=case.document_id,
        direction=submission.direction,
        occurred_at=case.moment,
        recorded_at=case.recorded_at,
        transport_mode=mode,
        transport_ref=reference,
        purpose=purpose,
        decision=submission.decision,
        refusal_reason=refusal,
        notes=_stripped(submission.notes) or None,
        reading=case.reading,
        document_valid=case.document_valid,
        document_expired=case.document_expired,
        chip_status=chip_status_of(case.reading),
        traveller_sex=case.sex,
        traveller_age=case.age,
        traveller_nationality=case.nationality,
        is_minor=minor,
        minor_accompanied=accompanied,
        accompanying_crossing_id=companion_id,
        override_reason=override,
        document_holder_id=holder_id,
        corrects_id=case.corrects_id,
        correction_reason=case.correction_reason,
        late_entry_reason=case.late_entry_reason,
    )
    return Decided(row, assessment)


def chip_status_of(reading: dict[str, Any] | None) -> str | None:
    """Return the Passive Authentication outcome kept in a reading, None when no chip was read."""
    chip = (reading or {}).get("chip")
    status = chip.get("status") if isinstance(chip, dict) else None
    return status if isinstance(status, str) else None


def _stripped(value: str | None) -> str:
    """A free-text value without surrounding blanks (none as empty): every face sends it so."""
    return (value or "").strip()


def stated_reason(text: str | None, missing: str) -> str:
    """Return a reason given for a correction or a late entry; refuse none (saying `missing`),
    or one longer than REASON_LENGTH."""
    reason = (text or "").strip()
    if not reason:
        raise InvalidInput(missing, field="reason")
    if len(reason) > REASON_LENGTH:
        raise InvalidInput(
            N_("at most %(limit)s characters"),
            params={"limit": REASON_LENGTH},
            field="reason",
        )
    return reason


def refusal_code(submission: Submission) -> str | None:
    """Return a refusal's reason code; refuse a refusal without one, or a code on another."""
    if submission.decision is Decision.REFUSED:
        if not submission.refusal_reason:
            raise InvalidInput(N_("a refusal needs a reason code"), field="refusal_reason")
        return refusal_reason(submission.refusal_reason).code
    if submission.refusal_reason:
        raise InvalidInput(
            N_("a reason code belongs to refusals only, not to admitted")
            if submission.decision is Decision.ADMITTED
            else N_("a reason code belongs to refusals only, not to referred"),
            field="refusal_reason",
        )
    return None


def transport_mode(value: str | None) -> str | None:
    """Return a known transport mode (or none); refuse any other."""
    if value is not None and value not in TRANSPORT_MODES:
        modes = ", ".join(sorted(TRANSPORT_MODES))
        raise InvalidInput(
            N_("the transport mode must be one of %(modes)s"),
            params={"modes": modes},
            field="transport_mode",
        )
    return value


def bounded(value: str | None, limit: int, name: str) -> str | None:
    """Return a free-text value (empty as none); refuse one longer than its column."""
    if value is not None and len(value) > limit:
        raise InvalidInput(N_("at most %(limit)s characters"), params={"limit": limit}, field=name)
    return value or None


def _minor_rules(case: CrossingCase, minor: bool) -> tuple[bool | None, int | None]:
    """Return (accompanied, the companion's crossing id) for a minor; None, None for an adult."""
    if not minor:
        return None, None
    submission = case.submission
    named = submission.accompanying_crossing_id
    if submission.minor_accompanied is None:
        raise InvalidInput(
            N_("the traveller is a minor: say whether they travel accompanied"),
            field="minor_accompanied",
        )
    if not submission.minor_accompanied:
        if named is not None:
            raise InvalidInput(
                N_("an unaccompanied minor has no companion crossing"),
                field="accompanying_crossing_id",
            )
        return False, None
    if named is None:
        raise InvalidInput(
            N_("name the crossing of the person accompanying the minor"),
            field="accompanying_crossing_id",
        )
    companion = case.companion
    if (
        companion is None
        or companion.id != named
        or companion.post_id != case.post_id
        or companion.direction is not submission.direction
        or abs(companion.occurred_at - case.moment) > COMPANION_WINDOW
    ):
        hours = COMPANION_WINDOW.total_seconds() / 3600
        raise InvalidInput(
            N_(
                "crossing %(crossing)s is not an entry at this post within %(hours)s hours of "
                "the minor's"
            )
            if submission.direction is Direction.ENTRY
            else N_(
                "crossing %(crossing)s is not an exit at this post within %(hours)s hours of "
                "the minor's"
            ),
            params={"crossing": named, "hours": format(hours, "g")},
            field="accompanying_crossing_id",
        )
    if companion.is_minor:
        raise InvalidInput(
            N_("crossing %(id)s is a minor's: the accompanying person must be an adult"),
            params={"id": companion.id},
            field="accompanying_crossing_id",
        )
    if companion.decision is Decision.REFUSED:
        raise InvalidInput(
            N_("crossing %(id)s was refused: that person does not accompany the minor"),
            params={"id": companion.id},
            field="accompanying_crossing_id",
        )
    if case.traveller_id is not None and companion.traveller_id == case.traveller_id:
        raise InvalidInput(
            N_("crossing %(id)s is the minor's own, not their companion's"),
            params={"id": companion.id},
            field="accompanying_crossing_id",
        )
    return True, companion.id
