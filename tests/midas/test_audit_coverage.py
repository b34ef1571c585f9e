"""Every operation that reads or writes personal data, or administers the system, is audited.

One walk through the API, step by step: each step must add an audit event with its action, by
the actor who took it. A new operation that forgets its audit event fails here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from midas.persistence.database import database
from midas.persistence.models import AuditEvent
from tests.midas.auth_builders import PASSWORD
from tests.midas.crossing_builders import load_lists, mrz


def newest_id(app: Flask) -> int:
    with database(app).sessions() as session:
        return session.scalar(select(func.max(AuditEvent.id))) or 0


def events_after(app: Flask, last: int) -> list[tuple[str, str]]:
    with database(app).sessions() as session:
        rows = session.execute(
            select(AuditEvent.action, AuditEvent.actor)
            .where(AuditEvent.id > last)
            .order_by(AuditEvent.id)
        )
        return [(action, actor) for action, actor in rows]


def test_every_step_of_a_day_leaves_its_audit_event(app, world, login_as, station, tmp_path):
    load_lists(app, tmp_path)
    admin, supervisor, officer = login_as("admin"), login_as("supervisor_a"), login_as("officer_a")
    ids: dict[str, Any] = {}
    listed = list(
        mrz("AL RASHID", "MOHAMED", "N7654321", nationality="IRQ",
            birth_date=date(1975, 3, 2), sex="M")
    )  # fmt: skip
    crossing = {
        "client_id": str(uuid.uuid4()),
        "direction": "entry",
        "decision": "referred",
        "officer": "officer_a",
        "mrz": listed,
    }

    def keep(name: str, key: str = "id") -> Callable[[TestResponse], None]:
        def store(response: TestResponse) -> None:
            ids[name] = response.get_json()[key]

        return store

    def first_hit(response: TestResponse) -> None:
        ids["crossing"] = response.get_json()["id"]
        ids["traveller"] = response.get_json()["traveller_id"]
        ids["hit"] = response.get_json()["hits"][0]["id"]

    user_body = {"username": "newbie", "full_name": "New Bie", "role": "officer",
                 "password": PASSWORD, "post_id": world.post_a}  # fmt: skip
    post_body = {"code": "CCC", "name": "Border C", "kind": "land", "country": "HUN",
                 "timezone": "Europe/Budapest"}  # fmt: skip
    steps: list[tuple[Any, str, Callable[[], str], dict[str, Any] | None, str, Any]] = [
        (admin, "post", lambda: "/api/v1/users", user_body, "user.create", keep("user")),
        (admin, "get", lambda: f"/api/v1/users/{ids['user']}", None, "user.read", None),
        (admin, "get", lambda: "/api/v1/users?q=newbie", None, "user.search", None),
        (admin, "patch", lambda: f"/api/v1/users/{ids['user']}", {"full_name": "N B"},
         "user.update", None),
        (admin, "post", lambda: f"/api/v1/users/{ids['user']}/password",
         {"password": PASSWORD + " again"}, "user.password_reset", None),
        (admin, "post", lambda: f"/api/v1/users/{ids['user']}/deactivate", None,
         "user.deactivate", None),
        (admin, "post", lambda: "/api/v1/posts", post_body, "post.create", keep("post")),
        (admin, "patch", lambda: f"/api/v1/posts/{ids['post']}", {"name": "Border C (road)"},
         "post.update", None),
        (admin, "post", lambda: "/api/v1/stations", {"post_id": world.post_a, "name": "lane 9"},
         "station.create", keep("station")),
        (admin, "post", lambda: f"/api/v1/stations/{ids['station']}/token", None,
         "station.token_rotate", None),
        (admin, "patch", lambda: f"/api/v1/stations/{ids['station']}", {"name": "lane 10"},
         "station.update", None),
        (admin, "post", lambda: f"/api/v1/stations/{ids['station']}/deactivate", None,
         "station.deactivate", None),
        (admin, "post", lambda: f"/api/v1/stations/{ids['station']}/reactivate", None,
         "station.reactivate", None),
        (admin, "post", lambda: f"/api/v1/posts/{ids['post']}/deactivate", None,
         "post.deactivate", None),
        (admin, "put", lambda: "/api/v1/stay-rules/DEU", {"allowed_days": 60, "window_days": 180},
         "stay_rule.set", None),
        (admin, "delete", lambda: "/api/v1/stay-rules/DEU", None, "stay_rule.delete", None),
        (admin, "get", lambda: "/api/v1/watchlists/alerts", None, "watchlist.read", None),
        (station, "post", lambda: "/api/v1/screenings", {"mrz": listed, "officer": "officer_a"},
         "reading.screen", None),
        (station, "post", lambda: "/api/v1/crossings", crossing, "crossing.record", first_hit),
        (station, "post", lambda: "/api/v1/crossings", crossing, "crossing.replay", None),
        (supervisor, "get", lambda: "/api/v1/crossings?document_number=N7654321", None,
         "crossing.search", None),
        (supervisor, "get", lambda: f"/api/v1/crossings/{ids['crossing']}", None,
         "crossing.read", None),
        (supervisor, "get", lambda: f"/api/v1/travellers/{ids['traveller']}", None,
         "traveller.read", None),
        (supervisor, "get", lambda: "/api/v1/hits", None, "hit.list", None),
        (supervisor, "post", lambda: f"/api/v1/hits/{ids['hit']}/confirm",
         {"reason": "same person, photo compared"}, "hit.confirm", None),
        (officer, "post", lambda: f"/api/v1/crossings/{ids['crossing']}/corrections",
         {"client_id": str(uuid.uuid4()), "direction": "entry", "decision": "refused",
          "refusal_reason": "H", "reason": "refused after the secondary check"},
         "crossing.correct", None),
        (supervisor, "get", lambda: "/api/v1/overstays", None, "overstay.list", None),
        (supervisor, "get", lambda: "/api/v1/statistics?period=month", None, "statistics.read",
         None),
        (admin, "get", lambda: "/api/v1/audit", None, "audit.search", None),
    ]  # fmt: skip
    for client, method, path, body, action, after in steps:
        last = newest_id(app)
        kwargs = {} if body is None else {"json": body}
        response = getattr(client, method)(path(), **kwargs)
        assert response.status_code < 300, (action, response.get_json())
        added = [name for name, _ in events_after(app, last)]
        assert action in added, (action, added)
        if after is not None:
            after(response)
