/* token.c: API tokens (see token.h). */
#include "auth/token.h"

#include <stdlib.h>
#include <strings.h>

#include "auth/account.h"
#include "auth/auth.h"
#include "auth/crypto.h"
#include "auth/mfa.h"
#include "web/http.h"

int token_create(Db *db, int64_t user_id, const char *name, int days,
                 char token[TOKEN_LEN + 1], int64_t *id, Buf *err) {
  unsigned char raw[32];
  char hash[65];
  if (!name) name = "";
  if (days < 1 || days > TOKEN_MAX_DAYS) {
    buf_printf(err, "有效期应为 1 到 %d 天", TOKEN_MAX_DAYS);
    return -1;
  }
  if (!utf8_valid(name, strlen(name)) || strlen(name) > 4 * TOKEN_NAME_MAX) {
    buf_printf(err, "用途说明不超过 %d 个字，且须为合法文字", TOKEN_NAME_MAX);
    return -1;
  }
  for (const unsigned char *p = (const unsigned char *)name; *p; p++)
    if (*p < 0x20 || *p == 0x7f) {
      buf_puts(err, "用途说明不得含有控制字符");
      return -1;
    }
  Stmt *st = db_stmt(db, STMT_USER_ADMIN_GET);
  db_bind_int64(st, 1, user_id);
  int found = db_step(st) == DB_ROW;
  int active = found && str_eq(db_column_text(st, 4), "active");
  db_reset(st);
  if (!found || !active) {
    buf_puts(err, found ? "账号未处于正常状态，不能创建令牌" : "账号不存在");
    return -1;
  }
  memcpy(token, TOKEN_PREFIX, 3);
  random_token(raw, sizeof raw);
  token_hex(raw, sizeof raw, token + 3);
  sodium_memzero(raw, sizeof raw);
  sm3_hex(token, hash);
  jx_time now = jx_now();
  st = db_stmt(db, STMT_TOKEN_INSERT);
  db_bind_int64(st, 1, user_id);
  db_bind_text(st, 2, name);
  db_bind_text(st, 3, hash);
  db_bind_int64(st, 4, now);
  db_bind_int64(st, 5, now + (int64_t)days * 86400);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_column_int64(st, 0);
  db_reset(st);
  if (rc != DB_ROW) {
    sodium_memzero(token, TOKEN_LEN + 1);
    buf_puts(err, "保存令牌失败");
    return -1;
  }
  return 0;
}

int token_revoke(Db *db, int64_t id, Buf *err) {
  TokenInfo t;
  if (token_get(db, id, &t) != 0) {
    buf_puts(err, "令牌不存在");
    return -1;
  }
  Stmt *st = db_stmt(db, STMT_TOKEN_REVOKE);
  db_bind_int64(st, 1, jx_now());
  db_bind_int64(st, 2, id);
  int rc = db_step(st);
  int64_t n = db_changes(db);
  db_reset(st);
  if (rc != DB_DONE || n != 1) {
    buf_puts(err, rc != DB_DONE ? "保存失败" : "令牌已被吊销");
    return -1;
  }
  return 0;
}

/* What a valid token stands for. */
typedef struct Holder {
  int64_t token_id, user_id;
  char login[64];
  char display_name[128];
  int must_change_password;
} Holder;

