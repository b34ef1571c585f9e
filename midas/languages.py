"""The language of each page: the person's choice, their post's, their browser's, or English.

Texts are translated with gettext catalogs under `midas/translations` (Flask-Babel); dates,
numbers and country names are formatted by CLDR (Babel) and pycountry in the same locale.
"""

from __future__ import annotations

import gettext as gettext_module
import re
from collections.abc import Callable, Mapping
from functools import cache, wraps
from typing import Any

import pycountry
from babel.support import NullTranslations
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel, Domain, get_domain, get_locale, gettext
from jinja2 import pass_context
from jinja2.runtime import Context

from chip.results import Step
from midas.auth import AuthenticationRequired, find_actor
from midas.domain.chip_steps import step_text
from midas.domain.errors import DomainError
from midas.domain.hit_reasons import reason_text
from midas.domain.languages import LANGUAGES, RIGHT_TO_LEFT
from midas.domain.mrz_problems import PROBLEM_TEMPLATES, problem_text
from midas.domain.texts import Text
from midas.wording import sentence
from scanners.mrz.result import Problem
from watchlists.models import Reason

TRANSLATIONS = "translations"  # the folder of catalogs, beside this module


def choose_locale() -> str:
    """Pick the page's language: the person's, their post's, their browser's, else English."""
    if not has_request_context():
        return "en"
    chosen = getattr(g, "midas_locale", None)
    if chosen is not None:
        return str(chosen)
    try:
        actor = find_actor()
    except AuthenticationRequired:
        actor = None  # a bad station token: the error page still needs a language
    if actor is not None and actor.locale in LANGUAGES:
        chosen = actor.locale
    elif actor is not None and actor.post_locale in LANGUAGES:
        chosen = actor.post_locale
    else:
        chosen = request.accept_languages.best_match(LANGUAGES, default="en")
    g.midas_locale = chosen
    return str(chosen)


def _translate(template: str, plural: str | None, count: int) -> str:
    """Translate one template into the page's language (gettext's catalogs; no formatting)."""
    translations = get_domain().get_translations()
    if plural is None:
        return str(translations.gettext(template))
    return str(translations.ngettext(template, plural, count))


def speaks_english() -> bool:
    """Tell whether the page is in plain English (no catalog, no pseudo-locale): then texts
    keep their exact English words, a library's detail included."""
    if not has_request_context():
        return True
    if current_app.config.get("PSEUDO_LOCALE"):
        return False
    locale = get_locale()
    return locale is None or locale.language == "en"


# The keys of a screening hit's reason in its JSON form (midas.domain.screening.reasons_json),
# and of a chip's verification step (chip.results.Step.to_dict).
_REASON_KEYS = frozenset({"feature", "score", "detail"})
_STEP_KEYS = frozenset({"name", "status", "detail"})


def text_of(obj: object) -> Text | None:
    """Return the text an object carries for people: a Text, an error's or a concern's text,
    an MRZ problem, a hit's reason or a chip's step (the library's or its JSON form); None
    when it carries none."""
    if isinstance(obj, Text):
        return obj
    carried = getattr(obj, "text", None)
    if isinstance(carried, Text):
        return carried
    if isinstance(obj, Mapping) and obj.get("code") in PROBLEM_TEMPLATES:
        return problem_text(obj)
    if isinstance(obj, Problem):
        return problem_text(obj)
    if isinstance(obj, Reason) or (isinstance(obj, Mapping) and obj.keys() >= _REASON_KEYS):
        return reason_text(obj)
    if isinstance(obj, Step) or (isinstance(obj, Mapping) and obj.keys() >= _STEP_KEYS):
        return step_text(obj)
    return None


def translated(obj: object) -> str:
    """Return what an object says to people in the page's language.

    A `Text`, a domain error, a decision concern, an MRZ problem or a hit's reason (object or
    dict: "feature: score — detail"), a chip's verification step ("step: why"), a refusal
    reason (its form text) or a marked English string; anything else is data, shown as is.
    """
    text = text_of(obj)
    if text is None:
        carried = getattr(obj, "text", obj)
        if isinstance(carried, str) and carried:
            return str(gettext(carried)) if has_request_context() else carried
        return "" if obj is None else str(obj)
    return text.render(None if speaks_english() else _translate)


