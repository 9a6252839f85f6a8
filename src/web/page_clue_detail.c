/* page_clue_detail.c: one clue — its header, persons and their outcomes,
** deadlines, feedback, 督办, approvals, reviews, 提前介入, history and
** attachments — and one small form per action the viewer may take now
** (clue_actions_available), each with exactly the fields the action
** needs.  A refused action re-renders the page with the Chinese reason
** and what the user typed.  A viewer with only a "clue_status" grant sees
** the state, dates and outcome codes, never the content. */
#include <stdlib.h>

#include "auth/auth.h"
#include "auth/policy.h"
#include "web/html.h"
#include "web/page_clues.h"
#include "web/pages.h"

/* Form fields an action may need (beyond what its requires bits say,
** the flow table's effects need these). */
enum {
  F_OPINION = 1 << 0, F_OPINION_OPT = 1 << 1, F_APPROVER = 1 << 2,
  F_MEETING = 1 << 3, F_DATE = 1 << 4, F_PERSON = 1 << 5,
  F_PERSON_ALL = 1 << 6, F_REVIEW = 1 << 7, F_DEST = 1 << 8,
  F_NEXT = 1 << 9, F_OFFICE = 1 << 10, F_DISPOSAL = 1 << 11,
  F_FILING = 1 << 12, F_MEASURE1 = 1 << 13, F_MEASURE = 1 << 14,
  F_NOTE = 1 << 15, F_SANCTION = 1 << 16, F_DETENTION = 1 << 17,
  F_TEXT = 1 << 18, F_USERS = 1 << 19, F_STAGE = 1 << 20
};

static const struct {
  const char *code;
  unsigned fields;
} extra_fields[] = {
    {"review", F_REVIEW | F_DATE},
    {"submit", F_DEST},
    {"approve_transfer", F_OPINION_OPT | F_NEXT},
    {"assist_request", F_TEXT},
    {"assist_assign", F_USERS},
    {"assist_step", F_STAGE | F_TEXT | F_DATE},
    {"register", F_DATE},
    {"assign", F_OFFICE | F_APPROVER | F_DATE},
    {"propose", F_DISPOSAL | F_OPINION | F_MEETING | F_DATE},
    {"talk_first_form", F_PERSON_ALL | F_MEASURE1 | F_APPROVER | F_DATE},
    {"file_case", F_PERSON_ALL | F_FILING | F_APPROVER | F_MEETING | F_DATE},
    {"file_more", F_PERSON | F_FILING | F_DATE},
    {"detain", F_PERSON | F_DATE | F_APPROVER},
    {"detain_extend", F_DETENTION | F_APPROVER},
    {"detain_end", F_DETENTION | F_DATE},
    {"sanction", F_PERSON | F_MEASURE | F_NOTE | F_DATE},
    {"announce", F_SANCTION | F_DATE},
    {"execute", F_SANCTION | F_DATE},
    {"conclude", F_OPINION_OPT | F_DATE},
    {"feedback", F_TEXT | F_DATE},
};

static unsigned action_fields(const ClueAction *a) {
  unsigned f = 0;
  if (a->requires & CR_OPINION) f |= F_OPINION;
  if (a->requires & CR_APPROVER) f |= F_APPROVER;
  if (a->requires & CR_MEETING) f |= F_MEETING;
  if (a->requires & CR_DATE) f |= F_DATE;
  if (a->requires & CR_PERSON) f |= F_PERSON;
  for (size_t i = 0; i < JX_COUNT(extra_fields); i++)
    if (str_eq(extra_fields[i].code, a->code)) f |= extra_fields[i].fields;
  if (f & F_PERSON_ALL) f &= ~(unsigned)F_PERSON;
  if (f & F_OPINION) f &= ~(unsigned)F_OPINION_OPT;
  return f;
}

/* What the failed action's form posted (refilled), else NULL. */
typedef struct Refill {
  const char *action; /* the action whose form failed */
  const char *error;
} Refill;

static const char *val(Request *req, const Refill *rf, const ClueAction *a,
                       const char *name, const char *dflt) {
  if (rf && str_eq(rf->action, a->code)) {
    const char *s = params_get(&req->form, name);
    return s ? s : "";
  }
  return dflt;
}

static void sel_opt(Buf *b, const char *v, const char *label, const char *sel) {
  html_printf(b, "<option value=\"%s\"%s>%s</option>", v,
              str_eq(v, sel) ? " selected" : "", label);
}

static void id_opt(Buf *b, int64_t id, const char *label, const char *sel) {
  char v[24];
  snprintf(v, sizeof v, "%lld", (long long)id);
  sel_opt(b, v, label, sel);
}

/* ---- the action forms ---- */

static void person_select(Buf *b, const Clue *c, int all, const char *sel) {
  html_raw(b, "<label>被反映人<select name=\"person_id\"");
  if (all)
    html_raw(b, ">");
  else
    html_raw(b, " required>");
  if (all) sel_opt(b, "0", "全部被反映人", sel);
  for (size_t i = 0; i < c->n_persons_loaded; i++)
    id_opt(b, c->persons[i].id, c->persons[i].name, sel);
  html_raw(b, "</select></label>\n");
}

