/* page_training.c: joint training (同堂培训) — sessions with their
** lecturers from the commission, inspection office and audit, their
** attendees, and each staff member's training record — as HTML pages and
** as the JSON API.  Rules: domain/training.c. */
#include "web/page_rounds.h"

#include <stdlib.h>

#include "web/api.h"
#include "web/html.h"

#define LECTURER_ROWS 4 /* lecturer rows on the new-session form */

/* One session as RND_TRN_GET / RND_TRN_LIST read it. */
typedef struct TrainingSession {
  int64_t id, minutes, n_attendees;
  char title[256], date[11], jur[64];
} TrainingSession;

static void session_read(Stmt *st, TrainingSession *s) {
  s->id = db_column_int64(st, 0);
  str_copy(s->title, db_column_text(st, 1), sizeof s->title);
  str_copy(s->date, db_column_text(st, 2), sizeof s->date);
  s->minutes = db_column_int64(st, 3);
  str_copy(s->jur, db_column_text(st, 4), sizeof s->jur);
  s->n_attendees = db_column_int64(st, 5);
}

/* The session of path argument 0, or a 404 rendered. */
static int session_of_path(Request *req, Response *resp, Perm perm,
                           TrainingSession *s) {
  NtkSubject who;
  int64_t id = 0;
  Scope sc = rw_who(req, perm, &who);
  int found = 0;
  if (rw_arg_id(req, 0, &id) == 0) {
    Stmt *st = db_stmt(req->db, STMT_RND_TRN_GET);
    db_bind_int64(st, 1, id);
    ntk_bind_jur(st, 2, &who, sc);
    if ((found = db_step(st) == DB_ROW)) session_read(st, s);
    db_reset(st);
  }
  if (found) return 0;
  web_error(req, resp, 404, "not_found", "培训不存在", NULL);
  return -1;
}

/* "纪委、巡察" — the sides lecturing at session id. */
static void sides_text(Db *db, int64_t id, Buf *out) {
  int seen[8] = {0};
  Stmt *st = db_stmt(db, STMT_RND_TRN_LECTURERS);
  db_bind_int64(st, 1, id);
  while (db_step(st) == DB_ROW)
    for (size_t i = 0; i < n_training_sides; i++)
      if (str_eq(db_column_text(st, 2), training_sides[i].code)) seen[i] = 1;
  db_reset(st);
  for (size_t i = 0; i < n_training_sides; i++)
    if (seen[i]) {
      if (out->len) buf_puts(out, "、");
      buf_puts(out, training_sides[i].label);
    }
}

/* ---- list ---- */

/* ROUTE: GET /trainings */
void page_trainings(Request *req, Response *resp) {
  Buf *b = &resp->body;
  NtkSubject who;
  Scope sc = rw_who(req, P_TRAINING_READ, &who);
  int64_t page = rw_page(req), total = 0;
  page_begin(req, resp, "同堂培训", "training");
  rw_tabs(req, resp);
  if (auth_route_allowed(req, P_TRAINING_EDIT))
    html_raw(b, "<p><a href=\"/trainings/new\">登记培训</a></p>\n");
  html_raw(b, "<p class=\"hint\">“纪巡审”干部同堂培训：纪委、巡察、审计负责同志"
              "轮流授课，三方干部互学互鉴。巡察组页面据此显示成员是否参加过"
              "同堂培训。</p>\n");
  Stmt *st = db_stmt(req->db, STMT_RND_TRN_COUNT);
  ntk_bind_jur(st, 1, &who, sc);
  if (db_step(st) == DB_ROW) total = db_column_int64(st, 0);
  db_reset(st);
  if (!total) {
    html_raw(b, "<p class=\"hint\">暂无培训记录。</p>\n");
    page_end(req, resp);
    return;
  }
  html_raw(b, "<table class=\"grid\"><thead><tr><th>培训</th><th>日期</th>"
              "<th>学时</th><th>授课方</th><th>参训人数</th></tr></thead>"
              "<tbody>\n");
  st = db_stmt(req->db, STMT_RND_TRN_LIST);
  int i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_int64(st, i++, RW_PER_PAGE);
  db_bind_int64(st, i++, (page - 1) * RW_PER_PAGE);
  TrainingSession *rows = NULL;
  size_t n = 0;
  while (db_step(st) == DB_ROW) {
    rows = xrealloc(rows, (n + 1) * sizeof *rows);
    session_read(st, &rows[n++]);
  }
  db_reset(st);
  for (size_t k = 0; k < n; k++) {
    Buf sides = BUF_INIT;
    char h[32];
    sides_text(req->db, rows[k].id, &sides);
    training_hours_text(rows[k].minutes, h);
    html_printf(b,
                "<tr><td><a href=\"/trainings/%lld\">%s</a></td><td>%s</td>"
                "<td>%s</td><td>%s</td><td>%lld</td></tr>\n",
                (long long)rows[k].id, rows[k].title, rows[k].date, h,
                buf_str(&sides), (long long)rows[k].n_attendees);
    buf_release(&sides);
  }
  free(rows);
  html_raw(b, "</tbody></table>\n");
  rw_pager(resp, "/trainings", "", page, total);
  page_end(req, resp);
}

