"""Counted nouns in the page's language: "N lines" is one text for translators, its English
unchanged."""

from __future__ import annotations

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from midas.languages import init_app
from midas.wording import COUNTED, plural

NOUNS = sorted(COUNTED)


@pytest.fixture(scope="module")
def pseudo_app() -> Flask:
    """Return a bare app in the pseudo-locale (no database is opened)."""
    app = Flask(__name__)
    app.config["PSEUDO_LOCALE"] = True
    init_app(app)
    return app


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(NOUNS))
def test_english_counts_read_as_before(number: int, noun: str) -> None:
    english = noun if number == 1 else ("matches" if noun == "match" else f"{noun}s")
    assert plural(number, noun) == f"{number} {english}"


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(NOUNS))
def test_a_count_goes_through_the_catalog_with_its_noun(
    pseudo_app: Flask, number: int, noun: str
) -> None:
    with pseudo_app.test_request_context():
        said = plural(number, noun)
    assert said.startswith("⟦") and said.endswith("⟧")
    assert str(number) in said


def test_a_noun_not_listed_stays_english_and_readable(pseudo_app: Flask) -> None:
    with pseudo_app.test_request_context():
        assert plural(2, "entry", "entries") == "2 entries"
