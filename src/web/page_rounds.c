/* page_rounds.c: inspection rounds (巡察轮次) — list, create, edit, the
** units of a round with their phase and phase history, and the step to
** the next phase — as HTML pages and as the JSON API.  The rules live in
** domain/rounds.c; shared helpers in page_rounds_common.c. */
#include "web/page_rounds.h"

#include <stdlib.h>

#include "web/api.h"
#include "web/html.h"

/* ---- the round list ---- */

static void kind_options(Response *resp, const char *selected, int any) {
  Buf *b = &resp->body;
  if (any) html_raw(b, "<option value=\"\">全部类型</option>");
  for (size_t i = 0; i < n_round_kinds; i++)
    html_printf(b, "<option value=\"%s\"%s>%s</option>", round_kinds[i].code,
                str_eq(selected, round_kinds[i].code) ? " selected" : "",
                round_kinds[i].label);
}

/* ROUTE: GET /rounds — the rounds of the user's jurisdiction. */
void page_rounds(Request *req, Response *resp) {
  Buf *b = &resp->body;
  NtkSubject who;
  Scope sc = rw_who(req, P_ROUND_READ, &who);
  const char *kind = params_get(&req->query, "kind");
  if (!round_kind_label(kind)) kind = "";
  int64_t page = rw_page(req), total = 0;
  page_begin(req, resp, "巡察轮次", "rounds");
  rw_tabs(req, resp);
  if (auth_route_allowed(req, P_ROUND_EDIT))
    html_raw(b, "<p><a href=\"/rounds/new\">新建巡察轮次</a></p>\n");
  html_raw(b, "<form method=\"get\" action=\"/rounds\" class=\"search\">"
              "<label>巡察类型<select name=\"kind\">");
  kind_options(resp, kind, 1);
  html_raw(b, "</select></label><button type=\"submit\">筛选</button></form>\n");
  Stmt *st = db_stmt(req->db, STMT_RND_COUNT);
  int i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_text(st, i++, kind);
  db_bind_text(st, i++, kind);
  if (db_step(st) == DB_ROW) total = db_column_int64(st, 0);
  db_reset(st);
  if (!total) {
    html_raw(b, "<p class=\"hint\">暂无巡察轮次。</p>\n");
    page_end(req, resp);
    return;
  }
  html_raw(b, "<table class=\"grid\"><thead><tr><th>轮次</th><th>类型</th>"
              "<th>辖区</th><th>系统（领域）</th><th>巡察期</th>"
              "<th>被巡察单位</th><th>巡察组</th></tr></thead><tbody>\n");
  st = db_stmt(req->db, STMT_RND_LIST);
  i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_text(st, i++, kind);
  db_bind_text(st, i++, kind);
  db_bind_int64(st, i++, RW_PER_PAGE);
  db_bind_int64(st, i++, (page - 1) * RW_PER_PAGE);
  while (db_step(st) == DB_ROW) {
    Round r;
    Buf period = BUF_INIT;
    round_read_row(st, &r);
    rw_period(&period, r.start_date, r.end_date);
    html_printf(b,
                "<tr><td><a href=\"/rounds/%lld\">%s</a></td><td>%s</td>"
                "<td>%s</td><td>%s</td><td>%s</td><td>%lld</td><td>%lld</td>"
                "</tr>\n",
                (long long)r.id, r.title, round_kind_label(r.kind),
                r.jurisdiction_name, *r.sector_name ? r.sector_name : "—",
                buf_str(&period), (long long)r.n_units, (long long)r.n_teams);
    buf_release(&period);
    round_clear(&r);
  }
  db_reset(st);
  html_raw(b, "</tbody></table>\n");
  Buf q = BUF_INIT;
  if (*kind) {
    buf_puts(&q, "kind=");
    url_encode(&q, kind);
    buf_puts(&q, "&");
  }
  rw_pager(resp, "/rounds", buf_str(&q), page, total);
  buf_release(&q);
  page_end(req, resp);
}

/* ---- the round form ---- */

