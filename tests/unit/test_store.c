/* test_store.c: the store layer on SQLite and, given a cluster, PostgreSQL. */
#include "unit.h"

#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "store/store_int.h"

/* ---- fixtures ---- */

/* A test migration on top of the real ones: an identity key, a blob, a
** tree (a table referring to itself), a seeded row, an append-only table
** whose guards differ between the backends, and a table created before
** the table it refers to. */
static const char test_sql[] =
    "CREATE TABLE t_item (\n"
    "  id @ID@,\n"
    "  parent_id BIGINT REFERENCES t_item(id),\n"
    "  name TEXT NOT NULL UNIQUE,\n"
    "  qty BIGINT CHECK (qty <> -1),\n"
    "  data @BLOB@\n"
    ");\n"
    "INSERT INTO t_item(name, qty) VALUES ('种子', 0);\n"
    "CREATE TABLE t_log (\n"
    "  id @ID@,\n"
    "  item_id BIGINT NOT NULL REFERENCES t_item(id),\n"
    "  msg TEXT NOT NULL\n"
    ");\n"
    "-- @if sqlite\n"
    "CREATE TRIGGER t_log_no_update BEFORE UPDATE ON t_log\n"
    "BEGIN SELECT RAISE(ABORT, 'append-only'); END;\n"
    "CREATE TRIGGER t_log_no_delete BEFORE DELETE ON t_log\n"
    "BEGIN SELECT RAISE(ABORT, 'append-only'); END;\n"
    "-- @endif\n"
    "-- @if postgresql\n"
    "CREATE FUNCTION t_log_deny() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN RAISE EXCEPTION 'append-only' USING ERRCODE = '42501'; END $$;\n"
    "CREATE TRIGGER t_log_guard BEFORE UPDATE OR DELETE ON t_log\n"
    "  FOR EACH ROW EXECUTE FUNCTION t_log_deny();\n"
    "-- @endif\n"
    "CREATE TABLE t_early (id @ID@, note TEXT);\n"
    "CREATE TABLE t_late (id @ID@, note TEXT);\n"
    "ALTER TABLE t_early ADD COLUMN late_id BIGINT REFERENCES t_late(id);\n";

static const char broken_sql[] =
    "CREATE TABLE t_half (x BIGINT);\n"
    "CREATE TABLE t_broken (x BIGINT NOT NULL,);\n";

static const EmbeddedFile test_files[] = {
    {"src/store/migrations/9001_test.sql", (const unsigned char *)test_sql,
     sizeof test_sql - 1, "\"t\""},
    {"src/store/migrations/9002_broken.sql", (const unsigned char *)broken_sql,
     sizeof broken_sql - 1, "\"b\""},
};

#define TEST_LATEST 9001

/* How many steps a fresh database takes: the real ones and 9001. */
static int n_migrations(void) {
  int n = 1;
  for (size_t i = 0; i < embedded_count; i++)
    n += str_starts(embedded_files[i].name, "src/store/migrations/");
  return n;
}

static void use_test_migrations(void) {
  migrate_extra = test_files;
  migrate_extra_count = 1;
}

typedef struct Env {
  DbBackend be; /* the backend under test */
  int skip;     /* PostgreSQL wanted but no cluster given */
  char *dir;    /* scratch directory for SQLite files and backups */
  int files;    /* names handed out in dir */
} Env;

static DbBackend sqlite_be = DB_SQLITE, pg_be = DB_POSTGRES;

static int env_setup(void **state) {
  Env *e = xcalloc(1, sizeof *e);
  e->be = *(DbBackend *)*state;
  e->skip = e->be == DB_POSTGRES && !unit_pg_url();
  e->dir = unit_tmpdir();
  use_test_migrations();
  *state = e;
  return 0;
}

static int env_teardown(void **state) {
  Env *e = *state;
  unit_rmtree(e->dir);
  free(e->dir);
  free(e);
  return 0;
}

static Env *env(void **state) {
  Env *e = *state;
  if (e->skip) skip();
  return e;
}

/* A path in the scratch directory that does not exist yet (caller frees). */
static char *scratch_path(Env *e, const char *what) {
  return xasprintf("%s/%s%d", e->dir, what, ++e->files);
}

/* A new database of backend be (caller frees the location). */
static char *fresh_location(Env *e, DbBackend be) {
  return be == DB_POSTGRES ? unit_pg_fresh_url() : scratch_path(e, "db");
}

static Db *open_loc(const char *loc) {
  Db *db = NULL;
  Buf err = BUF_INIT;
  int rc = db_open(loc, &db, &err);
  if (rc != DB_OK) fail_msg("db_open %s: %s", loc, buf_str(&err));
  buf_release(&err);
  return db;
}

/* A fresh database of backend be, migrated when asked. */
static Db *open_fresh_be(Env *e, DbBackend be, int migrate) {
  char *loc = fresh_location(e, be);
  Db *db = open_loc(loc);
  free(loc);
  if (migrate) {
    Buf err = BUF_INIT;
    int applied = 0;
    if (db_migrate(db, &applied, &err) != DB_OK)
      fail_msg("db_migrate: %s", buf_str(&err));
    buf_release(&err);
  }
  return db;
}

static Db *open_fresh(Env *e, int migrate) {
  return open_fresh_be(e, e->be, migrate);
}

static void exec_ok(Db *db, const char *sql) {
  if (db_exec(db, sql) != DB_OK) fail_msg("%s: %s", sql, db_errmsg(db));
}

static Stmt *prep_ok(Db *db, const char *sql) {
  Stmt *st = db_prepare(db, sql);
  if (!st) fail_msg("%s: %s", sql, db_errmsg(db));
  return st;
}

