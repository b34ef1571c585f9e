"""Words for the codes pages print: roles, decisions, statuses, kinds; codes stay codes in data.

A page shows each code through `label_of` (or one of the filters below), in the page's
language. Each label is a `pgettext` call with the code's kind as its context, because one
English word ("active", "refused") takes a different form per kind in French or Arabic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum

from babel.lists import format_list
from flask import Flask
from flask_babel import pgettext
from flask_babel.speaklater import LazyString

from midas.languages import page_language, per_request

Label = Callable[[], str]

LABELS: dict[str, dict[str, Label]] = {
    "role": {
        "officer": lambda: pgettext("role", "officer"),
        "supervisor": lambda: pgettext("role", "supervisor"),
        "admin": lambda: pgettext("role", "admin"),
        "carrier": lambda: pgettext("role", "carrier"),
    },
    "post_kind": {
        "air": lambda: pgettext("post kind", "air"),
        "land": lambda: pgettext("post kind", "land"),
        "sea": lambda: pgettext("post kind", "sea"),
    },
    "list_kind": {
        "person": lambda: pgettext("list kind", "person list"),
        "document": lambda: pgettext("list kind", "document list"),
    },
    "version_state": {
        "loading": lambda: pgettext("list version", "loading"),
        "active": lambda: pgettext("list version", "active"),
        "superseded": lambda: pgettext("list version", "superseded"),
        "failed": lambda: pgettext("list version", "failed"),
    },
    "entry_change": {
        "added": lambda: pgettext("list entries", "Added"),
        "changed": lambda: pgettext("list entries", "Changed"),
        "removed": lambda: pgettext("list entries", "Removed"),
    },
    "outcome": {
        "ok": lambda: pgettext("audit outcome", "ok"),
        "failed": lambda: pgettext("audit outcome", "failed"),
        "locked": lambda: pgettext("audit outcome", "locked"),
    },
    "direction": {
        "entry": lambda: pgettext("direction", "entry"),
        "exit": lambda: pgettext("direction", "exit"),
    },
    "decision": {
        "admitted": lambda: pgettext("decision", "admitted"),
        "refused": lambda: pgettext("decision", "refused"),
        "referred": lambda: pgettext("decision", "referred"),
    },
    "hit_status": {
        "pending": lambda: pgettext("hit status", "pending"),
        "confirmed": lambda: pgettext("hit status", "confirmed"),
        "dismissed": lambda: pgettext("hit status", "dismissed"),
    },
    "anomaly": {
        "exit_without_entry": lambda: pgettext("stay anomaly", "exit without entry"),
        "entry_without_exit": lambda: pgettext("stay anomaly", "entry without exit"),
    },
    "transport": {
        "air": lambda: pgettext("transport", "Air"),
        "land": lambda: pgettext("transport", "Land"),
        "sea": lambda: pgettext("transport", "Sea"),
        "rail": lambda: pgettext("transport", "Rail"),
        "foot": lambda: pgettext("transport", "Foot"),
    },
    "sex": {
        "F": lambda: pgettext("sex", "female"),
        "M": lambda: pgettext("sex", "male"),
        "X": lambda: pgettext("sex", "unspecified"),
    },
    "chip": {
        "verified": lambda: pgettext("chip", "verified"),
        "failed": lambda: pgettext("chip", "failed"),
        "not_verifiable": lambda: pgettext("chip", "not verifiable"),
        "no_chip": lambda: pgettext("chip", "no chip read"),
    },
    "purpose": {
        "tourism": lambda: pgettext("purpose", "Tourism"),
        "business": lambda: pgettext("purpose", "Business"),
        "family": lambda: pgettext("purpose", "Family visit"),
        "study": lambda: pgettext("purpose", "Study"),
        "work": lambda: pgettext("purpose", "Work"),
        "transit": lambda: pgettext("purpose", "Transit"),
        "return": lambda: pgettext("purpose", "Returning resident"),
        "medical": lambda: pgettext("purpose", "Medical"),
        "other": lambda: pgettext("purpose", "Other"),
    },
    "manifest_role": {
        "passenger": lambda: pgettext("manifest", "passenger"),
        "crew": lambda: pgettext("manifest", "crew"),
    },
    # The document's fields, as pages name them where two readings differ or a repair was made.
    "field": {
        "document_type": lambda: pgettext("field", "document type"),
        "issuing_state": lambda: pgettext("field", "issuing state"),
        "document_number": lambda: pgettext("field", "document number"),
        "surname": lambda: pgettext("field", "surname"),
        "given_names": lambda: pgettext("field", "given names"),
        "nationality": lambda: pgettext("field", "nationality"),
        "birth_date": lambda: pgettext("field", "birth date"),
        "sex": lambda: pgettext("field", "sex"),
        "expiry_date": lambda: pgettext("field", "expiry date"),
        "document_expiry": lambda: pgettext("field", "expiry date"),
        "optional_data": lambda: pgettext("field", "optional data"),
        "name": lambda: pgettext("field", "name"),
    },
    # The keyboard layouts a station's computer may have (scanners.keyboards.LAYOUTS).
    "keyboard_layout": {
        "us": lambda: pgettext("keyboard", "English (US)"),
        "fr": lambda: pgettext("keyboard", "French"),
        "be": lambda: pgettext("keyboard", "Belgian"),
        "de": lambda: pgettext("keyboard", "German"),
        "ch": lambda: pgettext("keyboard", "German (Switzerland)"),
        "fr-oss": lambda: pgettext("keyboard", "French (alt.)"),
        "ara": lambda: pgettext("keyboard", "Arabic"),
    },
    # The list formats an administrator loads (watchlists.loaders' public names).
    "list_format": {
        "csv": lambda: pgettext("list format", "Generic CSV"),
        "ofac-csv": lambda: pgettext("list format", "OFAC SDN CSV"),
        "ofac-xml": lambda: pgettext("list format", "OFAC SDN XML"),
        "un-xml": lambda: pgettext("list format", "UN Security Council XML"),
        "ftm": lambda: pgettext("list format", "FollowTheMoney JSON lines"),
    },
}


def label_of(code: object, kind: str) -> str:
    """Return the words for a code of one kind in the page's language; an unknown code as is."""
    if code is None:
        return ""
    value = str(code.value if isinstance(code, Enum) else code)
    label = LABELS[kind].get(value)
    return label() if label is not None else value


