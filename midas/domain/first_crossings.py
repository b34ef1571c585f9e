"""A first-time traveller's crossing on PostgreSQL: one statement stores it all.

The traveller, their name search keys, their document, the crossing and its audit event go in
as data-modifying CTEs of one statement, where they would take two round trips. The crossing
is inserted from the document's CTE: when a concurrent request stored the same document first,
the document insert does nothing, and so do the crossing and the event; the new traveller is
then discarded and the caller links the reading to the stored document instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple, Protocol, cast

from sqlalchemy import Select, Table, bindparam, insert, select, true
from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.audit import audit_values
from midas.domain.travellers import (
    NEW_DOCUMENT,
    NEW_KEYS,
    NEW_TRAVELLER,
    NewTraveller,
    discard_traveller,
)
from midas.persistence.audit_rows import audit_event_insert, event_parameters
from midas.persistence.direct import DirectStatement
from midas.persistence.models import Crossing

_CROSSINGS = cast(Table, Crossing.__table__)
# The crossing's columns that the new traveller and document give.
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
_STATEMENTS: dict[tuple[str, ...], DirectStatement[_Stored]] = {}


class _Stored(Protocol):
    """The row of a first crossing's statement: no crossing id when the document was stored."""

    id: int | None
    traveller_id: int
    document_id: int | None


class FirstCrossing(NamedTuple):
    """The ids the statement stored."""

    crossing_id: int
    traveller_id: int
    document_id: int


def _statement(columns: tuple[str, ...]) -> Select[Any]:
    crossing = (
        insert(_CROSSINGS)
        .from_select(
            [*columns, *_FROM_DOCUMENT],
            select(
                *(bindparam(f"row_{name}", type_=_CROSSINGS.c[name].type) for name in columns),
                NEW_DOCUMENT.c.traveller_id,
                NEW_DOCUMENT.c.id,
            ),
        )
        .returning(_CROSSINGS.c.id, _CROSSINGS.c.traveller_id, _CROSSINGS.c.document_id)
        .cte("new_crossing")
    )
    event = audit_event_insert(crossing.c.id, {"traveller_id": crossing.c.traveller_id})
    # The traveller's id even when the document conflicted, to discard them.
    return (
        select(NEW_TRAVELLER.c.id.label("traveller_id"), crossing.c.id, crossing.c.document_id)
        .select_from(NEW_TRAVELLER.outerjoin(crossing, true()))
        .add_cte(NEW_KEYS, event.cte("new_event"))
    )


def bound_columns(values: Iterable[str]) -> tuple[str, ...]:
    """The crossing's columns that the statement takes as parameters, of those in `values`."""
    return tuple(sorted(name for name in values if name not in _NOT_BOUND))


def statement_for(key: tuple[str, ...]) -> DirectStatement[_Stored]:
    """The statement for a crossing with these `bound_columns` (built once per set), run
    straight on the driver (midas.persistence.direct)."""
    found = _STATEMENTS.get(key)
    if found is None:
        found = _STATEMENTS.setdefault(key, DirectStatement(_statement(key)))
    return found


def insert_first_crossing(
    session: Session,
    planned: NewTraveller,
    values: dict[str, Any],
    actor: Actor,
    detail: dict[str, Any],
) -> FirstCrossing | None:
    """Store a planned traveller with their crossing (`values`, without the traveller and
    document ids) and its `crossing.record` audit event, whose detail gets the traveller's id.

    None when the document turned out to be stored already: then nothing of it is kept.
    """
    given = [name for name in _EMPTY if values.get(name) is not None]
    if given:
        raise ValueError(f"a crossing recorded now has no {', '.join(given)}")
    columns = bound_columns(values)
    statement = statement_for(columns)
    event = audit_values(actor, "crossing.record", "crossing", detail=detail)
    parameters = {f"row_{name}": values[name] for name in columns}
    parameters |= event_parameters(event) | planned.parameters
    (row,) = statement.execute(session.connection(), parameters)
    if row.id is None:
        discard_traveller(session, row.traveller_id)
        return None
    assert row.document_id is not None  # stored with the crossing
    return FirstCrossing(row.id, row.traveller_id, row.document_id)
