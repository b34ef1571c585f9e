"""Core statements run on the driver's cursor, for the few a recorded crossing runs every time.

SQLAlchemy runs a cached Core statement with about 130 µs of CPU on top of the driver's own
work: the execution context, the parameter and result processing, the result object. Recording
a crossing runs two such statements, and that was 15% of a request's CPU. A `DirectStatement`
compiles its statement with SQLAlchemy once per dialect and keeps what SQLAlchemy would do with
it: the SQL, the bind processors of the parameters' types and the result processors of the
columns' types. It then runs the statement on the DBAPI cursor of the given connection, in that
connection's transaction.

What a caller sees stays SQLAlchemy's: the engine's `before_cursor_execute` and
`after_cursor_execute` listeners are called (statement counts in tests and benchmarks), a
driver error is raised as SQLAlchemy's wrapped exception (`IntegrityError` with the driver's
error as `orig`), and a lost connection is invalidated. Rows are named tuples with the
statement's column keys; tests hold them equal to what `Connection.execute` returns.

Only statements whose SQL and values are known once qualify: no expanding (IN) parameters, no
column default computed in Python for each execution.

`use_driver(False)` (setting DIRECT_STATEMENTS, `MIDAS_DIRECT_STATEMENTS=0`) runs the same
statements through SQLAlchemy instead, for debugging and for checking a SQLAlchemy or driver
upgrade against the plain path.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.selectable import Select

Processor = Callable[[Any], Any]
# The type of a statement's rows as its caller reads them: a Protocol naming the columns read.
R = TypeVar("R")
_ON_DRIVER = [True]


def use_driver(on: bool) -> None:
    """Run `DirectStatement`s on the driver (True, the default) or through SQLAlchemy."""
    _ON_DRIVER[0] = on


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A statement as compiled for one dialect, with the processing of its values."""

    sql: str
    # Parameters the caller gives, each with its type's bind processor (None: taken as is).
    given: tuple[tuple[str, Processor | None], ...]
    # Parameters with values fixed in the statement (separators, say), already processed.
    fixed: dict[str, Any]
    # The parameters' order where the driver takes them by position (SQLite's qmark style).
    positions: tuple[str, ...] | None
    # Builds a row (a named tuple) from the values of its columns.
    make_row: Callable[[Iterable[Any]], tuple[Any, ...]]
    # The columns' result processors; None when no column has one.
    results: tuple[Processor | None, ...] | None


class DirectStatement(Generic[R]):
    """A Core statement run straight on the driver (see the module's docstring); its rows are
    read as `R`, a Protocol of the columns the caller reads."""

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    def compiled(self, dialect: Dialect) -> _Compiled:
        """Return the statement compiled for `dialect` (compiled on first use)."""
        found = self._by_dialect.get(dialect.name)
        if found is None:
            found = self._by_dialect.setdefault(dialect.name, _compile(self.statement, dialect))
        return found

    def execute(self, connection: Connection, parameters: Mapping[str, Any]) -> list[R]:
        """Run the statement with `parameters` in the connection's transaction; return its
        rows as named tuples."""
        if not _ON_DRIVER[0]:
            return cast(list[R], list(connection.execute(self.statement, dict(parameters))))
        dialect = connection.dialect
        compiled = self.compiled(dialect)
        values = dict(compiled.fixed)
        try:
            for name, process in compiled.given:
                value = parameters[name]
                values[name] = value if process is None else process(value)
        except KeyError as missing:
            raise ValueError(f"no value for the statement's parameter {missing}") from None
        arguments: Any = values
        if compiled.positions is not None:
            arguments = tuple(values[name] for name in compiled.positions)
        dbapi_connection = connection.connection
        cursor = dbapi_connection.cursor()
        dispatch = connection.dispatch
        try:
            if dispatch.before_cursor_execute:
                dispatch.before_cursor_execute(
                    connection, cursor, compiled.sql, arguments, None, False
                )
            cursor.execute(compiled.sql, arguments)
            if dispatch.after_cursor_execute:
                dispatch.after_cursor_execute(
                    connection, cursor, compiled.sql, arguments, None, False
                )
            fetched: Sequence[Sequence[Any]] = cursor.fetchall()
        except dialect.loaded_dbapi.Error as error:
            lost = dialect.is_disconnect(error, dbapi_connection, cursor)
            if lost:
                connection.invalidate(error)
            raise DBAPIError.instance(
                compiled.sql,
                arguments,
                error,
                dialect.loaded_dbapi.Error,
                connection_invalidated=lost,
                dialect=dialect,
            ) from error
        finally:
            cursor.close()
        make = compiled.make_row
        results = compiled.results
        if results is None:
            return cast(list[R], [make(row) for row in fetched])
        return cast(list[R], [
            make([value if process is None else process(value)
                  for value, process in zip(row, results, strict=True)])
            for row in fetched
        ])  # fmt: skip


def _compile(statement: Select[Any], dialect: Dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    binds: dict[str, BindParameter[Any]] = compiled.binds
    for bind in binds.values():
        if bind.expanding:
            raise ValueError(f"parameter {bind.key!r} expands: its SQL depends on its values")
    computed = [*compiled.insert_prefetch, *compiled.update_prefetch]
    if computed:
        names = ", ".join(column.key for column in computed)
        raise ValueError(f"the defaults of {names} are computed for each execution: give them")
    # The caller's parameters: those the statement holds no value for.
    given = [name for name, bind in binds.items() if bind.required]
    state = compiled.construct_expanded_state(dict.fromkeys(given), escape_names=False)
    # As SQLAlchemy processes a parameter: by its type's implementation for this dialect.
    processors = {
        name: bind.type.dialect_impl(dialect).bind_processor(dialect)
        for name, bind in binds.items()
    }
    fixed = {}
    for name, value in state.parameters.items():
        if name not in given:
            process = processors.get(name)
            fixed[name] = value if process is None else process(value)
    keys = [str(column.key) for column in statement.selected_columns]
    result_processors = tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, None)
        for column in statement.selected_columns
    )
    return _Compiled(
        sql=state.statement,
        given=tuple((name, processors.get(name)) for name in given),
        fixed=fixed,
        positions=None if state.positiontup is None else tuple(state.positiontup),
        make_row=namedtuple("DirectRow", keys)._make,  # type: ignore[attr-defined]
        results=result_processors if any(result_processors) else None,
    )
