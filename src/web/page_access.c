/* page_access.c: 知悉范围 — requests to widen a record's access list,
** their approval and rejection, revocation, and the access list of a
** record, as HTML forms and as the JSON API (auth/ntk.h has the rules).
**
** A request is accepted the same way whether or not the record exists or
** the requester may see it; only approvers learn which.  Audit objects
** are the request ("access_request") or the grant ("record_access"); the
** summary names the record they concern, never the reason's text (it may
** describe the case). */
#include <stdlib.h>

#include "auth/auth.h"
#include "auth/ntk.h"
#include "web/api.h"
#include "web/html.h"

#define PER_PAGE 50

/* ---- small helpers ---- */

static int parse_id(const char *s, int64_t *out) {
  return s ? str_to_int64(s, 1, INT64_MAX, out) : -1;
}

/* An expiry as typed: "" → 0 (never); "YYYY-MM-DD" → the end of that day
** in 北京时间 (a business date); "YYYY-MM-DD HH:MM" or "…THH:MM" → that
** moment in 北京时间; ISO-8601 UTC "…THH:MM:SSZ" (the API) → that moment.
** 0, or -1 when malformed. */
static int parse_expiry(const char *s, jx_time *out) {
  *out = 0;
  if (!s || !*s) return 0;
  jx_time t;
  if (time_parse_local(s, &t) == 0) {
    *out = strlen(s) == 10 ? t + 86400 : t;
    return 0;
  }
  if (strlen(s) != 20 || time_parse_iso(s, &t) != 0) return -1;
  *out = t;
  return 0;
}

/* "2026-01-05 16:30" (北京时间), or "—" for 0. */
static const char *fmt_time(jx_time t, char out[24]) {
  if (!t) return "—";
  time_local(t, out);
  return out;
}

static const char *status_label(const char *status) {
  if (str_eq(status, "pending")) return "待审批";
  if (str_eq(status, "approved")) return "已批准";
  if (str_eq(status, "rejected")) return "已驳回";
  return status;
}

static const char *state_label(const char *state) {
  if (str_eq(state, "live")) return "有效";
  if (str_eq(state, "expired")) return "已过期";
  if (str_eq(state, "revoked")) return "已撤销";
  return state;
}

/* Who a request or grant is for, for people: "显示名（login）" or
** "部门 CODE". */
static void who_text(Buf *out, const char *login, const char *name,
                     const char *office) {
  if (office && *office)
    buf_printf(out, "部门 %s", office);
  else
    buf_printf(out, "%s（%s）", name, login);
}

/* The page number of ?page= (1 when absent or malformed). */
static int64_t page_number(Request *req) {
  int64_t p;
  const char *v = params_get(&req->query, "page");
  return v && str_to_int64(v, 1, 1000000, &p) == 0 ? p : 1;
}

/* Previous/next links for an HTML list; base_query is "" or
** "status=x&" (already URL-safe). */
static void pager(Response *resp, const char *path, const char *base_query,
                  int64_t page, int64_t total) {
  int64_t pages = (total + PER_PAGE - 1) / PER_PAGE;
  if (pages <= 1) return;
  Buf *b = &resp->body;
  html_printf(b, "<p class=\"pager\">第 %lld / %lld 页 ", (long long)page,
              (long long)pages);
  if (page > 1)
    html_printf(b, "<a href=\"%s?%spage=%lld\">上一页</a> ", path, base_query,
                (long long)(page - 1));
  if (page < pages)
    html_printf(b, "<a href=\"%s?%spage=%lld\">下一页</a>", path, base_query,
                (long long)(page + 1));
  html_raw(b, "</p>\n");
}

/* Sub-navigation of the 知悉范围 pages, by what the user may do. */
static void access_tabs(Request *req, Response *resp) {
  Buf *b = &resp->body;
  html_raw(b, "<p class=\"tabs\">");
  if (auth_route_allowed(req, P_ACCESS_REQUEST))
    html_raw(b, "<a href=\"/access/mine\">我的申请</a> ");
  if (auth_route_allowed(req, P_ACCESS_APPROVE))
    html_raw(b,
             "<a href=\"/access/requests\">待审批</a> "
             "<a href=\"/access/requests?status=approved\">已批准</a> "
             "<a href=\"/access/requests?status=rejected\">已驳回</a> "
             "<a href=\"/access/grants\">查询知悉范围</a>");
  html_raw(b, "</p>\n");
}

/* ---- GET /access/mine ---- */

