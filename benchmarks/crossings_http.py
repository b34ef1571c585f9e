"""Recorded crossings per second over HTTP: MRZ reading + screening + record, under gunicorn.

For each backend (SQLite file, and a throwaway PostgreSQL started the way tests/conftest.py
does), the script creates a database, runs `midas init-db` and `midas demo` (posts, a station
with a known token, officers, the demo lists), starts gunicorn from gunicorn.conf.py on a free
loopback port, and lets several clients POST /api/v1/crossings, each a fresh traveller (a
rendered TD3 MRZ) and client_id. The load generator shares the two cores with the server: by
default a thread per client on blocking sockets (about 0.2 ms of CPU per request), or
`--client asyncio` (keep-alive where the worker offers it; about twice that). Reports requests/s
and p50/p99 latency, and the CPU time the gunicorn processes, the PostgreSQL server and the load
generator itself spent per request (read from /proc and getrusage; steadier than throughput when
other work shares the machine). `machine_pace_ms`, before and after the run, times a fixed
pure-Python loop: on a shared virtual machine it tells a slow hour from slow code.

    .venv/bin/python benchmarks/crossings_http.py --backend both --requests 3000 --clients 8

`--in-process` skips gunicorn and HTTP: the same requests through the Flask test client, reporting
CPU time per request and statements per request (steady on a busy machine when pinned with
`taskset -c 1`); `--profile` adds a cProfile of them.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import http.client
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scanners.mrz.parse import parse_mrz  # noqa: E402
from scanners.mrz.render import MRZFields, render  # noqa: E402
from tests.conftest import PostgresServer, postgres_bindir  # noqa: E402

VENV = ROOT / ".venv" / "bin"
TOKEN = "demo-station-jkia-0123456789abcdef"
OFFICER = "officer1"
SURNAMES = ["SMITH", "MULLER", "ROSSI", "NOVAK", "JANSEN", "SILVA", "TANAKA", "OKAFOR", "CHEN"]
GIVEN = ["ANNA", "JOHN", "MARIA", "DAVID", "AISHA", "PETER", "LINA", "OMAR", "GRACE", "LUCA"]
STATES = ["GBR", "DEU", "USA", "ITA", "FRA", "NLD", "IND", "TZA"]


def machine_speed_ms() -> float:
    """Return the best of five timings (ms) of parsing 300 MRZs: the machine's pace now.

    On a shared virtual machine the same code runs up to twice as slow at some hours as at
    others; this figure (pure Python, like the service), taken before and after each run, tells
    a slow machine from slow code.
    """
    rng = random.Random(5)
    texts = [json.loads(payload(n, rng))["mrz"] for n in range(300)]
    best = float("inf")
    for _ in range(5):
        began = time.perf_counter()
        for text in texts:
            parse_mrz(text)
        best = min(best, time.perf_counter() - began)
    return round(best * 1000, 1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def payload(n: int, rng: random.Random) -> bytes:
    state = rng.choice(STATES)
    fields = MRZFields(
        document_code="P",
        issuing_state=state,
        surname=f"{rng.choice(SURNAMES)}{'' if n % 3 else 'SON'}",
        given_names=rng.choice(GIVEN),
        document_number=f"B{n:08d}",
        nationality=state,
        birth_date=date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28)),
        expiry_date=date(2033, 1, 1),
        sex=rng.choice("FM"),
    )
    body = {
        "client_id": str(uuid.uuid4()),
        "direction": "entry",
        "decision": "admitted",
        "officer": OFFICER,
        "mrz": render("TD3", fields),
        "transport_mode": "air",
        "transport_ref": "KQ101",
        "purpose": "tourism",
    }
    return json.dumps(body).encode()


def request_bytes(port: int, body: bytes) -> bytes:
    """Return one POST /api/v1/crossings as it goes on the wire, built before the clock starts."""
    head = (
        f"POST /api/v1/crossings HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _exchange(
    port: int, requests: list[bytes], latencies: list[float], statuses: list[int]
) -> None:
    """Send requests one after another on one connection, reconnecting when the server closes."""
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    for raw in requests:
        started = time.perf_counter()
        if writer is None:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        assert reader is not None
        writer.write(raw)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        close = False
        for line in head.lower().split(b"\r\n")[1:]:
            if line.startswith(b"content-length:"):
                length = int(line[15:])
            elif line.startswith(b"connection:") and b"close" in line:
                close = True
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        statuses.append(status)
        if close:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def _exchange_blocking(
    port: int, requests: list[bytes], latencies: list[float], statuses: list[int]
) -> None:
    """Send requests one after another, a new connection for each (sync workers close it)."""
    for raw in requests:
        started = time.perf_counter()
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as connection:
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            connection.connect(("127.0.0.1", port))
            connection.sendall(raw)
            received = b""
            while b"\r\n\r\n" not in received:
                chunk = connection.recv(65536)
                if not chunk:
                    raise ConnectionError("the server closed before its headers")
                received += chunk
            head, _, body = received.partition(b"\r\n\r\n")
            length = 0
            for line in head.lower().split(b"\r\n")[1:]:
                if line.startswith(b"content-length:"):
                    length = int(line[15:])
            while len(body) < length:
                chunk = connection.recv(65536)
                if not chunk:
                    raise ConnectionError("the server closed before the end of its body")
                body += chunk
        latencies.append(time.perf_counter() - started)
        statuses.append(int(head.split(b" ", 2)[1]))


def run_clients_threads(
    port: int, bodies: list[bytes], clients: int
) -> tuple[list[float], int, float]:
    """As `run_clients`, with one thread per client on blocking sockets: less CPU per request
    than asyncio streams when every request opens a connection of its own."""
    requests = [request_bytes(port, body) for body in bodies]
    chunks = [requests[i::clients] for i in range(clients)]
    latencies: list[float] = []
    statuses: list[int] = []
    threads = [
        threading.Thread(target=_exchange_blocking, args=(port, chunk, latencies, statuses))
        for chunk in chunks
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    errors = sum(status != 201 for status in statuses) + len(requests) - len(statuses)
    if errors:
        print("unexpected statuses:", sorted(set(statuses) - {201}), file=sys.stderr)
    return latencies, errors, elapsed


def run_clients(port: int, bodies: list[bytes], clients: int) -> tuple[list[float], int, float]:
    """Run `clients` concurrent connections over the bodies; (latencies, errors, seconds).

    The load generator shares the machine with the server, so it is kept cheap: one thread of
    asyncio streams sending prebuilt requests (keep-alive where the server offers it), and
    reading only the status line, headers and body length. Every status is checked.
    """
    requests = [request_bytes(port, body) for body in bodies]
    chunks = [requests[i::clients] for i in range(clients)]
    latencies: list[float] = []
    statuses: list[int] = []

    async def everyone() -> None:
        await asyncio.gather(*(_exchange(port, chunk, latencies, statuses) for chunk in chunks))

    started = time.perf_counter()
    asyncio.run(everyone())
    elapsed = time.perf_counter() - started
    errors = sum(status != 201 for status in statuses)
    if errors:
        print("unexpected statuses:", sorted(set(statuses) - {201}), file=sys.stderr)
    return latencies, errors, elapsed


def process_tree_cpu(root: int) -> float:
    """Return the CPU seconds (user + system) of a process and all its live descendants."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        cpu[pid] = (int(fields[11]) + int(fields[12])) / tick
    total = 0.0
    for pid, seconds in cpu.items():
        walk = pid
        while walk not in (root, 0, 1) and walk in parents:
            walk = parents[walk]
        if walk == root:
            total += seconds
    return total


