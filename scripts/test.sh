#!/usr/bin/env bash
# The whole check CI runs: set up, lint, import contracts, then every test on SQLite and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/lint-imports
.venv/bin/pytest "$@"
