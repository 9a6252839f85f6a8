/* test_clue_due.c: business dates, the deadline rules of transferred clues,
** feedback, 督办 notices and the inbox (domain/clue_due.c,
** domain/clue_notice.c) on SQLite and PostgreSQL.
**
** Clues are inserted with plain SQL and their facts (dates, sanctions,
** measures) set directly: the rules under test read only those facts, so
** the fixture needs neither the flow nor a team. */
#include "unit.h"

#include <string.h>

#include "auth/ntk.h"
#include "domain/clue_due.h"
#include "domain/settings.h"

/* 2026-11-30T04:00:00Z = 2026-11-30 12:00 北京时间 */
#define T_NOW 1796011200

/* ---- dates (no database) ---- */

static void test_date_arithmetic(void **state) {
  (void)state;
  static const struct {
    const char *from;
    int months;
    const char *to;
  } mon[] = {
      {"2026-08-31", 6, "2027-02-28"},  /* clamp to February's end */
      {"2026-08-31", 12, "2027-08-31"}, /* anchor day kept, no drift */
      {"2027-08-31", 6, "2028-02-29"},  /* leap year */
      {"2026-01-31", 1, "2026-02-28"},
      {"2024-01-31", 1, "2024-02-29"},
      {"2026-03-31", 1, "2026-04-30"},
      {"2026-11-15", 2, "2027-01-15"},  /* across a year */
      {"2026-03-15", -3, "2025-12-15"}, /* backwards */
      {"2026-05-31", -3, "2026-02-28"},
      {"2026-08-31", 0, "2026-08-31"},
      {"2100-01-31", 1, "2100-02-28"}, /* 2100 is not a leap year */
      {"2000-01-31", 1, "2000-02-29"}, /* 2000 is */
  };
  char out[11];
  for (size_t i = 0; i < JX_COUNT(mon); i++) {
    assert_int_equal(date_add_months(mon[i].from, mon[i].months, out), 0);
    if (strcmp(out, mon[i].to) != 0)
      fail_msg("%s %+d months: %s, want %s", mon[i].from, mon[i].months, out,
               mon[i].to);
  }
  static const struct {
    const char *from;
    int days;
    const char *to;
  } day[] = {
      {"2026-12-31", 1, "2027-01-01"}, {"2027-01-01", -1, "2026-12-31"},
      {"2026-10-01", 90, "2026-12-30"}, {"2028-02-28", 1, "2028-02-29"},
      {"2027-02-28", 1, "2027-03-01"}, {"2026-11-30", 365, "2027-11-30"},
      {"2027-11-30", 366, "2028-11-30"}, {"1970-01-01", -1, "1969-12-31"},
      {"2026-11-30", 0, "2026-11-30"},
  };
  for (size_t i = 0; i < JX_COUNT(day); i++) {
    assert_int_equal(date_add_days(day[i].from, day[i].days, out), 0);
    if (strcmp(out, day[i].to) != 0)
      fail_msg("%s %+d days: %s, want %s", day[i].from, day[i].days, out,
               day[i].to);
    assert_int_equal(date_diff_days(day[i].from, day[i].to), day[i].days);
  }
  assert_int_equal(date_diff_days("2026-11-30", "2026-10-15"), -46);
  assert_int_equal(date_diff_days("2000-01-01", "2100-01-01"), 36525);

  /* invalid dates */
  static const char *const bad[] = {
      "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-4-30",
      "2026/04/30", "2026-04-300", "26-04-30",  "",           "1899-12-31",
      "3000-01-01", "2026-04-3x", "2100-02-29",
  };
  for (size_t i = 0; i < JX_COUNT(bad); i++) {
    if (date_valid(bad[i])) fail_msg("accepted %s", bad[i]);
    assert_int_equal(date_add_months(bad[i], 1, out), -1);
    assert_int_equal(date_add_days(bad[i], 1, out), -1);
  }
  assert_false(date_valid(NULL));
  assert_true(date_valid("2024-02-29"));
  assert_true(date_valid("1900-01-01"));
  assert_true(date_valid("2999-12-31"));
  /* results outside the supported years are refused, not wrapped */
  assert_int_equal(date_add_months("2999-12-31", 1, out), -1);
  assert_int_equal(date_add_days("1900-01-01", -1, out), -1);
}

static void test_today_is_beijing_time(void **state) {
  (void)state;
  char d[11];
  clock_set(1796056200); /* 2026-11-30T16:30:00Z = 12-01 00:30 北京时间 */
  date_today(d);
  assert_string_equal(d, "2026-12-01");
  clock_set(1796054399); /* 2026-11-30T15:59:59Z = 11-30 23:59:59 */
  date_today(d);
  assert_string_equal(d, "2026-11-30");
  clock_set(1796054400); /* 16:00:00Z: midnight in Beijing */
  date_today(d);
  assert_string_equal(d, "2026-12-01");
  clock_set(0);
  date_of(0, d);
  assert_string_equal(d, "1970-01-01");
  date_of(-8 * 3600 - 1, d); /* 1969-12-31T15:59:59Z */
  assert_string_equal(d, "1969-12-31");
  date_of(1798732800, d); /* 2026-12-31T16:00:00Z */
  assert_string_equal(d, "2027-01-01");
}

static void test_rule_table(void **state) {
  (void)state;
  static const char *const codes[] = {"fb_first", "fb_next", "disposal",
                                      "investigation", "trial", "detention",
                                      "announce", "execute"};
  assert_int_equal(n_clue_due_rules, JX_COUNT(codes));
  for (size_t i = 0; i < JX_COUNT(codes); i++) {
    const ClueDueRule *r = clue_due_rule(codes[i]);
    assert_non_null(r);
    assert_true(r->label[0] && r->anchor[0] && r->source[0]);
    assert_true(str_eq(r->unit, "month") || str_eq(r->unit, "day"));
    const SettingDef *d = setting_def(r->setting);
    if (!d) fail_msg("rule %s: no setting %s", r->code, r->setting);
    assert_int_equal(d->text, 0);
  }
  assert_string_equal(clue_due_rule("investigation")->unit, "day");
  assert_null(clue_due_rule("nope"));
  assert_null(clue_due_rule(NULL));
}

/* ---- the database fixture ---- */

