/* page_clues.c: the clue ledger (台账) with its filters, sort, paging and
** XLSX export, and the form a team member records or edits a clue with.
** The rules (need-to-know, who may record, the ledger query) live in
** domain/clue.c; this file only reads the request and writes HTML. */
#include <stdlib.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/policy.h"
#include "domain/clue_stats.h"
#include "domain/org.h"
#include "domain/settings.h"
#include "web/export.h"
#include "web/html.h"
#include "web/page_clues.h"
#include "web/pages.h"

/* ---- shared helpers (declared in page_clues.h) ---- */

int cw_viewer(Request *req, Response *resp, ClueViewer *v) {
  if (clue_viewer_from_request(req, v) == 0) return 0;
  web_error(req, resp, 403, "forbidden", "请先登录", NULL);
  return -1;
}

int cw_id(const char *s, int64_t *out) {
  return s ? str_to_int64(s, 1, INT64_MAX, out) : -1;
}

int cw_clue_of_path(Request *req, Response *resp, const ClueViewer *v,
                    Clue *c) {
  int64_t id = 0;
  ClueResult r = CLUE_ENOTFOUND;
  memset(c, 0, sizeof *c);
  if (cw_id(req_arg(req, 0), &id) == 0) r = clue_get(req->db, v, id, c);
  if (r == CLUE_OK) return 0;
  req->audit_object = "clue";
  req->audit_object_id = id;
  buf_printf(&req->audit_summary, "问题线索 #%lld 不存在或无权查看",
             (long long)id);
  web_error(req, resp, r == CLUE_EDB ? 500 : 404,
            r == CLUE_EDB ? "db_error" : "not_found",
            r == CLUE_EDB ? "读取问题线索失败，请稍后重试" : CW_NOT_FOUND, NULL);
  return -1;
}

void cw_note(Request *req, const Clue *c, const char *what) {
  req->audit_object = "clue";
  req->audit_object_id = c->id;
  buf_clear(&req->audit_summary);
  buf_printf(&req->audit_summary, "问题线索 %s %s", c->code, what);
}

const char *cw_time(jx_time t, char out[20]) {
  if (!t) return "—";
  time_local(t, out);
  return out;
}

const char *cw_state_label(const char *code) {
  if (!code || !*code) return "—";
  const ClueState *s = clue_state(code);
  return s ? s->label : code;
}

const char *cw_measure_label(const char *code) {
  const ClueMeasure *m = clue_measure(code);
  return m ? m->label : cw_s(code);
}

const char *cw_s(const char *s) { return s && *s ? s : "—"; }

void cw_discard(Request *req) {
  if (!db_in_transaction(req->db)) return;
  db_rollback(req->db);
  if (db_begin(req->db) != DB_OK) log_error("cw_discard: cannot reopen");
}

const char *cw_result_code(ClueResult r) {
  switch (r) {
    case CLUE_OK: return "ok";
    case CLUE_EINVALID: return "invalid";
    case CLUE_ENOTFOUND: return "not_found";
    case CLUE_EFORBIDDEN: return "forbidden";
    case CLUE_ECONFLICT: return "conflict";
    case CLUE_EDB: return "db_error";
  }
  return "error";
}

void cw_tabs(Request *req, Response *resp) {
  Buf *b = &resp->body;
  html_raw(b, "<p class=\"tabs\"><a href=\"/clues\">问题线索台账</a> "
              "<a href=\"/clues/due\">期限提醒</a> "
              "<a href=\"/inbox\">督办收件箱</a> ");
  if (auth_route_allowed(req, P_CLUE_RECORD))
    html_raw(b, "<a href=\"/clues/new\">登记问题线索</a> ");
  if (auth_route_allowed(req, P_CLUE_STATS))
    html_raw(b, "<a href=\"/clues/figures\">统计指标</a>");
  html_raw(b, "</p>\n");
}

const char *cw_due_class(Db *db, const char *due_on) {
  char today[11];
  if (!due_on || !date_valid(due_on)) return "";
  date_today(today);
  int left = date_diff_days(today, due_on);
  return left < 0 ? "overdue"
         : left <= setting_int(db, "clue.due_urgent_days") ? "urgent"
         : left <= setting_int(db, "clue.due_warn_days")   ? "soon"
                                                            : "";
}

/* ---- the ledger ---- */

static const char *dest_label(const char *code) {
  return !code || !*code ? "" : clue_code_label(clue_destinations,
                                                 n_clue_destinations, code);
}

