"""Words on pages: counted nouns agree with their number, in the page's language."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from midas.domain.texts import percent

__all__ = ["SCORE_MEANING", "percent", "plural", "sentence"]

# The counted nouns of pages and commands, each a whole "N things" for translators (Arabic has
# six plural forms, so the number and its noun are translated together, never the noun alone).
COUNTED: dict[str, Callable[[int], str]] = {
    "crossing": lambda n: ngettext("%(num)d crossing", "%(num)d crossings", n),
    "flight": lambda n: ngettext("%(num)d flight", "%(num)d flights", n),
    "hit": lambda n: ngettext("%(num)d hit", "%(num)d hits", n),
    "line": lambda n: ngettext("%(num)d line", "%(num)d lines", n),
    "list": lambda n: ngettext("%(num)d list", "%(num)d lists", n),
    "match": lambda n: ngettext("%(num)d match", "%(num)d matches", n),
    "result": lambda n: ngettext("%(num)d result", "%(num)d results", n),
    "traveller": lambda n: ngettext("%(num)d traveller", "%(num)d travellers", n),
    "user": lambda n: ngettext("%(num)d user", "%(num)d users", n),
    "version": lambda n: ngettext("%(num)d version", "%(num)d versions", n),
}

# Plurals not made with an "s", as callers spell them.
_IRREGULAR = {"match": "matches"}


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Return the count with its noun in the right number: "1 line", "2 lines", "0 entries"."""
    counted = COUNTED.get(singular)
    if counted is not None and plural_form in (None, f"{singular}s", _IRREGULAR.get(singular)):
        return counted(count)
    # A noun not listed above is shown in English (and caught by the pseudo-locale's pages).
    noun = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count} {noun}"


def sentence(message: str) -> str:
    """Return a message as a sentence: a capital first letter and one full stop."""
    text = message.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


# Why a score may exceed each of its name features: what agrees besides the name adds to it.
SCORE_MEANING = _l(
    "the name's agreement, raised by a birth date, nationality or sex that agrees and lowered "
    "by one that differs, at most 100%"
)
