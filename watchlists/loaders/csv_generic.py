"""A documented generic CSV for lists no published format covers (national lists, SLTD extracts).

UTF-8 (a BOM is allowed), comma-separated, RFC 4180 quoting, a header row naming the columns in
any order. The header decides the kind: a `name` column makes a person list, a
`document_number` column a document list. Unknown columns are an error (a misspelt column
would otherwise drop its data silently); optional columns may be left out. Lists inside a cell
are separated by `|`.

Persons (`ListKind.PERSON`)
    entry_id          required; the list's own identifier, unique in the file
    name              required; the primary name as the list spells it
    aliases           `|`-separated other names
    birth_date        `|`-separated dates: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or a range `YYYY..YYYY`
    nationalities     `|`-separated ISO 3166 alpha-3 or Doc 9303 codes (D, UNO, XXA, RKS …),
                      or alpha-2 codes, or English names
    sex               `M`, `F` or empty
    document_numbers  `|`-separated `NUMBER` or `STATE:NUMBER` (STATE as for nationalities)
    category          e.g. `sanctions`, `wanted`; default `sanctions`
    action            what the officer should do on a hit; default from `PersonEntry`

Documents (`ListKind.DOCUMENT`)
    entry_id          required; unique in the file
    document_number   required; as printed on the document
    issuing_state     required; as for nationalities (one code or name)
    document_type     e.g. `P` (passport), `ID`; free text
    status            required; one of lost, stolen, stolen_blank, revoked, invalidated
    reported          `YYYY-MM-DD` the loss or theft was reported
    source_ref        the reporting authority's reference

A row that breaks these rules becomes `Rejected(location="line N", reason="<field>: <why>")`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from watchlists.errors import FormatError
from watchlists.loaders.fields import country_code, entry_name, iso_birth_date
from watchlists.loaders.progress import open_text
from watchlists.loaders.records import Record
from watchlists.models import (
    BirthDate,
    DocumentEntry,
    DocumentStatus,
    IdentityDocument,
    ListKind,
    NameQuality,
    PersonEntry,
    Rejected,
)

FORMAT = "csv"

PERSON_COLUMNS = (
    "entry_id",
    "name",
    "aliases",
    "birth_date",
    "nationalities",
    "sex",
    "document_numbers",
    "category",
    "action",
)
DOCUMENT_COLUMNS = (
    "entry_id",
    "document_number",
    "issuing_state",
    "document_type",
    "status",
    "reported",
    "source_ref",
)
_REQUIRED = {
    ListKind.PERSON: ("entry_id", "name"),
    ListKind.DOCUMENT: ("entry_id", "document_number", "issuing_state", "status"),
}
_YEAR_RANGE = re.compile(r"(\d{4})\.\.(\d{4})")


class _RowError(ValueError):
    """A field of one row is wrong; carries the field name."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        super().__init__(f"{field}: {reason}")


def source_files(path: Path) -> tuple[Path, ...]:
    """Return the files that make up this source: just the CSV."""
    return (path,)


def read_published(path: Path) -> date | None:
    """Return None: the generic CSV carries no publication date."""
    return None


def detect_kind(header: list[str], path: str | None = None) -> ListKind:
    """Return the list kind a header describes; raise FormatError when it fits neither."""
    columns = [column.strip() for column in header]
    allowed: tuple[str, ...]
    if "name" in columns:
        kind, allowed = ListKind.PERSON, PERSON_COLUMNS
    elif "document_number" in columns:
        kind, allowed = ListKind.DOCUMENT, DOCUMENT_COLUMNS
    else:
        raise FormatError(
            "header: needs a 'name' or a 'document_number' column", path=path, location="line 1"
        )
    unknown = [column for column in columns if column not in allowed]
    if unknown:
        raise FormatError(
            f"header: unknown column(s) {', '.join(unknown)}", path=path, location="line 1"
        )
    missing = [column for column in _REQUIRED[kind] if column not in columns]
    if missing:
        raise FormatError(
            f"header: missing column(s) {', '.join(missing)}", path=path, location="line 1"
        )
    if len(set(columns)) != len(columns):
        raise FormatError("header: a column is named twice", path=path, location="line 1")
    return kind


