/* page_teams_api.c: the JSON API of teams, staffing requests and 回避
** exceptions (the HTML side is page_teams.c; the rules are in
** domain/staffing.c and domain/teams.c). */
#include "web/page_rounds.h"

#include <stdlib.h>

#include "web/api.h"

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

/* The requests of a team (team_id > 0) or of the user's scope. */
static json_t *sreq_array(Request *req, const char *status, int64_t team_id,
                          int64_t limit, int64_t offset, int64_t *total) {
  NtkSubject who;
  Scope sc = rw_who(req, P_ROUND_READ, &who);
  json_t *items = json_array();
  Stmt *st;
  int i;
  if (total) {
    st = db_stmt(req->db, STMT_RND_SREQ_COUNT);
    i = ntk_bind_jur(st, 1, &who, sc);
    db_bind_text(st, i++, status);
    db_bind_text(st, i++, status);
    db_bind_int64(st, i++, team_id);
    db_bind_int64(st, i++, team_id);
    *total = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
    db_reset(st);
  }
  st = db_stmt(req->db, STMT_RND_SREQ_LIST);
  i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_text(st, i++, status);
  db_bind_text(st, i++, status);
  db_bind_int64(st, i++, team_id);
  db_bind_int64(st, i++, team_id);
  db_bind_int64(st, i++, limit);
  db_bind_int64(st, i++, offset);
  while (db_step(st) == DB_ROW) {
    StaffingRequest q;
    sreq_read_row(st, &q);
    json_array_append_new(items, rw_sreq_json(&q));
    sreq_clear(&q);
  }
  db_reset(st);
  return items;
}

/* Team t with its units, members (and their joint training) and
** staffing requests. */
static json_t *team_full_json(Request *req, const Team *t) {
  json_t *j = rw_team_json(t), *units = json_array(), *members = json_array();
  Stmt *st = db_stmt(req->db, STMT_RND_TEAM_UNITS);
  db_bind_int64(st, 1, t->id);
  while (db_step(st) == DB_ROW)
    json_array_append_new(
        units, json_pack("{s:I, s:s, s:s, s:o}", "unit_id",
                         (json_int_t)db_column_int64(st, 0), "code",
                         db_column_text(st, 4), "name", db_column_text(st, 1),
                         "supervising_office",
                         rw_opt_text(db_column_text(st, 3))));
  db_reset(st);
  st = db_stmt(req->db, STMT_RND_TEAM_MEMBERS);
  db_bind_int64(st, 1, t->id);
  while (db_step(st) == DB_ROW) {
    const char *pos = db_column_text(st, 4);
    int64_t ovr = db_column_int64(st, 6), n = db_column_int64(st, 7);
    json_array_append_new(
        members,
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, "
                  "s:{s:b, s:I, s:o}}",
                  "staff_id", (json_int_t)db_column_int64(st, 0), "code",
                  db_column_text(st, 1), "name", db_column_text(st, 2),
                  "office", db_column_text(st, 3), "post",
                  db_column_text(st, 9), "position", pos, "position_label",
                  team_position_label(pos) ? team_position_label(pos) : pos,
                  "joined_at", api_time(db_column_int64(st, 5)), "override_id",
                  ovr ? json_integer(ovr) : json_null(), "joint_training",
                  "attended", n > 0, "sessions", (json_int_t)n, "latest",
                  rw_opt_text(db_column_text(st, 8))));
  }
  db_reset(st);
  json_object_set_new(j, "jurisdiction_code", json_string(t->jurisdiction_code));
  json_object_set_new(j, "units", units);
  json_object_set_new(j, "members", members);
  json_object_set_new(j, "staffing_requests",
                      sreq_array(req, "", t->id, 200, 0, NULL));
  return j;
}