/* The filter of the query string; the strings point into req->query. */
static void ledger_filter(Request *req, ClueFilter *f, int64_t *page) {
  const ParamList *q = &req->query;
  int64_t v;
  memset(f, 0, sizeof *f);
  if (cw_id(params_get(q, "round"), &v) == 0) f->round_id = v;
  if (cw_id(params_get(q, "unit"), &v) == 0) f->unit_id = v;
  if (cw_id(params_get(q, "team"), &v) == 0) f->team_id = v;
  const char *jur = params_get(q, "jurisdiction");
  if (jur && ntk_jur_code_valid(jur)) f->jurisdiction = jur; /* else: all */
  f->destination = params_get(q, "destination");
  f->handling_office = params_get(q, "office");
  f->state = params_get(q, "state");
  f->overdue = str_eq(params_get(q, "overdue"), "1");
  f->from = params_get(q, "from");
  f->to = params_get(q, "to");
  f->q = params_get(q, "q");
  f->fig = params_get(q, "fig");
  f->sort = params_get(q, "sort");
  f->desc = str_eq(params_get(q, "desc"), "1");
  *page = 1;
  if (page && cw_id(params_get(q, "page"), &v) == 0 && v <= 100000) *page = v;
}

/* The query string of f, for links (page and export). */
static void ledger_query(const ClueFilter *f, Buf *q) {
  if (f->round_id) buf_printf(q, "round=%lld&", (long long)f->round_id);
  if (f->unit_id) buf_printf(q, "unit=%lld&", (long long)f->unit_id);
  if (f->team_id) buf_printf(q, "team=%lld&", (long long)f->team_id);
  const struct { const char *k, *v; } kv[] = {
      {"jurisdiction", f->jurisdiction}, {"destination", f->destination},
      {"office", f->handling_office}, {"state", f->state}, {"from", f->from}, {"to", f->to}, {"q", f->q},
      {"fig", f->fig}, {"sort", f->sort}};
  for (size_t i = 0; i < JX_COUNT(kv); i++)
    if (kv[i].v && *kv[i].v) {
      buf_printf(q, "%s=", kv[i].k);
      url_encode(q, kv[i].v);
      buf_putc(q, '&');
    }
  if (f->overdue) buf_puts(q, "overdue=1&");
  if (f->desc) buf_puts(q, "desc=1&");
}

static void opt(Buf *b, const char *value, const char *label,
                const char *selected) {
  html_printf(b, "<option value=\"%s\"%s>%s</option>", value,
              str_eq(value, selected) ? " selected" : "", label);
}

static void id_opt(Buf *b, int64_t id, const char *label, int64_t selected) {
  html_printf(b, "<option value=\"%lld\"%s>%s</option>", (long long)id,
              id == selected ? " selected" : "", label);
}

static void filter_form(Request *req, Response *resp, const ClueViewer *v,
                        const ClueFilter *f) {
  Buf *b = &resp->body;
  html_raw(b, "<form class=\"search filters\" method=\"get\" "
              "action=\"/clues\" id=\"ledger-filter\">\n<label>轮次"
              "<select name=\"round\"><option value=\"\">全部</option>");
  Stmt *st = db_stmt(req->db, STMT_CLUEW_ROUND_CHOICES);
  ntk_bind_jur(st, 1, &v->who, v->scope);
  while (db_step(st) == DB_ROW)
    id_opt(b, db_column_int64(st, 0), db_column_text(st, 1), f->round_id);
  db_reset(st);
  html_raw(b, "</select></label>\n");
  if (f->round_id) {
    /* Units and teams of the chosen round (choose the round first:
     * the form works without JavaScript). */
    html_raw(b, "<label>被巡察单位<select name=\"unit\"><option value=\"\">"
                "全部</option>");
    st = db_stmt(req->db, STMT_CLUEW_ROUND_UNITS);
    db_bind_int64(st, 1, f->round_id);
    while (db_step(st) == DB_ROW)
      id_opt(b, db_column_int64(st, 0), db_column_text(st, 2), f->unit_id);
    db_reset(st);
    html_raw(b, "</select></label>\n<label>巡察组<select name=\"team\">"
                "<option value=\"\">全部</option>");
    st = db_stmt(req->db, STMT_CLUEW_ROUND_TEAMS);
    db_bind_int64(st, 1, f->round_id);
    while (db_step(st) == DB_ROW)
      id_opt(b, db_column_int64(st, 0), db_column_text(st, 1), f->team_id);
    db_reset(st);
    html_raw(b, "</select></label>\n");
  }
  html_raw(b, "<label>接收机关<select name=\"destination\">"
              "<option value=\"\">全部</option>");
  for (size_t i = 0; i < n_clue_destinations; i++)
    opt(b, clue_destinations[i].code, clue_destinations[i].label,
        f->destination);
  html_raw(b, "</select></label>\n<label>承办室<select name=\"office\">"
              "<option value=\"\">全部</option>");
  st = db_stmt(req->db, STMT_CLUEW_OFFICE_CHOICES);
  ntk_bind_jur(st, 1, &v->who, v->scope);
  while (db_step(st) == DB_ROW)
    opt(b, db_column_text(st, 0), db_column_text(st, 1), f->handling_office);
  db_reset(st);
  html_raw(b, "</select></label>\n<label>状态<select name=\"state\">"
              "<option value=\"\">全部</option>");
  opt(b, "open", "未办结", f->state);
  opt(b, "terminal", "已办结", f->state);
  for (size_t i = 0; i < n_clue_states; i++)
    opt(b, clue_states[i].code, clue_states[i].label, f->state);
  html_printf(b,
              "</select></label>\n<label>移交日期起<input type=\"date\" "
              "name=\"from\" value=\"%s\"></label>\n<label>移交日期止<input "
              "type=\"date\" name=\"to\" value=\"%s\"></label>\n<label>"
              "编号、摘要或被反映人<input name=\"q\" maxlength=\"50\" "
              "value=\"%s\"></label>\n<label class=\"check\"><input "
              "type=\"checkbox\" name=\"overdue\" value=\"1\"%s> 仅逾期</label>\n"
              "<label>排序<select name=\"sort\">",
              f->from ? f->from : "", f->to ? f->to : "", f->q ? f->q : "",
              f->overdue ? " checked" : "");
  opt(b, "transferred", "移交日期", f->sort);
  opt(b, "due", "下一期限", f->sort);
  opt(b, "code", "线索编号", f->sort);
  opt(b, "updated", "最近更新", f->sort);
  html_printf(b, "</select></label>\n<label class=\"check\"><input "
                 "type=\"checkbox\" name=\"desc\" value=\"1\"%s> 倒序</label>\n",
              f->desc ? " checked" : "");
  /* The figures page links a jurisdiction group here (its subtree). */
  if (f->jurisdiction && *f->jurisdiction)
    html_printf(b,
                "<input type=\"hidden\" name=\"jurisdiction\" value=\"%s\">"
                "<p class=\"hint\">辖区：%s 及下辖</p>\n",
                f->jurisdiction, f->jurisdiction);
  if (f->fig && *f->fig) {
    const ClueFigure *fg = clue_figure(f->fig);
    html_printf(b,
                "<input type=\"hidden\" name=\"fig\" value=\"%s\">"
                "<p class=\"hint\">按统计指标筛选：%s</p>\n",
                f->fig, fg ? fg->label : f->fig);
  }
  html_raw(b, "<button type=\"submit\">查询</button> "
              "<a href=\"/clues\">清除条件</a></form>\n");
}

