"""TD3 text parsing throughput on one core: MIDAS vs the `mrz` package vs passporteye's MRZ class.

Run: taskset -c 1 .venv/bin/python benchmarks/mrz_text.py [--count 20000] [--rounds 7] [--misread]
Each parser gets the same distinct, valid TD3 MRZs. Rounds alternate between the parsers, so a
busy neighbour slows all three alike, and each is timed in this thread's CPU time; the best round
of each is reported, with the ratios. With --misread, one digit of each birth date that has a
look-alike letter is read as that letter (O for 0, G for 6 ...), which MIDAS repairs.
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
from scanners.mrz.repair import DIGIT_TO_LETTER

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STATES = ["FRA", "DEU", "NGA", "IRN", "COL", "JPN", "GBR", "UTO"]


def make_mrzs(count: int, seed: int = 7, misread: bool = False) -> list[str]:
    """Return `count` distinct valid TD3 MRZs as two-line text, a birth-date digit misread."""
    rnd = random.Random(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < count:
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
        lines = render("TD3", fields)
        if misread:
            # Birth date: line 2, columns 14-19; a digit with no look-alike letter stays.
            spots = [col for col in range(13, 19) if lines[1][col] in DIGIT_TO_LETTER]
            if spots:
                col = rnd.choice(spots)
                letter = DIGIT_TO_LETTER[lines[1][col]]
                lines[1] = lines[1][:col] + letter + lines[1][col + 1 :]
        text = "\n".join(lines)
        if text not in seen:  # distinct, so that no parser can profit from a cache
            seen.add(text)
            out.append(text)
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


def cpu_rate(parse: Callable[[str], bool], texts: list[str]) -> tuple[float, float]:
    """Return parses per second of one pass over `texts`, in CPU time and in wall time."""
    cpu, wall = time.thread_time(), time.perf_counter()
    for text in texts:
        parse(text)
    return len(texts) / (time.thread_time() - cpu), len(texts) / (time.perf_counter() - wall)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--misread", action="store_true", help="misread one birth-date digit")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    texts = make_mrzs(args.count, misread=args.misread)
    parsers = {
        "midas parse_mrz": midas_parser(),
        "mrz TD3CodeChecker": mrz_package_parser(),
        "passporteye MRZ": passporteye_parser(),
    }
    valid = {name: sum(parse(t) for t in texts) for name, parse in parsers.items()}  # warm-up too
    cpu: dict[str, list[float]] = {name: [] for name in parsers}
    wall: dict[str, list[float]] = {name: [] for name in parsers}
    names = list(parsers)
    for round_ in range(args.rounds):
        for name in (
            names[round_ % 3 :] + names[: round_ % 3]
        ):  # a different parser leads each round
            on_cpu, on_wall = cpu_rate(parsers[name], texts)
            cpu[name].append(on_cpu)
            wall[name].append(on_wall)
    kind = "TD3 MRZs with a misread birth-date digit" if args.misread else "TD3 MRZs"
    print(f"{len(texts):,} distinct {kind}, {args.rounds} rounds, best round of each")
    print(f"{'':22s} {'CPU parses/s':>13s} {'wall parses/s':>14s} {'median CPU':>11s}  valid")
    for name in names:
        print(
            f"{name:22s} {max(cpu[name]):>13,.0f} {max(wall[name]):>14,.0f}"
            f" {statistics.median(cpu[name]):>11,.0f}  {valid[name]}/{len(texts)}"
        )
    ours = max(cpu["midas parse_mrz"])
    for name in names[1:]:
        print(f"ratio midas / {name} (CPU): {ours / max(cpu[name]):.2f}x")


if __name__ == "__main__":
    main()
