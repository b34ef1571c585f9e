#!/usr/bin/env bash
# Start a demo headquarters and two posts (JKIA, NMG) on this machine, each its own gunicorn on
# loopback with its own instance folder and SQLite database, enrolled both ways, and sync once.
# Usage: bash scripts/demo_network.sh [FOLDER]   (default: instance/network; Ctrl-C stops all)
# Ports: MIDAS_DEMO_PORT (headquarters, default 8000), the posts on the next two.
# All three run on SQLite: the test suite's throwaway PostgreSQL needs root or a postgres user,
# which a demo should not ask for; set DATABASE_URL in FOLDER/hq/config.py for a real one.
set -euo pipefail
cd "$(dirname "$0")/.."
MIDAS=${MIDAS:-.venv/bin/midas}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
folder=$(realpath -m "${1:-instance/network}")
port=${MIDAS_DEMO_PORT:-8000}
posts=(JKIA NMG)
declare -A ports=([hq]=$port [JKIA]=$((port + 1)) [NMG]=$((port + 2)))

at() {  # at NODE COMMAND...: run a midas command in that node's instance folder
  local node=$1
  shift
  MIDAS_INSTANCE_PATH="$folder/$node" "$MIDAS" "$@"
}

public_key() {  # public_key NODE: keep the PEM `midas node init` printed, for the other side
  sed -n '/-----BEGIN PUBLIC KEY-----/,/-----END PUBLIC KEY-----/p' "$folder/$1/init.txt" \
    >"$folder/$1/public.pem"
}

for node in hq "${posts[@]}"; do
  mkdir -p "$folder/$node"
  # Written at each run: the ports may have moved since the last.
  {
    echo "# Demo node $node: its own login cookie, as the three share one host name."
    echo "SESSION_COOKIE_NAME = \"midas_${node,,}\""
    if [ "$node" != hq ]; then
      echo "# Where this post reaches headquarters (midas sync)."
      echo "HQ_URL = \"http://127.0.0.1:${ports[hq]}\""
    fi
  } >"$folder/$node/config.py"
  at "$node" init-db
  if [ ! -e "$folder/$node/node.json" ]; then
    if [ "$node" = hq ]; then
      at "$node" node init --role hq >"$folder/$node/init.txt"
    else
      at "$node" node init --role post --code "$node" >"$folder/$node/init.txt"
    fi
    public_key "$node"
  fi
done

# Headquarters holds the posts, people, lists and stations; the posts get theirs by syncing.
at hq demo
for post in "${posts[@]}"; do
  # A marker per enrolment, so that a second run starts the same network again.
  if [ ! -e "$folder/$post/enrolled" ]; then
    at hq node enroll --code "$post" --role post --public-key "$folder/$post/public.pem"
    at "$post" node enroll --code hq --role hq --public-key "$folder/hq/public.pem"
    touch "$folder/$post/enrolled"
  fi
done

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait
}
trap stop EXIT INT TERM
serve() {  # serve NODE: start its gunicorn and return once it listens (at most 30 s)
  MIDAS_INSTANCE_PATH="$folder/$1" GUNICORN_BIND="127.0.0.1:${ports[$1]}" GUNICORN_WORKERS=2 \
    "$GUNICORN" -c gunicorn.conf.py wsgi:app >"$folder/$1/gunicorn.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/${ports[$1]}") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "demo network: $1 did not start; see $folder/$1/gunicorn.log" >&2
  return 1
}
serve hq
# Each post syncs before it serves, so its screening indexes are built from headquarters' lists.
for post in "${posts[@]}"; do
  at "$post" sync
  serve "$post"
done

cat <<TEXT

Demo network ready (folders in $folder, logs in each gunicorn.log):
  headquarters  http://127.0.0.1:${ports[hq]}/
  post JKIA     http://127.0.0.1:${ports[JKIA]}/   (sync again: MIDAS_INSTANCE_PATH=$folder/JKIA $MIDAS sync)
  post NMG      http://127.0.0.1:${ports[NMG]}/   (sync again: MIDAS_INSTANCE_PATH=$folder/NMG $MIDAS sync)
Logins (public demo passwords): admin / demo-admin-password, supervisor /
demo-supervisor-password everywhere; officer1 / demo-officer1-password at JKIA,
officer2 / demo-officer2-password at NMG. Station tokens ('Authorization: Bearer ...'):
demo-station-jkia-0123456789abcdef at JKIA, demo-station-nmg-0123456789abcdef at NMG.
Ctrl-C stops all three.
TEXT
wait
