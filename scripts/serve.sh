#!/usr/bin/env bash
# Serves the portal. With DATABASE_URL and REDIS_URL set, also runs a Celery worker and beat beside
# the web server and stops them with it; otherwise tasks run eagerly inside the web process.
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:-127.0.0.1}
port=${2:-8000}
bin=.venv/bin
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

$bin/python manage.py demo_logins || true
if [ -n "${DATABASE_URL:-}" ] && [ -n "${REDIS_URL:-}" ]; then
  mkdir -p var
  # Warnings and errors only: Celery's English start-up banner and per-task lines drowned the
  # portal's own (Indonesian) console output.
  $bin/celery -A blkportal --quiet worker -Q default,exports,facts --concurrency 2 --loglevel WARNING &
  pids+=($!)
  $bin/celery -A blkportal --quiet beat --loglevel WARNING --schedule var/celerybeat-schedule &
  pids+=($!)
  echo "Celery worker dan beat berjalan (broker: $REDIS_URL)."
else
  echo "Tanpa DATABASE_URL/REDIS_URL: SQLite, dan tugas Celery dijalankan langsung (eager)."
fi
echo "Portal: http://$host:$port/"
$bin/python manage.py runserver "$host:$port" --noreload &
pids+=($!)
wait -n "${pids[@]}"
