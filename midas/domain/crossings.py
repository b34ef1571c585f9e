"""Record crossings: read, decide, write.

`record_crossing` is the one function that records a crossing (the API, the pages, the demo
and the benchmarks call it); the caller owns the transaction:

    with session.begin():
        outcome = record_crossing(session, actor, submission, screener)

It reads what the crossing depends on (the desk and who may record there, a retry's crossing,
the reading's traveller, the minor's companion, hits confirmed before), screens the reading,
decides with `midas.domain.crossing_rules.decide_crossing` (every rule of a new row, which
corrections apply too), and writes the row, its hits and its audit event. Every statement is
run by the storage modules (`midas.persistence.desk_rows`, `traveller_rows`, `crossing_rows`,
`hit_rows`), which hand back typed rows; a first-time traveller is written with their crossing.
Also:
- The MRZ is parsed on the server (`scanners.mrz.parse_mrz`); a client's own parse is not read.
- `client_id` makes a submission idempotent: the same body again returns the same crossing; a
  different body under a used client_id is a Conflict.
- The post comes from the actor (the officer's post, or the station's); a station names the
  officer, who must be an active officer posted there.
- A recorded crossing is never edited: a correction (`midas.domain.corrections`) is a new row
  whose `corrects_id` points at the row it corrects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.audit import audit_values, record_audit
from midas.domain.chip_checks import NO_TRUST, ChipVerifier, read_chip
from midas.domain.crossing_history import (
    companion_crossing,
    confirmed_sentence,
)
from midas.domain.crossing_rules import (
    CrossingCase,
    CrossingRow,
    Decided,
    age_at,
    check_occurred_at,
    decide_crossing,
    local_date,
)
from midas.domain.decisions import Assessment, Listed
from midas.domain.desks import attributed_desk, checked_station, read_desk
from midas.domain.errors import Conflict, InvalidInput
from midas.domain.flights import manifest_entry
from midas.domain.readings import DocumentReading, read_document
from midas.domain.screening import (
    Screener,
    ScreeningResult,
    screen_reading,
    store_hits,
)
from midas.domain.submissions import (
    Submission,
    SubmittedMeanwhile,
    client_id_taken,
    keyed,
)
from midas.domain.texts import N_
from midas.domain.travellers import (
    FirstTimeTraveller,
    Identity,
    Link,
    LinkedBy,
    link_reading,
    link_traveller,
)
from midas.persistence.base import utcnow
from midas.persistence.crossing_rows import (
    StoredCrossing,
    confirmed_hits,
    crossing_with_hits,
    insert_crossing,
    recorded_under,
    store_first_crossing,
)
from midas.persistence.database import begin_writing
from midas.persistence.desk_rows import Replay
from midas.persistence.models import Crossing, Decision, ScreeningHit
from midas.persistence.traveller_rows import TravellersFound, stored_rows
from watchlists.models import Hit


class Recorded:
    """A recorded crossing, and whether this call created it (False for a replayed retry).

    A crossing this call wrote is also there as `stored` (its columns and the rows it refers
    to, which the API answers from); its ORM object is built when `crossing` is first read.
    """

    __slots__ = ("_crossing", "created", "linked_by", "stored")

    def __init__(
        self,
        crossing: Crossing | None = None,
        *,
        created: bool,
        linked_by: str | None = None,
        stored: StoredCrossing | None = None,
    ) -> None:
        if (crossing is None) == (stored is None):
            raise ValueError("a recorded crossing is either read or stored")
        self._crossing = crossing
        self.created = created
        self.linked_by = linked_by
        self.stored = stored

    @property
    def crossing(self) -> Crossing:
        """The crossing as an ORM object (built from `stored` at the first read)."""
        if self._crossing is None:
            assert self.stored is not None
            self._crossing = self.stored.as_orm()
        return self._crossing


def record_crossing(
    session: Session,
    actor: Actor,
    submission: Submission,
    screener: Screener,
    *,
    now: datetime | None = None,
    expiry_horizon_days: int = 90,
    chip: ChipVerifier = NO_TRUST,
) -> Recorded:
    """Record a crossing with its screening hits, or return the one this client_id recorded.

    `chip` verifies the chip files a submission carries (an empty trust store by default).
    """
    client_id, fingerprint = keyed(submission)
    begin_writing(session)
    # Read: the desk (with a retry's crossing, and the reading's traveller where it can).
    clock = now or utcnow()
    parsed = _Parsed.of(submission, clock, expiry_horizon_days)
    read = read_desk(session, actor, submission.officer, client_id, parsed.identity)
    actor = checked_station(session, actor, read)
    if read is None:
        replayed = replayed_submission(session, actor, client_id, fingerprint)
    elif read.replay is not None:
        replayed = _replayed(session, actor, client_id, fingerprint, read.replay)
    else:
        replayed = None
    if replayed is not None:
        return replayed
    desk = attributed_desk(actor, submission.officer, read)
    acting, post, officer = desk.acting, desk.post, desk.officer
    if acting.user_id is None or officer is None:
        raise InvalidInput(N_("name the officer who decided"), field="officer")
    moment = parsed.moment()
    today = local_date(moment, post.timezone)
    reading = read_chip(
        session,
        parsed.reading(today),
        submission.chip,
        chip,
        today=today,
        expiry_horizon_days=expiry_horizon_days,
    )
    active = None if read is None else read.active_lists
    screening = screen_reading(screener, reading, active=active)
    companion = companion_crossing(session, submission.accompanying_crossing_id)
    case = CrossingCase(
        submission=submission,
        client_id=client_id,
        fingerprint=fingerprint,
        acting=acting,
        post_id=post.id,
        station_id=desk.station_id,
        moment=moment,
        recorded_at=clock,
        reading=reading.data,
        document_valid=reading.valid,
        document_expired=reading.expired,
        facts=replace(
            reading.facts(uncertain=submission.reading_uncertain),
            referred_before_arrival=_referred_before_arrival(
                session, post.id, post.timezone, reading, moment
            ),
        ),
        sex=reading.identity.sex,
        age=age_at(reading.identity.birth_date, moment, post.timezone),
        nationality=reading.identity.nationality,
        traveller_id=None,
        document_id=None,
        holder_id=None,
        companion=companion,
        listed=[Listed.of(hit) for hit in screening.hits],
        policies=screening.policies,
        confirmed=(),
    )
    found = None if read is None else read.found
    try:
        link, crossing_id, values = _link_decide_write(
            session, case, reading.identity, found, screening
        )
    except IntegrityError as error:
        if client_id_taken(error):
            raise SubmittedMeanwhile(client_id) from error
        raise
    # The hits are shown as stored (they are all the crossing has), without reading them back.
    hits = _in_order(store_hits(session, crossing_id, screening.hits))
    stored = StoredCrossing(
        session, values | {"id": crossing_id}, post, officer, link.traveller, link.document, hits
    )
    return Recorded(created=True, linked_by=link.linked_by.value, stored=stored)


def _referred_before_arrival(
    session: Session, post_id: int, timezone: str, reading: DocumentReading, moment: datetime
) -> bool:
    """Tell whether a supervisor referred this traveller before their flight landed."""
    entry = manifest_entry(session, post_id, timezone, reading, moment)
    return entry is not None and entry.referred


def _link_decide_write(
    session: Session,
    case: CrossingCase,
    identity: Identity,
    found: TravellersFound | None,
    screening: ScreeningResult,
) -> tuple[Link, int, dict[str, Any]]:
    """Link the reading to its traveller (`found`: the lookup, if read with the desk), decide,
    and write the crossing with its audit event; return the link, the crossing's id and its
    columns."""
    link = link_reading(session, identity, found)
    if isinstance(link, FirstTimeTraveller):
        # A first-time traveller has no confirmed hit, and no crossing to be their companion;
        # they are stored with their crossing.
        decided = decide_crossing(case)
        values = _stored(decided.row)
        detail = audit_detail(decided.row, LinkedBy.NEW.value, screening, (), decided.assessment)
        event = audit_values(case.acting, "crossing.record", "crossing", detail=detail)
        first = store_first_crossing(
            session.connection(), link.traveller, link.document, values, event
        )
        if first is not None:
            values.update(traveller_id=first.traveller_id, document_id=first.document_id)
            traveller, document = stored_rows(
                link.traveller, link.document, first.traveller_id, first.document_id
            )
            return Link(traveller, document, LinkedBy.NEW), first.crossing_id, values
        link = link_traveller(session, identity)  # its document was stored meanwhile
    confirmed = confirmed_hits(
        session,
        traveller_id=link.traveller.id,
        document_id=link.document.id,
        entries={(hit.list_name, hit.entry_id) for hit in screening.hits},
    )
    decided = decide_crossing(
        _linked(case, link.traveller.id, link.document.id, link.holder_id, confirmed)
    )
    values = _stored(decided.row)
    detail = audit_detail(
        decided.row, link.linked_by.value, screening, confirmed, decided.assessment
    )
    event = audit_values(case.acting, "crossing.record", "crossing", detail=detail)
    crossing_id = insert_crossing(session.connection(), values, event)
    return link, crossing_id, values


def _linked(
    case: CrossingCase,
    traveller_id: int,
    document_id: int,
    holder_id: int | None,
    confirmed: Sequence[ScreeningHit],
) -> CrossingCase:
    """The case once its reading is linked to a stored traveller and document."""
    return replace(
        case,
        traveller_id=traveller_id,
        document_id=document_id,
        holder_id=holder_id,
        confirmed=[confirmed_sentence(hit) for hit in confirmed],
    )


def write_decided(
    session: Session,
    acting: Actor,
    decided: Decided,
    hits: Sequence[Hit],
    action: str,
    detail: dict[str, Any],
    *,
    linked_by: str,
) -> Recorded:
    """Write a decided row, its hits and its audit event (`action`); return it as read back.

    A client_id recorded meanwhile raises SubmittedMeanwhile (the caller's unit of work runs
    again); any other IntegrityError is the caller's to name.
    """
    event = audit_values(acting, action, "crossing", detail=detail)
    try:
        new_id = insert_crossing(session.connection(), _stored(decided.row), event)
    except IntegrityError as error:
        if client_id_taken(error):
            raise SubmittedMeanwhile(decided.row.client_id) from error
        raise
    store_hits(session, new_id, hits)
    return Recorded(crossing_with_hits(session, new_id), created=True, linked_by=linked_by)


def _stored(row: CrossingRow) -> dict[str, Any]:
    """The columns a new crossing is inserted with: its row, not anonymised."""
    return row.values() | {"anonymised_at": None}


def _in_order(stored: Sequence[ScreeningHit]) -> list[ScreeningHit]:
    """A new crossing's hits as stored, in the order a crossing lists them."""
    return sorted(stored, key=lambda hit: hit.id)


