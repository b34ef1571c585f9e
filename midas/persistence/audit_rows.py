"""Audited inserts: the statements of a row and the audit event naming it.

On PostgreSQL both go in one statement (the row in a data-modifying CTE, `audited_insert`), a
round trip fewer on a hot path; elsewhere the event is inserted right after the row
(`insert_event`). Which one runs is each database's own (`midas.persistence.backends`); the
domain hands over the row's values and the event's (`midas.domain.audit.audit_values`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from typing import cast as typed

from sqlalchemy import (
    ColumnElement,
    Connection,
    Insert,
    String,
    Table,
    bindparam,
    cast,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB

from midas.persistence.models import AuditEvent

_AUDIT_EVENTS = typed(Table, AuditEvent.__table__)
_INSERT_EVENT = insert(_AUDIT_EVENTS)
# Columns of an audit event given by the caller; object_id comes from the row being inserted.
_EVENT_COLUMNS = (
    "at",
    "actor",
    "role",
    "remote_addr",
    "action",
    "object_type",
    "outcome",
    "detail",
)


def insert_event(connection: Connection, event: Mapping[str, object], object_id: int) -> None:
    """Insert the audit event of a row stored just before, naming it by its id."""
    connection.execute(_INSERT_EVENT, {**event, "object_id": str(object_id)})


def audited_insert(table: Table, columns: tuple[str, ...]) -> Insert:
    """The INSERT of a row (its `columns` bound as `row_<column>`) with its audit event, in one
    statement returning the row's id as the event's `object_id` (PostgreSQL)."""
    row = (
        insert(table)
        .values({name: bindparam(f"row_{name}", type_=table.c[name].type) for name in columns})
        .returning(table.c.id)
        .cte(f"new_{table.name}")
    )
    return audit_event_insert(row.c.id).returning(_AUDIT_EVENTS.c.object_id)


def audit_event_insert(
    object_id: ColumnElement[Any], detail: Mapping[str, ColumnElement[Any]] | None = None
) -> Insert:
    """The INSERT of the audit event of a row that the same statement inserts (PostgreSQL).

    `object_id` is the new row's id column (of a data-modifying CTE); `detail` adds keys known
    only once the row is stored. The caller binds each event column as `event_<column>`, the
    values of `audit_values` (see `event_parameters`).
    """
    columns: list[ColumnElement[Any]] = [
        bindparam(f"event_{name}", type_=_AUDIT_EVENTS.c[name].type) for name in _EVENT_COLUMNS
    ]
    if detail:
        pairs = [part for key, value in detail.items() for part in (literal(key), value)]
        merged = bindparam("event_detail", type_=JSONB).op("||", return_type=JSONB)(
            func.jsonb_build_object(*pairs)
        )
        columns[_EVENT_COLUMNS.index("detail")] = merged
    return insert(_AUDIT_EVENTS).from_select(
        [*_EVENT_COLUMNS, "object_id"], select(*columns, cast(object_id, String))
    )


def event_parameters(event: Mapping[str, object]) -> dict[str, object]:
    """Return the parameters of `audit_event_insert` for the values of `audit_values`."""
    return {f"event_{name}": event[name] for name in _EVENT_COLUMNS}
