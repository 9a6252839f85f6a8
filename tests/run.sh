#!/usr/bin/env bash
# The whole test suite, as `make test` runs it after building the sanitizer
# binaries (build/asan/jixun, build/asan/tests/test_*) and the fuzz targets:
#   1. cmocka unit tests (with a throwaway PostgreSQL cluster to test against)
#   2. HTTP + browser tests (node --test) on SQLite
#   3. the same on PostgreSQL
#   4. the build-time checker (tests/codecheck)
#   5. fuzz smoke run
# Ends with the line "N passed, M failed" (totals); exits non-zero on any
# failure, or when no test ran at all.
set -euo pipefail
cd "$(dirname "$0")/.."

# Any sanitizer report is fatal and must surface as a failure.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
unset JIXUN_DB

total_pass=0
total_fail=0
summary=()
logdir=$(mktemp -d "${TMPDIR:-/tmp}/jixun-test-logs.XXXXXX")
pgdir=""

cleanup() {
  if [[ -n $pgdir ]]; then tests/pg.sh stop "$pgdir" || true; fi
  rm -rf "$logdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # still runs cleanup via EXIT

record() { # part passed failed seconds [note]
  total_pass=$((total_pass + $2))
  total_fail=$((total_fail + $3))
  summary+=("$(printf '%-24s %4d passed, %d failed  (%ds)%s' "$1" "$2" "$3" "$4" "${5:+  $5}")")
}

section() { printf '\n=== %s ===\n' "$1"; }

# ---- throwaway PostgreSQL cluster ----
section "postgresql cluster"
pg_url=""
pgdir=$(mktemp -d "${TMPDIR:-/tmp}/jixun-pg.XXXXXX")
if pg_url=$(tests/pg.sh start "$pgdir"); then
  echo "started: $pg_url"
else
  echo "FAILED to start a PostgreSQL cluster; PostgreSQL parts are counted as failed"
  record "postgresql cluster" 0 1 0
  pg_url=""
fi

# ---- 1. cmocka unit tests ----
section "unit tests (cmocka)"
start=$SECONDS
u_pass=0 u_fail=0
shopt -s nullglob
units=(build/asan/tests/test_*)
shopt -u nullglob
for bin in "${units[@]}"; do
  [[ -f $bin && -x $bin ]] || continue
  name=$(basename "$bin")
  log=$logdir/$name.log
  rc=0
  JIXUN_TEST_PG_URL=$pg_url timeout 300 "$bin" >"$log" 2>&1 </dev/null || rc=$?
  # One "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)" line per group.
  p=$(sed -nE 's/^\[  PASSED  \] ([0-9]+) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
  f=$(sed -nE 's/^\[  FAILED  \] ([0-9]+) test\(s\).*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
  bad=""
  if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$log"; then bad="sanitizer report"; fi
  if ((rc != 0 && f == 0)); then bad="${bad:+$bad, }exit $rc"; fi
  if ((p + f == 0)) && [[ -z $bad ]]; then bad="no cmocka summary"; fi
  if [[ -n $bad ]]; then f=$((f + 1)); fi
  u_pass=$((u_pass + p)); u_fail=$((u_fail + f))
  if ((f > 0)); then
    cat "$log"
    echo "FAIL $name: $p passed, $f failed${bad:+ ($bad)}"
  else
    echo "ok   $name: $p passed"
  fi
done
((${#units[@]})) || echo "(no unit test binaries in build/asan/tests/)"
record "unit" "$u_pass" "$u_fail" $((SECONDS - start))

# ---- 2./3. HTTP and browser tests, once per backend ----
shopt -s nullglob
node_tests=(tests/http/*.test.mjs tests/browser/*.test.mjs)
shopt -u nullglob
# Each test file starts its own server with its own database, so two files
# can run at once (the machine has 2 cores).
node_conc=${JIXUN_TEST_CONCURRENCY:-2}
# A hung test must fail, not stall the run (--test-timeout: node >= 20.11).
node_timeout=()
if node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=11)?0:1)'; then
  node_timeout=(--test-timeout=180000)
fi

run_node() { # backend
  local backend=$1 tap=$logdir/node-$1.tap rc=0 p f c t start=$SECONDS
  section "http + browser tests on $backend"
  if [[ $backend == postgresql && -z $pg_url ]]; then
    echo "skipped: no PostgreSQL cluster"
    record "http+browser $backend" 0 1 0
    return
  fi
  mkdir -p build/test-artifacts
  : >"$tap"
  JIXUN_TEST_BACKEND=$backend JIXUN_TEST_PG_URL=$pg_url \
    timeout --kill-after=10 900 node --test --test-concurrency="$node_conc" "${node_timeout[@]}" \
      --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$tap" \
      "${node_tests[@]}" </dev/null || rc=$?
  p=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$tap" | tail -n 1)
  f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$tap" | tail -n 1)
  c=$(sed -nE 's/^# cancelled ([0-9]+)$/\1/p' "$tap" | tail -n 1)
  t=$(sed -nE 's/^# todo ([0-9]+)$/\1/p' "$tap" | tail -n 1)
  p=${p:-0}; f=$(( ${f:-0} + ${c:-0} ))
  # A crash of the runner itself leaves no summary: count it as a failure.
  if ((rc != 0 && f == 0)); then f=1; echo "node --test exited $rc"; fi
  local note=""
  if ((${t:-0} > 0)); then note="$t todo (known gaps, not counted)"; fi
  record "http+browser $backend" "$p" "$f" $((SECONDS - start)) "$note"
}

if ((${#node_tests[@]})); then
  run_node sqlite
  run_node postgresql
else
  echo "(no tests in tests/http or tests/browser)"
fi

# ---- 4. build-time checker ----
section "codecheck"
start=$SECONDS
log=$logdir/codecheck.log
rc=0
tests/codecheck/run.sh 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
line=$(grep -E '^codecheck: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)
p=$(sed -E 's/^codecheck: ([0-9]+) passed.*/\1/' <<<"${line:-codecheck: 0 passed, 1 failed}")
f=$(sed -E 's/^codecheck: [0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"${line:-codecheck: 0 passed, 1 failed}")
if ((rc != 0 && f == 0)); then f=1; fi
record "codecheck" "$p" "$f" $((SECONDS - start))

# ---- 5. fuzz smoke ----
section "fuzz smoke"
start=$SECONDS
fuzzers=()
for b in build/fuzz/fuzz_*; do
  if [[ -f $b && -x $b ]]; then fuzzers+=("$b"); fi
done
if ((${#fuzzers[@]})); then
  log=$logdir/fuzz.log
  rc=0
  if [[ -x scripts/fuzz.sh ]]; then
    scripts/fuzz.sh smoke "${fuzzers[@]}" </dev/null 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
  else
    echo "scripts/fuzz.sh missing" | tee "$log"; rc=1
  fi
  line=$(grep -E '^fuzz: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)
  if [[ -n $line ]]; then
    p=$(sed -E 's/^fuzz: ([0-9]+) passed.*/\1/' <<<"$line")
    f=$(sed -E 's/^fuzz: [0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")
  else
    p=0 f=0
  fi
  if ((rc != 0 && f == 0)); then f=1; fi
  record "fuzz smoke" "$p" "$f" $((SECONDS - start))
else
  echo "(no fuzz targets in build/fuzz/)"
fi

# ---- summary ----
# CI keeps only the tail of the output, so the failures' own messages are
# repeated here, just above the counts (the leaf "not ok" lines of the TAP
# files with their error and location).
for tap in "$logdir"/node-*.tap; do
  [[ -s $tap ]] || continue
  if grep -q '^ *not ok ' "$tap"; then
    section "failures in $(basename "$tap" .tap)"
    awk '/^ *not ok /{show=1; n=0; print; next}
         show && /^ *(stack:|\.\.\.$)/ {show=0; next}
         show && !/^ *---$/ {print; if (++n >= 14) show=0}' "$tap" | cut -c1-300 | head -n 80
  fi
done
section "summary"
printf '%s\n' "${summary[@]}"
if ((total_pass == 0 && total_fail == 0)); then
  echo "no test ran"
  total_fail=1
fi
echo "$total_pass passed, $total_fail failed"
((total_fail == 0))
