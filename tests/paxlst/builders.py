"""Builders of the PAXLST tests: flights, travellers, and travellers read from rendered MRZs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from paxlst.models import Flight, Traveller
from scanners.mrz.parse import parse_mrz
from scanners.mrz.render import MRZFields, render

#: The day the tests read manifests on; the century rules count from it.
TODAY = date(2026, 1, 15)


def make_flight(**overrides) -> Flight:
    values = {
        "carrier": "ZZ",
        "flight_number": "123",
        "departure_airport": "SYD",
        "departure_time": datetime(2026, 1, 16, 9, 0),
        "arrival_airport": "HNL",
        "arrival_time": datetime(2026, 1, 16, 22, 0),
    }
    return Flight(**(values | overrides))


def make_traveller(**overrides) -> Traveller:
    values = {
        "role": "passenger",
        "surname": "WILLIAMS",
        "given_names": "JOHN DONALD",
        "sex": "M",
        "birth_date": date(1972, 9, 7),
        "nationality": "GBR",
        "document_type": "P",
        "document_number": "MB140241",
        "document_issuing_state": "GBR",
        "document_expiry": date(2030, 12, 31),
        "booking_reference": "TYR123",
    }
    return Traveller(**(values | overrides))


def traveller_from_mrz(fields: MRZFields, role: str = "passenger", booking: str = "") -> Traveller:
    """Render a TD3 MRZ, read it back as a check-in desk would, and list its holder."""
    result = parse_mrz(render("TD3", fields), today=TODAY)
    assert result.valid, result.problems
    return Traveller(
        role=role,  # type: ignore[arg-type]
        surname=result.surname or "",
        given_names=result.given_names or "",
        sex=result.sex,
        birth_date=result.birth_date,
        nationality=result.nationality,
        document_type=result.document_type,
        document_number=result.document_number,
        document_issuing_state=result.issuing_state,
        document_expiry=result.expiry_date,
        booking_reference=booking or None,
    )


def as_written(traveller: Traveller) -> Traveller:
    """Return the traveller without the place it was read from, to compare with what was written."""
    return replace(traveller, segment_number=0)
