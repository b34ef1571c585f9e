"""A list from headquarters to a post: the bundle's size and the time to make and apply it, for
a whole list and for a day's changes (a delta on the version the post holds).

Run: taskset -c 1 .venv/bin/python benchmarks/sync_lists.py [--persons 12000]
Headquarters and the post each run on a throwaway SQLite database; the list is synthetic
persons (name, birth date, nationality), as a CSV load makes them; a day's changes are 20
entries changed, 20 added and 10 removed (OFAC publishes a few dozen a day). Times are wall and
CPU time of this process.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from pathlib import Path

from midas import create_app
from midas.domain.lists import load_watchlist
from midas.domain.nodes import Node, enroll_peer, init_node
from midas.domain.sync_exchange import next_bundles, take_ack, take_bundle
from midas.persistence.database import database
from midas.persistence.models import Post, PostKind
from midas.persistence.schema import upgrade
from watchlists.models import ListKind

FIRST = ["Ivan", "Chen", "Olga", "Ahmed", "Maria", "John", "Amina", "Kofi"]
LAST = ["Petrov", "Wei", "Ivanova", "Hassan", "Gonzalez", "Smith", "Okafor", "Mensah"]


def node(folder: Path, code: str, role: str) -> tuple[object, Node]:
    app = create_app({"DATABASE_URL": f"sqlite:///{folder}/{code}.db", "NODE_ROLE": role,
                      "NODE_CODE": code})  # fmt: skip
    upgrade(database(app).engine)
    with database(app).sessions.begin() as session:
        session.add(Post(code="NBO", name="NBO", kind=PostKind.LAND, country="KEN",
                         timezone="UTC"))  # fmt: skip
    return app, Node(role, "hq" if role == "hq" else code, folder / f"{code}.key")


def write(path: Path, people: dict[str, str]) -> Path:
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["entry_id", "name", "aliases", "birth_date", "nationalities", "sex"])
        out.writerows([key, name, "", "1970-01-01", "IRQ", "M"] for key, name in people.items())
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=12_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    hq, hq_node = node(folder, "hq", "hq")
    post, post_node = node(folder, "NBO", "post")
    hq_key, post_key = init_node(hq_node.key_path), init_node(post_node.key_path)
    with database(hq).sessions.begin() as session:
        enroll_peer(session, "cli:bench", "NBO", "post", post_key.pem())
    with database(post).sessions.begin() as session:
        enroll_peer(session, "cli:bench", "hq", "hq", hq_key.pem())
    draw = random.Random(1)
    people = {f"p{i}": f"{draw.choice(FIRST)} {draw.choice(LAST)} {i}" for i in range(args.persons)}

    def load(people: dict[str, str], name: str) -> None:
        path = write(folder / name, people)
        report = load_watchlist(
            database(hq).sessions, "ofac", ListKind.PERSON, "csv", path, "bench",
            allow_removals=True,
        )  # fmt: skip
        assert report.ok, report.failure

    def carry(label: str) -> None:
        started, cpu = time.perf_counter(), time.process_time()
        with database(hq).sessions.begin() as session:
            (data,) = next_bundles(session, hq_node, "NBO")
        made, made_cpu = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        with database(post).sessions.begin() as session:
            taken = take_bundle(session, post_node, data)
        took, took_cpu = time.perf_counter() - started, time.process_time() - cpu
        with database(hq).sessions.begin() as session:
            take_ack(session, hq_node, taken.ack)
        size = f"{len(data) / 1024:.1f} KiB, {taken.stored} records"
        print(
            f"{label}: {size}; made in {made:.2f} s ({made_cpu:.2f} s CPU), "
            f"applied in {took:.2f} s ({took_cpu:.2f} s CPU)"
        )

    load(people, "v1.csv")
    carry(f"whole list of {args.persons} persons")
    for key in draw.sample(sorted(people), 20):
        people[key] += " Jr"
    for key in draw.sample(sorted(people), 10):
        del people[key]
    people.update({f"n{i}": f"New Person {i}" for i in range(20)})
    load(people, "v2.csv")
    carry("a day's changes (20 changed, 20 added, 10 removed)")


if __name__ == "__main__":
    main()
