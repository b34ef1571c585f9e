"""Screen a reading at a crossing against every active list version, and store the hits.

The person is screened by names, birth date, nationality and sex; the document by number,
issuing state and type. Each stored hit names the list version it came from, so a review
weighs the hit against the list as it stood when the traveller crossed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from midas.domain.errors import ScreeningUnavailable
from midas.domain.hit_reasons import CHIP_DETAIL, printed_detail
from midas.domain.readings import DocumentReading
from midas.domain.screening_indexes import (
    IndexCache,
    ScreeningIndexes,
    app_index_cache,
    screening_config,
)
from midas.domain.travellers import Identity
from midas.persistence.active_lists import ActiveList
from midas.persistence.base import utcnow
from midas.persistence.database import Host, database
from midas.persistence.hit_rows import NewHit, insert_hits, list_version_ids
from midas.persistence.models import AlertPolicy, HitStatus, ScreeningHit
from watchlists.config import ScreeningConfig
from watchlists.models import Hit, Reason
from watchlists.normalize import normalize_document_number
from watchlists.screening import PersonQuery


@dataclass(frozen=True, slots=True)
class Screener:
    """What screening needs: the indexes of the lists active now, and the scoring config."""

    indexes: Callable[[], ScreeningIndexes]
    config: ScreeningConfig = field(default_factory=ScreeningConfig)
    # The indexes of given active versions, when the caller has read them (ACTIVE_LISTS_COLUMN).
    indexes_of: Callable[[Sequence[ActiveList]], ScreeningIndexes] | None = None

    def indexes_for(self, active: Sequence[ActiveList] | None) -> ScreeningIndexes:
        """Return the indexes of `active` if given and this screener can build them, else now's."""
        if active is not None and self.indexes_of is not None:
            return self.indexes_of(active)
        return self.indexes()

    def resolved(self) -> Screener:
        """This screener with the indexes of now looked up already, before the caller opens a
        transaction (looking them up reads the database on a connection of its own, which
        SQLite would make wait for the caller's). When screening is unavailable, that is said
        when screening is asked for: a correction that keeps its reading needs none."""
        try:
            indexes = self.indexes()
        except ScreeningUnavailable as error:
            unavailable = error

            def refuse() -> ScreeningIndexes:
                raise unavailable

            return Screener(indexes=refuse, config=self.config)
        return Screener(indexes=lambda: indexes, config=self.config)


def cached_screener(
    cache: IndexCache, sessions: sessionmaker[Session], config: ScreeningConfig
) -> Screener:
    """Return a Screener that reads the per-process index cache (it never builds in a request)."""
    return Screener(
        indexes=lambda: cache.indexes(sessions),
        config=config,
        indexes_of=lambda active: cache.indexes(sessions, active),
    )


# Where an app keeps its Screener: the one every face (API, pages, CLI) screens with.
SCREENER_KEY = "midas.screener"


def app_screener(app: Host) -> Screener:
    """Return the app's Screener: its per-process index cache and its scoring config."""
    found: Screener | None = app.extensions.get(SCREENER_KEY)
    if found is None:
        config = screening_config(app.config)
        made = cached_screener(app_index_cache(app), database(app).sessions, config)
        found = app.extensions.setdefault(SCREENER_KEY, made)
    return found


def built_screener(app: Host) -> Screener:
    """Return the app's Screener once this thread has built every index it lacks (the CLI and
    tests, which may wait; a request never does)."""
    app_index_cache(app).build_now(database(app).sessions)
    return app_screener(app)


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """The hits of one reading, best first, and the list versions it was screened against."""

    hits: list[Hit]
    versions: dict[str, int]
    # Each list's alert policy when screened (midas.domain.decisions).
    policies: Mapping[str, AlertPolicy] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Document:
    """A document to look up in the lost and stolen lists: its number, issuing state and type."""

    number: str
    issuing_state: str | None = None
    document_type: str | None = None

    @classmethod
    def of(cls, number: str | None, state: str | None, kind: str | None) -> Document | None:
        """The document of these fields; None without a number (nothing to look up)."""
        return cls(number, state or None, kind) if number else None


def screen_queries(
    indexes: ScreeningIndexes,
    config: ScreeningConfig,
    person: PersonQuery | None,
    document: Document | None,
) -> list[Hit]:
    """Screen a person and a document against every list of the indexes; hits best first.
    The one screening every face does (recording, previews, `midas screen`)."""
    hits: list[Hit] = []
    if person is not None:
        hits += indexes.screen_person(person, config)
    if document is not None:
        hits += indexes.screen_document(
            document.number, document.issuing_state, document.document_type
        )
    return sorted(hits, key=lambda hit: (-hit.score, hit.list_name, hit.entry_id))


