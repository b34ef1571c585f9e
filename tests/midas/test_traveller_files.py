"""Supervisors merge and split travellers; every refiling is a correction row, audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from midas.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from midas.domain.traveller_files import merge_travellers, split_traveller
from midas.domain.travellers import traveller_history
from midas.persistence.models import AuditEvent, Crossing, Direction, TravelDocument, Traveller
from tests.midas.crossing_builders import load_lists, make_world, mrz, record, screener_for, tx

ANNA = mrz("LARSSON", "ANNA", "S1000001", birth_date=date(1990, 1, 2))
# The same woman, whose first passport gave a birth date a clerk mistyped: filed twice.
ANNA_AGAIN = mrz("LARSSON", "ANNA", "S2000002", birth_date=date(1990, 2, 1))


@pytest.fixture
def world(session: Session):
    return make_world(session)


@pytest.fixture
def screener(app, tmp_path):
    load_lists(app, tmp_path)
    return screener_for(app)


def test_a_merge_refiles_crossings_and_documents_and_linking_follows(session, world, screener):
    first = record(session, world.officer, screener, mrz=ANNA).crossing
    second = record(session, world.officer, screener, mrz=ANNA_AGAIN).crossing
    assert first.traveller_id != second.traveller_id
    keep, gone = first.traveller_id, second.traveller_id
    with pytest.raises(PermissionDenied), tx(session):
        merge_travellers(session, world.officer, keep, gone, "same woman")
    with pytest.raises(InvalidInput), tx(session):
        merge_travellers(session, world.supervisor, keep, gone, "  ")
    with tx(session):
        done = merge_travellers(session, world.supervisor, keep, gone, "same woman, typo")
    (correction,) = done.corrections
    refiled = session.get(Crossing, correction)
    assert refiled.corrects_id == second.id and refiled.traveller_id == keep
    assert refiled.decision is second.decision and refiled.occurred_at == second.occurred_at
    assert session.get(Crossing, second.id).traveller_id == gone  # never edited
    documents = session.scalars(select(TravelDocument.traveller_id)).all()
    assert set(documents) == {keep}
    assert session.get(Traveller, gone).merged_into_id == keep
    # The second passport now links to the kept traveller.
    later = record(session, world.officer, screener, mrz=ANNA_AGAIN, direction=Direction.EXIT)
    assert later.crossing.traveller_id == keep
    with tx(session):
        history = traveller_history(session, world.supervisor, keep)
    assert {c.id for c in history.crossings} >= {first.id, refiled.id, later.crossing.id}
    with pytest.raises(Conflict), tx(session):
        merge_travellers(session, world.supervisor, gone, keep, "back again")
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    merged_at = actions.index("traveller.merge")
    assert actions[merged_at - 1] == "crossing.correct"


def test_a_supervisor_cannot_merge_a_traveller_seen_only_at_posts_they_do_not_oversee(
    session, world, screener
):
    here = record(session, world.officer, screener, mrz=ANNA).crossing
    there = record(session, world.other_officer, screener, mrz=ANNA_AGAIN).crossing
    with pytest.raises(NotFound), tx(session):
        merge_travellers(session, world.supervisor, here.traveller_id, there.traveller_id, "x")


def test_a_split_files_chosen_crossings_under_a_new_traveller_from_their_reading(
    session, world, screener
):
    first = record(session, world.officer, screener, mrz=ANNA).crossing
    second = record(session, world.officer, screener, mrz=ANNA, direction=Direction.EXIT).crossing
    owner = first.traveller_id
    with pytest.raises(InvalidInput), tx(session):
        split_traveller(session, world.supervisor, owner, [first.id, second.id], "all of them")
    with pytest.raises(InvalidInput), tx(session):
        split_traveller(session, world.supervisor, owner, [123456], "not hers")
    with tx(session):
        done = split_traveller(session, world.supervisor, owner, [second.id], "her twin")
    assert done.traveller_id != owner
    created = session.get(Traveller, done.traveller_id)
    assert (created.surname, created.given_names, created.birth_date) == (
        "LARSSON",
        "ANNA",
        date(1990, 1, 2),
    )
    refiled = session.get(Crossing, done.corrections[0])
    assert refiled.corrects_id == second.id and refiled.traveller_id == created.id
    # The document stays its holder's: the refiled crossing says so.
    assert refiled.document_holder_id == owner


def test_concurrent_corrections_of_one_crossing_never_fork_the_chain(app, session, world, screener):
    import threading

    from midas.domain.corrections import correct_crossing
    from midas.domain.errors import DomainError
    from midas.domain.submissions import SubmittedMeanwhile
    from midas.persistence.database import database
    from tests.midas.crossing_builders import NOW, submission

    original = record(session, world.officer, screener, mrz=ANNA).crossing
    session.commit()
    attempts = 4
    ready = threading.Barrier(attempts)
    outcomes: list[str] = []

    def correct(n: int) -> None:
        with database(app).sessions() as own:
            ready.wait()
            try:
                with own.begin():
                    correct_crossing(
                        own, world.supervisor, original.id,
                        submission(mrz=None, direction=Direction.EXIT), f"fix {n}", screener,
                        now=NOW,
                    )  # fmt: skip
            except (DomainError, SubmittedMeanwhile) as error:
                outcomes.append(type(error).__name__)
            else:
                outcomes.append("corrected")

    threads = [threading.Thread(target=correct, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["Conflict"] * (attempts - 1) + ["corrected"]
    corrections = session.scalars(select(Crossing).where(Crossing.corrects_id == original.id))
    assert len(corrections.all()) == 1


def test_the_database_refuses_a_second_correction_of_one_crossing(session, world, screener):
    from sqlalchemy.exc import IntegrityError

    original = record(session, world.officer, screener, mrz=ANNA).crossing
    rows = []
    for n in range(2):
        values = {
            column.key: getattr(original, column.key)
            for column in Crossing.__table__.columns
            if column.key not in ("id", "client_id")
        }
        values.update(client_id=f"00000000-0000-0000-0000-00000000000{n}",
                      corrects_id=original.id)  # fmt: skip
        rows.append(Crossing(**values))
    session.add(rows[0])
    session.flush()
    session.add(rows[1])
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