def iter_records(path: Path, *, progress: bool | None = None) -> Iterator[Record]:
    """Yield one PersonEntry or DocumentEntry per row, or Rejected naming the line and field."""
    with open_text(path, desc=path.name, progress=progress) as text:
        # strict: a file that ends inside a quoted field was cut off (a failed download), and
        # must fail the load rather than lose every entry after the cut.
        reader = csv.reader(text, strict=True)
        try:
            header = next(reader, None)
            if header is None:
                raise FormatError("file is empty; a header row is required", path=str(path))
            kind = detect_kind(header, str(path))
            columns = [column.strip() for column in header]
            last_line = reader.line_num
            for row in reader:
                line = last_line + 1
                last_line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(columns):
                    reason = f"row: expected {len(columns)} fields, got {len(row)}"
                    yield Rejected(location=f"line {line}", reason=reason)
                    continue
                cells = {column: cell.strip() for column, cell in zip(columns, row, strict=True)}
                try:
                    if kind is ListKind.PERSON:
                        yield _person(cells)
                    else:
                        yield _document(cells)
                except _RowError as exc:
                    yield Rejected(location=f"line {line}", reason=str(exc))
        except csv.Error as exc:
            raise FormatError(str(exc), path=str(path), location=f"line {reader.line_num}") from exc
        except UnicodeDecodeError as exc:
            reason, location = f"not UTF-8: {exc.reason}", f"after line {reader.line_num}"
            raise FormatError(reason, path=str(path), location=location) from exc


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _required(cells: dict[str, str], field: str) -> str:
    value = cells.get(field, "")
    if not value:
        raise _RowError(field, "is empty")
    return value


def _country(field: str, value: str) -> str:
    code = country_code(value)
    if code is None:
        raise _RowError(field, f"{value!r} is not a known country, ISO 3166 or Doc 9303 code")
    return code


def _birth_date(text: str) -> BirthDate:
    span = _YEAR_RANGE.fullmatch(text)
    if span:
        year_from, year_to = int(span.group(1)), int(span.group(2))
        if year_from > year_to:
            raise _RowError("birth_date", f"{text!r} ends before it starts")
        return BirthDate(year_from=year_from, year_to=year_to)
    try:
        return iso_birth_date(text)
    except ValueError as exc:
        raise _RowError("birth_date", str(exc)) from exc


def _person(cells: dict[str, str]) -> PersonEntry:
    entry_id = _required(cells, "entry_id")
    names = [entry_name(_required(cells, "name"))]
    aliases = _split(cells.get("aliases", ""))
    names += [entry_name(alias, NameQuality.STRONG) for alias in aliases if alias != names[0].full]
    sex = cells.get("sex", "").upper() or None
    if sex not in (None, "M", "F"):
        raise _RowError("sex", f"{cells['sex']!r} is not M, F or empty")
    documents = []
    for item in _split(cells.get("document_numbers", "")):
        state, _, number = item.rpartition(":")
        if not number:
            raise _RowError("document_numbers", f"{item!r} has no number")
        issuer = _country("document_numbers", state) if state else None
        documents.append(IdentityDocument(number=number, issuing_state=issuer))
    nationalities = _split(cells.get("nationalities", ""))
    defaults = PersonEntry(entry_id=entry_id, names=tuple(names))
    return PersonEntry(
        entry_id=entry_id,
        names=tuple(names),
        birth_dates=tuple(_birth_date(text) for text in _split(cells.get("birth_date", ""))),
        nationalities=tuple(dict.fromkeys(_country("nationalities", n) for n in nationalities)),
        sex=sex,
        documents=tuple(documents),
        category=cells.get("category") or defaults.category,
        action=cells.get("action") or defaults.action,
    )


def _document(cells: dict[str, str]) -> DocumentEntry:
    entry_id = _required(cells, "entry_id")
    status_text = _required(cells, "status").lower()
    try:
        status = DocumentStatus(status_text)
    except ValueError as exc:
        allowed = ", ".join(status.value for status in DocumentStatus)
        raise _RowError("status", f"{status_text!r} is not one of {allowed}") from exc
    reported = None
    if cells.get("reported"):
        try:
            reported = date.fromisoformat(cells["reported"])
        except ValueError as exc:
            raise _RowError("reported", f"{cells['reported']!r} is not YYYY-MM-DD") from exc
    return DocumentEntry(
        entry_id=entry_id,
        number=_required(cells, "document_number"),
        issuing_state=_country("issuing_state", _required(cells, "issuing_state")),
        status=status,
        document_type=cells.get("document_type") or None,
        reported=reported,
        source_ref=cells.get("source_ref") or None,
    )
