"""Root fixtures: a real PostgreSQL the suite starts itself; app, session, runner on both.

PostgreSQL starts once per test session (initdb into a temp dir, a unix socket in that dir, no
TCP, fsync off). The schema is migrated once into a template database. Each worker clones one
database from it, which every test that needs a migrated database gets emptied (a DELETE of
each table and a restart of each sequence used: a few milliseconds, where a clone took 0.4 s
and a TRUNCATE of every table 50 ms); a test that needs a database without tables gets its
own. When no PostgreSQL binaries exist the PostgreSQL half of the suite is
skipped, except on CI (`CI=true`), where a missing PostgreSQL fails the run.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import CodeType
from typing import Any, ClassVar

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from hypothesis import settings
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy.orm import Session
from werkzeug.routing import Rule

from midas import create_app
from midas.persistence.database import create_database, database
from midas.persistence.schema import upgrade

# Tests assert behaviour, not speed: no per-example deadline (a first example that loads a
# transliteration table or compiles statements on a busy CI machine is not a failure).
settings.register_profile("midas", deadline=None)
settings.load_profile("midas")

# The folder beside the repository: tests/conftest.py -> tests -> repo -> its parent.
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ON_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
TEMPLATE_DATABASE = "midas_template"
# Empties a migrated database in one round trip. Tests leave a few rows in a few tables: a
# DELETE of those is much cheaper than a TRUNCATE, which makes new files for every table and
# index. The replica role skips the foreign-key checks and the audit log's append-only trigger.
EMPTY_TABLES = """DO $$
DECLARE name text;
BEGIN
  SET LOCAL session_replication_role = replica;
  FOR name IN SELECT quote_ident(tablename) FROM pg_tables
      WHERE schemaname = 'public' AND tablename <> 'alembic_version' LOOP
    EXECUTE 'DELETE FROM ' || name;
  END LOOP;
  FOR name IN SELECT quote_ident(sequencename) FROM pg_sequences
      WHERE schemaname = 'public' AND last_value IS NOT NULL LOOP
    EXECUTE 'ALTER SEQUENCE ' || name || ' RESTART';
  END LOOP;
