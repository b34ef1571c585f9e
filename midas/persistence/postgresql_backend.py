"""The recording path's statements on PostgreSQL: rows that need each other go in together.

A row and its audit event, a new traveller with their name keys and document, and a first-time
traveller's crossing with all of these go in as data-modifying CTEs of one statement, where
SQLite takes a round trip for each (`sqlite_backend`). The document is inserted "or nothing":
when a concurrent request stored the same document first, the rows that need it are not
inserted either, the new traveller is discarded, and the caller links to the stored document.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, cast

from sqlalchemy import (
    Connection,
    Insert,
    Select,
    String,
    Table,
    bindparam,
    func,
    insert,
    select,
    true,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY

from midas.persistence.audit_rows import audit_event_insert, audited_insert, event_parameters
from midas.persistence.direct import DirectStatement
from midas.persistence.models import Crossing
from midas.persistence.new_travellers import (
    DOCUMENT_KEY,
    DOCUMENTS,
    NAME_KEYS,
    TRAVELLERS,
    FirstCrossing,
    NewDocument,
    NewTraveller,
    StoredTraveller,
    discard_traveller,
)

_CROSSINGS = cast(Table, Crossing.__table__)
_INSERT_DOCUMENT = (
    postgresql.insert(DOCUMENTS)
    .on_conflict_do_nothing(index_elements=DOCUMENT_KEY)
    .returning(DOCUMENTS.c.id)
)

# A new row is never anonymised nor merged, and the traveller is created with the document
# (`created_at` is the document's): fewer parameters keep these statements within psycopg's
# cache of parsed queries (see `_EMPTY`).
_NEW_TRAVELLER_COLUMNS = [
    c for c in TRAVELLERS.c if c.key not in ("id", "created_at", "anonymised_at", "merged_into_id")
]
_NEW_TRAVELLER = (
    insert(TRAVELLERS)
    .from_select(
        [*(column.key for column in _NEW_TRAVELLER_COLUMNS), "created_at"],
        select(
            *(bindparam(f"traveller_{c.key}", type_=c.type) for c in _NEW_TRAVELLER_COLUMNS),
            bindparam("created_at", type_=TRAVELLERS.c.created_at.type),
        ),
    )
    .returning(TRAVELLERS.c.id)
    .cte("new_traveller")
)
_NEW_KEYS = (
    insert(NAME_KEYS)
    .from_select(
        ["traveller_id", "key"],
        select(_NEW_TRAVELLER.c.id, func.unnest(bindparam("keys", type_=ARRAY(String)))),
    )
    .cte("new_keys")
)
_DOCUMENT_COLUMNS = [c for c in DOCUMENTS.c if c.key not in ("id", "traveller_id", "anonymised_at")]
# Its `id` and `traveller_id` are those of the document stored; no row if it was stored already.
_NEW_DOCUMENT = (
    postgresql.insert(DOCUMENTS)
    .from_select(
        ["traveller_id", *(column.key for column in _DOCUMENT_COLUMNS)],
        select(
            _NEW_TRAVELLER.c.id,
            *(bindparam(column.key, type_=column.type) for column in _DOCUMENT_COLUMNS),
        ),
    )
    .on_conflict_do_nothing(index_elements=DOCUMENT_KEY)
    .returning(DOCUMENTS.c.id, DOCUMENTS.c.traveller_id)
    .cte("new_document")
)
# The new traveller's id always, the document's id only if it was not already stored (then the
# traveller is discarded).
_TRAVELLER_WITH_DOCUMENT = (
    select(_NEW_TRAVELLER.c.id.label("traveller_id"), _NEW_DOCUMENT.c.id)
    .select_from(_NEW_TRAVELLER.outerjoin(_NEW_DOCUMENT, true()))
    .add_cte(_NEW_KEYS)
)

# A first crossing's columns that the new traveller and document give.
_FROM_DOCUMENT = ("traveller_id", "document_id")
# Columns a crossing recorded now leaves empty: it corrects nothing and is not anonymised. They
# are left out of the statement (NULL), which keeps its parameters under the 50 with which
# psycopg caches a parsed query; a test holds every statement of a recording within that.
# Nor is a first-time traveller's document on record with anyone else (document_holder_id).
_EMPTY = (
    "anonymised_at",
    "corrects_id",
    "correction_reason",
    "document_holder_id",
    "late_entry_reason",
)
_NOT_BOUND = frozenset((*_FROM_DOCUMENT, *_EMPTY))


class _FirstCrossingRow(Protocol):
    """The row of a first crossing's statement: no crossing id when the document was stored."""

    id: int | None
    traveller_id: int
    document_id: int | None


