"""The network demo: headquarters and two posts on one machine, each a gunicorn on loopback,
enrolled both ways and synced once, so each post holds headquarters' lists and people."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from midas.persistence.database import database
from midas.persistence.models import Watchlist
from tests.midas.auth_builders import make_app

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.slow


def free_ports(count: int) -> int:
    """Return the first of `count` consecutive loopback ports that are free now."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = int(probe.getsockname()[1])
        if first + count > 65535:
            continue
        try:
            held = []
            for port in range(first, first + count):
                held.append(socket.socket())
                held[-1].bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for sock in held:
                sock.close()
    raise RuntimeError("no consecutive free ports")


def log_in(port: int, username: str, password: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/auth/login",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        error.close()
        return int(error.code)


def active_lists(folder: Path) -> set[str]:
    app = make_app(f"sqlite:///{folder / 'midas.sqlite3'}")
    with database(app).sessions() as session:
        names = session.scalars(
            select(Watchlist.name).where(Watchlist.active_version_id.is_not(None))
        )
        found = set(names)
    database(app).dispose()
    return found


def test_the_demo_starts_headquarters_and_two_posts_that_hold_its_lists(tmp_path: Path) -> None:
    port = free_ports(3)
    env = os.environ | {
        "MIDAS": str(BIN / "midas"),
        "GUNICORN": str(BIN / "gunicorn"),
        "MIDAS_DEMO_PORT": str(port),
        "PYTHONPATH": str(REPO),
    }
    env.pop("DATABASE_URL", None)
    demo = subprocess.Popen(
        ["bash", "scripts/demo_network.sh", str(tmp_path / "network")],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in demo.stdout or ()])
    reader.start()
    said = []
    try:
        while not said or "Demo network ready" not in said[-1]:
            said.append(lines.get(timeout=300))  # a bound on a hang, not a wait for the clock
        assert demo.poll() is None, "".join(said)
        network = tmp_path / "network"
        for post in ("JKIA", "NMG"):
            assert active_lists(network / post) == {"demo-wanted", "demo-stolen-documents"}
            node = json.loads((network / post / "node.json").read_text())
            assert node == {"role": "post", "code": post}
        assert log_in(port, "supervisor", "demo-supervisor-password") == 200
        assert log_in(port + 1, "officer1", "demo-officer1-password") == 200
        assert log_in(port + 2, "officer2", "demo-officer2-password") == 200
        # An officer of one post is not a login at the other: headquarters sends each post its own.
        assert log_in(port + 2, "officer1", "demo-officer1-password") == 401
    finally:
        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=60)
        reader.join()
        if demo.stdout is not None:
            demo.stdout.close()
    while not lines.empty():
        said.append(lines.get_nowait())
    printed = "".join(said)
    for url in (f"http://127.0.0.1:{port + offset}/" for offset in range(3)):
        assert url in printed
    assert "officer1 / demo-officer1-password at JKIA" in printed
    for offset in range(3):
        with socket.socket() as probe:  # every server stopped with the demo
            assert probe.connect_ex(("127.0.0.1", port + offset)) != 0
