"""What the recording path's statements do differently on PostgreSQL and SQLite, behind one
protocol (as yente has providers and httpx transports).

The storage modules ask `backend_of(connection)` to do what differs, never which database it
is: a PostgreSQL desk query carries the traveller's lookup as a lateral join, and rows that need
each other (a row and its audit event; a traveller, their name keys and document; a first-time
traveller's crossing with all of these) go in as data-modifying CTEs of one statement; SQLite
takes a round trip for each. Both insert a document "or nothing" when it is already stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from sqlalchemy import Connection, Table
from sqlalchemy.orm import Session

from midas.persistence.new_travellers import (
    FirstCrossing,
    NewDocument,
    NewTraveller,
    StoredTraveller,
)
from midas.persistence.postgresql_backend import PostgreSQL
from midas.persistence.sqlite_backend import SQLite


class Backend(Protocol):
    """One database's way with the recording path's statements."""

    @property
    def name(self) -> str:
        """The SQLAlchemy dialect's name."""
        ...

    @property
    def lateral_lookup(self) -> bool:
        """Whether the desk query can carry the lookup of the reading's traveller (LATERAL)."""
        ...

    def insert_document(
        self, connection: Connection, document: NewDocument, traveller_id: int
    ) -> int | None:
        """Store a traveller's document; return its id, None when it is already stored."""
        ...

    def store_traveller(
        self, connection: Connection, traveller: NewTraveller, document: NewDocument
    ) -> StoredTraveller | None:
        """Store a new traveller (created with the document), their name keys and document;
        None when the document is already stored (the traveller is then discarded)."""
        ...

    def store_first_crossing(
        self,
        connection: Connection,
        traveller: NewTraveller,
        document: NewDocument,
        crossing: Mapping[str, object],
        event: Mapping[str, object],
    ) -> FirstCrossing | None:
        """Store a first-time traveller as `store_traveller` does, with their crossing (its
        columns but the traveller's and document's ids) and its audit event, whose detail gets
        the traveller's id; None, and nothing kept, when the document is already stored."""
        ...

    def insert_audited(
        self,
        connection: Connection,
        table: Table,
        values: Mapping[str, object],
        event: Mapping[str, object],
    ) -> int:
        """Insert a row and the audit event naming it (by its new id); return the id."""
        ...


_BACKENDS: dict[str, Backend] = {backend.name: backend for backend in (PostgreSQL(), SQLite())}


def backend_of(bind: Session | Connection) -> Backend:
    """Return the backend of the database a session or connection works on."""
    dialect = bind.get_bind().dialect if isinstance(bind, Session) else bind.dialect
    try:
        return _BACKENDS[dialect.name]
    except KeyError:
        raise RuntimeError(f"MIDAS runs on PostgreSQL or SQLite, not {dialect.name}") from None