/* ROUTE: GET /api/v1/teams — ?round_id= narrows to one round. */
void api_teams(Request *req, Response *resp) {
  int64_t page, per_page, total = 0, rid = 0;
  NtkSubject who;
  if (api_paging(req, resp, &page, &per_page) != 0) return;
  const char *r = params_get(&req->query, "round_id");
  if (r && rw_id(r, &rid) != 0) {
    web_error(req, resp, 400, "bad_parameter", "参数 round_id 应为正整数",
              "round_id");
    return;
  }
  Scope sc = rw_who(req, P_ROUND_READ, &who);
  Stmt *st = db_stmt(req->db, STMT_RND_TEAM_COUNT);
  int i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_int64(st, i++, rid);
  db_bind_int64(st, i++, rid);
  if (db_step(st) == DB_ROW) total = db_column_int64(st, 0);
  db_reset(st);
  json_t *items = json_array();
  st = db_stmt(req->db, STMT_RND_TEAM_LIST);
  i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_int64(st, i++, rid);
  db_bind_int64(st, i++, rid);
  db_bind_int64(st, i++, per_page);
  db_bind_int64(st, i++, (page - 1) * per_page);
  while (db_step(st) == DB_ROW) {
    Team t;
    team_read_row(st, &t);
    json_array_append_new(items, rw_team_json(&t));
    team_clear(&t);
  }
  db_reset(st);
  api_json(resp, 200, api_page(items, total, page, per_page));
}

/* ROUTE: GET /api/v1/teams/{id} */
void api_team(Request *req, Response *resp) {
  Team t;
  if (team_of_path(req, resp, P_ROUND_READ, &t) != 0) return;
  api_json(resp, 200, team_full_json(req, &t));
  team_clear(&t);
}

/* Answer with team id as it is now (status 201 or 200). */
static void team_reply(Request *req, Response *resp, int64_t id, int status) {
  Team t;
  if (rw_team_get(req, P_ROUND_READ, id, &t) != DB_OK) {
    web_error(req, resp, 500, "db_error", "读取巡察组失败", NULL);
    return;
  }
  api_json(resp, status, team_full_json(req, &t));
  team_clear(&t);
}

/* ROUTE: POST /api/v1/teams — {"round_id", "name", "leader_note", "unit_ids"} */
void api_team_create(Request *req, Response *resp) {
  int64_t rid = 0, id = 0;
  const char *name, *note = NULL, *field = NULL;
  Buf err = BUF_INIT;
  Round r;
  if (rw_json_id(req, resp, "round_id", &rid) != 0) return;
  if (!(name = api_string(req, resp, "name"))) return;
  if (rw_opt_string(req, resp, "leader_note", &note) != 0) return;
  json_t *ids = json_object_get(req->json, "unit_ids");
  if (ids && !json_is_array(ids)) {
    web_error(req, resp, 400, "bad_field", "unit_ids 应为单位编号数组",
              "unit_ids");
    return;
  }
  if (rw_round_get(req, P_ROUND_EDIT, rid, &r) != DB_OK) {
    web_error(req, resp, 404, "not_found", "巡察轮次不存在", "round_id");
    return;
  }
  RoundResult res = team_create(req->db, &r, name, note, &id, &field, &err);
  req->audit_object = "team";
  req->audit_object_id = id;
  buf_printf(&req->audit_summary, "%s 组建巡察组“%s”", r.title, name);
  if (res == ROUND_OK && json_array_size(ids)) {
    Team t;
    size_t k;
    json_t *v;
    res = rw_team_get(req, P_ROUND_EDIT, id, &t) == DB_OK ? ROUND_OK
                                                           : ROUND_EDB;
    json_array_foreach(ids, k, v) {
      if (res != ROUND_OK) break;
      field = "unit_ids";
      if (!json_is_integer(v)) {
        buf_puts(&err, "unit_ids 应为单位编号数组");
        res = ROUND_EINVALID;
      } else {
        res = team_add_unit(req->db, &t, json_integer_value(v), &err);
      }
    }
    team_clear(&t);
  }
  if (res != ROUND_OK)
    rw_json_error(req, resp, res, &err, field);
  else
    team_reply(req, resp, id, 201);
  round_clear(&r);
  buf_release(&err);
}

/* ROUTE: POST /api/v1/teams/{id}/units — {"unit_id"} */
void api_team_unit_add(Request *req, Response *resp) {
  Team t;
  Buf err = BUF_INIT;
  int64_t uid = 0;
  if (team_of_path(req, resp, P_ROUND_EDIT, &t) != 0) return;
  rw_note_team(req, &t);
  if (rw_json_id(req, resp, "unit_id", &uid) == 0) {
    buf_printf(&req->audit_summary, "分配被巡察单位 #%lld", (long long)uid);
    RoundResult res = team_add_unit(req->db, &t, uid, &err);
    if (res != ROUND_OK)
      rw_json_error(req, resp, res, &err, "unit_id");
    else
      team_reply(req, resp, t.id, 200);
  }
  team_clear(&t);
  buf_release(&err);
}

