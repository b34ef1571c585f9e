"""Manual entry at the station: type the document in when its MRZ is damaged or absent."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.builders import STOLEN_NUMBER, form_values
from tests.web.conftest import Pages, csrf_of

# The manual form, its errors and its preview: the same on either database.
pytestmark = pytest.mark.one_backend

DOCUMENT = {
    "document_type": "P",
    "document_number": "K1234567",
    "issuing_state": "ken",
    "surname": "Otieno",
    "given_names": "Brian Ouma",
    "nationality": "KEN",
    "birth_date": "1985-03-02",
    "sex": "M",
    "expiry_date": "2030-01-31",
    "direction": "entry",
}


def check(pages: Pages, **changes: str) -> Any:
    """Send the manual-entry form with the document, changed as given."""
    token = csrf_of(pages.client.get("/station/manual").get_data(as_text=True))
    return pages.client.post("/station/manual", data={**DOCUMENT, **changes, "csrf_token": token})


def test_the_station_offers_manual_entry_and_the_form_has_labels(pages: Pages) -> None:
    pages.login("officer1")
    assert 'href="/station/manual"' in pages.client.get("/station").get_data(as_text=True)
    html = pages.client.get("/station/manual").get_data(as_text=True)
    for label in ("Document number", "Issuing state", "Surname", "Date of birth", "Expiry date"):
        assert f">{label}" in html


def test_a_typed_document_is_previewed_like_a_scanned_one(pages: Pages) -> None:
    pages.login("officer1")
    response = check(pages)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "OTIENO, BRIAN OUMA" in html
    assert 'id="entered-by-hand"' in html
    assert 'id="screen-clear"' in html
    assert "No crossing of this traveller or document on record at any post" in html
    assert form_values(html, "decision-form")["decision"] == "admitted"


def test_a_bad_date_is_explained_next_to_its_field(pages: Pages) -> None:
    pages.login("officer1")
    response = check(pages, birth_date="02/03/1985")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="birth_date-error"' in html
    assert "is not a date: write it as YYYY-MM-DD" in html
    assert 'id="decision-form"' not in html


def test_an_unknown_country_code_is_explained_next_to_its_field(pages: Pages) -> None:
    pages.login("officer1")
    html = check(pages, nationality="KNY").get_data(as_text=True)
    assert 'id="nationality-error"' in html
    assert "&#39;KNY&#39; is not a known country code" in html


def test_missing_fields_are_each_named(pages: Pages) -> None:
    pages.login("officer1")
    response = check(pages, surname="", document_number="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Type the surname." in html
    assert "Type the document number." in html


def test_a_typed_stolen_document_raises_the_banner(pages: Pages) -> None:
    pages.login("officer1")
    html = check(
        pages, document_number=STOLEN_NUMBER, issuing_state="DEU", nationality="DEU"
    ).get_data(as_text=True)
    assert 'id="hit-banner"' in html
    assert "interpol-sltd" in html
    assert form_values(html, "decision-form")["decision"] == "referred"


def test_the_recorded_crossing_says_it_was_entered_by_hand(pages: Pages) -> None:
    pages.login("officer1")
    preview = check(pages).get_data(as_text=True)
    response = pages.client.post("/station/record", data=form_values(preview, "decision-form"))
    assert response.status_code == 302
    desk = pages.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "OTIENO, BRIAN OUMA admitted" in desk
    assert "(document entered by hand)" in desk

    pages.client.post("/logout", data={"csrf_token": csrf_of(desk)})
    pages.login("super1")
    log = pages.client.get("/log?name=otieno").get_data(as_text=True)
    start = log.index("/travellers/")
    traveller = log[start : log.index('"', start)]
    history = pages.client.get(traveller).get_data(as_text=True)
    assert "entered by hand" in history
    assert "K1234567" in history


def test_a_decision_error_keeps_the_typed_document(pages: Pages) -> None:
    pages.login("officer1")
    preview = check(pages).get_data(as_text=True)
    values = form_values(preview, "decision-form") | {"decision": "refused", "refusal_reason": ""}
    response = pages.client.post("/station/record", data=values)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "OTIENO, BRIAN OUMA" in html
    assert 'id="entered-by-hand"' in html
    assert form_values(html, "decision-form")["manual"] == values["manual"]


def test_every_wrong_field_is_explained_at_once(pages: Pages) -> None:
    pages.login("officer1")
    response = check(
        pages, birth_date="02/03/1985", nationality="XXQ", sex="Q", document_number="K-12#4"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("birth_date", "nationality", "sex", "document_number"):
        assert f'id="{field}-error"' in html, field
