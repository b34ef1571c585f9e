"""A wedge scanner on a desk whose computer is not US QWERTY: the MRZ is read all the same."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from chip.build_lds import build_dg1, build_dg2
from chip.build_pki import build_sod
from chip.tlv import encode_tlv
from midas.persistence.database import database
from midas.persistence.models import Crossing, Station
from scanners.keyboards import typed_on
from tests.midas.chip_builders import face_jpeg, pki
from tests.web.builders import add_desk, form_values, mrz
from tests.web.conftest import Pages, csrf_of

# The desk's setting and the scan flow; reading back each layout is tested in tests/scanners.
pytestmark = pytest.mark.one_backend

SPECIMEN = mrz("ERIKSSON", "ANNA MARIA", "L898902C3", nationality="SWE")


def use_desk(pages: Pages, web_app: Flask, layout: str) -> int:
    desk = add_desk(web_app, pages.seeded.post_code, "Arrivals 9")
    with database(web_app).sessions.begin() as session:
        session.get(Station, desk).keyboard_layout = layout
    token = csrf_of(pages.client.get("/station").get_data(as_text=True))
    pages.client.post("/station/desk", data={"station_id": str(desk), "csrf_token": token})
    return desk


def scan(pages: Pages, typed: str):
    html = pages.client.get("/station").get_data(as_text=True)
    values = form_values(html, "scan-form") | {"mrz": typed}
    return pages.client.post("/station/scan", data=values)


def test_an_azerty_desk_reads_what_the_scanner_typed_and_records_it(
    pages: Pages, web_app: Flask
) -> None:
    pages.login("officer1")
    use_desk(pages, web_app, "fr")
    typed = typed_on(SPECIMEN, "fr")
    assert typed != SPECIMEN
    shown = scan(pages, typed)
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200, html
    assert "ERIKSSON, ANNA MARIA" in html
    recorded = pages.client.post("/station/record", data=form_values(html, "decision-form"))
    assert recorded.status_code == 302
    with database(web_app).sessions() as session:
        (crossing,) = session.scalars(select(Crossing)).all()
        assert crossing.reading["lines"] == SPECIMEN.splitlines()


def test_a_us_desk_says_the_scanner_types_on_another_layout(pages: Pages, web_app: Flask) -> None:
    pages.login("officer1")
    use_desk(pages, web_app, "us")
    # Y and Z swap on QWERTZ, and names have no check digit: read as it is, YILMAZ ZEYNEP could
    # come out as a valid MRZ of ZILMAY YEZNEP; the desk says what is wrong instead.
    lines = mrz("YILMAZ", "ZEYNEP", "U12345678", nationality="TUR")
    refused = scan(pages, typed_on(lines, "de"))
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "typed on a German keyboard" in page
    assert "set the reader to the keyboard layout of this computer" in page


def test_an_admin_sets_a_stations_keyboard(pages: Pages, web_app: Flask) -> None:
    desk = add_desk(web_app, pages.seeded.post_code, "Arrivals 8")
    pages.login("admin1")
    page = pages.client.get(f"/admin/stations/{desk}/edit").get_data(as_text=True)
    values = form_values(page, "station-edit-form") if 'id="station-edit-form"' in page else None
    token = csrf_of(page)
    post_id = page.split('selected value="', 1)[1].split('"', 1)[0] if values is None else None
    data = values or {"csrf_token": token, "name": "Arrivals 8", "post_id": post_id}
    saved = pages.client.post(f"/admin/stations/{desk}/edit", data=data | {"keyboard_layout": "be"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with database(web_app).sessions() as session:
        assert session.get(Station, desk).keyboard_layout == "be"
    wrong = pages.client.post(f"/admin/stations/{desk}/edit", data=data | {"keyboard_layout": "xx"})
    assert wrong.status_code == 422


def test_a_scan_with_a_large_chip_is_previewed_and_recorded(pages: Pages, web_app: Flask) -> None:
    # A large DG2 and a DG3 (fingerprints): over the 2 MB a request may otherwise carry, and
    # carried on in the decision form, base64, beyond werkzeug's 500 kB for a form field.
    lines = SPECIMEN.splitlines()
    groups = {
        1: build_dg1(lines),
        2: build_dg2(face_jpeg() + bytes(1_000_000), width=24, height=32),
        3: encode_tlv(0x63, bytes(1_000_000)),
    }
    issuer = pki()
    sod = build_sod(groups, issuer.dsc.key, issuer.dsc.certificate, signature="ecdsa")
    pages.login("officer1")
    html = pages.client.get("/station").get_data(as_text=True)
    values = form_values(html, "scan-form") | {"mrz": SPECIMEN}
    values["chip"] = [
        (io.BytesIO(blob), f"f{n}.bin") for n, blob in enumerate([sod, *groups.values()])
    ]
    environ = EnvironBuilder(path="/station/scan", method="POST", data=values).get_environ()
    try:
        shown = pages.client.open(environ)
    finally:
        environ["wsgi.input"].close()  # the test client spooled the body to a temporary file
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200, page[:500]
    assert 'id="chip"' in page
    form = form_values(page, "decision-form")
    environ = EnvironBuilder(path="/station/record", method="POST", data=form).get_environ()
    try:
        recorded = pages.client.open(environ)
    finally:
        environ["wsgi.input"].close()
    assert recorded.status_code == 302
    with database(web_app).sessions() as session:
        (crossing,) = session.scalars(select(Crossing)).all()
        assert crossing.chip_status == "not_verifiable"  # this post trusts no CSCA
