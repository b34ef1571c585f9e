"""The posts page sets a post's default language, which its people see unless they chose one."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from midas.auth.passwords import passwords
from midas.domain.admin import create_user, find_post
from midas.persistence.database import database
from midas.persistence.models import AuditEvent, User
from tests.web.builders import PASSWORD, form_values
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


def test_an_admin_changes_an_open_posts_language_on_the_posts_page(
    pages: Pages, web_app: Flask
) -> None:
    pages.login("admin1")
    html = pages.client.get("/admin/posts").get_data(as_text=True)
    with database(web_app).sessions.begin() as db:
        post = find_post(db, pages.seeded.post_code)
        post_id, before = post.id, post.locale
    assert before is None
    form = form_values(html, f"language-{post_id}")
    saved = pages.client.post(
        f"/admin/posts/{post_id}/language", data=form | {"locale": "ar"}, follow_redirects=True
    )
    assert saved.status_code == 200
    assert f"Language of post {pages.seeded.post_code} saved." in saved.get_data(as_text=True)
    refused = pages.client.post(
        f"/admin/posts/{post_id}/language", data=form | {"locale": "tlh"}, follow_redirects=True
    )
    assert "No such language" in refused.get_data(as_text=True)
    with database(web_app).sessions.begin() as db:
        assert find_post(db, pages.seeded.post_code).locale == "ar"  # the refusal changed nothing
        changes = db.scalars(select(AuditEvent).where(AuditEvent.action == "post.update")).all()
        assert [event.detail["locale"] for event in changes] == ["ar"]
    pages.client.post("/logout", data={"csrf_token": csrf_of(html)})
    pages.login("officer1")
    station = pages.client.get("/station").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in station


def test_only_an_admin_sets_a_posts_language(pages: Pages, web_app: Flask) -> None:
    pages.login("super1")
    html = pages.client.get("/log").get_data(as_text=True)
    with database(web_app).sessions.begin() as db:
        post_id = find_post(db, pages.seeded.post_code).id
    answered = pages.client.post(
        f"/admin/posts/{post_id}/language", data={"locale": "fr", "csrf_token": csrf_of(html)}
    )
    assert answered.status_code == 403
    with database(web_app).sessions.begin() as db:
        assert find_post(db, pages.seeded.post_code).locale is None