/* ROUTE: POST /api/v1/teams/{id}/members — {"staff_id", "position"};
** a 回避 refusal is 409 with code "avoid" and the rules and facts. */
void api_team_member_add(Request *req, Response *resp) {
  Team t;
  Buf err = BUF_INIT;
  int64_t sid = 0;
  const char *pos = NULL;
  if (team_of_path(req, resp, P_ROUND_EDIT, &t) != 0) return;
  rw_note_team(req, &t);
  if (rw_json_id(req, resp, "staff_id", &sid) == 0 &&
      rw_opt_string(req, resp, "position", &pos) == 0) {
    AvoidHit *h = NULL;
    size_t nh = 0;
    RoundResult res = team_add_member(req->db, &t, sid, pos ? pos : "member",
                                      0, &h, &nh, &err);
    buf_puts(&req->audit_summary,
             res == ROUND_EAVOID ? "因回避拒绝加入" : "加入");
    rw_staff_name(req->db, sid, &req->audit_summary);
    if (res == ROUND_EAVOID)
      rw_json_avoid(req, resp, &err, h, nh);
    else if (res != ROUND_OK)
      rw_json_error(req, resp, res, &err, "staff_id");
    else
      team_reply(req, resp, t.id, 201);
    avoid_hits_free(h, nh);
  }
  team_clear(&t);
  buf_release(&err);
}

/* ROUTE: DELETE /api/v1/teams/{id}/members/{staff_id} */
void api_team_member_remove(Request *req, Response *resp) {
  Team t;
  Buf err = BUF_INIT;
  int64_t sid = 0;
  if (team_of_path(req, resp, P_ROUND_EDIT, &t) != 0) return;
  rw_note_team(req, &t);
  buf_puts(&req->audit_summary, "移出");
  RoundResult res = ROUND_ENOTFOUND;
  if (rw_arg_id(req, 1, &sid) == 0) {
    rw_staff_name(req->db, sid, &req->audit_summary);
    res = team_remove_member(req->db, &t, sid, &err);
  } else {
    buf_puts(&err, "该人员不是本组成员");
  }
  if (res != ROUND_OK)
    rw_json_error(req, resp, res, &err, NULL);
  else
    team_reply(req, resp, t.id, 200);
  team_clear(&t);
  buf_release(&err);
}

/* ROUTE: POST /api/v1/teams/{id}/overrides — {"staff_id", "reason",
** "position", "request_id"}: ask the 领导小组 for a 回避 exception. */
void api_override_request(Request *req, Response *resp) {
  Team t;
  Buf err = BUF_INIT;
  int64_t sid = 0, qid = 0, id = 0;
  const char *pos = NULL, *reason;
  if (team_of_path(req, resp, P_AVOID_REQUEST, &t) != 0) return;
  if (rw_json_id(req, resp, "staff_id", &sid) != 0 ||
      !(reason = api_string(req, resp, "reason")) ||
      rw_opt_string(req, resp, "position", &pos) != 0 ||
      (json_object_get(req->json, "request_id") &&
       !json_is_null(json_object_get(req->json, "request_id")) &&
       rw_json_id(req, resp, "request_id", &qid) != 0)) {
    team_clear(&t);
    return;
  }
  RoundResult res = rw_request_override(req, &t, sid, pos, qid, reason, &id,
                                        &err);
  rw_note_override(req, &t, id, sid, "申请回避例外：");
  if (res != ROUND_OK) {
    rw_json_error(req, resp, res, &err, "staff_id");
  } else {
    AvoidOverride o;
    if (rw_override_get(req, P_AVOID_REQUEST, id, &o) == DB_OK)
      api_json(resp, 201, rw_override_json(&o));
    else
      web_error(req, resp, 500, "db_error", "读取申请失败", NULL);
    override_clear(&o);
  }
  team_clear(&t);
  buf_release(&err);
}

/* ---- staffing requests ---- */

