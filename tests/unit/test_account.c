/* test_account.c: accounts, the password policy, lockout, expiry, the
** administrator's actions and API tokens (auth/account.c, auth/token.c),
** each on SQLite and PostgreSQL. */
#include "unit.h"

#include "auth/account.h"
#include "auth/crypto.h"
#include "auth/session.h"
#include "auth/token.h"

#define T0 1767225600 /* 2026-01-01T00:00:00Z */
#define MINUTE 60
#define DAY 86400
#define PW "Correct-Horse-9"

/* ---- fixtures: a fresh, migrated database per test ---- */

typedef struct Fx {
  char *dir; /* SQLite: temporary directory (NULL for PostgreSQL) */
  char *loc; /* what db_open was given */
  Db *db;
} Fx;

static Fx *fx_open(int pg) {
  Fx *fx = xcalloc(1, sizeof *fx);
  Buf err = BUF_INIT;
  int applied = 0;
  if (pg) {
    fx->loc = unit_pg_fresh_url();
  } else {
    fx->dir = unit_tmpdir();
    fx->loc = xasprintf("%s/test.db", fx->dir);
  }
  if (db_open(fx->loc, &fx->db, &err) != 0)
    fail_msg("db_open %s: %s", fx->loc, buf_str(&err));
  if (db_migrate(fx->db, &applied, &err) != DB_OK)
    fail_msg("migrate: %s", buf_str(&err));
  buf_release(&err);
  clock_set(T0);
  return fx;
}

UNIT_FIXTURE(Fx, fx_open)

/* ---- helpers ---- */

/* Create login with roles and password PW (no forced change); its id. */
static int64_t make_user(Fx *fx, const char *login, const char *roles) {
  Buf err = BUF_INIT;
  int64_t id = 0;
  if (account_create(fx->db, login, "测试人员", roles, NULL, PW, 0, &id,
                     &err) != 0)
    fail_msg("account_create %s: %s", login, buf_str(&err));
  buf_release(&err);
  assert_true(id > 0);
  return id;
}

static AuthOutcome auth(Fx *fx, const char *login, const char *pw,
                        AuthResult *r) {
  AuthResult tmp;
  if (!r) r = &tmp;
  account_authenticate(fx->db, login, pw, "192.0.2.1", r);
  return r->outcome;
}

static const char *status_of(Fx *fx, int64_t id) {
  static char status[16];
  Stmt *st = db_stmt(fx->db, STMT_USER_ADMIN_GET);
  db_bind_int64(st, 1, id);
  assert_int_equal(db_step(st), DB_ROW);
  str_copy(status, db_column_text(st, 4), sizeof status);
  db_reset(st);
  return status;
}

static int64_t live_session_count(Fx *fx, int64_t id) {
  Stmt *st = db_stmt(fx->db, STMT_SESSION_COUNT_LIVE);
  db_bind_int64(st, 1, id);
  db_bind_int64(st, 2, 0);
  db_bind_int64(st, 3, 0);
  assert_int_equal(db_step(st), DB_ROW);
  int64_t n = db_column_int64(st, 0);
  db_reset(st);
  return n;
}

static int64_t open_session(Fx *fx, int64_t uid) {
  char token[65], csrf[65];
  int64_t sid;
  assert_int_equal(
      session_create(fx->db, uid, "192.0.2.1", "test", token, csrf, &sid), 0);
  return sid;
}

/* ---- accounts ---- */

