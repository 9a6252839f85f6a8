/* page_clues_api.c: the JSON API of problem clues — the ledger (线索台账),
** the records, the actions of the state machine, their history and the
** access list (feedback, 督办 notices, the inbox and the deadline lists
** are in page_clues_api_due.c).
**
** Every rule lives in domain/clue*.c; this file turns JSON into their
** inputs and their records into JSON.  Need-to-know is the domain's: a
** clue the viewer may not see is CLUE_ENOTFOUND, answered 404 with the
** same message as a missing id.  A viewer with only the "clue_status"
** grant (the inspection office after transfer) gets full = false and no
** content: no summary, facts, persons, category, source or opinions.
** Audit records name the clue by its code and the action, never its text.
*/
#include <stdlib.h>
#include <string.h>

#include "domain/clue_flow.h"
#include "web/api.h"
#include "web/page_clues_api.h"
#include "web/page_rounds.h"
#include "web/pages.h"

#define NOT_FOUND_MSG clue_err_notfound

/* ---- errors and small readers ---- */

static const char *result_code(ClueResult r) {
  switch (r) {
    case CLUE_OK:
      return "ok";
    case CLUE_EINVALID:
      return "invalid";
    case CLUE_ENOTFOUND:
      return "not_found";
    case CLUE_EFORBIDDEN:
      return "forbidden";
    case CLUE_ECONFLICT:
      return "conflict";
    case CLUE_EDB:
      return "db_error";
  }
  return "error";
}

/* The JSON error for a refused operation.  Not found never says more
** than a missing id would. */
void ca_fail(Request *req, Response *resp, ClueResult r, const Buf *err,
             const char *field) {
  if (r == CLUE_ENOTFOUND) {
    web_error(req, resp, 404, "not_found", NOT_FOUND_MSG, NULL);
    return;
  }
  const char *msg = err && err->len ? buf_str(err)
                    : r == CLUE_EDB ? "数据库错误，请稍后重试"
                                    : "操作失败";
  web_error(req, resp, clue_http_status(r), result_code(r), msg,
            r == CLUE_EINVALID ? field : NULL);
}

int ca_viewer(Request *req, Response *resp, ClueViewer *v) {
  if (clue_viewer_from_request(req, v) == 0) return 0;
  web_error(req, resp, 401, "unauthenticated", "请先登录", NULL);
  return -1;
}

/* Path argument i as an id, or a 404 rendered (a malformed id is as
** missing as an unknown one). */
static int path_id(Request *req, Response *resp, int i, int64_t *id) {
  if (rw_arg_id(req, i, id) == 0) return 0;
  web_error(req, resp, 404, "not_found", NOT_FOUND_MSG, NULL);
  return -1;
}

/* An optional boolean member (true/false or 0/1): 0, or -1 after a 400. */
static int opt_bool(Request *req, Response *resp, const char *field, int *out) {
  json_t *v = req->json ? json_object_get(req->json, field) : NULL;
  if (!v || json_is_null(v)) return 0;
  if (json_is_boolean(v)) {
    *out = json_is_true(v);
    return 0;
  }
  if (json_is_integer(v) &&
      (json_integer_value(v) == 0 || json_integer_value(v) == 1)) {
    *out = (int)json_integer_value(v);
    return 0;
  }
  char msg[96];
  snprintf(msg, sizeof msg, "字段 %s 应为 true 或 false", field);
  web_error(req, resp, 400, "bad_field", msg, field);
  return -1;
}

/* An optional non-negative integer member (absent or null: unchanged). */
int ca_opt_int(Request *req, Response *resp, const char *field, int64_t *out) {
  json_t *v = req->json ? json_object_get(req->json, field) : NULL;
  if (!v || json_is_null(v)) return 0;
  if (json_is_integer(v) && json_integer_value(v) >= 0) {
    *out = json_integer_value(v);
    return 0;
  }
  if (json_is_string(v) &&
      str_to_int64(json_string_value(v), 0, INT64_MAX, out) == 0)
    return 0;
  char msg[96];
  snprintf(msg, sizeof msg, "字段 %s 应为非负整数", field);
  web_error(req, resp, 400, "bad_field", msg, field);
  return -1;
}

json_t *ca_id_or_null(int64_t id) {
  return id ? json_integer(id) : json_null();
}

static json_t *state_label(const char *code) {
  const ClueState *s = clue_state(code);
  return s ? json_string(s->label) : rw_opt_text(code);
}

static json_t *code_label(const ClueCode *t, size_t n, const char *code) {
  return code && *code ? json_string(clue_code_label(t, n, code)) : json_null();
}