enum { U_AGS, U_CBBM, U_XCB, U_OUT, U_FAR, U_COUNT };
static const struct {
  const char *login, *name, *jur, *office, *roles;
} users[U_COUNT] = {
    {"ags", "案管室·甲", "ML", "ML.AGS", "ags"},
    {"cbbm", "承办部门·乙", "ML", "ML.JJ1", "cbbm"},
    {"xcb", "巡察办·丙", "ML", "ML.XCB", "xcb"},
    {"out", "无关人员·丁", "ML", "ML.DFZF", "cbbm"},
    {"far", "外市·戊", "QT", "QT.AGS", "ags"},
};

typedef struct Fx {
  char *dir, *loc;
  Db *db;
  int64_t uid[U_COUNT];
  int64_t round_id, unit_id;
  int n_clues;
} Fx;

static void exec_ok(Db *db, const char *sql) {
  if (db_exec(db, sql) != DB_OK) fail_msg("%s: %s", sql, db_errmsg(db));
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
  clock_set(T_NOW);
  exec_ok(fx->db,
          "INSERT INTO jurisdiction(code, name, level, created_at) VALUES "
          "('ML', '明澜市', 'city', 0), ('QT', '外市', 'city', 0)");
  Stmt *st = db_prepare(fx->db,
                        "INSERT INTO unit(code, name, jurisdiction_code, level, "
                        "created_at, updated_at) VALUES ('U1', '明澜市第三中学', "
                        "'ML', 'city', 0, 0) RETURNING id");
  assert_int_equal(db_step(st), DB_ROW);
  fx->unit_id = db_column_int64(st, 0);
  db_finalize(st);
  st = db_prepare(fx->db,
                  "INSERT INTO round(term, number, kind, title, "
                  "jurisdiction_code, created_at) VALUES (5, 2, 'regular', "
                  "'五届市委第二轮巡察', 'ML', 0) RETURNING id");
  assert_int_equal(db_step(st), DB_ROW);
  fx->round_id = db_column_int64(st, 0);
  db_finalize(st);
  st = db_prepare(fx->db,
                  "INSERT INTO app_user(login, display_name, office_code, "
                  "jurisdiction_code, status, password_hash, "
                  "password_changed_at, created_at) "
                  "VALUES (?, ?, ?, ?, 'active', 'x', 0, 0) RETURNING id");
  for (int i = 0; i < U_COUNT; i++) {
    db_reset(st);
    db_bind_text(st, 1, users[i].login);
    db_bind_text(st, 2, users[i].name);
    db_bind_text(st, 3, users[i].office);
    db_bind_text(st, 4, users[i].jur);
    assert_int_equal(db_step(st), DB_ROW);
    fx->uid[i] = db_column_int64(st, 0);
  }
  db_finalize(st);
  st = db_prepare(fx->db, "INSERT INTO user_role(user_id, role_code) VALUES (?, ?)");
  for (int i = 0; i < U_COUNT; i++) {
    db_reset(st);
    db_bind_int64(st, 1, fx->uid[i]);
    db_bind_text(st, 2, users[i].roles);
    assert_int_equal(db_step(st), DB_DONE);
  }
  db_finalize(st);
  return fx;
}

UNIT_FIXTURE(Fx, fx_open)

static ClueViewer viewer(Fx *fx, int u) {
  ClueViewer v;
  assert_int_equal(ntk_subject_load(fx->db, fx->uid[u], users[u].roles, &v.who), 0);
  v.scope = policy_scope(users[u].roles, P_CLUE_READ);
  return v;
}

/* A clue in state, transferred on transferred ("" not), on the access
** lists the flow would have made: 案管室 and 承办部门 (ML.JJ1) full, 巡察办
** status only. */
static int64_t clue_new(Fx *fx, const char *state, const char *transferred) {
  char code[32];
  snprintf(code, sizeof code, "ML-2026-%04d", ++fx->n_clues);
  Stmt *st = db_prepare(
      fx->db,
      "INSERT INTO clue(code, state, round_id, unit_id, jurisdiction_code, "
      "category, source, summary, transferred_on, handling_office, "
      "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 'ML', "
      "'other', 'interview', '某局长违规收受礼金', ?, 'ML.JJ1', ?, 0, 0) "
      "RETURNING id");
  db_bind_text(st, 1, code);
  db_bind_text(st, 2, state);
  db_bind_int64(st, 3, fx->round_id);
  db_bind_int64(st, 4, fx->unit_id);
  db_bind_text(st, 5, transferred);
  db_bind_int64(st, 6, fx->uid[U_AGS]);
  assert_int_equal(db_step(st), DB_ROW);
  int64_t id = db_column_int64(st, 0);
  db_finalize(st);
  assert_int_equal(ntk_grant_initial(fx->db, "clue", id, 0, "ML.AGS", "案管室",
                                     fx->uid[U_AGS], NULL), 0);
  assert_int_equal(ntk_grant_initial(fx->db, "clue", id, 0, "ML.JJ1", "承办部门",
                                     fx->uid[U_AGS], NULL), 0);
  assert_int_equal(ntk_grant_initial(fx->db, "clue_status", id, 0, "ML.XCB",
                                     "巡察办", fx->uid[U_AGS], NULL), 0);
  assert_int_equal(clue_due_refresh(fx->db, id), DB_OK);
  return id;
}

/* Set a text column of clue id and re-derive its deadlines. */
static void clue_set(Fx *fx, int64_t id, const char *col, const char *value) {
  static const struct {
    const char *col, *sql;
  } setters[] = {
      {"state", "UPDATE clue SET state = ? WHERE id = ?"},
      {"assigned_on", "UPDATE clue SET assigned_on = ? WHERE id = ?"},
      {"disposal_on", "UPDATE clue SET disposal_on = ? WHERE id = ?"},
      {"filed_on", "UPDATE clue SET filed_on = ? WHERE id = ?"},
      {"trial_on", "UPDATE clue SET trial_on = ? WHERE id = ?"},
      {"decided_on", "UPDATE clue SET decided_on = ? WHERE id = ?"},
      {"concluded_on", "UPDATE clue SET concluded_on = ? WHERE id = ?"},
      {"handling_office", "UPDATE clue SET handling_office = ? WHERE id = ?"},
  };
  const char *sql = NULL;
  for (size_t i = 0; i < JX_COUNT(setters); i++)
    if (str_eq(setters[i].col, col)) sql = setters[i].sql;
  if (!sql) fail_msg("clue_set: no setter for %s", col);
  Stmt *st = db_prepare(fx->db, sql);
  assert_non_null(st);
  db_bind_text(st, 1, value);
  db_bind_int64(st, 2, id);
  assert_int_equal(db_step(st), DB_DONE);
  db_finalize(st);
  assert_int_equal(clue_due_refresh(fx->db, id), DB_OK);
}

