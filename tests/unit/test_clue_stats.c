/* test_clue_stats.c: the ledger's figures (domain/clue_stats.c) on a
** small fixture of clues written straight into the table (the figures
** read only its columns and the access list), on SQLite and PostgreSQL:
** what each figure counts, need-to-know and jurisdiction, groupings,
** filters, the two settings, the ratios, and that every figure equals the
** ledger's count for its click-through (fig=<code>). */
#include "unit.h"

#include <string.h>

#include "auth/ntk.h"
#include "domain/clue.h"
#include "domain/clue_stats.h"
#include "domain/settings.h"

#define T0 1781496000 /* 2026-06-15 04:00 UTC, 12:00 北京时间 */

/* ---- the figure table (no database) ---- */

static void test_table(void **state) {
  (void)state;
  static const char *const codes[] = {
      "transferred",        "received",           "concluded",
      "concluded_rate",     "filed",              "filing_rate",
      "persons_filed",      "persons_sanctioned", "persons_procuratorate",
      "persons_detained",   "overdue"};
  assert_int_equal(n_clue_figures, JX_COUNT(codes));
  for (size_t i = 0; i < JX_COUNT(codes); i++) {
    const ClueFigure *f = clue_figure(codes[i]);
    assert_non_null(f);
    assert_ptr_equal(f, &clue_figures[i]);
    assert_true(str_eq(f->kind, "clues") || str_eq(f->kind, "persons") ||
                str_eq(f->kind, "ratio"));
    assert_true(strlen(f->label) > 0);
    assert_non_null(strstr(f->definition, f->label));
    /* Every click-through is a code the ledger filters by. */
    assert_true(clue_fig_known(f->drill));
  }
  assert_null(clue_figure("nope"));
  assert_null(clue_figure(NULL));
  assert_string_equal(clue_figure("filing_rate")->label, "成案率");
  assert_string_equal(clue_figure("concluded_rate")->kind, "ratio");
  assert_string_equal(clue_figure("persons_filed")->kind, "persons");

  /* Ratios: per mille rounded half up, -1 without a denominator. */
  ClueStatRow r = {0};
  int64_t num, den;
  const ClueFigure *cr = clue_figure("concluded_rate");
  r.value[cr - clue_figures] = 3; /* denominator */
  r.value[clue_figure("concluded") - clue_figures] = 1;
  assert_int_equal(clue_stat_ratio(cr, &r, &num, &den), 333);
  assert_int_equal(num, 1);
  assert_int_equal(den, 3);
  r.value[clue_figure("concluded") - clue_figures] = 2;
  assert_int_equal(clue_stat_ratio(cr, &r, &num, &den), 667);
  r.value[cr - clue_figures] = 0;
  assert_int_equal(clue_stat_ratio(cr, &r, &num, &den), -1);
  assert_int_equal(den, 0);
  assert_int_equal(clue_stat_ratio(clue_figure("filed"), &r, &num, &den), -1);
}

/* ---- the database (SQLite and PostgreSQL) ---- */

typedef struct Fx {
  char *dir, *loc;
  Db *db;
  int64_t xcb, cbbm, nobody, county, team_member;
} Fx;

