#!/usr/bin/env bash
# bench.sh: throughput and latency of a fresh demo server, measured by wrk.
#
# Usage: bench/bench.sh   (or `make bench`, which builds build/jixun first)
#
# Creates a demo database in a temporary directory, adds BENCH_CLUES
# generated problem clues (`jixun bench-data`), starts `jixun serve` on a
# free loopback port and runs `wrk -t2 -c64 -dBENCH_SECONDS --latency`
# against /healthz, the largest static asset the login page links to, the
# login page, the home page and module pages (logged in as a demo user),
# and the clue ledger — a filtered page of 50 rows as HTML and as JSON,
# need-to-know applied — as the inspection office (xcb, which sees every
# transferred clue's status) and as a handling office (cbbm).  Prints
# req/s, p50 and p99 per target, each as a ratio to the static asset's
# req/s (so figures compare across machines), and the server's peak RSS.
#
# Then it grows the database to BENCH_FIGURES_CLUES clues, restarts the
# server and times BENCH_FIGURES_RUNS sequential requests of the figures
# page (/clues/figures, no grouping and by round) per user with curl:
# median and max (the first request of each series runs on a cold cache).
#
# Environment:
#   BENCH_SECONDS        seconds per wrk target (default 10)
#   BENCH_EXTRA          more paths to measure, space-separated ("/a /b?x=1";
#                        "user:/path" measures as another demo user)
#   BENCH_THREADS        passed to `jixun serve --threads` when set
#   BENCH_CLUES          clues for the wrk targets (default 100000)
#   BENCH_FIGURES_CLUES  clues for the figures timings (default 1000000;
#                        0 skips them)
#   BENCH_FIGURES_RUNS   sequential requests per figures series (default 20)
#   JIXUN                the binary (default build/jixun)
#
# Benchmarks are not tests: this script asserts nothing about timings and
# fails only when the server cannot be set up.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jixun=${JIXUN:-$root/build/jixun}
seconds=${BENCH_SECONDS:-10}
wrk_args=(-t2 -c64 "-d${seconds}s" --latency)
clues=${BENCH_CLUES:-100000}
fig_clues=${BENCH_FIGURES_CLUES:-1000000}
fig_runs=${BENCH_FIGURES_RUNS:-20}

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

# Clues for the ledger targets: as many as the flow would have made,
# with their persons and access lists (not through the flow: minutes,
# not hours).
gen_clues() {
  echo "bench: generating $1 clues (jixun bench-data)"
  "$jixun" bench-data --db "$db" --clues "$1" >>"$tmp/bench-data.log" 2>&1 ||
    { cat "$tmp/bench-data.log" >&2; die "jixun bench-data failed"; }
  tail -n 1 "$tmp/bench-data.log"
}
if [ "$clues" -gt 0 ]; then gen_clues "$clues"; fi

start_server() {
  port=$(free_port) || die "no free port found"
  base=http://127.0.0.1:$port
  serve_args=(serve --db "$db" --listen "127.0.0.1:$port")
  if [ -n "${BENCH_THREADS:-}" ]; then
    serve_args+=(--threads "$BENCH_THREADS")
  fi
  "$jixun" "${serve_args[@]}" >>"$tmp/server.log" 2>&1 &
  pid=$!

  local deadline=$((SECONDS + 20))
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
}

stop_server() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  pid=
}

# Wait (up to 120 s) until the server has worked off what the last wrk
# run left queued: a slow target keeps it busy after wrk stops.
settle() {
  local deadline=$((SECONDS + 120))
  until [ "$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' \
    "$base/healthz" || true)" = 200 ]; do
    [ "$SECONDS" -lt "$deadline" ] || return 0
    sleep 1
  done
}

# The session cookie of demo account $1 ("" when the login fails).
login_cookie() {
  local user=$1 pw
  pw=$(awk -v u="$user" '$1 == u { print $2; exit }' "$tmp/demo.log")
  [ -n "$pw" ] || return 0
  curl -s --max-time 10 -o /dev/null -D - \
    -H 'Content-Type: application/json' \
    --data "{\"username\":\"$user\",\"password\":\"$pw\"}" \
    "$base/api/v1/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: *\([^;]*\).*/\1/p' | head -n 1
}

start_server

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

# The pages need a session: log in as demo accounts through the API and
# send the cookie with every request.  xcb (巡察办) is the default user.
user=xcb
declare -A cookies=()
cookie_of() {
  if [ -z "${cookies[$1]+set}" ]; then
    cookies[$1]=$(login_cookie "$1")
    [ -n "${cookies[$1]}" ] ||
      notes+=("could not log in as demo user $1; its pages measured without a session")
  fi
}
cookie_of "$user"
cookie_of cbbm

