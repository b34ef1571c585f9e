"""Words on pages: counted nouns agree with their number."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Return the count with its noun in the right number: "1 line", "2 lines", "0 entries"."""
    noun = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count} {noun}"
