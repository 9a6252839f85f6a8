/* cmd_token.c: `jixun token create|revoke|list` — API tokens for
** integrations (auth/token.h).  A new token is printed once; creating
** and revoking are audited like the account commands (cmd_user.c). */
#include <stdlib.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "auth/crypto.h"
#include "auth/mfa.h"
#include "auth/token.h"
#include "cli/cli.h"


#define TOKEN_USAGE                                                          \
  "create --user LOGIN [--days N] [--name 用途] [--db …] [--key PATH]\n" \
  "       jixun token revoke --id N [--db …] [--key PATH]\n"               \
  "       jixun token list [--user LOGIN] [--db …]"

/* "2026-01-01 10:31" (UTC), or "-" for 0. */
static void fmt_time(jx_time t, char out[21]) {
  if (!t) {
    str_copy(out, "-", 21);
    return;
  }
  time_iso(t, out);
  out[10] = ' ';
  out[16] = 0;
}

/* Commit with the audit record, or roll back and record the failure.
** Returns the exit status. */
static int finish(Db *db, const Keys *k, int ok, const char *login,
                  int64_t user_id, const char *action, int64_t token_id,
                  const Buf *summary, const Buf *err) {
  if (ok) {
    if (cli_audit(db, k, login, user_id, action, "api_token", token_id,
                  AUDIT_OK, buf_str(summary)) == DB_OK &&
        db_commit(db) == DB_OK)
      return 0;
    db_rollback(db);
    fprintf(stderr, "jixun token: 保存失败，操作未执行\n");
    return 1;
  }
  db_rollback(db);
  Buf failed = BUF_INIT;
  buf_printf(&failed, "%s；失败：%s", buf_str(summary),
             err->len ? buf_str(err) : "保存失败");
  cli_audit(db, k, login, user_id, action, "api_token", token_id, AUDIT_FAILED,
            buf_str(&failed));
  buf_release(&failed);
  fprintf(stderr, "jixun token: %s\n", err->len ? buf_str(err) : "保存失败");
  return 1;
}

static int token_create_cmd(int argc, char **argv) {
  const char *dbflag = NULL, *keyflag = NULL, *user = NULL, *days_s = NULL,
             *name = NULL;
  const CliOpt opts[] = {{"--db", 1, &dbflag}, {"--key", 1, &keyflag},
                         {"--user", 1, &user}, {"--days", 1, &days_s},
                         {"--name", 1, &name}, {0, 0, 0}};
  const char *usage =
      "create --user LOGIN [--days N] [--name 用途] [--db …] "
      "[--key PATH]";
  int64_t days = TOKEN_DEFAULT_DAYS;
  if (cli_parse(argc, argv, opts, NULL, 0, NULL, usage) != 0) return 2;
  if (!user) {
    fprintf(stderr, "jixun token create: 缺少 --user\n用法：jixun token %s\n",
            usage);
    return 2;
  }
  if (days_s && str_to_int64(days_s, 1, TOKEN_MAX_DAYS, &days) != 0) {
    fprintf(stderr, "jixun token create: --days 应为 1 到 %d 之间的整数\n",
            TOKEN_MAX_DAYS);
    return 2;
  }
  const char *loc = cli_db_location(dbflag);
  Keys k;
  Db *db = cli_open_db_keys(loc, keyflag, &k);
  if (!db) return 1;
  Buf err = BUF_INIT, summary = BUF_INIT;
  char token[TOKEN_LEN + 1] = "";
  int64_t id = 0, uid = 0;
  int rc = 1;
  if (db_begin(db) != DB_OK) {
    fprintf(stderr, "jixun token: 数据库繁忙\n");
    goto done;
  }
  uid = account_id_by_login(db, user);
  buf_printf(&summary, "为账号 %s 创建 API 令牌（有效期 %lld 天%s%s）", user,
             (long long)days, name && *name ? "，用途：" : "",
             name ? name : "");
  int ok = 0;
  if (!uid)
    buf_printf(&err, "账号 %s 不存在", user);
  else
    ok = token_create(db, uid, name, (int)days, token, &id, &err) == 0;
  /* Audited as the token's user (the operator is not known here). */
  rc = finish(db, &k, ok, user, uid, "token.create", id, &summary, &err);
  if (rc == 0) {
    char until[21];
    fmt_time(jx_now() + days * 86400, until);
    printf(
        "已为账号 %s 创建 API 令牌（编号 %lld，有效期至 %s UTC）。\n"
        "令牌只显示这一次，请妥善保存；请求时以请求头 "
        "Authorization: Bearer <令牌> 发送：\n%s\n",
        user, (long long)id, until, token);
    if (mfa_must_enrol(db, uid))
      printf("注意：账号 %s 的角色须使用动态验证码而尚未启用；启用前此令牌"
             "只能用于本人账号的设置（如 /api/v1/me）。\n", user);
  }
done:
  sodium_memzero(token, sizeof token);
  keys_wipe(&k);
  buf_release(&err);
  buf_release(&summary);
  db_close(db);
  return rc;
}

