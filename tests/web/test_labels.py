"""Every code a page prints has its words, and those words go through the catalog."""

from __future__ import annotations

from enum import StrEnum

import pytest
from flask import Flask, g

from midas.domain.crossing_rules import TRANSPORT_MODES
from midas.languages import init_app
from midas.persistence.models import Decision, Direction, Role
from midas.web import labels


@pytest.fixture(scope="module")
def pseudo_app() -> Flask:
    """Return a bare app in the pseudo-locale (no database is opened)."""
    app = Flask(__name__)
    app.config["PSEUDO_LOCALE"] = True
    init_app(app)
    return app


@pytest.mark.parametrize(
    ("codes", "label"),
    [
        (Decision, labels.decision_label),
        (Direction, labels.direction_label),
        (Role, labels.role_label),
    ],
)
def test_every_code_of_an_enum_has_translated_words(
    pseudo_app: Flask, codes: type[StrEnum], label: object
) -> None:
    assert callable(label)
    for code in codes:
        assert label(code) == code.value  # English: the words the pages showed before
        with pseudo_app.test_request_context():
            assert label(code).startswith("⟦"), code
            assert label(code.value) == label(code)


def test_every_means_of_transport_and_field_has_words(pseudo_app: Flask) -> None:
    assert set(labels.TRANSPORTS) == TRANSPORT_MODES
    with pseudo_app.test_request_context():
        g.midas_locale = "en"  # no one is logged in to choose it
        assert all(labels.transport_label(mode).startswith("⟦") for mode in TRANSPORT_MODES)
        assert labels.field_labels(["birth_date", "document_number"]).count("⟦") == 2


def test_an_unknown_code_is_shown_as_it_is() -> None:
    assert labels.decision_label("deported") == "deported"
    assert labels.field_label("place_of_birth") == "place of birth"
