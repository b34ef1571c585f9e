"""A typed-in document is checked once, in the domain: the page and the API agree."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from midas.domain.documents import ManualDocument, checked_manual
from midas.domain.errors import InvalidInput
from statecodes import is_known as is_known_state

TODAY = date(2026, 12, 7)
TYPED = {
    "surname": "Otieno",
    "given_names": "Brian",
    "birth_date": "1985-03-02",
    "nationality": "KEN",
    "sex": "M",
    "document_number": "K1234567",
    "issuing_state": "KEN",
    "document_type": "P",
    "expiry_date": "2030-01-31",
}


def manual(**changes) -> ManualDocument:
    values = {**TYPED, **changes}
    for key in ("birth_date", "expiry_date"):
        if isinstance(values[key], str):
            values[key] = date.fromisoformat(values[key])
    return ManualDocument(**values)


@given(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=3))
def test_a_state_code_is_accepted_exactly_when_the_reader_knows_it(code):
    for field in ("issuing_state", "nationality"):
        try:
            checked = checked_manual(manual(**{field: code.lower()}), TODAY)
        except InvalidInput as error:
            assert error.field == f"document.{field}"
            assert not is_known_state(code)
        else:
            assert is_known_state(code) and getattr(checked, field) == code


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"surname": "  "}, "surname"),
        ({"surname": "R2D2"}, "surname"),
        ({"document_number": "K#123"}, "document_number"),
        ({"document_number": "K" * 41}, "document_number"),
        ({"sex": "Q"}, "sex"),
        ({"document_type": "ZZ"}, "document_type"),
        ({"birth_date": "2027-01-01"}, "birth_date"),
        ({"expiry_date": "1980-01-01"}, "expiry_date"),
    ],
)
def test_each_wrong_field_is_named(changes, field):
    with pytest.raises(InvalidInput) as caught:
        checked_manual(manual(**changes), TODAY)
    assert caught.value.field == f"document.{field}"


def test_a_typed_document_is_normalised():
    checked = checked_manual(manual(surname=" otieno ", document_number="k-123 4567"), TODAY)
    assert (checked.surname, checked.document_number) == ("OTIENO", "K1234567")


def test_the_api_refuses_the_typed_in_state_the_page_refuses(app, station):
    for path, extra in (("/api/v1/screenings", {}), ("/api/v1/crossings", {
        "client_id": str(uuid.uuid4()), "direction": "entry", "decision": "referred",
    })):  # fmt: skip
        sent = {"officer": "officer_a", "document": {**TYPED, "issuing_state": "ZZZ"}, **extra}
        response = station.post(path, json=sent)
        assert response.status_code == 422, response.get_json()
        assert "ZZZ" in str(response.get_json()), response.get_json()