/* The create / edit form; r is the round being edited (NULL: new), and
** the submitted values refill it after an error. */
static void round_form(Request *req, Response *resp, const Round *r,
                       const char *error) {
  Buf *b = &resp->body;
  NtkSubject who;
  Scope sc = rw_who(req, P_ROUND_EDIT, &who);
  char action[64], num[24];
  int refill = error != NULL;
#define FIELD(name, cur) (refill ? req_param(req, name) : (cur))
  page_begin(req, resp, r ? "编辑巡察轮次" : "新建巡察轮次", "rounds");
  rw_tabs(req, resp);
  if (error) page_notice(resp, "error", error);
  snprintf(action, sizeof action, r ? "/rounds/%lld" : "/rounds",
           (long long)(r ? r->id : 0));
  form_begin(req, resp, action);
  snprintf(num, sizeof num, "%lld", (long long)(r ? r->term : 5));
  const char *v = FIELD("term", num);
  html_printf(b, "\n<label>届次（届）<input name=\"term\" type=\"number\" "
                 "min=\"1\" max=\"99\" required value=\"%s\"></label>\n",
              v ? v : "");
  snprintf(num, sizeof num, "%lld", (long long)(r ? r->number : 1));
  v = FIELD("number", num);
  html_printf(b, "<label>轮次（轮）<input name=\"number\" type=\"number\" "
                 "min=\"1\" max=\"99\" required value=\"%s\"></label>\n",
              v ? v : "");
  html_raw(b, "<label>巡察类型<select name=\"kind\" required>");
  kind_options(resp, FIELD("kind", r ? r->kind : "regular"), 0);
  html_raw(b, "</select></label>\n");
  v = FIELD("title", r ? r->title : "");
  html_printf(b, "<label>名称<input name=\"title\" maxlength=\"60\" "
                 "value=\"%s\" placeholder=\"留空按届次轮次生成，如 "
                 "五届市委第二轮巡察\"></label>\n",
              v ? v : "");
  if (!r) {
    const char *cur = FIELD("jurisdiction_code", who.jurisdiction_code);
    html_raw(b, "<label>辖区<select name=\"jurisdiction_code\" required>");
    Stmt *st = db_stmt(req->db, STMT_RND_JUR_OPTIONS);
    ntk_bind_jur(st, 1, &who, sc);
    while (db_step(st) == DB_ROW)
      html_printf(b, "<option value=\"%s\"%s>%s</option>",
                  db_column_text(st, 0),
                  str_eq(cur, db_column_text(st, 0)) ? " selected" : "",
                  db_column_text(st, 1));
    db_reset(st);
    html_raw(b, "</select></label>\n");
  }
  const char *sector = FIELD("sector_code", r ? r->sector_code : "");
  html_raw(b, "<label>同批次系统巡察（可选）<select name=\"sector_code\">"
              "<option value=\"\">不限（综合）</option>");
  Stmt *st = db_stmt(req->db, STMT_RND_TAG_OPTIONS);
  while (db_step(st) == DB_ROW)
    html_printf(b, "<option value=\"%s\"%s>%s</option>", db_column_text(st, 0),
                str_eq(sector, db_column_text(st, 0)) ? " selected" : "",
                db_column_text(st, 1));
  db_reset(st);
  html_raw(b, "</select></label>\n");
  v = FIELD("start_date", r ? r->start_date : "");
  html_printf(b, "<label>开始日期<input name=\"start_date\" type=\"date\" "
                 "value=\"%s\"></label>\n",
              v ? v : "");
  v = FIELD("end_date", r ? r->end_date : "");
  html_printf(b, "<label>结束日期<input name=\"end_date\" type=\"date\" "
                 "value=\"%s\"></label>\n",
              v ? v : "");
#undef FIELD
  html_raw(b, "<p class=\"hint\">选择系统（领域）后，本轮只能加入带有该领域标签的"
              "单位（同批次系统巡察）。</p>\n<button type=\"submit\">保存</button>"
              "</form>\n");
  page_end(req, resp);
}

/* ROUTE: GET /rounds/new */
void page_round_new(Request *req, Response *resp) {
  round_form(req, resp, NULL, NULL);
}

/* Read a RoundIn from the form; -1 with a message when a number is bad. */
static int form_round_in(Request *req, RoundIn *in, const char **msg) {
  memset(in, 0, sizeof *in);
  in->title = req_param(req, "title");
  in->kind = req_param(req, "kind");
  in->sector_code = req_param(req, "sector_code");
  in->jurisdiction_code = req_param(req, "jurisdiction_code");
  in->start_date = req_param(req, "start_date");
  in->end_date = req_param(req, "end_date");
  const char *t = req_param(req, "term"), *n = req_param(req, "number");
  if (!t || str_to_int64(t, 1, 99, &in->term) != 0) {
    *msg = "届次应为 1 到 99 之间的整数";
    return -1;
  }
  if (!n || str_to_int64(n, 1, 99, &in->number) != 0) {
    *msg = "轮次应为 1 到 99 之间的整数";
    return -1;
  }
  return 0;
}

static void note_round(Request *req, int64_t id, const char *verb,
                       const char *title) {
  req->audit_object = "round";
  req->audit_object_id = id;
  buf_printf(&req->audit_summary, "%s巡察轮次：%s", verb, title ? title : "");
}

/* Create a round in the user's scope; shared by the page and the API. */
static RoundResult create_round(Request *req, RoundIn *in, int64_t *id,
                                const char **field, Buf *err) {
  NtkSubject who;
  Scope sc = rw_who(req, P_ROUND_EDIT, &who);
  if (!in->jurisdiction_code || !*in->jurisdiction_code)
    in->jurisdiction_code = who.jurisdiction_code;
  if (!ntk_jur_within(&who, sc, in->jurisdiction_code)) {
    *field = "jurisdiction_code";
    buf_puts(err, "只能在本人所辖范围内新建巡察轮次");
    return ROUND_EINVALID;
  }
  return round_create(req->db, req->user_id, in, id, field, err);
}