/* The clue_due row (rule, ref) as "due/done", "" when absent. */
static const char *due_row(Fx *fx, int64_t id, const char *rule, int64_t ref) {
  static char out[32];
  Stmt *st = db_prepare(fx->db,
                        "SELECT due_on, done_on FROM clue_due WHERE clue_id = ? "
                        "AND rule = ? AND ref_id = ?");
  db_bind_int64(st, 1, id);
  db_bind_text(st, 2, rule);
  db_bind_int64(st, 3, ref);
  out[0] = '\0';
  if (db_step(st) == DB_ROW)
    snprintf(out, sizeof out, "%s/%s", db_column_text(st, 0),
             db_column_text(st, 1));
  db_finalize(st);
  return out;
}

static int64_t count_rows(Fx *fx, int64_t id, const char *rule) {
  Stmt *st = db_prepare(fx->db,
                        "SELECT COUNT(*) FROM clue_due WHERE clue_id = ? AND "
                        "(CAST(? AS TEXT) = '' OR rule = ?)");
  db_bind_int64(st, 1, id);
  db_bind_text(st, 2, rule);
  db_bind_text(st, 3, rule);
  assert_int_equal(db_step(st), DB_ROW);
  int64_t n = db_column_int64(st, 0);
  db_finalize(st);
  return n;
}

/* clue.next_due_on + "/" + next_due_kind. */
static const char *next_due(Fx *fx, int64_t id) {
  static char out[48];
  Stmt *st = db_prepare(fx->db,
                        "SELECT next_due_on, next_due_kind FROM clue WHERE id = ?");
  db_bind_int64(st, 1, id);
  assert_int_equal(db_step(st), DB_ROW);
  snprintf(out, sizeof out, "%s/%s", db_column_text(st, 0), db_column_text(st, 1));
  db_finalize(st);
  return out;
}

static int64_t person_new(Fx *fx, int64_t id) {
  Stmt *st = db_prepare(fx->db,
                        "INSERT INTO clue_person(clue_id, name) VALUES (?, '张某') "
                        "RETURNING id");
  db_bind_int64(st, 1, id);
  assert_int_equal(db_step(st), DB_ROW);
  int64_t pid = db_column_int64(st, 0);
  db_finalize(st);
  return pid;
}

static int64_t sanction_new(Fx *fx, int64_t id, int64_t pid, const char *kind,
                            const char *measure, const char *decided) {
  Stmt *st = db_prepare(fx->db,
                        "INSERT INTO clue_sanction(clue_id, clue_person_id, kind, "
                        "measure, form, decided_on, created_by, created_at) "
                        "VALUES (?, ?, ?, ?, 2, ?, 1, 0) RETURNING id");
  db_bind_int64(st, 1, id);
  db_bind_int64(st, 2, pid);
  db_bind_text(st, 3, kind);
  db_bind_text(st, 4, measure);
  db_bind_text(st, 5, decided);
  assert_int_equal(db_step(st), DB_ROW);
  int64_t sid = db_column_int64(st, 0);
  db_finalize(st);
  return sid;
}

static void exec_id(Fx *fx, const char *sql, int64_t id) {
  Stmt *st = db_prepare(fx->db, sql);
  assert_non_null(st);
  db_bind_int64(st, 1, id);
  assert_int_equal(db_step(st), DB_DONE);
  db_finalize(st);
}

/* ---- feedback ---- */