/* ---- new session ---- */

static void side_options(Response *resp, const char *selected) {
  for (size_t i = 0; i < n_training_sides; i++)
    html_printf(&resp->body, "<option value=\"%s\"%s>%s</option>",
                training_sides[i].code,
                str_eq(selected, training_sides[i].code) ? " selected" : "",
                training_sides[i].label);
}

/* Staff the user may list as attendees of a session in jur (not yet
** attending session id, 0 for a new one), as <option>s. */
static void staff_options(Request *req, Response *resp, const char *jur,
                          int64_t id) {
  Stmt *st = db_stmt(req->db, STMT_RND_TRN_STAFF_CHOICES);
  int i = round_bind_subtree(st, 1, jur);
  db_bind_int64(st, i, id);
  while (db_step(st) == DB_ROW)
    html_printf(&resp->body, "<option value=\"%lld\">%s %s</option>",
                (long long)db_column_int64(st, 0), db_column_text(st, 1),
                db_column_text(st, 2));
  db_reset(st);
}

static void training_form(Request *req, Response *resp, const char *error) {
  Buf *b = &resp->body;
  NtkSubject who;
  Scope sc = rw_who(req, P_TRAINING_EDIT, &who);
  int refill = error != NULL;
  const char *v;
  page_begin(req, resp, "登记同堂培训", "training");
  rw_tabs(req, resp);
  if (error) page_notice(resp, "error", error);
  form_begin(req, resp, "/trainings");
  v = refill ? req_param(req, "title") : NULL;
  html_printf(b, "\n<label>培训名称<input name=\"title\" required "
                 "maxlength=\"80\" value=\"%s\" placeholder=\"如 “纪巡审”干部"
                 "集中学习培训班\"></label>\n",
              v ? v : "");
  v = refill ? req_param(req, "date") : NULL;
  html_printf(b, "<label>日期<input name=\"date\" type=\"date\" required "
                 "value=\"%s\"></label>\n",
              v ? v : "");
  v = refill ? req_param(req, "hours") : NULL;
  html_printf(b, "<label>学时（小时）<input name=\"hours\" required "
                 "inputmode=\"decimal\" maxlength=\"6\" value=\"%s\"></label>\n",
              v ? v : "");
  const char *jur = refill ? req_param(req, "jurisdiction_code") : NULL;
  if (!jur) jur = who.jurisdiction_code;
  html_raw(b, "<label>辖区<select name=\"jurisdiction_code\">");
  Stmt *st = db_stmt(req->db, STMT_RND_JUR_OPTIONS);
  ntk_bind_jur(st, 1, &who, sc);
  while (db_step(st) == DB_ROW)
    html_printf(b, "<option value=\"%s\"%s>%s</option>", db_column_text(st, 0),
                str_eq(jur, db_column_text(st, 0)) ? " selected" : "",
                db_column_text(st, 1));
  db_reset(st);
  html_raw(b, "</select></label>\n<fieldset><legend>授课人（至少一名）</legend>\n");
  for (int k = 1; k <= LECTURER_ROWS; k++) {
    char nf[40], sf[40];
    snprintf(nf, sizeof nf, "lecturer_name_%d", k);
    snprintf(sf, sizeof sf, "lecturer_side_%d", k);
    v = refill ? req_param(req, nf) : NULL;
    html_printf(b, "<label>姓名<input name=\"%s\" maxlength=\"30\" "
                   "value=\"%s\"></label><label>来源<select name=\"%s\">",
                nf, v ? v : "", sf);
    side_options(resp, refill ? req_param(req, sf) : training_sides[(k - 1) % 3].code);
    html_raw(b, "</select></label>\n");
  }
  html_raw(b, "</fieldset>\n<label>参训人员（可多选）<select name=\"staff_id\" "
              "multiple size=\"10\">");
  staff_options(req, resp, who.jurisdiction_code, 0);
  html_raw(b, "</select></label>\n<button type=\"submit\">保存</button></form>\n");
  page_end(req, resp);
}

