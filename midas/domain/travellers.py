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
from typing import Any, Protocol, cast

from sqlalchemy import (
    CompoundSelect,
    Select,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    null,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from midas.domain.actors import Actor
from midas.domain.audit import record_audit
from midas.domain.desk_reads import check_station_traveller
from midas.domain.errors import NotFound
from midas.domain.identities import PersonFacts, identities_agree
from midas.persistence.backends import backend_of
from midas.persistence.base import utcnow
from midas.persistence.database import Unadopted, adopt, begin_writing
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


def traveller_facts(traveller: Traveller) -> PersonFacts:
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

    traveller: Traveller
    document: TravelDocument
    linked_by: LinkedBy
    # The traveller the document is on record with, when the reading names another person.
    holder_id: int | None = None


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
            Traveller.merged_into_id.is_(None),
        )
        .limit(2)
    ).all()
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True, slots=True)
class Found:
    """The traveller a reading would link to (None: a new one) and the document's holder when
    the reading names another person."""

    traveller: Traveller | None
    document: TravelDocument | None
    holder_id: int | None = None


def find_traveller(session: Session, identity: Identity) -> Found:
    """Return the traveller a reading would link to, without writing anything."""
    document = find_document(session, identity)
    if document is None:
        return Found(find_by_identity(session, identity), None)
    holder = document.traveller
    if _holder_agrees(session, holder, identity):
        return Found(holder, document)
    other = _seen_with_document(session, identity, document.id, holder.id)
    if other is None:
        other = find_by_identity(session, identity)
    return Found(other, document, holder.id)


def _holder_agrees(session: Session, holder: Traveller, identity: Identity) -> bool:
    """Tell whether a reading names the document's holder, or a traveller merged into them
    (a supervisor found the two records one person: either identity is theirs)."""
    read = facts_of(identity)
    if identities_agree(traveller_facts(holder), read):
        return True
    merged = session.scalars(
        select(Traveller)
        .where(Traveller.merged_into_id == holder.id)
        .limit(SEEN_WITH_DOCUMENT_LIMIT)
    )
    return any(identities_agree(traveller_facts(other), read) for other in merged)


# Travellers seen with a document before, other than its holder on record, that are compared
# with a reading naming someone else: a bound, as a stolen passport may pass through many hands.
SEEN_WITH_DOCUMENT_LIMIT = 50


def _seen_with_document(
    session: Session, identity: Identity, document_id: int, holder_id: int
) -> Traveller | None:
    """Return the first traveller seen with this document (not its holder) who agrees."""
    seen = session.scalars(
        select(Traveller)
        .where(
            Traveller.id.in_(
                select(Crossing.traveller_id)
                .where(Crossing.document_id == document_id, Crossing.traveller_id != holder_id)
                .distinct()
            ),
            Traveller.anonymised_at.is_(None),
            Traveller.merged_into_id.is_(None),
        )
        .order_by(Traveller.id)
        .limit(SEEN_WITH_DOCUMENT_LIMIT)
    )
    read = facts_of(identity)
    return next((t for t in seen if identities_agree(traveller_facts(t), read)), None)