/* The requester's page: the request form (refilled after an error) and
** their requests. */
static void mine_page(Request *req, Response *resp, const char *error) {
  Buf *b = &resp->body;
  NtkRequest *rows = NULL;
  size_t n = 0;
  int64_t total = 0, page = page_number(req);
  page_begin(req, resp, "知悉范围申请", "access");
  access_tabs(req, resp);
  int64_t sub;
  if (!error && parse_id(params_get(&req->query, "submitted"), &sub) == 0)
    html_printf(
        b,
        "<p class=\"notice ok\" role=\"status\">申请已提交（编号 %lld），"
        "请等待审批。</p>\n",
        (long long)sub);
  if (error) page_notice(resp, "error", error);
  const char *ot = error ? req_param(req, "object_type") : NULL;
  const char *oid = error ? req_param(req, "object_id") : NULL;
  const char *fu = error ? req_param(req, "for_user") : NULL;
  const char *fo = error ? req_param(req, "for_office") : NULL;
  const char *rs = error ? req_param(req, "reason") : NULL;
  html_raw(b, "<h2>提交申请</h2>\n");
  form_begin(req, resp, "/access/requests");
  html_printf(b,
              "\n<label>对象类型<input name=\"object_type\" required "
              "maxlength=\"32\" pattern=\"[a-z][a-z0-9_]*\" value=\"%s\" "
              "placeholder=\"如 clue\"></label>\n"
              "<label>对象编号<input name=\"object_id\" type=\"number\" "
              "min=\"1\" required value=\"%s\"></label>\n"
              "<label>为他人申请（登录名，可选）<input name=\"for_user\" "
              "maxlength=\"32\" value=\"%s\"></label>\n"
              "<label>或为部门申请（部门代码，可选）<input name=\"for_office\" "
              "maxlength=\"63\" value=\"%s\"></label>\n"
              "<label>申请理由<textarea name=\"reason\" required "
              "maxlength=\"500\" rows=\"3\">%s</textarea></label>\n",
              ot ? ot : "", oid ? oid : "", fu ? fu : "", fo ? fo : "",
              rs ? rs : "");
  html_raw(b,
           "<p class=\"hint\">不填授权对象即为本人申请。申请一律受理，"
           "由审批人核实后决定；审批结果在下方列表中查看。</p>\n"
           "<button type=\"submit\">提交申请</button>\n</form>\n");

  html_raw(b, "<h2>我的申请</h2>\n");
  if (ntk_requests_mine(req->db, req->user_id, PER_PAGE, (page - 1) * PER_PAGE,
                        &rows, &n, &total) != DB_OK) {
    page_notice(resp, "error", "读取申请列表失败，请稍后重试");
  } else if (total == 0) {
    html_raw(b, "<p class=\"hint\">暂无申请。</p>\n");
  } else {
    html_raw(b,
             "<table class=\"grid\"><thead><tr><th>编号</th><th>对象</th>"
             "<th>授权对象</th><th>理由</th><th>状态</th><th>审批人</th>"
             "<th>审批时间（北京时间）</th><th>审批意见</th>"
             "<th>提交时间（北京时间）</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < n; i++) {
      NtkRequest *r = &rows[i];
      Buf who = BUF_INIT;
      char t1[24], t2[24];
      who_text(&who, r->for_login, r->for_name, r->for_office);
      html_printf(b,
                  "<tr><td>%lld</td><td>%s #%lld</td><td>%s</td><td>%s</td>"
                  "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                  "</tr>\n",
                  (long long)r->id, ntk_type_label(r->object_type),
                  (long long)r->object_id, buf_str(&who), r->reason,
                  status_label(r->status),
                  r->decided_by ? r->decided_by_name : "—",
                  fmt_time(r->decided_at, t1), r->decision_note,
                  fmt_time(r->created_at, t2));
      buf_release(&who);
    }
    html_raw(b, "</tbody></table>\n");
    pager(resp, "/access/mine", "", page, total);
  }
  ntk_requests_free(rows, n);
  page_end(req, resp);
}

/* ROUTE: GET /access/mine — my requests and the form for a new one. */
void page_access_mine(Request *req, Response *resp) {
  mine_page(req, resp, NULL);
}

/* Audit details of a filed request. */
static void note_request(Request *req, int64_t id, const NtkRequestIn *in) {
  req->audit_object = "access_request";
  req->audit_object_id = id;
  buf_printf(&req->audit_summary, "申请知悉范围：对象 %s#%lld，授权给%s%s",
             in->object_type ? in->object_type : "", (long long)in->object_id,
             in->for_office && *in->for_office ? "部门 "
             : in->for_login && *in->for_login ? "用户 "
                                               : "本人",
             in->for_office && *in->for_office ? in->for_office
             : in->for_login && *in->for_login ? in->for_login
                                               : "");
}