def own_cpu() -> float:
    """Return the CPU seconds (user + system) this process (the load generator) has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench(
    backend: str, url: str, args: argparse.Namespace, database_pid: int | None = None
) -> dict[str, object]:
    env = {**os.environ, "DATABASE_URL": url, "MIDAS_ENV": "development"}
    for command in (["init-db"], ["demo"]):
        subprocess.run([str(VENV / "midas"), *command], env=env, check=True, capture_output=True)
    port = free_port()
    server_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_THREADS": str(args.threads),
    }
    access: list[str] = []
    if args.access_log == "off":
        server_env["GUNICORN_ACCESSLOG"] = "off"
    elif args.access_log != "config":
        access = ["--access-logfile", args.access_log]
    server = subprocess.Popen(
        [str(VENV / "gunicorn"), "-c", "gunicorn.conf.py", *access,
         "--error-logfile", str(args.error_log), "wsgi:app"],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.time() + 60
        while True:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                probe.request("GET", "/api/v1/health")
                if probe.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError("gunicorn did not answer /api/v1/health within 60 s")
            time.sleep(0.2)
        rng = random.Random(17)
        warmup = [payload(n, rng) for n in range(args.clients * 10)]
        drive = run_clients_threads if args.client == "threads" else run_clients
        drive(port, warmup, args.clients)  # every worker builds its indexes
        bodies = [payload(10_000 + n, rng) for n in range(args.requests)]
        pace_before = machine_speed_ms()
        app_cpu = process_tree_cpu(server.pid)
        database_cpu = process_tree_cpu(database_pid) if database_pid else 0.0
        client_cpu = own_cpu()
        latencies, errors, elapsed = drive(port, bodies, args.clients)
        client_cpu = own_cpu() - client_cpu
        app_cpu = process_tree_cpu(server.pid) - app_cpu
        if database_pid:
            database_cpu = process_tree_cpu(database_pid) - database_cpu
        pace_after = machine_speed_ms()
    finally:
        server.terminate()
        server.wait(timeout=30)
    result: dict[str, object] = {
        "backend": backend,
        "durable": args.durable,
        "requests": len(latencies),
        "errors": errors,
        "clients": args.clients,
        "client": args.client,
        "workers": args.workers,
        "threads": args.threads,
        "access_log": args.access_log,
        "seconds": round(elapsed, 2),
        "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1),
        "app_cpu_ms_per_request": round(app_cpu / len(latencies) * 1000, 2),
        "database_cpu_ms_per_request": round(database_cpu / len(latencies) * 1000, 2),
        "client_cpu_ms_per_request": round(client_cpu / len(latencies) * 1000, 2),
        "load_average": round(os.getloadavg()[0], 1),
        "machine_pace_ms": [pace_before, pace_after],
    }
    print(json.dumps(result), flush=True)
    return result


def in_process(
    backend: str, url: str, args: argparse.Namespace, database_pid: int | None = None
) -> dict[str, object]:
    """Time POSTs through the Flask test client in this process: CPU per request, no HTTP.

    Steadier than throughput on a shared machine (pin it with taskset); with --profile, the
    cProfile of the timed requests (CPU time) is written beside the error log.
    """
    env = {**os.environ, "DATABASE_URL": url, "MIDAS_ENV": "development"}
    for command in (["init-db"], ["demo"]):
        subprocess.run([str(VENV / "midas"), *command], env=env, check=True, capture_output=True)
    os.environ.update(DATABASE_URL=url, MIDAS_ENV="development")
    from sqlalchemy import event

    from midas import create_app
    from midas.persistence.database import database

    app = create_app()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    rng = random.Random(17)

    def post(body: bytes) -> None:
        response = client.post("/api/v1/crossings", data=body, headers=headers)
        if response.status_code != 201:
            raise RuntimeError(f"{response.status_code}: {response.get_data(as_text=True)}")

    for n in range(50):  # indexes built, statements prepared
        post(payload(n, rng))
    seen: list[str] = []
    engine = database(app).engine

    def count(connection: object, cursor: object, statement: str, *rest: object) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(engine, "before_cursor_execute", count)
    post(payload(99_999, rng))
    event.remove(engine, "before_cursor_execute", count)
    bodies = [payload(10_000 + n, rng) for n in range(args.requests)]
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    pace_before = machine_speed_ms()
    rounds: list[float] = []
    for start in range(0, len(bodies), 100):
        chunk = bodies[start : start + 100]
        began = time.process_time()
        if profiler is not None:
            profiler.enable()
        for body in chunk:
            post(body)
        if profiler is not None:
            profiler.disable()
        rounds.append((time.process_time() - began) / len(chunk) * 1000)
    if profiler is not None:
        profiler.dump_stats(args.error_log.with_suffix(".prof"))
    result: dict[str, object] = {
        "backend": backend,
        "mode": "in-process",
        "requests": len(bodies),
        "statements_per_request": len([s for s in seen if s not in ("BEGIN", "COMMIT")]),
        "cpu_ms_per_request_min": round(min(rounds), 2),
        "cpu_ms_per_request_median": round(statistics.median(rounds), 2),
        "load_average": round(os.getloadavg()[0], 1),
        "machine_pace_ms": [pace_before, machine_speed_ms()],
    }
    print(json.dumps(result), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--requests", type=int, default=3000, help="timed requests (bounded)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent keep-alive clients")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument(
        "--access-log",
        default="/dev/null",
        help="gunicorn access log: a path, 'off', or 'config' (gunicorn.conf.py's: stdout)",
    )
    parser.add_argument(
        "--error-log", type=Path, default=Path(tempfile.gettempdir()) / "midas-bench-errors.log"
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="no gunicorn: CPU per request through the Flask test client, in rounds of 100",
    )
    parser.add_argument("--profile", action="store_true", help="with --in-process: cProfile")
    parser.add_argument(
        "--client",
        choices=["threads", "asyncio"],
        default="threads",
        help="load generator: a thread per client on blocking sockets, or asyncio streams",
    )
    parser.add_argument(
        "--durable",
        action="store_true",
        help="PostgreSQL with fsync, synchronous commit and full-page writes on (as in production)",
    )
    args = parser.parse_args()
    run = in_process if args.in_process else bench
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        if backend == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="midas-bench-"))
            try:
                run(backend, f"sqlite:///{folder / 'midas.sqlite3'}", args)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            continue
        bindir = postgres_bindir()
        if bindir is None:
            print("no PostgreSQL binaries: skipped", file=sys.stderr)
            continue
        server = PostgresServer(bindir)
        server.start(durable=args.durable)
        try:
            server.execute('CREATE DATABASE "bench"')
            postmaster = int((server.data / "postmaster.pid").read_text().split()[0])
            run(backend, server.url("bench"), args, postmaster)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