static void test_feedback_sequence(void **state) {
  Fx *fx = fx_get(state);
  ClueViewer cb = viewer(fx, U_CBBM);
  Buf err = BUF_INIT;
  const char *field;
  int64_t fid;
  int64_t id = clue_new(fx, "assigned", "2026-08-31");
  /* first feedback: 6 months, clamped to February's end */
  assert_string_equal(due_row(fx, id, "fb_first", 0), "2027-02-28/");
  assert_int_equal(count_rows(fx, id, "fb_next"), 0);
  assert_string_equal(next_due(fx, id), "2027-02-28/fb_first");

  /* refusals */
  assert_int_equal(clue_feedback_add(fx->db, &cb, id, "2026-12-01", "进展", 0,
                                     &fid, &field, &err), CLUE_EINVALID);
  assert_string_equal(field, "date");
  assert_string_equal(buf_str(&err), "反馈日期不能晚于今天");
  buf_clear(&err);
  assert_int_equal(clue_feedback_add(fx->db, &cb, id, "2026-08-30", "进展", 0,
                                     &fid, &field, &err), CLUE_EINVALID);
  assert_string_equal(field, "date");
  buf_clear(&err);
  assert_int_equal(clue_feedback_add(fx->db, &cb, id, "2026-11-30", " \n", 0,
                                     &fid, &field, &err), CLUE_EINVALID);
  assert_string_equal(field, "text");
  buf_clear(&err);
  ClueViewer out = viewer(fx, U_OUT);
  assert_int_equal(clue_feedback_add(fx->db, &out, id, "2026-11-30", "进展", 0,
                                     &fid, &field, &err), CLUE_ENOTFOUND);
  buf_clear(&err);
  int64_t draft = clue_new(fx, "draft", "");
  assert_int_equal(count_rows(fx, draft, ""), 0);
  assert_int_equal(clue_feedback_add(fx->db, &cb, draft, "2026-11-30", "进展",
                                     0, &fid, &field, &err), CLUE_ECONFLICT);
  buf_clear(&err);

  /* late: the first report on 2027-03-10 answers the 02-28 deadline; the
  ** rhythm stays anchored on the transfer */
  clock_set(T_NOW + 100 * 86400); /* 2027-03-10 */
  assert_int_equal(clue_feedback_add(fx->db, &cb, id, "2027-03-10", "已初核",
                                     0, &fid, &field, &err), CLUE_OK);
  assert_true(fid > 0);
  assert_string_equal(due_row(fx, id, "fb_first", 0), "2027-02-28/2027-03-10");
  assert_string_equal(due_row(fx, id, "fb_next", 2), "2027-08-31/");
  assert_string_equal(next_due(fx, id), "2027-08-31/fb_next");
  /* early: the second report well before its date */
  assert_int_equal(clue_feedback_add(fx->db, &cb, id, "2027-03-10", "已立案",
                                     0, &fid, &field, &err), CLUE_OK);
  assert_string_equal(due_row(fx, id, "fb_next", 2), "2027-08-31/2027-03-10");
  assert_string_equal(due_row(fx, id, "fb_next", 3), "2028-02-29/");
  assert_int_equal(count_rows(fx, id, "fb_next"), 2); /* one open only */
  assert_string_equal(next_due(fx, id), "2028-02-29/fb_next");

  ClueFeedback *f;
  size_t n;
  assert_int_equal(clue_feedback_list(fx->db, &cb, id, &f, &n), CLUE_OK);
  assert_int_equal(n, 2);
  assert_int_equal(f[0].seq, 1);
  assert_string_equal(f[0].due_on, "2027-02-28");
  assert_string_equal(f[0].sent_on, "2027-03-10");
  assert_string_equal(f[0].by_name, "承办部门·乙");
  assert_int_equal(f[1].seq, 2);
  assert_string_equal(f[1].due_on, "2027-08-31");
  assert_string_equal(f[1].content, "已立案");
  assert_int_equal(f[1].final, 0);
  clue_feedback_free(f, n);
  /* the inspection office (status only) reads the feedback it is owed */
  ClueViewer xcb = viewer(fx, U_XCB);
  assert_int_equal(clue_feedback_list(fx->db, &xcb, id, &f, &n), CLUE_OK);
  assert_int_equal(n, 2);
  clue_feedback_free(f, n);
  assert_int_equal(clue_feedback_list(fx->db, &out, id, &f, &n), CLUE_ENOTFOUND);
  assert_null(f);

  /* concluded: no feedback is owed any more; the final report is kept */
  clue_set(fx, id, "concluded_on", "2027-03-10");
  assert_int_equal(count_rows(fx, id, "fb_next"), 1);
  assert_string_equal(due_row(fx, id, "fb_next", 3), "");
  assert_string_equal(next_due(fx, id), "/");
  assert_int_equal(clue_feedback_add(fx->db, &cb, id, "2027-03-10", "已结案",
                                     1, &fid, &field, &err), CLUE_OK);
  assert_int_equal(clue_feedback_list(fx->db, &cb, id, &f, &n), CLUE_OK);
  assert_int_equal(n, 3);
  assert_int_equal(f[2].final, 1);
  assert_string_equal(f[2].due_on, "");
  clue_feedback_free(f, n);
  /* the final report fills no deadline */
  assert_int_equal(count_rows(fx, id, "fb_next"), 1);
  assert_string_equal(next_due(fx, id), "/");
  buf_release(&err);
}

static void test_feedback_setting(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  int64_t id = clue_new(fx, "registered", "2026-08-31");
  assert_string_equal(due_row(fx, id, "fb_first", 0), "2027-02-28/");
  /* the 2015 条例's 3 months, then quarterly */
  assert_int_equal(setting_put(fx->db, "clue.feedback_first_months", "3", &err), 0);
  assert_int_equal(setting_put(fx->db, "clue.feedback_every_months", "3", &err), 0);
  assert_int_equal(clue_due_refresh(fx->db, id), DB_OK);
  assert_string_equal(due_row(fx, id, "fb_first", 0), "2026-11-30/");
  exec_id(fx,
          "INSERT INTO clue_feedback(clue_id, seq, due_on, sent_on, content, "
          "by_user, created_at) VALUES (?, 1, '2026-11-30', '2026-11-30', 'x', "
          "1, 0)",
          id);
  assert_int_equal(clue_due_refresh(fx->db, id), DB_OK);
  assert_string_equal(due_row(fx, id, "fb_next", 2), "2027-02-28/");
  /* a period change reaches every open clue at once; a concluded clue
  ** with nothing open keeps the deadlines it was handled under */
  int64_t open2 = clue_new(fx, "assigned", "2026-08-31");
  int64_t closed = clue_new(fx, "closed_direct", "2026-08-31");
  exec_id(fx,
          "INSERT INTO clue_feedback(clue_id, seq, due_on, sent_on, content, "
          "by_user, created_at) VALUES (?, 1, '2026-11-30', '2026-11-30', 'x', "
          "1, 0)",
          closed);
  clue_set(fx, closed, "concluded_on", "2026-11-30");
  assert_string_equal(due_row(fx, open2, "fb_first", 0), "2026-11-30/");
  assert_string_equal(due_row(fx, closed, "fb_first", 0), "2026-11-30/2026-11-30");
  assert_true(clue_due_setting("clue.feedback_first_months"));
  assert_true(clue_due_setting("clue.investigation_days"));
  assert_false(clue_due_setting("clue.due_warn_days"));
  assert_false(clue_due_setting("auth.lockout_failures"));
  assert_int_equal(setting_put(fx->db, "clue.feedback_first_months", "4", &err), 0);
  int64_t redone = 0;
  assert_int_equal(clue_due_refresh_all(fx->db, &redone), DB_OK);
  assert_int_equal(redone, 2); /* id and open2, not closed */
  assert_string_equal(due_row(fx, open2, "fb_first", 0), "2026-12-31/");
  assert_string_equal(due_row(fx, id, "fb_first", 0), "2026-12-31/2026-11-30");
  assert_string_equal(due_row(fx, id, "fb_next", 2), "2027-03-31/");
  assert_string_equal(due_row(fx, closed, "fb_first", 0), "2026-11-30/2026-11-30");

  /* the inspection office (status-only grant) records what an external
  ** receiver reported */
  ClueViewer xcb = viewer(fx, U_XCB);
  const char *field;
  int64_t fid = 0;
  int64_t ext = clue_new(fx, "external", "2026-08-31");
  assert_int_equal(clue_feedback_add(fx->db, &xcb, ext, "2026-11-30", "组织部已启动核查",
                                     0, &fid, &field, &err), CLUE_OK);
  assert_true(fid > 0);
  assert_string_equal(due_row(fx, ext, "fb_first", 0), "2026-12-31/2026-11-30");
  /* a concluded clue with no report yet owes no feedback deadline */
  int64_t c2 = clue_new(fx, "closed_direct", "2026-08-31");
  clue_set(fx, c2, "concluded_on", "2026-09-10");
  assert_int_equal(count_rows(fx, c2, ""), 0);
  buf_release(&err);
}

