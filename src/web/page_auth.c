/* page_auth.c: login, logout, password change and "my sessions", as
** HTML forms (work without JavaScript) and as the JSON API. */
#include <stdlib.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "auth/crypto.h"
#include "auth/mfa.h"
#include "auth/session.h"
#include "domain/settings.h"
#include "web/api.h"
#include "web/html.h"

/* Only same-site relative paths may be a post-login target. */
static const char *safe_next(const char *next) {
  if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
      strpbrk(next, "\r\n"))
    return "/";
  return next;
}

static void login_form(Request *req, Response *resp, const char *error,
                       const char *username) {
  Buf *b = &resp->body;
  page_begin(req, resp, "登录", "");
  if (error) page_notice(resp, "error", error);
  html_raw(b, "<form method=\"post\" action=\"/login\" class=\"login\">\n");
  html_printf(b, "<input type=\"hidden\" name=\"next\" value=\"%s\">\n",
              safe_next(req_param(req, "next")));
  html_printf(b,
              "<label>登录名<input name=\"username\" autocomplete=\"username\" "
              "required maxlength=\"32\" value=\"%s\" autofocus></label>\n",
              username ? username : "");
  html_raw(b, "<label>密码<input type=\"password\" name=\"password\" "
              "autocomplete=\"current-password\" required maxlength=\"256\">"
              "</label>\n<button type=\"submit\">登录</button>\n</form>\n"
              "<p class=\"hint\">本系统为内部工作系统，所有操作均被记录审计。"
              "连续多次输错密码将锁定账号。</p>\n");
  page_end(req, resp);
}

/* The second login step: the TOTP code, carrying the pending-login
** token (never the password) and the post-login target. */
static void totp_form(Request *req, Response *resp, const char *error,
                      const char *pending) {
  Buf *b = &resp->body;
  page_begin(req, resp, "动态验证码", "");
  if (error) page_notice(resp, "error", error);
  html_raw(b, "<form method=\"post\" action=\"/login/totp\" class=\"login\">\n");
  html_printf(b, "<input type=\"hidden\" name=\"pending\" value=\"%s\">\n"
                 "<input type=\"hidden\" name=\"next\" value=\"%s\">\n",
              pending, safe_next(req_param(req, "next")));
  html_raw(b, "<label>动态验证码<input name=\"totp\" inputmode=\"numeric\" "
              "autocomplete=\"one-time-code\" required maxlength=\"7\" "
              "pattern=\"[0-9 ]{6,7}\" autofocus></label>\n"
              "<button type=\"submit\">验证并登录</button>\n</form>\n"
              "<p class=\"hint\">密码已验证。请打开手机上的验证器应用，输入本系统"
              "对应条目当前显示的 6 位数字。每个验证码只能使用一次；5 分钟内未完成"
              "需重新登录。验证码错误计入登录失败次数。</p>\n"
              "<p><a href=\"/login\">返回重新登录</a></p>\n");
  page_end(req, resp);
}

/* ROUTE: GET /login */
void page_login(Request *req, Response *resp) {
  if (req->session) {
    resp_redirect(resp, "/");
    return;
  }
  login_form(req, resp, NULL, NULL);
}

static const char *auth_message(const AuthResult *r, char *buf, size_t n) {
  if (r->outcome == AUTH_LOCKED && !r->locked_until)
    return "账号已被管理员锁定，请联系系统管理员";
  if (r->outcome == AUTH_LOCKED) {
    char t[20];
    time_local(r->locked_until, t);
    snprintf(buf, n, "登录失败次数过多，账号已锁定至 %s（北京时间），请稍后再试或联系系统管理员",
             t);
    return buf;
  }
  if (r->outcome == AUTH_DISABLED)
    return r->expired ? "账号已过期，请联系系统管理员" : "账号已停用，请联系系统管理员";
  return "用户名或密码错误";
}

/* What the audit record of a login attempt says. */
static void note_login(Request *req, const char *login, const AuthResult *r) {
  req->audit_login = login;
  req->audit_object = "user";
  req->audit_object_id = r->user_id;
  if (r->outcome != AUTH_OK) req->audit_outcome = AUDIT_FAILED;
  buf_puts(&req->audit_summary,
           r->outcome == AUTH_OK       ? "登录成功"
           : r->outcome == AUTH_LOCKED ? "登录失败：账号处于锁定期"
           : r->outcome == AUTH_DISABLED ? "登录失败：账号已停用"
                                         : "登录失败：用户名或密码错误");
}