static void test_create_and_duplicate(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  int64_t id = make_user(fx, "zhang.san", "xcb");
  int64_t dup = 0;
  assert_int_equal(account_id_by_login(fx->db, "zhang.san"), id);
  assert_int_equal(account_id_by_login(fx->db, "nobody"), 0);
  assert_int_equal(account_create(fx->db, "zhang.san", "另一人", "ags", NULL,
                                  "Other-Passw0rd", 1, &dup, &err),
                   -1);
  assert_non_null(strstr(buf_str(&err), "已存在"));
  /* Bad input is refused before anything is written. */
  buf_clear(&err);
  assert_int_equal(
      account_create(fx->db, "x", "名", "xcb", NULL, PW, 1, &dup, &err), -1);
  buf_clear(&err);
  assert_int_equal(account_create(fx->db, "li.si", "李四", "xcb", NULL,
                                  "short1A", 1, &dup, &err),
                   -1);
  assert_non_null(strstr(buf_str(&err), "长度"));
  buf_clear(&err);
  assert_int_equal(account_create(fx->db, "li.si", "李四", "nosuchrole", NULL,
                                  PW, 1, &dup, &err),
                   -1);
  assert_int_equal(account_id_by_login(fx->db, "li.si"), 0);
  buf_release(&err);
}

static void test_three_admins_exclusive(void **state) {
  Fx *fx = fx_get(state);
  static const char *const refused[] = {"sysadmin,secadmin", "sysadmin,auditor",
                                        "secadmin,auditor", "sysadmin,xcb",
                                        "auditor,ags"};
  for (size_t i = 0; i < JX_COUNT(refused); i++) {
    Buf err = BUF_INIT;
    int64_t id = 0;
    char login[32];
    snprintf(login, sizeof login, "admin%zu", i);
    assert_int_equal(account_create(fx->db, login, "管理员", refused[i], NULL,
                                    PW, 1, &id, &err),
                     -1);
    assert_non_null(strstr(buf_str(&err), "三员分立"));
    assert_int_equal(account_id_by_login(fx->db, login), 0);
    buf_release(&err);
  }
  make_user(fx, "sys1", "sysadmin");
  make_user(fx, "biz1", "xcb,ags");
}

static void test_lockout(void **state) {
  Fx *fx = fx_get(state);
  AuthResult r;
  make_user(fx, "wang.wu", "xcb");
  /* Four failures spread over more than the 15-minute window: no lock. */
  for (int i = 0; i < 4; i++) {
    clock_set(T0 + i * 6 * MINUTE);
    assert_int_equal(auth(fx, "wang.wu", "Wrong-Passw0rd", NULL), AUTH_BAD);
  }
  clock_set(T0 + 30 * MINUTE);
  assert_int_equal(auth(fx, "wang.wu", "Wrong-Passw0rd", NULL), AUTH_BAD);
  assert_int_equal(auth(fx, "wang.wu", PW, NULL), AUTH_OK);
  /* Five within the window: locked for 30 minutes. */
  jx_time t = T0 + DAY;
  for (int i = 0; i < 4; i++) {
    clock_set(t + i * MINUTE);
    assert_int_equal(auth(fx, "wang.wu", "Wrong-Passw0rd", NULL), AUTH_BAD);
  }
  clock_set(t + 4 * MINUTE);
  assert_int_equal(auth(fx, "wang.wu", "Wrong-Passw0rd", &r), AUTH_LOCKED);
  assert_int_equal(r.locked_until, t + 4 * MINUTE + 30 * MINUTE);
  /* The right password changes nothing while locked. */
  clock_set(t + 20 * MINUTE);
  assert_int_equal(auth(fx, "wang.wu", PW, &r), AUTH_LOCKED);
  assert_string_equal(account_state("active", r.locked_until, 0, jx_now()),
                      "locked");
  /* After the lock has run out, the right password works again. */
  clock_set(t + 35 * MINUTE);
  assert_int_equal(auth(fx, "wang.wu", PW, &r), AUTH_OK);
  assert_int_equal(r.must_change_password, 0);
  /* An unknown login answers like a wrong password. */
  assert_int_equal(auth(fx, "no.such.user", PW, NULL), AUTH_BAD);
}

