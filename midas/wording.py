"""Words on pages: counted nouns agree with their number."""

from __future__ import annotations

import math


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Return the count with its noun in the right number: "1 line", "2 lines", "0 entries"."""
    noun = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count} {noun}"


def sentence(message: str) -> str:
    """Return a message as a sentence: a capital first letter and one full stop."""
    text = message.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


def percent(score: float) -> str:
    """Return a score from 0 to 1 as a whole percentage, rounded down: "0.997" -> "99%".

    Rounding down keeps 100% for a full agreement only, so a score never reads higher than
    the features it is built from.
    """
    return f"{math.floor(score * 100 + 1e-9)}%"


# Why a score may exceed each of its name features: what agrees besides the name adds to it.
SCORE_MEANING = (
    "the name's agreement, raised by a birth date, nationality or sex that agrees and lowered "
    "by one that differs, at most 100%"
)
