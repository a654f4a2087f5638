#!/usr/bin/env bash
# Issue 18: the morning's fan-out across replicas. Two `whygo serve` replicas on one PostgreSQL
# post the daily story to 10,000 Slack channels (over 50 workspaces) and 10,000 Discord channels,
# all due at the same minute, against a fake Slack and Discord on loopback
# (bench/fanout_platform.cpp) that holds them to the platforms' documented rate limits (429 with
# Retry-After past them) and records every post:
#   bench/fanout.sh     (WHYGO_BENCH_BUILD=dir to use another build folder, WHYGO_BENCH_JOBS=n;
#                        WHYGO_FANOUT_SLACK, WHYGO_FANOUT_WORKSPACES, WHYGO_FANOUT_DISCORD: counts;
#                        WHYGO_FANOUT_LATENCY_MS: how long the fake holds each answer, default 0)
# The subscriptions are written straight into the database (the channels of one workspace next to
# each other, as the scheduler reads them, sorted), due at the next whole UTC minute at least 45 s
# ahead; the scheduler ticks every 15 s, so the first posts go out up to 15 s after that minute,
# as they would in the morning. Reported per platform: posts, channels posted twice, 429s, the
# minutes from the due minute to the last post, and the claims each replica made. The
# PostgreSQL cluster is a throwaway one in a temporary folder (Debian's postgresql, no TCP, fsync
# off), stopped at the end like every server this script starts (by pid).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${WHYGO_BENCH_BUILD:-$root/build-bench}
jobs=${WHYGO_BENCH_JOBS:-2}
slack_channels=${WHYGO_FANOUT_SLACK:-10000}
workspaces=${WHYGO_FANOUT_WORKSPACES:-50}
discord_channels=${WHYGO_FANOUT_DISCORD:-10000}
latency_ms=${WHYGO_FANOUT_LATENCY_MS:-0}
slack_per_minute=300  # the fake's reading of Slack's "several hundred messages per minute"
for tool in curl cmake jq; do
  command -v "$tool" >/dev/null || { echo "fanout.sh: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x $pg_bin/initdb ]] || { echo "fanout.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

if [[ -f $build/CMakeCache.txt ]]; then
  cmake -S "$root" -B "$build" -DWHYGO_BENCH=ON >/dev/null  # keeps the folder's build type
else
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DWHYGO_TESTS=OFF -DWHYGO_BENCH=ON >/dev/null
fi
cmake --build "$build" -j "$jobs" --target whygo whygo_bench_sign whygo_bench_fanout_platform >/dev/null
whygo=$build/whygo
tools=$build/bench

work=$(mktemp -d "${TMPDIR:-/tmp}/whygo-fanout.XXXXXX")
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

results=$build/fanout-results.txt
: >"$results"
say() { echo "$*" | tee -a "$results"; }

free_ports=()
for port in $(seq 18080 18180); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || free_ports+=("$port")
  [[ ${#free_ports[@]} -ge 3 ]] && break
done
[[ ${#free_ports[@]} -ge 3 ]] || { echo "fanout.sh: no 3 free ports in 18080-18180" >&2; exit 1; }
fake_port=${free_ports[0]}

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

# The fake platforms.
"$tools/whygo_bench_fanout_platform" "$fake_port" "$slack_per_minute" "$latency_ms" >"$work/fake.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$fake_port/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
stats() { curl -fsS "http://127.0.0.1:$fake_port/stats"; }

"$tools/whygo_bench_sign" keygen "$work"
# No upstream sync and no link checks: nothing but loopback is called.
server_env=(env -i "PATH=$PATH" "HOME=$work" "TZ=UTC" "WHYGO_DB=$pg_uri" "WHYGO_SYNC_EVERY=never" "WHYGO_LINK_CHECK=never"
  "SLACK_SIGNING_SECRET=bench-secret" "SLACK_BOT_TOKEN=xoxb-bench" "SLACK_API_BASE=http://127.0.0.1:$fake_port"
  "DISCORD_PUBLIC_KEY=$(cat "$work/discord_public.hex")" "DISCORD_APPLICATION_ID=1100000000000000001"
  "DISCORD_BOT_TOKEN=bench.token" "DISCORD_API_BASE=http://127.0.0.1:$fake_port")
replica_pids=()
serve() {  # serve PORT LOG: starts whygo serve, waits until /healthz answers
  "${server_env[@]}" "WHYGO_LISTEN=127.0.0.1:$1" "$whygo" serve >"$2" 2>&1 &
  local pid=$!
  pids+=("$pid")
  replica_pids+=("$pid")
  for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return
    kill -0 "$pid" 2>/dev/null || { cat "$2" >&2; echo "fanout.sh: whygo serve exited" >&2; exit 1; }
    sleep 0.05
  done
  echo "fanout.sh: whygo serve on $1 did not answer" >&2
  exit 1
}

serve "${free_ports[1]}" "$work/replica-a.log"  # creates the schema
now=$(date +%s)
due=$(( (now + 45 + 59) / 60 * 60 ))
minute=$(( due % 86400 / 60 ))
# Slack channel C<workspace>N<number> in workspace T<workspace> (the fake reads the workspace from
# the channel id); Discord channels are snowflakes in 100 guilds.
psql_q "INSERT INTO subscriptions (platform, channel, tenant, minute, zone, created_by, created_at)
  SELECT 'slack', 'C' || lpad((i % $workspaces)::text, 4, '0') || 'N' || lpad(i::text, 6, '0'),
         'T' || lpad((i % $workspaces)::text, 4, '0'), $minute, 'UTC', 'bench', $now
  FROM generate_series(0, $slack_channels - 1) AS i;
  INSERT INTO subscriptions (platform, channel, tenant, minute, zone, created_by, created_at)
  SELECT 'discord', (1200000000000000000 + i)::text, (1000000000000000000 + i % 100)::text, $minute, 'UTC',
         'bench', $now
  FROM generate_series(0, $discord_channels - 1) AS i" >/dev/null
serve "${free_ports[2]}" "$work/replica-b.log"
say "subscriptions: $slack_channels Slack channels over $workspaces workspaces, $discord_channels Discord channels, all due at $(date -u -d "@$due" '+%H:%M UTC'); two replicas on PostgreSQL; the fake allows Slack 1 post/s per channel and $slack_per_minute per rolling minute per workspace, Discord 50 requests per rolling second; each answer held $latency_ms ms"

# Waits for the fan-out: every channel posted, or 20 minutes past the due minute.
expected_slack=$slack_channels
expected_discord=$discord_channels
deadline=$((due + 20 * 60))
last_report=0
while :; do
  s=$(stats)
  slack_done=$(jq '.slack.accepted' <<<"$s")
  discord_done=$(jq '.discord.accepted' <<<"$s")
  [[ $slack_done -ge $expected_slack && $discord_done -ge $expected_discord ]] && break
  t=$(date +%s)
  if (( t >= deadline )); then say "gave up 20 minutes after the due minute"; break; fi
  if (( t - last_report >= 30 )); then
    echo "  $(date -u +%H:%M:%S): slack $slack_done/$expected_slack, discord $discord_done/$expected_discord" >&2
    last_report=$t
  fi
  sleep 2
done
sleep 3  # a last post's claim is written after the platform answered
s=$(stats)
say "fake platform stats: $(jq -c . <<<"$s")"

# The claims, by outcome and by replica.
a_pid=${replica_pids[0]}
b_pid=${replica_pids[1]}
claims=$(psql_q "SELECT platform, status,
    count(*) FILTER (WHERE claimed_by LIKE '%:$a_pid:%'), count(*) FILTER (WHERE claimed_by LIKE '%:$b_pid:%'),
    count(*)
  FROM post_claims GROUP BY platform, status ORDER BY platform, status")
while IFS='|' read -r platform status by_a by_b all; do
  say "claims: $platform $status: $all (replica A $by_a, replica B $by_b)"
done <<<"$claims"
say "post_claims rows per channel and day above 1: $(psql_q "SELECT count(*) FROM (SELECT 1 FROM post_claims GROUP BY platform, channel, local_date HAVING count(*) > 1) AS d")"
say "replicas' logs: $(cat "$work/replica-a.log" "$work/replica-b.log" | grep -c 'story post to .* failed' || true) failed story posts, $(cat "$work/replica-a.log" "$work/replica-b.log" | grep -ci 'warn' || true) warnings in all"
{ grep -hi 'warn' "$work/replica-a.log" "$work/replica-b.log" || true; } | sed 's/^\[[^]]*\] //' | sort | uniq -c |
  sort -rn | head -5 | while read -r line; do say "  warning: $line"; done

say ""
say "| platform | channels | posts | channels posted twice | 429s | first post after the due minute | last post after the due minute | posts/min (first to last) | busiest rolling minute | busiest rolling second |"
say "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
row() {  # row NAME KEY EXPECTED BUSIEST_MINUTE BUSIEST_SECOND
  local p first last
  p=$(jq ".$2" <<<"$s")
  first=$(jq '.first_ms' <<<"$p")
  last=$(jq '.last_ms' <<<"$p")
  say "| $1 | $3 | $(jq '.accepted' <<<"$p") | $(jq '.duplicates' <<<"$p") | $(jq '.rate_limited' <<<"$p") | $(awk -v f="$first" -v d="$due" 'BEGIN { printf "%.1f s", (f - d * 1000) / 1000 }') | $(awk -v l="$last" -v d="$due" 'BEGIN { printf "%.2f min", (l - d * 1000) / 60000 }') | $(awk -v n="$(jq '.accepted' <<<"$p")" -v f="$first" -v l="$last" 'BEGIN { if (l > f) printf "%.0f", (n - 1) * 60000 / (l - f); else print "-" }') | $4 | $5 |"
}
row "Slack ($workspaces workspaces)" slack "$slack_channels" \
  "$(jq '.slack.busiest_workspace_minute' <<<"$s") in one workspace (limit $slack_per_minute)" \
  "$(jq '.slack.busiest_workspace_second' <<<"$s") in one workspace ($(jq '.slack.busiest_workspace_10s' <<<"$s") in its busiest 10 s), $(jq '.slack.busiest_second' <<<"$s") in all"
row "Discord" discord "$discord_channels" "$(jq '.discord.busiest_minute' <<<"$s")" \
  "$(jq '.discord.busiest_second' <<<"$s") (limit 50)"
say "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
say "results also in $results"
