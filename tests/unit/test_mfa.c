/* test_mfa.c: the TOTP second factor through auth/mfa.c on SQLite and
** PostgreSQL — enrolment, login checks with the window and replay
** refusal, the sealed secret at rest, mandatory roles, pending-login
** tokens — and the login rules around it in auth/account.c (failures
** count until the second factor passes; 三员分立 on role sets). */
#include "unit.h"

#include "auth/account.h"
#include "auth/crypto.h"
#include "auth/mfa.h"
#include "auth/totp.h"
#include "domain/settings.h"
#include "store/store.h"

#define T0 1767225600 /* 2026-01-01T00:00:00Z, a step boundary */
#define PW "Kq7-Lantern-Ridge"

/* ---- fixtures: a fresh, migrated database per test ---- */

typedef struct Fx {
  int pg;
  char *dir;
  char *loc;
  Db *db;
  Keys k;
} Fx;

static Fx *fx_open(int pg) {
  Fx *fx = xcalloc(1, sizeof *fx);
  Buf err = BUF_INIT;
  int applied = 0;
  fx->pg = pg;
  for (int i = 0; i < KEY_BYTES; i++) {
    fx->k.audit_mac_key[i] = (unsigned char)(i * 7 + 3);
    fx->k.data_key[i] = (unsigned char)(i * 11 + 5);
  }
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

static int64_t make_user(Fx *fx, const char *login, const char *roles) {
  int64_t id = 0;
  Buf err = BUF_INIT;
  if (account_create(fx->db, login, "测试用户·甲", roles, NULL, PW, 0, &id,
                     &err) != 0)
    fail_msg("account_create %s: %s", login, buf_str(&err));
  buf_release(&err);
  return id;
}

/* The code the user's app shows at time t. */
static void code_at(Fx *fx, int64_t uid, jx_time t, char out[TOTP_DIGITS + 1]) {
  unsigned char secret[TOTP_SECRET_BYTES];
  int enabled = 0;
  assert_int_equal(mfa_secret(fx->db, &fx->k, uid, secret, &enabled), 0);
  totp_code(secret, sizeof secret, t, TOTP_DIGITS, out);
}

/* A six-digit code that is none of the codes of steps t-2..t+2. */
static void wrong_code(Fx *fx, int64_t uid, jx_time t, char out[7]) {
  char near[5][7];
  for (int i = 0; i < 5; i++) code_at(fx, uid, t + (i - 2) * TOTP_STEP, near[i]);
  for (int v = 0;; v++) {
    int x = (v * 7919 + 12345) % 1000000;
    for (int d = 5; d >= 0; d--, x /= 10) out[d] = (char)('0' + x % 10);
    out[6] = 0;
    int clash = 0;
    for (int i = 0; i < 5; i++) clash |= str_eq(out, near[i]);
    if (!clash) return;
  }
}

/* A user with TOTP enabled at T0 (the enrolment code used step T0). */
static int64_t enrolled_user(Fx *fx, const char *login, const char *roles) {
  char code[7];
  Buf err = BUF_INIT;
  int64_t uid = make_user(fx, login, roles);
  assert_int_equal(mfa_setup(fx->db, &fx->k, uid, &err), 0);
  code_at(fx, uid, T0, code);
  if (mfa_enable(fx->db, &fx->k, uid, code, &err) != 0)
    fail_msg("mfa_enable: %s", buf_str(&err));
  buf_release(&err);
  return uid;
}

static void put_setting(Fx *fx, const char *key, const char *value) {
  Buf err = BUF_INIT;
  if (setting_put(fx->db, key, value, &err) != 0)
    fail_msg("setting_put %s: %s", key, buf_str(&err));
  buf_release(&err);
}

/* ---- tests ---- */

static void test_enrol(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  char code[7], bad[7];
  unsigned char s1[TOTP_SECRET_BYTES], s2[TOTP_SECRET_BYTES];
  int enabled = -1;
  int64_t uid = make_user(fx, "enrol.a", "xcb");
  assert_int_equal(mfa_enabled(fx->db, uid), 0);
  assert_int_equal(mfa_secret(fx->db, &fx->k, uid, s1, &enabled), -1);
  /* enable before setup: refused */
  assert_int_equal(mfa_enable(fx->db, &fx->k, uid, "123456", &err), -1);
  assert_true(err.len > 0);
  buf_clear(&err);
  assert_int_equal(mfa_setup(fx->db, &fx->k, uid, &err), 0);
  assert_int_equal(mfa_secret(fx->db, &fx->k, uid, s1, &enabled), 0);
  assert_int_equal(enabled, 0);
  assert_int_equal(mfa_enabled(fx->db, uid), 0);
  /* a second setup replaces the pending secret */
  assert_int_equal(mfa_setup(fx->db, &fx->k, uid, &err), 0);
  assert_int_equal(mfa_secret(fx->db, &fx->k, uid, s2, &enabled), 0);
  assert_memory_not_equal(s1, s2, sizeof s1);
  /* a pending secret does not pass the login check */
  code_at(fx, uid, T0, code);
  assert_int_equal(mfa_check(fx->db, &fx->k, uid, code), MFA_BAD);
  wrong_code(fx, uid, T0, bad);
  assert_int_equal(mfa_enable(fx->db, &fx->k, uid, bad, &err), -1);
  assert_int_equal(mfa_enabled(fx->db, uid), 0);
  buf_clear(&err);
  assert_int_equal(mfa_enable(fx->db, &fx->k, uid, code, &err), 0);
  assert_int_equal(mfa_enabled(fx->db, uid), 1);
  /* enabled: no new setup until disabled, no second enable */
  assert_int_equal(mfa_setup(fx->db, &fx->k, uid, &err), -1);
  assert_int_equal(mfa_enable(fx->db, &fx->k, uid, code, &err), -1);
  buf_release(&err);
}

static void test_check_window_replay(void **state) {
  Fx *fx = fx_get(state);
  char code[7], bad[7];
  int64_t uid = enrolled_user(fx, "check.a", "xcb");
  /* The enrolment code's step is used up. */
  code_at(fx, uid, T0, code);
  assert_int_equal(mfa_check(fx->db, &fx->k, uid, code), MFA_REPLAY);
  /* The next step works once, then is a replay. */
  clock_set(T0 + 30);
  code_at(fx, uid, T0 + 30, code);
  assert_int_equal(mfa_check(fx->db, &fx->k, uid, code), MFA_OK);
  assert_int_equal(mfa_check(fx->db, &fx->k, uid, code), MFA_REPLAY);
  /* One step ahead (a phone clock 30 s fast) is inside the window … */
  code_at(fx, uid, T0 + 60, code);
  assert_int_equal(mfa_check(fx->db, &fx->k, uid, code), MFA_OK);
  /* … and then an earlier step, though in the window, is refused. */
  code_at(fx, uid, T0, code);
  assert_int_equal(mfa_check(fx->db, &fx->k, uid, code), MFA_REPLAY);
  /* Spaces are ignored; letters, short and long codes are not codes. */
  clock_set(T0 + 120);
  code_at(fx, uid, T0 + 120, code);
  char spaced[9] = {code[0], code[1], code[2], ' ', code[3], code[4], code[5], 0};
  assert_int_equal(mfa_check(fx->db, &fx->k, uid, spaced), MFA_OK);
  assert_int_equal(mfa_check(fx->db, &fx->k, uid, "12345"), MFA_BAD);
  assert_int_equal(mfa_check(fx->db, &fx->k, uid, "1234567"), MFA_BAD);
  assert_int_equal(mfa_check(fx->db, &fx->k, uid, "12a456"), MFA_BAD);
  assert_int_equal(mfa_check(fx->db, &fx->k, uid, ""), MFA_MISSING);
  assert_int_equal(mfa_check(fx->db, &fx->k, uid, NULL), MFA_MISSING);
  wrong_code(fx, uid, T0 + 150, bad);
  clock_set(T0 + 150);
  assert_int_equal(mfa_check(fx->db, &fx->k, uid, bad), MFA_BAD);
  /* Beyond the window: two steps ahead is refused with window 1 … */
  code_at(fx, uid, T0 + 210, code);
  assert_int_equal(mfa_check(fx->db, &fx->k, uid, code), MFA_BAD);
  /* … and accepted with auth.totp_window 2. */
  put_setting(fx, "auth.totp_window", "2");
  assert_int_equal(mfa_check(fx->db, &fx->k, uid, code), MFA_OK);
  /* A user without TOTP never passes. */
  int64_t other = make_user(fx, "check.b", "xcb");
  assert_int_equal(mfa_check(fx->db, &fx->k, other, code), MFA_BAD);
}

/* memmem without GNU extensions' case games: 1 when needle occurs. */
static int contains(const void *hay, size_t n, const void *needle, size_t m) {
  if (m == 0 || m > n) return 0;
  for (size_t i = 0; i + m <= n; i++)
    if (memcmp((const char *)hay + i, needle, m) == 0) return 1;
  return 0;
}

static void test_sealed_at_rest(void **state) {
  Fx *fx = fx_get(state);
  unsigned char secret[TOTP_SECRET_BYTES];
  Buf b32 = BUF_INIT, lower = BUF_INIT, pt = BUF_INIT;
  int enabled;
  int64_t uid = enrolled_user(fx, "seal.a", "xcb");
  assert_int_equal(mfa_secret(fx->db, &fx->k, uid, secret, &enabled), 0);
  base32_encode(secret, sizeof secret, &b32);
  for (size_t i = 0; i < b32.len; i++)
    buf_putc(&lower, (char)(b32.p[i] >= 'A' && b32.p[i] <= 'Z' ? b32.p[i] + 32
                                                                : b32.p[i]));
  Stmt *st = db_prepare(fx->db, "SELECT secret_sealed FROM user_totp WHERE user_id = ?");
  assert_non_null(st);
  db_bind_int64(st, 1, uid);
  assert_int_equal(db_step(st), DB_ROW);
  size_t n = 0;
  const unsigned char *raw = db_column_blob(st, 0, &n);
  assert_non_null(raw);
  assert_int_equal(n, SEAL_OVERHEAD + TOTP_SECRET_BYTES);
  assert_int_equal(raw[0], SEAL_VERSION);
  assert_false(contains(raw, n, secret, sizeof secret));
  assert_false(contains(raw, n, secret, 8)); /* not even a prefix */
  assert_false(contains(raw, n, b32.p, b32.len));
  assert_false(contains(raw, n, lower.p, lower.len));
  assert_false(contains(raw, n, b32.p, 8));
  /* Bound to its row: another user's aad, or another key, cannot open it. */
  assert_int_equal(crypt_open(&fx->k, raw, n, "totp:999", &pt), -1);
  Keys other = fx->k;
  other.data_key[0] ^= 1;
  char aad[32];
  snprintf(aad, sizeof aad, "totp:%lld", (long long)uid);
  assert_int_equal(crypt_open(&other, raw, n, aad, &pt), -1);
  assert_int_equal(crypt_open(&fx->k, raw, n, aad, &pt), 0);
  assert_int_equal(pt.len, TOTP_SECRET_BYTES);
  assert_memory_equal(pt.p, secret, TOTP_SECRET_BYTES);
  db_finalize(st);
  /* A key file that does not match fails closed: no code passes. */
  char code[7];
  clock_set(T0 + 30);
  totp_code(secret, sizeof secret, T0 + 30, TOTP_DIGITS, code);
  assert_int_equal(mfa_check(fx->db, &other, uid, code), MFA_BAD);
  assert_int_equal(mfa_check(fx->db, &fx->k, uid, code), MFA_OK);
  buf_release(&b32);
  buf_release(&lower);
  buf_release(&pt);
}

static void test_mandatory_roles(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  char code[7];
  int64_t admin = enrolled_user(fx, "mand.admin", "sysadmin");
  int64_t biz = make_user(fx, "mand.biz", "xcb");
  /* The migration lists the three admin roles, effective only with the
   * setting on (default off). */
  assert_true(mfa_role_listed(fx->db, "sysadmin"));
  assert_true(mfa_role_listed(fx->db, "secadmin"));
  assert_true(mfa_role_listed(fx->db, "auditor"));
  assert_false(mfa_role_listed(fx->db, "xcb"));
  assert_int_equal(setting_int(fx->db, "auth.totp_enforce"), 0);
  assert_false(mfa_required(fx->db, admin));
  put_setting(fx, "auth.totp_enforce", "1");
  assert_true(mfa_required(fx->db, admin));
  assert_false(mfa_required(fx->db, biz));
  assert_int_equal(mfa_role_set(fx->db, "xcb", 1), 0);
  assert_int_equal(mfa_role_set(fx->db, "xcb", 1), 1); /* already */
  assert_true(mfa_required(fx->db, biz));
  assert_int_equal(mfa_role_set(fx->db, "xcb", 0), 0);
  assert_int_equal(mfa_role_set(fx->db, "xcb", 0), 1);
  assert_false(mfa_required(fx->db, biz));
  /* Disabling is refused while mandatory, even with a right code. */
  clock_set(T0 + 30);
  code_at(fx, admin, T0 + 30, code);
  assert_int_equal(mfa_disable(fx->db, &fx->k, admin, code, "192.0.2.1", &err), -1);
  assert_non_null(strstr(buf_str(&err), "不能停用"));
  assert_int_equal(mfa_enabled(fx->db, admin), 1);
  /* With the setting off it works, and forgets the secret. */
  put_setting(fx, "auth.totp_enforce", "0");
  buf_clear(&err);
  assert_int_equal(mfa_disable(fx->db, &fx->k, admin, "000000x", "192.0.2.1", &err), -2);
  assert_int_equal(mfa_enabled(fx->db, admin), 1);
  buf_clear(&err);
  if (mfa_disable(fx->db, &fx->k, admin, code, "192.0.2.1", &err) != 0)
    fail_msg("mfa_disable: %s", buf_str(&err));
  assert_int_equal(mfa_enabled(fx->db, admin), 0);
  unsigned char s[TOTP_SECRET_BYTES];
  int enabled;
  assert_int_equal(mfa_secret(fx->db, &fx->k, admin, s, &enabled), -1);
  /* The administrator's reset: 0 when there was a secret, 1 when not. */
  int64_t third = enrolled_user(fx, "mand.third", "xcb");
  assert_int_equal(mfa_reset(fx->db, third), 0);
  assert_int_equal(mfa_reset(fx->db, third), 1);
  assert_int_equal(mfa_enabled(fx->db, third), 0);
  buf_release(&err);
}

static void test_pending_token(void **state) {
  Fx *fx = fx_get(state);
  char tok[MFA_TOKEN_MAX], bad[MFA_TOKEN_MAX];
  int64_t uid = 0;
  mfa_pending_token(&fx->k, 42, T0, tok);
  assert_int_equal(mfa_pending_verify(&fx->k, tok, T0, &uid), 0);
  assert_int_equal(uid, 42);
  assert_int_equal(mfa_pending_verify(&fx->k, tok, T0 + MFA_PENDING_SECONDS, &uid), 0);
  assert_int_equal(mfa_pending_verify(&fx->k, tok, T0 + MFA_PENDING_SECONDS + 1, &uid), -1);
  /* another user id with the same tag */
  str_copy(bad, tok, sizeof bad);
  bad[3] = '3';
  assert_int_equal(mfa_pending_verify(&fx->k, bad, T0, &uid), -1);
  /* a flipped tag digit */
  str_copy(bad, tok, sizeof bad);
  size_t n = strlen(bad);
  bad[n - 1] = bad[n - 1] == '0' ? '1' : '0';
  assert_int_equal(mfa_pending_verify(&fx->k, bad, T0, &uid), -1);
  /* another key */
  Keys other = fx->k;
  other.data_key[5] ^= 0x80;
  assert_int_equal(mfa_pending_verify(&other, tok, T0, &uid), -1);
  /* junk */
  assert_int_equal(mfa_pending_verify(&fx->k, "", T0, &uid), -1);
  assert_int_equal(mfa_pending_verify(&fx->k, NULL, T0, &uid), -1);
  assert_int_equal(mfa_pending_verify(&fx->k, "p1.1.2.3.4", T0, &uid), -1);
  /* two tokens of one second differ */
  char tok2[MFA_TOKEN_MAX];
  mfa_pending_token(&fx->k, 42, T0, tok2);
  assert_string_not_equal(tok, tok2);
}

static void test_failures_count_until_second_factor(void **state) {
  Fx *fx = fx_get(state);
  AuthResult r;
  char code[7], bad[7];
  int64_t uid = enrolled_user(fx, "lock.a", "xcb");
  put_setting(fx, "auth.lockout_failures", "3");
  account_authenticate(fx->db, "lock.a", "wrong-Password-1", "t", &r);
  assert_int_equal(r.outcome, AUTH_BAD);
  account_authenticate(fx->db, "lock.a", "wrong-Password-2", "t", &r);
  assert_int_equal(r.outcome, AUTH_BAD);
  /* The right password with TOTP due: OK, but the two failures stay. */
  account_authenticate(fx->db, "lock.a", PW, "t", &r);
  assert_int_equal(r.outcome, AUTH_OK);
  assert_int_equal(r.second_factor, 1);
  /* A wrong code is the third failure: locked. */
  clock_set(T0 + 30);
  wrong_code(fx, uid, T0 + 30, bad);
  MfaCheck c = mfa_check(fx->db, &fx->k, uid, bad);
  assert_int_equal(c, MFA_BAD);
  account_second_factor(fx->db, uid, "t", 0, &r);
  assert_int_equal(r.outcome, AUTH_LOCKED);
  assert_true(r.locked_until > T0);
  /* While locked a right code changes nothing. */
  code_at(fx, uid, T0 + 30, code);
  account_second_factor(fx->db, uid, "t", 1, &r);
  assert_int_equal(r.outcome, AUTH_LOCKED);
  /* After the lock, password + right code log in and clear the count. */
  clock_set(T0 + 31 * 60);
  account_authenticate(fx->db, "lock.a", PW, "t", &r);
  assert_int_equal(r.outcome, AUTH_OK);
  code_at(fx, uid, T0 + 31 * 60, code);
  assert_int_equal(mfa_check(fx->db, &fx->k, uid, code), MFA_OK);
  account_second_factor(fx->db, uid, "t", 1, &r);
  assert_int_equal(r.outcome, AUTH_OK);
  assert_int_equal(r.user_id, uid);
  /* A user without TOTP: the right password clears the count itself. */
  make_user(fx, "lock.b", "xcb");
  account_authenticate(fx->db, "lock.b", "wrong-Password-1", "t", &r);
  account_authenticate(fx->db, "lock.b", "wrong-Password-2", "t", &r);
  account_authenticate(fx->db, "lock.b", PW, "t", &r);
  assert_int_equal(r.outcome, AUTH_OK);
  assert_int_equal(r.second_factor, 0);
  account_authenticate(fx->db, "lock.b", "wrong-Password-3", "t", &r);
  assert_int_equal(r.outcome, AUTH_BAD); /* 1 of 3, not 3 of 3 */
}

static void test_roles_allowed(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  const char *two_admins[] = {"sysadmin", "auditor"};
  const char *admin_biz[] = {"secadmin", "xcb"};
  const char *two_biz[] = {"xcb", "xcz_leader"};
  const char *one_admin[] = {"auditor"};
  const char *unknown[] = {"xcb", "no_such_role"};
  const char *dup[] = {"xcb", "xcb"};
  assert_int_equal(account_roles_allowed(fx->db, two_admins, 2, &err), -1);
  assert_non_null(strstr(buf_str(&err), "三员分立"));
  buf_clear(&err);
  assert_int_equal(account_roles_allowed(fx->db, admin_biz, 2, &err), -1);
  assert_non_null(strstr(buf_str(&err), "三员分立"));
  buf_clear(&err);
  assert_int_equal(account_roles_allowed(fx->db, two_biz, 2, &err), 0);
  assert_int_equal(account_roles_allowed(fx->db, one_admin, 1, &err), 0);
  assert_int_equal(account_roles_allowed(fx->db, unknown, 2, &err), -1);
  assert_non_null(strstr(buf_str(&err), "不存在"));
  buf_clear(&err);
  assert_int_equal(account_roles_allowed(fx->db, dup, 2, &err), -1);
  buf_clear(&err);
  assert_int_equal(account_roles_allowed(fx->db, two_biz, 0, &err), -1);
  /* account_create applies the same rule. */
  int64_t id;
  buf_clear(&err);
  assert_int_equal(account_create(fx->db, "ra.x", "测试用户·乙", "sysadmin,auditor",
                                  NULL, PW, 0, &id, &err),
                   -1);
  assert_non_null(strstr(buf_str(&err), "三员分立"));
  buf_release(&err);
}

#define BOTH(fn)                                                               \
  cmocka_unit_test_setup_teardown(fn, setup_sqlite, teardown),                 \
      cmocka_unit_test_setup_teardown(fn, setup_pg, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      BOTH(test_enrol),
      BOTH(test_check_window_replay),
      BOTH(test_sealed_at_rest),
      BOTH(test_mandatory_roles),
      BOTH(test_pending_token),
      BOTH(test_failures_count_until_second_factor),
      BOTH(test_roles_allowed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
