"""FollowTheMoney JSON lines, as OpenSanctions exports them (`entities.ftm.json`) and their deltas.

One JSON object per line: `{"id", "schema", "properties": {name: [values]}, "target", ...}`.
A `Person` becomes a PersonEntry: entry_id = id; `name` values are PRIMARY names, `alias` and
`previousName` STRONG, `weakAlias` WEAK (given/family are filled only when the entity has exactly
one firstName and one lastName); birthDate (YYYY, YYYY-MM or YYYY-MM-DD); nationality and
citizenship (ISO alpha-2) → alpha-3; gender; passportNumber and idNumber → documents; programId
→ programs; topics → category. Other schemas (Organization, Address, Sanction …) and persons
flagged `"target": false` (relatives and associates, not listed themselves) are Skipped.

A delta file (`entities.delta.json`) has one `{"op": "ADD"|"MOD"|"DEL", "entity": {...}}` per
line; `iter_delta` reads one file or a folder of them in name order (names start with the
version timestamp), and `versions.apply_delta` applies them to the active list version.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from watchlists.errors import FormatError, SourceNotFoundError
from watchlists.loaders.fields import country_code, entry_name, iso_birth_date, sex_code
from watchlists.loaders.progress import open_text
from watchlists.loaders.records import Record, Skipped
from watchlists.models import EntryName, IdentityDocument, NameQuality, PersonEntry, Rejected

FORMAT = "ftm"
DELTA_FORMAT = "ftm_delta"

_NAME_PROPERTIES = (
    ("name", NameQuality.PRIMARY),
    ("alias", NameQuality.STRONG),
    ("previousName", NameQuality.STRONG),
    ("weakAlias", NameQuality.WEAK),
)
_DOCUMENT_PROPERTIES = (("passportNumber", "passport"), ("idNumber", "id"))
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


class _RecordError(ValueError):
    """One property of an entity is wrong; the message starts with the property name."""


@dataclass(frozen=True, slots=True)
class DeltaOp:
    """One operation of an FtM delta: ADD or MOD carry the new record, DEL only the id."""

    op: str
    entity_id: str
    location: str
    record: PersonEntry | Skipped | Rejected | None = None


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
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    if not line.endswith("\n"):
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
    """Yield a PersonEntry per target Person, Skipped per other entity, Rejected per bad line."""
    if not path.is_file():
        raise SourceNotFoundError("file not found", path=str(path))
    for number, data in _lines(path, progress):
        if isinstance(data, Rejected):
            yield data
        else:
            yield entity_record(data, f"line {number}")


def entity_record(data: dict[str, Any], location: str) -> PersonEntry | Skipped | Rejected:
    """Map one FtM entity to a PersonEntry, or say why not."""
    schema = data.get("schema")
    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not entity_id:
        return Rejected(location=location, reason="id: is missing")
    if schema != "Person":
        return Skipped(location=location, what=str(schema))
    if data.get("target") is False:
        return Skipped(location=location, what="Person (not a target)")
    properties = data.get("properties")
    if not isinstance(properties, dict):
        return Rejected(location=location, reason="properties: is not an object")
    try:
        return _person(entity_id, properties)
    except _RecordError as exc:
        return Rejected(location=location, reason=str(exc))


def _values(properties: dict[str, Any], name: str) -> list[str]:
    values = properties.get(name, [])
    if not isinstance(values, list):
        raise _RecordError(f"{name}: is not a list")
    return [value.strip() for value in values if isinstance(value, str) and value.strip()]


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