static void measure_select(Buf *b, int form1_only, const char *sel) {
  html_raw(b, "<label>处理方式<select name=\"measure\" required>");
  for (size_t i = 0; i < n_clue_measures; i++) {
    const ClueMeasure *m = &clue_measures[i];
    if (form1_only && m->form != 1) continue;
    Buf l = BUF_INIT;
    buf_printf(&l, "%s · %s（第%d种形态）",
               clue_code_label(clue_sanction_kinds, n_clue_sanction_kinds,
                               m->kind),
               m->label, m->form);
    sel_opt(b, m->code, buf_str(&l), sel);
    buf_release(&l);
  }
  html_raw(b, "</select></label>\n");
}

/* Sanctions (F_SANCTION) or open detention measures (F_DETENTION). */
static void record_select(Request *req, Buf *b, const Clue *c, int sanction,
                          const char *sel) {
  Stmt *st = db_stmt(req->db, sanction ? STMT_CLUEW_SANCTIONS
                                       : STMT_CLUEW_MEASURES);
  db_bind_int64(st, 1, c->id);
  html_printf(b, "<label>%s<select name=\"%s\" required>",
              sanction ? "处理决定" : "留置措施",
              sanction ? "sanction_id" : "measure_id");
  while (db_step(st) == DB_ROW) {
    int64_t pid = db_column_int64(st, 1);
    const char *pname = "";
    for (size_t i = 0; i < c->n_persons_loaded; i++)
      if (c->persons[i].id == pid) pname = c->persons[i].name;
    Buf l = BUF_INIT;
    if (sanction) {
      buf_printf(&l, "%s：%s（%s）", pname,
                 cw_measure_label(db_column_text(st, 3)),
                 db_column_text(st, 5));
    } else {
      if (*db_column_text(st, 6)) continue; /* ended */
      buf_printf(&l, "%s：%s 至 %s", pname, db_column_text(st, 3),
                 db_column_text(st, 4));
    }
    id_opt(b, db_column_int64(st, 0), buf_str(&l), sel);
    buf_release(&l);
  }
  db_reset(st);
  html_raw(b, "</select></label>\n");
}

static void next_approver(Request *req, Buf *b, const Clue *c,
                          const char *sel) {
  const char *roles[5];
  size_t steps = clue_transfer_chain(req->db, roles);
  if (c->transfer_step >= (int64_t)steps) {
    html_raw(b, "<p class=\"hint\">这是最后一步审批：同意后即移交，"
                "自动编制移交函号。</p>\n");
    return;
  }
  int64_t *ids = NULL;
  char **names = NULL;
  size_t n = 0;
  if (clue_step_candidates(req->db, c, c->transfer_step + 1, &ids, &names,
                           &n) != DB_OK)
    n = 0;
  html_raw(b, "<label>下一步审批人<select name=\"next_approver_id\"");
  if (n > 1)
    html_raw(b, " required><option value=\"\">请选择</option>");
  else
    html_raw(b, ">");
  for (size_t i = 0; i < n; i++) id_opt(b, ids[i], names[i], sel);
  html_raw(b, "</select></label>\n");
  if (!n) html_raw(b, "<p class=\"hint\">下一步没有可选的审批人。</p>\n");
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  free(ids);
}

