#!/usr/bin/env bash
# `make bench`: every benchmark, each figure printed next to its anchor measured in the same run.
#
#  1. network planning (build/release/bench/network/network_bench): p-median and accessibility
#     against their exact/full-scan anchors.
#  2. HTTP with wrk on loopback: requests/s and p99 latency of
#     (a) hello_server, the smallest Beast server of our design (the ceiling),
#     (b) Vikno's /healthz,
#     (c) an authenticated JSON read (GET /api/v1/centers/{id}/staff with an API token) on SQLite
#         and on a throwaway PostgreSQL cluster,
#     each as a ratio of the ceiling; plus Vikno's idle memory (VmRSS) after start.
#
#  3. the electronic queue:
#     (a) build/release/bench/queue/queue_engine_bench: "next" (pick, call_next) with 10,000 waiting
#         tickets against a brute-force scan of the same policy; the accuracy of the expected wait
#         over a simulated day against a naive estimator;
#     (b) scripts/bench-queue.mjs (node): a busy day replayed over HTTP (commands/s, latency; the
#         load itself comes from build/release/bench/queue/queue_replay_client) on SQLite FULL, SQLite NORMAL and the PostgreSQL cluster of part 2, an open loop at 500
#         commands/s, fan-out of calls to 5,000 live subscribers (latency, memory per subscriber),
#         and start-up on a database with a million past visits against an empty one; each next to
#         the hello_server ceiling of part 2 and its target.
#
#  4. the web front end (when web/dist is built): scripts/bench-web.mjs (node) prints what each page
#     loads on a first visit (gzip, from the Vite manifest) next to the 150 KB budget of the kiosk
#     and the tracking page, and the display board's JavaScript heap over ~3,600 calls made through
#     the API (an hour of one call a second, simulated quickly), growing or flat.
#
#  5. the printed forms (build/release/bench/documents/documents_bench, Google Benchmark): inventory
#     receipts (5 and 80 lines) and a report's .xlsx rendered per second on one thread, each next to
#     a one-paragraph A4 PDF measured in the same run.
#  6. the executive discipline report (build/release/bench/cases/discipline_bench): the report for
#     a region of 100 centers and 5 million cases in SQLite (a file under TMPDIR, deleted after),
#     next to a plain `SELECT count(*)` over the same table in the same run; target < 1 s.
#
# Everything listens on 127.0.0.1 only; every load runs a bounded time (VIKNO_BENCH_SECONDS, 5 s)
# with 2 wrk threads and 32 connections, or a bounded amount of work (the queue); the servers and
# the cluster stop on exit, whatever happens.
# VIKNO_BENCH_SKIP_NETWORK=1 skips part 1, VIKNO_BENCH_SKIP_QUEUE=1 part 3, VIKNO_BENCH_SKIP_WEB=1
# part 4, VIKNO_BENCH_SKIP_DOCUMENTS=1 part 5, VIKNO_BENCH_SKIP_CASES=1 part 6;
# VIKNO_BENCH_ONLY=network|http|queue|web|documents|cases runs that part alone (the queue part
# still measures the hello_server ceiling first).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${VIKNO_BENCH_SECONDS:-5}
connections=${VIKNO_BENCH_CONNECTIONS:-32}
wrk_threads=2
bin=$root/build/release/src/cli/vikno
hello=$root/build/release/bench/http/hello_server
network_bench=$root/build/release/bench/network/network_bench
queue_bench=$root/build/release/bench/queue/queue_engine_bench
documents_bench=$root/build/release/bench/documents/documents_bench
admin_password=bench-admin-password

only=${VIKNO_BENCH_ONLY:-}
case $only in
  "" | network | http | queue | web | documents | cases) ;;
  *) echo "bench: VIKNO_BENCH_ONLY is network, http, queue, web, documents or cases" >&2; exit 2 ;;
