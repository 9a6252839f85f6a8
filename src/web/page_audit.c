/* page_audit.c: the auditor's interface to the audit trail — the search
** page, the JSON API, CSV/XLSX export and the chain check.
**
** Only the auditor role holds P_AUDIT_READ / P_AUDIT_EXPORT (policy.c),
** so the system and security administrators never see the trail (三员).
** Every use is itself audited through the route table: reads as
** "audit.read", exports as "audit.export" with the filter and the row
** count, the chain check as "audit.verify".
**
** Filters, the same on every route, as query parameters (empty = any):
**   user         login, exact (as recorded, also a name typed at a
**                failed login)
**   action       action code, e.g. session.login
**   object_type  e.g. user;  object_id  a positive integer
**   outcome      ok | denied | failed
**   from, to     YYYY-MM-DD (a whole day in 北京时间), YYYY-MM-DD HH:MM
**                or YYYY-MM-DDTHH:MM (that minute, 北京时间) or ISO-8601
**                UTC YYYY-MM-DDTHH:MM:SSZ (that second); both ends
**                inclusive
** A malformed value is refused with 400 and a Chinese message.
**
** Exports hold every matching row, newest first, up to EXPORT_MAX; more
** matches are refused with 400 (narrow the filter) rather than cut
** silently, so a file is always the whole answer to its filter.
*/
#include <stdlib.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/crypto.h"
#include "auth/policy.h"
#include "web/api.h"
#include "web/export.h"
#include "web/html.h"

#define PAGE_SIZE 50      /* rows per HTML page */
#define EXPORT_MAX 100000 /* rows per export file */
#define MAX_PAGE 1000000  /* highest page number accepted */
#define MIN_YEAR 2000     /* dates before this are typing errors */
#define DAY_SECONDS 86400

/* Chinese names of the actions the system records; anything else is
** shown by its code. */
static const struct {
  const char *code, *label;
} action_labels[] = {
    {"session.login", "登录"},
    {"session.logout", "退出登录"},
    {"session.end", "结束会话"},
    {"user.password_change", "修改本人密码"},
    {"user.create", "新建账号"},
    {"user.lock", "锁定账号"},
    {"user.unlock", "解锁账号"},
    {"user.disable", "停用账号"},
    {"user.enable", "启用账号"},
    {"user.reset_password", "重置密码"},
    {"user.set_expiry", "设置账号有效期"},
    {"mfa.setup", "设置动态验证码"},
    {"mfa.enable", "启用动态验证码"},
    {"mfa.disable", "停用动态验证码"},
    {"mfa.reset", "重置他人动态验证码"},
    {"role.grant", "授予角色"},
    {"role.revoke", "撤销角色"},
    {"role.totp", "设置角色动态验证码要求"},
    {"settings.update", "修改安全策略"},
    {"access.request", "申请访问授权"},
    {"access.approve", "批准访问授权"},
    {"access.reject", "驳回访问授权"},
    {"access.revoke", "撤销访问授权"},
    {"access.list", "查看访问授权"},
    {"access.queue_read", "查看待审批访问申请"},
    {"token.create", "创建接口令牌"},
    {"token.revoke", "吊销接口令牌"},
    {"access.denied", "访问被拒绝"},
    {"audit.read", "查询审计记录"},
    {"audit.export", "导出审计记录"},
    {"audit.verify", "校验审计链"},
    {"audit.purge", "清理过期审计记录"},
};

/* Actions recorded outside the route table's audit column: refusals on
** routes without one (router.c), the purge (audit.c) and the CLI
** (cli/cmd_token.c; `jixun user` records the routes' user.* actions). */
static const char *const extra_actions[] = {"access.denied", "audit.purge",
                                            "audit.export", "token.create",
                                            "token.revoke"};

static const char *action_label(const char *code) {
  for (size_t i = 0; i < JX_COUNT(action_labels); i++)
    if (str_eq(action_labels[i].code, code)) return action_labels[i].label;
  return code;
}