/* Log in: a session row, the cookie, and the CSRF token for the page. */
static int start_session(Request *req, Response *resp, int64_t user_id,
                         char csrf[65]) {
  char token[65];
  int64_t sid;
  if (session_create(req->db, user_id, req->remote_addr,
                     req_header(req, "user-agent"), token, csrf, &sid) != 0)
    return -1;
  Buf cookie = BUF_INIT;
  session_cookie(req->db, token, &cookie);
  resp_header(resp, "Set-Cookie", buf_str(&cookie));
  buf_release(&cookie);
  sodium_memzero(token, sizeof token);
  return 0;
}

/* Where a fresh HTML session goes first: a pending password change, then
** a mandatory TOTP enrolment, then the requested page. */
static const char *landing(Request *req, const AuthResult *r) {
  if (r->must_change_password) return "/me/password";
  if (mfa_required(req->db, r->user_id) && !mfa_enabled(req->db, r->user_id))
    return "/me/totp";
  return safe_next(req_param(req, "next"));
}

/* The audit summary of a failed second step. */
static const char *mfa_failure_text(MfaCheck c) {
  return c == MFA_MISSING  ? "登录失败：未提供动态验证码"
         : c == MFA_REPLAY ? "登录失败：动态验证码已使用过（重放）"
                           : "登录失败：动态验证码错误";
}

/* ROUTE: POST /login */
void page_login_post(Request *req, Response *resp) {
  const char *user = req_param(req, "username");
  const char *pw = req_param(req, "password");
  AuthResult r;
  char msg[160], csrf[65];
  if (!user || !pw || !*user || !*pw) {
    login_form(req, resp, "请输入登录名和密码", user);
    resp->status = 400;
    return;
  }
  account_authenticate(req->db, user, pw, req->remote_addr, &r);
  note_login(req, user, &r);
  if (r.outcome != AUTH_OK) {
    login_form(req, resp, auth_message(&r, msg, sizeof msg), user);
    resp->status = r.outcome == AUTH_LOCKED ? 423 : 401;
    resp->keep_writes = 1; /* the failure counts toward the lockout */
    return;
  }
  if (r.second_factor) {
    /* The password alone opens nothing: ask for the code, carrying a
     * signed pending-login token.  The failure count stays (account.c). */
    char pending[MFA_TOKEN_MAX];
    mfa_pending_token(web_keys(), r.user_id, jx_now(), pending);
    buf_clear(&req->audit_summary);
    buf_puts(&req->audit_summary, "密码验证通过，等待动态验证码");
    totp_form(req, resp, NULL, pending);
    resp->keep_writes = 1;
    return;
  }
  if (start_session(req, resp, r.user_id, csrf) != 0) {
    web_error(req, resp, 500, "session", "无法创建会话", NULL);
    return;
  }
  req->user_id = r.user_id;
  resp_redirect(resp, landing(req, &r));
}

/* The login name of user_id into out ("" when there is none). */
static void login_of(Db *db, int64_t user_id, char *out, size_t n) {
  Stmt *st = db_stmt(db, STMT_USER_BY_ID);
  db_bind_int64(st, 1, user_id);
  str_copy(out, db_step(st) == DB_ROW ? db_column_text(st, 0) : "", n);
  db_reset(st);
}

