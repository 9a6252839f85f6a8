/* session.c: sessions in the database, checked on every request.
**
** The cookie holds a 256-bit random token; the database holds only its
** SM3 hash, so a copy of the database cannot be replayed.  Idle and
** absolute limits come from settings.c and are checked against jx_now(),
** which the tests pin.
*/
#include "auth/session.h"

#include <stdlib.h>

#include "auth/account.h"
#include "auth/crypto.h"
#include "auth/mfa.h"
#include "auth/policy.h"
#include "auth/token.h"
#include "domain/settings.h"
#include "web/http.h"

int session_create(Db *db, int64_t user_id, const char *addr, const char *ua,
                   char token[65], char csrf[65], int64_t *id) {
  unsigned char raw[32];
  char hash[65];
  random_token(raw, sizeof raw);
  token_hex(raw, sizeof raw, token);
  random_token(raw, sizeof raw);
  token_hex(raw, sizeof raw, csrf);
  sodium_memzero(raw, sizeof raw);
  sm3_hex(token, hash);
  jx_time now = jx_now();
  Stmt *st = db_stmt(db, STMT_SESSION_INSERT);
  db_bind_text(st, 1, hash);
  db_bind_int64(st, 2, user_id);
  db_bind_text(st, 3, csrf);
  db_bind_int64(st, 4, now);
  db_bind_int64(st, 5, now);
  db_bind_text(st, 6, addr ? addr : "");
  db_bind_text(st, 7, ua ? ua : "");
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_column_int64(st, 0);
  db_reset(st);
  return rc == DB_ROW ? 0 : -1;
}

int session_end(Db *db, int64_t session_id) {
  Stmt *st = db_stmt(db, STMT_SESSION_END);
  db_bind_int64(st, 1, jx_now());
  db_bind_int64(st, 2, session_id);
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_DONE && db_changes(db) == 1 ? 0 : -1;
}

void session_end_others(Db *db, int64_t user_id, int64_t keep_id) {
  Stmt *st = db_stmt(db, STMT_SESSION_END_USER_OTHERS);
  db_bind_int64(st, 1, jx_now());
  db_bind_int64(st, 2, user_id);
  db_bind_int64(st, 3, keep_id);
  db_step(st);
  db_reset(st);
}

void session_cookie(Db *db, const char *token, Buf *out) {
  buf_printf(out, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s",
             SESSION_COOKIE, token ? token : "",
             token ? "" : "; Max-Age=0",
             setting_int(db, "auth.cookie_secure") ? "; Secure" : "");
}

/* Has the session outlived its idle or absolute limit? */
static int session_expired(Db *db, jx_time created, jx_time last_seen,
                           jx_time now) {
  int64_t idle = setting_int(db, "auth.session_idle_minutes") * 60;
  int64_t absolute = setting_int(db, "auth.session_absolute_hours") * 3600;
  return now - last_seen > idle || now - created > absolute;
}

void auth_attach(Request *req, Response *resp) {
  if (token_attach(req)) return; /* a bearer token, valid or not */
  const char *token = params_get(&req->cookies, SESSION_COOKIE);
  if (!token || strlen(token) != 64) return;
  char hash[65];
  sm3_hex(token, hash);
  Stmt *st = db_stmt(req->db, STMT_SESSION_BY_TOKEN);
  db_bind_text(st, 1, hash);
  if (db_step(st) != DB_ROW) {
    db_reset(st);
    return;
  }
  Session *s = xcalloc(1, sizeof *s);
  s->id = db_column_int64(st, 0);
  s->user_id = db_column_int64(st, 1);
  str_copy(s->csrf, db_column_text(st, 2), sizeof s->csrf);
  jx_time created = db_column_int64(st, 3);
  jx_time last_seen = db_column_int64(st, 4);
  str_copy(s->login, db_column_text(st, 5), sizeof s->login);
  str_copy(s->display_name, db_column_text(st, 6), sizeof s->display_name);
  int active = str_eq(db_column_text(st, 7), "active");
  s->must_change_password = (int)db_column_int64(st, 8);
  jx_time account_expires = db_column_int64(st, 9);
  db_reset(st);
  jx_time now = jx_now();
  if (account_expires && now >= account_expires) active = 0;
  if (!active || session_expired(req->db, created, last_seen, now)) {
    session_end(req->db, s->id); /* dead server-side, not just client-side */
    free(s);
    return;
  }
  /* Touch at most once a minute: the idle limit is in minutes, and a
   * write per request would cost every page an fsync. */
  if (now - last_seen >= 60) {
    st = db_stmt(req->db, STMT_SESSION_TOUCH);
    db_bind_int64(st, 1, now);
    db_bind_int64(st, 2, s->id);
    db_step(st);
    db_reset(st);
  }
  Buf roles = BUF_INIT;
  account_roles(req->db, s->user_id, &roles);
  str_copy(s->roles, buf_str(&roles), sizeof s->roles);
  buf_release(&roles);
  /* Checked on every request, so a role made mandatory (or the setting
   * turned on) applies to sessions already open. */
  s->must_enrol_totp = mfa_must_enrol(req->db, s->user_id);
  req->session = s;
  req->user_id = s->user_id;
  str_copy(req->csrf_token, s->csrf, sizeof req->csrf_token);
}

void auth_detach(Request *req) {
  free(req->session);
  req->session = NULL;
}

int auth_route_allowed(const Request *req, int perm) {
  if (perm == P_PUBLIC) return 1;
  if (!req->session) return 0;
  if (perm == P_SELF) return 1;
  if (req->session->must_change_password || req->session->must_enrol_totp)
    return 0;
  if (perm == P_LOGIN) return 1;
  return policy_scope(req->session->roles, (Perm)perm) != SCOPE_NONE;
}
