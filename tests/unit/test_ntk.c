/* test_ntk.c: need-to-know and jurisdiction scope (auth/ntk.c) on SQLite
** and PostgreSQL.  No protected record type exists yet, so each test
** makes a fixture table and queries it with statements built from the
** same macros a module splices into its catalogue entries: outside the
** access list a row is absent from lists, counts and searches, and
** ntk_can_see says no; grants, office grants, expiry, revocation and the
** jurisdiction subtree each change exactly what they should. */
#include "unit.h"

#include "auth/ntk.h"
#include "store/store.h"

#define T0 1767225600 /* 2026-01-01T00:00:00Z */

/* ---- the fixture ---- */

/* The rows of ntk_fixture: id, jurisdiction, title.  "MLX" is a sibling
** city whose code merely starts with "ML"; ML.BL.XZ is a town under a
** county. */
static const struct {
  int64_t id;
  const char *jur, *title;
} rows[] = {
    {1, "ML", "市本级线索甲"},           {2, "ML.BL", "北岭县线索乙"},
    {3, "ML.NS", "南山区线索丙"},        {4, "MLX", "邻市线索丁"},
    {5, "ML.BL.XZ", "北岭县溪镇线索戊"}, {6, "QT", "外市线索己"},
};

/* The users: jurisdiction and office. */
enum { U_CITY, U_COUNTY, U_COUNTY2, U_OTHER, U_NOJUR, U_SEC, U_COUNT };
static const struct {
  const char *login, *name, *jur, *office;
} users[U_COUNT] = {
    {"city", "市纪委·甄一", "ML", "ML.XCB"},
    {"county", "北岭县纪委·甄二", "ML.BL", "ML.BL.JW"},
    {"county2", "北岭县纪委·甄三", "ML.BL", "ML.BL.JW"},
    {"other", "南山区纪委·甄四", "ML.NS", "ML.NS.JW"},
    {"nojur", "未分配·甄五", NULL, NULL},
    {"sec", "安全管理员·甄六", "ML", "ML.AQ"},
};

typedef struct Fx {
  int pg;
  char *dir; /* SQLite: temporary directory */
  char *loc;
  Db *db;
  int64_t uid[U_COUNT];
} Fx;

static void exec_ok(Db *db, const char *sql) {
  if (db_exec(db, sql) != DB_OK) fail_msg("%s: %s", sql, db_errmsg(db));
}

