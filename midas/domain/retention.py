"""Retention: anonymise the personal data of crossings once their retention period has run out.

The periods follow the EU Entry/Exit System (Regulation (EU) 2017/2226, Art. 34): an entry and
its exit are kept `years` (3) after the exit; a refused or referred attempt `years` after it
happened; every record of a traveller who overstayed `overstay_years` (5); an entry with no exit
`overstay_years` after the last day of the stay it allowed. What is anonymised keeps the
columns statistics need (time, post, direction, decision, refusal reason, and the traveller's
sex, age and nationality as copied at the crossing).

A crossing whose period has run out loses its reading, notes and free text, and its hits lose
the matched names and reasons. If its traveller has crossings still within their period, the
crossing is moved to an empty anonymous traveller and document, so nothing links it to the
person any more; otherwise the traveller and their documents are anonymised in place. Rows of
the append-only audit log are never touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from midas.domain.overstay import (
    Movement,
    StayLimit,
    is_overstayer,
    limit_for,
    local_day,
    stay_limits,
)
from midas.persistence.base import utcnow
from midas.persistence.models import (
    Crossing,
    Decision,
    Direction,
    Post,
    ScreeningHit,
    TravelDocument,
    Traveller,
)
from midas.persistence.models.travellers import TravellerNameKey


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long crossings keep their personal data, and how many travellers a batch handles."""

    years: int
    overstay_years: int
    batch_size: int
    default_limit: StayLimit


def retention_policy(settings: Mapping[str, Any]) -> RetentionPolicy:
    """Return the retention policy the app's settings ask for."""
    return RetentionPolicy(
        years=int(settings["RETENTION_YEARS"]),
        overstay_years=int(settings["RETENTION_OVERSTAY_YEARS"]),
        batch_size=int(settings["RETENTION_BATCH_SIZE"]),
        default_limit=StayLimit(
            int(settings["STAY_ALLOWED_DAYS"]), int(settings["STAY_WINDOW_DAYS"])
        ),
    )


@dataclass(slots=True)
class RetentionCounts:
    """What a retention run did (or, dry, would do)."""

    travellers_examined: int = 0
    crossings_anonymised: int = 0
    hits_anonymised: int = 0
    crossings_detached: int = 0  # moved to an anonymous traveller: the person has newer records
    travellers_anonymised: int = 0
    documents_anonymised: int = 0
    overstayers_kept: int = 0  # travellers whose older records are kept longer as overstayers

    def add(self, other: RetentionCounts) -> None:
        """Add another batch's counts to these."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        """Return the counts by name."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class RetentionBatch:
    """One batch's counts and the last traveller id it examined (None: nothing was left)."""

    counts: RetentionCounts
    last_traveller_id: int | None
    crossing_ids: tuple[int, ...] = field(default=())


