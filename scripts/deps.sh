#!/usr/bin/env bash
# Install what jixun needs on Debian 12, by mode:
#   scripts/deps.sh [build|run|test|bench]      (no argument = run)
# Missing Debian packages are installed with apt-get when we are root;
# otherwise the exact command is printed and we stop, so nothing is half-done.
# In test mode the npm test dependencies come from the committed lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
# Keep in step with PKGS in the Makefile.
build_pkgs=(build-essential pkg-config libmicrohttpd-dev libsqlite3-dev libpq-dev
            libjansson-dev libsodium-dev libssl-dev libxlsxwriter-dev
            libzip-dev libexpat1-dev)
# clang + libclang-rt-14-dev: libFuzzer targets; postgresql: throwaway test
# cluster; chromium: browser tests (driven by playwright-core from npm);
# fonts-noto-cjk: readable Chinese in failure screenshots (DESIGN names it for PDFs too).
test_pkgs=(libcmocka-dev clang libclang-rt-14-dev postgresql chromium sqlite3 fonts-noto-cjk unzip)
bench_pkgs=(wrk curl)

case $mode in
  build|run) want=("${build_pkgs[@]}") ;;
  test)      want=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  bench)     want=("${build_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: scripts/deps.sh [build|run|test|bench]" >&2; exit 2 ;;
esac

# Node: keep whatever node is already on PATH (e.g. a newer one); only fall
# back to Debian's nodejs/npm when there is none.
if [[ $mode == test ]]; then
  if ! command -v node >/dev/null 2>&1; then
    want+=(nodejs npm)
  elif ! command -v npm >/dev/null 2>&1; then
    want+=(npm)
  fi
fi

missing=()
for p in "${want[@]}"; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $st == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ $(id -u) != 0 ]]; then
    echo "deps: missing Debian packages; run this, then try again:" >&2
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "deps: installing ${missing[*]}"
  log=$(mktemp)
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
       >"$log" 2>&1 </dev/null; then
    tail -n 30 "$log" >&2
    rm -f "$log"
    echo "deps: apt-get install failed" >&2
    exit 1
  fi
  rm -f "$log"
fi

if [[ $mode == test ]]; then
  major=$(node -p 'process.versions.node.split(".")[0]')
  if ((major < 18)); then
    echo "deps: node $(node --version) is too old; the tests need node >= 18" >&2
    exit 1
  fi
  # npm writes node_modules/.package-lock.json on every install: use it as the
  # stamp, so a changed lockfile triggers a clean reinstall.
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    echo "deps: npm ci"
    npm ci --no-audit --no-fund --loglevel=error </dev/null
  fi
fi