/* ROUTE: POST /rounds */
void page_round_create(Request *req, Response *resp) {
  RoundIn in;
  const char *msg = NULL, *field = NULL;
  Buf err = BUF_INIT;
  int64_t id = 0;
  RoundResult r;
  if (form_round_in(req, &in, &msg) != 0) {
    buf_puts(&err, msg);
    r = ROUND_EINVALID;
  } else {
    r = create_round(req, &in, &id, &field, &err);
  }
  note_round(req, id, "新建", in.title);
  if (r != ROUND_OK) {
    rw_discard(req);
    round_form(req, resp, NULL, buf_str(&err));
    resp->status = round_http_status(r);
  } else {
    char loc[64];
    snprintf(loc, sizeof loc, "/rounds/%lld?saved=1", (long long)id);
    resp_redirect(resp, loc);
  }
  buf_release(&err);
}

/* The round of path argument 0 for perm, or a 404 rendered. */
static int round_of_path(Request *req, Response *resp, Perm perm, Round *r) {
  int64_t id;
  int rc = rw_arg_id(req, 0, &id) == 0 ? rw_round_get(req, perm, id, r)
                                       : DB_DONE;
  if (rc == DB_OK) return 0;
  web_error(req, resp, rc == DB_DONE ? 404 : 500,
            rc == DB_DONE ? "not_found" : "db_error",
            rc == DB_DONE ? "巡察轮次不存在" : "读取巡察轮次失败", NULL);
  return -1;
}

/* ROUTE: GET /rounds/{id}/edit */
void page_round_edit(Request *req, Response *resp) {
  Round r;
  if (round_of_path(req, resp, P_ROUND_EDIT, &r) != 0) return;
  round_form(req, resp, &r, NULL);
  round_clear(&r);
}

/* ROUTE: POST /rounds/{id} — save an edited round. */
void page_round_update(Request *req, Response *resp) {
  Round r;
  RoundIn in;
  const char *msg = NULL, *field = NULL;
  Buf err = BUF_INIT;
  if (round_of_path(req, resp, P_ROUND_EDIT, &r) != 0) return;
  RoundResult res;
  if (form_round_in(req, &in, &msg) != 0) {
    buf_puts(&err, msg);
    res = ROUND_EINVALID;
  } else {
    res = round_update(req->db, &r, &in, &field, &err);
  }
  note_round(req, r.id, "修改", r.title);
  if (res != ROUND_OK) {
    rw_discard(req);
    round_form(req, resp, &r, buf_str(&err));
    resp->status = round_http_status(res);
  } else {
    char loc[64];
    snprintf(loc, sizeof loc, "/rounds/%lld?saved=1", (long long)r.id);
    resp_redirect(resp, loc);
  }
  round_clear(&r);
  buf_release(&err);
}

/* ---- one round ---- */

static void unit_rows(Request *req, Response *resp, const Round *r,
                      int can_edit) {
  Buf *b = &resp->body;
  RoundUnit *u = NULL;
  size_t n = 0;
  if (round_units_load(req->db, r->id, &u, &n) != DB_OK) {
    page_notice(resp, "error", "读取被巡察单位失败，请稍后重试");
    return;
  }
  if (!n) {
    html_raw(b, "<p class=\"hint\">本轮尚未加入被巡察单位。</p>\n");
    return;
  }
  html_raw(b, "<table class=\"grid\" id=\"units\"><thead><tr><th>单位</th>"
              "<th>当前阶段</th><th>阶段历程（记录时间为北京时间）</th><th>巡察组</th>");
  if (can_edit) html_raw(b, "<th>推进阶段</th>");
  html_raw(b, "</tr></thead><tbody>\n");
  for (size_t i = 0; i < n; i++) {
    html_printf(b,
                "<tr data-unit=\"%lld\"><td>%s<br><small>%s</small></td>"
                "<td class=\"phase\">%s<br><small>%s 起</small></td><td><ol>",
                (long long)u[i].unit_id, u[i].name, u[i].code,
                round_phase_label(u[i].phase), u[i].entered_on);
    for (int k = 0; k < u[i].n_steps; k++) {
      char t[24];
      html_printf(b, "<li>%s：%s<small>（%s 记录于 %s）</small></li>",
                  round_phases[u[i].steps[k].phase].full,
                  u[i].steps[k].entered_on,
                  *u[i].steps[k].entered_by ? u[i].steps[k].entered_by
                                            : "系统",
                  rw_time(u[i].steps[k].entered_at, t));
    }
    html_printf(b, "</ol></td><td>%s</td>",
                *u[i].team_name ? u[i].team_name : "未分配");
    if (can_edit) {
      int next = round_phase_next(u[i].phase);
      char action[96];
      html_raw(b, "<td>");
      if (next >= 0) {
        snprintf(action, sizeof action, "/rounds/%lld/units/%lld/phase",
                 (long long)r->id, (long long)u[i].unit_id);
        form_begin(req, resp, action);
        html_printf(b,
                    "<input type=\"hidden\" name=\"to\" value=\"%s\">"
                    "<input type=\"date\" name=\"entered_on\" "
                    "aria-label=\"进入日期（默认今天）\">"
                    "<button type=\"submit\">推进到“%s”</button></form>",
                    round_phases[next].code, round_phases[next].label);
      } else {
        html_raw(b, "已进入最后阶段");
      }
      if (u[i].phase == PHASE_PREP && !*u[i].team_name) {
        snprintf(action, sizeof action, "/rounds/%lld/units/%lld/remove",
                 (long long)r->id, (long long)u[i].unit_id);
        form_begin(req, resp, action);
        html_raw(b, "<button type=\"submit\" class=\"link\">移出本轮</button>"
                    "</form>");
      }
      html_raw(b, "</td>");
    }
    html_raw(b, "</tr>\n");
  }
  html_raw(b, "</tbody></table>\n<p class=\"hint\">阶段依次为：准备 → 了解 → "
              "报告 → 反馈 → 移交 → 整改，只能逐个向前推进。</p>\n");
  round_units_free(u, n);
}