static const char *outcome_label(AuditOutcome o) {
  return o == AUDIT_OK       ? "成功"
         : o == AUDIT_DENIED ? "拒绝"
         : o == AUDIT_FAILED ? "失败"
                             : "";
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct known action codes, sorted, into out (at least
** n_routes + JX_COUNT(extra_actions) slots).  Returns how many. */
static size_t known_actions(const char **out) {
  size_t n = 0;
  for (size_t i = 0; i < n_routes + JX_COUNT(extra_actions); i++) {
    const char *a =
        i < n_routes ? routes[i].audit : extra_actions[i - n_routes];
    int seen = !a;
    for (size_t j = 0; !seen && j < n; j++) seen = str_eq(out[j], a);
    if (!seen) out[n++] = a;
  }
  qsort(out, n, sizeof *out, cmp_str);
  return n;
}

/* ---- filters ---- */

/* A search as asked for: the raw values (for the form, links and the
** audit summary) and the filter they make. */
typedef struct Query {
  const char *user, *action, *object_type, *object_id, *outcome, *from, *to;
  AuditFilter f;
  int64_t page; /* HTML pages only */
} Query;

/* A query parameter, NULL when absent or empty. */
static const char *qparam(Request *req, const char *name) {
  const char *v = params_get(&req->query, name);
  return v && *v ? v : NULL;
}

/* Is s 1..max characters of [a-z0-9._]? */
static int is_code(const char *s, size_t max) {
  size_t n = strlen(s);
  if (n == 0 || n > max) return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' ||
          *s == '_'))
      return 0;
  return 1;
}

/* No C0 control or DEL (the trail never stores them raw). */
static int printable(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f) return 0;
  return 1;
}

/* Parse a bound: a date covers its day in 北京时间, "YYYY-MM-DD HH:MM"
** (or with T, as a datetime-local input sends it) its minute in 北京时间,
** an ISO-8601 UTC time with Z its second.  *start is where it begins,
** *end just after it.  0 or -1. */
static int parse_bound(const char *s, jx_time *start, jx_time *end) {
  jx_time t, span;
  size_t n = strlen(s);
  if (time_parse_local(s, &t) == 0)
    span = n == 10 ? DAY_SECONDS : n == 16 ? 60 : 1;
  else if (n == 20 && time_parse_iso(s, &t) == 0)
    span = 1;
  else
    return -1;
  char local[20];
  time_local(t, local);
  if (atoi(local) < MIN_YEAR) return -1;
  *start = t;
  *end = t + span;
  return 0;
}

/* Read and check the filters (and, when want_page, ?page=).  Returns 0,
** or -1 with a Chinese message in msg and the offending parameter in
** *field. */
static int parse_query(Request *req, Query *q, int want_page, Buf *msg,
                       const char **field) {
  memset(q, 0, sizeof *q);
  q->page = 1;
  q->user = qparam(req, "user");
  q->action = qparam(req, "action");
  q->object_type = qparam(req, "object_type");
  q->object_id = qparam(req, "object_id");
  q->outcome = qparam(req, "outcome");
  q->from = qparam(req, "from");
  q->to = qparam(req, "to");
  jx_time ignored;
  *field = NULL;
  if (q->user && (strlen(q->user) > 200 || !printable(q->user))) {
    *field = "user";
    buf_puts(msg, "登录名过长或含有非法字符");
  } else if (q->action && !is_code(q->action, 64)) {
    *field = "action";
    buf_puts(msg, "操作类型格式不正确（应为如 session.login 的代码）");
  } else if (q->object_type && !is_code(q->object_type, 64)) {
    *field = "object_type";
    buf_puts(msg, "对象类型格式不正确（应为小写字母、数字、点或下划线）");
  } else if (q->object_id &&
             str_to_int64(q->object_id, 1, INT64_MAX, &q->f.object_id) != 0) {
    *field = "object_id";
    buf_puts(msg, "对象编号应为正整数");
  } else if (q->outcome && !str_eq(q->outcome, "ok") &&
             !str_eq(q->outcome, "denied") && !str_eq(q->outcome, "failed")) {
    *field = "outcome";
    buf_puts(msg, "结果应为 ok（成功）、denied（拒绝）或 failed（失败）");
  } else if (q->from && parse_bound(q->from, &q->f.from, &ignored) != 0) {
    *field = "from";
    buf_puts(msg,
             "开始日期格式不正确，应为 YYYY-MM-DD（北京时间），且不早于 2000 年");
  } else if (q->to && parse_bound(q->to, &ignored, &q->f.to) != 0) {
    *field = "to";
    buf_puts(msg,
             "结束日期格式不正确，应为 YYYY-MM-DD（北京时间），且不早于 2000 年");
  } else if (q->from && q->to && q->f.from >= q->f.to) {
    *field = "from";
    buf_puts(msg, "开始日期不能晚于结束日期");
  } else if (want_page && qparam(req, "page") &&
             str_to_int64(qparam(req, "page"), 1, MAX_PAGE, &q->page) != 0) {
    *field = "page";
    buf_puts(msg, "页码应为正整数");
  }
  if (*field) return -1;
  q->f.login = q->user;
  q->f.action = q->action;
  q->f.object_type = q->object_type;
  q->f.outcome = str_eq(q->outcome, "ok")       ? AUDIT_OK
                 : str_eq(q->outcome, "denied") ? AUDIT_DENIED
                 : str_eq(q->outcome, "failed") ? AUDIT_FAILED
                                                : 0;
  return 0;
}