/* Audit: object "clue" id and a summary naming its code — never text. */
void ca_note(Request *req, int64_t id, const char *code, const char *what) {
  req->audit_object = "clue";
  req->audit_object_id = id;
  buf_clear(&req->audit_summary);
  if (code && *code)
    buf_printf(&req->audit_summary, "%s %s", code, what);
  else
    buf_printf(&req->audit_summary, "问题线索 #%lld %s", (long long)id, what);
}

/* ---- JSON of records ---- */

json_t *ca_dues_json(const ClueDue *d, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++) {
    const ClueDueRule *r = clue_due_rule(d[i].rule);
    int open = !d[i].done_on || !*d[i].done_on;
    json_array_append_new(
        a, json_pack("{s:s, s:s, s:s, s:o, s:o, s:i, s:b}", "rule", d[i].rule,
                     "rule_label", r ? r->label : d[i].rule, "due_on",
                     d[i].due_on, "done_on", rw_opt_text(d[i].done_on),
                     "ref_id", ca_id_or_null(d[i].ref_id), "days_left",
                     d[i].days_left, "overdue", open && d[i].days_left < 0));
  }
  return a;
}

static json_t *persons_json(const Clue *c) {
  json_t *a = json_array();
  for (size_t i = 0; i < c->n_persons_loaded; i++) {
    const CluePerson *p = &c->persons[i];
    json_array_append_new(
        a,
        json_pack("{s:I, s:o, s:s, s:s, s:b, s:b, s:o, s:o, s:o}", "id",
                  (json_int_t)p->id, "person_id", ca_id_or_null(p->person_id),
                  "name", p->name ? p->name : "", "post",
                  p->post ? p->post : "", "party_member", p->party_member,
                  "supervisory_object", p->supervisory_object, "filed_party_on",
                  rw_opt_text(p->filed_party_on), "filed_super_on",
                  rw_opt_text(p->filed_super_on), "outcome_note",
                  rw_opt_text(p->outcome_note)));
  }
  return a;
}

/* The decisions per person (处理结果) and the detention measures (留置) of
** clue id, with the ids announce/execute and detain_extend/_end take.
** Content: only for a full view.  Read with the detail page's statements
** (stmts.def CLUEW_SANCTIONS, CLUEW_MEASURES). */
static json_t *sanctions_json(Request *req, int64_t id) {
  json_t *a = json_array();
  Stmt *st = db_stmt(req->db, STMT_CLUEW_SANCTIONS);
  db_bind_int64(st, 1, id);
  while (db_step(st) == DB_ROW) {
    const char *kind = db_column_text(st, 2), *code = db_column_text(st, 3);
    const ClueMeasure *m = clue_measure(code);
    json_array_append_new(
        a,
        json_pack(
            "{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:o}", "id",
            (json_int_t)db_column_int64(st, 0), "person_id",
            (json_int_t)db_column_int64(st, 1), "kind", kind, "kind_label",
            clue_code_label(clue_sanction_kinds, n_clue_sanction_kinds, kind),
            "measure", code, "measure_label", m ? m->label : code, "form",
            (json_int_t)db_column_int64(st, 4), "decided_on",
            rw_opt_text(db_column_text(st, 5)), "announced_on",
            rw_opt_text(db_column_text(st, 6)), "executed_on",
            rw_opt_text(db_column_text(st, 7)), "note",
            rw_opt_text(db_column_text(st, 8))));
  }
  db_reset(st);
  return a;
}

static json_t *measures_json(Request *req, int64_t id) {
  json_t *a = json_array();
  Stmt *st = db_stmt(req->db, STMT_CLUEW_MEASURES);
  db_bind_int64(st, 1, id);
  while (db_step(st) == DB_ROW)
    json_array_append_new(
        a, json_pack("{s:I, s:I, s:s, s:o, s:o, s:I, s:o, s:o}", "id",
                     (json_int_t)db_column_int64(st, 0), "person_id",
                     (json_int_t)db_column_int64(st, 1), "kind",
                     db_column_text(st, 2), "start_on",
                     rw_opt_text(db_column_text(st, 3)), "limit_on",
                     rw_opt_text(db_column_text(st, 4)), "extensions",
                     (json_int_t)db_column_int64(st, 5), "ended_on",
                     rw_opt_text(db_column_text(st, 6)), "approval",
                     rw_opt_text(db_column_text(st, 7))));
  db_reset(st);
  return a;
}

