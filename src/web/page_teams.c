/* page_teams.c: teams of a round, their units and members, staffing
** requests (同向调度力量) with ranked candidates, and 回避 exceptions for
** the 领导小组, as HTML pages and as the JSON API.  The rules live in
** domain/staffing.c.
**
** Audit objects: "team" for team changes, "staffing_request" for
** requests and answers, "avoidance_override" for exceptions.  Summaries
** name the team and the person, never an exception's reason or the
** facts behind a 回避 refusal (they may describe a relative). */
#include "web/page_rounds.h"

#include <stdlib.h>

#include "web/api.h"
#include "web/html.h"

/* The team of path argument 0 for perm, or a 404 rendered. */
static int team_of_path(Request *req, Response *resp, Perm perm, Team *t) {
  int64_t id;
  int rc = rw_arg_id(req, 0, &id) == 0 ? rw_team_get(req, perm, id, t)
                                       : DB_DONE;
  if (rc == DB_OK) return 0;
  web_error(req, resp, rc == DB_DONE ? 404 : 500,
            rc == DB_DONE ? "not_found" : "db_error",
            rc == DB_DONE ? "巡察组不存在" : "读取巡察组失败", NULL);
  return -1;
}

static void position_options(Response *resp, const char *selected) {
  for (size_t i = 0; i < n_team_positions; i++)
    html_printf(&resp->body, "<option value=\"%s\"%s>%s</option>",
                team_positions[i].code,
                str_eq(selected, team_positions[i].code) ? " selected" : "",
                team_positions[i].label);
}

static const char *override_status_label(const char *s) {
  return str_eq(s, "pending")    ? "待审批"
         : str_eq(s, "approved") ? "已批准"
         : str_eq(s, "rejected") ? "已驳回"
                                 : s;
}

/* The 回避 exception form for staff_id (hidden fields) with a reason. */
static void override_form(Request *req, Response *resp, int64_t team_id,
                          int64_t staff_id, const char *position,
                          int64_t request_id, const char *label) {
  char action[64];
  snprintf(action, sizeof action, "/teams/%lld/overrides", (long long)team_id);
  form_begin(req, resp, action);
  html_printf(&resp->body,
              "<input type=\"hidden\" name=\"staff_id\" value=\"%lld\">"
              "<input type=\"hidden\" name=\"position\" value=\"%s\">"
              "<input type=\"hidden\" name=\"request_id\" value=\"%lld\">"
              "<input name=\"reason\" required maxlength=\"500\" "
              "placeholder=\"申请例外的理由\" aria-label=\"申请例外的理由\">"
              "<button type=\"submit\">%s</button></form>",
              (long long)staff_id, position, (long long)request_id, label);
}

/* ---- the team page ---- */

static void members_table(Request *req, Response *resp, const Team *t,
                          int can_edit) {
  Buf *b = &resp->body;
  Stmt *st = db_stmt(req->db, STMT_RND_TEAM_MEMBERS);
  db_bind_int64(st, 1, t->id);
  int shown = 0;
  while (db_step(st) == DB_ROW) {
    if (!shown++)
      html_raw(b, "<table class=\"grid\" id=\"members\"><thead><tr>"
                  "<th>姓名</th><th>部门</th><th>职务</th><th>同堂培训</th>"
                  "<th>回避例外</th>");
    if (shown == 1 && can_edit) html_raw(b, "<th>操作</th>");
    if (shown == 1) html_raw(b, "</tr></thead><tbody>\n");
    int64_t sid = db_column_int64(st, 0), ovr = db_column_int64(st, 6);
    int64_t trained = db_column_int64(st, 7);
    const char *pos = db_column_text(st, 4);
    html_printf(b,
                "<tr data-staff=\"%lld\"><td><a href=\"/trainings/records/"
                "%lld\">%s</a><br><small>%s</small></td><td>%s</td>"
                "<td class=\"position\">%s</td><td class=\"training\">",
                (long long)sid, (long long)sid, db_column_text(st, 2),
                db_column_text(st, 1), db_column_text(st, 3),
                team_position_label(pos) ? team_position_label(pos) : pos);
    if (trained)
      html_printf(b, "已参加（%lld 次，最近：%s）", (long long)trained,
                  db_column_text(st, 8));
    else
      html_raw(b, "未参加");
    html_raw(b, "</td><td>");
    if (ovr)
      html_printf(b, "经领导小组批准（#%lld）", (long long)ovr);
    else
      html_raw(b, "—");
    html_raw(b, "</td>");
    if (can_edit) {
      char action[96];
      snprintf(action, sizeof action, "/teams/%lld/members/%lld/remove",
               (long long)t->id, (long long)sid);
      html_raw(b, "<td>");
      form_begin(req, resp, action);
      html_raw(b, "<button type=\"submit\" class=\"link\">移出</button>"
                  "</form></td>");
    }
    html_raw(b, "</tr>\n");
  }
  db_reset(st);
  if (shown)
    html_raw(b, "</tbody></table>\n");
  else
    html_raw(b, "<p class=\"hint\">尚无成员。</p>\n");
}

