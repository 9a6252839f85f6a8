/* clue_flow_fx.h: the fixture of test_clue_flow.c — a jurisdiction with
** its offices, a round, a team and one user per role — and the helpers
** that drive a clue to any state with a valid input for every action.
** Included by test_clue_flow.c only (one program per test file). */
#ifndef JX_CLUE_FLOW_FX_H
#define JX_CLUE_FLOW_FX_H

#include "unit.h"

#include <string.h>

#include "auth/ntk.h"
#include "domain/clue.h"
#include "domain/clue_flow.h"

#define T0 1772337600 /* 2026-03-01T04:00:00Z: 2026-03-01 in 北京时间 */
#define T1 1799121600 /* 2027-01-05 */

/* The users, by what they do. */
enum { LEADER, DEPUTY, MEMBER, XCB, XCB2, LDXZ, AGS, CBBM, CBBM2, LXS, N_USERS };
static const struct {
  const char *login, *role, *office;
} user_defs[N_USERS] = {
    {"leader", "xcz_leader", NULL},  {"deputy", "xcz_deputy", NULL},
    {"member", "xcz_member", NULL},  {"xcb", "xcb", "ML.XCB"},
    {"xcb2", "xcb", "ML.XCB"},       {"ldxz", "ldxz", NULL},
    {"ags", "ags", "ML.AGS"},        {"cbbm", "cbbm", "ML.JJ1"},
    {"cbbm2", "cbbm", "ML.JJ3"},     {"lxs", "lxs", "ML.JJ2"},
};

typedef struct Fx {
  char *dir, *loc;
  Db *db;
  int64_t uid[N_USERS];
  int64_t round_id, team_id, unit_id;
  int xcb2_active; /* 0: xcb2 disabled (one 巡察办 candidate) */
} Fx;

static const char *const fixture_sql[] = {
    "INSERT INTO jurisdiction(code, parent_code, name, level, "
    "commission_name, created_at) VALUES ('ML', NULL, '明澜市', 'city', "
    "'明澜市纪委监委', 0)",
    "INSERT INTO office(code, jurisdiction_code, name, kind, created_at) "
    "VALUES ('ML.AGS', 'ML', '市纪委监委案件监督管理室', 'case_mgmt', 0)",
    "INSERT INTO office(code, jurisdiction_code, name, kind, created_at) "
    "VALUES ('ML.XCB', 'ML', '市委巡察办', 'inspection', 0)",
    "INSERT INTO office(code, jurisdiction_code, name, kind, created_at) "
    "VALUES ('ML.JJ1', 'ML', '市纪委监委第一监督检查室', 'supervision', 0)",
    "INSERT INTO office(code, jurisdiction_code, name, kind, created_at) "
    "VALUES ('ML.JJ2', 'ML', '市纪委监委第二监督检查室', 'supervision', 0)",
    "INSERT INTO office(code, jurisdiction_code, name, kind, created_at) "
    "VALUES ('ML.JJ3', 'ML', '市纪委监委第三监督检查室', 'supervision', 0)",
    "INSERT INTO office(code, jurisdiction_code, name, kind, created_at) "
    "VALUES ('ML.ZZB', 'ML', '市委组织部', 'organisation', 0)",
    "INSERT INTO office(code, jurisdiction_code, name, kind, created_at) "
    "VALUES ('ML.SJ', 'ML', '市审计局', 'audit', 0)",
    "INSERT INTO unit(code, name, jurisdiction_code, level, created_at, "
    "updated_at) VALUES ('ML-HOUSING', '明澜市住建局', 'ML', 'city', 0, 0)",
    "INSERT INTO round(term, number, kind, title, jurisdiction_code, "
    "start_date, end_date, created_at) VALUES (5, 2, 'regular', "
    "'五届市委第二轮巡察', 'ML', '2026-01-05', '2026-06-30', 0)",
};

