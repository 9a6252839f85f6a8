/* test_audit.c: the audit chain on SQLite and PostgreSQL: append and
** verify, every kind of tampering, the guards, rollback, retention,
** concurrent writers and search (audit/audit.c). */
#include "unit.h"

#include <pthread.h>

#include "audit/audit.h"
#include "audit/audit_queue.h"
#include "audit/audit_retention.h"
#include "domain/settings.h"
#include "auth/crypto.h"
#include "store/store.h"

#define T0 1704067200 /* 2024-01-01T00:00:00Z */
#define DAY 86400

/* ---- fixtures: a fresh, migrated database per test ---- */

typedef struct Fx {
  int pg;    /* 1 for PostgreSQL */
  char *dir; /* SQLite: temporary directory */
  char *loc; /* location passed to db_open */
  Db *db;    /* the connection under test */
  Keys k;    /* test keys */
} Fx;

static void fx_keys(Keys *k) {
  for (int i = 0; i < KEY_BYTES; i++) {
    k->audit_mac_key[i] = (unsigned char)(i * 3 + 1);
    k->data_key[i] = (unsigned char)(i * 5 + 2);
  }
}

static Fx *fx_open(int pg) {
  Fx *fx = xcalloc(1, sizeof *fx);
  Buf err = BUF_INIT;
  int applied = 0;
  fx->pg = pg;
  fx_keys(&fx->k);
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
  clock_set(0);
  return fx;
}

UNIT_FIXTURE(Fx, fx_open)

/* ---- helpers ---- */

static void append_n(Fx *fx, int n, const char *action) {
  for (int i = 1; i <= n; i++) {
    char summary[64];
    snprintf(summary, sizeof summary, "查看线索 %d 的详情", i);
    AuditEvent ev = {.user_id = 10 + i % 3,
                     .login = i % 3 ? "zhangsan" : "lisi",
                     .role = "ags",
                     .source = "192.0.2.7",
                     .action = action,
                     .object_type = "clue",
                     .object_id = i,
                     .outcome = i % 5 ? AUDIT_OK : AUDIT_DENIED,
                     .summary = summary};
    assert_int_equal(audit_append(fx->db, &fx->k, &ev), DB_OK);
  }
}

static void append_one(Fx *fx, const char *action, const char *summary) {
  AuditEvent ev = {.user_id = 1,
                   .login = "admin",
                   .role = "auditor",
                   .source = "cli",
                   .action = action,
                   .outcome = AUDIT_OK,
                   .summary = summary};
  assert_int_equal(audit_append(fx->db, &fx->k, &ev), DB_OK);
}

/* Verify and expect a break at first_bad (0: expect intact, with rows). */
static void expect_verify(Fx *fx, int64_t want_rows, int64_t want_bad,
                          const char *why_part) {
  int64_t rows = -1, bad = -1;
  Buf why = BUF_INIT;
  int rc = audit_verify(fx->db, &fx->k, &rows, &bad, &why);
  if (want_rows >= 0) {
    if (rc != 0)
      fail_msg("verify failed at %lld: %s", (long long)bad, buf_str(&why));
    assert_int_equal(rows, want_rows);
    assert_int_equal(bad, 0);
  } else {
    if (rc != 1)
      fail_msg("verify rc %d (%s), expected a break", rc, buf_str(&why));
    if (bad != want_bad)
      fail_msg("break at %lld (%s), expected %lld", (long long)bad,
               buf_str(&why), (long long)want_bad);
    if (why_part && !strstr(buf_str(&why), why_part))
      fail_msg("why '%s' lacks '%s'", buf_str(&why), why_part);
  }
  buf_release(&why);
}

static int64_t scalar(Fx *fx, const char *sql) {
  Stmt *st = db_prepare(fx->db, sql);
  if (!st) fail_msg("%s: %s", sql, db_errmsg(fx->db));
  assert_int_equal(db_step(st), DB_ROW);
  int64_t v = db_column_int64(st, 0);
  db_finalize(st);
  return v;
}