static void units_section(Request *req, Response *resp, const Team *t,
                          int can_edit) {
  Buf *b = &resp->body;
  Stmt *st = db_stmt(req->db, STMT_RND_TEAM_UNITS);
  db_bind_int64(st, 1, t->id);
  int shown = 0;
  html_raw(b, "<ul id=\"team-units\">");
  while (db_step(st) == DB_ROW) {
    shown++;
    html_printf(b, "<li>%s <small>%s%s%s</small></li>", db_column_text(st, 1),
                db_column_text(st, 4), *db_column_text(st, 3) ? "，监督：" : "",
                db_column_text(st, 3));
  }
  db_reset(st);
  if (!shown) html_raw(b, "<li>尚未分配被巡察单位</li>");
  html_raw(b, "</ul>\n");
  if (!can_edit) return;
  RoundUnit *u = NULL;
  size_t n = 0, free_units = 0;
  if (round_units_load(req->db, t->round_id, &u, &n) != DB_OK) return;
  for (size_t i = 0; i < n; i++) free_units += !*u[i].team_name;
  if (free_units) {
    char action[64];
    snprintf(action, sizeof action, "/teams/%lld/units", (long long)t->id);
    form_begin(req, resp, action);
    html_raw(b, "<label>分配本轮单位<select name=\"unit_id\" required>");
    for (size_t i = 0; i < n; i++)
      if (!*u[i].team_name)
        html_printf(b, "<option value=\"%lld\">%s %s</option>",
                    (long long)u[i].unit_id, u[i].code, u[i].name);
    html_raw(b, "</select></label><button type=\"submit\">分配</button>"
                "</form>\n");
  }
  round_units_free(u, n);
}

static void add_member_form(Request *req, Response *resp, const Team *t) {
  Buf *b = &resp->body;
  char action[64];
  snprintf(action, sizeof action, "/teams/%lld/members", (long long)t->id);
  html_raw(b, "<h3>直接加入成员</h3>\n");
  form_begin(req, resp, action);
  html_raw(b, "<label>人员<select name=\"staff_id\" required>");
  Stmt *st = db_stmt(req->db, STMT_RND_STAFF_CHOICES);
  int i = round_bind_subtree(st, 1, t->jurisdiction_code);
  db_bind_int64(st, i, t->id);
  while (db_step(st) == DB_ROW)
    html_printf(b, "<option value=\"%lld\">%s %s（%s）</option>",
                (long long)db_column_int64(st, 0), db_column_text(st, 1),
                db_column_text(st, 2), db_column_text(st, 3));
  db_reset(st);
  html_raw(b, "</select></label><label>职务<select name=\"position\">");
  position_options(resp, "member");
  html_raw(b, "</select></label><p class=\"hint\">加入前自动核对回避规则；"
              "触发回避的，须提请领导小组批准例外。</p>"
              "<button type=\"submit\">加入</button></form>\n");
}

static void requests_section(Request *req, Response *resp, const Team *t,
                             int can_edit) {
  Buf *b = &resp->body;
  NtkSubject who;
  Scope sc = rw_who(req, P_ROUND_READ, &who);
  Stmt *st = db_stmt(req->db, STMT_RND_SREQ_LIST);
  int i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_text(st, i++, "");
  db_bind_text(st, i++, "");
  db_bind_int64(st, i++, t->id);
  db_bind_int64(st, i++, t->id);
  db_bind_int64(st, i++, 200);
  db_bind_int64(st, i++, 0);
  int shown = 0;
  while (db_step(st) == DB_ROW) {
    StaffingRequest q;
    sreq_read_row(st, &q);
    if (!shown++)
      html_raw(b, "<table class=\"grid\" id=\"requests\"><thead><tr>"
                  "<th>需求</th><th>职务</th><th>人数</th><th>状态</th>"
                  "</tr></thead><tbody>\n");
    html_printf(b,
                "<tr><td><a href=\"/staffing-requests/%lld\">%s</a></td>"
                "<td>%s</td><td>%lld / %lld</td><td>%s</td></tr>\n",
                (long long)q.id, q.text, team_position_label(q.position),
                (long long)q.n_answers, (long long)q.count,
                str_eq(q.status, "open") ? "待答复" : "已答复");
    sreq_clear(&q);
  }
  db_reset(st);
  if (shown) html_raw(b, "</tbody></table>\n");
  else html_raw(b, "<p class=\"hint\">尚未提出力量需求。</p>\n");
  if (!can_edit) return;
  char action[64];
  snprintf(action, sizeof action, "/teams/%lld/staffing-requests",
           (long long)t->id);
  html_raw(b, "<h3>提出力量需求（同向调度力量）</h3>\n");
  form_begin(req, resp, action);
  html_raw(b,
           "\n<label>需求说明<textarea name=\"text\" required maxlength=\"500\" "
           "rows=\"2\" placeholder=\"如 组长人选 1 名，具有县区纪委常务副书记"
           "工作经历\"></textarea></label>\n<label>所需工作经历（用顿号分隔）"
           "<input name=\"required_posts\" maxlength=\"200\" "
           "placeholder=\"如 县区纪委常务副书记\"></label>\n<label>所需专长"
           "（用顿号分隔）<input name=\"required_expertise\" maxlength=\"200\" "
           "placeholder=\"如 财务、审计\"></label>\n<label>人数<input "
           "name=\"count\" type=\"number\" min=\"1\" max=\"20\" value=\"1\" "
           "required></label>\n<label>拟任职务<select name=\"position\">");
  position_options(resp, "member");
  html_raw(b, "</select></label>\n<label>需要时段起（默认本轮开始日期）"
              "<input name=\"from_date\" type=\"date\"></label>\n<label>需要时段止"
              "（默认本轮结束日期）<input name=\"to_date\" type=\"date\"></label>\n"
              "<button type=\"submit\">提出需求</button></form>\n");
}

