"""Supervisor search and traveller history on a large movement log (PostgreSQL, bulk COPY).

Starts a throwaway PostgreSQL (tests/conftest.py's PostgresServer), migrates it, and COPYs
`10M x --scale` crossings of `crossings / 5` travellers (one passport each, name search keys
as the crossing service writes them), then VACUUM ANALYZE. It times `search_crossings` (fuzzy
misspelt name; document number; nationality + a month; post + direction + a week) and
`traveller_history` as an admin (every post), and prints p50/p95 per query in milliseconds.

    .venv/bin/python benchmarks/search_scale.py --scale 0.05   # 500 000 crossings
    .venv/bin/python benchmarks/search_scale.py                 # 10 000 000 crossings
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from midas.auth import Actor  # noqa: E402
from midas.domain.pseudonyms import Pseudonyms  # noqa: E402
from midas.domain.search import CrossingQuery, search_crossings  # noqa: E402
from midas.domain.travellers import search_keys, traveller_history  # noqa: E402
from midas.persistence.database import create_database  # noqa: E402
from midas.persistence.models import Direction, Role  # noqa: E402
from midas.persistence.schema import upgrade  # noqa: E402
from tests.conftest import PostgresServer, postgres_bindir  # noqa: E402

# The audit event of each search names what it searched for by these (midas.domain.pseudonyms).
PSEUDONYMS = Pseudonyms(b"benchmark key")

FULL = 10_000_000
SURNAMES = [f"{a}{b}" for a in ("SMIT", "MULL", "ROSS", "NOVA", "JANS", "SILV", "TANA", "OKAF",
            "CHEN", "PATE", "GARC", "IVAN", "HANS", "KOWA", "MENS", "ABEB") for b in
            ("H", "ER", "I", "K", "SEN", "A", "KA", "OR", "G", "L", "IA", "OV", "EN", "SKI", "AH",
             "E", "ERS", "AS", "IN", "ON")]  # fmt: skip
GIVEN = [
    "ANNA",
    "JOHN",
    "MARIA",
    "DAVID",
    "AISHA",
    "PETER",
    "LINA",
    "OMAR",
    "GRACE",
    "LUCA",
    "SOFIA",
    "AHMED",
    "MEI",
    "HIRO",
    "KOFI",
    "EMMA",
    "JAMES",
    "FATUMA",
    "CHLOE",
    "MATEO",
]
STATES = ["GBR", "DEU", "USA", "ITA", "FRA", "NLD", "IND", "TZA", "UGA", "CHN", "KEN", "ZAF"]
START = datetime(2024, 1, 1, tzinfo=UTC)
SPAN_DAYS = 3 * 365


def populate(url: str, dsn: dict[str, str], crossings: int) -> None:
    rng = random.Random(9303)
    travellers = max(1, crossings // 5)
    with psycopg.connect(**dsn) as connection, connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO posts (id, code, name, kind, country, timezone, active, created_at) VALUES"
            " (1, 'JKIA', 'Airport', 'air', 'KEN', 'Africa/Nairobi', true, now()),"
            " (2, 'NMG', 'Land', 'land', 'KEN', 'Africa/Nairobi', true, now()),"
            " (3, 'MBA', 'Port', 'sea', 'KEN', 'Africa/Nairobi', true, now())"
        )
        cursor.execute(
            "INSERT INTO users (id, username, full_name, role, password_hash, post_id, all_posts,"
            " active, must_change_password, created_at, password_changed_at) VALUES"
            " (1, 'officer', 'Officer', 'officer', 'x', 1, false, true, false, now(), now())"
        )
        started = time.perf_counter()
        names: list[tuple[str, str, str]] = []
        with cursor.copy(
            "COPY travellers (id, surname, given_names, name_key, sex, birth_date, birth_year,"
            " nationality, created_at) FROM STDIN"
        ) as copy:
            for t in range(1, travellers + 1):
                surname, given, state = rng.choice(SURNAMES), rng.choice(GIVEN), rng.choice(STATES)
                born = date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
                names.append((surname, given, state))
                key = f"{surname} {given}".lower()
                sex = rng.choice("FM")
                copy.write_row((t, surname, given, key, sex, born, born.year, state, START))
        with cursor.copy("COPY traveller_name_keys (key, traveller_id) FROM STDIN") as copy:
            for t, (surname, given, _) in enumerate(names, start=1):
                for key in search_keys(f"{surname} {given}"):
                    copy.write_row((key, t))
        with cursor.copy(
            "COPY travel_documents (id, traveller_id, document_type, issuing_state, number,"
            " expiry_date, created_at) FROM STDIN"
        ) as copy:
            for t, (_, _, state) in enumerate(names, start=1):
                copy.write_row((t, t, "P", state, f"N{t:09d}", date(2033, 1, 1), START))
        with cursor.copy(
            "COPY crossings (id, client_id, post_id, officer_id, traveller_id, document_id,"
            " direction, occurred_at, recorded_at, transport_mode, decision, document_valid,"
            " document_expired, traveller_sex, traveller_age, traveller_nationality, is_minor)"
            " FROM STDIN"
        ) as copy:
            for c in range(1, crossings + 1):
                t = rng.randint(1, travellers)
                at = START + timedelta(seconds=rng.randrange(SPAN_DAYS * 86400))
                direction = "entry" if c % 2 else "exit"
                copy.write_row(
                    (c, f"00000000-0000-4000-8000-{c:012d}", rng.randint(1, 3), 1, t, t,
                     direction, at, at, "air", "admitted", True, False, rng.choice("FM"),
                     rng.randint(0, 90), names[t - 1][2], False)
                )  # fmt: skip
        for table in ("travellers", "travel_documents", "crossings", "posts", "users"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT max(id) FROM {table}))"
            )
        connection.commit()
        connection.autocommit = True
        # Autovacuum keeps a live log's visibility map current (index-only counts need it); a
        # table COPYed a moment ago has none yet, so vacuum once as autovacuum would have.
        cursor.execute("VACUUM ANALYZE")
        print(f"loaded {crossings} crossings in {time.perf_counter() - started:.0f} s", flush=True)


def timed(repeat: int, run: Callable[[int], object]) -> dict[str, float]:
    """Time a first (cold cache) run apart, then `repeat` warm runs for p50 and p95."""
    started = time.perf_counter()
    run(-1)
    cold = time.perf_counter() - started
    seconds = []
    for i in range(repeat):
        started = time.perf_counter()
        run(i)
        seconds.append(time.perf_counter() - started)
    seconds.sort()
    return {
        "first_ms": round(cold * 1000, 1),
        "p50_ms": round(statistics.median(seconds) * 1000, 1),
        "p95_ms": round(seconds[min(len(seconds) - 1, int(0.95 * len(seconds)))] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of 10 million")
    parser.add_argument("--repeat", type=int, default=40, help="runs per query")
    args = parser.parse_args()
    bindir = postgres_bindir()
    if bindir is None:
        sys.exit("no PostgreSQL binaries (initdb, pg_ctl) found")
    server = PostgresServer(bindir)
    server.start()
    try:
        server.execute('CREATE DATABASE "scale"')
        url = server.url("scale")
        db = create_database(url)
        upgrade(db.engine)
        crossings = int(FULL * args.scale)
        dsn = {"host": str(server.socket_dir), "user": "postgres", "dbname": "scale"}
        populate(url, dsn, crossings)
        admin = Actor("user", 1, "admin", Role.ADMIN, 1, None, None, "127.0.0.1")
        rng = random.Random(5)
        travellers = max(1, crossings // 5)
        month = datetime(2025, 3, 1, tzinfo=UTC)

        def search(query: CrossingQuery) -> Callable[[int], object]:
            def run(_: int) -> object:
                with db.sessions() as session, session.begin():
                    return search_crossings(session, admin, query, pseudonyms=PSEUDONYMS)

            return run

        def history(_: int) -> object:
            with db.sessions() as session, session.begin():
                return traveller_history(session, admin, rng.randint(1, travellers))

        misspelt = f"{SURNAMES[7][:-1]}{SURNAMES[7][-1].lower()}X {GIVEN[3]}"
        queries = {
            "name (misspelt)": search(CrossingQuery(name=misspelt)),
            "document number": search(CrossingQuery(document_number=f"N{travellers // 2:09d}")),
            "nationality + month": search(
                CrossingQuery(nationality="DEU", from_=month, to=month + timedelta(days=31))
            ),
            "post + direction + week": search(
                CrossingQuery(
                    post="NMG",
                    direction=Direction.ENTRY,
                    from_=month,
                    to=month + timedelta(days=7),
                )
            ),
            "traveller history": history,
        }
        for label, run in queries.items():
            result = {"query": label, "crossings": crossings, **timed(args.repeat, run)}
            print(json.dumps(result), flush=True)
        db.dispose()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
