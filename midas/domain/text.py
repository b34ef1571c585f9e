"""Text the service takes in: no control characters a store or a log line cannot hold.

PostgreSQL refuses NUL in text (a server error on write or lookup), a lone surrogate cannot
be encoded as UTF-8, and the other C0 controls (escape, backspace...) forge what a log or a
page shows. Tab, line feed and carriage return stay allowed: notes and MRZ lines use them.
"""

from __future__ import annotations

import re

from midas.domain.errors import InvalidInput
from midas.domain.texts import N_

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def check_text(value: str, *, field: str) -> None:
    """Raise InvalidInput naming `field` when `value` holds a character text may not hold."""
    found = FORBIDDEN.search(value)
    if found is not None:
        raise InvalidInput(
            N_(
                "contains an invisible control character (code %(code)s) at position %(position)s: "
                "remove it and send again"
            ),
            params={"code": format(ord(found.group()), "#06x"), "position": found.start() + 1},
            field=field,
        )
