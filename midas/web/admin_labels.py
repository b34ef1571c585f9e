"""The words the administrator's and supervisor's pages show for codes: roles, statuses, kinds.

Codes stay codes in the data and the API; a page shows each through `label_of`, in the page's
language. Each label is a `pgettext` call with the code's kind as its context, because one
English word ("active", "refused") takes a different form per kind in French or Arabic.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from flask_babel import pgettext

Label = Callable[[], str]

LABELS: dict[str, dict[str, Label]] = {
    "role": {
        "officer": lambda: pgettext("role", "officer"),
        "supervisor": lambda: pgettext("role", "supervisor"),
        "admin": lambda: pgettext("role", "admin"),
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
        "air": lambda: pgettext("transport", "air"),
        "land": lambda: pgettext("transport", "land"),
        "sea": lambda: pgettext("transport", "sea"),
        "rail": lambda: pgettext("transport", "rail"),
        "foot": lambda: pgettext("transport", "foot"),
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
}


def label_of(code: str | Enum | None, kind: str) -> str:
    """Return the words for a code of one kind in the page's language; an unknown code as is."""
    if code is None:
        return ""
    value = str(code.value if isinstance(code, Enum) else code)
    label = LABELS[kind].get(value)
    return label() if label is not None else value


def labels_of(kind: str) -> dict[str, str]:
    """Return every code of one kind with its words in the page's language (for a script)."""
    return {code: label() for code, label in LABELS[kind].items()}
