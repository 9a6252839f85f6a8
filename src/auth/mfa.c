/* mfa.c: TOTP enrolment, login checks with replay refusal, mandatory
** roles and pending-login tokens (see mfa.h). */
#include "auth/mfa.h"

#include <inttypes.h>
#include <stdlib.h>

#include "auth/account.h"
#include "domain/settings.h"

/* The aad that binds a sealed secret to its user's row. */
static void secret_aad(int64_t user_id, char out[32]) {
  snprintf(out, 32, "totp:%" PRId64, user_id);
}

int mfa_enabled(Db *db, int64_t user_id) {
  Stmt *st = db_stmt(db, STMT_TOTP_GET);
  db_bind_int64(st, 1, user_id);
  int on = db_step(st) == DB_ROW && db_column_int64(st, 1) == 1;
  db_reset(st);
  return on;
}

int mfa_required(Db *db, int64_t user_id) {
  if (setting_int(db, "auth.totp_enforce") != 1) return 0;
  Stmt *st = db_stmt(db, STMT_ROLE_MFA_USER_COUNT);
  db_bind_int64(st, 1, user_id);
  int64_t n = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
  db_reset(st);
  return n > 0;
}

int mfa_must_enrol(Db *db, int64_t user_id) {
  return mfa_required(db, user_id) && !mfa_enabled(db, user_id);
}

int mfa_role_listed(Db *db, const char *role_code) {
  Stmt *st = db_stmt(db, STMT_ROLE_MFA_GET);
  db_bind_text(st, 1, role_code);
  int found = db_step(st) == DB_ROW;
  db_reset(st);
  return found;
}

int mfa_role_set(Db *db, const char *role_code, int required) {
  Stmt *st = db_stmt(db, required ? STMT_ROLE_MFA_ADD : STMT_ROLE_MFA_DELETE);
  db_bind_text(st, 1, role_code);
  if (required) db_bind_int64(st, 2, jx_now());
  int rc = db_step(st);
  int64_t n = db_changes(db);
  db_reset(st);
  if (rc != DB_DONE) return -1;
  return n == 1 ? 0 : 1;
}

int mfa_secret(Db *db, const Keys *k, int64_t user_id,
               unsigned char out[TOTP_SECRET_BYTES], int *enabled) {
  char aad[32];
  Buf pt = BUF_INIT;
  int rc = -1;
  secret_aad(user_id, aad);
  Stmt *st = db_stmt(db, STMT_TOTP_GET);
  db_bind_int64(st, 1, user_id);
  if (db_step(st) == DB_ROW) {
    size_t n = 0;
    const void *blob = db_column_blob(st, 0, &n);
    if (enabled) *enabled = db_column_int64(st, 1) == 1;
    if (blob && crypt_open(k, blob, n, aad, &pt) == 0 &&
        pt.len == TOTP_SECRET_BYTES) {
      memcpy(out, pt.p, TOTP_SECRET_BYTES);
      rc = 0;
    }
  }
  db_reset(st);
  if (pt.p) sodium_memzero(pt.p, pt.len);
  buf_release(&pt);
  return rc;
}

int mfa_setup(Db *db, const Keys *k, int64_t user_id, Buf *err) {
  unsigned char secret[TOTP_SECRET_BYTES];
  char aad[32];
  Buf sealed = BUF_INIT;
  if (mfa_enabled(db, user_id)) {
    buf_puts(err, "动态验证码已启用；如需更换，请先停用");
    return -1;
  }
  totp_new_secret(secret);
  secret_aad(user_id, aad);
  crypt_seal(k, secret, sizeof secret, aad, &sealed);
  sodium_memzero(secret, sizeof secret);
  Stmt *st = db_stmt(db, STMT_TOTP_PUT);
  db_bind_int64(st, 1, user_id);
  db_bind_blob(st, 2, sealed.p, sealed.len);
  db_bind_int64(st, 3, jx_now());
  int rc = db_step(st);
  db_reset(st);
  buf_release(&sealed);
  if (rc != DB_DONE) {
    buf_puts(err, "保存动态验证码密钥失败");
    return -1;
  }
  return 0;
}

