#!/usr/bin/env bash
# Runs every benchmark of bench/README.md once and prints the figures:
#   bench/run.sh            (WHYGO_BENCH_BUILD=dir to build elsewhere, WHYGO_BENCH_JOBS=n, default 2)
# Builds what it needs (Release, in build-bench/), loads only 127.0.0.1, bounds every run in
# time, and stops every process it started (also on Ctrl-C or failure). Needs wrk, curl, cmake.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${WHYGO_BENCH_BUILD:-$root/build-bench}
jobs=${WHYGO_BENCH_JOBS:-2}
for tool in wrk curl cmake; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done

echo "== build ($build, Release, -j$jobs)" >&2
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DWHYGO_TESTS=OFF -DWHYGO_BENCH=ON >/dev/null
cmake --build "$build" -j "$jobs" --target whygo whygo_bench_search whygo_bench_sign whygo_bench_load \
  whygo_bench_startup whygo_bench_wiki whygo_bench_web >/dev/null
whygo=$build/whygo
tools=$build/bench

work=$(mktemp -d "${TMPDIR:-/tmp}/whygo-bench.XXXXXX")
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

results=$build/bench-results.txt
: >"$results"
say() { echo "$*" | tee -a "$results"; }
# kv LINE KEY: the value of KEY=value in LINE
kv() { sed -n "s/.*[[:space:]]$2=\([^[:space:]]*\).*/\1/p" <<<"$1"; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'; }

free_port() {
  local port
  for port in $(seq 18080 18180); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "run.sh: no free port in 18080-18180" >&2
  exit 1
}
port=$(free_port)

say "== machine"
commit=${WHYGO_BENCH_COMMIT:-$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet HEAD -- 2>/dev/null || echo ' (with uncommitted changes)')}
say "date: $(date -u '+%Y-%m-%d %H:%M UTC')  commit: $commit"
say "cpu: $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)  load before: $(cut -d' ' -f1-3 /proc/loadavg)"
say "compiler: $(sed -n 's/^CMAKE_CXX_COMPILER:[^=]*=//p' "$build/CMakeCache.txt") $(${CXX:-c++} -dumpfullversion 2>/dev/null || true), wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"

# The server's environment: nothing inherited but PATH, adapters on with bench-only secrets,
# every outbound API pointed at a closed loopback port, and no upstream sync or link checks, so
# nothing can leave the machine.
slack_secret=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
"$tools/whygo_bench_sign" keygen "$work"
server_env=(env -i "PATH=$PATH" "HOME=$work" "TZ=UTC" "WHYGO_SYNC_EVERY=never" "WHYGO_LINK_CHECK=never"
  "SLACK_SIGNING_SECRET=$slack_secret" "SLACK_API_BASE=http://127.0.0.1:9"
  "DISCORD_PUBLIC_KEY=$(cat "$work/discord_public.hex")" "DISCORD_APPLICATION_ID=1100000000000000001"
  "DISCORD_API_BASE=http://127.0.0.1:9")

say ""
say "== search alone (whygo_bench_search: bundled catalog, 10,000 and 100,000 synthetic links, one process each)"
for size in 0 10000 100000; do
  TMPDIR=$work "$tools/whygo_bench_search" "$size" | tee -a "$work/search.txt" | tee -a "$results"
done

say ""
say "== the web's GET / with 10,000 links (whygo_bench_web: its making uncached, and the route over loopback)"
TMPDIR=$work "$tools/whygo_bench_web" 10000 2000 | tee -a "$work/web.txt" | tee -a "$results"

say ""
say "== start-up to ready (whygo_bench_startup: 5 first starts on an empty db, 10 later starts)"
"${server_env[@]}" "$tools/whygo_bench_startup" "$whygo" "$port" "$work" 5 10 | tee "$work/startup.txt" | tee -a "$results"

# One server under the whole end-to-end set. serve_and_measure LABEL; sets row_* and mem.
sign() { "$tools/whygo_bench_sign" requests "$work" "$slack_secret"; }  # fresh timestamps
wrk_run() {  # wrk_run FILE CONNECTIONS SECONDS [DELAY_MS]
  sign
  WHYGO_BENCH_REQ="$work/$1" WHYGO_BENCH_DELAY_MS=${4:-} \
    wrk -t2 -c"$2" -d"$3"s --timeout 5s -s "$root/bench/wrk.lua" "http://127.0.0.1:$port/" | grep '^WRK'
}
serve_and_measure() {
  local label=$1
  rm -f "$work"/serve.db*
  "${server_env[@]}" "WHYGO_DB=$work/serve.db" "WHYGO_LISTEN=127.0.0.1:$port" \
    "$whygo" serve >"$work/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; echo "run.sh: whygo serve exited" >&2; exit 1; }
    sleep 0.05
  done
  local rss_idle
  rss_idle=$(sed -n 's/^VmRSS:[[:space:]]*//p' "/proc/$server_pid/status")
  sign
  # Every request kind must be answered 200 before anything is measured.
  "$tools/whygo_bench_load" "$port" 20 1 2 "$work/mixed.req" >/dev/null ||
    { echo "run.sh: signed requests were not all answered 200; see the log:" >&2; tail -5 "$work/serve.log" >&2; exit 1; }
  wrk_run mixed.req 8 3 >/dev/null  # warm-up
  say ""
  say "== end to end, $label (whygo serve on 127.0.0.1:$port)"
  sign
  row_fixed=$("$tools/whygo_bench_load" "$port" 2000 20 8 "$work/mixed.req" 2 || true)
  say "fixed rate, open loop (whygo_bench_load 2000/s, 8 connections, 20 s after 2 s warm-up): $row_fixed"
  row_paced=$(wrk_run mixed.req 8 10 4)
  say "paced wrk (8 connections, delay() 4 ms before each request, closed loop, 10 s): $row_paced"
  row_slack=$(wrk_run slack.req 8 10)
  say "saturation, Slack commands (wrk -t2 -c8 10 s): $row_slack"
  row_discord=$(wrk_run discord.req 8 10)
  say "saturation, Discord interactions (wrk -t2 -c8 10 s): $row_discord"
  row_mixed=$(wrk_run mixed.req 8 10)
  say "saturation, mixed (wrk -t2 -c8 10 s): $row_mixed"
  row_over=$(wrk_run mixed.req 32 10)
  say "32 connections, as many as the server's threads (wrk -t2 -c32 10 s): $row_over"
  local status=/proc/$server_pid/status
  mem="VmHWM $(sed -n 's/^VmHWM:[[:space:]]*//p' "$status") (VmRSS idle after start $rss_idle, at end $(sed -n 's/^VmRSS:[[:space:]]*//p' "$status"), $(sed -n 's/^Threads:[[:space:]]*//p' "$status") threads)"
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=
  say "server memory: $mem"
  say "server log: $(wc -l <"$work/serve.log") lines, $(du -h "$work/serve.log" | cut -f1); 401s: $(grep -c ' 401 ' "$work/serve.log" || true)"
}