/* ROUTE: GET /api/v1/staffing-requests — ?status=open|answered&team_id= */
void api_sreqs(Request *req, Response *resp) {
  int64_t page, per_page, total = 0, tid = 0;
  if (api_paging(req, resp, &page, &per_page) != 0) return;
  const char *status = params_get(&req->query, "status");
  const char *team = params_get(&req->query, "team_id");
  if (status && *status && !str_eq(status, "open") &&
      !str_eq(status, "answered")) {
    web_error(req, resp, 400, "bad_parameter",
              "参数 status 应为 open 或 answered", "status");
    return;
  }
  if (team && rw_id(team, &tid) != 0) {
    web_error(req, resp, 400, "bad_parameter", "参数 team_id 应为正整数",
              "team_id");
    return;
  }
  json_t *items = sreq_array(req, status ? status : "", tid, per_page,
                             (page - 1) * per_page, &total);
  api_json(resp, 200, api_page(items, total, page, per_page));
}

static json_t *sreq_full_json(Request *req, const StaffingRequest *q) {
  json_t *j = rw_sreq_json(q), *answers = json_array();
  Stmt *st = db_stmt(req->db, STMT_RND_SANS_LIST);
  db_bind_int64(st, 1, q->id);
  while (db_step(st) == DB_ROW)
    json_array_append_new(
        answers, json_pack("{s:I, s:s, s:s, s:s, s:o}", "staff_id",
                           (json_int_t)db_column_int64(st, 0), "name",
                           db_column_text(st, 1), "code",
                           db_column_text(st, 2), "selected_by",
                           db_column_text(st, 3), "selected_at",
                           api_time(db_column_int64(st, 4))));
  db_reset(st);
  json_object_set_new(j, "answers", answers);
  return j;
}

/* ROUTE: GET /api/v1/staffing-requests/{id} */
void api_sreq(Request *req, Response *resp) {
  StaffingRequest q;
  if (sreq_of_path(req, resp, P_ROUND_READ, &q) != 0) return;
  req->audit_object = "staffing_request";
  req->audit_object_id = q.id;
  api_json(resp, 200, sreq_full_json(req, &q));
  sreq_clear(&q);
}

/* ROUTE: POST /api/v1/staffing-requests — {"team_id", "text",
** "required_posts", "required_expertise", "count", "position",
** "from_date", "to_date"}; lists may be arrays or '、'-separated text. */
void api_sreq_create(Request *req, Response *resp) {
  int64_t tid = 0, id = 0;
  Team t;
  Buf err = BUF_INIT, posts = BUF_INIT, tags = BUF_INIT;
  const char *field = NULL;
  char count[24] = "1";
  StaffingRequestIn in = {0};
  if (rw_json_id(req, resp, "team_id", &tid) != 0) return;
  if (!(in.text = api_string(req, resp, "text"))) return;
  static const char *const lists[] = {"required_posts", "required_expertise"};
  Buf *into[] = {&posts, &tags};
  for (int k = 0; k < 2; k++) {
    json_t *v = json_object_get(req->json, lists[k]);
    size_t i;
    json_t *e;
    if (json_is_string(v)) {
      buf_puts(into[k], json_string_value(v));
    } else if (json_is_array(v)) {
      json_array_foreach(v, i, e) {
        if (!json_is_string(e)) break;
        if (i) buf_puts(into[k], "、");
        buf_puts(into[k], json_string_value(e));
      }
      if (i < json_array_size(v)) v = json_true(); /* a bad element */
    }
    if (v && !json_is_null(v) && !json_is_string(v) && !json_is_array(v)) {
      web_error(req, resp, 400, "bad_field", "应为文本或文本数组", lists[k]);
      goto out;
    }
  }
  json_t *c = json_object_get(req->json, "count");
  if (json_is_integer(c))
    snprintf(count, sizeof count, "%lld", (long long)json_integer_value(c));
  else if (c)
    str_copy(count, "x", sizeof count); /* refused below with its message */
  in.count = count;
  in.required_posts = buf_str(&posts);
  in.required_expertise = buf_str(&tags);
  if (rw_opt_string(req, resp, "position", &in.position) != 0 ||
      rw_opt_string(req, resp, "from_date", &in.from_date) != 0 ||
      rw_opt_string(req, resp, "to_date", &in.to_date) != 0)
    goto out;
  if (rw_team_get(req, P_ROUND_EDIT, tid, &t) != DB_OK) {
    web_error(req, resp, 404, "not_found", "巡察组不存在", "team_id");
    goto out;
  }
  RoundResult res = sreq_create(req->db, req->user_id, &t, &in, &id, &field,
                                &err);
  req->audit_object = "staffing_request";
  req->audit_object_id = id;
  buf_printf(&req->audit_summary, "%s %s 提出力量需求", t.round_title, t.name);
  team_clear(&t);
  if (res != ROUND_OK) {
    rw_json_error(req, resp, res, &err, field);
  } else {
    StaffingRequest q;
    if (rw_sreq_get(req, P_ROUND_READ, id, &q) == DB_OK)
      api_json(resp, 201, sreq_full_json(req, &q));
    else
      web_error(req, resp, 500, "db_error", "读取力量需求失败", NULL);
    sreq_clear(&q);
  }
out:
  buf_release(&err);
  buf_release(&posts);
  buf_release(&tags);
}

