/* cmd_db.c: `jixun init`, `migrate`, `demo`, `backup`, `restore`. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/crypto.h"
#include "cli/cli.h"
#include "domain/demo.h"

/* The usual pair of options, --db and --key. */
static int db_opts(int argc, char **argv, const char **db, const char **key,
                   const char *usage) {
  const CliOpt opts[] = {{"--db", 1, db}, {"--key", 1, key}, {0, 0, 0}};
  return cli_parse(argc, argv, opts, NULL, 0, NULL, usage);
}

int cmd_init(int argc, char **argv) {
  const char *dbflag = NULL, *keyflag = NULL;
  if (db_opts(argc, argv, &dbflag, &keyflag, "[--db …] [--key PATH]") != 0)
    return 2;
  const char *loc = cli_db_location(dbflag);
  Db *db = cli_open_db(loc, 0);
  if (!db) return 1;
  int applied = 0;
  Buf err = BUF_INIT;
  int rc = db_migrate(db, &applied, &err);
  if (rc != DB_OK) {
    fprintf(stderr, "jixun init: 数据库初始化失败：%s\n", buf_str(&err));
    buf_release(&err);
    db_close(db);
    return 1;
  }
  printf("数据库 %s：结构版本 %d（本次升级 %d 步）\n", loc, db_schema_version(db),
         applied);
  db_close(db);
  char *key = cli_key_path(loc, keyflag);
  struct stat stbuf;
  if (stat(key, &stbuf) == 0) {
    printf("密钥文件 %s 已存在，保持不变\n", key);
  } else if (keyfile_create(key, &err) != 0) {
    fprintf(stderr, "jixun init: 无法创建密钥文件 %s：%s\n", key, buf_str(&err));
    buf_release(&err);
    free(key);
    return 1;
  } else {
    printf("已创建密钥文件 %s（权限 0600，请与数据库分开备份保管）\n", key);
  }
  free(key);
  printf("未创建任何账号：请用 `jixun user add` 创建管理员，或用 `jixun demo` 载入演示数据。\n");
  return 0;
}

int cmd_migrate(int argc, char **argv) {
  const char *dbflag = NULL, *keyflag = NULL;
  if (db_opts(argc, argv, &dbflag, &keyflag, "[--db …]") != 0) return 2;
  Db *db = cli_open_db(cli_db_location(dbflag), 0);
  if (!db) return 1;
  int applied = 0;
  Buf err = BUF_INIT;
  int rc = db_migrate(db, &applied, &err);
  if (rc != DB_OK) {
    fprintf(stderr, "jixun migrate: 升级失败：%s\n", buf_str(&err));
    buf_release(&err);
  } else {
    printf("结构版本 %d（本次升级 %d 步）\n", db_schema_version(db), applied);
  }
  db_close(db);
  return rc == DB_OK ? 0 : 1;
}

int cmd_demo(int argc, char **argv) {
  const char *dbflag = NULL, *keyflag = NULL;
  if (db_opts(argc, argv, &dbflag, &keyflag, "[--db …]") != 0) return 2;
  const char *loc = cli_db_location(dbflag);
  Db *db = cli_open_db(loc, 1);
  if (!db) return 1;
  Buf accounts = BUF_INIT, err = BUF_INIT;
  int rc = demo_load(db, &accounts, &err);
  db_close(db);
  if (rc != 0) {
    fprintf(stderr, "jixun demo: %s\n", buf_str(&err));
    buf_release(&err);
    buf_release(&accounts);
    return 1;
  }
  /* Random passwords are shown once here and kept, 0600, beside the
   * database so that `make run` can show them again. */
  char *path = str_starts(loc, "postgres") ? xstrdup("jixun.accounts")
                                           : xasprintf("%s.accounts", loc);
  FILE *f = NULL;
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd >= 0) f = fdopen(fd, "w");
  if (!f || fputs(buf_str(&accounts), f) < 0 || fclose(f) != 0) {
    fprintf(stderr, "jixun demo: 无法写入账号文件 %s\n", path);
    rc = 1;
  } else {
    chmod(path, 0600);
    printf("%s\n（以上账号与随机密码已保存到 %s，权限 0600）\n", buf_str(&accounts),
           path);
  }
  free(path);
  buf_release(&accounts);
  return rc;
}

int cmd_backup(int argc, char **argv) {
  const char *dbflag = NULL, *out = NULL;
  const CliOpt opts[] = {{"--db", 1, &dbflag}, {"--out", 1, &out}, {0, 0, 0}};
  const char *usage = "[--db …] --out FILE";
  if (cli_parse(argc, argv, opts, NULL, 0, NULL, usage) != 0) return 2;
  if (!out) {
    fprintf(stderr, "jixun backup: 缺少 --out FILE\n用法：jixun backup %s\n", usage);
    return 2;
  }
  Db *db = cli_open_db(cli_db_location(dbflag), 0);
  if (!db) return 1;
  Buf err = BUF_INIT;
  double t0 = jx_monotonic_ms();
  int rc = db_backup(db, out, &err);
  db_close(db);
  if (rc != DB_OK) {
    fprintf(stderr, "jixun backup: 备份失败：%s\n", buf_str(&err));
    buf_release(&err);
    return 1;
  }
  printf("已备份到 %s（%.0f 毫秒）\n", out, jx_monotonic_ms() - t0);
  return 0;
}

int cmd_restore(int argc, char **argv) {
  const char *dbflag = NULL, *from = NULL;
  const CliOpt opts[] = {{"--db", 1, &dbflag}, {"--from", 1, &from}, {0, 0, 0}};
  const char *usage = "[--db …] --from FILE";
  if (cli_parse(argc, argv, opts, NULL, 0, NULL, usage) != 0) return 2;
  if (!from) {
    fprintf(stderr, "jixun restore: 缺少 --from FILE\n用法：jixun restore %s\n", usage);
    return 2;
  }
  Db *db = cli_open_db(cli_db_location(dbflag), 0);
  if (!db) return 1;
  Buf err = BUF_INIT;
  double t0 = jx_monotonic_ms();
  int rc = db_restore(db, from, &err);
  db_close(db);
  if (rc != DB_OK) {
    fprintf(stderr, "jixun restore: 恢复失败：%s\n", buf_str(&err));
    buf_release(&err);
    return 1;
  }
  printf("已从 %s 恢复（%.0f 毫秒）\n", from, jx_monotonic_ms() - t0);
  return 0;
}