esac
part() { [[ -z $only || $only == "$1" ]]; }
run_network=0 run_http=0 run_queue=0 run_web=0 run_documents=0 run_cases=0
if part documents && [[ -z ${VIKNO_BENCH_SKIP_DOCUMENTS:-} ]]; then run_documents=1; fi
if part cases && [[ -z ${VIKNO_BENCH_SKIP_CASES:-} ]]; then run_cases=1; fi
if part network && [[ -z ${VIKNO_BENCH_SKIP_NETWORK:-} ]]; then run_network=1; fi
if part http; then run_http=1; fi
if part queue && [[ -z ${VIKNO_BENCH_SKIP_QUEUE:-} ]]; then run_queue=1; fi
if part web && [[ -z ${VIKNO_BENCH_SKIP_WEB:-} ]]; then
  if [[ -f web/dist/index.html ]]; then
    run_web=1
  else
    echo "bench: web/dist is not built (cd web && npm run build): the web part is skipped" >&2
  fi
fi

if ((run_network || run_http || run_queue)); then
  # A build folder configured before bench/queue existed does not know its target yet.
  if ! ninja -C build/release -t query queue_engine_bench queue_replay_client >/dev/null 2>&1; then
    cmake --preset release >/dev/null
  fi
  ninja -C build/release -j "${VIKNO_JOBS:-2}" vikno hello_server network_bench queue_engine_bench queue_replay_client >/dev/null
  command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
elif ((run_web)); then
  ninja -C build/release -j "${VIKNO_JOBS:-2}" vikno >/dev/null
fi
if ((run_documents)); then
  if ! ninja -C build/release -t query documents_bench >/dev/null 2>&1; then
    cmake --preset release >/dev/null
  fi
  ninja -C build/release -j "${VIKNO_JOBS:-2}" documents_bench >/dev/null
fi
if ((run_cases)); then
  if ! ninja -C build/release -t query discipline_bench >/dev/null 2>&1; then
    cmake --preset release >/dev/null
  fi
  ninja -C build/release -j "${VIKNO_JOBS:-2}" discipline_bench >/dev/null
fi
if ((run_queue)); then
  for tool in node sqlite3 psql; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (scripts/setup.sh installs it)" >&2; exit 1; }
  done
fi

work=$(mktemp -d /tmp/vikno-bench.XXXXXX)
pids=()
pgdir=""
cleanup() {
  local running
  running=" $(jobs -p | tr '\n' ' ') " # only our children not reaped yet: a pid may have been reused
  for pid in "${pids[@]}"; do
    [[ $running == *" $pid "* ]] && stop_pid "$pid"
  done
  if [[ -n $pgdir ]]; then
    scripts/pg-throwaway.sh stop "$pgdir" >/dev/null 2>&1 || true
    rm -rf "$pgdir"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*" >&2; }

# wait_for FILE REGEX: prints the first capture group once a line of FILE matches (20 s at most).
wait_for() {
  local file=$1 regex=$2 i
  for ((i = 0; i < 200; i++)); do
    if [[ -f $file ]] && line=$(grep -Eo "$regex" "$file" | head -1) && [[ -n $line ]]; then
      [[ $line =~ $regex ]] && printf '%s' "${BASH_REMATCH[1]}"
      return 0
    fi
    sleep 0.1
  done
  say "bench: timed out waiting for /$regex/ in $file:"
  cat "$file" >&2
  return 1
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# load NAME URL [wrk args...]: runs wrk, records requests/s and p99 (ms) as rps[NAME], p99[NAME].
declare -A rps p99 errors
load() {
  local name=$1 url=$2
  shift 2
  local out
  out=$(wrk -t "$wrk_threads" -c "$connections" -d "${seconds}s" --latency "$@" "$url")
  rps[$name]=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99[$name]=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; printf "%.2f", v}' <<<"$out")
  errors[$name]=$(awk '/Non-2xx or 3xx responses:/ {n += $NF} /Socket errors:/ {n += 1} END {print n + 0}' <<<"$out")
  printf '  %-28s %10s req/s   p99 %8s ms   non-2xx/socket errors: %s\n' "$name" "${rps[$name]}" "${p99[$name]}" \
    "${errors[$name]}"
}

# start_vikno NAME DB_URL: starts vikno, sets $url and $pid.
start_vikno() {
  local name=$1 db=$2 log=$work/$1.log
  VIKNO_DEMO=false VIKNO_ADMIN_PASSWORD=$admin_password VIKNO_AUDIT_KEY_FILE=$work/$name-audit.key \
    VIKNO_AUDIT_SIGNING_KEY_FILE=$work/$name-audit-signing.key VIKNO_AUDIT_CHECKPOINT_DIR=$work/$name-audit-checkpoints \
    "$bin" serve --db "$db" --listen 127.0.0.1 --port 0 --access-log false --static-dir "$work/no-web" \
    >"$log" 2>&1 &
  pid=$!
  pids+=("$pid")
  url=$(wait_for "$log" '"url":"(http://[^"]+)"')
}

# stop_pid PID: SIGTERM, then SIGKILL if it is still there after 20 s (a server that hangs on
# shutdown must not hang the benchmark).
alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $state != Z* ]]
}
stop_pid() {
  local i
  kill "$1" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    alive "$1" || break
    sleep 0.1
  done
  if alive "$1"; then
    say "bench: process $1 did not stop within 20 s of SIGTERM; killing it"
    kill -KILL "$1" 2>/dev/null || true
  fi
  wait "$1" 2>/dev/null || true
}

