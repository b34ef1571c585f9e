"""Builders for the supervision tests: posts, users, travellers and crossings as rows.

The rows are written directly (not through the crossing service) so that overstay, statistics
and retention tests control every column, including times years in the past.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from midas.auth import Actor
from midas.persistence.models import (
    Crossing,
    Decision,
    Direction,
    Post,
    PostKind,
    Role,
    TravelDocument,
    Traveller,
    User,
)

_serial = itertools.count(1)


def make_post(session: Session, code: str = "NBO", **overrides: Any) -> Post:
    fields: dict[str, Any] = {
        "code": code,
        "name": f"Post {code}",
        "kind": PostKind.AIR,
        "country": "KEN",
        "timezone": "Africa/Nairobi",
    }
    fields.update(overrides)
    post = Post(**fields)
    session.add(post)
    session.flush()
    return post


def make_user(
    session: Session, username: str, role: Role = Role.OFFICER, post: Post | None = None
) -> User:
    user = User(
        username=username,
        full_name=username.title(),
        role=role,
        password_hash="not-a-hash",
        post_id=post.id if post else None,
        all_posts=role is Role.ADMIN,
    )
    session.add(user)
    session.flush()
    return user


def make_traveller(session: Session, **overrides: Any) -> Traveller:
    n = next(_serial)
    fields: dict[str, Any] = {
        "surname": f"SURNAME{n}",
        "given_names": "GIVEN",
        "name_key": f"surname{n} given",
        "sex": "F",
        "birth_date": date(1990, 1, 1),
        "birth_year": 1990,
        "nationality": "UTO",
    }
    fields.update(overrides)
    document_fields = {
        "document_type": "P",
        "issuing_state": fields["nationality"] or "UTO",
        "number": f"D{n:08d}",
        "expiry_date": date(2035, 1, 1),
    }
    traveller = Traveller(**fields)
    traveller.documents.append(TravelDocument(**document_fields))
    session.add(traveller)
    session.flush()
    return traveller


def make_crossing(
    session: Session,
    traveller: Traveller,
    post: Post,
    officer: User,
    direction: Direction,
    when: datetime | date,
    **overrides: Any,
) -> Crossing:
    at = when if isinstance(when, datetime) else datetime.combine(when, time(12), UTC)
    n = next(_serial)
    birth = traveller.birth_date
    age = (
        None
        if birth is None
        else at.year - birth.year - ((at.month, at.day) < (birth.month, birth.day))
    )
    fields: dict[str, Any] = {
        "client_id": f"test-{n}",
        "post_id": post.id,
        "officer_id": officer.id,
        "traveller_id": traveller.id,
        "document_id": traveller.documents[0].id,
        "direction": direction,
        "occurred_at": at,
        "decision": Decision.ADMITTED,
        "reading": {"fields": {"surname": traveller.surname}},
        "document_valid": True,
        "notes": "seen at the desk",
        "transport_ref": "KQ100",
        "traveller_sex": traveller.sex,
        "traveller_age": age,
        "traveller_nationality": traveller.nationality,
        "is_minor": age is not None and age < 18,
    }
    fields.update(overrides)
    crossing = Crossing(**fields)
    session.add(crossing)
    session.flush()
    return crossing


def actor_for(user: User, post_ids: frozenset[int] | None = None) -> Actor:
    """Return the actor of a user; `post_ids` as given (None: every post)."""
    return Actor(
        kind="user",
        id=user.id,
        username=user.username,
        role=user.role,
        user_id=user.id,
        station_id=None,
        post_ids=post_ids,
        remote_addr="127.0.0.1",
    )