/* Look the token up and apply every rule of token.h; 0 when valid. */
static int lookup(Db *db, const char *token, Holder *h) {
  char hash[65];
  if (strlen(token) != TOKEN_LEN || !str_starts(token, TOKEN_PREFIX)) return -1;
  sm3_hex(token, hash);
  Stmt *st = db_stmt(db, STMT_TOKEN_BY_HASH);
  db_bind_text(st, 1, hash);
  if (db_step(st) != DB_ROW) {
    db_reset(st);
    return -1;
  }
  jx_time now = jx_now();
  h->token_id = db_column_int64(st, 0);
  h->user_id = db_column_int64(st, 1);
  jx_time expires = db_column_int64(st, 2);
  jx_time revoked = db_column_int64(st, 3);
  jx_time last_used = db_column_int64(st, 4);
  str_copy(h->login, db_column_text(st, 5), sizeof h->login);
  str_copy(h->display_name, db_column_text(st, 6), sizeof h->display_name);
  int active = str_eq(db_column_text(st, 7), "active");
  h->must_change_password = (int)db_column_int64(st, 8);
  jx_time user_expires = db_column_int64(st, 9);
  db_reset(st);
  /* A lockout after failed password logins does not stop a token: it
   * would let anyone who knows a login cut off its integrations. */
  if (revoked || expires <= now || !active ||
      (user_expires > 0 && user_expires <= now))
    return -1;
  /* Touch at most once a minute, as sessions do. */
  if (now - last_used >= 60) {
    st = db_stmt(db, STMT_TOKEN_TOUCH);
    db_bind_int64(st, 1, now);
    db_bind_int64(st, 2, h->token_id);
    db_step(st);
    db_reset(st);
  }
  return 0;
}

int token_verify(Db *db, const char *token, int64_t *user_id,
                 int64_t *token_id) {
  Holder h;
  if (lookup(db, token, &h) != 0) return -1;
  if (user_id) *user_id = h.user_id;
  if (token_id) *token_id = h.token_id;
  return 0;
}

static void info_from_row(Stmt *st, TokenInfo *t) {
  t->id = db_column_int64(st, 0);
  t->user_id = db_column_int64(st, 1);
  str_copy(t->login, db_column_text(st, 2), sizeof t->login);
  str_copy(t->name, db_column_text(st, 3), sizeof t->name);
  t->created_at = db_column_int64(st, 4);
  t->expires_at = db_column_int64(st, 5);
  t->revoked_at = db_column_int64(st, 6);
  t->last_used_at = db_column_int64(st, 7);
}

int token_list(Db *db, int64_t user_id, TokenInfo **out, size_t *n) {
  Stmt *st = db_stmt(db, STMT_TOKEN_LIST);
  size_t cap = 0;
  int rc;
  *out = NULL;
  *n = 0;
  db_bind_int64(st, 1, user_id);
  db_bind_int64(st, 2, user_id);
  db_bind_int64(st, 3, 0);
  db_bind_int64(st, 4, 0);
  while ((rc = db_step(st)) == DB_ROW) {
    if (*n == cap) {
      cap = cap ? 2 * cap : 8;
      *out = xrealloc(*out, cap * sizeof **out);
    }
    info_from_row(st, &(*out)[(*n)++]);
  }
  db_reset(st);
  if (rc != DB_DONE) {
    free(*out);
    *out = NULL;
    *n = 0;
    return rc;
  }
  return DB_OK;
}

int token_get(Db *db, int64_t id, TokenInfo *out) {
  Stmt *st = db_stmt(db, STMT_TOKEN_LIST);
  db_bind_int64(st, 1, 0);
  db_bind_int64(st, 2, 0);
  db_bind_int64(st, 3, id);
  db_bind_int64(st, 4, id);
  int found = id > 0 && db_step(st) == DB_ROW;
  if (found) info_from_row(st, out);
  db_reset(st);
  return found ? 0 : -1;
}

int token_attach(Request *req) {
  const char *auth = req_header(req, "authorization");
  if (!auth || strncasecmp(auth, "Bearer ", 7) != 0) return 0;
  const char *token = auth + 7;
  while (*token == ' ') token++;
  Holder h;
  if (lookup(req->db, token, &h) != 0) return 1;
  Session *s = xcalloc(1, sizeof *s);
  s->user_id = h.user_id;
  str_copy(s->login, h.login, sizeof s->login);
  str_copy(s->display_name, h.display_name, sizeof s->display_name);
  s->must_change_password = h.must_change_password;
  /* Held like a session: a token is no way around TOTP enrolment. */
  s->must_enrol_totp = mfa_must_enrol(req->db, s->user_id);
  s->via_token = 1;
  Buf roles = BUF_INIT;
  account_roles(req->db, s->user_id, &roles);
  str_copy(s->roles, buf_str(&roles), sizeof s->roles);
  buf_release(&roles);
  req->session = s;
  req->user_id = s->user_id;
  return 1;
}