/* The single integer a query returns. */
static int64_t query_int(Db *db, const char *sql) {
  Stmt *st = prep_ok(db, sql);
  int rc = db_step(st);
  if (rc != DB_ROW) fail_msg("%s: %d %s", sql, rc, db_errmsg(db));
  int64_t v = db_column_int64(st, 0);
  db_finalize(st);
  return v;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Table tbl of db as one string: each row's values tagged with their type
** (blobs in hex), rows sorted so that backend collations do not matter. */
static void dump_table(Db *db, const char *tbl, Buf *out) {
  char *sql = xasprintf("SELECT * FROM %s", tbl);
  Stmt *st = prep_ok(db, sql);
  char **rows = NULL;
  size_t n = 0;
  Buf row = BUF_INIT;
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    buf_clear(&row);
    for (int c = 0; c < db_column_count(st); c++) {
      buf_printf(&row, "%s=", db_column_name(st, c));
      switch (db_column_type(st, c)) {
        case DBT_NULL:
          buf_puts(&row, "NULL");
          break;
        case DBT_INT:
          buf_printf(&row, "%lld", (long long)db_column_int64(st, c));
          break;
        case DBT_BLOB: {
          size_t len = 0;
          const unsigned char *p = db_column_blob(st, c, &len);
          buf_puts(&row, "x'");
          for (size_t i = 0; i < len; i++) buf_printf(&row, "%02x", p[i]);
          buf_puts(&row, "'");
          break;
        }
        default:
          buf_printf(&row, "'%s'", db_column_text(st, c));
      }
      buf_puts(&row, "; ");
    }
    rows = xrealloc(rows, (n + 1) * sizeof *rows);
    rows[n++] = buf_detach(&row);
  }
  assert_int_equal(rc, DB_DONE);
  db_finalize(st);
  free(sql);
  if (n) qsort(rows, n, sizeof *rows, cmp_str);
  buf_printf(out, "[%s: %zu rows]\n", tbl, n);
  for (size_t i = 0; i < n; i++) {
    buf_printf(out, "%s\n", rows[i]);
    free(rows[i]);
  }
  free(rows);
  buf_release(&row);
}

/* Whether db has table name (the real schema belongs to other modules;
** the tests use what they find). */
static int has_table(Db *db, const char *name) {
  char *sql = xasprintf("SELECT 1 FROM %s", name);
  Stmt *st = db_prepare(db, sql);
  free(sql);
  db_finalize(st);
  return st != NULL;
}

static const char *const data_tables[] = {
    "setting", "role",   "t_item",    "t_log",
    "t_early", "t_late", "audit_log", "audit_head",
};

static void dump_all(Db *db, Buf *out) {
  for (size_t i = 0; i < JX_COUNT(data_tables); i++)
    if (has_table(db, data_tables[i])) dump_table(db, data_tables[i], out);
}

static void assert_same_data(Db *a, Db *b) {
  Buf da = BUF_INIT, db_ = BUF_INIT;
  dump_all(a, &da);
  dump_all(b, &db_);
  assert_string_equal(buf_str(&da), buf_str(&db_));
  buf_release(&da);
  buf_release(&db_);
}

static const unsigned char blob_bytes[] = {'a', 0, 'b', 0, 0, 0xff, 0x80, 0};
static const char chinese[] = "纪检监察 · 巡察“回头看” 𠀀 ✓";

/* Insert an item; returns its id (explicit when id > 0). */
static int64_t add_item(Db *db, int64_t id, int64_t parent, const char *name,
                        const void *data, size_t n) {
  Stmt *st =
      prep_ok(db, id > 0 ? "INSERT INTO t_item(parent_id, name, qty, "
                           "data, id) VALUES (?, ?, ?, ?, ?) RETURNING id"
                         : "INSERT INTO t_item(parent_id, name, qty, "
                           "data) VALUES (?, ?, ?, ?) RETURNING id");
  if (parent)
    db_bind_int64(st, 1, parent);
  else
    db_bind_null(st, 1);
  db_bind_text(st, 2, name);
  db_bind_int64(st, 3, (int64_t)strlen(name));
  if (data)
    db_bind_blob(st, 4, data, n);
  else
    db_bind_null(st, 4);
  if (id > 0) db_bind_int64(st, 5, id);
  int rc = db_step(st);
  if (rc != DB_ROW) fail_msg("add_item %s: %d %s", name, rc, db_errmsg(db));
  int64_t got = db_column_int64(st, 0);
  assert_int_equal(db_step(st), DB_DONE);
  db_finalize(st);
  return got;
}

static void put_setting(Db *db, const char *key, const char *value) {
  Stmt *st = db_stmt(db, STMT_SETTING_PUT);
  assert_non_null(st);
  db_bind_text(st, 1, key);
  db_bind_text(st, 2, value);
  db_bind_int64(st, 3, 1700000000);
  assert_int_equal(db_step(st), DB_DONE);
  db_reset(st);
}

