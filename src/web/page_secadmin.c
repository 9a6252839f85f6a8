/* page_secadmin.c: the security administrator's tools (安全管理员 of
** 三员分立) — roles and their permissions, who holds which role, which
** roles must use the TOTP second factor, and the policy settings of
** domain/settings.c — as HTML pages and as the JSON API.  No case
** content is shown here.
**
** Grants are checked by account_roles_allowed() (account.c), the same
** rule as at account creation; nobody changes their own roles.  A grant
** or revocation ends no session: roles are read on every request. */
#include <stdlib.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "auth/mfa.h"
#include "auth/policy.h"
#include "domain/clue_due.h"
#include "domain/settings.h"
#include "web/api.h"
#include "web/html.h"

#define USERS_PER_PAGE 50
#define MAX_USER_ROLES 32 /* more roles than the role table holds */
#define SEARCH_MAX 64     /* bytes of a user search term */

static const char *scope_label(Scope s) {
  switch (s) {
    case SCOPE_OWN: return "本人经办或列名的";
    case SCOPE_JURISDICTION: return "本辖区的";
    case SCOPE_ALL: return "全部";
    default: return "无";
  }
}

static const char *kind_label(const char *kind) {
  return str_eq(kind, "admin") ? "管理角色" : "业务角色";
}

/* The permissions policy_rules[] gives role, as "label（scope）；…". */
static void role_perms_text(const char *role, Buf *out) {
  for (size_t i = 0; i < n_policy_rules; i++) {
    if (!str_eq(policy_rules[i].role, role)) continue;
    if (out->len) buf_puts(out, "；");
    buf_printf(out, "%s（%s）", perm_label(policy_rules[i].perm),
               scope_label(policy_rules[i].scope));
  }
  if (!out->len) buf_puts(out, "暂无（随业务模块上线授予）");
}

static json_t *role_perms_json(const char *role) {
  json_t *a = json_array();
  for (size_t i = 0; i < n_policy_rules; i++)
    if (str_eq(policy_rules[i].role, role))
      json_array_append_new(
          a, json_pack("{s:s, s:s, s:s}", "perm",
                       perm_name(policy_rules[i].perm), "label",
                       perm_label(policy_rules[i].perm), "scope",
                       policy_rules[i].scope == SCOPE_ALL   ? "all"
                       : policy_rules[i].scope == SCOPE_OWN ? "own"
                                                            : "jurisdiction"));
  return a;
}

/* The links between the 安全管理 pages the user may open. */
static void tabs(Request *req, Response *resp) {
  Buf *b = &resp->body;
  html_raw(b, "<p class=\"tabs\">");
  if (auth_route_allowed(req, P_ROLE_GRANT))
    html_raw(b, "<a href=\"/secadmin\">角色与权限</a> · "
                "<a href=\"/secadmin/users\">用户授权</a>");
  if (auth_route_allowed(req, P_POLICY_ADMIN))
    html_raw(b, " · <a href=\"/secadmin/settings\">安全策略设置</a>");
  html_raw(b, "</p>\n");
}

/* Login and display name of user id; 0, or -1 when there is no such
** user.  status may be NULL. */
static int user_names(Db *db, int64_t id, char login[64], char name[128],
                      char status[16]) {
  Stmt *st = db_stmt(db, STMT_USER_BY_ID);
  db_bind_int64(st, 1, id);
  int found = db_step(st) == DB_ROW;
  if (found) {
    str_copy(login, db_column_text(st, 0), 64);
    str_copy(name, db_column_text(st, 1), 128);
    if (status) str_copy(status, db_column_text(st, 2), 16);
  }
  db_reset(st);
  return found ? 0 : -1;
}

/* Chinese name of role code into out; 0, or -1 when there is none. */
static int role_name(Db *db, const char *code, char out[64]) {
  Stmt *st = db_stmt(db, STMT_ROLE_GET);
  db_bind_text(st, 1, code ? code : "");
  int found = db_step(st) == DB_ROW;
  if (found) str_copy(out, db_column_text(st, 0), 64);
  db_reset(st);
  return found ? 0 : -1;
}

/* The role codes user id holds into codes; returns how many. */
static int user_role_codes(Db *db, int64_t id, char codes[][32]) {
  int n = 0;
  Stmt *st = db_stmt(db, STMT_USER_ROLES);
  db_bind_int64(st, 1, id);
  while (n < MAX_USER_ROLES && db_step(st) == DB_ROW)
    str_copy(codes[n++], db_column_text(st, 0), 32);
  db_reset(st);
  return n;
}

static const char *status_label(const char *status) {
  const char *l = account_state_label(status);
  return l ? l : status;
}

/* 已启用, 待启用 (secret generated, no code proved yet) or 未启用. */
static const char *totp_state(Db *db, int64_t id) {
  if (mfa_enabled(db, id)) return "已启用";
  Stmt *st = db_stmt(db, STMT_TOTP_GET);
  db_bind_int64(st, 1, id);
  int row = db_step(st) == DB_ROW;
  db_reset(st);
  return row ? "待启用" : "未启用";
}

