"""A traveller read for the first time: their columns, name search keys and document as values,
and the statements every database stores or discards them with.

The domain decides the values (`midas.domain.travellers`); how a traveller goes in with their
document, or with the crossing that needs them, is each database's own (`backends`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple, cast

from sqlalchemy import Connection, Table, bindparam, delete, insert

from midas.persistence.models import TravelDocument, Traveller, TravellerNameKey

TRAVELLERS = cast(Table, Traveller.__table__)
DOCUMENTS = cast(Table, TravelDocument.__table__)
NAME_KEYS = cast(Table, TravellerNameKey.__table__)
# A document is one row per number, issuing state and type (a unique constraint).
DOCUMENT_KEY = ("number", "issuing_state", "document_type")


@dataclass(frozen=True, slots=True)
class NewTraveller:
    """A traveller as a document describes them, and the keys fuzzy name search finds them by."""

    surname: str | None
    given_names: str | None
    name_key: str | None
    sex: str | None
    birth_date: date | None
    birth_year: int | None
    nationality: str | None
    keys: tuple[str, ...]

    def columns(self) -> dict[str, object]:
        """Return the traveller's columns as an insert takes them (no id, never anonymised)."""
        return {
            "surname": self.surname,
            "given_names": self.given_names,
            "name_key": self.name_key,
            "sex": self.sex,
            "birth_date": self.birth_date,
            "birth_year": self.birth_year,
            "nationality": self.nationality,
        }


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A travel document not stored yet."""

    document_type: str
    issuing_state: str
    number: str | None
    expiry_date: date | None
    created_at: datetime

    def columns(self) -> dict[str, object]:
        """Return the document's columns as an insert takes them (no id, no traveller)."""
        return {
            "document_type": self.document_type,
            "issuing_state": self.issuing_state,
            "number": self.number,
            "expiry_date": self.expiry_date,
            "created_at": self.created_at,
        }


class StoredTraveller(NamedTuple):
    """The ids of a new traveller and of the document stored with them."""

    traveller_id: int
    document_id: int


class FirstCrossing(NamedTuple):
    """The ids of a first-time traveller's crossing, the traveller and their document."""

    crossing_id: int
    traveller_id: int
    document_id: int


_INSERT_TRAVELLER = insert(TRAVELLERS).returning(TRAVELLERS.c.id)
_INSERT_NAME_KEYS = insert(NAME_KEYS)
_DISCARD_TRAVELLER = delete(TRAVELLERS).where(TRAVELLERS.c.id == bindparam("traveller_id"))
_DISCARD_NAME_KEYS = delete(NAME_KEYS).where(NAME_KEYS.c.traveller_id == bindparam("traveller_id"))


def insert_traveller(connection: Connection, traveller: NewTraveller, created_at: datetime) -> int:
    """Store a traveller and their name search keys, without a document; return their id."""
    values = traveller.columns() | {
        "created_at": created_at,
        "anonymised_at": None,
        "merged_into_id": None,
    }
    traveller_id = int(connection.execute(_INSERT_TRAVELLER, values).scalar_one())
    if traveller.keys:
        connection.execute(
            _INSERT_NAME_KEYS, [{"traveller_id": traveller_id, "key": k} for k in traveller.keys]
        )
    return traveller_id


def discard_traveller(connection: Connection, traveller_id: int) -> None:
    """Delete a traveller just stored for a document that another request stored first.

    Nothing refers to them yet but their name keys, which go with them: a traveller without
    documents or crossings would hold personal data that retention never reaches.
    """
    connection.execute(_DISCARD_NAME_KEYS, {"traveller_id": traveller_id})
    connection.execute(_DISCARD_TRAVELLER, {"traveller_id": traveller_id})
