"""Advance passenger information: a flight's manifest (UN/EDIFACT PAXLST) screened before arrival.

Composes the `paxlst` reader with the screening every face uses (`screen_queries`): each
passenger and crew member is screened as a person (names, birth date, nationality, sex) and by
their travel document, against every active list with its policies. A traveller record the
carrier sent with a bad field is screened with what it has, and its problems travel with it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from midas.domain.errors import InvalidInput
from midas.domain.screening import Document, hit_json, screen_queries
from midas.domain.screening_indexes import ScreeningIndexes
from midas.domain.texts import Text
from paxlst.errors import EdifactError, MessageError, PaxlstError
from paxlst.manifest import read_manifests
from paxlst.models import Flight, Manifest, RecordProblem, Traveller
from watchlists.config import ScreeningConfig
from watchlists.models import Hit
from watchlists.screening import PersonQuery

# Problems of the message rather than of one traveller's record (paxlst.manifest).
MESSAGE_FIELDS = frozenset({"parts", "flight", "count"})


@dataclass(frozen=True, slots=True)
class ScreenedTraveller:
    """One traveller of a manifest, its flight, the problems of its record, and its hits."""

    flight: Flight
    traveller: Traveller
    problems: tuple[RecordProblem, ...]
    hits: list[Hit]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON line `midas paxlst screen` prints."""
        person, flight = self.traveller, self.flight
        return {
            "flight": flight.designator,
            "departure": _moment(flight.departure_time),
            "arrival": _moment(flight.arrival_time),
            "arrival_airport": flight.arrival_airport,
            "role": person.role,
            "surname": person.surname,
            "given_names": person.given_names,
            "birth_date": _moment(person.birth_date),
            "sex": person.sex,
            "nationality": person.nationality,
            "document_type": person.document_type,
            "document_number": person.document_number,
            "issuing_state": person.document_issuing_state,
            "document_expiry": _moment(person.document_expiry),
            "problems": [
                {"segment": p.segment_number, "field": p.field, "reason": p.reason}
                for p in self.problems
            ],
            "hits": [hit_json(hit) for hit in self.hits],
        }


def _moment(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


class ManifestRefused(InvalidInput):
    """A PAXLST message that cannot be read: the segment (1 = the first) and, for a syntax
    error, the character offset where reading stopped."""

    code = "message_refused"

    def __init__(self, message: Text, *, segment: int, position: int | None) -> None:
        super().__init__(message, field="paxlst")
        self.segment = segment
        self.position = position

    @property
    def where(self) -> dict[str, int]:
        """Return the segment (1 = the first) and, for a syntax error, the character offset."""
        found = {"segment": self.segment}
        if self.position is not None:
            found["position"] = self.position
        return found


def _as_read(source: str, error: PaxlstError) -> Text:
    """Return the reader's own words for a refused message, after the file's name."""
    return Text("%(source)s: %(error)s", {"source": source, "error": error}, translatable=False)


def read_manifest_file(data: bytes, source: str, today: date) -> list[Manifest]:
    """Read the manifests of one PAXLST interchange; raise ManifestRefused naming the segment."""
    try:
        return read_manifests(data, today)
    except EdifactError as error:
        raise ManifestRefused(
            _as_read(source, error), segment=error.segment_number, position=error.offset
        ) from None
    except MessageError as error:
        raise ManifestRefused(
            _as_read(source, error), segment=error.segment_number, position=None
        ) from None
    except PaxlstError as error:  # the root, should the reader grow another kind
        raise ManifestRefused(_as_read(source, error), segment=0, position=None) from None


def screen_manifest(
    manifest: Manifest, indexes: ScreeningIndexes, config: ScreeningConfig
) -> list[ScreenedTraveller]:
    """Screen every traveller of a manifest, in the manifest's order, each with the problems
    of its own record (those found from its NAD segment up to the next traveller's)."""
    starts = sorted(t.segment_number for t in manifest.travellers)
    problems: dict[int, list[RecordProblem]] = {}
    for problem in manifest.problems:
        at = bisect_right(starts, problem.segment_number) - 1
        if at >= 0 and problem.field not in MESSAGE_FIELDS:
            problems.setdefault(starts[at], []).append(problem)
    return [
        ScreenedTraveller(
            manifest.flight,
            traveller,
            tuple(problems.get(traveller.segment_number, ())),
            screen_traveller(traveller, indexes, config),
        )
        for traveller in manifest.travellers
    ]


def manifest_problems(manifest: Manifest) -> list[RecordProblem]:
    """Return the problems of the message itself (before any traveller: counts, the flight)."""
    first = min((t.segment_number for t in manifest.travellers), default=None)
    return [
        p
        for p in manifest.problems
        if p.field in MESSAGE_FIELDS or first is None or p.segment_number < first
    ]


def screen_traveller(
    traveller: Traveller, indexes: ScreeningIndexes, config: ScreeningConfig
) -> list[Hit]:
    """Screen one manifest traveller as a person and by each of their documents."""
    person = PersonQuery(
        surname=traveller.surname,
        given_names=traveller.given_names,
        birth_date=traveller.birth_date,
        nationality=traveller.nationality,
        sex=traveller.sex,
        truncated=False,
    )
    document = Document.of(
        traveller.document_number, traveller.document_issuing_state, traveller.document_type
    )
    hits = screen_queries(indexes, config, person, document)
    seen = {(hit.list_name, hit.entry_id) for hit in hits}
    for other in traveller.other_documents:
        for hit in screen_queries(
            indexes, config, None, Document.of(other.number, other.issuing_state, other.type)
        ):
            if (hit.list_name, hit.entry_id) not in seen:
                seen.add((hit.list_name, hit.entry_id))
                hits.append(hit)
    return hits
