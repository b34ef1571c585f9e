"""What the recording path does differently on PostgreSQL and SQLite, behind one interface.

The domain asks what its database can do (`backend_of(session)`), never which one it is: a
PostgreSQL desk query carries the traveller's lookup as a lateral join, and a first-time
traveller goes in with the row that needs them as data-modifying CTEs of one statement; SQLite
takes a round trip for each. Both insert a document "or nothing" when it is already stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert


@dataclass(frozen=True, slots=True)
class Backend:
    """One database's abilities, as the recording path uses them."""

    name: str
    # The desk query can carry the lookup of the reading's traveller (a LATERAL join).
    lateral_lookup: bool
    # A new traveller, their document and the row needing them go in as one statement (CTEs).
    one_statement_inserts: bool
    _insert: Callable[[Table], Any]

    def insert_or_nothing(self, table: Table, keys: Sequence[str]) -> Insert:
        """An INSERT that does nothing (and returns no row) when the unique `keys` are taken."""
        statement: Insert = self._insert(table).on_conflict_do_nothing(index_elements=keys)
        return statement


POSTGRESQL = Backend("postgresql", True, True, postgresql.insert)
SQLITE = Backend("sqlite", False, False, sqlite.insert)
_BACKENDS = {backend.name: backend for backend in (POSTGRESQL, SQLITE)}


def backend_of(bind: Session | Connection) -> Backend:
    """Return the abilities of the database a session or connection works on."""
    dialect = bind.get_bind().dialect if isinstance(bind, Session) else bind.dialect
    try:
        return _BACKENDS[dialect.name]
    except KeyError:
        raise RuntimeError(f"MIDAS runs on PostgreSQL or SQLite, not {dialect.name}") from None
