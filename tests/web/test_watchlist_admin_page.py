"""The watchlists page: names checked, every file of a format taken, warnings and refusals said
in plain words, the removal override a checkbox that is logged."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from midas.persistence.database import database
from midas.persistence.models import AuditEvent, Watchlist
from tests.web.conftest import Pages, csrf_of

# The load form and what it says (tests/midas load lists on both databases).
pytestmark = pytest.mark.one_backend

HEADER = b"entry_id,name,birth_date\n"
OFAC_ROW = '{n},"SURNAME{n}, Given",individual,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
SDN = "".join(OFAC_ROW.format(n=n) for n in range(1, 30)).encode()


def persons(count: int) -> bytes:
    return HEADER + b"".join(f"W{n},Person Number{n} Listed,1970\n".encode() for n in range(count))


def post(pages: Pages, name: str, files: list[tuple[bytes, str]], **form: Any) -> Any:
    token = csrf_of(pages.client.get("/admin/watchlists").get_data(as_text=True))
    data = {"name": name, "kind": "person", "format": "csv", "csrf_token": token} | form
    data["file"] = [(io.BytesIO(content), file_name) for content, file_name in files]
    return pages.client.post("/admin/watchlists", data=data, content_type="multipart/form-data")


def load_page(pages: Pages, response: Any) -> str:
    """Follow an upload to its load page and return that page once the load has settled."""
    assert response.status_code == 302, response.get_data(as_text=True)
    path = response.headers["Location"]
    deadline = time.monotonic() + 60
    while pages.client.get(path + "?format=json").get_json()["state"] == "running":
        assert time.monotonic() < deadline, "the load did not finish within a minute"
        time.sleep(0.05)
    return str(pages.client.get(path).get_data(as_text=True))


def test_a_bad_list_name_is_said_next_to_the_field_and_nothing_is_made(
    pages: Pages, web_app: Flask
) -> None:
    pages.login("admin1")
    with web_app.app_context(), database(web_app).sessions() as db:
        before = set(db.scalars(select(Watchlist.name)))

    response = post(pages, "Bad Name!", [(persons(5), "list.csv")])

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="name-error"' in html
    assert "The list name &#39;Bad Name!&#39; cannot be used (capital letters, spaces" in html
    with web_app.app_context(), database(web_app).sessions() as db:
        assert set(db.scalars(select(Watchlist.name))) == before


def test_the_format_choices_are_the_command_lines_names(pages: Pages) -> None:
    pages.login("admin1")
    html = pages.client.get("/admin/watchlists").get_data(as_text=True)
    for name in ("csv", "ofac-csv", "ofac-xml", "un-xml", "ftm"):
        assert f'value="{name}"' in html
    assert 'value="un_xml"' not in html
    assert 'type="file" multiple' in html or "multiple" in html.split('id="file"')[1][:80]


def test_ofac_sdn_alone_loads_with_a_warning_and_with_its_files_without(pages: Pages) -> None:
    pages.login("admin1")

    alone = load_page(pages, post(pages, "ofac-sdn", [(SDN, "sdn.csv")], format="ofac-csv"))
    alt = b'1,10,"aka","OTHER, Name",-0- \n'
    files = [(SDN, "sdn.csv"), (alt, "alt.csv"), (b"", "add.csv"), (b"", "sdn_comments.csv")]
    complete = load_page(pages, post(pages, "ofac-sdn", files, format="ofac-csv"))

    assert 'id="load-warnings"' in alone and "Loaded, but incomplete" in alone
    assert "alt.csv was not given with sdn.csv: this version lacks the aliases" in alone
    assert "Version 2 of ofac-sdn is now active" in complete
    assert 'id="load-warnings"' not in complete


def test_a_refused_load_shows_no_change_counts_and_no_server_path(pages: Pages) -> None:
    pages.login("admin1")
    assert "now active" in load_page(pages, post(pages, "alerts", [(persons(40), "v1.csv")]))

    html = load_page(pages, post(pages, "alerts", [(persons(10), "v2.csv")]))

    assert "The file was not activated" in html and "Version 1 stays active" in html
    assert "this file would remove 30 of the 40 entries of version 1" in html
    assert "W10 (Person Number10 Listed)" in html
    assert 'id="count-changes"' not in html
    assert "midas-upload" not in html and "/tmp/" not in html


def test_the_removal_override_is_a_checkbox_and_is_logged(pages: Pages, web_app: Flask) -> None:
    pages.login("admin1")
    assert "now active" in load_page(pages, post(pages, "alerts", [(persons(40), "v1.csv")]))

    html = load_page(pages, post(pages, "alerts", [(persons(10), "v2.csv")], allow_removals="y"))

    assert "Version 2 of alerts is now active" in html and "−30" in html
    with web_app.app_context(), database(web_app).sessions() as db:
        [started, *_] = db.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "watchlist.upload")
            .order_by(AuditEvent.id.desc())
        ).all()
    assert started.detail["removals_allowed"] is True


def test_the_old_format_spelling_still_posts(pages: Pages) -> None:
    pages.login("admin1")
    xml = b"<?xml version='1.0'?><CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>"

    html = load_page(pages, post(pages, "un-sc", [(xml, "un.xml")], format="un_xml"))

    assert "<dt>Format</dt><dd>un-xml</dd>" in html
