"""The shipped catalogs: complete, not fuzzy, placeholders kept, in step with the sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import midas
from midas.domain.languages import LANGUAGES

ROOT = Path(midas.__file__).resolve().parent.parent
CATALOGS = ROOT / "midas" / "translations"
TRANSLATED = sorted(code for code in LANGUAGES if code != "en")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
    "_l": None,
    "lazy_gettext": None,
    "pgettext": ((1, "c"), 2),
    "lazy_ngettext": (1, 2),
}


def catalog(code: str) -> Catalog:
    """Read one language's catalog."""
    path = CATALOGS / code / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"no catalog for {code}: bash scripts/translations.sh init {code}"
    with path.open("rb") as source:
        return read_po(source, locale=code)


def marked_texts() -> set[str]:
    """Return every text the sources mark for translation, as pybabel extract finds it."""
    found: set[str] = set()
    method_map = [("midas/**.py", "python"), ("midas/web/templates/**.html", "jinja2")]
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_the_template_holds_every_marked_text() -> None:
    with (CATALOGS / "messages.pot").open("rb") as source:
        template = {
            str(entry.id[0] if isinstance(entry.id, tuple) else entry.id)
            for entry in read_po(source)
            if entry.id
        }
    missing = sorted(marked_texts() - template)
    assert not missing, (
        f"{len(missing)} marked texts are not in messages.pot (run bash scripts/translations.sh "
        f"extract, then update), e.g. {missing[:5]}"
    )


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_text_is_translated_and_none_is_fuzzy(code: str) -> None:
    entries = [entry for entry in catalog(code) if entry.id]
    untranslated = [
        entry.id
        for entry in entries
        if not all(entry.string if isinstance(entry.string, tuple) else [entry.string])
    ]
    fuzzy = [entry.id for entry in entries if entry.fuzzy]
    assert not untranslated, f"{code}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{code}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_catalog_follows_the_template(code: str) -> None:
    with (CATALOGS / "messages.pot").open("rb") as source:
        template = {
            entry.id if isinstance(entry.id, str) else entry.id[0]
            for entry in read_po(source)
            if entry.id
        }
    ids = {
        entry.id if isinstance(entry.id, str) else entry.id[0]
        for entry in catalog(code)
        if entry.id
    }
    assert not template - ids, f"{code}: run bash scripts/translations.sh update"


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_their_placeholders(code: str) -> None:
    wrong = []
    for entry in catalog(code):
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set().union(*(PLACEHOLDER.findall(text) for text in ids))
        for text in strings:
            # A plural form for one may say "one" instead of the number; nothing else may go.
            if set(PLACEHOLDER.findall(text)) - wanted or (
                len(strings) == 1 and set(PLACEHOLDER.findall(text)) != wanted
            ):
                wrong.append((entry.id, text))
    assert not wrong, f"{code}: placeholders differ in {len(wrong)} entries, e.g. {wrong[:3]}"
