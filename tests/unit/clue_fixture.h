/* clue_fixture.h: the database fixture of the clue unit tests
** (test_clue.c, test_clue_ledger.c): a city (ML) and two counties, a
** round per level with teams, staff linked to users, and helpers to
** record clues and grant access.  Included by one test file each. */
#ifndef JX_CLUE_FIXTURE_H
#define JX_CLUE_FIXTURE_H

#include "unit.h"

#include <string.h>

#include "auth/ntk.h"
#include "domain/clue.h"
#include "domain/clue_due.h"
#include "domain/settings.h"

#define T0 1781496000 /* 2026-06-15 04:00 UTC, 12:00 北京时间 */

static const CluePersonIn typed[] = {
    {0, "张某", "副局长", 1, 1},
    {0, "李某", "科长", 0, 1},
};

static inline ClueIn valid_in(void) {
  ClueIn in = {.round_id = 1, .team_id = 1, .unit_id = 1, .kind = "",
               .category = "integrity", .source = "interview",
               .summary = "违规收受礼金", .facts = "第一行\n第二行",
               .found_on = "2026-06-01", .persons = typed, .n_persons = 2};
  return in;
}


/* ---- the database operations (SQLite and PostgreSQL) ---- */

typedef struct Fx {
  char *dir, *loc;
  Db *db;
  /* users */
  int64_t leader, member, other, ags, xcb, county, outsider, ags_bl;
} Fx;

/* Round 1 (ML) with units 1 and 2; team 1 covers unit 1 (leader staff 1,
** member staff 2), team 2 covers unit 2 (member staff 3).  Round 2 is
** 北岭县's.  Persons 1 (unit 1) and 2 (unit 3, in ML.BL) are in the
** registry. */
static const char *const fixture_sql[] = {
    "INSERT INTO jurisdiction(code, parent_code, name, level, created_at) "
    "VALUES ('ML', NULL, '明澜市', 'city', 0)",
    "INSERT INTO jurisdiction(code, parent_code, name, level, created_at) "
    "VALUES ('ML.BL', 'ML', '北岭县', 'county', 0)",
    "INSERT INTO jurisdiction(code, parent_code, name, level, created_at) "
    "VALUES ('ML.NS', 'ML', '南山区', 'county', 0)",
    "INSERT INTO office(id, code, jurisdiction_code, name, kind, created_at) "
    "VALUES (1, 'ML.AGS', 'ML', '市纪委监委案件监督管理室', 'case_mgmt', 0)",
    "INSERT INTO office(id, code, jurisdiction_code, name, kind, created_at) "
    "VALUES (2, 'ML.XCB', 'ML', '市委巡察办', 'inspection', 0)",
    "INSERT INTO office(id, code, jurisdiction_code, name, kind, created_at) "
    "VALUES (3, 'ML.JJ1', 'ML', '市纪委监委第一监督检查室', 'supervision', "
    "0)",
    "INSERT INTO unit(id, code, name, jurisdiction_code, level, created_at, "
    "updated_at) VALUES (1, 'U1', '明澜市住建局', 'ML', 'city', 0, 0)",
    "INSERT INTO unit(id, code, name, jurisdiction_code, level, created_at, "
    "updated_at) VALUES (2, 'U2', '明澜市第三中学', 'ML', 'city', 0, 0)",
    "INSERT INTO unit(id, code, name, jurisdiction_code, level, created_at, "
    "updated_at) VALUES (3, 'U3', '北岭县教育局', 'ML.BL', 'county', 0, 0)",
    "INSERT INTO unit(id, code, name, jurisdiction_code, level, created_at, "
    "updated_at) VALUES (4, 'U4', '南山区水务局', 'ML.NS', 'county', 0, 0)",
    "INSERT INTO person(id, code, name, unit_id, post, party_member, "
    "supervisory_object, created_at, updated_at) VALUES (1, 'P1', '王某', 1, "
    "'局长', 1, 1, 0, 0)",
    "INSERT INTO person(id, code, name, unit_id, post, party_member, "
    "supervisory_object, created_at, updated_at) VALUES (2, 'P2', '赵某', 3, "
    "'股长', 0, 1, 0, 0)",
    "INSERT INTO person(id, code, name, unit_id, post, party_member, "
    "supervisory_object, created_at, updated_at) VALUES (3, 'P3', '钱某', 4, "
    "'科员', 0, 0, 0, 0)",
    "INSERT INTO round(id, term, number, kind, title, jurisdiction_code, "
    "created_at) VALUES (1, 5, 2, 'regular', '五届市委第二轮巡察', 'ML', 0)",
    "INSERT INTO round(id, term, number, kind, title, jurisdiction_code, "
    "created_at) VALUES (2, 3, 1, 'regular', '三届县委第一轮巡察', 'ML.BL', "
    "0)",
    "INSERT INTO round_unit(round_id, unit_id, phase) VALUES (1, 1, "
    "'understand')",
    "INSERT INTO round_unit(round_id, unit_id, phase) VALUES (1, 2, "
    "'understand')",
    "INSERT INTO round_unit(round_id, unit_id, phase) VALUES (2, 3, "
    "'understand')",
    "INSERT INTO team(id, round_id, name, created_at) VALUES (1, 1, "
    "'第一巡察组', 0)",
    "INSERT INTO team(id, round_id, name, created_at) VALUES (2, 1, "
    "'第二巡察组', 0)",
    "INSERT INTO team(id, round_id, name, created_at) VALUES (3, 2, "
    "'县第一巡察组', 0)",
    "INSERT INTO team_unit(team_id, unit_id) VALUES (1, 1)",
    "INSERT INTO team_unit(team_id, unit_id) VALUES (2, 2)",
    "INSERT INTO team_unit(team_id, unit_id) VALUES (3, 3)",
};