static void add_unit_form(Request *req, Response *resp, const Round *r) {
  Buf *b = &resp->body;
  char action[64];
  snprintf(action, sizeof action, "/rounds/%lld/units", (long long)r->id);
  html_raw(b, "<h3>加入被巡察单位</h3>\n");
  form_begin(req, resp, action);
  html_raw(b, "<label>单位（可多选）<select name=\"unit_id\" multiple "
              "size=\"8\">");
  Stmt *st = db_stmt(req->db, STMT_RND_UNIT_CHOICES);
  int i = round_bind_subtree(st, 1, r->jurisdiction_code);
  db_bind_text(st, i++, r->sector_code);
  db_bind_text(st, i++, r->sector_code);
  db_bind_int64(st, i++, r->id);
  db_bind_text(st, i++, r->jurisdiction_code); /* its own units first */
  while (db_step(st) == DB_ROW)
    html_printf(b, "<option value=\"%lld\">%s %s</option>",
                (long long)db_column_int64(st, 0), db_column_text(st, 1),
                db_column_text(st, 2));
  db_reset(st);
  html_raw(b, "</select></label>\n<label>或输入单位编码<input name=\"unit_code\" "
              "maxlength=\"40\"></label>\n<label>进入“准备”阶段日期"
              "<input name=\"entered_on\" type=\"date\"></label>\n"
              "<button type=\"submit\">加入</button></form>\n");
}

/* The members of team_id as one cell: "name（职务，同堂培训：已参加）". */
static void member_cell(Request *req, Response *resp, int64_t team_id) {
  Buf *b = &resp->body;
  Stmt *st = db_stmt(req->db, STMT_RND_TEAM_MEMBERS);
  db_bind_int64(st, 1, team_id);
  int n = 0;
  html_raw(b, "<ul class=\"facts\">");
  while (db_step(st) == DB_ROW) {
    const char *pos = team_position_label(db_column_text(st, 4));
    html_printf(b, "<li>%s（%s，同堂培训：%s）</li>", db_column_text(st, 2),
                pos ? pos : "", db_column_int64(st, 7) ? "已参加" : "未参加");
    n++;
  }
  db_reset(st);
  if (!n) html_raw(b, "<li>尚无成员</li>");
  html_raw(b, "</ul>");
}

static void team_list(Request *req, Response *resp, const Round *r,
                      int can_edit) {
  Buf *b = &resp->body;
  Team *teams = NULL;
  size_t n = 0;
  html_raw(b, "<h2>巡察组</h2>\n");
  Stmt *st = db_stmt(req->db, STMT_RND_TEAM_LIST);
  NtkSubject who;
  Scope sc = rw_who(req, P_ROUND_READ, &who);
  int i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_int64(st, i++, r->id);
  db_bind_int64(st, i++, r->id);
  db_bind_int64(st, i++, 200);
  db_bind_int64(st, i++, 0);
  while (db_step(st) == DB_ROW) {
    teams = xrealloc(teams, (n + 1) * sizeof *teams);
    team_read_row(st, &teams[n++]);
  }
  db_reset(st);
  if (n)
    html_raw(b, "<table class=\"grid\" id=\"teams\"><thead><tr><th>巡察组"
                "</th><th>成员（职务，同堂培训）</th><th>备注</th></tr></thead>"
                "<tbody>\n");
  for (size_t k = 0; k < n; k++) {
    html_printf(b, "<tr><td><a href=\"/teams/%lld\">%s</a></td><td>",
                (long long)teams[k].id, teams[k].name);
    member_cell(req, resp, teams[k].id);
    html_printf(b, "</td><td>%s</td></tr>\n", teams[k].leader_note);
    team_clear(&teams[k]);
  }
  free(teams);
  if (n)
    html_raw(b, "</tbody></table>\n");
  else
    html_raw(b, "<p class=\"hint\">尚未组建巡察组。</p>\n");
  if (!can_edit) return;
  char action[64];
  snprintf(action, sizeof action, "/rounds/%lld/teams", (long long)r->id);
  html_raw(b, "<h3>组建巡察组</h3>\n");
  form_begin(req, resp, action);
  html_raw(b, "\n<label>名称<input name=\"name\" required maxlength=\"30\" "
              "placeholder=\"如 第一巡察组\"></label>\n<label>备注<input "
              "name=\"leader_note\" maxlength=\"500\"></label>\n"
              "<button type=\"submit\">组建</button></form>\n");
}