/* The clue as v may see it; detail adds its deadlines and the actions v
** may take now. */
static json_t *clue_json(Request *req, const ClueViewer *v, const Clue *c,
                         int detail) {
  const ClueState *st = clue_state(c->state);
  json_t *j = json_pack(
      "{s:I, s:s, s:s, s:s, s:o, s:b, s:b, s:I, s:o, s:I, s:o, s:I, s:o, "
      "s:s}",
      "id", (json_int_t)c->id, "code", c->code, "kind", c->kind, "state",
      c->state, "state_label", state_label(c->state), "terminal",
      st ? st->terminal : 0, "full", c->full, "round_id",
      (json_int_t)c->round_id, "round_title", rw_opt_text(c->round_title),
      "team_id", (json_int_t)c->team_id, "team_name", rw_opt_text(c->team_name),
      "unit_id", (json_int_t)c->unit_id, "unit_name", rw_opt_text(c->unit_name),
      "jurisdiction_code", c->jurisdiction_code ? c->jurisdiction_code : "");
  json_t *more = json_pack(
      "{s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
      "s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
      "destination", rw_opt_text(c->destination), "destination_label",
      code_label(clue_destinations, n_clue_destinations, c->destination),
      "destination_name", rw_opt_text(c->destination_name),
      "destination_office", rw_opt_text(c->destination_office), "transfer_step",
      (json_int_t)c->transfer_step, "transfer_no", rw_opt_text(c->transfer_no),
      "transferred_on", rw_opt_text(c->transferred_on), "register_no",
      rw_opt_text(c->register_no), "received_on", rw_opt_text(c->received_on),
      "handling_office", rw_opt_text(c->handling_office),
      "handling_office_name", rw_opt_text(c->handling_office_name),
      "assigned_on", rw_opt_text(c->assigned_on), "disposal",
      rw_opt_text(c->disposal), "disposal_label",
      code_label(clue_disposals, n_clue_disposals, c->disposal), "disposal_on",
      rw_opt_text(c->disposal_on), "filed_on", rw_opt_text(c->filed_on),
      "trial_on", rw_opt_text(c->trial_on), "decided_on",
      rw_opt_text(c->decided_on), "concluded_on", rw_opt_text(c->concluded_on),
      "outcome", rw_opt_text(c->outcome));
  json_object_update(j, more);
  json_decref(more);
  more = json_pack(
      "{s:o, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "outcome_label",
      c->outcome && *c->outcome ? state_label(c->outcome) : json_null(),
      "n_persons", (json_int_t)c->n_persons, "n_filed", (json_int_t)c->n_filed,
      "n_sanctioned", (json_int_t)c->n_sanctioned, "n_procuratorate",
      (json_int_t)c->n_procuratorate, "n_detained", (json_int_t)c->n_detained,
      "next_due_on", rw_opt_text(c->next_due_on), "next_due_kind",
      rw_opt_text(c->next_due_kind), "created_at", api_time(c->created_at),
      "updated_at", api_time(c->updated_at));
  json_object_update(j, more);
  json_decref(more);
  if (c->full) {
    /* The content: only with a "clue" grant. */
    more = json_pack(
        "{s:o, s:o, s:o, s:o, s:s, s:s, s:o, s:b, s:b, s:b, s:o, s:o, s:o, "
        "s:o}",
        "category", rw_opt_text(c->category), "category_label",
        code_label(clue_categories, n_clue_categories, c->category), "source",
        rw_opt_text(c->source), "source_label",
        code_label(clue_sources, n_clue_sources, c->source), "summary",
        c->summary ? c->summary : "", "facts", c->facts ? c->facts : "",
        "found_on", rw_opt_text(c->found_on), "cond_nature", c->cond_nature,
        "cond_evidence", c->cond_evidence, "cond_facts", c->cond_facts,
        "persons_text", rw_opt_text(c->persons_text), "persons",
        persons_json(c), "created_by", ca_id_or_null(c->created_by),
        "created_by_name", rw_opt_text(c->created_by_name));
    json_object_update(j, more);
    json_decref(more);
    json_object_set_new(j, "sanctions", sanctions_json(req, c->id));
    json_object_set_new(j, "measures", measures_json(req, c->id));
  }
  if (detail) {
    ClueDue *d = NULL;
    size_t nd = 0;
    if (clue_dues_of(req->db, v, c->id, &d, &nd) == CLUE_OK) {
      json_object_set_new(j, "deadlines", ca_dues_json(d, nd));
      clue_dues_free(d, nd);
    } else {
      json_object_set_new(j, "deadlines", json_array());
    }
    const ClueAction *acts[64];
    size_t na = clue_actions_available(req->db, v, c, acts, JX_COUNT(acts));
    json_t *a = json_array();
    for (size_t i = 0; i < na; i++)
      json_array_append_new(
          a, json_pack("{s:s, s:s, s:o}", "code", acts[i]->code, "label",
                       acts[i]->label, "help", rw_opt_text(acts[i]->help)));
    json_object_set_new(j, "actions", a);
  }
  return j;
}

