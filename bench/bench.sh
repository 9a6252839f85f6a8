#!/usr/bin/env bash
# bench.sh: throughput and latency of a fresh demo server, measured by wrk.
#
# Usage: bench/bench.sh   (or `make bench`, which builds build/jixun first)
#
# Creates a demo database in a temporary directory, starts `jixun serve` on
# a free loopback port and runs `wrk -t2 -c64 -dBENCH_SECONDS --latency`
# against /healthz, the largest static asset the login page links to, the
# login page and the home page (logged in as a demo user).  Prints req/s, p50
# and p99 per target, each as a ratio to the static asset's req/s (so
# figures compare across machines), and the server's peak RSS.
#
# Environment:
#   BENCH_SECONDS  seconds per target (default 10)
#   BENCH_EXTRA    more paths to measure, space-separated ("/a /b?x=1")
#   BENCH_THREADS  passed to `jixun serve --threads` when set
#   JIXUN          the binary (default build/jixun)
#
# Benchmarks are not tests: this script asserts nothing about timings and
# fails only when the server cannot be set up.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jixun=${JIXUN:-$root/build/jixun}
seconds=${BENCH_SECONDS:-10}
wrk_args=(-t2 -c64 "-d${seconds}s" --latency)

die() {
  echo "bench: $*" >&2
  exit 1
}

for tool in wrk curl; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
[ -x "$jixun" ] || die "$jixun not built (run make all)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixun-bench.XXXXXX")
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port nothing listens on (connecting fails).  Racy, like every such
# probe; a bind failure shows up as the server exiting below.
free_port() {
  local port _
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# "CODE BYTES REDIRECT" of one GET, without following redirects.
probe() {
  local path=$1
  shift
  curl -s -o /dev/null --max-time 10 "$@" \
    -w '%{http_code} %{size_download} %{redirect_url}' "$base$path" || true
}

db=$tmp/bench.db
"$jixun" init --db "$db" >"$tmp/init.log" 2>&1 ||
  { cat "$tmp/init.log" >&2; die "jixun init failed"; }
"$jixun" demo --db "$db" >"$tmp/demo.log" 2>&1 ||
  { cat "$tmp/demo.log" >&2; die "jixun demo failed"; }

port=$(free_port) || die "no free port found"
base=http://127.0.0.1:$port
serve_args=(serve --db "$db" --listen "127.0.0.1:$port")
if [ -n "${BENCH_THREADS:-}" ]; then
  serve_args+=(--threads "$BENCH_THREADS")
fi
"$jixun" "${serve_args[@]}" >"$tmp/server.log" 2>&1 &
pid=$!

deadline=$((SECONDS + 20))
until [ "$(probe /healthz | cut -d' ' -f1)" = 200 ]; do
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -n 20 "$tmp/server.log" >&2
    pid=
    die "server exited before answering /healthz"
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    tail -n 20 "$tmp/server.log" >&2
    die "no 200 from $base/healthz within 20 s"
  fi
  sleep 0.2
done

notes=()

# The largest /static/ file the login page links to.
static=
best=-1
login_html=$(curl -s --max-time 10 "$base/login" || true)
while read -r url; do
  [ -n "$url" ] || continue
  read -r code size _ <<<"$(probe "$url")"
  if [ "$code" = 200 ] && [ "$size" -gt "$best" ]; then
    static=$url
    best=$size
  fi
done < <(grep -oE '(href|src)="/static/[^"]+"' <<<"$login_html" |
  sed -e 's/^[a-z]*="//' -e 's/"$//' -e 's/&amp;/\&/g' | awk '!seen[$0]++')
if [ -z "$static" ]; then
  static=/static/app.css
  notes+=("no /static/ link found on /login; using $static")
fi

# The home page needs a session: log in as a demo account through the
# API and send its cookie with every request to /.
cookie=
user=xcb
pw=$(awk -v u="$user" '$1 == u { print $2; exit }' "$tmp/demo.log")
if [ -n "$pw" ]; then
  cookie=$(curl -s --max-time 10 -o /dev/null -D - \
    -H 'Content-Type: application/json' \
    --data "{\"username\":\"$user\",\"password\":\"$pw\"}" \
    "$base/api/v1/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: *\([^;]*\).*/\1/p' | head -n 1)
fi
[ -n "$cookie" ] || notes+=("could not log in as demo user $user; / measured without a session")

read -r -a extra <<<"${BENCH_EXTRA:-}"
targets=(/healthz "$static" /login / /org/units /rounds "${extra[@]}")
echo "bench: wrk ${wrk_args[*]}, server $base, $(nproc) CPUs"
names=() bytes=() rps=() p50=() p99=()
for t in "${targets[@]}"; do
  hdr=()
  # Every page but the public ones is measured as the logged-in demo user.
  case $t in /healthz | /login | /static/*) ;; *) [ -z "$cookie" ] || hdr=(-H "Cookie: $cookie") ;; esac
  read -r code size _ <<<"$(probe "$t" "${hdr[@]}")"
  [ "$code" = 200 ] || notes+=("$t answered $code, not 200")
  echo "bench: measuring $t"
  out=$(wrk "${wrk_args[@]}" "${hdr[@]}" "$base$t" 2>&1 || true)
  echo "$out" >>"$tmp/wrk.log"
  names+=("$t")
  bytes+=("${size:-?}")
  rps+=("$(awk '$1 == "Requests/sec:" { print $2 }' <<<"$out")")
  p50+=("$(awk '$1 == "50%" { print $2; exit }' <<<"$out")")
  p99+=("$(awk '$1 == "99%" { print $2; exit }' <<<"$out")")
  bad=$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' <<<"$out")
  [ -z "$bad" ] || notes+=("$t: $bad non-2xx/3xx responses")
  errs=$(grep -m1 'Socket errors' <<<"$out" || true)
  [ -z "$errs" ] || notes+=("$t: ${errs#"${errs%%[![:space:]]*}"}")
done

static_rps=${rps[1]:-}
echo
printf '%-32s %10s %12s %10s %10s %10s\n' \
  target bytes req/s p50 p99 vs-static
for i in "${!names[@]}"; do
  ratio=$(awk -v a="${rps[i]}" -v b="$static_rps" \
    'BEGIN { if (a != "" && b + 0 > 0) printf "%.2f", a / b; else print "-" }')
  printf '%-32s %10s %12s %10s %10s %10s\n' "${names[i]}" "${bytes[i]}" \
    "${rps[i]:--}" "${p50[i]:--}" "${p99[i]:--}" "$ratio"
done
echo
echo "bytes: response body per request; vs-static: req/s / req/s of ${static}"
for n in "${notes[@]}"; do
  echo "note: $n"
done
hwm=$(awk '$1 == "VmHWM:" { print $2, $3 }' "/proc/$pid/status" 2>/dev/null ||
  true)
echo "server peak RSS (VmHWM): ${hwm:-unknown}"