/* Data in every kind of column, including a tree whose child was created
** before its parent, a seeded role changed and another deleted. */
static void populate(Db *db) {
  put_setting(db, "demo.city", chinese);
  put_setting(db, "Zeta", "z");
  put_setting(db, "alpha", "");
  exec_ok(db,
          "UPDATE role SET description = '已修改' "
          "WHERE code = (SELECT MIN(code) FROM role)");
  exec_ok(db, "DELETE FROM role WHERE code = (SELECT MAX(code) FROM role)");
  Stmt *st = prep_ok(db, "UPDATE t_item SET data = ? WHERE id = 1");
  db_bind_blob(st, 1, "\0", 1); /* the seeded row */
  assert_int_equal(db_step(st), DB_DONE);
  db_finalize(st);
  int64_t a = add_item(db, 0, 0, chinese, blob_bytes, sizeof blob_bytes);
  int64_t b = add_item(db, 0, a, "空", "", 0);
  add_item(db, 0, b, "无数据", NULL, 0);
  int64_t child = add_item(db, 0, 0, "先建的下级", NULL, 0);
  int64_t parent = add_item(db, 0, 0, "后建的上级", "p", 1);
  char *sql = xasprintf("UPDATE t_item SET parent_id = %lld WHERE id = %lld",
                        (long long)parent, (long long)child);
  exec_ok(db, sql);
  free(sql);
  exec_ok(db,
          "INSERT INTO t_log(item_id, msg) VALUES (1, '第一条'), (2, 'two')");
  exec_ok(db, "INSERT INTO t_late(id, note) VALUES (5, 'late')");
  exec_ok(db, "INSERT INTO t_early(note, late_id) VALUES ('early', 5)");
  if (has_table(db, "audit_log")) {
    /* The guarded audit trail: restored with INSERTs alone. */
    st = prep_ok(db,
                 "INSERT INTO audit_log(id, at, action, outcome, "
                 "prev_mac, mac) VALUES (?, 1700000000, 'test', 'ok', ?, ?)");
    for (int i = 1; i <= 2; i++) {
      db_reset(st);
      db_bind_int64(st, 1, i);
      db_bind_blob(st, 2, blob_bytes, sizeof blob_bytes);
      db_bind_blob(st, 3, "mac\0", 4);
      assert_int_equal(db_step(st), DB_DONE);
    }
    db_finalize(st);
    st = prep_ok(db,
                 "INSERT INTO audit_head(one, first_id, first_prev, "
                 "last_id, last_mac, head_mac) VALUES (1, 1, NULL, 2, ?, ?)");
    db_bind_blob(st, 1, "mac\0", 4);
    db_bind_blob(st, 2, "head", 4);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
  }
}

/* ---- connections ---- */

static void test_open_close(void **state) {
  Env *e = env(state);
  Db *db = open_fresh(e, 0);
  assert_int_equal(db_backend(db), e->be);
  assert_string_equal(db_backend_name(db),
                      e->be == DB_SQLITE ? "sqlite" : "postgresql");
  assert_int_equal(db_ping(db), DB_OK);
  assert_int_equal(db_in_transaction(db), 0);
  assert_int_equal(db_schema_version(db), 0);
  assert_int_equal(query_int(db, "SELECT 41 + 1"), 42);
  db_close(db);
  db_close(NULL);
}

static void test_open_fails(void **state) {
  Env *e = env(state);
  char *loc = e->be == DB_SQLITE
                  ? xasprintf("%s/no/such/dir/x.db", e->dir)
                  : xstrdup("postgresql://127.0.0.1:1/x?connect_timeout=2");
  Db *db = (Db *)1;
  Buf err = BUF_INIT;
  assert_int_not_equal(db_open(loc, &db, &err), DB_OK);
  assert_null(db);
  assert_true(err.len > 0);
  buf_release(&err);
  free(loc);
  assert_int_not_equal(db_open("", &db, &err), DB_OK);
  buf_release(&err);
}

static void test_sqlite_settings(void **state) {
  Env *e = env(state);
  char *loc = fresh_location(e, DB_SQLITE);
  Db *db = open_loc(loc);
  Stmt *st = prep_ok(db, "PRAGMA journal_mode");
  assert_int_equal(db_step(st), DB_ROW);
  assert_string_equal(db_column_text(st, 0), "wal");
  db_finalize(st);
  assert_int_equal(query_int(db, "PRAGMA foreign_keys"), 1);
  assert_int_equal(query_int(db, "PRAGMA busy_timeout"), 5000);
  assert_int_equal(query_int(db, "PRAGMA synchronous"), 2);
  assert_int_equal(query_int(db, "PRAGMA secure_delete"), 1);
  assert_int_equal(query_int(db, "PRAGMA trusted_schema"), 0);
  assert_int_equal(query_int(db, "PRAGMA application_id"), 0x4A58554E);
  /* Another application's file is refused. */
  exec_ok(db, "PRAGMA application_id = 7");
  db_close(db);
  Buf err = BUF_INIT;
  assert_int_not_equal(db_open(loc, &db, &err), DB_OK);
  assert_non_null(strstr(buf_str(&err), "jixun"));
  buf_release(&err);
  free(loc);
}

static void test_pg_settings(void **state) {
  Env *e = env(state);
  Db *db = open_fresh(e, 0);
  Stmt *st = prep_ok(db,
                     "SELECT current_setting('TimeZone'), "
                     "current_setting('client_encoding')");
  assert_int_equal(db_step(st), DB_ROW);
  assert_string_equal(db_column_text(st, 0), "UTC");
  assert_string_equal(db_column_text(st, 1), "UTF8");
  db_finalize(st);
  db_close(db);
}

/* ---- migrations ---- */

