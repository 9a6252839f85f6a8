/* page_figures.c: the figures of the clue ledger (移交数, 办结率, 成案率 …)
** as a page and as JSON.
**
** Every number is computed by domain/clue_stats.c over the clues the
** viewer may see, and every number links to the ledger filtered by the
** same figure (fig=<code>) and the same filters, plus the row's group —
** the ledger then lists exactly the clues counted (one predicate, two
** uses).  Each figure's definition, with the settings' choices where no
** official definition exists, is printed under the table: a number whose
** meaning is only in a tooltip is a number nobody can check.
*/
#include <stdlib.h>

#include "auth/auth.h"
#include "auth/policy.h"
#include "domain/clue_due.h"
#include "domain/clue_stats.h"
#include "web/api.h"
#include "web/html.h"
#include "web/page_clues.h"
#include "web/pages.h"
#include "web/parse.h"

/* The groupings the page offers: code, label, ledger query key. */
static const struct {
  const char *code, *label, *param, *column;
} groups[] = {
    {"", "不分组（合计）", "", "范围"},
    {"round", "按巡察轮次", "round", "巡察轮次"},
    {"unit", "按被巡察单位", "unit", "被巡察单位"},
    {"team", "按巡察组", "team", "巡察组"},
    {"jurisdiction", "按辖区", "jurisdiction", "辖区（含下辖）"},
};

static int group_index(const char *code) {
  for (size_t i = 0; i < JX_COUNT(groups); i++)
    if (str_eq(groups[i].code, code ? code : "")) return (int)i;
  return -1;
}

/* The filters of the query string: 0, or -1 with the offending parameter
** in *field and a Chinese message in msg.  Strings point into req. */
static int read_filter(Request *req, ClueFilter *f, int *group,
                       const char **field, Buf *msg) {
  const ParamList *q = &req->query;
  static const char *const ids[] = {"round", "unit", "team"};
  int64_t *dst[] = {&f->round_id, &f->unit_id, &f->team_id};
  memset(f, 0, sizeof *f);
  for (size_t i = 0; i < JX_COUNT(ids); i++) {
    const char *s = params_get(q, ids[i]);
    if (s && *s && str_to_int64(s, 1, INT64_MAX, dst[i]) != 0) {
      *field = ids[i];
      buf_printf(msg, "参数 %s 应为正整数", ids[i]);
      return -1;
    }
  }
  const char *j = params_get(q, "jurisdiction");
  if (j && *j) {
    if (!ntk_jur_code_valid(j)) {
      *field = "jurisdiction";
      buf_puts(msg, "参数 jurisdiction 不是有效的辖区代码");
      return -1;
    }
    f->jurisdiction = j;
  }
  static const char *const dates[] = {"from", "to"};
  const char **ddst[] = {&f->from, &f->to};
  for (size_t i = 0; i < JX_COUNT(dates); i++) {
    const char *s = params_get(q, dates[i]);
    if (!s || !*s) continue;
    if (!date_valid(s)) {
      *field = dates[i];
      buf_printf(msg, "参数 %s 应为 YYYY-MM-DD 格式的日期", dates[i]);
      return -1;
    }
    *ddst[i] = s;
  }
  *group = group_index(params_get(q, "group"));
  if (*group < 0) {
    *field = "group";
    buf_puts(msg, "参数 group 应为 round、unit、team、jurisdiction 或留空");
    return -1;
  }
  return 0;
}

/* The ledger query string of f (no trailing '&'), with the row's group
** filter replacing the same filter of f. */
static void drill_query(Buf *q, const ClueFilter *f, const char *gparam,
                        const char *gkey) {
  struct {
    const char *k, *v;
  } kv[] = {{"round", NULL}, {"unit", NULL}, {"team", NULL},
            {"jurisdiction", f->jurisdiction}, {"from", f->from},
            {"to", f->to}};
  char ids[3][24];
  const int64_t idv[] = {f->round_id, f->unit_id, f->team_id};
  for (int i = 0; i < 3; i++)
    if (idv[i]) {
      snprintf(ids[i], sizeof ids[i], "%lld", (long long)idv[i]);
      kv[i].v = ids[i];
    }
  for (size_t i = 0; i < JX_COUNT(kv); i++) {
    const char *v = gparam && *gparam && str_eq(gparam, kv[i].k) ? gkey
                                                                  : kv[i].v;
    if (!v || !*v) continue;
    buf_printf(q, "&%s=", kv[i].k);
    url_encode(q, v);
  }
}

/* The drill link of fig for row r: the ledger (base) filtered by the
** figure, f and — for a group row — the group's key. */
static void drill_url(Buf *url, const char *base, const ClueFigure *fig,
                      const ClueFilter *f, int group, const ClueStatRow *r) {
  buf_printf(url, "%s?fig=", base);
  url_encode(url, fig->drill);
  drill_query(url, f, groups[group].param, r->key);
}

