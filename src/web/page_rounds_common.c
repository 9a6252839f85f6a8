/* page_rounds_common.c: helpers the rounds, teams and training pages
** share (see page_rounds.h): ids and paging, the fenced fetch of one
** record, error shapes, dates, the sub-navigation and the JSON of each
** record. */
#include "web/page_rounds.h"

#include <stdlib.h>

#include "web/api.h"
#include "web/html.h"

int rw_id(const char *s, int64_t *out) {
  return s ? str_to_int64(s, 1, INT64_MAX, out) : -1;
}

int rw_arg_id(Request *req, int i, int64_t *out) {
  return rw_id(req_arg(req, i), out);
}

int64_t rw_page(Request *req) {
  int64_t p;
  const char *v = params_get(&req->query, "page");
  return v && str_to_int64(v, 1, 1000000, &p) == 0 ? p : 1;
}

void rw_pager(Response *resp, const char *path, const char *base_query,
              int64_t page, int64_t total) {
  int64_t pages = (total + RW_PER_PAGE - 1) / RW_PER_PAGE;
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

Scope rw_who(Request *req, Perm perm, NtkSubject *who) {
  ntk_subject_from_request(req, who);
  return policy_scope(who->roles, perm);
}

/* Step a fenced single-record statement whose id is parameter 1. */
static int fenced_step(Request *req, Perm perm, StmtId id, int64_t rec,
                       Stmt **out) {
  NtkSubject who;
  Scope sc = rw_who(req, perm, &who);
  Stmt *st = db_stmt(req->db, id);
  *out = st;
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, rec);
  ntk_bind_jur(st, 2, &who, sc);
  int rc = db_step(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_DONE : DB_EERROR;
}

int rw_round_get(Request *req, Perm perm, int64_t id, Round *out) {
  Stmt *st;
  memset(out, 0, sizeof *out);
  int rc = fenced_step(req, perm, STMT_RND_GET, id, &st);
  if (rc == DB_OK) round_read_row(st, out);
  db_reset(st);
  return rc;
}

int rw_team_get(Request *req, Perm perm, int64_t id, Team *out) {
  Stmt *st;
  memset(out, 0, sizeof *out);
  int rc = fenced_step(req, perm, STMT_RND_TEAM_GET, id, &st);
  if (rc == DB_OK) team_read_row(st, out);
  db_reset(st);
  return rc;
}

int rw_sreq_get(Request *req, Perm perm, int64_t id, StaffingRequest *out) {
  Stmt *st;
  memset(out, 0, sizeof *out);
  int rc = fenced_step(req, perm, STMT_RND_SREQ_GET, id, &st);
  if (rc == DB_OK) sreq_read_row(st, out);
  db_reset(st);
  return rc;
}

int rw_override_get(Request *req, Perm perm, int64_t id, AvoidOverride *out) {
  Stmt *st;
  memset(out, 0, sizeof *out);
  int rc = fenced_step(req, perm, STMT_RND_OVR_GET, id, &st);
  if (rc == DB_OK) override_read_row(st, out);
  db_reset(st);
  return rc;
}

void rw_discard(Request *req) {
  if (!db_in_transaction(req->db)) return;
  db_rollback(req->db);
  if (db_begin(req->db) != DB_OK) log_error("rw_discard: cannot reopen");
}

static const char *result_code(RoundResult r) {
  switch (r) {
    case ROUND_OK: return "ok";
    case ROUND_EINVALID: return "invalid";
    case ROUND_ENOTFOUND: return "not_found";
    case ROUND_ECONFLICT: return "conflict";
    case ROUND_EAVOID: return "avoid";
    case ROUND_EFORBIDDEN: return "forbidden";
    case ROUND_EDB: return "db_error";
  }
  return "error";
}

void rw_json_error(Request *req, Response *resp, RoundResult r,
                   const Buf *err, const char *field) {
  web_error(req, resp, round_http_status(r), result_code(r),
            err->len ? buf_str(err) : "操作失败", field);
}

void rw_json_avoid(Request *req, Response *resp, const Buf *err,
                   const AvoidHit *h, size_t n) {
  json_t *hits = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(
        hits, json_pack("{s:s, s:s, s:I, s:s}", "rule", h[i].rule->code,
                        "rule_label", h[i].rule->label, "unit_id",
                        (json_int_t)h[i].unit_id, "fact", h[i].fact));
  api_json(resp, 409,
           json_pack("{s:{s:s, s:s, s:n}, s:o}", "error", "code", "avoid",
                     "message", buf_str(err), "field", "avoid", hits));
}

int rw_opt_string(Request *req, Response *resp, const char *field,
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

int rw_json_id(Request *req, Response *resp, const char *field, int64_t *out) {
  json_t *v = req->json ? json_object_get(req->json, field) : NULL;
  if (json_is_integer(v) && json_integer_value(v) > 0) {
    *out = json_integer_value(v);
    return 0;
  }
  if (json_is_string(v) && rw_id(json_string_value(v), out) == 0) return 0;
  char msg[96];
  snprintf(msg, sizeof msg, "字段 %s 应为正整数", field);
  web_error(req, resp, 400, "bad_field", msg, field);
  return -1;
}

void rw_period(Buf *out, const char *from, const char *to) {
  if (from && *from && to && *to)
    buf_printf(out, "%s 至 %s", from, to);
  else if (from && *from)
    buf_printf(out, "%s 起", from);
  else if (to && *to)
    buf_printf(out, "至 %s", to);
  else
    buf_puts(out, "未定");
}

const char *rw_time(jx_time t, char out[24]) {
  if (!t) return "—";
  time_local(t, out); /* 北京时间 */
  return out;
}

void rw_tabs(Request *req, Response *resp) {
  Buf *b = &resp->body;
  html_raw(b, "<p class=\"tabs\">");
  if (auth_route_allowed(req, P_ROUND_READ))
    html_raw(b, "<a href=\"/rounds\">巡察轮次</a> "
                "<a href=\"/staffing-requests\">力量需求</a> ");
  if (auth_route_allowed(req, P_AVOID_APPROVE))
    html_raw(b, "<a href=\"/avoid-overrides\">回避例外审批</a> ");
  if (auth_route_allowed(req, P_TRAINING_READ))
    html_raw(b, "<a href=\"/trainings\">同堂培训</a>");
  html_raw(b, "</p>\n");
}

json_t *rw_opt_text(const char *s) {
  return s && *s ? json_string(s) : json_null();
}

json_t *rw_round_json(const Round *r) {
  return json_pack(
      "{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:I, "
      "s:I, s:o}",
      "id", (json_int_t)r->id, "term", (json_int_t)r->term, "number",
      (json_int_t)r->number, "kind", r->kind, "kind_label",
      round_kind_label(r->kind) ? round_kind_label(r->kind) : r->kind, "title",
      r->title, "jurisdiction_code", r->jurisdiction_code, "jurisdiction_name",
      r->jurisdiction_name, "sector_code", rw_opt_text(r->sector_code),
      "sector_name", rw_opt_text(r->sector_name), "start_date",
      rw_opt_text(r->start_date), "end_date", rw_opt_text(r->end_date), "unit_count",
      (json_int_t)r->n_units, "team_count", (json_int_t)r->n_teams,
      "created_at", api_time(r->created_at));
}

json_t *rw_team_json(const Team *t) {
  return json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:o}", "id",
                   (json_int_t)t->id, "round_id", (json_int_t)t->round_id,
                   "round_title", t->round_title, "name", t->name,
                   "leader_note", t->leader_note, "member_count",
                   (json_int_t)t->n_members, "created_at",
                   api_time(t->created_at));
}