def error_text(error: DomainError) -> str:
    """Return a domain error's message as a sentence in the page's language."""
    return sentence(translated(error))


def page_language() -> str:
    """Return the page's language code, for `<html lang>`."""
    locale = get_locale()
    return str(locale) if locale is not None else "en"


def text_direction() -> str:
    """Return the page's writing direction, `rtl` or `ltr`, for `<html dir>`."""
    locale = get_locale()
    return "rtl" if locale is not None and locale.language in RIGHT_TO_LEFT else "ltr"


@cache
def _country_catalog(language: str) -> gettext_module.NullTranslations:
    """Return pycountry's catalog of country names in one language (English when none)."""
    return gettext_module.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country_name(code: str | None) -> str:
    """Return the name of the state an alpha-3 code names, in the page's language; else the code."""
    if not code:
        return ""
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code  # a Doc 9303 code (D, XXA, UNO…): no ISO name to translate
    name = getattr(country, "common_name", None) or country.name
    locale = get_locale()
    language = locale.language if locale is not None else "en"
    return _country_catalog(language).gettext(name)


# What pseudo-translation lengthens with: accented look-alikes show text that skipped gettext.
_ACCENTED = str.maketrans("aeiouAEIOUcnyCNY", "àéîõüÀÉÎÕÜçñýÇÑÝ")
PLACEHOLDER_PATTERN = r"%\(\w+\)[sd]|%[sd]|\{\w*\}"
_PLACEHOLDER = re.compile(PLACEHOLDER_PATTERN)


def pseudo(text: str) -> str:
    """Return text bracketed, accented and 40% longer, placeholders untouched (a pseudo-locale)."""
    if not text:
        return text
    parts = _PLACEHOLDER.split(text)
    holders = _PLACEHOLDER.findall(text)
    out = parts[0].translate(_ACCENTED)
    for holder, part in zip(holders, parts[1:], strict=True):
        out += holder + part.translate(_ACCENTED)
    padding = "·" * max(1, (len(text) * 2) // 5)
    return f"⟦{out}{padding}⟧"


class PseudoTranslations(NullTranslations):
    """Every text through `pseudo`: pages run in it show any text that bypassed gettext."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)

    def npgettext(self, context: str, singular: str, plural: str, num: int) -> str:
        return pseudo(singular if num == 1 else plural)

    ugettext = gettext
    ungettext = ngettext
    upgettext = pgettext
    unpgettext = npgettext


class MidasDomain(Domain):  # type: ignore[misc]  # flask-babel ships no type hints
    """The catalogs of `midas/translations`; in the pseudo-locale, every text bracketed."""

    def get_translations(self) -> NullTranslations:
        if has_request_context() and current_app.config["PSEUDO_LOCALE"]:
            return PseudoTranslations()
        return super().get_translations()  # type: ignore[no-any-return]


def per_request(function: Callable[..., str]) -> Callable[..., str]:
    """Wrap a template filter whose words depend on the page's language.

    Jinja evaluates a filter on constant arguments once, when it compiles the template
    (`{{ "active" | label_of("version_state") }}`), and the compiled template serves every
    later page: the first page's language would be baked in. A filter that takes the context
    is never folded, so it runs on each page.
    """

    @pass_context
    @wraps(function)
    def filter_(context: Context, *args: Any, **kwargs: Any) -> str:
        return function(*args, **kwargs)

    return filter_


def init_app(app: Flask) -> None:
    """Install Flask-Babel with the catalogs beside this module and the page's locale choice."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", TRANSLATIONS)
    babel = Babel(app, locale_selector=choose_locale)
    babel.domain_instance = MidasDomain(domain="messages")
    app.jinja_env.globals.update(
        text_direction=text_direction,
        page_language=page_language,
        country_name=country_name,
        translated=translated,
        LANGUAGES=LANGUAGES,
    )
    app.add_template_filter(per_request(country_name), "country_name")
    app.add_template_filter(per_request(translated), "translated")
