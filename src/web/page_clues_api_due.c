/* page_clues_api_due.c: the clue JSON API's feedback (反馈), 督办 notices,
** the inbox and the deadline lists (件件有督办、件件有回音).  The rules are
** domain/clue_due.h's; need-to-know as in page_clues_api.c. */
#include <stdlib.h>
#include <string.h>

#include "domain/clue_flow.h"
#include "domain/settings.h"
#include "web/api.h"
#include "web/page_clues_api.h"
#include "web/page_rounds.h"
#include "web/pages.h"

static const char *notice_kind_label(const char *k) {
  return str_eq(k, "escalation") ? "挂牌督办"
         : str_eq(k, "reminder") ? "提醒"
                                 : k;
}

static json_t *notice_json(const ClueNotice *n) {
  const ClueDueRule *r = n->rule && *n->rule ? clue_due_rule(n->rule) : NULL;
  return json_pack(
      "{s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o, "
      "s:o, s:b}",
      "id", (json_int_t)n->id, "clue_id", (json_int_t)n->clue_id, "clue_code",
      n->clue_code ? n->clue_code : "", "kind", n->kind ? n->kind : "",
      "kind_label", notice_kind_label(n->kind), "rule", rw_opt_text(n->rule),
      "rule_label", r ? json_string(r->label) : json_null(), "to_office",
      rw_opt_text(n->to_office), "to_user_name", rw_opt_text(n->to_user_name),
      "text", n->text ? n->text : "", "due_on", rw_opt_text(n->due_on),
      "from_name", rw_opt_text(n->from_name), "created_at",
      api_time(n->created_at), "read_at", api_time(n->read_at), "read",
      n->read_at != 0);
}

static json_t *feedback_json(const ClueFeedback *f) {
  return json_pack(
      "{s:I, s:I, s:o, s:s, s:s, s:o, s:b, s:o}", "id", (json_int_t)f->id,
      "seq", (json_int_t)f->seq, "due_on", rw_opt_text(f->due_on), "sent_on",
      f->sent_on ? f->sent_on : "", "content", f->content ? f->content : "",
      "by_name", rw_opt_text(f->by_name), "final", f->final, "created_at",
      api_time(f->created_at));
}

/* The clue of path argument 0 for v, or a 404 rendered. */

/* ---- feedback ---- */

static json_t *feedback_array(Request *req, const ClueViewer *v, int64_t id,
                              ClueResult *r) {
  ClueFeedback *f = NULL;
  size_t n = 0;
  *r = clue_feedback_list(req->db, v, id, &f, &n);
  if (*r != CLUE_OK) return NULL;
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(items, feedback_json(&f[i]));
  clue_feedback_free(f, n);
  return items;
}

/* ROUTE: GET /api/v1/clues/{id}/feedback */
void api_clue_feedback(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  ClueResult r;
  if (ca_viewer(req, resp, &v) != 0) return;
  if (ca_clue_of_path(req, resp, &v, &c) != 0) goto out;
  ca_note(req, c.id, c.code, "查看反馈");
  json_t *items = feedback_array(req, &v, c.id, &r);
  if (!items)
    ca_fail(req, resp, r, NULL, NULL);
  else
    api_json(resp, 200,
             json_pack("{s:I, s:s, s:o}", "clue_id", (json_int_t)c.id, "code",
                       c.code, "items", items));
out:
  clue_clear(&c);
}

