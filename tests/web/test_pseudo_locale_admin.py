"""The administrator's and supervisor's pages in the pseudo-locale: every word they show goes
through gettext (bracketed `⟦…⟧`), so none is left in plain English for translators to miss.

What the pages show as data (names, codes, list names, file names) is allowed through; so are
the texts other modules own and mark themselves (form labels and choices in midas/web/forms.py,
the pager and the decision badge in macros.html, the score's meaning in midas/wording.py).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pycountry
import pytest
from flask import Flask, render_template

from midas import languages
from midas.domain.admin import set_stay_rule
from midas.domain.languages import LANGUAGES
from midas.persistence.database import database
from midas.web.inbox import InboxError, claim
from tests.midas.chip_builders import pki
from tests.web.builders import STOLEN_NUMBER, mrz, record
from tests.web.conftest import Pages, csrf_of
from tests.web.test_watchlist_admin_page import load_page, persons, post

# A page's words do not depend on the database.
pytestmark = pytest.mark.one_backend

PSEUDO = re.compile(r"⟦[^⟦⟧]*⟧")
WORD = re.compile(r"[A-Za-z]{3,}")
# Elements whose text is data or code, set left to right: never translated.
DATA_TAGS = {"bdi", "code", "abbr", "script", "style", "datalist", "title"}
DATA_CLASSES = {"mono", "audit-detail"}
# Attributes a person reads or hears.
SHOWN_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt", "aria-valuetext")
# The seed's and this module's data: people, posts, lists, files, zones, scripts' names.
DATA_WORDS = frozenset(
    WORD.findall(
        """Amina Otieno Joseph Mwangi Grace Wanjiru officer super admin
        Nairobi Jomo Kenyatta Airport JKIA NBO Africa EAT UTC
        interpol sltd SLTD alerts csv CSV CSCA CSCAs DSCs CRLs pem germany
        MUSTERMANN ERIKA ERIKSSON ANNA Person Number Listed Gate GATE desk SHA SDG"""
    )
)
# A screening feature's name (the watchlists library's, made translatable with the domain's
# messages by another change).
FOREIGN_FEATURE = re.compile(r'<span class="hit-feature">[^<]*</span>')
# Why a list load failed or a record was rejected: the watchlists library's words.
FOREIGN_REASON = re.compile(r'<(span|td|li) class="load-reason">[^<]*</\1>')


def _country_words() -> set[str]:
    """Return the words of country names (pycountry's catalogs translate them, not gettext)."""
    return {
        word
        for country in pycountry.countries
        for word in WORD.findall(getattr(country, "common_name", None) or country.name)
    }


class _Shown(HTMLParser):
    """Collect the text of <main> a person sees or hears, less what is data."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <main>
        self.skipped: list[str] = []  # open data elements
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "main":
            self.depth += 1
        if tag in ("input", "br", "meta", "link", "img", "progress") and tag != "progress":
            self._attributes(found)
            return
        data = tag in DATA_TAGS or bool(DATA_CLASSES & set(found.get("class", "").split()))
        self.stack.append((tag, data))
        if not any(skip for _, skip in self.stack):
            self._attributes(found)

    def _attributes(self, found: dict[str, str]) -> None:
        if self.depth and not any(skip for _, skip in self.stack):
            self.texts.extend(found[name] for name in SHOWN_ATTRIBUTES if name in found)

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.depth -= 1
        while self.stack:
            opened, _ = self.stack.pop()
            if opened == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.depth and not any(skip for _, skip in self.stack):
            self.texts.append(data)


def plain_english(html: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Return the words of a page's <main> left in plain English (outside gettext and data)."""
    for foreign in (FOREIGN_FEATURE, FOREIGN_REASON):
        html = foreign.sub("", html)
    reader = _Shown()
    reader.feed(html)
    text = " ".join(reader.texts)
    for autonym in LANGUAGES.values():  # each language is named in itself, in every language
        text = text.replace(autonym, " ")
    while PSEUDO.search(text):  # a translated text may hold another (an error in a sentence)
        text = PSEUDO.sub(" ", text)
    known = DATA_WORDS | _country_words() | allowed
    return sorted({word for word in WORD.findall(text) if word not in known})


@pytest.fixture
def pseudo(pages: Pages, web_app: Flask) -> Iterator[Pages]:
    """Return the page client with the pseudo-locale on."""
    web_app.config["PSEUDO_LOCALE"] = True
    yield pages
    web_app.config["PSEUDO_LOCALE"] = False


def test_the_check_finds_plain_english_and_passes_what_gettext_marked() -> None:
    page = "<main><h1>⟦Ùsérs····⟧</h1><p>Loaded <bdi>admin1</bdi> ⟦x⟧</p></main>"
    assert plain_english(page) == ["Loaded"]
    assert plain_english("<main><td class='mono'>DEU</td>(Germany)</main>") == []


def _admin_pages(pages: Pages, web_app: Flask) -> Iterator[tuple[str, str]]:
    """Make something to show on each administrator's page; yield each page's path and HTML."""
    client = pages.client
    pages.login("admin1")

    def get(path: str, status: int = 200) -> tuple[str, str]:
        response = client.get(path, follow_redirects=True)
        assert response.status_code == status, path
        return path, response.get_data(as_text=True)

    html = client.get("/admin/posts").get_data(as_text=True)
    created = client.post(
        "/admin/posts",
        data={"code": "NBO-GATE", "name": "Gate", "kind": "land", "country": "KEN",
              "timezone": "Africa/Nairobi", "locale": "fr", "csrf_token": csrf_of(html)},
        follow_redirects=True,
    )  # fmt: skip
    yield "/admin/posts (created)", created.get_data(as_text=True)
    refused = client.post(
        "/admin/posts", data={"code": "!", "kind": "sea", "csrf_token": csrf_of(html)}
    )
    assert refused.status_code == 422
    yield "/admin/posts (refused)", refused.get_data(as_text=True)
    html = client.get("/admin/users").get_data(as_text=True)
    yield "/admin/users", html
    user_id = re.search(r'href="/admin/users/(\d+)/password"', html)
    assert user_id
    yield get(f"/admin/users/{user_id.group(1)}/password")
    html = client.get("/admin/stations").get_data(as_text=True)
    post_id = re.search(r'<option value="(\d+)"', html)
    assert post_id
    client.post(
        "/admin/stations",
        data={"post_id": post_id.group(1), "name": "desk 7", "csrf_token": csrf_of(html)},
    )
    html = client.get("/admin/stations").get_data(as_text=True)
    assert 'id="station-token"' in html
    yield "/admin/stations (token shown)", html
    station_id = re.search(r'href="/admin/stations/(\d+)/edit"', html)
    assert station_id
    yield get(f"/admin/stations/{station_id.group(1)}/edit")
    html = client.get("/admin/stay-rules").get_data(as_text=True)
    saved = client.post(
        "/admin/stay-rules",
        data={"nationality": "GBR", "allowed_days": "90", "window_days": "180",
              "csrf_token": csrf_of(html)},
        follow_redirects=True,
    )  # fmt: skip
    yield "/admin/stay-rules", saved.get_data(as_text=True)
    html = client.get("/admin/trust-store").get_data(as_text=True)
    client.post(
        "/admin/trust-store",
        data={"csrf_token": csrf_of(html), "name": "germany", "format": "pem",
              "files": [(io.BytesIO(pki("DE", 30).csca_pem()), "csca-de.pem")]},
        content_type="multipart/form-data",
    )  # fmt: skip
    yield get("/admin/trust-store")
    yield get("/admin/watchlists")
    uploaded = post(pages, "alerts", [(persons(40) + b"W99,,1970\n", "alerts.csv")])
    yield "/admin/watchlists/alerts/loads/…", load_page(pages, uploaded)
    yield get("/admin/watchlists/alerts")
    yield get("/admin/watchlists/alerts/versions/1")
    yield get("/admin/audit")
    yield get("/admin/audit?since=yesterday", 422)


def test_every_administrators_page_is_marked_for_translation(pseudo: Pages, web_app: Flask) -> None:
    left = {
        path: words
        for path, html in _admin_pages(pseudo, web_app)
        if (words := plain_english(html))
    }
    assert left == {}, left


def _supervisor_pages(pages: Pages, web_app: Flask) -> Iterator[tuple[str, str]]:
    """Record crossings (a hit, an overstay); yield each supervisor's page's path and HTML."""
    stolen = mrz("MUSTERMANN", "ERIKA", STOLEN_NUMBER, nationality="DEU")
    record(web_app, "officer1", stolen, decision="referred")
    with database(web_app).sessions.begin() as db:
        set_stay_rule(db, "cli:test", "SWE", allowed_days=1, window_days=30)
    long_ago = datetime.now(UTC) - timedelta(days=3)
    record(
        web_app, "officer1", mrz("ERIKSSON", "ANNA", "X4711", issuing_state="SWE"), when=long_ago
    )
    client = pages.client
    pages.login("super1")

    def get(path: str, status: int = 200) -> tuple[str, str]:
        response = client.get(path)
        assert response.status_code == status, path
        return path, response.get_data(as_text=True)

    yield get("/dashboard")
    yield get("/dashboard?from=2026-03-10&to=2026-03-01", 422)
    yield get("/log")
    yield get("/log?name=mustermann")
    yield get("/log?direction=sideways", 422)
    path, hits = get("/hits")
    yield path, hits
    yield get("/hits?status=confirmed")
    hit_id = re.search(r'href="/hits/(\d+)"', hits)
    assert hit_id
    path, hit = get(f"/hits/{hit_id.group(1)}")
    yield path, hit
    reviewed = client.post(
        path,
        data={"verdict": "dismiss", "reason": "another person", "csrf_token": csrf_of(hit)},
        follow_redirects=True,
    )
    yield "/hits (after a review)", reviewed.get_data(as_text=True)
    yield get(path)
    yield get("/overstays")
    traveller = re.search(r'href="/travellers/(\d+)"', hit)
    assert traveller
    yield get(f"/travellers/{traveller.group(1)}")
    yield get("/admin/audit")


def test_every_supervisors_page_is_marked_for_translation(pseudo: Pages, web_app: Flask) -> None:
    left = {
        path: words
        for path, html in _supervisor_pages(pseudo, web_app)
        if (words := plain_english(html))
    }
    assert left == {}, left


def test_a_scanner_folder_that_cannot_be_used_is_said_in_the_pages_language(
    web_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    web_app.config["PSEUDO_LOCALE"] = True
    monkeypatch.setattr(Path, "mkdir", refuse)
    with web_app.test_request_context("/station"), pytest.raises(InboxError) as refused:
        claim(tmp_path)
    assert str(refused.value).startswith("⟦processing/ ")
    assert "Permission denied" in str(refused.value)  # the system's reason, as it gave it


def test_a_running_loads_page_is_marked_for_translation(web_app: Flask) -> None:
    web_app.config["PSEUDO_LOCALE"] = True
    job = SimpleNamespace(
        running=True, id="job1", file_name="alerts.csv", percent=40, seconds=2.0,
        progress={"stage": "reading", "records": 1200, "rejected": 3},
    )  # fmt: skip
    with web_app.test_request_context("/admin/watchlists/alerts/loads/job1"):
        html = render_template("admin/load.html", job=job, name="alerts")
    assert plain_english(html) == []
    assert "1,200" in html  # a count in the page's locale's digits and separators
    stages = json.loads(html.split("data-stages='", 1)[1].split("'", 1)[0])
    assert stages["reading"] == languages.pseudo("Reading the records")  # for load.js, translated
