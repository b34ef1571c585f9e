"""Pages: the station's warnings, list settings, merging and splitting travellers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from midas.persistence.database import database
from midas.persistence.models import Crossing, Traveller, Watchlist
from tests.web.builders import STOLEN_NUMBER, form_values, mrz, record
from tests.web.conftest import Pages, csrf_of

# Warnings, list settings, merging and CSV cells as pages show them (tests/midas check the
# rules on both databases).
pytestmark = pytest.mark.one_backend


def scan(pages: Pages, lines: str) -> str:
    token = csrf_of(pages.client.get("/station").get_data(as_text=True))
    response = pages.client.post(
        "/station/scan", data={"mrz": lines, "direction": "entry", "csrf_token": token}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_an_expired_document_preselects_no_decision(pages: Pages) -> None:
    pages.login("officer1")
    html = scan(pages, mrz("LUND", "EVA", "E1234567", nationality="SWE", expiry=date(2020, 1, 1)))
    assert 'id="concerns"' in html and 'id="no-preselection"' in html
    assert form_values(html, "decision-form").get("decision", "") == ""
    assert 'id="override_reason"' in html


def test_a_stolen_document_says_only_a_supervisor_may_admit(pages: Pages) -> None:
    pages.login("officer1")
    html = scan(pages, mrz("MUSTERMANN", "ERIKA", STOLEN_NUMBER, nationality="DEU"))
    assert "Only a supervisor may admit." in html
    assert form_values(html, "decision-form")["decision"] == "referred"


def test_an_admin_sets_a_lists_policy_on_its_page(pages: Pages) -> None:
    pages.login("admin1")
    html = pages.client.get("/admin/watchlists/interpol-sltd").get_data(as_text=True)
    assert form_values(html, "list-settings")["alert_policy"] == "block"
    response = pages.client.post(
        "/admin/watchlists/interpol-sltd",
        data={"alert_policy": "inform", "csrf_token": csrf_of(html)},
    )
    assert response.status_code == 302
    with database(pages.client.application).sessions() as db:
        assert db.scalars(select(Watchlist.alert_policy)).one().value == "inform"


def test_a_supervisor_merges_two_records_of_one_person_on_the_traveller_page(
    pages: Pages,
) -> None:
    app = pages.client.application
    first = record(app, "officer1", mrz("LARSSON", "ANNA", "S1", birth_date=date(1990, 1, 2)))
    second = record(app, "officer1", mrz("LARSSON", "ANNA", "S2", birth_date=date(1990, 2, 1)))
    with database(app).sessions() as db:
        keep, gone = (db.get(Crossing, i).traveller_id for i in (first, second))
    pages.login("super1")
    html = pages.client.get(f"/travellers/{keep}").get_data(as_text=True)
    empty = pages.client.post(
        f"/travellers/{keep}/merge", data={"other": gone, "reason": "", "csrf_token": csrf_of(html)}
    )
    assert empty.status_code == 422
    done = pages.client.post(
        f"/travellers/{keep}/merge",
        data={"other": gone, "reason": "same woman", "csrf_token": csrf_of(html)},
    )
    assert done.status_code == 302
    with database(app).sessions() as db:
        assert db.get(Traveller, gone).merged_into_id == keep
    page = pages.client.get(f"/travellers/{gone}").get_data(as_text=True)
    assert 'id="merged-into"' in page


def test_the_log_export_leaves_empty_cells_empty(pages: Pages) -> None:
    import csv
    import io

    record(pages.client.application, "officer1", mrz("LUND", "EVA", "E7"))  # no refusal code
    pages.login("super1")
    text = pages.client.get("/log.csv").get_data(as_text=True)
    cells = [cell for row in list(csv.reader(io.StringIO(text)))[1:] for cell in row]
    assert "" in cells and "'" not in cells


def test_only_a_cell_that_could_start_a_formula_is_quoted() -> None:
    from midas.domain.spreadsheet import inert

    for formula in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert inert(formula) == "'" + formula
    for plain in ("", "KQ101", "O'BRIEN", 7, None):
        assert inert(plain) == plain


def test_only_a_supervisor_merges_or_splits(pages: Pages) -> None:
    for path in ("/travellers/1/merge", "/travellers/1/split"):
        assert pages.client.post(path, data={}).status_code == 400  # no session, no CSRF token
    for username, page in (("officer1", "/station"), ("admin1", "/admin/users")):
        pages.client.delete_cookie("session")
        pages.login(username)
        token = csrf_of(pages.client.get(page).get_data(as_text=True))
        for path in ("/travellers/1/merge", "/travellers/1/split"):
            response = pages.client.post(path, data={"csrf_token": token})
            assert response.status_code == 403, (username, path, response.status_code)