/* ROUTE: GET /trainings/new */
void page_training_new(Request *req, Response *resp) {
  training_form(req, resp, NULL);
}

/* Add every staff_id of the form to session id; stops at the first
** refusal.  The number added, or -1 with err set. */
static int add_form_attendees(Request *req, int64_t id, const char *jur,
                              RoundResult *res, Buf *err) {
  int n = 0;
  *res = ROUND_OK;
  for (size_t i = 0; i < req->form.n; i++) {
    int64_t sid;
    if (!str_eq(req->form.items[i].name, "staff_id")) continue;
    if (rw_id(req->form.items[i].value, &sid) != 0) {
      buf_puts(err, "人员编号无效");
      *res = ROUND_EINVALID;
      return -1;
    }
    *res = training_add_attendee(req->db, id, jur, sid, err);
    if (*res != ROUND_OK) return -1;
    n++;
  }
  return n;
}

/* Check the session's jurisdiction against the user's scope; an empty
** one becomes the user's own (copied into own). */
static int jur_allowed(Request *req, const char **jur, char own[64],
                       Buf *err) {
  NtkSubject who;
  Scope sc = rw_who(req, P_TRAINING_EDIT, &who);
  if (!*jur || !**jur) {
    str_copy(own, who.jurisdiction_code, 64);
    *jur = own;
  }
  if (ntk_jur_within(&who, sc, *jur)) return 0;
  buf_puts(err, "只能在本人所辖范围内登记培训");
  return -1;
}

/* ROUTE: POST /trainings */
void page_training_create(Request *req, Response *resp) {
  Buf err = BUF_INIT;
  char own[64];
  TrainingLecturerIn lect[LECTURER_ROWS];
  size_t nl = 0;
  int64_t id = 0;
  const char *field = NULL, *jur = req_param(req, "jurisdiction_code");
  RoundResult res = ROUND_EINVALID;
  for (int k = 1; k <= LECTURER_ROWS; k++) {
    char nf[40], sf[40];
    snprintf(nf, sizeof nf, "lecturer_name_%d", k);
    snprintf(sf, sizeof sf, "lecturer_side_%d", k);
    const char *name = req_param(req, nf);
    if (name && *name) lect[nl++] = (TrainingLecturerIn){name, req_param(req, sf)};
  }
  TrainingIn in = {req_param(req, "title"), req_param(req, "date"),
                   req_param(req, "hours")};
  if (jur_allowed(req, &jur, own, &err) == 0) {
    res = training_create(req->db, req->user_id, &in, jur, lect, nl, &id,
                          &field, &err);
    if (res == ROUND_OK) add_form_attendees(req, id, jur, &res, &err);
  }
  req->audit_object = "training";
  req->audit_object_id = id;
  buf_printf(&req->audit_summary, "登记同堂培训：%s", in.title ? in.title : "");
  if (res != ROUND_OK) {
    rw_discard(req);
    training_form(req, resp, buf_str(&err));
    resp->status = round_http_status(res);
  } else {
    char loc[64];
    snprintf(loc, sizeof loc, "/trainings/%lld?saved=1", (long long)id);
    resp_redirect(resp, loc);
  }
  buf_release(&err);
}