/* 立案 / 处理结果 / 办结 as the ledger shows them. */
static void filed_text(Buf *o, const ClueRow *r) {
  if (r->n_filed > 0)
    buf_printf(o, "是（%s，%lld 人）", r->filed_on, (long long)r->n_filed);
  else
    buf_puts(o, "否");
}

static void outcome_text(Buf *o, const ClueRow *r) {
  if (*r->outcome) buf_puts(o, cw_state_label(r->outcome));
  if (r->n_sanctioned > 0)
    buf_printf(o, "%s处理 %lld 人", o->len ? "，" : "",
               (long long)r->n_sanctioned);
  if (!o->len) buf_puts(o, "—");
}

static void due_text(Buf *o, const char *on, const char *kind) {
  if (!on || !*on) {
    buf_puts(o, "—");
    return;
  }
  const ClueDueRule *r = clue_due_rule(kind);
  buf_printf(o, "%s %s", on, r ? r->label : cw_s(kind));
}

static void ledger_table(Request *req, Response *resp, const ClueRow *rows,
                         size_t n) {
  Buf *b = &resp->body;
  html_raw(b, "<div class=\"table-wrap\"><table class=\"grid ledger\" "
              "id=\"ledger\"><thead><tr>"
              "<th>线索编号</th><th>移交编号</th><th>轮次</th><th>被巡察单位</th>"
              "<th>被反映人</th><th>问题摘要</th><th>移交日期</th><th>接收机关</th>"
              "<th>承办室</th><th>处置方式</th><th>立案</th><th>状态</th>"
              "<th>处理结果</th><th>办结</th><th>下一期限</th></tr></thead>"
              "<tbody>\n");
  for (size_t i = 0; i < n; i++) {
    const ClueRow *r = &rows[i];
    Buf filed = BUF_INIT, out = BUF_INIT, due = BUF_INIT;
    filed_text(&filed, r);
    outcome_text(&out, r);
    due_text(&due, r->next_due_on, r->next_due_kind);
    const char *dc = cw_due_class(req->db, r->next_due_on);
    html_printf(
        b,
        "<tr class=\"%s\" data-id=\"%lld\"><td><a href=\"/clues/%lld\">%s</a>"
        "%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
        "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
        "<td class=\"state\">%s</td><td>%s</td><td>%s</td>"
        "<td class=\"due %s\">%s</td></tr>\n",
        str_eq(dc, "overdue") ? "overdue" : "", (long long)r->id,
        (long long)r->id, r->code,
        str_eq(r->kind, "suggestion") ? "<br><small>整改建议</small>" : "",
        cw_s(r->transfer_no), cw_s(r->round_title), cw_s(r->unit_name),
        r->full ? cw_s(r->persons_text) : "—",
        r->full ? cw_s(r->summary) : "（仅可查看状态）",
        cw_s(r->transferred_on), cw_s(dest_label(r->destination)),
        cw_s(r->handling_office_name),
        *r->disposal ? clue_code_label(clue_disposals, n_clue_disposals,
                                       r->disposal)
                     : "—",
        buf_str(&filed), cw_state_label(r->state), buf_str(&out),
        *r->concluded_on ? r->concluded_on : "否", dc, buf_str(&due));
    buf_release(&filed);
    buf_release(&out);
    buf_release(&due);
  }
  html_raw(b, "</tbody></table></div>\n");
}