static const char *const fixture_sql[] = {
    "INSERT INTO jurisdiction(code, parent_code, name, level, created_at) "
    "VALUES ('ML', NULL, '明澜市', 'city', 0)",
    "INSERT INTO jurisdiction(code, parent_code, name, level, created_at) "
    "VALUES ('ML.BL', 'ML', '北岭县', 'county', 0)",
    "INSERT INTO unit(id, code, name, jurisdiction_code, level, created_at, "
    "updated_at) VALUES (1, 'U1', '明澜市住建局', 'ML', 'city', 0, 0)",
    "INSERT INTO unit(id, code, name, jurisdiction_code, level, created_at, "
    "updated_at) VALUES (2, 'U2', '明澜市第三中学', 'ML', 'city', 0, 0)",
    "INSERT INTO unit(id, code, name, jurisdiction_code, level, created_at, "
    "updated_at) VALUES (3, 'U3', '北岭县教育局', 'ML.BL', 'county', 0, 0)",
    "INSERT INTO round(id, term, number, kind, title, jurisdiction_code, "
    "created_at) VALUES (1, 5, 2, 'regular', '五届市委第二轮巡察', 'ML', 0)",
    "INSERT INTO round(id, term, number, kind, title, jurisdiction_code, "
    "created_at) VALUES (2, 3, 1, 'regular', '三届县委第一轮巡察', 'ML.BL', "
    "0)",
    "INSERT INTO team(id, round_id, name, created_at) VALUES (1, 1, "
    "'第一巡察组', 0)",
    "INSERT INTO team(id, round_id, name, created_at) VALUES (2, 1, "
    "'第二巡察组', 0)",
    "INSERT INTO team(id, round_id, name, created_at) VALUES (3, 2, "
    "'县第一巡察组', 0)",
};

/* The clues: what each one is, for the expectations below.  Today is
** 2026-06-15 (T0). */
typedef struct FxClue {
  int64_t id;
  const char *kind, *state;
  int64_t round, team, unit;
  const char *jur, *dest, *transferred, *received, *concluded;
  int64_t filed, sanctioned, procuratorate, detained;
  const char *due;
} FxClue;

static const FxClue clues[] = {
    /* 1: a draft: in no figure */
    {1, "clue", "draft", 1, 1, 1, "ML", "", "", "", "", 0, 0, 0, 0, ""},
    /* 2: transferred, first feedback overdue */
    {2, "clue", "transferred", 1, 1, 1, "ML", "commission", "2026-03-01", "",
     "", 0, 0, 0, 0, "2026-05-01"},
    /* 3: registered, due later */
    {3, "clue", "registered", 1, 1, 1, "ML", "commission", "2026-03-05",
     "2026-03-06", "", 0, 0, 0, 0, "2026-07-01"},
    /* 4: 立案 of two, one detained, due yesterday */
    {4, "clue", "investigating", 1, 2, 2, "ML", "commission", "2026-04-01",
     "2026-04-02", "", 2, 0, 0, 1, "2026-06-14"},
    /* 5: concluded: one filed, sanctioned and sent to the procuratorate */
    {5, "clue", "concluded", 1, 2, 2, "ML", "commission", "2026-01-10",
     "2026-01-11", "2026-05-20", 1, 1, 1, 0, ""},
    /* 6: parked, due today (not overdue) */
    {6, "clue", "parked", 1, 1, 1, "ML", "commission", "2026-02-01",
     "2026-02-02", "", 0, 0, 0, 0, "2026-06-15"},
    /* 7: with the organisation department */
    {7, "clue", "external", 1, 1, 1, "ML", "organisation", "2026-02-10",
     "2026-02-12", "", 0, 0, 0, 0, ""},
    /* 8: concluded by the organisation department */
    {8, "clue", "concluded", 1, 2, 2, "ML", "organisation", "2026-02-11",
     "2026-02-13", "2026-04-30", 0, 0, 0, 0, ""},
    /* 9: a 整改建议 with dates (kind excludes it everywhere) */
    {9, "suggestion", "concluded", 1, 1, 1, "ML", "commission", "2026-02-01",
     "2026-02-02", "2026-03-01", 1, 1, 0, 0, "2026-01-01"},
    /* 10: the county's, filed */
    {10, "clue", "investigating", 2, 3, 3, "ML.BL", "commission",
     "2026-05-01", "2026-05-02", "", 1, 0, 0, 0, ""},
    /* 11, 12: transferred, but the inspection office's grant is revoked /
     * expired */
    {11, "clue", "transferred", 1, 1, 1, "ML", "commission", "2026-03-01", "",
     "", 0, 0, 0, 0, ""},
    {12, "clue", "transferred", 1, 1, 1, "ML", "commission", "2026-03-01", "",
     "", 0, 0, 0, 0, ""},
};