static void action_form(Request *req, Response *resp, const Clue *c,
                        const ClueAction *a, const Refill *rf) {
  Buf *b = &resp->body;
  unsigned f = action_fields(a);
  char action[96], today[11];
  date_today(today);
  snprintf(action, sizeof action, "/clues/%lld/act/%s", (long long)c->id,
           a->code);
  int failed = rf && str_eq(rf->action, a->code);
  html_printf(b, "<section class=\"act%s\" id=\"act-%s\"><h3>%s</h3>\n",
              failed ? " failed" : "", a->code, a->label);
  if (a->help && *a->help) html_printf(b, "<p class=\"hint\">%s</p>\n", a->help);
  if (failed) page_notice(resp, "error", rf->error);
  form_begin(req, resp, action);
  html_raw(b, "\n");
  if (f & F_REVIEW)
    html_printf(b,
                "<label>参加人员<input name=\"participants\" required "
                "maxlength=\"500\" value=\"%s\"></label>\n<label>研判结论"
                "<textarea name=\"conclusion\" required rows=\"3\" "
                "maxlength=\"2000\">%s</textarea></label>\n",
                val(req, rf, a, "participants", ""),
                val(req, rf, a, "conclusion", ""));
  if (f & F_DEST) {
    const char *s = val(req, rf, a, "destination", c->destination);
    html_raw(b, "<label>移交去向<select name=\"destination\" required>");
    for (size_t i = 0; i < n_clue_destinations; i++)
      sel_opt(b, clue_destinations[i].code, clue_destinations[i].label, s);
    html_printf(b, "</select></label>\n<label>接收单位名称（其他单位时填写）"
                   "<input name=\"destination_name\" maxlength=\"100\" "
                   "value=\"%s\"></label>\n",
                val(req, rf, a, "destination_name", c->destination_name));
  }
  if (f & F_NEXT)
    next_approver(req, b, c, val(req, rf, a, "next_approver_id", ""));
  if (f & F_OFFICE) {
    const char *s = val(req, rf, a, "handling_office", "");
    Stmt *st = db_stmt(req->db, STMT_CLUEW_HANDLING_OFFICES);
    db_bind_text(st, 1, c->jurisdiction_code);
    html_raw(b, "<label>承办部门<select name=\"handling_office\" required>");
    while (db_step(st) == DB_ROW)
      sel_opt(b, db_column_text(st, 0), db_column_text(st, 1), s);
    db_reset(st);
    html_raw(b, "</select></label>\n");
  }
  if (f & F_DISPOSAL) {
    const char *s = val(req, rf, a, "disposal", "");
    html_raw(b, "<label>处置方式<select name=\"disposal\" required>");
    for (size_t i = 0; i < n_clue_disposals; i++)
      sel_opt(b, clue_disposals[i].code, clue_disposals[i].label, s);
    html_raw(b, "</select></label>\n");
  }
  if (f & (F_PERSON | F_PERSON_ALL))
    person_select(b, c, !!(f & F_PERSON_ALL), val(req, rf, a, "person_id", ""));
  if (f & F_FILING) {
    const char *s = val(req, rf, a, "filing", "both");
    html_raw(b, "<label>立案类别<select name=\"filing\" required>");
    sel_opt(b, "party", "纪委立案（党纪）", s);
    sel_opt(b, "super", "监委立案（监察）", s);
    sel_opt(b, "both", "纪委监委同时立案", s);
    html_raw(b, "</select></label>\n");
  }
  if (f & (F_MEASURE | F_MEASURE1))
    measure_select(b, !!(f & F_MEASURE1), val(req, rf, a, "measure", ""));
  if (f & F_SANCTION) record_select(req, b, c, 1, val(req, rf, a, "sanction_id", ""));
  if (f & F_DETENTION) record_select(req, b, c, 0, val(req, rf, a, "measure_id", ""));
  if (f & F_STAGE) {
    const char *s = val(req, rf, a, "stage", "screen");
    html_raw(b, "<label>阶段<select name=\"stage\" required>");
    sel_opt(b, "screen", "筛疑", s);
    sel_opt(b, "clear", "排疑", s);
    sel_opt(b, "probe", "查疑", s);
    html_raw(b, "</select></label>\n");
  }
  if (f & F_USERS) {
    Stmt *st = db_stmt(req->db, STMT_CLUEW_ASSIST_USERS);
    db_bind_text(st, 1, c->jurisdiction_code);
    html_raw(b, "<fieldset><legend>提前介入人员</legend>");
    while (db_step(st) == DB_ROW)
      html_printf(b,
                  "<label class=\"check\"><input type=\"checkbox\" "
                  "name=\"user_ids\" value=\"%lld\"> %s <small>%s</small>"
                  "</label>",
                  (long long)db_column_int64(st, 0), db_column_text(st, 1),
                  db_column_text(st, 2));
    db_reset(st);
    html_raw(b, "</fieldset>\n");
  }
  if (f & F_TEXT)
    html_printf(b, "<label>%s<textarea name=\"text\" required rows=\"3\" "
                   "maxlength=\"5000\">%s</textarea></label>\n",
                str_eq(a->code, "feedback")       ? "反馈内容"
                : str_eq(a->code, "assist_step")  ? "意见建议"
                                                  : "请求事项",
                val(req, rf, a, "text", ""));
  if (f & F_NOTE)
    html_printf(b, "<label>说明<input name=\"note\" maxlength=\"500\" "
                   "value=\"%s\"></label>\n",
                val(req, rf, a, "note", ""));
  if (f & (F_OPINION | F_OPINION_OPT))
    html_printf(b, "<label>意见%s<textarea name=\"opinion\"%s rows=\"2\" "
                   "maxlength=\"2000\">%s</textarea></label>\n",
                f & F_OPINION ? "" : "（可不填）",
                f & F_OPINION ? " required" : "",
                val(req, rf, a, "opinion", ""));
  if (f & F_APPROVER)
    html_printf(b, "<label>批准人<input name=\"approver\" required "
                   "maxlength=\"100\" value=\"%s\"></label>\n",
                val(req, rf, a, "approver", ""));
  if (f & F_MEETING)
    html_printf(b, "<label>集体研究（会议）<input name=\"meeting\" required "
                   "maxlength=\"200\" value=\"%s\"></label>\n",
                val(req, rf, a, "meeting", ""));
  if (f & F_DATE)
    html_printf(b, "<label>日期<input type=\"date\" name=\"date\" required "
                   "max=\"%s\" value=\"%s\"></label>\n",
                today, val(req, rf, a, "date", today));
  html_printf(b, "<button type=\"submit\">%s</button></form></section>\n",
              a->label);
}

/* ---- sections ---- */

