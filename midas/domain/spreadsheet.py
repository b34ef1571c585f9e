"""CSV for spreadsheets: every export writes its cells through here, so none runs as a formula.

A cell starting with =, +, -, @, tab or carriage return is run as a formula by Excel and
LibreOffice (OWASP "CSV injection"); such text (a post code, a name, a reason typed in) gets
a leading apostrophe, which the spreadsheet shows as text and never runs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """Return a cell as text a spreadsheet never runs: quoted only where a formula could start."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Return a header and rows as CSV text (CRLF lines), every cell made inert."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([inert(value) for value in row])
    return out.getvalue()