static int64_t add_user(Db *db, const char *login, const char *office,
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

static void add_clue(Db *db, const FxClue *c) {
  Stmt *st = db_prepare(
      db,
      "INSERT INTO clue(id, code, kind, state, round_id, team_id, unit_id, "
      "jurisdiction_code, category, source, summary, destination, "
      "transferred_on, received_on, concluded_on, outcome, n_persons, "
      "n_filed, n_sanctioned, n_procuratorate, n_detained, next_due_on, "
      "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
      "'integrity', 'interview', '摘要', ?, ?, ?, ?, ?, 2, ?, ?, ?, ?, ?, 1, "
      "0, 0)");
  assert_non_null(st);
  char code[32];
  snprintf(code, sizeof code, "ML-2026-%04lld", (long long)c->id);
  int i = 1;
  db_bind_int64(st, i++, c->id);
  db_bind_text(st, i++, code);
  db_bind_text(st, i++, c->kind);
  db_bind_text(st, i++, c->state);
  db_bind_int64(st, i++, c->round);
  db_bind_int64(st, i++, c->team);
  db_bind_int64(st, i++, c->unit);
  db_bind_text(st, i++, c->jur);
  db_bind_text(st, i++, c->dest);
  db_bind_text(st, i++, c->transferred);
  db_bind_text(st, i++, c->received);
  db_bind_text(st, i++, c->concluded);
  db_bind_text(st, i++, *c->concluded ? c->state : "");
  db_bind_int64(st, i++, c->filed);
  db_bind_int64(st, i++, c->sanctioned);
  db_bind_int64(st, i++, c->procuratorate);
  db_bind_int64(st, i++, c->detained);
  db_bind_text(st, i++, c->due);
  if (db_step(st) != DB_DONE) fail_msg("clue %lld: %s", (long long)c->id,
                                       db_errmsg(db));
  db_finalize(st);
}

/* A grant on clue id: a user (office NULL) or an office. */
static void grant(Db *db, const char *type, int64_t id, int64_t user,
                  const char *office, jx_time expires, jx_time revoked) {
  Stmt *st = db_prepare(db,
                        "INSERT INTO record_access(object_type, object_id, "
                        "user_id, office_code, reason, granted_by, "
                        "granted_at, expires_at, revoked_at) VALUES (?, ?, "
                        "?, ?, '测试', 1, 0, ?, ?)");
  db_bind_text(st, 1, type);
  db_bind_int64(st, 2, id);
  db_bind_int64(st, 3, office ? 0 : user);
  db_bind_text(st, 4, office ? office : "");
  db_bind_int64(st, 5, expires);
  db_bind_int64(st, 6, revoked);
  if (db_step(st) != DB_DONE) fail_msg("grant: %s", db_errmsg(db));
  db_finalize(st);
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
  for (size_t i = 0; i < JX_COUNT(fixture_sql); i++)
    if (db_exec(fx->db, fixture_sql[i]) != DB_OK)
      fail_msg("%s: %s", fixture_sql[i], db_errmsg(fx->db));
  fx->xcb = add_user(fx->db, "xcb", "ML.XCB", "ML");
  fx->cbbm = add_user(fx->db, "cbbm", "ML.JJ1", "ML");
  fx->nobody = add_user(fx->db, "nobody", "ML.DFZF", "ML");
  fx->county = add_user(fx->db, "county", "BL.XCB", "ML.BL");
  fx->team_member = add_user(fx->db, "member", NULL, "ML");
  for (size_t i = 0; i < JX_COUNT(clues); i++) add_clue(fx->db, &clues[i]);
  /* The inspection office's status view of every transferred clue. */
  for (int64_t id = 2; id <= 10; id++)
    grant(fx->db, "clue_status", id, 0, "ML.XCB", 0, 0);
  grant(fx->db, "clue_status", 11, 0, "ML.XCB", 0, T0 - 10); /* revoked */
  grant(fx->db, "clue_status", 12, 0, "ML.XCB", T0 - 10, 0); /* expired */
  grant(fx->db, "clue", 12, 0, "ML.XCB", T0 + 3600, T0 - 1); /* revoked */
  /* The handling official: two clues, one of them twice (user and
   * status grants must not count it twice). */
  grant(fx->db, "clue", 4, fx->cbbm, NULL, 0, 0);
  grant(fx->db, "clue_status", 4, fx->cbbm, NULL, 0, 0);
  grant(fx->db, "clue", 5, fx->cbbm, NULL, T0 + 3600, 0);
  /* Another object type with the same ids is not a clue grant. */
  grant(fx->db, "rectification", 3, fx->cbbm, NULL, 0, 0);
  /* The county office sees its clue and one of the city's (outside its
   * jurisdiction: fenced out). */
  grant(fx->db, "clue_status", 10, 0, "BL.XCB", 0, 0);
  grant(fx->db, "clue_status", 2, 0, "BL.XCB", 0, 0);
  /* A team member: the draft and the suggestion only. */
  grant(fx->db, "clue", 1, fx->team_member, NULL, 0, 0);
  grant(fx->db, "clue", 9, fx->team_member, NULL, 0, 0);
  return fx;
}

UNIT_FIXTURE(Fx, fx_open)

static ClueViewer viewer(Db *db, int64_t user, const char *roles) {
  ClueViewer v;
  assert_int_equal(ntk_subject_load(db, user, roles, &v.who), 0);
  v.scope = SCOPE_JURISDICTION;
  return v;
}

static int64_t val(const ClueStatRow *r, const char *code) {
  const ClueFigure *f = clue_figure(code);
  assert_non_null(f);
  return r->value[f - clue_figures];
}

static int ratio(const ClueStatRow *r, const char *code, int64_t *num,
                 int64_t *den) {
  return clue_stat_ratio(clue_figure(code), r, num, den);
}

/* The total row for v over f (no grouping). */
static ClueStatRow total(Db *db, const ClueViewer *v, const ClueFilter *f) {
  ClueStatRow *rows = NULL;
  size_t n = 0;
  assert_int_equal(clue_stats(db, v, f, "", &rows, &n), CLUE_OK);
  assert_int_equal(n, 1);
  ClueStatRow t = rows[0];
  assert_string_equal(t.label, "合计");
  t.key = t.label = NULL;
  clue_stat_rows_free(rows, n);
  return t;
}

static void test_counts(void **state) {
  Fx *fx = fx_get(state);
  ClueViewer v = viewer(fx->db, fx->xcb, "xcb");
  ClueFilter f = {0};
  ClueStatRow t = total(fx->db, &v, &f);
  /* 2–8 and 10; not the draft, the suggestion, nor 11 / 12 (revoked and
   * expired grants). */
  assert_int_equal(val(&t, "transferred"), 8);
  assert_int_equal(val(&t, "received"), 7);
  assert_int_equal(val(&t, "concluded"), 2); /* 5, 8; not parked 6 */
  assert_int_equal(val(&t, "filed"), 3);     /* 4, 5, 10 */
  assert_int_equal(val(&t, "persons_filed"), 4);
  assert_int_equal(val(&t, "persons_sanctioned"), 1);
  assert_int_equal(val(&t, "persons_procuratorate"), 1);
  assert_int_equal(val(&t, "persons_detained"), 1);
  assert_int_equal(val(&t, "overdue"), 2); /* 2 and 4; 6 falls due today */
  int64_t num, den;
  assert_int_equal(ratio(&t, "concluded_rate", &num, &den), 250);
  assert_int_equal(num, 2);
  assert_int_equal(den, 8);
  /* 成案率, default base: the six clues transferred to the commission. */
  assert_int_equal(ratio(&t, "filing_rate", &num, &den), 500);
  assert_int_equal(num, 3);
  assert_int_equal(den, 6);

  /* The handling official: 4 (granted twice) and 5. */
  v = viewer(fx->db, fx->cbbm, "cbbm");
  t = total(fx->db, &v, &f);
  assert_int_equal(val(&t, "transferred"), 2);
  assert_int_equal(val(&t, "filed"), 2);
  assert_int_equal(val(&t, "persons_filed"), 3);
  assert_int_equal(val(&t, "concluded"), 1);
  assert_int_equal(val(&t, "persons_detained"), 1);
  /* Once the user grant on 5 expires, only 4 is left. */
  clock_set(T0 + 7200);
  v = viewer(fx->db, fx->cbbm, "cbbm");
  t = total(fx->db, &v, &f);
  assert_int_equal(val(&t, "transferred"), 1);
  assert_int_equal(val(&t, "concluded"), 0);
  clock_set(T0);

  /* The county: its own clue; the city's is outside its jurisdiction. */
  v = viewer(fx->db, fx->county, "xcb");
  t = total(fx->db, &v, &f);
  assert_int_equal(val(&t, "transferred"), 1);
  assert_int_equal(val(&t, "filed"), 1);
  /* With no jurisdiction fence (SCOPE_ALL) the city's clue counts too. */
  v.scope = SCOPE_ALL;
  t = total(fx->db, &v, &f);
  assert_int_equal(val(&t, "transferred"), 2);
}

static void test_no_grants(void **state) {
  Fx *fx = fx_get(state);
  ClueFilter f = {0};
  /* An office without grants, a team member who sees only a draft and a
   * suggestion, nobody logged in, and a role without the permission. */
  ClueViewer vs[4];
  vs[0] = viewer(fx->db, fx->nobody, "dfzf");
  vs[1] = viewer(fx->db, fx->team_member, "xcz_member");
  memset(&vs[2], 0, sizeof vs[2]);
  vs[3] = viewer(fx->db, fx->xcb, "xcb");
  vs[3].scope = SCOPE_NONE;
  for (size_t k = 0; k < JX_COUNT(vs); k++) {
    ClueStatRow t = total(fx->db, &vs[k], &f);
    for (size_t i = 0; i < n_clue_figures; i++)
      assert_int_equal(t.value[i], 0);
    int64_t num, den;
    assert_int_equal(ratio(&t, "filing_rate", &num, &den), -1);
    assert_int_equal(ratio(&t, "concluded_rate", &num, &den), -1);
    /* Grouped: no group rows, a zero total. */
    ClueStatRow *rows = NULL;
    size_t n = 0;
    assert_int_equal(clue_stats(fx->db, &vs[k], &f, "round", &rows, &n),
                     CLUE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].value[0], 0);
    clue_stat_rows_free(rows, n);
  }
}

