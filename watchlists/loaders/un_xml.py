"""UN Security Council Consolidated List XML (`consolidated.xml`, schema sc-sanctions.xsd).

Each `INDIVIDUAL` becomes a PersonEntry: entry_id = REFERENCE_NUMBER (e.g. 'QDi.001'), source_ref =
DATAID; the primary name joins FIRST_NAME..FOURTH_NAME in order (the parts are name *positions*,
not given and family names, so those stay unset); NAME_ORIGINAL_SCRIPT is a second primary name
with its ISO 15924 script; INDIVIDUAL_ALIAS quality Good becomes STRONG, Low WEAK (blank counts
as STRONG). INDIVIDUAL_DATE_OF_BIRTH: EXACT DATE or YEAR as given, APPROXIMATELY YEAR widened by
`fields.CIRCA_YEARS`, BETWEEN FROM_YEAR..TO_YEAR; a date with only a NOTE is left out.
NATIONALITY/VALUE is mapped to alpha-3 (values such as 'former Soviet Union' are dropped);
INDIVIDUAL_DOCUMENT keeps TYPE_OF_DOCUMENT, NUMBER and ISSUING_COUNTRY (or COUNTRY_OF_ISSUE).
`ENTITY` records are Skipped: the person list screens individuals.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element

from watchlists.errors import FormatError
from watchlists.loaders import xml_stream
from watchlists.loaders.fields import circa, country_code, entry_name, iso_birth_date, sex_code
from watchlists.loaders.records import Record, Skipped
from watchlists.loaders.xml_stream import text, texts
from watchlists.models import (
    BirthDate,
    EntryName,
    IdentityDocument,
    NameQuality,
    PersonEntry,
    Rejected,
)

FORMAT = "un_xml"

_RECORDS = frozenset({"INDIVIDUAL", "ENTITY"})
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_QUALITY = {"good": NameQuality.STRONG, "low": NameQuality.WEAK}


class _RecordError(ValueError):
    """One element of a record is wrong; the message starts with the element name."""


def source_files(path: Path) -> tuple[Path, ...]:
    """Return the files that make up this source: just the XML."""
    return (path,)


def read_published(path: Path) -> date | None:
    """Return the date of the root's `dateGenerated` attribute, if any."""
    root = xml_stream.read_head(path, _RECORDS)
    generated = root.get("dateGenerated") if root is not None else None
    if not generated:
        return None
    try:
        return date.fromisoformat(generated[:10])
    except ValueError as exc:
        reason = f"dateGenerated: {generated!r} is not an ISO date"
        raise FormatError(reason, path=str(path), location="CONSOLIDATED_LIST") from exc


def iter_records(path: Path, *, progress: bool | None = None) -> Iterator[Record]:
    """Yield a PersonEntry per INDIVIDUAL, Skipped per ENTITY, Rejected naming the element."""
    for element, ordinal in xml_stream.iter_records(path, _RECORDS, progress=progress):
        reference = text(element, "REFERENCE_NUMBER")
        location = f"{element.tag} #{ordinal}" + (f" ({reference})" if reference else "")
        if element.tag == "ENTITY":
            yield Skipped(location=location, what="ENTITY")
            continue
        try:
            yield _person(element, reference)
        except _RecordError as exc:
            yield Rejected(location=location, reason=str(exc))


def _person(element: Element, reference: str | None) -> PersonEntry:
    if reference is None:
        raise _RecordError("REFERENCE_NUMBER: is empty")
    names = _names(element)
    if not names:
        raise _RecordError("FIRST_NAME: no name in FIRST_NAME..FOURTH_NAME or any alias")
    nationalities = (country_code(value) for value in texts(element, "NATIONALITY/VALUE"))
    list_type = text(element, "UN_LIST_TYPE")
    return PersonEntry(
        entry_id=reference,
        names=names,
        birth_dates=tuple(
            dict.fromkeys(
                birth
                for item in element.iterfind("INDIVIDUAL_DATE_OF_BIRTH")
                if (birth := _birth_date(item)) is not None
            )
        ),
        nationalities=tuple(dict.fromkeys(code for code in nationalities if code)),
        sex=sex_code(text(element, "GENDER")),
        documents=tuple(
            dict.fromkeys(
                document
                for item in element.iterfind("INDIVIDUAL_DOCUMENT")
                if (document := _document(item)) is not None
            )
        ),
        programs=(list_type,) if list_type else (),
        remarks=text(element, "COMMENTS1"),
        source_ref=text(element, "DATAID"),
    )


def _names(element: Element) -> tuple[EntryName, ...]:
    names: list[EntryName] = []
    primary = " ".join(part for tag in _NAME_PARTS if (part := text(element, tag)))
    if primary:
        names.append(entry_name(primary))
    original = text(element, "NAME_ORIGINAL_SCRIPT")
    if original:
        names.append(entry_name(original))
    for alias in element.iterfind("INDIVIDUAL_ALIAS"):
        name = text(alias, "ALIAS_NAME")
        if not name or any(known.full == name for known in names):
            continue
        quality = _QUALITY.get((text(alias, "QUALITY") or "").lower(), NameQuality.STRONG)
        names.append(entry_name(name, quality))
    return tuple(names)


def _birth_date(item: Element) -> BirthDate | None:
    kind = (text(item, "TYPE_OF_DATE") or "EXACT").upper()
    full, year = text(item, "DATE"), text(item, "YEAR")
    start, end = text(item, "FROM_YEAR"), text(item, "TO_YEAR")
    try:
        if kind == "BETWEEN" and start and end:
            year_from, year_to = int(start), int(end)
            if year_from > year_to:
                raise ValueError(f"FROM_YEAR {start} is after TO_YEAR {end}")
            return BirthDate(year_from=year_from, year_to=year_to)
        if full or year:
            birth = iso_birth_date(full or year or "")
            return circa(birth.year_from) if kind == "APPROXIMATELY" else birth
    except ValueError as exc:
        raise _RecordError(f"INDIVIDUAL_DATE_OF_BIRTH: {exc}") from exc
    return None


def _document(item: Element) -> IdentityDocument | None:
    number = text(item, "NUMBER")
    if number is None:
        return None
    issuer = text(item, "ISSUING_COUNTRY") or text(item, "COUNTRY_OF_ISSUE")
    return IdentityDocument(
        number=number,
        issuing_state=country_code(issuer) if issuer else None,
        kind=text(item, "TYPE_OF_DOCUMENT"),
    )
