"""Facts OFAC writes into the free-text remarks of a legacy SDN record.

Remarks are `;`-separated clauses such as `DOB 01 Jan 1960`, `alt. DOB 1962`, `DOB circa 1951`,
`DOB 1960 to 1962`, `nationality Iran`, `citizen Mexico`, `Gender Male`,
`Passport A123 (Iran) expires 09 May 2017`, `National ID No. 216040 (Yemen)` and
`a.k.a. 'ABU ZUBAIDA'` (OFAC keeps its *weak* aliases here, not in alt.csv). A clause that
matches none of these stays only in the remarks text; it is never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from watchlists.loaders.fields import checked_birth_date, circa, country_code, sex_code
from watchlists.models import BirthDate, IdentityDocument

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_DATE = r"(?:(\d{1,2}) )?(?:([A-Z][a-z]{2}) )?(\d{4})"
_DOB_ONE = re.compile(_DATE)
_DOB_RANGE = re.compile(rf"{_DATE} to {_DATE}")
_DOB_CIRCA = re.compile(r"circa (?:(\d{1,2}) )?(?:([A-Z][a-z]{2}) )?(\d{4})(?:-(\d{4}))?")
_ALIAS = re.compile(r"[afn]\.k\.a\. '(.+)'")

# Identity and travel documents a border officer can be shown. Tax, company-registry, vessel and
# crypto identifiers are left in the remarks: nobody presents them at a border.
_DOCUMENT_LABELS = (
    "British National Overseas Passport",
    "Stateless Person Passport",
    "Diplomatic Passport",
    "Passport",
    "National Foreign ID Number",
    "National ID No.",
    "Tazkira National ID Card",
    "Stateless Person ID Card",
    "Personal ID Card",
    "Refugee ID Card",
    "Moroccan Personal ID No.",
    "Kenyan ID No.",
    "Turkish Identification Number",
    "Identification Number",
    "Numero de Identidad",
    "Citizen's Card Number",
    "Cedula No.",
    "D.N.I.",
    "C.U.R.P.",
    "C.U.I.P.",
    "C.U.I.",
    "Travel Document Number",
    "Residency Number",
    "Driver's License No.",
    "Birth Certificate Number",
    "Seafarer's Identification Document",
    "Electoral Registry No.",
    "Credencial electoral",
    "I.F.E.",
    "LE Number",
)
_DOCUMENT = re.compile(
    "(?P<label>"
    + "|".join(re.escape(label) for label in _DOCUMENT_LABELS)
    + r")\s+(?:(?:No\.|Number|#)\s*)?(?P<number>.+?)"
    + r"(?:\s+\((?P<country>[^)]*)\))?"
    + r"(?:\s+(?:issued|expires|Issue Date|Expire Date|Expiration Date)\b.*)?"
)


@dataclass(frozen=True, slots=True)
class RemarkFacts:
    """What could be read from one record's remarks."""

    birth_dates: tuple[BirthDate, ...] = ()
    nationalities: tuple[str, ...] = ()
    sex: str | None = None
    documents: tuple[IdentityDocument, ...] = ()
    weak_aliases: tuple[str, ...] = ()


def parse_dob(text: str) -> BirthDate | None:
    """Parse what follows 'DOB ' in OFAC style; return None when it is not a date."""
    text = text.strip()
    try:
        if match := _DOB_CIRCA.fullmatch(text):
            year = int(match.group(3))
            if match.group(4):
                return BirthDate(year_from=year, year_to=int(match.group(4)))
            return circa(year)
        if match := _DOB_RANGE.fullmatch(text):
            start = _one_date(match.group(1), match.group(2), match.group(3))
            end = _one_date(match.group(4), match.group(5), match.group(6))
            if start == end:
                return start
            if start.year_from > end.year_to:
                return None
            return BirthDate(year_from=start.year_from, year_to=end.year_to)
        if match := _DOB_ONE.fullmatch(text):
            return _one_date(match.group(1), match.group(2), match.group(3))
    except ValueError:
        return None
    return None


def _one_date(day: str | None, month: str | None, year: str) -> BirthDate:
    if month is not None and month not in _MONTHS:
        raise ValueError(f"unknown month {month!r}")
    if day is not None and month is None:
        raise ValueError("day without month")
    return checked_birth_date(
        int(year), _MONTHS[month] if month else None, int(day) if day else None
    )


def is_document_label(label: str) -> bool:
    """Return whether an OFAC id type names an identity or travel document."""
    return label.strip() in _DOCUMENT_LABELS


def parse_document(clause: str) -> IdentityDocument | None:
    """Parse an identity-document clause such as 'Passport A123 (Iran)'; None for other ids."""
    match = _DOCUMENT.fullmatch(clause)
    if not match:
        return None
    number = match.group("number").strip()
    if not number:
        return None
    country = match.group("country")
    return IdentityDocument(
        number=number,
        issuing_state=country_code(country) if country else None,
        kind=match.group("label"),
    )


def clauses(remarks: str) -> list[str]:
    """Split remarks into clauses without the 'alt. ' prefix or the trailing full stop."""
    result = []
    for raw in remarks.split(";"):
        clause = raw.strip()
        clause = clause.removesuffix(".") if not clause.endswith("..") else clause
        clause = clause.removeprefix("alt. ").strip()
        if clause:
            result.append(clause)
    return result


def read_remarks(remarks: str | None) -> RemarkFacts:
    """Read birth dates, nationalities, sex, identity documents and weak aliases from remarks."""
    if not remarks:
        return RemarkFacts()
    births: list[BirthDate] = []
    nationalities: list[str] = []
    documents: list[IdentityDocument] = []
    aliases: list[str] = []
    sex = None
    for clause in clauses(remarks):
        if clause.startswith("DOB "):
            birth = parse_dob(clause[4:])
            if birth is not None and birth not in births:
                births.append(birth)
        elif clause.startswith(("nationality ", "citizen ")):
            code = country_code(clause.split(" ", 1)[1])
            if code is not None and code not in nationalities:
                nationalities.append(code)
        elif clause.startswith("Gender "):
            sex = sex_code(clause[7:]) or sex
        elif match := _ALIAS.fullmatch(clause):
            if match.group(1) not in aliases:
                aliases.append(match.group(1))
        elif (document := parse_document(clause)) and document not in documents:
            documents.append(document)
    return RemarkFacts(
        birth_dates=tuple(births),
        nationalities=tuple(nationalities),
        sex=sex,
        documents=tuple(documents),
        weak_aliases=tuple(aliases),
    )


def with_title(title: str | None, remarks: str) -> str:
    """Return remarks with OFAC's Title field in front, unless the remarks already say it."""
    if title is None or title in remarks:
        return remarks
    return f"Title: {title}; {remarks}" if remarks else f"Title: {title}"
