#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite:
#   tests/pg.sh start DIR   -> prints the admin URL on stdout
#   tests/pg.sh stop DIR    -> stops the cluster and removes DIR
# The cluster listens only on a unix socket inside DIR (no TCP port), with
# fsync off: it lives for one test run. PostgreSQL refuses to run as root, so
# as root the cluster runs as the unprivileged system user jixun-test.
set -euo pipefail

usage() { echo "usage: tests/pg.sh start|stop DIR" >&2; exit 2; }
(($# == 2)) || usage
cmd=$1
dir=$2
[[ -n $dir && $dir == /* ]] || { echo "pg.sh: DIR must be an absolute path" >&2; exit 2; }
marker=$dir/.jixun-test-cluster   # stop only ever removes a DIR we set up
user=jixun-test

bindir=""
for d in "$(pg_config --bindir 2>/dev/null || true)" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
  if [[ -n $d && -x $d/initdb && -x $d/pg_ctl ]]; then bindir=$d; break; fi
done

as_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

case $cmd in
start)
  [[ -n $bindir ]] || { echo "pg.sh: no initdb found (install the postgresql package)" >&2; exit 1; }
  mkdir -p "$dir"
  if [[ $(id -u) == 0 ]]; then
    if ! id -u "$user" >/dev/null 2>&1; then
      useradd --system --no-create-home --home-dir /nonexistent \
              --shell /usr/sbin/nologin "$user"
    fi
    chown "$user:" "$dir"
  fi
  touch "$marker"
  # C.UTF-8 where glibc has it (Debian 12 does); plain C otherwise.
  locale=C
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale=C.UTF-8; fi
  if ! as_owner "$bindir/initdb" -D "$dir/data" -A trust -U jixun --encoding=UTF8 \
         --locale="$locale" --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    exit 1
  fi
  if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
         -o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
         >/dev/null 2>&1; then
    cat "$dir/server.log" >&2 || true
    exit 1
  fi
  echo "postgresql:///postgres?host=$dir&user=jixun"
  ;;
stop)
  [[ -f $marker ]] || exit 0   # never started, or already gone
  if [[ -f $dir/data/postmaster.pid && -n $bindir ]]; then
    # immediate: the data is thrown away, no need for a clean checkpoint
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  if [[ -f $dir/data/postmaster.pid ]]; then
    pid=$(head -n 1 "$dir/data/postmaster.pid")
    if [[ $pid =~ ^[0-9]+$ ]]; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -rf "$dir"
  ;;
*) usage ;;
esac