static void overrides_section(Request *req, Response *resp, const Team *t) {
  Buf *b = &resp->body;
  NtkSubject who;
  Scope sc = rw_who(req, P_ROUND_READ, &who);
  Stmt *st = db_stmt(req->db, STMT_RND_OVR_LIST);
  int i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_text(st, i++, "");
  db_bind_text(st, i++, "");
  db_bind_int64(st, i++, t->id);
  db_bind_int64(st, i++, t->id);
  db_bind_int64(st, i++, 200);
  db_bind_int64(st, i++, 0);
  int shown = 0;
  while (db_step(st) == DB_ROW) {
    AvoidOverride o;
    Buf labels = BUF_INIT;
    override_read_row(st, &o);
    override_rule_labels(&labels, o.rule);
    if (!shown++)
      html_raw(b, "<h2>回避例外申请</h2>\n<table class=\"grid\" "
                  "id=\"overrides\"><thead><tr><th>人员</th><th>回避规则</th>"
                  "<th>状态</th><th>审批</th></tr></thead><tbody>\n");
    html_printf(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                o.staff_name, buf_str(&labels),
                override_status_label(o.status),
                o.approved_by ? o.approved_by_name : "—");
    buf_release(&labels);
    override_clear(&o);
  }
  db_reset(st);
  if (shown) html_raw(b, "</tbody></table>\n");
}

/* The team page.  error (may be NULL) goes on top; after a 回避 refusal
** avoid_staff names the person so the page offers the exception form. */
static void team_page(Request *req, Response *resp, const Team *t,
                      const char *error, int64_t avoid_staff,
                      const char *avoid_position) {
  Buf *b = &resp->body;
  int can_edit = auth_route_allowed(req, P_ROUND_EDIT);
  Buf title = BUF_INIT;
  buf_printf(&title, "%s · %s", t->round_title, t->name);
  page_begin(req, resp, buf_str(&title), "rounds");
  buf_release(&title);
  rw_tabs(req, resp);
  if (error)
    page_notice(resp, "error", error);
  else if (params_get(&req->query, "saved"))
    page_notice(resp, "ok", "已保存。");
  else if (params_get(&req->query, "requested"))
    page_notice(resp, "ok", "回避例外申请已提交，待领导小组审批。");
  if (avoid_staff && auth_route_allowed(req, P_AVOID_REQUEST)) {
    html_raw(b, "<p>如确需选派，可提请领导小组批准回避例外：</p>\n");
    override_form(req, resp, t->id, avoid_staff, avoid_position, 0,
                  "提请领导小组批准");
  }
  html_printf(b, "<p><a href=\"/rounds/%lld\">返回%s</a></p>\n",
              (long long)t->round_id, t->round_title);
  if (*t->leader_note) html_printf(b, "<p>%s</p>\n", t->leader_note);
  html_raw(b, "<h2>负责的被巡察单位</h2>\n");
  units_section(req, resp, t, can_edit);
  html_raw(b, "<h2>成员</h2>\n");
  members_table(req, resp, t, can_edit);
  if (can_edit) add_member_form(req, resp, t);
  html_raw(b, "<h2>力量需求</h2>\n");
  requests_section(req, resp, t, can_edit);
  overrides_section(req, resp, t);
  page_end(req, resp);
}

/* ROUTE: GET /teams/{id} */
void page_team(Request *req, Response *resp) {
  Team t;
  if (team_of_path(req, resp, P_ROUND_READ, &t) != 0) return;
  team_page(req, resp, &t, NULL, 0, NULL);
  team_clear(&t);
}

static void team_saved(Response *resp, int64_t id) {
  char loc[64];
  snprintf(loc, sizeof loc, "/teams/%lld?saved=1", (long long)id);
  resp_redirect(resp, loc);
}

void rw_note_team(Request *req, const Team *t) {
  req->audit_object = "team";
  req->audit_object_id = t->id;
  buf_printf(&req->audit_summary, "%s %s：", t->round_title, t->name);
}