# The linking statements are built once (Core, not ORM): SQLAlchemy caches their compiled form
# and psycopg prepares them on the server, so a crossing pays only for binding and the round trip.
_TRAVELLERS = cast(Table, Traveller.__table__)
_DOCUMENTS = cast(Table, TravelDocument.__table__)
_NAME_KEYS = cast(Table, TravellerNameKey.__table__)
# A traveller a lookup finds is never a merged one (their documents moved, the identity lookup
# skips them), so `merged_into_id` is not read: the desk statement stays within psycopg's cache.
_TRAVELLER_COLUMNS = [column for column in _TRAVELLERS.c if column.key != "merged_into_id"]
_HELD = _DOCUMENTS.join(_TRAVELLERS, _TRAVELLERS.c.id == _DOCUMENTS.c.traveller_id)
_BY_DOCUMENT = select(
    literal_column(f"'{LinkedBy.DOCUMENT.value}'").label("found_by"),
    _DOCUMENTS.c.id.label("document_id"),
    _DOCUMENTS.c.expiry_date.label("document_expiry"),
    _DOCUMENTS.c.created_at.label("document_created_at"),
    _DOCUMENTS.c.anonymised_at.label("document_anonymised_at"),
    *_TRAVELLER_COLUMNS,
).select_from(_HELD).where(
    _DOCUMENTS.c.number == bindparam("number"),
    _DOCUMENTS.c.issuing_state == bindparam("issuing_state"),
    _DOCUMENTS.c.document_type == bindparam("document_type"),
)  # fmt: skip
# At most two: one is a link, two are an ambiguity (the identity rule then starts a traveller).
_BY_IDENTITY = (
    select(
        literal_column(f"'{LinkedBy.IDENTITY.value}'").label("found_by"),
        # Typed, so PostgreSQL can match them with the document columns of the other branch.
        sql_cast(null(), _DOCUMENTS.c.id.type).label("document_id"),
        sql_cast(null(), _DOCUMENTS.c.expiry_date.type).label("document_expiry"),
        sql_cast(null(), _DOCUMENTS.c.created_at.type).label("document_created_at"),
        sql_cast(null(), _DOCUMENTS.c.anonymised_at.type).label("document_anonymised_at"),
        *_TRAVELLER_COLUMNS,
    )
    .where(
        _TRAVELLERS.c.surname == bindparam("surname"),
        _TRAVELLERS.c.given_names == bindparam("given_names"),
        _TRAVELLERS.c.birth_date == bindparam("birth_date"),
        _TRAVELLERS.c.nationality == bindparam("nationality"),
        _TRAVELLERS.c.sex == bindparam("sex"),
        _TRAVELLERS.c.anonymised_at.is_(None),
        _TRAVELLERS.c.merged_into_id.is_(None),
    )
    .limit(2)
    .subquery()
)
_BY_IDENTITY_ROWS = select(*_BY_IDENTITY.c)
# Both lookups in one round trip: the document's holder first, else the identity's travellers.
_BY_EITHER = union_all(_BY_DOCUMENT, _BY_IDENTITY_ROWS)
_INSERT_TRAVELLER = insert(_TRAVELLERS).returning(_TRAVELLERS.c.id)
_INSERT_NAME_KEYS = insert(_NAME_KEYS)
_SET_EXPIRY = (
    update(_DOCUMENTS)
    .where(_DOCUMENTS.c.id == bindparam("document_id"))
    .values(expiry_date=bindparam("expiry_date"))
)
_DOCUMENT_KEY = ["number", "issuing_state", "document_type"]
# The document insert "or nothing" of each backend, built once.
_INSERT_DOCUMENT: dict[str, Any] = {}
# PostgreSQL stores a new traveller, their name keys and their document in one statement (data-
# modifying CTEs): two round trips fewer for every first-time traveller.
# A new row is never anonymised nor merged, and the traveller is created with the document
# (`created_at` is the document's): fewer parameters keep these statements within psycopg's
# cache of parsed queries (see `first_crossings`).
_NEW_TRAVELLER_COLUMNS = [
    c for c in _TRAVELLERS.c if c.key not in ("id", "created_at", "anonymised_at", "merged_into_id")
]
_NEW_TRAVELLER = (
    insert(_TRAVELLERS)
    .from_select(
        [*(column.key for column in _NEW_TRAVELLER_COLUMNS), "created_at"],
        select(
            *(bindparam(f"traveller_{c.key}", type_=c.type) for c in _NEW_TRAVELLER_COLUMNS),
            bindparam("created_at", type_=_TRAVELLERS.c.created_at.type),
        ),
    )
    .returning(_TRAVELLERS.c.id)
    .cte("new_traveller")
)
_NEW_KEYS = (
    insert(_NAME_KEYS)
    .from_select(
        ["traveller_id", "key"],
        select(_NEW_TRAVELLER.c.id, func.unnest(bindparam("keys", type_=ARRAY(String)))),
    )
    .cte("new_keys")
)
_DOCUMENT_COLUMNS = [
    c for c in _DOCUMENTS.c if c.key not in ("id", "traveller_id", "anonymised_at")
]
_NEW_DOCUMENT = (
    postgresql.insert(_DOCUMENTS)
    .from_select(
        ["traveller_id", *(column.key for column in _DOCUMENT_COLUMNS)],
        select(
            _NEW_TRAVELLER.c.id,
            *(bindparam(column.key, type_=column.type) for column in _DOCUMENT_COLUMNS),
        ),
    )
    .on_conflict_do_nothing(index_elements=_DOCUMENT_KEY)
    .returning(_DOCUMENTS.c.id, _DOCUMENTS.c.traveller_id)
)
# For a statement that goes on to insert the row needing the new document (see `NewTraveller`):
# its `id` and `traveller_id` are those of the document stored, no row if the document was
# already stored. Such a statement selects from NEW_TRAVELLER and adds NEW_KEYS.
NEW_TRAVELLER = _NEW_TRAVELLER
NEW_DOCUMENT = _NEW_DOCUMENT.cte("new_document")
NEW_KEYS = _NEW_KEYS
# The new traveller's id always, the document's id only if it was not already stored (then the
# traveller is to be discarded, see `discard_traveller`).
_INSERT_TRAVELLER_WITH_DOCUMENT = (
    select(NEW_TRAVELLER.c.id.label("traveller_id"), NEW_DOCUMENT.c.id)
    .select_from(NEW_TRAVELLER.outerjoin(NEW_DOCUMENT, true()))
    .add_cte(NEW_KEYS)
)
_DISCARD_TRAVELLER = delete(_TRAVELLERS).where(_TRAVELLERS.c.id == bindparam("traveller_id"))
_DISCARD_NAME_KEYS = delete(_NAME_KEYS).where(
    _NAME_KEYS.c.traveller_id == bindparam("traveller_id")
)


