"""Alerts on names written in Arabic script made of common given names and surnames, names alone.

Run: PYTHONPATH=. taskset -c 1 .venv/bin/python benchmarks/arabic_script_namesakes.py
    [--count 1500] [--seed 7] [--show]

The variants benchmark's innocents are all written in Latin letters, so a rule that reads a
traveller's Arabic-script name more loosely (issue 17: the Doc 9303 reading) is not seen there.
These names are two given names and a surname drawn from common Arabic and Persian names; some
may be listed people's names, so the count is for comparing two engines on the same names, not a
false-alert rate.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from screening_variants import load  # noqa: E402

from watchlists.config import ScreeningConfig  # noqa: E402
from watchlists.index import PersonIndex  # noqa: E402
from watchlists.screening import PersonQuery, screen_person  # noqa: E402

GIVEN = [
    "محمد",
    "أحمد",
    "علي",
    "حسن",
    "حسين",
    "عمر",
    "خالد",
    "يوسف",
    "إبراهيم",
    "محمود",
    "سعيد",
    "مصطفى",
    "عبدالله",
    "فاطمة",
    "مريم",
    "زينب",
    "رضا",
    "مهدی",
    "جواد",
    "کریم",
]
FAMILY = [
    "الحسن",
    "العلي",
    "الأحمد",
    "الشمري",
    "العتيبي",
    "القحطاني",
    "الدوسري",
    "الزهراني",
    "حسيني",
    "احمدی",
    "محمدی",
    "رضایی",
    "موسوی",
    "کریمی",
    "جعفری",
    "الخطيب",
    "النجار",
    "الحداد",
    "المصري",
    "السوري",
]


def names(count: int, seed: int) -> list[str]:
    """Return `count` distinct names: two given names and a surname, drawn with the seed."""
    rng = random.Random(seed)
    drawn: set[str] = set()
    while len(drawn) < count:
        drawn.add(" ".join([rng.choice(GIVEN), rng.choice(GIVEN), rng.choice(FAMILY)]))
    return sorted(drawn)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", action="store_true", help="print each alert")
    args = parser.parse_args(argv)
    drawn = names(args.count, args.seed)
    config = ScreeningConfig()
    for key in ("ofac", "un"):
        index = PersonIndex.build(key, 1, load(key))
        alerted = 0
        for name in drawn:
            hits = screen_person(PersonQuery(name=name), index, config)
            if hits:
                alerted += 1
                if args.show:
                    print(f"  {key}: {name} | {hits[0].matched_name} {hits[0].score}")
        print(f"{key}: {alerted} of {len(drawn)} names alerted")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