static int64_t one_id(Db *db, const char *sql) {
  Stmt *st = db_prepare(db, sql);
  if (!st) fail_msg("%s: %s", sql, db_errmsg(db));
  int64_t v = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
  db_finalize(st);
  return v;
}

static void exec(Db *db, const char *sql) {
  if (db_exec(db, sql) != DB_OK) fail_msg("%s: %s", sql, db_errmsg(db));
}

static void execf(Db *db, const char *fmt, ...) JX_FMT(2, 3);
static void execf(Db *db, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Buf b = BUF_INIT;
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  exec(db, buf_str(&b));
  buf_release(&b);
}

static Fx *fx_open(int pg) {
  Fx *fx = xcalloc(1, sizeof *fx);
  Buf err = BUF_INIT;
  int applied = 0;
  if (pg) {
    fx->loc = unit_pg_fresh_url();
  } else {
    fx->dir = unit_tmpdir();
    fx->loc = xasprintf("%s/test.db", fx->dir);
  }
  if (db_open(fx->loc, &fx->db, &err) != 0)
    fail_msg("db_open %s: %s", fx->loc, buf_str(&err));
  if (db_migrate(fx->db, &applied, &err) != DB_OK)
    fail_msg("migrate: %s", buf_str(&err));
  buf_release(&err);
  clock_set(T0);
  Db *db = fx->db;
  for (size_t i = 0; i < JX_COUNT(fixture_sql); i++) exec(db, fixture_sql[i]);
  fx->unit_id = one_id(db, "SELECT id FROM unit WHERE code = 'ML-HOUSING'");
  fx->round_id = one_id(db, "SELECT id FROM round");
  execf(db, "INSERT INTO round_unit(round_id, unit_id, phase) VALUES "
            "(%lld, %lld, 'understand')",
        (long long)fx->round_id, (long long)fx->unit_id);
  execf(db, "INSERT INTO team(round_id, name, created_at) VALUES (%lld, "
            "'第一巡察组', 0)",
        (long long)fx->round_id);
  fx->team_id = one_id(db, "SELECT id FROM team");
  execf(db, "INSERT INTO team_unit(team_id, unit_id) VALUES (%lld, %lld)",
        (long long)fx->team_id, (long long)fx->unit_id);
  for (int u = 0; u < N_USERS; u++) {
    Stmt *st = db_prepare(
        db, "INSERT INTO app_user(login, display_name, office_code, "
            "jurisdiction_code, status, password_hash, password_changed_at, "
            "created_at) VALUES (?, ?, ?, 'ML', 'active', 'x', 0, 0) "
            "RETURNING id");
    db_bind_text(st, 1, user_defs[u].login);
    db_bind_text(st, 2, user_defs[u].login);
    db_bind_text(st, 3, user_defs[u].office); /* NULL: no office */
    assert_int_equal(db_step(st), DB_ROW);
    fx->uid[u] = db_column_int64(st, 0);
    db_finalize(st);
    st = db_prepare(db, "INSERT INTO user_role(user_id, role_code) VALUES (?, ?)");
    db_bind_int64(st, 1, fx->uid[u]);
    db_bind_text(st, 2, user_defs[u].role);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
  }
  /* Only one 巡察办 candidate unless a test wants two. */
  execf(db, "UPDATE app_user SET status = 'disabled' WHERE id = %lld",
        (long long)fx->uid[XCB2]);
  static const struct {
    int user;
    const char *code, *position;
  } team[] = {{LEADER, "S0", "leader"}, {DEPUTY, "S1", "deputy"},
              {MEMBER, "S2", "member"}};
  for (size_t i = 0; i < JX_COUNT(team); i++) {
    Stmt *st = db_prepare(
        db, "INSERT INTO staff(code, name, jurisdiction_code, user_id, "
            "created_at, updated_at) VALUES (?, ?, 'ML', ?, 0, 0) RETURNING id");
    db_bind_text(st, 1, team[i].code);
    db_bind_text(st, 2, user_defs[team[i].user].login);
    db_bind_int64(st, 3, fx->uid[team[i].user]);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t sid = db_column_int64(st, 0);
    db_finalize(st);
    st = db_prepare(db, "INSERT INTO team_member(team_id, staff_id, position, "
                        "joined_at) VALUES (?, ?, ?, 0)");
    db_bind_int64(st, 1, fx->team_id);
    db_bind_int64(st, 2, sid);
    db_bind_text(st, 3, team[i].position);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
  }
  return fx;
}