static json_t *row_json(const ClueRow *r) {
  json_t *j = json_pack(
      "{s:I, s:s, s:s, s:s, s:o, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
      "s:o, s:o, s:o, s:o, s:o}",
      "id", (json_int_t)r->id, "code", r->code, "kind", r->kind, "state",
      r->state, "state_label", state_label(r->state), "full", r->full,
      "transfer_no", rw_opt_text(r->transfer_no), "round_title",
      rw_opt_text(r->round_title), "unit_name", rw_opt_text(r->unit_name),
      "team_name", rw_opt_text(r->team_name), "transferred_on",
      rw_opt_text(r->transferred_on), "destination",
      rw_opt_text(r->destination), "handling_office",
      rw_opt_text(r->handling_office), "handling_office_name",
      rw_opt_text(r->handling_office_name), "disposal",
      rw_opt_text(r->disposal), "filed_on", rw_opt_text(r->filed_on), "outcome",
      rw_opt_text(r->outcome), "concluded_on", rw_opt_text(r->concluded_on));
  json_t *more = json_pack(
      "{s:o, s:o, s:I, s:I, s:I}", "next_due_on", rw_opt_text(r->next_due_on),
      "next_due_kind", rw_opt_text(r->next_due_kind), "n_persons",
      (json_int_t)r->n_persons, "n_filed", (json_int_t)r->n_filed,
      "n_sanctioned", (json_int_t)r->n_sanctioned);
  json_object_update(j, more);
  json_decref(more);
  if (r->full) {
    json_object_set_new(j, "summary",
                        json_string(r->summary ? r->summary : ""));
    json_object_set_new(j, "persons_text", rw_opt_text(r->persons_text));
  }
  return j;
}

static json_t *event_json(const ClueEvent *e, int full) {
  const ClueAction *a = clue_action(e->action);
  return json_pack(
      "{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
      (json_int_t)e->id, "action", e->action, "action_label",
      a ? a->label : e->action, "from_state", rw_opt_text(e->from_state),
      "to_state", rw_opt_text(e->to_state), "actor_name",
      rw_opt_text(e->actor_name), "acted_on", rw_opt_text(e->acted_on),
      /* opinions and details may quote the content */
      "opinion", full ? rw_opt_text(e->opinion) : json_null(), "approver",
      full ? rw_opt_text(e->approver) : json_null(), "meeting",
      full ? rw_opt_text(e->meeting) : json_null(), "detail",
      full ? rw_opt_text(e->detail) : json_null(), "created_at",
      api_time(e->created_at));
}

int ca_clue_of_path(Request *req, Response *resp, const ClueViewer *v,
                    Clue *c) {
  int64_t id;
  memset(c, 0, sizeof *c);
  if (path_id(req, resp, 0, &id) != 0) return -1;
  ClueResult r = clue_get(req->db, v, id, c);
  if (r == CLUE_OK) return 0;
  /* The audit trail keeps which id was asked for; the answer does not
   * say whether it exists. */
  ca_note(req, id, NULL, r == CLUE_ENOTFOUND ? "不存在或无权查看" : "读取失败");
  ca_fail(req, resp, r, NULL, NULL);
  return -1;
}

/* Answer with clue id as v now sees it (status 200 or 201); event_id > 0
** is added for an action. */
static void clue_reply(Request *req, Response *resp, const ClueViewer *v,
                       int64_t id, int status, int64_t event_id) {
  Clue c;
  memset(&c, 0, sizeof c);
  ClueResult r = clue_get(req->db, v, id, &c);
  json_t *j;
  if (r == CLUE_OK) {
    j = clue_json(req, v, &c, 1);
  } else if (r == CLUE_ENOTFOUND) {
    /* Done, but the act took the clue out of v's sight. */
    j = json_pack("{s:I, s:b}", "id", (json_int_t)id, "visible", 0);
  } else {
    clue_clear(&c);
    ca_fail(req, resp, r, NULL, NULL);
    return;
  }
  if (event_id) json_object_set_new(j, "event_id", json_integer(event_id));
  api_json(resp, status, j);
  clue_clear(&c);
}

/* ---- the ledger ---- */

int ca_bad_param(Request *req, Response *resp, const char *name,
                 const char *msg) {
  web_error(req, resp, 400, "bad_parameter", msg, name);
  return -1;
}

static int query_id(Request *req, Response *resp, const char *name,
                    int64_t *out) {
  const char *s = params_get(&req->query, name);
  if (!s || !*s) return 0;
  if (rw_id(s, out) == 0) return 0;
  char msg[96];
  snprintf(msg, sizeof msg, "参数 %s 应为正整数", name);
  return ca_bad_param(req, resp, name, msg);
}