static void ratio_text(Buf *o, int pm) {
  if (pm < 0)
    buf_puts(o, "—");
  else
    buf_printf(o, "%d.%d%%", pm / 10, pm % 10);
}

/* One table cell: the number (a ratio as a percentage with its parts),
** linked to the ledger. */
static void cell(Buf *b, const ClueFigure *fig, const ClueFilter *f,
                 int group, const ClueStatRow *r, int linked) {
  Buf url = BUF_INIT, text = BUF_INIT;
  int64_t num = 0, den = 0;
  if (str_eq(fig->kind, "ratio")) {
    ratio_text(&text, clue_stat_ratio(fig, r, &num, &den));
  } else {
    buf_printf(&text, "%lld", (long long)r->value[fig - clue_figures]);
  }
  if (linked) drill_url(&url, "/clues", fig, f, group, r);
  if (linked)
    html_printf(b, "<td class=\"num\" data-fig=\"%s\"><a href=\"%s\">%s</a>",
                fig->code, buf_str(&url), buf_str(&text));
  else
    html_printf(b, "<td class=\"num\" data-fig=\"%s\">%s", fig->code,
                buf_str(&text));
  if (str_eq(fig->kind, "ratio"))
    html_printf(b, "<br><small>%lld / %lld</small>", (long long)num,
                (long long)den);
  html_raw(b, "</td>");
  buf_release(&url);
  buf_release(&text);
}

static void id_opt(Buf *b, int64_t id, const char *label, int64_t selected) {
  html_printf(b, "<option value=\"%lld\"%s>%s</option>", (long long)id,
              id == selected ? " selected" : "", label);
}

static void filter_form(Request *req, Response *resp, const ClueViewer *v,
                        const ClueFilter *f, int group) {
  Buf *b = &resp->body;
  html_raw(b, "<form class=\"search filters\" method=\"get\" "
              "action=\"/clues/figures\" id=\"figures-filter\">\n<label>轮次"
              "<select name=\"round\"><option value=\"\">全部</option>");
  Stmt *st = db_stmt(req->db, STMT_CLUEW_ROUND_CHOICES);
  if (st) {
    ntk_bind_jur(st, 1, &v->who, v->scope);
    while (db_step(st) == DB_ROW)
      id_opt(b, db_column_int64(st, 0), db_column_text(st, 1), f->round_id);
    db_reset(st);
  }
  html_raw(b, "</select></label>\n");
  if (f->round_id) {
    /* Units and teams of the chosen round (works without JavaScript:
     * choose the round, then 查询). */
    html_raw(b, "<label>被巡察单位<select name=\"unit\"><option value=\"\">"
                "全部</option>");
    st = db_stmt(req->db, STMT_CLUEW_ROUND_UNITS);
    if (st) {
      db_bind_int64(st, 1, f->round_id);
      while (db_step(st) == DB_ROW)
        id_opt(b, db_column_int64(st, 0), db_column_text(st, 2), f->unit_id);
      db_reset(st);
    }
    html_raw(b, "</select></label>\n<label>巡察组<select name=\"team\">"
                "<option value=\"\">全部</option>");
    st = db_stmt(req->db, STMT_CLUEW_ROUND_TEAMS);
    if (st) {
      db_bind_int64(st, 1, f->round_id);
      while (db_step(st) == DB_ROW)
        id_opt(b, db_column_int64(st, 0), db_column_text(st, 1), f->team_id);
      db_reset(st);
    }
    html_raw(b, "</select></label>\n");
  } else {
    /* Kept when set by a link (a group row's drill-down). */
    if (f->unit_id)
      html_printf(b, "<input type=\"hidden\" name=\"unit\" value=\"%lld\">",
                  (long long)f->unit_id);
    if (f->team_id)
      html_printf(b, "<input type=\"hidden\" name=\"team\" value=\"%lld\">",
                  (long long)f->team_id);
  }
  html_raw(b, "<label>辖区<select name=\"jurisdiction\">"
              "<option value=\"\">全部</option>");
  st = db_stmt(req->db, STMT_RND_JUR_OPTIONS);
  if (st) {
    ntk_bind_jur(st, 1, &v->who, v->scope);
    while (db_step(st) == DB_ROW) {
      const char *code = db_column_text(st, 0);
      html_printf(b, "<option value=\"%s\"%s>%s（含下辖）</option>", code,
                  str_eq(code, f->jurisdiction) ? " selected" : "",
                  db_column_text(st, 1));
    }
    db_reset(st);
  }
  html_printf(b,
              "</select></label>\n<label>移交日期起<input type=\"date\" "
              "name=\"from\" value=\"%s\"></label>\n<label>移交日期止<input "
              "type=\"date\" name=\"to\" value=\"%s\"></label>\n<label>分组"
              "<select name=\"group\">",
              f->from ? f->from : "", f->to ? f->to : "");
  for (size_t i = 0; i < JX_COUNT(groups); i++)
    html_printf(b, "<option value=\"%s\"%s>%s</option>", groups[i].code,
                (int)i == group ? " selected" : "", groups[i].label);
  html_raw(b, "</select></label>\n<button type=\"submit\">统计</button> "
              "<a href=\"/clues/figures\">清除条件</a></form>\n");
}