/* ROUTE: GET /clues — the ledger (audited as clue.list). */
void page_clues(Request *req, Response *resp) {
  ClueViewer v;
  ClueFilter f;
  ClueRow *rows = NULL;
  size_t n = 0;
  int64_t total = 0, page = 1;
  Buf *b = &resp->body;
  Buf q = BUF_INIT;
  if (cw_viewer(req, resp, &v) != 0) return;
  ledger_filter(req, &f, &page);
  ClueResult r = clue_ledger(req->db, &v, &f, CW_PER_PAGE,
                             (page - 1) * CW_PER_PAGE, &rows, &n, &total);
  req->audit_object = "clue";
  buf_printf(&req->audit_summary, "查询问题线索台账（第 %lld 页，共 %lld 条）",
             (long long)page, (long long)total);
  page_begin(req, resp, "问题线索台账", "clues");
  cw_tabs(req, resp);
  filter_form(req, resp, &v, &f);
  ledger_query(&f, &q);
  if (r == CLUE_EINVALID) {
    page_notice(resp, "error", "查询条件有误（日期格式为 YYYY-MM-DD）");
  } else if (r != CLUE_OK) {
    page_notice(resp, "error", "读取台账失败，请稍后重试");
  } else {
    html_printf(b, "<p class=\"summary\">共 <strong id=\"ledger-total\">%lld"
                   "</strong> 条。<span class=\"legend overdue\">逾期</span> "
                   "表示下一期限已过。",
                (long long)total);
    if (auth_route_allowed(req, P_CLUE_EXPORT))
      html_printf(b, " <a href=\"/clues/export.xlsx?%s\">导出 Excel</a>",
                  buf_str(&q));
    html_raw(b, "</p>\n");
    if (n)
      ledger_table(req, resp, rows, n);
    else
      html_raw(b, "<p class=\"hint\">没有符合条件的问题线索。</p>\n");
    int64_t pages = (total + CW_PER_PAGE - 1) / CW_PER_PAGE;
    if (pages > 1) {
      html_printf(b, "<p class=\"pager\">第 %lld / %lld 页 ", (long long)page,
                  (long long)pages);
      if (page > 1)
        html_printf(b, "<a href=\"/clues?%spage=%lld\">上一页</a> ",
                    buf_str(&q), (long long)(page - 1));
      if (page < pages)
        html_printf(b, "<a href=\"/clues?%spage=%lld\">下一页</a>",
                    buf_str(&q), (long long)(page + 1));
      html_raw(b, "</p>\n");
    }
  }
  clue_rows_free(rows, n);
  buf_release(&q);
  page_end(req, resp);
}

/* ROUTE: GET /clues/export.xlsx — the ledger as filtered, DOMAIN §6.4
** columns; the summary only where the user has full access. */
void page_clues_export(Request *req, Response *resp) {
  static const ExportColumn cols[] = {
      {"线索编号", 16}, {"移交编号", 22}, {"轮次", 22},   {"被巡察单位", 22},
      {"被反映人", 18}, {"问题摘要", 40}, {"移交日期", 12}, {"接收机关", 12},
      {"承办室", 20},   {"处置方式", 12}, {"立案", 18},     {"状态", 14},
      {"处理结果", 22}, {"办结", 12},     {"下一期限", 20}};
  ClueViewer v;
  ClueFilter f;
  ClueRow *rows = NULL;
  size_t n = 0;
  int64_t total = 0, page;
  Buf err = BUF_INIT;
  if (cw_viewer(req, resp, &v) != 0) return;
  ledger_filter(req, &f, &page);
  if (clue_ledger(req->db, &v, &f, 100000, 0, &rows, &n, &total) != CLUE_OK) {
    web_error(req, resp, 500, "db_error", "读取台账失败，请稍后重试", NULL);
    return;
  }
  Export *e = export_begin(EXPORT_XLSX, "问题线索台账", cols, JX_COUNT(cols),
                           &err);
  for (size_t i = 0; e && i < n; i++) {
    const ClueRow *r = &rows[i];
    Buf filed = BUF_INIT, out = BUF_INIT, due = BUF_INIT;
    filed_text(&filed, r);
    outcome_text(&out, r);
    due_text(&due, r->next_due_on, r->next_due_kind);
    export_text(e, r->code);
    export_text(e, r->transfer_no);
    export_text(e, r->round_title);
    export_text(e, r->unit_name);
    export_text(e, r->full ? r->persons_text : "");
    export_text(e, r->full ? r->summary : "（仅可查看状态）");
    export_text(e, r->transferred_on);
    export_text(e, dest_label(r->destination));
    export_text(e, r->handling_office_name);
    export_text(e, *r->disposal ? clue_code_label(clue_disposals,
                                                  n_clue_disposals, r->disposal)
                                : "");
    export_text(e, buf_str(&filed));
    export_text(e, cw_state_label(r->state));
    export_text(e, buf_str(&out));
    export_text(e, *r->concluded_on ? r->concluded_on : "否");
    export_text(e, buf_str(&due));
    export_row_end(e);
    buf_release(&filed);
    buf_release(&out);
    buf_release(&due);
  }
  req->audit_object = "clue";
  buf_printf(&req->audit_summary, "导出问题线索台账 %zu 条", n);
  if (!e || export_respond(e, resp, "clues", &err) != 0)
    web_error(req, resp, 500, "export_failed",
              err.len ? buf_str(&err) : "生成文件失败，请稍后重试", NULL);
  clue_rows_free(rows, n);
  buf_release(&err);
}

