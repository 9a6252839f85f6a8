/* demo.c: the demo data set (see demo.h). */
#include "domain/demo.h"

#include "auth/account.h"
#include "auth/crypto.h"
#include "domain/org.h"
#include "domain/rounds.h"

/* One demo account per role; the people are invented. */
static const struct {
  const char *login, *name, *role;
} demo_users[] = {
    {"sysadmin", "系统管理员·韩立新", "sysadmin"},
    {"secadmin", "安全管理员·乔明远", "secadmin"},
    {"auditor", "审计管理员·温若兰", "auditor"},
    {"xcb", "巡察办·庞素清", "xcb"},
    {"xcz_leader", "巡察组组长·聂启航", "xcz_leader"},
    {"xcz_deputy", "巡察组副组长·符晓岚", "xcz_deputy"},
    {"xcz_member", "巡察组成员·柏一舟", "xcz_member"},
    {"ags", "案管室·钟叙白", "ags"},
    {"xfs", "信访室·闵思远", "xfs"},
    {"dfzf", "党风政风监督室·葛云帆", "dfzf"},
    {"lxs", "联系纪检监察室·殷照临", "lxs"},
    {"cbbm", "承办部门·裴望舒", "cbbm"},
    {"ldxz", "领导小组·岑怀瑾", "ldxz"},
    {"zgllr", "整改联系人·宁可期", "zgllr"},
};

int demo_load(Db *db, Buf *accounts, Buf *err) {
  if (db_begin(db) != DB_OK) {
    buf_puts(err, "数据库繁忙");
    return -1;
  }
  Stmt *st = db_stmt(db, STMT_USER_BY_LOGIN);
  db_bind_text(st, 1, demo_users[0].login);
  int exists = db_step(st) == DB_ROW;
  db_reset(st);
  if (exists) {
    db_rollback(db);
    buf_puts(err, "演示数据已载入过（账号 sysadmin 已存在）");
    return -1;
  }
  buf_puts(accounts, "演示账号（虚构人员，密码随机生成）：\n");
  for (size_t i = 0; i < JX_COUNT(demo_users); i++) {
    char pw[ACCOUNT_TEMP_PW_LEN + 1];
    int64_t id;
    account_random_password_for(demo_users[i].login, pw);
    if (account_create(db, demo_users[i].login, demo_users[i].name,
                       demo_users[i].role, NULL, pw, 0, &id, err) != 0) {
      sodium_memzero(pw, sizeof pw);
      goto fail;
    }
    buf_printf(accounts, "  %-12s %s  %s\n", demo_users[i].login, pw,
               demo_users[i].name);
    sodium_memzero(pw, sizeof pw);
  }
  if (demo_org_load(db, err) != 0) goto fail;
  if (demo_rounds_load(db, err) != 0) goto fail;
  if (demo_clues_load(db, err) != 0) goto fail;
  if (db_commit(db) == DB_OK) return 0;
  buf_puts(err, "提交失败");
fail:
  db_rollback(db);
  return -1;
}
