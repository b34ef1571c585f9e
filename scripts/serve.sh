#!/usr/bin/env bash
# Set up, create or upgrade the database, load demo data, and serve MIDAS on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/midas init-db
.venv/bin/midas demo
exec .venv/bin/gunicorn -c gunicorn.conf.py wsgi:app
