"""MRZ problems and checks in words any page language can show.

The `scanners` library reports each problem with a stable code, an English sentence and where
(line, column, field). English pages keep that sentence; other languages show the code's
template here, filled with the place, so the library stays free of translation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from midas.domain.texts import N_, Text, listing, verbatim
from scanners.mrz.result import Problem

# The MRZ fields and check digits by name (scanners.mrz.formats), as words.
FIELD_LABELS: Mapping[str, str] = {
    "document_code": N_("document code"),
    "document_type": N_("document type"),
    "surname": N_("surname"),
    "given_names": N_("given names"),
    "issuing_state": N_("issuing state"),
    "name": N_("name"),
    "document_number": N_("document number"),
    "nationality": N_("nationality"),
    "birth_date": N_("birth date"),
    "sex": N_("sex"),
    "expiry_date": N_("expiry date"),
    "optional_data": N_("optional data"),
    "optional_data_2": N_("optional data"),
    "personal_number": N_("personal number"),
    "composite": N_("composite"),
}

# Problem code -> its template; %(line)s, %(column)s and %(field)s say where.
PROBLEM_TEMPLATES: Mapping[str, str] = {
    "empty": N_("no MRZ lines were given"),
    "line_count": N_("the number of lines is wrong: an MRZ has 2 (TD2, TD3, visas) or 3 (TD1)"),
    "line_length": N_("line %(line)s has the wrong number of characters for its format"),
    "bad_character": N_(
        "line %(line)s, column %(column)s: a character that is not an MRZ character"
    ),
    "not_a_digit": N_(
        "%(field)s: line %(line)s, column %(column)s is not a digit where a digit must stand"
    ),
    "uncertain_character": N_(
        "line %(line)s, column %(column)s: the reader was unsure of this character and no check "
        "digit covers it: verify against the printed page"
    ),
    "ambiguous_repair": N_(
        "%(field)s: the check digit cannot tell the possible readings apart: verify against the "
        "printed page"
    ),
    "repair_withdrawn": N_(
        "%(field)s: a repair was withdrawn because another check still fails, so the characters "
        "stand as read: verify against the printed page"
    ),
    "document_code": N_("the document code does not belong on this kind of document"),
    "unknown_state": N_("%(field)s: not an ISO 3166-1 alpha-3 or Doc 9303 code"),
    "bad_date": N_("%(field)s: not a date (YYMMDD)"),
    "bad_sex": N_("sex: not M, F, X or <"),
    "no_name": N_("name: no primary identifier"),
}


def field_labels(names: Sequence[str]) -> Text:
    """Return MRZ or identity fields named as words, in one list ("birth date, sex")."""
    return listing([field_label(name) for name in names])


def field_label(name: str | None) -> Text:
    """Return an MRZ field's or check's name as words."""
    if name is None:
        return Text("")
    label = FIELD_LABELS.get(name)
    return Text(label) if label is not None else Text(name.replace("_", " "))


def problem_text(problem: Problem | Mapping[str, Any]) -> Text:
    """Return an MRZ problem (the library's, or its JSON form) as a text for people."""
    found = problem._asdict() if isinstance(problem, Problem) else dict(problem)
    message = str(found.get("message") or "")
    template = PROBLEM_TEMPLATES.get(str(found.get("code")))
    if template is None:
        return verbatim(message)  # a code this module does not know yet: the library's English
    params = {
        "line": found.get("line") or "",
        "column": found.get("column") or "",
        "field": field_label(found.get("field")),
    }
    return Text(template, params, english=message)
