"""Words for the codes pages print: decisions, directions, sexes; codes stay codes in the data."""

from __future__ import annotations

from collections.abc import Iterable

from babel.lists import format_list
from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from midas.languages import page_language

# The English words are the ones the pages showed before they were translated.
DECISIONS: dict[str, LazyString] = {
    "admitted": _l("admitted"),
    "refused": _l("refused"),
    "referred": _l("referred"),
}
DIRECTIONS: dict[str, LazyString] = {"entry": _l("entry"), "exit": _l("exit")}
# The purposes of travel a desk may record, as the forms offer them.
PURPOSES: dict[str, LazyString] = {
    "tourism": _l("Tourism"),
    "business": _l("Business"),
    "family": _l("Family visit"),
    "study": _l("Study"),
    "work": _l("Work"),
    "transit": _l("Transit"),
    "return": _l("Returning resident"),
    "medical": _l("Medical"),
    "other": _l("Other"),
}
# The means of transport (midas.domain.crossing_rules.TRANSPORT_MODES).
TRANSPORTS: dict[str, LazyString] = {
    "air": _l("Air"),
    "foot": _l("Foot"),
    "land": _l("Land"),
    "rail": _l("Rail"),
    "sea": _l("Sea"),
}
# A traveller's part on a flight's manifest (PAXLST).
MANIFEST_ROLES: dict[str, LazyString] = {"passenger": _l("passenger"), "crew": _l("crew")}
# The document's fields, as pages name them where two readings differ or a repair was made.
FIELDS: dict[str, LazyString] = {
    "document_type": _l("document type"),
    "issuing_state": _l("issuing state"),
    "document_number": _l("document number"),
    "surname": _l("surname"),
    "given_names": _l("given names"),
    "nationality": _l("nationality"),
    "birth_date": _l("birth date"),
    "sex": _l("sex"),
    "expiry_date": _l("expiry date"),
    "optional_data": _l("optional data"),
    "name": _l("name"),
}
ROLES: dict[str, LazyString] = {
    "officer": _l("officer"),
    "supervisor": _l("supervisor"),
    "admin": _l("admin"),
}
SEXES: dict[str, LazyString] = {"F": _l("female"), "M": _l("male"), "X": _l("unspecified")}


def _label(labels: dict[str, LazyString], code: object) -> str:
    """Return the page's word for a code (an enum's value or a plain string); else the code."""
    key = str(getattr(code, "value", code) or "")
    label = labels.get(key)
    return str(label) if label is not None else key


def decision_label(code: object) -> str:
    """Return the word for a decision code (admitted, refused, referred)."""
    return _label(DECISIONS, code)


def direction_label(code: object) -> str:
    """Return the word for a direction of travel (entry, exit)."""
    return _label(DIRECTIONS, code)


def purpose_label(code: object) -> str:
    """Return the words for a purpose of travel (tourism, business…)."""
    return _label(PURPOSES, code)


def transport_label(code: object) -> str:
    """Return the word for a means of transport (air, land, sea…)."""
    return _label(TRANSPORTS, code)


def manifest_role_label(code: object) -> str:
    """Return the word for a traveller's part on a manifest (passenger, crew)."""
    return _label(MANIFEST_ROLES, code)


def field_label(code: object) -> str:
    """Return the words for a document field (birth_date: "birth date"); else the code spaced."""
    key = str(code or "")
    label = FIELDS.get(key)
    return str(label) if label is not None else key.replace("_", " ")


def field_labels(codes: Iterable[object]) -> str:
    """Return the words for several document fields, as a list in the page's language."""
    return format_list([field_label(code) for code in codes], style="unit", locale=page_language())


def role_label(code: object) -> str:
    """Return the word for a role (officer, supervisor, admin)."""
    return _label(ROLES, code)


def sex_label(code: object) -> str:
    """Return the word for a sex as the MRZ prints it (F, M, X)."""
    return _label(SEXES, code)


def init_app(app: Flask) -> None:
    """Register the label filters for the templates."""
    app.add_template_filter(decision_label, "decision_label")
    app.add_template_filter(direction_label, "direction_label")
    app.add_template_filter(purpose_label, "purpose_label")
    app.add_template_filter(transport_label, "transport_label")
    app.add_template_filter(manifest_role_label, "manifest_role_label")
    app.add_template_filter(field_label, "field_label")
    app.add_template_filter(field_labels, "field_labels")
    app.add_template_filter(role_label, "role_label")
    app.add_template_filter(sex_label, "sex_label")
