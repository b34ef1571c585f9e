"""Travellers and their documents: linking a reading to a person, and a traveller's history.

Linking rule: a reading joins the traveller who holds the same document (number + issuing state
+ type) when their identities agree (`midas.domain.identities`: birth date and names). When the
document comes with another identity (an impostor, a stolen passport), the crossing is recorded
under the identity read: a traveller seen with this document before whose identity agrees, else
the one traveller with the very same identity, else a new traveller; the link names the holder
on record (`holder_id`), so the officer and the review pages are told. Without a stored
document, a reading joins a traveller with the very same identity (surname, given names, birth
date, nationality and sex, all known) and the new document is added to that traveller; if two
stored travellers share that identity, the reading starts a new traveller rather than guess. A
name alone never links two readings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.audit import record_audit
from midas.domain.desk_reads import check_station_traveller
from midas.domain.errors import NotFound
from midas.domain.identities import PersonFacts, identities_agree
from midas.domain.texts import N_
from midas.persistence.base import utcnow
from midas.persistence.database import begin_writing
from midas.persistence.models import Crossing, TravelDocument, Traveller
from midas.persistence.new_travellers import NewDocument, NewTraveller
from midas.persistence.traveller_rows import (
    DocumentKey,
    DocumentRow,
    HeldDocument,
    PersonKey,
    TravellerLookup,
    TravellerRow,
    TravellersFound,
    crossings_of,
    find_travellers,
    insert_document,
    merged_into,
    seen_with_document,
    set_document_expiry,
    store_traveller,
    store_traveller_alone,
    traveller_with_documents,
)
from watchlists.distance import phonetic_key
from watchlists.normalize import (
    fold,
    is_particle,
    name_key,
    normalize_document_number,
    normalize_name,
    normalize_state,
    tokenize,
)


def _state(code: str | None) -> str:
    """A state code as the one table knows it; an unknown code is kept as read (an MRZ with a
    misprinted or unknown code is reported invalid, and must not lose what it says)."""
    return (normalize_state(code) or (code or "").strip().upper())[:3]


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a reading describes and by which document, normalised as the MRZ writes it."""

    surname: str
    given_names: str
    birth_date: date | None
    nationality: str | None
    sex: str | None
    document_number: str | None
    issuing_state: str
    document_type: str
    expiry_date: date | None = None

    @classmethod
    def of(
        cls,
        *,
        surname: str | None,
        given_names: str | None,
        birth_date: date | None,
        nationality: str | None,
        sex: str | None,
        document_number: str | None,
        issuing_state: str | None,
        document_type: str | None,
        expiry_date: date | None = None,
    ) -> Identity:
        """Normalise raw values: ASCII upper-case names, alpha-3 states, bare numbers."""
        number = normalize_document_number(document_number or "")
        return cls(
            surname=normalize_name(surname or ""),
            given_names=normalize_name(given_names or ""),
            birth_date=birth_date,
            nationality=_state(nationality) or None,
            sex=sex if sex in ("M", "F", "X") else None,
            document_number=number[:40] or None,
            issuing_state=_state(issuing_state),
            document_type=(document_type or "").strip("<").upper()[:2],
            expiry_date=expiry_date,
        )

    @property
    def complete(self) -> bool:
        """True when every fact the identity rule compares is known."""
        return bool(self.surname and self.birth_date and self.nationality and self.sex is not None)


def facts_of(identity: Identity) -> PersonFacts:
    """Return the facts identity agreement compares, of a reading."""
    return PersonFacts(identity.surname, identity.given_names, identity.birth_date)


def traveller_facts(traveller: TravellerRow) -> PersonFacts:
    """Return the facts identity agreement compares, of a stored traveller."""
    return PersonFacts(traveller.surname or "", traveller.given_names or "", traveller.birth_date)


class LinkedBy(StrEnum):
    """How a reading found its traveller."""

    DOCUMENT = "document"
    IDENTITY = "identity"
    NEW = "new"


@dataclass(frozen=True, slots=True)
class Link:
    """The traveller and document a reading belongs to, and how they were found."""

    traveller: TravellerRow
    document: DocumentRow
    linked_by: LinkedBy
    # The traveller the document is on record with, when the reading names another person.
    holder_id: int | None = None


def lookup_of(identity: Identity) -> TravellerLookup:
    """What the linking rule looks a reading's traveller up by: the document it names, and its
    identity when every fact of it is known."""
    document = None
    if identity.document_number is not None:
        document = DocumentKey(
            identity.document_number, identity.issuing_state, identity.document_type
        )
    person = None
    if identity.complete:
        assert identity.birth_date is not None and identity.nationality is not None
        assert identity.sex is not None
        person = PersonKey(
            identity.surname,
            identity.given_names,
            identity.birth_date,
            identity.nationality,
            identity.sex,
        )
    return TravellerLookup(document, person)