/* ROUTE: GET /api/v1/staffing-requests/{id}/candidates — ranked, each
** with its score and the reason for every component. */
void api_sreq_candidates(Request *req, Response *resp) {
  StaffingRequest q;
  StaffFacts *f = NULL;
  Candidate *c = NULL;
  size_t n = 0;
  if (sreq_of_path(req, resp, P_STAFFING_ANSWER, &q) != 0) return;
  req->audit_object = "staffing_request";
  req->audit_object_id = q.id;
  buf_printf(&req->audit_summary, "查看候选人员：%s %s", q.round_title,
             q.team_name);
  if (sreq_candidates(req->db, &q, &f, &c, &n) != DB_OK) {
    web_error(req, resp, 500, "db_error", "读取候选人员失败", NULL);
    sreq_clear(&q);
    return;
  }
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *reasons = json_array(), *avoid = json_array();
    for (size_t k = 0; k < c[i].n_lines; k++)
      json_array_append_new(
          reasons, json_pack("{s:s, s:i, s:b, s:s}", "component",
                             c[i].lines[k].component, "points",
                             c[i].lines[k].points, "ok", c[i].lines[k].ok,
                             "text", c[i].lines[k].text));
    for (size_t k = 0; k < c[i].n_hits; k++)
      json_array_append_new(
          avoid, json_pack("{s:s, s:s, s:I, s:s}", "rule",
                           c[i].hits[k].rule->code, "rule_label",
                           c[i].hits[k].rule->label, "unit_id",
                           (json_int_t)c[i].hits[k].unit_id, "fact",
                           c[i].hits[k].fact));
    const StaffFacts *s = c[i].staff;
    json_array_append_new(
        items, json_pack("{s:i, s:I, s:s, s:s, s:s, s:s, s:i, s:b, s:o, s:o}",
                         "rank", (int)(i + 1), "staff_id", (json_int_t)s->id,
                         "code", s->code, "name", s->name, "office",
                         s->office_name, "post", s->post, "score", c[i].score,
                         "avoid", c[i].avoid, "reasons", reasons,
                         "avoid_rules", avoid));
  }
  candidates_free(f, c, n);
  json_t *weights = json_array();
  for (size_t i = 0; i < n_staffing_weights; i++)
    json_array_append_new(
        weights, json_pack("{s:s, s:s, s:i, s:s}", "component",
                           staffing_weights[i].component, "label",
                           staffing_weights[i].label, "points",
                           staffing_weights[i].points, "rule",
                           staffing_weights[i].rule));
  api_json(resp, 200,
           json_pack("{s:I, s:o, s:o}", "request_id", (json_int_t)q.id,
                     "items", items, "scoring", weights));
  sreq_clear(&q);
}

