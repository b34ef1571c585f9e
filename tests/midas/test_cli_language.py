"""The command line speaks to operators in --language / MIDAS_LANGUAGE, else the shell's
locale when MIDAS ships it, else English; what programs read (JSON lines, exit codes) stays."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from midas.cli import language as cli_language
from midas.cli import main
from midas.cli.language import SHELL_LOCALE, choose_language

pytestmark = pytest.mark.one_backend  # words, not storage

POST = ["create-post", "--code", "vie-air", "--name", "Vienna Airport", "--kind", "air"]
PLACE = ["--country", "AUT", "--timezone", "Europe/Vienna"]
BAD_POST = ["create-post", "--code", "x!", "--name", "Nowhere", "--kind", "air", *PLACE]
SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n"
)
ENGLISH = re.compile(r"[A-Za-z]{3,}")


def english_left(text: str, allowed: set[str]) -> list[str]:
    """Return the English words outside the pseudo-locale's brackets, but the data allowed."""
    outside, before = text, None
    while outside != before:
        before, outside = outside, re.sub(r"⟦[^⟦⟧]*⟧", " ", outside)
    return [word for word in ENGLISH.findall(outside) if word not in allowed]


@pytest.fixture
def shell(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A shell with no locale variables set (each test sets its own)."""
    for name in (*SHELL_LOCALE, "MIDAS_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("option", "variables", "chosen"),
    [
        ("fr", {"LANG": "es_ES.UTF-8"}, "fr"),
        ("ar", {}, "ar"),
        ("pt-BR", {}, "pt"),
        (None, {"LANG": "fr_BE.UTF-8"}, "fr"),
        (None, {"LC_ALL": "es_AR.UTF-8", "LANG": "fr_FR.UTF-8"}, "es"),
        (None, {"LANGUAGE": "ar", "LANG": "fr_FR.UTF-8"}, "ar"),
        (None, {"LANG": "de_DE.UTF-8"}, "en"),  # not shipped
        ("de", {"LANG": "fr_FR.UTF-8"}, "fr"),  # an option naming no shipped language
        (None, {"LANG": "C"}, "en"),
        (None, {"LANG": "C.UTF-8"}, "en"),
        (None, {"LANG": "not a locale"}, "en"),
        (None, {}, "en"),
    ],
)
def test_the_language_is_the_options_else_the_shells_if_shipped_else_english(
    shell, option, variables, chosen
):
    for name, value in variables.items():
        shell.setenv(name, value)

    assert choose_language(option) == chosen


def test_in_the_pseudo_locale_an_operators_messages_are_translated(app, shell):
    app.config["PSEUDO_LOCALE"] = True
    runner = app.test_cli_runner()

    made = runner.invoke(main, [*POST, *PLACE])
    refused = runner.invoke(main, BAD_POST)

    assert made.exit_code == 0, made.output
    assert english_left(made.output, {"VIE", "AIR"}) == []
    assert refused.exit_code == 1
    assert english_left(refused.output, {"Error", "code"}) == []  # click's prefix, the option


def test_machine_output_is_never_translated(app, shell):
    app.config["PSEUDO_LOCALE"] = True

    parsed = app.test_cli_runner().invoke(main, ["mrz", "parse"], input=SPECIMEN)

    record = json.loads(parsed.output.splitlines()[0])
    assert "⟦" not in parsed.output
    assert record["document_number"] == "L898902C3"
    assert {problem["code"] for problem in record["problems"]} <= {"uncertain_character"}


FRENCH = {
    "Created post %(code)s (id %(id)s).": "Poste %(code)s créé (no %(id)s).",
    "a post code is 2-16 letters, digits or hyphens": (
        "un code de poste a de 2 à 16 lettres, chiffres ou traits d'union"
    ),
}


@pytest.fixture
def french_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Catalogs with French for two messages, read by the command line."""
    catalog = Catalog(locale="fr")
    for english, french in FRENCH.items():
        catalog.add(english, french)
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as written:
        write_mo(written, catalog)
    monkeypatch.setattr(cli_language, "CATALOGS", tmp_path)
    cli_language._catalog.cache_clear()
    yield tmp_path
    cli_language._catalog.cache_clear()


@pytest.mark.parametrize(
    ("arguments", "variables"),
    [
        (["--language", "fr"], {}),
        ([], {"MIDAS_LANGUAGE": "fr"}),
        ([], {"LANG": "fr_FR.UTF-8"}),
    ],
)
def test_a_shipped_catalog_speaks_to_the_operator(app, shell, french_catalog, arguments, variables):
    runner = app.test_cli_runner()

    made = runner.invoke(main, [*arguments, *POST, *PLACE], env=variables)
    refused = runner.invoke(main, [*arguments, *BAD_POST], env=variables)

    assert made.exit_code == 0, made.output
    assert made.output.strip() == "Poste VIE-AIR créé (no 1)."
    assert refused.exit_code == 1
    assert FRENCH["a post code is 2-16 letters, digits or hyphens"] in refused.output
    assert "(--code)" in refused.output  # the option keeps its name


def test_english_stays_as_it_was(app, shell, french_catalog):
    made = app.test_cli_runner().invoke(main, [*POST, *PLACE], env={"LANG": "en_GB.UTF-8"})

    assert made.output.strip() == "Created post VIE-AIR (id 1)."