/* ---- one session ---- */

static void session_page(Request *req, Response *resp, const TrainingSession *s,
                         const char *error) {
  Buf *b = &resp->body;
  char h[32];
  training_hours_text(s->minutes, h);
  page_begin(req, resp, s->title, "training");
  rw_tabs(req, resp);
  if (error)
    page_notice(resp, "error", error);
  else if (params_get(&req->query, "saved"))
    page_notice(resp, "ok", "已保存。");
  html_printf(b, "<dl class=\"props\"><dt>日期</dt><dd>%s</dd><dt>学时</dt>"
                 "<dd>%s</dd></dl>\n<h2>授课人</h2>\n<ul>",
              s->date, h);
  Stmt *st = db_stmt(req->db, STMT_RND_TRN_LECTURERS);
  db_bind_int64(st, 1, s->id);
  while (db_step(st) == DB_ROW) {
    const char *side = training_side_label(db_column_text(st, 2));
    html_printf(b, "<li>%s（%s）</li>", db_column_text(st, 1),
                side ? side : "");
  }
  db_reset(st);
  html_printf(b, "</ul>\n<h2>参训人员（%lld 人）</h2>\n<ul id=\"attendees\">",
              (long long)s->n_attendees);
  st = db_stmt(req->db, STMT_RND_TRN_ATTENDEES);
  db_bind_int64(st, 1, s->id);
  while (db_step(st) == DB_ROW)
    html_printf(b, "<li><a href=\"/trainings/records/%lld\">%s</a> %s "
                   "<small>%s</small></li>",
                (long long)db_column_int64(st, 0), db_column_text(st, 2),
                db_column_text(st, 1), db_column_text(st, 3));
  db_reset(st);
  html_raw(b, "</ul>\n");
  if (auth_route_allowed(req, P_TRAINING_EDIT)) {
    char action[64];
    snprintf(action, sizeof action, "/trainings/%lld/attendees",
             (long long)s->id);
    form_begin(req, resp, action);
    html_raw(b, "<label>补登参训人员（可多选）<select name=\"staff_id\" "
                "multiple size=\"8\" required>");
    staff_options(req, resp, s->jur, s->id);
    html_raw(b, "</select></label><button type=\"submit\">补登</button>"
                "</form>\n");
  }
  page_end(req, resp);
}

/* ROUTE: GET /trainings/{id} */
void page_training(Request *req, Response *resp) {
  TrainingSession s;
  if (session_of_path(req, resp, P_TRAINING_READ, &s) != 0) return;
  session_page(req, resp, &s, NULL);
}

/* ROUTE: POST /trainings/{id}/attendees */
void page_training_attendees(Request *req, Response *resp) {
  TrainingSession s;
  Buf err = BUF_INIT;
  RoundResult res;
  if (session_of_path(req, resp, P_TRAINING_EDIT, &s) != 0) return;
  int n = add_form_attendees(req, s.id, s.jur, &res, &err);
  if (res == ROUND_OK && n == 0) {
    buf_puts(&err, "请选择参训人员");
    res = ROUND_EINVALID;
  }
  req->audit_object = "training";
  req->audit_object_id = s.id;
  buf_printf(&req->audit_summary, "培训“%s”补登参训人员 %d 名", s.title,
             res == ROUND_OK ? n : 0);
  if (res != ROUND_OK) {
    rw_discard(req);
    session_page(req, resp, &s, buf_str(&err));
    resp->status = round_http_status(res);
  } else {
    char loc[64];
    snprintf(loc, sizeof loc, "/trainings/%lld?saved=1", (long long)s.id);
    resp_redirect(resp, loc);
  }
  buf_release(&err);
}

/* ---- a staff member's record ---- */

