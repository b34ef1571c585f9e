"""Every message the domain gives people is an English template marked for the catalogs, with
its values apart as parameters: `.message` stays the English sentence, a face translates."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from midas.domain.decisions import (
    Listed,
    Needs,
    ReadingFacts,
    assess,
    check_decision,
)
from midas.domain.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    PermissionDenied,
    Problems,
    ScreeningUnavailable,
)
from midas.domain.mrz_problems import PROBLEM_TEMPLATES, problem_text
from midas.domain.refusals import REFUSAL_REASONS, refusal_reason
from midas.domain.text import check_text
from midas.domain.texts import N_, Text, ngettext
from midas.persistence.models import AlertPolicy, Decision
from scanners.mrz.parse import parse_mrz
from watchlists.models import ListKind

ROOT = Path(__file__).resolve().parents[2]
# Where errors for people are raised: the domain and the API's own refusals.
RAISING = [
    *sorted((ROOT / "midas" / "domain").rglob("*.py")),
    *(ROOT / "midas" / "api").glob("*.py"),
]
ERRORS = {
    "DomainError", "NotFound", "PermissionDenied", "InvalidInput", "Conflict", "Unavailable",
    "WrongPassword", "PasswordChangeRequired",
}  # fmt: skip
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def brackets(template: str, plural: str | None, count: int) -> str:
    """A stand-in catalog: every template bracketed, so a text that skipped it shows."""
    chosen = plural if plural is not None and count != 1 else template
    return f"[{chosen}]"


def _error_calls() -> list[tuple[str, ast.Call]]:
    found = []
    for path in RAISING:
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ERRORS
                and node.args
            ):
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return found


def _is_marked(node: ast.expr) -> bool:
    """A template marked for the catalogs, or a Text built elsewhere (a name, a call)."""
    if isinstance(node, ast.IfExp):
        return _is_marked(node.body) and _is_marked(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        # str(), repr(), format() of something: English words with no template.
        return node.func.id not in {"str", "repr", "format"}
    # A variable or a helper's result carries a Text.
    return isinstance(node, ast.Name | ast.Attribute | ast.Call)


def test_there_are_error_raise_sites_to_check():
    assert len(_error_calls()) > 200


def test_no_error_message_is_an_f_string_or_built_english():
    unmarked = [
        where
        for where, call in _error_calls()
        if isinstance(call.args[0], ast.JoinedStr | ast.Constant | ast.BinOp)
        or not _is_marked(call.args[0])
    ]
    assert unmarked == []


def test_every_template_has_exactly_the_parameters_it_names():
    wrong = []
    for where, call in _error_calls():
        first = call.args[0]
        if not (isinstance(first, ast.Call) and getattr(first.func, "id", "") == "N_"):
            continue
        template = first.args[0]
        if not isinstance(template, ast.Constant):
            wrong.append(f"{where}: template is not a literal")
            continue
        params = next((k.value for k in call.keywords if k.arg == "params"), None)
        named = set(PLACEHOLDER.findall(template.value))
        given_names = (
            {key.value for key in params.keys if isinstance(key, ast.Constant)}
            if isinstance(params, ast.Dict)
            else set()
        )
        if named != given_names:
            wrong.append(f"{where}: {sorted(named)} != {sorted(given_names)}")
    assert wrong == []


def test_an_error_keeps_its_english_message_and_its_template_apart():
    error = InvalidInput(N_("no post %(id)s"), field="post_id", params={"id": 7})

    assert error.message == "no post 7"
    assert str(error) == "no post 7"
    assert error.template == "no post %(id)s"
    assert error.params == {"id": 7}
    assert error.text.render(brackets) == "[no post %(id)s]".replace("%(id)s", "7")


def test_a_template_without_parameters_keeps_a_percent_sign():
    assert InvalidInput(N_("at most 100% of the list")).message == "at most 100% of the list"


@given(st.text(max_size=40))
def test_parameters_are_data_never_translated(value):
    error = Conflict(N_("the username %(name)s is taken"), params={"name": value})

    assert error.message == f"the username {value} is taken"
    assert error.text.render(brackets) == f"[the username {value} is taken]"


@given(st.lists(st.text(min_size=1, max_size=10), min_size=1, max_size=4))
def test_screening_unavailable_counts_its_lists_in_one_plural_text(names):
    error = ScreeningUnavailable(names)

    assert error.text.plural is not None
    assert error.text.count == len(names)
    assert ("lists" in error.message) == (len(names) > 1)
    assert error.text.render(brackets).startswith("[screening against the list")


def test_problems_raised_together_keep_each_template():
    problems = Problems()
    problems.check(lambda: check_text("a\x00b", field="note"), None)
    problems.check(lambda: refusal_reason("Z"), None)

    with pytest.raises(InvalidInput) as raised:
        problems.raise_any()

    first, second = raised.value.problems
    assert raised.value.template == first.template
    assert "%(position)s" in first.template
    assert "%(code)s" in second.template
    assert raised.value.message == first.message


def test_a_nested_text_and_a_list_of_texts_are_translated_with_their_sentence():
    inner = Text(N_("The document has expired."))
    outer = Text(N_("%(concerns)s: say why"), {"concerns": (inner, Text(N_("Two.")))})

    assert outer.render() == "The document has expired; Two: say why"
    assert outer.render(brackets) == "[[The document has expired.]; [Two.]: say why]"


def test_a_counted_text_picks_its_plural():
    text = ngettext("%(num)d line", "%(num)d lines", 3)

    assert text.render() == "3 lines"
    assert ngettext("%(num)d line", "%(num)d lines", 1).render() == "1 line"


def test_concerns_carry_a_code_a_template_and_their_values():
    hit = Listed("interpol", ListKind.PERSON, "E-17", "DOE JOHN")
    facts = ReadingFacts(source="mrz", valid=False, expired=True, chip="failed",
                         chip_failed_step="signature")  # fmt: skip
    assessment = assess(facts, [hit], {"interpol": AlertPolicy.BLOCK})

    for concern in assessment.concerns:
        assert concern.message == concern.text.render()
        assert concern.text.render(brackets).startswith("[")
        assert "DOE JOHN" not in concern.text.template
    blocked = next(c for c in assessment.concerns if c.needs is Needs.SUPERVISOR)
    assert blocked.text.params["name"] == "DOE JOHN"
    assert (
        blocked.message
        == "The person is on interpol entry E-17 (DOE JOHN); the list blocks admission"
    )


def test_refusing_an_admission_names_each_concern_in_the_page_language():
    facts = ReadingFacts(source="mrz", valid=True, expired=True)
    assessment = assess(facts, [], {})

    with pytest.raises(Conflict) as raised:
        check_decision(assessment, Decision.ADMITTED, None, supervisor=False)

    assert raised.value.message == "The document has expired: say why you admit the traveller"
    assert raised.value.text.render(brackets) == (
        "[[The document has expired.]: say why you admit the traveller]"
    )


def test_only_a_supervisor_admits_a_blocked_person_says_so_with_the_concern_translated():
    hit = Listed("interpol", ListKind.PERSON, "E-17", "DOE JOHN")
    assessment = assess(ReadingFacts("mrz", True, False), [hit], {"interpol": AlertPolicy.BLOCK})

    with pytest.raises(PermissionDenied) as raised:
        check_decision(assessment, Decision.ADMITTED, "known to us", supervisor=False)

    assert raised.value.text.render(brackets).startswith("[[The person is on interpol entry")


def test_each_refusal_reason_is_a_marked_template():
    source = (ROOT / "midas" / "domain" / "refusals.py").read_text()
    assert source.count("N_(") == len(REFUSAL_REASONS) + 1  # the reasons and the error


BROKEN_TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<11",  # the last check digit is wrong
]


def test_an_mrz_problem_is_the_librarys_english_or_its_code_template_with_its_place():
    result = parse_mrz([BROKEN_TD3[0], BROKEN_TD3[1][:40] + "É" + BROKEN_TD3[1][41:]])
    problem = next(p for p in result.problems if p.code == "bad_character")

    text = problem_text(problem)

    assert text.render() == problem.message  # English keeps the library's detail
    assert text.template == PROBLEM_TEMPLATES["bad_character"]
    assert (
        text.render(brackets)
        == f"[line {problem.line}, column {problem.column}: a character that is not an MRZ "
        "character]"
    )
    assert problem_text(problem._asdict()).render(brackets) == text.render(brackets)


def test_an_mrz_problem_code_the_midas_module_does_not_know_stays_the_librarys_words():
    text = problem_text({"code": "brand_new", "message": "something new", "line": 1})

    assert text.render() == "something new"
    assert text.render(brackets) == "something new"  # no template: nothing to translate


def test_every_error_class_takes_a_text():
    for cls in DomainError.__subclasses__():
        if cls is ScreeningUnavailable.__mro__[1]:
            continue
        error = cls(Text(N_("no such thing %(x)s"), {"x": 1}))
        assert error.message == "no such thing 1"


@given(st.sampled_from(["%(nom)s manquant", "100 % faux", "%(id)d", "%(id)s %s"]))
def test_a_broken_translation_falls_back_to_the_english_template(translation):
    text = Text(N_("no post %(id)s"), {"id": "VIE"})

    assert text.render(lambda template, plural, count: translation) in {
        "no post VIE",
        translation.replace("%(id)s", "VIE"),
    }
