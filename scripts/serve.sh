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
  $bin/celery -A blkportal worker -Q default,exports,facts --concurrency 2 --loglevel INFO &
  pids+=($!)
  $bin/celery -A blkportal beat --loglevel INFO --schedule var/celerybeat-schedule &
  pids+=($!)
  echo "Celery worker dan beat berjalan (broker: $REDIS_URL)."
else
  echo "Tanpa DATABASE_URL/REDIS_URL: SQLite, dan tugas Celery dijalankan langsung (eager)."
fi
echo "Portal: http://$host:$port/"
$bin/python manage.py runserver "$host:$port" --noreload &
pids+=($!)
wait -n "${pids[@]}"
