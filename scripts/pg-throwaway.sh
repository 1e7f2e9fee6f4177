#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster in a folder, on a Unix socket only, for tests.
#
#   scripts/pg-throwaway.sh start DIR   # initdb (first time) + start; creates database "vikno"
#   scripts/pg-throwaway.sh url DIR     # prints the libpq URL, e.g. for VIKNO_TEST_PG_URL
#   scripts/pg-throwaway.sh stop DIR    # fast shutdown; DIR stays (rm -rf it to throw it away)
#   scripts/pg-throwaway.sh status DIR
#
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user and DIR is
# handed to it. Durability is switched off (fsync=off): the cluster is for tests only.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

die() {
  echo "pg-throwaway: $*" >&2
  exit 1
}
say() { echo "pg-throwaway: $*" >&2; }

[[ $# -eq 2 ]] || {
  echo "usage: $0 start|stop|url|status DIR" >&2
  exit 2
}
cmd=$1
dir=$2
[[ -x $PGBIN/pg_ctl ]] || die "no PostgreSQL 15 server in $PGBIN (apt-get install postgresql-15, or set PGBIN)"

if [[ $cmd == start ]]; then
  mkdir -p "$dir" || die "cannot create $dir"
fi
[[ -d $dir ]] || die "$dir does not exist (run: $0 start $dir)"
dir=$(cd "$dir" && pwd) # absolute: the socket path goes into URLs
data=$dir/data
sock=$dir/sock
log=$dir/log

# Unix socket paths are limited to 107 bytes.
(( ${#sock} + 16 <= 107 )) || die "the folder path is too long for a Unix socket: $sock"

as_server() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Percent-encodes a path for the host= query parameter of a URL.
urlencode() {
  local s=$1 out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [A-Za-z0-9/._~-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

running() { [[ -f $data/PG_VERSION ]] && as_server "$PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1; }

case $cmd in
  start)
    if [[ $(id -u) -eq 0 ]]; then
      id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user (installed with the postgresql package)"
      chown postgres: "$dir"
      chmod 755 "$dir"
      runuser -u postgres -- test -x "$dir" ||
        die "user postgres cannot reach $dir: make its parent folders traversable (chmod o+x) or pick a folder under /tmp"
    fi
    if [[ ! -f $data/PG_VERSION ]]; then
      say "initdb in $data"
      as_server mkdir -p "$data" "$sock"
      as_server "$PGBIN/initdb" -D "$data" -A trust -U vikno -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
        die "initdb failed, see $dir/initdb.log"
    fi
    as_server mkdir -p "$sock"
    if running; then
      say "already running ($data)"
    else
      say "starting the server (socket in $sock, log in $log)"
      as_server "$PGBIN/pg_ctl" -D "$data" -l "$log" -w -t 30 \
        -o "-k $sock -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || die "the server did not start, see $log"
    fi
    if [[ -z $(as_server "$PGBIN/psql" -h "$sock" -U vikno -d postgres -XtAc \
      "SELECT 1 FROM pg_database WHERE datname = 'vikno'") ]]; then
      say "creating database vikno"
      as_server "$PGBIN/createdb" -h "$sock" -U vikno vikno || die "createdb vikno failed"
    fi
    say "ready: $(printf 'postgresql://vikno@/vikno?host=%s' "$(urlencode "$sock")")"
    ;;
  stop)
    if running; then
      say "stopping the server in $data"
      as_server "$PGBIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null || die "pg_ctl stop failed, see $log"
    else
      say "not running ($data)"
    fi
    ;;
  url)
    printf 'postgresql://vikno@/vikno?host=%s\n' "$(urlencode "$sock")"
    ;;
  status)
    if running; then
      say "running ($data)"
    else
      say "not running ($data)"
      exit 3
    fi
    ;;
  *)
    die "unknown command '$cmd' (start|stop|url|status)"
    ;;
esac