static void test_password_expiry(void **state) {
  Fx *fx = fx_get(state);
  AuthResult r;
  make_user(fx, "zhao.liu", "xcb");
  clock_set(T0 + 89 * DAY);
  assert_int_equal(auth(fx, "zhao.liu", PW, &r), AUTH_OK);
  assert_int_equal(r.must_change_password, 0);
  clock_set(T0 + 91 * DAY);
  assert_int_equal(auth(fx, "zhao.liu", PW, &r), AUTH_OK);
  assert_int_equal(r.must_change_password, 1);
  /* Changing it clears the demand. */
  Buf err = BUF_INIT;
  assert_int_equal(account_change_password(fx->db, r.user_id, PW,
                                           "Fresh-Passw0rd-1", 0, &err),
                   0);
  assert_int_equal(auth(fx, "zhao.liu", "Fresh-Passw0rd-1", &r), AUTH_OK);
  assert_int_equal(r.must_change_password, 0);
  buf_release(&err);
}

static void test_password_history(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  int64_t id = make_user(fx, "sun.qi", "xcb");
  char pws[6][32];
  str_copy(pws[0], PW, sizeof pws[0]);
  for (int i = 1; i <= 5; i++) {
    snprintf(pws[i], sizeof pws[i], "History-Pass-%d", i);
    clock_set(T0 + i * MINUTE);
    assert_int_equal(
        account_change_password(fx->db, id, pws[i - 1], pws[i], 0, &err), 0);
  }
  /* One of the last five is refused; the one before them is allowed. */
  clock_set(T0 + 10 * MINUTE);
  assert_int_equal(account_change_password(fx->db, id, pws[5], pws[2], 0, &err),
                   -1);
  assert_non_null(strstr(buf_str(&err), "最近"));
  buf_clear(&err);
  assert_int_equal(
      account_change_password(fx->db, id, pws[5], "sun.qi-Pass1", 0, &err), -1);
  assert_non_null(strstr(buf_str(&err), "登录名"));
  buf_clear(&err);
  assert_int_equal(account_change_password(fx->db, id, pws[5], pws[0], 0, &err),
                   0);
  buf_release(&err);
}

static void test_disabled_and_expired(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  AuthResult r;
  int64_t a = make_user(fx, "zhou.ba", "xcb");
  int64_t b = make_user(fx, "wu.jiu", "xcb");
  assert_int_equal(account_disable(fx->db, a, &err), ACCOUNT_OK);
  assert_int_equal(auth(fx, "zhou.ba", PW, &r), AUTH_DISABLED);
  assert_int_equal(r.expired, 0);
  assert_int_equal(account_disable(fx->db, a, &err), ACCOUNT_REFUSED);
  buf_clear(&err);
  assert_int_equal(account_enable(fx->db, a, &err), ACCOUNT_OK);
  assert_int_equal(auth(fx, "zhou.ba", PW, NULL), AUTH_OK);
  /* Expiry: usable until the moment, then refused as expired. */
  assert_int_equal(account_set_expiry(fx->db, b, T0 - 1, &err),
                   ACCOUNT_REFUSED);
  buf_clear(&err);
  assert_int_equal(account_set_expiry(fx->db, b, T0 + 2 * DAY, &err),
                   ACCOUNT_OK);
  clock_set(T0 + DAY);
  assert_int_equal(auth(fx, "wu.jiu", PW, NULL), AUTH_OK);
  clock_set(T0 + 3 * DAY);
  assert_string_equal(account_state("active", 0, T0 + 2 * DAY, jx_now()),
                      "expired");
  assert_int_equal(auth(fx, "wu.jiu", PW, &r), AUTH_DISABLED);
  assert_int_equal(r.expired, 1);
  assert_string_equal(status_of(fx, b), "expired");
  /* A wrong password still answers as a wrong password. */
  assert_int_equal(auth(fx, "wu.jiu", "Wrong-Passw0rd", NULL), AUTH_BAD);
  /* Extending the expiry makes it active again. */
  assert_int_equal(account_set_expiry(fx->db, b, T0 + 30 * DAY, &err),
                   ACCOUNT_OK);
  assert_string_equal(status_of(fx, b), "active");
  assert_int_equal(auth(fx, "wu.jiu", PW, NULL), AUTH_OK);
  assert_int_equal(account_set_expiry(fx->db, 9999, 0, &err),
                   ACCOUNT_NOT_FOUND);
  buf_release(&err);
}

