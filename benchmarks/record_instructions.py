"""Machine instructions per recorded crossing, counted by valgrind's callgrind.

On a shared machine throughput and CPU time swing with the neighbours; the number of
instructions a request executes does not. This script starts a throwaway PostgreSQL (as
tests/conftest.py does) or a SQLite file, runs `midas init-db` and `midas demo`, then, in a
child process under callgrind, posts warm-up crossings through the Flask test client, zeroes
the counters, posts `--requests` more (each a first-time traveller, as in crossings_http.py) and
reads the counters again. The figure includes the test client's own work (werkzeug building
each request), not gunicorn's. PostgreSQL's own work is not counted (another process).

    .venv/bin/python benchmarks/record_instructions.py --backend postgresql --requests 100

`--root PATH` measures another checkout (say a `git worktree` of an older commit) with this
checkout's virtual environment: an A/B of two versions of the code on the same counter.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"


def child(root: Path, warmup: int, requests: int) -> None:
    """Post the crossings; callgrind_control dumps the counters around the measured part."""
    sys.path[:0] = [str(root), str(root / "benchmarks")]
    import crossings_http as bench

    from midas import create_app

    app = create_app()
    try:
        from midas.domain.screening import built_screener
    except ImportError:  # an older checkout builds its indexes inside the first request
        pass
    else:  # as gunicorn's master does before forking: a request never builds an index
        built_screener(app)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {bench.TOKEN}", "Content-Type": "application/json"}
    rng = random.Random(17)

    def post(body: bytes) -> None:
        response = client.post("/api/v1/crossings", data=body, headers=headers)
        if response.status_code != 201:
            raise RuntimeError(f"{response.status_code}: {response.get_data(as_text=True)}")

    for n in range(warmup):
        post(bench.payload(n, rng))
    bodies = [bench.payload(10_000 + n, rng) for n in range(requests)]
    dump = ["callgrind_control", "--dump", str(os.getpid())]
    subprocess.run(dump, check=True, capture_output=True)
    for body in bodies:
        post(body)
    subprocess.run(dump, check=True, capture_output=True)


def measure(root: Path, url: str, warmup: int, requests: int) -> int:
    """Return the instructions the child executed over the measured requests."""
    env = {**os.environ, "DATABASE_URL": url, "MIDAS_ENV": "development"}
    for command in (["init-db"], ["demo"]):
        subprocess.run([str(VENV / "midas"), *command], env=env, check=True, capture_output=True)
    with tempfile.TemporaryDirectory(prefix="midas-callgrind-") as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
             str(VENV / "python"), __file__, "--child", "--root", str(root),
             "--warmup", str(warmup), "--requests", str(requests)],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        # Dump 1: start-up and warm-up; dump 2: the measured requests; the rest: shutdown.
        second = next(Path(folder).glob("callgrind.out.2"))
        for line in second.read_text().splitlines():
            if line.startswith("summary:"):
                return int(line.split()[1])
    raise RuntimeError("callgrind wrote no summary for the measured requests")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=60)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose code runs")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.root.resolve(), args.warmup, args.requests)
        return
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        sys.exit("valgrind (with callgrind_control) is not installed: apt-get install valgrind")
    sys.path.insert(0, str(ROOT))
    from tests.conftest import PostgresServer, postgres_bindir

    if args.backend == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="midas-bench-"))
        try:
            total = measure(args.root, f"sqlite:///{folder / 'midas.sqlite3'}", args.warmup,
                            args.requests)  # fmt: skip
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    else:
        bindir = postgres_bindir()
        if bindir is None:
            sys.exit("no PostgreSQL binaries: install postgresql")
        server = PostgresServer(bindir)
        server.start()
        try:
            server.execute('CREATE DATABASE "bench"')
            total = measure(args.root, server.url("bench"), args.warmup, args.requests)
        finally:
            server.stop()
    result = {
        "backend": args.backend,
        "root": str(args.root),
        "requests": args.requests,
        "instructions_per_request_millions": round(total / args.requests / 1e6, 3),
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