/* ---- recording and editing a clue ---- */

#define FORM_ROWS 3 /* blank typed-person rows offered */

/* One team/unit the user may record a clue for. */
typedef struct Choice {
  int64_t team_id, round_id, unit_id;
  char label[400];
} Choice;

/* The (team, unit) pairs of the teams the user is a member of. */
static size_t my_choices(Request *req, Choice *out, size_t max) {
  size_t n = 0;
  Stmt *st = db_stmt(req->db, STMT_CLUEW_MY_TEAM_UNITS);
  db_bind_int64(st, 1, req->user_id);
  while (n < max && db_step(st) == DB_ROW) {
    out[n].team_id = db_column_int64(st, 0);
    out[n].round_id = db_column_int64(st, 2);
    out[n].unit_id = db_column_int64(st, 4);
    snprintf(out[n].label, sizeof out[n].label, "%s · %s · %s",
             db_column_text(st, 3), db_column_text(st, 1),
             db_column_text(st, 6));
    n++;
  }
  db_reset(st);
  return n;
}

/* "team:unit" of the form or query into a choice; NULL when none. */
static const Choice *find_choice(const char *s, const Choice *ch, size_t n) {
  long long t = 0, u = 0;
  if (!s || sscanf(s, "%lld:%lld", &t, &u) != 2) return NULL;
  for (size_t i = 0; i < n; i++)
    if (ch[i].team_id == t && ch[i].unit_id == u) return &ch[i];
  return NULL;
}

/* A form value, else the clue's value (c may be NULL), else "". */
static const char *fv(Request *req, int posted, const char *name,
                      const char *from_clue) {
  if (posted) {
    const char *s = params_get(&req->form, name);
    return s ? s : "";
  }
  return from_clue ? from_clue : "";
}

static void code_select(Buf *b, const char *name, const char *label,
                        const ClueCode *t, size_t n, const char *sel) {
  html_printf(b, "<label>%s<select name=\"%s\" required>", label, name);
  for (size_t i = 0; i < n; i++) opt(b, t[i].code, t[i].label, sel);
  html_raw(b, "</select></label>\n");
}

/* Is registry person id checked on the posted form / on the clue? */
static int reg_checked(Request *req, int posted, const Clue *c, int64_t id) {
  if (posted) {
    for (size_t i = 0; i < req->form.n; i++) {
      int64_t v;
      if (str_eq(req->form.items[i].name, "reg") &&
          cw_id(req->form.items[i].value, &v) == 0 && v == id)
        return 1;
    }
    return 0;
  }
  for (size_t i = 0; c && i < c->n_persons_loaded; i++)
    if (c->persons[i].person_id == id) return 1;
  return 0;
}

/* The persons of the unit from the registry (for P_PEOPLE_READ holders;
** audited as a read of the registry) as checkboxes. */
static void registry_persons(Request *req, Response *resp, int64_t unit_id,
                             int posted, const Clue *c) {
  Buf *b = &resp->body;
  if (!auth_route_allowed(req, P_PEOPLE_READ)) {
    html_raw(b, "<p class=\"hint\">您无权查看干部人员库，请在下方填写"
                "被反映人。</p>\n");
    return;
  }
  OrgViewer ov;
  OrgPerson *p = NULL;
  size_t n = 0;
  ntk_subject_from_request(req, &ov.who);
  ov.scope = policy_scope(ov.who.roles, P_PEOPLE_READ);
  OrgPersonFilter pf = {NULL, NULL, unit_id};
  if (org_people_list(req->db, &ov, &pf, 200, 0, &p, &n, NULL) != DB_OK ||
      !n) {
    html_raw(b, "<p class=\"hint\">干部人员库中没有该单位的人员。</p>\n");
    org_people_free(p, n);
    return;
  }
  if (str_eq(req->method, "GET")) {
    /* The form's own route is not audited; this read of the registry is
     * (after a refused POST, the route's own record covers the page). */
    req->audit_object = "person";
    req->audit_object_id = 0;
    buf_clear(&req->audit_summary);
    buf_printf(&req->audit_summary, "登记问题线索时查看单位 #%lld 的干部人员 %zu 名",
               (long long)unit_id, n);
    web_audit(req, "person.list", AUDIT_OK);
  }
  html_raw(b, "<fieldset class=\"registry\"><legend>从干部人员库选择"
              "</legend>\n");
  for (size_t i = 0; i < n; i++)
    html_printf(b,
                "<label class=\"check\"><input type=\"checkbox\" name=\"reg\" "
                "value=\"%lld\"%s> %s <small>%s</small></label>\n",
                (long long)p[i].id,
                reg_checked(req, posted, c, p[i].id) ? " checked" : "",
                p[i].name, p[i].post);
  html_raw(b, "</fieldset>\n");
  org_people_free(p, n);
}

