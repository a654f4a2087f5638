#!/usr/bin/env bash
# The front door's figures (issue 15), in one run, all on this machine's loopback:
#   bench/frontdoor.sh      (WHYGO_BENCH_BUILD=dir, WHYGO_BENCH_JOBS=n as for bench/run.sh;
#                            WHYGO_BENCH_ROUNDS=n interleaved rounds against the bare server, 5)
# Signed Slack /whygo commands (bench/sign.cpp) with wrk -t2 at 8 and 32 connections against:
# whygo directly; whygo behind the shipped nginx (deploy/nginx/, over TLS); a bare cpp-httplib
# server (bench/bare.cpp); Bolt-JS (bench/bolt/, installed with npm into the run's folder). Then
# 2,000 signed requests/s open loop through nginx, and the hostile mix of the goals (300
# slowloris connections and 32 chunked 300 MB uploads) against whygo directly while /healthz is
# probed and signed commands keep coming. Needs wrk, curl, cmake, nginx, openssl, npm.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${WHYGO_BENCH_BUILD:-$root/build-bench}
jobs=${WHYGO_BENCH_JOBS:-2}
seconds=${WHYGO_BENCH_SECONDS:-10}
for tool in wrk curl cmake openssl npm /usr/sbin/nginx; do
  command -v "$tool" >/dev/null || { echo "frontdoor.sh: $tool is missing" >&2; exit 1; }
done

echo "== build ($build, Release, -j$jobs)" >&2
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DWHYGO_TESTS=OFF -DWHYGO_BENCH=ON >/dev/null
cmake --build "$build" -j "$jobs" --target whygo whygo_bench_sign whygo_bench_load whygo_bench_bare \
  whygo_bench_attack >/dev/null
whygo=$build/whygo
tools=$build/bench

work=$(mktemp -d "${TMPDIR:-/tmp}/whygo-frontdoor.XXXXXX")
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

