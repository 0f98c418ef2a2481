#!/usr/bin/env bash
# A small PostgreSQL primary with a streaming read replica on 127.0.0.1, for CI and local trials of
# the read replica (docs/operations.md, "Read replica"). The machine's own cluster is left alone.
#
#   scripts/replica.sh [start]   create (first time) and start both; prints the two URLs
#   scripts/replica.sh stop      stop both (the data stays for the next start)
#   scripts/replica.sh status
#
# Idempotent: a pair already running from REPLICA_DIR is reused. The primary is a throwaway test
# cluster (fsync off); never point it at data you want to keep.
# Settings (environment): REPLICA_DIR (/var/tmp/blkportal-replica), REPLICA_PRIMARY_PORT (5434),
# REPLICA_PORT (5433), REPLICA_DB (blkportal), PG_BIN (newest /usr/lib/postgresql/*/bin).
set -euo pipefail

dir=${REPLICA_DIR:-/var/tmp/blkportal-replica}
primary_port=${REPLICA_PRIMARY_PORT:-5434}
standby_port=${REPLICA_PORT:-5433}
db=${REPLICA_DB:-blkportal}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
primary=$dir/primary
standby=$dir/standby

if [ ! -x "$bin/initdb" ]; then
  echo "replica.sh: PostgreSQL server binaries not found (PG_BIN=$bin)" >&2
  exit 1
fi

# initdb and the server refuse to run as root: run them as postgres then.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
running() { as_pg "$bin/pg_ctl" -D "$1" status >/dev/null 2>&1; }
sql() { "$bin/psql" -h 127.0.0.1 -p "$1" -U postgres -d postgres -XtAqc "$2"; }

start_server() { # data dir, log
  if running "$1"; then return 0; fi
  if ! as_pg "$bin/pg_ctl" -D "$1" -l "$2" -w -t 60 start >/dev/null; then
    echo "replica.sh: could not start $1 (port taken by another server?); its log:" >&2
    tail -n 20 "$2" >&2 || true
    exit 1
  fi
}

case "${1:-start}" in
stop)
  for data in "$standby" "$primary"; do
    if [ -d "$data" ] && running "$data"; then as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi
  done
  exit 0
  ;;
status)
  for data in "$primary" "$standby"; do
    if [ -d "$data" ] && running "$data"; then echo "$data: running"; else echo "$data: stopped"; fi
  done
  exit 0
  ;;
start) ;;
*)
  echo "usage: $0 [start|stop|status]" >&2
  exit 2
  ;;
esac

mkdir -p "$dir"
if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
chmod 700 "$dir"

if [ ! -f "$primary/PG_VERSION" ]; then
  rm -rf "$primary" "$standby" # a standby of an older primary cannot follow a new one
  as_pg "$bin/initdb" -D "$primary" -A trust -U postgres --no-sync -E UTF8 --locale C.UTF-8 >/dev/null
  cat >>"$primary/postgresql.conf" <<EOF
# scripts/replica.sh: throwaway test primary
port = $primary_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 4
wal_keep_size = 256MB
fsync = off
full_page_writes = off
EOF
  echo "host replication all 127.0.0.1/32 trust" >>"$primary/pg_hba.conf"
fi
start_server "$primary" "$dir/primary.log"

make_standby() {
  rm -rf "$standby"
  as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$standby" -R -X stream -c fast >&2
  cat >>"$standby/postgresql.conf" <<EOF
# scripts/replica.sh: streaming standby of the primary above
port = $standby_port
shared_buffers = 32MB
hot_standby = on
hot_standby_feedback = on
EOF
}

streaming() { # the standby answers as a standby and the primary streams to it (waits up to 10 s)
  for _ in $(seq 100); do
    if [ "$(sql "$standby_port" "SELECT pg_is_in_recovery()" 2>/dev/null)" = t ] &&
      [ "$(sql "$primary_port" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" -ge 1 ]; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

if [ ! -f "$standby/PG_VERSION" ]; then make_standby; fi
start_server "$standby" "$dir/standby.log"
# A test that paused replay and died would leave the standby behind for ever.
if [ "$(sql "$standby_port" "SELECT CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() END" 2>/dev/null)" = t ]; then
  sql "$standby_port" "SELECT pg_wal_replay_resume()" >/dev/null
fi
if ! streaming; then
  # Fallen too far behind (its WAL is gone) or a copy of another primary: make it again, once.
  echo "replica.sh: the standby is not streaming; making it again" >&2
  as_pg "$bin/pg_ctl" -D "$standby" -m immediate -w stop >/dev/null 2>&1 || true
  make_standby
  start_server "$standby" "$dir/standby.log"
  if ! streaming; then
    echo "replica.sh: the standby on port $standby_port is not streaming from the primary; see $dir/*.log" >&2
    exit 1
  fi
fi

if [ "$(sql "$primary_port" "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = 0 ]; then
  sql "$primary_port" "CREATE DATABASE \"$db\"" >/dev/null
fi
echo "DATABASE_URL=postgres://postgres@127.0.0.1:$primary_port/$db"
echo "DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$standby_port/$db"