# The clue ledger: one filtered page of 50 (page 3, so the rows before it
# are walked too), as HTML and as JSON.
ledger=("/clues?state=verify&page=3" "/api/v1/clues?state=verify&page=3&per_page=50"
  "cbbm:/clues?state=verify&page=3" "cbbm:/api/v1/clues?state=verify&page=3&per_page=50")
read -r -a extra <<<"${BENCH_EXTRA:-}"
targets=(/healthz "$static" /login / /org/units /rounds "${ledger[@]}" "${extra[@]}")
echo "bench: wrk ${wrk_args[*]}, server $base, $(nproc) CPUs, $clues generated clues"
names=() bytes=() rps=() p50=() p99=()
for target in "${targets[@]}"; do
  hdr=()
  t=$target who=$user
  case $target in /*) ;; *:/*) who=${target%%:/*} t=/${target#*:/} ;; esac
  # Every page but the public ones is measured as a logged-in demo user.
  case $t in
    /healthz | /login | /static/*) ;;
    *)
      cookie_of "$who"
      [ -z "${cookies[$who]}" ] || hdr=(-H "Cookie: ${cookies[$who]}")
      ;;
  esac
  settle
  read -r code size _ <<<"$(probe "$t" "${hdr[@]}")"
  [ "$code" = 200 ] || notes+=("$t answered $code, not 200")
  echo "bench: measuring $t"
  out=$(wrk "${wrk_args[@]}" "${hdr[@]}" "$base$t" 2>&1 || true)
  echo "$out" >>"$tmp/wrk.log"
  names+=("$target")
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
printf '%-52s %10s %12s %10s %10s %10s\n' \
  target bytes req/s p50 p99 vs-static
for i in "${!names[@]}"; do
  ratio=$(awk -v a="${rps[i]}" -v b="$static_rps" \
    'BEGIN { if (a != "" && b + 0 > 0) printf "%.3f", a / b; else print "-" }')
  printf '%-52s %10s %12s %10s %10s %10s\n' "${names[i]}" "${bytes[i]}" \
    "${rps[i]:--}" "${p50[i]:--}" "${p99[i]:--}" "$ratio"
done
echo
echo "bytes: response body per request; vs-static: req/s / req/s of ${static}"
echo "user: xcb (巡察办) unless the target names another (cbbm: 承办部门)"
hwm=$(awk '$1 == "VmHWM:" { print $2, $3 }' "/proc/$pid/status" 2>/dev/null ||
  true)
echo "server peak RSS (VmHWM): ${hwm:-unknown}"

# ---- the figures page at BENCH_FIGURES_CLUES clues: single requests ----
if [ "$fig_clues" -gt "$clues" ]; then
  stop_server
  gen_clues $((fig_clues - clues))
  start_server
  cookies=()
  echo
  echo "bench: figures page at $fig_clues clues, $fig_runs sequential requests per series (curl)"
  printf '%-6s %-44s %10s %10s %10s %8s\n' user path median max first status
  for who in xcb cbbm; do
    cookie_of "$who"
    for path in /clues/figures "/clues/figures?group=round"; do
      times=() status=
      for _ in $(seq 1 "$fig_runs"); do
        read -r code secs <<<"$(curl -s -o /dev/null --max-time 120 \
          -H "Cookie: ${cookies[$who]}" -w '%{http_code} %{time_total}' \
          "$base$path" || true)"
        times+=("$secs")
        [ "$code" = 200 ] || status=$code
      done
      stats=$(printf '%s\n' "${times[@]}" | sort -g | awk '
        { v[NR] = $1 } END {
          m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
          printf "%.0fms %.0fms", m * 1000, v[NR] * 1000 }')
      printf '%-6s %-44s %10s %10s %10s %8s\n' "$who" "$path" ${stats} \
        "$(awk -v s="${times[0]}" 'BEGIN { printf "%.0fms", s * 1000 }')" \
        "${status:-200}"
    done
  done
  echo "first: the first request of the series (cold page cache after the restart)"
  hwm=$(awk '$1 == "VmHWM:" { print $2, $3 }' "/proc/$pid/status" 2>/dev/null ||
    true)
  echo "server peak RSS (VmHWM): ${hwm:-unknown}"
fi

for n in "${notes[@]}"; do
  echo "note: $n"
done
