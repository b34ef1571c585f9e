"""Recording crossings: idempotent submissions, attribution, decisions, minors, linking, overrides,
corrections, and all-or-nothing transactions."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from midas.domain import crossings as crossings_module
from midas.domain import screening as screening_module
from midas.domain import travellers as travellers_module
from midas.domain.corrections import correct_crossing
from midas.domain.crossing_rules import age_on
from midas.domain.crossings import record_crossing
from midas.domain.documents import ManualDocument
from midas.domain.errors import Conflict, InvalidInput, PermissionDenied
from midas.domain.reviews import Verdict, review_hit
from midas.domain.submissions import Submission
from midas.domain.travellers import traveller_history
from midas.persistence.models import (
    AuditEvent,
    Crossing,
    Decision,
    Direction,
    HitStatus,
    ScreeningHit,
    TravelDocument,
    Traveller,
    WatchlistVersion,
)
from midas.persistence.models.travellers import TravellerNameKey
from midas.persistence.traveller_rows import NOTHING_FOUND
from tests.midas.crossing_builders import (
    NOW,
    PEOPLE,
    load_lists,
    make_world,
    mrz,
    record,
    screener_for,
    submission,
    tx,
)


@pytest.fixture
def world(session: Session):
    return make_world(session)


@pytest.fixture
def screener(app, tmp_path):
    load_lists(app, tmp_path)
    return screener_for(app)


def count(session: Session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_a_clean_reading_is_recorded_with_the_officer_post_traveller_and_audit(
    session, world, screener
):
    recorded = record(session, world.officer, screener)
    crossing = recorded.crossing
    assert recorded.created and recorded.linked_by == "new"
    assert crossing.post_id == world.post_id and crossing.officer_id == world.officer.user_id
    assert crossing.document_valid and crossing.reading["document_number"] == "L898902C3"
    assert crossing.traveller.surname == "ERIKSSON" and crossing.traveller_age == 51
    assert crossing.hits == [] and not crossing.is_minor
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "crossing.record")).one()
    assert event.object_id == str(crossing.id) and event.actor == f"user:{world.officer.user_id}"


def test_a_station_records_under_the_officer_it_names_at_its_post(session, world, screener):
    crossing = record(session, world.station, screener, officer="officer1").crossing
    assert crossing.station_id == world.station.station_id
    assert crossing.officer_id == world.officer.user_id and crossing.post_id == world.post_id


def test_a_station_must_name_an_officer_posted_at_its_post(session, world, screener):
    with pytest.raises(InvalidInput) as missing:
        record(session, world.station, screener)
    with pytest.raises(InvalidInput) as elsewhere:
        record(session, world.station, screener, officer="officer2")
    assert missing.value.field == elsewhere.value.field == "officer"
    assert count(session, Crossing) == 0


def test_supervisors_and_admins_do_not_record_crossings(session, world, screener):
    for actor in (world.supervisor, world.admin):
        with pytest.raises(PermissionDenied):
            record(session, actor, screener)


def test_a_retried_submission_returns_the_same_crossing_once(session, world, screener):
    sent = submission()
    with tx(session):
        first = record_crossing(session, world.officer, sent, screener, now=NOW)
    with tx(session):
        again = record_crossing(session, world.officer, sent, screener, now=NOW)
    assert again.crossing.id == first.crossing.id and not again.created
    assert count(session, Crossing) == 1 and count(session, Traveller) == 1


def test_a_client_id_reused_for_another_submission_is_a_conflict(session, world, screener):
    client_id = str(uuid.uuid4())
    record(session, world.officer, screener, client_id=client_id)
    with pytest.raises(Conflict) as caught:
        record(session, world.officer, screener, client_id=client_id, decision=Decision.REFERRED)
    assert caught.value.field == "client_id"


def test_a_client_id_must_be_a_uuid(session, world, screener):
    with pytest.raises(InvalidInput) as caught:
        record(session, world.officer, screener, client_id="retry-1")
    assert caught.value.field == "client_id"


# Refused before anything is written: the same on either database.
@pytest.mark.one_backend
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"decision": Decision.REFUSED}, "refusal_reason"),
        ({"decision": Decision.REFUSED, "refusal_reason": "Z"}, "refusal_reason"),
        ({"decision": Decision.ADMITTED, "refusal_reason": "A"}, "refusal_reason"),
        ({"occurred_at": datetime(2026, 3, 10, 11, 0)}, "occurred_at"),
        ({"occurred_at": NOW + timedelta(hours=1)}, "occurred_at"),
        ({"occurred_at": NOW - timedelta(days=30)}, "occurred_at"),
        ({"mrz": ("NOT AN MRZ",)}, "mrz"),
        ({"mrz": None}, "mrz"),
        ({"transport_mode": "balloon"}, "transport_mode"),
    ],
)
def test_invalid_submissions_name_the_field_and_record_nothing(
    session, world, screener, overrides, field
):
    with pytest.raises(InvalidInput) as caught:
        record(session, world.officer, screener, **overrides)
    assert caught.value.field == field
    assert count(session, Crossing) == count(session, Traveller) == 0


def test_a_refusal_keeps_its_annex_v_reason_code(session, world, screener):
    crossing = record(
        session, world.officer, screener, decision=Decision.REFUSED, refusal_reason="e"
    ).crossing
    assert crossing.decision is Decision.REFUSED and crossing.refusal_reason == "E"


def test_the_time_defaults_to_now_in_utc(session, world, screener):
    crossing = record(session, world.officer, screener, occurred_at=None).crossing
    assert crossing.occurred_at == NOW


def test_a_listed_person_and_a_stolen_document_are_stored_as_hits_with_their_version(
    session, world, screener
):
    lines = mrz(
        "AL RASHID",
        "MOHAMED",
        "C01X00T47",
        nationality="IRQ",
        issuing_state="DEU",
        birth_date=date(1975, 3, 2),
        sex="M",
    )
    crossing = record(
        session, world.officer, screener, mrz=lines, decision=Decision.REFERRED
    ).crossing
    hits = {hit.list_name: hit for hit in crossing.hits}
    assert set(hits) == {"alerts", "sltd"}
    for hit in hits.values():
        version = session.get(WatchlistVersion, hit.list_version_id)
        assert version.watchlist.name == hit.list_name and hit.status is HitStatus.PENDING
    assert hits["sltd"].entry_id == "d1" and hits["alerts"].reasons


def test_each_crossing_is_screened_against_the_versions_active_when_it_is_recorded(
    app, session, world, screener, tmp_path
):
    listed = mrz("PETROV", "IVAN", "R1234567", nationality="RUS", birth_date=date(1980, 5, 1))
    first = record(session, world.officer, screener, mrz=listed)
    assert first.crossing.hits == []
    ivan = ["p2", "Ivan Petrov", "", "1980-05-01", "RUS", "M"]
    load_lists(app, tmp_path, people=[*PEOPLE, ivan])
    again = record(session, world.officer, screener, mrz=listed, decision=Decision.REFERRED)
    [hit] = again.crossing.hits
    version = session.get(WatchlistVersion, hit.list_version_id)
    assert (hit.list_name, hit.entry_id, version.number) == ("alerts", "p2", 2)
    assert version.watchlist.active_version_id == version.id


def test_a_minor_needs_the_accompaniment_said(session, world, screener):
    child = mrz("ERIKSSON", "LISA", "L12345678", birth_date=date(2015, 1, 1))
    with pytest.raises(InvalidInput) as caught:
        record(session, world.officer, screener, mrz=child)
    assert caught.value.field == "minor_accompanied"
    alone = record(session, world.officer, screener, mrz=child, minor_accompanied=False).crossing
    assert alone.is_minor and alone.minor_accompanied is False and alone.traveller_age == 11


def test_an_accompanied_minor_links_the_companion_crossing_at_the_same_post(
    session, world, screener
):
    parent_id = record(session, world.officer, screener).crossing.id
    child = mrz("ERIKSSON", "LISA", "L12345678", birth_date=date(2015, 1, 1))
    with pytest.raises(InvalidInput) as missing:
        record(session, world.officer, screener, mrz=child, minor_accompanied=True)
    assert missing.value.field == "accompanying_crossing_id"
    crossing = record(
        session,
        world.officer,
        screener,
        mrz=child,
        minor_accompanied=True,
        accompanying_crossing_id=parent_id,
    ).crossing
    assert crossing.accompanying_crossing_id == parent_id and crossing.minor_accompanied


def test_a_companion_crossing_elsewhere_or_long_before_is_refused(session, world, screener):
    far = record(
        session,
        world.other_officer,
        screener,
        mrz=mrz(number="X0000001"),
    ).crossing
    early = record(
        session,
        world.officer,
        screener,
        mrz=mrz(number="X0000002"),
        occurred_at=NOW - timedelta(hours=5),
    ).crossing
    child = mrz("ERIKSSON", "LISA", "L12345678", birth_date=date(2015, 1, 1))
    for companion in (far, early):
        with pytest.raises(InvalidInput) as caught:
            record(
                session,
                world.officer,
                screener,
                mrz=child,
                minor_accompanied=True,
                accompanying_crossing_id=companion.id,
            )
        assert caught.value.field == "accompanying_crossing_id"


def test_a_minor_is_not_accompanied_by_a_minor_a_refused_traveller_or_themselves(
    session, world, screener
):
    child = mrz("ERIKSSON", "LISA", "L12345678", birth_date=date(2015, 1, 1))
    sibling = record(
        session,
        world.officer,
        screener,
        mrz=mrz("ERIKSSON", "MAJA", "L87654321", birth_date=date(2012, 6, 1)),
        minor_accompanied=False,
    ).crossing
    refused = record(
        session,
        world.officer,
        screener,
        mrz=mrz("ERIKSSON", "PER", "P5550001"),
        decision=Decision.REFUSED,
        refusal_reason="B",
    ).crossing
    # An adult's crossing filed under the child (as a supervisor's reassignment can): the minor's
    # own. A reading with another birth date is another person, so it takes a filing to get here.
    alone = record(session, world.officer, screener, mrz=child, minor_accompanied=False).crossing
    misread = mrz("ERIKSSON", "LISA", "L12345679", birth_date=date(1995, 1, 1))
    own = record(session, world.officer, screener, mrz=misread).crossing
    session.execute(
        update(Crossing).where(Crossing.id == own.id).values(traveller_id=alone.traveller_id)
    )
    session.expire_all()
    for companion, says in ((sibling, "adult"), (refused, "refused"), (own, "own")):
        with pytest.raises(InvalidInput, match=says) as caught:
            record(
                session,
                world.officer,
                screener,
                mrz=child,
                minor_accompanied=True,
                accompanying_crossing_id=companion.id,
            )
        assert caught.value.field == "accompanying_crossing_id"
    adult = record(session, world.officer, screener, mrz=mrz("ERIKSSON", "ANNA", "P5550002"))
    accompanied = record(
        session,
        world.officer,
        screener,
        mrz=child,
        minor_accompanied=True,
        accompanying_crossing_id=adult.crossing.id,
    ).crossing
    assert accompanied.accompanying_crossing_id == adult.crossing.id


def test_one_day_before_the_18th_birthday_is_a_minor_and_on_it_an_adult(session, world, screener):
    day = NOW.date()
    born = date(day.year - 18, day.month, day.day)
    adult = record(session, world.officer, screener, mrz=mrz(number="A1", birth_date=born)).crossing
    minor = record(
        session,
        world.officer,
        screener,
        minor_accompanied=False,
        mrz=mrz(number="A2", birth_date=born + timedelta(days=1)),
    ).crossing
    assert not adult.is_minor and minor.is_minor


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(min_value=0, max_value=100),
)
def test_age_is_whole_years_counted_from_birthdays(birth, years):
    try:
        birthday = birth.replace(year=birth.year + years)
    except ValueError:  # 29 February in a common year: the birthday falls on 1 March
        birthday = date(birth.year + years, 3, 1)
    assert age_on(birth, birthday) == years
    assert age_on(birth, birthday - timedelta(days=1)) == years - 1


def test_the_same_document_links_to_the_same_traveller(session, world, screener):
    first = record(session, world.officer, screener).crossing
    second = record(session, world.officer, screener, direction=Direction.EXIT)
    assert second.linked_by == "document"
    assert second.crossing.traveller_id == first.traveller_id
    assert second.crossing.document_id == first.document_id


def test_a_first_time_crossing_is_audited_with_the_new_traveller(session, world, screener):
    crossing = record(session, world.officer, screener).crossing
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "crossing.record")).one()
    assert event.object_id == str(crossing.id)
    assert event.detail["traveller_id"] == crossing.traveller_id is not None
    assert event.detail["linked_by"] == "new" and event.detail["decision"] == "admitted"
    stored = session.get(TravelDocument, crossing.document_id)
    assert stored is not None and stored.traveller_id == crossing.traveller_id
    assert stored.number == "L898902C3"


def test_a_document_stored_while_a_first_crossing_was_read_is_linked_to(
    session, world, screener, monkeypatch: pytest.MonkeyPatch
):
    first = record(session, world.officer, screener).crossing
    # The second request looked before the first one's document was visible to it: it plans a
    # new traveller, finds the document taken when storing, and links to the stored one.
    real = crossings_module.link_reading
    calls: list[int] = []

    def not_yet(session, identity, found=None):
        calls.append(1)
        return real(session, identity, NOTHING_FOUND if len(calls) == 1 else found)

    monkeypatch.setattr(crossings_module, "link_reading", not_yet)
    second = record(session, world.officer, screener, direction=Direction.EXIT)
    assert len(calls) == 1 and second.created and second.linked_by == "document"
    assert second.crossing.traveller_id == first.traveller_id
    assert second.crossing.document_id == first.document_id
    assert count(session, TravelDocument) == 1 and count(session, Crossing) == 2
    # The traveller planned for the document is not kept without it.
    name = f"{first.traveller.surname} {first.traveller.given_names}"
    assert count(session, Traveller) == 1
    assert count(session, TravellerNameKey) == len(travellers_module.search_keys(name))
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "crossing.record").order_by(AuditEvent.id)
    ).all()
    assert [event.object_id for event in events] == [str(first.id), str(second.crossing.id)]
    assert events[1].detail["traveller_id"] == first.traveller_id
    assert events[1].detail["linked_by"] == "document"


def test_a_new_passport_of_the_same_identity_joins_the_traveller_as_a_new_document(
    session, world, screener
):
    first = record(session, world.officer, screener).crossing
    renewed = record(session, world.officer, screener, mrz=mrz(number="N0000001"))
    assert renewed.linked_by == "identity"
    assert renewed.crossing.traveller_id == first.traveller_id
    assert count(session, TravelDocument) == 2


def test_the_same_name_with_another_birth_date_is_another_traveller(session, world, screener):
    first = record(session, world.officer, screener).crossing
    other = record(
        session, world.officer, screener, mrz=mrz(number="N0000002", birth_date=date(1980, 1, 1))
    )
    assert other.linked_by == "new" and other.crossing.traveller_id != first.traveller_id


def _confirmed_listed_crossing(session, world, screener):
    lines = mrz(
        "AL RASHID", "MOHAMED", "R1234567", nationality="IRQ", birth_date=date(1975, 3, 2), sex="M"
    )
    first = record(session, world.officer, screener, mrz=lines, decision=Decision.REFERRED).crossing
    with tx(session):
        review_hit(session, world.supervisor, first.hits[0].id, Verdict.CONFIRM, "same person")
    return lines, first


def test_admitting_over_a_confirmed_hit_needs_an_override_reason(session, world, screener):
    lines, first = _confirmed_listed_crossing(session, world, screener)
    with pytest.raises(Conflict) as caught:
        record(session, world.officer, screener, mrz=lines, direction=Direction.EXIT)
    assert str(first.hits[0].id) in caught.value.message
    assert caught.value.field == "override_reason"
    crossing = record(
        session,
        world.officer,
        screener,
        mrz=lines,
        direction=Direction.EXIT,
        override_reason="cleared by liaison officer",
    ).crossing
    assert crossing.override_reason == "cleared by liaison officer"
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.object_id == str(crossing.id))
    ).one()
    assert event.detail["override"]["confirmed_hits"] == [first.hits[0].id]


def test_refusing_or_referring_over_a_confirmed_hit_needs_no_override(session, world, screener):
    lines, _ = _confirmed_listed_crossing(session, world, screener)
    crossing = record(
        session, world.officer, screener, mrz=lines, decision=Decision.REFUSED, refusal_reason="H"
    ).crossing
    assert crossing.override_reason is None


def test_a_correction_is_a_new_row_and_the_original_stays(session, world, screener):
    original = record(session, world.officer, screener).crossing
    fix = submission(direction=Direction.EXIT, decision=Decision.ADMITTED, mrz=None)
    with tx(session):
        corrected = correct_crossing(
            session, world.officer, original.id, fix, "wrong direction", screener, now=NOW
        ).crossing
    session.expire_all()
    assert corrected.corrects_id == original.id and corrected.correction_reason == "wrong direction"
    assert session.get(Crossing, original.id).direction is Direction.ENTRY
    assert corrected.traveller_id == original.traveller_id
    with tx(session):
        history = traveller_history(session, world.supervisor, original.traveller_id)
    assert [c.id for c in history.crossings] == [original.id, corrected.id]
    with pytest.raises(Conflict), tx(session):
        correct_crossing(
            session, world.officer, original.id, submission(mrz=None), "again", screener, now=NOW
        )


def test_a_correction_cannot_name_the_minor_own_crossing_as_the_companion(session, world, screener):
    child = mrz("ERIKSSON", "LISA", "L12345678", birth_date=date(2015, 1, 1))
    original = record(session, world.officer, screener, mrz=child, minor_accompanied=False)
    fix = submission(
        mrz=None, minor_accompanied=True, accompanying_crossing_id=original.crossing.id
    )
    with pytest.raises(InvalidInput) as caught, tx(session):
        correct_crossing(
            session, world.officer, original.crossing.id, fix, "was accompanied", screener, now=NOW
        )
    assert caught.value.field == "accompanying_crossing_id"


def test_an_officer_cannot_correct_at_another_post(session, world, screener):
    original = record(session, world.officer, screener).crossing
    from midas.domain.errors import NotFound

    with pytest.raises(NotFound), tx(session):
        correct_crossing(
            session,
            world.other_officer,
            original.id,
            submission(mrz=None),
            "mine now",
            screener,
            now=NOW,
        )


def test_a_failure_while_screening_leaves_nothing_written(session, world, screener):
    def broken():
        raise RuntimeError("index build failed")

    broken_screener = type(screener)(indexes=broken, config=screener.config)
    with pytest.raises(RuntimeError):
        record(session, world.officer, broken_screener)
    assert count(session, Crossing) == count(session, Traveller) == 0


def test_a_failure_while_storing_hits_leaves_no_crossing_traveller_or_hit(
    session, world, screener, monkeypatch
):
    def half_store(session, crossing_id, hits):
        session.add(
            ScreeningHit(
                crossing_id=crossing_id,
                list_name="x",
                list_version_id=1,
                list_kind="person",
                entry_id="e",
                matched_name="n",
                score=1,
                threshold=1,
                reasons=[],
            )
        )
        session.flush()
        raise RuntimeError("disk full")

    monkeypatch.setattr("midas.domain.crossings.store_hits", half_store)
    with pytest.raises(RuntimeError):
        record(session, world.officer, screener)
    assert count(session, Crossing) == count(session, Traveller) == 0
    assert count(session, TravelDocument) == count(session, ScreeningHit) == 0
    assert count(session, AuditEvent) == 0
    assert screening_module.store_hits is not half_store


def test_a_typed_in_document_is_recorded_without_mrz_checks(session, world, screener):
    from midas.domain.documents import ManualDocument

    typed = ManualDocument(
        surname="Müller",
        given_names="Jörg",
        birth_date=date(1970, 1, 1),
        nationality="DEU",
        sex="M",
        document_number="C-123 456",
        issuing_state="D",
        document_type="P",
    )
    crossing = record(session, world.officer, screener, mrz=None, document=typed).crossing
    assert crossing.reading["source"] == "manual" and not crossing.document_valid
    assert crossing.traveller.surname == "MUELLER" and crossing.document.number == "C123456"
    assert crossing.document.issuing_state == "DEU"


def test_the_desk_is_judged_first_then_the_time_then_the_document_then_the_decision(
    session, world, screener
):
    # The document is read before the desk is (to look its traveller up with the desk), but
    # who may record is said first: read, then decide (the decision's own rules come last).
    garbage = ("NOT AN MRZ",)
    future = NOW + timedelta(days=1)
    with pytest.raises(PermissionDenied):
        record(session, world.supervisor, screener, mrz=garbage, occurred_at=future)
    with pytest.raises(InvalidInput) as raised:
        record(session, world.officer, screener, mrz=garbage, occurred_at=future)
    assert raised.value.field == "occurred_at"
    with pytest.raises(InvalidInput) as raised:
        record(session, world.officer, screener, mrz=garbage, refusal_reason="A")
    assert raised.value.field == "mrz"
    with pytest.raises(InvalidInput) as raised:
        record(session, world.officer, screener, refusal_reason="A")
    assert raised.value.field == "refusal_reason"
    assert count(session, Crossing) == 0


def test_a_document_is_judged_on_the_post_date_not_the_utc_date(session, world, screener):
    # The post is in Stockholm (UTC+1): half past eleven at night UTC is the next day there.
    last_day = date(2026, 3, 9)
    cases = [
        (datetime(2026, 3, 9, 22, 30, tzinfo=UTC), "T1000001", False),  # 23:30 on the 9th
        (datetime(2026, 3, 9, 23, 30, tzinfo=UTC), "T1000002", True),  # 00:30 on the 10th
    ]
    for moment, number, expired in cases:
        lines = mrz("LINDQVIST", "EVA", number, expiry=last_day)
        crossing = record(
            session,
            world.officer,
            screener,
            mrz=lines,
            occurred_at=moment,
            decision=Decision.REFERRED,
        ).crossing
        assert crossing.document_expired is expired, moment
        assert crossing.reading["expired"] is expired


def test_times_are_stored_in_utc(session, world, screener):
    local = datetime(2026, 3, 10, 11, 30, tzinfo=UTC).astimezone()
    crossing = record(session, world.officer, screener, occurred_at=local).crossing
    assert crossing.occurred_at.tzinfo is UTC


_TEXT = st.text(max_size=12)


@given(
    st.builds(
        Submission,
        client_id=st.uuids().map(str),
        direction=st.sampled_from(Direction),
        decision=st.sampled_from(Decision),
        mrz=st.none() | st.lists(_TEXT, max_size=3).map(tuple),
        document=st.none()
        | st.builds(ManualDocument, surname=_TEXT, birth_date=st.none() | st.dates()),
        occurred_at=st.none() | st.datetimes(timezones=st.just(UTC)),
        officer=st.none() | _TEXT,
        notes=st.none() | _TEXT,
        minor_accompanied=st.none() | st.booleans(),
        extra=st.dictionaries(_TEXT, st.integers() | _TEXT, max_size=2),
        reading_uncertain=st.booleans(),
        chip=st.lists(st.binary(max_size=8), max_size=2).map(tuple),
    )
)
def test_a_submission_fingerprint_is_the_sha256_of_its_canonical_json(submission):
    # Stored fingerprints were computed from asdict(): the fast path must give the same digest.
    # A field added later is left out at its default, so those fingerprints keep matching.
    data = dataclasses.asdict(submission)
    if not submission.reading_uncertain:
        del data["reading_uncertain"]
    # Chip files count by their digests (a DG2 is tens of kilobytes).
    if submission.chip:
        data["chip"] = [hashlib.sha256(blob).hexdigest() for blob in submission.chip]
    else:
        del data["chip"]
    canonical = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    assert submission.fingerprint() == hashlib.sha256(canonical.encode()).hexdigest()