static void test_admin_lock_unlock(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  AuthResult r;
  int64_t id = make_user(fx, "zheng.shi", "ags");
  open_session(fx, id);
  open_session(fx, id);
  assert_int_equal(live_session_count(fx, id), 2);
  assert_int_equal(account_unlock(fx->db, id, &err), ACCOUNT_REFUSED);
  buf_clear(&err);
  assert_int_equal(account_lock(fx->db, id, &err), ACCOUNT_OK);
  assert_int_equal(live_session_count(fx, id), 0);
  assert_string_equal(status_of(fx, id), "locked");
  /* An administrator's lock does not run out. */
  clock_set(T0 + 30 * DAY);
  assert_int_equal(auth(fx, "zheng.shi", PW, &r), AUTH_LOCKED);
  assert_int_equal(r.locked_until, 0);
  assert_int_equal(account_lock(fx->db, id, &err), ACCOUNT_REFUSED);
  buf_clear(&err);
  assert_int_equal(account_unlock(fx->db, id, &err), ACCOUNT_OK);
  assert_int_equal(auth(fx, "zheng.shi", PW, NULL), AUTH_OK);
  /* Unlock also ends a lockout after failed logins. */
  for (int i = 0; i < 5; i++) auth(fx, "zheng.shi", "Wrong-Passw0rd", &r);
  assert_int_equal(r.outcome, AUTH_LOCKED);
  assert_int_equal(auth(fx, "zheng.shi", PW, NULL), AUTH_LOCKED);
  assert_int_equal(account_unlock(fx->db, id, &err), ACCOUNT_OK);
  assert_int_equal(auth(fx, "zheng.shi", PW, NULL), AUTH_OK);
  assert_int_equal(account_lock(fx->db, 9999, &err), ACCOUNT_NOT_FOUND);
  buf_release(&err);
}

static void test_reset_password(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  AuthResult r;
  char pw[ACCOUNT_TEMP_PW_LEN + 1];
  int64_t id = make_user(fx, "qian.yi", "xcb");
  open_session(fx, id);
  assert_int_equal(account_reset_password(fx->db, id, pw, &err), ACCOUNT_OK);
  assert_int_equal(strlen(pw), ACCOUNT_TEMP_PW_LEN);
  assert_int_equal(live_session_count(fx, id), 0);
  assert_int_equal(auth(fx, "qian.yi", PW, NULL), AUTH_BAD);
  assert_int_equal(auth(fx, "qian.yi", pw, &r), AUTH_OK);
  assert_int_equal(r.must_change_password, 1);
  assert_int_equal(account_reset_password(fx->db, 9999, pw, &err),
                   ACCOUNT_NOT_FOUND);
  buf_release(&err);
}

static void test_admin_create(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT, roles = BUF_INIT;
  AuthResult r;
  char pw[ACCOUNT_TEMP_PW_LEN + 1], pw2[ACCOUNT_TEMP_PW_LEN + 1];
  int64_t id = 0, id2 = 0;
  assert_int_equal(account_admin_create(fx->db, "feng.er", "冯二", "A01",
                                        T0 + 10 * DAY, pw, &id, &err),
                   ACCOUNT_OK);
  account_roles(fx->db, id, &roles);
  assert_string_equal(buf_str(&roles), ""); /* granted by the secadmin */
  assert_int_equal(auth(fx, "feng.er", pw, &r), AUTH_OK);
  assert_int_equal(r.must_change_password, 1);
  assert_int_equal(
      account_admin_create(fx->db, "feng.er", "冯二", NULL, 0, pw2, &id2, &err),
      ACCOUNT_REFUSED);
  buf_clear(&err);
  assert_int_equal(account_admin_create(fx->db, "chen.san", "陈三\n伪造", NULL,
                                        0, pw2, &id2, &err),
                   ACCOUNT_REFUSED);
  buf_clear(&err);
  assert_int_equal(account_admin_create(fx->db, "chen.san", "陈三", NULL,
                                        T0 - DAY, pw2, &id2, &err),
                   ACCOUNT_REFUSED);
  assert_int_equal(account_id_by_login(fx->db, "chen.san"), 0);
  clock_set(T0 + 11 * DAY);
  assert_int_equal(auth(fx, "feng.er", pw, &r), AUTH_DISABLED);
  assert_int_equal(r.expired, 1);
  buf_release(&err);
  buf_release(&roles);
}

