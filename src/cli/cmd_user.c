/* cmd_user.c: `jixun user …` and `jixun role list`.
**
** Every command that changes an account writes an audit record in the
** same transaction, as the web does (source "cli", login "cli": the
** operating-system user is not known to us), so the key file must be
** readable: without it nothing is changed.  Temporary passwords go to
** stdout once and nowhere else.
*/
#include <stdlib.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "auth/crypto.h"
#include "cli/cli.h"
#include "domain/settings.h"

#define USER_USAGE                                                            \
  "add --login NAME --name 显示名 --role CODE[,CODE…] [--office CODE] "  \
  "--password-stdin [--db …] [--key PATH]\n"                                \
  "       jixun user lock|unlock|disable|enable|reset-password --login NAME " \
  "[--db …] [--key PATH]\n"                                                 \
  "       jixun user list [--db …]"

/* Read one line (the password) from stdin without echoing it anywhere. */
static char *read_password_stdin(void) {
  char line[512];
  if (!fgets(line, sizeof line, stdin)) return NULL;
  line[strcspn(line, "\r\n")] = 0;
  char *pw = xstrdup(line);
  sodium_memzero(line, sizeof line);
  return pw;
}

/* Commit with the audit record of a success, or roll back and record the
** failure on its own.  Returns the exit status. */
static int finish(Db *db, const Keys *k, int ok, const char *action, int64_t id,
                  const Buf *summary, const Buf *err) {
  if (ok) {
    if (cli_audit(db, k, "cli", 0, action, "user", id, AUDIT_OK,
                  buf_str(summary)) == DB_OK &&
        db_commit(db) == DB_OK)
      return 0;
    db_rollback(db);
    fprintf(stderr, "jixun user: 保存失败，操作未执行\n");
    return 1;
  }
  db_rollback(db);
  Buf failed = BUF_INIT;
  buf_printf(&failed, "%s；失败：%s", buf_str(summary),
             err->len ? buf_str(err) : "保存失败");
  cli_audit(db, k, "cli", 0, action, "user", id, AUDIT_FAILED,
            buf_str(&failed));
  buf_release(&failed);
  fprintf(stderr, "jixun user: %s\n", err->len ? buf_str(err) : "保存失败");
  return 1;
}

static int user_add(int argc, char **argv) {
  const char *dbflag = NULL, *keyflag = NULL, *login = NULL, *name = NULL,
             *role = NULL, *office = NULL, *pwstdin = NULL;
  const CliOpt opts[] = {{"--db", 1, &dbflag},
                         {"--key", 1, &keyflag},
                         {"--login", 1, &login},
                         {"--name", 1, &name},
                         {"--role", 1, &role},
                         {"--office", 1, &office},
                         {"--password-stdin", 0, &pwstdin},
                         {0, 0, 0}};
  const char *usage =
      "add --login NAME --name 显示名 --role CODE[,CODE…] "
      "[--office CODE] --password-stdin [--db …] [--key PATH]";
  if (cli_parse(argc, argv, opts, NULL, 0, NULL, usage) != 0) return 2;
  if (!login || !name || !role || !pwstdin) {
    fprintf(stderr, "jixun user add: 缺少必填选项\n用法：jixun user %s\n",
            usage);
    return 2;
  }
  const char *loc = cli_db_location(dbflag);
  Keys k;
  if (cli_load_keys(loc, keyflag, &k) != 0) return 1;
  char *pw = read_password_stdin();
  if (!pw) {
    fprintf(stderr, "jixun user add: 未从标准输入读到密码\n");
    keys_wipe(&k);
    return 1;
  }
  Db *db = cli_open_db(loc, 1);
  if (!db) {
    sodium_memzero(pw, strlen(pw));
    free(pw);
    keys_wipe(&k);
    return 1;
  }
  Buf err = BUF_INIT, summary = BUF_INIT;
  int64_t id = 0;
  buf_printf(&summary, "新建账号 %s（%s），角色 %s", login, name, role);
  int rc = 1;
  if (db_begin(db) != DB_OK) {
    fprintf(stderr, "jixun user add: 数据库繁忙\n");
  } else {
    int ok =
        account_create(db, login, name, role, office, pw, 1, &id, &err) == 0;
    rc = finish(db, &k, ok, "user.add", id, &summary, &err);
  }
  if (rc == 0)
    printf("已创建账号 %s（编号 %lld）；首次登录须修改密码\n", login,
           (long long)id);
  sodium_memzero(pw, strlen(pw));
  free(pw);
  keys_wipe(&k);
  buf_release(&err);
  buf_release(&summary);
  db_close(db);
  return rc;
}

/* The state-changing commands on one account, by name. */
static const struct {
  const char *name;   /* subcommand */
  const char *action; /* audit action */
  const char *label;  /* Chinese, for messages and the audit summary */
} changes[] = {
    {"lock", "user.lock", "锁定账号"},
    {"unlock", "user.unlock", "解除锁定"},
    {"disable", "user.disable", "停用账号"},
    {"enable", "user.enable", "启用账号"},
    {"reset-password", "user.reset_password", "重置密码"},
};