static void figures_table(Response *resp, const ClueFilter *f, int group,
                          const ClueStatRow *rows, size_t n) {
  Buf *b = &resp->body;
  html_raw(b, "<div class=\"table-wrap\"><table class=\"grid figures\" "
              "id=\"figures\"><thead><tr>");
  html_printf(b, "<th>%s</th>", groups[group].column);
  for (size_t i = 0; i < n_clue_figures; i++)
    html_printf(b, "<th data-fig=\"%s\"><a href=\"#def-%s\">%s</a></th>",
                clue_figures[i].code, clue_figures[i].code,
                clue_figures[i].label);
  html_raw(b, "</tr></thead><tbody>\n");
  for (size_t k = 0; k < n; k++) {
    const ClueStatRow *r = &rows[k];
    int total = k == n - 1;
    /* A group without a key (clues recorded without a team) has no
     * ledger filter: its numbers are shown but not linked. */
    int linked = total || *r->key;
    if (total)
      html_raw(b, "<tr class=\"total\">");
    else
      html_printf(b, "<tr data-key=\"%s\">", r->key);
    html_printf(b, "<th scope=\"row\">%s</th>", r->label);
    for (size_t i = 0; i < n_clue_figures; i++)
      cell(b, &clue_figures[i], f, total ? 0 : group, r, linked);
    html_raw(b, "</tr>\n");
  }
  html_raw(b, "</tbody></table></div>\n");
}

static void definitions(Request *req, Response *resp, int group) {
  Buf *b = &resp->body;
  html_raw(b, "<h2>指标口径</h2>\n<dl class=\"definitions\" "
              "id=\"figure-definitions\">\n");
  for (size_t i = 0; i < n_clue_figures; i++) {
    Buf def = BUF_INIT;
    clue_figure_definition(req->db, &clue_figures[i], &def);
    html_printf(b, "<dt id=\"def-%s\">%s</dt><dd>%s</dd>\n",
                clue_figures[i].code, clue_figures[i].label, buf_str(&def));
    buf_release(&def);
  }
  html_raw(b, "</dl>\n<p class=\"hint\">统计范围：您知悉范围内、本辖区内的"
              "问题线索（不含整改建议）；移交日期起止按移交日期筛选。每个数字"
              "链接到问题线索台账，列出计入该数字的线索（按人计的指标列出含"
              "相应人员的线索）。口径由安全管理员在“安全策略设置”中调整。");
  if (str_eq(groups[group].code, "jurisdiction"))
    html_raw(b, "按辖区分组时，每行含其下辖县（区）的线索，合计不重复计算。");
  html_raw(b, "</p>\n");
}

static void audit_note(Request *req, int group, const ClueFilter *f) {
  req->audit_object = "clue";
  buf_printf(&req->audit_summary, "查看问题线索统计指标（%s", groups[group].label);
  if (f->from || f->to)
    buf_printf(&req->audit_summary, "，移交日期 %s 至 %s",
               f->from ? f->from : "…", f->to ? f->to : "…");
  buf_puts(&req->audit_summary, "）");
}

/* ROUTE: GET /clues/figures — the figures, audited as clue.stats. */
void page_figures(Request *req, Response *resp) {
  ClueViewer v;
  ClueFilter f;
  int group = 0;
  const char *field = NULL;
  Buf msg = BUF_INIT;
  ClueStatRow *rows = NULL;
  size_t n = 0;
  if (cw_viewer(req, resp, &v) != 0) return;
  int bad = read_filter(req, &f, &group, &field, &msg);
  if (bad) { /* show the form with the message, count nothing */
    memset(&f, 0, sizeof f);
    group = 0;
  }
  audit_note(req, group, &f);
  ClueResult r = bad ? CLUE_EINVALID
                     : clue_stats(req->db, &v, &f, groups[group].code, &rows,
                                  &n);
  page_begin(req, resp, "问题线索统计指标", "clues");
  cw_tabs(req, resp);
  filter_form(req, resp, &v, &f, group);
  if (bad)
    page_notice(resp, "error", buf_str(&msg));
  else if (r != CLUE_OK)
    page_notice(resp, "error", "统计失败，请稍后重试");
  else
    figures_table(resp, &f, group, rows, n);
  definitions(req, resp, group);
  clue_stat_rows_free(rows, n);
  buf_release(&msg);
  page_end(req, resp);
}