static void test_random_password(void **state) {
  Fx *fx = fx_get(state);
  char seen[20][ACCOUNT_TEMP_PW_LEN + 1];
  for (int i = 0; i < 20; i++) {
    Buf err = BUF_INIT;
    account_random_password(seen[i]);
    assert_int_equal(strlen(seen[i]), ACCOUNT_TEMP_PW_LEN);
    if (password_policy_check(fx->db, "someone", seen[i], 0, &err) != 0)
      fail_msg("random password %s refused: %s", seen[i], buf_str(&err));
    for (int j = 0; j < i; j++) assert_string_not_equal(seen[i], seen[j]);
    buf_release(&err);
  }
  /* A short login turns up in about half of all draws of a one-letter
   * login ("a" or "A"): the _for variant never returns one (the demo's
   * "ags", "xcb" … made `jixun demo` fail now and then). */
  for (int i = 0; i < 200; i++) {
    char pw[ACCOUNT_TEMP_PW_LEN + 1];
    account_random_password_for("a", pw);
    assert_null(strcasestr(pw, "a"));
  }
}

static void test_state_labels(void **state) {
  (void)state;
  assert_string_equal(account_state("active", 0, 0, T0), "active");
  assert_string_equal(account_state("active", T0 - 1, 0, T0), "active");
  assert_string_equal(account_state("active", T0 + 1, 0, T0), "locked");
  assert_string_equal(account_state("locked", 0, 0, T0), "locked");
  assert_string_equal(account_state("disabled", T0 + 1, T0 - 1, T0),
                      "disabled");
  assert_string_equal(account_state("active", 0, T0, T0), "expired");
  assert_string_equal(account_state_label("active"), "正常");
  assert_string_equal(account_state_label("locked"), "已锁定");
  assert_string_equal(account_state_label("disabled"), "已停用");
  assert_string_equal(account_state_label("expired"), "已过期");
  assert_null(account_state_label("bogus"));
}

/* ---- API tokens ---- */

static void test_token_lifecycle(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  char tok[TOKEN_LEN + 1], tok2[TOKEN_LEN + 1];
  int64_t tid, tid2, uid_out = 0, tid_out = 0;
  int64_t uid = make_user(fx, "api.user", "ags");
  assert_int_equal(token_create(fx->db, uid, "报表接口", 30, tok, &tid, &err),
                   0);
  assert_int_equal(strlen(tok), TOKEN_LEN);
  assert_true(str_starts(tok, TOKEN_PREFIX));
  assert_int_equal(token_verify(fx->db, tok, &uid_out, &tid_out), 0);
  assert_int_equal(uid_out, uid);
  assert_int_equal(tid_out, tid);
  /* Only the hash is stored. */
  TokenInfo *list;
  size_t n;
  assert_int_equal(token_list(fx->db, uid, &list, &n), DB_OK);
  assert_int_equal(n, 1);
  assert_string_equal(list[0].name, "报表接口");
  assert_string_equal(list[0].login, "api.user");
  assert_int_equal(list[0].expires_at, T0 + 30 * DAY);
  assert_int_equal(list[0].last_used_at, T0);
  free(list);
  /* A one-character change, a truncation or no prefix: refused. */
  char bad[TOKEN_LEN + 1];
  str_copy(bad, tok, sizeof bad);
  bad[TOKEN_LEN - 1] = bad[TOKEN_LEN - 1] == '0' ? '1' : '0';
  assert_int_equal(token_verify(fx->db, bad, NULL, NULL), -1);
  bad[TOKEN_LEN - 1] = 0;
  assert_int_equal(token_verify(fx->db, bad, NULL, NULL), -1);
  assert_int_equal(token_verify(fx->db, tok + 3, NULL, NULL), -1);
  assert_int_equal(token_verify(fx->db, "", NULL, NULL), -1);
  /* Expiry. */
  clock_set(T0 + 30 * DAY - 1);
  assert_int_equal(token_verify(fx->db, tok, NULL, NULL), 0);
  clock_set(T0 + 30 * DAY);
  assert_int_equal(token_verify(fx->db, tok, NULL, NULL), -1);
  /* Revocation. */
  assert_int_equal(token_create(fx->db, uid, NULL, 1, tok2, &tid2, &err), 0);
  assert_string_not_equal(tok, tok2);
  assert_int_equal(token_verify(fx->db, tok2, NULL, NULL), 0);
  assert_int_equal(token_revoke(fx->db, tid2, &err), 0);
  assert_int_equal(token_verify(fx->db, tok2, NULL, NULL), -1);
  assert_int_equal(token_revoke(fx->db, tid2, &err), -1);
  buf_clear(&err);
  assert_int_equal(token_revoke(fx->db, 9999, &err), -1);
  assert_non_null(strstr(buf_str(&err), "不存在"));
  assert_int_equal(token_list(fx->db, 0, &list, &n), DB_OK);
  assert_int_equal(n, 2);
  assert_true(list[1].revoked_at > 0);
  free(list);
  buf_release(&err);
}

