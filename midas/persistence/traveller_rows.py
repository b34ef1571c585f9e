"""Travellers and their documents as linking a reading reads and writes them, in typed rows.

The lookup of a reading's traveller (the holder of its document, else the travellers of its
very identity) is one statement, which the desk query carries on PostgreSQL
(`midas.persistence.desk_rows`). Its rows, and the rows linking stores, come back as
`TravellerRow` and `DocumentRow` values; an ORM object is built from them only when something
shows the crossing they belong to (`as_orm`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol, cast

from sqlalchemy import (
    CompoundSelect,
    Connection,
    Select,
    Table,
    bindparam,
    literal_column,
    null,
    select,
    union_all,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from midas.persistence.backends import backend_of
from midas.persistence.database import adopt
from midas.persistence.models import Crossing, TravelDocument, Traveller
from midas.persistence.new_travellers import (
    DOCUMENTS,
    TRAVELLERS,
    NewDocument,
    NewTraveller,
    insert_traveller,
)

_CROSSINGS = cast(Table, Crossing.__table__)
# How a lookup row was found (its `found_by`).
BY_DOCUMENT = "document"
BY_IDENTITY = "identity"


@dataclass(frozen=True, slots=True)
class TravellerRow:
    """A stored traveller's columns, as linking reads them (a linked traveller is never merged)."""

    id: int
    surname: str | None
    given_names: str | None
    name_key: str | None
    sex: str | None
    birth_date: date | None
    birth_year: int | None
    nationality: str | None
    created_at: datetime
    anonymised_at: datetime | None

    def as_orm(self, session: Session) -> Traveller:
        """Return the traveller as the session's ORM object, without a query."""
        values = {name: getattr(self, name) for name in _TRAVELLER_FIELDS}
        return adopt(session, Traveller, values | {"merged_into_id": None})