int ca_query_flag(Request *req, Response *resp, const char *name, int *out) {
  const char *s = params_get(&req->query, name);
  if (!s || !*s) return 0;
  if (str_eq(s, "1") || str_eq(s, "true"))
    *out = 1;
  else if (str_eq(s, "0") || str_eq(s, "false"))
    *out = 0;
  else {
    char msg[96];
    snprintf(msg, sizeof msg, "参数 %s 应为 0 或 1", name);
    return ca_bad_param(req, resp, name, msg);
  }
  return 0;
}

static const char *query_text(Request *req, const char *name) {
  const char *s = params_get(&req->query, name);
  return s && *s ? s : NULL;
}

/* The ledger filters of the query string (clue.h ClueFilter), checked. */
static int ledger_filter(Request *req, Response *resp, ClueFilter *f) {
  memset(f, 0, sizeof *f);
  if (query_id(req, resp, "round", &f->round_id) != 0 ||
      query_id(req, resp, "unit", &f->unit_id) != 0 ||
      query_id(req, resp, "team", &f->team_id) != 0 ||
      ca_query_flag(req, resp, "overdue", &f->overdue) != 0 ||
      ca_query_flag(req, resp, "desc", &f->desc) != 0)
    return -1;
  f->jurisdiction = query_text(req, "jurisdiction");
  if (f->jurisdiction && !ntk_jur_code_valid(f->jurisdiction))
    return ca_bad_param(req, resp, "jurisdiction",
                        "参数 jurisdiction 不是有效的辖区代码");
  f->destination = query_text(req, "destination");
  if (f->destination &&
      str_eq(clue_code_label(clue_destinations, n_clue_destinations,
                             f->destination),
             f->destination))
    return ca_bad_param(
        req, resp, "destination",
        "参数 destination 应为 commission、organisation 或 other");
  f->handling_office = query_text(req, "office");
  if (f->handling_office && strlen(f->handling_office) > 63)
    return ca_bad_param(req, resp, "office", "参数 office 过长");
  f->state = query_text(req, "state");
  if (f->state && !clue_state(f->state) && !str_eq(f->state, "open") &&
      !str_eq(f->state, "terminal"))
    return ca_bad_param(req, resp, "state", "参数 state 不是有效的线索状态");
  f->from = query_text(req, "from");
  if (f->from && !date_valid(f->from))
    return ca_bad_param(req, resp, "from",
                        "参数 from 应为 YYYY-MM-DD 格式的日期");
  f->to = query_text(req, "to");
  if (f->to && !date_valid(f->to))
    return ca_bad_param(req, resp, "to", "参数 to 应为 YYYY-MM-DD 格式的日期");
  f->q = query_text(req, "q");
  if (f->q && (!utf8_valid(f->q, strlen(f->q)) || strlen(f->q) > 300))
    return ca_bad_param(req, resp, "q", "参数 q 过长或不是有效文本");
  f->fig = query_text(req, "fig");
  if (f->fig && !clue_fig_known(f->fig))
    return ca_bad_param(req, resp, "fig", "参数 fig 不是有效的统计指标");
  f->sort = query_text(req, "sort");
  if (f->sort && !str_eq(f->sort, "transferred") && !str_eq(f->sort, "due") &&
      !str_eq(f->sort, "code") && !str_eq(f->sort, "updated"))
    return ca_bad_param(req, resp, "sort",
                        "参数 sort 应为 transferred、due、code 或 updated");
  return 0;
}

/* ROUTE: GET /api/v1/clues — the ledger: ?round= unit= team= jurisdiction=
** destination= office= state= overdue= from= to= q= fig= sort= desc=
** page= per_page=; only the clues the viewer may see. */
void api_clues(Request *req, Response *resp) {
  int64_t page, per_page, total = 0;
  ClueFilter f;
  ClueViewer v;
  ClueRow *rows = NULL;
  size_t n = 0;
  if (api_paging(req, resp, &page, &per_page) != 0) return;
  if (ledger_filter(req, resp, &f) != 0) return;
  if (ca_viewer(req, resp, &v) != 0) return;
  req->audit_object = "clue";
  buf_printf(&req->audit_summary, "查询问题线索台账（第 %lld 页）",
             (long long)page);
  ClueResult r = clue_ledger(req->db, &v, &f, per_page, (page - 1) * per_page,
                             &rows, &n, &total);
  if (r != CLUE_OK) {
    ca_fail(req, resp, r, NULL, NULL);
    return;
  }
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(items, row_json(&rows[i]));
  clue_rows_free(rows, n);
  api_json(resp, 200, api_page(items, total, page, per_page));
}