/* ROUTE: POST /access/requests — file a request (any business user). */
void page_access_request_post(Request *req, Response *resp) {
  NtkSubject who;
  NtkRequestIn in = {0};
  Buf err = BUF_INIT;
  int64_t id = 0;
  ntk_subject_from_request(req, &who);
  in.object_type = req_param(req, "object_type");
  in.for_login = req_param(req, "for_user");
  in.for_office = req_param(req, "for_office");
  in.reason = req_param(req, "reason");
  NtkResult r;
  if (parse_id(req_param(req, "object_id"), &in.object_id) != 0) {
    buf_puts(&err, "对象编号应为正整数");
    r = NTK_EINVALID;
  } else {
    r = ntk_request(req->db, &who, &in, &id, NULL, &err);
  }
  note_request(req, id, &in);
  if (r != NTK_OK) {
    mine_page(req, resp, buf_str(&err));
    resp->status = ntk_http_status(r);
    buf_release(&err);
    return;
  }
  char loc[64];
  snprintf(loc, sizeof loc, "/access/mine?submitted=%lld", (long long)id);
  resp_redirect(resp, loc);
}

/* ---- GET /access/requests (approvers) ---- */

/* The status filter of ?status=: "pending" by default, "" for "all". */
static const char *status_filter(Request *req) {
  const char *s = params_get(&req->query, "status");
  if (str_eq(s, "approved") || str_eq(s, "rejected") || str_eq(s, "all"))
    return str_eq(s, "all") ? "" : s;
  return "pending";
}

/* Existence of the object, for the approver. */
static const char *exists_label(Db *db, const NtkRequest *r) {
  int e = ntk_object_exists(db, r->object_type, r->object_id);
  return e == 1 ? "存在" : e == 0 ? "不存在" : "无法核实";
}

static void requests_page(Request *req, Response *resp, const char *error,
                          int status) {
  Buf *b = &resp->body;
  NtkSubject who;
  NtkRequest *rows = NULL;
  size_t n = 0;
  int64_t total = 0, page = page_number(req);
  const char *filter = status_filter(req);
  ntk_subject_from_request(req, &who);
  page_begin(req, resp, "知悉范围审批", "access_approve");
  access_tabs(req, resp);
  const char *done = params_get(&req->query, "done");
  if (error)
    page_notice(resp, "error", error);
  else if (str_eq(done, "approved"))
    page_notice(resp, "ok", "已批准，授权已生效。");
  else if (str_eq(done, "rejected"))
    page_notice(resp, "ok", "已驳回。");
  html_printf(b, "<h2>%s</h2>\n", !*filter ? "全部申请" : status_label(filter));
  if (ntk_requests_for_approver(req->db, &who, filter, PER_PAGE,
                                (page - 1) * PER_PAGE, &rows, &n,
                                &total) != DB_OK) {
    page_notice(resp, "error", "读取申请列表失败，请稍后重试");
    goto out;
  }
  if (total == 0) {
    html_raw(b, "<p class=\"hint\">没有符合条件的申请。</p>\n");
    goto out;
  }
  html_raw(b,
           "<table class=\"grid\"><thead><tr><th>编号</th><th>对象</th>"
           "<th>对象核实</th><th>申请人</th><th>授权对象</th><th>理由</th>"
           "<th>提交时间（北京时间）</th><th>状态 / 处理</th></tr></thead>"
           "<tbody>\n");
  for (size_t i = 0; i < n; i++) {
    NtkRequest *r = &rows[i];
    Buf whom = BUF_INIT, url = BUF_INIT;
    char t1[24], t2[24], action[80];
    who_text(&whom, r->for_login, r->for_name, r->for_office);
    buf_puts(&url, "/access/grants?object_type=");
    url_encode(&url, r->object_type);
    buf_printf(&url, "&object_id=%lld", (long long)r->object_id);
    html_printf(b,
                "<tr><td>%lld</td><td>%s #%lld<br><a href=\"%s\">知悉范围</a>"
                "</td><td>%s</td><td>%s（%s）</td><td>%s</td><td>%s</td>"
                "<td>%s</td><td>",
                (long long)r->id, ntk_type_label(r->object_type),
                (long long)r->object_id, buf_str(&url),
                exists_label(req->db, r), r->requester_name, r->requester_login,
                buf_str(&whom), r->reason, fmt_time(r->created_at, t1));
    if (str_eq(r->status, "pending")) {
      snprintf(action, sizeof action, "/access/requests/%lld/approve",
               (long long)r->id);
      form_begin(req, resp, action);
      html_raw(b,
               "<input name=\"note\" maxlength=\"500\" "
               "placeholder=\"审批意见（可选）\" aria-label=\"审批意见\">"
               "<input name=\"expires\" type=\"date\" "
               "aria-label=\"有效期至（含当日，北京时间，可不填）\">"
               "<button type=\"submit\">批准</button></form> ");
      snprintf(action, sizeof action, "/access/requests/%lld/reject",
               (long long)r->id);
      form_begin(req, resp, action);
      html_raw(b,
               "<input name=\"note\" maxlength=\"500\" required "
               "placeholder=\"驳回理由\" aria-label=\"驳回理由\">"
               "<button type=\"submit\">驳回</button></form>");
    } else {
      html_printf(b, "%s：%s，%s<br>%s", status_label(r->status),
                  r->decided_by_name, fmt_time(r->decided_at, t2),
                  r->decision_note);
    }
    html_raw(b, "</td></tr>\n");
    buf_release(&whom);
    buf_release(&url);
  }
  html_raw(b, "</tbody></table>\n");
  pager(resp, "/access/requests",
        !*filter                     ? "status=all&"
        : str_eq(filter, "approved") ? "status=approved&"
        : str_eq(filter, "rejected") ? "status=rejected&"
                                     : "",
        page, total);
out:
  ntk_requests_free(rows, n);
  page_end(req, resp);
  if (status) resp->status = status;
}