static void test_token_limits_and_user_state(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  char tok[TOKEN_LEN + 1];
  int64_t tid;
  int64_t uid = make_user(fx, "api.two", "ags");
  assert_int_equal(token_create(fx->db, uid, "", 0, tok, &tid, &err), -1);
  assert_int_equal(
      token_create(fx->db, uid, "", TOKEN_MAX_DAYS + 1, tok, &tid, &err), -1);
  assert_int_equal(token_create(fx->db, 9999, "", 10, tok, &tid, &err), -1);
  assert_int_equal(token_create(fx->db, uid, "a\nb", 10, tok, &tid, &err), -1);
  buf_clear(&err);
  assert_int_equal(
      token_create(fx->db, uid, "", TOKEN_MAX_DAYS, tok, &tid, &err), 0);
  /* The token stops with its user: locked, disabled, expired. */
  assert_int_equal(account_lock(fx->db, uid, &err), ACCOUNT_OK);
  assert_int_equal(token_verify(fx->db, tok, NULL, NULL), -1);
  assert_int_equal(account_unlock(fx->db, uid, &err), ACCOUNT_OK);
  assert_int_equal(token_verify(fx->db, tok, NULL, NULL), 0);
  assert_int_equal(account_disable(fx->db, uid, &err), ACCOUNT_OK);
  assert_int_equal(token_verify(fx->db, tok, NULL, NULL), -1);
  assert_int_equal(token_create(fx->db, uid, "", 10, tok, &tid, &err), -1);
  buf_clear(&err);
  assert_int_equal(account_enable(fx->db, uid, &err), ACCOUNT_OK);
  assert_int_equal(token_verify(fx->db, tok, NULL, NULL), 0);
  assert_int_equal(account_set_expiry(fx->db, uid, T0 + DAY, &err), ACCOUNT_OK);
  clock_set(T0 + DAY);
  assert_int_equal(token_verify(fx->db, tok, NULL, NULL), -1);
  buf_release(&err);
}

#define BOTH(fn)                                               \
  cmocka_unit_test_setup_teardown(fn, setup_sqlite, teardown), \
      cmocka_unit_test_setup_teardown(fn, setup_pg, teardown)

int main(void) {
  crypto_init();
  const struct CMUnitTest tests[] = {
      BOTH(test_create_and_duplicate),
      BOTH(test_three_admins_exclusive),
      BOTH(test_lockout),
      BOTH(test_password_expiry),
      BOTH(test_password_history),
      BOTH(test_disabled_and_expired),
      BOTH(test_admin_lock_unlock),
      BOTH(test_reset_password),
      BOTH(test_admin_create),
      BOTH(test_random_password),
      cmocka_unit_test(test_state_labels),
      BOTH(test_token_lifecycle),
      BOTH(test_token_limits_and_user_state),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