static void test_settings(void **state) {
  Fx *fx = fx_get(state);
  ClueViewer v = viewer(fx->db, fx->xcb, "xcb");
  ClueFilter f = {0};
  Buf err = BUF_INIT, def = BUF_INIT;
  int64_t num, den;
  clue_figure_definition(fx->db, clue_figure("filing_rate"), &def);
  assert_non_null(strstr(buf_str(&def), "clue.filing_rate_base = 1"));
  assert_non_null(strstr(buf_str(&def), "移交纪委监委"));
  buf_clear(&def);
  clue_figure_definition(fx->db, clue_figure("concluded_rate"), &def);
  assert_non_null(strstr(buf_str(&def), "clue.concluded_counts_parked = 0"));
  assert_non_null(strstr(buf_str(&def), "不计入"));
  buf_clear(&def);

  /* Base 2: every transferred clue is in the denominator. */
  assert_int_equal(setting_put(fx->db, "clue.filing_rate_base", "2", &err),
                   0);
  ClueStatRow t = total(fx->db, &v, &f);
  assert_int_equal(ratio(&t, "filing_rate", &num, &den), 375);
  assert_int_equal(num, 3);
  assert_int_equal(den, 8);
  clue_figure_definition(fx->db, clue_figure("filing_rate"), &def);
  assert_non_null(strstr(buf_str(&def), "clue.filing_rate_base = 2"));
  assert_non_null(strstr(buf_str(&def), "全部移交线索"));
  buf_clear(&def);

  /* Parked clues counted as concluded. */
  assert_int_equal(
      setting_put(fx->db, "clue.concluded_counts_parked", "1", &err), 0);
  t = total(fx->db, &v, &f);
  assert_int_equal(val(&t, "concluded"), 3);
  assert_int_equal(ratio(&t, "concluded_rate", &num, &den), 375);
  clue_figure_definition(fx->db, clue_figure("concluded"), &def);
  assert_non_null(strstr(buf_str(&def), "clue.concluded_counts_parked = 1"));
  assert_null(strstr(buf_str(&def), "不计入"));
  buf_release(&def);
  buf_release(&err);
}