/* ROUTE: GET /access/requests — the approver's queue. */
void page_access_requests(Request *req, Response *resp) {
  requests_page(req, resp, NULL, 0);
}

/* Audit details of a decision on request id (r may be NULL: not found). */
static void note_decision(Request *req, int64_t id, int approve,
                          const NtkRequest *r) {
  req->audit_object = "access_request";
  req->audit_object_id = id;
  if (!r || !r->object_type) {
    buf_printf(&req->audit_summary, "%s知悉范围申请 #%lld",
               approve ? "批准" : "驳回", (long long)id);
    return;
  }
  buf_printf(&req->audit_summary, "%s知悉范围申请 #%lld：对象 %s#%lld，授权给",
             approve ? "批准" : "驳回", (long long)id, r->object_type,
             (long long)r->object_id);
  who_text(&req->audit_summary, r->for_login, r->for_name, r->for_office);
  if (approve && r->grant_id)
    buf_printf(&req->audit_summary, "，授权记录 #%lld", (long long)r->grant_id);
}

/* Decide the request of path argument 0.  Returns the NtkResult; out
** holds the decided request on NTK_OK. */
static NtkResult decide_request(Request *req, int approve, const char *note,
                                jx_time expires, NtkRequest *out, Buf *err) {
  NtkSubject who;
  int64_t id = 0;
  memset(out, 0, sizeof *out);
  if (parse_id(req_arg(req, 0), &id) != 0) {
    buf_puts(err, "申请不存在");
    note_decision(req, 0, approve, NULL);
    return NTK_ENOTFOUND;
  }
  ntk_subject_from_request(req, &who);
  NtkResult r = ntk_decide(req->db, &who, id, approve, note, expires, out, err);
  if (r == NTK_OK) {
    note_decision(req, id, approve, out);
  } else {
    /* Name the record in the audit trail even for a refusal. */
    NtkRequest seen;
    int known = ntk_request_get(req->db, id, &seen) == DB_OK;
    note_decision(req, id, approve, known ? &seen : NULL);
    ntk_request_clear(&seen);
  }
  return r;
}

/* POST approve/reject from the HTML queue. */
static void decide_html(Request *req, Response *resp, int approve) {
  Buf err = BUF_INIT;
  NtkRequest out;
  jx_time expires = 0;
  NtkResult r;
  if (approve && parse_expiry(req_param(req, "expires"), &expires) != 0) {
    int64_t id = 0;
    memset(&out, 0, sizeof out);
    parse_id(req_arg(req, 0), &id);
    buf_puts(&err, "有效期格式应为 YYYY-MM-DD（北京时间）");
    note_decision(req, id, approve, NULL);
    r = NTK_EINVALID;
  } else {
    r = decide_request(req, approve, req_param(req, "note"), expires, &out,
                       &err);
  }
  if (r != NTK_OK) {
    requests_page(req, resp, buf_str(&err), ntk_http_status(r));
  } else {
    resp_redirect(resp, approve ? "/access/requests?done=approved"
                                : "/access/requests?done=rejected");
  }
  ntk_request_clear(&out);
  buf_release(&err);
}