/* The round page; error (may be NULL) is shown on top. */
static void round_page(Request *req, Response *resp, const Round *r,
                const char *error) {
  Buf *b = &resp->body;
  Buf period = BUF_INIT;
  int can_edit = auth_route_allowed(req, P_ROUND_EDIT);
  page_begin(req, resp, r->title, "rounds");
  rw_tabs(req, resp);
  if (error)
    page_notice(resp, "error", error);
  else if (params_get(&req->query, "saved"))
    page_notice(resp, "ok", "已保存。");
  rw_period(&period, r->start_date, r->end_date);
  html_printf(b,
              "<dl class=\"props\"><dt>届次</dt><dd>第 %lld 届 第 %lld 轮</dd>"
              "<dt>类型</dt><dd>%s</dd><dt>辖区</dt><dd>%s</dd>"
              "<dt>系统（领域）</dt><dd>%s</dd><dt>巡察期</dt><dd>%s</dd></dl>\n",
              (long long)r->term, (long long)r->number,
              round_kind_label(r->kind), r->jurisdiction_name,
              *r->sector_name ? r->sector_name : "不限（综合）",
              buf_str(&period));
  buf_release(&period);
  if (can_edit)
    html_printf(b, "<p><a href=\"/rounds/%lld/edit\">编辑本轮信息</a></p>\n",
                (long long)r->id);
  html_raw(b, "<h2>被巡察单位与阶段</h2>\n");
  unit_rows(req, resp, r, can_edit);
  if (can_edit) add_unit_form(req, resp, r);
  team_list(req, resp, r, can_edit);
  page_end(req, resp);
}

/* ROUTE: GET /rounds/{id} */
void page_round(Request *req, Response *resp) {
  Round r;
  if (round_of_path(req, resp, P_ROUND_READ, &r) != 0) return;
  round_page(req, resp, &r, NULL);
  round_clear(&r);
}

/* Add one unit (by id or code) to r; shared by the page and the API. */
static RoundResult add_unit(Request *req, const Round *r, int64_t unit_id,
                            const char *code, const char *on, Buf *err) {
  if (!unit_id && code && *code) {
    Stmt *st = db_stmt(req->db, STMT_RND_UNIT_BY_CODE);
    db_bind_text(st, 1, code);
    if (db_step(st) == DB_ROW) unit_id = db_column_int64(st, 0);
    db_reset(st);
    if (!unit_id) {
      buf_printf(err, "单位编码 %s 不存在", code);
      return ROUND_EINVALID;
    }
  }
  if (!unit_id) {
    buf_puts(err, "请选择要加入的单位");
    return ROUND_EINVALID;
  }
  return round_add_unit(req->db, req->user_id, r, unit_id, on, err);
}

/* ROUTE: POST /rounds/{id}/units — add units (several unit_id fields). */
void page_round_unit_add(Request *req, Response *resp) {
  Round r;
  Buf err = BUF_INIT;
  RoundResult res = ROUND_OK;
  int added = 0;
  if (round_of_path(req, resp, P_ROUND_EDIT, &r) != 0) return;
  const char *on = req_param(req, "entered_on");
  for (size_t i = 0; i < req->form.n && res == ROUND_OK; i++) {
    int64_t uid;
    if (!str_eq(req->form.items[i].name, "unit_id")) continue;
    if (rw_id(req->form.items[i].value, &uid) != 0) {
      buf_puts(&err, "单位编号无效");
      res = ROUND_EINVALID;
      break;
    }
    res = add_unit(req, &r, uid, NULL, on, &err);
    added++;
  }
  const char *code = req_param(req, "unit_code");
  if (res == ROUND_OK && (code && *code ? 1 : !added)) {
    res = add_unit(req, &r, 0, code, on, &err);
    added++;
  }
  req->audit_object = "round";
  req->audit_object_id = r.id;
  buf_printf(&req->audit_summary, "巡察轮次“%s”加入被巡察单位 %d 个", r.title,
             res == ROUND_OK ? added : 0);
  if (res != ROUND_OK) {
    rw_discard(req);
    round_page(req, resp, &r, buf_str(&err));
    resp->status = round_http_status(res);
  } else {
    char loc[64];
    snprintf(loc, sizeof loc, "/rounds/%lld?saved=1#units", (long long)r.id);
    resp_redirect(resp, loc);
  }
  round_clear(&r);
  buf_release(&err);
}

