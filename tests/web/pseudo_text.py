"""What a page shows people, for the pseudo-locale tests: text left in plain English is caught."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Texts through gettext come out as ⟦…⟧ in the pseudo-locale (midas.languages.pseudo).
PSEUDO = re.compile(r"⟦[^⟧]*⟧")
# A word of plain English: three letters or more (codes of one or two letters are no words).
WORD = re.compile(r"[A-Za-z]{3,}")
# Elements whose text is data, not words: codes, MRZ lines, key caps, isolated values.
DATA_TAGS = frozenset({"script", "style", "kbd", "pre", "bdi", "title"})
DATA_CLASSES = frozenset({"mono"})
# Attributes people read (screen readers, placeholders, images).
READ_ATTRIBUTES = ("aria-label", "placeholder", "alt", "title")
VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


class _Visible(HTMLParser):
    """Collect the text and read attributes of a page outside data elements."""

    def __init__(self, skipped: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.skipped = DATA_CLASSES | skipped
        self.stack: list[bool] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = set((found.get("class") or "").split())
        data = tag in DATA_TAGS or bool(classes & self.skipped) or (self.stack and self.stack[-1])
        if not data:
            self.texts.extend(found[name] or "" for name in READ_ATTRIBUTES if found.get(name))
        if tag not in VOID:
            self.stack.append(bool(data))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.texts.append(data)


def english_in(texts: list[str], allowed: frozenset[str] = frozenset()) -> list[str]:
    """Return the words of plain English in texts shown to people, in order."""
    shown = PSEUDO.sub(" ", " ".join(texts))
    return [word for word in WORD.findall(shown) if word not in allowed]


def english_words(
    html: str, allowed: frozenset[str] = frozenset(), skipped: frozenset[str] = frozenset()
) -> list[str]:
    """Return the words of plain English a page shows outside data and elements of the
    skipped classes, in order."""
    reader = _Visible(skipped)
    reader.feed(html)
    return english_in(reader.texts, allowed)
