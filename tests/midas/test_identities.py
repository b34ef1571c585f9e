"""Identity agreement: when a reading may join the traveller its document is on record with."""

from __future__ import annotations

from datetime import date

from hypothesis import assume, given
from hypothesis import strategies as st

from midas.domain.identities import PersonFacts, identities_agree
from watchlists.normalize import is_particle

_NAME = st.text(alphabet="ABCDEFGHIJKLMNOPRSTUVWYZ", min_size=3, max_size=10)
_FACTS = st.builds(
    PersonFacts,
    surname=st.lists(_NAME, min_size=1, max_size=2).map(" ".join),
    given_names=st.lists(_NAME, max_size=3).map(" ".join),
    birth_date=st.none() | st.dates(date(1920, 1, 1), date(2026, 1, 1)),
)


def facts(surname: str, given: str, born: date | None = date(1980, 5, 1)) -> PersonFacts:
    return PersonFacts(surname, given, born)


@given(_FACTS)
def test_a_person_agrees_with_themselves(person):
    assert identities_agree(person, person)


@given(_FACTS, _FACTS)
def test_agreement_is_symmetric(left, right):
    assert identities_agree(left, right) == identities_agree(right, left)


@given(_FACTS, st.dates(date(1920, 1, 1), date(2026, 1, 1)))
def test_another_birth_date_is_another_person_whatever_the_name(person, other_day):
    assume(person.birth_date is not None and other_day != person.birth_date)
    moved = PersonFacts(person.surname, person.given_names, other_day)
    assert not identities_agree(person, moved)


@given(_FACTS, _NAME)
def test_a_middle_name_left_out_still_agrees(person, middle):
    assume(person.given_names)
    # Particles (AL, DE, VON …) are not names of their own: the rule leaves them out.
    assume(not any(is_particle(word) for word in [*person.given_names.split(), middle]))
    first, *rest = person.given_names.split()
    fuller = PersonFacts(person.surname, " ".join([first, middle, *rest]), person.birth_date)
    assert identities_agree(person, fuller)


def test_another_first_name_with_the_same_surname_is_another_person():
    assert not identities_agree(facts("BROWN", "OLIVER"), facts("BROWN", "THOMAS"))
    assert not identities_agree(facts("BROWN", "OLIVER"), facts("GREEN", "OLIVER"))


def test_spelling_slips_folding_and_cut_names_agree():
    assert identities_agree(facts("MUELLER", "JUERGEN"), facts("MULLER", "JURGEN"))
    assert identities_agree(facts("ERIKSSON", "ANNA MARIA"), facts("ERIKSON", "ANNA MARIA"))
    # An MRZ cuts a long name to fit its field: the cut token is a prefix of the full one.
    assert identities_agree(
        facts("WOLFESCHLEGELSTEINHAUSEN", "HUBERT"), facts("WOLFESCHLEGELSTEIN", "HUBERT")
    )


def test_a_name_of_particles_or_titles_alone_still_agrees_with_itself():
    assert identities_agree(facts("CAPTAIN", ""), facts("CAPTAIN", ""))
    assert identities_agree(facts("DE LA", "MARIA"), facts("DE LA", "MARIA"))
    assert not identities_agree(facts("DE LA", "MARIA"), facts("AL", "MARIA"))


def test_a_missing_surname_agrees_with_nobody():
    assert not identities_agree(facts("", "ANNA"), facts("", "ANNA"))