def years_before(day: date, years: int) -> date:
    """Return the same calendar day `years` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True, slots=True)
class _Row:
    id: int
    direction: Direction
    decision: Decision
    at: datetime
    post_id: int
    document_id: int
    anonymised: bool
    corrected: bool


def due_crossings(
    rows: Sequence[_Row],
    zones: Mapping[int, str],
    limit: StayLimit,
    policy: RetentionPolicy,
    today: date,
) -> tuple[list[int], bool]:
    """Return the ids of a traveller's crossings whose period has run out, and if they overstayed.

    `rows` are every crossing of one traveller in time order.
    """
    day_of = {row.id: local_day(row.at, zones[row.post_id]) for row in rows}
    admitted = [r for r in rows if r.decision is Decision.ADMITTED and not r.corrected]
    movements = [Movement(r.direction, r.at, day_of[r.id]) for r in admitted]
    overstayer = is_overstayer(movements, limit, today)
    kept_until = years_before(today, policy.overstay_years if overstayer else policy.years)
    no_exit_until = years_before(today, policy.overstay_years)
    # Each admitted entry ends at the exit that follows it, if the next movement is an exit.
    ended_by: dict[int, date | None] = {}
    for position, row in enumerate(admitted):
        if row.direction is Direction.ENTRY:
            following = admitted[position + 1] if position + 1 < len(admitted) else None
            is_exit = following is not None and following.direction is Direction.EXIT
            ended_by[row.id] = day_of[following.id] if following and is_exit else None
    due: list[int] = []
    for row in rows:
        if row.anonymised:
            continue
        if row.id in ended_by:
            exit_day = ended_by[row.id]
            if exit_day is None:
                last_allowed = day_of[row.id] + timedelta(days=limit.allowed_days - 1)
                expired = last_allowed < no_exit_until
            else:
                expired = exit_day < kept_until
        else:
            expired = day_of[row.id] < kept_until
        if expired:
            due.append(row.id)
    return due, overstayer


def _batch_travellers(session: Session, cutoff: datetime, after: int, size: int) -> list[int]:
    query = (
        select(Crossing.traveller_id)
        .where(
            Crossing.anonymised_at.is_(None),
            Crossing.occurred_at < cutoff,
            Crossing.traveller_id > after,
        )
        .group_by(Crossing.traveller_id)
        .order_by(Crossing.traveller_id)
        .limit(size)
    )
    return list(session.scalars(query))


def _rows(session: Session, traveller_ids: Sequence[int]) -> dict[int, list[_Row]]:
    corrected = set(
        session.scalars(
            select(Crossing.corrects_id).where(
                Crossing.traveller_id.in_(traveller_ids), Crossing.corrects_id.is_not(None)
            )
        )
    )
    rows: dict[int, list[_Row]] = defaultdict(list)
    query = (
        select(
            Crossing.traveller_id,
            Crossing.id,
            Crossing.direction,
            Crossing.decision,
            Crossing.occurred_at,
            Crossing.post_id,
            Crossing.document_id,
            Crossing.anonymised_at,
        )
        .where(Crossing.traveller_id.in_(traveller_ids))
        .order_by(Crossing.traveller_id, Crossing.occurred_at, Crossing.id)
    )
    for traveller_id, cid, direction, decision, at, post_id, doc_id, anon in session.execute(query):
        rows[traveller_id].append(
            _Row(cid, direction, decision, at, post_id, doc_id, anon is not None, cid in corrected)
        )
    return rows


def retention_batch(
    session: Session,
    policy: RetentionPolicy,
    *,
    today: date,
    after: int = 0,
    dry_run: bool = False,
) -> RetentionBatch:
    """Anonymise what is due for the next `batch_size` travellers with ids above `after`.

    Run it in a transaction of the caller's, and again with `after=last_traveller_id` until
    `last_traveller_id` is None. With `dry_run` nothing is written and the counts say what would be.
    """
    cutoff = datetime.combine(years_before(today, policy.years) + timedelta(days=1), time(), UTC)
    traveller_ids = _batch_travellers(session, cutoff, after, policy.batch_size)
    counts = RetentionCounts()
    if not traveller_ids:
        return RetentionBatch(counts, None)
    zones: dict[int, str] = {
        pid: zone for pid, zone in session.execute(select(Post.id, Post.timezone))
    }
    rules = stay_limits(session)
    travellers = {
        t.id: t for t in session.scalars(select(Traveller).where(Traveller.id.in_(traveller_ids)))
    }
    by_traveller = _rows(session, traveller_ids)
    now = utcnow()
    all_due: list[int] = []
    for traveller_id in traveller_ids:
        traveller = travellers[traveller_id]
        rows = by_traveller[traveller_id]
        counts.travellers_examined += 1
        limit = limit_for(traveller.nationality, rules, policy.default_limit)
        due, overstayer = due_crossings(rows, zones, limit, policy, today)
        due_set = set(due)
        if overstayer and any(
            not r.anonymised and r.id not in due_set and r.at < cutoff for r in rows
        ):
            counts.overstayers_kept += 1
        if not due:
            continue
        all_due += due
        counts.crossings_anonymised += len(due)
        live = [r for r in rows if not r.anonymised and r.id not in due_set]
        if not live:
            counts.travellers_anonymised += 1
            counts.documents_anonymised += sum(d.anonymised_at is None for d in traveller.documents)
            if not dry_run:
                _anonymise_traveller(session, traveller, now)
            continue
        counts.crossings_detached += len(due)
        live_documents = {r.document_id for r in live}
        stale = [
            d for d in traveller.documents if d.id not in live_documents and d.anonymised_at is None
        ]
        counts.documents_anonymised += len(stale)
        if not dry_run:
            _detach(session, [r for r in rows if r.id in due_set], now)
            for document in stale:
                _anonymise_document(document, now)
    if all_due:
        counts.hits_anonymised = _count_hits(session, all_due)
        if not dry_run:
            _anonymise_crossings(session, all_due, now)
    return RetentionBatch(counts, traveller_ids[-1], tuple(all_due))


def _count_hits(session: Session, crossing_ids: Sequence[int]) -> int:
    return len(
        session.scalars(
            select(ScreeningHit.id).where(ScreeningHit.crossing_id.in_(crossing_ids))
        ).all()
    )


def _anonymise_crossings(session: Session, crossing_ids: Sequence[int], now: datetime) -> None:
    session.execute(
        update(Crossing)
        .where(Crossing.id.in_(crossing_ids))
        .values(
            reading=None,
            notes=None,
            transport_ref=None,
            override_reason=None,
            correction_reason=None,
            late_entry_reason=None,
            submission_sha256=None,
            accompanying_crossing_id=None,
            anonymised_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(ScreeningHit)
        .where(ScreeningHit.crossing_id.in_(crossing_ids))
        .values(matched_name="", entry_id="", reasons=[], review_reason=None, override_reason=None)
        .execution_options(synchronize_session=False)
    )


def _anonymise_document(document: TravelDocument, now: datetime) -> None:
    document.number = None
    document.expiry_date = None
    document.anonymised_at = now


def _anonymise_traveller(session: Session, traveller: Traveller, now: datetime) -> None:
    traveller.surname = None
    traveller.given_names = None
    traveller.name_key = None
    traveller.birth_date = None
    traveller.anonymised_at = now
    session.execute(delete(TravellerNameKey).where(TravellerNameKey.traveller_id == traveller.id))
    for document in traveller.documents:
        if document.anonymised_at is None:
            _anonymise_document(document, now)


def _detach(session: Session, rows: Sequence[_Row], now: datetime) -> None:
    """Move crossings to new empty travellers, so they no longer point at the person."""
    documents = {
        d.id: d
        for d in session.scalars(
            select(TravelDocument).where(TravelDocument.id.in_({r.document_id for r in rows}))
        )
    }
    for row in rows:
        original = documents[row.document_id]
        shadow = Traveller(anonymised_at=now)
        shadow_document = TravelDocument(
            traveller=shadow,
            document_type=original.document_type,
            issuing_state=original.issuing_state,
            number=None,
            anonymised_at=now,
        )
        session.add_all([shadow, shadow_document])
        session.flush()
        session.execute(
            update(Crossing)
            .where(Crossing.id == row.id)
            .values(traveller_id=shadow.id, document_id=shadow_document.id)
            .execution_options(synchronize_session=False)
        )
