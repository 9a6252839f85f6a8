/* sqlite.c: the SQLite backend; the only file that sees sqlite3.h. */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

typedef struct SqlDb {
  Db base; /* must come first */
  sqlite3 *h;
} SqlDb;

typedef struct SqlStmt {
  Stmt base; /* must come first */
  sqlite3_stmt *h;
} SqlStmt;

static const DbOps sqlite_ops;

static sqlite3 *H(Db *db) {
  return ((SqlDb *)db)->h;
}
static sqlite3_stmt *SH(Stmt *st) {
  return ((SqlStmt *)st)->h;
}

/* Map a SQLite result code to DB_* and remember the message. */
static int fail(Db *db, int rc) {
  db_set_error(db, "%s (sqlite %d)", sqlite3_errmsg(H(db)), rc);
  /* A guard trigger's RAISE(ABORT) is a refusal, as PostgreSQL's 42501. */
  if (rc == SQLITE_CONSTRAINT_TRIGGER) return DB_EDENIED;
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return DB_ECONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return DB_EBUSY;
    case SQLITE_AUTH:
      return DB_EDENIED;
    default:
      return DB_EERROR;
  }
}

/* Run one statement that returns a single text value (a PRAGMA) into
** out; 0 on success. */
static int query_text(sqlite3 *h, const char *sql, char *out, size_t size) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    const unsigned char *t = sqlite3_column_text(st, 0);
    str_copy(out, t ? (const char *)t : "", size);
    rc = SQLITE_OK;
  }
  sqlite3_finalize(st);
  return rc;
}

/* A brand-new file is still in rollback-journal mode, where two
** connections that both hold a shared lock and both want to write (to
** switch to WAL, to stamp the application id) deadlock, and SQLite breaks
** the deadlock by answering SQLITE_BUSY at once instead of waiting.  Only
** when several processes open one new file together (servers starting at
** once); retried for up to the busy timeout. */
static int retry_busy(int rc, int *tries) {
  if ((rc & 0xff) != SQLITE_BUSY || ++*tries > 250) return 0;
  sqlite3_sleep(20);
  return 1;
}

/* Apply the connection settings of store.h to a read-write connection and
** stamp or check the application id; 0 on success, else err says why. */
static int configure(sqlite3 *h, Buf *err) {
  char val[32];
  int rc = sqlite3_exec(h,
                        "PRAGMA busy_timeout = 5000;"
                        "PRAGMA foreign_keys = ON;"
                        "PRAGMA synchronous = FULL;"
                        "PRAGMA secure_delete = ON;"
                        "PRAGMA trusted_schema = OFF;"
                        /* 32 MiB of page cache per connection (the
                         * default 2 MB made the ledger at 100k clues copy
                         * pages back from the OS on every request). */
                        "PRAGMA cache_size = -32768;",
                        NULL, NULL, NULL);
  if (rc != SQLITE_OK) goto sqlerr;
  int tries = 0;
  do rc = query_text(h, "PRAGMA journal_mode = WAL", val, sizeof val);
  while (retry_busy(rc, &tries));
  if (rc != SQLITE_OK) goto sqlerr;
  if (!str_eq(val, "wal") && !str_eq(val, "memory")) {
    buf_printf(err, "无法启用 WAL 日志模式（得到 %s）", val);
    return -1;
  }
  rc = query_text(h, "PRAGMA application_id", val, sizeof val);
  if (rc != SQLITE_OK) goto sqlerr;
  int64_t id = 0;
  if (str_to_int64(val, INT32_MIN, INT32_MAX, &id) != 0) id = -1;
  if (id == 0) {
    /* A new file (or one made before the id existed): claim it. */
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d", JX_APPLICATION_ID);
    tries = 0;
    do rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
    while (retry_busy(rc, &tries));
    if (rc != SQLITE_OK) goto sqlerr;
  } else if (id != JX_APPLICATION_ID) {
    buf_puts(err, "该文件不是 jixun 数据库（application_id 不符）");
    return -1;
  }
  return 0;
sqlerr:
  buf_printf(err, "%s", sqlite3_errmsg(h));
  return -1;
}