/* The staff member of path argument 0 inside the user's scope:
** name etc. into the out buffers; 0, or -1 after a 404. */
static int staff_of_path(Request *req, Response *resp, int64_t *id,
                         char name[128], char code[64], char office[256]) {
  NtkSubject who;
  Scope sc = rw_who(req, P_TRAINING_READ, &who);
  int found = 0;
  if (rw_arg_id(req, 0, id) == 0) {
    Stmt *st = db_stmt(req->db, STMT_RND_STAFF_VISIBLE);
    db_bind_int64(st, 1, *id);
    ntk_bind_jur(st, 2, &who, sc);
    if ((found = db_step(st) == DB_ROW)) {
      str_copy(code, db_column_text(st, 1), 64);
      str_copy(name, db_column_text(st, 2), 128);
      str_copy(office, db_column_text(st, 3), 256);
    }
    db_reset(st);
  }
  if (found) return 0;
  web_error(req, resp, 404, "not_found", "人员不存在", NULL);
  return -1;
}

/* ROUTE: GET /trainings/records/{staff_id} — the staff member's record. */
void page_training_record(Request *req, Response *resp) {
  Buf *b = &resp->body;
  int64_t id, total = 0;
  char name[128], code[64], office[256];
  if (staff_of_path(req, resp, &id, name, code, office) != 0) return;
  Buf title = BUF_INIT;
  buf_printf(&title, "培训记录 · %s", name);
  page_begin(req, resp, buf_str(&title), "training");
  buf_release(&title);
  rw_tabs(req, resp);
  html_printf(b, "<p>%s %s</p>\n", code, office);
  Stmt *st = db_stmt(req->db, STMT_RND_TRN_RECORD);
  db_bind_int64(st, 1, id);
  int shown = 0;
  while (db_step(st) == DB_ROW) {
    char h[32];
    if (!shown++)
      html_raw(b, "<table class=\"grid\" id=\"record\"><thead><tr>"
                  "<th>培训</th><th>日期</th><th>学时</th></tr></thead>"
                  "<tbody>\n");
    training_hours_text(db_column_int64(st, 3), h);
    total += db_column_int64(st, 3);
    html_printf(b, "<tr><td><a href=\"/trainings/%lld\">%s</a></td><td>%s"
                   "</td><td>%s</td></tr>\n",
                (long long)db_column_int64(st, 0), db_column_text(st, 1),
                db_column_text(st, 2), h);
  }
  db_reset(st);
  if (shown) {
    char h[32];
    training_hours_text(total, h);
    html_printf(b, "</tbody></table>\n<p>共 %d 次，%s 学时。</p>\n", shown, h);
  } else {
    html_raw(b, "<p class=\"hint\">尚未参加同堂培训。</p>\n");
  }
  page_end(req, resp);
}

/* ---- JSON API ---- */

static json_t *session_json(Request *req, const TrainingSession *s, int full) {
  char h[32];
  training_hours_text(s->minutes, h);
  json_t *lect = json_array();
  Stmt *st = db_stmt(req->db, STMT_RND_TRN_LECTURERS);
  db_bind_int64(st, 1, s->id);
  while (db_step(st) == DB_ROW) {
    const char *side = training_side_label(db_column_text(st, 2));
    json_array_append_new(
        lect, json_pack("{s:s, s:s, s:s}", "name", db_column_text(st, 1),
                        "side", db_column_text(st, 2), "side_label",
                        side ? side : ""));
  }
  db_reset(st);
  json_t *j = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:I, s:o}", "id",
                        (json_int_t)s->id, "title", s->title, "date", s->date,
                        "minutes", (json_int_t)s->minutes, "hours", h,
                        "jurisdiction_code", s->jur, "attendee_count",
                        (json_int_t)s->n_attendees, "lecturers", lect);
  if (!full) return j;
  json_t *att = json_array();
  st = db_stmt(req->db, STMT_RND_TRN_ATTENDEES);
  db_bind_int64(st, 1, s->id);
  while (db_step(st) == DB_ROW)
    json_array_append_new(
        att, json_pack("{s:I, s:s, s:s, s:s}", "staff_id",
                       (json_int_t)db_column_int64(st, 0), "code",
                       db_column_text(st, 1), "name", db_column_text(st, 2),
                       "office", db_column_text(st, 3)));
  db_reset(st);
  json_object_set_new(j, "attendees", att);
  return j;
}

