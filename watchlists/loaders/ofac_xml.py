"""OFAC SDN XML (`sdn.xml`): `sdnList/publshInformation/Publish_Date` and one `sdnEntry` each.

The namespace changed over the years (http://tempuri.org/sdnList.xsd, then
https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML), so tags are
read without it. Mapping, kept identical to `ofac_csv` so switching formats yields no deltas:
entry_id = uid; primary name 'lastName, firstName' (the CSV's SDN_Name spelling); akaList/aka
with category strong → STRONG, weak → WEAK; dateOfBirthList/dateOfBirthItem/dateOfBirth parsed
like the CSV's 'DOB' clauses; nationalityList and citizenshipList → alpha-3; idList/id whose
idType is an identity or travel document → documents (tax and registry numbers stay out);
idType 'Gender' or a 'Gender …' remark → sex. Entities, vessels and aircraft are Skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from xml.etree.ElementTree import Element

from watchlists.errors import FormatError
from watchlists.loaders import xml_stream
from watchlists.loaders.fields import country_code, entry_name, sex_code
from watchlists.loaders.ofac_remarks import (
    is_document_label,
    parse_dob,
    read_remarks,
    with_title,
)
from watchlists.loaders.records import Record, Skipped
from watchlists.loaders.xml_stream import text
from watchlists.models import IdentityDocument, NameQuality, PersonEntry, Rejected

FORMAT = "ofac_xml"

_RECORDS = frozenset({"sdnEntry"})
_CATEGORY = {"strong": NameQuality.STRONG, "weak": NameQuality.WEAK}


class _RecordError(ValueError):
    """One element of an sdnEntry is wrong; the message starts with the element name."""


def source_files(path: Path) -> tuple[Path, ...]:
    """Return the files that make up this source: just the XML."""
    return (path,)


def read_published(path: Path) -> date | None:
    """Return publshInformation/Publish_Date (MM/DD/YYYY), if the file has one."""
    root = xml_stream.read_head(path, _RECORDS)
    published = text(root.find("publshInformation"), "Publish_Date") if root is not None else None
    if published is None:
        return None
    try:
        return datetime.strptime(published, "%m/%d/%Y").date()
    except ValueError as exc:
        reason = f"Publish_Date: {published!r} is not MM/DD/YYYY"
        raise FormatError(reason, path=str(path), location="publshInformation") from exc


def iter_records(path: Path, *, progress: bool | None = None) -> Iterator[Record]:
    """Yield a PersonEntry per Individual sdnEntry, Skipped for others, Rejected naming it."""
    for element, ordinal in xml_stream.iter_records(path, _RECORDS, progress=progress):
        uid = text(element, "uid")
        location = f"sdnEntry #{ordinal}" + (f" (uid {uid})" if uid else "")
        sdn_type = (text(element, "sdnType") or "entity").lower()
        if sdn_type != "individual":
            yield Skipped(location=location, what=sdn_type)
            continue
        try:
            yield _person(element, uid)
        except _RecordError as exc:
            yield Rejected(location=location, reason=str(exc))


def _full(first: str | None, last: str | None) -> str | None:
    if first and last:
        return f"{last}, {first}"
    return last or first


def _person(element: Element, uid: str | None) -> PersonEntry:
    if uid is None or not uid.isdigit():
        raise _RecordError(f"uid: {uid!r} is not a number")
    first, last = text(element, "firstName"), text(element, "lastName")
    primary = _full(first, last)
    if primary is None:
        raise _RecordError("lastName: is empty")
    names = [entry_name(primary, given=first, family=last)]
    for aka in element.iterfind("akaList/aka"):
        aka_first, aka_last = text(aka, "firstName"), text(aka, "lastName")
        full = _full(aka_first, aka_last)
        if full is None or any(known.full == full for known in names):
            continue
        quality = _CATEGORY.get((text(aka, "category") or "").lower(), NameQuality.STRONG)
        names.append(entry_name(full, quality, given=aka_first, family=aka_last))
    remarks = text(element, "remarks")
    births = []
    for item in element.iterfind("dateOfBirthList/dateOfBirthItem"):
        raw = text(item, "dateOfBirth")
        if raw is None:
            continue
        birth = parse_dob(raw)
        if birth is None:
            raise _RecordError(f"dateOfBirth: {raw!r} is not an OFAC date")
        if birth not in births:
            births.append(birth)
    countries = [
        country_code(value)
        for path in ("nationalityList/nationality", "citizenshipList/citizenship")
        for item in element.iterfind(path)
        if (value := text(item, "country"))
    ]
    sex = None
    documents: list[IdentityDocument] = []
    for item in element.iterfind("idList/id"):
        kind, number = text(item, "idType"), text(item, "idNumber")
        if kind == "Gender":
            sex = sex_code(number)
        elif kind and number and is_document_label(kind):
            issuer = text(item, "idCountry")
            document = IdentityDocument(
                number=number, issuing_state=country_code(issuer) if issuer else None, kind=kind
            )
            if document not in documents:
                documents.append(document)
    return PersonEntry(
        entry_id=uid,
        names=tuple(names),
        birth_dates=tuple(births),
        nationalities=tuple(dict.fromkeys(code for code in countries if code)),
        sex=sex or read_remarks(remarks).sex,
        documents=tuple(documents),
        programs=tuple(
            program.text.strip()
            for program in element.iterfind("programList/program")
            if program.text and program.text.strip()
        ),
        remarks=with_title(text(element, "title"), remarks or "") or None,
    )