/* ROUTE: POST /login/totp — the second step of an HTML login. */
void page_login_totp_post(Request *req, Response *resp) {
  const char *pending = req_param(req, "pending");
  const char *code = req_param(req, "totp");
  int64_t uid = 0;
  char login[64], msg[160], csrf[65];
  AuthResult r;
  req->audit_object = "user";
  if (!pending || !*pending) {
    /* An incomplete form, not a failed step: 400, as POST /login. */
    req->audit_outcome = AUDIT_FAILED;
    buf_puts(&req->audit_summary, "登录失败：表单不完整");
    login_form(req, resp, "请输入登录名和密码", NULL);
    resp->status = 400;
    return;
  }
  if (mfa_pending_verify(web_keys(), pending, jx_now(), &uid) != 0) {
    req->audit_outcome = AUDIT_FAILED;
    buf_puts(&req->audit_summary, "登录失败：密码验证已超时或凭据无效");
    login_form(req, resp, "登录已超时，请重新输入登录名和密码", NULL);
    resp->status = 401;
    return;
  }
  login_of(req->db, uid, login, sizeof login);
  MfaCheck c = mfa_check(req->db, web_keys(), uid, code);
  account_second_factor(req->db, uid, req->remote_addr, c == MFA_OK, &r);
  req->audit_login = login;
  req->audit_object_id = uid;
  if (r.outcome != AUTH_OK) {
    req->audit_outcome = AUDIT_FAILED;
    resp->keep_writes = 1; /* the failure counts toward the lockout */
    if (r.outcome == AUTH_BAD) {
      buf_puts(&req->audit_summary, mfa_failure_text(c));
      totp_form(req, resp,
                c == MFA_REPLAY ? "该验证码已使用过，请等待验证器显示下一个验证码"
                                : "动态验证码不正确，请重新输入",
                pending);
      resp->status = 401;
      return;
    }
    note_login(req, login, &r);
    login_form(req, resp, auth_message(&r, msg, sizeof msg), login);
    resp->status = r.outcome == AUTH_LOCKED ? 423 : 401;
    return;
  }
  buf_puts(&req->audit_summary, "登录成功（密码与动态验证码）");
  if (start_session(req, resp, uid, csrf) != 0) {
    web_error(req, resp, 500, "session", "无法创建会话", NULL);
    return;
  }
  req->user_id = uid;
  resp_redirect(resp, landing(req, &r));
}

/* ROUTE: POST /logout */
void page_logout(Request *req, Response *resp) {
  Buf cookie = BUF_INIT;
  req->audit_object = "user";
  req->audit_object_id = req->user_id;
  session_end(req->db, req->session->id);
  session_cookie(req->db, NULL, &cookie);
  resp_header(resp, "Set-Cookie", buf_str(&cookie));
  resp_header(resp, "Clear-Site-Data", "\"cache\", \"storage\"");
  buf_release(&cookie);
  resp_redirect(resp, "/login");
}

static void password_form(Request *req, Response *resp, const char *error) {
  Buf *b = &resp->body;
  page_begin(req, resp, "修改密码", "");
  if (req->session->must_change_password)
    page_notice(resp, "info", "首次登录、密码被重置或密码已过期，须先修改密码。");
  if (error) page_notice(resp, "error", error);
  form_begin(req, resp, "/me/password");
  html_raw(b, "\n<label>原密码<input type=\"password\" name=\"old_password\" "
              "autocomplete=\"current-password\" required></label>\n"
              "<label>新密码<input type=\"password\" name=\"new_password\" "
              "autocomplete=\"new-password\" required></label>\n"
              "<label>确认新密码<input type=\"password\" name=\"new_password2\" "
              "autocomplete=\"new-password\" required></label>\n");
  /* The rule as configured now (安全管理 → 策略设置), not as shipped. */
  html_printf(b,
              "<p class=\"hint\">至少 %lld 位，包含大写字母、小写字母、数字、符号中的"
              "至少 %lld 类，不得包含登录名",
              (long long)setting_int(req->db, "auth.password_min_length"),
              (long long)setting_int(req->db, "auth.password_classes"));
  if (setting_int(req->db, "auth.password_history") > 0)
    html_printf(b, "，不得与最近 %lld 次密码相同",
                (long long)setting_int(req->db, "auth.password_history"));
  html_raw(b, "。</p>\n<button type=\"submit\">修改密码</button>\n</form>\n");
  page_end(req, resp);
}

/* ROUTE: GET /me/password */
void page_password(Request *req, Response *resp) { password_form(req, resp, NULL); }

/* ROUTE: POST /me/password */
void page_password_post(Request *req, Response *resp) {
  const char *old_pw = req_param(req, "old_password");
  const char *pw = req_param(req, "new_password");
  const char *pw2 = req_param(req, "new_password2");
  Buf err = BUF_INIT;
  req->audit_object = "user"; /* the account whose password changes */
  req->audit_object_id = req->user_id;
  if (!old_pw || !pw || !pw2) {
    password_form(req, resp, "请填写全部字段");
    resp->status = 400;
    return;
  }
  if (!str_eq(pw, pw2)) {
    password_form(req, resp, "两次输入的新密码不一致");
    resp->status = 400;
    return;
  }
  if (account_change_password(req->db, req->user_id, old_pw, pw, 0, &err) != 0) {
    password_form(req, resp, buf_str(&err));
    resp->status = 400;
    buf_release(&err);
    return;
  }
  /* Other sessions of this user end: a changed password must lock out
   * whoever else held it. */
  session_end_others(req->db, req->user_id, req->session->id);
  resp_redirect(resp, "/me?changed=1");
}

