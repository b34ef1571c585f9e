"""Whether two readings name the same person: the rule that lets a document link a traveller.

A document is a thing, not a person: an impostor carries a real passport, and a stolen one is
listed by number. A reading therefore joins the traveller a document is on record with only when
the identities agree: the same birth date (when both are known) and names that agree with the
tolerance screening already gives a name token (ICAO folding, spelling variants, a typing or
OCR slip, a name cut to fit the MRZ, a middle name left out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from watchlists.config import TokenScores
from watchlists.distance import compare_tokens
from watchlists.normalize import is_particle

# Two tokens name the same part of a name from this agreement on (a phonetic or one-letter
# slip passes, THOMAS/OLIVER or ANNA/ANNE's neighbours at two letters off do not).
TOKEN_AGREEMENT = 0.85
_SCORES = TokenScores()
_WORDS = re.compile(r"[A-Z0-9]+")


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """The facts of a person that identity agreement compares."""

    surname: str
    given_names: str
    birth_date: date | None


def _words(text: str) -> list[str]:
    """The words of a name as documents write it (names arrive normalised, see `Identity.of`).
    Titles are kept: what tokenising for screening drops (SGT, CAPTAIN) may be all of a name."""
    return _WORDS.findall(text.upper())


def _identifying(left: str, right: str) -> tuple[list[str], list[str]]:
    """Both names' words without particles (AL, DE, VAN …), or with them where either side
    would be left with nothing: one rule for both sides, so agreement stays symmetric."""
    left_words, right_words = _words(left), _words(right)
    left_kept = [word for word in left_words if not is_particle(word)]
    right_kept = [word for word in right_words if not is_particle(word)]
    if left_kept and right_kept:
        return left_kept, right_kept
    return left_words, right_words


def _token_agrees(left: str, right: str) -> bool:
    forward = compare_tokens(left, right, _SCORES, allow_prefix=True).score
    backward = compare_tokens(right, left, _SCORES, allow_prefix=True).score
    return max(forward, backward) >= TOKEN_AGREEMENT


def _all_found(shorter: list[str], longer: list[str]) -> bool:
    """Tell whether every token of `shorter` agrees with a different token of `longer`."""
    free = list(longer)
    for token in shorter:
        partner = next((other for other in free if _token_agrees(token, other)), None)
        if partner is None:
            return False
        free.remove(partner)
    return True


def _parts_agree(left: list[str], right: list[str]) -> bool:
    if not left or not right:
        return True
    if len(left) == len(right):
        return _all_found(left, right) and _all_found(right, left)
    shorter, longer = (left, right) if len(left) < len(right) else (right, left)
    return _all_found(shorter, longer)


def identities_agree(left: PersonFacts, right: PersonFacts) -> bool:
    """Tell whether two sets of facts may describe the same person (symmetric)."""
    known = left.birth_date is not None and right.birth_date is not None
    if known and left.birth_date != right.birth_date:
        return False
    left_surname, right_surname = _identifying(left.surname, right.surname)
    if not left_surname or not right_surname:
        # A name missing on one side: nothing says these are the same person.
        return False
    if not _parts_agree(left_surname, right_surname):
        return False
    left_given, right_given = _identifying(left.given_names, right.given_names)
    if left_given and right_given and not _token_agrees(left_given[0], right_given[0]):
        # Documents carry the first given name; it is middle names that go missing.
        return False
    return _parts_agree(left_given, right_given)
