"""Travellers and their documents: linking a reading to a person, and a traveller's history.

Linking rule: a reading joins the traveller who holds the same document (number + issuing state
+ type). Failing that, it joins a traveller with the very same identity (surname, given names,
birth date, nationality and sex, all known) and the new document is added to that traveller;
if two stored travellers share that identity, the reading starts a new traveller rather than
guess. A name alone never links two readings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import Insert, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from midas.auth import Actor
from midas.domain.audit import record_audit
from midas.domain.errors import NotFound
from midas.persistence.database import begin_writing
from midas.persistence.models import Crossing, TravelDocument, Traveller
from midas.persistence.models.travellers import TravellerNameKey
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
            nationality=normalize_state(nationality),
            sex=sex if sex in ("M", "F", "X") else None,
            document_number=number[:40] or None,
            issuing_state=(normalize_state(issuing_state) or "")[:3],
            document_type=(document_type or "").strip("<").upper()[:2],
            expiry_date=expiry_date,
        )

    @property
    def complete(self) -> bool:
        """True when every fact the identity rule compares is known."""
        return bool(self.surname and self.birth_date and self.nationality and self.sex is not None)


class LinkedBy(StrEnum):
    """How a reading found its traveller."""

    DOCUMENT = "document"
    IDENTITY = "identity"
    NEW = "new"


@dataclass(frozen=True, slots=True)
class Link:
    """The traveller and document a reading belongs to, and how they were found."""

    traveller: Traveller
    document: TravelDocument
    linked_by: LinkedBy


def find_document(session: Session, identity: Identity) -> TravelDocument | None:
    """Return the stored document with this number, issuing state and type, or None."""
    if identity.document_number is None:
        return None
    return session.scalars(
        select(TravelDocument)
        .where(
            TravelDocument.number == identity.document_number,
            TravelDocument.issuing_state == identity.issuing_state,
            TravelDocument.document_type == identity.document_type,
        )
        .options(joinedload(TravelDocument.traveller))
    ).one_or_none()


def find_by_identity(session: Session, identity: Identity) -> Traveller | None:
    """Return the one traveller with exactly this identity; None if none or several."""
    if not identity.complete:
        return None
    found = session.scalars(
        select(Traveller)
        .where(
            Traveller.surname == identity.surname,
            Traveller.given_names == identity.given_names,
            Traveller.birth_date == identity.birth_date,
            Traveller.nationality == identity.nationality,
            Traveller.sex == identity.sex,
            Traveller.anonymised_at.is_(None),
        )
        .limit(2)
    ).all()
    return found[0] if len(found) == 1 else None


def find_traveller(session: Session, identity: Identity) -> Traveller | None:
    """Return the traveller a reading would link to, without writing anything."""
    document = find_document(session, identity)
    if document is not None:
        return document.traveller
    return find_by_identity(session, identity)


def link_traveller(session: Session, identity: Identity) -> Link:
    """Find or create the traveller and document of a reading (document first, then identity)."""
    document = find_document(session, identity)
    if document is not None:
        if document.expiry_date is None and identity.expiry_date is not None:
            document.expiry_date = identity.expiry_date
        return Link(document.traveller, document, LinkedBy.DOCUMENT)
    traveller = find_by_identity(session, identity)
    linked_by = LinkedBy.IDENTITY
    if traveller is None:
        traveller = _new_traveller(session, identity)
        linked_by = LinkedBy.NEW
    values = {
        "traveller_id": traveller.id,
        "document_type": identity.document_type,
        "issuing_state": identity.issuing_state,
        "number": identity.document_number,
        "expiry_date": identity.expiry_date,
    }
    # A concurrent request may store the same document first: then it is found and linked to,
    # instead of failing the whole crossing.
    upsert = _insert_unless_stored(session, values)
    if upsert is not None:
        inserted = session.scalars(upsert.returning(TravelDocument)).one_or_none()
        if inserted is not None:
            set_committed_value(inserted, "traveller", traveller)
            return Link(traveller, inserted, linked_by)
        stored = find_document(session, identity)
        if stored is None:
            raise LookupError(f"document {values} conflicted, then was not found")
        return Link(stored.traveller, stored, LinkedBy.DOCUMENT)
    document = TravelDocument(**values)
    try:
        with session.begin_nested():
            session.add(document)
            session.flush()
        document.traveller = traveller
    except IntegrityError:
        stored = find_document(session, identity)
        if stored is None:
            raise
        return Link(stored.traveller, stored, LinkedBy.DOCUMENT)
    return Link(traveller, document, linked_by)


def _insert_unless_stored(session: Session, values: dict[str, object]) -> Insert | None:
    """Return an INSERT of a document that does nothing when it is already stored.

    One round trip where a savepoint around a plain INSERT takes three; None on databases
    without ON CONFLICT, which fall back to the savepoint.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: postgresql.Insert | sqlite.Insert = postgresql.insert(TravelDocument)
    elif dialect == "sqlite":
        statement = sqlite.insert(TravelDocument)
    else:
        return None
    keys = ["number", "issuing_state", "document_type"]
    return statement.values(values).on_conflict_do_nothing(index_elements=keys)


def _new_traveller(session: Session, identity: Identity) -> Traveller:
    full_name = f"{identity.surname} {identity.given_names}".strip()
    traveller = Traveller(
        surname=identity.surname or None,
        given_names=identity.given_names or None,
        name_key=name_key(full_name)[:400] or None,
        sex=identity.sex,
        birth_date=identity.birth_date,
        birth_year=identity.birth_date.year if identity.birth_date else None,
        nationality=identity.nationality,
    )
    session.add(traveller)
    session.flush()
    keys = search_keys(full_name)
    if keys:
        session.execute(
            insert(TravellerNameKey), [{"traveller_id": traveller.id, "key": k} for k in keys]
        )
    return traveller


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


def erase_search_keys(session: Session, traveller_ids: Sequence[int]) -> None:
    """Drop the name search keys of travellers whose personal data is being erased."""
    session.execute(
        delete(TravellerNameKey).where(TravellerNameKey.traveller_id.in_(traveller_ids))
    )


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
    traveller = session.scalars(
        select(Traveller)
        .where(Traveller.id == traveller_id)
        .options(selectinload(Traveller.documents))
    ).one_or_none()
    if traveller is None:
        raise NotFound(f"no traveller {traveller_id}", field="traveller_id")
    crossings = session.scalars(
        select(Crossing)
        .where(Crossing.traveller_id == traveller_id)
        .options(
            selectinload(Crossing.post),
            selectinload(Crossing.document),
            selectinload(Crossing.officer),
            selectinload(Crossing.hits),
        )
        .order_by(Crossing.occurred_at, Crossing.id)
    ).all()
    seen = visible_crossings(actor, crossings)
    if actor.post_ids is not None and not seen:
        # Outside the actor's posts the traveller is not theirs to know about.
        raise NotFound(f"no traveller {traveller_id}", field="traveller_id")
    record_audit(
        session,
        actor,
        "traveller.read",
        "traveller",
        traveller_id,
        detail={"crossings": [c.id for c in seen]},
    )
    return History(traveller, sorted(traveller.documents, key=lambda d: d.id), seen)