/* ---- JSON ---- */

static json_t *row_json(const ClueFilter *f, int group, const ClueStatRow *r,
                        int total) {
  json_t *o = json_object(), *vals = json_object(), *links = json_object();
  json_object_set_new(o, "key", json_string(r->key));
  json_object_set_new(o, "label", json_string(r->label));
  for (size_t i = 0; i < n_clue_figures; i++) {
    const ClueFigure *fig = &clue_figures[i];
    if (str_eq(fig->kind, "ratio")) {
      int64_t num, den;
      int pm = clue_stat_ratio(fig, r, &num, &den);
      json_t *x = json_object();
      json_object_set_new(x, "percent",
                          pm < 0 ? json_null() : json_real(pm / 10.0));
      json_object_set_new(x, "numerator", json_integer(num));
      json_object_set_new(x, "denominator", json_integer(den));
      json_object_set_new(vals, fig->code, x);
    } else {
      json_object_set_new(vals, fig->code,
                          json_integer(r->value[fig - clue_figures]));
    }
    Buf url = BUF_INIT;
    if (total || *r->key) {
      drill_url(&url, "/api/v1/clues", fig, f, total ? 0 : group, r);
      json_t *l = json_object();
      json_object_set_new(l, "api", json_string(buf_str(&url)));
      buf_clear(&url);
      drill_url(&url, "/clues", fig, f, total ? 0 : group, r);
      json_object_set_new(l, "page", json_string(buf_str(&url)));
      json_object_set_new(links, fig->code, l);
    }
    buf_release(&url);
  }
  json_object_set_new(o, "values", vals);
  json_object_set_new(o, "drill", links);
  return o;
}

/* ROUTE: GET /api/v1/figures — the same as JSON: the definitions as they
** apply now, a row per group and the total, and for every number the
** ledger's URL (page and API) listing the clues it counts. */
void api_figures(Request *req, Response *resp) {
  ClueViewer v;
  ClueFilter f;
  int group = 0;
  const char *field = NULL;
  Buf msg = BUF_INIT;
  if (read_filter(req, &f, &group, &field, &msg) != 0) {
    web_error(req, resp, 400, "bad_parameter", buf_str(&msg), field);
    buf_release(&msg);
    return;
  }
  buf_release(&msg);
  if (clue_viewer_from_request(req, &v) != 0) {
    web_error(req, resp, 403, "forbidden", "请先登录", NULL);
    return;
  }
  audit_note(req, group, &f);
  ClueStatRow *rows = NULL;
  size_t n = 0;
  ClueResult r = clue_stats(req->db, &v, &f, groups[group].code, &rows, &n);
  if (r != CLUE_OK) {
    web_error(req, resp, 500, "db_error", "统计失败，请稍后重试", NULL);
    return;
  }
  json_t *figs = json_array();
  for (size_t i = 0; i < n_clue_figures; i++) {
    const ClueFigure *fig = &clue_figures[i];
    Buf def = BUF_INIT;
    clue_figure_definition(req->db, fig, &def);
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(fig->code));
    json_object_set_new(o, "label", json_string(fig->label));
    json_object_set_new(o, "kind", json_string(fig->kind));
    json_object_set_new(o, "definition", json_string(buf_str(&def)));
    json_object_set_new(o, "drill_fig", json_string(fig->drill));
    json_array_append_new(figs, o);
    buf_release(&def);
  }
  json_t *items = json_array();
  for (size_t k = 0; k + 1 < n; k++)
    json_array_append_new(items, row_json(&f, group, &rows[k], 0));
  json_t *out = json_object();
  json_object_set_new(out, "group", json_string(groups[group].code));
  json_t *filters = json_object();
  json_object_set_new(filters, "round", json_integer(f.round_id));
  json_object_set_new(filters, "unit", json_integer(f.unit_id));
  json_object_set_new(filters, "team", json_integer(f.team_id));
  json_object_set_new(filters, "jurisdiction",
                      json_string(f.jurisdiction ? f.jurisdiction : ""));
  json_object_set_new(filters, "from", json_string(f.from ? f.from : ""));
  json_object_set_new(filters, "to", json_string(f.to ? f.to : ""));
  json_object_set_new(out, "filters", filters);
  json_object_set_new(out, "figures", figs);
  json_object_set_new(out, "rows", items);
  json_object_set_new(out, "total", row_json(&f, group, &rows[n - 1], 1));
  clue_stat_rows_free(rows, n);
  api_json(resp, 200, out);
}