def screen_reading(
    screener: Screener, reading: DocumentReading, *, active: Sequence[ActiveList] | None = None
) -> ScreeningResult:
    """Screen a document as read: its holder's names (cut by the MRZ or not) and its number,
    as printed too when the reader repaired it, and as the chip's DG1 says when Passive
    Authentication verified a DG1 that differs from the page."""
    result = screen_identity(
        screener,
        reading.identity,
        names_truncated=reading.names_truncated,
        active=active,
        printed_number=reading.printed_number,
    )
    chip = reading.chip_identity
    if chip is None or chip == reading.identity:
        return result
    found = {(hit.list_name, hit.entry_id) for hit in result.hits}
    said = Reason("chip", 1.0, CHIP_DETAIL)
    extra = [
        replace(hit, reasons=(*hit.reasons, said))
        for hit in screen_identity(
            screener, chip, names_truncated=reading.names_truncated, active=active
        ).hits
        if (hit.list_name, hit.entry_id) not in found
    ]
    hits = sorted([*result.hits, *extra], key=lambda hit: (-hit.score, hit.list_name, hit.entry_id))
    return ScreeningResult(hits, result.versions, result.policies)


def screen_identity(
    screener: Screener,
    identity: Identity,
    *,
    names_truncated: bool | None = None,
    active: Sequence[ActiveList] | None = None,
    printed_number: str | None = None,
) -> ScreeningResult:
    """Screen a person and their document against every active list.

    `active`: the active list versions as the caller's transaction read them, if it did.
    `printed_number`: the document number as printed, when the reader repaired it: lost and
    stolen lists are asked for both, so a wrong repair never hides a listed number.
    """
    indexes = screener.indexes_for(active)
    person = None
    if identity.surname or identity.given_names:
        person = PersonQuery(
            surname=identity.surname,
            given_names=identity.given_names,
            birth_date=identity.birth_date,
            nationality=identity.nationality,
            sex=identity.sex,
            truncated=names_truncated,
        )
    document = Document.of(identity.document_number, identity.issuing_state, identity.document_type)
    hits = screen_queries(indexes, screener.config, person, document)
    printed = normalize_document_number(printed_number or "")
    if printed and printed != identity.document_number:
        found = {(hit.list_name, hit.entry_id) for hit in hits}
        said = Reason(
            "document number",
            1.0,
            printed_detail(printed, identity.document_number),
        )
        hits += [
            replace(hit, reasons=(*hit.reasons, said))
            for hit in indexes.screen_document(
                printed, identity.issuing_state or None, identity.document_type
            )
            if (hit.list_name, hit.entry_id) not in found
        ]
    hits.sort(key=lambda hit: (-hit.score, hit.list_name, hit.entry_id))
    return ScreeningResult(hits, indexes.versions(), indexes.policies)


def hit_json(hit: Hit) -> dict[str, Any]:
    """Return a hit as the API shows one not yet stored."""
    return {
        "list": hit.list_name,
        "list_version": hit.list_version,
        "list_kind": hit.kind.value,
        "entry_id": hit.entry_id,
        "matched_name": hit.matched_name,
        "score": round(hit.score, 4),
        "threshold": hit.threshold,
        "category": hit.category,
        "action": hit.action,
        "possible": hit.possible,
        "reasons": reasons_json(hit),
    }


def reasons_json(hit: Hit) -> list[dict[str, Any]]:
    """Return a hit's reasons as JSON: feature, score and human detail each."""
    return [
        {"feature": r.feature, "score": round(r.score, 4), "detail": r.detail} for r in hit.reasons
    ]


def store_hits(session: Session, crossing_id: int, hits: Sequence[Hit]) -> list[ScreeningHit]:
    """Add a pending ScreeningHit per hit, each with the id of the list version it came from."""
    if not hits:
        return []
    wanted = {(hit.list_name, hit.list_version) for hit in hits if hit.list_version is not None}
    ids = list_version_ids(session, wanted)
    stored: list[NewHit] = []
    for hit in hits:
        key = (hit.list_name, hit.list_version or 0)
        if key not in ids:
            raise LookupError(f"hit from {hit.list_name} version {hit.list_version}: not stored")
        stored.append(
            NewHit(
                list_name=hit.list_name,
                list_version_id=ids[key],
                list_kind=hit.kind.value,
                entry_id=hit.entry_id[:200],
                matched_name=hit.matched_name[:400],
                score=hit.score,
                threshold=hit.threshold,
                reasons=reasons_json(hit),
                category=hit.category,
                action=hit.action,
                status=HitStatus.PENDING,
            )
        )
    return insert_hits(session, crossing_id, stored, utcnow())
