"""Blocking indexes: what a person index finds for a token, and exact document lookup."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from watchlists.config import ScreeningConfig
from watchlists.distance import Agreement, compare_tokens
from watchlists.index import DocumentIndex, PersonIndex, name_weight, token_keys
from watchlists.models import (
    BirthDate,
    DocumentEntry,
    DocumentStatus,
    EntryName,
    IdentityDocument,
    PersonEntry,
)


def make_person(entry_id="1", *names, **overrides):
    fields = {"entry_id": entry_id, "names": tuple(EntryName(n) for n in names or ("DOE, John",))}
    fields.update(overrides)
    return PersonEntry(**fields)


def make_document(entry_id="d1", number="X1234567", state="DEU", **overrides):
    fields = {
        "entry_id": entry_id,
        "number": number,
        "issuing_state": state,
        "status": DocumentStatus.STOLEN,
        "document_type": "P",
    }
    fields.update(overrides)
    return DocumentEntry(**fields)


def test_an_index_counts_persons_names_and_distinct_tokens():
    index = PersonIndex.build(
        "ofac", 3, [make_person("1", "DOE, John", "DOE, Johnny"), make_person("2", "ROE, John")]
    )
    assert (index.entry_count, index.name_count) == (2, 3)
    assert sorted(index.tokens) == ["DOE", "JOHN", "JOHNNY", "ROE"]


def test_a_name_listed_twice_for_one_person_is_indexed_once():
    index = PersonIndex.build("ofac", 1, [make_person("1", "DOE, John", "John DOE")])
    assert index.name_count == 1


def test_token_keys_cover_one_edit_sound_variant_and_glued_rest():
    keys = token_keys("ALZAWAHIRI")
    assert "ZAWAHIRI" in keys
    assert "LZAWAHIRI" in keys
    assert any(key.startswith("M:") for key in keys)
    assert "V:MOHAMMED" in token_keys("MUHAMMAD")


def test_expand_finds_listed_spellings_of_a_query_token():
    index = PersonIndex.build(
        "ofac", 1, [make_person("1", "MUHAMMAD, Ali"), make_person("2", "PETROV, Ivan")]
    )
    found = index.expand("MOHAMED", ScreeningConfig().tokens, allow_prefix=False)
    assert [index.tokens[t] for t in found] == ["MUHAMMAD"]
    assert next(iter(found.values())).agreement is Agreement.VARIANT


def test_expand_finds_a_cut_token_only_when_cutting_is_possible():
    index = PersonIndex.build("ofac", 1, [make_person("1", "ABDULRAHMAN, Khalid")])
    tokens = ScreeningConfig().tokens
    assert index.expand("ABDULR", tokens, allow_prefix=False) == {}
    assert index.expand("ABDULR", tokens, allow_prefix=True)


def test_postings_lead_from_a_token_to_its_names_and_entries():
    index = PersonIndex.build(
        "ofac", 1, [make_person("1", "DOE, John"), make_person("2", "ROE, John")]
    )
    john = index.tokens.index("JOHN")
    names = list(index.postings(john))
    assert [index.entry_facts(index.name_entry(n)).entry_id for n in names] == ["1", "2"]


def test_entry_facts_keep_birth_dates_nationalities_sex_and_action():
    person = make_person(
        "7",
        "DOE, John",
        birth_dates=(BirthDate(1970, 1972), BirthDate(1971, 1971, 5, 6)),
        nationalities=("de", "FRA"),
        sex="Male",
        category="sanctions",
        action="arrest",
    )
    facts = PersonIndex.build("ofac", 1, [person]).entry_facts(0)
    assert facts.birth_dates == person.birth_dates
    assert facts.nationalities == ("DEU", "FRA")
    assert (facts.sex, facts.category, facts.action) == ("M", "sanctions", "arrest")


def test_names_holding_two_common_tokens_are_indexed_by_the_pair():
    persons = [make_person(str(i), f"ALI, Mohammed {i:04d}X") for i in range(3)]
    persons.append(make_person("x", "ALI, Hassan"))
    index = PersonIndex.build("ofac", 1, persons, pair_min_df=3)
    ali, mohammed = index.tokens.index("ALI"), index.tokens.index("MOHAMMED")
    hassan = index.tokens.index("HASSAN")
    assert list(index.pair_postings(ali, mohammed) or []) == [0, 1, 2]
    assert index.pair_postings(ali, hassan) is None


def test_rare_names_weigh_one_and_the_commonest_weigh_least():
    config = ScreeningConfig()
    assert name_weight("ZAWAHIRI", config) == 1.0
    assert name_weight("MOHAMMED", config) == config.common_token_weights[2]
    # A spelling of a common name weighs what the name weighs.
    assert name_weight("MUHAMMAD", config) == name_weight("MOHAMED", config)
    assert config.common_token_weights[2] < name_weight("SALAZAR", config) < 1.0


def test_weights_come_from_the_names_not_from_the_list():
    config = ScreeningConfig()
    alone = PersonIndex.build("l", 1, [PersonEntry("1", (EntryName("ALI HASSAN"),))])
    many = PersonIndex.build(
        "l", 1, [PersonEntry(str(i), (EntryName(f"ALI {n}"),)) for i, n in enumerate("BCDEFG")]
    )
    assert alone.token_weight(alone.tokens.index("ALI"), config) == many.token_weight(
        many.tokens.index("ALI"), config
    )


def test_document_lookup_is_exact_after_normalisation():
    index = DocumentIndex.build("sltd", 1, [make_document(number="X12-345 67")])
    assert [r.entry_id for r in index.lookup("x1234567<")] == ["d1"]
    assert list(index.lookup("X1234568")) == []
    assert list(index.lookup("")) == []


def test_document_lookup_returns_every_listing_of_a_number():
    documents = [
        make_document("a", "N1", "DEU"),
        make_document("b", "N1", "FRA"),
        make_document("c", "N2", "DEU"),
    ]
    index = DocumentIndex.build("sltd", 1, documents)
    assert sorted(r.entry_id for r in index.lookup("N1")) == ["a", "b"]
    assert len(index) == 3


def test_document_records_carry_state_type_status_and_action():
    index = DocumentIndex.build("sltd", 2, [make_document(state="D", document_type="PASSPORT")])
    record = next(index.lookup("X1234567"))
    assert (record.issuing_state, record.document_kind) == ("DEU", "P")
    assert record.status is DocumentStatus.STOLEN
    assert record.action.startswith("seize")


def test_an_empty_document_index_finds_nothing():
    assert list(DocumentIndex.build("sltd", 1, []).lookup("X1")) == []


def test_listed_persons_documents_are_found_by_normalised_number():
    person = make_person(
        "7",
        "DOE, John",
        documents=(
            IdentityDocument("X12-345", "de", "Passport"),
            IdentityDocument("X12345", "DEU", "Passport"),
            IdentityDocument("Y9", None, None),
        ),
    )
    index = PersonIndex.build("ofac", 1, [make_person("1", "ROE, Jane"), person])
    assert index.document_count == 2
    (found,) = index.lookup_documents("x12345")
    assert (found.row, found.number, found.issuing_state, found.kind) == (
        1,
        "X12345",
        "DEU",
        "Passport",
    )
    (bare,) = index.lookup_documents("Y9")
    assert (bare.issuing_state, bare.kind) == (None, None)
    assert list(index.lookup_documents("X12346")) == []
    assert index.entry_name(1) == "DOE, John"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.from_regex(r"[ABK]{4,9}", fullmatch=True), min_size=1, max_size=30, unique=True),
    st.from_regex(r"[ABK]{4,6}", fullmatch=True),
)
def test_a_cut_token_finds_every_listed_token_it_begins(listed, cut):
    persons = [make_person(str(n), f"{token}, Omar") for n, token in enumerate(listed)]
    index = PersonIndex.build("ofac", 1, persons)
    found = index.expand(cut, ScreeningConfig().tokens, allow_prefix=True)
    longer = {token for token in listed if token.startswith(cut) and token != cut}
    assert longer <= {index.tokens[t] for t in found}


# Spellings whose keys, glued prefixes and hypocorisms the comparisons use.
KEPT_TOKENS = [
    "QADHAFI",
    "ELKADDAFI",
    "ALQADHAFI",
    "GADDAFI",
    "MOHAMMED",
    "MUHAMMAD",
    "HUSAYN",
    "HOSSEIN",
    "TED",
    "THEODORE",
    "ABDULRAHMAN",
    "ALRAHMAN",
    "SMITH",
    "ALI",
    "V",
]
KEPT_INDEX = PersonIndex.build(
    "kept", 1, [make_person(str(i), t) for i, t in enumerate(KEPT_TOKENS)]
)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(KEPT_TOKENS) | st.text(alphabet="ADEHKLMOQSTUY", min_size=1, max_size=10),
    st.booleans(),
)
def test_comparing_with_what_the_index_keeps_agrees_with_comparing_spellings(query, allow_prefix):
    scores = ScreeningConfig().tokens
    for token in KEPT_TOKENS:
        token_id = KEPT_INDEX.token_id(token)
        kept = KEPT_INDEX.compare(query, token_id, scores, allow_prefix=allow_prefix)
        assert kept == compare_tokens(query, token, scores, allow_prefix=allow_prefix)
    expanded = KEPT_INDEX.expand(query, scores, allow_prefix=allow_prefix)
    for token_id, comparison in expanded.items():
        token = KEPT_INDEX.tokens[token_id]
        assert comparison == compare_tokens(query, token, scores, allow_prefix=allow_prefix)
