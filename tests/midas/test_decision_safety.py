"""Decision safety at the desk: identity linking, history at any post, list policies, doubt."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from midas.domain.corrections import correct_crossing
from midas.domain.errors import Conflict, InvalidInput, PermissionDenied
from midas.domain.list_settings import ListSettings, set_list_settings
from midas.domain.previews import preview_reading
from midas.domain.pseudonyms import Pseudonyms
from midas.domain.readings import read_document
from midas.domain.search import CrossingQuery, search_crossings
from midas.persistence.models import (
    AlertPolicy,
    AuditEvent,
    Decision,
    Direction,
    Traveller,
    Watchlist,
)
from tests.midas.crossing_builders import (
    NOW,
    load_lists,
    make_world,
    mrz,
    record,
    screener_for,
    submission,
    tx,
)
from watchlists.config import WANTED_POSSIBLE_MATCH_FLOOR

PSEUDONYMS = Pseudonyms(b"k" * 32)
OLIVER = mrz("BROWN", "OLIVER", "X4821937", nationality="GBR", birth_date=date(1988, 2, 3), sex="M")
THOMAS = mrz("BROWN", "THOMAS", "X4821937", nationality="GBR", birth_date=date(1980, 7, 9), sex="M")


def _bad_final_check(lines: tuple[str, ...]) -> tuple[str, ...]:
    last = lines[-1]
    return (*lines[:-1], last[:-1] + str((int(last[-1]) + 1) % 10))


STOLEN = mrz("MEIER", "KARL", "C01X00T47", nationality="DEU", birth_date=date(1970, 1, 1), sex="M")


@pytest.fixture
def world(session: Session):
    return make_world(session)


@pytest.fixture
def screener(app, tmp_path):
    load_lists(app, tmp_path)
    return screener_for(app)


def preview(session, actor, screener, lines, *, direction=None):
    reading = read_document(lines, None, today=NOW.date())
    with tx(session):
        return preview_reading(
            session, actor, reading, screener, pseudonyms=PSEUDONYMS, now=NOW, direction=direction
        )


def test_a_second_person_with_a_known_document_is_filed_under_the_identity_read(
    session, world, screener
):
    oliver = record(session, world.officer, screener, mrz=OLIVER).crossing
    seen = preview(session, world.officer, screener, THOMAS)
    assert seen.holder_id == oliver.traveller_id and seen.traveller_id is None
    assert "document_other_identity" in seen.assessment.codes()
    assert seen.assessment.suggested is Decision.REFERRED
    with pytest.raises(Conflict) as caught:
        record(session, world.officer, screener, mrz=THOMAS)
    assert "another identity" in caught.value.message
    thomas = record(session, world.officer, screener, mrz=THOMAS, decision=Decision.REFERRED)
    crossing = thomas.crossing
    assert crossing.traveller_id != oliver.traveller_id
    assert (crossing.traveller.given_names, crossing.traveller.birth_date) == (
        "THOMAS",
        date(1980, 7, 9),
    )
    assert crossing.document_id == oliver.document_id  # one physical document, both kept
    assert crossing.document_holder_id == oliver.traveller_id
    # The same impostor again joins the traveller seen with this document before.
    again = record(session, world.officer, screener, mrz=THOMAS, decision=Decision.REFUSED,
                   refusal_reason="B").crossing  # fmt: skip
    assert again.traveller_id == crossing.traveller_id
    assert again.document_holder_id == oliver.traveller_id
    # The holder is still the holder, and "Thomas Brown" can be found.
    back = record(session, world.officer, screener, mrz=OLIVER, direction=Direction.EXIT)
    assert back.crossing.traveller_id == oliver.traveller_id
    assert back.crossing.document_holder_id is None
    with tx(session):
        found = search_crossings(
            session, world.supervisor, CrossingQuery(name="Thomas Brown"), pseudonyms=PSEUDONYMS
        )
    assert {c.id for c in found.crossings} == {crossing.id, again.id}


def test_a_reading_that_agrees_with_the_holder_links_to_them(session, world, screener):
    first = record(session, world.officer, screener, mrz=OLIVER).crossing
    # A middle name the first reading did not carry: the same person.
    fuller = mrz(
        "BROWN", "OLIVER JAMES", "X4821937", nationality="GBR", birth_date=date(1988, 2, 3),
        sex="M",
    )  # fmt: skip
    later = record(session, world.officer, screener, mrz=fuller, direction=Direction.EXIT)
    assert later.crossing.traveller_id == first.traveller_id
    assert later.crossing.document_holder_id is None and later.linked_by == "document"


def test_a_supervisor_files_a_crossing_under_another_traveller_as_a_correction(
    session, world, screener
):
    oliver = record(session, world.officer, screener, mrz=OLIVER).crossing
    other = record(session, world.officer, screener, mrz=mrz("SMITH", "JO", "Z1")).crossing
    fix = submission(mrz=None, decision=Decision.ADMITTED, override_reason="passport renewed")
    with pytest.raises(PermissionDenied), tx(session):
        correct_crossing(
            session, world.officer, other.id, fix, "wrong file", screener, now=NOW,
            reassign_to=oliver.traveller_id,
        )  # fmt: skip
    with tx(session):
        fixed = correct_crossing(
            session, world.supervisor, other.id, fix, "same man, new passport", screener,
            now=NOW, reassign_to=oliver.traveller_id,
        ).crossing  # fmt: skip
    assert fixed.corrects_id == other.id and fixed.traveller_id == oliver.traveller_id
    # Its document is on record for the traveller it was filed under before: said, not hidden.
    assert fixed.document_holder_id == other.traveller_id
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "crossing.correct", AuditEvent.object_id == str(fixed.id)
        )
    ).one()
    assert event.detail["reassigned"] == {"from": other.traveller_id, "to": oliver.traveller_id}


def test_the_desk_sees_crossings_at_any_post_and_an_entry_after_an_entry(session, world, screener):
    record(session, world.other_officer, screener, mrz=OLIVER)
    seen = preview(session, world.officer, screener, OLIVER, direction=Direction.ENTRY)
    assert seen.previous == []  # the scoped history: another post's crossings stay hidden
    assert [(c.post_name, c.direction, c.decision) for c in seen.recent] == [
        ("Helsinki Vantaa", Direction.ENTRY, Decision.ADMITTED)
    ]
    assert "entry_without_exit" in seen.assessment.codes()
    leaving = preview(session, world.officer, screener, OLIVER, direction=Direction.EXIT)
    assert "entry_without_exit" not in leaving.assessment.codes()
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "reading.screen")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.detail["recent_any_post"] == 1


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        (mrz("LUND", "EVA", "E1", expiry=NOW.date() - timedelta(days=1)), "document_expired"),
        (_bad_final_check(mrz("LUND", "EVA", "E2")), "document_not_valid"),
    ],
)
def test_a_doubtful_document_preselects_nothing_and_admitting_takes_a_reason(
    session, world, screener, lines, code
):
    if code == "document_not_valid":
        assert not read_document(lines, None, today=NOW.date()).valid
    seen = preview(session, world.officer, screener, lines)
    assert code in seen.assessment.codes() and seen.assessment.suggested is None
    with pytest.raises(Conflict) as caught:
        record(session, world.officer, screener, mrz=lines)
    assert caught.value.field == "override_reason"
    admitted = record(session, world.officer, screener, mrz=lines, override_reason="checked")
    assert admitted.crossing.override_reason == "checked"


def test_a_declared_uncertain_reading_needs_a_reason_to_admit(session, world, screener):
    with pytest.raises(Conflict):
        record(session, world.officer, screener, mrz=mrz(number="U1"), reading_uncertain=True)
    done = record(
        session, world.officer, screener, mrz=mrz(number="U1"), reading_uncertain=True,
        override_reason="compared with the page",
    )  # fmt: skip
    assert done.created


def test_a_stolen_document_blocks_admission_until_a_supervisor_overrides(session, world, screener):
    seen = preview(session, world.officer, screener, STOLEN)
    assert "document_hit_block" in seen.assessment.codes()
    assert seen.assessment.suggested is Decision.REFERRED
    with pytest.raises(PermissionDenied) as caught:
        record(session, world.officer, screener, mrz=STOLEN, override_reason="looks fine")
    assert "supervisor" in caught.value.message
    referred = record(session, world.officer, screener, mrz=STOLEN, decision=Decision.REFERRED)
    fix = submission(mrz=None, decision=Decision.ADMITTED)
    with pytest.raises(Conflict), tx(session):
        correct_crossing(session, world.supervisor, referred.crossing.id, fix, "ok", screener,
                         now=NOW)  # fmt: skip
    fix = submission(mrz=None, decision=Decision.ADMITTED, override_reason="reported found")
    with tx(session):
        admitted = correct_crossing(
            session, world.supervisor, referred.crossing.id, fix, "cleared", screener, now=NOW
        ).crossing
    assert admitted.decision is Decision.ADMITTED
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "crossing.correct", AuditEvent.object_id == str(admitted.id)
        )
    ).one()
    assert event.detail["override"]["concerns"] == ["document_hit_block"]


def test_an_administrator_sets_a_lists_policy_and_it_applies_at_once(session, world, screener):
    policies = dict(session.execute(select(Watchlist.name, Watchlist.alert_policy)).all())
    assert policies == {"alerts": AlertPolicy.REFER, "sltd": AlertPolicy.BLOCK}
    with pytest.raises(PermissionDenied), tx(session):
        set_list_settings(session, world.supervisor, "sltd", ListSettings(AlertPolicy.INFORM))
    with pytest.raises(InvalidInput), tx(session):
        set_list_settings(session, world.admin, "sltd", ListSettings(possible_match_floor=0.9))
    with tx(session):
        set_list_settings(session, world.admin, "sltd", ListSettings(AlertPolicy.INFORM))
    assert record(session, world.officer, screener, mrz=STOLEN).created
    assert session.scalars(
        select(AuditEvent).where(AuditEvent.action == "watchlist.settings")
    ).one().detail == {
        "before": {"alert_policy": "block", "possible_match_floor": None},
        "after": {"alert_policy": "inform", "possible_match_floor": None},
    }


def test_travellers_are_never_merged_by_a_shared_document_alone(session, world, screener):
    record(session, world.officer, screener, mrz=OLIVER)
    record(session, world.officer, screener, mrz=THOMAS, decision=Decision.REFERRED)
    names = sorted(session.scalars(select(Traveller.given_names)))
    assert names == ["OLIVER", "THOMAS"]


def test_a_listed_name_with_another_birth_date_is_a_possible_match_where_the_list_says(
    session, world, screener
):
    # PEOPLE lists Mohamed Al Rashid born 1975-03-02; this traveller was born in 1990.
    other_birthday = mrz(
        "AL RASHID", "MOHAMED", "R7", nationality="IRQ", birth_date=date(1990, 6, 6), sex="M"
    )
    assert preview(session, world.officer, screener, other_birthday).screening.hits == []
    with tx(session):
        set_list_settings(session, world.admin, "alerts", ListSettings(possible_match_floor=0.92))
    seen = preview(session, world.officer, screener, other_birthday)
    (hit,) = seen.screening.hits
    assert hit.possible and hit.score < hit.threshold
    assert any("birth date differs" in reason.detail for reason in hit.reasons)
    assert seen.assessment.codes() == ["possible_match"]
    with pytest.raises(Conflict):
        record(session, world.officer, screener, mrz=other_birthday)
    referred = record(
        session, world.officer, screener, mrz=other_birthday, decision=Decision.REFERRED
    ).crossing
    assert [stored.possible for stored in referred.hits] == [True]


def test_a_new_list_of_wanted_persons_shows_possible_matches_and_a_sanctions_list_does_not(
    app, session, tmp_path
):
    from tests.midas.crossing_builders import PEOPLE

    wanted = [PEOPLE[0] + ["category"], PEOPLE[1] + ["wanted"]]
    load_lists(app, tmp_path, people=wanted)
    floors = dict(session.execute(select(Watchlist.name, Watchlist.possible_match_floor)).all())
    assert floors == {"alerts": WANTED_POSSIBLE_MATCH_FLOOR, "sltd": None}


def test_a_sanctions_list_shows_no_possible_matches_by_default(app, session, tmp_path):
    load_lists(app, tmp_path)
    floors = dict(session.execute(select(Watchlist.name, Watchlist.possible_match_floor)).all())
    assert floors == {"alerts": None, "sltd": None}


def test_a_lost_or_stolen_list_is_asked_for_the_number_as_printed_and_as_repaired(
    app, session, world, tmp_path
):
    from midas.domain.lists import load_watchlist
    from midas.persistence.database import database
    from tests.midas.crossing_builders import write_csv
    from watchlists.models import ListKind

    # A list that keeps the number as printed, with the letter O the reader repairs to 0.
    path = write_csv(
        tmp_path / "printed.csv",
        [
            ["entry_id", "document_number", "issuing_state", "document_type", "status"],
            ["o1", "L8989O2C3", "SWE", "P", "stolen"],
        ],
    )
    report = load_watchlist(
        database(app).sessions, "printed", ListKind.DOCUMENT, "csv", path, "t", progress=False
    )
    assert report.version is not None
    first, second = mrz(number="L898902C3")
    lines = (first, second.replace("L898902C3", "L8989O2C3", 1))
    seen = preview(session, world.officer, screener_for(app), lines)
    assert seen.reading.identity.document_number == "L898902C3"
    assert seen.reading.printed_number == "L8989O2C3"
    (hit,) = seen.screening.hits
    assert hit.entry_id == "o1"
    assert any("as printed L8989O2C3" in reason.detail for reason in hit.reasons)
    assert "document_hit_block" in seen.assessment.codes()
