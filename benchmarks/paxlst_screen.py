"""Parse and screen a flight manifest of 10,000 passengers against the real lists, one core.

Run: taskset -c 1 .venv/bin/python benchmarks/paxlst_screen.py [--count 10000] [--rounds 3]

Passengers carry names of twenty cultures (the innocents of the screening benchmarks). A
throwaway SQLite service loads OFAC (watchman-bench-2021), the UN consolidated list and the
OpenSanctions sample from ../shared/data (skipped with a message when absent), builds their
indexes as a service process does, then reads the manifest (`paxlst.manifest.read_manifests`)
and screens every passenger as `midas paxlst load` does (`midas.domain.manifests.
screen_manifest`: person and document), each round timed in CPU time; the median is printed.
Compared in the same run with screening alone, so the parse's share shows.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from innocent_travellers import travellers as innocent_travellers  # noqa: E402
from paxlst_parse import TODAY, make_passengers  # noqa: E402

from midas import create_app  # noqa: E402
from midas.domain.lists import load_watchlist  # noqa: E402
from midas.domain.manifests import screen_manifest  # noqa: E402
from midas.domain.screening import built_screener  # noqa: E402
from midas.domain.screening_indexes import screening_config  # noqa: E402
from midas.persistence.database import database  # noqa: E402
from midas.persistence.schema import upgrade  # noqa: E402
from paxlst.manifest import read_manifests  # noqa: E402
from paxlst.models import Flight  # noqa: E402
from paxlst.write import write_paxlst  # noqa: E402
from watchlists.models import ListKind  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "watchlists"
LISTS = [
    ("ofac", "ofac_csv", DATA / "ofac_sdn" / "watchman-bench-2021"),
    ("un", "un_xml", DATA / "un_sc" / "consolidated.xml"),
    ("opensanctions", "ftm", DATA / "opensanctions_ftm" / "zala.entities.ftm.json"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    missing = [str(path) for _, _, path in LISTS if not path.exists()]
    if missing:
        print(f"skipped: the real lists are not in ../shared/data ({', '.join(missing)})")
        return
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        app = create_app({"DATABASE_URL": url, "ENV": "testing", "TESTING": True})
        upgrade(database(app).engine)
        started = time.perf_counter()
        for name, fmt, path in LISTS:
            report = load_watchlist(
                database(app).sessions, name, ListKind.PERSON, fmt, path, "bench", progress=False
            )
            assert report.ok, report.failure
        with app.app_context():
            indexes = built_screener(app).indexes()
        with database(app).sessions() as session:
            entries = session.scalar(text("SELECT count(*) FROM watchlist_entries"))
        print(
            f"lists loaded and indexed in {time.perf_counter() - started:.1f} s: "
            f"{entries} entries, versions {indexes.versions()}"
        )
        config = screening_config(app.config)
        flight = Flight("ZZ", "123", "SYD", None, "NBO", None)
        # Names as twenty cultures' passports write them (benchmarks/innocent_travellers.py), so
        # screening meets the candidates real names meet; the rest of each record as in
        # paxlst_parse.py.
        names, _ = innocent_travellers(args.count, seed=2026, excluded=lambda text: False)
        passengers = [
            replace(p, surname=n.surname, given_names=n.given)
            for p, n in zip(make_passengers(args.count), names, strict=True)
        ]
        message = write_paxlst(flight, passengers)
        whole, screen_only = [], []
        for _ in range(args.rounds):
            begin = time.process_time()
            manifests = read_manifests(message, TODAY)
            parsed = time.process_time()
            results = [t for m in manifests for t in screen_manifest(m, indexes, config)]
            done = time.process_time()
            assert len(results) == args.count
            hits = sum(len(t.hits) for t in results)
            whole.append(done - begin)
            screen_only.append(done - parsed)
        print(
            f"{args.count} passengers: parse and screen {statistics.median(whole):.2f} s CPU "
            f"(median of {args.rounds}); screening alone {statistics.median(screen_only):.2f} s; "
            f"per passenger {1000 * statistics.median(whole) / args.count:.2f} ms; "
            f"{hits} hits (innocent names: each is a false alert)"
        )
        database(app).dispose()


if __name__ == "__main__":
    main()
