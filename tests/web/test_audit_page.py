"""The audit log page finds the searches about a traveller by name, which the log keeps only as
a pseudonym."""

from __future__ import annotations

from flask import Flask

from tests.web.builders import mrz, record
from tests.web.conftest import Pages


def test_the_audit_page_finds_a_search_by_the_travellers_name(pages: Pages, web_app: Flask) -> None:
    record(web_app, "officer1", mrz("ERIKSSON", "ANNA", "X4711", issuing_state="SWE"))
    pages.login("super1")
    assert "ERIKSSON" in pages.client.get("/log?name=Anna+Eriksson").get_data(as_text=True)
    pages.client.post("/logout")
    pages.login("admin1")

    everything = pages.client.get("/admin/audit").get_data(as_text=True)
    found = pages.client.get("/admin/audit?traveller_name=eriksson+anna&action=crossing.*")
    missed = pages.client.get("/admin/audit?traveller_name=eriksson&action=crossing.*")

    assert "every administrative action" in everything  # as the administrator
    assert "crossing.search" in everything and "ERIKSSON" not in everything.upper()
    html = found.get_data(as_text=True)
    assert found.status_code == 200 and "crossing.search" in html
    assert 'name="traveller_name" value="eriksson anna"' in html  # the form keeps what was typed
    assert "crossing.search" not in missed.get_data(as_text=True)  # a name short of a word
