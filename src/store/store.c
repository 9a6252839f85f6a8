/* store.c: the backend-independent half of store.h (dispatch, cache). */
#include "store/store_int.h"

#include <stdlib.h>
#include <unistd.h>

/* The need-to-know predicates (string-literal macros) that catalogue
** entries splice into their SQL; only their text is used here. */
#include "auth/ntk.h"

const char *const stmt_sql[STMT__COUNT] = {
#define STMT(name, sql) sql,
#include "store/stmts.def"
#undef STMT
};

const char *const stmt_name[STMT__COUNT] = {
#define STMT(name, sql) #name,
#include "store/stmts.def"
#undef STMT
};

/* ---- connections ---- */

int db_open(const char *location, Db **out, Buf *err) {
  *out = NULL;
  if (!location || !*location) {
    buf_puts(err, "未指定数据库位置");
    return DB_EERROR;
  }
  if (str_starts(location, "postgresql://") ||
      str_starts(location, "postgres://"))
    return pg_open(location, out, err);
  return sqlite_open(location, 0, out, err);
}

void db_close(Db *db) {
  if (!db) return;
  if (db->slot && db->slot_release) db->slot_release(db->slot);
  for (int i = 0; i < STMT__COUNT; i++)
    if (db->cache[i]) db->ops->finalize(db->cache[i]);
  buf_release(&db->err);
  db->ops->close(db); /* frees db */
}

void *db_slot(Db *db) { return db->slot; }

void db_set_slot(Db *db, void *p, void (*release)(void *)) {
  if (db->slot && db->slot_release && db->slot != p) db->slot_release(db->slot);
  db->slot = p;
  db->slot_release = release;
}

DbBackend db_backend(const Db *db) {
  return db->backend;
}

const char *db_backend_name(const Db *db) {
  return db->ops->name;
}

const char *db_errmsg(Db *db) {
  return buf_str(&db->err);
}

void db_set_error(Db *db, const char *fmt, ...) {
  va_list ap;
  buf_clear(&db->err);
  va_start(ap, fmt);
  buf_vprintf(&db->err, fmt, ap);
  va_end(ap);
}

int db_ping(Db *db) {
  return db->ops->ping(db);
}

/* ---- statements ---- */

Stmt *db_stmt(Db *db, StmtId id) {
  if ((int)id < 0 || id >= STMT__COUNT) jx_fatal("db_stmt: bad id %d", id);
  Stmt *st = db->cache[id];
  if (!st) {
    st = db->ops->prepare(db, stmt_sql[id], (int)id);
    if (!st) return NULL;
    db->cache[id] = st;
    return st;
  }
  db_reset(st);
  db->ops->clear_bindings(st);
  return st;
}

Stmt *db_prepare(Db *db, const char *sql) {
  return db->ops->prepare(db, sql, -1);
}

void db_finalize(Stmt *st) {
  if (!st) return;
  if (st->cat >= 0)
    jx_fatal("db_finalize on cached statement %s", stmt_name[st->cat]);
  st->db->ops->finalize(st);
}

void db_reset(Stmt *st) {
  st->db->ops->reset(st);
  st->stepped = 0;
  st->has_row = 0;
}

/* Binding after a step without a reset is misuse on SQLite; refusing it
** on both backends keeps code tested on one correct on the other. */
static void check_bind(Stmt *st, int idx) {
  if (st->stepped)
    jx_fatal("db_bind: parameter %d bound after db_step without db_reset", idx);
}

void db_bind_int64(Stmt *st, int idx, int64_t v) {
  check_bind(st, idx);
  st->db->ops->bind_int64(st, idx, v);
}

void db_bind_text(Stmt *st, int idx, const char *s) {
  check_bind(st, idx);
  if (!s)
    st->db->ops->bind_null(st, idx);
  else
    st->db->ops->bind_text(st, idx, s);
}

void db_bind_blob(Stmt *st, int idx, const void *data, size_t n) {
  check_bind(st, idx);
  st->db->ops->bind_blob(st, idx, data ? data : "", n);
}

void db_bind_null(Stmt *st, int idx) {
  check_bind(st, idx);
  st->db->ops->bind_null(st, idx);
}

int db_step(Stmt *st) {
  st->stepped = 1;
  int rc = st->db->ops->step(st);
  st->has_row = rc == DB_ROW;
  return rc;
}

int db_column_count(Stmt *st) {
  return st->db->ops->column_count(st);
}

const char *db_column_name(Stmt *st, int col) {
  if (col < 0 || col >= db_column_count(st))
    jx_fatal("db_column_name: no column %d", col);
  return st->db->ops->column_name(st, col);
}

/* Reading a column needs a current row and a column that exists. */
static void check_column(Stmt *st, int col) {
  if (!st->has_row) jx_fatal("db_column: no current row");
  if (col < 0 || col >= db_column_count(st))
    jx_fatal("db_column: no column %d", col);
}

int db_column_type(Stmt *st, int col) {
  check_column(st, col);
  return st->db->ops->column_type(st, col);
}

int db_column_is_null(Stmt *st, int col) {
  return db_column_type(st, col) == DBT_NULL;
}

int64_t db_column_int64(Stmt *st, int col) {
  check_column(st, col);
  return st->db->ops->column_int64(st, col);
}

const char *db_column_text(Stmt *st, int col) {
  check_column(st, col);
  return st->db->ops->column_text(st, col);
}

/* NULL (and *n = 0) for SQL NULL; an empty blob is a non-NULL pointer with
** *n = 0 on both backends, so callers can tell the two apart. */
const void *db_column_blob(Stmt *st, int col, size_t *n) {
  check_column(st, col);
  size_t len = 0;
  const void *p = NULL;
  if (st->db->ops->column_type(st, col) != DBT_NULL) {
    p = st->db->ops->column_blob(st, col, &len);
    if (!p) p = "", len = 0;
  }
  if (n) *n = len;
  return p;
}

int64_t db_changes(Db *db) {
  return db->ops->changes(db);
}

int db_exec(Db *db, const char *sql) {
  return db->ops->exec(db, sql);
}

/* ---- transactions ---- */

int db_begin(Db *db) {
  return db->ops->begin(db);
}

int db_commit(Db *db) {
  return db->ops->commit(db);
}

int db_rollback(Db *db) {
  if (!db->ops->in_transaction(db)) return DB_OK;
  return db->ops->exec(db, "ROLLBACK");
}

int db_in_transaction(Db *db) {
  return db->ops->in_transaction(db);
}

/* ---- files ---- */

void db_remove_files(const char *path) {
  static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
  Buf name = BUF_INIT;
  for (size_t i = 0; i < JX_COUNT(suffix); i++) {
    buf_clear(&name);
    buf_printf(&name, "%s%s", path, suffix[i]);
    unlink(buf_str(&name));
  }
  buf_release(&name);
}
