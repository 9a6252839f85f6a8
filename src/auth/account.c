/* account.c: accounts, the password policy (等保三级 8.1.4.1) and
** authentication with lockout. */
#include "auth/account.h"

#include <ctype.h>
#include <stdlib.h>
#include <strings.h>

#include "auth/crypto.h"
#include "auth/mfa.h"
#include "auth/session.h"
#include "domain/settings.h"

static int char_classes(const char *pw) {
  int up = 0, low = 0, dig = 0, other = 0;
  for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
    if (*p >= 'A' && *p <= 'Z') up = 1;
    else if (*p >= 'a' && *p <= 'z') low = 1;
    else if (*p >= '0' && *p <= '9') dig = 1;
    else other = 1;
  }
  return up + low + dig + other;
}

int password_policy_check(Db *db, const char *login, const char *pw,
                          int64_t user_id, Buf *err) {
  int64_t min_len = setting_int(db, "auth.password_min_length");
  int64_t classes = setting_int(db, "auth.password_classes");
  int64_t history = setting_int(db, "auth.password_history");
  if (!utf8_valid(pw, strlen(pw))) {
    buf_puts(err, "密码含有非法字符");
    return -1;
  }
  if ((int64_t)utf8_chars(pw) < min_len) {
    buf_printf(err, "密码长度至少为 %lld 位", (long long)min_len);
    return -1;
  }
  if (strlen(pw) > 256) {
    buf_puts(err, "密码过长（最多 256 个字节）");
    return -1;
  }
  if (char_classes(pw) < classes) {
    buf_printf(err, "密码须包含大写字母、小写字母、数字、符号中的至少 %lld 类",
               (long long)classes);
    return -1;
  }
  if (login && strcasestr(pw, login)) {
    buf_puts(err, "密码不得包含登录名");
    return -1;
  }
  if (user_id && history > 0) {
    Stmt *st = db_stmt(db, STMT_PWHIST_RECENT);
    db_bind_int64(st, 1, user_id);
    db_bind_int64(st, 2, history);
    int reused = 0;
    while (!reused && db_step(st) == DB_ROW)
      reused = password_verify(db_column_text(st, 0), pw) == 0;
    db_reset(st);
    if (reused) {
      buf_printf(err, "新密码不得与最近 %lld 次使用过的密码相同",
                 (long long)history);
      return -1;
    }
  }
  return 0;
}

static int login_valid(const char *login) {
  size_t n = strlen(login);
  if (n < 2 || n > 32) return 0;
  for (const char *p = login; *p; p++)
    if (!isalnum((unsigned char)*p) && !strchr("._-", *p)) return 0;
  return 1;
}

int account_roles_allowed(Db *db, const char *const *codes, int n,
                          Buf *err) {
  int admins = 0;
  if (n <= 0) {
    buf_puts(err, "至少需要一个角色");
    return -1;
  }
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < i; j++)
      if (str_eq(codes[i], codes[j])) {
        buf_printf(err, "角色 %s 重复", codes[i]);
        return -1;
      }
    Stmt *st = db_stmt(db, STMT_ROLE_GET);
    db_bind_text(st, 1, codes[i]);
    int found = db_step(st) == DB_ROW;
    if (found && str_eq(db_column_text(st, 1), "admin")) admins++;
    db_reset(st);
    if (!found) {
      buf_printf(err, "角色 %s 不存在", codes[i]);
      return -1;
    }
  }
  if (admins > 1 || (admins == 1 && n > 1)) {
    buf_puts(err, "三员分立：系统管理员、安全管理员、审计管理员不得兼任，也不得兼任业务角色");
    return -1;
  }
  return 0;
}