/* The filters for people ("登录名=x，结果=失败"), for audit summaries. */
static void describe_query(Buf *out, const Query *q) {
  size_t start = out->len;
  if (q->user) buf_printf(out, "登录名=%s，", q->user);
  if (q->action) buf_printf(out, "操作=%s，", q->action);
  if (q->object_type) buf_printf(out, "对象类型=%s，", q->object_type);
  if (q->object_id) buf_printf(out, "对象编号=%s，", q->object_id);
  if (q->f.outcome) buf_printf(out, "结果=%s，", outcome_label(q->f.outcome));
  if (q->from) buf_printf(out, "自 %s，", q->from);
  if (q->to) buf_printf(out, "至 %s，", q->to);
  if (out->len == start) {
    buf_puts(out, "全部记录");
  } else { /* drop the last "，" (3 bytes) */
    out->len -= 3;
    out->p[out->len] = 0;
  }
}

/* Append the filters as a query string ("user=x&outcome=failed"), plus
** page when above 1. */
static void query_string(Buf *out, const Query *q, int64_t page) {
  size_t start = out->len;
  const struct {
    const char *name, *value;
  } p[] = {{"user", q->user},
           {"action", q->action},
           {"object_type", q->object_type},
           {"object_id", q->object_id},
           {"outcome", q->outcome},
           {"from", q->from},
           {"to", q->to}};
  for (size_t i = 0; i < JX_COUNT(p); i++) {
    if (!p[i].value) continue;
    if (out->len > start) buf_putc(out, '&');
    buf_printf(out, "%s=", p[i].name);
    url_encode(out, p[i].value);
  }
  if (page > 1)
    buf_printf(out, "%spage=%lld", out->len > start ? "&" : "",
               (long long)page);
}

/* ---- the search page ---- */