/* ROUTE: POST /rounds/{id}/units/{unit_id}/remove */
void page_round_unit_remove(Request *req, Response *resp) {
  Round r;
  Buf err = BUF_INIT;
  int64_t uid = 0;
  if (round_of_path(req, resp, P_ROUND_EDIT, &r) != 0) return;
  RoundResult res = rw_arg_id(req, 1, &uid) == 0
                        ? round_remove_unit(req->db, &r, uid, &err)
                        : ROUND_ENOTFOUND;
  if (!err.len && res != ROUND_OK) buf_puts(&err, "该单位不在本轮巡察中");
  req->audit_object = "round";
  req->audit_object_id = r.id;
  buf_printf(&req->audit_summary, "巡察轮次“%s”移出单位 #%lld", r.title,
             (long long)uid);
  if (res != ROUND_OK) {
    rw_discard(req);
    round_page(req, resp, &r, buf_str(&err));
    resp->status = round_http_status(res);
  } else {
    char loc[64];
    snprintf(loc, sizeof loc, "/rounds/%lld?saved=1", (long long)r.id);
    resp_redirect(resp, loc);
  }
  round_clear(&r);
  buf_release(&err);
}

/* Advance a unit's phase and describe it for the audit trail. */
static RoundResult advance(Request *req, const Round *r, int64_t uid,
                           const char *to, const char *on, Buf *err) {
  int from = -1, target = -1;
  RoundResult res = round_advance(req->db, req->user_id, r, uid, to, on,
                                  &from, &target, err);
  req->audit_object = "round";
  req->audit_object_id = r->id;
  buf_printf(&req->audit_summary, "巡察轮次“%s”单位 #%lld 阶段：%s → %s",
             r->title, (long long)uid, round_phase_label(from),
             round_phase_label(target));
  return res;
}

/* ROUTE: POST /rounds/{id}/units/{unit_id}/phase — the next phase. */
void page_round_phase(Request *req, Response *resp) {
  Round r;
  Buf err = BUF_INIT;
  int64_t uid = 0;
  if (round_of_path(req, resp, P_ROUND_EDIT, &r) != 0) return;
  RoundResult res = ROUND_ENOTFOUND;
  if (rw_arg_id(req, 1, &uid) == 0)
    res = advance(req, &r, uid, req_param(req, "to"),
                  req_param(req, "entered_on"), &err);
  else
    buf_puts(&err, "该单位不在本轮巡察中");
  if (res != ROUND_OK) {
    rw_discard(req);
    round_page(req, resp, &r, buf_str(&err));
    resp->status = round_http_status(res);
  } else {
    char loc[64];
    snprintf(loc, sizeof loc, "/rounds/%lld?saved=1#units", (long long)r.id);
    resp_redirect(resp, loc);
  }
  round_clear(&r);
  buf_release(&err);
}

/* ROUTE: POST /rounds/{id}/teams — form a team. */
void page_team_create(Request *req, Response *resp) {
  Round r;
  Buf err = BUF_INIT;
  const char *field = NULL, *name = req_param(req, "name");
  int64_t id = 0;
  if (round_of_path(req, resp, P_ROUND_EDIT, &r) != 0) return;
  RoundResult res = team_create(req->db, &r, name,
                                req_param(req, "leader_note"), &id, &field,
                                &err);
  req->audit_object = "team";
  req->audit_object_id = id;
  buf_printf(&req->audit_summary, "%s 组建巡察组“%s”", r.title,
             name ? name : "");
  if (res != ROUND_OK) {
    rw_discard(req);
    round_page(req, resp, &r, buf_str(&err));
    resp->status = round_http_status(res);
  } else {
    char loc[64];
    snprintf(loc, sizeof loc, "/teams/%lld?saved=1", (long long)id);
    resp_redirect(resp, loc);
  }
  round_clear(&r);
  buf_release(&err);
}

/* ---- JSON API ---- */

/* ROUTE: GET /api/v1/rounds */
void api_rounds(Request *req, Response *resp) {
  int64_t page, per_page, total = 0;
  NtkSubject who;
  if (api_paging(req, resp, &page, &per_page) != 0) return;
  Scope sc = rw_who(req, P_ROUND_READ, &who);
  const char *kind = params_get(&req->query, "kind");
  if (kind && *kind && !round_kind_label(kind)) {
    web_error(req, resp, 400, "bad_parameter",
              "参数 kind 应为 regular、special、mobile、elevated 或 revisit",
              "kind");
    return;
  }
  if (!kind) kind = "";
  Stmt *st = db_stmt(req->db, STMT_RND_COUNT);
  int i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_text(st, i++, kind);
  db_bind_text(st, i++, kind);
  if (db_step(st) == DB_ROW) total = db_column_int64(st, 0);
  db_reset(st);
  json_t *items = json_array();
  st = db_stmt(req->db, STMT_RND_LIST);
  i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_text(st, i++, kind);
  db_bind_text(st, i++, kind);
  db_bind_int64(st, i++, per_page);
  db_bind_int64(st, i++, (page - 1) * per_page);
  while (db_step(st) == DB_ROW) {
    Round r;
    round_read_row(st, &r);
    json_array_append_new(items, rw_round_json(&r));
    round_clear(&r);
  }
  db_reset(st);
  api_json(resp, 200, api_page(items, total, page, per_page));
}