/* ROUTE: POST /teams/{id}/units */
void page_team_unit_add(Request *req, Response *resp) {
  Team t;
  Buf err = BUF_INIT;
  int64_t uid = 0;
  if (team_of_path(req, resp, P_ROUND_EDIT, &t) != 0) return;
  RoundResult res = ROUND_EINVALID;
  if (rw_id(req_param(req, "unit_id"), &uid) == 0)
    res = team_add_unit(req->db, &t, uid, &err);
  else
    buf_puts(&err, "请选择单位");
  rw_note_team(req, &t);
  buf_printf(&req->audit_summary, "分配被巡察单位 #%lld", (long long)uid);
  if (res != ROUND_OK) {
    rw_discard(req);
    team_page(req, resp, &t, buf_str(&err), 0, NULL);
    resp->status = round_http_status(res);
  } else {
    team_saved(resp, t.id);
  }
  team_clear(&t);
  buf_release(&err);
}

/* The staff member's name, for audit summaries ("#id" when unknown). */
void rw_staff_name(Db *db, int64_t id, Buf *out) {
  Stmt *st = db_stmt(db, STMT_RND_STAFF_BRIEF);
  db_bind_int64(st, 1, id);
  if (db_step(st) == DB_ROW)
    buf_puts(out, db_column_text(st, 0));
  else
    buf_printf(out, "#%lld", (long long)id);
  db_reset(st);
}

/* ROUTE: POST /teams/{id}/members — add a member (回避 checked). */
void page_team_member_add(Request *req, Response *resp) {
  Team t;
  Buf err = BUF_INIT;
  int64_t sid = 0;
  const char *pos = req_param(req, "position");
  if (!pos || !*pos) pos = "member";
  if (team_of_path(req, resp, P_ROUND_EDIT, &t) != 0) return;
  RoundResult res = ROUND_EINVALID;
  if (rw_id(req_param(req, "staff_id"), &sid) == 0)
    res = team_add_member(req->db, &t, sid, pos, 0, NULL, NULL, &err);
  else
    buf_puts(&err, "请选择人员");
  rw_note_team(req, &t);
  buf_puts(&req->audit_summary, res == ROUND_EAVOID ? "因回避拒绝加入" : "加入");
  rw_staff_name(req->db, sid, &req->audit_summary);
  if (res != ROUND_OK) {
    rw_discard(req);
    team_page(req, resp, &t, buf_str(&err), res == ROUND_EAVOID ? sid : 0,
              pos);
    resp->status = round_http_status(res);
  } else {
    team_saved(resp, t.id);
  }
  team_clear(&t);
  buf_release(&err);
}

/* ROUTE: POST /teams/{id}/members/{staff_id}/remove */
void page_team_member_remove(Request *req, Response *resp) {
  Team t;
  Buf err = BUF_INIT;
  int64_t sid = 0;
  if (team_of_path(req, resp, P_ROUND_EDIT, &t) != 0) return;
  rw_note_team(req, &t);
  RoundResult res = ROUND_ENOTFOUND;
  if (rw_arg_id(req, 1, &sid) == 0) {
    buf_puts(&req->audit_summary, "移出");
    rw_staff_name(req->db, sid, &req->audit_summary);
    res = team_remove_member(req->db, &t, sid, &err);
  } else {
    buf_puts(&err, "该人员不是本组成员");
  }
  if (res != ROUND_OK) {
    rw_discard(req);
    team_page(req, resp, &t, buf_str(&err), 0, NULL);
    resp->status = round_http_status(res);
  } else {
    team_saved(resp, t.id);
  }
  team_clear(&t);
  buf_release(&err);
}

/* ROUTE: POST /teams/{id}/staffing-requests — state a need. */
void page_sreq_create(Request *req, Response *resp) {
  Team t;
  Buf err = BUF_INIT;
  const char *field = NULL;
  int64_t id = 0;
  if (team_of_path(req, resp, P_ROUND_EDIT, &t) != 0) return;
  StaffingRequestIn in = {req_param(req, "text"),
                          req_param(req, "required_posts"),
                          req_param(req, "required_expertise"),
                          req_param(req, "count"),
                          req_param(req, "position"),
                          req_param(req, "from_date"),
                          req_param(req, "to_date")};
  RoundResult res = sreq_create(req->db, req->user_id, &t, &in, &id, &field,
                                &err);
  req->audit_object = "staffing_request";
  req->audit_object_id = id;
  buf_printf(&req->audit_summary, "%s %s 提出力量需求", t.round_title, t.name);
  if (res != ROUND_OK) {
    rw_discard(req);
    team_page(req, resp, &t, buf_str(&err), 0, NULL);
    resp->status = round_http_status(res);
  } else {
    char loc[64];
    snprintf(loc, sizeof loc, "/staffing-requests/%lld?saved=1", (long long)id);
    resp_redirect(resp, loc);
  }
  team_clear(&t);
  buf_release(&err);
}

