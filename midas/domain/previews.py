"""What a desk sees before the decision: a reading screened, with the traveller's crossings and
the concerns that decide what admitting needs; nothing recorded but the audit event."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.audit import record_audit
from midas.domain.crossing_history import (
    RecentCrossing,
    confirmed_sentence,
    entry_without_exit,
    previous_crossings,
    recent_crossings,
)
from midas.domain.crossing_rules import MINOR_AGE, age_at
from midas.domain.decisions import Assessment, Concern, Listed, assess
from midas.domain.desks import resolve_post
from midas.domain.flights import OnManifest, manifest_entry
from midas.domain.mrz_problems import field_labels
from midas.domain.pseudonyms import Pseudonyms
from midas.domain.readings import DocumentReading
from midas.domain.screening import Screener, ScreeningResult, screen_reading
from midas.domain.texts import N_, Text
from midas.domain.travellers import Identity, find_traveller
from midas.persistence.base import utcnow
from midas.persistence.crossing_rows import confirmed_hits
from midas.persistence.database import begin_writing
from midas.persistence.models import Crossing, Direction, ScreeningHit


@dataclass(frozen=True, slots=True)
class Preview:
    """What a station shows before the decision: the reading, the hits, previous crossings,
    crossings at any post, and the concerns that decide what admitting needs."""

    reading: DocumentReading
    screening: ScreeningResult
    traveller_id: int | None
    previous: list[Crossing]
    minor: bool
    age: int | None
    confirmed: list[ScreeningHit]
    recent: list[RecentCrossing]
    assessment: Assessment
    # The traveller the document is on record with, when the reading names another person.
    holder_id: int | None = None
    # The traveller's entry on the manifest of a flight arriving around now (advance passenger
    # information), with its pre-screening hits and where it differs from the document.
    manifest: OnManifest | None = None


def preview_reading(
    session: Session,
    actor: Actor,
    reading: DocumentReading,
    screener: Screener,
    *,
    pseudonyms: Pseudonyms,
    now: datetime | None = None,
    direction: Direction | None = None,
    uncertain: bool = False,
) -> Preview:
    """Screen a reading and find previous crossings, recording nothing but the audit event
    (which names the document by the pseudonym of its number)."""
    begin_writing(session)  # the audit event
    post, _ = resolve_post(session, actor)
    moment = now or utcnow()
    screening = screen_reading(screener, reading)
    found = find_traveller(session, reading.identity)
    traveller_id = found.traveller.id if found.traveller is not None else None
    document_id = found.document.id if found.document is not None else None
    previous = previous_crossings(
        session, actor, traveller_id=traveller_id, document_id=document_id
    )
    recent = recent_crossings(session, traveller_id=traveller_id, document_id=document_id)
    age = age_at(reading.identity.birth_date, moment, post.timezone)
    confirmed = confirmed_hits(
        session,
        traveller_id=traveller_id,
        document_id=document_id,
        entries={(hit.list_name, hit.entry_id) for hit in screening.hits},
    )
    manifest = manifest_entry(session, post.id, post.timezone, reading, moment)
    facts = replace(
        reading.facts(uncertain=uncertain),
        referred_before_arrival=manifest is not None and manifest.referred,
    )
    assessment = assess(
        facts,
        [Listed.of(hit) for hit in screening.hits],
        screening.policies,
        confirmed=[confirmed_sentence(hit) for hit in confirmed],
        other_identity=found.holder_id is not None,
        entry_without_exit=direction is Direction.ENTRY and entry_without_exit(recent),
    )
    if manifest is not None:
        assessment = Assessment((*assessment.concerns, *manifest_concerns(manifest)))
    record_audit(
        session,
        actor,
        "reading.screen",
        "traveller",
        traveller_id,
        detail={
            "post_id": post.id,
            **_document_detail(reading.identity, pseudonyms),
            "hits": len(screening.hits),
            "previous": [c.id for c in previous],
            # Crossings at other posts are read too: counted, as the desk shows them.
            "recent_any_post": len(recent),
            "concerns": assessment.codes(),
        },
    )
    return Preview(
        reading,
        screening,
        traveller_id,
        previous,
        age is not None and age < MINOR_AGE,
        age,
        confirmed,
        recent,
        assessment,
        found.holder_id,
        manifest,
    )


def manifest_concerns(manifest: OnManifest) -> list[Concern]:
    """Return what the carrier's data says against the document (shown; a referral before
    arrival is a decision rule, in `decisions.reading_concerns`)."""
    found = []
    if manifest.differences:
        found.append(
            Concern(
                "manifest_differs",
                Text(
                    N_(
                        "The carrier's data for flight %(flight)s differs from the document in "
                        "%(fields)s."
                    ),
                    {"flight": manifest.flight, "fields": field_labels(manifest.differences)},
                ),
            )
        )
    return found


def _document_detail(identity: Identity, pseudonyms: Pseudonyms) -> dict[str, str | None]:
    number = identity.document_number
    return {
        "document_type": identity.document_type,
        "issuing_state": identity.issuing_state,
        "document_number": None if number is None else pseudonyms.document_number(number),
    }
