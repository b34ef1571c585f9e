"""Token comparison: each kind of agreement, its score, and its human detail."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchlists.config import TokenScores
from watchlists.distance import (
    Agreement,
    BruteForceScorer,
    agreeing_many,
    brute_force,
    compare_many,
    compare_tokens,
    variant_group,
)
from watchlists.normalize import fold, split_glued

SCORES = TokenScores()


@pytest.mark.parametrize(
    ("query", "listed", "agreement"),
    [
        ("MOHAMMED", "MOHAMMED", Agreement.EXACT),
        ("MULLER", "MUELLER", Agreement.FOLDED),
        ("HUSEIN", "HUSSEIN", Agreement.FOLDED),
        ("MOHAMED", "MUHAMMAD", Agreement.VARIANT),
        ("YUSUF", "YOUSEF", Agreement.VARIANT),
        ("ZAWAHIRI", "ALZAWAHIRI", Agreement.GLUED),
        ("MOHAMMEO", "MOHAMMED", Agreement.FUZZY),
        ("SHCHEGOLEV", "SHCHEGLOEV", Agreement.FUZZY),
        ("KNIGHT", "NIGHT", Agreement.PHONETIC),
        ("TARIQ", "TAREK", Agreement.TRANSLITERATION),
        ("TED", "THEODORE", Agreement.HYPOCORISM),
        ("V", "VLADIMIROVICH", Agreement.INITIAL),
    ],
)
def test_tokens_agree_in_named_ways(query, listed, agreement):
    assert compare_tokens(query, listed, SCORES).agreement is agreement


def test_agreements_rank_exact_above_spelling_above_variant_above_typo():
    exact = compare_tokens("MOHAMMED", "MOHAMMED", SCORES).score
    folded = compare_tokens("MULLER", "MUELLER", SCORES).score
    variant = compare_tokens("MOHAMED", "MUHAMMAD", SCORES).score
    typo = compare_tokens("MOHAMMEO", "MOHAMMED", SCORES).score
    assert exact > folded > variant > typo


def test_a_prefix_counts_only_where_the_name_may_have_been_cut():
    assert compare_tokens("MUHAM", "MUHAMMAD", SCORES).agreement is Agreement.NONE
    cut = compare_tokens("MUHAM", "MUHAMMAD", SCORES, allow_prefix=True)
    assert cut.agreement is Agreement.PREFIX


def test_different_names_do_not_agree():
    assert compare_tokens("HASSAN", "PETROV", SCORES).agreement is Agreement.NONE


def test_short_tokens_need_more_than_a_close_spelling():
    assert compare_tokens("ALI", "ALY", SCORES).agreement is Agreement.VARIANT
    assert compare_tokens("ABU", "ABI", SCORES).agreement is Agreement.NONE


def test_sounding_alike_needs_letters_in_common_too():
    assert compare_tokens("KAZEMI", "QASIM", SCORES).agreement is Agreement.NONE


def test_scores_come_from_configuration():
    generous = TokenScores(variant=0.99)
    assert compare_tokens("MOHAMED", "MUHAMMAD", generous).score == 0.99


def test_detail_shows_both_spellings_and_the_kind_of_agreement():
    comparison = compare_tokens("MOHAMED", "MOHAMMED", SCORES)
    assert comparison.detail("MOHAMED", "MOHAMMED") == "MOHAMED~MOHAMMED (spelling)"


def test_variant_groups_are_found_by_any_spelling():
    assert variant_group("MUHAMMAD") == variant_group("MOHAMED") == "MOHAMMED"
    assert variant_group("PETROV") is None


@given(st.from_regex(r"[A-Z]{1,12}", fullmatch=True), st.from_regex(r"[A-Z]{1,12}", fullmatch=True))
def test_scores_stay_between_zero_and_one(left, right):
    assert 0.0 <= compare_tokens(left, right, SCORES, allow_prefix=True).score <= 1.0


def test_brute_force_returns_choices_at_or_above_the_cutoff_best_first():
    found = brute_force(
        "JOHN SMITH", ["JOHN SMITH", "JON SMITH", "MARY JONES"], BruteForceScorer.WRATIO, 85
    )
    assert [index for index, _ in found] == [0, 1]
    assert found[0][1] >= found[1][1] >= 85


LISTED_TOKENS = [
    "MUELLER",
    "MULLER",
    "MOHAMMED",
    "MUHAMMAD",
    "ALZAWAHIRI",
    "ZAWAHIRI",
    "ABDULRAHMAN",
    "KHALED",
    "KHALID",
    "HUSSEIN",
    "HOSEIN",
    "IVANOV",
    "IWANOW",
    "KAZEMI",
    "QASIM",
    "LI",
    "LEE",
    "SMITH",
    "SMYTHE",
    "AAGAARD",
    "AGARD",
    "NGUYEN",
    "BIN",
    "ALI",
    "ALY",
    "OKONKWO",
    "OKONKOW",
]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(LISTED_TOKENS) | st.text(alphabet="ABDEHKLMNOQSUWZ", min_size=1, max_size=10),
    st.booleans(),
)
def test_comparing_many_tokens_at_once_agrees_with_comparing_each(query, allow_prefix):
    scores = TokenScores()
    many = compare_many(query, LISTED_TOKENS, scores, allow_prefix=allow_prefix)
    one_by_one = [
        compare_tokens(query, listed, scores, allow_prefix=allow_prefix) for listed in LISTED_TOKENS
    ]
    # Where tokens do not agree, how far apart they are is not computed.
    assert [c for c in many if c.agreement is not Agreement.NONE] == [
        c for c in one_by_one if c.agreement is not Agreement.NONE
    ]
    assert [c.agreement for c in many] == [c.agreement for c in one_by_one]
    glued = np.array([split_glued(fold(t)) is not None for t in LISTED_TOKENS])
    positions, agreeing = agreeing_many(
        query, LISTED_TOKENS, scores, allow_prefix=allow_prefix, glued=glued
    )
    assert agreeing == [many[p] for p in positions]
    assert sorted(positions) == [p for p, c in enumerate(many) if c.agreement is not Agreement.NONE]


# Names that Persian, Arabic and Pashto surnames are made from with a nisba ending.
NISBA_STEMS = ["AHMAD", "MOHAMMAD", "HOSSEIN", "KARIM", "RAHIM", "JAFAR", "HASHEM", "NIAZ",
               "SHARIF", "GHOLAM", "MOUSAV", "RAHMAN", "HUSAYN", "QASIM"]  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(NISBA_STEMS), st.sampled_from(["I", "Y", "EE"]), st.booleans())
def test_a_nisba_is_another_name_than_the_name_it_is_made_of(stem, ending, query_side):
    # AHMADI is a surname of descent from AHMAD: two names, whatever their letters say.
    nisba = stem + ending
    query, listed = (nisba, stem) if query_side else (stem, nisba)
    assert compare_tokens(query, listed, SCORES).agreement is Agreement.NONE
    assert compare_many(query, [listed, nisba], SCORES, allow_prefix=False)[0].score == 0.0


@pytest.mark.parametrize(
    ("query", "listed"),
    [("HASHEMI", "HASHIM"), ("HUSAINI", "HUSAYN"), ("MOHAMMEDI", "MOHAMMED"), ("AHMADI", "AHMED")],
)
def test_a_nisba_meets_no_other_romanisation_of_its_name(query, listed):
    assert compare_tokens(query, listed, SCORES).agreement is Agreement.NONE


@pytest.mark.parametrize(
    ("query", "listed"),
    [("YURIY", "YURI"), ("DMITRII", "DMITRI"), ("KOVALEVSKIY", "KOVALEVSKI"), ("ALIY", "ALI")],
)
def test_a_final_i_or_y_after_a_vowel_is_still_a_spelling(query, listed):
    assert compare_tokens(query, listed, SCORES).agreement is not Agreement.NONE
