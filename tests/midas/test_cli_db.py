"""`midas init-db` creates or upgrades the schema through Alembic and is idempotent."""

from __future__ import annotations

from sqlalchemy import inspect

from midas import create_app
from midas.cli import main
from midas.persistence.database import database
from midas.persistence.schema import MIGRATIONS, current_revision, head_revision


def test_init_db_creates_the_schema_then_reports_it_up_to_date(empty_database_url: str) -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": empty_database_url})
    try:
        runner = app.test_cli_runner()
        first = runner.invoke(main, ["init-db"])
        assert first.exit_code == 0, first.output
        assert f"upgraded from empty to revision {head_revision()}" in first.output
        second = runner.invoke(main, ["init-db"])
        assert second.exit_code == 0, second.output
        assert f"up to date at revision {head_revision()}" in second.output
        engine = database(app).engine
        assert current_revision(engine) == head_revision()
        tables = set(inspect(engine).get_table_names())
        assert {"watchlists", "watchlist_versions", "watchlist_entries"} <= tables
    finally:
        database(app).dispose()


def test_commands_on_an_uninitialised_database_say_to_run_init_db(
    empty_database_url: str,
) -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": empty_database_url})
    try:
        result = app.test_cli_runner().invoke(main, ["watchlist", "list"])
        assert result.exit_code == 1
        assert "run `midas init-db`" in result.output
    finally:
        database(app).dispose()


def test_migrations_ship_inside_the_package() -> None:
    assert MIGRATIONS.parent.name == "persistence"
    assert (MIGRATIONS / "env.py").is_file()
    assert any((MIGRATIONS / "versions").glob("0001_*.py"))
