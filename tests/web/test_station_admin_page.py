"""The stations page: a deactivated station comes back with a new token, shown once."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from midas.domain import admin
from midas.persistence.database import database
from midas.persistence.models import Post, Station
from tests.web.conftest import Pages, csrf_of


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

    shown = pages.client.post(
        f"/admin/stations/{station_id}/reactivate", data={"csrf_token": csrf_of(listed)}
    )

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
