"""TD3 text parsing throughput on one core: MIDAS vs the `mrz` package vs passporteye's MRZ class.

Run: .venv/bin/python benchmarks/mrz_text.py [--count 20000] [--rounds 5]
Each parser gets the same distinct, valid TD3 MRZs; the best of several rounds is reported.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

from scanners.mrz.parse import parse_mrz
from scanners.mrz.render import MRZFields, render

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STATES = ["FRA", "DEU", "NGA", "IRN", "COL", "JPN", "GBR", "UTO"]


def make_mrzs(count: int, seed: int = 7) -> list[str]:
    """Return `count` distinct valid TD3 MRZs as two-line text."""
    rnd = random.Random(seed)
    out = []
    for _ in range(count):
        word = lambda n: "".join(rnd.choice(LETTERS) for _ in range(n))  # noqa: E731
        fields = MRZFields(
            document_code="P",
            issuing_state=rnd.choice(STATES),
            surname=word(rnd.randint(3, 10)),
            given_names=f"{word(rnd.randint(3, 8))} {word(rnd.randint(3, 8))}",
            document_number=word(2) + "".join(rnd.choice("0123456789") for _ in range(7)),
            nationality=rnd.choice(STATES),
            birth_date=date(1940, 1, 1) + timedelta(days=rnd.randint(0, 30000)),
            expiry_date=date(2027, 1, 1) + timedelta(days=rnd.randint(0, 3000)),
            sex=rnd.choice(["M", "F"]),
            optional_data="".join(rnd.choice("0123456789") for _ in range(rnd.randint(0, 12))),
        )
        out.append("\n".join(render("TD3", fields)))
    return out


def midas_parser() -> Callable[[str], bool]:
    today = date.today()
    return lambda text: parse_mrz(text, today=today).valid


def mrz_package_parser() -> Callable[[str], bool]:
    from mrz.checker.td3 import TD3CodeChecker

    return lambda text: bool(TD3CodeChecker(text))


def passporteye_parser() -> Callable[[str], bool]:
    from passporteye.mrz.text import MRZ

    return lambda text: bool(MRZ(text.split("\n")).valid)


def measure(parse: Callable[[str], bool], texts: list[str], rounds: int) -> tuple[float, int]:
    """Return the best parses per second over `rounds` and how many texts it called valid."""
    rates = []
    valid = sum(parse(t) for t in texts)
    for _ in range(rounds):
        start = time.perf_counter()
        for text in texts:
            parse(text)
        rates.append(len(texts) / (time.perf_counter() - start))
    return max(rates), valid


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    texts = make_mrzs(args.count)
    results = {}
    for name, factory in [
        ("midas parse_mrz", midas_parser),
        ("mrz TD3CodeChecker", mrz_package_parser),
        ("passporteye MRZ", passporteye_parser),
    ]:
        rate, valid = measure(factory(), texts, args.rounds)
        results[name] = rate
        print(f"{name:22s} {rate:>10,.0f} parses/s  valid {valid}/{len(texts)}")
    ours = results["midas parse_mrz"]
    for name, rate in results.items():
        if name != "midas parse_mrz":
            print(f"ratio midas / {name}: {ours / rate:.2f}x")
    print(f"median of rates: {statistics.median(results.values()):,.0f}")


if __name__ == "__main__":
    main()
