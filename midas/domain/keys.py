"""Numbers that name rows or pages, read from text: ASCII digits within their column's range.

`int()` takes any Unicode decimal digit ("١٢") and `str.isdigit` admits superscripts ("²")
that `int()` then refuses; a number beyond a key column's range overflows SQLite and is
refused by PostgreSQL. Every face reads such numbers here, so a bad one is an InvalidInput
naming its field instead of a server error.
"""

from __future__ import annotations

import re

from midas.domain.errors import InvalidInput
from midas.domain.texts import N_

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1

ASCII_NUMBER = re.compile(r"[0-9]{1,19}")


def parse_number(text: str, *, field: str, maximum: int, minimum: int = 0) -> int:
    """Return the number written in `text` (ASCII digits), or raise InvalidInput naming `field`."""
    stripped = text.strip()
    if ASCII_NUMBER.fullmatch(stripped) is None:
        raise InvalidInput(N_("give a whole number written with the digits 0-9"), field=field)
    value = int(stripped)
    if not minimum <= value <= maximum:
        raise InvalidInput(
            N_("give a number from %(minimum)s to %(maximum)s"),
            params={"minimum": minimum, "maximum": maximum},
            field=field,
        )
    return value


def parse_id(text: str, *, field: str, big: bool = False) -> int:
    """Return the id of a 32-bit key column (64-bit when `big`) written in `text`."""
    return parse_number(text, field=field, maximum=INT64_MAX if big else INT32_MAX)


def is_id(text: str, *, big: bool = False) -> bool:
    """Tell whether `text` can name a row of a 32-bit key column (64-bit when `big`)."""
    try:
        parse_id(text, field="id", big=big)
    except InvalidInput:
        return False
    return True


def page_number(text: str | None) -> int:
    """Return a 1-based page number from a query value; anything but a valid one is page 1."""
    try:
        return parse_number(text or "1", field="page", minimum=1, maximum=INT32_MAX)
    except InvalidInput:
        return 1