static void header(Request *req, Response *resp, const Clue *c) {
  Buf *b = &resp->body;
  char t1[20];
  html_printf(b,
              "<dl class=\"props\" id=\"clue-header\"><dt>线索编号</dt>"
              "<dd id=\"clue-code\">%s</dd><dt>类型</dt><dd>%s</dd>"
              "<dt>状态</dt><dd id=\"clue-state\">%s</dd><dt>办理结果</dt>"
              "<dd id=\"clue-outcome\">%s</dd><dt>轮次</dt><dd>%s</dd>"
              "<dt>巡察组</dt><dd>%s</dd><dt>被巡察单位</dt><dd>%s</dd>"
              "<dt>移交去向</dt><dd>%s</dd><dt>移交函号</dt>"
              "<dd id=\"transfer-no\">%s</dd><dt>移交日期</dt><dd>%s</dd>"
              "<dt>登记编号</dt><dd id=\"register-no\">%s</dd><dt>接收日期</dt>"
              "<dd>%s</dd><dt>承办部门</dt><dd id=\"handling-office\">%s</dd>"
              "<dt>分办日期</dt><dd>%s</dd><dt>处置方式</dt><dd>%s</dd>"
              "<dt>立案日期</dt><dd>%s</dd><dt>移送审理</dt><dd>%s</dd>"
              "<dt>处理决定</dt><dd>%s</dd><dt>办结日期</dt><dd>%s</dd>",
              c->code, str_eq(c->kind, "suggestion") ? "整改建议" : "问题线索",
              cw_state_label(c->state), cw_state_label(c->outcome),
              cw_s(c->round_title), cw_s(c->team_name), cw_s(c->unit_name),
              *c->destination
                  ? (*c->destination_name
                         ? c->destination_name
                         : clue_code_label(clue_destinations,
                                           n_clue_destinations, c->destination))
                  : "—",
              cw_s(c->transfer_no), cw_s(c->transferred_on),
              cw_s(c->register_no), cw_s(c->received_on),
              cw_s(c->handling_office_name), cw_s(c->assigned_on),
              *c->disposal ? clue_code_label(clue_disposals, n_clue_disposals,
                                             c->disposal)
                           : "—",
              cw_s(c->filed_on), cw_s(c->trial_on), cw_s(c->decided_on),
              cw_s(c->concluded_on));
  if (c->full)
    html_printf(b,
                "<dt>问题类别</dt><dd>%s</dd><dt>线索来源</dt><dd>%s</dd>"
                "<dt>发现日期</dt><dd>%s</dd><dt>登记人</dt><dd>%s，%s</dd>",
                clue_code_label(clue_categories, n_clue_categories, c->category),
                clue_code_label(clue_sources, n_clue_sources, c->source),
                cw_s(c->found_on), cw_s(c->created_by_name),
                cw_time(c->created_at, t1));
  html_raw(b, "</dl>\n");
  if (!c->full) {
    html_raw(b, "<p class=\"notice info\" id=\"status-only\">您只能查看该线索"
                "的办理状态与结果，不能查看线索内容。</p>\n");
    return;
  }
  html_printf(b,
              "<h2>问题摘要</h2>\n<p id=\"clue-summary\">%s</p>\n"
              "<h2>主要事实</h2>\n<div class=\"facts\">%s</div>\n"
              "<h2>移交条件</h2>\n<ul class=\"conditions\"><li>问题性质明确："
              "%s</li><li>证据充分：%s</li><li>事实清晰：%s</li></ul>\n",
              c->summary, cw_s(c->facts), c->cond_nature ? "是" : "否",
              c->cond_evidence ? "是" : "否", c->cond_facts ? "是" : "否");
  if (str_eq(c->state, "draft") || str_eq(c->state, "reviewed"))
    if (auth_route_allowed(req, P_CLUE_RECORD))
      html_printf(b, "<p><a href=\"/clues/%lld/edit\">编辑</a></p>\n",
                  (long long)c->id);
}

static void persons_section(Request *req, Response *resp, const Clue *c) {
  Buf *b = &resp->body;
  html_raw(b, "<h2>被反映人及处理结果</h2>\n<table class=\"grid\" "
              "id=\"persons\"><thead><tr><th>姓名</th><th>职务</th>"
              "<th>身份</th><th>纪委立案</th><th>监委立案</th><th>处理结果</th>"
              "<th>留置</th></tr></thead><tbody>\n");
  for (size_t i = 0; i < c->n_persons_loaded; i++) {
    const CluePerson *p = &c->persons[i];
    Buf out = BUF_INIT, det = BUF_INIT;
    Stmt *st = db_stmt(req->db, STMT_CLUEW_SANCTIONS);
    db_bind_int64(st, 1, c->id);
    while (db_step(st) == DB_ROW) {
      if (db_column_int64(st, 1) != p->id) continue;
      if (out.len) buf_puts(&out, "；");
      buf_printf(&out, "%s %s（第%lld种形态，%s", 
                 clue_code_label(clue_sanction_kinds, n_clue_sanction_kinds,
                                 db_column_text(st, 2)),
                 cw_measure_label(db_column_text(st, 3)),
                 (long long)db_column_int64(st, 4), db_column_text(st, 5));
      if (*db_column_text(st, 6))
        buf_printf(&out, "，宣布 %s", db_column_text(st, 6));
      if (*db_column_text(st, 7))
        buf_printf(&out, "，执行 %s", db_column_text(st, 7));
      buf_puts(&out, "）");
    }
    db_reset(st);
    st = db_stmt(req->db, STMT_CLUEW_MEASURES);
    db_bind_int64(st, 1, c->id);
    while (db_step(st) == DB_ROW) {
      if (db_column_int64(st, 1) != p->id) continue;
      if (det.len) buf_puts(&det, "；");
      buf_printf(&det, "%s 起，期限 %s", db_column_text(st, 3),
                 db_column_text(st, 4));
      if (db_column_int64(st, 5))
        buf_printf(&det, "（延长 %lld 次）", (long long)db_column_int64(st, 5));
      if (*db_column_text(st, 6))
        buf_printf(&det, "，%s 解除", db_column_text(st, 6));
    }
    db_reset(st);
    if (*p->outcome_note) {
      if (out.len) buf_puts(&out, "；");
      buf_puts(&out, p->outcome_note);
    }
    html_printf(b,
                "<tr><td>%s</td><td>%s</td><td>%s%s%s</td><td>%s</td>"
                "<td>%s</td><td class=\"outcome\">%s</td><td>%s</td></tr>\n",
                p->name, cw_s(p->post), p->party_member ? "中共党员" : "",
                p->party_member && p->supervisory_object ? "、" : "",
                p->supervisory_object ? "监察对象" : "",
                cw_s(p->filed_party_on), cw_s(p->filed_super_on),
                out.len ? buf_str(&out) : "—", det.len ? buf_str(&det) : "—");
    buf_release(&out);
    buf_release(&det);
  }
  html_raw(b, "</tbody></table>\n");
}

