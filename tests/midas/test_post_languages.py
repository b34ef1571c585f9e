"""A post's default language: set by administrators (domain and API), checked, audited."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from midas.domain import admin
from midas.domain.actors import user_actor
from midas.domain.errors import InvalidInput
from midas.domain.languages import LANGUAGES
from midas.persistence.models import AuditEvent, Post, User

POSTS = "/api/v1/posts"
NEW_POST = {
    "code": "DDD",
    "name": "Delta Port",
    "kind": "sea",
    "country": "HRV",
    "timezone": "Europe/Zagreb",
}
NOT_SHIPPED = st.text(max_size=12).filter(lambda code: code not in LANGUAGES and code != "")


@pytest.fixture
def administrator(session, world):
    with session.begin():
        return user_actor(session.get(User, world.users["admin"]))


def _details(session, action):
    with session.begin():
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == action))
        return [event.detail for event in events]


def test_a_post_is_created_with_its_language_and_the_audit_says_which(session, administrator):
    with session.begin():
        post = admin.create_post(
            session, administrator, code="DDD", name="Delta", kind="sea", country="HRV",
            timezone="Europe/Zagreb", locale="fr",
        )  # fmt: skip
    assert post.locale == "fr"
    created = [detail for detail in _details(session, "post.create") if detail["code"] == "DDD"]
    assert [detail["locale"] for detail in created] == ["fr"]


def test_a_posts_language_is_changed_and_cleared_each_change_audited(session, administrator, world):
    with session.begin():
        admin.update_post(session, administrator, world.post_a, locale="ar")
    with session.begin():
        assert session.get(Post, world.post_a).locale == "ar"
    with session.begin():
        admin.update_post(session, administrator, world.post_a, locale="")
    with session.begin():
        assert session.get(Post, world.post_a).locale is None
    assert [detail["locale"] for detail in _details(session, "post.update")] == ["ar", None]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=NOT_SHIPPED)
def test_a_language_not_shipped_is_refused_naming_the_field_and_nothing_changes(
    session, administrator, world, code
):
    with pytest.raises(InvalidInput) as refused, session.begin():
        admin.update_post(session, administrator, world.post_a, name="Renamed", locale=code)
    assert refused.value.field == "locale"
    with session.begin():
        post = session.get(Post, world.post_a)
        assert (post.name, post.locale) == ("Alpha Airport", None)


def test_the_api_takes_and_gives_a_posts_language(app, world, login_as):
    client = login_as("admin")

    created = client.post(POSTS, json=NEW_POST | {"locale": "pt"})
    assert created.status_code == 201
    assert created.get_json()["locale"] == "pt"
    path = f"{POSTS}/{created.get_json()['id']}"
    assert client.patch(path, json={"locale": "es"}).get_json()["locale"] == "es"
    assert client.patch(path, json={"locale": None}).get_json()["locale"] is None
    assert client.get(path).get_json()["locale"] is None


@pytest.mark.parametrize("code", ["xx", "FR", "fr-FR", "english"])
def test_the_api_refuses_a_language_not_shipped_naming_the_field(app, world, login_as, code):
    response = login_as("admin").post(POSTS, json=NEW_POST | {"locale": code})

    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "locale"


def test_a_station_s_api_messages_follow_its_post_s_language(app, world, station):
    """A desk client that sends no Accept-Language gets its post's language."""
    path = "/api/v1/travellers/999999999"
    english = station.get(path).get_json()["error"]["message"]
    with app.app_context():
        from midas.persistence.database import database

        with database(app).sessions.begin() as session:
            session.execute(Post.__table__.update().where(Post.code == "AAA").values(locale="fr"))
    app.extensions.pop("midas.checked_station_tokens", None)
    french = station.get(path).get_json()
    assert french["error"]["code"] != "" and french["error"]["message"] != english
