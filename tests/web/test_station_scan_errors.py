"""A scan that cannot be read leaves an empty box for the next one and shows what was read."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.builders import mrz
from tests.web.conftest import Pages, csrf_of

# What the scan box shows after a bad scan: the same on either database.
pytestmark = pytest.mark.one_backend

CLEAN = mrz("ERIKSSON", "ANNA MARIA", "L898902C3", nationality="SWE")
BOX = re.compile(r'<textarea[^>]*name="mrz"[^>]*>(.*?)</textarea>', re.S)
AS_READ = re.compile(r'id="lines-as-read".*?<pre class="mono">(.*?)</pre>', re.S)
# What a scanner or an officer may put in the box: MRZ characters, stray letters, blank lines.
SCANNED = st.lists(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<abc é-", min_size=1, max_size=50),
    min_size=1,
    max_size=4,
)


def scan(pages: Pages, text: str) -> tuple[int, str]:
    token = csrf_of(pages.client.get("/station").get_data(as_text=True))
    response = pages.client.post(
        "/station/scan", data={"mrz": text, "direction": "entry", "csrf_token": token}
    )
    return response.status_code, response.get_data(as_text=True)


def box_of(page: str) -> str:
    found = BOX.search(page)
    assert found, "the page has no scan box"
    return html.unescape(found.group(1)).strip()


def as_read_of(page: str) -> list[str]:
    found = AS_READ.search(page)
    assert found, "the page does not show the lines as read"
    return html.unescape(found.group(1)).splitlines()


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=SCANNED)
def test_after_any_unread_scan_the_box_is_empty_and_the_lines_as_read_are_shown(
    pages: Pages, lines: list[str]
) -> None:
    pages.login("officer1")
    text = "\n".join(lines)
    status, page = scan(pages, text)
    if status == 200:
        return  # the text happened to be a readable MRZ
    assert status == 422
    assert box_of(page) == ""
    assert 'class="error"' in page
    shown = [line.strip() for line in lines if line.strip()]
    if shown:
        assert as_read_of(page) == shown


def test_the_next_scan_after_an_error_is_read(pages: Pages) -> None:
    pages.login("officer1")
    status, page = scan(pages, "P<SWEBROKEN<<LINE")
    assert status == 422
    assert "The MRZ could not be read" in page
    assert "1 line as read" in page
    status, page = scan(pages, CLEAN)
    assert status == 200
    assert "ERIKSSON, ANNA MARIA" in page


def test_the_preview_shows_the_lines_as_read_beside_the_reading(pages: Pages) -> None:
    pages.login("officer1")
    status, page = scan(pages, CLEAN)
    assert status == 200
    assert as_read_of(page) == CLEAN.splitlines()


def test_an_empty_scan_says_what_to_do(pages: Pages) -> None:
    pages.login("officer1")
    status, page = scan(pages, "  \n ")
    assert status == 422
    assert "Scan the document or paste its MRZ lines." in page
    assert box_of(page) == ""