static int token_revoke_cmd(int argc, char **argv) {
  const char *dbflag = NULL, *keyflag = NULL, *id_s = NULL;
  const CliOpt opts[] = {{"--db", 1, &dbflag},
                         {"--key", 1, &keyflag},
                         {"--id", 1, &id_s},
                         {0, 0, 0}};
  const char *usage = "revoke --id N [--db …] [--key PATH]";
  int64_t id;
  if (cli_parse(argc, argv, opts, NULL, 0, NULL, usage) != 0) return 2;
  if (!id_s || str_to_int64(id_s, 1, INT64_MAX, &id) != 0) {
    fprintf(stderr,
            "jixun token revoke: --id 应为令牌编号\n用法：jixun token %s\n",
            usage);
    return 2;
  }
  const char *loc = cli_db_location(dbflag);
  Keys k;
  Db *db = cli_open_db_keys(loc, keyflag, &k);
  if (!db) return 1;
  Buf err = BUF_INIT, summary = BUF_INIT;
  int rc = 1;
  if (db_begin(db) != DB_OK) {
    fprintf(stderr, "jixun token: 数据库繁忙\n");
    goto done;
  }
  TokenInfo t;
  if (token_get(db, id, &t) == 0)
    buf_printf(&summary, "吊销账号 %s 的 API 令牌 %lld", t.login,
               (long long)id);
  else
    buf_printf(&summary, "吊销 API 令牌 %lld", (long long)id);
  int ok = token_revoke(db, id, &err) == 0;
  rc = finish(db, &k, ok, "cli", 0, "token.revoke", id, &summary, &err);
  if (rc == 0) printf("已吊销 API 令牌 %lld\n", (long long)id);
done:
  keys_wipe(&k);
  buf_release(&err);
  buf_release(&summary);
  db_close(db);
  return rc;
}

static int token_list_cmd(int argc, char **argv) {
  const char *dbflag = NULL, *user = NULL;
  const CliOpt opts[] = {{"--db", 1, &dbflag}, {"--user", 1, &user}, {0, 0, 0}};
  if (cli_parse(argc, argv, opts, NULL, 0, NULL,
                "list [--user LOGIN] [--db …]") != 0)
    return 2;
  Db *db = cli_open_db(cli_db_location(dbflag), 1);
  if (!db) return 1;
  int64_t uid = 0;
  if (user && !(uid = account_id_by_login(db, user))) {
    fprintf(stderr, "jixun token list: 账号 %s 不存在\n", user);
    db_close(db);
    return 1;
  }
  TokenInfo *t;
  size_t n;
  int rc = token_list(db, uid, &t, &n);
  db_close(db);
  if (rc != DB_OK) {
    fprintf(stderr, "jixun token list: 读取失败\n");
    return 1;
  }
  jx_time now = jx_now();
  printf("%-6s %-20s %-8s %-16s %-16s %-16s %s\n", "编号", "账号", "状态",
         "创建（UTC）", "到期（UTC）", "最近使用（UTC）", "用途");
  for (size_t i = 0; i < n; i++) {
    char created[21], expires[21], used[21];
    fmt_time(t[i].created_at, created);
    fmt_time(t[i].expires_at, expires);
    fmt_time(t[i].last_used_at, used);
    printf("%-6lld %-20s %-8s %-16s %-16s %-16s %s\n", (long long)t[i].id,
           t[i].login,
           t[i].revoked_at          ? "已吊销"
           : t[i].expires_at <= now ? "已过期"
                                    : "有效",
           created, expires, used, t[i].name);
  }
  free(t);
  return 0;
}

int cmd_token(int argc, char **argv) {
  if (argc >= 2 && str_eq(argv[1], "create"))
    return token_create_cmd(argc - 1, argv + 1);
  if (argc >= 2 && str_eq(argv[1], "revoke"))
    return token_revoke_cmd(argc - 1, argv + 1);
  if (argc >= 2 && str_eq(argv[1], "list"))
    return token_list_cmd(argc - 1, argv + 1);
  fprintf(stderr, "用法：jixun token %s\n", TOKEN_USAGE);
  return 2;
}
