"""Files a format reads beside its main file, and what a load loses when one is missing.

An OFAC SDN CSV publication is four files; `sdn.csv` alone loads, but without `alt.csv` its
persons lose every alias, so a traveller travelling under one is not found. A load says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from watchlists.loaders import ofac_csv

# Per registry format: (file name, what the load goes without when it is missing).
COMPANIONS: dict[str, tuple[tuple[str, str], ...]] = {
    ofac_csv.FORMAT: (
        (ofac_csv.ALT_FILE, "the aliases (a.k.a. names) of every listed person"),
        (ofac_csv.COMMENTS_FILE, "the remarks too long for sdn.csv (more aliases among them)"),
        (ofac_csv.ADD_FILE, "the addresses (kept for provenance, not screened)"),
    ),
}


def expected_files(fmt: str) -> tuple[str, ...]:
    """Return the file names a format reads beside its main file (none for most)."""
    return tuple(name for name, _ in COMPANIONS.get(fmt, ()))


def missing_companions(fmt: str, files: Sequence[Path]) -> tuple[str, ...]:
    """Return a warning for each companion file of `fmt` that is not among `files`."""
    present = {file.name.lower() for file in files}
    main = files[0].name if files else "the main file"
    return tuple(
        f"{name} was not given with {main}: this version lacks {loses}"
        for name, loses in COMPANIONS.get(fmt, ())
        if name.lower() not in present
    )