/* Split roles_csv into codes and check them (account_roles_allowed). */
static int roles_check(Db *db, const char *roles_csv, char codes[8][32],
                       int *n, Buf *err) {
  const char *ptrs[8];
  *n = 0;
  const char *p = roles_csv;
  while (p && *p) {
    const char *e = strchr(p, ',');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len == 0 || len >= 32 || *n == 8) {
      buf_puts(err, "角色列表格式错误");
      return -1;
    }
    memcpy(codes[*n], p, len);
    codes[*n][len] = 0;
    ptrs[*n] = codes[*n];
    (*n)++;
    p = e ? e + 1 : NULL;
  }
  return account_roles_allowed(db, ptrs, *n, err);
}

/* account_create, and account_admin_create when roles_csv is NULL (no
** role yet: the security administrator grants them). */
static int create_account(Db *db, const char *login, const char *display_name,
                          const char *roles_csv, const char *office,
                          const char *pw, int must_change, int64_t *id,
                          Buf *err) {
  char codes[8][32];
  int n = 0;
  char hash[PW_HASH_BYTES];
  if (!login_valid(login)) {
    buf_puts(err, "登录名须为 2–32 位字母、数字或 . _ -");
    return -1;
  }
  if (!display_name || !*display_name || utf8_chars(display_name) > 64 ||
      !utf8_valid(display_name, strlen(display_name))) {
    buf_puts(err, "显示名不能为空，且不超过 64 个字");
    return -1;
  }
  if (roles_csv && roles_check(db, roles_csv, codes, &n, err) != 0) return -1;
  if (password_policy_check(db, login, pw, 0, err) != 0) return -1;
  if (password_hash(pw, hash) != 0) {
    buf_puts(err, "无法计算密码摘要");
    return -1;
  }
  jx_time now = jx_now();
  Stmt *st = db_stmt(db, STMT_USER_INSERT);
  db_bind_text(st, 1, login);
  db_bind_text(st, 2, display_name);
  db_bind_text(st, 3, office);
  db_bind_text(st, 4, NULL);
  db_bind_text(st, 5, hash);
  db_bind_int64(st, 6, now);
  db_bind_int64(st, 7, must_change);
  db_bind_int64(st, 8, now);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_column_int64(st, 0);
  db_reset(st);
  if (rc != DB_ROW) {
    buf_puts(err, rc == DB_ECONSTRAINT ? "登录名已存在" : "保存账号失败");
    return -1;
  }
  /* The name now has an account, whose own lockout state takes over. */
  st = db_stmt(db, STMT_LOGIN_LOCK_CLEAR);
  db_bind_text(st, 1, login);
  db_step(st);
  db_reset(st);
  for (int i = 0; i < n; i++) {
    st = db_stmt(db, STMT_USER_ROLE_ADD);
    db_bind_int64(st, 1, *id);
    db_bind_text(st, 2, codes[i]);
    rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE) {
      buf_puts(err, "保存角色失败");
      return -1;
    }
  }
  st = db_stmt(db, STMT_PWHIST_ADD);
  db_bind_int64(st, 1, *id);
  db_bind_text(st, 2, hash);
  db_bind_int64(st, 3, now);
  rc = db_step(st);
  db_reset(st);
  return rc == DB_DONE ? 0 : (buf_puts(err, "保存密码历史失败"), -1);
}

int account_create(Db *db, const char *login, const char *display_name,
                   const char *roles_csv, const char *office, const char *pw,
                   int must_change, int64_t *id, Buf *err) {
  return create_account(db, login, display_name, roles_csv ? roles_csv : "",
                        office, pw, must_change, id, err);
}

static void record_failure(Db *db, const char *login, const char *addr,
                           jx_time now) {
  Stmt *st = db_stmt(db, STMT_LOGIN_FAILURE_ADD);
  db_bind_text(st, 1, login);
  db_bind_int64(st, 2, now);
  db_bind_text(st, 3, addr ? addr : "");
  db_step(st);
  db_reset(st);
}

