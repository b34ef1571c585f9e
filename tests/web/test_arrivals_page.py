"""Expected arrivals: a flight's hit on the page, a supervisor's referral, and who may look."""

from __future__ import annotations

import io
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from midas.cli import main
from paxlst.write import write_paxlst
from tests.paxlst.builders import make_flight, make_traveller
from tests.web.builders import STOLEN_NUMBER, build_indexes
from tests.web.conftest import Pages, csrf_of

# The page over the domain (tests/midas/test_flights.py runs the domain on both databases).
pytestmark = pytest.mark.one_backend


def load_flight(web_app: Flask, tmp_path) -> None:
    now = datetime.now(ZoneInfo("Africa/Nairobi")).replace(tzinfo=None, second=0, microsecond=0)
    stolen = make_traveller(surname="MEIER", given_names="KARL", document_number=STOLEN_NUMBER,
                            document_issuing_state="DEU", nationality="DEU",
                            birth_date=date(1970, 1, 1))  # fmt: skip
    path = tmp_path / "flight.edi"
    path.write_text(
        write_paxlst(
            make_flight(arrival_airport="NBO", arrival_time=now), [stolen, make_traveller()]
        )
    )
    build_indexes(web_app)
    loaded = web_app.test_cli_runner().invoke(main, ["paxlst", "load", str(path)])
    assert loaded.exit_code == 3, loaded.output


def test_the_hit_shows_on_expected_arrivals_and_a_supervisor_refers(
    pages: Pages, web_app: Flask, tmp_path
) -> None:
    load_flight(web_app, tmp_path)
    pages.login("super1")
    listing = pages.client.get("/arrivals").get_data(as_text=True)
    assert "ZZ123" in listing and 'class="has-hits"' in listing
    flight_url = listing.split('href="/arrivals/', 1)[1].split('"', 1)[0]
    page = pages.client.get(f"/arrivals/{flight_url}").get_data(as_text=True)
    assert "MEIER, KARL" in page and "interpol-sltd SLTD-1" in page
    assert page.index("MEIER") < page.index("WILLIAMS")  # hits first
    action = (
        f"/arrivals/{flight_url}/travellers/"
        + page.split(f'action="/arrivals/{flight_url}/travellers/', 1)[1].split('"', 1)[0]
    )
    referred = pages.client.post(action, data={"csrf_token": csrf_of(page), "referred": "1"})
    assert referred.status_code == 302, referred.headers.get("Location")
    assert referred.headers["Location"].startswith(f"/arrivals/{flight_url}")
    after = pages.client.get(f"/arrivals/{flight_url}").get_data(as_text=True)
    assert "Withdraw referral" in after


def test_an_officer_sees_arrivals_but_cannot_refer(pages: Pages, web_app: Flask, tmp_path) -> None:
    load_flight(web_app, tmp_path)
    pages.login("officer1")
    listing = pages.client.get("/arrivals")
    assert listing.status_code == 200 and "ZZ123" in listing.get_data(as_text=True)
    flight_id = listing.get_data(as_text=True).split('href="/arrivals/', 1)[1].split('"', 1)[0]
    page = pages.client.get(f"/arrivals/{flight_id}").get_data(as_text=True)
    assert "Refer on arrival" not in page
    assert pages.client.post(f"/arrivals/{flight_id}/travellers/1/refer").status_code in (400, 403)


def test_an_administrator_does_not_see_passenger_data(pages: Pages) -> None:
    pages.login("admin1")
    assert pages.client.get("/arrivals").status_code == 403


def test_a_list_uploaded_on_the_admin_page_screens_the_flights_still_to_land(
    pages: Pages, web_app: Flask, tmp_path
) -> None:
    load_flight(web_app, tmp_path)  # WILLIAMS, JOHN DONALD has no hit yet
    pages.login("admin1")
    listed = b"entry_id,name,birth_date,nationalities\nW1,John Donald Williams,1972-09-07,GBR\n"
    token = csrf_of(pages.client.get("/admin/watchlists").get_data(as_text=True))
    uploaded = pages.client.post(
        "/admin/watchlists",
        data={"name": "new-alerts", "kind": "person", "format": "csv", "csrf_token": token,
              "file": [(io.BytesIO(listed), "list.csv")]},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert uploaded.status_code == 302, uploaded.get_data(as_text=True)
    path = uploaded.headers["Location"]
    deadline = time.monotonic() + 60
    while pages.client.get(path + "?format=json").get_json()["state"] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    page = pages.client.get(path).get_data(as_text=True)
    assert 'id="load-rescreened"' in page
    assert "1 flight(s), 2 traveller(s), <strong>1 new hit(s)</strong>" in page
    pages.login("super1")
    listing = pages.client.get("/arrivals").get_data(as_text=True)
    flight_url = listing.split('href="/arrivals/', 1)[1].split('"', 1)[0]
    flight = pages.client.get(f"/arrivals/{flight_url}").get_data(as_text=True)
    assert "new-alerts W1" in flight


def test_a_supervisor_sees_the_no_shows_and_carriers_data_after_the_flights(
    pages: Pages, web_app: Flask, tmp_path
) -> None:
    load_flight(web_app, tmp_path)  # landing now; nobody has reached the desk
    web_app.config["PAXLST_NO_SHOW_GRACE_MINUTES"] = 0
    pages.login("super1")
    listing = pages.client.get("/arrivals").get_data(as_text=True)
    link = listing.split('id="report-link"', 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    page = pages.client.get(link.replace("&amp;", "&"))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    no_shows = html.split('id="no-shows"', 1)[1].split("</table>", 1)[0]
    assert "MEIER, KARL" in no_shows and "WILLIAMS, JOHN DONALD" in no_shows
    assert '<div class="value" id="count-no-shows">2</div>' in html
    carriers = html.split('id="carriers"', 1)[1].split("</table>", 1)[0]
    assert "<td>ZZ</td>" in carriers and "nothing" in carriers
    assert "No flight" not in html.split('id="unlisted"', 1)[1].split("</table>", 1)[0]
    # Within the grace, nobody is a no-show yet.
    web_app.config["PAXLST_NO_SHOW_GRACE_MINUTES"] = 180
    later = pages.client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert '<div class="value" id="count-no-shows">0</div>' in later and 'id="waiting"' in later
    assert pages.client.get("/arrivals/report?day=not-a-day").status_code == 404


def test_officers_and_administrators_do_not_see_the_report(pages: Pages, web_app: Flask) -> None:
    pages.login("officer1")
    assert 'id="report-link"' not in pages.client.get("/arrivals").get_data(as_text=True)
    assert pages.client.get("/arrivals/report").status_code == 403
    pages.login("admin1")
    assert pages.client.get("/arrivals/report").status_code == 403


def test_a_flight_with_its_crew_list_is_not_flagged_as_miscounted(
    pages: Pages, web_app: Flask, tmp_path
) -> None:
    now = datetime.now(ZoneInfo("Africa/Nairobi")).replace(tzinfo=None, second=0, microsecond=0)
    path = tmp_path / "flight.edi"
    crew = make_traveller(role="crew", surname="PILOT", given_names="ANNA")
    flight = make_flight(arrival_airport="NBO", arrival_time=now)
    path.write_text(write_paxlst(flight, [make_traveller(), crew]))
    build_indexes(web_app)
    assert web_app.test_cli_runner().invoke(main, ["paxlst", "load", str(path)]).exit_code == 0
    pages.login("super1")
    listing = pages.client.get("/arrivals").get_data(as_text=True)
    row = listing.split("ZZ123", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">2' in row and "declared" not in row