def replayed_submission(
    session: Session, actor: Actor, client_id: str, fingerprint: str
) -> Recorded | None:
    """Return the crossing this client_id recorded, if this is a retry of the same submission;
    None if the client_id recorded nothing."""
    found = recorded_under(session.connection(), client_id)
    if found is None:
        return None
    return _replayed(session, actor, client_id, fingerprint, found)


def _replayed(
    session: Session, actor: Actor, client_id: str, fingerprint: str, replay: Replay
) -> Recorded:
    """Return the crossing a client_id recorded, if this is a retry of the same submission."""
    if replay.submission_sha256 != fingerprint:
        raise Conflict(
            N_(
                "the submission id %(client_id)s was used for a different submission (crossing "
                "%(crossing_id)s)"
            ),
            params={"client_id": client_id, "crossing_id": replay.crossing_id},
            field="client_id",
        )
    if replay.post_id is None or not actor.may_see_post(replay.post_id):
        raise Conflict(
            N_("the submission id %(client_id)s is already used"),
            params={"client_id": client_id},
            field="client_id",
        )
    existing = crossing_with_hits(session, replay.crossing_id)
    record_audit(session, actor, "crossing.replay", "crossing", existing.id)
    return Recorded(existing, created=False)


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A submission's time and document, parsed before its desk is read (the traveller's lookup
    comes with the desk), their errors kept until the desk has said whether this actor may
    record at all.

    The reading's dates are judged on the crossing's UTC date; `reading` reads the document
    again in the rare case the post's date differs.
    """

    submission: Submission
    expiry_horizon_days: int
    at: datetime | None
    time_error: InvalidInput | None
    read_on: date | None
    document: DocumentReading | None
    document_error: InvalidInput | None

    @classmethod
    def of(cls, submission: Submission, now: datetime, expiry_horizon_days: int) -> _Parsed:
        at: datetime | None = None
        time_error = document_error = None
        read_on = document = None
        try:
            at = check_occurred_at(submission.occurred_at, now)
        except InvalidInput as error:
            time_error = error
        if at is not None:
            read_on = at.date()
            try:
                document = read_document(
                    submission.mrz,
                    submission.document,
                    today=read_on,
                    expiry_horizon_days=expiry_horizon_days,
                )
            except InvalidInput as error:
                document_error = error
        return cls(
            submission, expiry_horizon_days, at, time_error, read_on, document, document_error
        )

    @property
    def identity(self) -> Identity | None:
        return None if self.document is None else self.document.identity

    def moment(self) -> datetime:
        """The crossing's time in UTC; raise what was wrong with it."""
        if self.time_error is not None:
            raise self.time_error
        assert self.at is not None
        return self.at

    def reading(self, today: date) -> DocumentReading:
        """The reading as of the post's date; raise what was wrong with the document."""
        if self.document_error is not None:
            raise self.document_error
        assert self.document is not None
        if today == self.read_on:
            return self.document
        return read_document(
            self.submission.mrz,
            self.submission.document,
            today=today,
            expiry_horizon_days=self.expiry_horizon_days,
        )


def audit_detail(
    crossing: CrossingRow,
    linked_by: str,
    screening: ScreeningResult,
    confirmed: Sequence[ScreeningHit],
    assessment: Assessment,
) -> dict[str, Any]:
    """Return the audit detail of a new crossing row."""
    detail: dict[str, Any] = {
        "post_id": crossing.post_id,
        "traveller_id": crossing.traveller_id,
        "decision": crossing.decision.value,
        "linked_by": linked_by,
        "hits": len(screening.hits),
        "lists": screening.versions,
    }
    if assessment.concerns:
        detail["concerns"] = assessment.codes()
    if (
        crossing.override_reason
        and crossing.decision is Decision.ADMITTED
        and (confirmed or assessment.needs)
    ):
        detail["override"] = {
            "reason": crossing.override_reason,
            "confirmed_hits": [hit.id for hit in confirmed],
            "concerns": assessment.codes(),
        }
    if crossing.document_holder_id is not None:
        detail["document_holder_id"] = crossing.document_holder_id
    if crossing.corrects_id is not None:
        detail["corrects_id"] = crossing.corrects_id
    return detail
