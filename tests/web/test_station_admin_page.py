"""The stations page: a deactivated station comes back with a new token, shown once."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from midas.domain import admin
from midas.persistence.database import database
from midas.persistence.models import Post
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