/* ---- the other rules ---- */

static void test_handling_rules(void **state) {
  Fx *fx = fx_get(state);
  int64_t id = clue_new(fx, "assigned", "2026-08-31");
  clue_set(fx, id, "assigned_on", "2026-09-15");
  assert_string_equal(due_row(fx, id, "disposal", 0), "2026-10-15/");
  assert_string_equal(next_due(fx, id), "2026-10-15/disposal");
  clue_set(fx, id, "disposal_on", "2026-10-10");
  assert_string_equal(due_row(fx, id, "disposal", 0), "2026-10-15/2026-10-10");
  assert_string_equal(next_due(fx, id), "2027-02-28/fb_first");

  /* 立案: 90 days to 移送审理 */
  clue_set(fx, id, "state", "investigating");
  clue_set(fx, id, "filed_on", "2026-10-01");
  assert_string_equal(due_row(fx, id, "investigation", 0), "2026-12-30/");
  assert_string_equal(next_due(fx, id), "2026-12-30/investigation");
  /* a longer period from the setting */
  Buf err = BUF_INIT;
  assert_int_equal(setting_put(fx->db, "clue.investigation_days", "180", &err), 0);
  clue_set(fx, id, "filed_on", "2026-10-01");
  assert_string_equal(due_row(fx, id, "investigation", 0), "2027-03-30/");
  assert_int_equal(setting_put(fx->db, "clue.investigation_days", "90", &err), 0);

  /* 审理: one month; the investigation is done on the transfer to trial */
  clue_set(fx, id, "trial_on", "2026-11-20");
  assert_string_equal(due_row(fx, id, "trial", 0), ""); /* still investigating */
  clue_set(fx, id, "state", "trial");
  assert_string_equal(due_row(fx, id, "investigation", 0), "2026-12-30/2026-11-20");
  assert_string_equal(due_row(fx, id, "trial", 0), "2026-12-20/");
  /* sent back (trial_return): investigating again, no trial running */
  clue_set(fx, id, "state", "investigating");
  assert_string_equal(due_row(fx, id, "investigation", 0), "2026-12-30/");
  assert_string_equal(due_row(fx, id, "trial", 0), "");
  clue_set(fx, id, "state", "trial");
  clue_set(fx, id, "decided_on", "2026-11-28");
  assert_string_equal(due_row(fx, id, "trial", 0), "2026-12-20/2026-11-28");

  /* 留置: the measure's limit, done when it ends */
  int64_t pid = person_new(fx, id);
  Stmt *st = db_prepare(fx->db,
                        "INSERT INTO clue_measure(clue_id, clue_person_id, "
                        "start_on, limit_on, created_by, created_at) VALUES "
                        "(?, ?, '2026-10-10', '2027-01-10', 1, 0) RETURNING id");
  db_bind_int64(st, 1, id);
  db_bind_int64(st, 2, pid);
  assert_int_equal(db_step(st), DB_ROW);
  int64_t mid = db_column_int64(st, 0);
  db_finalize(st);
  assert_int_equal(clue_due_refresh(fx->db, id), DB_OK);
  assert_string_equal(due_row(fx, id, "detention", mid), "2027-01-10/");
  exec_id(fx, "UPDATE clue_measure SET ended_on = '2026-11-20' WHERE id = ?", mid);
  assert_int_equal(clue_due_refresh(fx->db, id), DB_OK);
  assert_string_equal(due_row(fx, id, "detention", mid), "2027-01-10/2026-11-20");

  /* 处分: announce in 1 month, report execution in 6; only for the
  ** measures that carry them (党纪, 政务), not 组织处理 */
  clue_set(fx, id, "state", "decided");
  int64_t s1 = sanction_new(fx, id, pid, "party", "party_warning", "2026-11-25");
  int64_t s2 = sanction_new(fx, id, pid, "org", "org_remove", "2026-11-25");
  assert_int_equal(clue_due_refresh(fx->db, id), DB_OK);
  assert_string_equal(due_row(fx, id, "announce", s1), "2026-12-25/");
  assert_string_equal(due_row(fx, id, "execute", s1), "2027-05-25/");
  assert_string_equal(due_row(fx, id, "announce", s2), "");
  assert_string_equal(due_row(fx, id, "execute", s2), "");
  assert_string_equal(next_due(fx, id), "2026-12-25/announce");
  exec_id(fx, "UPDATE clue_sanction SET announced_on = '2026-11-30' WHERE id = ?", s1);
  assert_int_equal(clue_due_refresh(fx->db, id), DB_OK);
  assert_string_equal(due_row(fx, id, "announce", s1), "2026-12-25/2026-11-30");
  assert_string_equal(next_due(fx, id), "2027-02-28/fb_first");

  /* concluded: steps without their successor close with the clue; the
  ** execution report is still owed */
  int64_t c2 = clue_new(fx, "verify", "2026-08-31");
  clue_set(fx, c2, "assigned_on", "2026-09-15");
  clue_set(fx, c2, "concluded_on", "2026-11-01");
  assert_string_equal(due_row(fx, c2, "disposal", 0), "2026-10-15/2026-11-01");
  assert_string_equal(next_due(fx, c2), "/");
  clue_set(fx, id, "concluded_on", "2026-11-29");
  assert_string_equal(due_row(fx, id, "execute", s1), "2027-05-25/");
  assert_string_equal(next_due(fx, id), "2027-05-25/execute");

  /* clue_dues_of: every deadline of the clue, by due date */
  ClueViewer cb = viewer(fx, U_CBBM);
  ClueDue *d;
  size_t n;
  assert_int_equal(clue_dues_of(fx->db, &cb, id, &d, &n), CLUE_OK);
  assert_int_equal(n, (size_t)count_rows(fx, id, ""));
  for (size_t i = 1; i < n; i++) assert_true(strcmp(d[i - 1].due_on, d[i].due_on) <= 0);
  assert_string_equal(d[0].rule, "disposal");
  assert_int_equal(d[0].days_left, -46); /* 2026-10-15 from 2026-11-30 */
  assert_string_equal(d[0].clue_code, "ML-2026-0001");
  assert_string_equal(d[0].unit_name, "明澜市第三中学");
  assert_string_equal(d[0].summary, "某局长违规收受礼金");
  assert_int_equal(d[0].full, 1);
  clue_dues_free(d, n);
  ClueViewer xcb = viewer(fx, U_XCB);
  assert_int_equal(clue_dues_of(fx->db, &xcb, id, &d, &n), CLUE_OK);
  assert_true(n > 0);
  assert_int_equal(d[0].full, 0);
  assert_string_equal(d[0].summary, "");
  clue_dues_free(d, n);
  ClueViewer out = viewer(fx, U_OUT);
  assert_int_equal(clue_dues_of(fx->db, &out, id, &d, &n), CLUE_ENOTFOUND);
  assert_int_equal(n, 0);
  assert_int_equal(clue_dues_of(fx->db, &cb, 999999, &d, &n), CLUE_ENOTFOUND);
  buf_release(&err);
}

