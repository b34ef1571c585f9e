"""Keyed pseudonyms for the traveller identifiers an audit event would otherwise keep in clear.

The audit log is append-only and is kept after retention has anonymised the crossings. So an
event must not hold a traveller's name or document number as typed: a supervisor's search for
a name, or a screening preview of a passport, would keep them long after the crossings are
gone. Such an event holds a pseudonym instead: an HMAC-SHA-256, under AUDIT_PSEUDONYM_KEY, of
the value in its comparable form.

- Whoever knows the name can still find the events: the audit search takes a name or document
  number and computes the same pseudonym (`AuditFilter.subjects`).
- The log alone gives no name away. Without the key, nobody can hash a list of likely names to
  look for them.
- A name's pseudonym does not depend on case, accents, punctuation or the order of its words
  ("Anna-Maria Eriksson" and "ERIKSSON ANNA MARIA" give the same one).

The key is AUDIT_PSEUDONYM_KEY when set, else derived from SECRET_KEY. Set it separately to
keep the pseudonyms stable when SECRET_KEY is rotated.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from midas.persistence.database import Host
from watchlists.normalize import normalize_document_number, tokenize

EXTENSION_KEY = "midas.pseudonyms"
# Hex digits of the HMAC kept: 128 bits, as unlikely to collide as a random UUID.
_DIGITS = 32


@dataclass(frozen=True, slots=True)
class Pseudonyms:
    """Computes the pseudonyms of traveller identifiers under one key."""

    key: bytes

    def _of(self, kind: str, value: str) -> str:
        digest = hmac.new(self.key, f"{kind}\x1f{value}".encode(), hashlib.sha256).hexdigest()
        return f"{kind}:{digest[:_DIGITS]}"

    def name(self, value: str) -> str:
        """The pseudonym of a person's name (its words folded and sorted)."""
        return self._of("name", " ".join(sorted(tokenize(value))))

    def document_number(self, value: str) -> str:
        """The pseudonym of a document number (upper case, no spaces, hyphens or fillers)."""
        return self._of("document", normalize_document_number(value))


def pseudonyms_for(config: Mapping[str, Any]) -> Pseudonyms:
    """Return the pseudonyms of a configuration: AUDIT_PSEUDONYM_KEY, else one derived from
    SECRET_KEY (never SECRET_KEY itself, which signs cookies)."""
    own = str(config.get("AUDIT_PSEUDONYM_KEY") or "")
    if own:
        return Pseudonyms(own.encode())
    secret = str(config["SECRET_KEY"]).encode()
    return Pseudonyms(hmac.new(secret, b"midas audit pseudonyms", hashlib.sha256).digest())


def app_pseudonyms(app: Host) -> Pseudonyms:
    """Return the app's pseudonyms (built once)."""
    found: Pseudonyms | None = app.extensions.get(EXTENSION_KEY)
    if found is None:
        found = app.extensions.setdefault(EXTENSION_KEY, pseudonyms_for(app.config))
    return found


def audit_subjects(
    pseudonyms: Pseudonyms, name: str | None, document_number: str | None
) -> tuple[str, ...]:
    """The `AuditFilter.subjects` that find the events about a name and/or a document number."""
    subjects = []
    if name:
        subjects.append(pseudonyms.name(name))
    if document_number:
        subjects.append(pseudonyms.document_number(document_number))
    return tuple(subjects)