/* ---- grants: one rule for the pages and the API ---- */

typedef struct Refusal {
  int status;       /* HTTP status; 0 when done */
  const char *code; /* API error code */
  const char *field;
  Buf msg;          /* Chinese reason */
} Refusal;

static int refuse_with(Refusal *r, int status, const char *code,
                       const char *field, const char *msg) {
  r->status = status;
  r->code = code;
  r->field = field;
  buf_puts(&r->msg, msg);
  return status;
}

/* Grant (grant 1) or revoke role on user uid for the request's user,
** filling the audit record either way.  0 when done; otherwise the HTTP
** status, with the reason in r (nothing written). */
static int change_role(Request *req, int64_t uid, const char *role, int grant,
                       Refusal *r) {
  char login[64], name[128], rname[64], codes[MAX_USER_ROLES][32];
  const char *verb = grant ? "授予" : "撤销";
  req->audit_object = "user";
  req->audit_object_id = uid;
  if (user_names(req->db, uid, login, name, NULL) != 0) {
    buf_printf(&req->audit_summary, "%s角色失败：用户不存在", verb);
    return refuse_with(r, 404, "not_found", "user_id", "用户不存在");
  }
  if (uid == req->user_id) {
    buf_printf(&req->audit_summary, "%s本人角色被拒绝", verb);
    return refuse_with(r, 403, "own_roles",
                       NULL, "不能修改自己的角色，请由另一位安全管理员操作");
  }
  if (!role || role_name(req->db, role, rname) != 0) {
    buf_printf(&req->audit_summary, "%s角色失败：角色不存在", verb);
    return refuse_with(r, 400, "bad_role", "role", "角色不存在");
  }
  int n = user_role_codes(req->db, uid, codes), held = 0;
  for (int i = 0; i < n; i++) held |= str_eq(codes[i], role);
  buf_printf(&req->audit_summary, "%s用户 %s（%s）角色：%s（%s）", verb,
             login, name, rname, role);
  if (grant && held)
    return refuse_with(r, 409, "already_granted", "role", "该用户已拥有此角色");
  if (!grant && !held)
    return refuse_with(r, 409, "not_granted", "role", "该用户没有此角色");
  if (grant) {
    const char *ptrs[MAX_USER_ROLES + 1];
    for (int i = 0; i < n; i++) ptrs[i] = codes[i];
    ptrs[n] = role;
    Buf err = BUF_INIT;
    if (account_roles_allowed(req->db, ptrs, n + 1, &err) != 0) {
      refuse_with(r, 409, "separation_of_duties", "role", buf_str(&err));
      buf_printf(&req->audit_summary, "，被拒绝：%s", buf_str(&err));
      buf_release(&err);
      return 409;
    }
    buf_release(&err);
  }
  Stmt *st = db_stmt(req->db, grant ? STMT_USER_ROLE_ADD : STMT_ROLE_GRANT_DELETE);
  db_bind_int64(st, 1, uid);
  db_bind_text(st, 2, role);
  int rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) return refuse_with(r, 500, "db_error", NULL, "保存失败");
  return 0;
}

/* ---- role overview ---- */

/* ROUTE: GET /secadmin — roles, their members and permissions. */
void page_secadmin(Request *req, Response *resp) {
  Buf *b = &resp->body;
  int enforce = setting_int(req->db, "auth.totp_enforce") == 1;
  int may_policy = auth_route_allowed(req, P_POLICY_ADMIN);
  page_begin(req, resp, "安全管理", "secadmin");
  tabs(req, resp);
  if (params_get(&req->query, "totp"))
    page_notice(resp, "ok", "已保存角色的动态验证码要求。");
  html_printf(b,
              "<p>三员分立：系统管理员、安全管理员、审计管理员三个管理角色互相排斥，"
              "且不得兼任业务角色。强制动态验证码：<strong>%s</strong>"
              "（在“安全策略设置”中开关；开启后对下表标为“必须”的角色生效）。</p>\n",
              enforce ? "已开启" : "未开启");
  html_raw(b, "<table class=\"grid\"><thead><tr><th>角色</th><th>类别</th>"
              "<th>成员数</th><th>权限（范围）</th><th>动态验证码</th></tr>"
              "</thead><tbody>\n");
  Stmt *st = db_stmt(req->db, STMT_ROLE_OVERVIEW);
  while (db_step(st) == DB_ROW) {
    const char *code = db_column_text(st, 0);
    int must = db_column_int64(st, 5) > 0;
    Buf perms = BUF_INIT;
    role_perms_text(code, &perms);
    html_printf(b,
                "<tr><td>%s <small>%s</small><br><small>%s</small></td>"
                "<td>%s</td><td>%lld</td><td>%s</td><td>%s",
                db_column_text(st, 1), code, db_column_text(st, 3),
                kind_label(db_column_text(st, 2)),
                (long long)db_column_int64(st, 4), buf_str(&perms),
                must ? "必须" : "可选");
    buf_release(&perms);
    if (may_policy) {
      char action[96];
      snprintf(action, sizeof action, "/secadmin/roles/%s/totp", code);
      form_begin(req, resp, action);
      html_printf(b,
                  "<input type=\"hidden\" name=\"required\" value=\"%s\">"
                  "<button type=\"submit\" class=\"link\">%s</button></form>",
                  must ? "0" : "1", must ? "改为可选" : "设为必须");
    }
    html_raw(b, "</td></tr>\n");
  }
  db_reset(st);
  html_raw(b, "</tbody></table>\n");
  page_end(req, resp);
}

