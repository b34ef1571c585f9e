import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

import statecodes
from scanners.mrz.fields import is_known_state, state_name
from watchlists.loaders.fields import country_code
from watchlists.normalize import normalize_state

DOC_9303_SPECIALS = sorted({*statecodes.SPECIAL_CODES, statecodes.SPECIMEN_CODE})
every_code = st.sampled_from(sorted(statecodes.CODES))


def test_docstring_examples_hold():
    failures, tried = doctest.testmod(statecodes)
    assert tried > 0
    assert failures == 0


@given(every_code)
def test_every_code_in_the_table_is_its_own_code(code):
    assert statecodes.to_code(code) == code
    assert statecodes.to_code(code.lower()) == code
    assert statecodes.name(code)


@given(every_code)
def test_the_reader_and_the_lists_know_the_same_codes(code):
    assert is_known_state(code)
    assert state_name(code) == statecodes.name(code)
    assert country_code(code) == code
    assert normalize_state(code) == statecodes.canonical(code)
    assert statecodes.is_known(statecodes.canonical(code))


@given(st.text(max_size=12))
def test_to_code_gives_a_known_code_or_none(text):
    code = statecodes.to_code(text)
    assert code is None or statecodes.is_known(code)
    assert (country_code(text) is None) == (code is None)


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=3))
def test_unknown_codes_are_unknown_everywhere_and_never_come_back_unchanged(text):
    if statecodes.is_known(text):
        return
    assert not is_known_state(text)
    assert statecodes.to_code(text) in (None, *statecodes.CODES)
    assert statecodes.to_code(text) != text


@pytest.mark.parametrize("code", DOC_9303_SPECIALS)
def test_doc_9303_specials_are_codes_lists_can_hold(code):
    assert statecodes.is_known(code)
    assert country_code(code) == code


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Germany", "DEU"),
        ("de", "DEU"),
        ("DEU", "DEU"),
        ("D", "D"),
        ("Kosovo", "RKS"),
        ("XK", "RKS"),
        ("XKX", "RKS"),
        ("RKS", "RKS"),
        ("UNK", "UNK"),
        ("  united   nations ", "UNO"),
        ("Stateless", "XXA"),
        ("Atlantis", None),
        ("ZZ", None),
        ("", None),
    ],
)
def test_what_lists_write_becomes_a_doc_9303_code(written, code):
    assert statecodes.to_code(written) == code


@pytest.mark.parametrize(
    ("first", "second"),
    [("D", "DEU"), ("DEU", "D"), ("RKS", "UNK"), ("UNK", "RKS"), ("FRA", "FRA")],
)
def test_codes_for_one_state_are_the_same_state(first, second):
    assert statecodes.same_state(first, second)


@pytest.mark.parametrize(
    ("first", "second"), [("D", "AUT"), ("RKS", "SRB"), ("UNO", "UNA"), ("GBR", "GBN")]
)
def test_codes_for_different_states_or_bodies_differ(first, second):
    assert not statecodes.same_state(first, second)


@pytest.mark.parametrize(
    ("written", "compared"),
    [("D", "DEU"), ("D<<", "DEU"), ("UNK", "RKS"), ("Kosovo", "RKS"), ("XKX", "RKS")],
)
def test_the_lists_compare_one_code_per_state(written, compared):
    assert normalize_state(written) == compared


@pytest.mark.parametrize("written", ["ZZZ", "XYZ", "Atlantis", "<<<", ""])
def test_the_lists_drop_unknown_states_instead_of_keeping_them_unchanged(written):
    assert normalize_state(written) is None


@given(every_code)
def test_a_state_is_a_known_code_that_names_itself(code):
    if statecodes.is_state(code):
        assert statecodes.canonical(code) == code and statecodes.name(code)
    else:
        assert code in statecodes.SPECIAL_CODES or code == statecodes.SPECIMEN_CODE


def test_kosovo_is_a_state_though_iso_leaves_it_out():
    assert statecodes.is_state("RKS")
    assert not any(statecodes.is_state(code) for code in ("D", "UNK", "UNO", "XXA", "UTO"))