static void search_form(Request *req, Response *resp, const Query *q) {
  Buf *b = &resp->body;
  const char **codes =
      xmalloc((n_routes + JX_COUNT(extra_actions)) * sizeof *codes);
  size_t n = known_actions(codes);
  int listed = 0;
  html_raw(b, "<form method=\"get\" action=\"/audit\" class=\"search\">\n");
  html_printf(b,
              "<label>登录名<input name=\"user\" maxlength=\"200\" "
              "value=\"%s\"></label>\n",
              q->user ? q->user : "");
  html_raw(b,
           "<label>操作<select name=\"action\">"
           "<option value=\"\">全部</option>");
  for (size_t i = 0; i < n; i++) {
    int sel = str_eq(codes[i], q->action);
    listed |= sel;
    if (sel)
      html_printf(b, "<option value=\"%s\" selected>%s（%s）</option>",
                  codes[i], action_label(codes[i]), codes[i]);
    else
      html_printf(b, "<option value=\"%s\">%s（%s）</option>", codes[i],
                  action_label(codes[i]), codes[i]);
  }
  if (q->action && !listed) /* a code no longer in use: keep the filter */
    html_printf(b, "<option value=\"%s\" selected>%s</option>", q->action,
                q->action);
  html_raw(b, "</select></label>\n");
  free(codes);
  html_printf(b,
              "<label>对象类型<input name=\"object_type\" maxlength=\"64\" "
              "value=\"%s\" placeholder=\"如 user\"></label>\n"
              "<label>对象编号<input name=\"object_id\" inputmode=\"numeric\" "
              "maxlength=\"19\" value=\"%s\"></label>\n",
              q->object_type ? q->object_type : "",
              q->object_id ? q->object_id : "");
  html_raw(b,
           "<label>结果<select name=\"outcome\">"
           "<option value=\"\">全部</option>");
  static const char *const outcomes[] = {"ok", "denied", "failed"};
  for (size_t i = 0; i < JX_COUNT(outcomes); i++) {
    const char *label = outcome_label((AuditOutcome)(i + 1));
    if (str_eq(outcomes[i], q->outcome))
      html_printf(b, "<option value=\"%s\" selected>%s</option>", outcomes[i],
                  label);
    else
      html_printf(b, "<option value=\"%s\">%s</option>", outcomes[i], label);
  }
  html_raw(b, "</select></label>\n");
  html_printf(b,
              "<label>开始日期（北京时间）<input type=\"date\" name=\"from\" "
              "value=\"%s\"></label>\n"
              "<label>结束日期（北京时间，含当日）<input type=\"date\" name=\"to\" "
              "value=\"%s\"></label>\n",
              q->from ? q->from : "", q->to ? q->to : "");
  html_raw(b,
           "<button type=\"submit\">查询</button> "
           "<a href=\"/audit\">清除条件</a>\n</form>\n");
}

static void object_cell(Buf *b, const AuditRow *r) {
  if (!*r->object_type && !r->object_id)
    html_raw(b, "<td>—</td>");
  else if (r->object_id)
    html_printf(b, "<td>%s #%lld</td>", r->object_type,
                (long long)r->object_id);
  else
    html_printf(b, "<td>%s</td>", r->object_type);
}

static void result_table(Response *resp, const AuditRow *rows, size_t n) {
  Buf *b = &resp->body;
  html_raw(b,
           "<table class=\"grid audit\"><thead><tr><th>时间（北京时间）</th>"
           "<th>用户</th><th>角色</th><th>来源地址</th><th>操作</th>"
           "<th>对象</th><th>结果</th><th>摘要</th></tr></thead><tbody>\n");
  for (size_t i = 0; i < n; i++) {
    const AuditRow *r = &rows[i];
    char at[20], iso[21];
    time_local(r->at, at);
    time_iso(r->at, iso);
    html_printf(b,
                "<tr id=\"a%lld\"><td><time datetime=\"%s\">%s:%02d</time>"
                "</td><td>%s</td><td>%s</td>"
                "<td>%s</td><td title=\"%s\">%s</td>",
                (long long)r->id, iso, at, (int)(((r->at % 60) + 60) % 60),
                *r->login ? r->login : "—",
                *r->role ? r->role : "—", r->source, r->action,
                action_label(r->action));
    object_cell(b, r);
    html_printf(b, "<td class=\"outcome-%s\">%s</td><td>%s</td></tr>\n",
                audit_outcome_name(r->outcome), outcome_label(r->outcome),
                r->summary);
  }
  html_raw(b, "</tbody></table>\n");
}

static void pager(Response *resp, const Query *q, int64_t total) {
  Buf *b = &resp->body;
  int64_t pages = total == 0 ? 1 : (total + PAGE_SIZE - 1) / PAGE_SIZE;
  Buf link = BUF_INIT;
  html_printf(b, "<p class=\"pager\">第 %lld / %lld 页", (long long)q->page,
              (long long)pages);
  if (q->page > 1) {
    query_string(&link, q, q->page - 1 < pages ? q->page - 1 : pages);
    html_printf(b, " <a href=\"/audit?%s\" rel=\"prev\">上一页</a>",
                buf_str(&link));
  }
  if (q->page < pages) {
    buf_clear(&link);
    query_string(&link, q, q->page + 1);
    html_printf(b, " <a href=\"/audit?%s\" rel=\"next\">下一页</a>",
                buf_str(&link));
  }
  html_raw(b, "</p>\n");
  buf_release(&link);
}

