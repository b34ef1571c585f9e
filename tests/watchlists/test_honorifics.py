"""Honorifics lists and documents add or leave out (HAJ, HAJJ, SAYYID, SEYED): issue 17.

They weigh what a particle weighs, stand before the first given name without being it, and,
being also borne as names (SAYYID QUTB), still meet their spellings.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from watchlists.config import ScreeningConfig
from watchlists.index import PersonIndex
from watchlists.models import EntryName, PersonEntry
from watchlists.normalize import is_particle, weighs_as_particle
from watchlists.screening import PersonQuery, screen_person
from watchlists.variants import HONORIFICS

CONFIG = ScreeningConfig()

# Uncommon names, none a spelling, typo or part of another: each weighs 1.
RARE = ["SHARIAT", "ATABAK", "BORGHEI", "ASAAD", "MOJTABA", "MAKENGA", "TALENGE", "KORNET",
        "ARBUZOV", "DOGAYEV", "ROTONDARO", "DELLAN", "JAMMEH", "BABILI", "OKONKWO"]  # fmt: skip
HONORIFIC = st.sampled_from(sorted(HONORIFICS))


def listed(family: str, given_names: str) -> PersonEntry:
    name = EntryName(f"{family}, {given_names}", given=given_names, family=family)
    return PersonEntry("listed", (name,))


def hits(entry: PersonEntry, **query: str) -> list[tuple[float, str]]:
    index = PersonIndex.build("honorifics", 1, [entry])
    return [
        (hit.score, hit.reasons[0].detail)
        for hit in screen_person(PersonQuery(**query), index, CONFIG)
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(RARE), min_size=2, max_size=2, unique=True), HONORIFIC)
def test_a_document_may_leave_out_the_honorific_a_list_writes(names, honorific):
    # SHARIAT, Hossein for SHARIAT, Seyed Hossein: the honorific is no first given name.
    family, given_name = names
    [(found, detail)] = hits(
        listed(family, f"{honorific} {given_name}"), name=f"{given_name} {family}"
    )
    assert found >= CONFIG.threshold
    assert f"{honorific} (honorific)" in detail


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(RARE), min_size=2, max_size=2, unique=True), HONORIFIC)
def test_a_document_may_add_an_honorific_the_list_leaves_out(names, honorific):
    # ASAAD, Hajj Sultan for ASAAD, Sultan.
    family, given_name = names
    found = hits(
        listed(family, given_name), surname=family, given_names=f"{honorific} {given_name}"
    )
    assert found and found[0][0] >= CONFIG.threshold
    assert f"{honorific} (honorific not in listed name)" in found[0][1]


def test_an_honorific_is_also_a_name_and_meets_its_spellings():
    # SAYYID QUTB is a name: SAYED and SEYED still meet it as spellings.
    entry = listed("QUTB", "Sayyid")
    for spelled in ("SAYYID", "SAYED", "SEYED"):
        [(found, _)] = hits(entry, name=f"{spelled} QUTB")
        assert found >= 0.97


def test_honorifics_weigh_as_particles():
    assert all(weighs_as_particle(honorific) for honorific in HONORIFICS)
    # SAYED is also SAID's spelling: a name, not an honorific.
    assert not weighs_as_particle("SAYED")
    # Elsewhere (search keys, identities) an honorific is still a word of the name.
    assert not any(is_particle(honorific) for honorific in HONORIFICS)