/* ---- create, read, update ---- */

/* What the team records, from the JSON body.  Absent members keep what
** *in holds (for an update, the clue as it stands); persons replaces the
** list when present.  *persons is the caller's to free. */
static int clue_in_json(Request *req, Response *resp, ClueIn *in,
                        CluePersonIn **persons) {
  const char *s;
#define STR(name, dst)                                    \
  if (rw_opt_string(req, resp, name, &s) != 0) return -1; \
  if (s) dst = s;
  STR("kind", in->kind);
  STR("category", in->category);
  STR("source", in->source);
  STR("summary", in->summary);
  STR("facts", in->facts);
  STR("found_on", in->found_on);
#undef STR
  if (opt_bool(req, resp, "cond_nature", &in->cond_nature) != 0 ||
      opt_bool(req, resp, "cond_evidence", &in->cond_evidence) != 0 ||
      opt_bool(req, resp, "cond_facts", &in->cond_facts) != 0 ||
      ca_opt_int(req, resp, "unit_id", &in->unit_id) != 0)
    return -1;
  json_t *a = json_object_get(req->json, "persons");
  if (!a || json_is_null(a)) return 0;
  if (!json_is_array(a) || json_array_size(a) > CLUE_MAX_PERSONS) {
    web_error(req, resp, 400, "bad_field",
              "persons 应为被反映人数组（至多 20 人）", "persons");
    return -1;
  }
  size_t n = json_array_size(a);
  CluePersonIn *p = calloc(n ? n : 1, sizeof *p);
  if (!p) jx_fatal("out of memory");
  *persons = p;
  for (size_t i = 0; i < n; i++) {
    json_t *o = json_array_get(a, i), *x;
    if (!json_is_object(o)) goto bad;
    x = json_object_get(o, "person_id");
    if (json_is_integer(x) && json_integer_value(x) >= 0)
      p[i].person_id = json_integer_value(x);
    else if (x && !json_is_null(x))
      goto bad;
    x = json_object_get(o, "name");
    if (json_is_string(x))
      p[i].name = json_string_value(x);
    else if (x && !json_is_null(x))
      goto bad;
    x = json_object_get(o, "post");
    if (json_is_string(x))
      p[i].post = json_string_value(x);
    else if (x && !json_is_null(x))
      goto bad;
    x = json_object_get(o, "party_member");
    if (x && !json_is_null(x) && !json_is_boolean(x)) goto bad;
    p[i].party_member = json_is_true(x);
    x = json_object_get(o, "supervisory_object");
    if (x && !json_is_null(x) && !json_is_boolean(x)) goto bad;
    p[i].supervisory_object = json_is_true(x);
  }
  in->persons = p;
  in->n_persons = n;
  return 0;
bad:
  web_error(req, resp, 400, "bad_field",
            "persons 的每一项应为对象：person_id、name、post、party_member、"
            "supervisory_object",
            "persons");
  return -1;
}

/* ROUTE: POST /api/v1/clues — {"round_id", "team_id", "unit_id", "kind",
** "category", "source", "summary", "facts", "found_on", "cond_nature",
** "cond_evidence", "cond_facts", "persons": [{"person_id" | "name", "post",
** "party_member", "supervisory_object"}]} */
void api_clue_create(Request *req, Response *resp) {
  ClueIn in = {0};
  CluePersonIn *persons = NULL;
  ClueViewer v;
  Buf err = BUF_INIT;
  const char *field = NULL;
  int64_t id = 0;
  req->audit_object = "clue";
  buf_puts(&req->audit_summary, "登记问题线索");
  if (rw_json_id(req, resp, "round_id", &in.round_id) != 0 ||
      rw_json_id(req, resp, "team_id", &in.team_id) != 0 ||
      rw_json_id(req, resp, "unit_id", &in.unit_id) != 0 ||
      clue_in_json(req, resp, &in, &persons) != 0 ||
      ca_viewer(req, resp, &v) != 0)
    goto out;
  if (clue_check(&in, &err, &field) != 0) {
    ca_fail(req, resp, CLUE_EINVALID, &err, field);
    goto out;
  }
  ClueResult r = clue_create(req->db, &v, &in, &id, &field, &err);
  if (r != CLUE_OK) {
    ca_fail(req, resp, r, &err, field);
    goto out;
  }
  Clue c;
  memset(&c, 0, sizeof c);
  if (clue_get(req->db, &v, id, &c) == CLUE_OK)
    ca_note(req, id, c.code, "登记");
  clue_clear(&c);
  clue_reply(req, resp, &v, id, 201, 0);
out:
  free(persons);
  buf_release(&err);
}