static inline int64_t add_user(Db *db, const char *login, const char *office,
                        const char *jur) {
  Stmt *st = db_prepare(db,
                        "INSERT INTO app_user(login, display_name, "
                        "office_code, jurisdiction_code, status, "
                        "password_hash, password_changed_at, created_at) "
                        "VALUES (?, ?, ?, ?, 'active', 'x', 0, 0) "
                        "RETURNING id");
  assert_non_null(st);
  db_bind_text(st, 1, login);
  db_bind_text(st, 2, login);
  if (office)
    db_bind_text(st, 3, office);
  else
    db_bind_null(st, 3);
  db_bind_text(st, 4, jur);
  assert_int_equal(db_step(st), DB_ROW);
  int64_t id = db_column_int64(st, 0);
  db_finalize(st);
  return id;
}

/* Staff id (jurisdiction jur) linked to user, on team in position. */
static inline void add_staff(Db *db, int64_t id, int64_t user, int64_t team,
                      const char *position, const char *jur) {
  Stmt *st = db_prepare(db,
                        "INSERT INTO staff(id, code, name, jurisdiction_code, "
                        "user_id, created_at, updated_at) VALUES (?, ?, ?, ?, "
                        "?, 0, 0)");
  char code[16];
  snprintf(code, sizeof code, "S%lld", (long long)id);
  db_bind_int64(st, 1, id);
  db_bind_text(st, 2, code);
  db_bind_text(st, 3, code);
  db_bind_text(st, 4, jur);
  db_bind_int64(st, 5, user);
  assert_int_equal(db_step(st), DB_DONE);
  db_finalize(st);
  st = db_prepare(db,
                  "INSERT INTO team_member(team_id, staff_id, position, "
                  "joined_at) VALUES (?, ?, ?, 0)");
  db_bind_int64(st, 1, team);
  db_bind_int64(st, 2, id);
  db_bind_text(st, 3, position);
  assert_int_equal(db_step(st), DB_DONE);
  db_finalize(st);
}

static inline Fx *fx_open(int pg) {
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
  for (size_t i = 0; i < JX_COUNT(fixture_sql); i++)
    if (db_exec(fx->db, fixture_sql[i]) != DB_OK)
      fail_msg("%s: %s", fixture_sql[i], db_errmsg(fx->db));
  fx->leader = add_user(fx->db, "leader", NULL, "ML");
  fx->member = add_user(fx->db, "member", NULL, "ML");
  fx->other = add_user(fx->db, "other", NULL, "ML");
  fx->ags = add_user(fx->db, "ags", "ML.AGS", "ML");
  fx->xcb = add_user(fx->db, "xcb", "ML.XCB", "ML");
  fx->county = add_user(fx->db, "county", NULL, "ML.BL");
  fx->outsider = add_user(fx->db, "outsider", NULL, "ML");
  fx->ags_bl = add_user(fx->db, "ags_bl", NULL, "ML.BL");
  add_staff(fx->db, 1, fx->leader, 1, "leader", "ML");
  add_staff(fx->db, 2, fx->member, 1, "member", "ML");
  add_staff(fx->db, 3, fx->other, 2, "member", "ML");
  add_staff(fx->db, 4, fx->county, 3, "leader", "ML.BL");
  if (pg) {
    static const char *const seqs[] = {
        "SELECT setval(pg_get_serial_sequence('office', 'id'), 100)",
        "SELECT setval(pg_get_serial_sequence('unit', 'id'), 100)",
        "SELECT setval(pg_get_serial_sequence('person', 'id'), 100)",
        "SELECT setval(pg_get_serial_sequence('round', 'id'), 100)",
        "SELECT setval(pg_get_serial_sequence('team', 'id'), 100)",
        "SELECT setval(pg_get_serial_sequence('staff', 'id'), 100)"};
    for (size_t i = 0; i < JX_COUNT(seqs); i++)
      if (db_exec(fx->db, seqs[i]) != DB_OK)
        fail_msg("%s: %s", seqs[i], db_errmsg(fx->db));
  }
  return fx;
}