static void dues_section(Request *req, Response *resp, const ClueViewer *v,
                         const Clue *c) {
  Buf *b = &resp->body;
  ClueDue *d = NULL;
  size_t n = 0;
  if (clue_dues_of(req->db, v, c->id, &d, &n) != CLUE_OK || !n) {
    clue_dues_free(d, n);
    return;
  }
  html_raw(b, "<h2>办理期限</h2>\n<table class=\"grid\" id=\"dues\"><thead>"
              "<tr><th>期限</th><th>应于</th><th>完成</th><th>剩余天数</th>"
              "<th>依据</th></tr></thead><tbody>\n");
  for (size_t i = 0; i < n; i++) {
    const ClueDueRule *r = clue_due_rule(d[i].rule);
    const char *cls = *d[i].done_on ? "" : cw_due_class(req->db, d[i].due_on);
    Buf left = BUF_INIT;
    if (*d[i].done_on)
      buf_puts(&left, "已完成");
    else if (d[i].days_left < 0)
      buf_printf(&left, "已逾期 %d 天", -d[i].days_left);
    else
      buf_printf(&left, "%d 天", d[i].days_left);
    html_printf(b,
                "<tr class=\"%s\"><td>%s</td><td>%s</td><td>%s</td>"
                "<td>%s</td><td><small>%s</small></td></tr>\n",
                cls, r ? r->label : d[i].rule, d[i].due_on, cw_s(d[i].done_on),
                buf_str(&left), r ? r->source : "");
    buf_release(&left);
  }
  html_raw(b, "</tbody></table>\n");
  clue_dues_free(d, n);
}

/* Feedback is written for the inspection office, so its text shows on
** the status view too (件件有回音); the clue's own content does not. */
static void feedback_section(Request *req, Response *resp,
                             const ClueViewer *v, const Clue *c) {
  Buf *b = &resp->body;
  ClueFeedback *f = NULL;
  size_t n = 0;
  if (clue_feedback_list(req->db, v, c->id, &f, &n) != CLUE_OK || !n) {
    clue_feedback_free(f, n);
    return;
  }
  html_raw(b, "<h2>反馈记录</h2>\n<table class=\"grid\" id=\"feedback\">"
              "<thead><tr><th>次序</th><th>应于</th><th>反馈日期</th>"
              "<th>内容</th><th>反馈人</th></tr></thead><tbody>\n");
  for (size_t i = 0; i < n; i++)
    html_printf(b,
                "<tr><td>第 %lld 次%s</td><td>%s</td><td>%s</td><td>%s</td>"
                "<td>%s</td></tr>\n",
                (long long)f[i].seq, f[i].final ? "（办结报告）" : "",
                cw_s(f[i].due_on), f[i].sent_on,
                f[i].content, cw_s(f[i].by_name));
  html_raw(b, "</tbody></table>\n");
  clue_feedback_free(f, n);
}

static const char *notice_kind(const char *k) {
  return str_eq(k, "escalation") ? "挂牌督办" : "提醒";
}

static void notices_section(Request *req, Response *resp,
                            const ClueViewer *v, const Clue *c) {
  Buf *b = &resp->body;
  ClueNotice *ns = NULL;
  size_t n = 0;
  char t1[20], t2[20];
  int may = auth_route_allowed(req, P_CLUE_SUPERVISE) &&
            *c->transferred_on && !*c->concluded_on;
  if (clue_notices_of(req->db, v, c->id, &ns, &n) != CLUE_OK) n = 0;
  if (!n && !may) {
    clue_notices_free(ns, n);
    return;
  }
  html_raw(b, "<h2>督办记录</h2>\n");
  if (n) {
    html_raw(b, "<table class=\"grid\" id=\"notices\"><thead><tr><th>时间"
                "</th><th>方式</th><th>督办对象</th><th>事项</th><th>要求期限"
                "</th><th>督办人</th><th>阅读</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < n; i++) {
      const ClueDueRule *r = clue_due_rule(ns[i].rule);
      html_printf(b,
                  "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s%s%s</td>"
                  "<td>%s</td><td>%s</td><td>%s</td></tr>\n",
                  cw_time(ns[i].created_at, t1), notice_kind(ns[i].kind),
                  *ns[i].to_user_name ? ns[i].to_user_name
                                      : cw_s(ns[i].to_office),
                  r ? r->label : "", r ? "：" : "", ns[i].text,
                  cw_s(ns[i].due_on), cw_s(ns[i].from_name),
                  ns[i].read_at ? cw_time(ns[i].read_at, t2) : "未读");
    }
    html_raw(b, "</tbody></table>\n");
  }
  clue_notices_free(ns, n);
  if (!may) return;
  char action[64];
  snprintf(action, sizeof action, "/clues/%lld/notices", (long long)c->id);
  html_raw(b, "<section class=\"act\" id=\"notice-form\"><h3>督办</h3>\n");
  form_begin(req, resp, action);
  html_raw(b, "<label>方式<select name=\"kind\"><option value=\"reminder\">"
              "提醒</option><option value=\"escalation\">挂牌督办</option>"
              "</select></label>\n<label>涉及期限<select name=\"rule\">"
              "<option value=\"\">（不针对具体期限）</option>");
  for (size_t i = 0; i < n_clue_due_rules; i++)
    sel_opt(b, clue_due_rules[i].code, clue_due_rules[i].label,
            c->next_due_kind);
  html_raw(b, "</select></label>\n<label>督办对象<select name=\"to_office\">"
              "<option value=\"\">承办部门</option>");
  Stmt *st = db_stmt(req->db, STMT_CLUEW_OFFICE_CHOICES);
  ntk_bind_jur(st, 1, &v->who, v->scope);
  while (db_step(st) == DB_ROW)
    sel_opt(b, db_column_text(st, 0), db_column_text(st, 1), "");
  db_reset(st);
  html_raw(b, "</select></label>\n<label>督办事项<textarea name=\"text\" "
              "required rows=\"2\" maxlength=\"2000\"></textarea></label>\n"
              "<label>要求办理期限<input type=\"date\" name=\"due_on\">"
              "</label>\n<button type=\"submit\">发出督办</button></form>"
              "</section>\n");
}