/* ---- lists of what falls due ---- */

static void test_dues_list(void **state) {
  Fx *fx = fx_get(state);
  /* today 2026-11-30; disposal deadlines one month after assignment */
  int64_t over = clue_new(fx, "assigned", "2026-09-01");
  clue_set(fx, over, "assigned_on", "2026-10-20"); /* due 11-20: overdue */
  int64_t today = clue_new(fx, "assigned", "2026-09-01");
  clue_set(fx, today, "assigned_on", "2026-10-30"); /* due 11-30: today */
  int64_t week = clue_new(fx, "assigned", "2026-09-01");
  clue_set(fx, week, "assigned_on", "2026-11-05"); /* due 12-05 */
  int64_t month = clue_new(fx, "assigned", "2026-09-01");
  clue_set(fx, month, "assigned_on", "2026-11-25"); /* due 12-25 */
  int64_t later = clue_new(fx, "assigned", "2026-11-01");
  clue_set(fx, later, "assigned_on", "2027-01-05"); /* due 02-05 */
  /* fb_first of the first four: 2027-03-01; of the last: 2027-05-01 */

  ClueViewer ags = viewer(fx, U_AGS);
  ClueDue *d;
  size_t n;
  int64_t total;
  assert_int_equal(clue_dues_list(fx->db, &ags, -1, 50, 0, &d, &n, &total), CLUE_OK);
  assert_int_equal(n, 1);
  assert_int_equal(total, 1);
  assert_int_equal(d[0].clue_id, over);
  assert_string_equal(d[0].rule, "disposal");
  assert_int_equal(d[0].days_left, -10);
  assert_string_equal(d[0].summary, "某局长违规收受礼金");
  clue_dues_free(d, n);

  assert_int_equal(clue_dues_list(fx->db, &ags, 7, 50, 0, &d, &n, &total), CLUE_OK);
  assert_int_equal(n, 2);
  assert_int_equal(d[0].clue_id, today);
  assert_int_equal(d[0].days_left, 0);
  assert_int_equal(d[1].clue_id, week);
  assert_int_equal(d[1].days_left, 5);
  clue_dues_free(d, n);

  assert_int_equal(clue_dues_list(fx->db, &ags, 30, 50, 0, &d, &n, &total), CLUE_OK);
  assert_int_equal(n, 3);
  assert_int_equal(d[2].clue_id, month);
  clue_dues_free(d, n);
  /* paging: total counts all, the page holds one */
  assert_int_equal(clue_dues_list(fx->db, &ags, 30, 1, 1, &d, &n, &total), CLUE_OK);
  assert_int_equal(n, 1);
  assert_int_equal(total, 3);
  assert_int_equal(d[0].clue_id, week);
  clue_dues_free(d, n);
  /* limit 0: the count only */
  assert_int_equal(clue_dues_list(fx->db, &ags, 30, 0, 0, &d, &n, &total), CLUE_OK);
  assert_int_equal(n, 0);
  assert_null(d);
  assert_int_equal(total, 3);
  /* a wide window reaches the later ones and the feedback deadlines */
  assert_int_equal(clue_dues_list(fx->db, &ags, 200, 50, 0, &d, &n, &total), CLUE_OK);
  assert_int_equal(total, 9);
  clue_dues_free(d, n);

  /* need-to-know: status-only sees the rows without the summary; a user
  ** without a grant and one outside the jurisdiction see none */
  ClueViewer xcb = viewer(fx, U_XCB);
  assert_int_equal(clue_dues_list(fx->db, &xcb, 30, 50, 0, &d, &n, &total), CLUE_OK);
  assert_int_equal(n, 3);
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(d[i].full, 0);
    assert_string_equal(d[i].summary, "");
    assert_string_equal(d[i].clue_code + 8, d[i].clue_code + 8); /* code kept */
    assert_true(d[i].clue_code[0]);
  }
  clue_dues_free(d, n);
  ClueViewer out = viewer(fx, U_OUT);
  for (int w = -1; w <= 200; w += 201) {
    assert_int_equal(clue_dues_list(fx->db, &out, w, 50, 0, &d, &n, &total), CLUE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(total, 0);
    assert_null(d);
  }
  /* a personal grant lets "out" see exactly that clue */
  assert_int_equal(ntk_grant_initial(fx->db, "clue", week, fx->uid[U_OUT], NULL,
                                     "测试", fx->uid[U_AGS], NULL), 0);
  out = viewer(fx, U_OUT);
  assert_int_equal(clue_dues_list(fx->db, &out, 30, 50, 0, &d, &n, &total), CLUE_OK);
  assert_int_equal(n, 1);
  assert_int_equal(d[0].clue_id, week);
  clue_dues_free(d, n);
  /* outside the jurisdiction a grant is not enough */
  assert_int_equal(ntk_grant_initial(fx->db, "clue", week, fx->uid[U_FAR], NULL,
                                     "测试", fx->uid[U_AGS], NULL), 0);
  ClueViewer far = viewer(fx, U_FAR);
  assert_int_equal(clue_dues_list(fx->db, &far, 30, 50, 0, &d, &n, &total), CLUE_OK);
  assert_int_equal(n, 0);
  assert_int_equal(clue_dues_of(fx->db, &far, week, &d, &n), CLUE_ENOTFOUND);

  /* done deadlines leave the lists */
  clue_set(fx, over, "disposal_on", "2026-11-25");
  assert_int_equal(clue_dues_list(fx->db, &ags, -1, 50, 0, &d, &n, &total), CLUE_OK);
  assert_int_equal(n, 0);
  /* time passes: the week's one is overdue a week later */
  clock_set(T_NOW + 7 * 86400);
  ags = viewer(fx, U_AGS);
  assert_int_equal(clue_dues_list(fx->db, &ags, -1, 50, 0, &d, &n, &total), CLUE_OK);
  assert_int_equal(n, 2);
  assert_int_equal(d[0].clue_id, today);
  assert_int_equal(d[1].clue_id, week);
  assert_int_equal(d[1].days_left, -2);
  clue_dues_free(d, n);
}

