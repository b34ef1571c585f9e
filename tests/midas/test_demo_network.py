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


class Demo:
    """`scripts/demo_network.sh` running on FOLDER from PORT, its output read as it comes."""

    def __init__(self, folder: Path, port: int) -> None:
        env = os.environ | {
            "MIDAS": str(BIN / "midas"),
            "GUNICORN": str(BIN / "gunicorn"),
            "MIDAS_DEMO_PORT": str(port),
            "PYTHONPATH": str(REPO),
        }
        env.pop("DATABASE_URL", None)
        env.pop("MIDAS_INSTANCE_PATH", None)
        self.process = subprocess.Popen(
            ["bash", "scripts/demo_network.sh", str(folder)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(
            target=lambda: [self.lines.put(line) for line in self.process.stdout or ()]
        )
        self.reader.start()
        self.said: list[str] = []

    def wait_ready(self) -> None:
        """Return once the demo says it is ready; fail if it stopped first."""
        while not self.said or "Demo network ready" not in self.said[-1]:
            # The timeout bounds a hang; the demo's readiness is its own line, not the clock.
            line = self.lines.get(timeout=300)
            self.said.append(line)
            if "Error" in line:
                break
        assert self.process.poll() is None, "".join(self.said)

    def stop(self) -> str:
        """Stop the demo as Ctrl-C would; return all it printed."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.reader.join()
        if self.process.stdout is not None:
            self.process.stdout.close()
        while not self.lines.empty():
            self.said.append(self.lines.get_nowait())
        return "".join(self.said)


def assert_stopped(port: int) -> None:
    for offset in range(3):
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port + offset)) != 0


def test_the_demo_starts_headquarters_and_two_posts_that_hold_its_lists(tmp_path: Path) -> None:
    network, port = tmp_path / "network", free_ports(3)
    demo = Demo(network, port)
    try:
        demo.wait_ready()
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
        printed = demo.stop()
    for url in (f"http://127.0.0.1:{port + offset}/" for offset in range(3)):
        assert url in printed
    assert "officer1 / demo-officer1-password at JKIA" in printed
    assert_stopped(port)

    # Started again on other ports, the same network comes back, its posts syncing with it.
    again = free_ports(3)
    demo = Demo(network, again)
    try:
        demo.wait_ready()
        assert log_in(again + 1, "officer1", "demo-officer1-password") == 200
    finally:
        printed = demo.stop()
    assert "Posts created: none (already there)" in printed
    assert printed.count("acknowledged") == 2
    assert_stopped(again)