/* Ask for an exception; shared by the page and the API.  A request
** named must be one of this team's; its position is the default. */
RoundResult rw_request_override(Request *req, const Team *t, int64_t sid,
                                    const char *pos, int64_t qid,
                                    const char *reason, int64_t *id,
                                    Buf *err) {
  char qpos[16] = "member";
  if (qid) {
    StaffingRequest q;
    int rc = rw_sreq_get(req, P_AVOID_REQUEST, qid, &q);
    int ok = rc == DB_OK && q.team_id == t->id;
    if (ok) str_copy(qpos, q.position, sizeof qpos);
    sreq_clear(&q);
    if (!ok) {
      buf_puts(err, "力量需求不存在或不属于本组");
      return ROUND_EINVALID;
    }
  }
  return override_request(req->db, req->user_id, t, sid,
                          pos && *pos ? pos : qpos, qid, reason, id, err);
}

void rw_note_override(Request *req, const Team *t, int64_t id,
                          int64_t sid, const char *verb) {
  req->audit_object = "avoidance_override";
  req->audit_object_id = id;
  buf_printf(&req->audit_summary, "%s %s：%s", t->round_title, t->name, verb);
  rw_staff_name(req->db, sid, &req->audit_summary);
}

/* ROUTE: POST /teams/{id}/overrides — ask the 领导小组 for an exception. */
void page_override_request(Request *req, Response *resp) {
  Team t;
  Buf err = BUF_INIT;
  int64_t sid = 0, qid = 0, id = 0;
  if (team_of_path(req, resp, P_AVOID_REQUEST, &t) != 0) return;
  RoundResult res = ROUND_EINVALID;
  const char *q = req_param(req, "request_id");
  if (rw_id(req_param(req, "staff_id"), &sid) != 0)
    buf_puts(&err, "请选择人员");
  else if (q && *q && !str_eq(q, "0") && rw_id(q, &qid) != 0)
    buf_puts(&err, "力量需求编号无效");
  else
    res = rw_request_override(req, &t, sid, req_param(req, "position"), qid,
                           req_param(req, "reason"), &id, &err);
  rw_note_override(req, &t, id, sid, "申请回避例外：");
  if (res != ROUND_OK) {
    rw_discard(req);
    team_page(req, resp, &t, buf_str(&err), 0, NULL);
    resp->status = round_http_status(res);
  } else {
    char loc[64];
    snprintf(loc, sizeof loc, "/teams/%lld?requested=%lld", (long long)t.id,
             (long long)id);
    resp_redirect(resp, loc);
  }
  team_clear(&t);
  buf_release(&err);
}

/* ---- staffing requests ---- */

/* ROUTE: GET /staffing-requests — open (or all) requests. */
void page_sreqs(Request *req, Response *resp) {
  Buf *b = &resp->body;
  NtkSubject who;
  Scope sc = rw_who(req, P_ROUND_READ, &who);
  const char *status = params_get(&req->query, "status");
  if (!str_eq(status, "answered") && !str_eq(status, "all")) status = "open";
  const char *filter = str_eq(status, "all") ? "" : status;
  int64_t page = rw_page(req), total = 0;
  page_begin(req, resp, "力量需求", "staffing");
  rw_tabs(req, resp);
  html_raw(b, "<p class=\"tabs\"><a href=\"/staffing-requests\">待答复</a> "
              "<a href=\"/staffing-requests?status=answered\">已答复</a> "
              "<a href=\"/staffing-requests?status=all\">全部</a></p>\n");
  Stmt *st = db_stmt(req->db, STMT_RND_SREQ_COUNT);
  int i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_text(st, i++, filter);
  db_bind_text(st, i++, filter);
  db_bind_int64(st, i++, 0);
  db_bind_int64(st, i++, 0);
  if (db_step(st) == DB_ROW) total = db_column_int64(st, 0);
  db_reset(st);
  if (!total) {
    html_raw(b, "<p class=\"hint\">没有符合条件的力量需求。</p>\n");
    page_end(req, resp);
    return;
  }
  html_raw(b, "<table class=\"grid\"><thead><tr><th>编号</th><th>巡察轮次</th>"
              "<th>巡察组</th><th>需求</th><th>人数</th><th>状态</th>"
              "<th>提出时间（北京时间）</th></tr></thead><tbody>\n");
  st = db_stmt(req->db, STMT_RND_SREQ_LIST);
  i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_text(st, i++, filter);
  db_bind_text(st, i++, filter);
  db_bind_int64(st, i++, 0);
  db_bind_int64(st, i++, 0);
  db_bind_int64(st, i++, RW_PER_PAGE);
  db_bind_int64(st, i++, (page - 1) * RW_PER_PAGE);
  while (db_step(st) == DB_ROW) {
    StaffingRequest q;
    char tm[24];
    sreq_read_row(st, &q);
    html_printf(b,
                "<tr><td>%lld</td><td>%s</td><td>%s</td><td><a "
                "href=\"/staffing-requests/%lld\">%s</a></td><td>%lld / %lld"
                "</td><td>%s</td><td>%s</td></tr>\n",
                (long long)q.id, q.round_title, q.team_name, (long long)q.id,
                q.text, (long long)q.n_answers, (long long)q.count,
                str_eq(q.status, "open") ? "待答复" : "已答复",
                rw_time(q.created_at, tm));
    sreq_clear(&q);
  }
  db_reset(st);
  html_raw(b, "</tbody></table>\n");
  rw_pager(resp, "/staffing-requests",
           str_eq(status, "answered") ? "status=answered&"
           : *filter                  ? ""
                                      : "status=all&",
           page, total);
  page_end(req, resp);
}