static void approvals_section(Request *req, Response *resp, const Clue *c) {
  Buf *b = &resp->body;
  char t1[20];
  int shown = 0;
  Stmt *st = db_stmt(req->db, STMT_CLUEW_APPROVALS);
  db_bind_int64(st, 1, c->id);
  while (db_step(st) == DB_ROW) {
    if (!shown++)
      html_raw(b, "<h2>移交审批</h2>\n<table class=\"grid\" id=\"approvals\">"
                  "<thead><tr><th>第几次提交</th><th>步骤</th><th>审批人</th>"
                  "<th>结果</th><th>意见</th><th>时间</th></tr></thead>"
                  "<tbody>\n");
    html_printf(b,
                "<tr><td>%lld</td><td>%lld</td><td>%s</td><td>%s</td>"
                "<td>%s</td><td>%s</td></tr>\n",
                (long long)db_column_int64(st, 0),
                (long long)db_column_int64(st, 1), db_column_text(st, 3),
                str_eq(db_column_text(st, 4), "approve") ? "同意" : "退回",
                cw_s(db_column_text(st, 5)),
                cw_time(db_column_int64(st, 6), t1));
  }
  db_reset(st);
  if (shown) html_raw(b, "</tbody></table>\n");
}

static void reviews_section(Request *req, Response *resp, const Clue *c) {
  Buf *b = &resp->body;
  int shown = 0;
  Stmt *st = db_stmt(req->db, STMT_CLUEW_REVIEWS);
  db_bind_int64(st, 1, c->id);
  while (db_step(st) == DB_ROW) {
    if (!shown++)
      html_raw(b, "<h2>研判记录</h2>\n<table class=\"grid\" id=\"reviews\">"
                  "<thead><tr><th>日期</th><th>参加人员</th><th>结论</th>"
                  "<th>记录人</th></tr></thead><tbody>\n");
    html_printf(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                db_column_text(st, 0), db_column_text(st, 1),
                db_column_text(st, 2), db_column_text(st, 3));
  }
  db_reset(st);
  if (shown) html_raw(b, "</tbody></table>\n");
}

static void assist_section(Request *req, Response *resp, const Clue *c) {
  Buf *b = &resp->body;
  char t1[20];
  int shown = 0;
  Stmt *st = db_stmt(req->db, STMT_CLUEW_ASSISTS);
  db_bind_int64(st, 1, c->id);
  while (db_step(st) == DB_ROW) {
    if (!shown++) html_raw(b, "<h2>提前介入</h2>\n<ul id=\"assists\">");
    html_printf(b, "<li>%s（%s 于 %s 提出，%s）</li>", db_column_text(st, 1),
                db_column_text(st, 2), cw_time(db_column_int64(st, 3), t1),
                str_eq(db_column_text(st, 4), "open") ? "进行中" : "已结束");
  }
  db_reset(st);
  if (!shown) return;
  html_raw(b, "</ul>\n<p>介入人员：");
  st = db_stmt(req->db, STMT_CLUEW_ASSIST_MEMBERS);
  db_bind_int64(st, 1, c->id);
  int k = 0;
  while (db_step(st) == DB_ROW)
    html_printf(b, "%s%s", k++ ? "、" : "", db_column_text(st, 1));
  db_reset(st);
  if (!k) html_raw(b, "尚未指派");
  html_raw(b, "</p>\n");
  st = db_stmt(req->db, STMT_CLUEW_ASSIST_STEPS);
  db_bind_int64(st, 1, c->id);
  k = 0;
  while (db_step(st) == DB_ROW) {
    const char *sg = db_column_text(st, 1);
    if (!k++)
      html_raw(b, "<table class=\"grid\" id=\"assist-steps\"><thead><tr>"
                  "<th>阶段</th><th>意见建议</th><th>日期</th><th>人员</th>"
                  "</tr></thead><tbody>\n");
    html_printf(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                str_eq(sg, "screen")  ? "筛疑"
                : str_eq(sg, "clear") ? "排疑"
                                      : "查疑",
                db_column_text(st, 2), db_column_text(st, 3),
                db_column_text(st, 4));
  }
  db_reset(st);
  if (k) html_raw(b, "</tbody></table>\n");
}