/* ROUTE: POST /secadmin/roles/{code}/totp — make TOTP mandatory or not. */
void page_secadmin_role_totp(Request *req, Response *resp) {
  const char *code = req_arg(req, 0), *req_s = req_param(req, "required");
  char rname[64];
  if (role_name(req->db, code, rname) != 0) {
    web_error(req, resp, 404, "not_found", "角色不存在", NULL);
    return;
  }
  if (!str_eq(req_s, "0") && !str_eq(req_s, "1")) {
    web_error(req, resp, 400, "bad_field", "参数 required 应为 0 或 1", "required");
    return;
  }
  int on = str_eq(req_s, "1");
  req->audit_object = "role";
  buf_printf(&req->audit_summary, "%s角色 %s（%s）必须使用动态验证码",
             on ? "设定" : "取消", rname, code);
  if (mfa_role_set(req->db, code, on) < 0) {
    web_error(req, resp, 500, "db_error", "保存失败", NULL);
    return;
  }
  resp_redirect(resp, "/secadmin?totp=1");
}

/* ---- users and their roles ---- */

/* The LIKE pattern for a search term: lower-case ASCII, with % _ !
** escaped by '!' (the statements say ESCAPE '!'), wrapped in %. */
static void like_pattern(const char *q, Buf *out) {
  buf_putc(out, '%');
  for (const char *p = q; *p; p++) {
    char c = *p;
    if (c == '%' || c == '_' || c == '!') buf_putc(out, '!');
    buf_putc(out, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
  }
  buf_putc(out, '%');
}

/* ROUTE: GET /secadmin/users — users with their roles; ?q= searches. */
void page_secadmin_users(Request *req, Response *resp) {
  Buf *b = &resp->body;
  const char *q = params_get(&req->query, "q");
  const char *pg = params_get(&req->query, "page");
  int64_t page = 1;
  if (!q) q = "";
  if (strlen(q) > SEARCH_MAX) {
    web_error(req, resp, 400, "bad_parameter", "搜索词过长（最多 64 个字节）", "q");
    return;
  }
  if (pg && str_to_int64(pg, 1, 1000000, &page) != 0) {
    web_error(req, resp, 400, "bad_parameter", "页码应为正整数", "page");
    return;
  }
  Buf pat = BUF_INIT;
  like_pattern(q, &pat);
  Stmt *st = db_stmt(req->db, STMT_SEC_USER_COUNT);
  db_bind_text(st, 1, q);
  db_bind_text(st, 2, buf_str(&pat));
  db_bind_text(st, 3, buf_str(&pat));
  int64_t total = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
  db_reset(st);
  /* Collect the page first: each row then needs its roles. */
  struct {
    int64_t id;
    char login[64], name[128], status[16];
  } rows[USERS_PER_PAGE];
  int n = 0;
  st = db_stmt(req->db, STMT_SEC_USER_SEARCH);
  db_bind_text(st, 1, q);
  db_bind_text(st, 2, buf_str(&pat));
  db_bind_text(st, 3, buf_str(&pat));
  db_bind_int64(st, 4, USERS_PER_PAGE);
  db_bind_int64(st, 5, (page - 1) * USERS_PER_PAGE);
  while (n < USERS_PER_PAGE && db_step(st) == DB_ROW) {
    rows[n].id = db_column_int64(st, 0);
    str_copy(rows[n].login, db_column_text(st, 1), sizeof rows[n].login);
    str_copy(rows[n].name, db_column_text(st, 2), sizeof rows[n].name);
    str_copy(rows[n].status, db_column_text(st, 3), sizeof rows[n].status);
    n++;
  }
  db_reset(st);
  buf_release(&pat);

  page_begin(req, resp, "用户授权", "secadmin");
  tabs(req, resp);
  html_printf(b,
              "<form method=\"get\" action=\"/secadmin/users\">"
              "<label>登录名或显示名<input name=\"q\" value=\"%s\" maxlength=\"64\">"
              "</label> <button type=\"submit\">查询</button></form>\n",
              q);
  html_printf(b, "<p>共 %lld 个账号。</p>\n", (long long)total);
  html_raw(b, "<table class=\"grid\"><thead><tr><th>登录名</th><th>显示名</th>"
              "<th>状态</th><th>角色</th><th>动态验证码</th><th></th></tr>"
              "</thead><tbody>\n");
  for (int i = 0; i < n; i++) {
    Buf roles = BUF_INIT;
    st = db_stmt(req->db, STMT_USER_ROLES);
    db_bind_int64(st, 1, rows[i].id);
    while (db_step(st) == DB_ROW) {
      if (roles.len) buf_puts(&roles, "、");
      buf_puts(&roles, db_column_text(st, 1));
    }
    db_reset(st);
    html_printf(b,
                "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                "<td><a href=\"/secadmin/users/%lld\">授权</a></td></tr>\n",
                rows[i].login, rows[i].name, status_label(rows[i].status),
                roles.len ? buf_str(&roles) : "（无）",
                totp_state(req->db, rows[i].id), (long long)rows[i].id);
    buf_release(&roles);
  }
  html_raw(b, "</tbody></table>\n<p>");
  Buf qs = BUF_INIT;
  url_encode(&qs, q);
  if (page > 1)
    html_printf(b, "<a href=\"/secadmin/users?q=%s&amp;page=%lld\">上一页</a> ",
                buf_str(&qs), (long long)(page - 1));
  if (page * USERS_PER_PAGE < total)
    html_printf(b, "<a href=\"/secadmin/users?q=%s&amp;page=%lld\">下一页</a>",
                buf_str(&qs), (long long)(page + 1));
  buf_release(&qs);
  html_raw(b, "</p>\n");
  page_end(req, resp);
}

/* The page of one user: roles with revoke buttons, the grant form, the
** TOTP reset.  error (may be NULL) is shown on top.  404 when there is
** no such user. */
static void user_page(Request *req, Response *resp, int64_t uid,
                      const char *error) {
  Buf *b = &resp->body;
  char login[64], name[128], status[16], action[96];
  char codes[MAX_USER_ROLES][32];
  if (user_names(req->db, uid, login, name, status) != 0) {
    web_error(req, resp, 404, "not_found", "用户不存在", NULL);
    return;
  }
  int self = uid == req->user_id;
  page_begin(req, resp, "用户授权", "secadmin");
  tabs(req, resp);
  if (params_get(&req->query, "granted")) page_notice(resp, "ok", "已授予角色。");
  if (params_get(&req->query, "revoked")) page_notice(resp, "ok", "已撤销角色。");
  if (params_get(&req->query, "reset"))
    page_notice(resp, "ok", "已重置动态验证码；该用户须重新启用。");
  if (error) page_notice(resp, "error", error);
  if (self)
    page_notice(resp, "info", "这是您本人的账号：不能修改自己的角色。");
  html_printf(b,
              "<dl class=\"props\"><dt>登录名</dt><dd>%s</dd><dt>显示名</dt>"
              "<dd>%s</dd><dt>状态</dt><dd>%s</dd><dt>动态验证码</dt><dd>%s%s</dd>"
              "</dl>\n",
              login, name, status_label(status), totp_state(req->db, uid),
              mfa_required(req->db, uid) ? "（其角色须使用）" : "");
  html_raw(b, "<h2>已有角色</h2>\n<table class=\"grid\"><thead><tr><th>角色</th>"
              "<th>类别</th><th>权限（范围）</th><th></th></tr></thead><tbody>\n");
  Stmt *st = db_stmt(req->db, STMT_USER_ROLES);
  db_bind_int64(st, 1, uid);
  int n = 0;
  while (n < MAX_USER_ROLES && db_step(st) == DB_ROW) {
    str_copy(codes[n], db_column_text(st, 0), 32);
    Buf perms = BUF_INIT;
    role_perms_text(codes[n], &perms);
    html_printf(b, "<tr><td>%s <small>%s</small></td><td>%s</td><td>%s</td><td>",
                db_column_text(st, 1), codes[n],
                kind_label(db_column_text(st, 2)), buf_str(&perms));
    buf_release(&perms);
    if (!self) {
      snprintf(action, sizeof action, "/secadmin/users/%lld/roles/revoke",
               (long long)uid);
      form_begin(req, resp, action);
      html_printf(b,
                  "<input type=\"hidden\" name=\"role\" value=\"%s\">"
                  "<button type=\"submit\" class=\"link\">撤销</button></form>",
                  codes[n]);
    }
    html_raw(b, "</td></tr>\n");
    n++;
  }
  db_reset(st);
  if (!n) html_raw(b, "<tr><td colspan=\"4\">（无角色：只能登录和修改个人设置）</td></tr>\n");
  html_raw(b, "</tbody></table>\n");
  if (!self) {
    html_raw(b, "<h2>授予角色</h2>\n");
    snprintf(action, sizeof action, "/secadmin/users/%lld/roles/grant",
             (long long)uid);
    form_begin(req, resp, action);
    html_raw(b, "\n<label>角色<select name=\"role\" required>\n");
    st = db_stmt(req->db, STMT_ROLE_LIST);
    while (db_step(st) == DB_ROW) {
      const char *code = db_column_text(st, 0);
      int held = 0;
      for (int i = 0; i < n; i++) held |= str_eq(codes[i], code);
      if (!held)
        html_printf(b, "<option value=\"%s\">%s（%s）</option>\n", code,
                    db_column_text(st, 1), kind_label(db_column_text(st, 2)));
    }
    db_reset(st);
    html_raw(b, "</select></label>\n<button type=\"submit\">授予</button></form>\n"
                "<p class=\"hint\">三员分立：系统管理员、安全管理员、审计管理员互相排斥，"
                "也不得兼任业务角色；违反时系统拒绝授予。授予或撤销立即生效，"
                "并记入审计日志。</p>\n");
    if (!str_eq(totp_state(req->db, uid), "未启用")) {
      html_raw(b, "<h2>动态验证码</h2>\n");
      snprintf(action, sizeof action, "/secadmin/users/%lld/totp/reset",
               (long long)uid);
      form_begin(req, resp, action);
      html_raw(b, "<button type=\"submit\">重置动态验证码（用户更换或遗失手机时）"
                  "</button></form>\n");
    }
  }
  html_raw(b, "<p><a href=\"/secadmin/users\">返回用户列表</a></p>\n");
  page_end(req, resp);
}

/* The {id} segment as a user id; renders 404 and returns -1 if malformed. */
static int path_user(Request *req, Response *resp, int64_t *uid) {
  if (str_to_int64(req_arg(req, 0), 1, INT64_MAX, uid) == 0) return 0;
  web_error(req, resp, 404, "not_found", "用户不存在", NULL);
  return -1;
}

/* ROUTE: GET /secadmin/users/{id} */
void page_secadmin_user(Request *req, Response *resp) {
  int64_t uid;
  if (path_user(req, resp, &uid) == 0) user_page(req, resp, uid, NULL);
}

static void role_form_post(Request *req, Response *resp, int grant) {
  int64_t uid;
  Refusal r = {0};
  if (path_user(req, resp, &uid) != 0) return;
  if (change_role(req, uid, req_param(req, "role"), grant, &r) == 0) {
    char loc[96];
    snprintf(loc, sizeof loc, "/secadmin/users/%lld?%s=1", (long long)uid,
             grant ? "granted" : "revoked");
    resp_redirect(resp, loc);
  } else if (r.status == 404 || r.status >= 500) {
    web_error(req, resp, r.status, r.code, buf_str(&r.msg), NULL);
  } else {
    user_page(req, resp, uid, buf_str(&r.msg));
    resp->status = r.status;
  }
  buf_release(&r.msg);
}

/* ROUTE: POST /secadmin/users/{id}/roles/grant */
void page_secadmin_grant(Request *req, Response *resp) {
  role_form_post(req, resp, 1);
}

/* ROUTE: POST /secadmin/users/{id}/roles/revoke */
void page_secadmin_revoke(Request *req, Response *resp) {
  role_form_post(req, resp, 0);
}

/* ROUTE: POST /secadmin/users/{id}/totp/reset — forget a user's TOTP
** secret (lost device); they enrol again. */
void page_secadmin_totp_reset(Request *req, Response *resp) {
  int64_t uid;
  char login[64], name[128], loc[96];
  if (path_user(req, resp, &uid) != 0) return;
  if (user_names(req->db, uid, login, name, NULL) != 0) {
    web_error(req, resp, 404, "not_found", "用户不存在", NULL);
    return;
  }
  req->audit_object = "user";
  req->audit_object_id = uid;
  buf_printf(&req->audit_summary, "重置用户 %s（%s）的动态验证码", login, name);
  if (uid == req->user_id) {
    user_page(req, resp, uid, "不能重置自己的动态验证码，请在个人设置中操作");
    resp->status = 403;
    return;
  }
  int rc = mfa_reset(req->db, uid);
  if (rc != 0) {
    user_page(req, resp, uid, rc > 0 ? "该用户没有动态验证码" : "保存失败");
    resp->status = rc > 0 ? 409 : 500;
    return;
  }
  snprintf(loc, sizeof loc, "/secadmin/users/%lld?reset=1", (long long)uid);
  resp_redirect(resp, loc);
}

/* ---- settings ---- */

/* The heading a setting is listed under, by its key's prefix. */
static const char *setting_group(const char *key) {
  if (strncmp(key, "auth.", 5) == 0) return "账号、口令与会话";
  if (strncmp(key, "audit.", 6) == 0) return "审计记录";
  if (strncmp(key, "org.", 4) == 0) return "组织与巡察";
  if (strncmp(key, "clue.", 5) == 0) return "问题线索（期限、审批链、统计口径、编号）";
  return "其他";
}

/* The settings form.  given (may be NULL) holds submitted values to show
** instead of the stored ones; errs (may be NULL) a reason per row. */
static void settings_page(Request *req, Response *resp, const ParamList *given,
                          const Buf *errs) {
  Buf *b = &resp->body;
  page_begin(req, resp, "安全策略设置", "secadmin");
  tabs(req, resp);
  if (params_get(&req->query, "saved"))
    page_notice(resp, "ok", str_eq(params_get(&req->query, "saved"), "0")
                                ? "没有修改任何设置。"
                                : "设置已保存，立即生效。");
  if (errs) page_notice(resp, "error", "部分设置不合法，未保存任何修改，请按提示更正。");
  html_raw(b, "<p>每项设置列出默认值、允许范围及其依据的标准条款或实践；"
              "修改立即生效，并记入审计日志。</p>\n");
  form_begin_class(req, resp, "/secadmin/settings", "wide");
  html_raw(b, "\n<table class=\"grid\"><thead><tr><th>设置项</th><th>当前值</th>"
              "<th>默认值</th><th>允许范围</th><th>依据</th></tr></thead><tbody>\n");
  for (size_t i = 0; i < n_setting_defs; i++) {
    const SettingDef *d = &setting_defs[i];
    const char *shown = given ? params_get(given, d->key) : NULL;
    const char *group = setting_group(d->key);
    if (i == 0 || group != setting_group(setting_defs[i - 1].key))
      html_printf(b, "<tr><th colspan=\"5\">%s</th></tr>\n", group);
    char cur[SETTING_TEXT_MAX];
    setting_value(req->db, d, cur);
    html_printf(b,
                "<tr><td><label for=\"s%zu\">%s</label><br><small>%s</small></td>",
                i, d->label, d->key);
    if (d->text)
      /* maxlength counts UTF-16 units: the check counts characters, so
      ** allow a little more and let setting_check decide */
      html_printf(b,
                  "<td><input id=\"s%zu\" name=\"%s\" value=\"%s\" "
                  "maxlength=\"%lld\" size=\"28\">",
                  i, d->key, shown ? shown : cur, (long long)d->max * 2);
    else
      html_printf(b,
                  "<td><input id=\"s%zu\" name=\"%s\" value=\"%s\" "
                  "inputmode=\"numeric\" maxlength=\"20\" size=\"8\">",
                  i, d->key, shown ? shown : cur);
    if (errs && errs[i].len)
      html_printf(b, "<br><span class=\"notice error\">%s</span>", buf_str(&errs[i]));
    if (d->text)
      html_printf(b, "</td><td>%s</td><td>%lld – %lld 个字符</td><td>%s</td></tr>\n",
                  d->def, (long long)d->min, (long long)d->max, d->source);
    else
      html_printf(b, "</td><td>%s</td><td>%lld – %lld</td><td>%s</td></tr>\n",
                  d->def, (long long)d->min, (long long)d->max, d->source);
  }
  html_raw(b, "</tbody></table>\n<button type=\"submit\">保存</button></form>\n");
  page_end(req, resp);
}

/* ROUTE: GET /secadmin/settings */
void page_secadmin_settings(Request *req, Response *resp) {
  settings_page(req, resp, NULL, NULL);
}

/* Save every value that differs from the stored one, after checking all
** of them (get(i) gives the submitted text of setting_defs[i], NULL when
** not submitted).  Returns the number of invalid values, with their
** reasons in errs[i]; 0 means saved, and *changed counts the changes.
** The audit summary names each change, old → new. */
static int save_settings(Request *req, const char *const *vals, Buf *errs,
                         int *changed) {
  int bad = 0, redo = -1;
  *changed = 0;
  for (size_t i = 0; i < n_setting_defs; i++)
    if (vals[i] && setting_check(setting_defs[i].key, vals[i], &errs[i]) != 0)
      bad++;
  req->audit_object = "setting";
  if (bad) {
    buf_printf(&req->audit_summary, "修改安全策略失败：%d 项不合法，未保存", bad);
    return bad;
  }
  buf_puts(&req->audit_summary, "修改安全策略：");
  for (size_t i = 0; i < n_setting_defs; i++) {
    const SettingDef *d = &setting_defs[i];
    if (d->text) {
      char cur[SETTING_TEXT_MAX];
      if (!vals[i]) continue;
      setting_value(req->db, d, cur);
      if (str_eq(cur, vals[i])) continue;
      if (setting_put(req->db, d->key, vals[i], &errs[i]) != 0) return 1;
      buf_printf(&req->audit_summary, "%s%s（%s）%s→%s", *changed ? "；" : "",
                 d->key, d->label, cur, vals[i]);
      (*changed)++;
      continue;
    }
    int64_t v, old = setting_int(req->db, d->key);
    char text[24];
    if (!vals[i] || str_to_int64(vals[i], d->min, d->max, &v) != 0 || v == old)
      continue;
    snprintf(text, sizeof text, "%lld", (long long)v);
    if (setting_put(req->db, d->key, text, &errs[i]) != 0) return 1;
    buf_printf(&req->audit_summary, "%s%s（%s）%lld→%lld", *changed ? "；" : "",
               d->key, d->label, (long long)old, (long long)v);
    (*changed)++;
    if (clue_due_setting(d->key) && redo < 0) redo = (int)i;
  }
  if (!*changed) buf_puts(&req->audit_summary, "无变化");
  /* A deadline period changed: the open clues' deadlines follow it now,
  ** in the same transaction as the change. */
  if (redo >= 0) {
    int64_t n = 0;
    if (clue_due_refresh_all(req->db, &n) != DB_OK) {
      buf_puts(&errs[redo], "按新期限重算问题线索期限失败，设置未保存");
      return 1;
    }
    buf_printf(&req->audit_summary, "；已按新期限重算 %lld 条问题线索的期限",
               (long long)n);
  }
  return 0;
}

/* ROUTE: POST /secadmin/settings */
void page_secadmin_settings_post(Request *req, Response *resp) {
  const char **vals = xcalloc(n_setting_defs, sizeof *vals);
  Buf *errs = xcalloc(n_setting_defs, sizeof *errs);
  int changed = 0;
  for (size_t i = 0; i < n_setting_defs; i++)
    vals[i] = params_get(&req->form, setting_defs[i].key);
  if (save_settings(req, vals, errs, &changed) != 0) {
    settings_page(req, resp, &req->form, errs);
    resp->status = 400;
  } else {
    resp_redirect(resp, changed ? "/secadmin/settings?saved=1"
                                : "/secadmin/settings?saved=0");
  }
  for (size_t i = 0; i < n_setting_defs; i++) buf_release(&errs[i]);
  free(errs);
  free(vals);
}

/* ---- JSON API ---- */

/* ROUTE: GET /api/v1/roles */
void api_roles(Request *req, Response *resp) {
  json_t *items = json_array();
  Stmt *st = db_stmt(req->db, STMT_ROLE_OVERVIEW);
  while (db_step(st) == DB_ROW) {
    const char *code = db_column_text(st, 0);
    json_array_append_new(
        items,
        json_pack("{s:s, s:s, s:s, s:s, s:I, s:b, s:o}", "code", code, "name",
                  db_column_text(st, 1), "kind", db_column_text(st, 2),
                  "description", db_column_text(st, 3), "members",
                  (json_int_t)db_column_int64(st, 4), "totp_required",
                  db_column_int64(st, 5) > 0, "permissions",
                  role_perms_json(code)));
  }
  db_reset(st);
  size_t n = json_array_size(items);
  api_json(resp, 200, api_page(items, (int64_t)n, 1, (int64_t)(n ? n : 1)));
}

/* ROUTE: POST /api/v1/roles/{code}/totp — {"required": bool} */
void api_role_totp(Request *req, Response *resp) {
  const char *code = req_arg(req, 0);
  char rname[64];
  json_t *v = json_object_get(req->json, "required");
  if (role_name(req->db, code, rname) != 0) {
    web_error(req, resp, 404, "not_found", "角色不存在", NULL);
    return;
  }
  if (!json_is_boolean(v)) {
    web_error(req, resp, 400, "bad_field", "字段 required 应为 true 或 false",
              "required");
    return;
  }
  int on = json_is_true(v);
  req->audit_object = "role";
  buf_printf(&req->audit_summary, "%s角色 %s（%s）必须使用动态验证码",
             on ? "设定" : "取消", rname, code);
  if (mfa_role_set(req->db, code, on) < 0) {
    web_error(req, resp, 500, "db_error", "保存失败", NULL);
    return;
  }
  api_json(resp, 200, json_pack("{s:s, s:b}", "code", code, "totp_required", on));
}

/* ROUTE: GET /api/v1/role-grants — ?user=ID narrows to one user. */
void api_role_grants(Request *req, Response *resp) {
  int64_t page, per_page, uid = 0;
  const char *u = params_get(&req->query, "user");
  if (api_paging(req, resp, &page, &per_page) != 0) return;
  if (u && str_to_int64(u, 1, INT64_MAX, &uid) != 0) {
    web_error(req, resp, 400, "bad_parameter", "参数 user 应为用户编号", "user");
    return;
  }
  Stmt *st = db_stmt(req->db, STMT_ROLE_GRANT_COUNT);
  db_bind_int64(st, 1, uid);
  db_bind_int64(st, 2, uid);
  int64_t total = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
  db_reset(st);
  json_t *items = json_array();
  st = db_stmt(req->db, STMT_ROLE_GRANT_LIST);
  db_bind_int64(st, 1, uid);
  db_bind_int64(st, 2, uid);
  db_bind_int64(st, 3, per_page);
  db_bind_int64(st, 4, (page - 1) * per_page);
  while (db_step(st) == DB_ROW)
    json_array_append_new(
        items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "user_id",
                         (json_int_t)db_column_int64(st, 0), "login",
                         db_column_text(st, 1), "display_name",
                         db_column_text(st, 2), "role", db_column_text(st, 3),
                         "role_name", db_column_text(st, 4), "kind",
                         db_column_text(st, 5)));
  db_reset(st);
  api_json(resp, 200, api_page(items, total, page, per_page));
}

