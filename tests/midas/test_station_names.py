"""A station's name is unique within its post, whatever its case or spacing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from midas.domain import admin
from midas.domain.actors import user_actor
from midas.domain.errors import Conflict, InvalidInput
from midas.persistence.database import create_database
from midas.persistence.models import AuditEvent, Station, User
from midas.persistence.schema import upgrade


@pytest.fixture
def actor(session, world):
    with session.begin():
        return user_actor(session.get(User, world.users["admin"]))


def _variants(name: str) -> st.SearchStrategy[str]:
    """The same name as a person might type it again: other case, other spaces."""
    cased = st.lists(st.booleans(), min_size=len(name), max_size=len(name)).map(
        lambda upper: "".join(c.upper() if u else c for c, u in zip(name, upper, strict=True))
    )
    space = st.sampled_from(["", " ", "  ", "\t", " \n"])
    return st.tuples(space, cased, space, space).map(
        lambda parts: parts[0] + parts[1].replace(" ", " " + parts[2]) + parts[3]
    )


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=_variants("desk 1"))
def test_a_second_station_of_the_same_name_at_a_post_is_refused(session, actor, world, typed):
    with pytest.raises(Conflict) as refused, session.begin():
        admin.create_station(session, actor, post_id=world.post_a, name=typed)
    assert refused.value.field == "name"
    assert "already has a station named" in refused.value.message
    with session.begin():
        names = session.scalars(select(Station.name).where(Station.post_id == world.post_a))
        assert list(names) == ["desk 1"]


def test_the_same_name_at_another_post_is_fine(session, actor, world):
    with session.begin():
        made = admin.create_station(session, actor, post_id=world.post_b, name="  Desk   1 ")
    assert made.station.name == "Desk 1"


def test_a_deactivated_station_still_holds_its_name(session, actor, world):
    with session.begin():
        admin.deactivate_station(session, actor, world.station_a)
    with pytest.raises(Conflict, match="reactivate that station"), session.begin():
        admin.create_station(session, actor, post_id=world.post_a, name="DESK 1")


def test_renaming_or_moving_onto_a_taken_name_is_refused(session, actor, world):
    with session.begin():
        other = admin.create_station(session, actor, post_id=world.post_a, name="desk 2").station.id
        away = admin.create_station(session, actor, post_id=world.post_b, name="Desk 1").station.id
    with pytest.raises(Conflict), session.begin():
        admin.update_station(session, actor, other, name="Desk 1")
    with pytest.raises(Conflict), session.begin():
        admin.update_station(session, actor, away, post_id=world.post_a)
    with session.begin():
        kept = admin.update_station(session, actor, world.station_a, name="DESK 1")
        assert kept.name == "DESK 1"  # its own name in another case is no clash


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_an_empty_or_overlong_name_is_refused_naming_the_field(session, actor, world, name):
    with pytest.raises(InvalidInput) as refused, session.begin():
        admin.create_station(session, actor, post_id=world.post_a, name=name)
    assert refused.value.field == "name"


def test_the_database_refuses_a_duplicate_the_domain_did_not_see(session, world):
    """Two admins at once: both pass the check; the unique index stops the second."""
    with pytest.raises(IntegrityError) as raised, session.begin():
        session.add(
            Station(post_id=world.post_a, name="DESK 1", token_sha256="0" * 64, token_hint="x")
        )
        session.flush()
    assert admin.station_name_taken(raised.value)


# The migration -------------------------------------------------------------------------------


@pytest.fixture
def engine_at_0008(empty_database_url: str) -> Iterator[Engine]:
    engine = create_database(empty_database_url).engine
    upgrade(engine, "0008")
    yield engine
    engine.dispose()


def test_the_migration_renames_existing_duplicates_and_keeps_the_oldest_name(engine_at_0008):
    session = Session(engine_at_0008)
    with session.begin():
        # The posts and stations tables as they were at 0008: written with those columns only.
        post_ids = [
            session.execute(
                text(
                    "INSERT INTO posts (code, name, kind, country, timezone, active, created_at) "
                    "VALUES (:code, :code, 'air', 'AUT', 'UTC', true, :at) RETURNING id"
                ),
                {"code": code, "at": datetime.now(UTC)},
            ).scalar_one()
            for code in ("AAA", "BBB")
        ]
        names = ["Desk 1", "desk 1", "Desk 1 (2)", "DESK 1", "Desk 2"]
        rows = [
            {"post_id": post_ids[0], "name": name, "token_sha256": f"{number:064d}"}
            for number, name in enumerate(names)
        ] + [{"post_id": post_ids[1], "name": "Desk 1", "token_sha256": "9" * 64}]
        for row in rows:
            session.execute(
                text(
                    "INSERT INTO stations (post_id, name, token_sha256, token_hint, active, "
                    "created_at) VALUES (:post_id, :name, :token_sha256, 'h', true, :at)"
                ),
                row | {"at": datetime.now(UTC)},
            )
    upgrade(engine_at_0008)

    with session.begin():
        found = session.execute(select(Station.post_id, Station.name).order_by(Station.id)).all()
        renames = session.execute(
            select(AuditEvent.actor, AuditEvent.object_id, AuditEvent.detail)
            .where(AuditEvent.action == "station.update")
            .order_by(AuditEvent.id)
        ).all()
    session.close()
    assert [(actor, detail["after"]["name"]) for actor, _, detail in renames] == [
        ("migration:0014", "desk 1 (3)"),
        ("migration:0014", "DESK 1 (4)"),
    ]
    assert [name for _, name in found] == [
        "Desk 1", "desk 1 (3)", "Desk 1 (2)", "DESK 1 (4)", "Desk 2", "Desk 1",
    ]  # fmt: skip