/* Run sql with up to two int64 parameters (bound, never formatted). */
static int run(Fx *fx, const char *sql, int nparams, int64_t a, int64_t b) {
  Stmt *st = db_prepare(fx->db, sql);
  if (!st) return DB_EERROR;
  if (nparams >= 1) db_bind_int64(st, 1, a);
  if (nparams >= 2) db_bind_int64(st, 2, b);
  int rc = db_step(st);
  db_finalize(st);
  return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

/* Take the guards off, as an attacker with the database owner's rights
** (or a file editor) could: the chain must still tell. */
static void unguard(Fx *fx) {
  if (fx->pg) {
    assert_int_equal(db_exec(fx->db,
                             "ALTER TABLE audit_log DISABLE TRIGGER USER;"
                             "ALTER TABLE audit_head DISABLE TRIGGER USER"),
                     DB_OK);
  } else {
    assert_int_equal(db_exec(fx->db, "DROP TRIGGER audit_log_no_update;"
                                     "DROP TRIGGER audit_log_no_delete;"
                                     "DROP TRIGGER audit_head_no_delete;"
                                     "DROP TRIGGER audit_head_forward_only"),
                     DB_OK);
  }
}

/* ---- the cases ---- */

static void test_append_verify(void **state) {
  Fx *fx = fx_get(state);
  expect_verify(fx, 0, 0, NULL); /* empty log: intact, no head yet */
  append_n(fx, 25, "clue.read");
  expect_verify(fx, 25, 0, NULL);
  assert_int_equal(scalar(fx, "SELECT MIN(id) FROM audit_log"), 1);
  assert_int_equal(scalar(fx, "SELECT MAX(id) FROM audit_log"), 25);
  assert_int_equal(scalar(fx, "SELECT last_id FROM audit_head"), 25);
  /* More than one page of the walk, inside one caller transaction. */
  assert_int_equal(db_begin(fx->db), DB_OK);
  append_n(fx, 1100, "clue.list");
  assert_int_equal(db_commit(fx->db), DB_OK);
  expect_verify(fx, 1125, 0, NULL);
  /* Wrong key: the head's tag fails first. */
  Keys other = fx->k;
  other.audit_mac_key[0] ^= 1;
  int64_t rows, bad;
  Buf why = BUF_INIT;
  assert_int_equal(audit_verify(fx->db, &other, &rows, &bad, &why), 1);
  assert_int_equal(bad, 0);
  buf_release(&why);
  /* An event needs an action and an outcome. */
  AuditEvent ev = {.action = "x"};
  assert_int_not_equal(audit_append(fx->db, &fx->k, &ev), DB_OK);
  ev.action = NULL, ev.outcome = AUDIT_OK;
  assert_int_not_equal(audit_append(fx->db, &fx->k, &ev), DB_OK);
  expect_verify(fx, 1125, 0, NULL);
}

static void test_edit_byte(void **state) {
  Fx *fx = fx_get(state);
  append_n(fx, 10, "clue.read");
  unguard(fx);
  /* One byte of row 5's summary: "查看线索 5 的详情" -> "查看线索 6 的详情". */
  Stmt *st = db_prepare(fx->db, "SELECT summary FROM audit_log WHERE id = 5");
  assert_int_equal(db_step(st), DB_ROW);
  char *s = xstrdup(db_column_text(st, 0));
  db_finalize(st);
  char *digit = strchr(s, '5');
  assert_non_null(digit);
  *digit = '6';
  st = db_prepare(fx->db, "UPDATE audit_log SET summary = ? WHERE id = 5");
  db_bind_text(st, 1, s);
  assert_int_equal(db_step(st), DB_DONE);
  db_finalize(st);
  free(s);
  expect_verify(fx, -1, 5, "被改动");
  /* Even a change of the time alone. */
  assert_int_equal(run(fx,
                       "UPDATE audit_log SET summary = "
                       "(SELECT summary FROM audit_log WHERE id = 4) "
                       "WHERE id = 5",
                       0, 0, 0),
                   DB_OK);
  assert_int_equal(
      run(fx, "UPDATE audit_log SET at = at + 1 WHERE id = 3", 0, 0, 0), DB_OK);
  expect_verify(fx, -1, 3, "被改动");
}

static void test_edit_outcome(void **state) {
  Fx *fx = fx_get(state);
  append_n(fx, 6, "clue.read");
  unguard(fx);
  /* Turning a denial into success: row 5 was 'denied'. */
  assert_int_equal(
      run(fx, "UPDATE audit_log SET outcome = 'ok' WHERE id = ?", 1, 5, 0),
      DB_OK);
  expect_verify(fx, -1, 5, NULL);
}

static void test_delete_middle(void **state) {
  Fx *fx = fx_get(state);
  append_n(fx, 10, "clue.read");
  unguard(fx);
  assert_int_equal(run(fx, "DELETE FROM audit_log WHERE id = ?", 1, 5, 0),
                   DB_OK);
  expect_verify(fx, -1, 5, "缺失");
}

static void test_swap_rows(void **state) {
  Fx *fx = fx_get(state);
  append_n(fx, 10, "clue.read");
  unguard(fx);
  /* Swap every column but the id, macs included, of rows 3 and 7. */
  assert_int_equal(
      run(fx, "UPDATE audit_log SET id = -3 WHERE id = 3", 0, 0, 0), DB_OK);
  assert_int_equal(run(fx, "UPDATE audit_log SET id = 3 WHERE id = 7", 0, 0, 0),
                   DB_OK);
  assert_int_equal(
      run(fx, "UPDATE audit_log SET id = 7 WHERE id = -3", 0, 0, 0), DB_OK);
  expect_verify(fx, -1, 3, NULL);
}

static void test_delete_tail(void **state) {
  Fx *fx = fx_get(state);
  append_n(fx, 10, "clue.read");
  unguard(fx);
  assert_int_equal(run(fx, "DELETE FROM audit_log WHERE id >= ?", 1, 9, 0),
                   DB_OK);
  expect_verify(fx, -1, 9, "截断");
  /* Rewinding the head to match (without the key) is caught too, and
  ** the next append refuses to launder it. */
  assert_int_equal(run(fx,
                       "UPDATE audit_head SET last_id = 8, last_mac = "
                       "(SELECT mac FROM audit_log WHERE id = 8)",
                       0, 0, 0),
                   DB_OK);
  expect_verify(fx, -1, 0, "链头");
  AuditEvent ev = {.action = "clue.read", .outcome = AUDIT_OK};
  assert_int_not_equal(audit_append(fx->db, &fx->k, &ev), DB_OK);
  assert_int_equal(scalar(fx, "SELECT COUNT(*) FROM audit_log"), 8);
}

static void test_insert_extra(void **state) {
  Fx *fx = fx_get(state);
  append_n(fx, 5, "clue.read");
  /* A row past the tail, copying row 5's values: not in the head. */
  assert_int_equal(run(fx,
                       "INSERT INTO audit_log(id, at, user_id, login, role, "
                       "source_addr, action, object_type, object_id, outcome, "
                       "summary, prev_mac, mac) SELECT 6, at, user_id, login, "
                       "role, source_addr, action, object_type, object_id, "
                       "outcome, summary, mac, mac FROM audit_log WHERE id = 5",
                       0, 0, 0),
                   DB_OK);
  expect_verify(fx, -1, 6, "未登记");
}

static void test_guards(void **state) {
  Fx *fx = fx_get(state);
  append_n(fx, 5, "clue.read");
  const char *refused[] = {
      "UPDATE audit_log SET summary = 'x' WHERE id = 2",
      "UPDATE audit_log SET id = id + 100",
      "DELETE FROM audit_log WHERE id = 2",
      "DELETE FROM audit_log",
      "DELETE FROM audit_head",
      "UPDATE audit_head SET last_id = 2",
      "UPDATE audit_head SET first_id = 0",
  };
  for (size_t i = 0; i < JX_COUNT(refused); i++) {
    int rc = run(fx, refused[i], 0, 0, 0);
    if (rc == DB_OK) fail_msg("not refused: %s", refused[i]);
  }
  if (fx->pg) {
    assert_int_not_equal(db_exec(fx->db, "TRUNCATE audit_log"), DB_OK);
    assert_int_not_equal(db_exec(fx->db, "TRUNCATE audit_head"), DB_OK);
  }
  /* The refusal is reported as a permission denial on both backends. */
  assert_int_equal(run(fx, "DELETE FROM audit_log", 0, 0, 0), DB_EDENIED);
  assert_int_equal(run(fx, "UPDATE audit_log SET summary = 'x'", 0, 0, 0),
                   DB_EDENIED);
  /* Nothing changed. */
  assert_int_equal(scalar(fx, "SELECT COUNT(*) FROM audit_log"), 5);
  expect_verify(fx, 5, 0, NULL);
  append_n(fx, 1, "clue.read");
  expect_verify(fx, 6, 0, NULL);
}

static void test_rollback(void **state) {
  Fx *fx = fx_get(state);
  /* The first append ever, rolled back: not even the head remains. */
  assert_int_equal(db_begin(fx->db), DB_OK);
  append_one(fx, "clue.update", "将线索状态改为“初核”");
  assert_int_equal(db_rollback(fx->db), DB_OK);
  assert_int_equal(scalar(fx, "SELECT COUNT(*) FROM audit_log"), 0);
  assert_int_equal(scalar(fx, "SELECT COUNT(*) FROM audit_head"), 0);
  expect_verify(fx, 0, 0, NULL);
  append_n(fx, 3, "clue.read");
  assert_int_equal(db_begin(fx->db), DB_OK);
  append_one(fx, "clue.update", "rolled back");
  append_one(fx, "clue.update", "rolled back too");
  assert_int_equal(db_rollback(fx->db), DB_OK);
  assert_int_equal(scalar(fx, "SELECT COUNT(*) FROM audit_log"), 3);
  /* No gap: the next id is 4. */
  append_one(fx, "clue.update", "kept");
  assert_int_equal(scalar(fx, "SELECT MAX(id) FROM audit_log"), 4);
  expect_verify(fx, 4, 0, NULL);
}

static void test_purge(void **state) {
  Fx *fx = fx_get(state);
  AuditEvent actor = {.user_id = 3,
                      .login = "audit1",
                      .role = "auditor",
                      .source = "cli",
                      .outcome = AUDIT_OK};
  int64_t purged = -1;
  clock_set(T0);
  append_n(fx, 5, "clue.read"); /* rows 1-5 at T0 */
  clock_set(T0 + 100 * DAY);
  append_n(fx, 3, "clue.read"); /* rows 6-8 at T0+100d */
  /* now = T0+101d: a cutoff of T0+10d is only 91 days back. */
  clock_set(T0 + 101 * DAY);
  assert_int_equal(
      audit_purge_before(fx->db, &fx->k, T0 + 10 * DAY, &actor, &purged),
      DB_EDENIED);
  assert_int_equal(purged, 0);
  assert_int_equal(scalar(fx, "SELECT COUNT(*) FROM audit_log"), 8);
  /* now = T0+200d: T0+30d is 170 days back, still refused ... */
  clock_set(T0 + 200 * DAY);
  assert_int_equal(
      audit_purge_before(fx->db, &fx->k, T0 + 30 * DAY, &actor, &purged),
      DB_EDENIED);
  assert_int_equal(scalar(fx, "SELECT COUNT(*) FROM audit_log"), 8);
  /* ... the boundary itself (exactly 180 days) is allowed, and removes
  ** only rows older than the cutoff. */
  assert_int_equal(
      audit_purge_before(fx->db, &fx->k, T0 + 20 * DAY, &actor, &purged),
      DB_OK);
  assert_int_equal(purged, 5);
  assert_int_equal(scalar(fx, "SELECT MIN(id) FROM audit_log"), 6);
  assert_int_equal(scalar(fx, "SELECT COUNT(*) FROM audit_log "
                              "WHERE action = 'audit.purge'"),
                   1);
  expect_verify(fx, 4, 0, NULL); /* rows 6-8 and the purge event */
  /* Nothing younger than 180 days is ever removed, whatever the cutoff. */
  assert_int_equal(
      audit_purge_before(fx->db, &fx->k, T0 + 20 * DAY, &actor, &purged),
      DB_OK);
  assert_int_equal(purged, 0);
  expect_verify(fx, 5, 0, NULL);
  /* The purge window does not open deletes of kept rows. */
  assert_int_not_equal(run(fx, "DELETE FROM audit_log WHERE id = 6", 0, 0, 0),
                       DB_OK);
  /* Deleting the new first row (guards off) is detected. */
  unguard(fx);
  assert_int_equal(run(fx, "DELETE FROM audit_log WHERE id = 6", 0, 0, 0),
                   DB_OK);
  expect_verify(fx, -1, 6, "缺失");
  /* A row slipped in below the start is detected as well. */
  assert_int_equal(run(fx,
                       "INSERT INTO audit_log(id, at, action, outcome, "
                       "prev_mac, mac) SELECT 2, at, action, outcome, "
                       "prev_mac, mac FROM audit_log WHERE id = 7",
                       0, 0, 0),
                   DB_OK);
  expect_verify(fx, -1, 2, "之前");
}

static void test_purge_refuses_broken(void **state) {
  Fx *fx = fx_get(state);
  AuditEvent actor = {.login = "audit1", .outcome = AUDIT_OK};
  clock_set(T0);
  append_n(fx, 4, "clue.read");
  unguard(fx);
  assert_int_equal(
      run(fx, "UPDATE audit_log SET summary = 'x' WHERE id = 2", 0, 0, 0),
      DB_OK);
  clock_set(T0 + 365 * DAY);
  int64_t purged = -1;
  /* Purging the altered row would destroy the evidence: refused. */
  assert_int_not_equal(
      audit_purge_before(fx->db, &fx->k, T0 + DAY, &actor, &purged), DB_OK);
  assert_int_equal(scalar(fx, "SELECT COUNT(*) FROM audit_log"), 4);
  expect_verify(fx, -1, 2, NULL);
}

static void test_text_hygiene(void **state) {
  Fx *fx = fx_get(state);
  append_one(fx, "clue.read", "第一行\n伪造的第二行\x1b[31m\xff");
  char *longer = xmalloc(10001);
  memset(longer, 'a', 10000);
  longer[10000] = 0;
  append_one(fx, "clue.read", longer);
  free(longer);
  AuditRow *rows = NULL;
  size_t n = 0;
  AuditFilter f = {0};
  assert_int_equal(audit_search(fx->db, &f, &rows, &n, NULL), DB_OK);
  assert_int_equal(n, 2);
  assert_true(strlen(rows[0].summary) <= 4000);
  assert_true(str_starts(rows[0].summary, "aaaa"));
  assert_non_null(strstr(rows[0].summary, "…"));
  assert_string_equal(rows[1].summary, "第一行\\x0a伪造的第二行\\x1b[31m\\xff");
  audit_rows_free(rows, n);
  expect_verify(fx, 2, 0, NULL);
}

static void test_search(void **state) {
  Fx *fx = fx_get(state);
  clock_set(T0);
  append_n(fx, 30, "clue.read"); /* users 10,11,12; every 5th denied */
  clock_set(T0 + DAY);
  append_n(fx, 6, "clue.update");
  AuditRow *rows = NULL;
  size_t n = 0;
  int64_t total = -1;
  AuditFilter f = {0};
  /* Everything, default page, newest first. */
  assert_int_equal(audit_search(fx->db, &f, &rows, &n, &total), DB_OK);
  assert_int_equal(total, 36);
  assert_int_equal(n, 36);
  assert_int_equal(rows[0].id, 36);
  assert_string_equal(rows[0].action, "clue.update");
  assert_string_equal(rows[0].role, "ags");
  assert_string_equal(rows[0].source, "192.0.2.7");
  assert_int_equal(rows[0].at, T0 + DAY);
  audit_rows_free(rows, n);
  /* Filters combine. */
  f.action = "clue.read";
  f.outcome = AUDIT_DENIED;
  assert_int_equal(audit_search(fx->db, &f, &rows, &n, &total), DB_OK);
  assert_int_equal(total, 6);
  for (size_t i = 0; i < n; i++)
    assert_int_equal(rows[i].outcome, AUDIT_DENIED);
  audit_rows_free(rows, n);
  f = (AuditFilter){.user_id = 10, .login = "lisi"};
  assert_int_equal(audit_search(fx->db, &f, &rows, &n, &total), DB_OK);
  assert_int_equal(total, 12); /* i % 3 == 0: 10 of 30 plus 2 of 6 */
  audit_rows_free(rows, n);
  f = (AuditFilter){.object_type = "clue", .object_id = 4};
  assert_int_equal(audit_search(fx->db, &f, &rows, &n, &total), DB_OK);
  assert_int_equal(total, 2);
  audit_rows_free(rows, n);
  f = (AuditFilter){.from = T0 + DAY};
  assert_int_equal(audit_search(fx->db, &f, &rows, &n, &total), DB_OK);
  assert_int_equal(total, 6);
  audit_rows_free(rows, n);
  /* A window ending in the past is read through the at index (the open
   * one above along the ids): the same order, newest first. */
  f = (AuditFilter){.to = T0 + DAY, .limit = 5};
  assert_int_equal(audit_search(fx->db, &f, &rows, &n, &total), DB_OK);
  assert_int_equal(total, 30);
  assert_int_equal(n, 5);
  for (size_t i = 0; i < n; i++) assert_int_equal(rows[i].id, 30 - (int64_t)i);
  audit_rows_free(rows, n);
  /* Paging. */
  f = (AuditFilter){.limit = 10, .offset = 30};
  assert_int_equal(audit_search(fx->db, &f, &rows, &n, &total), DB_OK);
  assert_int_equal(total, 36);
  assert_int_equal(n, 6);
  assert_int_equal(rows[0].id, 6);
  assert_int_equal(rows[5].id, 1);
  audit_rows_free(rows, n);
  /* No match: an empty, freeable array. */
  f = (AuditFilter){.action = "nothing.like.this"};
  assert_int_equal(audit_search(fx->db, &f, &rows, &n, NULL), DB_OK);
  assert_int_equal(n, 0);
  assert_non_null(rows);
  audit_rows_free(rows, n);
}

/* Two connections appending at once must not fork the chain. */
typedef struct Writer {
  const char *loc;
  const Keys *k;
  int n;
  int failures;
} Writer;

static void *writer_main(void *arg) {
  Writer *w = arg;
  Db *db = NULL;
  Buf err = BUF_INIT;
  if (db_open(w->loc, &db, &err) != 0) {
    w->failures = w->n;
    buf_release(&err);
    return NULL;
  }
  for (int i = 0; i < w->n; i++) {
    AuditEvent ev = {.user_id = 7,
                     .action = "clue.read",
                     .outcome = AUDIT_OK,
                     .summary = "concurrent"};
    int rc = DB_EBUSY;
    for (int attempt = 0; attempt < 20 && rc != DB_OK; attempt++) {
      rc = db_begin(db);
      if (rc == DB_OK) rc = audit_append(db, w->k, &ev);
      if (rc == DB_OK) rc = db_commit(db);
      if (rc != DB_OK) db_rollback(db);
    }
    if (rc != DB_OK) w->failures++;
  }
  db_close(db);
  buf_release(&err);
  return NULL;
}

static void test_concurrent(void **state) {
  Fx *fx = fx_get(state);
  append_n(fx, 1, "clue.read"); /* the head exists */
  Writer w[3];
  pthread_t t[3];
  for (int i = 0; i < 3; i++) {
    w[i] = (Writer){fx->loc, &fx->k, 40, 0};
    assert_int_equal(pthread_create(&t[i], NULL, writer_main, &w[i]), 0);
  }
  for (int i = 0; i < 3; i++) {
    pthread_join(t[i], NULL);
    assert_int_equal(w[i].failures, 0);
  }
  expect_verify(fx, 121, 0, NULL);
}

static void test_first_append_race(void **state) {
  Fx *fx = fx_get(state);
  /* No head yet: concurrent first appends must create exactly one. */
  Writer w[2];
  pthread_t t[2];
  for (int i = 0; i < 2; i++) {
    w[i] = (Writer){fx->loc, &fx->k, 10, 0};
    assert_int_equal(pthread_create(&t[i], NULL, writer_main, &w[i]), 0);
  }
  for (int i = 0; i < 2; i++) {
    pthread_join(t[i], NULL);
    assert_int_equal(w[i].failures, 0);
  }
  expect_verify(fx, 20, 0, NULL);
}

/* ---- the retention job (audit_retention.c) ---- */

static int64_t audit_rows(Fx *fx) {
  Stmt *st = db_prepare(fx->db, "SELECT COUNT(*) FROM audit_log");
  assert_non_null(st);
  assert_int_equal(db_step(st), DB_ROW);
  int64_t n = db_column_int64(st, 0);
  db_finalize(st);
  return n;
}

/* Kept ten years by default; at 180 days the older rows go, the purge is
** recorded, the chain still verifies, and a run with nothing old enough
** writes nothing.  Below 180 days the setting itself is refused. */
static void test_retention(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  int64_t purged = -1;
  clock_set(T0);
  append_n(fx, 5, "clue.read");
  clock_set(T0 + 100 * DAY);
  append_n(fx, 3, "clue.list");
  clock_set(T0 + 200 * DAY);
  assert_int_equal(audit_retention_run(fx->db, &fx->k, "cli", &purged), DB_OK);
  assert_int_equal(purged, 0);
  assert_int_equal(audit_rows(fx), 8);
  assert_int_not_equal(setting_put(fx->db, "audit.retention_days", "179", &err), 0);
  buf_clear(&err);
  if (setting_put(fx->db, "audit.retention_days", "180", &err) != 0)
    fail_msg("setting_put: %s", buf_str(&err));
  assert_int_equal(audit_retention_run(fx->db, &fx->k, "cli", &purged), DB_OK);
  assert_int_equal(purged, 5);
  assert_int_equal(audit_rows(fx), 4); /* the 3 younger rows + the purge */
  expect_verify(fx, 4, 0, NULL);
  Stmt *st = db_prepare(fx->db, "SELECT action, login, source_addr FROM audit_log "
                                "ORDER BY id DESC LIMIT 1");
  if (!st) fail_msg("%s", db_errmsg(fx->db));
  assert_int_equal(db_step(st), DB_ROW);
  assert_string_equal(db_column_text(st, 0), "audit.purge");
  assert_string_equal(db_column_text(st, 1), "system");
  assert_string_equal(db_column_text(st, 2), "cli");
  db_finalize(st);
  assert_int_equal(audit_retention_run(fx->db, &fx->k, "cli", &purged), DB_OK);
  assert_int_equal(purged, 0);
  assert_int_equal(audit_rows(fx), 4);
  /* 179 days later the rows of day 100 are still younger than 180 days. */
  clock_set(T0 + 279 * DAY);
  assert_int_equal(audit_retention_run(fx->db, &fx->k, "cli", &purged), DB_OK);
  assert_int_equal(purged, 0);
  clock_set(T0 + 281 * DAY);
  assert_int_equal(audit_retention_run(fx->db, &fx->k, "cli", &purged), DB_OK);
  assert_int_equal(purged, 3);
  buf_release(&err);
}

/* ---- the group-commit queue (audit_queue.c) ---- */

static const char *queue_loc; /* the database the writer opens */
static Db *queue_db;          /* its connection, on the writer thread */
static pthread_mutex_t queue_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_cv = PTHREAD_COND_INITIALIZER;
static int queue_done;

static Db *queue_open(void) {
  Buf err = BUF_INIT;
  if (!queue_db && db_open(queue_loc, &queue_db, &err) != 0)
    queue_db = NULL;
  buf_release(&err);
  return queue_db;
}

static void queue_job_done(AuditJob *job) {
  pthread_mutex_lock(&queue_mu);
  (*(int *)job->cls)++; /* times this job was answered */
  queue_done++;
  pthread_cond_signal(&queue_cv);
  pthread_mutex_unlock(&queue_mu);
}

static void queue_wait(int n) {
  pthread_mutex_lock(&queue_mu);
  while (queue_done < n) pthread_cond_wait(&queue_cv, &queue_mu);
  pthread_mutex_unlock(&queue_mu);
}

/* Forty reads queued at once: each answered exactly once, written in the
** order queued, the chain intact; a bad event among them fails alone. */
static void test_queue(void **state) {
  Fx *fx = fx_get(state);
  enum { N = 40, BAD = 17 };
  AuditJob *jobs[N];
  int answered[N] = {0};
  queue_loc = fx->loc;
  queue_db = NULL;
  queue_done = 0;
  assert_int_equal(audit_queue_start(queue_open, &fx->k), 0);
  for (int i = 0; i < N; i++) {
    char summary[64];
    snprintf(summary, sizeof summary, "GET /clues/%d", i);
    AuditEvent ev = {.user_id = 7, .login = "xcb", .role = "xcb",
                     .source = "192.0.2.9",
                     .action = i == BAD ? NULL : "clue.read",
                     .object_type = "clue", .object_id = i,
                     .outcome = AUDIT_OK, .summary = summary};
    jobs[i] = audit_job_new(&ev);
    jobs[i]->done = queue_job_done;
    jobs[i]->cls = &answered[i];
    audit_queue_submit(jobs[i]);
  }
  queue_wait(N);
  audit_queue_stop();
  /* After the stop a job is refused at once, not left waiting. */
  int late_answered = 0;
  AuditEvent late_ev = {.action = "clue.read", .outcome = AUDIT_OK};
  AuditJob *late = audit_job_new(&late_ev);
  late->done = queue_job_done;
  late->cls = &late_answered;
  audit_queue_submit(late);
  assert_int_equal(late_answered, 1);
  assert_int_not_equal(late->rc, DB_OK);
  audit_job_free(late);
  long long batches = 0, rows = 0;
  audit_queue_stats(&batches, &rows);
  assert_true(batches >= 1 && rows >= N);
  for (int i = 0; i < N; i++) {
    assert_int_equal(answered[i], 1);
    if (i == BAD) assert_int_not_equal(jobs[i]->rc, DB_OK);
    else assert_int_equal(jobs[i]->rc, DB_OK);
    audit_job_free(jobs[i]);
  }
  db_close(queue_db);
  queue_db = NULL;
  expect_verify(fx, N - 1, 0, NULL);
  /* In the order queued. */
  Stmt *st = db_prepare(fx->db, "SELECT object_id FROM audit_log ORDER BY id");
  assert_non_null(st);
  int64_t want = 0;
  while (db_step(st) == DB_ROW) {
    if (want == BAD) want++;
    assert_int_equal(db_column_int64(st, 0), want++);
  }
  db_finalize(st);
  assert_int_equal(want, N);
}

#define BOTH(fn)                                                               \
  cmocka_unit_test_setup_teardown(fn, setup_sqlite, teardown),                 \
      cmocka_unit_test_setup_teardown(fn, setup_pg, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      BOTH(test_append_verify),
      BOTH(test_edit_byte),
      BOTH(test_edit_outcome),
      BOTH(test_delete_middle),
      BOTH(test_swap_rows),
      BOTH(test_delete_tail),
      BOTH(test_insert_extra),
      BOTH(test_guards),
      BOTH(test_rollback),
      BOTH(test_purge),
      BOTH(test_purge_refuses_broken),
      BOTH(test_text_hygiene),
      BOTH(test_search),
      BOTH(test_concurrent),
      BOTH(test_first_append_race),
      BOTH(test_queue),
      BOTH(test_retention),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