/* ROUTE: GET /audit — search the audit trail. */
void page_audit(Request *req, Response *resp) {
  Buf *b = &resp->body;
  Buf msg = BUF_INIT, desc = BUF_INIT, qs = BUF_INIT;
  const char *field;
  Query q;
  AuditRow *rows = NULL;
  size_t n = 0;
  int64_t total = 0;
  req->audit_object = "audit_log";
  int bad = parse_query(req, &q, 1, &msg, &field) != 0;
  page_begin(req, resp, "审计记录", "audit");
  search_form(req, resp, &q);
  if (bad) {
    page_notice(resp, "error", buf_str(&msg));
    buf_printf(&req->audit_summary, "查询审计记录被拒绝：%s", buf_str(&msg));
    resp->status = 400;
    goto done;
  }
  q.f.limit = PAGE_SIZE;
  q.f.offset = (q.page - 1) * PAGE_SIZE;
  if (audit_search(req->db, &q.f, &rows, &n, &total) != DB_OK) {
    resp_reset(resp);
    web_error(req, resp, 500, "db_error", "读取审计记录失败，请稍后重试", NULL);
    goto done;
  }
  describe_query(&desc, &q);
  buf_printf(&req->audit_summary, "查询审计记录：%s，第 %lld 页，共 %lld 条",
             buf_str(&desc), (long long)q.page, (long long)total);
  html_printf(b,
              "<p class=\"count\">符合条件的记录共 <strong>%lld</strong> 条"
              "（%s）。</p>\n",
              (long long)total, buf_str(&desc));
  if (auth_route_allowed(req, P_AUDIT_EXPORT)) {
    buf_putc(&qs, '?');
    query_string(&qs, &q, 1);
    if (qs.len == 1) buf_clear(&qs); /* no filter: no "?" */
    html_printf(b,
                "<p class=\"actions\">导出：<a href=\"/audit/export.csv%s\">"
                "CSV</a> · <a href=\"/audit/export.xlsx%s\">Excel（XLSX）"
                "</a>（最多 %d 条）</p>\n",
                buf_str(&qs), buf_str(&qs), EXPORT_MAX);
  }
  if (n == 0)
    page_notice(
        resp, "info",
        total ? "本页没有记录，请返回前面的页。" : "没有符合条件的记录。");
  else
    result_table(resp, rows, n);
  pager(resp, &q, total);
  html_raw(
      b,
      "<h2>审计链校验</h2>\n<p class=\"hint\">逐条核对全部审计记录的"
      "校验值链，发现被改动、删除、插入或调换的记录。记录较多时需要一些时间。"
      "</p>\n");
  form_begin(req, resp, "/audit/verify");
  html_raw(b, "<button type=\"submit\">校验审计链</button></form>\n");
done:
  if (resp->status < 500) page_end(req, resp);
  audit_rows_free(rows, n);
  buf_release(&msg);
  buf_release(&desc);
  buf_release(&qs);
}

/* ---- JSON API ---- */

/* ROUTE: GET /api/v1/audit — search the audit trail. */
void api_audit(Request *req, Response *resp) {
  Buf msg = BUF_INIT, desc = BUF_INIT;
  const char *field;
  Query q;
  int64_t page, per_page, total = 0;
  AuditRow *rows = NULL;
  size_t n = 0;
  req->audit_object = "audit_log";
  if (api_paging(req, resp, &page, &per_page) != 0) {
    buf_puts(&req->audit_summary, "查询审计记录被拒绝：分页参数有误");
    goto done;
  }
  if (parse_query(req, &q, 0, &msg, &field) != 0) {
    web_error(req, resp, 400, "bad_parameter", buf_str(&msg), field);
    buf_printf(&req->audit_summary, "查询审计记录被拒绝：%s", buf_str(&msg));
    goto done;
  }
  q.f.limit = per_page;
  q.f.offset = (page - 1) * per_page;
  if (audit_search(req->db, &q.f, &rows, &n, &total) != DB_OK) {
    web_error(req, resp, 500, "db_error", "读取审计记录失败，请稍后重试", NULL);
    goto done;
  }
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) {
    const AuditRow *r = &rows[i];
    json_array_append_new(
        items,
        json_pack("{s:I, s:o, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s}",
                  "id", (json_int_t)r->id, "at", api_time(r->at), "user_id",
                  (json_int_t)r->user_id, "login", r->login, "role", r->role,
                  "source", r->source, "action", r->action, "object_type",
                  r->object_type, "object_id", (json_int_t)r->object_id,
                  "outcome", audit_outcome_name(r->outcome), "summary",
                  r->summary));
  }
  describe_query(&desc, &q);
  buf_printf(&req->audit_summary,
             "查询审计记录（接口）：%s，第 %lld 页，共 %lld 条", buf_str(&desc),
             (long long)page, (long long)total);
  api_json(resp, 200, api_page(items, total, page, per_page));
