/* page_users.c: account administration for the system administrator
** (系统管理员): list, create, lock, unlock, disable, enable, reset the
** password and set the expiry of accounts, as HTML forms and as the JSON
** API.  Roles are not granted here: that is the security
** administrator's work (三员分立).  Temporary passwords are shown once,
** in the response to the request that made them, and never audited or
** logged. */
#include <stdlib.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "auth/crypto.h"
#include "domain/settings.h"
#include "web/api.h"
#include "web/html.h"

#define USERS_PER_PAGE 50
#define QUERY_MAX 64 /* characters of a search text */
#define BAD_DAY "有效期应为 YYYY-MM-DD 格式的日期"

/* One account as the administration pages show it. */
typedef struct UserRow {
  int64_t id;
  char login[64];
  char display_name[256];
  char office[256];
  char status[16];
  jx_time created_at, password_changed_at, locked_until, expires_at;
  int must_change_password;
} UserRow;

/* Fill u from a USER_ADMIN_GET / USER_ADMIN_SEARCH row. */
static void row_read(Stmt *st, UserRow *u) {
  u->id = db_column_int64(st, 0);
  str_copy(u->login, db_column_text(st, 1), sizeof u->login);
  str_copy(u->display_name, db_column_text(st, 2), sizeof u->display_name);
  const char *office = db_column_text(st, 3);
  str_copy(u->office, office ? office : "", sizeof u->office);
  str_copy(u->status, db_column_text(st, 4), sizeof u->status);
  u->created_at = db_column_int64(st, 5);
  u->password_changed_at = db_column_int64(st, 6);
  u->must_change_password = (int)db_column_int64(st, 7);
  u->locked_until = db_column_int64(st, 8);
  u->expires_at = db_column_int64(st, 9);
}

static int user_load(Db *db, int64_t id, UserRow *u) {
  Stmt *st = db_stmt(db, STMT_USER_ADMIN_GET);
  db_bind_int64(st, 1, id);
  int found = db_step(st) == DB_ROW;
  if (found) row_read(st, u);
  db_reset(st);
  return found ? 0 : -1;
}

static const char *user_state(const UserRow *u) {
  return account_state(u->status, u->locked_until, u->expires_at, jx_now());
}

/* "2026-01-01 18:31" (北京时间), or "—" for 0. */
static void fmt_time(jx_time t, char out[21]) {
  if (!t) {
    str_copy(out, "—", 21);
    return;
  }
  time_local(t, out);
}

/* The last day (北京时间) an expiry at t leaves usable, "YYYY-MM-DD"; ""
** for 0. */
static void fmt_expiry_day(jx_time t, char out[21]) {
  out[0] = 0;
  if (!t) return;
  time_local(t - 1, out);
  out[10] = 0;
}

/* An expiry from a "YYYY-MM-DD" day (usable through that day, 北京时间):
** 0 and *at (0 for an empty day: no expiry), or -1. */
static int parse_expiry_day(const char *day, jx_time *at) {
  *at = 0;
  if (!day || !*day) return 0;
  if (strlen(day) != 10 || time_parse_local(day, at) != 0) return -1;
  *at += 86400;
  return 0;
}

/* Check an expiry day from a form or body: NULL with *at set, or the
** Chinese reason it is refused. */
static const char *expiry_input(const char *day, jx_time *at) {
  if (parse_expiry_day(day, at) != 0) return BAD_DAY;
  if (*at && *at <= jx_now()) return "账号有效期不得早于当前时间";
  return NULL;
}

/* Role names of a user, "、"-separated, into out ("" if none). */
static void role_names(Db *db, int64_t id, Buf *out) {
  Stmt *st = db_stmt(db, STMT_USER_ROLES);
  db_bind_int64(st, 1, id);
  while (db_step(st) == DB_ROW) {
    if (out->len) buf_puts(out, "、");
    buf_puts(out, db_column_text(st, 1));
  }
  db_reset(st);
}

/* Does the user hold one of the 三员 administrator roles? */
static int holds_admin_role(Db *db, int64_t id) {
  int admin = 0;
  Stmt *st = db_stmt(db, STMT_USER_ROLES);
  db_bind_int64(st, 1, id);
  while (db_step(st) == DB_ROW)
    if (str_eq(db_column_text(st, 2), "admin")) admin = 1;
  db_reset(st);
  return admin;
}