static void events_section(Request *req, Response *resp, const ClueViewer *v,
                           const Clue *c) {
  Buf *b = &resp->body;
  ClueEvent *e = NULL;
  size_t n = 0;
  char t1[20];
  if (clue_events(req->db, v, c->id, &e, &n) != CLUE_OK || !n) {
    clue_events_free(e, n);
    return;
  }
  html_raw(b, "<h2>办理过程</h2>\n<table class=\"grid\" id=\"history\">"
              "<thead><tr><th>日期</th><th>事项</th><th>状态</th>");
  if (c->full) html_raw(b, "<th>经办人</th><th>意见</th><th>批准人</th>");
  html_raw(b, "<th>记录时间</th></tr></thead><tbody>\n");
  for (size_t i = 0; i < n; i++) {
    const ClueAction *a = clue_action(e[i].action);
    html_printf(b, "<tr><td>%s</td><td>%s</td><td>%s → %s</td>", e[i].acted_on,
                a                              ? a->label
                : str_eq(e[i].action, "create") ? "登记"
                                                : e[i].action,
                cw_state_label(e[i].from_state),
                cw_state_label(e[i].to_state));
    if (c->full)
      html_printf(b, "<td>%s</td><td>%s</td><td>%s</td>", cw_s(e[i].actor_name),
                  cw_s(e[i].opinion), cw_s(e[i].approver));
    html_printf(b, "<td>%s</td></tr>\n", cw_time(e[i].created_at, t1));
  }
  html_raw(b, "</tbody></table>\n");
  clue_events_free(e, n);
}

static void attachments_section(Request *req, Response *resp, const Clue *c) {
  Buf *b = &resp->body;
  char t1[20];
  int k = 0;
  html_raw(b, "<h2>附件</h2>\n");
  Stmt *st = db_stmt(req->db, STMT_CLUEW_ATT_LIST);
  db_bind_int64(st, 1, c->id);
  while (db_step(st) == DB_ROW) {
    if (!k++) html_raw(b, "<ul id=\"attachments\">");
    html_printf(b,
                "<li><a href=\"/clues/%lld/attachments/%lld\">%s</a> "
                "<small>%lld 字节，%s 上传于 %s</small></li>",
                (long long)c->id, (long long)db_column_int64(st, 0),
                db_column_text(st, 1), (long long)db_column_int64(st, 3),
                db_column_text(st, 4), cw_time(db_column_int64(st, 5), t1));
  }
  db_reset(st);
  if (k)
    html_raw(b, "</ul>\n");
  else
    html_raw(b, "<p class=\"hint\">没有附件。</p>\n");
  if (!auth_route_allowed(req, P_CLUE_ACT)) return;
  html_printf(b,
              "<form method=\"post\" action=\"/clues/%lld/attachments\" "
              "enctype=\"multipart/form-data\" id=\"attach-form\">"
              "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
              "<label>上传附件（不超过 20 MB，加密存储）<input type=\"file\" "
              "name=\"file\" required></label><button type=\"submit\">上传"
              "</button></form>\n",
              (long long)c->id, req->csrf_token);
}

/* The whole page; rf (may be NULL) names a failed action. */
static void detail_page(Request *req, Response *resp, const ClueViewer *v,
                        const Clue *c, const Refill *rf) {
  Buf *b = &resp->body;
  Buf title = BUF_INIT;
  buf_printf(&title, "问题线索 %s", c->code);
  page_begin(req, resp, buf_str(&title), "clues");
  buf_release(&title);
  cw_tabs(req, resp);
  if (rf)
    page_notice(resp, "error", rf->error);
  else if (params_get(&req->query, "saved"))
    page_notice(resp, "ok", "已保存。");
  else if (params_get(&req->query, "done"))
    page_notice(resp, "ok", "已办理。");
  header(req, resp, c);
  if (c->full) {
    html_printf(b, "<p class=\"links\"><a href=\"/clues/%lld/letter\">移交函"
                   "</a> · <a href=\"/clues/%lld/letter.docx\">移交函（Word）"
                   "</a>",
                (long long)c->id, (long long)c->id);
    if (auth_route_allowed(req, P_ACCESS_APPROVE))
      html_printf(b, " · <a href=\"/access/grants?object_type=clue&amp;"
                     "object_id=%lld\">知悉范围</a>",
                  (long long)c->id);
    else if (auth_route_allowed(req, P_ACCESS_REQUEST))
      html_raw(b, " · <a href=\"/access/mine\">申请他人知悉</a>");
    html_raw(b, "</p>\n");
    persons_section(req, resp, c);
  }
  const ClueAction *acts[64];
  size_t na = clue_actions_available(req->db, v, c, acts, JX_COUNT(acts));
  if (na && auth_route_allowed(req, P_CLUE_ACT)) {
    html_raw(b, "<h2>办理</h2>\n<div class=\"actions\" id=\"actions\">\n");
    for (size_t i = 0; i < na; i++) action_form(req, resp, c, acts[i], rf);
    html_raw(b, "</div>\n");
  }
  dues_section(req, resp, v, c);
  feedback_section(req, resp, v, c);
  notices_section(req, resp, v, c);
  if (c->full) {
    approvals_section(req, resp, c);
    reviews_section(req, resp, c);
    assist_section(req, resp, c);
  }
  events_section(req, resp, v, c);
  if (c->full) attachments_section(req, resp, c);
  page_end(req, resp);
}

