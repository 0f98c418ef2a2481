#!/usr/bin/env bash
# `make bench`: the national-scale benchmark (docs/benchmarks.md). Never part of the test suite.
#
# SCALE=national (the default): its own PostgreSQL database (blk_bench, created when missing) seeded
# at national scale (2,127 centres × 60 months; skipped when present), Redis database 13. Bounded to
# about 15 minutes. Results: bench/results/<stamp>.json and docs/benchmarks.md.
# SCALE=large ("ten years at five times today's size"): blk_bench_large seeded with 10,000 centres ×
# 120 months, Redis database 12, the same measurements and targets. About an hour, seeding included.
# Results: bench/results/large-<stamp>.json and docs/benchmarks-large.md.
# Both: gunicorn with 2 workers on 127.0.0.1 (BENCH_PORT, default 8765) and wrk with 16 connections;
# BENCH_SECONDS sets the length of each load run (default 20 s).
# BENCH_ONLY=autosave runs only that step (and the floor page) against the database as seeded;
# BENCH_DB, BENCH_REDIS_URL and BENCH_PORT point it elsewhere (docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin

export BENCH_SCALE=${SCALE:-${BENCH_SCALE:-national}}
case "$BENCH_SCALE" in
  national) centres=2127 months=60 db=blk_bench redis_db=13 ;;
  large) centres=10000 months=120 db=blk_bench_large redis_db=12 ;;
  *) echo "SCALE must be national or large, not '$BENCH_SCALE'" >&2; exit 2 ;;
esac
export BENCH_DB=${BENCH_DB:-$db}
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${BENCH_DB}"
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/$redis_db}
export DJANGO_DEBUG=false
export PRIVATE_MEDIA_ROOT=${PRIVATE_MEDIA_ROOT:-$PWD/var/bench/private}
export LOG_LEVEL=WARNING
# Mount the floor page (monitoring:bench_floor), which production URLs leave out.
export BENCH_FLOOR_PAGE=1
export PYTHONUNBUFFERED=1
# The monitoring start follows the seed: its months of demo data are expected from their first month.
export SEED_MONTHS=$months
mkdir -p var/bench bench/results "$PRIVATE_MEDIA_ROOT"

# Services, as .ci/run does: start what does not answer.
if ! pg_isready -h 127.0.0.1 -q; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || [ $? -eq 2 ]
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -q && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done
fi
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='${BENCH_DB}'" | grep -q 1 \
  || createdb -h 127.0.0.1 -U postgres "$BENCH_DB"

# The HTTP load generator: wrk from Debian.
if ! command -v wrk >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

echo "== migrate, $BENCH_SCALE demo data: $centres centres × $months months (skipped when present), static files"
$bin/python manage.py migrate --noinput --verbosity 0
if [ -n "${BENCH_ONLY:-}" ]; then
  # Some steps only (BENCH_ONLY=autosave): against the database as it is, seeded before.
  echo "BENCH_ONLY=${BENCH_ONLY}: no seeding, no ANALYZE (the database ${BENCH_DB} is used as it is)"
else
  start=$(date +%s)
  $bin/python manage.py seed_demo --centres "$centres" --months "$months" --seed 1
  # Recorded in the results: a re-run that finds the data present reports its (short) check instead.
  export BENCH_SEED_SECONDS=$(( $(date +%s) - start ))
  echo "seed_demo: $BENCH_SEED_SECONDS s"
  # Bulk-loaded tables have no planner statistics until analysed (autovacuum may be off or late);
  # without them PostgreSQL picks sorts over index scans and every page looks slower than it is.
  psql -h 127.0.0.1 -U postgres -d "${BENCH_DB}" -qc "ANALYZE"
fi
$bin/python manage.py collectstatic --noinput --verbosity 0

exec $bin/python bench/harness.py
