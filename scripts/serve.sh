#!/usr/bin/env bash
# Set up, create or upgrade the database, load demo data, and serve MIDAS on http://127.0.0.1:8000.
# With --network [FOLDER]: a demo headquarters and two posts instead (scripts/demo_network.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "${1:-}" = "--network" ]; then
  shift
  exec bash scripts/demo_network.sh "$@"
fi
.venv/bin/midas init-db
.venv/bin/midas demo
exec .venv/bin/gunicorn -c gunicorn.conf.py wsgi:app