class FoundRow(Protocol):
    """A row of the lookup of a reading's traveller (their other columns read by name)."""

    found_by: str | None  # a LinkedBy value; None on a desk row that found nothing
    id: int
    document_id: int | None
    document_expiry: date | None
    document_created_at: datetime | None
    document_anonymised_at: datetime | None


def _lookup(session: Session, identity: Identity) -> list[FoundRow]:
    """Return the holder of the reading's document, else the travellers with its identity."""
    statement, parameters = lookup_query(identity)
    if statement is None:
        return []
    return cast(list[FoundRow], list(session.connection().execute(statement, parameters)))


def lookup_query(
    identity: Identity,
) -> tuple[Select[Any] | CompoundSelect[Any] | None, dict[str, Any]]:
    """The query of `_lookup` for a reading and its parameters; None if it has nothing to find
    by. Its rows are what `link_or_plan` takes as `found`."""
    by_document = identity.document_number is not None
    document = {
        "number": identity.document_number,
        "issuing_state": identity.issuing_state,
        "document_type": identity.document_type,
    }
    person = {
        "surname": identity.surname,
        "given_names": identity.given_names,
        "birth_date": identity.birth_date,
        "nationality": identity.nationality,
        "sex": identity.sex,
    }
    if by_document and identity.complete:
        return _BY_EITHER, document | person
    if by_document:
        return _BY_DOCUMENT, document
    if identity.complete:
        return _BY_IDENTITY_ROWS, person
    return None, {}


def _traveller_of(session: Session, row: FoundRow) -> Traveller:
    values = {column.key: getattr(row, column.name) for column in _TRAVELLER_COLUMNS}
    return adopt(session, Traveller, values | {"merged_into_id": None})


def _document_of(
    session: Session, identity: Identity, row: FoundRow, traveller: Traveller
) -> TravelDocument:
    document = adopt(
        session,
        TravelDocument,
        {
            "id": row.document_id,
            "traveller_id": traveller.id,
            "document_type": identity.document_type,
            "issuing_state": identity.issuing_state,
            "number": identity.document_number,
            "expiry_date": row.document_expiry,
            "created_at": row.document_created_at,
            "anonymised_at": row.document_anonymised_at,
        },
    )
    set_committed_value(document, "traveller", traveller)
    return document


def _linked_to_stored(
    session: Session, identity: Identity, rows: Sequence[FoundRow]
) -> Link | None:
    """Return the link to the document found, setting its expiry if it had none; when the
    reading names another person than its holder, link that person to it (`_other_identity`)."""
    for row in rows:
        if row.found_by != LinkedBy.DOCUMENT.value:
            continue
        traveller = _traveller_of(session, row)
        document = _document_of(session, identity, row, traveller)
        if document.expiry_date is None and identity.expiry_date is not None:
            session.connection().execute(
                _SET_EXPIRY, {"document_id": document.id, "expiry_date": identity.expiry_date}
            )
            set_committed_value(document, "expiry_date", identity.expiry_date)
        if not _holder_agrees(session, traveller, identity):
            return _other_identity(session, identity, rows, document, traveller.id)
        return Link(traveller, document, LinkedBy.DOCUMENT)
    return None