@dataclass(frozen=True, slots=True)
class FirstTimeTraveller:
    """A reading of a traveller on record nowhere: the traveller and document to store, with
    the crossing that needs them."""

    traveller: NewTraveller
    document: NewDocument


def first_time_traveller(identity: Identity, now: datetime) -> FirstTimeTraveller:
    """Return the new traveller (and their name search keys) and document a reading describes."""
    full_name = _full_name(identity)
    traveller = NewTraveller(
        surname=identity.surname or None,
        given_names=identity.given_names or None,
        name_key=name_key(full_name)[:400] or None,
        sex=identity.sex,
        birth_date=identity.birth_date,
        birth_year=identity.birth_date.year if identity.birth_date else None,
        nationality=identity.nationality,
        keys=tuple(sorted(search_keys(full_name))),
    )
    document = NewDocument(
        document_type=identity.document_type,
        issuing_state=identity.issuing_state,
        number=identity.document_number,
        expiry_date=identity.expiry_date,
        created_at=now,
    )
    return FirstTimeTraveller(traveller, document)


def _full_name(identity: Identity) -> str:
    return f"{identity.surname} {identity.given_names}".strip()


def link_reading(
    session: Session, identity: Identity, found: TravellersFound | None = None
) -> Link | FirstTimeTraveller:
    """Link a reading to the traveller on record it belongs to (see the module's docstring),
    storing what the link needs: a known document's expiry, a known traveller's new document, a
    new traveller for a document on record with another person.

    A traveller on record nowhere comes back as a FirstTimeTraveller, for the caller to store
    with the row that needs them (`link_traveller` stores them alone). `found` is the lookup
    (`lookup_of`), if the caller has already read it in the same transaction.
    """
    connection = session.connection()
    if found is None:
        found = find_travellers(connection, lookup_of(identity))
    if found.held is not None:
        return _linked_to_held(session, identity, found, found.held)
    first = first_time_traveller(identity, utcnow())
    if len(found.same_identity) != 1:
        return first
    # The one traveller of this identity: the new document is theirs.
    traveller = found.same_identity[0]
    document = insert_document(connection, first.document, traveller.id)
    if document is None:
        return linked_to_stored(session, identity)
    return Link(traveller, document, LinkedBy.IDENTITY)


def link_traveller(session: Session, identity: Identity) -> Link:
    """Find or create the traveller and document of a reading (document first, then identity)."""
    linked = link_reading(session, identity)
    if isinstance(linked, Link):
        return linked
    stored = store_traveller(session.connection(), linked.traveller, linked.document)
    if stored is None:
        return linked_to_stored(session, identity)
    traveller, document = stored
    return Link(traveller, document, LinkedBy.NEW)


def linked_to_stored(session: Session, identity: Identity) -> Link:
    """Link a reading whose document a concurrent request stored after this one looked."""
    found = find_travellers(session.connection(), lookup_of(identity))
    if found.held is None:
        raise LookupError(f"document {identity.document_number} conflicted, then was not found")
    return _linked_to_held(session, identity, found, found.held)


def _linked_to_held(
    session: Session, identity: Identity, found: TravellersFound, held: HeldDocument
) -> Link:
    """Return the link to the document found, setting its expiry if it had none; when the
    reading names another person than its holder, link that person to it (`_other_identity`)."""
    document = held.document
    if document.expiry_date is None and identity.expiry_date is not None:
        document = set_document_expiry(session.connection(), document, identity.expiry_date)
    if not _holder_agrees(session, held.holder, identity):
        return _other_identity(session, identity, found, document, held.holder.id)
    return Link(held.holder, document, LinkedBy.DOCUMENT)


def _other_identity(
    session: Session,
    identity: Identity,
    found: TravellersFound,
    document: DocumentRow,
    holder_id: int,
) -> Link:
    """Link a reading that names another person than its document's holder: to a traveller
    seen with the document before who agrees, else to the one traveller of the same identity,
    else to a new traveller. The document stays its holder's."""
    traveller = _other_on_record(session, identity, found, document.id, holder_id)
    if traveller is not None:
        return Link(traveller, document, LinkedBy.IDENTITY, holder_id)
    return Link(new_traveller(session, identity), document, LinkedBy.NEW, holder_id)