static void test_migrate_twice(void **state) {
  Env *e = env(state);
  Db *db = open_fresh(e, 0);
  Buf err = BUF_INIT;
  int applied = -1;
  assert_int_equal(db_schema_latest(), TEST_LATEST);
  assert_int_equal(db_migrate(db, &applied, &err), DB_OK);
  assert_int_equal(applied, n_migrations());
  assert_int_equal(db_schema_version(db), TEST_LATEST);
  assert_int_equal(query_int(db, "SELECT COUNT(*) FROM schema_version"),
                   n_migrations());
  assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_item"), 1);
  assert_int_equal(db_migrate(db, &applied, &err), DB_OK);
  assert_int_equal(applied, 0);
  assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_item"), 1);
  Stmt *st = prep_ok(db, "SELECT name FROM schema_version WHERE version = 1");
  assert_int_equal(db_step(st), DB_ROW);
  assert_string_equal(db_column_text(st, 0), "0001_platform");
  db_finalize(st);
  assert_int_equal(err.len, 0);
  /* @ID@ numbers rows by itself on both backends. */
  assert_int_equal(add_item(db, 0, 0, "x", NULL, 0), 2);
  /* A connection that just opened sees it too. */
  db_close(db);
  buf_release(&err);
}

static void test_migrate_failure(void **state) {
  Env *e = env(state);
  Db *db = open_fresh(e, 0);
  Buf err = BUF_INIT;
  int applied = -1;
  migrate_extra_count = 2;
  int rc = db_migrate(db, &applied, &err);
  assert_int_not_equal(rc, DB_OK);
  assert_non_null(strstr(buf_str(&err), "9002_broken"));
  assert_int_equal(applied, n_migrations());
  assert_int_equal(db_in_transaction(db), 0);
  assert_int_equal(db_schema_version(db), TEST_LATEST);
  /* The half that did run was rolled back with the step. */
  Stmt *st = db_prepare(db, "SELECT x FROM t_half");
  assert_null(st);
  use_test_migrations();
  buf_clear(&err);
  assert_int_equal(db_migrate(db, &applied, &err), DB_OK);
  assert_int_equal(applied, 0);
  /* A database newer than the binary is refused. */
  exec_ok(db, "INSERT INTO schema_version VALUES (9999, 'future', 0)");
  assert_int_not_equal(db_migrate(db, &applied, &err), DB_OK);
  assert_non_null(strstr(buf_str(&err), "9999"));
  db_close(db);
  buf_release(&err);
}

/* Several servers starting at once on one new database: each step runs
** exactly once and every server comes up. */
static void test_migrate_concurrent(void **state) {
  Env *e = env(state);
  char *loc = fresh_location(e, e->be);
  pid_t kids[4];
  for (size_t i = 0; i < JX_COUNT(kids); i++) {
    kids[i] = fork();
    assert_true(kids[i] >= 0);
    if (kids[i] == 0) {
      Db *db = NULL;
      Buf err = BUF_INIT;
      int rc = db_open(loc, &db, &err);
      if (rc == DB_OK) rc = db_migrate(db, NULL, &err);
      if (rc != DB_OK) fprintf(stderr, "migrating child: %s\n", buf_str(&err));
      db_close(db);
      _exit(rc == DB_OK ? 0 : 1); /* not back into cmocka */
    }
  }
  for (size_t i = 0; i < JX_COUNT(kids); i++) {
    int status = 0;
    assert_int_equal(waitpid(kids[i], &status, 0), kids[i]);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
  }
  Db *db = open_loc(loc);
  assert_int_equal(query_int(db, "SELECT COUNT(*) FROM schema_version"),
                   n_migrations());
  assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_item"), 1);
  db_close(db);
  free(loc);
}

/* ---- statements ---- */

static void test_catalogue_prepares(void **state) {
  Env *e = env(state);
  Db *db = open_fresh(e, 1);
  for (int i = 0; i < STMT__COUNT; i++) {
    Stmt *st = db_stmt(db, (StmtId)i);
    if (!st) fail_msg("STMT_%s: %s", stmt_name[i], db_errmsg(db));
    assert_ptr_equal(db_stmt(db, (StmtId)i), st); /* cached */
  }
  assert_int_equal(STMT_PING, 0);
  Stmt *st = db_stmt(db, STMT_PING);
  assert_int_equal(db_step(st), DB_ROW);
  assert_int_equal(db_column_int64(st, 0), 1);
  db_reset(st);
  db_close(db);
}

static void test_stmt_cache_clears_bindings(void **state) {
  Env *e = env(state);
  Db *db = open_fresh(e, 1);
  put_setting(db, "k", chinese);
  Stmt *st = db_stmt(db, STMT_SETTING_GET);
  db_bind_text(st, 1, "k");
  assert_int_equal(db_step(st), DB_ROW);
  assert_string_equal(db_column_text(st, 0), chinese);
  /* Handed out again: reset and with no value bound (NULL matches none). */
  st = db_stmt(db, STMT_SETTING_GET);
  assert_int_equal(db_step(st), DB_DONE);
  db_reset(st);
  st = db_stmt(db, STMT_SETTING_LIST);
  assert_int_equal(db_step(st), DB_ROW);
  assert_int_equal(db_column_count(st), 3);
  assert_string_equal(db_column_name(st, 0), "key");
  assert_string_equal(db_column_text(st, 0), "k");
  assert_int_equal(db_column_int64(st, 2), 1700000000);
  assert_int_equal(db_step(st), DB_DONE);
  db_reset(st);
  db_close(db);
}