static int64_t recent_failures(Db *db, const char *login, jx_time since) {
  Stmt *st = db_stmt(db, STMT_LOGIN_FAILURE_COUNT);
  db_bind_text(st, 1, login);
  db_bind_int64(st, 2, since);
  int64_t n = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
  db_reset(st);
  return n;
}

/* Has the account itself (not its password) passed its expiry? */
static int account_expired(Db *db, int64_t id, jx_time now) {
  Stmt *st = db_stmt(db, STMT_USER_EXPIRES_GET);
  db_bind_int64(st, 1, id);
  jx_time at = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
  db_reset(st);
  return at > 0 && at <= now;
}

static int set_status(Db *db, int64_t id, const char *status) {
  Stmt *st = db_stmt(db, STMT_USER_SET_STATUS);
  db_bind_text(st, 1, status);
  db_bind_int64(st, 2, id);
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_DONE ? 0 : -1;
}

/* Record a failed attempt on the existing account id and lock it once
** the failures within the window reach the limit (out says so). */
static void count_failure(Db *db, int64_t id, const char *login,
                          const char *addr, jx_time now, AuthResult *out) {
  record_failure(db, login, addr, now);
  int64_t window = setting_int(db, "auth.lockout_window_minutes") * 60;
  if (recent_failures(db, login, now - window) <
      setting_int(db, "auth.lockout_failures"))
    return;
  jx_time until = now + setting_int(db, "auth.lockout_minutes") * 60;
  Stmt *st = db_stmt(db, STMT_USER_SET_LOCK);
  db_bind_int64(st, 1, until);
  db_bind_int64(st, 2, id);
  db_step(st);
  db_reset(st);
  st = db_stmt(db, STMT_LOGIN_FAILURE_CLEAR);
  db_bind_text(st, 1, login);
  db_step(st);
  db_reset(st);
  out->outcome = AUTH_LOCKED;
  out->locked_until = until;
}

/* A failed attempt on a name with no account: counted and locked out
** exactly as count_failure() does for an account, so that neither the
** answers nor their timing reveal which names exist. */
static void unknown_failure(Db *db, const char *login, const char *addr,
                            jx_time now, AuthResult *out) {
  Stmt *st = db_stmt(db, STMT_LOGIN_LOCK_GET);
  db_bind_text(st, 1, login);
  jx_time until = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
  db_reset(st);
  record_failure(db, login, addr, now);
  if (until <= now) {
    int64_t window = setting_int(db, "auth.lockout_window_minutes") * 60;
    if (recent_failures(db, login, now - window) <
        setting_int(db, "auth.lockout_failures"))
      return;
    until = now + setting_int(db, "auth.lockout_minutes") * 60;
    st = db_stmt(db, STMT_LOGIN_LOCK_PUT);
    db_bind_text(st, 1, login);
    db_bind_int64(st, 2, until);
    db_step(st);
    db_reset(st);
    st = db_stmt(db, STMT_LOGIN_FAILURE_CLEAR);
    db_bind_text(st, 1, login);
    db_step(st);
    db_reset(st);
  }
  out->outcome = AUTH_LOCKED;
  out->locked_until = until;
}

/* Must the password be changed before anything else: first login, reset,
** or older than the maximum age?  An expired password is recorded on the
** account, so that the session it opens (auth_attach reads the column)
** is held to the change exactly like a first login. */
static int change_due(Db *db, int64_t id, int must_change, jx_time changed,
                      jx_time now) {
  int64_t max_age = setting_int(db, "auth.password_max_age_days") * 86400;
  if (must_change) return 1;
  if (!max_age || now - changed <= max_age) return 0;
  Stmt *st = db_stmt(db, STMT_USER_SET_MUST_CHANGE);
  db_bind_int64(st, 1, id);
  db_step(st);
  db_reset(st);
  return 1;
}