/* Typed person rows: the clue's typed persons (edit), or what was
** posted, plus blank rows. */
static void typed_persons(Request *req, Response *resp, int posted,
                          const Clue *c) {
  Buf *b = &resp->body;
  size_t shown = 0;
  html_raw(b, "<fieldset class=\"persons\"><legend>被反映人（不在人员库中的"
              "直接填写）</legend>\n");
  for (size_t i = 1; i <= CLUE_MAX_PERSONS; i++) {
    char kn[16], kp[16], ka[16], ks[16];
    const char *name = "", *post = "";
    int party = 0, super = 0;
    snprintf(kn, sizeof kn, "p%zu_name", i);
    snprintf(kp, sizeof kp, "p%zu_post", i);
    snprintf(ka, sizeof ka, "p%zu_party", i);
    snprintf(ks, sizeof ks, "p%zu_super", i);
    if (posted) {
      name = fv(req, 1, kn, NULL);
      post = fv(req, 1, kp, NULL);
      party = str_eq(params_get(&req->form, ka), "1");
      super = str_eq(params_get(&req->form, ks), "1");
    } else if (c) {
      /* The clue's typed persons, in order (registry ones are ticked
       * above). */
      size_t k = 0, seen = 0;
      for (; k < c->n_persons_loaded; k++)
        if (!c->persons[k].person_id && ++seen == i) break;
      if (k < c->n_persons_loaded) {
        name = c->persons[k].name;
        post = c->persons[k].post;
        party = c->persons[k].party_member;
        super = c->persons[k].supervisory_object;
      }
    }
    if (!*name && shown >= FORM_ROWS && i > FORM_ROWS) break;
    shown++;
    html_printf(b,
                "<div class=\"person-row\"><label>姓名<input name=\"%s\" "
                "maxlength=\"50\" value=\"%s\"></label><label>职务<input "
                "name=\"%s\" maxlength=\"100\" value=\"%s\"></label>"
                "<label class=\"check\"><input type=\"checkbox\" name=\"%s\" "
                "value=\"1\"%s> 中共党员</label><label class=\"check\"><input "
                "type=\"checkbox\" name=\"%s\" value=\"1\"%s> 监察对象</label>"
                "</div>\n",
                kn, name, kp, post, ka, party ? " checked" : "", ks,
                super ? " checked" : "");
  }
  html_raw(b, "</fieldset>\n");
}

