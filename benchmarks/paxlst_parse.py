"""PAXLST parsing time on one core: a manifest of 10,000 passengers written, then read.

Run: taskset -c 1 .venv/bin/python benchmarks/paxlst_parse.py [--count 10000] [--rounds 7]
The manifest comes from `paxlst.write` (every passenger with sex, birth date, nationality,
booking reference, passport with expiry and issuing state; a few names with released
apostrophes); it is parsed `--rounds` times from bytes to typed manifests, each round timed in
this thread's CPU time and in wall time; the median and best of each are printed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import date, datetime, timedelta

from paxlst.interchange import read_interchange
from paxlst.manifest import read_manifests
from paxlst.models import Flight, Traveller
from paxlst.write import write_paxlst

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STATES = ["FRA", "DEU", "NGA", "IRN", "COL", "JPN", "GBR", "UTO", "IRL"]
TODAY = date(2026, 1, 15)


def make_passengers(count: int, seed: int = 20) -> list[Traveller]:
    """Return `count` passengers; one in fifty has an apostrophe that must be released."""
    rnd = random.Random(seed)

    def word(n: int) -> str:
        return "".join(rnd.choice(LETTERS) for _ in range(n))

    return [
        Traveller(
            role="passenger",
            surname=("O'" if i % 50 == 0 else "") + word(rnd.randint(3, 10)),
            given_names=f"{word(rnd.randint(3, 8))} {word(rnd.randint(3, 8))}",
            sex=rnd.choice(["M", "F"]),
            birth_date=date(1940, 1, 1) + timedelta(days=rnd.randint(0, 30000)),
            nationality=rnd.choice(STATES),
            document_type="P",
            document_number=word(2) + "".join(rnd.choice("0123456789") for _ in range(7)),
            document_issuing_state=rnd.choice(STATES),
            document_expiry=date(2027, 1, 1) + timedelta(days=rnd.randint(0, 3000)),
            booking_reference=word(6),
        )
        for i in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--per-message", type=int, default=None, help="split into parts")
    args = parser.parse_args()
    flight = Flight("ZZ", "123", "SYD", datetime(2026, 1, 16, 9), "HNL", datetime(2026, 1, 16, 22))
    passengers = make_passengers(args.count)
    data = write_paxlst(flight, passengers, line_breaks=True, per_message=args.per_message)
    raw = data.encode("ascii")
    segments = raw.count(b"'") - 1  # the UNA's own terminator is no segment end
    manifests = read_manifests(raw, TODAY)
    read = sum(len(m.travellers) for m in manifests)
    assert read == args.count and all(not m.problems for m in manifests), "round trip failed"
    cpu: list[float] = []
    wall: list[float] = []
    tokenize: list[float] = []
    for _ in range(args.rounds):
        start_cpu, start_wall = time.thread_time(), time.perf_counter()
        read_manifests(raw, TODAY)
        cpu.append(time.thread_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
        start_cpu = time.thread_time()
        read_interchange(raw)
        tokenize.append(time.thread_time() - start_cpu)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{args.count} passengers, {len(raw) / 1e6:.2f} MB, {segments} segments, load {load:.1f}")
    print(
        f"read_manifests  CPU median {statistics.median(cpu) * 1000:.0f} ms "
        f"(best {min(cpu) * 1000:.0f}), wall median {statistics.median(wall) * 1000:.0f} ms; "
        f"{args.count / statistics.median(cpu):,.0f} passengers/s"
    )
    print(
        f"read_interchange (syntax and envelope alone) CPU median "
        f"{statistics.median(tokenize) * 1000:.0f} ms (best {min(tokenize) * 1000:.0f})"
    )


if __name__ == "__main__":
    main()