/* Run changes[which] on the account of --login. */
static int user_change(size_t which, int argc, char **argv) {
  const char *dbflag = NULL, *keyflag = NULL, *login = NULL;
  const CliOpt opts[] = {{"--db", 1, &dbflag},
                         {"--key", 1, &keyflag},
                         {"--login", 1, &login},
                         {0, 0, 0}};
  char usage[128];
  snprintf(usage, sizeof usage, "%s --login NAME [--db …] [--key PATH]",
           changes[which].name);
  if (cli_parse(argc, argv, opts, NULL, 0, NULL, usage) != 0) return 2;
  if (!login) {
    fprintf(stderr, "jixun user %s: 缺少 --login\n用法：jixun user %s\n",
            changes[which].name, usage);
    return 2;
  }
  const char *loc = cli_db_location(dbflag);
  Keys k;
  Db *db = cli_open_db_keys(loc, keyflag, &k);
  if (!db) return 1;
  Buf err = BUF_INIT, summary = BUF_INIT;
  char pw[ACCOUNT_TEMP_PW_LEN + 1] = "";
  int rc = 1;
  buf_printf(&summary, "%s %s（命令行）", changes[which].label, login);
  if (db_begin(db) != DB_OK) {
    fprintf(stderr, "jixun user: 数据库繁忙\n");
    goto done;
  }
  int64_t id = account_id_by_login(db, login);
  int r = ACCOUNT_NOT_FOUND;
  if (id) {
    switch (which) {
      case 0:
        r = account_lock(db, id, &err);
        break;
      case 1:
        r = account_unlock(db, id, &err);
        break;
      case 2:
        r = account_disable(db, id, &err);
        break;
      case 3:
        r = account_enable(db, id, &err);
        break;
      default:
        r = account_reset_password(db, id, pw, &err);
        break;
    }
  }
  if (r == ACCOUNT_NOT_FOUND) buf_printf(&err, "账号 %s 不存在", login);
  if (r == ACCOUNT_OK && which == 4)
    buf_puts(&summary, "：已生成临时密码，下次登录须修改，已结束其全部会话");
  rc = finish(db, &k, r == ACCOUNT_OK, changes[which].action, id, &summary,
              &err);
  if (rc == 0 && which == 4)
    printf(
        "已重置账号 %s "
        "的密码。临时密码（只显示这一次，首次登录须修改）：\n%s\n",
        login, pw);
  else if (rc == 0)
    printf("已%s：%s\n", changes[which].label, login);
done:
  sodium_memzero(pw, sizeof pw);
  keys_wipe(&k);
  buf_release(&err);
  buf_release(&summary);
  db_close(db);
  return rc;
}

static int user_list(int argc, char **argv) {
  const char *dbflag = NULL;
  const CliOpt opts[] = {{"--db", 1, &dbflag}, {0, 0, 0}};
  if (cli_parse(argc, argv, opts, NULL, 0, NULL, "list [--db …]") != 0)
    return 2;
  Db *db = cli_open_db(cli_db_location(dbflag), 1);
  if (!db) return 1;
  jx_time now = jx_now();
  Stmt *st = db_stmt(db, STMT_USER_ADMIN_SEARCH);
  for (int i = 1; i <= 6; i++) db_bind_text(st, i, "");
  db_bind_int64(st, 7, now);
  db_bind_text(st, 8, "");
  db_bind_int64(st, 9, now);
  db_bind_int64(st, 10, now);
  db_bind_text(st, 11, "");
  db_bind_int64(st, 12, now);
  db_bind_int64(st, 13, now);
  db_bind_int64(st, 14, INT64_MAX);
  db_bind_int64(st, 15, 0);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    int64_t id = db_column_int64(st, 0);
    char *login = xstrdup(db_column_text(st, 1));
    char *name = xstrdup(db_column_text(st, 2));
    const char *label = account_state_label(
        account_state(db_column_text(st, 4), db_column_int64(st, 8),
                      db_column_int64(st, 9), now));
    Buf roles = BUF_INIT;
    account_roles(db, id, &roles);
    printf("%-6lld %-20s %-8s %-24s %s\n", (long long)id, login, label,
           roles.len ? buf_str(&roles) : "-", name);
    buf_release(&roles);
    free(login);
    free(name);
  }
  db_reset(st);
  db_close(db);
  return rc == DB_DONE ? 0 : 1;
}

int cmd_user(int argc, char **argv) {
  if (argc >= 2 && str_eq(argv[1], "add")) return user_add(argc - 1, argv + 1);
  if (argc >= 2 && str_eq(argv[1], "list"))
    return user_list(argc - 1, argv + 1);
  for (size_t i = 0; argc >= 2 && i < JX_COUNT(changes); i++)
    if (str_eq(argv[1], changes[i].name))
      return user_change(i, argc - 1, argv + 1);
  fprintf(stderr, "用法：jixun user %s\n", USER_USAGE);
  return 2;
}

int cmd_role(int argc, char **argv) {
  const char *dbflag = NULL;
  const CliOpt opts[] = {{"--db", 1, &dbflag}, {0, 0, 0}};
  const char *pos[1];
  int npos = 0;
  if (cli_parse(argc, argv, opts, pos, 1, &npos, "list [--db …]") != 0)
    return 2;
  if (npos != 1 || !str_eq(pos[0], "list")) {
    fprintf(stderr, "用法：jixun role list [--db …]\n");
    return 2;
  }
  Db *db = cli_open_db(cli_db_location(dbflag), 1);
  if (!db) return 1;
  Stmt *st = db_stmt(db, STMT_ROLE_LIST);
  while (db_step(st) == DB_ROW)
    printf("%-12s %-10s %-8s %s\n", db_column_text(st, 0),
           db_column_text(st, 1),
           str_eq(db_column_text(st, 2), "admin") ? "管理角色" : "业务角色",
           db_column_text(st, 3));
  db_reset(st);
  db_close(db);
  return 0;
}