# seed URL: signs in as the first admin, creates a center with 5 staff and a regional analyst API
# token for it; prints "CENTER_ID TOKEN".
seed() {
  local url=$1 jar=$work/cookies csrf center i token
  csrf=$(curl -sf -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"login\":\"admin\",\"password\":\"$admin_password\"}" "$url/api/v1/auth/login" | jq -r .csrf_token)
  post() { curl -sf -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" -d "$2" "$url$1"; }
  center=$(post /api/v1/centers '{"name_uk":"ЦНАП для вимірювань","name_en":"Bench ASC"}' | jq -r .id)
  for i in 1 2 3 4 5; do
    post /api/v1/users "{\"login\":\"staff$i\",\"name\":\"Працівник $i\",\"role\":\"administrator\",\"centers\":[$center],\"password\":\"staff-password-$i\"}" >/dev/null
  done
  token=$(post /api/v1/api-tokens "{\"label\":\"bench\",\"role\":\"regional_analyst\",\"centers\":[$center]}" | jq -r .token)
  printf '%s %s\n' "$center" "$token"
}

# start_pg: the throwaway PostgreSQL cluster (once), in its own folder, not under $work: the server
# runs as `postgres`, which cannot enter $work (0700).
start_pg() {
  [[ -n $pgdir ]] && return 0
  pgdir=$(mktemp -d /tmp/vikno-bench-pg.XXXXXX)
  scripts/pg-throwaway.sh start "$pgdir" >"$work/pg-start.log" 2>&1 || { cat "$work/pg-start.log" >&2; exit 1; }
}

if ((run_network)); then
  echo "=== network planning ==="
  "$network_bench"
fi

if ((run_cases)); then
  echo
  build/release/bench/cases/discipline_bench
fi

if ((run_http || run_queue)); then
  echo
  echo "=== HTTP on 127.0.0.1: wrk, $wrk_threads threads, $connections connections, ${seconds}s per figure ($(nproc) cores shared by client and server) ==="

  "$hello" 0 2 >"$work/hello.log" 2>&1 &
  hello_pid=$!
  pids+=("$hello_pid")
  hello_port=$(wait_for "$work/hello.log" 'listening on ([0-9]+)')
  load "hello_server (ceiling)" "http://127.0.0.1:$hello_port/"
  stop_pid "$hello_pid"
fi

if ((run_http)); then
  start_vikno sqlite "sqlite:$work/vikno.db"
  sleep 1
  rss_sqlite=$(rss_kb "$pid")
  read -r center token < <(seed "$url")
  # The figure is only meaningful when the read succeeds.
  curl -sf -H "Authorization: Bearer $token" "$url/api/v1/centers/$center/staff" | jq -e '.staff | length == 5' >/dev/null \
    || { say "bench: the authenticated read does not return the 5 staff"; exit 1; }
  load "vikno /healthz" "$url/healthz"
  load "vikno staff read, SQLite" "$url/api/v1/centers/$center/staff" -H "Authorization: Bearer $token"
  stop_pid "$pid"

  start_pg
  start_vikno postgresql "$(scripts/pg-throwaway.sh url "$pgdir")"
  sleep 1
  rss_pg=$(rss_kb "$pid")
  read -r center token < <(seed "$url")
  curl -sf -H "Authorization: Bearer $token" "$url/api/v1/centers/$center/staff" | jq -e '.staff | length == 5' >/dev/null \
    || { say "bench: the authenticated read does not return the 5 staff (PostgreSQL)"; exit 1; }
  load "vikno staff read, PostgreSQL" "$url/api/v1/centers/$center/staff" -H "Authorization: Bearer $token"
  stop_pid "$pid"

  ceiling=${rps["hello_server (ceiling)"]}
  ratio() { awk -v a="$1" -v b="$ceiling" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }'; }
  verdict() { awk -v a="$1" -v b="$ceiling" -v t="$2" 'BEGIN { print (b > 0 && a / b >= t ? "ok" : "BELOW") }'; }

  echo
  echo "=== summary ==="
  printf '%-30s %12s %10s %10s  %s\n' "figure" "req/s" "p99 ms" "of ceiling" "target"
  for name in "hello_server (ceiling)" "vikno /healthz" "vikno staff read, SQLite" "vikno staff read, PostgreSQL"; do
    target=""
    if [[ $name == "vikno staff read, SQLite" ]]; then
      target=">= 30% of ceiling: $(verdict "${rps[$name]}" 0.30)"
    fi
    printf '%-30s %12s %10s %10s  %s\n' "$name" "${rps[$name]}" "${p99[$name]}" "$(ratio "${rps[$name]}")" "$target"
  done
  for pair in "SQLite:$rss_sqlite" "PostgreSQL:$rss_pg"; do
    kb=${pair#*:}
    printf '%-30s %12s %10s %10s  %s\n' "vikno idle RSS, ${pair%%:*}" "$((kb / 1024)) MB" "" "" \
      "< 30 MB: $([[ $kb -lt 30720 ]] && echo ok || echo ABOVE)"
  done
fi

if ((run_queue)); then
  echo
  "$queue_bench"
  echo
  start_pg
  # 5,000 live subscribers: a descriptor each in the client and in the server.
  hard=$(ulimit -Hn)
  [[ $hard == unlimited ]] && hard=65536
  ulimit -n "$((hard < 65536 ? hard : 65536))"
  subscribers=${VIKNO_BENCH_SUBSCRIBERS:-5000}
  if (($(ulimit -n) < subscribers + 256)); then
    subscribers=$(($(ulimit -n) - 256))
    say "bench: open files are limited to $(ulimit -n): $subscribers subscribers instead"
  fi
  # Node 20 has a WebSocket client behind a flag; without it the fan-out uses SSE only (and says so).
  node_flags=(--no-warnings)
  if node --experimental-websocket -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null; then
    node_flags+=(--experimental-websocket)
  fi
  VIKNO_BIN=$bin VIKNO_BENCH_PG_URL=$(scripts/pg-throwaway.sh url "$pgdir") \
    VIKNO_BENCH_CEILING=${rps["hello_server (ceiling)"]} VIKNO_BENCH_SUBSCRIBERS=$subscribers \
    node "${node_flags[@]}" scripts/bench-queue.mjs &
  node_pid=$!
  pids+=("$node_pid")
  wait "$node_pid"
fi

if ((run_web)); then
  echo
  command -v node >/dev/null || { echo "bench: node is missing (scripts/setup.sh installs it)" >&2; exit 1; }
  VIKNO_BIN=$bin node scripts/bench-web.mjs &
  node_pid=$!
  pids+=("$node_pid")
  wait "$node_pid"
fi

if ((run_documents)); then
  echo
  "$documents_bench"
fi
