"""What the desk shows an officer (concerns, MRZ problems, refusal reasons, why a hit matched,
domain errors) goes through the page's language with `translated`; English keeps its words."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, render_template_string
from hypothesis import given
from hypothesis import strategies as st

from chip.results import Step
from midas.domain.decisions import Listed, ReadingFacts, assess
from midas.domain.errors import InvalidInput
from midas.domain.hit_reasons import CHIP_DETAIL, FEATURE_LABELS, printed_detail
from midas.domain.mrz_problems import PROBLEM_TEMPLATES
from midas.domain.refusals import REFUSAL_REASONS
from midas.domain.texts import N_
from midas.languages import error_text, translated
from midas.persistence.models import AlertPolicy
from scanners.mrz.parse import parse_mrz
from tests.midas.auth_builders import make_app
from watchlists.models import ListKind, Reason

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = re.compile(r"[A-Za-z]{3,}")
# Data an officer compares with the document: list names, entry ids, names, codes.
DATA = {"interpol", "DOE", "JOHN", "MRZ", "YYMMDD", "ISO", "Doc", "DG1", "TD1", "TD2", "TD3"}


def english_left(text: str, allowed: set[str] = DATA) -> list[str]:
    """Return the English words outside the pseudo-locale's brackets, but the data allowed."""
    outside, before = text, None
    while outside != before:  # innermost first: a translated text may hold another
        before, outside = outside, re.sub(r"⟦[^⟦⟧]*⟧", " ", outside)
    return [word for word in ENGLISH.findall(outside) if word not in allowed]


@pytest.fixture(scope="module")
def words_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """An app for words only: no request touches its database."""
    path = tmp_path_factory.mktemp("words") / "unused.sqlite3"
    return make_app(f"sqlite:///{path}")


@pytest.fixture
def pseudo(words_app: Flask) -> Iterator[None]:
    words_app.config["PSEUDO_LOCALE"] = True
    with words_app.test_request_context("/"):
        yield
    words_app.config["PSEUDO_LOCALE"] = False


@pytest.fixture
def english(words_app: Flask) -> Iterator[None]:
    with words_app.test_request_context("/", headers={"Accept-Language": "en"}):
        yield


EVERY_CONCERN = assess(
    ReadingFacts(
        source="mrz",
        valid=False,
        expired=True,
        uncertain=True,
        chip="failed",
        chip_failed_step="signature",
        chip_differences=("birth_date",),
        chip_without_dg1=False,
        referred_before_arrival=True,
    ),
    [
        Listed("interpol", ListKind.PERSON, "E1", "DOE JOHN"),
        Listed("interpol", ListKind.DOCUMENT, "E2", "DOE JOHN", possible=True),
    ],
    {"interpol": AlertPolicy.BLOCK},
    other_identity=True,
    entry_without_exit=True,
).concerns


def test_every_concern_is_translated_in_the_pseudo_locale(pseudo):
    for concern in EVERY_CONCERN:
        shown = translated(concern)
        assert shown.startswith("⟦"), concern.code
        assert english_left(shown, DATA | {"signature", "E1", "E2"}) == []


def test_every_concern_keeps_its_english_words_in_english(english):
    for concern in EVERY_CONCERN:
        assert translated(concern) == concern.message


def test_fields_that_differ_are_named_in_words_never_as_field_names(english):
    differs = next(c for c in EVERY_CONCERN if c.code == "chip_mrz_mismatch")

    assert "in birth date:" in differs.message
    assert "_" not in differs.message


# Where the library names a problem's code: Problem(code, …), _problem(fmt, field, code, …),
# _withdraw(grid, fix, code, why).
CODE_ARGUMENT = {"Problem": 0, "_problem": 2, "_withdraw": 2}


def _library_problem_codes() -> set[str]:
    """Return every problem code the scanners library writes literally."""
    codes = set()
    for path in (ROOT / "scanners" / "mrz").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            at = CODE_ARGUMENT.get(node.func.id)
            if at is not None and len(node.args) > at:
                code = node.args[at]
                if isinstance(code, ast.Constant) and isinstance(code.value, str):
                    codes.add(code.value)
    return codes


def test_every_mrz_problem_code_of_the_library_has_a_template():
    codes = _library_problem_codes()

    assert {"bad_character", "line_length", "ambiguous_repair", "repair_withdrawn"} <= codes
    assert codes - set(PROBLEM_TEMPLATES) == set()


GARBLED = [
    ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<1"],
    [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C3éUTO7408122F12041X9ZE184226B<<<<<10",
    ],
    [
        "P<XYZERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36XYZ7408122Q1299999ZE184226B<<<<<10",
    ],
    [
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ],
    ["HELLO", "WORLD", "AGAIN", "AND AGAIN"],
    [],
]