/* Each grouping partitions the visible clues: its rows add up to the
** total, and the order is largest first. */
static void test_groups(void **state) {
  Fx *fx = fx_get(state);
  ClueViewer v = viewer(fx->db, fx->xcb, "xcb");
  ClueFilter f = {0};
  ClueStatRow *rows = NULL;
  size_t n = 0;
  assert_int_equal(clue_stats(fx->db, &v, &f, "round", &rows, &n), CLUE_OK);
  assert_int_equal(n, 3);
  assert_string_equal(rows[0].key, "1");
  assert_string_equal(rows[0].label, "五届市委第二轮巡察");
  assert_int_equal(val(&rows[0], "transferred"), 7);
  assert_string_equal(rows[1].key, "2");
  assert_int_equal(val(&rows[1], "transferred"), 1);
  assert_string_equal(rows[2].label, "合计");
  assert_int_equal(val(&rows[2], "transferred"), 8);
  assert_int_equal(val(&rows[2], "persons_filed"), 4);
  int64_t num, den;
  assert_int_equal(ratio(&rows[1], "filing_rate", &num, &den), 1000);
  clue_stat_rows_free(rows, n);

  assert_int_equal(clue_stats(fx->db, &v, &f, "team", &rows, &n), CLUE_OK);
  assert_int_equal(n, 4);
  assert_string_equal(rows[0].key, "1"); /* 2, 3, 6, 7 */
  assert_int_equal(val(&rows[0], "transferred"), 4);
  assert_non_null(strstr(rows[0].label, "第一巡察组"));
  assert_non_null(strstr(rows[0].label, "五届市委第二轮巡察"));
  assert_string_equal(rows[1].key, "2"); /* 4, 5, 8 */
  assert_int_equal(val(&rows[1], "filed"), 2);
  assert_int_equal(val(&rows[3], "transferred"), 8);
  clue_stat_rows_free(rows, n);

  assert_int_equal(clue_stats(fx->db, &v, &f, "unit", &rows, &n), CLUE_OK);
  assert_int_equal(n, 4);
  assert_string_equal(rows[0].label, "明澜市住建局");
  assert_int_equal(val(&rows[3], "overdue"), 2);
  clue_stat_rows_free(rows, n);

  /* Jurisdictions are subtrees: the city's row includes the county's
   * clue (as the ledger's jurisdiction filter does); the total does not
   * count it twice. */
  assert_int_equal(clue_stats(fx->db, &v, &f, "jurisdiction", &rows, &n),
                   CLUE_OK);
  assert_int_equal(n, 3);
  assert_string_equal(rows[0].key, "ML");
  assert_string_equal(rows[0].label, "明澜市");
  assert_int_equal(val(&rows[0], "transferred"), 8);
  assert_string_equal(rows[1].key, "ML.BL");
  assert_int_equal(val(&rows[1], "transferred"), 1);
  assert_int_equal(val(&rows[2], "transferred"), 8);
  clue_stat_rows_free(rows, n);

  assert_int_equal(clue_stats(fx->db, &v, &f, "sector", &rows, &n),
                   CLUE_EINVALID);
}

