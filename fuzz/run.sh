#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each one in turn for SECONDS (default 60).
#
#   fuzz/run.sh             every target, 60 s each (about 10 minutes plus the build)
#   fuzz/run.sh 5           every target, 5 s each (CI)
#   fuzz/run.sh 600 wiki    one or more named targets, 10 minutes each
#
# Needs clang-14 and libclang-rt-14-dev (Debian 12). No network; each run is bounded by
# libFuzzer's -max_total_time and by `timeout`. New corpus entries go to a temporary folder, never
# into fuzz/corpus/ (set WHYGO_FUZZ_KEEP_CORPUS=DIR to keep them in DIR/<target>/ instead).
# Crash inputs are kept in WHYGO_FUZZ_ARTIFACTS (default build-fuzz/artifacts/). Exits 1 when any
# target crashed, leaked, timed out or broke an invariant; 2 on a usage or build error.
#
# Environment: WHYGO_FUZZ_BUILD_DIR (default build-fuzz), WHYGO_FUZZ_CXX (default clang++-14),
# WHYGO_FUZZ_JOBS (build parallelism, default 2), WHYGO_FUZZ_RSS_MB (default 1536).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${1:-60}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: fuzz/run.sh [SECONDS] [TARGET...]" >&2
  exit 2
fi
shift $(($# > 0 ? 1 : 0))

# Target and the longest input worth trying: the service's own limits with a little room past
# them (bot/limits.hpp: 4096-byte commands, 2048-byte URLs, 512-byte queries), and bodies large
# enough for real payloads while keeping mutations fast.
declare -A max_len=(
  [slack_form]=8192
  [slack_events]=8192
  [discord_interaction]=8192
  [matrix_transaction]=16384
  [dispatcher]=4500
  [link_input]=4200
  [url_validate]=2200
  [wiki]=16384
  [search]=600
)
all_targets=(slack_form slack_events discord_interaction matrix_transaction dispatcher link_input url_validate
             wiki search)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  if [ -z "${max_len[$t]:-}" ]; then
    echo "unknown target: $t (known: ${all_targets[*]})" >&2
    exit 2
  fi
done

build_dir=${WHYGO_FUZZ_BUILD_DIR:-build-fuzz}
cxx=${WHYGO_FUZZ_CXX:-clang++-14}
jobs=${WHYGO_FUZZ_JOBS:-2}
rss_mb=${WHYGO_FUZZ_RSS_MB:-1536}
artifacts=${WHYGO_FUZZ_ARTIFACTS:-$build_dir/artifacts}

if ! command -v "$cxx" >/dev/null; then
  echo "fuzz: $cxx not found (apt-get install clang-14 libclang-rt-14-dev)" >&2
  exit 2
fi
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" -DWHYGO_FUZZ=ON \
        -DWHYGO_TESTS=OFF >/dev/null || exit 2
fi
cmake --build "$build_dir" --target fuzz -j "$jobs" || exit 2

work=$(mktemp -d "${TMPDIR:-/tmp}/whygo-fuzz-run.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"
artifacts=$(cd "$artifacts" && pwd)

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
printf '%-22s %10s %8s %8s %8s  %s\n' target runs exec/s cov ft result > "$work/summary"
for t in "${targets[@]}"; do
  if [ -n "${WHYGO_FUZZ_KEEP_CORPUS:-}" ]; then
    new="$WHYGO_FUZZ_KEEP_CORPUS/$t"
  else
    new="$work/corpus/$t"
  fi
  mkdir -p "$new" "fuzz/corpus/$t"
  log="$work/$t.log"
  echo "== fuzz_$t: $seconds s (max_len ${max_len[$t]})"
  # The first corpus folder receives new inputs; the seeds in fuzz/corpus/ are only read.
  timeout --kill-after=10 $((seconds + 120)) \
    "$build_dir/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len="${max_len[$t]}" -rss_limit_mb="$rss_mb" \
    -timeout=25 -print_final_stats=1 -artifact_prefix="$artifacts/$t-" "$new" "fuzz/corpus/$t" \
    > "$log" 2>&1
  status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  if [ $status -eq 0 ]; then
    result=ok
  else
    result="FAILED (exit $status)"
    failed+=("$t")
    cp "$log" "$artifacts/$t.log"
    echo "---- fuzz_$t failed; log in $artifacts/$t.log; crash input:"
    grep -E 'Test unit written to|ERROR:|SUMMARY:|invariant broken' "$log" | head -20
  fi
  printf '%-22s %10s %8s %8s %8s  %s\n' "$t" "${runs:--}" "${speed:--}" "${cov:--}" "${ft:--}" "$result" \
    >> "$work/summary"
done

echo
cat "$work/summary"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}; inputs and logs in $artifacts" >&2
  exit 1
fi
echo "fuzz: every target ran clean"
