/* cmd_audit.c: `jixun audit verify`, proof that the audit chain is intact
** or the name of its first broken link (SECURITY.md C3). */
#include <stdlib.h>

#include "audit/audit.h"
#include "audit/audit_retention.h"
#include "auth/crypto.h"
#include "cli/cli.h"
#include "domain/settings.h"

#define AUDIT_USAGE "verify|retention [--db …] [--key PATH]"

/* Exit 0 when intact, 1 when broken or when it cannot be checked (no
** database, no key, read error), 2 on a usage error.  Opens the database
** without migrating: a check must not change what it checks. */
static int audit_verify_cmd(const char *dbflag, const char *keyflag) {
  const char *loc = cli_db_location(dbflag);
  char *keypath = cli_key_path(loc, keyflag);
  Buf err = BUF_INIT;
  Keys k;
  int status = 1;
  Db *db = NULL;
  if (keyfile_load(keypath, &k, &err) != 0) {
    fprintf(stderr, "jixun audit verify: %s\n", buf_str(&err));
    goto done;
  }
  db = cli_open_db(loc, 0);
  if (!db) goto done;
  int64_t rows = 0, bad = 0;
  int rc = audit_verify(db, &k, &rows, &bad, &err);
  if (rc == 0) {
    int64_t last = 0;
    char mac[65];
    printf("审计链完整：%lld 条记录\n", (long long)rows);
    if (audit_checkpoint(db, &last, mac) == DB_OK && last > 0)
      printf("链尾：第 %lld 条记录，校验值 %s（请另行留存，以便日后比对）\n",
             (long long)last, mac);
    status = 0;
  } else if (rc == 1 && bad > 0) {
    printf("审计链在第 %lld 条记录处断开：%s\n", (long long)bad, buf_str(&err));
  } else if (rc == 1) {
    printf("审计链在链头处断开：%s\n", buf_str(&err));
  } else {
    fprintf(stderr, "jixun audit verify: 无法完成校验：%s\n", buf_str(&err));
  }
done:
  keys_wipe(&k);
  db_close(db);
  buf_release(&err);
  free(keypath);
  return status;
}

/* The retention job once (the server runs it daily): exit 0 with the
** count removed, 1 when it failed. */
static int audit_retention_cmd(const char *dbflag, const char *keyflag) {
  const char *loc = cli_db_location(dbflag);
  Keys k;
  Db *db = cli_open_db_keys(loc, keyflag, &k);
  if (!db) return 1;
  int64_t purged = 0;
  int rc = audit_retention_run(db, &k, "cli", &purged);
  if (rc == DB_OK)
    printf("已清理 %lld 条超过保留期（%lld 天）的审计记录\n", (long long)purged,
           (long long)setting_int(db, "audit.retention_days"));
  else
    fprintf(stderr, "jixun audit retention: 清理失败（%s）\n", db_errmsg(db));
  keys_wipe(&k);
  db_close(db);
  return rc == DB_OK ? 0 : 1;
}

int cmd_audit(int argc, char **argv) {
  const char *dbflag = NULL, *keyflag = NULL;
  const CliOpt opts[] = {
      {"--db", 1, &dbflag}, {"--key", 1, &keyflag}, {0, 0, 0}};
  const char *pos[1];
  int npos = 0;
  if (cli_parse(argc, argv, opts, pos, 1, &npos, AUDIT_USAGE) != 0) return 2;
  if (npos == 1 && str_eq(pos[0], "verify"))
    return audit_verify_cmd(dbflag, keyflag);
  if (npos == 1 && str_eq(pos[0], "retention"))
    return audit_retention_cmd(dbflag, keyflag);
  fprintf(stderr, "用法：jixun audit %s\n", AUDIT_USAGE);
  return 2;
}