/* ROUTE: GET /api/v1/clues/{id} — the full record, or the status view. */
void api_clue(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  if (ca_viewer(req, resp, &v) != 0) return;
  if (ca_clue_of_path(req, resp, &v, &c) != 0) {
    clue_clear(&c);
    return;
  }
  ca_note(req, c.id, c.code, c.full ? "查看" : "查看办理状态");
  api_json(resp, 200, clue_json(req, &v, &c, 1));
  clue_clear(&c);
}

/* ROUTE: PUT /api/v1/clues/{id} — edit while with the team; absent fields
** keep their value, "persons" (when present) replaces the list. */
void api_clue_update(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  ClueIn in = {0};
  CluePersonIn *persons = NULL, *kept = NULL;
  Buf err = BUF_INIT;
  const char *field = NULL;
  if (ca_viewer(req, resp, &v) != 0) return;
  if (ca_clue_of_path(req, resp, &v, &c) != 0) goto out;
  ca_note(req, c.id, c.code, "修改");
  if (!c.full) {
    /* The status view cannot even see what it would edit. */
    web_error(req, resp, 403, "forbidden", "您只能查看该线索的办理状态", NULL);
    goto out;
  }
  in.round_id = c.round_id;
  in.team_id = c.team_id;
  in.unit_id = c.unit_id;
  in.kind = c.kind;
  in.category = c.category;
  in.source = c.source;
  in.summary = c.summary;
  in.facts = c.facts;
  in.found_on = c.found_on;
  in.cond_nature = c.cond_nature;
  in.cond_evidence = c.cond_evidence;
  in.cond_facts = c.cond_facts;
  kept = calloc(c.n_persons_loaded ? c.n_persons_loaded : 1, sizeof *kept);
  if (!kept) jx_fatal("out of memory");
  for (size_t i = 0; i < c.n_persons_loaded; i++) {
    kept[i].person_id = c.persons[i].person_id;
    kept[i].name = c.persons[i].name;
    kept[i].post = c.persons[i].post;
    kept[i].party_member = c.persons[i].party_member;
    kept[i].supervisory_object = c.persons[i].supervisory_object;
  }
  in.persons = kept;
  in.n_persons = c.n_persons_loaded;
  if (clue_in_json(req, resp, &in, &persons) != 0) goto out;
  if (clue_check(&in, &err, &field) != 0) {
    ca_fail(req, resp, CLUE_EINVALID, &err, field);
    goto out;
  }
  ClueResult r = clue_update(req->db, &v, c.id, &in, &field, &err);
  if (r != CLUE_OK)
    ca_fail(req, resp, r, &err, field);
  else
    clue_reply(req, resp, &v, c.id, 200, 0);
out:
  free(persons);
  free(kept);
  clue_clear(&c);
  buf_release(&err);
}

/* ---- actions ---- */

/* ClueActIn from the JSON body; user_ids into *ids (caller frees). */
static int act_in_json(Request *req, Response *resp, ClueActIn *in,
                       int64_t **ids) {
  static const char *const names[] = {"opinion",
                                      "approver",
                                      "meeting",
                                      "date",
                                      "participants",
                                      "conclusion",
                                      "destination",
                                      "destination_name",
                                      "handling_office",
                                      "disposal",
                                      "filing",
                                      "measure",
                                      "note",
                                      "text",
                                      "stage"};
  const char **dst[] = {&in->opinion,
                        &in->approver,
                        &in->meeting,
                        &in->date,
                        &in->participants,
                        &in->conclusion,
                        &in->destination,
                        &in->destination_name,
                        &in->handling_office,
                        &in->disposal,
                        &in->filing,
                        &in->measure,
                        &in->note,
                        &in->text,
                        &in->stage};
  for (size_t i = 0; i < JX_COUNT(names); i++)
    if (rw_opt_string(req, resp, names[i], dst[i]) != 0) return -1;
  if (ca_opt_int(req, resp, "person_id", &in->person_id) != 0 ||
      ca_opt_int(req, resp, "next_approver_id", &in->next_approver_id) != 0 ||
      ca_opt_int(req, resp, "sanction_id", &in->sanction_id) != 0 ||
      ca_opt_int(req, resp, "measure_id", &in->measure_id) != 0)
    return -1;
  json_t *a = req->json ? json_object_get(req->json, "user_ids") : NULL;
  if (!a || json_is_null(a)) return 0;
  if (!json_is_array(a) || json_array_size(a) > 50) goto bad;
  size_t n = json_array_size(a);
  int64_t *p = calloc(n ? n : 1, sizeof *p);
  if (!p) jx_fatal("out of memory");
  *ids = p;
  for (size_t i = 0; i < n; i++) {
    json_t *x = json_array_get(a, i);
    if (!json_is_integer(x) || json_integer_value(x) <= 0) goto bad;
    p[i] = json_integer_value(x);
  }
  in->user_ids = p;
  in->n_user_ids = n;
  return 0;
bad:
  web_error(req, resp, 400, "bad_field", "user_ids 应为用户编号数组",
            "user_ids");
  return -1;
}