def _other_identity(
    session: Session,
    identity: Identity,
    rows: Sequence[FoundRow],
    document: TravelDocument,
    holder_id: int,
) -> Link:
    """Link a reading that names another person than its document's holder: to a traveller
    seen with the document before who agrees, else to the one traveller of the same identity,
    else to a new traveller. The document stays its holder's."""
    traveller = _seen_with_document(session, identity, document.id, holder_id)
    if traveller is not None:
        return Link(traveller, document, LinkedBy.IDENTITY, holder_id)
    same = [row for row in rows if row.found_by == LinkedBy.IDENTITY.value]
    if len(same) == 1 and same[0].id != holder_id:
        return Link(_traveller_of(session, same[0]), document, LinkedBy.IDENTITY, holder_id)
    return Link(new_traveller(session, identity), document, LinkedBy.NEW, holder_id)


@dataclass(frozen=True, slots=True)
class NewTraveller:
    """A first-time traveller, not stored yet: the statement that stores the row needing them
    stores them too (PostgreSQL), with `parameters` for `NEW_DOCUMENT` and `NEW_KEYS`."""

    identity: Identity
    traveller: dict[str, Any]
    document: dict[str, Any]

    @property
    def parameters(self) -> dict[str, Any]:
        parameters = {f"traveller_{key}": value for key, value in self.traveller.items()}
        parameters["keys"] = sorted(search_keys(_full_name(self.identity)))
        return parameters | self.document


def link_or_plan(
    session: Session, identity: Identity, found: Sequence[FoundRow] | None = None
) -> Link | NewTraveller:
    """As `link_traveller`, except that on PostgreSQL a first-time traveller is only planned.

    The caller stores them with the row that needs them, in one statement (`NEW_DOCUMENT`);
    if that finds the document stored meanwhile, `link_traveller` links to it. `found` are the
    rows of `lookup_query`, if the caller has already read them in the same transaction.
    """
    rows = _lookup(session, identity) if found is None else found
    stored = _linked_to_stored(session, identity, rows)
    if stored is not None:
        return stored
    document_values = _document_values(identity)
    if len(rows) != 1 and backend_of(session).one_statement_inserts:
        traveller = _traveller_values(identity, document_values["created_at"])
        return NewTraveller(identity, traveller, document_values)
    return _link_new(session, identity, rows, document_values)


@dataclass(frozen=True, slots=True)
class PlannedLink:
    """A planned traveller and document once stored: their values, not yet ORM objects."""

    traveller: Unadopted[Traveller]
    document: Unadopted[TravelDocument]
    linked_by: LinkedBy = LinkedBy.NEW

    def adopt(self, session: Session) -> Link:
        """Return the link with the traveller and document as the session's ORM objects."""
        traveller = self.traveller.adopt(session)
        document = self.document.adopt(session)
        set_committed_value(document, "traveller", traveller)
        return Link(traveller, document, self.linked_by)


def planned_link(planned: NewTraveller, traveller_id: int, document_id: int) -> PlannedLink:
    """Return the link to a planned traveller and document, once stored with these ids."""
    traveller = Unadopted(Traveller, planned.traveller | {"id": traveller_id})
    values = planned.document | {"id": document_id, "traveller_id": traveller_id}
    return PlannedLink(traveller, Unadopted(TravelDocument, values))


def _document_values(identity: Identity) -> dict[str, Any]:
    return {
        "document_type": identity.document_type,
        "issuing_state": identity.issuing_state,
        "number": identity.document_number,
        "expiry_date": identity.expiry_date,
        "created_at": utcnow(),
        "anonymised_at": None,
    }


def link_traveller(session: Session, identity: Identity) -> Link:
    """Find or create the traveller and document of a reading (document first, then identity)."""
    rows = _lookup(session, identity)
    stored = _linked_to_stored(session, identity, rows)
    if stored is not None:
        return stored
    return _link_new(session, identity, rows, _document_values(identity))