void account_authenticate(Db *db, const char *login, const char *pw,
                          const char *addr, AuthResult *out) {
  jx_time now = jx_now();
  memset(out, 0, sizeof *out);
  out->outcome = AUTH_BAD;
  Stmt *st = db_stmt(db, STMT_USER_BY_LOGIN);
  db_bind_text(st, 1, login);
  if (db_step(st) != DB_ROW) {
    db_reset(st);
    password_dummy_verify(pw);
    unknown_failure(db, login, addr, now, out);
    return;
  }
  int64_t id = db_column_int64(st, 0);
  char *status = xstrdup(db_column_text(st, 2));
  char *hash = xstrdup(db_column_text(st, 3));
  jx_time changed = db_column_int64(st, 4);
  int must_change = (int)db_column_int64(st, 5);
  jx_time locked_until = db_column_int64(st, 6);
  db_reset(st);
  out->user_id = id;
  if (locked_until > now) {
    password_dummy_verify(pw); /* same time as any other answer */
    out->outcome = AUTH_LOCKED;
    out->locked_until = locked_until;
    record_failure(db, login, addr, now);
    goto done;
  }
  if (password_verify(hash, pw) != 0) {
    count_failure(db, id, login, addr, now, out);
    goto done;
  }
  if (str_eq(status, "locked")) { /* by an administrator, until unlocked */
    out->outcome = AUTH_LOCKED;
    goto done;
  }
  if (!str_eq(status, "active")) {
    out->outcome = AUTH_DISABLED;
    out->expired = str_eq(status, "expired");
    goto done;
  }
  if (account_expired(db, id, now)) {
    set_status(db, id, "expired");
    out->outcome = AUTH_DISABLED;
    out->expired = 1;
    goto done;
  }
  /* With a second factor the password alone proves nothing yet: the
   * failures stay counted until account_second_factor() passes, so the
   * code cannot be guessed at the price of one right password. */
  out->second_factor = mfa_enabled(db, id);
  if (!out->second_factor) {
    st = db_stmt(db, STMT_LOGIN_FAILURE_CLEAR);
    db_bind_text(st, 1, login);
    db_step(st);
    db_reset(st);
  }
  out->outcome = AUTH_OK;
  out->must_change_password = change_due(db, id, must_change, changed, now);
done:
  free(status);
  sodium_memzero(hash, strlen(hash));
  free(hash);
}

void account_second_factor(Db *db, int64_t user_id, const char *addr,
                           int passed, AuthResult *out) {
  jx_time now = jx_now();
  memset(out, 0, sizeof *out);
  out->outcome = AUTH_BAD;
  out->user_id = user_id;
  out->second_factor = 1;
  Stmt *st = db_stmt(db, STMT_USER_BY_ID);
  db_bind_int64(st, 1, user_id);
  if (db_step(st) != DB_ROW) {
    db_reset(st);
    return;
  }
  char *login = xstrdup(db_column_text(st, 0));
  char *status = xstrdup(db_column_text(st, 2));
  jx_time changed = db_column_int64(st, 4);
  int must_change = (int)db_column_int64(st, 5);
  jx_time locked_until = db_column_int64(st, 6);
  db_reset(st);
  if (locked_until > now || str_eq(status, "locked")) {
    /* Locked since the password step: a right code changes nothing. */
    record_failure(db, login, addr, now);
    out->outcome = AUTH_LOCKED;
    out->locked_until = locked_until;
  } else if (!passed) {
    count_failure(db, user_id, login, addr, now, out);
  } else if (!str_eq(status, "active")) {
    out->outcome = AUTH_DISABLED;
    out->expired = str_eq(status, "expired");
  } else {
    st = db_stmt(db, STMT_LOGIN_FAILURE_CLEAR);
    db_bind_text(st, 1, login);
    db_step(st);
    db_reset(st);
    out->outcome = AUTH_OK;
    out->must_change_password =
        change_due(db, user_id, must_change, changed, now);
  }
  free(login);
  free(status);
}