/* ROUTE: POST /api/v1/clues/{id}/feedback — {"date", "text"}: the
** "feedback" action (who may is the flow table's); 201 with the list. */
void api_clue_feedback_add(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  ClueActIn in = {0};
  Buf err = BUF_INIT;
  const char *field = NULL;
  int64_t event_id = 0;
  ClueResult r;
  if (ca_viewer(req, resp, &v) != 0) return;
  if (ca_clue_of_path(req, resp, &v, &c) != 0) goto out;
  ca_note(req, c.id, c.code, "报送反馈");
  if (rw_opt_string(req, resp, "date", &in.date) != 0 ||
      rw_opt_string(req, resp, "text", &in.text) != 0)
    goto out;
  r = clue_act(req->db, &v, c.id, "feedback", &in, &event_id, &field, &err);
  if (r != CLUE_OK) {
    ca_fail(req, resp, r, &err, field);
    goto out;
  }
  json_t *items = feedback_array(req, &v, c.id, &r);
  if (!items)
    ca_fail(req, resp, r, NULL, NULL);
  else
    api_json(
        resp, 201,
        json_pack("{s:I, s:s, s:I, s:o}", "clue_id", (json_int_t)c.id, "code",
                  c.code, "event_id", (json_int_t)event_id, "items", items));
out:
  clue_clear(&c);
  buf_release(&err);
}

/* ---- 督办 notices and the inbox ---- */

/* ROUTE: GET /api/v1/clues/{id}/notices — the clue's 督办 history. */
void api_clue_notices(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  ClueNotice *ns = NULL;
  size_t n = 0;
  if (ca_viewer(req, resp, &v) != 0) return;
  if (ca_clue_of_path(req, resp, &v, &c) != 0) goto out;
  ca_note(req, c.id, c.code, "查看督办记录");
  ClueResult r = clue_notices_of(req->db, &v, c.id, &ns, &n);
  if (r != CLUE_OK) {
    ca_fail(req, resp, r, NULL, NULL);
    goto out;
  }
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(items, notice_json(&ns[i]));
  clue_notices_free(ns, n);
  api_json(resp, 200,
           json_pack("{s:I, s:s, s:o}", "clue_id", (json_int_t)c.id, "code",
                     c.code, "items", items));
out:
  clue_clear(&c);
}

/* ROUTE: POST /api/v1/clues/{id}/notices — {"kind", "rule", "to_user_id",
** "to_office", "text", "due_on"}; 201 with the notice. */
void api_clue_notice_add(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  ClueNoticeIn in = {0};
  Buf err = BUF_INIT;
  const char *field = NULL;
  int64_t nid = 0;
  if (ca_viewer(req, resp, &v) != 0) return;
  if (ca_clue_of_path(req, resp, &v, &c) != 0) goto out;
  ca_note(req, c.id, c.code, "督办");
  if (rw_opt_string(req, resp, "kind", &in.kind) != 0 ||
      rw_opt_string(req, resp, "rule", &in.rule) != 0 ||
      rw_opt_string(req, resp, "to_office", &in.to_office) != 0 ||
      rw_opt_string(req, resp, "text", &in.text) != 0 ||
      rw_opt_string(req, resp, "due_on", &in.due_on) != 0 ||
      ca_opt_int(req, resp, "to_user_id", &in.to_user_id) != 0)
    goto out;
  if (!in.kind) in.kind = "reminder";
  if (!in.rule) in.rule = "";
  if (!in.to_office) in.to_office = "";
  if (!in.text) in.text = "";
  if (!in.due_on) in.due_on = "";
  ClueResult r = clue_notice_add(req->db, &v, c.id, &in, &nid, &field, &err);
  if (r != CLUE_OK) {
    ca_fail(req, resp, r, &err, field);
    goto out;
  }
  buf_printf(&req->audit_summary, "（%s）", notice_kind_label(in.kind));
  ClueNotice *ns = NULL;
  size_t n = 0;
  json_t *j = NULL;
  if (clue_notices_of(req->db, &v, c.id, &ns, &n) == CLUE_OK)
    for (size_t i = 0; i < n && !j; i++)
      if (ns[i].id == nid) j = notice_json(&ns[i]);
  clue_notices_free(ns, n);
  api_json(resp, 201, j ? j : json_pack("{s:I}", "id", (json_int_t)nid));
out:
  clue_clear(&c);
  buf_release(&err);
}

