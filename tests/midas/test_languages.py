"""Pseudo-translation and country names in the page's language."""

from __future__ import annotations

import re

from flask import Flask
from flask_babel import force_locale
from hypothesis import given
from hypothesis import strategies as st

from midas import create_app
from midas.languages import PLACEHOLDER_PATTERN, country_name, pseudo

NAMES = st.from_regex(r"[a-z]{1,8}", fullmatch=True)
HOLDERS = st.builds(lambda name: f"%({name})s", NAMES) | st.just("%s") | st.just("%d")
PIECES = st.lists(st.text(alphabet=" abcdefxyz,.:'-", max_size=12) | HOLDERS, max_size=8)


@given(PIECES)
def test_pseudo_keeps_every_placeholder_and_formats_the_same(pieces: list[str]) -> None:
    text = "".join(pieces)
    out = pseudo(text)
    assert re.findall(PLACEHOLDER_PATTERN, out) == re.findall(PLACEHOLDER_PATTERN, text)
    if text:
        assert out.startswith("⟦") and out.endswith("⟧")
        assert len(out) > len(text)


def test_pseudo_text_has_no_plain_english_word_left() -> None:
    out = pseudo("Read document")
    assert "Read" not in out and "document" not in out
    assert out != pseudo("Read documents")


def app() -> Flask:
    return create_app({"TESTING": True, "DATABASE_URL": "sqlite://"}, serving=False)


def test_country_names_follow_the_locale() -> None:
    with app().test_request_context("/"):
        with force_locale("fr"):
            assert country_name("DEU") == "Allemagne"
        with force_locale("es"):
            assert country_name("DEU") == "Alemania"
        with force_locale("ar"):
            assert country_name("DEU") == "ألمانيا"
        with force_locale("en"):
            assert country_name("DEU") == "Germany"


def test_codes_without_an_iso_name_stay_codes() -> None:
    with app().test_request_context("/"), force_locale("fr"):
        assert country_name("XXA") == "XXA"
        assert country_name("D") == "D"
        assert country_name("") == ""
        assert country_name(None) == ""