static void test_types_roundtrip(void **state) {
  Env *e = env(state);
  Db *db = open_fresh(e, 1);
  Stmt *ins = prep_ok(db,
                      "INSERT INTO t_item(id, name, qty, data) "
                      "VALUES (?, ?, ?, ?)");
  db_bind_int64(ins, 1, INT64_MAX);
  db_bind_text(ins, 2, chinese);
  db_bind_int64(ins, 3, INT64_MIN);
  db_bind_blob(ins, 4, blob_bytes, sizeof blob_bytes);
  assert_int_equal(db_step(ins), DB_DONE);
  db_reset(ins);
  db_bind_int64(ins, 1, 7);
  db_bind_text(ins, 2, "empty");
  db_bind_null(ins, 3);
  db_bind_blob(ins, 4, NULL, 0);
  assert_int_equal(db_step(ins), DB_DONE);
  db_reset(ins);
  db_bind_int64(ins, 1, 8);
  db_bind_text(ins, 2, "nulls");
  db_bind_text(ins, 3, NULL);
  db_bind_null(ins, 4);
  assert_int_equal(db_step(ins), DB_DONE);
  db_finalize(ins);

  Stmt *st = prep_ok(db,
                     "SELECT id, name, qty, data FROM t_item "
                     "WHERE id = ?");
  db_bind_int64(st, 1, INT64_MAX);
  assert_int_equal(db_step(st), DB_ROW);
  assert_int_equal(db_column_count(st), 4);
  assert_string_equal(db_column_name(st, 3), "data");
  assert_true(db_column_int64(st, 0) == INT64_MAX);
  assert_string_equal(db_column_text(st, 1), chinese);
  assert_true(db_column_int64(st, 2) == INT64_MIN);
  size_t n = 0;
  const void *p = db_column_blob(st, 3, &n);
  assert_int_equal(n, sizeof blob_bytes);
  assert_memory_equal(p, blob_bytes, n);
  assert_false(db_column_is_null(st, 3));
  assert_int_equal(db_step(st), DB_DONE);

  db_reset(st);
  db_bind_int64(st, 1, 7);
  assert_int_equal(db_step(st), DB_ROW);
  assert_true(db_column_is_null(st, 2));
  assert_int_equal(db_column_int64(st, 2), 0);
  assert_null(db_column_text(st, 2));
  assert_false(db_column_is_null(st, 3)); /* empty, not NULL */
  p = db_column_blob(st, 3, &n);
  assert_non_null(p);
  assert_int_equal(n, 0);

  db_reset(st);
  db_bind_int64(st, 1, 8);
  assert_int_equal(db_step(st), DB_ROW);
  assert_true(db_column_is_null(st, 2));
  assert_true(db_column_is_null(st, 3));
  n = 99;
  assert_null(db_column_blob(st, 3, &n));
  assert_int_equal(n, 0);
  db_finalize(st);

  /* Values that only pass through a statement. */
  st = prep_ok(db, "SELECT ?, ?, ?");
  db_bind_int64(st, 1, -5);
  db_bind_text(st, 2, chinese);
  db_bind_null(st, 3);
  assert_int_equal(db_step(st), DB_ROW);
  assert_int_equal(db_column_int64(st, 0), -5);
  assert_string_equal(db_column_text(st, 1), chinese);
  assert_true(db_column_is_null(st, 2));
  db_finalize(st);
  db_close(db);
}

static void test_placeholders(void **state) {
  Env *e = env(state);
  Db *db = open_fresh(e, 0);
  Stmt *st = prep_ok(db,
                     "SELECT '?' AS \"q?\", ? /* ? */ AS v, 'it''s ?', "
                     "? -- ?\n");
  db_bind_int64(st, 1, 7);
  db_bind_text(st, 2, "two");
  assert_int_equal(db_step(st), DB_ROW);
  assert_string_equal(db_column_text(st, 0), "?");
  assert_string_equal(db_column_name(st, 0), "q?");
  assert_int_equal(db_column_int64(st, 1), 7);
  assert_string_equal(db_column_text(st, 2), "it's ?");
  assert_string_equal(db_column_text(st, 3), "two");
  db_finalize(st);
  db_close(db);
}

static void test_rewrite(void **state) {
  (void)state;
  static const struct {
    const char *in, *out;
    int n;
  } cases[] = {
      {"SELECT 1", "SELECT 1", 0},
      {"a = ? AND b = ?", "a = $1 AND b = $2", 2},
      {"x = '?' AND y = ?", "x = '$1' AND y = $1", -1}, /* placeholder */
      {"x = 'it''s ?' AND y = ?", "x = 'it''s ?' AND y = $1", 1},
      {"\"we?ird\"\"?\" = ?", "\"we?ird\"\"?\" = $1", 1},
      {"E'a\\'?' || ?", "E'a\\'?' || $1", 1},
      {"? -- why?\n, ?", "$1 -- why?\n, $2", 2},
      {"? /* a /* ? */ ? */ ?", "$1 /* a /* ? */ ? */ $2", 2},
      {"$$ ? $$ || $t$ ? $ $t$ || ?", "$$ ? $$ || $t$ ? $ $t$ || $1", 1},
      {"a$1 ? $1", "a$1 $1 $1", 1},
      {"'unterminated ?", "'unterminated ?", 0},
  };
  for (size_t i = 0; i < JX_COUNT(cases); i++) {
    if (cases[i].n < 0) continue;
    int n = -1;
    char *out = pg_rewrite_placeholders(cases[i].in, &n);
    assert_non_null(out);
    assert_string_equal(out, cases[i].out);
    assert_int_equal(n, cases[i].n);
    free(out);
  }
  int n = 0;
  char *out = pg_rewrite_placeholders("x = '?' AND y = ?", &n);
  assert_string_equal(out, "x = '?' AND y = $1");
  assert_int_equal(n, 1);
  free(out);
  assert_null(pg_rewrite_placeholders("x = ?1", &n));
}

/* ---- errors and transactions ---- */