/* ROUTE: GET /me — profile and live sessions. */
void page_me(Request *req, Response *resp) {
  Buf *b = &resp->body;
  Buf roles = BUF_INIT;
  page_begin(req, resp, "个人设置", "");
  if (params_get(&req->query, "changed")) page_notice(resp, "ok", "密码已修改。");
  if (params_get(&req->query, "ended")) page_notice(resp, "ok", "会话已结束。");
  account_roles(req->db, req->user_id, &roles);
  html_printf(b,
              "<dl class=\"props\"><dt>登录名</dt><dd>%s</dd>"
              "<dt>显示名</dt><dd>%s</dd><dt>角色</dt><dd>%s</dd></dl>\n",
              req->session->login, req->session->display_name, buf_str(&roles));
  buf_release(&roles);
  html_printf(b,
              "<p><a href=\"/me/password\">修改密码</a> · "
              "<a href=\"/me/totp\">动态验证码（双因素认证）</a>：%s</p>\n",
              mfa_enabled(req->db, req->user_id) ? "已启用"
              : req->session->must_enrol_totp    ? "您的角色须启用，尚未启用"
                                                 : "未启用");
  html_raw(b, "<h2>我的会话</h2>\n<table class=\"grid\"><thead><tr>"
              "<th>登录时间（北京时间）</th><th>最近活动（北京时间）</th><th>来源地址</th>"
              "<th>浏览器</th><th></th></tr></thead><tbody>\n");
  Stmt *st = db_stmt(req->db, STMT_SESSION_LIST_USER);
  db_bind_int64(st, 1, req->user_id);
  while (db_step(st) == DB_ROW) {
    char t1[20], t2[20], action[64];
    int64_t id = db_column_int64(st, 0);
    time_local(db_column_int64(st, 1), t1);
    time_local(db_column_int64(st, 2), t2);
    html_printf(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%.60s</td><td>",
                t1, t2, db_column_text(st, 3), db_column_text(st, 4));
    if (id == req->session->id) {
      html_raw(b, "当前会话");
    } else {
      snprintf(action, sizeof action, "/me/sessions/%lld/end", (long long)id);
      form_begin(req, resp, action);
      html_raw(b, "<button type=\"submit\" class=\"link\">结束</button></form>");
    }
    html_raw(b, "</td></tr>\n");
  }
  db_reset(st);
  html_raw(b, "</tbody></table>\n");
  page_end(req, resp);
}

/* ROUTE: POST /me/sessions/{id}/end — end one of one's own sessions. */
void page_session_end(Request *req, Response *resp) {
  int64_t id;
  if (str_to_int64(req_arg(req, 0), 1, INT64_MAX, &id) != 0) {
    web_error(req, resp, 404, "not_found", "会话不存在", NULL);
    return;
  }
  Stmt *st = db_stmt(req->db, STMT_SESSION_END_OWN);
  db_bind_int64(st, 1, jx_now());
  db_bind_int64(st, 2, id);
  db_bind_int64(st, 3, req->user_id);
  db_step(st);
  int64_t n = db_changes(req->db);
  db_reset(st);
  if (n != 1) {
    web_error(req, resp, 404, "not_found", "会话不存在", NULL);
    return;
  }
  resp_redirect(resp, "/me?ended=1");
}

/* ---- JSON API ---- */

static json_t *user_json(Request *req, int64_t user_id) {
  Stmt *st = db_stmt(req->db, STMT_USER_BY_ID);
  db_bind_int64(st, 1, user_id);
  json_t *u = NULL;
  if (db_step(st) == DB_ROW)
    u = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)user_id, "login",
                  db_column_text(st, 0), "display_name", db_column_text(st, 1),
                  "status", db_column_text(st, 2));
  db_reset(st);
  if (!u) return json_null();
  json_t *roles = json_array();
  st = db_stmt(req->db, STMT_USER_ROLES);
  db_bind_int64(st, 1, user_id);
  while (db_step(st) == DB_ROW)
    json_array_append_new(roles, json_pack("{s:s, s:s}", "code",
                                           db_column_text(st, 0), "name",
                                           db_column_text(st, 1)));
  db_reset(st);
  json_object_set_new(u, "roles", roles);
  return u;
}