int account_change_password(Db *db, int64_t user_id, const char *old_pw,
                            const char *new_pw, int must_change, Buf *err) {
  char hash[PW_HASH_BYTES];
  Stmt *st = db_stmt(db, STMT_USER_BY_ID);
  db_bind_int64(st, 1, user_id);
  if (db_step(st) != DB_ROW) {
    db_reset(st);
    buf_puts(err, "账号不存在");
    return -1;
  }
  char *login = xstrdup(db_column_text(st, 0));
  int old_ok = !old_pw || password_verify(db_column_text(st, 3), old_pw) == 0;
  db_reset(st);
  int rc = -1;
  if (!old_ok) {
    buf_puts(err, "原密码不正确");
    goto done;
  }
  if (old_pw && str_eq(old_pw, new_pw)) {
    buf_puts(err, "新密码不能与原密码相同");
    goto done;
  }
  if (password_policy_check(db, login, new_pw, user_id, err) != 0) goto done;
  if (password_hash(new_pw, hash) != 0) {
    buf_puts(err, "无法计算密码摘要");
    goto done;
  }
  jx_time now = jx_now();
  st = db_stmt(db, STMT_USER_SET_PASSWORD);
  db_bind_text(st, 1, hash);
  db_bind_int64(st, 2, now);
  db_bind_int64(st, 3, must_change);
  db_bind_int64(st, 4, user_id);
  int ok = db_step(st) == DB_DONE;
  db_reset(st);
  st = db_stmt(db, STMT_PWHIST_ADD);
  db_bind_int64(st, 1, user_id);
  db_bind_text(st, 2, hash);
  db_bind_int64(st, 3, now);
  ok = ok && db_step(st) == DB_DONE;
  db_reset(st);
  if (!ok) buf_puts(err, "保存密码失败");
  rc = ok ? 0 : -1;
done:
  free(login);
  return rc;
}

void account_roles(Db *db, int64_t user_id, Buf *out) {
  Stmt *st = db_stmt(db, STMT_USER_ROLES);
  db_bind_int64(st, 1, user_id);
  while (db_step(st) == DB_ROW) {
    if (out->len) buf_putc(out, ',');
    buf_puts(out, db_column_text(st, 0));
  }
  db_reset(st);
}

/* ---- administration ---- */

