"""No log line keeps the row values a database error quotes (PostgreSQL's DETAIL and the like)."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from midas.persistence import session as request_session
from midas.persistence.error_text import WITHHELD, scrub
from midas.persistence.models import TravelDocument, Traveller

NUMBER = "X7730194"
SURNAME = "VANDERLYN"


def _duplicate_document() -> None:
    db = request_session()
    with db.begin():
        person = Traveller(surname=SURNAME, given_names="ANNA")
        db.add(person)
        db.flush()
        for _ in range(2):
            db.add(TravelDocument(traveller_id=person.id, document_type="P", issuing_state="NLD",
                                  number=NUMBER))  # fmt: skip
        db.flush()


def test_a_unique_violation_reaches_the_log_without_the_row_values(
    app: Flask, caplog: pytest.LogCaptureFixture, backend: str
) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answered as a real server would, and logged
    app.add_url_rule("/duplicate", "duplicate", lambda: _duplicate_document() or "")
    caplog.set_level(logging.ERROR)

    response = app.test_client().get("/duplicate")

    assert response.status_code == 500
    assert NUMBER not in response.get_data(as_text=True)
    logged = caplog.text  # as the handlers format the records, tracebacks included
    assert "IntegrityError" in logged, logged  # the error itself is logged, and its kind
    assert NUMBER not in logged and SURNAME not in logged, logged
    assert "NLD" not in logged.split("IntegrityError", 1)[1]
    if backend == "postgresql":
        assert f"DETAIL: {WITHHELD}" in logged


def test_a_message_logged_with_a_database_error_as_argument_is_scrubbed(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    detail = f"duplicate key\nDETAIL:  Key (number)=({NUMBER}) already exists."

    logging.getLogger("midas.anywhere").error("could not write: %s", detail)

    assert caplog.records[-1].getMessage() == f"could not write: duplicate key\nDETAIL: {WITHHELD}"


# Between marks no message has, so finding a mark means finding the value.
VALUE = st.text(
    st.characters(blacklist_characters='()\n\r"', blacklist_categories=["Cs"]), max_size=30
).map(lambda text: f"«{text}»")


@given(value=VALUE)
def test_every_value_postgresql_quotes_is_withheld(value: str) -> None:
    messages = [
        f"duplicate key value\nDETAIL:  Key (number)=({value}) already exists.",
        f"insert or update violates foreign key\nDETAIL:  Key (doc)=({value}) is not present.",
        f"violates check constraint\nDETAIL:  Failing row contains (1, {value}, null).",
        f"Key (number)=({value}) already exists.",
        f"Failing row contains (1, {value}).",
        f'invalid input syntax for type date: "{value}"',
        f'invalid input value for enum direction: "{value}"',
    ]
    for message in messages:
        assert "«" not in scrub(message), message