UNIT_FIXTURE(Fx, fx_open)

static void viewer(Fx *fx, int u, ClueViewer *v) {
  assert_int_equal(clue_viewer_load(fx->db, fx->uid[u], user_defs[u].role, v),
                   0);
}

static int64_t new_clue(Fx *fx) {
  CluePersonIn persons[] = {
      {0, "王某", "副局长", 1, 1},
      {0, "李某", "科长", 1, 1},
  };
  ClueIn in = {.round_id = fx->round_id, .team_id = fx->team_id,
               .unit_id = fx->unit_id, .kind = "clue", .category = "integrity",
               .source = "interview", .summary = "违规收受礼金",
               .facts = "2025年春节期间收受礼金。", .found_on = "2026-01-10",
               .cond_nature = 1, .cond_evidence = 1, .cond_facts = 1,
               .persons = persons, .n_persons = 2};
  ClueViewer v;
  viewer(fx, MEMBER, &v);
  Buf err = BUF_INIT;
  const char *field;
  int64_t id = 0;
  assert_int_equal(db_begin(fx->db), DB_OK);
  ClueResult r = clue_create(fx->db, &v, &in, &id, &field, &err);
  if (r != CLUE_OK) fail_msg("clue_create: %s", buf_str(&err));
  assert_int_equal(db_commit(fx->db), DB_OK);
  buf_release(&err);
  return id;
}

static int64_t q_int(Fx *fx, const char *fmt, int64_t id) {
  char *sql = xasprintf(fmt, (long long)id);
  int64_t v = one_id(fx->db, sql);
  free(sql);
  return v;
}

static char *q_text(Fx *fx, const char *fmt, int64_t id) {
  char *sql = xasprintf(fmt, (long long)id);
  Stmt *st = db_prepare(fx->db, sql);
  if (!st) fail_msg("%s: %s", sql, db_errmsg(fx->db));
  char *v = xstrdup(db_step(st) == DB_ROW && db_column_text(st, 0)
                        ? db_column_text(st, 0)
                        : "");
  db_finalize(st);
  free(sql);
  return v;
}

static char *state_of(Fx *fx, int64_t id) {
  return q_text(fx, "SELECT state FROM clue WHERE id = %lld", id);
}