void account_random_password(char out[ACCOUNT_TEMP_PW_LEN + 1]) {
  static const char *classes[4] = {"ABCDEFGHJKMNPQRSTUVWXYZ",
                                   "abcdefghijkmnpqrstuvwxyz", "23456789",
                                   "@#%+=?"};
  enum { N = ACCOUNT_TEMP_PW_LEN };
  unsigned char r[2 * N];
  random_token(r, sizeof r);
  for (int i = 0; i < N; i++) {
    const char *set = classes[i < 4 ? i : r[N + i] % 4];
    out[i] = set[r[i] % strlen(set)];
  }
  /* Shuffle so the class order is not predictable. */
  for (int i = N - 1; i > 0; i--) {
    int j = r[i + N] % (i + 1);
    char t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  out[N] = 0;
  sodium_memzero(r, sizeof r);
}

void account_random_password_for(const char *login,
                                 char out[ACCOUNT_TEMP_PW_LEN + 1]) {
  account_random_password(out);
  for (int i = 0; i < 100 && login && *login && strcasestr(out, login); i++)
    account_random_password(out);
}

const char *account_state(const char *status, jx_time locked_until,
                          jx_time expires_at, jx_time now) {
  if (str_eq(status, "disabled")) return "disabled";
  if (str_eq(status, "expired")) return "expired";
  if (str_eq(status, "locked")) return "locked";
  if (expires_at > 0 && expires_at <= now) return "expired";
  if (locked_until > now) return "locked";
  return "active";
}

const char *account_state_label(const char *state) {
  static const char *const labels[][2] = {{"active", "正常"},
                                          {"locked", "已锁定"},
                                          {"disabled", "已停用"},
                                          {"expired", "已过期"}};
  for (size_t i = 0; i < JX_COUNT(labels); i++)
    if (str_eq(state, labels[i][0])) return labels[i][1];
  return NULL;
}

int64_t account_id_by_login(Db *db, const char *login) {
  Stmt *st = db_stmt(db, STMT_USER_ADMIN_BY_LOGIN);
  db_bind_text(st, 1, login);
  int64_t id = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
  db_reset(st);
  return id;
}

/* What the administration functions need to know of an account. */
typedef struct Acct {
  char login[64];
  char status[16];
  jx_time locked_until;
  jx_time expires_at;
} Acct;

static int acct_get(Db *db, int64_t id, Acct *a) {
  Stmt *st = db_stmt(db, STMT_USER_ADMIN_GET);
  db_bind_int64(st, 1, id);
  int found = db_step(st) == DB_ROW;
  if (found) {
    str_copy(a->login, db_column_text(st, 1), sizeof a->login);
    str_copy(a->status, db_column_text(st, 4), sizeof a->status);
    a->locked_until = db_column_int64(st, 8);
    a->expires_at = db_column_int64(st, 9);
  }
  db_reset(st);
  return found ? 0 : -1;
}

static int set_lock(Db *db, int64_t id, jx_time until) {
  Stmt *st = db_stmt(db, STMT_USER_SET_LOCK);
  db_bind_int64(st, 1, until);
  db_bind_int64(st, 2, id);
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_DONE ? 0 : -1;
}

static int clear_failures(Db *db, const char *login) {
  Stmt *st = db_stmt(db, STMT_LOGIN_FAILURE_CLEAR);
  db_bind_text(st, 1, login);
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_DONE ? 0 : -1;
}

/* End every live session of the user (id 0 is never a session's). */
static void end_sessions(Db *db, int64_t id) { session_end_others(db, id, 0); }

static int saved(int ok, Buf *err) {
  if (ok) return ACCOUNT_OK;
  buf_puts(err, "保存账号失败");
  return ACCOUNT_REFUSED;
}

/* A display name, office or other short text for people: valid UTF-8,
** no control characters, at most max characters. */
static int text_ok(const char *s, size_t max) {
  if (!utf8_valid(s, strlen(s)) || utf8_chars(s) > max) return 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7f) return 0;
  return 1;
}

int account_admin_create(Db *db, const char *login, const char *display_name,
                         const char *office, jx_time expires_at,
                         char pw[ACCOUNT_TEMP_PW_LEN + 1], int64_t *id,
                         Buf *err) {
  if (display_name && !text_ok(display_name, 64)) {
    buf_puts(err, "显示名不能为空，且不超过 64 个字");
    return ACCOUNT_REFUSED;
  }
  if (office && !text_ok(office, 64)) {
    buf_puts(err, "所在单位代码不超过 64 个字符，且不得含有控制字符");
    return ACCOUNT_REFUSED;
  }
  if (expires_at && expires_at <= jx_now()) {
    buf_puts(err, "账号有效期不得早于当前时间");
    return ACCOUNT_REFUSED;
  }
  account_random_password_for(login, pw);
  int rc = create_account(db, login, display_name, NULL,
                          office && *office ? office : NULL, pw, 1, id, err);
  if (rc != 0) {
    sodium_memzero(pw, ACCOUNT_TEMP_PW_LEN + 1);
    return ACCOUNT_REFUSED;
  }
  if (expires_at) {
    Stmt *st = db_stmt(db, STMT_USER_SET_EXPIRY);
    db_bind_int64(st, 1, expires_at);
    db_bind_int64(st, 2, *id);
    rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE) {
      sodium_memzero(pw, ACCOUNT_TEMP_PW_LEN + 1);
      return saved(0, err);
    }
  }
  return ACCOUNT_OK;
}

