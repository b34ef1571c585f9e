"""The stations page: a deactivated station comes back with a new token, shown once."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select

from midas.domain import admin
from midas.persistence.database import database
from midas.persistence.models import Post, Station
from tests.web.conftest import Pages, csrf_of

# A new token shown once, and the forms' redirects: the same on either database.
pytestmark = pytest.mark.one_backend


def test_an_admin_reactivates_a_station_and_sees_its_new_token_once(
    pages: Pages, web_app: Flask
) -> None:
    with database(web_app).sessions.begin() as session:
        post_id = session.scalars(select(Post.id).where(Post.code == pages.seeded.post_code)).one()
        issued = admin.create_station(session, "cli:test", post_id=post_id, name="desk 7")
        station_id = issued.station.id
    pages.login("admin1")
    token = csrf_of(pages.client.get("/admin/stations").get_data(as_text=True))
    pages.client.post(f"/admin/stations/{station_id}/deactivate", data={"csrf_token": token})
    listed = pages.client.get("/admin/stations").get_data(as_text=True)
    assert f'action="/admin/stations/{station_id}/reactivate"' in listed

    answered = pages.client.post(
        f"/admin/stations/{station_id}/reactivate", data={"csrf_token": csrf_of(listed)}
    )
    assert answered.status_code == 303 and answered.location == "/admin/stations"
    shown = pages.client.get("/admin/stations")

    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "(reactivated)" in html
    assert shown.headers["Cache-Control"] == "no-store"
    new = re.search(r'<code id="station-token">([^<]+)</code>', html)
    assert new is not None
    api = web_app.test_client(use_cookies=False)
    me = api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {new.group(1)}"})
    assert me.status_code == 200 and me.get_json()["kind"] == "station"
    again = pages.client.get("/admin/stations").get_data(as_text=True)
    assert new.group(1) not in again  # shown once


def _token_on(html: str) -> str | None:
    found = re.search(r'<code id="station-token">([^<]+)</code>', html)
    return None if found is None else found.group(1)


def _station_names(web_app: Flask) -> list[str]:
    with database(web_app).sessions() as session:
        return list(session.scalars(select(Station.name).order_by(Station.id)))


def test_reloading_the_page_that_shows_a_new_token_creates_no_second_station(
    pages: Pages, web_app: Flask
) -> None:
    pages.login("admin1")
    page = pages.client.get("/admin/stations").get_data(as_text=True)
    post_id = re.search(r'<option value="(\d+)"', page)
    assert post_id is not None
    before = _station_names(web_app)
    form = {"csrf_token": csrf_of(page), "post_id": post_id.group(1), "name": "Arrivals 9"}

    created = pages.client.post("/admin/stations", data=form)

    assert created.status_code == 303 and created.location == "/admin/stations"
    shown = pages.client.get("/admin/stations")
    token = _token_on(shown.get_data(as_text=True))
    assert token is not None and shown.headers["Cache-Control"] == "no-store"
    assert token not in created.headers.get("Set-Cookie", "")  # encrypted in the cookie
    reloaded = pages.client.get("/admin/stations")
    assert _token_on(reloaded.get_data(as_text=True)) is None  # shown once
    assert _station_names(web_app) == [*before, "Arrivals 9"]
    # A browser that sends the form again is told the name is taken, and nothing is made.
    again = pages.client.post("/admin/stations", data={**form, "name": "ARRIVALS  9"})
    assert again.status_code == 422
    assert "already has a station named" in again.get_data(as_text=True)
    assert _station_names(web_app) == [*before, "Arrivals 9"]
    api = web_app.test_client(use_cookies=False)
    me = api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200


def test_reloading_after_a_rotation_does_not_rotate_again(pages: Pages, web_app: Flask) -> None:
    with database(web_app).sessions.begin() as session:
        post_id = session.scalars(select(Post.id).where(Post.code == pages.seeded.post_code)).one()
        station_id = admin.create_station(
            session, "cli:test", post_id=post_id, name="desk 8"
        ).station.id
    pages.login("admin1")
    listed = pages.client.get("/admin/stations").get_data(as_text=True)

    rotated = pages.client.post(
        f"/admin/stations/{station_id}/rotate", data={"csrf_token": csrf_of(listed)}
    )

    assert rotated.status_code == 303
    token = _token_on(pages.client.get("/admin/stations").get_data(as_text=True))
    assert token is not None
    assert _token_on(pages.client.get("/admin/stations").get_data(as_text=True)) is None
    api = web_app.test_client(use_cookies=False)
    me = api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200  # the token shown is the one that works


def test_a_held_token_is_not_shown_to_another_secret(pages: Pages, web_app: Flask) -> None:
    """The cookie carries the token sealed with SECRET_KEY: a tampered or foreign one is dropped."""
    pages.login("admin1")
    with pages.client.session_transaction() as cookie:
        cookie["issued_station_token"] = "gAAAAAforged"
    html = pages.client.get("/admin/stations").get_data(as_text=True)
    assert _token_on(html) is None


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/admin/posts", {"code": "NEW-1", "name": "New post", "kind": "land",
                          "country": "RKS", "timezone": "Europe/Belgrade"}),
        ("/admin/users", {"username": "newbie", "full_name": "New Bie", "role": "admin",
                          "password": "a long enough passphrase 1"}),
        ("/admin/stay-rules", {"nationality": "RKS", "allowed_days": "90",
                               "window_days": "180"}),
    ],
)  # fmt: skip
def test_every_creating_form_answers_with_a_redirect(
    pages: Pages, path: str, form: dict[str, str]
) -> None:
    pages.login("admin1")
    page = pages.client.get(path).get_data(as_text=True)

    created = pages.client.post(path, data={"csrf_token": csrf_of(page), **form})

    assert created.status_code in (302, 303), created.get_data(as_text=True)[:2000]
    assert created.location == path


def test_an_admin_renames_and_moves_a_station_on_its_page(pages: Pages, web_app: Flask) -> None:
    with database(web_app).sessions.begin() as session:
        home = session.scalars(select(Post).where(Post.code == pages.seeded.post_code)).one()
        other = admin.create_post(
            session, "cli:test", code="LBB", name="Land border B", kind="land", country="KEN",
            timezone="Africa/Nairobi",
        )  # fmt: skip
        issued = admin.create_station(session, "cli:test", post_id=home.id, name="desk 7")
        station_id, other_id, token = issued.station.id, other.id, issued.token
    pages.login("admin1")
    listed = pages.client.get("/admin/stations").get_data(as_text=True)
    assert f'href="/admin/stations/{station_id}/edit"' in listed
    page = pages.client.get(f"/admin/stations/{station_id}/edit").get_data(as_text=True)
    assert 'value="desk 7"' in page

    empty = pages.client.post(
        f"/admin/stations/{station_id}/edit",
        data={"csrf_token": csrf_of(page), "post_id": str(other_id), "name": ""},
    )
    assert empty.status_code == 422 and "Name the station." in empty.get_data(as_text=True)
    saved = pages.client.post(
        f"/admin/stations/{station_id}/edit",
        data={"csrf_token": csrf_of(page), "post_id": str(other_id), "name": "lane 2"},
    )

    assert saved.status_code == 302
    with database(web_app).sessions() as session:
        station = session.get(Station, station_id)
        assert station is not None and (station.name, station.post_id) == ("lane 2", other_id)
    api = web_app.test_client(use_cookies=False)
    me = api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert me["post_ids"] == [other_id]  # the token stays and now opens the new post


def test_only_admins_open_a_station_edit_page(pages: Pages, web_app: Flask) -> None:
    with database(web_app).sessions.begin() as session:
        home = session.scalars(select(Post).where(Post.code == pages.seeded.post_code)).one()
        station_id = admin.create_station(session, "cli:test", post_id=home.id, name="d").station.id
    assert pages.client.get(f"/admin/stations/{station_id}/edit").status_code == 302  # to login
    pages.login("super1")
    assert pages.client.get(f"/admin/stations/{station_id}/edit").status_code == 403