/* Everything a clue action may touch, as one string. */
static char *snapshot(Fx *fx, int64_t id) {
  static const char *const queries[] = {
      "SELECT * FROM clue WHERE id = %lld",
      "SELECT * FROM clue_event WHERE clue_id = %lld ORDER BY id",
      "SELECT * FROM clue_person WHERE clue_id = %lld ORDER BY id",
      "SELECT * FROM clue_approval WHERE clue_id = %lld ORDER BY id",
      "SELECT * FROM clue_sanction WHERE clue_id = %lld ORDER BY id",
      "SELECT * FROM clue_measure WHERE clue_id = %lld ORDER BY id",
      "SELECT * FROM clue_review WHERE clue_id = %lld ORDER BY id",
      "SELECT * FROM clue_assist WHERE clue_id = %lld ORDER BY id",
      "SELECT m.* FROM clue_assist_member m JOIN clue_assist a ON a.id = "
      "m.assist_id WHERE a.clue_id = %lld ORDER BY m.user_id",
      "SELECT s.* FROM clue_assist_step s JOIN clue_assist a ON a.id = "
      "s.assist_id WHERE a.clue_id = %lld ORDER BY s.id",
      "SELECT * FROM clue_feedback WHERE clue_id = %lld ORDER BY id",
      "SELECT * FROM clue_due WHERE clue_id = %lld ORDER BY rule, ref_id",
      "SELECT * FROM record_access WHERE object_id = %lld ORDER BY id",
      "SELECT * FROM clue_seq WHERE last > %lld * 0 ORDER BY kind, year",
  };
  Buf b = BUF_INIT;
  for (size_t q = 0; q < JX_COUNT(queries); q++) {
    char *sql = xasprintf(queries[q], (long long)id);
    Stmt *st = db_prepare(fx->db, sql);
    if (!st) fail_msg("%s: %s", sql, db_errmsg(fx->db));
    while (db_step(st) == DB_ROW) {
      for (int c = 0; c < db_column_count(st); c++) {
        const char *t = db_column_text(st, c);
        buf_printf(&b, "%s|", t ? t : "NULL");
      }
      buf_putc(&b, '\n');
    }
    db_finalize(st);
    free(sql);
    buf_puts(&b, "--\n");
  }
  return buf_detach(&b);
}

/* Take an action as user u in a transaction of its own (committed on
** success, rolled back otherwise — as the web layer does). */
static ClueResult act_as(Fx *fx, int u, int64_t id, const char *code,
                         const ClueActIn *in, Buf *err) {
  ClueViewer v;
  viewer(fx, u, &v);
  const char *field = NULL;
  int64_t ev = 0;
  assert_int_equal(db_begin(fx->db), DB_OK);
  ClueResult r = clue_act(fx->db, &v, id, code, in, &ev, &field, err);
  if (r == CLUE_OK) {
    assert_true(ev > 0);
    assert_int_equal(db_commit(fx->db), DB_OK);
  } else {
    assert_int_equal(db_rollback(fx->db), DB_OK);
  }
  return r;
}

/* ---- a valid input and actor for every action ---- */

static const ClueMeasure *measure_of_form(int form) {
  for (size_t i = 0; i < n_clue_measures; i++)
    if ((form == 1) == (clue_measures[i].form == 1))
      return &clue_measures[i];
  fail_msg("no measure of form %d", form);
  return NULL;
}

typedef struct Input {
  ClueActIn in;
  int actor;
  int64_t users[1];
} Input;

static int chain_actor(Fx *fx, int64_t id) {
  const char *roles[5];
  size_t n = clue_transfer_chain(fx->db, roles);
  int64_t step = q_int(fx, "SELECT transfer_step FROM clue WHERE id = %lld", id);
  assert_true(step >= 1 && (size_t)step <= n);
  const char *r = roles[step - 1];
  return str_eq(r, "xcz_leader") ? LEADER : str_eq(r, "xcb") ? XCB : LDXZ;
}

