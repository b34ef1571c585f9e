"""Name and document normalisation: ICAO transliteration, folding, tokens, keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchlists.normalize import (
    fold,
    name_key,
    normalize_document_number,
    normalize_name,
    normalize_state,
    split_glued,
    split_mrz_name,
    tokenize,
    transliterate,
)

names = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "M", "Zs", "Pd", "Po")),
    max_size=40,
)
tokens = st.lists(st.from_regex(r"[A-Z]{1,10}", fullmatch=True), min_size=1, max_size=5)


@pytest.mark.parametrize(
    ("written", "mrz"),
    [
        ("Müller", "MUELLER"),
        ("Jääskeläinen", "JAEAESKELAEINEN"),
        ("Ørsted", "OERSTED"),
        ("Åberg", "AABERG"),
        ("Straße", "STRASSE"),
        ("Muñoz", "MUNOZ"),
        ("Þór", "THOR"),
        ("Œuvre", "OEUVRE"),
        ("Łukasz", "LUKASZ"),
        ("François", "FRANCOIS"),
    ],
)
def test_latin_letters_follow_the_doc_9303_part_3_table(written, mrz):
    assert normalize_name(written) == mrz


@pytest.mark.parametrize(
    ("written", "mrz"),
    [("Юрий", "IURII"), ("Хасан", "KHASAN"), ("Щербаков", "SHCHERBAKOV"), ("Яков", "IAKOV")],
)
def test_cyrillic_follows_the_icao_table_not_anyascii(written, mrz):
    assert normalize_name(written) == mrz


def test_other_scripts_are_transliterated_with_anyascii():
    assert transliterate("王伟").isascii()
    assert tokenize("王伟") != ()
    assert tokenize("محمد") != ()


def test_mrz_fillers_hyphens_and_spaces_separate_tokens_and_apostrophes_join():
    assert tokenize("AL-ZAWAHIRI<<AYMAN") == ("AL", "ZAWAHIRI", "AYMAN")
    assert tokenize("O'Brien,  Seán") == ("OBRIEN", "SEAN")


def test_titles_are_dropped():
    assert tokenize("AL ZAWAHIRI, Dr. Ayman") == ("AL", "ZAWAHIRI", "AYMAN")


def test_fold_makes_icao_alternatives_meet():
    assert fold("MUELLER") == fold("MULLER") == fold("MÜLLER".replace("Ü", "U"))
    assert fold("HUSSEIN") == fold("HUSEIN")


def test_glued_prefixes_split_only_with_a_real_remainder():
    assert split_glued("ALZAWAHIRI") == ("AL", "ZAWAHIRI")
    assert split_glued("ABDULRAHMAN") == ("ABDUL", "RAHMAN")
    assert split_glued("ALI") is None


def test_mrz_name_field_splits_into_surname_and_given_names():
    assert split_mrz_name("MUELLER<<HANS<PETER<<<<<") == ("MUELLER", "HANS PETER")


@pytest.mark.parametrize(
    ("written", "normalised"),
    [("AB-123 456", "AB123456"), ("c01x00t47<", "C01X00T47"), (" 12.34/56 ", "123456")],
)
def test_document_numbers_lose_separators_and_fillers(written, normalised):
    assert normalize_document_number(written) == normalised


def test_document_numbers_keep_o_and_zero_apart():
    assert normalize_document_number("O12") != normalize_document_number("012")


@pytest.mark.parametrize(
    ("code", "alpha3"), [("D", "DEU"), ("D<<", "DEU"), ("de", "DEU"), ("FRA", "FRA"), ("", None)]
)
def test_states_become_alpha_3(code, alpha3):
    assert normalize_state(code) == alpha3


@given(names)
def test_normalize_name_is_idempotent(text):
    once = normalize_name(text)
    assert normalize_name(once) == once


@given(st.from_regex(r"[A-Z]{0,12}", fullmatch=True))
def test_fold_is_idempotent(token):
    assert fold(fold(token)) == fold(token)


@given(names)
def test_tokens_are_plain_upper_case_letters(text):
    assert all(token.isascii() and token.isalpha() and token.isupper() for token in tokenize(text))


@given(tokens, st.randoms())
def test_name_key_ignores_token_order(parts, rng):
    shuffled = list(parts)
    rng.shuffle(shuffled)
    assert name_key(" ".join(parts)) == name_key(" ".join(shuffled))


@given(names)
def test_document_number_normalisation_is_idempotent(text):
    once = normalize_document_number(text)
    assert normalize_document_number(once) == once