/* ROUTE: POST /access/requests/{id}/approve */
void page_access_approve(Request *req, Response *resp) {
  decide_html(req, resp, 1);
}

/* ROUTE: POST /access/requests/{id}/reject */
void page_access_reject(Request *req, Response *resp) {
  decide_html(req, resp, 0);
}

/* ---- the access list of one record (approvers) ---- */

/* Parse ?object_type=&object_id= (or the form's); 1 when both are given
** and valid, 0 when both are absent, -1 when malformed. */
static int object_params(Request *req, const char **type, int64_t *id) {
  *type = req_param(req, "object_type");
  const char *sid = req_param(req, "object_id");
  if ((!*type || !**type) && (!sid || !*sid)) return 0;
  if (!ntk_type_valid(*type) || parse_id(sid, id) != 0) return -1;
  return 1;
}

/* Audit details of a look at a record's access list. */
static void note_list(Request *req, const char *type, int64_t id) {
  req->audit_object = type;
  req->audit_object_id = id;
  buf_printf(&req->audit_summary, "查看知悉范围：对象 %s#%lld", type,
             (long long)id);
}

static void grants_page(Request *req, Response *resp, const char *error,
                        int status) {
  Buf *b = &resp->body;
  NtkSubject who;
  NtkGrant *rows = NULL;
  size_t n = 0;
  const char *type = NULL;
  int64_t id = 0;
  int have = object_params(req, &type, &id);
  ntk_subject_from_request(req, &who);
  page_begin(req, resp, "知悉范围查询", "access_approve");
  access_tabs(req, resp);
  if (error) page_notice(resp, "error", error);
  if (params_get(&req->query, "revoked") && !error)
    page_notice(resp, "ok", "授权已撤销。");
  html_printf(b,
              "<form method=\"get\" action=\"/access/grants\">"
              "<label>对象类型<input name=\"object_type\" required "
              "maxlength=\"32\" value=\"%s\"></label>"
              "<label>对象编号<input name=\"object_id\" type=\"number\" "
              "min=\"1\" required value=\"%s\"></label>"
              "<button type=\"submit\">查询</button></form>\n",
              type ? type : "",
              req_param(req, "object_id") ? req_param(req, "object_id") : "");
  if (have < 0) {
    page_notice(resp, "error", "对象类型或编号格式不正确");
    if (!status) status = 400;
    goto out;
  }
  if (have == 0) goto out;
  note_list(req, type, id);
  if (!ntk_may_approve(req->db, &who, type, id)) {
    page_notice(resp, "error", "对象不存在");
    if (!status) status = 404;
    goto out;
  }
  html_printf(b, "<h2>%s #%lld 的知悉范围</h2>\n", ntk_type_label(type),
              (long long)id);
  if (ntk_list(req->db, type, id, &rows, &n) != DB_OK) {
    page_notice(resp, "error", "读取知悉范围失败，请稍后重试");
    goto out;
  }
  if (n == 0) {
    html_raw(b, "<p class=\"hint\">该对象没有任何知悉范围记录。</p>\n");
    goto out;
  }
  html_raw(b,
           "<table class=\"grid\"><thead><tr><th>编号</th><th>知悉人</th>"
           "<th>理由</th><th>提出人</th><th>批准人</th>"
           "<th>授予时间（北京时间）</th><th>有效期至（北京时间）</th><th>状态</th>"
           "<th>撤销</th></tr></thead><tbody>\n");
  for (size_t i = 0; i < n; i++) {
    NtkGrant *g = &rows[i];
    Buf whom = BUF_INIT;
    char t1[24], t2[24], t3[24], action[80];
    who_text(&whom, g->user_login, g->user_name, g->office_code);
    html_printf(b,
                "<tr><td>%lld</td><td>%s</td><td>%s</td><td>%s</td>"
                "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>",
                (long long)g->id, buf_str(&whom), g->reason, g->granted_by_name,
                g->approved_by ? g->approved_by_name : "（创建时列入）",
                fmt_time(g->granted_at, t1),
                g->expires_at ? fmt_time(g->expires_at, t2) : "长期",
                state_label(ntk_grant_state(g, who.now)));
    if (g->revoked_at) {
      html_printf(b, "%s，%s：%s", g->revoked_by_name,
                  fmt_time(g->revoked_at, t3), g->revoke_reason);
    } else {
      snprintf(action, sizeof action, "/access/grants/%lld/revoke",
               (long long)g->id);
      form_begin(req, resp, action);
      html_raw(b,
               "<input name=\"reason\" maxlength=\"500\" required "
               "placeholder=\"撤销理由\" aria-label=\"撤销理由\">"
               "<button type=\"submit\">撤销</button></form>");
    }
    html_raw(b, "</td></tr>\n");
    buf_release(&whom);
  }
  html_raw(b, "</tbody></table>\n");
out:
  ntk_grants_free(rows, n);
  page_end(req, resp);
  if (status) resp->status = status;
}

