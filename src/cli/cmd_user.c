/* cmd_user.c: `jixun user …` and `jixun role list`. */
#include <stdlib.h>

#include "auth/account.h"
#include "auth/crypto.h"
#include "cli/cli.h"

/* Read one line (the password) from stdin without echoing it anywhere. */
static char *read_password_stdin(void) {
  char line[512];
  if (!fgets(line, sizeof line, stdin)) return NULL;
  line[strcspn(line, "\r\n")] = 0;
  char *pw = xstrdup(line);
  sodium_memzero(line, sizeof line);
  return pw;
}

static int user_add(int argc, char **argv) {
  const char *dbflag = NULL, *login = NULL, *name = NULL, *role = NULL,
             *office = NULL, *pwstdin = NULL;
  const CliOpt opts[] = {{"--db", 1, &dbflag},   {"--login", 1, &login},
                         {"--name", 1, &name},   {"--role", 1, &role},
                         {"--office", 1, &office},
                         {"--password-stdin", 0, &pwstdin}, {0, 0, 0}};
  const char *usage = "add --login NAME --name 显示名 --role CODE[,CODE…] "
                      "[--office CODE] --password-stdin [--db …]";
  if (cli_parse(argc, argv, opts, NULL, 0, NULL, usage) != 0) return 2;
  if (!login || !name || !role || !pwstdin) {
    fprintf(stderr, "jixun user add: 缺少必填选项\n用法：jixun user %s\n", usage);
    return 2;
  }
  char *pw = read_password_stdin();
  if (!pw) {
    fprintf(stderr, "jixun user add: 未从标准输入读到密码\n");
    return 1;
  }
  Db *db = cli_open_db(cli_db_location(dbflag), 1);
  if (!db) {
    free(pw);
    return 1;
  }
  Buf err = BUF_INIT;
  int64_t id = 0;
  int rc = db_begin(db) == DB_OK &&
                   account_create(db, login, name, role, office, pw, 1, &id,
                                  &err) == 0 &&
                   db_commit(db) == DB_OK
               ? 0
               : 1;
  if (rc) {
    db_rollback(db);
    fprintf(stderr, "jixun user add: %s\n", err.len ? buf_str(&err) : "保存失败");
  } else {
    printf("已创建账号 %s（编号 %lld）；首次登录须修改密码\n", login, (long long)id);
  }
  sodium_memzero(pw, strlen(pw));
  free(pw);
  buf_release(&err);
  db_close(db);
  return rc;
}

int cmd_user(int argc, char **argv) {
  if (argc >= 2 && str_eq(argv[1], "add")) return user_add(argc - 1, argv + 1);
  fprintf(stderr, "用法：jixun user add --login NAME --name 显示名 --role CODE[,CODE…] "
                  "[--office CODE] --password-stdin [--db …]\n");
  return 2;
}

int cmd_role(int argc, char **argv) {
  const char *dbflag = NULL;
  const CliOpt opts[] = {{"--db", 1, &dbflag}, {0, 0, 0}};
  const char *pos[1];
  int npos = 0;
  if (cli_parse(argc, argv, opts, pos, 1, &npos, "list [--db …]") != 0) return 2;
  if (npos != 1 || !str_eq(pos[0], "list")) {
    fprintf(stderr, "用法：jixun role list [--db …]\n");
    return 2;
  }
  Db *db = cli_open_db(cli_db_location(dbflag), 1);
  if (!db) return 1;
  Stmt *st = db_stmt(db, STMT_ROLE_LIST);
  while (db_step(st) == DB_ROW)
    printf("%-12s %-10s %-8s %s\n", db_column_text(st, 0), db_column_text(st, 1),
           str_eq(db_column_text(st, 2), "admin") ? "管理角色" : "业务角色",
           db_column_text(st, 3));
  db_reset(st);
  db_close(db);
  return 0;
}
