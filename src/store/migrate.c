/* migrate.c: versioned schema migrations compiled into the binary.
**
** Each src/store/migrations/NNNN_name.sql is one step, applied in order of
** NNNN inside its own transaction together with its schema_version row.
** Before it runs, a step's text is adapted to the backend:
**   @ID@    an auto-assigned 64-bit primary key
**   @BLOB@  binary data
**   lines between "-- @if sqlite" (or "-- @if postgresql") and "-- @endif"
**           are kept only on that backend, for what has no portable
**           spelling (triggers, functions).
*/
#include "store/store_int.h"

#include <stdlib.h>

const EmbeddedFile *migrate_extra;
size_t migrate_extra_count;

#define MIGRATION_DIR "src/store/migrations/"

typedef struct Migration {
  int version;              /* the leading NNNN */
  char name[96];            /* file name without directory and ".sql" */
  const EmbeddedFile *file; /* the SQL text */
} Migration;

static int by_version(const void *a, const void *b) {
  const Migration *x = a, *y = b;
  return (x->version > y->version) - (x->version < y->version);
}

/* Add f to *list if it is a migration; -1 with err set if its name is
** malformed. */
static int add_migration(const EmbeddedFile *f, Migration **list, size_t *n,
                         Buf *err) {
  if (!str_starts(f->name, MIGRATION_DIR)) return 0;
  const char *base = f->name + strlen(MIGRATION_DIR);
  size_t len = strlen(base);
  if (len < 4 || strcmp(base + len - 4, ".sql") != 0) return 0;
  len -= 4;
  int64_t v = 0;
  char digits[5] = {0};
  if (len >= 5) memcpy(digits, base, 4);
  if (len < 5 || base[4] != '_' || len >= sizeof((*list)->name) ||
      str_to_int64(digits, 1, 9999, &v) != 0) {
    buf_printf(err, "迁移文件名不合规范（应为 NNNN_名称.sql）：%s", f->name);
    return -1;
  }
  *list = xrealloc(*list, (*n + 1) * sizeof **list);
  Migration *m = &(*list)[(*n)++];
  m->version = (int)v;
  memcpy(m->name, base, len);
  m->name[len] = 0;
  m->file = f;
  return 0;
}

/* The compiled-in migrations sorted by version (caller frees *out), or -1
** with err set when a name is malformed or a version repeats. */
static int list_migrations(Migration **out, size_t *count, Buf *err) {
  Migration *list = NULL;
  size_t n = 0;
  for (size_t i = 0; i < embedded_count; i++)
    if (add_migration(&embedded_files[i], &list, &n, err) != 0) goto fail;
  for (size_t i = 0; i < migrate_extra_count; i++)
    if (add_migration(&migrate_extra[i], &list, &n, err) != 0) goto fail;
  if (n) qsort(list, n, sizeof *list, by_version);
  for (size_t i = 1; i < n; i++) {
    if (list[i].version == list[i - 1].version) {
      buf_printf(err, "迁移版本号重复：%s 与 %s", list[i - 1].name,
                 list[i].name);
      goto fail;
    }
  }
  *out = list;
  *count = n;
  return 0;
fail:
  free(list);
  return -1;
}

int db_schema_latest(void) {
  Migration *list = NULL;
  size_t n = 0;
  Buf err = BUF_INIT;
  if (list_migrations(&list, &n, &err) != 0)
    jx_fatal("%s", buf_str(&err)); /* the binary itself is malformed */
  int v = n ? list[n - 1].version : 0;
  free(list);
  return v;
}