/* ROUTE: GET /access/grants — look up a record's access list. */
void page_access_grants(Request *req, Response *resp) {
  grants_page(req, resp, NULL, 0);
}

/* Audit details of a revocation of grant id (g may be NULL). */
static void note_revoke(Request *req, int64_t id, const NtkGrant *g) {
  req->audit_object = "record_access";
  req->audit_object_id = id;
  buf_printf(&req->audit_summary, "撤销知悉范围授权 #%lld", (long long)id);
  if (!g || !g->object_type) return;
  buf_printf(&req->audit_summary, "：对象 %s#%lld，知悉人", g->object_type,
             (long long)g->object_id);
  who_text(&req->audit_summary, g->user_login, g->user_name, g->office_code);
}

/* Revoke the grant of path argument 0. */
static NtkResult revoke_grant(Request *req, const char *reason, NtkGrant *out,
                              Buf *err) {
  NtkSubject who;
  int64_t id = 0;
  memset(out, 0, sizeof *out);
  if (parse_id(req_arg(req, 0), &id) != 0) {
    note_revoke(req, 0, NULL);
    buf_puts(err, "授权记录不存在");
    return NTK_ENOTFOUND;
  }
  ntk_subject_from_request(req, &who);
  NtkResult r = ntk_revoke(req->db, &who, id, reason, out, err);
  note_revoke(req, id, r == NTK_OK ? out : NULL);
  return r;
}

/* ROUTE: POST /access/grants/{id}/revoke */
void page_access_revoke(Request *req, Response *resp) {
  Buf err = BUF_INIT;
  NtkGrant g;
  NtkResult r = revoke_grant(req, req_param(req, "reason"), &g, &err);
  if (r != NTK_OK) {
    web_error(req, resp, ntk_http_status(r),
              r == NTK_ENOTFOUND ? "not_found" : "revoke_refused",
              buf_str(&err), NULL);
  } else {
    Buf loc = BUF_INIT;
    buf_puts(&loc, "/access/grants?object_type=");
    url_encode(&loc, g.object_type);
    buf_printf(&loc, "&object_id=%lld&revoked=1", (long long)g.object_id);
    resp_redirect(resp, buf_str(&loc));
    buf_release(&loc);
  }
  ntk_grant_clear(&g);
  buf_release(&err);
}

/* ---- JSON API ---- */

static json_t *user_ref(int64_t id, const char *login, const char *name) {
  if (!id) return json_null();
  return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "login",
                   login ? login : "", "display_name", name ? name : "");
}

static json_t *request_json(const NtkRequest *r) {
  return json_pack(
      "{s:I, s:s, s:I, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:s, s:o, s:o}", "id",
      (json_int_t)r->id, "object_type", r->object_type, "object_id",
      (json_int_t)r->object_id, "requester",
      user_ref(r->requester_id, r->requester_login, r->requester_name),
      "for_user", user_ref(r->for_user_id, r->for_login, r->for_name),
      "for_office", r->for_office[0] ? json_string(r->for_office) : json_null(),
      "reason", r->reason, "status", r->status, "decided_by",
      r->decided_by ? json_pack("{s:I, s:s}", "id", (json_int_t)r->decided_by,
                                "display_name", r->decided_by_name)
                    : json_null(),
      "decided_at", api_time(r->decided_at), "decision_note", r->decision_note,
      "grant_id", r->grant_id ? json_integer(r->grant_id) : json_null(),
      "created_at", api_time(r->created_at));
}

static json_t *person(int64_t id, const char *name) {
  return id ? json_pack("{s:I, s:s}", "id", (json_int_t)id, "display_name",
                        name)
            : json_null();
}

