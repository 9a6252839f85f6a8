#!/usr/bin/env bash
# `make run`: serve build/jixun on http://127.0.0.1:8080, creating the
# database with demo data on first run.
#   JIXUN_DB      database (default ./jixun.db; a postgresql:// URL works too)
#   JIXUN_LISTEN  listen address (default 127.0.0.1:8080)
set -euo pipefail
cd "$(dirname "$0")/.."

db=${JIXUN_DB:-jixun.db}
listen=${JIXUN_LISTEN:-127.0.0.1:8080}
bin=build/jixun
accounts=$db.accounts
unset JIXUN_DB   # pass --db explicitly below

[[ -x $bin ]] || { echo "run: $bin missing; run 'make run' (it builds first)" >&2; exit 1; }

if [[ $db == postgres://* || $db == postgresql://* ]]; then
  # Existence cannot be seen from here; init is a no-op on a ready database.
  # Demo data is never loaded into a PostgreSQL database automatically.
  "$bin" init --db "$db"
  accounts=""
elif [[ ! -e $db ]]; then
  echo "run: creating $db with demo data"
  # A failed first run must not leave a half-made database behind.
  # demo's own listing of the accounts is left out: the file is shown below.
  if ! "$bin" init --db "$db" || ! "$bin" demo --db "$db" >/dev/null; then
    rm -f -- "$db" "$db-wal" "$db-shm" "$accounts"
    echo "run: could not create $db" >&2
    exit 1
  fi
fi

echo
echo "纪巡已启动：http://$listen"
if [[ -n $accounts && -r $accounts ]]; then
  echo "登录账户（保存在 $accounts）："
  cat -- "$accounts"
else
  echo "登录：使用已有账户（演示账户由 build/jixun demo --db $db 创建）"
fi
echo "按 Ctrl-C 停止。"
echo
exec "$bin" serve --db "$db" --listen "$listen"