static Fx *fx_open(int pg) {
  Fx *fx = xcalloc(1, sizeof *fx);
  Buf err = BUF_INIT;
  int applied = 0;
  fx->pg = pg;
  if (pg) {
    fx->loc = unit_pg_fresh_url(); /* the cluster is thrown away after */
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

  exec_ok(fx->db,
          "CREATE TABLE ntk_fixture (id BIGINT PRIMARY KEY, "
          "jurisdiction_code TEXT NOT NULL, title TEXT NOT NULL, "
          "created_by BIGINT NOT NULL DEFAULT 0)");
  Stmt *st =
      db_prepare(fx->db,
                 "INSERT INTO app_user(login, display_name, "
                 "office_code, jurisdiction_code, status, "
                 "password_hash, password_changed_at, created_at) "
                 "VALUES (?, ?, ?, ?, 'active', 'x', 0, 0) RETURNING id");
  assert_non_null(st);
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
  st = db_prepare(fx->db,
                  "INSERT INTO ntk_fixture(id, jurisdiction_code, title, "
                  "created_by) VALUES (?, ?, ?, ?)");
  assert_non_null(st);
  for (size_t i = 0; i < JX_COUNT(rows); i++) {
    db_reset(st);
    db_bind_int64(st, 1, rows[i].id);
    db_bind_text(st, 2, rows[i].jur);
    db_bind_text(st, 3, rows[i].title);
    /* The city user created rows 1 and 2, the county user row 5. */
    db_bind_int64(st, 4,
                  rows[i].id == 5   ? fx->uid[U_COUNTY]
                  : rows[i].id <= 2 ? fx->uid[U_CITY]
                                    : 0);
    assert_int_equal(db_step(st), DB_DONE);
  }
  db_finalize(st);
  return fx;
}

UNIT_FIXTURE(Fx, fx_open)

/* A subject for user u with roles at the current clock. */
static NtkSubject subject(Fx *fx, int u, const char *roles) {
  NtkSubject who;
  assert_int_equal(ntk_subject_load(fx->db, fx->uid[u], roles, &who), 0);
  return who;
}

/* ---- the statements a module would write ---- */

#define FIXTURE_WHERE            \
  NTK_VISIBLE("fixture", "t.id") \
  " AND " JUR_WITHIN("t.jurisdiction_code") " AND " NTK_OWNED("t.created_by")

static const char *const SQL_LIST =
    "SELECT t.id FROM ntk_fixture t WHERE " FIXTURE_WHERE " ORDER BY t.id";
static const char *const SQL_COUNT =
    "SELECT COUNT(*) FROM ntk_fixture t WHERE " FIXTURE_WHERE;
static const char *const SQL_SEARCH =
    "SELECT t.id FROM ntk_fixture t WHERE t.title LIKE ? AND " FIXTURE_WHERE
    " ORDER BY t.id";

/* Bind the three predicates from index i; returns the next index. */
static int bind_all(Stmt *st, int i, const NtkSubject *who, Scope sc) {
  i = ntk_bind(st, i, who);
  i = ntk_bind_jur(st, i, who, sc);
  return ntk_bind_owned(st, i, who, sc);
}

/* The ids the list (or, with like set, the search) returns, as "1,2,5".
** Caller frees. */
static char *ids_of(Fx *fx, const NtkSubject *who, Scope sc, const char *like) {
  Stmt *st = db_prepare(fx->db, like ? SQL_SEARCH : SQL_LIST);
  if (!st) fail_msg("prepare: %s", db_errmsg(fx->db));
  int i = 1;
  if (like) db_bind_text(st, i++, like);
  i = bind_all(st, i, who, sc);
  assert_int_equal(i - 1, (like ? 1 : 0) + NTK_VISIBLE_NPARAMS +
                              JUR_WITHIN_NPARAMS + NTK_OWNED_NPARAMS);
  Buf out = BUF_INIT;
  int rc;
  while ((rc = db_step(st)) == DB_ROW)
    buf_printf(&out, "%s%lld", out.len ? "," : "",
               (long long)db_column_int64(st, 0));
  if (rc != DB_DONE) fail_msg("step: %s", db_errmsg(fx->db));
  db_finalize(st);
  if (!out.len) return xstrdup("");
  return buf_detach(&out);
}

static int64_t count_of(Fx *fx, const NtkSubject *who, Scope sc) {
  Stmt *st = db_prepare(fx->db, SQL_COUNT);
  if (!st) fail_msg("prepare: %s", db_errmsg(fx->db));
  bind_all(st, 1, who, sc);
  assert_int_equal(db_step(st), DB_ROW);
  int64_t n = db_column_int64(st, 0);
  db_finalize(st);
  return n;
}

/* The list, the count and the search (every title has "线索") agree on
** want; with a search for a title outside want, nothing is found. */
static void expect_ids(Fx *fx, const NtkSubject *who, Scope sc,
                       const char *want) {
  char *got = ids_of(fx, who, sc, NULL);
  assert_string_equal(got, want);
  free(got);
  got = ids_of(fx, who, sc, "%线索%");
  assert_string_equal(got, want);
  free(got);
  int64_t n = 0;
  for (const char *p = want; *p; p++)
    if (*p == ',') n++;
  assert_int_equal(count_of(fx, who, sc), *want ? n + 1 : 0);
}

/* Rows passing NTK_VISIBLE alone (no other fence to hide a mistake). */
static int64_t ntk_only_count(Fx *fx, const NtkSubject *who) {
  Stmt *st = db_prepare(
      fx->db, "SELECT COUNT(*) FROM ntk_fixture t WHERE " NTK_VISIBLE("fixture",
                                                                      "t.id"));
  if (!st) fail_msg("prepare: %s", db_errmsg(fx->db));
  assert_int_equal(ntk_bind(st, 1, who), 1 + NTK_VISIBLE_NPARAMS);
  assert_int_equal(db_step(st), DB_ROW);
  int64_t n = db_column_int64(st, 0);
  db_finalize(st);
  return n;
}

static void grant_user(Fx *fx, int64_t id, int u) {
  assert_int_equal(ntk_grant_initial(fx->db, "fixture", id, fx->uid[u], NULL,
                                     "承办人", fx->uid[U_CITY], NULL),
                   0);
}

static void grant_all(Fx *fx, int u) {
  for (size_t i = 0; i < JX_COUNT(rows); i++) grant_user(fx, rows[i].id, u);
}

/* ---- tests ---- */

/* Without an access-list entry a record does not exist for anyone. */
static void test_outside_list_absent(void **state) {
  Fx *fx = fx_get(state);
  for (int u = 0; u < U_COUNT; u++) {
    NtkSubject who = subject(fx, u, "xcb");
    expect_ids(fx, &who, SCOPE_ALL, "");
    char *got = ids_of(fx, &who, SCOPE_ALL, "%北岭%");
    assert_string_equal(got, "");
    free(got);
    for (size_t i = 0; i < JX_COUNT(rows); i++)
      assert_false(ntk_can_see(fx->db, &who, "fixture", rows[i].id));
  }
}

/* A user grant shows the row to that user only, in all three queries;
** the same id of another type stays hidden. */
static void test_user_grant(void **state) {
  Fx *fx = fx_get(state);
  grant_user(fx, 2, U_COUNTY);
  NtkSubject county = subject(fx, U_COUNTY, "xcb");
  NtkSubject county2 = subject(fx, U_COUNTY2, "xcb");
  expect_ids(fx, &county, SCOPE_ALL, "2");
  expect_ids(fx, &county2, SCOPE_ALL, "");
  char *got = ids_of(fx, &county, SCOPE_ALL, "%南山%");
  assert_string_equal(got, ""); /* the search finds only what is visible */
  free(got);
  got = ids_of(fx, &county, SCOPE_ALL, "%北岭县线索%");
  assert_string_equal(got, "2");
  free(got);
  assert_true(ntk_can_see(fx->db, &county, "fixture", 2));
  assert_false(ntk_can_see(fx->db, &county, "fixture", 1));
  assert_false(ntk_can_see(fx->db, &county, "other_type", 2));
  assert_false(ntk_can_see(fx->db, &county2, "fixture", 2));
}

/* An office grant covers every user of that office, and no one else. */
static void test_office_grant(void **state) {
  Fx *fx = fx_get(state);
  assert_int_equal(ntk_grant_initial(fx->db, "fixture", 2, 0, "ML.BL.JW",
                                     "承办部门", fx->uid[U_CITY], NULL),
                   0);
  NtkSubject county = subject(fx, U_COUNTY, "xcb");
  NtkSubject county2 = subject(fx, U_COUNTY2, "xcb");
  NtkSubject other = subject(fx, U_OTHER, "xcb");
  NtkSubject nojur = subject(fx, U_NOJUR, "xcb");
  expect_ids(fx, &county, SCOPE_ALL, "2");
  expect_ids(fx, &county2, SCOPE_ALL, "2");
  expect_ids(fx, &other, SCOPE_ALL, "");
  expect_ids(fx, &nojur, SCOPE_ALL, "");
  assert_true(ntk_can_see(fx->db, &county2, "fixture", 2));
  assert_false(ntk_can_see(fx->db, &other, "fixture", 2));
  /* A subject that is nobody (user 0) never matches an office grant's
   * user_id 0, even when it carries that office. */
  NtkSubject ghost = county;
  ghost.user_id = 0;
  expect_ids(fx, &ghost, SCOPE_ALL, "");
  assert_int_equal(ntk_only_count(fx, &ghost), 0);
  assert_int_equal(ntk_only_count(fx, &county2), 1);
  assert_false(ntk_can_see(fx->db, &ghost, "fixture", 2));
  /* Bad arguments write nothing. */
  assert_int_equal(ntk_grant_initial(fx->db, "fixture", 3, fx->uid[U_OTHER],
                                     "ML.NS.JW", "两者都给", 1, NULL),
                   -1);
  assert_int_equal(
      ntk_grant_initial(fx->db, "fixture", 3, 0, NULL, "都没给", 1, NULL), -1);
  assert_int_equal(ntk_grant_initial(fx->db, "Bad-Type", 3, fx->uid[U_OTHER],
                                     NULL, "类型", 1, NULL),
                   -1);
  expect_ids(fx, &other, SCOPE_ALL, "");
}

/* An approved request with an expiry shows the row until then, and not
** from the expiry on. */
static void test_expiry(void **state) {
  Fx *fx = fx_get(state);
  NtkSubject county = subject(fx, U_COUNTY, "xcb");
  NtkSubject sec = subject(fx, U_SEC, "secadmin");
  NtkRequestIn in = {"fixture", 3, NULL, NULL, "协助核查"};
  int64_t rid = 0;
  Buf err = BUF_INIT;
  assert_int_equal(ntk_request(fx->db, &county, &in, &rid, NULL, &err), NTK_OK);
  expect_ids(fx, &county, SCOPE_ALL, ""); /* a request alone shows nothing */
  NtkRequest out;
  assert_int_equal(
      ntk_decide(fx->db, &sec, rid, 1, "同意，限期", T0 + 100, &out, &err),
      NTK_OK);
  assert_string_equal(out.status, "approved");
  assert_true(out.grant_id > 0);
  ntk_request_clear(&out);

  clock_set(T0 + 50);
  county = subject(fx, U_COUNTY, "xcb");
  expect_ids(fx, &county, SCOPE_ALL, "3");
  assert_true(ntk_can_see(fx->db, &county, "fixture", 3));
  clock_set(T0 + 100); /* expires_at itself is already past */
  county = subject(fx, U_COUNTY, "xcb");
  expect_ids(fx, &county, SCOPE_ALL, "");
  assert_false(ntk_can_see(fx->db, &county, "fixture", 3));
  clock_set(T0 + 86400);
  county = subject(fx, U_COUNTY, "xcb");
  expect_ids(fx, &county, SCOPE_ALL, "");

  NtkGrant *g = NULL;
  size_t n = 0;
  assert_int_equal(ntk_list(fx->db, "fixture", 3, &g, &n), DB_OK);
  assert_int_equal(n, 1);
  assert_string_equal(ntk_grant_state(&g[0], jx_now()), "expired");
  assert_int_equal(g[0].approved_by, fx->uid[U_SEC]);
  assert_int_equal(g[0].granted_by, fx->uid[U_COUNTY]);
  assert_int_equal(g[0].request_id, rid);
  ntk_grants_free(g, n);

  /* An expiry already past is refused and nothing is granted. */
  in.object_id = 4;
  assert_int_equal(ntk_request(fx->db, &county, &in, &rid, NULL, &err), NTK_OK);
  buf_clear(&err);
  assert_int_equal(
      ntk_decide(fx->db, &sec, rid, 1, "", jx_now() - 1, NULL, &err),
      NTK_EINVALID);
  assert_true(err.len > 0);
  expect_ids(fx, &county, SCOPE_ALL, "");
  buf_release(&err);
}

/* A revoked grant shows nothing; revoking twice is a conflict; the list
** keeps the record of it. */
static void test_revocation(void **state) {
  Fx *fx = fx_get(state);
  int64_t gid = 0;
  assert_int_equal(ntk_grant_initial(fx->db, "fixture", 1, fx->uid[U_CITY],
                                     NULL, "创建人", fx->uid[U_CITY], &gid),
                   0);
  NtkSubject city = subject(fx, U_CITY, "xcb");
  NtkSubject sec = subject(fx, U_SEC, "secadmin");
  NtkSubject biz = subject(fx, U_COUNTY, "xcb");
  expect_ids(fx, &city, SCOPE_ALL, "1");
  Buf err = BUF_INIT;
  /* Only an approver may revoke; to anyone else the grant is not there. */
  assert_int_equal(ntk_revoke(fx->db, &biz, gid, "越权", NULL, &err),
                   NTK_ENOTFOUND);
  buf_clear(&err);
  assert_int_equal(ntk_revoke(fx->db, &sec, gid, "  ", NULL, &err),
                   NTK_EINVALID); /* a reason is required */
  buf_clear(&err);
  assert_int_equal(ntk_revoke(fx->db, &sec, 999999, "不存在", NULL, &err),
                   NTK_ENOTFOUND);
  buf_clear(&err);
  expect_ids(fx, &city, SCOPE_ALL, "1");
  NtkGrant g;
  clock_set(T0 + 10);
  assert_int_equal(ntk_revoke(fx->db, &sec, gid, "调离岗位", &g, &err), NTK_OK);
  assert_int_equal(g.revoked_at, T0 + 10);
  assert_int_equal(g.revoked_by, fx->uid[U_SEC]);
  assert_string_equal(g.revoke_reason, "调离岗位");
  assert_string_equal(ntk_grant_state(&g, jx_now()), "revoked");
  ntk_grant_clear(&g);
  city = subject(fx, U_CITY, "xcb");
  expect_ids(fx, &city, SCOPE_ALL, "");
  assert_false(ntk_can_see(fx->db, &city, "fixture", 1));
  assert_int_equal(ntk_revoke(fx->db, &sec, gid, "再次撤销", NULL, &err),
                   NTK_ECONFLICT);
  NtkGrant *list = NULL;
  size_t n = 0;
  assert_int_equal(ntk_list(fx->db, "fixture", 1, &list, &n), DB_OK);
  assert_int_equal(n, 1);
  assert_string_equal(list[0].revoke_reason, "调离岗位");
  ntk_grants_free(list, n);
  buf_release(&err);
}

/* Jurisdiction: with every row on everyone's list, the scope alone
** decides; a code that merely starts with the user's is outside. */
static void test_jurisdiction(void **state) {
  Fx *fx = fx_get(state);
  for (int u = 0; u < U_COUNT; u++) grant_all(fx, u);
  NtkSubject county = subject(fx, U_COUNTY, "xcb");
  NtkSubject city = subject(fx, U_CITY, "xcb");
  NtkSubject other = subject(fx, U_OTHER, "xcb");
  NtkSubject nojur = subject(fx, U_NOJUR, "xcb");
  expect_ids(fx, &county, SCOPE_JURISDICTION, "2,5");
  expect_ids(fx, &other, SCOPE_JURISDICTION, "3");
  expect_ids(fx, &city, SCOPE_JURISDICTION, "1,2,3,5");
  expect_ids(fx, &city, SCOPE_ALL, "1,2,3,4,5,6");
  expect_ids(fx, &county, SCOPE_ALL, "1,2,3,4,5,6");
  expect_ids(fx, &city, SCOPE_NONE, "");
  expect_ids(fx, &nojur, SCOPE_JURISDICTION, ""); /* no code: nothing */
  expect_ids(fx, &nojur, SCOPE_ALL, "1,2,3,4,5,6");
  /* The same answers in C, for a record already in hand. */
  for (size_t i = 0; i < JX_COUNT(rows); i++) {
    int64_t id = rows[i].id;
    assert_int_equal(ntk_jur_within(&county, SCOPE_JURISDICTION, rows[i].jur),
                     id == 2 || id == 5);
    assert_int_equal(ntk_jur_within(&city, SCOPE_JURISDICTION, rows[i].jur),
                     id != 4 && id != 6);
    assert_true(ntk_jur_within(&city, SCOPE_ALL, rows[i].jur));
    assert_false(ntk_jur_within(&nojur, SCOPE_JURISDICTION, rows[i].jur));
    assert_false(ntk_jur_within(&city, SCOPE_NONE, rows[i].jur));
  }
  /* A malformed code on the account fences everything out. */
  NtkSubject odd = city;
  str_copy(odd.jurisdiction_code, "ML.", sizeof odd.jurisdiction_code);
  expect_ids(fx, &odd, SCOPE_JURISDICTION, "");
}

/* Need-to-know still filters inside the scope: the city sees its
** subtree, but only the rows it is listed on. */
static void test_ntk_within_scope(void **state) {
  Fx *fx = fx_get(state);
  grant_user(fx, 1, U_CITY);
  grant_user(fx, 5, U_CITY);
  grant_user(fx, 4, U_CITY); /* listed, but outside the subtree */
  grant_user(fx, 3, U_OTHER);
  NtkSubject city = subject(fx, U_CITY, "xcb");
  expect_ids(fx, &city, SCOPE_JURISDICTION, "1,5");
  expect_ids(fx, &city, SCOPE_ALL, "1,4,5");
  NtkSubject other = subject(fx, U_OTHER, "xcb");
  expect_ids(fx, &other, SCOPE_JURISDICTION, "3");
  expect_ids(fx, &other, SCOPE_ALL, "3");
}

/* SCOPE_OWN: the subtree, listed, and created by the user. */
static void test_own_scope(void **state) {
  Fx *fx = fx_get(state);
  grant_all(fx, U_CITY);
  grant_all(fx, U_COUNTY);
  NtkSubject city = subject(fx, U_CITY, "xcb");
  NtkSubject county = subject(fx, U_COUNTY, "xcb");
  expect_ids(fx, &city, SCOPE_OWN, "1,2");
  expect_ids(fx, &county, SCOPE_OWN, "5");
  expect_ids(fx, &county, SCOPE_JURISDICTION, "2,5");
}

/* Requests are accepted uniformly; decisions follow the rules. */
static void test_requests(void **state) {
  Fx *fx = fx_get(state);
  NtkSubject county = subject(fx, U_COUNTY, "xcb");
  NtkSubject sec = subject(fx, U_SEC, "secadmin");
  NtkSubject both = subject(fx, U_CITY, "xcb,secadmin"); /* a future leader */
  NtkSubject biz = subject(fx, U_OTHER, "xcb");
  Buf err = BUF_INIT;
  const char *field = NULL;
  int64_t r_exists = 0, r_missing = 0, id = 0;

  /* The answer is the same for a row that exists and one that does not. */
  NtkRequestIn in = {"fixture", 2, NULL, NULL, "协查需要"};
  assert_int_equal(ntk_request(fx->db, &county, &in, &r_exists, &field, &err),
                   NTK_OK);
  in.object_id = 999;
  assert_int_equal(ntk_request(fx->db, &county, &in, &r_missing, &field, &err),
                   NTK_OK);
  assert_true(r_exists > 0 && r_missing > r_exists);
  assert_int_equal(err.len, 0);

  /* Form errors name their field; duplicates of one's own pending
   * request are refused; nothing else is checked. */
  NtkRequestIn bad[] = {
      {"Fixture", 2, NULL, NULL, "理由"},
      {"fixture", 0, NULL, NULL, "理由"},
      {"fixture", 2, "nobody", NULL, "理由"},
      {"fixture", 2, "other", "ML.X", "理由"},
      {"fixture", 2, NULL, "ML..X", "理由"},
      {"fixture", 2, NULL, NULL, " \n "},
  };
  const char *bad_field[] = {"object_type", "object_id",  "for_user",
                             "for_office",  "for_office", "reason"};
  for (size_t i = 0; i < JX_COUNT(bad); i++) {
    buf_clear(&err);
    assert_int_equal(ntk_request(fx->db, &county, &bad[i], &id, &field, &err),
                     NTK_EINVALID);
    assert_string_equal(field, bad_field[i]);
    assert_true(err.len > 0);
  }
  buf_clear(&err);
  in.object_id = 2;
  assert_int_equal(ntk_request(fx->db, &county, &in, &id, &field, &err),
                   NTK_ECONFLICT);
  /* For another user and for an office: separate requests. */
  int64_t r_other = 0, r_office = 0;
  NtkRequestIn for_other = {"fixture", 2, "other", NULL, "转办"};
  NtkRequestIn for_office = {"fixture", 2, NULL, "ML.XCB", "巡察办跟踪"};
  assert_int_equal(
      ntk_request(fx->db, &county, &for_other, &r_other, NULL, &err), NTK_OK);
  assert_int_equal(
      ntk_request(fx->db, &biz, &for_office, &r_office, NULL, &err), NTK_OK);

  /* The queues. */
  NtkRequest *list = NULL;
  size_t n = 0;
  int64_t total = 0;
  assert_int_equal(
      ntk_requests_mine(fx->db, fx->uid[U_COUNTY], 50, 0, &list, &n, &total),
      DB_OK);
  assert_int_equal(total, 3);
  assert_int_equal(n, 3);
  assert_int_equal(list[0].id, r_other); /* newest first */
  ntk_requests_free(list, n);
  assert_int_equal(ntk_requests_for_approver(fx->db, &sec, "pending", 2, 1,
                                             &list, &n, &total),
                   DB_OK);
  assert_int_equal(total, 4);
  assert_int_equal(n, 2);
  assert_int_equal(list[0].id, r_other);
  assert_int_equal(list[1].id, r_missing);
  ntk_requests_free(list, n);
  assert_int_equal(ntk_requests_for_approver(fx->db, &biz, "pending", 50, 0,
                                             &list, &n, &total),
                   DB_OK);
  assert_int_equal(total, 0); /* not an approver: an empty queue */
  assert_null(list);

  /* Who may decide. */
  buf_clear(&err);
  assert_int_equal(ntk_decide(fx->db, &biz, r_exists, 1, "", 0, NULL, &err),
                   NTK_ENOTFOUND);
  buf_clear(&err);
  assert_int_equal(ntk_decide(fx->db, &sec, 424242, 1, "", 0, NULL, &err),
                   NTK_ENOTFOUND);
  /* "both" filed nothing yet; a request of theirs they may not decide. */
  int64_t r_own = 0;
  NtkRequestIn own = {"fixture", 6, NULL, NULL, "本人需要"};
  assert_int_equal(ntk_request(fx->db, &both, &own, &r_own, NULL, &err),
                   NTK_OK);
  buf_clear(&err);
  assert_int_equal(ntk_decide(fx->db, &both, r_own, 1, "", 0, NULL, &err),
                   NTK_EFORBIDDEN);
  assert_non_null(strstr(buf_str(&err), "本人"));
  /* Nor one for themselves, nor one for their own office. */
  NtkRequestIn for_city = {"fixture", 6, "city", NULL, "请市纪委协助"};
  int64_t r_for_city = 0;
  assert_int_equal(
      ntk_request(fx->db, &county, &for_city, &r_for_city, NULL, &err), NTK_OK);
  buf_clear(&err);
  assert_int_equal(ntk_decide(fx->db, &both, r_for_city, 1, "", 0, NULL, &err),
                   NTK_EFORBIDDEN);
  buf_clear(&err);
  assert_int_equal(ntk_decide(fx->db, &both, r_office, 1, "", 0, NULL, &err),
                   NTK_EFORBIDDEN);

  /* Rejection needs a note; a decided request cannot be decided again. */
  buf_clear(&err);
  assert_int_equal(ntk_decide(fx->db, &sec, r_missing, 0, "", 0, NULL, &err),
                   NTK_EINVALID);
  NtkRequest out;
  assert_int_equal(
      ntk_decide(fx->db, &sec, r_missing, 0, "对象不存在", 0, &out, &err),
      NTK_OK);
  assert_string_equal(out.status, "rejected");
  assert_int_equal(out.grant_id, 0);
  assert_int_equal(out.decided_by, fx->uid[U_SEC]);
  ntk_request_clear(&out);
  buf_clear(&err);
  assert_int_equal(ntk_decide(fx->db, &sec, r_missing, 1, "", 0, NULL, &err),
                   NTK_ECONFLICT);

  /* Approval lists the users and offices asked for. */
  assert_int_equal(ntk_decide(fx->db, &sec, r_exists, 1, "同意", 0, NULL, &err),
                   NTK_OK);
  assert_int_equal(ntk_decide(fx->db, &sec, r_other, 1, "", 0, NULL, &err),
                   NTK_OK);
  assert_int_equal(ntk_decide(fx->db, &sec, r_office, 1, "", 0, NULL, &err),
                   NTK_OK);
  NtkSubject other = subject(fx, U_OTHER, "xcb");
  county = subject(fx, U_COUNTY, "xcb");
  NtkSubject city = subject(fx, U_CITY, "xcb");
  expect_ids(fx, &county, SCOPE_ALL, "2");
  expect_ids(fx, &other, SCOPE_ALL, "2");
  expect_ids(fx, &city, SCOPE_ALL, "2"); /* through the office ML.XCB */
  NtkSubject county2 = subject(fx, U_COUNTY2, "xcb");
  expect_ids(fx, &county2, SCOPE_ALL, "");
  /* A rejected request granted nothing. */
  assert_false(ntk_can_see(fx->db, &county, "fixture", 999));
  assert_int_equal(
      ntk_requests_for_approver(fx->db, &sec, "", 50, 0, &list, &n, &total),
      DB_OK);
  assert_int_equal(total, 6);
  ntk_requests_free(list, n);
  assert_int_equal(ntk_requests_for_approver(fx->db, &sec, "approved", 50, 0,
                                             &list, &n, &total),
                   DB_OK);
  assert_int_equal(total, 3);
  ntk_requests_free(list, n);
  buf_release(&err);
}

/* A decision that fails half-way leaves nothing: the claim of the
** request is rolled back with it (ntk_decide's own transaction). */
static void test_decide_atomic(void **state) {
  Fx *fx = fx_get(state);
  NtkSubject county = subject(fx, U_COUNTY, "xcb");
  NtkSubject sec = subject(fx, U_SEC, "secadmin");
  NtkRequestIn in = {"fixture", 2, NULL, NULL, "协查"};
  int64_t rid = 0;
  Buf err = BUF_INIT;
  assert_int_equal(ntk_request(fx->db, &county, &in, &rid, NULL, &err), NTK_OK);
  /* Make the grant insert fail after the claim succeeded. */
  exec_ok(fx->db, "ALTER TABLE record_access RENAME TO record_access_gone");
  assert_int_equal(ntk_decide(fx->db, &sec, rid, 1, "", 0, NULL, &err),
                   NTK_EDB);
  exec_ok(fx->db, "ALTER TABLE record_access_gone RENAME TO record_access");
  NtkRequest r;
  assert_int_equal(ntk_request_get(fx->db, rid, &r), DB_OK);
  assert_string_equal(r.status, "pending");
  ntk_request_clear(&r);
  buf_release(&err);
}

/* The validators behind the predicates. */
static void test_validators(void **state) {
  (void)state;
  assert_true(ntk_jur_code_valid("ML"));
  assert_true(ntk_jur_code_valid("ML.BL.XZ"));
  assert_true(ntk_jur_code_valid("a_b-1"));
  assert_false(ntk_jur_code_valid(""));
  assert_false(ntk_jur_code_valid(NULL));
  assert_false(ntk_jur_code_valid("ML."));
  assert_false(ntk_jur_code_valid(".ML"));
  assert_false(ntk_jur_code_valid("ML..BL"));
  assert_false(ntk_jur_code_valid("ML%"));
  assert_false(ntk_jur_code_valid("明澜"));
  assert_false(ntk_jur_code_valid(
      "A234567890123456789012345678901234567890123456789012345678901234"));
  assert_true(ntk_type_valid("clue"));
  assert_true(ntk_type_valid("rectify_item2"));
  assert_false(ntk_type_valid("Clue"));
  assert_false(ntk_type_valid("1clue"));
  assert_false(ntk_type_valid("clue'--"));
  assert_false(ntk_type_valid(""));
  assert_false(ntk_type_valid("abcdefghijabcdefghijabcdefghijabc"));
  assert_int_equal(ntk_http_status(NTK_ENOTFOUND), 404);
  assert_int_equal(ntk_http_status(NTK_EFORBIDDEN), 403);
  assert_string_equal(ntk_type_label("fixture"), "fixture");
}

#define BOTH(fn)                                               \
  cmocka_unit_test_setup_teardown(fn, setup_sqlite, teardown), \
      cmocka_unit_test_setup_teardown(fn, setup_pg, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_validators),
      BOTH(test_outside_list_absent),
      BOTH(test_user_grant),
      BOTH(test_office_grant),
      BOTH(test_expiry),
      BOTH(test_revocation),
      BOTH(test_jurisdiction),
      BOTH(test_ntk_within_scope),
      BOTH(test_own_scope),
      BOTH(test_requests),
      BOTH(test_decide_atomic),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