/* variant: "" or an action-specific choice ("other", "verify", "p2" …). */
static void input_for(Fx *fx, int64_t id, const char *code,
                      const char *variant, Input *x) {
  memset(x, 0, sizeof *x);
  ClueActIn *in = &x->in;
  int64_t p1 = q_int(fx, "SELECT MIN(id) FROM clue_person WHERE clue_id = %lld", id);
  int64_t p2 = q_int(fx, "SELECT MAX(id) FROM clue_person WHERE clue_id = %lld", id);
  in->opinion = "同意";
  in->approver = "张某（分管副书记）";
  in->meeting = "2026年第3次室务会";
  x->actor = CBBM;
  if (str_eq(code, "review")) {
    x->actor = LEADER;
    in->participants = "组长、副组长、联络员";
    in->conclusion = "问题性质明确，建议移交";
  } else if (str_eq(code, "to_suggestion")) {
    x->actor = LEADER;
  } else if (str_eq(code, "submit")) {
    x->actor = MEMBER;
    in->destination = *variant ? variant : "commission";
    if (str_eq(variant, "other")) in->destination_name = "市国资委";
  } else if (str_eq(code, "approve_transfer") ||
             str_eq(code, "return_transfer")) {
    /* The pending step's role; outside pending, anyone (refused). */
    x->actor = q_int(fx, "SELECT transfer_step FROM clue WHERE id = %lld", id)
                   ? chain_actor(fx, id)
                   : LEADER;
  } else if (str_eq(code, "assist_request")) {
    x->actor = LEADER;
    in->text = "请求派员提前介入，协助核实资金往来";
  } else if (str_eq(code, "assist_assign")) {
    x->actor = AGS;
    x->users[0] = fx->uid[LXS];
    in->user_ids = x->users;
    in->n_user_ids = 1;
  } else if (str_eq(code, "assist_step")) {
    x->actor = LXS;
    in->stage = "screen";
    in->text = "已筛查疑点三处";
  } else if (str_eq(code, "assist_close")) {
    x->actor = LEADER;
    in->opinion = "疑点已排除，结束提前介入";
  } else if (str_eq(code, "register") || str_eq(code, "assign") ||
             str_eq(code, "approve_disposal") ||
             str_eq(code, "return_disposal")) {
    x->actor = AGS;
    in->handling_office = "ML.JJ1";
  } else if (str_eq(code, "propose")) {
    in->disposal = *variant ? variant : "talk";
  } else if (str_eq(code, "talk_first_form") ||
             str_eq(code, "verify_first_form")) {
    in->measure = measure_of_form(1)->code;
  } else if (str_eq(code, "file_case")) {
    in->filing = "party";
    in->person_id = p1;
  } else if (str_eq(code, "file_more")) {
    in->filing = "both";
    in->person_id = p2;
  } else if (str_eq(code, "detain")) {
    in->person_id = p1;
  } else if (str_eq(code, "detain_extend") || str_eq(code, "detain_end")) {
    in->measure_id = q_int(
        fx, "SELECT MAX(id) FROM clue_measure WHERE clue_id = %lld", id);
  } else if (str_eq(code, "sanction")) {
    in->person_id = str_eq(variant, "p2") ? p2 : p1;
    in->measure = measure_of_form(2)->code;
    in->note = "经审理";
  } else if (str_eq(code, "announce") || str_eq(code, "execute")) {
    in->sanction_id = q_int(
        fx, "SELECT MIN(id) FROM clue_sanction WHERE clue_id = %lld", id);
  } else if (str_eq(code, "receive_external") ||
             str_eq(code, "conclude_external")) {
    x->actor = XCB;
  } else if (str_eq(code, "feedback")) {
    char *d = q_text(fx, "SELECT destination FROM clue WHERE id = %lld", id);
    x->actor = str_eq(d, "commission") ? AGS : XCB;
    free(d);
    in->text = "已按期推进，现报告办理进展";
  }
}

static void must_act(Fx *fx, int64_t id, const char *code,
                     const char *variant) {
  Input x;
  input_for(fx, id, code, variant, &x);
  Buf err = BUF_INIT;
  ClueResult r = act_as(fx, x.actor, id, code, &x.in, &err);
  if (r != CLUE_OK) {
    char *s = state_of(fx, id);
    fail_msg("%s (%s) in %s: %d %s", code, variant, s, r, buf_str(&err));
  }
  buf_release(&err);
}