def _other_on_record(
    session: Session,
    identity: Identity,
    found: TravellersFound,
    document_id: int,
    holder_id: int,
) -> TravellerRow | None:
    """The traveller on record a reading names when its document's holder is someone else."""
    traveller = _seen_with_document(session, identity, document_id, holder_id)
    if traveller is not None:
        return traveller
    same = found.same_identity
    if len(same) == 1 and same[0].id != holder_id:
        return same[0]
    return None


def _holder_agrees(session: Session, holder: TravellerRow, identity: Identity) -> bool:
    """Tell whether a reading names the document's holder, or a traveller merged into them
    (a supervisor found the two records one person: either identity is theirs)."""
    read = facts_of(identity)
    if identities_agree(traveller_facts(holder), read):
        return True
    merged = merged_into(session, holder.id, SEEN_WITH_DOCUMENT_LIMIT)
    return any(identities_agree(traveller_facts(other), read) for other in merged)


# Travellers seen with a document before, other than its holder on record, that are compared
# with a reading naming someone else: a bound, as a stolen passport may pass through many hands.
SEEN_WITH_DOCUMENT_LIMIT = 50


def _seen_with_document(
    session: Session, identity: Identity, document_id: int, holder_id: int
) -> TravellerRow | None:
    """Return the first traveller seen with this document (not its holder) who agrees."""
    seen = seen_with_document(session, document_id, holder_id, SEEN_WITH_DOCUMENT_LIMIT)
    read = facts_of(identity)
    return next((t for t in seen if identities_agree(traveller_facts(t), read)), None)


@dataclass(frozen=True, slots=True)
class Found:
    """The traveller a reading would link to (None: a new one) and the document's holder when
    the reading names another person."""

    traveller: TravellerRow | None
    document: DocumentRow | None
    holder_id: int | None = None


def find_traveller(session: Session, identity: Identity) -> Found:
    """Return the traveller a reading would link to, without writing anything."""
    found = find_travellers(session.connection(), lookup_of(identity))
    held = found.held
    if held is None:
        same = found.same_identity
        return Found(same[0] if len(same) == 1 else None, None)
    if _holder_agrees(session, held.holder, identity):
        return Found(held.holder, held.document)
    other = _other_on_record(session, identity, found, held.document.id, held.holder.id)
    return Found(other, held.document, held.holder.id)


def new_traveller(session: Session, identity: Identity) -> TravellerRow:
    """Store a traveller (and their name search keys) read from a document; no document."""
    first = first_time_traveller(identity, utcnow())
    return store_traveller_alone(session.connection(), first.traveller, first.document.created_at)


def search_keys(name: str) -> set[str]:
    """Return the blocking keys fuzzy name search looks a name up by: folded and phonetic tokens.

    Two keys per token: its ICAO-folded spelling ('f:') and its Metaphone code ('p:'), so a
    misspelt name still shares a key with the stored one token by token.
    """
    keys: set[str] = set()
    for token in tokenize(name):
        if is_particle(token) or len(token) < 2:
            continue
        keys.add(f"f:{fold(token)}"[:40])
        code = phonetic_key(token)
        if code:
            keys.add(f"p:{code}"[:40])
    return keys


def visible_crossings(actor: Actor, crossings: Sequence[Crossing]) -> list[Crossing]:
    """Return the crossings at posts this actor may see."""
    if actor.post_ids is None:
        return list(crossings)
    return [c for c in crossings if c.post_id in actor.post_ids]


@dataclass(frozen=True, slots=True)
class History:
    """A traveller, their documents, and every crossing this actor may see, oldest first."""

    traveller: Traveller
    documents: list[TravelDocument]
    crossings: list[Crossing]


def traveller_history(session: Session, actor: Actor, traveller_id: int) -> History:
    """Return a traveller's history as this actor may see it; audited as a personal-data read."""
    begin_writing(session)  # the audit event
    check_station_traveller(session, actor, traveller_id)
    traveller = traveller_with_documents(session, traveller_id)
    if traveller is None:
        raise NotFound(
            N_("no traveller %(traveller_id)s"),
            params={"traveller_id": traveller_id},
            field="traveller_id",
        )
    crossings = crossings_of(session, traveller_id)
    seen = visible_crossings(actor, crossings)
    if actor.post_ids is not None and not seen:
        # Outside the actor's posts the traveller is not theirs to know about.
        raise NotFound(
            N_("no traveller %(traveller_id)s"),
            params={"traveller_id": traveller_id},
            field="traveller_id",
        )
    record_audit(
        session,
        actor,
        "traveller.read",
        "traveller",
        traveller_id,
        detail={"crossings": [c.id for c in seen]},
    )
    return History(traveller, sorted(traveller.documents, key=lambda d: d.id), seen)