static void test_filters(void **state) {
  Fx *fx = fx_get(state);
  ClueViewer v = viewer(fx->db, fx->xcb, "xcb");
  ClueFilter f = {.round_id = 2};
  ClueStatRow t = total(fx->db, &v, &f);
  assert_int_equal(val(&t, "transferred"), 1);
  f = (ClueFilter){.team_id = 2};
  t = total(fx->db, &v, &f);
  assert_int_equal(val(&t, "transferred"), 3);
  f = (ClueFilter){.unit_id = 1};
  t = total(fx->db, &v, &f);
  assert_int_equal(val(&t, "transferred"), 4);
  f = (ClueFilter){.jurisdiction = "ML.BL"};
  t = total(fx->db, &v, &f);
  assert_int_equal(val(&t, "transferred"), 1);
  f = (ClueFilter){.jurisdiction = "ML"};
  t = total(fx->db, &v, &f);
  assert_int_equal(val(&t, "transferred"), 8);
  /* The period is on the transfer date, both ends inclusive. */
  f = (ClueFilter){.from = "2026-02-01", .to = "2026-03-01"};
  t = total(fx->db, &v, &f); /* 2, 6, 7, 8 */
  assert_int_equal(val(&t, "transferred"), 4);
  assert_int_equal(val(&t, "concluded"), 1);
  f = (ClueFilter){.to = "2026-01-31"};
  t = total(fx->db, &v, &f); /* 5 */
  assert_int_equal(val(&t, "transferred"), 1);
  assert_int_equal(val(&t, "persons_procuratorate"), 1);
}