/* ROUTE: GET /api/v1/trainings */
void api_trainings(Request *req, Response *resp) {
  int64_t page, per_page, total = 0;
  NtkSubject who;
  if (api_paging(req, resp, &page, &per_page) != 0) return;
  Scope sc = rw_who(req, P_TRAINING_READ, &who);
  Stmt *st = db_stmt(req->db, STMT_RND_TRN_COUNT);
  ntk_bind_jur(st, 1, &who, sc);
  if (db_step(st) == DB_ROW) total = db_column_int64(st, 0);
  db_reset(st);
  st = db_stmt(req->db, STMT_RND_TRN_LIST);
  int i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_int64(st, i++, per_page);
  db_bind_int64(st, i++, (page - 1) * per_page);
  TrainingSession *rows = NULL;
  size_t n = 0;
  while (db_step(st) == DB_ROW) {
    rows = xrealloc(rows, (n + 1) * sizeof *rows);
    session_read(st, &rows[n++]);
  }
  db_reset(st);
  json_t *items = json_array();
  for (size_t k = 0; k < n; k++)
    json_array_append_new(items, session_json(req, &rows[k], 0));
  free(rows);
  api_json(resp, 200, api_page(items, total, page, per_page));
}

/* ROUTE: GET /api/v1/trainings/{id} */
void api_training(Request *req, Response *resp) {
  TrainingSession s;
  if (session_of_path(req, resp, P_TRAINING_READ, &s) != 0) return;
  api_json(resp, 200, session_json(req, &s, 1));
}

/* Answer with session id as stored now. */
static void session_reply(Request *req, Response *resp, int64_t id,
                          int status) {
  NtkSubject who;
  Scope sc = rw_who(req, P_TRAINING_READ, &who);
  TrainingSession s;
  Stmt *st = db_stmt(req->db, STMT_RND_TRN_GET);
  db_bind_int64(st, 1, id);
  ntk_bind_jur(st, 2, &who, sc);
  int found = db_step(st) == DB_ROW;
  if (found) session_read(st, &s);
  db_reset(st);
  if (found)
    api_json(resp, status, session_json(req, &s, 1));
  else
    web_error(req, resp, 500, "db_error", "读取培训失败", NULL);
}

/* Add the ids of a JSON array of staff ids to session id. */
static RoundResult add_json_attendees(Request *req, json_t *ids, int64_t id,
                                      const char *jur, Buf *err) {
  size_t k;
  json_t *v;
  RoundResult res = ROUND_OK;
  json_array_foreach(ids, k, v) {
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
      buf_puts(err, "参训人员应为人员编号数组");
      return ROUND_EINVALID;
    }
    res = training_add_attendee(req->db, id, jur, json_integer_value(v), err);
    if (res != ROUND_OK) return res;
  }
  return res;
}