/* 1 if table name exists in db's default schema, 0 if not, -1 on error. */
static int table_exists(Db *db, const char *name) {
  const char *sql =
      db_backend(db) == DB_SQLITE
          ? "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
          : "SELECT 1 FROM pg_catalog.pg_tables "
            "WHERE schemaname = current_schema() AND tablename = ?";
  Stmt *st = db_prepare(db, sql);
  if (!st) return -1;
  db_bind_text(st, 1, name);
  int rc = db_step(st);
  db_finalize(st);
  return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int db_schema_version(Db *db) {
  int exists = table_exists(db, "schema_version");
  if (exists <= 0) return exists;
  Stmt *st = db_stmt(db, STMT_SCHEMA_VERSION);
  if (!st) return -1;
  int v = db_step(st) == DB_ROW ? (int)db_column_int64(st, 0) : -1;
  db_reset(st);
  return v;
}

/* 1 if version is recorded in schema_version, 0 if not, -1 on error. */
static int is_applied(Db *db, int version) {
  Stmt *st = db_prepare(db, "SELECT 1 FROM schema_version WHERE version = ?");
  if (!st) return -1;
  db_bind_int64(st, 1, version);
  int rc = db_step(st);
  db_finalize(st);
  return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* Serialize schema changes between servers sharing one PostgreSQL: the
** lock is held until the current transaction ends.  SQLite's BEGIN
** IMMEDIATE already excludes other writers. */
static int lock_schema(Db *db) {
  if (db_backend(db) != DB_POSTGRES) return DB_OK;
  Stmt *st = db_prepare(db, "SELECT pg_advisory_xact_lock(?)");
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, JX_APPLICATION_ID);
  int rc = db_step(st);
  db_finalize(st);
  return rc == DB_ROW ? DB_OK : rc;
}

/* Adapt migration text sql to db's backend (see the top of this file)
** into out; -1 with a reason in err for an unbalanced @if. */
static int expand(Db *db, const char *sql, Buf *out, Buf *err) {
  int pg = db_backend(db) == DB_POSTGRES;
  const char *id = pg ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
                      : "INTEGER PRIMARY KEY";
  const char *blob = pg ? "BYTEA" : "BLOB";
  int in_if = 0, keep = 1;
  for (const char *line = sql; *line;) {
    size_t len = strcspn(line, "\n");
    const char *next = line[len] ? line + len + 1 : line + len;
    const char *t = line;
    while (*t == ' ' || *t == '\t') t++;
    if (str_starts(t, "-- @if ")) {
      const char *which = t + strlen("-- @if ");
      size_t wl = strcspn(which, " \t\r\n");
      int is_sqlite = wl == 6 && strncmp(which, "sqlite", 6) == 0;
      int is_pg = wl == 10 && strncmp(which, "postgresql", 10) == 0;
      if (in_if || (!is_sqlite && !is_pg)) {
        buf_printf(err, "无法识别或嵌套的 @if：%.*s", (int)len, line);
        return -1;
      }
      in_if = 1;
      keep = is_pg == pg;
    } else if (str_starts(t, "-- @endif")) {
      if (!in_if) {
        buf_puts(err, "多余的 @endif");
        return -1;
      }
      in_if = 0;
      keep = 1;
    } else if (keep) {
      for (const char *p = line; p < next;) {
        if (str_starts(p, "@ID@")) {
          buf_puts(out, id);
          p += 4;
        } else if (str_starts(p, "@BLOB@")) {
          buf_puts(out, blob);
          p += 6;
        } else {
          buf_putc(out, *p++);
        }
      }
    }
    line = next;
  }
  if (in_if) {
    buf_puts(err, "@if 缺少 @endif");
    return -1;
  }
  return 0;
}

/* Run migration m in its own transaction unless another server got there
** first; *ran is 1 when it was applied here.  On error the transaction is
** rolled back and err names the step. */
static int apply(Db *db, const Migration *m, int *ran, Buf *err) {
  Buf sql = BUF_INIT, why = BUF_INIT;
  *ran = 0;
  int rc = db_begin(db);
  if (rc == DB_OK) rc = lock_schema(db);
  int done = rc == DB_OK ? is_applied(db, m->version) : 0;
  if (done < 0) rc = DB_EERROR;
  if (rc == DB_OK && !done) {
    if (expand(db, (const char *)m->file->data, &sql, &why) != 0) {
      rc = DB_EERROR;
    } else {
      rc = db_exec(db, buf_str(&sql));
    }
    if (rc == DB_OK) {
      Stmt *st = db_prepare(db,
                            "INSERT INTO schema_version"
                            "(version, name, applied_at) VALUES (?, ?, ?)");
      rc = st ? DB_OK : DB_EERROR;
      if (st) {
        db_bind_int64(st, 1, m->version);
        db_bind_text(st, 2, m->name);
        db_bind_int64(st, 3, jx_now());
        rc = db_step(st) == DB_DONE ? DB_OK : DB_EERROR;
        db_finalize(st);
      }
    }
  }
  if (rc == DB_OK) rc = db_commit(db);
  if (rc != DB_OK) {
    buf_printf(err, "迁移 %s 失败：%s", m->name,
               why.len ? buf_str(&why) : db_errmsg(db));
    db_rollback(db);
  } else {
    *ran = !done;
  }
  buf_release(&sql);
  buf_release(&why);
  return rc;
}

/* Create schema_version if it is missing, under the same lock as the
** steps so that two servers starting together do not both try. */
static int ensure_version_table(Db *db, Buf *err) {
  int exists = table_exists(db, "schema_version");
  if (exists == 1) return DB_OK;
  int rc = exists < 0 ? DB_EERROR : db_begin(db);
  if (rc == DB_OK) rc = lock_schema(db);
  if (rc == DB_OK)
    rc = db_exec(db,
                 "CREATE TABLE IF NOT EXISTS schema_version ("
                 "version BIGINT PRIMARY KEY, "
                 "name TEXT NOT NULL, "
                 "applied_at BIGINT NOT NULL)");
  if (rc == DB_OK) rc = db_commit(db);
  if (rc != DB_OK) {
    buf_printf(err, "无法创建 schema_version 表：%s", db_errmsg(db));
    db_rollback(db);
  }
  return rc;
}

int db_migrate(Db *db, int *applied, Buf *err) {
  Migration *list = NULL;
  size_t n = 0;
  int count = 0;
  if (applied) *applied = 0;
  if (db_in_transaction(db)) {
    buf_puts(err, "不能在事务中执行迁移");
    return DB_EERROR;
  }
  if (list_migrations(&list, &n, err) != 0) return DB_EERROR;
  int rc = ensure_version_table(db, err);
  int current = rc == DB_OK ? db_schema_version(db) : 0;
  int latest = n ? list[n - 1].version : 0;
  if (rc == DB_OK && current < 0) {
    buf_printf(err, "无法读取数据库结构版本：%s", db_errmsg(db));
    rc = DB_EERROR;
  } else if (rc == DB_OK && current > latest) {
    /* An older binary must not write to a schema it does not know. */
    buf_printf(err, "数据库结构版本 %d 高于本程序支持的 %d，请使用新版程序",
               current, latest);
    rc = DB_EERROR;
  }
  for (size_t i = 0; rc == DB_OK && i < n; i++) {
    /* The check outside the transaction keeps an up-to-date start free
    ** of write locks; apply() checks again under the lock. */
    int done = is_applied(db, list[i].version);
    if (done < 0) {
      buf_printf(err, "无法读取数据库结构版本：%s", db_errmsg(db));
      rc = DB_EERROR;
    } else if (!done) {
      int ran = 0;
      rc = apply(db, &list[i], &ran, err);
      count += ran;
    }
  }
  free(list);
  if (applied) *applied = count;
  return rc;
}
