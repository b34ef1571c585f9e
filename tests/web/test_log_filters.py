"""The movement-log page: a document is searched by its number and the state that issued it."""

from __future__ import annotations

from flask import Flask

from tests.web.builders import mrz, record
from tests.web.conftest import Pages


def test_the_log_finds_a_document_by_number_and_issuing_state(pages: Pages, web_app: Flask) -> None:
    record(web_app, "officer1", mrz("ERIKSSON", "ANNA", "X4711", issuing_state="SWE"))
    record(web_app, "officer1", mrz("VIRTANEN", "AINO", "X4711", issuing_state="FIN"))
    pages.login("super1")

    both = pages.client.get("/log?document_number=X4711").get_data(as_text=True)
    one = pages.client.get("/log?document_number=X4711&issuing_state=fin")
    html = one.get_data(as_text=True)

    assert "ERIKSSON" in both and "VIRTANEN" in both
    assert one.status_code == 200
    assert "VIRTANEN" in html and "ERIKSSON" not in html
    assert 'name="issuing_state" value="fin"' in html  # the form keeps what was typed
