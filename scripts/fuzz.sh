#!/usr/bin/env bash
# fuzz.sh: run libFuzzer targets from their seed corpora and report.
#
# Usage: scripts/fuzz.sh smoke|long BIN...
#   smoke  4 seconds per target (the test suite runs this)
#   long   FUZZ_SECONDS seconds per target (default 600), run by hand
#
# Each BIN (build/fuzz/fuzz_NAME) starts from a fresh temporary copy of
# fuzz/corpus/NAME/, with fuzz/NAME.dict when it exists.  Crash, timeout
# and OOM inputs go to build/fuzz/artifacts/NAME-*, the full libFuzzer
# output to build/fuzz/logs/NAME.log.  FUZZ_KEEP=1 copies the grown corpus
# to fuzz/corpus-NAME/ (ignored by git) for a later run to start from.
# Prints one line per target and "fuzz: N passed, M failed"; exits
# non-zero if any target failed.
set -euo pipefail

usage() {
  echo "usage: $0 smoke|long BIN..." >&2
  exit 2
}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case ${1:-} in
  smoke) seconds=4 ;;
  long) seconds=${FUZZ_SECONDS:-600} ;;
  *) usage ;;
esac
shift
[ $# -gt 0 ] || usage

artifacts=$root/build/fuzz/artifacts
logs=$root/build/fuzz/logs
mkdir -p "$artifacts" "$logs"
work=$(mktemp -d "${TMPDIR:-/tmp}/jixun-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The fuzz build lets UBSan recover; make its reports fatal so libFuzzer
# records them as crashes.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

passed=0
failed=0
report=()
for bin in "$@"; do
  base=$(basename "$bin")
  name=${base#fuzz_}
  corpus=$work/$name
  log=$logs/$name.log
  mkdir -p "$corpus"
  if [ -d "$root/fuzz/corpus/$name" ]; then
    cp -R "$root/fuzz/corpus/$name/." "$corpus/"
  else
    echo "fuzz: warning: no seed corpus fuzz/corpus/$name" >&2
  fi
  args=(-max_total_time="$seconds" -max_len=65536 -timeout=10
        -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$artifacts/$name-")
  if [ -f "$root/fuzz/$name.dict" ]; then
    args+=(-dict="$root/fuzz/$name.dict")
  fi

  echo "fuzz: running $name for ${seconds}s"
  status=ok
  if [ ! -x "$bin" ]; then
    echo "fuzz: $bin: not an executable" >"$log"
    status=FAILED
  elif ! "$bin" "${args[@]}" "$corpus" >"$log" 2>&1; then
    status=FAILED
  fi

  # "Done 123456 runs in 4 second(s)" and "stat::number_of_executed_units: N"
  runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 \2/p' \
    "$log" | tail -n 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' \
    "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *\([0-9]*\).*/\1/p' \
    "$log" | tail -n 1)
  if [ -n "$runs" ]; then
    read -r n secs <<<"$runs"
    execs=${execs:-$n}
    if [ "$secs" -gt 0 ]; then rate=$((n / secs)); fi
  fi
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2 || true)
  files=$(find "$corpus" -type f | wc -l)

  if [ "$status" = ok ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "fuzz: $name FAILED; end of $log:" >&2
    tail -n 40 "$log" >&2
  fi
  if [ "${FUZZ_KEEP:-0}" = 1 ]; then
    mkdir -p "$root/fuzz/corpus-$name"
    cp -R "$corpus/." "$root/fuzz/corpus-$name/"
  fi
  report+=("$(printf '%-12s %-6s executions %10s  exec/s %8s  corpus %5s files  cov %6s' \
    "$name" "$status" "${execs:-?}" "${rate:-?}" "$files" "${cov:-?}")")
done

for line in "${report[@]}"; do
  echo "fuzz: $line"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