/* The full JSON of round r: the round, its units with phases and
** history, and its teams. */
static json_t *round_full_json(Request *req, const Round *r) {
  json_t *j = rw_round_json(r), *units = json_array(), *teams = json_array();
  RoundUnit *u = NULL;
  size_t n = 0;
  if (round_units_load(req->db, r->id, &u, &n) == DB_OK) {
    for (size_t i = 0; i < n; i++) {
      json_t *hist = json_array();
      for (int k = 0; k < u[i].n_steps; k++)
        json_array_append_new(
            hist, json_pack("{s:s, s:s, s:s, s:o, s:s}", "phase",
                            round_phases[u[i].steps[k].phase].code,
                            "phase_label",
                            round_phases[u[i].steps[k].phase].label,
                            "entered_on", u[i].steps[k].entered_on,
                            "entered_at", api_time(u[i].steps[k].entered_at),
                            "entered_by", u[i].steps[k].entered_by));
      int next = round_phase_next(u[i].phase);
      json_array_append_new(
          units,
          json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "unit_id",
                    (json_int_t)u[i].unit_id, "code", u[i].code, "name",
                    u[i].name, "phase", round_phases[u[i].phase].code,
                    "phase_label", round_phases[u[i].phase].label,
                    "phase_since", u[i].entered_on, "team",
                    rw_opt_text(u[i].team_name), "next_phase",
                    next >= 0 ? json_string(round_phases[next].code)
                              : json_null(),
                    "history", hist));
    }
    round_units_free(u, n);
  }
  Stmt *st = db_stmt(req->db, STMT_RND_TEAM_LIST);
  NtkSubject who;
  Scope sc = rw_who(req, P_ROUND_READ, &who);
  int i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_int64(st, i++, r->id);
  db_bind_int64(st, i++, r->id);
  db_bind_int64(st, i++, 200);
  db_bind_int64(st, i++, 0);
  while (db_step(st) == DB_ROW) {
    Team t;
    team_read_row(st, &t);
    json_array_append_new(teams, rw_team_json(&t));
    team_clear(&t);
  }
  db_reset(st);
  json_object_set_new(j, "units", units);
  json_object_set_new(j, "teams", teams);
  return j;
}

/* ROUTE: GET /api/v1/rounds/{id} */
void api_round(Request *req, Response *resp) {
  Round r;
  if (round_of_path(req, resp, P_ROUND_READ, &r) != 0) return;
  api_json(resp, 200, round_full_json(req, &r));
  round_clear(&r);
}

/* An integer member between lo and hi: 0 (absent: *out unchanged unless
** required), or -1 after a 400. */
static int json_int(Request *req, Response *resp, const char *field,
                    int64_t lo, int64_t hi, int required, int64_t *out) {
  json_t *v = req->json ? json_object_get(req->json, field) : NULL;
  if (!v && !required) return 0;
  if (json_is_integer(v) && json_integer_value(v) >= lo &&
      json_integer_value(v) <= hi) {
    *out = json_integer_value(v);
    return 0;
  }
  char msg[96];
  snprintf(msg, sizeof msg, "字段 %s 应为 %lld 到 %lld 之间的整数", field,
           (long long)lo, (long long)hi);
  web_error(req, resp, 400, "bad_field", msg, field);
  return -1;
}

/* Read the JSON body into in over its current values. */
static int json_round_in(Request *req, Response *resp, RoundIn *in,
                         int required) {
  const char *s;
  if (json_int(req, resp, "term", 1, 99, required, &in->term) != 0 ||
      json_int(req, resp, "number", 1, 99, required, &in->number) != 0)
    return -1;
#define OPT(name, dst)                                      \
  if (rw_opt_string(req, resp, name, &s) != 0) return -1; \
  if (s) dst = s;
  OPT("kind", in->kind);
  OPT("title", in->title);
  OPT("sector_code", in->sector_code);
  OPT("start_date", in->start_date);
  OPT("end_date", in->end_date);
  OPT("jurisdiction_code", in->jurisdiction_code);
#undef OPT
  return 0;
}

/* ROUTE: POST /api/v1/rounds — create; "unit_ids" adds units at once. */
void api_round_create(Request *req, Response *resp) {
  RoundIn in = {.kind = "regular"};
  Buf err = BUF_INIT;
  const char *field = NULL;
  int64_t id = 0;
  if (json_round_in(req, resp, &in, 1) != 0) return;
  json_t *ids = json_object_get(req->json, "unit_ids");
  if (ids && !json_is_array(ids)) {
    web_error(req, resp, 400, "bad_field", "unit_ids 应为单位编号数组",
              "unit_ids");
    return;
  }
  RoundResult r = create_round(req, &in, &id, &field, &err);
  note_round(req, id, "新建", in.title);
  Round rd = {0};
  if (r == ROUND_OK && json_array_size(ids)) {
    r = rw_round_get(req, P_ROUND_EDIT, id, &rd) == DB_OK ? ROUND_OK
                                                           : ROUND_EDB;
    size_t k;
    json_t *v;
    json_array_foreach(ids, k, v) {
      if (r != ROUND_OK) break;
      if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        buf_puts(&err, "unit_ids 应为单位编号数组");
        field = "unit_ids";
        r = ROUND_EINVALID;
        break;
      }
      r = add_unit(req, &rd, json_integer_value(v), NULL, in.start_date, &err);
      if (r != ROUND_OK) field = "unit_ids";
    }
  }
  if (r != ROUND_OK) {
    rw_json_error(req, resp, r, &err, field);
  } else {
    round_clear(&rd);
    rw_round_get(req, P_ROUND_EDIT, id, &rd);
    api_json(resp, 201, round_full_json(req, &rd));
  }
  round_clear(&rd);
  buf_release(&err);
}