static json_t *grant_json(const NtkGrant *g, jx_time now) {
  return json_pack(
      "{s:I, s:s, s:I, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
      "s:s, s:s}",
      "id", (json_int_t)g->id, "object_type", g->object_type, "object_id",
      (json_int_t)g->object_id, "user",
      user_ref(g->user_id, g->user_login, g->user_name), "office",
      g->office_code[0] ? json_string(g->office_code) : json_null(), "reason",
      g->reason, "granted_by", person(g->granted_by, g->granted_by_name),
      "approved_by", person(g->approved_by, g->approved_by_name), "request_id",
      g->request_id ? json_integer(g->request_id) : json_null(), "granted_at",
      api_time(g->granted_at), "expires_at", api_time(g->expires_at),
      "revoked_at", api_time(g->revoked_at), "revoked_by",
      person(g->revoked_by, g->revoked_by_name), "revoke_reason",
      g->revoke_reason, "state", ntk_grant_state(g, now));
}

/* An optional string member of the JSON body: 0 with *out (NULL when
** absent or null), or -1 after rendering a 400 when it is not a string. */
static int opt_string(Request *req, Response *resp, const char *field,
                      const char **out) {
  json_t *v = req->json ? json_object_get(req->json, field) : NULL;
  *out = NULL;
  if (!v || json_is_null(v)) return 0;
  if (!json_is_string(v)) {
    char msg[96];
    snprintf(msg, sizeof msg, "字段 %s 的类型应为字符串", field);
    web_error(req, resp, 400, "bad_field", msg, field);
    return -1;
  }
  *out = json_string_value(v);
  return 0;
}

/* Render a refused NtkResult as the JSON error shape. */
static void ntk_error(Request *req, Response *resp, NtkResult r, const Buf *err,
                      const char *field) {
  static const char *codes[] = {"ok",        "invalid",  "not_found",
                                "forbidden", "conflict", "db_error"};
  web_error(req, resp, ntk_http_status(r),
            r >= 0 && r < (int)JX_COUNT(codes) ? codes[r] : "error",
            buf_str(err), field);
}

/* ROUTE: GET /api/v1/access/mine — my requests. */
void api_access_mine(Request *req, Response *resp) {
  int64_t page, per_page, total = 0;
  NtkRequest *rows = NULL;
  size_t n = 0;
  if (api_paging(req, resp, &page, &per_page) != 0) return;
  if (ntk_requests_mine(req->db, req->user_id, per_page, (page - 1) * per_page,
                        &rows, &n, &total) != DB_OK) {
    web_error(req, resp, 500, "db_error", "读取申请列表失败，请稍后重试", NULL);
    return;
  }
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(items, request_json(&rows[i]));
  ntk_requests_free(rows, n);
  api_json(resp, 200, api_page(items, total, page, per_page));
}

/* ROUTE: POST /api/v1/access/requests — file a request. */
void api_access_request_create(Request *req, Response *resp) {
  NtkSubject who;
  NtkRequestIn in = {0};
  Buf err = BUF_INIT;
  int64_t id = 0;
  const char *field = NULL;
  json_t *oid = req->json ? json_object_get(req->json, "object_id") : NULL;
  in.object_type = api_string(req, resp, "object_type");
  if (!in.object_type) return;
  if (!json_is_integer(oid) || json_integer_value(oid) <= 0) {
    web_error(req, resp, 400, "invalid", "对象编号应为正整数", "object_id");
    return;
  }
  in.object_id = json_integer_value(oid);
  in.reason = api_string(req, resp, "reason");
  if (!in.reason || opt_string(req, resp, "for_user", &in.for_login) != 0 ||
      opt_string(req, resp, "for_office", &in.for_office) != 0)
    return;
  ntk_subject_from_request(req, &who);
  NtkResult r = ntk_request(req->db, &who, &in, &id, &field, &err);
  note_request(req, id, &in);
  if (r != NTK_OK) {
    ntk_error(req, resp, r, &err, field);
    buf_release(&err);
    return;
  }
  NtkRequest out;
  if (ntk_request_get(req->db, id, &out) != DB_OK) {
    web_error(req, resp, 500, "db_error", "读取申请失败", NULL);
    return;
  }
  api_json(resp, 201, request_json(&out));
  ntk_request_clear(&out);
}