static void candidates_table(Request *req, Response *resp,
                             const StaffingRequest *q) {
  Buf *b = &resp->body;
  StaffFacts *f = NULL;
  Candidate *c = NULL;
  size_t n = 0;
  if (sreq_candidates(req->db, q, &f, &c, &n) != DB_OK) {
    page_notice(resp, "error", "读取候选人员失败，请稍后重试");
    return;
  }
  html_raw(b, "<h2>候选人员（按匹配度排序）</h2>\n<ul class=\"hint\">");
  for (size_t i = 0; i < n_staffing_weights; i++)
    html_printf(b, "<li>%s：%s</li>", staffing_weights[i].label,
                staffing_weights[i].rule);
  html_raw(b, "</ul>\n");
  if (!n) {
    html_raw(b, "<p class=\"hint\">力量库中没有可选派的人员。</p>\n");
    return;
  }
  int may_override = auth_route_allowed(req, P_AVOID_REQUEST);
  html_raw(b, "<table class=\"grid\" id=\"candidates\"><thead><tr><th>排名</th>"
              "<th>人员</th><th>得分</th><th>理由</th><th>操作</th></tr>"
              "</thead><tbody>\n");
  for (size_t i = 0; i < n; i++) {
    const StaffFacts *s = c[i].staff;
    html_printf(b,
                "<tr data-staff=\"%lld\"><td>%zu</td><td class=\"name\">%s"
                "<br><small>%s %s</small></td><td>%d</td><td><ul "
                "class=\"facts\">",
                (long long)s->id, i + 1, s->name, s->office_name, s->post,
                c[i].score);
    for (size_t k = 0; k < c[i].n_lines; k++) {
      const ScoreLine *l = &c[i].lines[k];
      html_printf(b, "<li class=\"%s\">%s%s</li>",
                  str_eq(l->component, "avoid") ? "warn" : "", l->text,
                  l->points > 0   ? ""
                  : l->points < 0 ? "（扣分）"
                                  : "");
    }
    html_raw(b, "</ul></td><td>");
    if (!c[i].avoid) {
      char action[64];
      snprintf(action, sizeof action, "/staffing-requests/%lld/answer",
               (long long)q->id);
      form_begin(req, resp, action);
      html_printf(b,
                  "<input type=\"hidden\" name=\"staff_id\" value=\"%lld\">"
                  "<button type=\"submit\">选派</button></form>",
                  (long long)s->id);
    } else if (may_override) {
      override_form(req, resp, q->team_id, s->id, q->position, q->id,
                    "提请领导小组批准例外");
    } else {
      html_raw(b, "须回避");
    }
    html_raw(b, "</td></tr>\n");
  }
  html_raw(b, "</tbody></table>\n");
  candidates_free(f, c, n);
}

static void sreq_page(Request *req, Response *resp, const StaffingRequest *q,
                      const char *error) {
  Buf *b = &resp->body;
  Buf title = BUF_INIT, period = BUF_INIT;
  buf_printf(&title, "力量需求 #%lld", (long long)q->id);
  page_begin(req, resp, buf_str(&title), "staffing");
  buf_release(&title);
  rw_tabs(req, resp);
  if (error)
    page_notice(resp, "error", error);
  else if (params_get(&req->query, "saved"))
    page_notice(resp, "ok", "已保存。");
  rw_period(&period, sreq_from(q), sreq_to(q));
  html_printf(
      b,
      "<dl class=\"props\"><dt>巡察组</dt><dd><a href=\"/teams/%lld\">%s %s"
      "</a></dd><dt>需求</dt><dd>%s</dd><dt>所需工作经历</dt><dd>%s</dd>"
      "<dt>所需专长</dt><dd>%s</dd><dt>拟任职务</dt><dd>%s</dd><dt>人数</dt>"
      "<dd>%lld（已选派 %lld）</dd><dt>时段</dt><dd>%s</dd><dt>状态</dt>"
      "<dd id=\"status\">%s</dd><dt>提出人</dt><dd>%s</dd></dl>\n",
      (long long)q->team_id, q->round_title, q->team_name, q->text,
      *q->required_posts ? q->required_posts : "不限",
      *q->required_expertise ? q->required_expertise : "不限",
      team_position_label(q->position), (long long)q->count,
      (long long)q->n_answers, buf_str(&period),
      str_eq(q->status, "open") ? "待答复" : "已答复", q->created_by_name);
  buf_release(&period);
  Stmt *st = db_stmt(req->db, STMT_RND_SANS_LIST);
  db_bind_int64(st, 1, q->id);
  int shown = 0;
  while (db_step(st) == DB_ROW) {
    char tm[24];
    if (!shown++)
      html_raw(b, "<h2>已选派</h2>\n<ul id=\"answers\">");
    html_printf(b, "<li>%s（%s），%s 选派于 %s</li>", db_column_text(st, 1),
                db_column_text(st, 2), db_column_text(st, 3),
                rw_time(db_column_int64(st, 4), tm));
  }
  db_reset(st);
  if (shown) html_raw(b, "</ul>\n");
  if (str_eq(q->status, "open") && auth_route_allowed(req, P_STAFFING_ANSWER))
    candidates_table(req, resp, q);
  page_end(req, resp);
}

