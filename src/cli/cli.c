/* cli.c: option parsing and database opening shared by the commands. */
#include "cli/cli.h"

#include "audit/audit.h"

#include <stdlib.h>

int cli_parse(int argc, char **argv, const CliOpt *opts, const char **pos,
              int npos, int *npos_out, const char *usage) {
  int np = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] == '-' && a[1] == '-') {
      const CliOpt *o = opts;
      const char *eq = strchr(a, '=');
      size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
      for (; o && o->name; o++)
        if (strlen(o->name) == nlen && strncmp(o->name, a, nlen) == 0) break;
      if (!o || !o->name) {
        fprintf(stderr, "jixun %s: 未知选项 '%s'\n用法：jixun %s %s\n", argv[0],
                a, argv[0], usage);
        return -1;
      }
      if (!o->takes_value) {
        *o->value = "1";
      } else if (eq) {
        *o->value = eq + 1;
      } else if (i + 1 < argc) {
        *o->value = argv[++i];
      } else {
        fprintf(stderr, "jixun %s: 选项 '%s' 缺少取值\n用法：jixun %s %s\n",
                argv[0], a, argv[0], usage);
        return -1;
      }
      continue;
    }
    if (np == npos) {
      fprintf(stderr, "jixun %s: 多余的参数 '%s'\n用法：jixun %s %s\n", argv[0],
              a, argv[0], usage);
      return -1;
    }
    pos[np++] = a;
  }
  if (npos_out) *npos_out = np;
  return 0;
}

const char *cli_db_location(const char *flag_value) {
  if (flag_value && *flag_value) return flag_value;
  const char *env = getenv("JIXUN_DB");
  return env && *env ? env : "jixun.db";
}

Db *cli_open_db(const char *location, int migrate) {
  Db *db = NULL;
  Buf err = BUF_INIT;
  int applied = 0;
  if (db_open(location, &db, &err) != 0) {
    fprintf(stderr, "jixun: 无法打开数据库 %s：%s\n", location, buf_str(&err));
    buf_release(&err);
    return NULL;
  }
  if (migrate && db_migrate(db, &applied, &err) != DB_OK) {
    fprintf(stderr, "jixun: 数据库升级失败：%s\n", buf_str(&err));
    buf_release(&err);
    db_close(db);
    return NULL;
  }
  return db;
}

char *cli_key_path(const char *db_location, const char *flag_value) {
  if (flag_value && *flag_value) return xstrdup(flag_value);
  const char *env = getenv("JIXUN_KEY");
  if (env && *env) return xstrdup(env);
  if (str_starts(db_location, "postgresql://") ||
      str_starts(db_location, "postgres://"))
    return xstrdup("jixun.key");
  return xasprintf("%s.key", db_location);
}

/* Load the audit keys for a database location (the --key value or the
** default path), printing a Chinese error.  0 or -1. */
int cli_load_keys(const char *loc, const char *keyflag, Keys *k) {
  char *path = cli_key_path(loc, keyflag);
  Buf err = BUF_INIT;
  int rc = keyfile_load(path, k, &err);
  if (rc != 0)
    fprintf(stderr,
            "jixun: 无法读取密钥文件 %s：%s；审计记录无法写入，操作未执行\n",
            path, buf_str(&err));
  buf_release(&err);
  free(path);
  return rc;
}

/* Append one audit event for a CLI action (source "cli") inside db's
** open transaction, or in one of its own.  DB_OK or a DB_E* code (a
** message is printed). */
int cli_audit(Db *db, const Keys *k, const char *login, int64_t user_id,
              const char *action, const char *object_type, int64_t object_id,
              int outcome, const char *summary) {
  AuditEvent ev = {.user_id = user_id,
                   .login = login,
                   .role = "",
                   .source = "cli",
                   .action = action,
                   .object_type = object_type,
                   .object_id = object_id,
                   .outcome = (AuditOutcome)outcome,
                   .summary = summary};
  int rc = audit_append(db, k, &ev);
  if (rc != DB_OK)
    fprintf(stderr, "jixun: 审计记录写入失败（%s）\n", db_errmsg(db));
  return rc;
}

Db *cli_open_db_keys(const char *loc, const char *keyflag, Keys *k) {
  if (cli_load_keys(loc, keyflag, k) != 0) return NULL;
  Db *db = cli_open_db(loc, 1);
  if (!db) keys_wipe(k);
  return db;
}