/* ROUTE: GET /api/v1/access/requests — the approver's queue
** (?status=pending|approved|rejected|all, default pending). */
void api_access_requests(Request *req, Response *resp) {
  NtkSubject who;
  int64_t page, per_page, total = 0;
  NtkRequest *rows = NULL;
  size_t n = 0;
  const char *s = params_get(&req->query, "status");
  if (s && !str_eq(s, "pending") && !str_eq(s, "approved") &&
      !str_eq(s, "rejected") && !str_eq(s, "all")) {
    web_error(req, resp, 400, "bad_parameter",
              "参数 status 应为 pending、approved、rejected 或 all", "status");
    return;
  }
  if (api_paging(req, resp, &page, &per_page) != 0) return;
  ntk_subject_from_request(req, &who);
  if (ntk_requests_for_approver(req->db, &who, status_filter(req), per_page,
                                (page - 1) * per_page, &rows, &n,
                                &total) != DB_OK) {
    web_error(req, resp, 500, "db_error", "读取申请列表失败，请稍后重试", NULL);
    return;
  }
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *o = request_json(&rows[i]);
    int e = ntk_object_exists(req->db, rows[i].object_type, rows[i].object_id);
    json_object_set_new(o, "object_exists",
                        e < 0 ? json_null() : json_boolean(e));
    json_array_append_new(items, o);
  }
  ntk_requests_free(rows, n);
  api_json(resp, 200, api_page(items, total, page, per_page));
}

/* POST approve/reject on the JSON API. */
static void decide_api(Request *req, Response *resp, int approve) {
  const char *note = NULL, *exp = NULL;
  jx_time expires = 0;
  Buf err = BUF_INIT;
  if (opt_string(req, resp, "note", &note) != 0) return;
  if (approve && (opt_string(req, resp, "expires_at", &exp) != 0)) return;
  if (parse_expiry(exp, &expires) != 0) {
    int64_t id = 0;
    parse_id(req_arg(req, 0), &id);
    note_decision(req, id, approve, NULL);
    web_error(req, resp, 400, "invalid",
              "有效期应为 YYYY-MM-DD（北京时间）或 YYYY-MM-DDTHH:MM:SSZ", "expires_at");
    return;
  }
  NtkRequest out;
  NtkResult r = decide_request(req, approve, note, expires, &out, &err);
  if (r != NTK_OK) {
    ntk_error(req, resp, r, &err,
              r == NTK_EINVALID ? (approve ? "expires_at" : "note") : NULL);
  } else {
    api_json(resp, 200, request_json(&out));
  }
  ntk_request_clear(&out);
  buf_release(&err);
}

/* ROUTE: POST /api/v1/access/requests/{id}/approve */
void api_access_approve(Request *req, Response *resp) {
  decide_api(req, resp, 1);
}

/* ROUTE: POST /api/v1/access/requests/{id}/reject */
void api_access_reject(Request *req, Response *resp) {
  decide_api(req, resp, 0);
}

/* ROUTE: GET /api/v1/access/grants — a record's access list
** (?object_type=&object_id=, both required). */
void api_access_grants(Request *req, Response *resp) {
  NtkSubject who;
  NtkGrant *rows = NULL;
  size_t n = 0;
  const char *type = NULL;
  int64_t id = 0, page, per_page;
  if (api_paging(req, resp, &page, &per_page) != 0) return;
  if (object_params(req, &type, &id) != 1) {
    web_error(req, resp, 400, "bad_parameter",
              "须给出 object_type（小写代码）与 object_id（正整数）",
              "object_type");
    return;
  }
  note_list(req, type, id);
  ntk_subject_from_request(req, &who);
  if (!ntk_may_approve(req->db, &who, type, id)) {
    web_error(req, resp, 404, "not_found", "对象不存在", NULL);
    return;
  }
  if (ntk_list(req->db, type, id, &rows, &n) != DB_OK) {
    web_error(req, resp, 500, "db_error", "读取知悉范围失败，请稍后重试", NULL);
    return;
  }
  /* Access lists are short: read whole, page in memory. */
  json_t *items = json_array();
  for (size_t i = (size_t)((page - 1) * per_page);
       i < n && (int64_t)json_array_size(items) < per_page; i++)
    json_array_append_new(items, grant_json(&rows[i], who.now));
  ntk_grants_free(rows, n);
  api_json(resp, 200, api_page(items, (int64_t)n, page, per_page));
}

/* ROUTE: POST /api/v1/access/grants/{id}/revoke */
void api_access_revoke(Request *req, Response *resp) {
  const char *reason = NULL;
  Buf err = BUF_INIT;
  NtkGrant g;
  if (opt_string(req, resp, "reason", &reason) != 0) return;
  NtkResult r = revoke_grant(req, reason, &g, &err);
  if (r != NTK_OK)
    ntk_error(req, resp, r, &err, r == NTK_EINVALID ? "reason" : NULL);
  else
    api_json(resp, 200, grant_json(&g, jx_now()));
  ntk_grant_clear(&g);
  buf_release(&err);
}
