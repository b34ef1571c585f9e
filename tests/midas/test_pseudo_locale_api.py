"""The API answers errors with stable English codes and field names, and a `message` in the
request's language: the person's choice, else their post's, else `Accept-Language`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask

from midas.domain.mrz_problems import PROBLEM_TEMPLATES
from tests.midas.auth_builders import World, as_station, build_world, log_in, make_app

pytestmark = pytest.mark.one_backend  # words, not storage

POSTS = "/api/v1/posts"
BAD_POST = {
    "code": "x!!",  # not letters, digits or hyphens
    "name": "   ",
    "kind": "air",
    "country": "AUT",
    "timezone": "Europe/Vienna",
}
NOT_AN_MRZ = {"mrz": ["<<<<<<", "<<<<<<"], "officer": "officer_a"}
OFFICER = {"officer": "officer_a"}
# A run of three or more ASCII letters outside the pseudo-locale's brackets: English that
# skipped translation.
ENGLISH = re.compile(r"[A-Za-z]{3,}")


def english_left(message: str, allowed: set[str] = frozenset()) -> list[str]:
    """Return the English words of a message outside ⟦…⟧, but the data allowed."""
    outside, before = message, None
    while outside != before:  # innermost first: a translated text may hold another
        before, outside = outside, re.sub(r"⟦[^⟦⟧]*⟧", " ", outside)
    return [word for word in ENGLISH.findall(outside) if word not in allowed]


@pytest.fixture
def pseudo_app(app: Flask) -> Flask:
    app.config["PSEUDO_LOCALE"] = True
    return app


def test_a_domain_error_message_is_pseudo_translated_and_its_code_and_field_are_not(
    pseudo_app, world
):
    answer = log_in(pseudo_app, "admin").post(POSTS, json=BAD_POST)

    assert answer.status_code == 422
    error = answer.get_json()["error"]
    assert error["code"] == "invalid"
    assert error["field"] == "code"
    assert error["message"].startswith("⟦")
    assert english_left(error["message"]) == []
    for field, messages in error.get("fields", {}).items():
        assert field in BAD_POST  # field names stay codes
        assert all(english_left(message) == [] for message in messages)


def test_the_same_error_in_english_is_unchanged(app, world):
    answer = log_in(app, "admin").post(POSTS, json=BAD_POST)

    error = answer.get_json()["error"]
    assert error["message"] == "a post code is 2-16 letters, digits or hyphens"
    assert "⟦" not in str(error)


def test_a_station_read_that_is_not_an_mrz_says_why_in_the_page_language(pseudo_app, world):
    station = as_station(pseudo_app, world.station_token)

    answer = station.post("/api/v1/screenings", json=NOT_AN_MRZ, query_string=OFFICER)

    error = answer.get_json()["error"]
    assert (answer.status_code, error["code"], error["field"]) == (422, "invalid", "mrz")
    assert english_left(error["message"]) == []


def test_a_not_found_answer_keeps_the_data_it_names_untranslated(pseudo_app, world):
    answer = log_in(pseudo_app, "admin").get(f"{POSTS}/987654")

    error = answer.get_json()["error"]
    assert (answer.status_code, error["code"]) == (404, "not_found")
    assert "987654" in error["message"]
    assert english_left(error["message"]) == []


def test_request_validation_and_bad_json_answers_are_translated(pseudo_app, world):
    admin = log_in(pseudo_app, "admin")

    bad_json = admin.post(POSTS, data="{", content_type="application/json")
    not_object = admin.post(POSTS, json=[1, 2])

    assert bad_json.get_json()["error"]["code"] == "invalid_json"
    # The JSON parser's own words (Python's json module) are data here.
    parser = {"Expecting", "property", "name", "enclosed", "double", "quotes", "value"}
    assert english_left(bad_json.get_json()["error"]["message"], parser) == []
    assert not_object.get_json()["error"]["field"] == "body"
    assert english_left(not_object.get_json()["error"]["message"]) == []


# A real catalog: French for two of the domain's templates.
FRENCH = {
    "a post code is 2-16 letters, digits or hyphens": (
        "un code de poste a de 2 à 16 lettres, chiffres ou traits d'union"
    ),
    PROBLEM_TEMPLATES["bad_character"]: (
        "ligne %(line)s, colonne %(column)s : un caractère qui n'appartient pas à la ZLA"
    ),
    "the MRZ could not be read: %(problems)s": "la ZLA n'a pas pu être lue : %(problems)s",
}


@pytest.fixture
def french(database_url: str, tmp_path: Path) -> tuple[Flask, World]:
    """An app whose catalogs hold a French translation of a few templates, and its world."""
    catalog = Catalog(locale="fr")
    for english, french in FRENCH.items():
        catalog.add(english, french)
    folder = tmp_path / "translations" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as written:
        write_mo(written, catalog)
    application = make_app(
        database_url, BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations")
    )
    return application, build_world(application)


def test_accept_language_chooses_the_message_language_of_a_person_with_no_choice(french):
    app, _ = french
    admin = log_in(app, "admin")

    in_french = admin.post(POSTS, json=BAD_POST, headers={"Accept-Language": "fr-BE, en;q=.5"})
    in_english = admin.post(POSTS, json=BAD_POST, headers={"Accept-Language": "en"})

    assert in_french.get_json()["error"] == {
        "code": "invalid",
        "field": "code",
        "message": FRENCH["a post code is 2-16 letters, digits or hyphens"],
    }
    assert in_english.get_json()["error"]["message"] == (
        "a post code is 2-16 letters, digits or hyphens"
    )


def test_a_station_token_follows_accept_language(french):
    app, world = french
    station = as_station(app, world.station_token)

    answer = station.post(
        "/api/v1/screenings",
        json=NOT_AN_MRZ,
        query_string=OFFICER,
        headers={"Accept-Language": "fr"},
    )

    error = answer.get_json()["error"]
    assert (error["code"], error["field"]) == ("invalid", "mrz")
    assert error["message"].startswith("la ZLA n'a pas pu être lue : ")


def test_a_failed_login_is_answered_in_the_page_language(pseudo_app, world):
    answer = pseudo_app.test_client().post(
        "/api/v1/auth/login", json={"username": "admin", "password": "not the password"}
    )

    error = answer.get_json()["error"]
    assert (answer.status_code, error["code"]) == (401, "invalid_credentials")
    assert error["message"].startswith("⟦")
    assert english_left(error["message"]) == []