/* The request of path argument 0 for perm, or a 404 rendered. */
static int sreq_of_path(Request *req, Response *resp, Perm perm,
                        StaffingRequest *q) {
  int64_t id;
  int rc = rw_arg_id(req, 0, &id) == 0 ? rw_sreq_get(req, perm, id, q)
                                       : DB_DONE;
  if (rc == DB_OK) return 0;
  web_error(req, resp, rc == DB_DONE ? 404 : 500,
            rc == DB_DONE ? "not_found" : "db_error",
            rc == DB_DONE ? "力量需求不存在" : "读取力量需求失败", NULL);
  return -1;
}

/* ROUTE: GET /staffing-requests/{id} — the request, and for the
** commission the ranked candidates with their reasons. */
void page_sreq(Request *req, Response *resp) {
  StaffingRequest q;
  if (sreq_of_path(req, resp, P_ROUND_READ, &q) != 0) return;
  req->audit_object = "staffing_request";
  req->audit_object_id = q.id;
  buf_printf(&req->audit_summary, "查看力量需求：%s %s", q.round_title,
             q.team_name);
  sreq_page(req, resp, &q, NULL);
  sreq_clear(&q);
}

/* ROUTE: POST /staffing-requests/{id}/answer — select (选派) a person. */
void page_sreq_answer(Request *req, Response *resp) {
  StaffingRequest q;
  Buf err = BUF_INIT;
  int64_t sid = 0;
  if (sreq_of_path(req, resp, P_STAFFING_ANSWER, &q) != 0) return;
  RoundResult res = ROUND_EINVALID;
  if (rw_id(req_param(req, "staff_id"), &sid) == 0)
    res = sreq_answer(req->db, req->user_id, &q, sid, NULL, NULL, &err);
  else
    buf_puts(&err, "请选择人员");
  req->audit_object = "staffing_request";
  req->audit_object_id = q.id;
  buf_printf(&req->audit_summary, "%s %s 选派%s", q.round_title, q.team_name,
             res == ROUND_EAVOID ? "被回避规则拒绝：" : "");
  rw_staff_name(req->db, sid, &req->audit_summary);
  if (res != ROUND_OK) {
    rw_discard(req);
    sreq_page(req, resp, &q, buf_str(&err));
    resp->status = round_http_status(res);
  } else {
    char loc[80];
    snprintf(loc, sizeof loc, "/teams/%lld?saved=1", (long long)q.team_id);
    resp_redirect(resp, loc);
  }
  sreq_clear(&q);
  buf_release(&err);
}

/* ---- the 领导小组's queue ---- */

