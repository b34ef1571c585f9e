"""Patronymics as written in travel documents and lists."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchlists.patronymics import is_patronymic

FATHERS = ["IVAN", "SERGE", "ALEKSANDR", "YURI", "HENNADIY", "PETR", "ANATOLI", "NIKOLA"]


@pytest.mark.parametrize(
    "token",
    ["IVANOVICH", "SERGEEVICH", "YURYEVICH", "HENNADIYOVYCH", "IVANOVNA", "SERGEEVNA", "IVANIVNA",
     "IVANAUNA", "MIKALAEUNA", "ALIAKSANDRAVICH", "ILYICH", "FOMINICHNA", "OGLY", "KYZY",
     "GENNADIEVITCH"],
)  # fmt: skip
def test_slavic_and_turkic_patronymics_are_known(token):
    assert is_patronymic(token)


@pytest.mark.parametrize(
    "token", ["PETROVIC", "JOVANOVIC", "ABRAMOV", "IVAN", "OVNA", "BOVNA", "SERGEI", "MOHAMMED"]
)
def test_balkan_surnames_and_given_names_are_not_patronymics(token):
    # PETROVIC is a surname (no H); a bare ending or a short stem is no patronymic.
    assert not is_patronymic(token)


@given(st.sampled_from(FATHERS), st.sampled_from(["OVICH", "EVICH", "OVNA", "EVNA", "OVYCH"]))
def test_a_fathers_name_with_a_patronymic_ending_is_a_patronymic(father, ending):
    assert is_patronymic(father + ending)
    assert not is_patronymic(father)