/* Copy code into out without spaces: 0 when what is left is exactly
** TOTP_DIGITS digits, -1 otherwise (out then ""). */
static int normalise_code(const char *code, char out[TOTP_DIGITS + 1]) {
  size_t n = 0;
  out[0] = 0;
  for (const char *p = code; p && *p; p++) {
    if (*p == ' ') continue;
    if (*p < '0' || *p > '9' || n == TOTP_DIGITS) return -1;
    out[n++] = *p;
  }
  out[n] = 0;
  return n == TOTP_DIGITS ? 0 : -1;
}

/* Verify code against the user's secret (pending or enabled as wanted)
** with the configured window; 0 and *step, or -1. */
static int verify_code(Db *db, const Keys *k, int64_t user_id,
                       const char *code, int want_enabled, int64_t *step) {
  unsigned char secret[TOTP_SECRET_BYTES];
  char digits[TOTP_DIGITS + 1];
  int enabled = 0;
  if (normalise_code(code, digits) != 0) return -1;
  if (mfa_secret(db, k, user_id, secret, &enabled) != 0) return -1;
  int rc = enabled == want_enabled
               ? totp_verify(secret, sizeof secret, digits, jx_now(),
                             (int)setting_int(db, "auth.totp_window"), step)
               : -1;
  sodium_memzero(secret, sizeof secret);
  return rc;
}

int mfa_enable(Db *db, const Keys *k, int64_t user_id, const char *code,
               Buf *err) {
  int64_t step = 0;
  int enabled = 0;
  unsigned char secret[TOTP_SECRET_BYTES];
  if (mfa_secret(db, k, user_id, secret, &enabled) != 0) {
    buf_puts(err, "尚未生成动态验证码密钥，请先生成");
    return -1;
  }
  sodium_memzero(secret, sizeof secret);
  if (enabled) {
    buf_puts(err, "动态验证码已启用");
    return -1;
  }
  if (verify_code(db, k, user_id, code, 0, &step) != 0) {
    buf_puts(err, "验证码不正确：请输入验证器应用当前显示的 6 位数字，并确认手机时间准确");
    return -1;
  }
  Stmt *st = db_stmt(db, STMT_TOTP_ENABLE);
  db_bind_int64(st, 1, jx_now());
  db_bind_int64(st, 2, step);
  db_bind_int64(st, 3, user_id);
  int rc = db_step(st);
  int64_t n = db_changes(db);
  db_reset(st);
  if (rc != DB_DONE || n != 1) {
    buf_puts(err, "保存失败，请重试");
    return -1;
  }
  return 0;
}

MfaCheck mfa_check(Db *db, const Keys *k, int64_t user_id, const char *code) {
  int64_t step = 0;
  if (!code || !*code) return MFA_MISSING;
  if (verify_code(db, k, user_id, code, 1, &step) != 0) return MFA_BAD;
  /* Compare-and-set on last_step: a step at or before the last accepted
   * one, or a race lost to another request with the same code, is a
   * replay. */
  Stmt *st = db_stmt(db, STMT_TOTP_STEP);
  db_bind_int64(st, 1, step);
  db_bind_int64(st, 2, user_id);
  db_bind_int64(st, 3, step);
  int rc = db_step(st);
  int64_t n = db_changes(db);
  db_reset(st);
  return rc == DB_DONE && n == 1 ? MFA_OK : MFA_REPLAY;
}

