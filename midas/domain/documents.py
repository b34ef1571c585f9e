"""Documents typed in by the officer (no readable MRZ): the one validation every face uses.

The station page, the API and corrections all hand a `ManualDocument` to `checked_manual`
(through `midas.domain.crossings.read_document`), so none of them can accept what another
refuses. Field names in errors are `document.<field>`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import statecodes
from midas.domain.errors import InvalidInput, Problems
from midas.domain.texts import N_

# Doc 9303 Part 4-6: the first letter of a travel document's code.
DOCUMENT_KINDS = frozenset("PIACV")
# The longest document number a traveller's document row keeps.
NUMBER_LENGTH = 40
NAME_LENGTH = 200


@dataclass(frozen=True, slots=True)
class ManualDocument:
    """A document typed in by the officer (no readable MRZ): the facts as written on it."""

    surname: str
    given_names: str = ""
    birth_date: date | None = None
    nationality: str | None = None
    sex: str | None = None
    document_number: str | None = None
    issuing_state: str = ""
    document_type: str = "P"
    expiry_date: date | None = None


def _name(value: str, field: str, *, required: bool) -> str:
    text = " ".join(value.upper().split())
    if required and not text:
        raise InvalidInput(N_("the document's surname is required"), field=f"document.{field}")
    if len(text) > NAME_LENGTH:
        raise InvalidInput(
            N_("at most %(limit)s characters"),
            params={"limit": NAME_LENGTH},
            field=f"document.{field}",
        )
    if any(not (char.isalpha() or char in " -'") for char in text):
        raise InvalidInput(
            N_("a name has letters, spaces, hyphens and apostrophes only"),
            field=f"document.{field}",
        )
    return text


def _state(value: str | None, field: str, *, required: bool) -> str | None:
    code = (value or "").strip().upper()
    if not code:
        if required:
            raise InvalidInput(N_("the issuing state is required"), field=f"document.{field}")
        return None
    if not statecodes.is_known(code):
        raise InvalidInput(
            N_(
                "%(code)s is not a known country code: use ISO 3166-1 alpha-3 (e.g. KEN) or a Doc "
                "9303 code (e.g. UNO, XXA)"
            ),
            params={"code": repr(code)},
            field=f"document.{field}",
        )
    return code


def checked_manual(manual: ManualDocument, today: date) -> ManualDocument:
    """Return a typed-in document normalised (upper case, no spaces in the number); raise
    InvalidInput naming every field that is wrong (`problems`), the first one first."""
    problems = Problems()
    surname = problems.check(lambda: _name(manual.surname, "surname", required=True), "")
    given = problems.check(lambda: _name(manual.given_names, "given_names", required=False), "")
    kind = problems.check(lambda: _kind(manual.document_type), "P")
    number = problems.check(lambda: _number(manual.document_number), "")
    issuing = problems.check(
        lambda: _state(manual.issuing_state, "issuing_state", required=True), None
    )
    nationality = problems.check(
        lambda: _state(manual.nationality, "nationality", required=False), None
    )
    problems.check(lambda: _sex(manual.sex), None)
    problems.check(lambda: _dates(manual, today), None)
    problems.raise_any()
    return replace(
        manual,
        surname=surname,
        given_names=given,
        issuing_state=issuing or "",
        nationality=nationality,
        document_type=kind,
        document_number=number or None,
    )


def _kind(value: str) -> str:
    kind = (value or "P").strip().upper()
    if not 1 <= len(kind) <= 2 or not kind.isalpha() or kind[0] not in DOCUMENT_KINDS:
        raise InvalidInput(
            N_("the document type is one or two letters starting with P, I, A, C or V"),
            field="document.document_type",
        )
    return kind


def _number(value: str | None) -> str:
    # Printed numbers are often grouped with spaces or hyphens; the MRZ and the lists are not.
    number = "".join((value or "").replace("-", " ").split()).upper()
    if number and (not number.isascii() or not number.isalnum()):
        raise InvalidInput(
            N_("the document number has letters and digits only (spaces and hyphens are dropped)"),
            field="document.document_number",
        )
    if len(number) > NUMBER_LENGTH:
        raise InvalidInput(
            N_("the document number has at most %(limit)s characters"),
            params={"limit": NUMBER_LENGTH},
            field="document.document_number",
        )
    return number


def _sex(value: str | None) -> None:
    if value not in (None, "F", "M", "X"):
        raise InvalidInput(N_("the sex is F, M or X (unspecified)"), field="document.sex")


def _dates(manual: ManualDocument, today: date) -> None:
    if manual.birth_date is not None and manual.birth_date > today:
        raise InvalidInput(N_("the date of birth is in the future"), field="document.birth_date")
    if (
        manual.birth_date is not None
        and manual.expiry_date is not None
        and manual.expiry_date <= manual.birth_date
    ):
        raise InvalidInput(
            N_("the expiry date is before the date of birth"), field="document.expiry_date"
        )