_TRAVELLER_FIELDS = tuple(TravellerRow.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """A stored travel document's columns."""

    id: int
    traveller_id: int
    document_type: str
    issuing_state: str
    number: str | None
    expiry_date: date | None
    created_at: datetime
    anonymised_at: datetime | None

    def as_orm(self, session: Session, holder: Traveller) -> TravelDocument:
        """Return the document as the session's ORM object, its holder set, without a query."""
        values = {name: getattr(self, name) for name in _DOCUMENT_FIELDS}
        document = adopt(session, TravelDocument, values)
        set_committed_value(document, "traveller", holder)
        return document


_DOCUMENT_FIELDS = tuple(DocumentRow.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class DocumentKey:
    """A document as a reading names it: one stored row per number, issuing state and type."""

    number: str
    issuing_state: str
    document_type: str


@dataclass(frozen=True, slots=True)
class PersonKey:
    """An identity every fact of which is known: the travellers who have exactly this one."""

    surname: str
    given_names: str
    birth_date: date
    nationality: str
    sex: str


@dataclass(frozen=True, slots=True)
class TravellerLookup:
    """What a reading's traveller is looked up by: their document, their identity (None where
    the reading cannot say)."""

    document: DocumentKey | None
    person: PersonKey | None


@dataclass(frozen=True, slots=True)
class HeldDocument:
    """A stored document and the traveller it is on record with."""

    document: DocumentRow
    holder: TravellerRow


@dataclass(frozen=True, slots=True)
class TravellersFound:
    """What the lookup of a reading's traveller found: the stored document with its holder, and
    the travellers of the very same identity (two at most: two are an ambiguity)."""

    held: HeldDocument | None
    same_identity: tuple[TravellerRow, ...]


NOTHING_FOUND = TravellersFound(None, ())


class FoundRow(Protocol):
    """A row of the lookup (`found_by` is None on a desk row whose lookup found nothing)."""

    found_by: str | None
    document_id: int | None
    document_expiry: date | None
    document_created_at: datetime | None
    document_anonymised_at: datetime | None
    id: int
    surname: str | None
    given_names: str | None
    name_key: str | None
    sex: str | None
    birth_date: date | None
    birth_year: int | None
    nationality: str | None
    created_at: datetime
    anonymised_at: datetime | None


# The lookup statements are built once (Core, not ORM): SQLAlchemy caches their compiled form
# and psycopg prepares them on the server, so a crossing pays only for binding and the round trip.
# A traveller a lookup finds is never a merged one (their documents moved, the identity lookup
# skips them), so `merged_into_id` is not read: the desk statement stays within psycopg's cache.
_TRAVELLER_COLUMNS = [TRAVELLERS.c[name] for name in _TRAVELLER_FIELDS]
_HELD = DOCUMENTS.join(TRAVELLERS, TRAVELLERS.c.id == DOCUMENTS.c.traveller_id)
_BY_DOCUMENT = select(
    literal_column(f"'{BY_DOCUMENT}'").label("found_by"),
    DOCUMENTS.c.id.label("document_id"),
    DOCUMENTS.c.expiry_date.label("document_expiry"),
    DOCUMENTS.c.created_at.label("document_created_at"),
    DOCUMENTS.c.anonymised_at.label("document_anonymised_at"),
    *_TRAVELLER_COLUMNS,
).select_from(_HELD).where(
    DOCUMENTS.c.number == bindparam("number"),
    DOCUMENTS.c.issuing_state == bindparam("issuing_state"),
    DOCUMENTS.c.document_type == bindparam("document_type"),
)  # fmt: skip
# At most two: one is a link, two are an ambiguity (the identity rule then starts a traveller).
_BY_IDENTITY = (
    select(
        literal_column(f"'{BY_IDENTITY}'").label("found_by"),
        # Typed, so PostgreSQL can match them with the document columns of the other branch.
        sql_cast(null(), DOCUMENTS.c.id.type).label("document_id"),
        sql_cast(null(), DOCUMENTS.c.expiry_date.type).label("document_expiry"),
        sql_cast(null(), DOCUMENTS.c.created_at.type).label("document_created_at"),
        sql_cast(null(), DOCUMENTS.c.anonymised_at.type).label("document_anonymised_at"),
        *_TRAVELLER_COLUMNS,
    )
    .where(
        TRAVELLERS.c.surname == bindparam("surname"),
        TRAVELLERS.c.given_names == bindparam("given_names"),
        TRAVELLERS.c.birth_date == bindparam("birth_date"),
        TRAVELLERS.c.nationality == bindparam("nationality"),
        TRAVELLERS.c.sex == bindparam("sex"),
        TRAVELLERS.c.anonymised_at.is_(None),
        TRAVELLERS.c.merged_into_id.is_(None),
    )
    .limit(2)
    .subquery()
)
_BY_IDENTITY_ROWS = select(*_BY_IDENTITY.c)
# Both lookups in one round trip: the document's holder first, else the identity's travellers.
_BY_EITHER = union_all(_BY_DOCUMENT, _BY_IDENTITY_ROWS)
_SET_EXPIRY = (
    update(DOCUMENTS)
    .where(DOCUMENTS.c.id == bindparam("document_id"))
    .values(expiry_date=bindparam("expiry_date"))
)


def lookup_statement(
    lookup: TravellerLookup,
) -> tuple[Select[Any] | CompoundSelect[Any], dict[str, object]] | None:
    """The lookup's statement and parameters; None when the reading has nothing to find by.
    Its rows are what `found_in` reads."""
    document, person = lookup.document, lookup.person
    if document is not None and person is not None:
        return _BY_EITHER, _document_parameters(document) | _person_parameters(person)
    if document is not None:
        return _BY_DOCUMENT, _document_parameters(document)
    if person is not None:
        return _BY_IDENTITY_ROWS, _person_parameters(person)
    return None


def _document_parameters(key: DocumentKey) -> dict[str, object]:
    return {
        "number": key.number,
        "issuing_state": key.issuing_state,
        "document_type": key.document_type,
    }


def _person_parameters(key: PersonKey) -> dict[str, object]:
    return {
        "surname": key.surname,
        "given_names": key.given_names,
        "birth_date": key.birth_date,
        "nationality": key.nationality,
        "sex": key.sex,
    }


def find_travellers(connection: Connection, lookup: TravellerLookup) -> TravellersFound:
    """Look up the holder of the reading's document, else the travellers of its identity."""
    found = lookup_statement(lookup)
    if found is None:
        return NOTHING_FOUND
    statement, parameters = found
    rows = cast(Sequence[FoundRow], connection.execute(statement, parameters).all())
    return found_in(rows, lookup)


def found_in(rows: Sequence[FoundRow], lookup: TravellerLookup) -> TravellersFound:
    """Read the rows of the lookup (by themselves or on desk rows) as what it found."""
    held: HeldDocument | None = None
    same: list[TravellerRow] = []
    for row in rows:
        if row.found_by == BY_DOCUMENT and held is None:
            assert lookup.document is not None and row.document_id is not None
            assert row.document_created_at is not None
            holder = _traveller_of(row)
            key = lookup.document
            document = DocumentRow(
                row.document_id, holder.id, key.document_type, key.issuing_state, key.number,
                row.document_expiry, row.document_created_at, row.document_anonymised_at,
            )  # fmt: skip
            held = HeldDocument(document, holder)
        elif row.found_by == BY_IDENTITY:
            same.append(_traveller_of(row))
    return TravellersFound(held, tuple(same))


def _traveller_of(row: FoundRow) -> TravellerRow:
    return TravellerRow(
        row.id, row.surname, row.given_names, row.name_key, row.sex, row.birth_date,
        row.birth_year, row.nationality, row.created_at, row.anonymised_at,
    )  # fmt: skip


def set_document_expiry(connection: Connection, document: DocumentRow, expiry: date) -> DocumentRow:
    """Store the expiry date of a document stored without one; return the document with it."""
    connection.execute(_SET_EXPIRY, {"document_id": document.id, "expiry_date": expiry})
    return DocumentRow(
        document.id, document.traveller_id, document.document_type, document.issuing_state,
        document.number, expiry, document.created_at, document.anonymised_at,
    )  # fmt: skip


def merged_into(session: Session, holder_id: int, limit: int) -> list[TravellerRow]:
    """Return travellers a supervisor merged into this one (at most `limit`)."""
    rows = session.execute(
        select(*_TRAVELLER_COLUMNS).where(TRAVELLERS.c.merged_into_id == holder_id).limit(limit)
    )
    return [TravellerRow(*row) for row in rows]


def seen_with_document(
    session: Session, document_id: int, holder_id: int, limit: int
) -> list[TravellerRow]:
    """Return travellers other than its holder that crossed with this document (at most
    `limit`, oldest first), neither anonymised nor merged."""
    rows = session.execute(
        select(*_TRAVELLER_COLUMNS)
        .where(
            TRAVELLERS.c.id.in_(
                select(_CROSSINGS.c.traveller_id)
                .where(
                    _CROSSINGS.c.document_id == document_id,
                    _CROSSINGS.c.traveller_id != holder_id,
                )
                .distinct()
            ),
            TRAVELLERS.c.anonymised_at.is_(None),
            TRAVELLERS.c.merged_into_id.is_(None),
        )
        .order_by(TRAVELLERS.c.id)
        .limit(limit)
    )
    return [TravellerRow(*row) for row in rows]


def insert_document(
    connection: Connection, document: NewDocument, traveller_id: int
) -> DocumentRow | None:
    """Store a known traveller's new document; None when the same document is already stored.

    A document a concurrent request stored first is then found and linked to instead of failing
    the crossing: one round trip where a savepoint around a plain INSERT takes three.
    """
    document_id = backend_of(connection).insert_document(connection, document, traveller_id)
    return None if document_id is None else _document_row(document, document_id, traveller_id)


def store_traveller(
    connection: Connection, traveller: NewTraveller, document: NewDocument
) -> tuple[TravellerRow, DocumentRow] | None:
    """Store a new traveller with their document; None when the document is already stored
    (and nothing of the traveller is kept)."""
    stored = backend_of(connection).store_traveller(connection, traveller, document)
    if stored is None:
        return None
    return stored_rows(traveller, document, stored.traveller_id, stored.document_id)


def stored_rows(
    traveller: NewTraveller, document: NewDocument, traveller_id: int, document_id: int
) -> tuple[TravellerRow, DocumentRow]:
    """The rows of a new traveller and document, stored together under these ids."""
    return (
        _traveller_row(traveller, traveller_id, document.created_at),
        _document_row(document, document_id, traveller_id),
    )


def store_traveller_alone(
    connection: Connection, traveller: NewTraveller, created_at: datetime
) -> TravellerRow:
    """Store a new traveller and their name keys, without a document."""
    traveller_id = insert_traveller(connection, traveller, created_at)
    return _traveller_row(traveller, traveller_id, created_at)


def _traveller_row(
    traveller: NewTraveller, traveller_id: int, created_at: datetime
) -> TravellerRow:
    return TravellerRow(
        traveller_id, traveller.surname, traveller.given_names, traveller.name_key, traveller.sex,
        traveller.birth_date, traveller.birth_year, traveller.nationality, created_at, None,
    )  # fmt: skip


def _document_row(document: NewDocument, document_id: int, traveller_id: int) -> DocumentRow:
    return DocumentRow(
        document_id, traveller_id, document.document_type, document.issuing_state,
        document.number, document.expiry_date, document.created_at, None,
    )  # fmt: skip


def holder_of(session: Session, document_id: int | None) -> int:
    """Return the id of the traveller a stored document is on record with."""
    return session.scalars(
        select(TravelDocument.traveller_id).where(TravelDocument.id == document_id)
    ).one()


def traveller_with_documents(session: Session, traveller_id: int) -> Traveller | None:
    """Return a traveller with their documents loaded, or None."""
    return session.scalars(
        select(Traveller)
        .where(Traveller.id == traveller_id)
        .options(selectinload(Traveller.documents))
    ).one_or_none()


def crossings_of(session: Session, traveller_id: int) -> list[Crossing]:
    """Return a traveller's crossings, oldest first, with what a history shows of each."""
    return list(
        session.scalars(
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
    )