/* A '、'-separated list as a JSON array. */
static json_t *list_json(const char *list) {
  char **v;
  size_t n = staffing_split(list, &v);
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(a, json_string(v[i]));
  strv_free(v, n);
  return a;
}

json_t *rw_sreq_json(const StaffingRequest *q) {
  return json_pack(
      "{s:I, s:I, s:s, s:I, s:s, s:s, s:o, s:o, s:I, s:s, s:s, s:o, s:o, "
      "s:s, s:s, s:{s:I, s:s}, s:o, s:I}",
      "id", (json_int_t)q->id, "team_id", (json_int_t)q->team_id, "team_name",
      q->team_name, "round_id", (json_int_t)q->round_id, "round_title",
      q->round_title, "text", q->text, "required_posts",
      list_json(q->required_posts), "required_expertise",
      list_json(q->required_expertise), "count", (json_int_t)q->count,
      "position", q->position, "position_label",
      team_position_label(q->position) ? team_position_label(q->position) : "",
      "from_date", rw_opt_text(sreq_from(q)), "to_date", rw_opt_text(sreq_to(q)),
      "status", q->status, "status_label",
      str_eq(q->status, "open") ? "待答复" : "已答复", "created_by", "id",
      (json_int_t)q->created_by, "display_name", q->created_by_name,
      "created_at", api_time(q->created_at), "answer_count",
      (json_int_t)q->n_answers);
}

json_t *rw_override_json(const AvoidOverride *o) {
  Buf labels = BUF_INIT;
  override_rule_labels(&labels, o->rule);
  json_t *j = json_pack(
      "{s:I, s:I, s:s, s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, "
      "s:{s:I, s:s}, s:o, s:s, s:o, s:o, s:s}",
      "id", (json_int_t)o->id, "team_id", (json_int_t)o->team_id, "team_name",
      o->team_name, "round_id", (json_int_t)o->round_id, "round_title",
      o->round_title, "staff_id", (json_int_t)o->staff_id, "staff_name",
      o->staff_name, "rules", o->rule, "rule_labels", buf_str(&labels),
      "fact", o->fact, "reason", o->reason, "position", o->position,
      "request_id", o->request_id ? json_integer(o->request_id) : json_null(),
      "requested_by", "id", (json_int_t)o->requested_by, "display_name",
      o->requested_by_name, "requested_at", api_time(o->requested_at),
      "status", o->status, "approved_by",
      o->approved_by ? json_pack("{s:I, s:s}", "id",
                                 (json_int_t)o->approved_by, "display_name",
                                 o->approved_by_name)
                     : json_null(),
      "decided_at", api_time(o->approved_at), "decision_note",
      o->decision_note);
  buf_release(&labels);
  return j;
}