static void overrides_page(Request *req, Response *resp, const char *error) {
  Buf *b = &resp->body;
  NtkSubject who;
  Scope sc = rw_who(req, P_AVOID_APPROVE, &who);
  const char *status = params_get(&req->query, "status");
  if (!str_eq(status, "approved") && !str_eq(status, "rejected") &&
      !str_eq(status, "all"))
    status = "pending";
  const char *filter = str_eq(status, "all") ? "" : status;
  int64_t page = rw_page(req), total = 0;
  page_begin(req, resp, "回避例外审批", "avoid");
  rw_tabs(req, resp);
  if (error)
    page_notice(resp, "error", error);
  else if (params_get(&req->query, "done"))
    page_notice(resp, "ok", "已处理。");
  html_raw(b, "<p class=\"tabs\"><a href=\"/avoid-overrides\">待审批</a> "
              "<a href=\"/avoid-overrides?status=approved\">已批准</a> "
              "<a href=\"/avoid-overrides?status=rejected\">已驳回</a> "
              "<a href=\"/avoid-overrides?status=all\">全部</a></p>\n");
  Stmt *st = db_stmt(req->db, STMT_RND_OVR_COUNT);
  int i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_text(st, i++, filter);
  db_bind_text(st, i++, filter);
  db_bind_int64(st, i++, 0);
  db_bind_int64(st, i++, 0);
  if (db_step(st) == DB_ROW) total = db_column_int64(st, 0);
  db_reset(st);
  if (!total) {
    html_raw(b, "<p class=\"hint\">没有符合条件的申请。</p>\n");
    page_end(req, resp);
    return;
  }
  html_raw(b, "<table class=\"grid\" id=\"overrides\"><thead><tr><th>编号</th>"
              "<th>巡察组</th><th>人员</th><th>回避事实</th><th>申请理由</th>"
              "<th>申请人（时间为北京时间）</th><th>状态 / 审批</th></tr></thead><tbody>\n");
  st = db_stmt(req->db, STMT_RND_OVR_LIST);
  i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_text(st, i++, filter);
  db_bind_text(st, i++, filter);
  db_bind_int64(st, i++, 0);
  db_bind_int64(st, i++, 0);
  db_bind_int64(st, i++, RW_PER_PAGE);
  db_bind_int64(st, i++, (page - 1) * RW_PER_PAGE);
  while (db_step(st) == DB_ROW) {
    AvoidOverride o;
    char tm[24];
    override_read_row(st, &o);
    html_printf(b,
                "<tr><td>%lld</td><td>%s %s</td><td>%s（%s）</td><td>%s</td>"
                "<td>%s</td><td>%s<br><small>%s</small></td><td>",
                (long long)o.id, o.round_title, o.team_name, o.staff_name,
                team_position_label(o.position), o.fact, o.reason,
                o.requested_by_name, rw_time(o.requested_at, tm));
    if (str_eq(o.status, "pending")) {
      char action[64];
      snprintf(action, sizeof action, "/avoid-overrides/%lld/approve",
               (long long)o.id);
      form_begin(req, resp, action);
      html_raw(b, "<input name=\"note\" maxlength=\"500\" placeholder=\""
                  "审批意见（可选）\" aria-label=\"审批意见\"><button "
                  "type=\"submit\">批准</button></form> ");
      snprintf(action, sizeof action, "/avoid-overrides/%lld/reject",
               (long long)o.id);
      form_begin(req, resp, action);
      html_raw(b, "<input name=\"note\" maxlength=\"500\" required "
                  "placeholder=\"驳回理由\" aria-label=\"驳回理由\"><button "
                  "type=\"submit\">驳回</button></form>");
    } else {
      html_printf(b, "%s：%s，%s<br>%s", override_status_label(o.status),
                  o.approved_by_name, rw_time(o.approved_at, tm),
                  o.decision_note);
    }
    html_raw(b, "</td></tr>\n");
    override_clear(&o);
  }
  db_reset(st);
  html_raw(b, "</tbody></table>\n");
  rw_pager(resp, "/avoid-overrides",
           str_eq(status, "approved")   ? "status=approved&"
           : str_eq(status, "rejected") ? "status=rejected&"
           : str_eq(status, "all")      ? "status=all&"
                                        : "",
           page, total);
  page_end(req, resp);
}

/* ROUTE: GET /avoid-overrides — the 领导小组's queue. */
void page_overrides(Request *req, Response *resp) {
  overrides_page(req, resp, NULL);
}

/* Decide the exception of path argument 0; audits it. */
RoundResult rw_decide_override(Request *req, int approve, const char *note,
                          Buf *err) {
  AvoidOverride o;
  int64_t id = 0;
  req->audit_object = "avoidance_override";
  int rc = rw_arg_id(req, 0, &id) == 0
               ? rw_override_get(req, P_AVOID_APPROVE, id, &o)
               : DB_DONE;
  req->audit_object_id = id;
  if (rc != DB_OK) {
    buf_puts(err, "回避例外申请不存在");
    buf_printf(&req->audit_summary, "%s回避例外申请 #%lld",
               approve ? "批准" : "驳回", (long long)id);
    return rc == DB_DONE ? ROUND_ENOTFOUND : ROUND_EDB;
  }
  RoundResult r = override_decide(req->db, req->user_id, &o, approve, note,
                                  err);
  Buf labels = BUF_INIT;
  override_rule_labels(&labels, o.rule);
  buf_printf(&req->audit_summary, "%s回避例外：%s %s，%s（%s）",
             approve ? "批准" : "驳回", o.round_title, o.team_name,
             o.staff_name, buf_str(&labels));
  buf_release(&labels);
  override_clear(&o);
  return r;
}

static void decide_html(Request *req, Response *resp, int approve) {
  Buf err = BUF_INIT;
  RoundResult r = rw_decide_override(req, approve, req_param(req, "note"), &err);
  if (r != ROUND_OK) {
    rw_discard(req);
    overrides_page(req, resp, buf_str(&err));
    resp->status = round_http_status(r);
  } else {
    resp_redirect(resp, "/avoid-overrides?done=1");
  }
  buf_release(&err);
}

/* ROUTE: POST /avoid-overrides/{id}/approve — adds the member; audited as
** team.avoid_override. */
void page_override_approve(Request *req, Response *resp) {
  decide_html(req, resp, 1);
}

/* ROUTE: POST /avoid-overrides/{id}/reject */
void page_override_reject(Request *req, Response *resp) {
  decide_html(req, resp, 0);
}
