"""The language of the command line's messages to operators.

`midas --language fr …` or MIDAS_LANGUAGE (read by click, as an option's environment variable),
else the shell's locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, read by Babel) when MIDAS ships
that language, else English. Only words for people go through here: JSON lines, CSV, PEM and
exit codes are for programs and stay as they are.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import click
from babel.core import UnknownLocaleError, default_locale
from babel.support import NullTranslations, Translations
from flask import current_app, has_app_context

from midas.domain.errors import DomainError
from midas.domain.languages import LANGUAGES
from midas.domain.texts import Text
from midas.languages import TRANSLATIONS, PseudoTranslations

# Where the chosen language is kept for the rest of one command (click's context meta).
META_KEY = "midas.language"
CATALOGS = Path(__file__).resolve().parent.parent / TRANSLATIONS
# The shell's variables that name a locale, in gettext's order of precedence.
SHELL_LOCALE = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def shipped(code: str | None) -> str | None:
    """Return the shipped language a locale name (fr, fr_BE, fr_FR.UTF-8) means, else None."""
    if not code:
        return None
    language = code.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return language if language in LANGUAGES else None


def choose_language(option: str | None) -> str:
    """Pick the messages' language: the option (or MIDAS_LANGUAGE), the shell's, else English."""
    chosen = shipped(option)
    if chosen is not None:
        return chosen
    try:
        shell = default_locale(SHELL_LOCALE)
    except (UnknownLocaleError, ValueError):
        shell = None
    return shipped(shell) or "en"


def set_language(code: str) -> None:
    """Use `code` for the messages of the command running now."""
    context = click.get_current_context(silent=True)
    if context is not None:
        context.find_root().meta[META_KEY] = code


def current_language() -> str:
    """Return the language of the command running now (chosen from the shell when unset)."""
    context = click.get_current_context(silent=True)
    if context is None:
        return choose_language(None)
    meta = context.find_root().meta
    if META_KEY not in meta:
        meta[META_KEY] = choose_language(None)
    return str(meta[META_KEY])


@cache
def _catalog(code: str) -> NullTranslations:
    """Return the shipped catalog of one language (no catalog: the English texts)."""
    return Translations.load(str(CATALOGS), [code], domain="messages")


def translations() -> NullTranslations:
    """Return the catalog to translate with: the pseudo-locale when the app is set to it."""
    if has_app_context() and current_app.config.get("PSEUDO_LOCALE"):
        return PseudoTranslations()
    return _catalog(current_language())


def _(template: str, **params: object) -> str:
    """Return an operator's message in the command's language, `%(name)s` filled from params."""
    chosen = translations().gettext(template)
    return chosen % params if params else chosen


def ngettext(singular: str, plural: str, num: int, **params: object) -> str:
    """Return a counted message in the command's language; `%(num)d` is the count."""
    chosen = translations().ngettext(singular, plural, num)
    return chosen % {"num": num, **params}


def _translate(template: str, plural: str | None, count: int) -> str:
    catalog = translations()
    return (
        catalog.gettext(template) if plural is None else catalog.ngettext(template, plural, count)
    )


def say(said: DomainError | Text) -> str:
    """Return a domain error's or text's words in the command's language."""
    text = said.text if isinstance(said, DomainError) else said
    if current_language() == "en" and not isinstance(translations(), PseudoTranslations):
        return text.render()  # English keeps its exact words, a library's detail included
    return text.render(_translate)