/* ROUTE: PUT /api/v1/rounds/{id} — edit; absent fields keep their value. */
void api_round_update(Request *req, Response *resp) {
  Round r;
  Buf err = BUF_INIT;
  const char *field = NULL;
  if (round_of_path(req, resp, P_ROUND_EDIT, &r) != 0) return;
  RoundIn in = {r.title,      r.term,       r.number,    r.kind,
                r.sector_code, r.jurisdiction_code, r.start_date,
                r.end_date};
  note_round(req, r.id, "修改", r.title);
  if (json_round_in(req, resp, &in, 0) == 0) {
    RoundResult res = round_update(req->db, &r, &in, &field, &err);
    if (res != ROUND_OK) {
      rw_json_error(req, resp, res, &err, field);
    } else {
      Round after;
      rw_round_get(req, P_ROUND_EDIT, r.id, &after);
      api_json(resp, 200, round_full_json(req, &after));
      round_clear(&after);
    }
  }
  round_clear(&r);
  buf_release(&err);
}

/* ROUTE: POST /api/v1/rounds/{id}/units — {"unit_id"|"unit_code", "entered_on"} */
void api_round_unit_add(Request *req, Response *resp) {
  Round r;
  Buf err = BUF_INIT;
  const char *code = NULL, *on = NULL;
  int64_t uid = 0;
  if (round_of_path(req, resp, P_ROUND_EDIT, &r) != 0) return;
  json_t *v = json_object_get(req->json, "unit_id");
  if (rw_opt_string(req, resp, "unit_code", &code) == 0 &&
      rw_opt_string(req, resp, "entered_on", &on) == 0 &&
      (!v || rw_json_id(req, resp, "unit_id", &uid) == 0)) {
    RoundResult res = add_unit(req, &r, uid, code, on, &err);
    req->audit_object = "round";
    req->audit_object_id = r.id;
    buf_printf(&req->audit_summary, "巡察轮次“%s”加入被巡察单位 #%lld",
               r.title, (long long)uid);
    if (res != ROUND_OK)
      rw_json_error(req, resp, res, &err, "unit_id");
    else
      api_json(resp, 201, round_full_json(req, &r));
  }
  round_clear(&r);
  buf_release(&err);
}

/* ROUTE: DELETE /api/v1/rounds/{id}/units/{unit_id} */
void api_round_unit_remove(Request *req, Response *resp) {
  Round r;
  Buf err = BUF_INIT;
  int64_t uid = 0;
  if (round_of_path(req, resp, P_ROUND_EDIT, &r) != 0) return;
  RoundResult res = rw_arg_id(req, 1, &uid) == 0
                        ? round_remove_unit(req->db, &r, uid, &err)
                        : ROUND_ENOTFOUND;
  if (!err.len && res != ROUND_OK) buf_puts(&err, "该单位不在本轮巡察中");
  req->audit_object = "round";
  req->audit_object_id = r.id;
  buf_printf(&req->audit_summary, "巡察轮次“%s”移出单位 #%lld", r.title,
             (long long)uid);
  if (res != ROUND_OK)
    rw_json_error(req, resp, res, &err, NULL);
  else
    api_json(resp, 200, round_full_json(req, &r));
  round_clear(&r);
  buf_release(&err);
}

/* ROUTE: POST /api/v1/rounds/{id}/units/{unit_id}/phase — {"phase", "entered_on"} */
void api_round_phase(Request *req, Response *resp) {
  Round r;
  Buf err = BUF_INIT;
  int64_t uid = 0;
  const char *to = NULL, *on = NULL;
  if (round_of_path(req, resp, P_ROUND_EDIT, &r) != 0) return;
  if (rw_arg_id(req, 1, &uid) != 0) {
    web_error(req, resp, 404, "not_found", "该单位不在本轮巡察中", NULL);
  } else if ((to = api_string(req, resp, "phase")) != NULL &&
             rw_opt_string(req, resp, "entered_on", &on) == 0) {
    RoundResult res = advance(req, &r, uid, to, on, &err);
    if (res != ROUND_OK)
      rw_json_error(req, resp, res, &err, "phase");
    else
      api_json(resp, 200, round_full_json(req, &r));
  }
  round_clear(&r);
  buf_release(&err);
}
