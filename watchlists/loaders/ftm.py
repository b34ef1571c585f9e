"""FollowTheMoney JSON lines, as OpenSanctions exports them (`entities.ftm.json`) and their deltas.

One JSON object per line: `{"id", "schema", "properties": {name: [values]}, "target", ...}`.
A `Person` becomes a PersonEntry: entry_id = id; `name` values are PRIMARY names, `alias` and
`previousName` STRONG, `weakAlias` WEAK (given/family are filled only when the entity has exactly
one firstName and one lastName); birthDate (YYYY, YYYY-MM or YYYY-MM-DD); nationality and
citizenship (ISO alpha-2) → alpha-3; gender; passportNumber and idNumber → documents without an
issuing state (the Person does not say which state issued them); programId → programs; topics →
category. A `Passport` or `Identification` entity (number or passportNumber, country, type,
holder) becomes a document with its issuing state on its holder's entry, wherever in the file it
stands: the file is read twice, first for these entities alone. Other schemas (Organization,
Address, Sanction …) and persons flagged `"target": false` (relatives and associates, not listed
themselves) are Skipped.

A delta file (`entities.delta.json`) has one `{"op": "ADD"|"MOD"|"DEL", "entity": {...}}` per
line; `iter_delta` reads one file or a folder of them in name order (names start with the
version timestamp), and `versions.apply_delta` applies them to the active list version.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from watchlists.errors import FormatError, SourceNotFoundError
from watchlists.loaders.fields import country_code, entry_name, iso_birth_date, sex_code
from watchlists.loaders.progress import open_text
from watchlists.loaders.records import Record, Skipped
from watchlists.models import EntryName, IdentityDocument, NameQuality, PersonEntry, Rejected
from watchlists.normalize import normalize_document_number

FORMAT = "ftm"
DELTA_FORMAT = "ftm_delta"

_NAME_PROPERTIES = (
    ("name", NameQuality.PRIMARY),
    ("alias", NameQuality.STRONG),
    ("previousName", NameQuality.STRONG),
    ("weakAlias", NameQuality.WEAK),
)
_DOCUMENT_PROPERTIES = (("passportNumber", "passport"), ("idNumber", "id"))
# Document schemas and the kind their documents get when the entity names no `type`.
_DOCUMENT_SCHEMAS = {"Passport": "passport", "Identification": "id"}
# Bytes every line holding a document entity contains, to skip the rest without parsing it.
_DOCUMENT_MARKS = tuple(f'"{schema}"'.encode() for schema in _DOCUMENT_SCHEMAS)
# First match wins: a person both sanctioned and a PEP is screened as sanctioned.
_CATEGORIES = (
    ("sanction", "sanctions"),
    ("wanted", "wanted"),
    ("crime.terror", "terrorism"),
    ("crime", "crime"),
    ("debarment", "debarment"),
    ("role.pep", "pep"),
)
_DELTA_OPS = frozenset({"ADD", "MOD", "DEL"})
_TIMESTAMP = re.compile(r"(\d{8})\d{6}")


# The JSON decoder recurses once per level of nesting: a line of `[[[[...` exhausts the stack
# (RecursionError, which no caller expects) long before the file's size says anything.
NESTED = "nested too deeply"


def _parse(line: str | bytes) -> Any:
    """Parse one JSON line; one too deep or with too long a number is a JSONDecodeError."""
    try:
        return json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise
    except RecursionError:
        reason = NESTED
    except ValueError:  # int() refuses more than 4300 digits (CPython's conversion guard)
        reason = "a number has too many digits"
    text = line.decode("utf-8", "replace") if isinstance(line, bytes) else line
    raise json.JSONDecodeError(reason, text, 0)


class _RecordError(ValueError):
    """One property of an entity is wrong; the message starts with the property name."""


@dataclass(frozen=True, slots=True)
class HeldDocument:
    """A document entity (Passport, Identification) and the persons who hold it."""

    holders: tuple[str, ...]
    documents: tuple[IdentityDocument, ...]


EntityRecord = PersonEntry | HeldDocument | Skipped | Rejected


@dataclass(frozen=True, slots=True)
class DeltaOp:
    """One operation of an FtM delta: ADD or MOD carry the new record, DEL only the id."""

    op: str
    entity_id: str
    location: str
    record: EntityRecord | None = None


def source_files(path: Path) -> tuple[Path, ...]:
    """Return the JSON-lines file, or every delta file of a folder in the order applied."""
    if path.is_dir():
        return tuple(sorted(path.glob("*.json")))
    return (path,)


def read_published(path: Path) -> date | None:
    """Return the date of the newest delta (names start YYYYMMDDhhmmss), else None."""
    stamps = [m.group(1) for p in source_files(path) if (m := _TIMESTAMP.match(p.name))]
    return datetime.strptime(max(stamps), "%Y%m%d").date() if stamps else None


def _lines(path: Path, progress: bool | None) -> Iterator[tuple[int, dict[str, Any] | Rejected]]:
    """Yield (line number, parsed object or Rejected); a cut-off last line is a FormatError."""
    with open_text(path, desc=path.name, progress=progress) as text:
        number = 0
        try:
            for number, line in enumerate(text, 1):
                if not line.strip():
                    continue
                try:
                    data = _parse(line)
                except json.JSONDecodeError as exc:
                    if not line.endswith("\n") and exc.msg != NESTED:
                        reason = f"file ends inside a record (truncated?): {exc.msg}"
                        raise FormatError(
                            reason, path=str(path), location=f"line {number}"
                        ) from exc
                    yield number, Rejected(location=f"line {number}", reason=f"json: {exc.msg}")
                    continue
                if not isinstance(data, dict):
                    yield number, Rejected(location=f"line {number}", reason="json: not an object")
                    continue
                yield number, data
        except UnicodeDecodeError as exc:
            location = f"after line {number}"
            raise FormatError(
                f"not UTF-8: {exc.reason}", path=str(path), location=location
            ) from exc


def iter_records(path: Path, *, progress: bool | None = None) -> Iterator[Record]:
    """Yield a PersonEntry per target Person, Skipped per other entity, Rejected per bad line.

    A Person's entry carries the documents of every Passport or Identification that names it
    as holder, before or after it in the file.
    """
    if not path.is_file():
        raise SourceNotFoundError("file not found", path=str(path))
    held = _held_documents(path)
    for number, data in _lines(path, progress):
        if isinstance(data, Rejected):
            yield data
            continue
        location = f"line {number}"
        record = entity_record(data, location)
        if isinstance(record, PersonEntry):
            yield with_documents(record, held.get(record.entry_id, ()))
        elif isinstance(record, HeldDocument):
            what = str(data.get("schema"))
            yield Skipped(location=location, what=f"{what} (on its holder's entry)")
        else:
            yield record


def _held_documents(path: Path) -> dict[str, list[IdentityDocument]]:
    """Return the documents of the file's document entities by holder id (a first, quick pass)."""
    held: dict[str, list[IdentityDocument]] = {}
    with path.open("rb") as lines:
        for line in lines:
            if not any(mark in line for mark in _DOCUMENT_MARKS):
                continue
            try:
                data = _parse(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue  # the second pass reports it where it stands
            if not isinstance(data, dict):
                continue
            record = entity_record(data, "")
            if isinstance(record, HeldDocument):
                for holder in record.holders:
                    held.setdefault(holder, []).extend(record.documents)
    return held


def entity_record(data: dict[str, Any], location: str) -> EntityRecord:
    """Map one FtM entity to a PersonEntry or a HeldDocument, or say why not."""
    schema = data.get("schema")
    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not entity_id:
        return Rejected(location=location, reason="id: is missing")
    if schema not in ("Person", *_DOCUMENT_SCHEMAS):
        return Skipped(location=location, what=str(schema))
    if schema == "Person" and data.get("target") is False:
        return Skipped(location=location, what="Person (not a target)")
    properties = data.get("properties")
    if not isinstance(properties, dict):
        return Rejected(location=location, reason="properties: is not an object")
    try:
        if schema == "Person":
            return _person(entity_id, properties)
        document = _held_document(entity_id, str(schema), properties)
    except _RecordError as exc:
        return Rejected(location=location, reason=str(exc))
    return document or Skipped(location=location, what=f"{schema} (no number)")


def with_documents(entry: PersonEntry, documents: Iterable[IdentityDocument]) -> PersonEntry:
    """Return `entry` holding `documents` too, less stateless copies of numbers given a state."""
    merged = tuple(dict.fromkeys((*entry.documents, *documents)))
    stated = {normalize_document_number(d.number) for d in merged if d.issuing_state is not None}
    kept = tuple(
        d
        for d in merged
        if d.issuing_state is not None or normalize_document_number(d.number) not in stated
    )
    return entry if kept == entry.documents else replace(entry, documents=kept)


def without_document(entry: PersonEntry, entity_id: str) -> PersonEntry:
    """Return `entry` without the documents that came from the document entity `entity_id`."""
    kept = tuple(d for d in entry.documents if d.entity_id != entity_id)
    return entry if len(kept) == len(entry.documents) else replace(entry, documents=kept)


def _values(properties: dict[str, Any], name: str) -> list[str]:
    values = properties.get(name, [])
    if not isinstance(values, list):
        raise _RecordError(f"{name}: is not a list")
    return [value.strip() for value in values if isinstance(value, str) and value.strip()]


def _held_document(entity_id: str, schema: str, properties: dict[str, Any]) -> HeldDocument | None:
    holders = tuple(dict.fromkeys(_values(properties, "holder")))
    numbers = _values(properties, "number") + _values(properties, "passportNumber")
    if not numbers:
        return None
    if not holders:
        raise _RecordError("holder: the document names no holder")
    countries = _values(properties, "country")
    states = [code for value in countries if (code := country_code(value))]
    if countries and not states:
        raise _RecordError(f"country: {countries[0]!r} is not a known country or code")
    kinds = _values(properties, "type")
    documents = tuple(
        IdentityDocument(
            number=number,
            issuing_state=states[0] if states else None,
            kind=kinds[0] if kinds else _DOCUMENT_SCHEMAS[schema],
            entity_id=entity_id,
        )
        for number in dict.fromkeys(numbers)
    )
    return HeldDocument(holders=holders, documents=documents)


def _person(entity_id: str, properties: dict[str, Any]) -> PersonEntry:
    firsts, lasts = _values(properties, "firstName"), _values(properties, "lastName")
    given = firsts[0] if len(firsts) == 1 else None
    family = lasts[0] if len(lasts) == 1 else None
    names: dict[str, EntryName] = {}
    for prop, quality in _NAME_PROPERTIES:
        for full in _values(properties, prop):
            if full not in names:
                parts = (given, family) if quality is NameQuality.PRIMARY else (None, None)
                names[full] = entry_name(full, quality, given=parts[0], family=parts[1])
    if not names:
        if not (firsts or lasts):
            raise _RecordError("name: the Person has no name")
        full = " ".join(part for part in (given or " ".join(firsts), family or " ".join(lasts)))
        names[full] = entry_name(full.strip(), given=given, family=family)
    births = []
    for text in _values(properties, "birthDate"):
        try:
            births.append(iso_birth_date(text))
        except ValueError as exc:
            raise _RecordError(f"birthDate: {exc}") from exc
    countries = _values(properties, "nationality") + _values(properties, "citizenship")
    topics = _values(properties, "topics")
    category = next((label for topic, label in _CATEGORIES if topic in topics), "sanctions")
    notes = _values(properties, "notes")
    return PersonEntry(
        entry_id=entity_id,
        names=tuple(names.values()),
        birth_dates=tuple(dict.fromkeys(births)),
        nationalities=tuple(dict.fromkeys(c for v in countries if (c := country_code(v)))),
        sex=next((s for v in _values(properties, "gender") if (s := sex_code(v))), None),
        documents=tuple(
            dict.fromkeys(
                IdentityDocument(number=number, kind=kind)
                for prop, kind in _DOCUMENT_PROPERTIES
                for number in _values(properties, prop)
            )
        ),
        category=category,
        programs=tuple(dict.fromkeys(_values(properties, "programId"))),
        remarks="; ".join(notes) or None,
    )


def iter_delta(path: Path, *, progress: bool | None = None) -> Iterator[DeltaOp | Rejected]:
    """Yield the operations of one delta file, or of every delta file in a folder, in order."""
    files = source_files(path)
    if not files or not all(file.is_file() for file in files):
        raise SourceNotFoundError("no delta file found", path=str(path))
    for file in files:
        for number, data in _lines(file, progress):
            location = f"{file.name} line {number}"
            if isinstance(data, Rejected):
                yield Rejected(location=location, reason=data.reason)
                continue
            op, entity = data.get("op"), data.get("entity")
            if op not in _DELTA_OPS:
                yield Rejected(location=location, reason=f"op: {op!r} is not ADD, MOD or DEL")
                continue
            if not isinstance(entity, dict) or not isinstance(entity.get("id"), str):
                yield Rejected(location=location, reason="entity: has no id")
                continue
            record = None if op == "DEL" else entity_record(entity, location)
            yield DeltaOp(op=str(op), entity_id=entity["id"], location=location, record=record)
