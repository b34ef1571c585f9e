"""Correcting a crossing on a page: a new record pointing at the old one, with a reason."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.web.builders import form_values, mrz, record
from tests.web.conftest import Pages, csrf_of

# The correction form and what it shows (tests/midas check corrections on both databases).
pytestmark = pytest.mark.one_backend

CLEAN = mrz("ERIKSSON", "ANNA MARIA", "L898902C3", nationality="SWE")


def correction(pages: Pages, crossing_id: int, **changes: str) -> tuple[int, str, str]:
    """Open the correction page, change fields, send it; return status, location and page."""
    page = pages.client.get(f"/crossings/{crossing_id}/correct").get_data(as_text=True)
    values = form_values(page, "correction-form") | changes
    response = pages.client.post(f"/crossings/{crossing_id}/correct", data=values)
    return (
        response.status_code,
        response.headers.get("Location", ""),
        response.get_data(as_text=True),
    )


def test_the_page_shows_the_crossing_and_prefills_its_decision(
    pages: Pages, web_app: Flask
) -> None:
    crossing = record(web_app, "officer1", CLEAN, decision="admitted")
    pages.login("super1")
    html = pages.client.get(f"/crossings/{crossing}/correct").get_data(as_text=True)
    assert "ERIKSSON, ANNA MARIA" in html
    values = form_values(html, "correction-form")
    assert values["decision"] == "admitted"
    assert values["transport_ref"] == "KQ101"
    assert values["reason"] == ""


def test_a_supervisor_corrects_and_the_history_shows_the_chain(
    pages: Pages, web_app: Flask
) -> None:
    crossing = record(web_app, "officer1", CLEAN, decision="admitted")
    pages.login("super1")
    status, location, _ = correction(
        pages,
        crossing,
        decision="refused",
        refusal_reason="C",
        reason="No visa: the officer chose admit by mistake",
    )
    assert status == 302
    assert "/travellers/" in location
    history = pages.client.get(location).get_data(as_text=True)
    assert "corrected by crossing" in history
    newer = int(history.split(f"Crossing {crossing} corrected by crossing ", 1)[1].split(";")[0])
    assert f"Corrects {crossing}: “No visa: the officer chose admit by mistake”" in history
    assert f"superseded by {newer}" in history
    assert f'href="/crossings/{newer}/correct"' in history
    assert f'href="/crossings/{crossing}/correct"' not in history


def test_the_reason_is_required(pages: Pages, web_app: Flask) -> None:
    crossing = record(web_app, "officer1", CLEAN)
    pages.login("super1")
    status, _, html = correction(pages, crossing, decision="referred", reason="")
    assert status == 422
    assert 'id="reason-error"' in html
    assert "Say why the crossing is corrected." in html
    assert "superseded" not in pages.client.get("/log?name=eriksson").get_data(as_text=True)


def test_a_refusal_without_its_reason_code_is_named(pages: Pages, web_app: Flask) -> None:
    crossing = record(web_app, "officer1", CLEAN)
    pages.login("super1")
    status, _, html = correction(
        pages, crossing, decision="refused", refusal_reason="", reason="Refused after all"
    )
    assert status == 422
    assert 'id="refusal_reason-error"' in html


def test_a_corrected_crossing_points_to_its_correction(pages: Pages, web_app: Flask) -> None:
    crossing = record(web_app, "officer1", CLEAN)
    pages.login("super1")
    page = pages.client.get(f"/crossings/{crossing}/correct").get_data(as_text=True)
    stale = form_values(page, "correction-form") | {"reason": "first", "decision": "referred"}
    assert pages.client.post(f"/crossings/{crossing}/correct", data=stale).status_code == 302
    html = pages.client.get(f"/crossings/{crossing}/correct").get_data(as_text=True)
    assert 'id="already-corrected"' in html
    assert 'id="correction-form"' not in html
    again = stale | {"client_id": "00000000-0000-4000-8000-000000000001", "reason": "second"}
    response = pages.client.post(f"/crossings/{crossing}/correct", data=again)
    assert response.status_code == 409
    assert "was already corrected by crossing" in response.get_data(as_text=True)


def test_an_officer_corrects_the_crossing_just_recorded(pages: Pages) -> None:
    pages.login("officer1")
    token = csrf_of(pages.client.get("/station").get_data(as_text=True))
    preview = pages.client.post(
        "/station/scan", data={"mrz": CLEAN, "direction": "entry", "csrf_token": token}
    ).get_data(as_text=True)
    recorded = pages.client.post("/station/record", data=form_values(preview, "decision-form"))
    desk = pages.client.get(recorded.headers["Location"]).get_data(as_text=True)
    link = desk.split('id="correct-last"', 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    crossing = int(link.split("/")[2])
    status, location, _ = correction(
        pages, crossing, direction="exit", reason="Wrong direction: she was leaving"
    )
    assert status == 302
    assert location == "/station"
    assert "corrected by crossing" in pages.client.get("/station").get_data(as_text=True)


def test_an_admin_cannot_correct(pages: Pages, web_app: Flask) -> None:
    crossing = record(web_app, "officer1", CLEAN)
    pages.login("admin1")
    assert pages.client.get(f"/crossings/{crossing}/correct").status_code == 403
    assert f'href="/crossings/{crossing}/correct"' not in pages.client.get(
        "/log?name=eriksson"
    ).get_data(as_text=True)