/* ROUTE: POST /api/v1/clues/{id}/actions/{action} — the body carries the
** action's fields (clue_flow.h ClueActIn); the answer is the clue after
** it, with "event_id". */
void api_clue_act(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  ClueActIn in = {0};
  int64_t *ids = NULL, event_id = 0;
  Buf err = BUF_INIT;
  const char *field = NULL, *code = req_arg(req, 1);
  if (ca_viewer(req, resp, &v) != 0) return;
  if (ca_clue_of_path(req, resp, &v, &c) != 0) goto out;
  const ClueAction *a = clue_action(code);
  char what[160];
  snprintf(what, sizeof what, "%s", a ? a->label : "未知操作");
  ca_note(req, c.id, c.code, what);
  if (!a) {
    web_error(req, resp, 404, "unknown_action", "没有这项线索操作", "action");
    goto out;
  }
  if (act_in_json(req, resp, &in, &ids) != 0) goto out;
  ClueResult r =
      clue_act(req->db, &v, c.id, a->code, &in, &event_id, &field, &err);
  if (r != CLUE_OK)
    ca_fail(req, resp, r, &err, field);
  else
    clue_reply(req, resp, &v, c.id, 200, event_id);
out:
  free(ids);
  clue_clear(&c);
  buf_release(&err);
}

/* ROUTE: GET /api/v1/clues/{id}/events — the history, oldest first. */
void api_clue_events(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  ClueEvent *e = NULL;
  size_t n = 0;
  if (ca_viewer(req, resp, &v) != 0) return;
  if (ca_clue_of_path(req, resp, &v, &c) != 0) goto out;
  ca_note(req, c.id, c.code, "查看办理记录");
  ClueResult r = clue_events(req->db, &v, c.id, &e, &n);
  if (r != CLUE_OK) {
    ca_fail(req, resp, r, NULL, NULL);
    goto out;
  }
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(items, event_json(&e[i], c.full));
  clue_events_free(e, n);
  api_json(resp, 200,
           json_pack("{s:I, s:s, s:o}", "clue_id", (json_int_t)c.id, "code",
                     c.code, "items", items));
out:
  clue_clear(&c);
}

/* One access-list entry (auth/ntk.h), for the people who may see it. */
static json_t *grant_json(const NtkGrant *g, jx_time now) {
  return json_pack(
      "{s:I, s:s, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:s}", "id",
      (json_int_t)g->id, "object_type", g->object_type, "user_id",
      ca_id_or_null(g->user_id), "user_login", rw_opt_text(g->user_login),
      "user_name", rw_opt_text(g->user_name), "office",
      rw_opt_text(g->office_code), "reason", g->reason ? g->reason : "",
      "granted_by_name", rw_opt_text(g->granted_by_name), "approved_by_name",
      rw_opt_text(g->approved_by_name), "granted_at", api_time(g->granted_at),
      "expires_at", api_time(g->expires_at), "revoked_at",
      api_time(g->revoked_at), "state", ntk_grant_state(g, now));
}

/* ROUTE: GET /api/v1/clues/{id}/access — the clue's 知悉范围: its "clue"
** grants and then its "clue_status" grants, revoked ones included. */
void api_clue_access(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  if (ca_viewer(req, resp, &v) != 0) return;
  if (ca_clue_of_path(req, resp, &v, &c) != 0) goto out;
  ca_note(req, c.id, c.code, "查看知悉范围");
  json_t *items = json_array();
  static const char *const types[] = {"clue", "clue_status"};
  for (size_t t = 0; t < JX_COUNT(types); t++) {
    NtkGrant *g = NULL;
    size_t n = 0;
    if (ntk_list(req->db, types[t], c.id, &g, &n) != DB_OK) {
      json_decref(items);
      web_error(req, resp, 500, "db_error", "读取知悉范围失败", NULL);
      goto out;
    }
    for (size_t i = 0; i < n; i++)
      json_array_append_new(items, grant_json(&g[i], v.who.now));
    ntk_grants_free(g, n);
  }
  api_json(resp, 200,
           json_pack("{s:I, s:s, s:o}", "clue_id", (json_int_t)c.id, "code",
                     c.code, "items", items));
out:
  clue_clear(&c);
}