/* Live sessions of a user: not ended and within the idle and absolute
** limits (an expired session is ended only when next presented). */
static int64_t live_sessions(Db *db, int64_t id) {
  jx_time now = jx_now();
  Stmt *st = db_stmt(db, STMT_SESSION_COUNT_LIVE);
  db_bind_int64(st, 1, id);
  db_bind_int64(st, 2, now - setting_int(db, "auth.session_idle_minutes") * 60);
  db_bind_int64(st, 3,
                now - setting_int(db, "auth.session_absolute_hours") * 3600);
  int64_t n = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
  db_reset(st);
  return n;
}

/* The {id} path segment; 0 when it is not a positive number. */
static int64_t id_arg(Request *req) {
  int64_t id;
  return str_to_int64(req_arg(req, 0), 1, INT64_MAX, &id) == 0 ? id : 0;
}

/* ---- search ---- */

typedef struct Search {
  const char *q;      /* "" for any */
  const char *status; /* "" for any, else a state of account_state() */
  Buf pattern;        /* q as a lower-case LIKE pattern */
} Search;

/* Read ?q= and ?status=.  0, or -1 with the reason in err. */
static int search_read(Request *req, Search *s, Buf *err) {
  s->q = params_get(&req->query, "q");
  s->status = params_get(&req->query, "status");
  if (!s->q) s->q = "";
  if (!s->status) s->status = "";
  buf_init(&s->pattern);
  if (strlen(s->q) > 4 * QUERY_MAX) {
    buf_printf(err, "查询内容不超过 %d 个字", QUERY_MAX);
    return -1;
  }
  if (*s->status && !account_state_label(s->status)) {
    buf_puts(err, "状态应为 active、locked、disabled 或 expired");
    return -1;
  }
  buf_putc(&s->pattern, '%');
  for (const char *p = s->q; *p; p++) {
    char c = *p;
    if (c == '%' || c == '_' || c == '\\') buf_putc(&s->pattern, '\\');
    buf_putc(&s->pattern, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
  }
  buf_putc(&s->pattern, '%');
  return 0;
}

/* Bind the 13 filter parameters shared by USER_ADMIN_SEARCH and _COUNT. */
static void search_bind(Stmt *st, const Search *s, jx_time now) {
  db_bind_text(st, 1, s->q);
  db_bind_text(st, 2, buf_str(&s->pattern));
  db_bind_text(st, 3, buf_str(&s->pattern));
  db_bind_text(st, 4, s->status);
  db_bind_text(st, 5, s->status);
  db_bind_text(st, 6, s->status);
  db_bind_int64(st, 7, now);
  db_bind_text(st, 8, s->status);
  db_bind_int64(st, 9, now);
  db_bind_int64(st, 10, now);
  db_bind_text(st, 11, s->status);
  db_bind_int64(st, 12, now);
  db_bind_int64(st, 13, now);
}

static int64_t search_count(Db *db, const Search *s, jx_time now) {
  Stmt *st = db_stmt(db, STMT_USER_ADMIN_COUNT);
  search_bind(st, s, now);
  int64_t n = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
  db_reset(st);
  return n;
}

/* One page of matches into *rows (caller frees), *n of them. */
static void search_rows(Db *db, const Search *s, jx_time now, int64_t page,
                        int64_t per_page, UserRow **rows, size_t *n) {
  Stmt *st = db_stmt(db, STMT_USER_ADMIN_SEARCH);
  search_bind(st, s, now);
  db_bind_int64(st, 14, per_page);
  db_bind_int64(st, 15, (page - 1) * per_page);
  *rows = xcalloc((size_t)per_page, sizeof **rows);
  *n = 0;
  while (*n < (size_t)per_page && db_step(st) == DB_ROW)
    row_read(st, &(*rows)[(*n)++]);
  db_reset(st);
}

/* ---- the actions, shared by the pages and the API ---- */

typedef enum Verb {
  V_LOCK,
  V_UNLOCK,
  V_DISABLE,
  V_ENABLE,
  V_RESET,
  V_EXPIRY
} Verb;

static const struct {
  const char *path; /* last path segment */
  const char *done; /* Chinese past tense, for notices and the audit */
} verbs[] = {
    [V_LOCK] = {"lock", "锁定账号"},
    [V_UNLOCK] = {"unlock", "解除锁定"},
    [V_DISABLE] = {"disable", "停用账号"},
    [V_ENABLE] = {"enable", "启用账号"},
    [V_RESET] = {"reset-password", "重置密码"},
    [V_EXPIRY] = {"expiry", "设置账号有效期"},
};

/* The outcome of an action, for whichever way it is rendered. */
typedef struct Outcome {
  int status;                       /* 200, or the HTTP error status */
  const char *code;                 /* error code for the API */
  Buf msg;                          /* error message in Chinese */
  UserRow user;                     /* the account (when found) */
  char pw[ACCOUNT_TEMP_PW_LEN + 1]; /* V_RESET: the temporary password */
} Outcome;

/* Run verb on account {id} with expiry (V_EXPIRY only), filling o and
** the request's audit fields.  A non-NULL bad_input refuses with 422
** and that message before anything is tried. */
static void run_verb(Request *req, Verb verb, jx_time expiry,
                     const char *bad_input, Outcome *o) {
  int64_t id = id_arg(req);
  memset(o, 0, sizeof *o);
  o->status = 200;
  req->audit_object = "user";
  req->audit_object_id = id;
  if (!id || user_load(req->db, id, &o->user) != 0) {
    o->status = 404;
    o->code = "not_found";
    buf_puts(&o->msg, "账号不存在");
    buf_printf(&req->audit_summary, "%s；失败：账号不存在", verbs[verb].done);
    return;
  }
  const UserRow *u = &o->user;
  if (bad_input) {
    o->status = 422;
    o->code = "invalid";
    buf_puts(&o->msg, bad_input);
  } else if (id == req->user_id && verb != V_UNLOCK && verb != V_ENABLE &&
             verb != V_EXPIRY) {
    o->status = 403;
    o->code = "self";
    buf_puts(&o->msg, verb == V_RESET
                          ? "不能重置自己的密码，请在个人设置中修改密码"
                          : "不能锁定或停用自己的账号");
  } else if (verb == V_RESET && holds_admin_role(req->db, id)) {
    /* A temporary password the sysadmin knows would let it act as the
     * security administrator or the auditor (三员分立). */
    o->status = 403;
    o->code = "admin_account";
    buf_puts(&o->msg,
             "三员分立：管理员账号的密码不能在此重置，"
             "请由本人修改，或在服务器上使用 jixun user reset-password");
  } else {
    int rc = ACCOUNT_REFUSED;
    switch (verb) {
      case V_LOCK:
        rc = account_lock(req->db, id, &o->msg);
        break;
      case V_UNLOCK:
        rc = account_unlock(req->db, id, &o->msg);
        break;
      case V_DISABLE:
        rc = account_disable(req->db, id, &o->msg);
        break;
      case V_ENABLE:
        rc = account_enable(req->db, id, &o->msg);
        break;
      case V_RESET:
        rc = account_reset_password(req->db, id, o->pw, &o->msg);
        break;
      case V_EXPIRY:
        rc = account_set_expiry(req->db, id, expiry, &o->msg);
        break;
    }
    if (rc == ACCOUNT_NOT_FOUND) {
      o->status = 404;
      o->code = "not_found";
      buf_puts(&o->msg, "账号不存在");
    } else if (rc != ACCOUNT_OK) {
      o->status = 409;
      o->code = "conflict";
    }
  }
  buf_printf(&req->audit_summary, "%s %s（%s）", verbs[verb].done, u->login,
             u->display_name);
  if (o->status == 200 && verb == V_EXPIRY) {
    char day[21];
    fmt_expiry_day(expiry, day);
    if (expiry)
      buf_printf(&req->audit_summary, "：有效期至 %s", day);
    else
      buf_puts(&req->audit_summary, "：长期有效");
  }
  if (o->status == 200 && verb == V_RESET)
    buf_puts(&req->audit_summary,
             "：已生成临时密码，下次登录须修改，已结束其全部会话");
  if (o->status != 200)
    buf_printf(&req->audit_summary, "；失败：%s", buf_str(&o->msg));
  if (o->status == 200) user_load(req->db, id, &o->user);
}

static void outcome_release(Outcome *o) {
  buf_release(&o->msg);
  sodium_memzero(o->pw, sizeof o->pw);
}

/* ---- HTML ---- */

static void status_cell(Buf *b, const UserRow *u) {
  const char *state = user_state(u);
  html_printf(b, "<span class=\"status %s\">%s</span>", state,
              account_state_label(state));
}

/* ROUTE: GET /admin/users */
void page_users(Request *req, Response *resp) {
  Buf *b = &resp->body;
  Buf err = BUF_INIT, qs = BUF_INIT;
  Search s;
  jx_time now = jx_now();
  int64_t page = 1;
  const char *pv = params_get(&req->query, "page");
  if (search_read(req, &s, &err) != 0 ||
      (pv && str_to_int64(pv, 1, 1000000, &page) != 0)) {
    if (!err.len) buf_puts(&err, "页码应为正整数");
    web_error(req, resp, 400, "bad_parameter", buf_str(&err), NULL);
    goto done;
  }
  page_begin(req, resp, "账号管理", "users");
  html_raw(b,
           "<p><a href=\"/admin/users/new\">新建账号</a></p>\n"
           "<form method=\"get\" action=\"/admin/users\" class=\"search\">\n");
  html_printf(b,
              "<label>登录名或显示名<input name=\"q\" maxlength=\"64\" "
              "value=\"%s\"></label>\n<label>状态<select name=\"status\">"
              "<option value=\"\">全部</option>",
              s.q);
  static const char *const states[] = {"active", "locked", "disabled",
                                       "expired"};
  for (size_t i = 0; i < JX_COUNT(states); i++)
    html_printf(b, "<option value=\"%s\"%s>%s</option>", states[i],
                str_eq(s.status, states[i]) ? " selected" : "",
                account_state_label(states[i]));
  html_raw(b,
           "</select></label>\n<button type=\"submit\">查询</button>\n"
           "</form>\n");
  int64_t total = search_count(req->db, &s, now);
  UserRow *rows;
  size_t n;
  search_rows(req->db, &s, now, page, USERS_PER_PAGE, &rows, &n);
  html_raw(b,
           "<table class=\"grid\"><thead><tr><th>登录名</th><th>显示名</th>"
           "<th>所在单位</th><th>角色</th><th>状态</th>"
           "<th>创建时间（北京时间）</th></tr></thead><tbody>\n");
  for (size_t i = 0; i < n; i++) {
    char created[21];
    Buf roles = BUF_INIT;
    role_names(req->db, rows[i].id, &roles);
    fmt_time(rows[i].created_at, created);
    html_printf(b,
                "<tr><td><a href=\"/admin/users/%lld\">%s</a></td><td>%s</td>"
                "<td>%s</td><td>%s</td><td>",
                (long long)rows[i].id, rows[i].login, rows[i].display_name,
                rows[i].office, roles.len ? buf_str(&roles) : "（未分配）");
    status_cell(b, &rows[i]);
    html_printf(b, "</td><td>%s</td></tr>\n", created);
    buf_release(&roles);
  }
  if (!n) html_raw(b, "<tr><td colspan=\"6\">没有符合条件的账号</td></tr>\n");
  html_raw(b, "</tbody></table>\n");
  int64_t pages = total ? (total + USERS_PER_PAGE - 1) / USERS_PER_PAGE : 1;
  html_printf(b, "<p class=\"pager\">共 %lld 个账号，第 %lld / %lld 页",
              (long long)total, (long long)page, (long long)pages);
  buf_puts(&qs, "q=");
  url_encode(&qs, s.q);
  buf_puts(&qs, "&status=");
  url_encode(&qs, s.status);
  if (page > 1)
    html_printf(b, " <a href=\"/admin/users?%s&page=%lld\">上一页</a>",
                buf_str(&qs), (long long)(page - 1));
  if (page < pages)
    html_printf(b, " <a href=\"/admin/users?%s&page=%lld\">下一页</a>",
                buf_str(&qs), (long long)(page + 1));
  html_raw(b, "</p>\n");
  free(rows);
  page_end(req, resp);
done:
  buf_release(&s.pattern);
  buf_release(&err);
  buf_release(&qs);
}

/* The creation form, with the values sent back after an error. */
static void new_form(Request *req, Response *resp, const char *error) {
  Buf *b = &resp->body;
  const char *v;
  page_begin(req, resp, "新建账号", "users");
  if (error) page_notice(resp, "error", error);
  form_begin(req, resp, "/admin/users");
  v = req_param(req, "login");
  html_printf(b,
              "\n<label>登录名<input name=\"login\" required maxlength=\"32\" "
              "autocomplete=\"off\" value=\"%s\"></label>\n",
              v ? v : "");
  v = req_param(req, "display_name");
  html_printf(b,
              "<label>显示名<input name=\"display_name\" required "
              "maxlength=\"64\" value=\"%s\"></label>\n",
              v ? v : "");
  v = req_param(req, "office");
  html_printf(b,
              "<label>所在单位代码<input name=\"office\" maxlength=\"64\" "
              "value=\"%s\"></label>\n",
              v ? v : "");
  v = req_param(req, "expires_on");
  html_printf(b,
              "<label>账号有效期至（含当日，北京时间；不填为长期有效）"
              "<input type=\"date\" name=\"expires_on\" value=\"%s\" "
              "placeholder=\"YYYY-MM-DD\"></label>\n",
              v ? v : "");
  html_raw(b,
           "<p class=\"hint\">初始密码由系统随机生成，只显示一次；"
           "账号首次登录须修改密码。角色由安全管理员授予。</p>\n"
           "<button type=\"submit\">创建账号</button>\n</form>\n");
  page_end(req, resp);
}

/* ROUTE: GET /admin/users/new */
void page_user_new(Request *req, Response *resp) {
  new_form(req, resp, NULL);
}

/* Create from the fields; status 201 with the account in u and its
** temporary password in pw, or an error status with msg. */
static int create_user(Request *req, const char *login, const char *name,
                       const char *office, const char *expires_on, UserRow *u,
                       char pw[ACCOUNT_TEMP_PW_LEN + 1], const char **code,
                       Buf *msg) {
  jx_time expires = 0;
  int64_t id = 0;
  int status = 201;
  const char *bad;
  req->audit_object = "user";
  if (!login || !*login || !name || !*name) {
    buf_puts(msg, "请填写登录名和显示名");
    *code = "invalid";
    status = 422;
  } else if ((bad = expiry_input(expires_on, &expires))) {
    buf_puts(msg, bad);
    *code = "invalid";
    status = 422;
  } else if (account_id_by_login(req->db, login)) {
    buf_puts(msg, "登录名已存在");
    *code = "duplicate";
    status = 409;
  } else if (account_admin_create(req->db, login, name, office, expires, pw,
                                  &id, msg) != ACCOUNT_OK) {
    *code = "invalid";
    status = 422;
  } else {
    user_load(req->db, id, u);
    req->audit_object_id = id;
  }
  buf_printf(&req->audit_summary, "新建账号 %.64s（%.128s）",
             login ? login : "", name ? name : "");
  if (status != 201)
    buf_printf(&req->audit_summary, "；失败：%s", buf_str(msg));
  return status;
}

/* The page that shows a temporary password, once. */
static void password_page(Request *req, Response *resp, const char *title,
                          const UserRow *u, const char *pw) {
  Buf *b = &resp->body;
  page_begin(req, resp, title, "users");
  html_printf(
      b,
      "<dl class=\"props\"><dt>登录名</dt><dd>%s</dd>"
      "<dt>显示名</dt><dd>%s</dd>"
      "<dt>临时密码</dt><dd><code class=\"secret\">%s</code></dd></dl>\n",
      u->login, u->display_name, pw);
  html_raw(b,
           "<p class=\"notice info\" role=\"status\">临时密码只显示这一次，"
           "系统不保存其明文。请通过安全渠道告知本人；本人首次登录须修改密码。"
           "</p>\n");
  html_printf(b,
              "<p><a href=\"/admin/users/%lld\">查看账号</a> · "
              "<a href=\"/admin/users\">返回账号列表</a></p>\n",
              (long long)u->id);
  page_end(req, resp);
}

/* ROUTE: POST /admin/users */
void page_user_create(Request *req, Response *resp) {
  UserRow u = {0};
  char pw[ACCOUNT_TEMP_PW_LEN + 1] = "";
  const char *code = NULL;
  Buf msg = BUF_INIT;
  int status =
      create_user(req, req_param(req, "login"), req_param(req, "display_name"),
                  req_param(req, "office"), req_param(req, "expires_on"), &u,
                  pw, &code, &msg);
  if (status != 201) {
    new_form(req, resp, buf_str(&msg));
    resp->status = status;
  } else {
    password_page(req, resp, "账号已创建", &u, pw);
  }
  sodium_memzero(pw, sizeof pw);
  buf_release(&msg);
}

/* One row of the actions table: a form posting to /admin/users/{id}/verb. */
static void action_row(Request *req, Response *resp, int64_t id, Verb verb,
                       const char *what) {
  Buf *b = &resp->body;
  char action[96];
  snprintf(action, sizeof action, "/admin/users/%lld/%s", (long long)id,
           verbs[verb].path);
  html_printf(b, "<tr><td>%s</td><td>", what);
  form_begin(req, resp, action);
  html_printf(b, "<button type=\"submit\">%s</button></form></td></tr>\n",
              verbs[verb].done);
}

/* The detail page of u, with an error or done notice. */
static void detail_page(Request *req, Response *resp, const UserRow *u,
                        const char *error) {
  Buf *b = &resp->body;
  Buf roles = BUF_INIT;
  char created[21], changed[21], locked[21], day[21];
  const char *state = user_state(u);
  jx_time now = jx_now();
  int self = u->id == req->user_id;
  page_begin(req, resp, "账号详情", "users");
  if (error) page_notice(resp, "error", error);
  const char *done = params_get(&req->query, "done");
  for (size_t i = 0; done && i < JX_COUNT(verbs); i++)
    if (str_eq(done, verbs[i].path)) {
      char text[96];
      snprintf(text, sizeof text, "已%s。", verbs[i].done);
      page_notice(resp, "ok", text);
    }
  role_names(req->db, u->id, &roles);
  fmt_time(u->created_at, created);
  fmt_time(u->password_changed_at, changed);
  fmt_time(u->locked_until > now ? u->locked_until : 0, locked);
  fmt_expiry_day(u->expires_at, day);
  html_printf(b,
              "<dl class=\"props\"><dt>登录名</dt><dd>%s</dd>"
              "<dt>显示名</dt><dd>%s</dd><dt>所在单位</dt><dd>%s</dd>"
              "<dt>角色</dt><dd>%s</dd><dt>状态</dt><dd>",
              u->login, u->display_name, u->office[0] ? u->office : "—",
              roles.len ? buf_str(&roles) : "（未分配，由安全管理员授予）");
  status_cell(b, u);
  html_printf(b,
              "</dd><dt>创建时间</dt><dd>%s（北京时间）</dd>"
              "<dt>密码修改时间</dt><dd>%s（北京时间）</dd>"
              "<dt>须修改密码</dt><dd>%s</dd>"
              "<dt>登录失败锁定至</dt><dd>%s</dd>"
              "<dt>账号有效期至</dt><dd>%s</dd>"
              "<dt>在线会话</dt><dd>%lld 个</dd></dl>\n",
              created, changed, u->must_change_password ? "是" : "否",
              u->locked_until > now ? locked : "—",
              u->expires_at ? day : "长期有效",
              (long long)live_sessions(req->db, u->id));
  buf_release(&roles);
  html_raw(b, "<h2>账号操作</h2>\n<table class=\"grid\"><tbody>\n");
  int admin_locked = str_eq(u->status, "locked");
  if (str_eq(state, "active") && !self)
    action_row(req, resp, u->id, V_LOCK, "锁定后不能登录，现有会话立即结束");
  if (admin_locked || (str_eq(u->status, "active") && u->locked_until > now))
    action_row(req, resp, u->id, V_UNLOCK, "解除锁定并清除登录失败计数");
  if (!str_eq(u->status, "disabled") && !self)
    action_row(req, resp, u->id, V_DISABLE, "停用后不能登录，现有会话立即结束");
  if (str_eq(u->status, "disabled"))
    action_row(req, resp, u->id, V_ENABLE, "恢复为可登录状态");
  if (!self && !holds_admin_role(req->db, u->id))
    action_row(
        req, resp, u->id, V_RESET,
        "生成新的临时密码（只显示一次），下次登录须修改，现有会话立即结束");
  html_raw(b, "</tbody></table>\n<h2>账号有效期</h2>\n");
  char action[96];
  snprintf(action, sizeof action, "/admin/users/%lld/expiry", (long long)u->id);
  form_begin(req, resp, action);
  html_printf(b,
              "\n<label>有效期至（含当日，北京时间；留空为长期有效）"
              "<input type=\"date\" name=\"expires_on\" value=\"%s\" "
              "placeholder=\"YYYY-MM-DD\"></label>\n"
              "<button type=\"submit\">保存有效期</button>\n</form>\n",
              day);
  html_raw(b, "<p><a href=\"/admin/users\">返回账号列表</a></p>\n");
  page_end(req, resp);
}

/* ROUTE: GET /admin/users/{id} */
void page_user(Request *req, Response *resp) {
  UserRow u;
  int64_t id = id_arg(req);
  if (!id || user_load(req->db, id, &u) != 0) {
    web_error(req, resp, 404, "not_found", "账号不存在", NULL);
    return;
  }
  detail_page(req, resp, &u, NULL);
}

/* A POST /admin/users/{id}/<verb> page. */
static void page_verb(Request *req, Response *resp, Verb verb) {
  Outcome o;
  jx_time expiry = 0;
  const char *bad = verb == V_EXPIRY
                        ? expiry_input(req_param(req, "expires_on"), &expiry)
                        : NULL;
  run_verb(req, verb, expiry, bad, &o);
  if (o.status == 404) {
    web_error(req, resp, 404, "not_found", buf_str(&o.msg), NULL);
  } else if (o.status != 200) {
    detail_page(req, resp, &o.user, buf_str(&o.msg));
    resp->status = o.status;
  } else if (verb == V_RESET) {
    password_page(req, resp, "密码已重置", &o.user, o.pw);
  } else {
    char loc[96];
    snprintf(loc, sizeof loc, "/admin/users/%lld?done=%s", (long long)o.user.id,
             verbs[verb].path);
    resp_redirect(resp, loc);
  }
  outcome_release(&o);
}

/* ROUTE: POST /admin/users/{id}/lock */
void page_user_lock(Request *req, Response *resp) {
  page_verb(req, resp, V_LOCK);
}
/* ROUTE: POST /admin/users/{id}/unlock */
void page_user_unlock(Request *req, Response *resp) {
  page_verb(req, resp, V_UNLOCK);
}
/* ROUTE: POST /admin/users/{id}/disable */
void page_user_disable(Request *req, Response *resp) {
  page_verb(req, resp, V_DISABLE);
}
/* ROUTE: POST /admin/users/{id}/enable */
void page_user_enable(Request *req, Response *resp) {
  page_verb(req, resp, V_ENABLE);
}
/* ROUTE: POST /admin/users/{id}/reset-password */
void page_user_reset_password(Request *req, Response *resp) {
  page_verb(req, resp, V_RESET);
}
/* ROUTE: POST /admin/users/{id}/expiry */
void page_user_expiry(Request *req, Response *resp) {
  page_verb(req, resp, V_EXPIRY);
}

/* ---- JSON API ---- */

static json_t *user_json(Db *db, const UserRow *u, int detail) {
  const char *state = user_state(u);
  jx_time now = jx_now();
  json_t *roles = json_array();
  Stmt *st = db_stmt(db, STMT_USER_ROLES);
  db_bind_int64(st, 1, u->id);
  while (db_step(st) == DB_ROW)
    json_array_append_new(
        roles, json_pack("{s:s, s:s}", "code", db_column_text(st, 0), "name",
                         db_column_text(st, 1)));
  db_reset(st);
  json_t *o = json_pack(
      "{s:I, s:s, s:s, s:s?, s:s, s:s, s:o, s:o, s:o, s:o}", "id",
      (json_int_t)u->id, "login", u->login, "display_name", u->display_name,
      "office", u->office[0] ? u->office : NULL, "status", state,
      "status_label", account_state_label(state), "roles", roles, "created_at",
      api_time(u->created_at), "expires_at", api_time(u->expires_at),
      "locked_until", api_time(u->locked_until > now ? u->locked_until : 0));
  if (detail) {
    json_object_set_new(o, "password_changed_at",
                        api_time(u->password_changed_at));
    json_object_set_new(o, "must_change_password",
                        json_boolean(u->must_change_password));
    json_object_set_new(o, "live_sessions",
                        json_integer(live_sessions(db, u->id)));
  }
  return o;
}

/* ROUTE: GET /api/v1/users */
void api_users(Request *req, Response *resp) {
  int64_t page, per_page;
  Search s;
  Buf err = BUF_INIT;
  jx_time now = jx_now();
  if (api_paging(req, resp, &page, &per_page) != 0) return;
  if (search_read(req, &s, &err) != 0) {
    web_error(req, resp, 400, "bad_parameter", buf_str(&err),
              strstr(buf_str(&err), "状态") ? "status" : "q");
    goto done;
  }
  int64_t total = search_count(req->db, &s, now);
  UserRow *rows;
  size_t n;
  search_rows(req->db, &s, now, page, per_page, &rows, &n);
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(items, user_json(req->db, &rows[i], 0));
  free(rows);
  api_json(resp, 200, api_page(items, total, page, per_page));
done:
  buf_release(&s.pattern);
  buf_release(&err);
}

/* ROUTE: GET /api/v1/users/{id} */
void api_user(Request *req, Response *resp) {
  UserRow u;
  int64_t id = id_arg(req);
  if (!id || user_load(req->db, id, &u) != 0) {
    web_error(req, resp, 404, "not_found", "账号不存在", NULL);
    return;
  }
  api_json(resp, 200, user_json(req->db, &u, 1));
}

/* An optional string member of the JSON body: NULL when absent or null;
** renders 400 and sets *bad when it is something else. */
static const char *json_opt_string(Request *req, Response *resp,
                                   const char *field, int *bad) {
  json_t *v = req->json ? json_object_get(req->json, field) : NULL;
  if (!v || json_is_null(v)) return NULL;
  if (json_is_string(v)) return json_string_value(v);
  char msg[96];
  snprintf(msg, sizeof msg, "字段 %s 应为字符串", field);
  web_error(req, resp, 400, "bad_field", msg, field);
  *bad = 1;
  return NULL;
}

/* ROUTE: POST /api/v1/users */
void api_user_create(Request *req, Response *resp) {
  int bad = 0;
  const char *login = api_string(req, resp, "login");
  const char *name = login ? api_string(req, resp, "display_name") : NULL;
  if (!name) return;
  const char *office = json_opt_string(req, resp, "office", &bad);
  const char *expires =
      bad ? NULL : json_opt_string(req, resp, "expires_on", &bad);
  if (bad) return;
  UserRow u = {0};
  char pw[ACCOUNT_TEMP_PW_LEN + 1] = "";
  const char *code = NULL;
  Buf msg = BUF_INIT;
  int status =
      create_user(req, login, name, office, expires, &u, pw, &code, &msg);
  if (status != 201)
    web_error(req, resp, status, code, buf_str(&msg),
              str_eq(code, "duplicate") ? "login" : NULL);
  else
    api_json(resp, 201,
             json_pack("{s:o, s:s}", "user", user_json(req->db, &u, 1),
                       "temporary_password", pw));
  sodium_memzero(pw, sizeof pw);
  buf_release(&msg);
}

/* A POST /api/v1/users/{id}/<verb>. */
static void api_verb(Request *req, Response *resp, Verb verb) {
  Outcome o;
  jx_time expiry = 0;
  int bad = 0;
  const char *reason = NULL;
  if (verb == V_EXPIRY) {
    const char *day = json_opt_string(req, resp, "expires_on", &bad);
    if (bad) return;
    reason = expiry_input(day, &expiry);
  }
  run_verb(req, verb, expiry, reason, &o);
  if (o.status != 200) {
    web_error(req, resp, o.status, o.code, buf_str(&o.msg), NULL);
  } else {
    json_t *body = json_pack("{s:o}", "user", user_json(req->db, &o.user, 1));
    if (verb == V_RESET)
      json_object_set_new(body, "temporary_password", json_string(o.pw));
    api_json(resp, 200, body);
  }
  outcome_release(&o);
}

/* ROUTE: POST /api/v1/users/{id}/lock */
void api_user_lock(Request *req, Response *resp) {
  api_verb(req, resp, V_LOCK);
}
/* ROUTE: POST /api/v1/users/{id}/unlock */
void api_user_unlock(Request *req, Response *resp) {
  api_verb(req, resp, V_UNLOCK);
}
/* ROUTE: POST /api/v1/users/{id}/disable */
void api_user_disable(Request *req, Response *resp) {
  api_verb(req, resp, V_DISABLE);
}
/* ROUTE: POST /api/v1/users/{id}/enable */
void api_user_enable(Request *req, Response *resp) {
  api_verb(req, resp, V_ENABLE);
}
/* ROUTE: POST /api/v1/users/{id}/reset-password */
void api_user_reset_password(Request *req, Response *resp) {
  api_verb(req, resp, V_RESET);
}
/* ROUTE: POST /api/v1/users/{id}/expiry */
void api_user_expiry(Request *req, Response *resp) {
  api_verb(req, resp, V_EXPIRY);
}