done:
  audit_rows_free(rows, n);
  buf_release(&msg);
  buf_release(&desc);
}

/* ---- export ---- */

static const ExportColumn export_cols[] = {
    {"编号", 9},      {"时间（北京时间）", 20}, {"用户编号", 9},  {"用户", 14},
    {"角色", 12},     {"来源地址", 16},    {"操作代码", 22}, {"操作", 16},
    {"对象类型", 12}, {"对象编号", 10},    {"结果", 8},      {"摘要", 60},
};

static void export_row(Export *e, const AuditRow *r) {
  export_int(e, r->id);
  export_time(e, r->at);
  export_int(e, r->user_id);
  export_text(e, r->login);
  export_text(e, r->role);
  export_text(e, r->source);
  export_text(e, r->action);
  export_text(e, action_label(r->action));
  export_text(e, r->object_type);
  if (r->object_id)
    export_int(e, r->object_id);
  else
    export_text(e, "");
  export_text(e, outcome_label(r->outcome));
  export_text(e, r->summary);
  export_row_end(e);
}

/* Write every row matching f into e, newest first.  Rows recorded while
** this runs push older rows to later offsets; ids only grow, so a row
** whose id is not below the last one written is such a repeat and is
** skipped.  Returns DB_OK or a DB_E* code. */
static int export_all(Db *db, AuditFilter f, Export *e) {
  int64_t last_id = INT64_MAX;
  f.limit = AUDIT_SEARCH_MAX;
  f.offset = 0;
  for (;;) {
    AuditRow *rows;
    size_t n;
    int rc = audit_search(db, &f, &rows, &n, NULL);
    if (rc != DB_OK) return rc;
    for (size_t i = 0; i < n && export_rows(e) < EXPORT_MAX; i++) {
      if (rows[i].id >= last_id) continue;
      last_id = rows[i].id;
      export_row(e, &rows[i]);
    }
    audit_rows_free(rows, n);
    if ((int64_t)n < f.limit || export_rows(e) >= EXPORT_MAX) return DB_OK;
    f.offset += (int64_t)n;
  }
}

static void audit_export(Request *req, Response *resp, ExportFormat fmt) {
  Buf msg = BUF_INIT, desc = BUF_INIT;
  const char *field;
  const char *name = fmt == EXPORT_XLSX ? "XLSX" : "CSV";
  Query q;
  int64_t total = 0;
  AuditRow *probe = NULL;
  size_t n = 0;
  Export *e = NULL;
  req->audit_object = "audit_log";
  if (parse_query(req, &q, 0, &msg, &field) != 0) {
    web_error(req, resp, 400, "bad_parameter", buf_str(&msg), field);
    buf_printf(&req->audit_summary, "导出审计记录（%s）被拒绝：%s", name,
               buf_str(&msg));
    goto done;
  }
  describe_query(&desc, &q);
  q.f.limit = 1;
  if (audit_search(req->db, &q.f, &probe, &n, &total) != DB_OK) {
    web_error(req, resp, 500, "db_error", "读取审计记录失败，请稍后重试", NULL);
    goto done;
  }
  if (total > EXPORT_MAX) {
    buf_printf(&msg,
               "符合条件的记录共 %lld 条，超过单次导出上限 %d 条。"
               "请缩小时间范围或增加筛选条件后分批导出。",
               (long long)total, EXPORT_MAX);
    web_error(req, resp, 400, "too_many_rows", buf_str(&msg), NULL);
    buf_printf(&req->audit_summary,
               "导出审计记录（%s）被拒绝：%s，共 %lld 条，"
               "超过上限 %d 条",
               name, buf_str(&desc), (long long)total, EXPORT_MAX);
    goto done;
  }
  buf_clear(&msg);
  e = export_begin(fmt, "审计记录", export_cols, JX_COUNT(export_cols), &msg);
  if (!e || export_all(req->db, q.f, e) != DB_OK) {
    web_error(req, resp, 500, "export_failed",
              msg.len ? buf_str(&msg) : "读取审计记录失败，请稍后重试", NULL);
    goto done;
  }
  int64_t rows = export_rows(e);
  if (export_respond(e, resp, "audit", &msg) != 0) {
    e = NULL; /* export_respond freed it */
    web_error(req, resp, 500, "export_failed", buf_str(&msg), NULL);
    goto done;
  }
  e = NULL;
  buf_printf(&req->audit_summary, "导出审计记录（%s）：%s，共 %lld 条", name,
             buf_str(&desc), (long long)rows);
done:
  export_abort(e);
  audit_rows_free(probe, n);
  buf_release(&msg);
  buf_release(&desc);
}