int sqlite_open(const char *path, int readonly, Db **out, Buf *err) {
  *out = NULL;
  sqlite3 *h = NULL;
  int flags = SQLITE_OPEN_NOMUTEX |
              (readonly ? SQLITE_OPEN_READONLY
                        : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path, &h, flags, NULL);
  if (rc != SQLITE_OK) {
    buf_puts(err, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
    sqlite3_close(h);
    return DB_EERROR;
  }
  sqlite3_extended_result_codes(h, 1);
  if (readonly) {
    /* Reading the schema here turns "not a database" into an open error. */
    char val[32];
    rc = sqlite3_exec(h, "PRAGMA busy_timeout = 5000", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
      rc = query_text(h, "SELECT count(*) FROM sqlite_master", val, sizeof val);
    if (rc != SQLITE_OK) {
      buf_puts(err, sqlite3_errmsg(h));
      sqlite3_close(h);
      return DB_EERROR;
    }
  } else {
    if (configure(h, err) != 0) {
      sqlite3_close(h);
      return DB_EERROR;
    }
  }
  SqlDb *db = xcalloc(1, sizeof *db);
  db->base.ops = &sqlite_ops;
  db->base.backend = DB_SQLITE;
  db->h = h;
  *out = &db->base;
  return DB_OK;
}

static void sq_close(Db *db) {
  /* close_v2 so that a leaked ad-hoc statement cannot keep the file
  ** half-open; the tests' leak checker reports such statements. */
  sqlite3_close_v2(H(db));
  free(db);
}

/* Compile one statement; catalogue ones are kept for the connection's
** life, so SQLite is told they are long-lived.  Text after the statement,
** or a named placeholder, is refused: neither is portable. */
static Stmt *sq_prepare(Db *db, const char *sql, int cat) {
  sqlite3_stmt *h = NULL;
  const char *tail = NULL;
  unsigned flags = cat >= 0 ? SQLITE_PREPARE_PERSISTENT : 0;
  int rc = sqlite3_prepare_v3(H(db), sql, -1, flags, &h, &tail);
  if (rc != SQLITE_OK) {
    fail(db, rc);
    return NULL;
  }
  if (!h) {
    db_set_error(db, "empty statement");
    return NULL;
  }
  /* A second statement would be silently skipped. */
  while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' ||
                  *tail == '\r' || *tail == ';'))
    tail++;
  if (tail && *tail) {
    sqlite3_finalize(h);
    db_set_error(db, "more than one statement in db_prepare");
    return NULL;
  }
  for (int i = 1; i <= sqlite3_bind_parameter_count(h); i++) {
    if (sqlite3_bind_parameter_name(h, i)) {
      db_set_error(db, "only '?' placeholders are supported, not %s",
                   sqlite3_bind_parameter_name(h, i));
      sqlite3_finalize(h);
      return NULL;
    }
  }
  SqlStmt *st = xcalloc(1, sizeof *st);
  st->base.db = db;
  st->base.cat = cat;
  st->h = h;
  return &st->base;
}

static void sq_finalize(Stmt *st) {
  sqlite3_finalize(SH(st));
  free(st);
}

static void sq_reset(Stmt *st) {
  sqlite3_reset(SH(st));
}

static void sq_clear_bindings(Stmt *st) {
  sqlite3_clear_bindings(SH(st));
}

/* A bind can only fail through misuse (range, or a running statement). */
static void bind_check(Stmt *st, int idx, int rc) {
  if (rc != SQLITE_OK)
    jx_fatal("db_bind: parameter %d of \"%s\": %s", idx, sqlite3_sql(SH(st)),
             sqlite3_errstr(rc));
}

static void sq_bind_int64(Stmt *st, int idx, int64_t v) {
  bind_check(st, idx, sqlite3_bind_int64(SH(st), idx, v));
}

static void sq_bind_text(Stmt *st, int idx, const char *s) {
  bind_check(st, idx, sqlite3_bind_text(SH(st), idx, s, -1, SQLITE_TRANSIENT));
}

static void sq_bind_blob(Stmt *st, int idx, const void *data, size_t n) {
  bind_check(st, idx,
             sqlite3_bind_blob64(SH(st), idx, data, n, SQLITE_TRANSIENT));
}

static void sq_bind_null(Stmt *st, int idx) {
  bind_check(st, idx, sqlite3_bind_null(SH(st), idx));
}