static void test_constraints(void **state) {
  Env *e = env(state);
  Db *db = open_fresh(e, 1);
  add_item(db, 0, 0, "a", NULL, 0);
  Stmt *st = prep_ok(db, "INSERT INTO t_item(name) VALUES (?)");
  db_bind_text(st, 1, "a");
  assert_int_equal(db_step(st), DB_ECONSTRAINT); /* unique */
  assert_true(strlen(db_errmsg(db)) > 0);
  db_reset(st);
  db_bind_null(st, 1);
  assert_int_equal(db_step(st), DB_ECONSTRAINT); /* not null */
  db_finalize(st);
  st = prep_ok(db, "INSERT INTO t_log(item_id, msg) VALUES (?, 'x')");
  db_bind_int64(st, 1, 424242);
  assert_int_equal(db_step(st), DB_ECONSTRAINT); /* foreign key */
  db_finalize(st);
  st = prep_ok(db, "INSERT INTO t_item(name, qty) VALUES ('c', ?)");
  db_bind_int64(st, 1, -1);
  assert_int_equal(db_step(st), DB_ECONSTRAINT); /* check */
  db_finalize(st);
  /* The append-only guard: a trigger's RAISE(ABORT) on SQLite and the
  ** PostgreSQL guard's insufficient_privilege both come back as a refusal. */
  exec_ok(db, "INSERT INTO t_log(item_id, msg) VALUES (1, 'kept')");
  int want = DB_EDENIED;
  assert_int_equal(db_exec(db, "UPDATE t_log SET msg = 'changed'"), want);
  assert_int_equal(db_exec(db, "DELETE FROM t_log"), want);
  assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_log"), 1);
  /* Bad SQL is a plain error, not a crash. */
  assert_null(db_prepare(db, "SELEKT 1"));
  assert_true(strlen(db_errmsg(db)) > 0);
  assert_null(db_prepare(db, "SELECT ?2"));
  db_close(db);
}

static void test_rollback(void **state) {
  Env *e = env(state);
  Db *db = open_fresh(e, 1);
  assert_int_equal(db_rollback(db), DB_OK); /* none open */
  assert_int_equal(db_begin(db), DB_OK);
  assert_int_equal(db_in_transaction(db), 1);
  add_item(db, 0, 0, "gone", NULL, 0);
  put_setting(db, "gone", "1");
  assert_int_equal(db_rollback(db), DB_OK);
  assert_int_equal(db_in_transaction(db), 0);
  assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_item"), 1);
  assert_int_equal(query_int(db, "SELECT COUNT(*) FROM setting"), 0);
  /* A statement first prepared inside the rolled-back transaction. */
  put_setting(db, "after", "1");
  assert_int_equal(query_int(db, "SELECT COUNT(*) FROM setting"), 1);

  assert_int_equal(db_begin(db), DB_OK);
  add_item(db, 0, 0, "kept", NULL, 0);
  assert_int_equal(db_commit(db), DB_OK);
  assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_item"), 2);

  /* An error inside a transaction, then rollback: nothing of it stays. */
  assert_int_equal(db_begin(db), DB_OK);
  add_item(db, 0, 0, "half", NULL, 0);
  assert_int_equal(db_exec(db, "INSERT INTO t_item(name) VALUES ('kept')"),
                   DB_ECONSTRAINT);
  if (e->be == DB_POSTGRES) {
    /* PostgreSQL aborts the whole transaction: COMMIT must say so. */
    assert_int_not_equal(db_commit(db), DB_OK);
  }
  assert_int_equal(db_rollback(db), DB_OK);
  assert_int_equal(db_in_transaction(db), 0);
  assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_item"), 2);
  db_close(db);
}

static void test_changes(void **state) {
  Env *e = env(state);
  Db *db = open_fresh(e, 1);
  for (int i = 0; i < 3; i++) {
    char name[16];
    snprintf(name, sizeof name, "n%d", i);
    add_item(db, 0, 0, name, NULL, 0);
    assert_int_equal(db_changes(db), 1);
  }
  Stmt *st = prep_ok(db, "UPDATE t_item SET qty = ? WHERE name LIKE 'n%'");
  db_bind_int64(st, 1, 5);
  assert_int_equal(db_step(st), DB_DONE);
  assert_int_equal(db_changes(db), 3);
  db_finalize(st);
  st = prep_ok(db, "DELETE FROM t_item WHERE name = ?");
  db_bind_text(st, 1, "nobody");
  assert_int_equal(db_step(st), DB_DONE);
  assert_int_equal(db_changes(db), 0);
  db_reset(st);
  db_bind_text(st, 1, "n1");
  assert_int_equal(db_step(st), DB_DONE);
  assert_int_equal(db_changes(db), 1);
  db_finalize(st);
  /* A SELECT does not change the count. */
  assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_item"), 3);
  assert_int_equal(db_changes(db), 1);
  db_close(db);
}

static void test_busy(void **state) {
  Env *e = env(state);
  char *loc = fresh_location(e, e->be);
  Db *a = open_loc(loc), *b = open_loc(loc);
  Buf err = BUF_INIT;
  assert_int_equal(db_migrate(a, NULL, &err), DB_OK);
  if (e->be == DB_SQLITE) {
    exec_ok(b, "PRAGMA busy_timeout = 50");
    assert_int_equal(db_begin(a), DB_OK);
    assert_int_equal(db_begin(b), DB_EBUSY);
    assert_int_equal(db_in_transaction(b), 0);
  } else {
    exec_ok(b, "SET lock_timeout = '50ms'");
    assert_int_equal(db_begin(a), DB_OK);
    exec_ok(a, "UPDATE t_item SET qty = 1");
    assert_int_equal(db_begin(b), DB_OK);
    assert_int_equal(db_exec(b, "UPDATE t_item SET qty = 2"), DB_EBUSY);
    assert_int_equal(db_rollback(b), DB_OK);
  }
  assert_int_equal(db_commit(a), DB_OK);
  db_close(a);
  db_close(b);
  free(loc);
  buf_release(&err);
}