/* ROUTE: POST /api/v1/staffing-requests/{id}/answers — {"staff_id"}: select
** (选派); a 回避 refusal is 409 "avoid" with the rules and facts. */
void api_sreq_answer(Request *req, Response *resp) {
  StaffingRequest q;
  Buf err = BUF_INIT;
  int64_t sid = 0;
  if (sreq_of_path(req, resp, P_STAFFING_ANSWER, &q) != 0) return;
  req->audit_object = "staffing_request";
  req->audit_object_id = q.id;
  if (rw_json_id(req, resp, "staff_id", &sid) == 0) {
    AvoidHit *h = NULL;
    size_t nh = 0;
    RoundResult res = sreq_answer(req->db, req->user_id, &q, sid, &h, &nh,
                                  &err);
    buf_printf(&req->audit_summary, "%s %s 选派%s", q.round_title,
               q.team_name, res == ROUND_EAVOID ? "被回避规则拒绝：" : "");
    rw_staff_name(req->db, sid, &req->audit_summary);
    if (res == ROUND_EAVOID) {
      rw_json_avoid(req, resp, &err, h, nh);
    } else if (res != ROUND_OK) {
      rw_json_error(req, resp, res, &err, "staff_id");
    } else {
      StaffingRequest after;
      if (rw_sreq_get(req, P_STAFFING_ANSWER, q.id, &after) == DB_OK)
        api_json(resp, 201, sreq_full_json(req, &after));
      else
        web_error(req, resp, 500, "db_error", "读取力量需求失败", NULL);
      sreq_clear(&after);
    }
    avoid_hits_free(h, nh);
  }
  sreq_clear(&q);
  buf_release(&err);
}

/* ---- 回避 exceptions ---- */

/* ROUTE: GET /api/v1/avoid-overrides — ?status=pending|approved|rejected */
void api_overrides(Request *req, Response *resp) {
  int64_t page, per_page, total = 0;
  NtkSubject who;
  if (api_paging(req, resp, &page, &per_page) != 0) return;
  const char *status = params_get(&req->query, "status");
  if (!status) status = "";
  if (*status && !str_eq(status, "pending") && !str_eq(status, "approved") &&
      !str_eq(status, "rejected")) {
    web_error(req, resp, 400, "bad_parameter",
              "参数 status 应为 pending、approved 或 rejected", "status");
    return;
  }
  Scope sc = rw_who(req, P_AVOID_APPROVE, &who);
  Stmt *st = db_stmt(req->db, STMT_RND_OVR_COUNT);
  int i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_text(st, i++, status);
  db_bind_text(st, i++, status);
  db_bind_int64(st, i++, 0);
  db_bind_int64(st, i++, 0);
  if (db_step(st) == DB_ROW) total = db_column_int64(st, 0);
  db_reset(st);
  json_t *items = json_array();
  st = db_stmt(req->db, STMT_RND_OVR_LIST);
  i = ntk_bind_jur(st, 1, &who, sc);
  db_bind_text(st, i++, status);
  db_bind_text(st, i++, status);
  db_bind_int64(st, i++, 0);
  db_bind_int64(st, i++, 0);
  db_bind_int64(st, i++, per_page);
  db_bind_int64(st, i++, (page - 1) * per_page);
  while (db_step(st) == DB_ROW) {
    AvoidOverride o;
    override_read_row(st, &o);
    json_array_append_new(items, rw_override_json(&o));
    override_clear(&o);
  }
  db_reset(st);
  api_json(resp, 200, api_page(items, total, page, per_page));
}

static void decide_json(Request *req, Response *resp, int approve) {
  Buf err = BUF_INIT;
  const char *note = NULL;
  if (rw_opt_string(req, resp, "note", &note) != 0) return;
  RoundResult r = rw_decide_override(req, approve, note, &err);
  if (r != ROUND_OK) {
    rw_json_error(req, resp, r, &err, r == ROUND_EINVALID ? "note" : NULL);
  } else {
    AvoidOverride o;
    if (rw_override_get(req, P_AVOID_APPROVE, req->audit_object_id, &o) ==
        DB_OK)
      api_json(resp, 200, rw_override_json(&o));
    else
      web_error(req, resp, 500, "db_error", "读取申请失败", NULL);
    override_clear(&o);
  }
  buf_release(&err);
}

/* ROUTE: POST /api/v1/avoid-overrides/{id}/approve — {"note"}: adds the
** member; audited as team.avoid_override. */
void api_override_approve(Request *req, Response *resp) {
  decide_json(req, resp, 1);
}

/* ROUTE: POST /api/v1/avoid-overrides/{id}/reject — {"note"} (required) */
void api_override_reject(Request *req, Response *resp) {
  decide_json(req, resp, 0);
}