/* How to reach each state from draft: the state before it and the
** action (with its variant) that leads there. */
static const struct {
  const char *state, *before, *action, *variant;
} paths[] = {
    {"reviewed", "draft", "review", ""},
    {"suggestion", "draft", "to_suggestion", ""},
    {"pending", "reviewed", "submit", ""},
    {"transferred", "pending", "approve_transfer*", ""},
    {"registered", "transferred", "register", ""},
    {"assigned", "registered", "assign", ""},
    {"proposed", "assigned", "propose", ""},
    {"talk", "assigned", "propose+", "talk"},
    {"verify", "assigned", "propose+", "verify"},
    {"parked", "assigned", "propose+", "park"},
    {"closed_direct", "assigned", "propose+", "close"},
    {"closed_cleared", "talk", "talk_clear", ""},
    {"first_form", "talk", "talk_first_form", ""},
    {"to_party", "verify", "verify_to_party", ""},
    {"investigating", "verify", "file_case", ""},
    {"trial", "investigating", "to_trial", ""},
    {"decided", "trial", "sanction+decide", ""},
    {"withdrawn", "investigating", "withdraw", ""},
    {"concluded", "decided", "conclude", ""},
    {"external", "draft", "external", ""},
};

static void reach_state(Fx *fx, int64_t id, const char *target) {
  if (str_eq(target, "draft")) return;
  size_t i = 0;
  while (i < JX_COUNT(paths) && !str_eq(paths[i].state, target)) i++;
  if (i == JX_COUNT(paths)) fail_msg("no path to state %s", target);
  reach_state(fx, id, paths[i].before);
  const char *a = paths[i].action;
  if (str_eq(a, "approve_transfer*")) {
    while (q_int(fx, "SELECT transfer_step FROM clue WHERE id = %lld", id))
      must_act(fx, id, "approve_transfer", "");
  } else if (str_eq(a, "propose+")) {
    must_act(fx, id, "propose", paths[i].variant);
    must_act(fx, id, "approve_disposal", "");
  } else if (str_eq(a, "sanction+decide")) {
    must_act(fx, id, "sanction", "");
    must_act(fx, id, "sanction", "p2");
    must_act(fx, id, "decide", "");
  } else if (str_eq(a, "external")) {
    must_act(fx, id, "review", "");
    must_act(fx, id, "submit", "other");
    while (q_int(fx, "SELECT transfer_step FROM clue WHERE id = %lld", id))
      must_act(fx, id, "approve_transfer", "");
    must_act(fx, id, "receive_external", "");
  } else {
    must_act(fx, id, a, paths[i].variant);
  }
  char *s = state_of(fx, id);
  assert_string_equal(s, target);
  free(s);
}

/* A clue in state (for receive_external: transferred to another body). */
static int64_t clue_in(Fx *fx, const char *state, const char *action) {
  int64_t id = new_clue(fx);
  if (str_eq(action, "receive_external") && str_eq(state, "transferred")) {
    must_act(fx, id, "review", "");
    must_act(fx, id, "submit", "other");
    while (q_int(fx, "SELECT transfer_step FROM clue WHERE id = %lld", id))
      must_act(fx, id, "approve_transfer", "");
  } else {
    reach_state(fx, id, state);
  }
  return id;
}

/* What an action needs done first in the state it is taken from. */
static void prepare_for(Fx *fx, int64_t id, const char *code) {
  if (str_eq(code, "assist_assign") || str_eq(code, "assist_step") ||
      str_eq(code, "assist_close"))
    must_act(fx, id, "assist_request", "");
  if (str_eq(code, "assist_step")) must_act(fx, id, "assist_assign", "");
  if (str_eq(code, "detain_extend") || str_eq(code, "detain_end"))
    must_act(fx, id, "detain", "");
  if (str_eq(code, "decide")) {
    must_act(fx, id, "sanction", "");
    must_act(fx, id, "sanction", "p2");
  }
}

/* Each state code of a space-separated list, in turn. */
static size_t split_states(const char *list, char out[][32], size_t max) {
  size_t n = 0;
  for (const char *p = list; p && *p && n < max;) {
    while (*p == ' ' || *p == '|') p++;
    size_t len = strcspn(p, " |");
    if (!len) break;
    assert_true(len < 32);
    memcpy(out[n], p, len);
    out[n++][len] = 0;
    p += len;
  }
  return n;
}

#endif
