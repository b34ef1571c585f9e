"""Every code a page prints has its words, and those words go through the catalog."""

from __future__ import annotations

from enum import StrEnum

import pytest
from flask import Flask, g

from midas.domain.admin import KEYBOARD_LAYOUTS as LAYOUTS
from midas.domain.crossing_rules import TRANSPORT_MODES
from midas.languages import init_app
from midas.persistence.models import Decision, Direction, PostKind, Role
from midas.web import labels
from watchlists.format_names import PUBLIC_NAMES


@pytest.fixture(scope="module")
def pseudo_app() -> Flask:
    """Return a bare app in the pseudo-locale (no database is opened)."""
    app = Flask(__name__)
    app.config["PSEUDO_LOCALE"] = True
    init_app(app)
    return app


@pytest.mark.parametrize(
    ("codes", "kind"),
    [(Decision, "decision"), (Direction, "direction"), (Role, "role"), (PostKind, "post_kind")],
)
def test_every_code_of_an_enum_has_translated_words(
    pseudo_app: Flask, codes: type[StrEnum], kind: str
) -> None:
    for code in codes:
        assert labels.label_of(code, kind) == code.value  # English: the words shown before
        with pseudo_app.test_request_context():
            assert labels.label_of(code, kind).startswith("⟦"), code
            assert labels.label_of(code.value, kind) == labels.label_of(code, kind)


@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        ("transport", TRANSPORT_MODES),
        ("keyboard_layout", set(LAYOUTS)),
        ("list_format", set(PUBLIC_NAMES)),
    ],
)
def test_every_code_a_form_offers_has_words(kind: str, codes: set[str]) -> None:
    assert set(labels.LABELS[kind]) == codes


def test_every_means_of_transport_and_field_has_words(pseudo_app: Flask) -> None:
    with pseudo_app.test_request_context():
        g.midas_locale = "en"  # no one is logged in to choose it
        assert all(labels.label_of(mode, "transport").startswith("⟦") for mode in TRANSPORT_MODES)
        assert labels.field_labels(["birth_date", "document_number"]).count("⟦") == 2


def test_an_unknown_code_is_shown_as_it_is() -> None:
    assert labels.label_of("deported", "decision") == "deported"
    assert labels.field_label("place_of_birth") == "place of birth"


@pytest.mark.parametrize(
    "source",
    [
        '{{ "active" | label_of("version_state") }}',
        '{{ "admitted" | decision_label }}',
        '{{ "birth_date" | field_label }}',
        '{{ "DEU" | country_name }}',
        '{{ 2 | plural("line") }}',
    ],
)
def test_a_label_of_a_constant_follows_each_page_s_language(source: str) -> None:
    """Jinja folds a filter on constants when it compiles; the words must not be baked in."""
    from midas import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"}, serving=False)
    with app.test_request_context("/"):
        template = app.jinja_env.from_string(source)  # compiled once, in English
        english = template.render()
    app.config["PSEUDO_LOCALE"] = True
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        shown = template.render()
    assert shown != english
    assert shown.startswith("⟦") or "Allemagne" in shown