/* ---- 督办 notices and the inbox ---- */

static void test_notices(void **state) {
  Fx *fx = fx_get(state);
  ClueViewer ags = viewer(fx, U_AGS), cb = viewer(fx, U_CBBM),
             xcb = viewer(fx, U_XCB), out = viewer(fx, U_OUT);
  Buf err = BUF_INIT;
  const char *field;
  int64_t nid, n1, n2;
  int64_t id = clue_new(fx, "assigned", "2026-08-31");
  clue_set(fx, id, "assigned_on", "2026-10-20");

  /* to the handling office by default */
  ClueNoticeIn in = {.kind = "reminder", .rule = "disposal",
                     .text = "请于12月5日前提出处置意见", .due_on = "2026-12-05"};
  assert_int_equal(clue_notice_add(fx->db, &ags, id, &in, &n1, &field, &err), CLUE_OK);
  assert_true(n1 > 0);
  /* to a user who may see it (status only is enough) */
  ClueNoticeIn in2 = {.kind = "escalation", .rule = "", .to_user_id = fx->uid[U_XCB],
                      .text = "挂牌督办：请跟踪反馈", .due_on = ""};
  assert_int_equal(clue_notice_add(fx->db, &ags, id, &in2, &n2, &field, &err), CLUE_OK);

  /* refused: a recipient outside the 知悉范围 (user or office) */
  ClueNoticeIn bad = in;
  bad.to_user_id = fx->uid[U_OUT];
  buf_clear(&err);
  assert_int_equal(clue_notice_add(fx->db, &ags, id, &bad, &nid, &field, &err),
                   CLUE_EINVALID);
  assert_string_equal(field, "to");
  assert_non_null(strstr(buf_str(&err), "知悉范围"));
  bad = in;
  bad.to_office = "ML.DFZF";
  assert_int_equal(clue_notice_add(fx->db, &ags, id, &bad, &nid, &field, &err),
                   CLUE_EINVALID);
  assert_string_equal(field, "to");
  /* refused: on the list, but outside the jurisdiction their role may
  ** read (the notice would never reach their inbox) */
  assert_int_equal(ntk_grant_initial(fx->db, "clue", id, fx->uid[U_FAR], NULL,
                                     "测试", fx->uid[U_AGS], NULL), 0);
  bad = in;
  bad.to_user_id = fx->uid[U_FAR];
  assert_int_equal(clue_notice_add(fx->db, &ags, id, &bad, &nid, &field, &err),
                   CLUE_EINVALID);
  assert_string_equal(field, "to");
  /* refused: on the list, but without a role that reads clues */
  exec_id(fx, "DELETE FROM user_role WHERE user_id = ?", fx->uid[U_XCB]);
  bad = in;
  bad.to_user_id = fx->uid[U_XCB];
  assert_int_equal(clue_notice_add(fx->db, &ags, id, &bad, &nid, &field, &err),
                   CLUE_EINVALID);
  exec_id(fx, "INSERT INTO user_role(user_id, role_code) VALUES (?, 'xcb')",
          fx->uid[U_XCB]);
  bad = in;
  bad.to_user_id = fx->uid[U_CBBM];
  bad.to_office = "ML.JJ1"; /* both */
  assert_int_equal(clue_notice_add(fx->db, &ags, id, &bad, &nid, &field, &err),
                   CLUE_EINVALID);
  bad = in;
  bad.to_user_id = 999999; /* no such user */
  assert_int_equal(clue_notice_add(fx->db, &ags, id, &bad, &nid, &field, &err),
                   CLUE_EINVALID);
  assert_string_equal(field, "to");
  /* refused: bad input */
  bad = in;
  bad.kind = "threat";
  assert_int_equal(clue_notice_add(fx->db, &ags, id, &bad, &nid, &field, &err),
                   CLUE_EINVALID);
  assert_string_equal(field, "kind");
  bad = in;
  bad.rule = "whenever";
  assert_int_equal(clue_notice_add(fx->db, &ags, id, &bad, &nid, &field, &err),
                   CLUE_EINVALID);
  assert_string_equal(field, "rule");
  bad = in;
  bad.text = "";
  assert_int_equal(clue_notice_add(fx->db, &ags, id, &bad, &nid, &field, &err),
                   CLUE_EINVALID);
  assert_string_equal(field, "text");
  bad = in;
  bad.due_on = "2026-11-29";
  assert_int_equal(clue_notice_add(fx->db, &ags, id, &bad, &nid, &field, &err),
                   CLUE_EINVALID);
  assert_string_equal(field, "due_on");
  /* refused: the issuer cannot see the clue */
  assert_int_equal(clue_notice_add(fx->db, &out, id, &in, &nid, &field, &err),
                   CLUE_ENOTFOUND);
  /* refused: not transferred, or concluded */
  int64_t draft = clue_new(fx, "draft", "");
  assert_int_equal(clue_notice_add(fx->db, &ags, draft, &in, &nid, &field, &err),
                   CLUE_ECONFLICT);
  int64_t done = clue_new(fx, "concluded", "2026-08-31");
  clue_set(fx, done, "concluded_on", "2026-11-01");
  assert_int_equal(clue_notice_add(fx->db, &ags, done, &in, &nid, &field, &err),
                   CLUE_ECONFLICT);
  /* an unassigned clue needs a named recipient */
  int64_t reg = clue_new(fx, "registered", "2026-08-31");
  clue_set(fx, reg, "handling_office", "");
  assert_int_equal(clue_notice_add(fx->db, &ags, reg, &in, &nid, &field, &err),
                   CLUE_EINVALID);
  assert_string_equal(field, "to");

  /* the history, newest first */
  ClueNotice *x;
  size_t n;
  assert_int_equal(clue_notices_of(fx->db, &ags, id, &x, &n), CLUE_OK);
  assert_int_equal(n, 2);
  assert_int_equal(x[0].id, n2);
  assert_string_equal(x[0].to_user_name, "巡察办·丙");
  assert_string_equal(x[0].to_office, "");
  assert_string_equal(x[0].kind, "escalation");
  assert_int_equal(x[1].id, n1);
  assert_string_equal(x[1].to_office, "ML.JJ1");
  assert_string_equal(x[1].rule, "disposal");
  assert_string_equal(x[1].due_on, "2026-12-05");
  assert_string_equal(x[1].from_name, "案管室·甲");
  assert_string_equal(x[1].clue_code, "ML-2026-0001");
  assert_int_equal(x[1].created_at, T_NOW);
  clue_notices_free(x, n);
  assert_int_equal(clue_notices_of(fx->db, &out, id, &x, &n), CLUE_ENOTFOUND);

  /* inboxes: the office's notice reaches its members, the user's the user */
  int64_t total, unread;
  assert_int_equal(clue_inbox(fx->db, &cb, 0, 50, 0, &x, &n, &total, &unread), CLUE_OK);
  assert_int_equal(n, 1);
  assert_int_equal(total, 1);
  assert_int_equal(unread, 1);
  assert_int_equal(x[0].id, n1);
  assert_int_equal(x[0].read_at, 0);
  clue_notices_free(x, n);
  /* limit 0: the counts only (the menu's badge) */
  assert_int_equal(clue_inbox(fx->db, &cb, 1, 0, 0, &x, &n, &total, &unread), CLUE_OK);
  assert_int_equal(n, 0);
  assert_null(x);
  assert_int_equal(unread, 1);
  assert_int_equal(total, 1);
  assert_int_equal(clue_inbox(fx->db, &xcb, 0, 50, 0, &x, &n, &total, &unread), CLUE_OK);
  assert_int_equal(n, 1);
  assert_int_equal(x[0].id, n2);
  clue_notices_free(x, n);
  assert_int_equal(clue_inbox(fx->db, &out, 0, 50, 0, &x, &n, &total, &unread), CLUE_OK);
  assert_int_equal(n, 0);
  assert_int_equal(unread, 0);
  assert_int_equal(clue_inbox(fx->db, &ags, 0, 50, 0, &x, &n, &total, &unread), CLUE_OK);
  assert_int_equal(n, 0); /* the sender's inbox holds nothing */

  /* reading: only notices in one's own inbox */
  assert_int_equal(clue_notice_read(fx->db, &out, n1), CLUE_ENOTFOUND);
  assert_int_equal(clue_notice_read(fx->db, &xcb, n1), CLUE_ENOTFOUND);
  assert_int_equal(clue_notice_read(fx->db, &cb, 999999), CLUE_ENOTFOUND);
  clock_set(T_NOW + 60);
  assert_int_equal(clue_notice_read(fx->db, &cb, n1), CLUE_OK);
  clock_set(T_NOW + 120);
  assert_int_equal(clue_notice_read(fx->db, &cb, n1), CLUE_OK); /* again: fine */
  assert_int_equal(clue_inbox(fx->db, &cb, 0, 50, 0, &x, &n, &total, &unread), CLUE_OK);
  assert_int_equal(n, 1);
  assert_int_equal(unread, 0);
  assert_int_equal(x[0].read_at, T_NOW + 60); /* the first reading is kept */
  clue_notices_free(x, n);
  assert_int_equal(clue_inbox(fx->db, &cb, 1, 50, 0, &x, &n, &total, &unread), CLUE_OK);
  assert_int_equal(n, 0);
  assert_int_equal(total, 0);

  /* a revoked grant takes the notice out of the inbox too */
  clue_set(fx, id, "handling_office", "ML.JJ1");
  NtkGrant *g;
  size_t ng;
  assert_int_equal(ntk_list(fx->db, "clue", id, &g, &ng), DB_OK);
  int64_t jj1 = 0;
  for (size_t i = 0; i < ng; i++)
    if (str_eq(g[i].office_code, "ML.JJ1")) jj1 = g[i].id;
  ntk_grants_free(g, ng);
  assert_true(jj1 > 0);
  exec_id(fx, "UPDATE record_access SET revoked_at = 1 WHERE id = ?", jj1);
  cb = viewer(fx, U_CBBM);
  assert_int_equal(clue_inbox(fx->db, &cb, 0, 50, 0, &x, &n, &total, &unread), CLUE_OK);
  assert_int_equal(n, 0);
  assert_int_equal(clue_notice_read(fx->db, &cb, n1), CLUE_ENOTFOUND);
  /* and the office can no longer be sent one */
  assert_int_equal(clue_notice_add(fx->db, &ags, id, &in, &nid, &field, &err),
                   CLUE_EINVALID);
  assert_string_equal(field, "to");
  buf_release(&err);
}

#define BOTH(fn)                                                  \
  cmocka_unit_test_setup_teardown(fn, setup_sqlite, teardown),    \
      cmocka_unit_test_setup_teardown(fn, setup_pg, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_date_arithmetic),
      cmocka_unit_test(test_today_is_beijing_time),
      cmocka_unit_test(test_rule_table),
      BOTH(test_feedback_sequence),
      BOTH(test_feedback_setting),
      BOTH(test_handling_rules),
      BOTH(test_dues_list),
      BOTH(test_notices),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