static void api_refusal(Request *req, Response *resp, Refusal *r) {
  web_error(req, resp, r->status, r->code, buf_str(&r->msg), r->field);
  buf_release(&r->msg);
}

/* ROUTE: POST /api/v1/role-grants — {"user_id": N, "role": "code"} */
void api_role_grant_create(Request *req, Response *resp) {
  json_t *u = json_object_get(req->json, "user_id");
  Refusal r = {0};
  if (!json_is_integer(u) || json_integer_value(u) < 1) {
    web_error(req, resp, 400, "bad_field", "字段 user_id 应为用户编号", "user_id");
    return;
  }
  const char *role = api_string(req, resp, "role");
  if (!role) return;
  int64_t uid = json_integer_value(u);
  if (change_role(req, uid, role, 1, &r) != 0) {
    api_refusal(req, resp, &r);
    return;
  }
  api_json(resp, 201, json_pack("{s:I, s:s}", "user_id", (json_int_t)uid,
                                "role", role));
}

/* ROUTE: DELETE /api/v1/role-grants/{user_id}/{role} */
void api_role_grant_delete(Request *req, Response *resp) {
  int64_t uid;
  Refusal r = {0};
  if (str_to_int64(req_arg(req, 0), 1, INT64_MAX, &uid) != 0) {
    web_error(req, resp, 404, "not_found", "用户不存在", "user_id");
    return;
  }
  if (change_role(req, uid, req_arg(req, 1), 0, &r) != 0) {
    api_refusal(req, resp, &r);
    return;
  }
  resp->status = 204;
}