/* ROUTE: POST /api/v1/session — log in. */
void api_session_create(Request *req, Response *resp) {
  const char *user = api_string(req, resp, "username");
  const char *pw = user ? api_string(req, resp, "password") : NULL;
  AuthResult r;
  char msg[160], csrf[65];
  if (!user || !pw) return;
  account_authenticate(req->db, user, pw, req->remote_addr, &r);
  if (r.outcome == AUTH_OK && r.second_factor) {
    /* The code comes in the same request; without it, or wrong, the
     * attempt is a failed login like a wrong password. */
    json_t *t = json_object_get(req->json, "totp");
    MfaCheck c = json_is_string(t)
                     ? mfa_check(req->db, web_keys(), r.user_id,
                                 json_string_value(t))
                     : MFA_MISSING;
    account_second_factor(req->db, r.user_id, req->remote_addr, c == MFA_OK,
                          &r);
    if (r.outcome == AUTH_BAD) {
      note_login(req, user, &r);
      buf_clear(&req->audit_summary);
      buf_puts(&req->audit_summary, mfa_failure_text(c));
      web_error(req, resp, 401,
                c == MFA_MISSING ? "totp_required" : "bad_totp",
                c == MFA_MISSING  ? "该账号已启用动态验证码，请同时提供 totp"
                : c == MFA_REPLAY ? "该动态验证码已使用过，请等待下一个验证码"
                                  : "动态验证码不正确",
                "totp");
      resp->keep_writes = 1;
      return;
    }
  }
  note_login(req, user, &r);
  if (r.outcome == AUTH_OK && r.second_factor)
    buf_puts(&req->audit_summary, "（密码与动态验证码）");
  if (r.outcome != AUTH_OK) {
    web_error(req, resp, r.outcome == AUTH_LOCKED ? 423 : 401,
              r.outcome == AUTH_LOCKED ? "locked" : "bad_credentials",
              auth_message(&r, msg, sizeof msg), NULL);
    resp->keep_writes = 1;
    return;
  }
  if (start_session(req, resp, r.user_id, csrf) != 0) {
    web_error(req, resp, 500, "session", "无法创建会话", NULL);
    return;
  }
  req->user_id = r.user_id;
  api_json(resp, 200,
           json_pack("{s:o, s:s, s:b, s:b}", "user", user_json(req, r.user_id),
                     "csrf_token", csrf, "must_change_password",
                     r.must_change_password, "must_enrol_totp",
                     mfa_required(req->db, r.user_id) &&
                         !mfa_enabled(req->db, r.user_id)));
}

/* ROUTE: DELETE /api/v1/session — log out. */
void api_session_delete(Request *req, Response *resp) {
  Buf cookie = BUF_INIT;
  req->audit_object = "user";
  req->audit_object_id = req->user_id;
  session_end(req->db, req->session->id);
  session_cookie(req->db, NULL, &cookie);
  resp_header(resp, "Set-Cookie", buf_str(&cookie));
  buf_release(&cookie);
  resp->status = 204;
}

/* ROUTE: GET /api/v1/me */
void api_me(Request *req, Response *resp) {
  json_t *u = user_json(req, req->user_id);
  json_object_set_new(u, "must_change_password",
                      json_boolean(req->session->must_change_password));
  json_object_set_new(u, "must_enrol_totp",
                      json_boolean(req->session->must_enrol_totp));
  json_object_set_new(u, "totp_enabled",
                      json_boolean(mfa_enabled(req->db, req->user_id)));
  api_json(resp, 200, u);
}

/* ROUTE: POST /api/v1/me/password */
void api_me_password(Request *req, Response *resp) {
  const char *old_pw = api_string(req, resp, "old_password");
  const char *pw = old_pw ? api_string(req, resp, "new_password") : NULL;
  Buf err = BUF_INIT;
  req->audit_object = "user"; /* the account whose password changes */
  req->audit_object_id = req->user_id;
  if (!pw) return;
  if (account_change_password(req->db, req->user_id, old_pw, pw, 0, &err) != 0) {
    web_error(req, resp, 422, "password_rejected", buf_str(&err), "new_password");
    buf_release(&err);
    return;
  }
  session_end_others(req->db, req->user_id, req->session->id);
  resp->status = 204;
}