/* The form: new (c NULL) or edit.  posted: refill from req->form. */
static void clue_form(Request *req, Response *resp, const Clue *c,
                      const char *error, int posted) {
  Buf *b = &resp->body;
  Choice ch[64];
  size_t n = my_choices(req, ch, JX_COUNT(ch));
  const char *sel = posted ? params_get(&req->form, "choice")
                           : params_get(&req->query, "choice");
  char cur[48] = "";
  if (c) {
    snprintf(cur, sizeof cur, "%lld:%lld", (long long)c->team_id,
             (long long)c->unit_id);
    if (!sel) sel = cur;
  }
  const Choice *chosen = find_choice(sel, ch, n);
  if (!chosen && !c && n == 1) chosen = &ch[0];
  Buf title = BUF_INIT;
  if (c) buf_printf(&title, "编辑问题线索 %s", c->code);
  page_begin(req, resp, c ? buf_str(&title) : "登记问题线索", "clues");
  buf_release(&title);
  cw_tabs(req, resp);
  if (error) page_notice(resp, "error", error);
  if (!n) {
    html_raw(b, "<p class=\"notice info\">您不是任何巡察组的成员（或账号未"
                "关联巡察力量库人员），不能登记问题线索。</p>\n");
    page_end(req, resp);
    return;
  }
  /* Step 1 (GET): the team and unit, so the registry list can follow. */
  html_printf(b, "<form class=\"search choice\" method=\"get\" action=\"%s\">"
                 "<label>巡察组与被巡察单位<select name=\"choice\">",
              c ? "" : "/clues/new");
  for (size_t i = 0; i < n; i++) {
    if (c && ch[i].team_id != c->team_id) continue;
    char val[48];
    snprintf(val, sizeof val, "%lld:%lld", (long long)ch[i].team_id,
             (long long)ch[i].unit_id);
    opt(b, val, ch[i].label, chosen == &ch[i] ? val : "");
  }
  html_raw(b, "</select></label><button type=\"submit\">选择单位</button>"
              "</form>\n");
  if (!chosen) {
    html_raw(b, "<p class=\"hint\">请先选择巡察组与被巡察单位。</p>\n");
    page_end(req, resp);
    return;
  }
  char action[64], val[48];
  snprintf(action, sizeof action, c ? "/clues/%lld" : "/clues",
           (long long)(c ? c->id : 0));
  snprintf(val, sizeof val, "%lld:%lld", (long long)chosen->team_id,
           (long long)chosen->unit_id);
  html_raw(b, "<div class=\"clue-form\">");
  form_begin(req, resp, action);
  html_printf(b, "<input type=\"hidden\" name=\"choice\" value=\"%s\">"
                 "<p>巡察组与被巡察单位：<strong id=\"choice\">%s</strong></p>\n",
              val, chosen->label);
  const char *kind = fv(req, posted, "kind", c ? c->kind : "clue");
  int sugg = str_eq(kind, "suggestion");
  html_printf(b,
              "<fieldset><legend>类型</legend><label class=\"check\"><input "
              "type=\"radio\" name=\"kind\" value=\"clue\"%s> 问题线索</label>"
              "<label class=\"check\"><input type=\"radio\" name=\"kind\" "
              "value=\"suggestion\"%s> 整改建议（一般性问题，不作为线索移交）"
              "</label></fieldset>\n",
              sugg ? "" : " checked", sugg ? " checked" : "");
  code_select(b, "category", "问题类别", clue_categories, n_clue_categories,
              fv(req, posted, "category", c ? c->category : NULL));
  code_select(b, "source", "线索来源", clue_sources, n_clue_sources,
              fv(req, posted, "source", c ? c->source : NULL));
  char today[11];
  date_today(today);
  const char *found = fv(req, posted, "found_on", c ? c->found_on : today);
  html_printf(b,
              "<label>发现日期<input type=\"date\" name=\"found_on\" "
              "value=\"%s\"></label>\n<label>问题摘要（不超过 200 字）<input "
              "name=\"summary\" required maxlength=\"200\" value=\"%s\">"
              "</label>\n<label>主要事实<textarea name=\"facts\" rows=\"6\" "
              "maxlength=\"20000\">%s</textarea></label>\n",
              found, fv(req, posted, "summary", c ? c->summary : NULL),
              fv(req, posted, "facts", c ? c->facts : NULL));
  registry_persons(req, resp, chosen->unit_id, posted, c);
  typed_persons(req, resp, posted, c);
  int cn = posted ? str_eq(params_get(&req->form, "cond_nature"), "1")
                  : c && c->cond_nature;
  int ce = posted ? str_eq(params_get(&req->form, "cond_evidence"), "1")
                  : c && c->cond_evidence;
  int cf = posted ? str_eq(params_get(&req->form, "cond_facts"), "1")
                  : c && c->cond_facts;
  html_printf(b,
              "<fieldset><legend>移交条件（三项同时满足方可移交）</legend>"
              "<label class=\"check\"><input type=\"checkbox\" "
              "name=\"cond_nature\" value=\"1\"%s> 问题性质明确</label>"
              "<label class=\"check\"><input type=\"checkbox\" "
              "name=\"cond_evidence\" value=\"1\"%s> 证据充分</label>"
              "<label class=\"check\"><input type=\"checkbox\" "
              "name=\"cond_facts\" value=\"1\"%s> 事实清晰</label></fieldset>\n"
              "<button type=\"submit\">保存</button></form></div>\n",
              cn ? " checked" : "", ce ? " checked" : "", cf ? " checked" : "");
  page_end(req, resp);
}

/* ROUTE: GET /clues/new */
void page_clue_new(Request *req, Response *resp) {
  clue_form(req, resp, NULL, NULL, 0);
}

/* ROUTE: GET /clues/{id}/edit */
void page_clue_edit(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  if (cw_viewer(req, resp, &v) != 0 || cw_clue_of_path(req, resp, &v, &c) != 0)
    return;
  if (!c.full) {
    web_error(req, resp, 403, "forbidden", "您只能查看该线索的办理状态", NULL);
  } else if (!str_eq(c.state, "draft") && !str_eq(c.state, "reviewed")) {
    web_error(req, resp, 409, "conflict", "线索已提交移交审批，不能再修改",
              NULL);
  } else {
    clue_form(req, resp, &c, NULL, 0);
  }
  clue_clear(&c);
}

