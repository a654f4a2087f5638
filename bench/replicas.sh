#!/usr/bin/env bash
# Issue 18: two `whygo serve` replicas on one PostgreSQL against one process on a SQLite file,
# under the same signed Slack `/whygo <query>` load (bench/sign.cpp), on loopback:
#   bench/replicas.sh     (WHYGO_BENCH_BUILD=dir to use another build folder, WHYGO_BENCH_JOBS=n)
# Saturation: wrk -t2 -c32 for 10 s (two wrk -c16 at once for the replicas, one per replica, as a
# load balancer would split them); then 2,000 signed requests/s open loop (whygo_bench_load, 8
# connections, split between the replicas), 20 s after a 2 s warm-up. For PostgreSQL it also
# counts the transactions the database committed during the open-loop run (pg_stat_database),
# which shows whether searches reach the database. The PostgreSQL cluster is a throwaway one in
# a temporary folder (Debian's postgresql, no TCP, fsync off), stopped at the end like every
# server this script starts (by pid).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${WHYGO_BENCH_BUILD:-$root/build-bench}
jobs=${WHYGO_BENCH_JOBS:-2}
for tool in wrk curl cmake; do
  command -v "$tool" >/dev/null || { echo "replicas.sh: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x $pg_bin/initdb ]] || { echo "replicas.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

if [[ -f $build/CMakeCache.txt ]]; then
  cmake -S "$root" -B "$build" -DWHYGO_BENCH=ON >/dev/null  # keeps the folder's build type
else
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DWHYGO_TESTS=OFF -DWHYGO_BENCH=ON >/dev/null
fi
cmake --build "$build" -j "$jobs" --target whygo whygo_bench_sign whygo_bench_load >/dev/null
whygo=$build/whygo
tools=$build/bench

work=$(mktemp -d "${TMPDIR:-/tmp}/whygo-replicas.XXXXXX")
chmod 755 "$work"
pids=()
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u nobody -- "$@"; else "$@"; fi; }
cleanup() {
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [[ -f $work/pg/data/postmaster.pid ]]; then as_pg "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

results=$build/replicas-results.txt
: >"$results"
say() { echo "$*" | tee -a "$results"; }
kv() { sed -n "s/.*[[:space:]]$2=\([^[:space:]]*\).*/\1/p" <<<" $1"; }

free_ports=()
for port in $(seq 18080 18180); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || free_ports+=("$port")
  [[ ${#free_ports[@]} -ge 3 ]] && break
done
[[ ${#free_ports[@]} -ge 3 ]] || { echo "replicas.sh: no 3 free ports in 18080-18180" >&2; exit 1; }

say "date: $(date -u '+%Y-%m-%d %H:%M UTC')  commit: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- 2>/dev/null || echo ' (with uncommitted changes)')"
say "cpu: $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)  build: $(sed -n 's/^CMAKE_BUILD_TYPE:[^=]*=//p' "$build/CMakeCache.txt")  load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# The PostgreSQL cluster.
mkdir -p "$work/pg"
[[ $(id -u) == 0 ]] && chown nobody "$work/pg"
as_pg "$pg_bin/initdb" -D "$work/pg/data" -U whygo --auth=trust -N -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" \
  -o "-k $work/pg -c listen_addresses='' -c fsync=off -c max_connections=200" -w start >/dev/null
as_pg "$pg_bin/createdb" -h "$work/pg" -U whygo whygo
pg_uri="postgresql:///whygo?host=$work/pg&user=whygo"
psql_q() { as_pg "$pg_bin/psql" -h "$work/pg" -U whygo -d whygo -Atc "$1"; }
say "postgresql: $("$pg_bin/postgres" --version)"

slack_secret=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
"$tools/whygo_bench_sign" keygen "$work"
sign() { "$tools/whygo_bench_sign" requests "$work" "$slack_secret"; }
server_env=(env -i "PATH=$PATH" "HOME=$work" "TZ=UTC" "WHYGO_SYNC_EVERY=never" "WHYGO_LINK_CHECK=never" "SLACK_SIGNING_SECRET=$slack_secret"
  "SLACK_API_BASE=http://127.0.0.1:9" "DISCORD_PUBLIC_KEY=$(cat "$work/discord_public.hex")"
  "DISCORD_APPLICATION_ID=1100000000000000001" "DISCORD_API_BASE=http://127.0.0.1:9")

serve() {  # serve DB PORT LOG: starts whygo serve, waits until /healthz answers
  "${server_env[@]}" "WHYGO_DB=$1" "WHYGO_LISTEN=127.0.0.1:$2" "$whygo" serve >"$3" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$2/healthz" >/dev/null 2>&1 && return
    kill -0 "$pid" 2>/dev/null || { cat "$3" >&2; echo "replicas.sh: whygo serve exited" >&2; exit 1; }
    sleep 0.05
  done
  echo "replicas.sh: whygo serve on $2 did not answer" >&2
  exit 1
}
stop_all() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  pids=()
}
wrk_one() {  # wrk_one PORT CONNECTIONS SECONDS
  WHYGO_BENCH_REQ="$work/slack.req" wrk -t1 -c"$2" -d"$3"s --timeout 5s -s "$root/bench/wrk.lua" \
    "http://127.0.0.1:$1/" | grep '^WRK'
}

measure() {  # measure LABEL PORT...: sets sat_rps, sat_line, open_line
  local label=$1
  shift
  local ports=("$@") list
  list=$(IFS=,; echo "${ports[*]}")
  sign
  "$tools/whygo_bench_load" "$list" 20 1 2 "$work/slack.req" >/dev/null ||
    { echo "replicas.sh: signed requests were not all answered 200 ($label)" >&2; exit 1; }
  for port in "${ports[@]}"; do wrk_one "$port" 8 3 >/dev/null; done  # warm-up
  sign
  local per=$((32 / ${#ports[@]})) outs=() wrks=() i=0
  for port in "${ports[@]}"; do
    wrk_one "$port" "$per" 10 >"$work/wrk.$i" &
    wrks+=($!)
    outs+=("$work/wrk.$i")
    i=$((i + 1))
  done
  for job in "${wrks[@]}"; do wait "$job"; done
  sat_rps=0
  sat_line=""
  for out in "${outs[@]}"; do
    sat_line+="$(cat "$out") ; "
    sat_rps=$(awk -v a="$sat_rps" -v b="$(kv "$(cat "$out")" rps)" 'BEGIN { printf "%.0f", a + b }')
  done
  say "saturation, $label (wrk -c32 in all, 10 s): $sat_rps req/s  [$sat_line]"
  sign
  open_line=$("$tools/whygo_bench_load" "$list" 2000 20 8 "$work/slack.req" 2 || true)
  say "2,000/s open loop, $label (whygo_bench_load, 8 connections, 20 s after 2 s warm-up): $open_line"
}

say ""
serve "$work/serve.db" "${free_ports[0]}" "$work/sqlite.log"
measure "one process on SQLite" "${free_ports[0]}"
sqlite_rps=$sat_rps
sqlite_open=$open_line
stop_all

say ""
serve "$pg_uri" "${free_ports[1]}" "$work/replica-a.log"
serve "$pg_uri" "${free_ports[2]}" "$work/replica-b.log"
before=$(psql_q "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'whygo'")
measure "two replicas on PostgreSQL" "${free_ports[1]}" "${free_ports[2]}"
sleep 1.5  # the statistics are flushed about every second
after=$(psql_q "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'whygo'")
pg_rps=$sat_rps
pg_open=$open_line
stop_all
searches=$(( $(kv "$sqlite_open" requests) ))
say "PostgreSQL transactions during the replicas' saturation and open-loop runs: $((after - before)) (both replicas' watchers, /healthz, and the bench's own queries included)"

say ""
say "| | req/s at saturation (-c32) | 2,000/s open loop p50 | p99 | p99.9 | max | non-2xx / errors |"
say "|---|---:|---:|---:|---:|---:|---:|"
line() { say "| $1 | $2 | $(awk -v u="$(kv "$3" p50)" 'BEGIN{printf "%.2f ms", u/1000}') | $(awk -v u="$(kv "$3" p99)" 'BEGIN{printf "%.2f ms", u/1000}') | $(awk -v u="$(kv "$3" p999)" 'BEGIN{printf "%.2f ms", u/1000}') | $(awk -v u="$(kv "$3" max)" 'BEGIN{printf "%.2f ms", u/1000}') | $(kv "$3" non2xx) / $(kv "$3" errors) |"; }
line "one process, SQLite" "$sqlite_rps" "$sqlite_open"
line "two replicas, PostgreSQL" "$pg_rps" "$pg_open"
say ""
say "throughput ratio (replicas / SQLite): $(awk -v a="$pg_rps" -v b="$sqlite_rps" 'BEGIN { printf "%.0f%%", 100 * a / b }')  (open-loop requests measured per run: $searches)"
say "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