static json_t *settings_json(Db *db) {
  json_t *items = json_array();
  for (size_t i = 0; i < n_setting_defs; i++) {
    const SettingDef *d = &setting_defs[i];
    int64_t def = 0;
    if (d->text) {
      char cur[SETTING_TEXT_MAX];
      setting_value(db, d, cur);
      json_array_append_new(
          items, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "key",
                           d->key, "type", "text", "label", d->label, "value",
                           cur, "default", d->def, "min", (json_int_t)d->min,
                           "max", (json_int_t)d->max, "source", d->source));
      continue;
    }
    str_to_int64(d->def, INT64_MIN, INT64_MAX, &def);
    json_array_append_new(
        items, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:s}", "key",
                         d->key, "type", "int", "label", d->label, "value",
                         (json_int_t)setting_int(db, d->key), "default",
                         (json_int_t)def, "min", (json_int_t)d->min, "max",
                         (json_int_t)d->max, "source", d->source));
  }
  size_t n = json_array_size(items);
  return api_page(items, (int64_t)n, 1, (int64_t)(n ? n : 1));
}

/* ROUTE: GET /api/v1/settings */
void api_settings(Request *req, Response *resp) {
  api_json(resp, 200, settings_json(req->db));
}

/* ROUTE: POST /api/v1/settings — {"key": value, …}; all or nothing. */
void api_settings_post(Request *req, Response *resp) {
  const char **vals = xcalloc(n_setting_defs, sizeof *vals);
  char (*texts)[24] = xcalloc(n_setting_defs, sizeof *texts);
  Buf *errs = xcalloc(n_setting_defs, sizeof *errs);
  json_t *fields = json_object();
  const char *first = NULL, *key;
  json_t *v;
  int changed = 0;
  json_object_foreach(req->json, key, v) {
    if (str_eq(key, "csrf_token")) continue;
    const SettingDef *d = setting_def(key);
    if (!d) {
      json_object_set_new(fields, key, json_string("未知的设置项"));
      if (!first) first = key;
      continue;
    }
    size_t i = (size_t)(d - setting_defs);
    if (json_is_integer(v)) {
      snprintf(texts[i], sizeof texts[i], "%lld",
               (long long)json_integer_value(v));
      vals[i] = texts[i];
    } else if (json_is_string(v)) {
      vals[i] = json_string_value(v);
    } else {
      vals[i] = ""; /* refused below with the field's rule */
    }
  }
  /* Check everything first, so one answer names every bad field. */
  int bad = (int)json_object_size(fields);
  for (size_t i = 0; i < n_setting_defs; i++)
    if (vals[i] && setting_check(setting_defs[i].key, vals[i], &errs[i]) != 0)
      bad++;
  if (bad) {
    req->audit_object = "setting";
    buf_printf(&req->audit_summary, "修改安全策略失败：%d 项不合法，未保存", bad);
  } else if (save_settings(req, vals, errs, &changed) != 0) {
    bad = 1;
  }
  for (size_t i = 0; i < n_setting_defs; i++)
    if (errs[i].len) {
      json_object_set_new(fields, setting_defs[i].key,
                          json_string(buf_str(&errs[i])));
      if (!first) first = setting_defs[i].key;
    }
  if (bad) {
    json_t *e = json_pack(
        "{s:{s:s, s:s, s:s, s:O}}", "error", "code", "invalid_settings",
        "message", "部分设置不合法，未保存任何修改", "field", first ? first : "",
        "fields", fields);
    api_json(resp, 400, e);
  } else {
    api_json(resp, 200, settings_json(req->db));
  }
  json_decref(fields);
  for (size_t i = 0; i < n_setting_defs; i++) buf_release(&errs[i]);
  free(errs);
  free(texts);
  free(vals);
}
