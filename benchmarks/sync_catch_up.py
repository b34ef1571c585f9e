"""A post's catch-up after an outage: its crossings bundled, taken at headquarters, acknowledged.

Run: taskset -c 1 .venv/bin/python benchmarks/sync_catch_up.py [--crossings 2000] [--hq postgresql]
A post on SQLite records `--crossings` crossings of as many travellers (record_crossing, no
lists loaded), offline; then the post bundles them, headquarters (SQLite, or a throwaway
PostgreSQL started as the test suite starts one, durable as in production) takes every bundle,
linking each traveller as a desk does, and the post takes the acknowledgements. Prints the time
of each step and the crossings per second headquarters takes; a 30-day outage at 5,000
crossings a day is 150,000 crossings.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from midas import create_app  # noqa: E402
from midas.domain.actors import user_actor  # noqa: E402
from midas.domain.crossings import record_crossing  # noqa: E402
from midas.domain.nodes import Node, enroll_peer, init_node  # noqa: E402
from midas.domain.sync_exchange import next_bundles, take_ack, take_bundle  # noqa: E402
from midas.persistence.database import database  # noqa: E402
from midas.persistence.models import Post, PostKind, Role, User  # noqa: E402
from midas.persistence.schema import upgrade  # noqa: E402
from tests.conftest import PostgresServer, postgres_bindir  # noqa: E402
from tests.midas.crossing_builders import NOW, mrz, screener_for, submission  # noqa: E402

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--crossings", type=int, default=2000)
    parser.add_argument("--hq", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    urls = {code: f"sqlite:///{folder}/{code}.db" for code in ("hq", "NBO")}
    server = None
    if args.hq == "postgresql":
        bindir = postgres_bindir()
        if bindir is None:
            raise SystemExit("no PostgreSQL binaries (initdb, pg_ctl): install postgresql")
        server = PostgresServer(bindir)
        server.start(durable=True)
        server.execute('CREATE DATABASE "hq"')
        urls["hq"] = server.url("hq")
    try:
        run(args.crossings, folder, urls)
    finally:
        if server is not None:
            server.stop()


def run(crossings: int, folder: Path, urls: dict[str, str]) -> None:
    """Record offline at the post, bundle, take at headquarters, acknowledge; print timings."""
    apps, nodes = {}, {}
    for code, role in (("hq", "hq"), ("NBO", "post")):
        apps[code] = create_app({"DATABASE_URL": urls[code],
                                 "NODE_ROLE": role, "NODE_CODE": code})  # fmt: skip
        upgrade(database(apps[code]).engine)
        nodes[code] = Node(role, code, folder / f"{code}.key")
        with database(apps[code]).sessions.begin() as session:
            session.add(Post(code="NBO", name="NBO", kind=PostKind.LAND, country="KEN",
                             timezone="UTC"))  # fmt: skip
    keys = {code: init_node(node.key_path) for code, node in nodes.items()}
    with database(apps["hq"]).sessions.begin() as session:
        enroll_peer(session, "cli:bench", "NBO", "post", keys["NBO"].pem())
    post, hq = database(apps["NBO"]).sessions, database(apps["hq"]).sessions
    with post.begin() as session:
        enroll_peer(session, "cli:bench", "hq", "hq", keys["hq"].pem())
        officer = User(username="officer", full_name="Officer", role=Role.OFFICER,
                       password_hash="x", post=session.query(Post).one())  # fmt: skip
        session.add(officer)
    screener = screener_for(apps["NBO"])
    draw = random.Random(18)
    started = time.perf_counter()
    with post() as session:
        actor = user_actor(session.query(User).one())
        session.commit()
        for number in range(crossings):
            surname = "".join(draw.choice(LETTERS) for _ in range(7))
            lines = mrz(surname, "ANA", f"X{number:07d}", nationality="KEN")
            moment = NOW - timedelta(days=30) + timedelta(minutes=number)
            with session.begin():
                record_crossing(session, actor, submission(mrz=lines, occurred_at=moment),
                                screener, now=moment)  # fmt: skip
    recorded = time.perf_counter() - started
    started = time.perf_counter()
    with post.begin() as session:
        bundles = next_bundles(session, nodes["NBO"])
    made = time.perf_counter() - started
    started = time.perf_counter()
    acks = []
    for data in bundles:
        with hq.begin() as session:
            acks.append(take_bundle(session, nodes["hq"], data).ack)
    taken = time.perf_counter() - started
    with post.begin() as session:
        for ack in acks:
            take_ack(session, nodes["NBO"], ack)
    size = sum(len(data) for data in bundles) / 1024 / 1024
    rate = crossings / taken
    print(f"headquarters on {database(apps['hq']).engine.dialect.name}")
    print(f"{crossings} crossings recorded offline in {recorded:.1f} s")
    print(f"bundled: {len(bundles)} bundle(s), {size:.1f} MB, in {made:.1f} s")
    print(f"taken at headquarters in {taken:.1f} s: {rate:.0f} crossings/s")
    print(f"a 30-day outage of 150,000 crossings: about {150_000 / rate / 60:.1f} min to take")


if __name__ == "__main__":
    main()