def labels_of(kind: str) -> dict[str, str]:
    """Return every code of one kind with its words in the page's language (for a script)."""
    return {code: label() for code, label in LABELS[kind].items()}


def choices_of(kind: str, codes: Iterable[str] | None = None) -> list[tuple[str, LazyString]]:
    """Return (code, words) pairs for a form's choices, the words read when the form is shown."""
    wanted = LABELS[kind] if codes is None else codes
    return [(code, LazyString(label_of, code, kind)) for code in wanted]


def field_label(code: object) -> str:
    """Return the words for a document field (birth_date: "birth date"); else the code spaced."""
    key = str(code or "")
    return label_of(key, "field") if key in LABELS["field"] else key.replace("_", " ")


def field_labels(codes: Iterable[object]) -> str:
    """Return the words for several document fields, as a list in the page's language."""
    return format_list([field_label(code) for code in codes], style="unit", locale=page_language())


# The filters templates use: `{{ crossing.decision | decision_label }}`.
FILTERS: dict[str, str] = {
    "decision_label": "decision",
    "direction_label": "direction",
    "purpose_label": "purpose",
    "transport_label": "transport",
    "manifest_role_label": "manifest_role",
    "role_label": "role",
    "sex_label": "sex",
}


def init_app(app: Flask) -> None:
    """Register the label filters for the templates."""
    app.add_template_filter(per_request(label_of), "label_of")
    app.add_template_filter(per_request(field_label), "field_label")
    app.add_template_filter(per_request(field_labels), "field_labels")
    for name, kind in FILTERS.items():
        app.add_template_filter(per_request(lambda code, kind=kind: label_of(code, kind)), name)