/* ROUTE: GET /clues/{id} — audited as clue.read. */
void page_clue(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  if (cw_viewer(req, resp, &v) != 0 || cw_clue_of_path(req, resp, &v, &c) != 0)
    return;
  cw_note(req, &c, c.full ? "查看" : "查看办理状态");
  detail_page(req, resp, &v, &c, NULL);
  clue_clear(&c);
}

/* An integer field of the form (0 when absent or malformed). */
static int64_t form_int(Request *req, const char *name) {
  int64_t v = 0;
  const char *s = params_get(&req->form, name);
  if (!s || str_to_int64(s, 0, INT64_MAX, &v) != 0) return 0;
  return v;
}

static const char *form_s(Request *req, const char *name) {
  return params_get(&req->form, name);
}

/* ROUTE: POST /clues/{id}/act/{action} — audited as clue.act. */
void page_clue_act(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  ClueActIn in;
  Buf err = BUF_INIT;
  const char *field = NULL;
  int64_t ids[64];
  size_t nid = 0;
  if (cw_viewer(req, resp, &v) != 0 || cw_clue_of_path(req, resp, &v, &c) != 0)
    return;
  const char *code = req_arg(req, 1);
  const ClueAction *a = clue_action(code);
  memset(&in, 0, sizeof in);
  in.opinion = form_s(req, "opinion");
  in.approver = form_s(req, "approver");
  in.meeting = form_s(req, "meeting");
  in.date = form_s(req, "date");
  in.person_id = form_int(req, "person_id");
  in.participants = form_s(req, "participants");
  in.conclusion = form_s(req, "conclusion");
  in.destination = form_s(req, "destination");
  in.destination_name = form_s(req, "destination_name");
  in.next_approver_id = form_int(req, "next_approver_id");
  in.handling_office = form_s(req, "handling_office");
  in.disposal = form_s(req, "disposal");
  in.filing = form_s(req, "filing");
  in.measure = form_s(req, "measure");
  in.note = form_s(req, "note");
  in.sanction_id = form_int(req, "sanction_id");
  in.measure_id = form_int(req, "measure_id");
  in.text = form_s(req, "text");
  in.stage = form_s(req, "stage");
  for (size_t i = 0; i < req->form.n && nid < JX_COUNT(ids); i++)
    if (str_eq(req->form.items[i].name, "user_ids") &&
        cw_id(req->form.items[i].value, &ids[nid]) == 0)
      nid++;
  in.user_ids = ids;
  in.n_user_ids = nid;
  Buf what = BUF_INIT;
  buf_printf(&what, "执行「%s」", a ? a->label : "未知操作");
  ClueResult r =
      a ? clue_act(req->db, &v, c.id, a->code, &in, NULL, &field, &err)
        : CLUE_EINVALID;
  if (!a) buf_puts(&err, "没有这项办理操作");
  if (r != CLUE_OK) buf_puts(&what, "未成功");
  cw_note(req, &c, buf_str(&what));
  buf_release(&what);
  if (r == CLUE_OK) {
    char loc[96];
    snprintf(loc, sizeof loc, "/clues/%lld?done=%s", (long long)c.id, a->code);
    resp_redirect(resp, loc);
  } else if (r == CLUE_ENOTFOUND) {
    web_error(req, resp, 404, "not_found", CW_NOT_FOUND, NULL);
  } else {
    Clue fresh;
    cw_discard(req);
    Refill rf = {a ? a->code : NULL, err.len ? buf_str(&err) : "办理失败"};
    if (clue_get(req->db, &v, c.id, &fresh) == CLUE_OK) {
      detail_page(req, resp, &v, &fresh, &rf);
      clue_clear(&fresh);
    } else {
      detail_page(req, resp, &v, &c, &rf);
    }
    resp->status = clue_http_status(r);
  }
  clue_clear(&c);
  buf_release(&err);
}

/* ROUTE: POST /clues/{id}/notices — a 督办 (P_CLUE_SUPERVISE; audited as
** clue.notice). */
void page_clue_notice(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  Buf err = BUF_INIT;
  const char *field = NULL;
  if (cw_viewer(req, resp, &v) != 0 || cw_clue_of_path(req, resp, &v, &c) != 0)
    return;
  ClueNoticeIn in = {form_s(req, "kind"), form_s(req, "rule"), 0,
                     form_s(req, "to_office"), form_s(req, "text"),
                     form_s(req, "due_on")};
  if (!in.kind) in.kind = "reminder";
  if (!in.rule) in.rule = "";
  if (!in.to_office) in.to_office = "";
  if (!in.due_on) in.due_on = "";
  ClueResult r = clue_notice_add(req->db, &v, c.id, &in, NULL, &field, &err);
  cw_note(req, &c, r == CLUE_OK ? "督办" : "督办未成功");
  if (r == CLUE_OK) {
    char loc[64];
    snprintf(loc, sizeof loc, "/clues/%lld?done=notice", (long long)c.id);
    resp_redirect(resp, loc);
  } else if (r == CLUE_ENOTFOUND) {
    web_error(req, resp, 404, "not_found", CW_NOT_FOUND, NULL);
  } else {
    cw_discard(req);
    Refill rf = {NULL, err.len ? buf_str(&err) : "督办失败"};
    detail_page(req, resp, &v, &c, &rf);
    resp->status = clue_http_status(r);
  }
  clue_clear(&c);
  buf_release(&err);
}