static void test_pg_reconnect(void **state) {
  Env *e = env(state);
  Db *db = open_fresh(e, 1);
  Db *killer = open_fresh(e, 0);
  Stmt *st = db_stmt(db, STMT_SETTING_LIST);
  assert_int_equal(db_step(st), DB_DONE);
  db_reset(st);
  Stmt *pid = prep_ok(db, "SELECT pg_backend_pid()");
  assert_int_equal(db_step(pid), DB_ROW);
  char *sql = xasprintf("SELECT pg_terminate_backend(%lld)",
                        (long long)db_column_int64(pid, 0));
  db_finalize(pid);
  assert_int_equal(query_int(killer, sql), 1);
  free(sql);
  /* The server may take a moment to close the socket. */
  int rc = DB_OK;
  for (int i = 0; i < 50 && rc == DB_OK; i++) {
    rc = db_exec(db, "SELECT 1");
    if (rc == DB_OK) usleep(20000);
  }
  assert_int_not_equal(rc, DB_OK);
  assert_int_equal(db_ping(db), DB_OK);
  /* The cached statement is prepared again in the new session. */
  st = db_stmt(db, STMT_SETTING_LIST);
  assert_int_equal(db_step(st), DB_DONE);
  db_reset(st);
  db_close(killer);
  db_close(db);
}

/* ---- backup and restore ---- */

