"""The page's language: the person's choice, their post's, their browser's, else English."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, update

from midas.persistence.database import database
from midas.persistence.models import AuditEvent, Post, User
from tests.web.conftest import Pages, csrf_of

pytestmark = pytest.mark.one_backend

HTML_TAG = re.compile(r'<html lang="([^"]+)" dir="([^"]+)">')


def html_tag(pages: Pages, path: str = "/account/language", **headers: str) -> tuple[str, str]:
    """Return the lang and dir of a page's <html>."""
    found = HTML_TAG.search(pages.client.get(path, headers=headers).get_data(as_text=True))
    assert found, "the page has no <html lang dir>"
    return found.group(1), found.group(2)


def choose(pages: Pages, locale: str) -> tuple[int, str]:
    """Post the language form; return the status and the page."""
    token = csrf_of(pages.client.get("/account/language").get_data(as_text=True))
    response = pages.client.post("/account/language", data={"locale": locale, "csrf_token": token})
    return response.status_code, response.get_data(as_text=True)


def set_post_locale(app: Flask, code: str, locale: str | None) -> None:
    """Give a post a default language."""
    with database(app).sessions() as session, session.begin():
        session.execute(update(Post).where(Post.code == code).values(locale=locale))


def test_without_any_choice_the_browser_s_language_is_used(pages: Pages) -> None:
    pages.login("officer1")
    assert html_tag(pages) == ("en", "ltr")
    assert html_tag(pages, **{"Accept-Language": "pt-BR,pt;q=0.9,en;q=0.5"}) == ("pt", "ltr")
    assert html_tag(pages, **{"Accept-Language": "ar"}) == ("ar", "rtl")
    # A language not shipped falls through to the next one the browser accepts, then English.
    assert html_tag(pages, **{"Accept-Language": "de-DE,fr;q=0.8"}) == ("fr", "ltr")
    assert html_tag(pages, **{"Accept-Language": "ja"}) == ("en", "ltr")


def test_the_login_page_follows_the_browser(pages: Pages) -> None:
    assert html_tag(pages, "/login", **{"Accept-Language": "es"}) == ("es", "ltr")


def test_a_person_s_choice_beats_the_post_s_which_beats_the_browser_s(
    pages: Pages, web_app: Flask
) -> None:
    set_post_locale(web_app, pages.seeded.post_code, "fr")
    pages.login("officer1")
    assert html_tag(pages, **{"Accept-Language": "es"}) == ("fr", "ltr")

    status, _ = choose(pages, "ar")
    assert status == 302
    assert html_tag(pages, **{"Accept-Language": "es"}) == ("ar", "rtl")

    status, _ = choose(pages, "")  # back to the post's
    assert status == 302
    assert html_tag(pages, **{"Accept-Language": "es"}) == ("fr", "ltr")


def test_the_choice_is_stored_and_audited(pages: Pages, web_app: Flask) -> None:
    pages.login("super1")
    choose(pages, "es")
    with database(web_app).sessions() as session:
        assert session.scalar(select(User.locale).where(User.username == "super1")) == "es"
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "user.language")
        ).all()
    assert [event.outcome for event in events] == ["ok"]


@pytest.mark.parametrize("locale", ["de", "xx", "fr_FR", "<script>"])
def test_a_language_not_shipped_is_refused_next_to_its_field(
    pages: Pages, web_app: Flask, locale: str
) -> None:
    pages.login("officer1")
    status, html = choose(pages, locale)
    assert status == 422
    assert 'id="locale-error"' in html
    with database(web_app).sessions() as session:
        assert session.scalar(select(User.locale).where(User.username == "officer1")) is None


def test_the_language_page_needs_a_login(pages: Pages) -> None:
    response = pages.client.get("/account/language")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


PHYSICAL = re.compile(
    r"(?:margin|padding|border)-(?:left|right)|text-align:\s*(?:left|right)|[{;\s](?:left|right):"
)


def test_the_style_sheet_mirrors_for_right_to_left_pages() -> None:
    """Sides are logical (start/end), so an Arabic page mirrors; only the MRZ stays left."""
    css = (Path(__file__).resolve().parents[2] / "midas/web/static/midas.css").read_text()
    rules = [rule for rule in css.split("}") if '[dir="rtl"]' not in rule]
    physical = [match.group(0) for rule in rules for match in PHYSICAL.finditer(rule)]
    assert not physical, f"physical sides in midas.css: {physical}"


@pytest.mark.parametrize(
    ("language", "day_and_time", "clock"),
    [
        ("en", "2026-03-01 17:34 EAT", "17:34 EAT"),
        ("fr", "01/03/2026 17:34 EAT", "17:34 EAT"),
        ("es", "1/3/2026, 17:34 EAT", "17:34 EAT"),
        ("pt", "01/03/2026 17:34 EAT", "17:34 EAT"),
    ],
)
def test_times_follow_the_page_s_language_with_their_zone(
    language: str, day_and_time: str, clock: str
) -> None:
    from midas import create_app
    from midas.web.times import local_time

    moment = datetime(2026, 3, 1, 14, 34, tzinfo=UTC)
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"}, serving=False)
    with app.test_request_context("/", headers={"Accept-Language": language}):
        assert local_time(moment, "Africa/Nairobi") == day_and_time
        assert local_time(moment, "Africa/Nairobi", "%H:%M") == clock


def test_an_arabic_page_writes_the_day_its_way_and_keeps_the_zone() -> None:
    from midas import create_app
    from midas.web.times import local_time

    moment = datetime(2026, 3, 1, 14, 34, tzinfo=UTC)
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"}, serving=False)
    with app.test_request_context("/", headers={"Accept-Language": "ar"}):
        shown = local_time(moment, "Africa/Nairobi")
    # Day before month, as CLDR has it, without the bidi marks that would reorder it inside the
    # left-to-right span every time is set in.
    assert shown.startswith("1/3/2026") and shown.endswith("17:34 EAT")
    assert not {"\u200e", "\u200f", "\u061c"} & set(shown)


@pytest.mark.parametrize("language", ["fr", "es", "pt", "ar"])
def test_refusal_reasons_on_the_form_are_in_the_page_s_language(language: str) -> None:
    from babel.support import Translations

    from midas import create_app
    from midas.domain.refusals import REFUSAL_REASONS
    from midas.web.forms import REASONS

    catalog = Translations.load(
        str(Path(__file__).resolve().parents[2] / "midas" / "translations"), [language]
    )
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"}, serving=False)
    with app.test_request_context("/", headers={"Accept-Language": language}):
        shown = {code: str(label) for code, label in REASONS if code}
    for reason in REFUSAL_REASONS:
        assert catalog.gettext(reason.text) != reason.text, reason.code
        assert shown[reason.code].endswith(catalog.gettext(reason.text)), reason.code