def _link_new(
    session: Session, identity: Identity, rows: Sequence[FoundRow], document_values: dict[str, Any]
) -> Link:
    """Store the document of a reading no stored document links: with the one traveller of its
    identity (`rows`), else with a new traveller."""
    traveller: Traveller | None
    if len(rows) == 1:
        traveller = _traveller_of(session, rows[0])
        linked_by = LinkedBy.IDENTITY
        document_values["traveller_id"] = traveller.id
        document_id = _insert_document(session, document_values)
    else:
        traveller, document_id = _insert_traveller(session, identity, document_values)
        linked_by = LinkedBy.NEW
    if document_id is None or traveller is None:
        # A concurrent request stored the same document first: link to it.
        stored = _linked_to_stored(session, identity, _lookup(session, identity))
        if stored is None:
            raise LookupError(f"document {document_values} conflicted, then was not found")
        return stored
    document = adopt(session, TravelDocument, document_values | {"id": document_id})
    set_committed_value(document, "traveller", traveller)
    return Link(traveller, document, linked_by)


def _insert_traveller(
    session: Session, identity: Identity, document_values: dict[str, Any]
) -> tuple[Traveller | None, int | None]:
    """Store a new traveller and their document; the document id is None if already stored.

    Sets `traveller_id` in `document_values`. When the document was already stored, the new
    traveller is discarded and (None, None) returned.
    """
    connection = session.connection()
    if not backend_of(connection).one_statement_inserts:
        traveller = new_traveller(session, identity)
        document_values["traveller_id"] = traveller.id
        document_id = _insert_document(session, document_values)
        if document_id is None:
            discard_traveller(session, traveller.id)
            session.expunge(traveller)
            return None, None
        return traveller, document_id
    values = _traveller_values(identity, document_values["created_at"])
    planned = NewTraveller(identity, values, document_values)
    inserted = connection.execute(_INSERT_TRAVELLER_WITH_DOCUMENT, planned.parameters).one()
    if inserted.id is None:
        discard_traveller(session, inserted.traveller_id)
        return None, None
    traveller = adopt(session, Traveller, values | {"id": inserted.traveller_id})
    document_values["traveller_id"] = traveller.id
    return traveller, int(inserted.id)


def discard_traveller(session: Session, traveller_id: int) -> None:
    """Delete a traveller just stored for a document that another request stored first.

    Nothing refers to them yet but their name keys, which go with them: a traveller without
    documents or crossings would hold personal data that retention never reaches.
    """
    connection = session.connection()
    connection.execute(_DISCARD_NAME_KEYS, {"traveller_id": traveller_id})
    connection.execute(_DISCARD_TRAVELLER, {"traveller_id": traveller_id})


def _insert_document(session: Session, values: dict[str, Any]) -> int | None:
    """Insert a document; return its id, or None when the same document is already stored.

    A document a concurrent request stored first is then found and linked to instead of failing
    the crossing: one round trip where a savepoint around a plain INSERT takes three.
    """
    connection = session.connection()
    backend = backend_of(connection)
    statement = _INSERT_DOCUMENT.get(backend.name)
    if statement is None:
        statement = _INSERT_DOCUMENT.setdefault(
            backend.name,
            backend.insert_or_nothing(_DOCUMENTS, _DOCUMENT_KEY).returning(_DOCUMENTS.c.id),
        )
    inserted: int | None = connection.execute(statement, values).scalar_one_or_none()
    return inserted


def _full_name(identity: Identity) -> str:
    return f"{identity.surname} {identity.given_names}".strip()


def _traveller_values(identity: Identity, now: datetime) -> dict[str, Any]:
    """Return the columns of a new traveller read from a document."""
    return {
        "surname": identity.surname or None,
        "given_names": identity.given_names or None,
        "name_key": name_key(_full_name(identity))[:400] or None,
        "sex": identity.sex,
        "birth_date": identity.birth_date,
        "birth_year": identity.birth_date.year if identity.birth_date else None,
        "nationality": identity.nationality,
        "created_at": now,
        "anonymised_at": None,
        "merged_into_id": None,
    }


def new_traveller(session: Session, identity: Identity) -> Traveller:
    """Store a traveller (and their name search keys) read from a document; no document."""
    values = _traveller_values(identity, utcnow())
    connection = session.connection()
    traveller_id = connection.execute(_INSERT_TRAVELLER, values).scalar_one()
    keys = search_keys(_full_name(identity))
    if keys:
        connection.execute(
            _INSERT_NAME_KEYS, [{"traveller_id": traveller_id, "key": k} for k in sorted(keys)]
        )
    traveller: Traveller = adopt(session, Traveller, values | {"id": traveller_id})
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
    check_station_traveller(session, actor, traveller_id)
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
            selectinload(Crossing.traveller),
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
