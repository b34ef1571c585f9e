"""The posts page sets a post's default language, which its people see unless they chose one."""

from __future__ import annotations

import re

from flask import Flask

from midas.auth.passwords import passwords
from midas.domain.admin import create_user, find_post
from midas.persistence.database import database
from midas.persistence.models import User
from tests.web.builders import PASSWORD
from tests.web.conftest import Pages, csrf_of

LANG = re.compile(r'<html lang="([^"]+)"')


def _create_post(pages: Pages, locale: str) -> tuple[int, str]:
    html = pages.client.get("/admin/posts").get_data(as_text=True)
    response = pages.client.post(
        "/admin/posts",
        data={"code": "NBO-GATE", "name": "Gate", "kind": "land", "country": "KEN",
              "timezone": "Africa/Nairobi", "locale": locale, "csrf_token": csrf_of(html)},
        follow_redirects=True,
    )  # fmt: skip
    return response.status_code, response.get_data(as_text=True)


def _officer_at(app: Flask, code: str, username: str, locale: str | None = None) -> None:
    with app.app_context(), database(app).sessions.begin() as db:
        post = find_post(db, code)
        create_user(
            db, "cli:test", passwords(), username=username, full_name="Awa Diallo",
            role="officer", password=PASSWORD, post_id=post.id,
        )  # fmt: skip
        if locale is not None:
            db.scalars(db.query(User).filter_by(username=username).statement).one().locale = locale


def test_a_posts_officer_without_a_language_of_their_own_gets_the_posts(
    pages: Pages, web_app: Flask
) -> None:
    pages.login("admin1")
    status, html = _create_post(pages, "fr")
    assert status == 200
    row = html.split('<td class="mono">NBO-GATE</td>', 1)[1].split("</tr>", 1)[0]
    assert '<span lang="fr">Français</span>' in row  # the posts page shows it, named in itself
    _officer_at(web_app, "NBO-GATE", "officer9")
    _officer_at(web_app, "NBO-GATE", "officer8", locale="es")
    pages.client.post("/logout", data={"csrf_token": csrf_of(html)})

    pages.login("officer9")
    french = pages.client.get("/station", headers={"Accept-Language": "pt"})
    assert LANG.search(french.get_data(as_text=True)).group(1) == "fr"
    pages.client.post("/logout", data={"csrf_token": csrf_of(french.get_data(as_text=True))})
    pages.login("officer8")
    own = pages.client.get("/station").get_data(as_text=True)
    assert LANG.search(own).group(1) == "es"  # a person's own choice comes first


def test_a_post_without_a_language_leaves_its_officers_to_their_browsers(
    pages: Pages, web_app: Flask
) -> None:
    pages.login("admin1")
    status, html = _create_post(pages, "")
    assert status == 200
    assert (
        "Browser's language"
        in html.split('<td class="mono">NBO-GATE</td>', 1)[1].split("</tr>", 1)[0]
    )
    _officer_at(web_app, "NBO-GATE", "officer9")
    pages.client.post("/logout", data={"csrf_token": csrf_of(html)})
    pages.login("officer9")
    page = pages.client.get("/station", headers={"Accept-Language": "pt-BR,pt;q=0.9"})
    assert LANG.search(page.get_data(as_text=True)).group(1) == "pt"


def test_a_language_not_shipped_is_said_beside_its_field_and_no_post_is_made(
    pages: Pages, web_app: Flask
) -> None:
    pages.login("admin1")
    status, html = _create_post(pages, "xx")
    assert status == 422
    assert 'id="locale-error"' in html
    with database(web_app).sessions.begin() as db:
        assert db.scalars(db.query(User).filter_by(username="nobody").statement).first() is None
    assert "NBO-GATE" not in html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