END $$"""


def postgres_bindir() -> Path | None:
    """Return the directory holding initdb and pg_ctl, preferring the newest Debian version."""
    candidates = sorted(
        (Path(path).parent for path in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda bindir: [int(part) for part in bindir.parent.name.split(".") if part.isdigit()],
    )
    if candidates:
        return candidates[-1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresServer:
    """A throwaway PostgreSQL cluster on a unix socket, run by a non-root user when we are root."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="midas-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self.user: str | None = None
        if os.geteuid() == 0:
            # initdb refuses to run as root; the cluster belongs to the postgres system user.
            self.user = "postgres"
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._names = itertools.count(1)
        self._connections: dict[str, psycopg.Connection[Any]] = {}

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.root / "server.log"
            detail = log.read_text() if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr}\n{detail}")

    def start(self, *, durable: bool = False) -> None:
        """Initialise the cluster and start the server; return when it accepts connections.

        A throwaway cluster skips what makes commits survive a crash (fsync, synchronous commit,
        full-page writes) unless `durable`, as a production server would have it.
        """
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = f"-k {self.socket_dir} -c listen_addresses='' -c max_connections=50"
        if not durable:
            options += " -F -c full_page_writes=off -c synchronous_commit=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self) -> None:
        """Stop the server and delete the cluster."""
        for connection in self._connections.values():
            connection.close()
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, name: str) -> str:
        """Return the SQLAlchemy URL of a database on this server."""
        return f"postgresql+psycopg://postgres@/{name}?host={self.socket_dir}"

    def execute(self, sql: str) -> None:
        """Run one statement outside a transaction in the maintenance database."""
        with psycopg.connect(
            host=str(self.socket_dir), user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(sql)

    def create_database(self, template: str = "template0") -> str:
        """Create a database (empty, or cloned from a template) and return its name."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        # FILE_COPY beats the default WAL_LOG for a small template when fsync is off.
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return name

    def empty(self, name: str) -> None:
        """Delete every row of a migrated database (its schema and revision stay) and restart
        the sequences used, after closing the connections an earlier test left open on it."""
        connection = self._connections.get(name)
        if connection is None:
            connection = psycopg.connect(
                host=str(self.socket_dir), user="postgres", dbname=name, autocommit=True
            )
            self._connections[name] = connection
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        connection.execute(EMPTY_TABLES)

    def drop_database(self, name: str) -> None:
        """Drop a database, closing whatever connections a test left open."""
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """Start PostgreSQL once for the session, with a migrated template database."""
    bindir = postgres_bindir()
    if bindir is None:
        message = "no PostgreSQL binaries (initdb, pg_ctl) found"
        if ON_CI:
            pytest.fail(f"{message}; CI must run the PostgreSQL tests", pytrace=False)
        pytest.skip(f"{message}; install postgresql to run these tests")
    server = PostgresServer(bindir)
    server.start()
    try:
        server.execute(f'CREATE DATABASE "{TEMPLATE_DATABASE}"')
        migrated = create_database(server.url(TEMPLATE_DATABASE))
        upgrade(migrated.engine)
        migrated.dispose()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def worker_database(postgres_server: PostgresServer) -> str:
    """Return the name of this worker's migrated PostgreSQL database (emptied for each test)."""
    return postgres_server.create_database(TEMPLATE_DATABASE)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a SQLite file migrated to head, copied for each test that needs a schema."""
    path = tmp_path_factory.mktemp("sqlite-template") / "midas.sqlite3"
    migrated = create_database(f"sqlite:///{path}")
    upgrade(migrated.engine)
    migrated.dispose()
    return path


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each test using a database on both backends, or on SQLite alone when it is marked
    `one_backend` (it checks what the database cannot change: a role's gate, a page's words).
    A test that parametrizes `backend` itself chooses its own."""
    if "backend" not in metafunc.fixturenames:
        return
    marks = metafunc.definition.iter_markers("parametrize")
    if any("backend" in mark.args[0] for mark in marks):
        return
    one = metafunc.definition.get_closest_marker("one_backend") is not None
    metafunc.parametrize("backend", BACKENDS[:1] if one else BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """Name the database backend a test runs on (pytest_generate_tests chooses)."""
    name: str = request.param
    return name


def _database_url(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path, *, migrated: bool
) -> Iterator[str]:
    if backend == "sqlite":
        path = tmp_path / "midas.sqlite3"
        if migrated:
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    if migrated:
        name = request.getfixturevalue("worker_database")
        server.empty(name)
        yield server.url(name)
        return
    name = server.create_database("template0")
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[str]:
    """Return the URL of a fresh database already migrated to head."""
    yield from _database_url(request, backend, tmp_path, migrated=True)


@pytest.fixture
def empty_database_url(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path
) -> Iterator[str]:
    """Return the URL of a fresh database with no tables at all."""
    yield from _database_url(request, backend, tmp_path, migrated=False)


# Tests log in often: argon2 at its cheapest keeps that free (the production cost is a
# setting of its own, tested in test_config and test_auth).
CHEAP_HASHING = {
    "PASSWORD_HASH_TIME_COST": 1,
    "PASSWORD_HASH_MEMORY_KIB": 8,
    "PASSWORD_HASH_PARALLELISM": 1,
}


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per worker for every test's app (all are built alike): each app
    would otherwise compile each page it renders again, most of a page test's time. A template
    whose source changed since is compiled again (Jinja gives its checksum)."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, CodeType | None]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self._code.get(bucket.key, ("", None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = (bucket.checksum, bucket.code)


COMPILED_TEMPLATES = CompiledTemplates()


class CompiledOnceRule(Rule):
    """A URL rule whose URL builders are compiled once per worker for every test's app.

    Werkzeug compiles two Python functions for every rule of every app it binds: two thirds of
    building an app, which nearly every test does. A builder is made from the rule's text, its
    defaults and the parts parsed from them (with converters named in the text and looked up in
    the app's table, the same in every app), so rules alike share it; it reads the rule's own
    converters when called. A werkzeug without `_compile_builder` compiles them every time.
    """

    _builders: ClassVar[dict[tuple[object, ...], Any]] = {}

    def _compile_builder(self, append_unknown: bool = True) -> Any:
        key = (
            self.rule,
            self.map.host_matching if self.map else None,
            self.host,
            self.subdomain,
            self.merge_slashes,
            repr(self.defaults),
            tuple(self._trace),
            append_unknown,
        )
        builder = self._builders.get(key)
        if builder is None:
            builder = self._builders[key] = super()._compile_builder(append_unknown)
        return builder


# Every app the tests build (create_app, make_app, the live server) makes its rules of this class.
Flask.url_rule_class = CompiledOnceRule


def share_compiled_templates(application: Flask) -> None:
    """Let the app render with the templates this worker has compiled already."""
    application.jinja_env.bytecode_cache = COMPILED_TEMPLATES


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """Return an app on a fresh migrated database of the test's backend."""
    application = create_app(
        {"TESTING": True, "ENV": "testing", "DATABASE_URL": database_url, **CHEAP_HASHING}
    )
    share_compiled_templates(application)
    yield application
    database(application).dispose()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """Return a session on the app's database; the test owns its transactions."""
    with database(app).sessions() as opened:
        yield opened


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Return a CLI runner bound to the app: `runner.invoke(main, [...])`."""
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Return ../shared/data beside the repository, or skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}; the real-file tests need it")
    return SHARED_DATA