static int sq_step(Stmt *st) {
  int rc = sqlite3_step(SH(st));
  if (rc == SQLITE_ROW) return DB_ROW;
  if (rc == SQLITE_DONE) return DB_DONE;
  return fail(st->db, rc);
}

static int sq_column_count(Stmt *st) {
  return sqlite3_column_count(SH(st));
}

static const char *sq_column_name(Stmt *st, int col) {
  return sqlite3_column_name(SH(st), col);
}

static int sq_column_type(Stmt *st, int col) {
  switch (sqlite3_column_type(SH(st), col)) {
    case SQLITE_INTEGER:
      return DBT_INT;
    case SQLITE_FLOAT:
      return DBT_FLOAT;
    case SQLITE_TEXT:
      return DBT_TEXT;
    case SQLITE_BLOB:
      return DBT_BLOB;
    default:
      return DBT_NULL;
  }
}

static int64_t sq_column_int64(Stmt *st, int col) {
  return sqlite3_column_int64(SH(st), col);
}

static const char *sq_column_text(Stmt *st, int col) {
  return (const char *)sqlite3_column_text(SH(st), col);
}

static const void *sq_column_blob(Stmt *st, int col, size_t *n) {
  const void *p = sqlite3_column_blob(SH(st), col);
  *n = (size_t)sqlite3_column_bytes(SH(st), col);
  return p;
}

static int64_t sq_changes(Db *db) {
  return sqlite3_changes64(H(db));
}

static int sq_exec(Db *db, const char *sql) {
  int rc = sqlite3_exec(H(db), sql, NULL, NULL, NULL);
  return rc == SQLITE_OK ? DB_OK : fail(db, rc);
}

static int sq_begin(Db *db) {
  return sq_exec(db, "BEGIN IMMEDIATE");
}

static int sq_commit(Db *db) {
  return sq_exec(db, "COMMIT");
}

static int sq_in_transaction(Db *db) {
  return !sqlite3_get_autocommit(H(db));
}

static int sq_ping(Db *db) {
  return sq_exec(db, "SELECT 1");
}

static const DbOps sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .clear_bindings = sq_clear_bindings,
    .bind_int64 = sq_bind_int64,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .column_count = sq_column_count,
    .column_name = sq_column_name,
    .column_type = sq_column_type,
    .column_int64 = sq_column_int64,
    .column_text = sq_column_text,
    .column_blob = sq_column_blob,
    .changes = sq_changes,
    .exec = sq_exec,
    .begin = sq_begin,
    .commit = sq_commit,
    .in_transaction = sq_in_transaction,
    .ping = sq_ping,
};

/* ---- backup ---- */

int sqlite_backup_to(Db *src, const char *path, Buf *err) {
  if (src->backend != DB_SQLITE) jx_fatal("sqlite_backup_to: not SQLite");
  /* O_EXCL: never overwrite a file, and the copy of confidential data is
  ** readable by the owner only from its first byte. */
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    buf_printf(err, "无法创建备份文件 %s：%s", path, strerror(errno));
    return DB_EERROR;
  }
  close(fd);
  sqlite3 *dst = NULL;
  sqlite3_backup *bk = NULL;
  int rc = sqlite3_open_v2(path, &dst,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK) {
    bk = sqlite3_backup_init(dst, "main", H(src), "main");
    if (!bk) rc = sqlite3_errcode(dst);
  }
  if (bk) {
    /* One step copies every page under a single read lock: a consistent
    ** snapshot even while other connections write. */
    for (int tries = 0; tries < 100; tries++) {
      rc = sqlite3_backup_step(bk, -1);
      if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
      sqlite3_sleep(50);
    }
    int rc2 = sqlite3_backup_finish(bk);
    if (rc == SQLITE_DONE) rc = rc2;
  }
  if (rc == SQLITE_OK || rc == SQLITE_DONE) {
    char mode[32];
    rc = query_text(dst, "PRAGMA journal_mode = DELETE", mode, sizeof mode);
  }
  if (rc != SQLITE_OK) {
    buf_printf(err, "无法写入备份文件 %s：%s", path,
               dst && sqlite3_errcode(dst) != SQLITE_OK ? sqlite3_errmsg(dst)
                                                        : sqlite3_errstr(rc));
    sqlite3_close(dst);
    db_remove_files(path);
    return DB_EERROR;
  }
  sqlite3_close(dst);
  return DB_OK;
}