/* Every figure equals the ledger's count for its click-through under the
** same filters: the two share one predicate (CLUE_FIG_WHERE). */
static void test_drill_matches_ledger(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  const int64_t users[] = {fx->xcb, fx->cbbm, fx->county, fx->nobody};
  const char *roles[] = {"xcb", "cbbm", "xcb", "dfzf"};
  const ClueFilter filters[] = {
      {0}, {.round_id = 1}, {.jurisdiction = "ML.BL"},
      {.from = "2026-02-01", .to = "2026-03-31"}};
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1) { /* and under the other settings */
      assert_int_equal(
          setting_put(fx->db, "clue.filing_rate_base", "2", &err), 0);
      assert_int_equal(
          setting_put(fx->db, "clue.concluded_counts_parked", "1", &err), 0);
    }
    for (size_t u = 0; u < JX_COUNT(users); u++) {
      ClueViewer v = viewer(fx->db, users[u], roles[u]);
      for (size_t k = 0; k < JX_COUNT(filters); k++) {
        ClueStatRow t = total(fx->db, &v, &filters[k]);
        for (size_t i = 0; i < n_clue_figures; i++) {
          const ClueFigure *fig = &clue_figures[i];
          if (str_eq(fig->kind, "persons")) continue; /* counts persons */
          ClueFilter lf = filters[k];
          lf.fig = fig->drill;
          ClueRow *rows = NULL;
          size_t n = 0;
          int64_t count = -1;
          assert_int_equal(clue_ledger(fx->db, &v, &lf, 100, 0, &rows, &n,
                                       &count),
                           CLUE_OK);
          clue_rows_free(rows, n);
          int64_t want = t.value[i];
          if (str_eq(fig->kind, "ratio")) {
            int64_t num, den;
            clue_stat_ratio(fig, &t, &num, &den);
            want = num;
          }
          if (count != want)
            fail_msg("user %zu filter %zu pass %d: %s = %lld, ledger %lld", u,
                     k, pass, fig->code, (long long)want, (long long)count);
        }
      }
    }
  }
  buf_release(&err);
}

#define BOTH(fn)                                                  \
  cmocka_unit_test_setup_teardown(fn, setup_sqlite, teardown), \
      cmocka_unit_test_setup_teardown(fn, setup_pg, teardown)

int main(void) {
  clue_ledger_cache = 0; /* the tests write behind the totals cache */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_table),
      BOTH(test_counts),
      BOTH(test_no_grants),
      BOTH(test_settings),
      BOTH(test_groups),
      BOTH(test_filters),
      BOTH(test_drill_matches_ledger),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
