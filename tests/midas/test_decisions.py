"""The decision rules: what a reading and its hits ask of an admission (pure, no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from midas.domain.decisions import (
    Listed,
    Needs,
    ReadingFacts,
    assess,
    check_decision,
)
from midas.domain.errors import Conflict, PermissionDenied
from midas.persistence.models import AlertPolicy, Decision
from watchlists.models import ListKind

CLEAN = ReadingFacts(source="mrz", valid=True, expired=False)
_READINGS = st.builds(
    ReadingFacts,
    source=st.sampled_from(["mrz", "manual"]),
    valid=st.booleans(),
    expired=st.booleans(),
    uncertain=st.booleans(),
)
_LISTED = st.builds(
    Listed,
    list_name=st.sampled_from(["sltd", "wanted", "sanctions"]),
    kind=st.sampled_from(ListKind),
    entry_id=st.text("abc123", min_size=1, max_size=4),
    matched_name=st.just("X"),
    possible=st.booleans(),
)
_POLICIES = st.dictionaries(
    st.sampled_from(["sltd", "wanted", "sanctions"]), st.sampled_from(AlertPolicy)
)


def stolen(possible: bool = False) -> Listed:
    return Listed("sltd", ListKind.DOCUMENT, "d1", "P DEU C01X00T47", possible)


def wanted() -> Listed:
    return Listed("wanted", ListKind.PERSON, "p1", "MOHAMED AL RASHID")


@pytest.mark.parametrize(
    "reading",
    [
        ReadingFacts(source="mrz", valid=True, expired=True),
        ReadingFacts(source="mrz", valid=False, expired=False),
        ReadingFacts(source="mrz", valid=True, expired=False, uncertain=True),
        ReadingFacts(source="manual", valid=False, expired=True),
    ],
)
def test_a_doubtful_document_preselects_nothing_and_admitting_needs_a_reason(reading):
    assessment = assess(reading, [], {})
    assert assessment.suggested is None and assessment.needs is Needs.REASON
    with pytest.raises(Conflict) as caught:
        check_decision(assessment, Decision.ADMITTED, None, supervisor=False)
    assert caught.value.field == "override_reason"
    assert check_decision(assessment, Decision.ADMITTED, " seen ", supervisor=False) == "seen"


def test_a_document_typed_in_by_hand_is_not_held_invalid_for_lacking_check_digits():
    assessment = assess(ReadingFacts(source="manual", valid=False, expired=False), [], {})
    assert assessment.concerns == () and assessment.suggested is Decision.ADMITTED


def test_a_block_list_lets_only_a_supervisor_admit_with_a_reason():
    assessment = assess(CLEAN, [stolen()], {"sltd": AlertPolicy.BLOCK})
    assert assessment.suggested is Decision.REFERRED and assessment.needs is Needs.SUPERVISOR
    with pytest.raises(PermissionDenied):
        check_decision(assessment, Decision.ADMITTED, "I know him", supervisor=False)
    with pytest.raises(Conflict):
        check_decision(assessment, Decision.ADMITTED, None, supervisor=True)
    assert check_decision(assessment, Decision.ADMITTED, "reissued", supervisor=True)
    assert check_decision(assessment, Decision.REFERRED, None, supervisor=False) is None


def test_a_refer_list_preselects_secondary_inspection_and_admitting_needs_a_reason():
    assessment = assess(CLEAN, [wanted()], {"wanted": AlertPolicy.REFER})
    assert assessment.suggested is Decision.REFERRED and assessment.needs is Needs.REASON


def test_an_inform_list_informs_only():
    assessment = assess(CLEAN, [wanted()], {"wanted": AlertPolicy.INFORM})
    assert assessment.codes() == ["person_hit_inform"]
    assert assessment.suggested is Decision.ADMITTED and assessment.needs is Needs.NOTHING


def test_lists_without_a_stored_policy_take_their_kinds_default():
    assessment = assess(CLEAN, [stolen(), wanted()], {})
    assert assessment.codes() == ["document_hit_block", "person_hit_refer"]


def test_a_possible_match_refers_even_on_a_block_list():
    assessment = assess(CLEAN, [stolen(possible=True)], {"sltd": AlertPolicy.BLOCK})
    assert assessment.codes() == ["possible_match"] and assessment.needs is Needs.REASON


def test_another_identity_and_an_earlier_confirmed_hit_need_a_reason():
    assessment = assess(CLEAN, [], {}, confirmed=["Hit 7"], other_identity=True)
    assert assessment.codes() == ["confirmed_hit", "document_other_identity"]
    with pytest.raises(Conflict) as caught:
        check_decision(assessment, Decision.ADMITTED, "", supervisor=False)
    assert "Hit 7" in caught.value.message and "another identity" in caught.value.message


def test_an_entry_without_exit_is_shown_and_asks_nothing():
    assessment = assess(CLEAN, [], {}, entry_without_exit=True)
    assert assessment.codes() == ["entry_without_exit"]
    assert assessment.suggested is Decision.ADMITTED


@given(_READINGS, st.lists(_LISTED, max_size=4), _POLICIES, st.booleans(), st.booleans())
def test_an_admission_is_allowed_exactly_as_the_needs_say(
    reading, hits, policies, other_identity, supervisor
):
    assessment = assess(reading, hits, policies, other_identity=other_identity)
    needs = assessment.needs
    for reason in (None, "checked by hand"):
        allowed = needs is Needs.NOTHING or (
            reason is not None and (needs is Needs.REASON or supervisor)
        )
        try:
            check_decision(assessment, Decision.ADMITTED, reason, supervisor=supervisor)
        except (Conflict, PermissionDenied):
            assert not allowed
        else:
            assert allowed
    # Refusing or referring is never held back.
    for decision in (Decision.REFUSED, Decision.REFERRED):
        check_decision(assessment, decision, None, supervisor=False)
    # Nothing is preselected when the document is in doubt, and Admit never when a hit asks more.
    doubt = reading.expired or reading.uncertain or (reading.source == "mrz" and not reading.valid)
    assert (assessment.suggested is None) == doubt
    if needs is not Needs.NOTHING:
        assert assessment.suggested is not Decision.ADMITTED
