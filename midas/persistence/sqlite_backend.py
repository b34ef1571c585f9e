"""The recording path's statements on SQLite: a round trip for each row.

SQLite has no data-modifying CTEs and no LATERAL join: a row and its audit event, a traveller,
their name keys and their document go in one after the other, and the desk is read without the
traveller's lookup. In-process round trips are cheap; the rows stored are those PostgreSQL
stores (`postgresql_backend`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from sqlalchemy import Connection, Insert, Table, insert
from sqlalchemy.dialects import sqlite

from midas.persistence.audit_rows import insert_event
from midas.persistence.models import Crossing
from midas.persistence.new_travellers import (
    DOCUMENT_KEY,
    DOCUMENTS,
    FirstCrossing,
    NewDocument,
    NewTraveller,
    StoredTraveller,
    discard_traveller,
    insert_traveller,
)

_CROSSINGS = cast(Table, Crossing.__table__)
_INSERT_DOCUMENT = (
    sqlite.insert(DOCUMENTS)
    .on_conflict_do_nothing(index_elements=DOCUMENT_KEY)
    .returning(DOCUMENTS.c.id)
)


class SQLite:
    """SQLite: one statement per row, the traveller's lookup apart from the desk."""

    name = "sqlite"
    lateral_lookup = False

    def __init__(self) -> None:
        self._inserts: dict[str, Insert] = {}

    def insert_document(
        self, connection: Connection, document: NewDocument, traveller_id: int
    ) -> int | None:
        values = document.columns() | {"traveller_id": traveller_id, "anonymised_at": None}
        inserted: int | None = connection.execute(_INSERT_DOCUMENT, values).scalar_one_or_none()
        return inserted

    def store_traveller(
        self, connection: Connection, traveller: NewTraveller, document: NewDocument
    ) -> StoredTraveller | None:
        traveller_id = insert_traveller(connection, traveller, document.created_at)
        document_id = self.insert_document(connection, document, traveller_id)
        if document_id is None:
            discard_traveller(connection, traveller_id)
            return None
        return StoredTraveller(traveller_id, document_id)

    def store_first_crossing(
        self,
        connection: Connection,
        traveller: NewTraveller,
        document: NewDocument,
        crossing: Mapping[str, object],
        event: Mapping[str, object],
    ) -> FirstCrossing | None:
        stored = self.store_traveller(connection, traveller, document)
        if stored is None:
            return None
        values = {**crossing, "traveller_id": stored.traveller_id,
                  "document_id": stored.document_id}  # fmt: skip
        # The event names the new traveller, as PostgreSQL's statement adds them to its detail.
        detail = event["detail"]
        known = dict(detail) if isinstance(detail, Mapping) else {}
        event = {**event, "detail": known | {"traveller_id": stored.traveller_id}}
        crossing_id = self.insert_audited(connection, _CROSSINGS, values, event)
        return FirstCrossing(crossing_id, stored.traveller_id, stored.document_id)

    def insert_audited(
        self,
        connection: Connection,
        table: Table,
        values: Mapping[str, object],
        event: Mapping[str, object],
    ) -> int:
        statement = self._inserts.get(table.name)
        if statement is None:
            statement = self._inserts.setdefault(table.name, insert(table).returning(table.c.id))
        new_id = int(connection.execute(statement, values).scalar_one())
        insert_event(connection, event, new_id)
        return new_id