/* ROUTE: POST /api/v1/trainings — {"title", "date", "hours",
** "jurisdiction_code", "lecturers": [{"name", "side"}], "staff_ids"} */
void api_training_create(Request *req, Response *resp) {
  Buf err = BUF_INIT;
  const char *jur = NULL, *field = NULL;
  int64_t id = 0;
  char hours[32] = "", own[64];
  TrainingIn in = {NULL, NULL, hours};
  if (!(in.title = api_string(req, resp, "title")) ||
      !(in.date = api_string(req, resp, "date")) ||
      rw_opt_string(req, resp, "jurisdiction_code", &jur) != 0)
    return;
  json_t *h = json_object_get(req->json, "hours");
  if (json_is_string(h))
    str_copy(hours, json_string_value(h), sizeof hours);
  else if (json_is_integer(h))
    snprintf(hours, sizeof hours, "%lld", (long long)json_integer_value(h));
  else if (json_is_real(h))
    snprintf(hours, sizeof hours, "%.2f", json_real_value(h));
  json_t *lj = json_object_get(req->json, "lecturers");
  json_t *ids = json_object_get(req->json, "staff_ids");
  if (!json_is_array(lj) || (ids && !json_is_array(ids))) {
    web_error(req, resp, 400, "bad_field",
              ids && !json_is_array(ids) ? "staff_ids 应为人员编号数组"
                                         : "lecturers 应为授课人数组",
              ids && !json_is_array(ids) ? "staff_ids" : "lecturers");
    return;
  }
  size_t nl = json_array_size(lj), k;
  json_t *v;
  TrainingLecturerIn *lect = xcalloc(nl ? nl : 1, sizeof *lect);
  json_array_foreach(lj, k, v) {
    lect[k].name = json_string_value(json_object_get(v, "name"));
    lect[k].side = json_string_value(json_object_get(v, "side"));
  }
  RoundResult res = ROUND_EINVALID;
  if (jur_allowed(req, &jur, own, &err) == 0) {
    res = training_create(req->db, req->user_id, &in, jur, lect, nl, &id,
                          &field, &err);
    if (res == ROUND_OK && ids) {
      res = add_json_attendees(req, ids, id, jur, &err);
      if (res != ROUND_OK) field = "staff_ids";
    }
  } else {
    field = "jurisdiction_code";
  }
  free(lect);
  req->audit_object = "training";
  req->audit_object_id = id;
  buf_printf(&req->audit_summary, "登记同堂培训：%s", in.title);
  if (res != ROUND_OK)
    rw_json_error(req, resp, res, &err, field);
  else
    session_reply(req, resp, id, 201);
  buf_release(&err);
}

/* ROUTE: POST /api/v1/trainings/{id}/attendees — {"staff_ids": […]} */
void api_training_attendees(Request *req, Response *resp) {
  TrainingSession s;
  Buf err = BUF_INIT;
  if (session_of_path(req, resp, P_TRAINING_EDIT, &s) != 0) return;
  json_t *ids = json_object_get(req->json, "staff_ids");
  req->audit_object = "training";
  req->audit_object_id = s.id;
  buf_printf(&req->audit_summary, "培训“%s”补登参训人员 %zu 名", s.title,
             json_array_size(ids));
  if (!json_is_array(ids) || !json_array_size(ids)) {
    web_error(req, resp, 400, "bad_field", "staff_ids 应为非空的人员编号数组",
              "staff_ids");
    return;
  }
  RoundResult res = add_json_attendees(req, ids, s.id, s.jur, &err);
  if (res != ROUND_OK)
    rw_json_error(req, resp, res, &err, "staff_ids");
  else
    session_reply(req, resp, s.id, 200);
  buf_release(&err);
}

/* ROUTE: GET /api/v1/trainings/records/{staff_id} */
void api_training_record(Request *req, Response *resp) {
  int64_t id, total = 0;
  char name[128], code[64], office[256];
  if (staff_of_path(req, resp, &id, name, code, office) != 0) return;
  json_t *items = json_array();
  Stmt *st = db_stmt(req->db, STMT_RND_TRN_RECORD);
  db_bind_int64(st, 1, id);
  while (db_step(st) == DB_ROW) {
    char h[32];
    training_hours_text(db_column_int64(st, 3), h);
    total += db_column_int64(st, 3);
    json_array_append_new(
        items, json_pack("{s:I, s:s, s:s, s:I, s:s, s:I}", "training_id",
                         (json_int_t)db_column_int64(st, 0), "title",
                         db_column_text(st, 1), "date", db_column_text(st, 2),
                         "minutes", (json_int_t)db_column_int64(st, 3),
                         "hours", h, "sides",
                         (json_int_t)db_column_int64(st, 4)));
  }
  db_reset(st);
  char h[32];
  training_hours_text(total, h);
  api_json(resp, 200,
           json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:b}", "staff_id",
                     (json_int_t)id, "code", code, "name", name, "office",
                     office, "sessions", items, "total_hours", h,
                     "joint_training", json_array_size(items) > 0));
}