results=$build/frontdoor-results.txt
: >"$results"
say() { echo "$*" | tee -a "$results"; }
kv() { sed -n "s/.*[[:space:]]$2=\([^[:space:]]*\).*/\1/p" <<<" $1"; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'; }
ratio() { awk -v a="$(kv "$1" "$3")" -v b="$(kv "$2" "$3")" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }'; }

free_port() {
  local port
  for port in $(seq "$1" "$(($1 + 100))"); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "frontdoor.sh: no free port from $1" >&2
  exit 1
}
whygo_port=$(free_port 18200)
bare_port=$(free_port 18300)
bolt_port=$(free_port 18400)
tls_port=$(free_port 18500)
plain_port=$(free_port 18600)
redirect_port=$(free_port 18700)

wait_up() {  # wait_up URL PID NAME
  for _ in $(seq 1 600); do
    curl -kfsS "$1" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { echo "frontdoor.sh: $3 exited" >&2; exit 1; }
    sleep 0.05
  done
  echo "frontdoor.sh: $3 did not start" >&2
  exit 1
}

say "== machine"
say "date: $(date -u '+%Y-%m-%d %H:%M UTC')  commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet HEAD -- 2>/dev/null || echo ' (with uncommitted changes)')"
say "cpu: $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1 | cut -c1-40)  load before: $(cut -d' ' -f1-3 /proc/loadavg)"
say "nginx: $(/usr/sbin/nginx -v 2>&1 | cut -d/ -f2), node: $(node --version), wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"

slack_secret=$(openssl rand -hex 16)
"$tools/whygo_bench_sign" keygen "$work"
sign() { "$tools/whygo_bench_sign" requests "$work" "$slack_secret"; }

# whygo, as bench/run.sh runs it.
env -i "PATH=$PATH" "HOME=$work" "TZ=UTC" "WHYGO_SYNC_EVERY=never" "WHYGO_LINK_CHECK=never" "SLACK_SIGNING_SECRET=$slack_secret" "SLACK_API_BASE=http://127.0.0.1:9" \
  "WHYGO_DB=$work/serve.db" "WHYGO_LISTEN=127.0.0.1:$whygo_port" "$whygo" serve >"$work/whygo.log" 2>&1 &
whygo_pid=$!
pids+=("$whygo_pid")
wait_up "http://127.0.0.1:$whygo_port/healthz" "$whygo_pid" whygo

# The bare cpp-httplib server, 32 threads.
"$tools/whygo_bench_bare" "$bare_port" 32 >"$work/bare.log" 2>&1 &
pids+=("$!")
wait_up "http://127.0.0.1:$bare_port/healthz" "$!" "the bare server"

# Bolt-JS, the versions pinned in bench/bolt/package-lock.json.
mkdir -p "$work/bolt"
cp "$root/bench/bolt/package.json" "$root/bench/bolt/package-lock.json" "$root/bench/bolt/app.js" "$work/bolt/"
(cd "$work/bolt" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
(cd "$work/bolt" && exec env PORT="$bolt_port" SLACK_SIGNING_SECRET="$slack_secret" node app.js >"$work/bolt.log" 2>&1) &
bolt_pid=$!
pids+=("$bolt_pid")
for _ in $(seq 1 200); do grep -q "bolt listening" "$work/bolt.log" 2>/dev/null && break; sleep 0.05; done

# nginx with the shipped configuration: ports and paths moved here, TLS with a throwaway
# certificate, and one change: the per-address request rate, since all this load comes from one
# address (the shipped 100/s would answer most of it 429).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
mkdir -p "$work/nginx"
sed -e '/^user /d' -e "s|pid /run/nginx.pid;|pid $work/nginx/nginx.pid;|" \
  -e "s|error_log /var/log/nginx/error.log warn;|error_log $work/nginx/error.log warn;|" \
  -e "s|access_log /var/log/nginx/access.log;|access_log $work/nginx/access.log;|" \
  -e "s|include /etc/nginx/conf.d/whygo.conf;|client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy; fastcgi_temp_path $work/nginx/f; uwsgi_temp_path $work/nginx/u; scgi_temp_path $work/nginx/s; include $work/nginx/whygo.conf;|" \
  "$root/deploy/nginx/nginx.conf" >"$work/nginx/nginx.conf"
sed -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$whygo_port;|" \
  -e "s|listen 80;|listen 127.0.0.1:$redirect_port;|" \
  -e "s|listen 443 ssl;|listen 127.0.0.1:$tls_port ssl; listen 127.0.0.1:$plain_port;|" \
  -e "s|/etc/letsencrypt/live/whygo.example.com/fullchain.pem|$work/cert.pem|" \
  -e "s|/etc/letsencrypt/live/whygo.example.com/privkey.pem|$work/key.pem|" \
  -e "s|rate=100r/s|rate=100000r/s|" \
  "$root/deploy/nginx/whygo.conf" >"$work/nginx/whygo.conf"
/usr/sbin/nginx -p "$work/nginx/" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" -g "daemon off;" &
nginx_pid=$!
pids+=("$nginx_pid")
wait_up "https://127.0.0.1:$tls_port/healthz" "$nginx_pid" nginx

wrk_run() {  # wrk_run URL CONNECTIONS [SECONDS]
  sign
  WHYGO_BENCH_REQ="$work/slack.req" wrk -t2 -c"$2" -d"${3:-$seconds}s" --timeout 5s -s "$root/bench/wrk.lua" "$1" |
    grep '^WRK'
}
declare -A rows
measure() {  # measure KEY URL CONNECTIONS LABEL
  wrk_run "$2" "$3" >/dev/null  # warm-up (and Bolt's JIT)
  rows[$1]=$(wrk_run "$2" "$3")
  say "$4: ${rows[$1]}"
}

say ""
say "== saturation: signed Slack /whygo, wrk -t2, ${seconds} s each (after a warm-up run)"
measure bare8 "http://127.0.0.1:$bare_port/" 8 "bare cpp-httplib, 8 connections"
measure bare32 "http://127.0.0.1:$bare_port/" 32 "bare cpp-httplib, 32 connections"
measure bolt8 "http://127.0.0.1:$bolt_port/" 8 "Bolt-JS, 8 connections"
measure bolt32 "http://127.0.0.1:$bolt_port/" 32 "Bolt-JS, 32 connections"
measure whygo8 "http://127.0.0.1:$whygo_port/" 8 "whygo directly, 8 connections"
measure whygo32 "http://127.0.0.1:$whygo_port/" 32 "whygo directly, 32 connections"
measure nginx8 "https://127.0.0.1:$tls_port/" 8 "whygo behind nginx (TLS), 8 connections"
measure nginx32 "https://127.0.0.1:$tls_port/" 32 "whygo behind nginx (TLS), 32 connections"

# The runs above are minutes apart, and this machine's speed moves by a fifth in that time: the
# ratio to the bare server is also taken from short runs of the two in turn, and its median kept.
rounds=${WHYGO_BENCH_ROUNDS:-5}
say ""
say "== whygo / bare cpp-httplib, -c32, interleaved: $rounds rounds of 4 s each (bare, then whygo)"
round_ratios=()
for round in $(seq 1 "$rounds"); do
  bare_round=$(wrk_run "http://127.0.0.1:$bare_port/" 32 4)
  whygo_round=$(wrk_run "http://127.0.0.1:$whygo_port/" 32 4)
  round_ratios+=("$(ratio "$whygo_round" "$bare_round" rps)")
  say "round $round: bare $(kv "$bare_round" rps)/s, whygo $(kv "$whygo_round" rps)/s, ratio ${round_ratios[-1]}"
done
median_ratio=$(printf '%s\n' "${round_ratios[@]}" | sort -n | awk '{ r[NR] = $1 } END { print r[int((NR + 1) / 2)] }')
say "median ratio: $median_ratio"

say ""
say "== 2,000 signed requests/s, open loop (whygo_bench_load), 8 connections, 20 s after 2 s warm-up"
sign
fixed_nginx=$("$tools/whygo_bench_load" "$plain_port" 2000 20 8 "$work/slack.req" 2 || true)
say "through nginx (its plain-HTTP listener, same server block): $fixed_nginx"
sign
fixed_direct=$("$tools/whygo_bench_load" "$whygo_port" 2000 20 8 "$work/slack.req" 2 || true)
say "directly: $fixed_direct"

say ""
say "== hostile: 300 slowloris connections + 32 chunked 300 MB uploads (each reopened when closed), 20 s,"
say "   against whygo directly; /healthz probed every 50 ms; signed commands at 500/s meanwhile"
hwm_before=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$whygo_pid/status")
sign
"$tools/whygo_bench_load" "$whygo_port" 500 20 4 "$work/slack.req" 0 >"$work/hostile-load.txt" 2>&1 &
load_pid=$!
attack=$("$tools/whygo_bench_attack" "$whygo_port" 20 300 32 300)
wait "$load_pid" || true
hostile_load=$(grep '^LOAD' "$work/hostile-load.txt" || cat "$work/hostile-load.txt")
hwm_after=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$whygo_pid/status")
say "attack: $attack"
say "signed commands meanwhile: $hostile_load"
say "whygo VmHWM: $hwm_before before the attack (after all the load above), $hwm_after after"

row() {  # row LABEL LINE
  local line=$2
  say "| $1 | $(kv "$line" rps)$(kv "$line" achieved) | $(ms "$(kv "$line" p50)") | $(ms "$(kv "$line" p99)") | $(ms "$(kv "$line" max)") | $(kv "$line" non2xx) / $(kv "$line" socket_errors)$(kv "$line" errors) |"
}
say ""
say "| signed /whygo docker (Slack) | req/s | p50 | p99 | max | non-2xx / errors |"
say "|---|---:|---:|---:|---:|---:|"
row "bare cpp-httplib, -c8" "${rows[bare8]}"
row "bare cpp-httplib, -c32" "${rows[bare32]}"
row "Bolt-JS, -c8" "${rows[bolt8]}"
row "Bolt-JS, -c32" "${rows[bolt32]}"
row "whygo directly, -c8" "${rows[whygo8]}"
row "whygo directly, -c32" "${rows[whygo32]}"
row "whygo behind nginx (TLS), -c8" "${rows[nginx8]}"
row "whygo behind nginx (TLS), -c32" "${rows[nginx32]}"
row "2,000/s open loop through nginx" "$fixed_nginx"
row "2,000/s open loop directly" "$fixed_direct"
row "500/s open loop directly, under attack" "$hostile_load"
say ""
say "-c32: whygo / Bolt-JS throughput $(ratio "${rows[whygo32]}" "${rows[bolt32]}" rps), p99 $(ratio "${rows[whygo32]}" "${rows[bolt32]}" p99); whygo / bare cpp-httplib throughput $(ratio "${rows[whygo32]}" "${rows[bare32]}" rps) (interleaved median $median_ratio)"
say "-c8:  whygo / Bolt-JS throughput $(ratio "${rows[whygo8]}" "${rows[bolt8]}" rps), p99 $(ratio "${rows[whygo8]}" "${rows[bolt8]}" p99); whygo / bare cpp-httplib throughput $(ratio "${rows[whygo8]}" "${rows[bare8]}" rps)"
say "hostile: /healthz p50 $(ms "$(kv "$attack" p50)"), p99 $(ms "$(kv "$attack" p99)"), max $(ms "$(kv "$attack" max)"), $(kv "$attack" failed) failed of $(kv "$attack" probes); peak RSS $hwm_after"
say ""
say "whygo log: $(wc -l <"$work/whygo.log") lines; 401s: $(grep -c ' 401 ' "$work/whygo.log" || true); load after: $(cut -d' ' -f1-3 /proc/loadavg)"
say "results also in $results"