row() {  # row LABEL LINE
  local line=" $2"
  say "| $1 | $(kv "$line" rps)$(kv "$line" achieved) | $(ms "$(kv "$line" p50)") | $(ms "$(kv "$line" p99)") | $(ms "$(kv "$line" p999)") | $(ms "$(kv "$line" max)") | $(kv "$line" unsent) | $(kv "$line" non2xx) / $(kv "$line" errors)$(kv "$line" socket_errors) |"
}
table() {  # table TITLE
  say ""
  say "| $1 | req/s | p50 | p99 | p99.9 | max | unsent | non-2xx / socket errors |"
  say "|---|---:|---:|---:|---:|---:|---:|---:|"
  row "2,000/s offered, open loop, mixed" "$row_fixed"
  row "~2,000/s paced wrk, mixed" "$row_paced"
  row "saturation, Slack" "$row_slack"
  row "saturation, Discord" "$row_discord"
  row "saturation, mixed" "$row_mixed"
  row "saturation, mixed, 32 connections" "$row_over"
  say ""
  say "peak memory: $mem"
}

serve_and_measure "the service as built"
table "as built"

# 100,000 links: the import of a page that size, start-up with the index to build and with it
# ready, and first askings over HTTP (2,000 distinct queries, each asked once, at 100/s so nothing
# queues: the latency of one search through the whole server).
say ""
say "== 100,000 links (whygo_bench_wiki: a synthetic page, 2,000 distinct queries over it)"
"$tools/whygo_bench_wiki" 100000 "$work/wiki100k.md" "$work/queries100k.txt" 2000
big=$work/big.db
started=$(date +%s.%N)
if [[ -x /usr/bin/time ]]; then
  import_rss=$( { /usr/bin/time -f "%M" env -i "PATH=$PATH" "HOME=$work" "WHYGO_DB=$big" "$whygo" import \
    "$work/wiki100k.md" >"$work/import.txt"; } 2>&1 | tail -1)
else
  env -i "PATH=$PATH" "HOME=$work" "WHYGO_DB=$big" "$whygo" import "$work/wiki100k.md" >"$work/import.txt"
  import_rss="?"
fi
say "whygo import of $(du -h "$work/wiki100k.md" | cut -f1) ($(cut -c1-120 "$work/import.txt")): $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'), peak RSS ${import_rss} kB; index $(du -sh "$big-search" | cut -f1), database $(du -h "$big" | cut -f1)"
say "start-up at 100,000 links (whygo_bench_startup: 2 starts with the index removed, 10 with it ready)"
"${server_env[@]}" "$tools/whygo_bench_startup" "$whygo" "$port" "$work" 2 10 "$big" | tee -a "$results"
"${server_env[@]}" "WHYGO_DB=$big" "WHYGO_LISTEN=127.0.0.1:$port" "$whygo" serve >"$work/serve-big.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve-big.log" >&2; echo "run.sh: whygo serve exited" >&2; exit 1; }
  sleep 0.05
done
"$tools/whygo_bench_sign" requests "$work" "$slack_secret" "$work/queries100k.txt"
row_big_slack=$("$tools/whygo_bench_load" "$port" 100 15 8 "$work/first-slack.req" 1 || true)
say "first askings, Slack (whygo_bench_load 100/s, 8 connections, 15 s after 1 s warm-up): $row_big_slack"
"$tools/whygo_bench_sign" requests "$work" "$slack_secret" "$work/queries100k.txt"
row_big_discord=$("$tools/whygo_bench_load" "$port" 100 15 8 "$work/first-discord.req" 1 || true)
say "first askings, Discord (the same, Ed25519 instead of HMAC): $row_big_discord"
big_mem="VmHWM $(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$server_pid/status") (VmRSS at end $(sed -n 's/^VmRSS:[[:space:]]*//p' "/proc/$server_pid/status"))"
kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=
say "server memory at 100,000 links: $big_mem"
say ""
say "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
say "results also in $results"