/* Back src up, restore the file into a fresh database of backend to and
** compare; returns the backup's path (caller frees). */
static char *backup_restore(Env *e, Db *src, DbBackend to) {
  char *file = scratch_path(e, "backup");
  Buf err = BUF_INIT;
  if (db_backup(src, file, &err) != DB_OK)
    fail_msg("db_backup: %s", buf_str(&err));
  struct stat sb;
  assert_int_equal(stat(file, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, 0600);
  Db *dst = open_fresh_be(e, to, 0);
  if (db_restore(dst, file, &err) != DB_OK)
    fail_msg("db_restore: %s", buf_str(&err));
  assert_int_equal(db_schema_version(dst), TEST_LATEST);
  assert_int_equal(db_in_transaction(dst), 0);
  assert_same_data(src, dst);
  /* New rows are numbered after the restored ones. */
  int64_t max = query_int(dst, "SELECT MAX(id) FROM t_item");
  assert_int_equal(add_item(dst, 0, 0, "after restore", NULL, 0), max + 1);
  db_close(dst);
  buf_release(&err);
  return file;
}

static void test_backup_restore_same(void **state) {
  Env *e = env(state);
  Db *src = open_fresh(e, 1);
  populate(src);
  char *file = backup_restore(e, src, e->be);
  /* The backup is one file, itself a database with the data. */
  char *wal = xasprintf("%s-wal", file);
  struct stat sb;
  assert_int_not_equal(stat(wal, &sb), 0);
  free(wal);
  Db *bk = open_loc(file);
  assert_same_data(src, bk);
  assert_int_equal(db_schema_version(bk), TEST_LATEST);
  db_close(bk);
  free(file);
  db_close(src);
}

static void test_backup_restore_cross(void **state) {
  Env *e = env(state);
  if (!unit_pg_url()) skip();
  DbBackend other = e->be == DB_SQLITE ? DB_POSTGRES : DB_SQLITE;
  Db *src = open_fresh(e, 1);
  populate(src);
  free(backup_restore(e, src, other));
  db_close(src);
}

/* PostgreSQL → SQLite file → SQLite database → file again → PostgreSQL. */
static void test_backup_restore_round_trip(void **state) {
  Env *e = env(state);
  if (!unit_pg_url()) skip();
  Db *src = open_fresh_be(e, DB_POSTGRES, 1);
  populate(src);
  char *f1 = scratch_path(e, "backup");
  Buf err = BUF_INIT;
  assert_int_equal(db_backup(src, f1, &err), DB_OK);
  Db *mid = open_fresh_be(e, DB_SQLITE, 0);
  assert_int_equal(db_restore(mid, f1, &err), DB_OK);
  char *f2 = backup_restore(e, mid, DB_POSTGRES);
  assert_same_data(src, mid);
  db_close(mid);
  db_close(src);
  free(f1);
  free(f2);
  buf_release(&err);
}

static void test_restore_refuses(void **state) {
  Env *e = env(state);
  Db *src = open_fresh(e, 1);
  populate(src);
  char *file = scratch_path(e, "backup");
  Buf err = BUF_INIT;
  assert_int_equal(db_backup(src, file, &err), DB_OK);

  /* A target with data is left alone. */
  Db *dst = open_fresh(e, 1);
  put_setting(dst, "mine", "1");
  assert_int_not_equal(db_restore(dst, file, &err), DB_OK);
  assert_non_null(strstr(buf_str(&err), "目标数据库已有数据，拒绝覆盖"));
  assert_int_equal(query_int(dst, "SELECT COUNT(*) FROM setting"), 1);
  assert_int_equal(query_int(dst, "SELECT COUNT(*) FROM t_item"), 1);
  db_close(dst);

  /* So is one whose seeded rows were changed. */
  dst = open_fresh(e, 1);
  exec_ok(dst,
          "UPDATE role SET name = '改' "
          "WHERE code = (SELECT MIN(code) FROM role)");
  buf_clear(&err);
  assert_int_not_equal(db_restore(dst, file, &err), DB_OK);
  assert_non_null(strstr(buf_str(&err), "role"));
  db_close(dst);

  /* A failure half-way (at the last table) leaves nothing behind. */
  dst = open_fresh(e, 1);
  exec_ok(dst, e->be == DB_SQLITE
                   ? "CREATE TRIGGER t_log_block BEFORE INSERT ON t_log "
                     "BEGIN SELECT RAISE(ABORT, 'blocked'); END"
                   : "CREATE FUNCTION t_log_block() RETURNS trigger "
                     "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
                     "'blocked'; END $$; CREATE TRIGGER t_log_block "
                     "BEFORE INSERT ON t_log FOR EACH ROW "
                     "EXECUTE FUNCTION t_log_block()");
  Buf before = BUF_INIT, after = BUF_INIT;
  dump_all(dst, &before);
  buf_clear(&err);
  assert_int_not_equal(db_restore(dst, file, &err), DB_OK);
  assert_non_null(strstr(buf_str(&err), "t_log"));
  assert_int_equal(db_in_transaction(dst), 0);
  dump_all(dst, &after);
  assert_string_equal(buf_str(&before), buf_str(&after));
  buf_release(&before);
  buf_release(&after);
  db_close(dst);

  /* Backups never overwrite. */
  buf_clear(&err);
  assert_int_not_equal(db_backup(src, file, &err), DB_OK);
  assert_true(err.len > 0);

  /* Unreadable and foreign files. */
  char *missing = scratch_path(e, "missing");
  dst = open_fresh(e, 0);
  buf_clear(&err);
  assert_int_not_equal(db_restore(dst, missing, &err), DB_OK);
  assert_non_null(strstr(buf_str(&err), "无法打开备份文件"));
  char *junk = scratch_path(e, "junk");
  FILE *f = fopen(junk, "w");
  assert_non_null(f);
  fputs("not a database, just some text that is long enough to matter\n", f);
  fclose(f);
  buf_clear(&err);
  assert_int_not_equal(db_restore(dst, junk, &err), DB_OK);
  assert_non_null(strstr(buf_str(&err), "备份文件"));
  char *foreign = scratch_path(e, "foreign");
  Db *fdb = open_loc(foreign);
  exec_ok(fdb, "PRAGMA application_id = 1234");
  db_close(fdb);
  buf_clear(&err);
  assert_int_not_equal(db_restore(dst, foreign, &err), DB_OK);
  assert_non_null(strstr(buf_str(&err), "不是 jixun 备份文件"));
  assert_int_equal(db_schema_version(dst), 0); /* untouched */
  db_close(dst);

  free(missing);
  free(junk);
  free(foreign);
  free(file);
  db_close(src);
  buf_release(&err);
}

static void test_restore_old_backup(void **state) {
  Env *e = env(state);
  /* A backup made by a binary without the test migration. */
  migrate_extra_count = 0;
  Db *src = open_fresh(e, 1);
  assert_int_equal(db_schema_version(src), db_schema_latest());
  put_setting(src, "old", "旧");
  char *file = scratch_path(e, "backup");
  Buf err = BUF_INIT;
  assert_int_equal(db_backup(src, file, &err), DB_OK);
  db_close(src);
  use_test_migrations();
  Db *dst = open_fresh(e, 0);
  if (db_restore(dst, file, &err) != DB_OK)
    fail_msg("db_restore: %s", buf_str(&err));
  assert_int_equal(db_schema_version(dst), TEST_LATEST);
  Stmt *st = db_stmt(dst, STMT_SETTING_GET);
  db_bind_text(st, 1, "old");
  assert_int_equal(db_step(st), DB_ROW);
  assert_string_equal(db_column_text(st, 0), "旧");
  db_reset(st);
  assert_int_equal(query_int(dst, "SELECT COUNT(*) FROM t_item"), 1);
  db_close(dst);
  /* The backup itself was not upgraded. */
  Db *bk = open_loc(file);
  assert_true(db_schema_version(bk) < TEST_LATEST);
  db_close(bk);
  free(file);
  buf_release(&err);
}

#define BOTH(f)                                                            \
  cmocka_unit_test_prestate_setup_teardown(f, env_setup, env_teardown,     \
                                           &sqlite_be),                    \
      cmocka_unit_test_prestate_setup_teardown(f, env_setup, env_teardown, \
                                               &pg_be)
#define ONE(f, be) \
  cmocka_unit_test_prestate_setup_teardown(f, env_setup, env_teardown, &be)

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rewrite),
      BOTH(test_open_close),
      BOTH(test_open_fails),
      ONE(test_sqlite_settings, sqlite_be),
      ONE(test_pg_settings, pg_be),
      BOTH(test_migrate_twice),
      BOTH(test_migrate_failure),
      BOTH(test_migrate_concurrent),
      BOTH(test_catalogue_prepares),
      BOTH(test_stmt_cache_clears_bindings),
      BOTH(test_types_roundtrip),
      BOTH(test_placeholders),
      BOTH(test_constraints),
      BOTH(test_rollback),
      BOTH(test_changes),
      BOTH(test_busy),
      ONE(test_pg_reconnect, pg_be),
      BOTH(test_backup_restore_same),
      BOTH(test_backup_restore_cross),
      ONE(test_backup_restore_round_trip, pg_be),
      BOTH(test_restore_refuses),
      BOTH(test_restore_old_backup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
