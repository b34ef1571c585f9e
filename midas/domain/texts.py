"""Texts for people, as English templates with parameters: the face that shows one translates it.

The domain speaks English and knows no language of a page: it marks each template with `N_`
(so `pybabel extract -k N_` collects it) and keeps the values apart as parameters. A face
translates the template into the page's language and then fills in the parameters; a value
that is data (a name, a number, a code) is never translated, a parameter that is itself a
`Text` is translated too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field


def N_(template: str) -> str:  # gettext's name for a marker that translates later
    """Mark an English template for the catalogs; return it unchanged."""
    return template


def ngettext(
    singular: str, plural: str, count: int, params: Mapping[str, object] | None = None
) -> Text:
    """Return a counted text, translated later (`%(num)d` is the count); pybabel extracts the
    pair as one plural entry under gettext's own name."""
    return Text(singular, dict(params or {}), plural=plural, count=count)


def verbatim(message: str) -> Text:
    """Return words that have no template (a library's English message), shown as written."""
    return Text(message, translatable=False)


def listing(items: Sequence[Text | str]) -> Text:
    """Return items read as one list, "a, b, c", each translated when it is a text."""
    names = {f"item{number}": item for number, item in enumerate(items)}
    return Text(", ".join(f"%({name})s" for name in names), names, translatable=False)


# Translate a template (singular, plural, count) into the page's language.
Translate = Callable[[str, str | None, int], str]


def as_written(template: str, plural: str | None, count: int) -> str:
    """Return the English template itself: the plural form unless the count is one."""
    return plural if plural is not None and count != 1 else template


@dataclass(frozen=True, slots=True)
class Text:
    """An English template, its parameters and, for a counted noun, its plural and count.

    `english`, when set, is the exact English wording where it says more than the template
    can (a library's detailed message): English pages show it, other languages the template.
    A parameter may be data (shown as is), a `Text` (translated with the template), or a
    tuple of texts (each a clause, joined by semicolons).
    """

    template: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)
    plural: str | None = None
    count: int = 1
    english: str | None = field(default=None, compare=False)
    # False for words that have no template (a library's English message): shown as written.
    translatable: bool = True

    def render(self, translate: Translate | None = None) -> str:
        """Return the text in the language `translate` gives (English when none), filled in."""
        if translate is None:
            if self.english is not None:
                return self.english
            translate = as_written
        chosen = (translate if self.translatable else as_written)(
            self.template, self.plural, self.count
        )
        if not self.params and self.plural is None:
            return chosen  # no placeholders to fill: a lone % stays a %
        values = {name: _value(value, translate) for name, value in self.params.items()}
        values.setdefault("num", self.count)
        try:
            return chosen % values
        except (KeyError, ValueError, TypeError):
            # A translation naming a placeholder the template has not (or a stray %): the
            # English template still says it, where a failure would hide the message.
            return as_written(self.template, self.plural, self.count) % values

    def __str__(self) -> str:
        return self.render()


def _value(value: object, translate: Translate | None) -> object:
    """Return one parameter as it fills its placeholder."""
    if isinstance(value, Text):
        return value.render(translate)
    if isinstance(value, tuple) and value and all(isinstance(item, Text) for item in value):
        return "; ".join(item.render(translate).rstrip(".") for item in value)
    return value


def percent(score: float) -> str:
    """Return a score from 0 to 1 as a whole percentage, rounded down: "0.997" -> "99%".

    Rounding down keeps 100% for a full agreement only, so a score never reads higher than
    the features it is built from.
    """
    return f"{math.floor(score * 100 + 1e-9)}%"
