"""The audit log names a searched or screened traveller only by keyed pseudonyms, and finds them."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from midas.config import ConfigError, load_settings
from midas.domain.pseudonyms import Pseudonyms, audit_subjects, pseudonyms_for
from tests.midas.auth_builders import OTHER_STRONG_SECRET, STRONG_SECRET
from tests.midas.crossing_builders import mrz

KEY = Pseudonyms(b"a key of the tests")
AUDIT = "/api/v1/audit"
NAMES = st.lists(
    st.text(alphabet=st.characters(categories=["Lu", "Ll"]), min_size=1, max_size=12),
    min_size=1,
    max_size=4,
)


def test_a_name_has_one_pseudonym_whatever_its_case_accents_punctuation_or_order() -> None:
    spellings = ("Anna-Maria Eriksson", "ERIKSSON ANNA MARIA", "eriksson, anna  maria",
                 "Ánna Maria Eriksson")  # fmt: skip
    same = {KEY.name(text) for text in spellings}
    assert len(same) == 1
    assert KEY.name("Anna Eriksson") not in same  # a name short of a word is another name
    assert KEY.document_number("l898-902 c3") == KEY.document_number("L898902C3")


@given(NAMES)
def test_a_pseudonym_does_not_depend_on_the_order_of_the_words(words: list[str]) -> None:
    assert KEY.name(" ".join(words)) == KEY.name(" ".join(reversed(words)))


@given(st.text(min_size=1, max_size=40))
def test_a_pseudonym_keeps_nothing_of_the_value(value: str) -> None:
    for pseudonym in (KEY.name(value), KEY.document_number(value)):
        kind, digest = pseudonym.split(":")
        assert kind in {"name", "document"} and len(digest) == 32
        assert set(digest) <= set("0123456789abcdef")


def test_the_kind_and_the_key_change_the_pseudonym() -> None:
    assert KEY.name("SMITH").split(":")[1] != KEY.document_number("SMITH").split(":")[1]
    assert Pseudonyms(b"another key").name("SMITH") != KEY.name("SMITH")


def test_the_key_is_its_own_setting_or_derived_from_the_secret_key() -> None:
    own = pseudonyms_for({"AUDIT_PSEUDONYM_KEY": "k" * 32, "SECRET_KEY": "s" * 32})
    derived = pseudonyms_for({"AUDIT_PSEUDONYM_KEY": "", "SECRET_KEY": "s" * 32})
    other = pseudonyms_for({"AUDIT_PSEUDONYM_KEY": "", "SECRET_KEY": "t" * 32})
    assert own.key == b"k" * 32
    assert derived.key not in (b"s" * 32, own.key, other.key) and len(derived.key) == 32
    # Rotating SECRET_KEY changes derived pseudonyms, not those under their own key.
    assert own.name("SMITH") == pseudonyms_for(
        {"AUDIT_PSEUDONYM_KEY": "k" * 32, "SECRET_KEY": "t" * 32}
    ).name("SMITH")


def test_production_refuses_a_short_pseudonym_key(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MIDAS_ENV", "production")
    monkeypatch.setenv("MIDAS_SECRET_KEY", STRONG_SECRET)
    monkeypatch.setenv("MIDAS_AUDIT_PSEUDONYM_KEY", "short")
    with pytest.raises(ConfigError, match="AUDIT_PSEUDONYM_KEY"):
        load_settings(tmp_path)
    monkeypatch.setenv("MIDAS_AUDIT_PSEUDONYM_KEY", "k" * 32)
    with pytest.raises(ConfigError, match="AUDIT_PSEUDONYM_KEY: is too easy to guess"):
        load_settings(tmp_path)
    monkeypatch.setenv("MIDAS_AUDIT_PSEUDONYM_KEY", OTHER_STRONG_SECRET)
    assert load_settings(tmp_path)["AUDIT_PSEUDONYM_KEY"] == OTHER_STRONG_SECRET


def test_audit_subjects_are_the_pseudonyms_given() -> None:
    assert audit_subjects(KEY, None, None) == ()
    assert audit_subjects(KEY, "Smith", "X1") == (KEY.name("SMITH"), KEY.document_number("X1"))


def _details(admin, action: str) -> list[dict]:
    events = admin.get(AUDIT, query_string={"action": action, "per_page": 100}).get_json()
    return [event["detail"] for event in events["items"]]


def test_searches_and_screenings_are_audited_without_the_travellers_name_or_number(
    app, world, station, login_as
) -> None:
    screened = station.post("/api/v1/screenings", json={"mrz": list(mrz()), "officer": "officer_a"})
    assert screened.status_code == 200
    supervisor = login_as("supervisor_a")
    searched = supervisor.get(
        "/api/v1/crossings", query_string={"name": "Eriksson", "document_number": "L898902C3"}
    )
    assert searched.status_code == 200
    admin = login_as("admin")

    (search,) = _details(admin, "crossing.search")
    (screen,) = _details(admin, "reading.screen")
    pseudonyms = pseudonyms_for(app.config)
    assert search["filters"]["name"] == pseudonyms.name("ERIKSSON")
    assert search["filters"]["document_number"] == pseudonyms.document_number("L898902C3")
    assert screen["document_type"] == "P" and screen["issuing_state"] == "SWE"
    assert screen["document_number"] == pseudonyms.document_number("L898902C3")
    everything = json.dumps(_details(admin, "*")).upper()
    assert "ERIKSSON" not in everything and "L898902C3" not in everything


def test_the_audit_search_finds_the_events_about_a_name_or_a_document_number(
    app, world, station, login_as
) -> None:
    station.post("/api/v1/screenings", json={"mrz": list(mrz()), "officer": "officer_a"})
    supervisor = login_as("supervisor_a")
    supervisor.get("/api/v1/crossings", query_string={"name": "Eriksson"})
    supervisor.get("/api/v1/crossings", query_string={"name": "Virtanen"})
    admin = login_as("admin")

    def found(**wanted: str) -> list[str]:
        answer = admin.get(AUDIT, query_string=wanted)
        assert answer.status_code == 200, answer.get_json()
        return [event["action"] for event in answer.get_json()["items"]]

    assert found(traveller_name="eriksson") == ["crossing.search"]
    assert found(traveller_name="Eriksen") == []
    assert found(document_number="l898-902c3") == ["reading.screen"]
    assert found(traveller_name="Virtanen", document_number="L898902C3") == []
    # The searches of the audit log keep the pseudonyms they looked for, not the names.
    searches = json.dumps(_details(admin, "audit.search")).upper()
    assert "ERIKSSON" not in searches and "VIRTANEN" not in searches
    assert pseudonyms_for(app.config).name("ERIKSSON").upper() in searches


def test_an_empty_name_is_refused_by_the_audit_search(app, world, login_as) -> None:
    answer = login_as("admin").get(AUDIT, query_string={"traveller_name": ""})
    assert answer.status_code == 422
    assert "traveller_name" in json.dumps(answer.get_json())