int account_lock(Db *db, int64_t id, Buf *err) {
  Acct a;
  if (acct_get(db, id, &a) != 0) return ACCOUNT_NOT_FOUND;
  if (str_eq(a.status, "locked")) {
    buf_puts(err, "账号已处于锁定状态");
    return ACCOUNT_REFUSED;
  }
  if (!str_eq(a.status, "active")) {
    buf_puts(err, "已停用或已过期的账号无需锁定");
    return ACCOUNT_REFUSED;
  }
  int ok = set_status(db, id, "locked") == 0;
  end_sessions(db, id);
  return saved(ok, err);
}

int account_unlock(Db *db, int64_t id, Buf *err) {
  Acct a;
  if (acct_get(db, id, &a) != 0) return ACCOUNT_NOT_FOUND;
  int admin_lock = str_eq(a.status, "locked");
  if (!admin_lock && !str_eq(a.status, "active")) {
    buf_puts(err, str_eq(a.status, "disabled") ? "账号已停用，请使用“启用”"
                                               : "账号已过期，请修改账号有效期");
    return ACCOUNT_REFUSED;
  }
  if (!admin_lock && a.locked_until <= jx_now()) {
    buf_puts(err, "账号未被锁定");
    return ACCOUNT_REFUSED;
  }
  int ok = (!admin_lock || set_status(db, id, "active") == 0) &&
           set_lock(db, id, 0) == 0 && clear_failures(db, a.login) == 0;
  return saved(ok, err);
}

int account_disable(Db *db, int64_t id, Buf *err) {
  Acct a;
  if (acct_get(db, id, &a) != 0) return ACCOUNT_NOT_FOUND;
  if (str_eq(a.status, "disabled")) {
    buf_puts(err, "账号已处于停用状态");
    return ACCOUNT_REFUSED;
  }
  int ok = set_status(db, id, "disabled") == 0;
  end_sessions(db, id);
  return saved(ok, err);
}

int account_enable(Db *db, int64_t id, Buf *err) {
  Acct a;
  if (acct_get(db, id, &a) != 0) return ACCOUNT_NOT_FOUND;
  if (!str_eq(a.status, "disabled")) {
    buf_puts(err, "账号未被停用");
    return ACCOUNT_REFUSED;
  }
  if (a.expires_at > 0 && a.expires_at <= jx_now()) {
    buf_puts(err, "账号有效期已过，请先修改账号有效期");
    return ACCOUNT_REFUSED;
  }
  return saved(set_status(db, id, "active") == 0, err);
}

int account_reset_password(Db *db, int64_t id,
                           char pw[ACCOUNT_TEMP_PW_LEN + 1], Buf *err) {
  Acct a;
  if (acct_get(db, id, &a) != 0) return ACCOUNT_NOT_FOUND;
  account_random_password_for(a.login, pw);
  if (account_change_password(db, id, NULL, pw, 1, err) != 0) {
    sodium_memzero(pw, ACCOUNT_TEMP_PW_LEN + 1);
    return ACCOUNT_REFUSED;
  }
  end_sessions(db, id);
  return ACCOUNT_OK;
}

int account_set_expiry(Db *db, int64_t id, jx_time expires_at, Buf *err) {
  Acct a;
  if (acct_get(db, id, &a) != 0) return ACCOUNT_NOT_FOUND;
  if (expires_at < 0 || (expires_at > 0 && expires_at <= jx_now())) {
    buf_puts(err, "账号有效期不得早于当前时间");
    return ACCOUNT_REFUSED;
  }
  Stmt *st = db_stmt(db, STMT_USER_SET_EXPIRY);
  db_bind_int64(st, 1, expires_at);
  db_bind_int64(st, 2, id);
  int ok = db_step(st) == DB_DONE;
  db_reset(st);
  if (ok && str_eq(a.status, "expired")) ok = set_status(db, id, "active") == 0;
  return saved(ok, err);
}