static inline int setup_sqlite(void **state) {
  *state = fx_open(0);
  return 0;
}

static inline int setup_pg(void **state) {
  *state = unit_pg_url() ? fx_open(1) : NULL;
  return 0;
}

static inline int teardown(void **state) {
  Fx *fx = *state;
  clock_set(0);
  clue_ledger_scan_min = 3000; /* test_db_ledger_scan's, even on failure */
  if (!fx) return 0;
  db_close(fx->db);
  if (fx->dir) unit_rmtree(fx->dir);
  free(fx->dir);
  free(fx->loc);
  free(fx);
  return 0;
}

static inline Fx *fx_get(void **state) {
  if (!*state) skip();
  return *state;
}

static inline ClueViewer viewer(Fx *fx, int64_t user, const char *roles) {
  ClueViewer v;
  assert_int_equal(clue_viewer_load(fx->db, user, roles, &v), 0);
  assert_int_equal(v.scope, SCOPE_JURISDICTION);
  return v;
}

/* Record a clue as user with in; asserts success, returns its id. */
static inline int64_t create_ok(Fx *fx, int64_t user, const ClueIn *in) {
  ClueViewer v = viewer(fx, user, "xcz_member");
  Buf err = BUF_INIT;
  const char *field = NULL;
  int64_t id = 0;
  ClueResult r = clue_create(fx->db, &v, in, &id, &field, &err);
  if (r != CLUE_OK)
    fail_msg("clue_create: %d %s (%s)", r, buf_str(&err), field ? field : "");
  assert_true(id > 0);
  buf_release(&err);
  return id;
}

static inline ClueResult create_err(Fx *fx, int64_t user, const ClueIn *in,
                             const char *want_field) {
  ClueViewer v = viewer(fx, user, "xcz_member");
  Buf err = BUF_INIT;
  const char *field = NULL;
  int64_t id = 7;
  ClueResult r = clue_create(fx->db, &v, in, &id, &field, &err);
  assert_int_not_equal(r, CLUE_OK);
  assert_int_equal(id, 0);
  assert_true(err.len > 0);
  if (want_field) {
    assert_non_null(field);
    assert_string_equal(field, want_field);
  }
  buf_release(&err);
  return r;
}

/* Run one literal statement with an id bound at ?1 (tests only). */
static inline void exec_id(Fx *fx, const char *sql, int64_t id) {
  Stmt *st = db_prepare(fx->db, sql);
  if (!st) fail_msg("%s: %s", sql, db_errmsg(fx->db));
  db_bind_int64(st, 1, id);
  int rc = db_step(st);
  if (rc != DB_DONE) fail_msg("%s: %s", sql, db_errmsg(fx->db));
  db_finalize(st);
}

static inline int64_t count_id(Fx *fx, const char *sql, int64_t id) {
  Stmt *st = db_prepare(fx->db, sql);
  if (!st) fail_msg("%s: %s", sql, db_errmsg(fx->db));
  db_bind_int64(st, 1, id);
  assert_int_equal(db_step(st), DB_ROW);
  int64_t n = db_column_int64(st, 0);
  db_finalize(st);
  return n;
}

static inline void grant_office(Fx *fx, const char *type, int64_t id,
                         const char *office) {
  assert_int_equal(ntk_grant_initial(fx->db, type, id, 0, office, "测试",
                                     fx->ags, NULL),
                   0);
}

static inline void grant_user(Fx *fx, const char *type, int64_t id, int64_t user) {
  assert_int_equal(
      ntk_grant_initial(fx->db, type, id, user, NULL, "测试", fx->ags, NULL),
      0);
}

#define BOTH(fn)                                               \
  cmocka_unit_test_setup_teardown(fn, setup_sqlite, teardown), \
      cmocka_unit_test_setup_teardown(fn, setup_pg, teardown)

#endif