@pytest.mark.parametrize("lines", GARBLED)
def test_mrz_problems_are_translated_with_their_place_and_keep_their_english(words_app, lines):
    problems = [p._asdict() for p in parse_mrz(lines).problems]
    assert problems or lines  # the specimen lines without damage would have none

    words_app.config["PSEUDO_LOCALE"] = True
    try:
        with words_app.test_request_context("/"):
            for problem in problems:
                shown = translated(problem)
                assert shown.startswith("⟦"), problem
                assert english_left(shown) == [], problem
    finally:
        words_app.config["PSEUDO_LOCALE"] = False
    with words_app.test_request_context("/"):
        assert [translated(p) for p in problems] == [p["message"] for p in problems]


def test_refusal_reasons_are_labels_translated_by_code(pseudo):
    for reason in REFUSAL_REASONS:
        assert english_left(translated(reason)) == []
        assert translated(reason).startswith("⟦")


@given(st.sampled_from(sorted(FEATURE_LABELS)), st.floats(0, 1), st.text("ABCXYZ<=~", max_size=12))
def test_why_a_hit_matched_reads_feature_score_and_data(words_app, feature, score, detail):
    with words_app.test_request_context("/"):
        english = translated({"feature": feature, "score": score, "detail": detail})
    words_app.config["PSEUDO_LOCALE"] = True
    try:
        with words_app.test_request_context("/"):
            shown = translated(Reason(feature, score, detail))
    finally:
        words_app.config["PSEUDO_LOCALE"] = False

    assert english.startswith(f"{feature}: ") and english.endswith(f" — {detail}")
    assert detail in shown
    assert english_left(shown, DATA | set(ENGLISH.findall(detail))) == []


def test_the_details_this_service_writes_are_translated(pseudo):
    for detail in (CHIP_DETAIL, printed_detail("AB123", "AB1Z3")):
        shown = translated({"feature": "chip", "score": 1.0, "detail": detail})
        assert english_left(shown, {"AB123", "AB1Z3"}) == []


def test_a_domain_error_reads_as_a_sentence_in_the_page_language(pseudo):
    error = InvalidInput(N_("no post %(code)s"), params={"code": "VIE-AIR"}, field="post")

    shown = error_text(error)

    assert "VIE-AIR" in shown
    assert english_left(shown, {"VIE", "AIR"}) == []


def test_pages_apply_translated_as_a_filter_or_a_global(words_app):
    concern = EVERY_CONCERN[0]
    page = "{{ concern | translated }}|{{ translated(concern) }}|{{ concern.message }}"

    words_app.config["PSEUDO_LOCALE"] = True
    try:
        with words_app.test_request_context("/"):
            as_filter, as_global, as_attribute = render_template_string(
                page, concern=concern
            ).split("|")
    finally:
        words_app.config["PSEUDO_LOCALE"] = False

    assert as_filter == as_global
    assert as_filter.startswith("⟦")
    assert as_attribute == concern.message.replace("'", "&#39;")  # the attribute keeps working


def _step(name: str, status: str, detail: str) -> dict[str, str]:
    return {"name": name, "status": status, "detail": detail}


STEPS = [
    _step("signature", "passed", "ECDSA with SHA-256 signature verifies"),
    _step("dg2_hash", "failed", "DG2 SHA-256 differs"),
    _step("csca_chain", "not_verifiable", "no CSCA of state UTO in the store"),
    _step("dsc_revocation", "skipped", "no path to a CSCA"),
    _step("signer_state", "failed", "the document names UTO but was signed by a CSCA of D"),
    _step("signer_state", "passed", "signed by a CSCA of UTO"),
]


@pytest.mark.parametrize("step", STEPS, ids=[f"{s['name']}-{s['status']}" for s in STEPS])
def test_a_chip_step_is_translated_and_english_keeps_its_detail(words_app, step):
    with words_app.test_request_context("/"):
        english = translated(step)
    words_app.config["PSEUDO_LOCALE"] = True
    try:
        with words_app.test_request_context("/"):
            shown = translated(Step(**step))
    finally:
        words_app.config["PSEUDO_LOCALE"] = False

    assert english == f"{step['name'].replace('_', ' ')}: {step['detail']}"
    assert english_left(shown, {"UTO", "CSCA", "DG2"}) == []


def test_the_signer_state_step_reads_its_states_back_in_any_language(pseudo):
    shown = translated(STEPS[4])

    assert "UTO" in shown and " D" in shown
    assert "cannot be verified" not in shown