/* ROUTE: GET /api/v1/notices — the viewer's inbox: ?unread=1, paging;
** "unread" counts the unread ones. */
void api_notices(Request *req, Response *resp) {
  int64_t page, per_page, total = 0, unread = 0;
  int only = 0;
  ClueViewer v;
  ClueNotice *ns = NULL;
  size_t n = 0;
  if (api_paging(req, resp, &page, &per_page) != 0) return;
  if (ca_query_flag(req, resp, "unread", &only) != 0) return;
  if (ca_viewer(req, resp, &v) != 0) return;
  ClueResult r = clue_inbox(req->db, &v, only, per_page, (page - 1) * per_page,
                            &ns, &n, &total, &unread);
  if (r != CLUE_OK) {
    ca_fail(req, resp, r, NULL, NULL);
    return;
  }
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(items, notice_json(&ns[i]));
  clue_notices_free(ns, n);
  json_t *j = api_page(items, total, page, per_page);
  json_object_set_new(j, "unread", json_integer(unread));
  api_json(resp, 200, j);
}

/* ROUTE: POST /api/v1/notices/{id}/read — 204; 404 when not in the inbox. */
void api_notice_read(Request *req, Response *resp) {
  ClueViewer v;
  int64_t id;
  if (ca_viewer(req, resp, &v) != 0) return;
  if (rw_arg_id(req, 0, &id) != 0) {
    web_error(req, resp, 404, "not_found", "督办通知不存在", NULL);
    return;
  }
  req->audit_object = "notice";
  req->audit_object_id = id;
  buf_printf(&req->audit_summary, "督办通知 #%lld 标记已读", (long long)id);
  ClueResult r = clue_notice_read(req->db, &v, id);
  if (r == CLUE_ENOTFOUND)
    web_error(req, resp, 404, "not_found", "督办通知不存在", NULL);
  else if (r != CLUE_OK)
    ca_fail(req, resp, r, NULL, NULL);
  else
    resp->status = 204;
}

/* ---- deadlines ---- */

/* ROUTE: GET /api/v1/clues/due — ?window=-1 (overdue) | N days (default
** the setting clue.due_warn_days), paging; open deadlines of the clues
** the viewer may see. */
void api_clues_due(Request *req, Response *resp) {
  int64_t page, per_page, total = 0;
  int64_t window = setting_int(req->db, "clue.due_warn_days");
  ClueViewer v;
  ClueDue *d = NULL;
  size_t n = 0;
  if (api_paging(req, resp, &page, &per_page) != 0) return;
  const char *w = params_get(&req->query, "window");
  if (w && *w && str_to_int64(w, -1, 366, &window) != 0) {
    ca_bad_param(req, resp, "window",
                 "参数 window 应为 -1（已逾期）或 0 到 366 的天数");
    return;
  }
  if (ca_viewer(req, resp, &v) != 0) return;
  req->audit_object = "clue";
  if (window < 0)
    buf_puts(&req->audit_summary, "查看逾期事项");
  else
    buf_printf(&req->audit_summary, "查看 %lld 天内到期事项",
               (long long)window);
  ClueResult r = clue_dues_list(req->db, &v, (int)window, per_page,
                                (page - 1) * per_page, &d, &n, &total);
  if (r != CLUE_OK) {
    ca_fail(req, resp, r, NULL, NULL);
    return;
  }
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *one = ca_dues_json(&d[i], 1), *x = json_array_get(one, 0);
    json_object_set_new(x, "clue_id", json_integer(d[i].clue_id));
    json_object_set_new(x, "clue_code",
                        json_string(d[i].clue_code ? d[i].clue_code : ""));
    json_object_set_new(x, "unit_name", rw_opt_text(d[i].unit_name));
    json_object_set_new(x, "full", json_boolean(d[i].full));
    if (d[i].full)
      json_object_set_new(x, "summary",
                          json_string(d[i].summary ? d[i].summary : ""));
    json_array_append(items, x);
    json_decref(one);
  }
  clue_dues_free(d, n);
  json_t *j = api_page(items, total, page, per_page);
  json_object_set_new(j, "window", json_integer(window));
  api_json(resp, 200, j);
}