int mfa_disable(Db *db, const Keys *k, int64_t user_id, const char *code,
                const char *addr, Buf *err) {
  if (!mfa_enabled(db, user_id)) {
    buf_puts(err, "动态验证码未启用");
    return -1;
  }
  if (mfa_required(db, user_id)) {
    buf_puts(err, "您的角色必须使用动态验证码，不能停用");
    return -1;
  }
  MfaCheck c = mfa_check(db, k, user_id, code);
  AuthResult r;
  account_second_factor(db, user_id, addr, c == MFA_OK, &r);
  if (r.outcome == AUTH_LOCKED) {
    buf_puts(err, "验证码错误次数过多，账号已暂时锁定，请稍后再试");
    return -2;
  }
  if (c != MFA_OK) {
    buf_puts(err, c == MFA_REPLAY ? "该验证码已使用过，请等待下一个验证码"
                                  : "验证码不正确");
    return -2;
  }
  if (r.outcome != AUTH_OK) {
    buf_puts(err, "账号当前不可用");
    return -1;
  }
  return mfa_reset(db, user_id) == 0 ? 0 : (buf_puts(err, "保存失败"), -1);
}

int mfa_reset(Db *db, int64_t user_id) {
  Stmt *st = db_stmt(db, STMT_TOTP_DELETE);
  db_bind_int64(st, 1, user_id);
  int rc = db_step(st);
  int64_t n = db_changes(db);
  db_reset(st);
  if (rc != DB_DONE) return -1;
  return n == 1 ? 0 : 1;
}

/* ---- pending-login tokens ----
** "p1.<user id>.<expiry>.<32 hex nonce>.<64 hex tag>", the tag an
** HMAC-SM3 under a subkey of the data key over everything before it.
** The nonce makes two tokens of one second differ; nothing in the token
** is secret, only unforgeable. */

static void pending_tag(const Keys *k, const char *body, size_t n,
                        unsigned char tag[SM3_BYTES]) {
  static const char label[] = "jixun login pending v1";
  unsigned char sub[SM3_BYTES];
  hmac_sm3(k->data_key, sizeof k->data_key, label, sizeof label - 1, sub);
  hmac_sm3(sub, sizeof sub, body, n, tag);
  sodium_memzero(sub, sizeof sub);
}

void mfa_pending_token(const Keys *k, int64_t user_id, jx_time now,
                       char out[MFA_TOKEN_MAX]) {
  unsigned char nonce[16], tag[SM3_BYTES];
  char nonce_hex[33], tag_hex[2 * SM3_BYTES + 1];
  random_token(nonce, sizeof nonce);
  token_hex(nonce, sizeof nonce, nonce_hex);
  int n = snprintf(out, MFA_TOKEN_MAX, "p1.%" PRId64 ".%" PRId64 ".%s", user_id,
                   (int64_t)(now + MFA_PENDING_SECONDS), nonce_hex);
  pending_tag(k, out, (size_t)n, tag);
  token_hex(tag, sizeof tag, tag_hex);
  snprintf(out + n, MFA_TOKEN_MAX - (size_t)n, ".%s", tag_hex);
}

int mfa_pending_verify(const Keys *k, const char *token, jx_time now,
                       int64_t *user_id) {
  unsigned char want[SM3_BYTES], got[SM3_BYTES];
  if (!token || strlen(token) >= MFA_TOKEN_MAX || !str_starts(token, "p1."))
    return -1;
  const char *dot = strrchr(token, '.');
  if (!dot || strlen(dot + 1) != 2 * SM3_BYTES ||
      hex_decode(dot + 1, got, sizeof got) != 0)
    return -1;
  pending_tag(k, token, (size_t)(dot - token), want);
  int ok = mem_ct_cmp(want, got, sizeof want) == 0;
  sodium_memzero(want, sizeof want);
  if (!ok) return -1;
  /* The tag is right, so the fields are ours: parse them plainly. */
  char body[MFA_TOKEN_MAX];
  str_copy(body, token + 3, sizeof body);
  char *f_uid = body, *f_exp = strchr(body, '.');
  if (!f_exp) return -1;
  *f_exp++ = 0;
  char *f_nonce = strchr(f_exp, '.');
  if (!f_nonce) return -1;
  *f_nonce = 0;
  int64_t uid, exp;
  if (str_to_int64(f_uid, 1, INT64_MAX, &uid) != 0 ||
      str_to_int64(f_exp, 0, INT64_MAX, &exp) != 0 || exp < now)
    return -1;
  *user_id = uid;
  return 0;
}
