"""Screening as a specification: which travellers must hit, which must not, and why.

The list below stands in for a real one: a few listed persons among ordinary names, so that
token weights (common versus rare) behave as they do on a real list.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchlists.config import ScreeningConfig
from watchlists.index import DocumentIndex, PersonIndex
from watchlists.models import (
    BirthDate,
    DocumentEntry,
    DocumentStatus,
    EntryName,
    IdentityDocument,
    ListKind,
    NameQuality,
    PersonEntry,
    Reason,
)
from watchlists.screening import (
    DOCUMENT_THRESHOLD,
    STATE_UNCONFIRMED_SCORE,
    PersonQuery,
    compare_birth_dates,
    screen_document,
    screen_person,
)

CONFIG = ScreeningConfig()


def make_person(entry_id, *names, **overrides):
    entry_names = []
    for number, name in enumerate(names):
        family, _, given_names = name.partition(",")
        entry_names.append(
            EntryName(
                name,
                NameQuality.PRIMARY if number == 0 else NameQuality.STRONG,
                given=given_names.strip() or None,
                family=family.strip() if given_names else None,
            )
        )
    return PersonEntry(entry_id=entry_id, names=tuple(entry_names), **overrides)


LISTED = [
    make_person(
        "2676",
        "AL ZAWAHIRI, Ayman",
        "AL-ZAWAHIRI, Ayman Muhammad Rabi",
        birth_dates=(BirthDate(1951, 1951, 6, 19),),
        nationalities=("EGY",),
        sex="M",
    ),
    make_person("100", "MUELLER, Hans Peter", birth_dates=(BirthDate(1960, 1962),)),
    make_person("101", "HASSAN, Yusuf Abdulrahman", birth_dates=(BirthDate(1975, 1975),)),
    make_person(
        "102", "VAN DER BERG, Johannes Cornelis", birth_dates=(BirthDate(1966, 1966, 3, 2),)
    ),
    make_person(
        "103",
        "OKONKWO, Chinedu Emmanuel",
        birth_dates=(BirthDate(1980, 1980, 11, 4),),
        sex="M",
        category="wanted",
        action="arrest",
    ),
    make_person(
        "104",
        "SHCHERBAKOVA, Yuliia Oleksandrivna",
        birth_dates=(BirthDate(1988, 1988, 1, 30),),
        sex="F",
        nationalities=("UKR",),
    ),
    make_person(
        "105",
        "BIN LADEN, Hamza Usama Muhammad",
        birth_dates=(BirthDate(1989, 1989, 5, 9),),
    ),
    make_person("106", "Владимир Сергеевич Кравцов"),
    make_person(
        "107",
        "RODRIGUEZ GARCIA, Maria del Carmen Alejandra Josefina",
        birth_dates=(BirthDate(1970, 1970, 8, 15),),
    ),
]
# Ordinary people sharing common tokens, as on any real list.
ORDINARY = [
    make_person(f"o{i}", f"{surname}, {given}")
    for i, (surname, given) in enumerate(
        (s, g)
        for s in ("HASSAN", "SMITH", "GARCIA", "KIM", "MUELLER", "ALI", "KHAN")
        for g in ("Mohammed", "John", "Ahmed", "Maria", "Ali", "Peter", "Omar")
    )
]


@pytest.fixture(scope="module")
def index():
    return PersonIndex.build("test-list", 4, LISTED + ORDINARY)


def hit_ids(query, index, config=CONFIG):
    return [hit.entry_id for hit in screen_person(query, index, config)]


def top(query, index, config=CONFIG):
    hits = screen_person(query, index, config)
    assert hits, f"expected a hit for {query}"
    return hits[0]


# -- names that must hit ---------------------------------------------------------------------


def test_the_exact_listed_name_hits_with_the_lists_own_id(index):
    hit = top(PersonQuery(surname="AL ZAWAHIRI", given_names="AYMAN"), index)
    assert hit.entry_id == "2676"
    assert hit.list_name == "test-list" and hit.list_version == 4
    assert hit.kind is ListKind.PERSON


@pytest.mark.parametrize("surname", ["MUELLER", "MULLER", "Müller"])
def test_icao_transliterations_of_umlauts_meet_from_either_side(index, surname):
    assert hit_ids(PersonQuery(surname=surname, given_names="HANS PETER"), index)[:1] == ["100"]


def test_a_list_name_in_cyrillic_is_found_from_its_mrz_spelling(index):
    assert hit_ids(PersonQuery(name="KRAVTSOV<<VLADIMIR<SERGEEVICH"), index) == ["106"]


def test_an_mrz_name_field_is_read_as_surname_and_given_names(index):
    assert hit_ids(PersonQuery(name="OKONKWO<<CHINEDU<EMMANUEL<<<<<<<"), index) == ["103"]


def test_token_order_does_not_matter(index):
    assert hit_ids(PersonQuery(name="Chinedu Emmanuel Okonkwo"), index) == ["103"]


def test_a_missing_middle_name_still_hits(index):
    assert hit_ids(PersonQuery(surname="OKONKWO", given_names="CHINEDU"), index) == ["103"]


def test_an_extra_middle_name_still_hits(index):
    query = PersonQuery(surname="OKONKWO", given_names="CHINEDU OBI EMMANUEL")
    assert hit_ids(query, index) == ["103"]


@pytest.mark.parametrize(
    "surname", ["AL-ZAWAHIRI", "ALZAWAHIRI", "ZAWAHIRI", "EL ZAWAHIRI", "AL<ZAWAHIRI"]
)
def test_hyphens_and_particles_written_apart_together_or_not_at_all(index, surname):
    assert hit_ids(PersonQuery(surname=surname, given_names="AYMAN"), index)[:1] == ["2676"]


@pytest.mark.parametrize("surname", ["VAN DER BERG", "VANDERBERG", "BERG"])
def test_dutch_particles(index, surname):
    query = PersonQuery(surname=surname, given_names="JOHANNES CORNELIS")
    assert hit_ids(query, index)[:1] == ["102"]


def test_glued_compound_names_meet_their_spelling_apart(index):
    query = PersonQuery(surname="HASSAN", given_names="YUSUF ABDUL RAHMAN")
    assert hit_ids(query, index)[:1] == ["101"]


def test_a_name_cut_to_fit_the_mrz_matches_on_its_prefix(index):
    field = "RODRIGUEZ<GARCIA<<MARIA<DEL<CARMEN<ALEJ"  # 39 characters: a passport cut it
    hit = top(PersonQuery(name=field), index)
    assert hit.entry_id == "107"
    assert "truncated" in hit.reasons[0].detail


def test_a_short_name_is_never_taken_for_a_cut_one():
    listed = [make_person("1", "ABDULLAH, Omar")]
    index = PersonIndex.build("test", 1, listed)
    assert hit_ids(PersonQuery(surname="ABDUL", given_names="OMAR"), index) == []


@pytest.mark.parametrize(
    ("surname", "given"),
    [
        ("OKONKWQ", "CHINEDU EMMANUEL"),
        ("OKONKWO", "CHINEDV EMMANUEL"),
        ("OKOKNWO", "CHINEDU EMMANUEL"),
    ],
)
def test_one_typing_or_ocr_error_still_hits(index, surname, given):
    assert hit_ids(PersonQuery(surname=surname, given_names=given), index)[:1] == ["103"]


def test_two_errors_still_hit_on_a_long_name(index):
    query = PersonQuery(surname="SHCHERBAKQVA", given_names="YULIIA OLEKSANDRIVNA")
    query = dataclasses.replace(query, given_names="YULIIA OLEKSANDRLVNA")
    assert hit_ids(query, index)[:1] == ["104"]


@pytest.mark.parametrize("given", ["HAMZA OSAMA MOHAMMED", "HAMZAH USAMAH MUHAMMAD"])
def test_common_variant_spellings_hit(index, given):
    hit = top(PersonQuery(surname="BIN LADEN", given_names=given), index)
    assert hit.entry_id == "105"
    assert "variant" in hit.reasons[0].detail


# -- names that must not hit -----------------------------------------------------------------


def test_someone_sharing_only_a_common_surname_does_not_hit(index):
    query = PersonQuery(surname="HASSAN", given_names="OMAR", birth_date=date(1990, 2, 2))
    assert "101" not in hit_ids(query, index)


def test_a_different_person_with_the_same_surname_and_another_given_name_does_not_hit(index):
    assert hit_ids(PersonQuery(surname="OKONKWO", given_names="NGOZI"), index) == []


def test_an_unrelated_name_does_not_hit(index):
    assert hit_ids(PersonQuery(surname="JOHANSSON", given_names="ERIK"), index) == []


def test_a_common_given_name_alone_does_not_hit(index):
    assert hit_ids(PersonQuery(surname="NOVAK", given_names="AYMAN"), index) == []


# -- birth date, nationality and sex ----------------------------------------------------------


def test_an_exact_birth_date_raises_the_score(index):
    name = PersonQuery(surname="OKONKWO", given_names="CHINEDU")
    with_date = dataclasses.replace(name, birth_date=date(1980, 11, 4))
    assert top(with_date, index).score > top(name, index).score


def test_a_different_birth_year_stops_a_name_only_match(index):
    query = PersonQuery(surname="OKONKWO", given_names="CHINEDU", birth_date=date(1999, 1, 1))
    assert hit_ids(query, index) == []


def test_a_birth_year_within_a_listed_range_supports(index):
    query = PersonQuery(surname="MUELLER", given_names="HANS PETER", birth_date=date(1961, 7, 7))
    reasons = {r.feature: r for r in top(query, index).reasons}
    assert reasons["birth date"].score == CONFIG.birth_date_scores.year_in_range


@pytest.mark.parametrize(
    ("traveller", "listed", "expected"),
    [
        (BirthDate(1980, 1980, 11, 4), BirthDate(1980, 1980, 11, 4), "exact"),
        (BirthDate(1980, 1980, 4, 11), BirthDate(1980, 1980, 11, 4), "swapped"),
        (BirthDate(1975, 1975, 3, 3), BirthDate(1975, 1975), "year_in_range"),
        (BirthDate(1975, 1975), BirthDate(1974, 1976), "year_in_range"),
        (BirthDate(1980, 1980, 1, 1), BirthDate(1980, 1980, 11, 4), "same_year"),
        (BirthDate(1981, 1981, 11, 4), BirthDate(1980, 1980, 11, 4), "near_year"),
        (BirthDate(1977, 1977, 1, 1), BirthDate(1974, 1976), "near_year"),
        (BirthDate(1999, 1999, 1, 1), BirthDate(1980, 1980, 11, 4), "different"),
    ],
)
def test_birth_dates_compare_exact_year_only_ranges_and_swaps(traveller, listed, expected):
    score, detail = compare_birth_dates(traveller, listed, CONFIG.birth_date_scores)
    assert score == getattr(CONFIG.birth_date_scores, expected)
    assert detail


def test_a_day_and_month_swap_still_supports(index):
    query = PersonQuery(surname="OKONKWO", given_names="CHINEDU", birth_date=date(1980, 4, 11))
    reasons = {r.feature: r for r in top(query, index).reasons}
    assert "swapped" in reasons["birth date"].detail


def test_a_different_sex_counts_against(index):
    same = PersonQuery(surname="SHCHERBAKOVA", given_names="YULIIA", sex="F")
    other = dataclasses.replace(same, sex="M")
    assert top(same, index).score > (
        screen_person(other, index, CONFIG)[0].score if hit_ids(other, index) else 0
    )


def test_nationality_is_reported_when_both_sides_know_it(index):
    query = PersonQuery(surname="SHCHERBAKOVA", given_names="YULIIA", nationality="UKR")
    reasons = {r.feature: r for r in top(query, index).reasons}
    assert reasons["nationality"].score == 1.0
    assert reasons["nationality"].detail == "UKR in UKR"


# -- explanations and configuration ----------------------------------------------------------


def test_every_hit_explains_each_feature_with_a_score_and_a_detail(index):
    query = PersonQuery(
        surname="OKONKWO", given_names="CHINEDU EMMANUEL", birth_date=date(1980, 11, 4), sex="M"
    )
    hit = top(query, index)
    features = [reason.feature for reason in hit.reasons]
    assert features == ["name", "surname", "given names", "birth date", "sex"]
    assert all(0.0 <= r.score <= 1.0 and r.detail for r in hit.reasons)
    assert hit.reasons[1].detail == "OKONKWO=OKONKWO"


def test_the_detail_names_the_spellings_that_met(index):
    hit = top(PersonQuery(surname="BIN LADEN", given_names="HAMZA USAMA MOHAMED"), index)
    given_names = next(r for r in hit.reasons if r.feature == "given names")
    assert "MOHAMED~MUHAMMAD (variant)" in given_names.detail


def test_a_hit_carries_category_action_and_the_threshold_it_passed(index):
    hit = top(PersonQuery(surname="OKONKWO", given_names="CHINEDU EMMANUEL"), index)
    assert (hit.category, hit.action) == ("wanted", "arrest")
    assert hit.threshold == CONFIG.threshold <= hit.score <= 1.0


def test_the_threshold_comes_from_configuration(index):
    query = PersonQuery(surname="OKONKWO", given_names="CHINEDU")
    score = top(query, index).score
    assert hit_ids(query, index, dataclasses.replace(CONFIG, threshold=score)) == ["103"]
    assert hit_ids(query, index, dataclasses.replace(CONFIG, threshold=score + 0.001)) == []


def test_feature_weights_come_from_configuration(index):
    query = PersonQuery(surname="OKONKWO", given_names="CHINEDU", birth_date=date(1999, 1, 1))
    lenient = dataclasses.replace(
        CONFIG, birth_date=dataclasses.replace(CONFIG.birth_date, contradict=0.0)
    )
    assert hit_ids(query, index, lenient) == ["103"]


def test_hits_come_best_first_and_at_most_max_hits():
    listed = [make_person(str(i), f"PETROV{'A' * i}, Ivan") for i in range(1, 5)]
    listed.append(make_person("0", "PETROV, Ivan"))
    index = PersonIndex.build("test", 1, listed)
    hits = screen_person(PersonQuery(surname="PETROV", given_names="IVAN"), index, CONFIG)
    assert hits[0].entry_id == "0"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    capped = dataclasses.replace(CONFIG, max_hits=1)
    assert len(screen_person(PersonQuery(name="IVAN PETROV"), index, capped)) == 1


def test_an_empty_name_finds_nothing(index):
    assert screen_person(PersonQuery(name="<<<"), index, CONFIG) == []


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(["CHINEDU", "EMMANUEL", "OKONKWO"]), min_size=3, max_size=3, unique=True
    )
)
def test_any_order_of_the_listed_tokens_hits(index, order):
    assert hit_ids(PersonQuery(name=" ".join(order)), index) == ["103"]


# -- documents ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def documents():
    listed = [
        DocumentEntry("s1", "C01X00T47", "D", DocumentStatus.STOLEN, "P"),
        DocumentEntry("s2", "AB 123-456", "FRA", DocumentStatus.LOST),
        DocumentEntry("s3", "AB123456", "ITA", DocumentStatus.REVOKED, "I"),
    ]
    return DocumentIndex.build("sltd", 9, listed)


def test_a_listed_document_hits_on_number_state_and_type(documents):
    (hit,) = screen_document("C01X00T47", "DEU", "P", documents)
    assert (hit.entry_id, hit.kind, hit.category) == ("s1", ListKind.DOCUMENT, "stolen")
    assert [r.feature for r in hit.reasons] == ["document number", "issuing state", "document type"]
    assert hit.reasons[1].detail == "DEU=DEU"
    assert hit.list_version == 9 and hit.score == 1.0
    assert hit.threshold == DOCUMENT_THRESHOLD


def test_document_numbers_match_after_separators_are_removed(documents):
    assert [h.entry_id for h in screen_document("AB-123 456<", "FRA", None, documents)] == ["s2"]


def test_the_same_number_from_another_state_does_not_hit(documents):
    assert screen_document("C01X00T47", "FRA", "P", documents) == []


def test_o_and_zero_are_not_folded(documents):
    assert screen_document("CO1XOOT47", "DEU", "P", documents) == []


def test_a_known_different_document_type_does_not_hit(documents):
    assert screen_document("AB123456", "ITA", "P", documents) == []
    assert [h.entry_id for h in screen_document("AB123456", "ITA", None, documents)] == ["s3"]


# -- listed persons' own documents --------------------------------------------------------------


@pytest.fixture(scope="module")
def persons_with_documents():
    holder = dataclasses.replace(
        LISTED[0],
        documents=(
            IdentityDocument("1084010", "EGY", "Passport"),
            IdentityDocument("19820215", None, "National ID No."),
        ),
    )
    other = make_person(
        "200", "PETROV, Ivan", documents=(IdentityDocument("AB 12-34", "RUS", "Passport"),)
    )
    return PersonIndex.build("test-list", 4, [holder, other, *ORDINARY])


def test_a_listed_persons_passport_number_hits_that_person(persons_with_documents):
    (hit,) = screen_document("1084010", "EGY", "P", persons_with_documents)
    assert (hit.entry_id, hit.kind, hit.list_name) == ("2676", ListKind.PERSON, "test-list")
    assert hit.matched_name == "AL ZAWAHIRI, Ayman"
    assert [r.feature for r in hit.reasons] == ["document number", "issuing state"]
    assert "Passport" in hit.reasons[0].detail
    assert hit.score == 1.0


def test_a_listed_persons_document_hits_after_separators_are_removed(persons_with_documents):
    assert [h.entry_id for h in screen_document("AB1234", "RU", None, persons_with_documents)] == [
        "200"
    ]


def test_a_listed_persons_document_from_another_state_does_not_hit(persons_with_documents):
    assert screen_document("1084010", "FRA", "P", persons_with_documents) == []
    assert screen_document("AB1234", "UKR", "P", persons_with_documents) == []


def test_a_listed_document_without_a_state_hits_weaker_and_says_so(persons_with_documents):
    (hit,) = screen_document("19820215", "EGY", "I", persons_with_documents)
    assert hit.entry_id == "2676"
    assert [r.feature for r in hit.reasons] == ["document number", "issuing state"]
    assert hit.reasons[1].detail == (
        "the list gives no issuing state; the document checked gives EGY"
    )
    assert DOCUMENT_THRESHOLD <= hit.score == STATE_UNCONFIRMED_SCORE < 1.0


def test_a_number_no_listed_person_holds_does_not_hit(persons_with_documents):
    assert screen_document("1084011", "EGY", "P", persons_with_documents) == []
    assert screen_document("", "EGY", "P", persons_with_documents) == []


def test_a_person_list_without_documents_finds_no_document(index):
    assert screen_document("1084010", "EGY", "P", index) == []


# -- issuing states: one state under several codes, and a side that gives none ----------------


@pytest.fixture(scope="module")
def coded_documents():
    listed = [
        DocumentEntry("de", "111", "DEU", DocumentStatus.STOLEN),
        DocumentEntry("ks", "222", "RKS", DocumentStatus.STOLEN),
        DocumentEntry("un", "333", "UNO", DocumentStatus.STOLEN),
        DocumentEntry("unk", "444", "UNK", DocumentStatus.LOST),
    ]
    return DocumentIndex.build("sltd", 1, listed)


@pytest.mark.parametrize(
    ("number", "read", "detail"),
    [
        ("111", "D", "D=DEU"),
        ("111", "D<<", "D=DEU"),
        ("111", "DEU", "DEU=DEU"),
        ("222", "UNK", "UNK=RKS"),
        ("222", "RKS", "RKS=RKS"),
        ("444", "RKS", "RKS=RKS"),
        ("333", "UNO", "UNO=UNO"),
    ],
)
def test_codes_of_one_state_agree(coded_documents, number, read, detail):
    (hit,) = screen_document(number, read, None, coded_documents)
    assert hit.reasons[1] == Reason("issuing state", 1.0, detail)
    assert hit.score == 1.0


@pytest.mark.parametrize(
    ("number", "read"), [("111", "AUT"), ("222", "SRB"), ("333", "UNA"), ("444", "GBR")]
)
def test_codes_of_different_states_do_not_hit(coded_documents, number, read):
    assert screen_document(number, read, None, coded_documents) == []


def test_a_document_read_without_a_state_hits_weaker_and_says_so(coded_documents):
    (hit,) = screen_document("222", None, None, coded_documents)
    assert hit.reasons[1].detail == (
        "the document checked gives no issuing state; the list gives RKS"
    )
    assert hit.score == STATE_UNCONFIRMED_SCORE < 1.0


def test_an_unknown_state_read_hits_weaker_and_names_the_code(coded_documents):
    (hit,) = screen_document("111", "ZZZ", None, coded_documents)
    assert hit.reasons[1].detail == "'ZZZ' is no known issuing state code; the list gives DEU"
    assert hit.score == STATE_UNCONFIRMED_SCORE


def test_a_person_s_number_without_state_does_not_match_any_state_at_full_score():
    holder = make_person("9", "LEE, Ann", documents=(IdentityDocument("P777", None, "passport"),))
    index = PersonIndex.build("ftm", 1, [holder, *ORDINARY])

    for state in ("UKR", "D", "UNO", None):
        (hit,) = screen_document("P777", state, "P", index)
        assert hit.score < 1.0
        assert hit.reasons[1].detail.startswith("the list gives no issuing state")


def test_a_person_s_number_given_with_a_state_beats_the_same_number_without():
    documents = (IdentityDocument("P777", None), IdentityDocument("P777", "UKR"))
    index = PersonIndex.build("ftm", 1, [make_person("9", "LEE, Ann", documents=documents)])

    (hit,) = screen_document("P777", "UKR", "P", index)

    assert hit.score == 1.0
    assert hit.reasons[1].detail == "UKR=UKR"
    assert screen_document("P777", "FRA", "P", index)[0].score == STATE_UNCONFIRMED_SCORE


def test_a_traveller_s_nationality_d_agrees_with_a_listed_deu():
    listed = make_person("9", "LEE, Ann", nationalities=("DEU",))
    index = PersonIndex.build("n", 1, [listed, *ORDINARY])

    (hit,) = screen_person(PersonQuery(name="Ann Lee", nationality="D"), index, CONFIG)

    assert next(r for r in hit.reasons if r.feature == "nationality").score == 1.0


# -- a full birth date lets a poorer name hit; a first given name is not dropped lightly ----------


@pytest.fixture(scope="module")
def short_names():
    extra = [
        make_person("300", "AUNG, Thura Kyaw", birth_dates=(BirthDate(1970, 1970, 5, 6),)),
        make_person("301", "AUNG, Soe", birth_dates=(BirthDate(1970, 1970),)),
        make_person("302", "DIAZ, Rosa Isabel", birth_dates=(BirthDate(1975, 1975, 2, 3),)),
    ]
    return PersonIndex.build("test-list", 4, LISTED + ORDINARY + extra)


def test_a_name_with_two_errors_hits_when_the_full_birth_date_agrees(short_names):
    query = PersonQuery(surname="AUNG", given_names="Thura Kzw", birth_date=date(1970, 5, 6))
    (hit,) = screen_person(query, short_names, CONFIG)
    assert hit.entry_id == "300"
    assert hit.threshold == CONFIG.supported_name_threshold < CONFIG.threshold
    assert CONFIG.supported_name_threshold <= hit.reasons[0].score < CONFIG.threshold
    assert any(r.feature == "birth date" and r.score == 1.0 for r in hit.reasons)


def test_a_day_and_month_swap_also_lets_a_poorer_name_hit(short_names):
    query = PersonQuery(surname="AUNG", given_names="Thura Kzw", birth_date=date(1970, 6, 5))
    assert hit_ids(query, short_names) == ["300"]


@pytest.mark.parametrize("birth_date", [None, date(1971, 5, 6), date(1970, 5, 7)])
def test_the_same_poorer_name_without_the_same_birthday_does_not_hit(short_names, birth_date):
    query = PersonQuery(surname="AUNG", given_names="Thura Kzw", birth_date=birth_date)
    assert hit_ids(query, short_names) == []


def test_a_listed_birth_year_alone_does_not_lower_the_threshold(short_names):
    config = dataclasses.replace(CONFIG, threshold=0.99)
    query = PersonQuery(surname="AUNH", given_names="Soe", birth_date=date(1970, 5, 6))
    assert hit_ids(query, short_names, config) == []


def test_the_lower_threshold_for_an_agreeing_birth_date_comes_from_configuration(short_names):
    query = PersonQuery(surname="AUNG", given_names="Thura Kzw", birth_date=date(1970, 5, 6))
    strict = dataclasses.replace(CONFIG, supported_name_threshold=CONFIG.threshold)
    assert hit_ids(query, short_names, strict) == []


def test_a_dropped_middle_name_hits_but_a_dropped_first_given_name_does_not(short_names):
    assert hit_ids(PersonQuery(surname="DIAZ", given_names="Rosa"), short_names) == ["302"]
    assert hit_ids(PersonQuery(surname="DIAZ", given_names="Isabel"), short_names) == []


# -- blocking never drops a name that alignment would keep -----------------------------------------

_TOKENS = [
    "HASSAN",
    "MOHAMED",
    "ALI",
    "SMITH",
    "MUELLER",
    "HANS",
    "PETER",
    "OKONKWO",
    "AYMAN",
    "ZAWAHIRI",
    "AL",
    "KIM",
    "MARIA",
    "GARCIA",
    "YUSUF",
    "HASAN",
    "ABDULRAHMAN",
    "KHAN",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=4), st.booleans())
def test_the_vectorised_bound_is_never_below_the_blocking_score(index, names, cut):
    from watchlists.screening import _prepare, _quick_score, _score_bounds

    query = PersonQuery(name=" ".join(names), truncated=cut)
    tokens = _prepare(query, index, CONFIG)
    if not tokens:
        return
    every = np.arange(index.name_count)
    bounds = _score_bounds(tokens, index, every, CONFIG)
    weights = index.token_weights(CONFIG)
    discount = CONFIG.cut_name_discount if tokens[-1].allow_prefix else 1.0
    for name_id, bound in zip(every.tolist(), bounds.tolist(), strict=True):
        listed = index.name_token_ids(name_id)
        penalties = [
            CONFIG.unmatched_list_surname_penalty
            if flag
            else discount * CONFIG.unmatched_list_penalty
            for flag in index.name_surname_flags(name_id)
        ]
        quick = _quick_score(tokens, listed, [weights[t] for t in listed], penalties, CONFIG)
        assert quick <= bound + 1e-6


@pytest.mark.parametrize(
    "field",
    [
        "GRUENEWALD<SCHOENBAECHLER<<HANS<JUERGEN<BJOERNS",  # Doc 9303 transliteration, cut
        "GRUNEWALD<SCHONBACHLER<<HANS<JURGEN<BJORNSTJ",  # umlauts dropped, cut elsewhere
        "GRUENEWALD<SCHOENBAECHLER<<HA",  # cut inside the first given name
    ],
)
def test_a_cut_mrz_name_meets_a_listed_name_written_with_umlauts(field):
    listed = make_person("200", "GRÜNEWALD-SCHÖNBÄCHLER, Hans Jürgen Björnstjerne")
    index = PersonIndex.build("test-list", 1, [*LISTED, *ORDINARY, listed])

    assert hit_ids(PersonQuery(name=field, truncated=True), index)[:1] == ["200"]


# -- a known name is not taken for a typo of another -----------------------------------------

KNOWN_NAMES = [
    make_person("z1", "PETROVIC, Zoran", birth_dates=(BirthDate(1970, 1970, 5, 4),)),
    make_person("g1", "HADZIC, Goran"),
    make_person("k1", "NIKOLIC, Zarko"),
]


@pytest.fixture(scope="module")
def known_names():
    return PersonIndex.build("known", 1, KNOWN_NAMES + ORDINARY)


def test_a_known_name_is_not_read_as_a_typo_of_another(known_names):
    # GORAN is a name in its own right, so GORAN PETROVIC is someone else.
    goran = PersonQuery(surname="PETROVIC", given_names="GORAN")
    assert hit_ids(goran, known_names) == []
    off = dataclasses.replace(CONFIG, known_name_typo_factor=1.0)
    assert hit_ids(goran, known_names, off) == ["z1"]  # the rule is what tells them apart


def test_a_known_name_one_letter_off_hits_when_the_birthday_agrees(known_names):
    # Born the same day as ZORAN PETROVIC: GORAN is then likelier a typo than a namesake.
    same_day = PersonQuery(surname="PETROVIC", given_names="GORAN", birth_date=date(1970, 5, 4))
    assert hit_ids(same_day, known_names) == ["z1"]
    other_day = dataclasses.replace(same_day, birth_date=date(1970, 6, 4))
    assert hit_ids(other_day, known_names) == []


def test_a_common_names_typo_that_a_large_list_happens_to_hold_still_hits():
    # On a large list nearly every spelling is someone's name: ANMA is held, but it is no name
    # people bear, so ANMA against ANNA is a typo, however many names the list holds.
    listed = [make_person("a1", "SOKOLOVA, Anna"), make_person("m1", "BRANDT, Anma")]
    listed += [make_person(f"n{i}", f"OTHER{chr(65 + i)}, Anna") for i in range(19)]
    large = PersonIndex.build("large", 1, listed + ORDINARY)
    assert hit_ids(PersonQuery(surname="SOKOLOVA", given_names="ANMA"), large)[:1] == ["a1"]


def test_a_typo_that_makes_no_listed_name_still_hits(known_names):
    # ZORAM is not a name on the list: it can only be ZORAN mistyped.
    assert hit_ids(PersonQuery(surname="PETROVIC", given_names="ZORAM"), known_names) == ["z1"]


def test_a_known_name_still_meets_its_own_spelling_and_variants(known_names):
    assert hit_ids(PersonQuery(surname="HADZIC", given_names="GORAN"), known_names) == ["g1"]
    assert hit_ids(PersonQuery(surname="HADZIC", given_names="GÖRAN"), known_names) == ["g1"]


def test_a_name_is_known_from_reference_data_not_from_the_list():
    # GORAN is a name people bear whether or not the list holds it: adding or removing HADZIC,
    # Goran must not change how GORAN PETROVIC scores against PETROVIC, Zoran.
    goran = PersonQuery(surname="PETROVIC", given_names="GORAN")
    off = dataclasses.replace(CONFIG, known_name_typo_factor=1.0)
    for listed in (KNOWN_NAMES, KNOWN_NAMES[:1], KNOWN_NAMES[:1] + ORDINARY):
        index = PersonIndex.build("known", 1, listed)
        assert hit_ids(goran, index) == []
        assert hit_ids(goran, index, off) == ["z1"]


_KNOWN_TOKENS = ["PETROVIC", "ZORAN", "GORAN", "HADZIC", "NIKOLIC", "ZARKO", "MARKO", "HASSAN"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_KNOWN_TOKENS), min_size=1, max_size=3),
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 7), st.sampled_from("AEKMNOZ"))),
)
def test_trusting_known_names_never_adds_a_hit_or_raises_a_score(known_names, tokens, edits):
    for which, where, letter in edits:
        if which < len(tokens):
            token = tokens[which]
            at = min(where, len(token) - 1)
            tokens[which] = token[:at] + letter + token[at + 1 :]
    query = PersonQuery(name=" ".join(tokens))
    off = dataclasses.replace(CONFIG, known_name_typo_factor=1.0)
    without = {h.entry_id: h.score for h in screen_person(query, known_names, off)}
    with_rule = {h.entry_id: h.score for h in screen_person(query, known_names, CONFIG)}
    assert set(with_rule) <= set(without)
    for entry_id, score in with_rule.items():
        assert score <= without[entry_id] + 1e-9
