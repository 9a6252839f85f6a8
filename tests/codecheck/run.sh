#!/usr/bin/env bash
# Shows that tools/codecheck.c fails the build on each kind of injection-
# prone code it exists to catch, and accepts the safe forms.  Ends with
# "codecheck: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
check=build/tools/codecheck
[[ -x $check ]] || { echo "codecheck: $check not built"; echo "codecheck: 0 passed, 1 failed"; exit 1; }
pass=0 fail=0
for f in tests/codecheck/bad_*.c tests/codecheck/web/page_bad.c; do
  # page_bad.c must be seen as page code: the checker keys on web/page_.
  if "$check" "$f" >/dev/null 2>&1; then
    echo "FAIL: codecheck accepted $f"; fail=$((fail + 1))
  else
    echo "ok: codecheck rejected $f"; pass=$((pass + 1))
  fi
done
if "$check" tests/codecheck/good.c; then
  echo "ok: codecheck accepted tests/codecheck/good.c"; pass=$((pass + 1))
else
  echo "FAIL: codecheck rejected tests/codecheck/good.c"; fail=$((fail + 1))
fi
echo "codecheck: $pass passed, $fail failed"
((fail == 0))