/* Read the posted form into in (persons into ps[]).  The strings point
** into req->form. */
static void read_form(Request *req, const Choice *ch, ClueIn *in,
                      CluePersonIn *ps) {
  const ParamList *f = &req->form;
  size_t np = 0;
  memset(in, 0, sizeof *in);
  if (ch) {
    in->round_id = ch->round_id;
    in->team_id = ch->team_id;
    in->unit_id = ch->unit_id;
  }
  in->kind = params_get(f, "kind");
  in->category = params_get(f, "category");
  in->source = params_get(f, "source");
  in->summary = params_get(f, "summary");
  in->facts = params_get(f, "facts");
  in->found_on = params_get(f, "found_on");
  in->cond_nature = str_eq(params_get(f, "cond_nature"), "1");
  in->cond_evidence = str_eq(params_get(f, "cond_evidence"), "1");
  in->cond_facts = str_eq(params_get(f, "cond_facts"), "1");
  for (size_t i = 0; i < f->n && np < CLUE_MAX_PERSONS + 1; i++) {
    int64_t id;
    if (str_eq(f->items[i].name, "reg") && cw_id(f->items[i].value, &id) == 0)
      ps[np++] = (CluePersonIn){id, "", "", 0, 0};
  }
  for (size_t i = 1; i <= CLUE_MAX_PERSONS && np < CLUE_MAX_PERSONS + 1;
       i++) {
    char k[16];
    snprintf(k, sizeof k, "p%zu_name", i);
    const char *name = params_get(f, k);
    if (!name || !*name) continue;
    CluePersonIn *p = &ps[np++];
    memset(p, 0, sizeof *p);
    p->name = name;
    snprintf(k, sizeof k, "p%zu_post", i);
    p->post = params_get(f, k) ? params_get(f, k) : "";
    snprintf(k, sizeof k, "p%zu_party", i);
    p->party_member = str_eq(params_get(f, k), "1");
    snprintf(k, sizeof k, "p%zu_super", i);
    p->supervisory_object = str_eq(params_get(f, k), "1");
  }
  in->persons = ps;
  in->n_persons = np;
}

/* ROUTE: POST /clues — record a clue (audited as clue.create). */
void page_clue_create(Request *req, Response *resp) {
  ClueViewer v;
  ClueIn in;
  CluePersonIn ps[CLUE_MAX_PERSONS + 1];
  Choice ch[64];
  Buf err = BUF_INIT;
  const char *field = NULL;
  int64_t id = 0;
  if (cw_viewer(req, resp, &v) != 0) return;
  size_t n = my_choices(req, ch, JX_COUNT(ch));
  const Choice *chosen = find_choice(req_param(req, "choice"), ch, n);
  read_form(req, chosen, &in, ps);
  ClueResult r = CLUE_EINVALID;
  if (!chosen)
    buf_puts(&err, "请选择巡察组与被巡察单位");
  else
    r = clue_create(req->db, &v, &in, &id, &field, &err);
  req->audit_object = "clue";
  if (r == CLUE_OK) {
    Clue c;
    req->audit_object_id = id;
    if (clue_get(req->db, &v, id, &c) == CLUE_OK) {
      cw_note(req, &c, "登记");
      clue_clear(&c);
    } else {
      buf_printf(&req->audit_summary, "登记问题线索 #%lld", (long long)id);
    }
    char loc[64];
    snprintf(loc, sizeof loc, "/clues/%lld?saved=1", (long long)id);
    resp_redirect(resp, loc);
  } else {
    buf_puts(&req->audit_summary, "登记问题线索未成功");
    cw_discard(req);
    clue_form(req, resp, NULL, err.len ? buf_str(&err) : "登记失败", 1);
    resp->status = clue_http_status(r);
  }
  buf_release(&err);
}

/* ROUTE: POST /clues/{id} — edit while with the team (clue.update). */
void page_clue_update(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  ClueIn in;
  CluePersonIn ps[CLUE_MAX_PERSONS + 1];
  Choice ch[64];
  Buf err = BUF_INIT;
  const char *field = NULL;
  if (cw_viewer(req, resp, &v) != 0 || cw_clue_of_path(req, resp, &v, &c) != 0)
    return;
  size_t n = my_choices(req, ch, JX_COUNT(ch));
  const Choice *chosen = find_choice(req_param(req, "choice"), ch, n);
  read_form(req, chosen, &in, ps);
  if (!chosen) { /* the team leader may not be listed as a member */
    in.round_id = c.round_id;
    in.team_id = c.team_id;
    in.unit_id = c.unit_id;
  }
  ClueResult r = clue_update(req->db, &v, c.id, &in, &field, &err);
  cw_note(req, &c, r == CLUE_OK ? "修改" : "修改未成功");
  if (r == CLUE_OK) {
    char loc[64];
    snprintf(loc, sizeof loc, "/clues/%lld?saved=1", (long long)c.id);
    resp_redirect(resp, loc);
  } else if (r == CLUE_ENOTFOUND) {
    web_error(req, resp, 404, "not_found", CW_NOT_FOUND, NULL);
  } else {
    cw_discard(req);
    clue_form(req, resp, &c, err.len ? buf_str(&err) : "保存失败", 1);
    resp->status = clue_http_status(r);
  }
  clue_clear(&c);
  buf_release(&err);
}