def _first_crossing(columns: tuple[str, ...]) -> Select[Any]:
    crossing = (
        insert(_CROSSINGS)
        .from_select(
            [*columns, *_FROM_DOCUMENT],
            select(
                *(bindparam(f"row_{name}", type_=_CROSSINGS.c[name].type) for name in columns),
                _NEW_DOCUMENT.c.traveller_id,
                _NEW_DOCUMENT.c.id,
            ),
        )
        .returning(_CROSSINGS.c.id, _CROSSINGS.c.traveller_id, _CROSSINGS.c.document_id)
        .cte("new_crossing")
    )
    event = audit_event_insert(crossing.c.id, {"traveller_id": crossing.c.traveller_id})
    # The traveller's id even when the document conflicted, to discard them.
    return (
        select(_NEW_TRAVELLER.c.id.label("traveller_id"), crossing.c.id, crossing.c.document_id)
        .select_from(_NEW_TRAVELLER.outerjoin(crossing, true()))
        .add_cte(_NEW_KEYS, event.cte("new_event"))
    )


def _new_parameters(traveller: NewTraveller, document: NewDocument) -> dict[str, object]:
    """The parameters of `_NEW_TRAVELLER`, `_NEW_KEYS` and `_NEW_DOCUMENT`."""
    parameters = {f"traveller_{key}": value for key, value in traveller.columns().items()}
    parameters["keys"] = list(traveller.keys)
    return parameters | document.columns()


class PostgreSQL:
    """PostgreSQL: a LATERAL join for the desk's lookup, one statement for rows that go together."""

    name = "postgresql"
    lateral_lookup = True

    def __init__(self) -> None:
        # Built once per set of columns and run straight on the driver (`direct`).
        self._first_crossings: dict[tuple[str, ...], DirectStatement[_FirstCrossingRow]] = {}
        self._audited: dict[tuple[str, tuple[str, ...]], Insert] = {}

    def insert_document(
        self, connection: Connection, document: NewDocument, traveller_id: int
    ) -> int | None:
        values = document.columns() | {"traveller_id": traveller_id, "anonymised_at": None}
        inserted: int | None = connection.execute(_INSERT_DOCUMENT, values).scalar_one_or_none()
        return inserted

    def store_traveller(
        self, connection: Connection, traveller: NewTraveller, document: NewDocument
    ) -> StoredTraveller | None:
        parameters = _new_parameters(traveller, document)
        stored = connection.execute(_TRAVELLER_WITH_DOCUMENT, parameters).one()
        if stored.id is None:
            discard_traveller(connection, stored.traveller_id)
            return None
        return StoredTraveller(stored.traveller_id, stored.id)

    def store_first_crossing(
        self,
        connection: Connection,
        traveller: NewTraveller,
        document: NewDocument,
        crossing: Mapping[str, object],
        event: Mapping[str, object],
    ) -> FirstCrossing | None:
        given = [name for name in _EMPTY if crossing.get(name) is not None]
        if given:
            raise ValueError(f"a crossing recorded now has no {', '.join(given)}")
        columns = tuple(sorted(name for name in crossing if name not in _NOT_BOUND))
        statement = self._first_crossings.get(columns)
        if statement is None:
            statement = self._first_crossings.setdefault(
                columns, DirectStatement(_first_crossing(columns))
            )
        parameters = {f"row_{name}": crossing[name] for name in columns}
        parameters |= event_parameters(event) | _new_parameters(traveller, document)
        (row,) = statement.execute(connection, parameters)
        if row.id is None:
            discard_traveller(connection, row.traveller_id)
            return None
        assert row.document_id is not None  # stored with the crossing
        return FirstCrossing(row.id, row.traveller_id, row.document_id)

    def insert_audited(
        self,
        connection: Connection,
        table: Table,
        values: Mapping[str, object],
        event: Mapping[str, object],
    ) -> int:
        key = (table.name, tuple(sorted(values)))
        statement = self._audited.get(key)
        if statement is None:
            statement = self._audited.setdefault(key, audited_insert(table, key[1]))
        parameters = {f"row_{name}": value for name, value in values.items()}
        parameters |= event_parameters(event)
        return int(connection.execute(statement, parameters).scalar_one())
