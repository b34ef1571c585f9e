"""Transliterate, fold and tokenise names and document numbers; pure, idempotent functions."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

import statecodes
from watchlists.romanizers.cyrillic import ICAO as ICAO_CYRILLIC
from watchlists.variants import GLUED_PREFIXES, HONORIFICS, PARTICLES, TITLES

# ICAO Doc 9303 Part 3 §6 (transliteration of Latin letters with diacritics): the letters whose
# MRZ form is not simply the base letter. States may also write Ä, Ö, Ü, Å as A, O, U, A; `fold`
# makes both spellings compare equal.
_ICAO_LATIN: dict[str, str] = {
    "Ä": "AE",
    "Å": "AA",
    "Æ": "AE",
    "Ö": "OE",
    "Ø": "OE",
    "Ü": "UE",
    "ß": "SS",
    "ẞ": "SS",
    "Þ": "TH",
    "Ĳ": "IJ",
    "Œ": "OE",
    "Ð": "D",
    "Đ": "D",
    "Ł": "L",
    "Ħ": "H",
    "ı": "I",
    "Ŀ": "L",
    "Ŧ": "T",
    "Ŋ": "N",
}

# ICAO Doc 9303 Part 3 §6 (transliteration of Cyrillic), which differs from anyascii for Й, Ю, Я,
# Х and others (Й → I, Ю → IU, Я → IA, Х → KH): one table, the romaniser's.
_TRANSLIT = str.maketrans({**_ICAO_LATIN, **ICAO_CYRILLIC})
# An apostrophe joins (O'BRIEN → OBRIEN, as in the MRZ); every other non-letter separates.
_APOSTROPHES = re.compile(r"['`´’‘ʼʻ]")
_NON_LETTERS = re.compile(r"[^A-Z]+")
_NON_ALNUM = re.compile(r"[^A-Z0-9]+")
# ICAO digraph spellings of Ä, Ö, Ü, Å, then doubled letters (ß → SS or S, HUSSEIN/HUSEIN).
_DIGRAPHS = re.compile(r"AE|OE|UE|AA")
_DOUBLES = re.compile(r"([A-Z])\1+")
# A glued prefix followed by at least four more letters; alternatives are tried in order.
_GLUED = re.compile("(" + "|".join(GLUED_PREFIXES) + ")(?=.{4})")


def transliterate(text: str) -> str:
    """Return `text` in upper-case ASCII: ICAO tables first, anyascii for any other script."""
    upper = text.upper()
    if upper.isascii():
        # Neither table has an ASCII key, and NFKD leaves ASCII alone.
        return upper
    upper = upper.translate(_TRANSLIT)
    decomposed = unicodedata.normalize("NFKD", upper)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if not stripped.isascii():
        stripped = anyascii(stripped)
    return stripped.upper()


@lru_cache(maxsize=200_000)
def tokenize(text: str) -> tuple[str, ...]:
    """Split a name into upper-case A-Z tokens, dropping titles; MRZ fillers ('<') separate."""
    ascii_text = _APOSTROPHES.sub("", transliterate(text))
    return tuple(token for token in _NON_LETTERS.split(ascii_text) if token and token not in TITLES)


def normalize_name(text: str) -> str:
    """Return the comparable form of a name: its tokens joined by single spaces, in their order."""
    return " ".join(tokenize(text))


@lru_cache(maxsize=200_000)
def fold(token: str) -> str:
    """Fold ICAO spelling alternatives together: AE→A, OE→O, UE→U, AA→A, doubled letters once."""
    folded = token
    while True:
        again = _DOUBLES.sub(r"\1", _DIGRAPHS.sub(lambda m: m.group(0)[0], folded))
        if again == folded:
            return folded
        folded = again


def is_particle(token: str) -> bool:
    """Tell whether a token is a particle (AL, BIN, VAN, DE …) that weighs little in a name."""
    return token in PARTICLES


def weighs_as_particle(token: str) -> bool:
    """Tell whether a name token weighs what a particle weighs in a screening score.

    Honorifics (HAJ, SEYED) do: lists and documents add them or leave them out.
    """
    return token in PARTICLES or token in HONORIFICS


def is_honorific(token: str) -> bool:
    """Tell whether a token is an honorific that may also be spelled as a name (SAYYID, HAJJ)."""
    return token in HONORIFICS


@lru_cache(maxsize=200_000)
def split_glued(token: str) -> tuple[str, str] | None:
    """Split a token that starts with a glued prefix (ALZAWAHIRI → AL, ZAWAHIRI), or return None."""
    # The first prefix in GLUED_PREFIXES order that leaves at least four letters, as one regex.
    match = _GLUED.match(token)
    if match is None:
        return None
    return match.group(1), token[match.end(1) :]


def name_key(text: str) -> str:
    """Return a key equal for names with the same folded non-particle tokens in any order."""
    tokens = sorted({fold(t) for t in tokenize(text) if not is_particle(t)})
    return " ".join(tokens)


def split_mrz_name(field: str) -> tuple[str, str]:
    """Split an MRZ name field 'SURNAME<<GIVEN<NAMES' (Doc 9303 Part 3 §4.6) in two."""
    surname, _, given = field.partition("<<")
    return normalize_name(surname), normalize_name(given)


def normalize_document_number(number: str) -> str:
    """Return a document number in upper case without spaces, hyphens, fillers or separators."""
    return _NON_ALNUM.sub("", number.upper())


def normalize_state(code: str | None) -> str | None:
    """Return the code comparisons use for an issuing state or nationality, or None if unknown.

    Codes, alpha-2 codes and names all qualify; codes for one state become one (D, de → DEU;
    UNK, XKX, Kosovo → RKS), so an index and a query built with this function compare by `==`.
    """
    if code is None:
        return None
    found = statecodes.to_code(code.replace("<", " "))
    return None if found is None else statecodes.canonical(found)
