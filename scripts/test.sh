#!/usr/bin/env bash
# The whole check CI runs: set up, then tests (SQLite, PostgreSQL, browser), lint, types, import
# contracts.
# Every step runs even when an earlier one fails, so one run shows everything; any failure fails it.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
status=0
# Two workers (this machine's cores); each starts its own PostgreSQL. PYTEST_WORKERS=0 runs in one.
.venv/bin/pytest -n "${PYTEST_WORKERS:-2}" "$@" || status=1
.venv/bin/ruff check . || status=1
.venv/bin/ruff format --check . >/dev/null || { echo "ruff format: run .venv/bin/ruff format ."; status=1; }
.venv/bin/mypy statecodes scanners watchlists chip bundles paxlst midas || status=1
.venv/bin/lint-imports || status=1
exit $status