/* ROUTE: GET /audit/export.csv — the matching rows as CSV. */
void page_audit_export_csv(Request *req, Response *resp) {
  audit_export(req, resp, EXPORT_CSV);
}

/* ROUTE: GET /audit/export.xlsx — the matching rows as an Excel workbook. */
void page_audit_export_xlsx(Request *req, Response *resp) {
  audit_export(req, resp, EXPORT_XLSX);
}

/* ---- chain check ---- */

/* ROUTE: POST /audit/verify — walk the whole chain and say whether it is
** intact. */
void page_audit_verify(Request *req, Response *resp) {
  Buf *b = &resp->body;
  Buf why = BUF_INIT, text = BUF_INIT;
  int64_t rows = 0, first_bad = 0;
  req->audit_object = "audit_log";
  /* The walk reads every row.  Inside the dispatcher's transaction
  ** (BEGIN IMMEDIATE on SQLite) it would hold the write lock all that
  ** time and stall every other request's audit record; nothing has been
  ** written yet, so end that transaction, walk outside it (audit_verify
  ** follows rows appended meanwhile), and open a new one for this
  ** request's own audit record. */
  if (db_in_transaction(req->db)) db_commit(req->db);
  int rc = audit_verify(req->db, web_keys(), &rows, &first_bad, &why);
  if (db_begin(req->db) != DB_OK) {
    web_error(req, resp, 503, "db_busy", "数据库繁忙，请稍后重试", NULL);
    buf_puts(&req->audit_summary, "校验审计链：数据库繁忙，未完成");
    goto done;
  }
  if (rc < 0) {
    buf_printf(&text, "校验未能完成：%s", buf_str(&why));
    web_error(req, resp, 500, "verify_failed", buf_str(&text), NULL);
    buf_printf(&req->audit_summary, "校验审计链未能完成：%s", buf_str(&why));
    goto done;
  }
  page_begin(req, resp, "审计链校验", "audit");
  if (rc == 0) {
    buf_printf(&text,
               "审计链完整：共校验 %lld 条记录，未发现改动、删除、插入或调换。",
               (long long)rows);
    page_notice(resp, "ok", buf_str(&text));
    buf_printf(&req->audit_summary, "校验审计链：完整，共 %lld 条",
               (long long)rows);
  } else {
    if (first_bad)
      buf_printf(&text, "审计链校验未通过：第 %lld 条记录异常——%s。",
                 (long long)first_bad, buf_str(&why));
    else
      buf_printf(&text, "审计链校验未通过：%s。", buf_str(&why));
    page_notice(resp, "error", buf_str(&text));
    html_printf(b,
                "<p>此前已逐条核对 %lld 条记录无误。请立即报告安全管理员，"
                "并保全数据库与备份，勿再清理审计记录。</p>\n",
                (long long)rows);
    buf_printf(&req->audit_summary, "校验审计链：未通过，第 %lld 条：%s",
               (long long)first_bad, buf_str(&why));
  }
  html_raw(b, "<p><a href=\"/audit\">返回审计记录</a></p>\n");
  page_end(req, resp);
done:
  buf_release(&why);
  buf_release(&text);
}
