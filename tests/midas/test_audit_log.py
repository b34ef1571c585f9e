import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DatabaseError

from midas.persistence.models import AuditEvent


def test_audit_events_cannot_be_changed_or_deleted(session):
    with session.begin():
        session.add(
            AuditEvent(
                actor="user:1", action="traveller.read", object_type="traveller", object_id="7"
            )
        )
    with pytest.raises(DatabaseError, match="append-only"), session.begin():
        session.execute(update(AuditEvent).values(actor="user:2"))
    with pytest.raises(DatabaseError, match="append-only"), session.begin():
        session.execute(delete(AuditEvent))
    assert session.query(AuditEvent).one().actor == "user:1"
