/* backup.c: backups as SQLite files with the current schema, and restore.
**
** A backup is a plain SQLite database file, whatever the source backend,
** so that one file format restores into either backend.  Rows are copied
** table by table in creation order (parents before children) and within
** a table in primary-key order (parents before children again, for trees
** such as org units).  Only INSERTs are used, so append-only tables whose
** triggers forbid UPDATE and DELETE restore like any other.
*/
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct Table {
  char *name;  /* table name, as in sqlite_master */
  char **cols; /* column names in declaration order */
  int ncols;
  char **pk; /* primary-key columns in key order */
  int npk;
} Table;

static void tables_free(Table *t, size_t n) {
  for (size_t i = 0; i < n; i++) {
    for (int c = 0; c < t[i].ncols; c++) free(t[i].cols[c]);
    for (int c = 0; c < t[i].npk; c++) free(t[i].pk[c]);
    free(t[i].cols);
    free(t[i].pk);
    free(t[i].name);
  }
  free(t);
}

/* Append name to b as a double-quoted SQL identifier. */
static void put_ident(Buf *b, const char *name) {
  buf_putc(b, '"');
  for (const char *p = name; *p; p++) {
    if (*p == '"') buf_putc(b, '"');
    buf_putc(b, *p);
  }
  buf_putc(b, '"');
}

/* The data tables of SQLite database cat in creation order with their
** columns; schema_version and SQLite's own tables are left out.  Caller
** frees with tables_free(); -1 with err set on failure. */
static int read_catalog(Db *cat, Table **out, size_t *count, Buf *err) {
  Table *t = NULL;
  size_t n = 0;
  Stmt *st = db_prepare(cat, "SELECT name FROM sqlite_master "
                             "WHERE type = 'table' "
                             "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                             "AND name <> 'schema_version' ORDER BY rowid");
  int rc = st ? DB_OK : DB_EERROR;
  while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
    t = xrealloc(t, (n + 1) * sizeof *t);
    memset(&t[n], 0, sizeof *t);
    t[n++].name = xstrdup(db_column_text(st, 0));
    rc = DB_OK;
  }
  db_finalize(st);
  if (rc != DB_DONE) goto fail;
  st = db_prepare(cat, "SELECT name, pk FROM pragma_table_info(?) "
                       "ORDER BY cid");
  if (!st) goto fail;
  for (size_t i = 0; i < n; i++) {
    Table *tb = &t[i];
    db_reset(st);
    db_bind_text(st, 1, tb->name);
    while ((rc = db_step(st)) == DB_ROW) {
      tb->cols = xrealloc(tb->cols, (size_t)(tb->ncols + 1) * sizeof(char *));
      tb->cols[tb->ncols++] = xstrdup(db_column_text(st, 0));
      int64_t k = db_column_int64(st, 1);
      if (k > 0) {
        /* pk is the column's 1-based position in the key. */
        if (k > tb->npk) {
          tb->pk = xrealloc(tb->pk, (size_t)k * sizeof(char *));
          for (int j = tb->npk; j < k; j++) tb->pk[j] = NULL;
          tb->npk = (int)k;
        }
        tb->pk[k - 1] = xstrdup(db_column_text(st, 0));
      }
    }
    if (rc != DB_DONE) {
      db_finalize(st);
      goto fail;
    }
  }
  db_finalize(st);
  *out = t;
  *count = n;
  return 0;
fail:
  buf_printf(err, "无法读取表结构：%s", db_errmsg(cat));
  tables_free(t, n);
  return -1;
}

/* "SELECT cols FROM t ORDER BY key" for reading tb from a db of backend be. */
static void select_sql(Buf *b, const Table *tb, DbBackend be) {
  buf_puts(b, "SELECT ");
  for (int c = 0; c < tb->ncols; c++) {
    if (c) buf_puts(b, ", ");
    put_ident(b, tb->cols[c]); /* codecheck: identifier from sqlite_master */
  }
  buf_puts(b, " FROM ");
  put_ident(b, tb->name); /* codecheck: identifier from sqlite_master */
  if (tb->npk) {
    buf_puts(b, " ORDER BY ");
    for (int c = 0; c < tb->npk; c++) {
      if (c) buf_puts(b, ", ");
      put_ident(b, tb->pk[c]); /* codecheck: identifier from sqlite_master */
    }
  } else if (be == DB_SQLITE) {
    buf_puts(b, " ORDER BY rowid");
  }
}

/* "INSERT INTO t(cols) VALUES (?, …)" for tb. */
static void insert_sql(Buf *b, const Table *tb) {
  buf_puts(b, "INSERT INTO ");
  put_ident(b, tb->name); /* codecheck: identifier from sqlite_master */
  buf_puts(b, " (");
  for (int c = 0; c < tb->ncols; c++) {
    if (c) buf_puts(b, ", ");
    put_ident(b, tb->cols[c]); /* codecheck: identifier from sqlite_master */
  }
  buf_puts(b, ") VALUES (");
  for (int c = 0; c < tb->ncols; c++) buf_puts(b, c ? ", ?" : "?");
  buf_puts(b, ")");
}

/* Bind column c of src's current row as parameter c+1 of ins, by the
** type the source gives the value. */
static void bind_value(Stmt *ins, Stmt *src, int c) {
  switch (db_column_type(src, c)) {
  case DBT_NULL:
    db_bind_null(ins, c + 1);
    break;
  case DBT_INT:
    db_bind_int64(ins, c + 1, db_column_int64(src, c));
    break;
  case DBT_BLOB: {
    size_t n = 0;
    const void *p = db_column_blob(src, c, &n);
    db_bind_blob(ins, c + 1, p, n);
    break;
  }
  default: /* text, and floats as their text */
    db_bind_text(ins, c + 1, db_column_text(src, c));
    break;
  }
}

/* Copy every row of tb from src to dst (both inside transactions).  A
** PostgreSQL source is read through a cursor in batches, so a table of
** attachments never has to fit in memory at once.  *rows counts them. */
static int copy_table(Db *src, Db *dst, const Table *tb, int64_t *rows,
                      Buf *err) {
  Buf sel = BUF_INIT, ins_sql = BUF_INIT;
  Stmt *st = NULL, *ins = NULL;
  Db *failed = src;
  int cursor = db_backend(src) == DB_POSTGRES;
  int rc = DB_OK;
  select_sql(&sel, tb, db_backend(src));
  insert_sql(&ins_sql, tb);
  if (cursor) {
    Buf decl = BUF_INIT;
    buf_puts(&decl, "DECLARE jx_copy NO SCROLL CURSOR FOR ");
    buf_append(&decl, sel.p, sel.len);
    rc = db_exec(src, buf_str(&decl));
    buf_release(&decl);
    if (rc == DB_OK) st = db_prepare(src, "FETCH FORWARD 1000 FROM jx_copy");
  } else {
    st = db_prepare(src, buf_str(&sel));
  }
  if (!st) rc = DB_EERROR;
  if (rc == DB_OK) {
    ins = db_prepare(dst, buf_str(&ins_sql));
    if (!ins) rc = DB_EERROR, failed = dst;
  }
  int64_t batch = 0;
  while (rc == DB_OK) {
    int r = db_step(st);
    if (r == DB_DONE) {
      if (!cursor || batch == 0) break;
      batch = 0; /* fetch the next batch */
      db_reset(st);
      continue;
    }
    if (r != DB_ROW) {
      rc = r;
      break;
    }
    batch++;
    for (int c = 0; c < tb->ncols; c++) bind_value(ins, st, c);
    r = db_step(ins);
    db_reset(ins);
    if (r != DB_DONE) {
      rc = r;
      failed = dst;
      break;
    }
    (*rows)++;
  }
  if (rc != DB_OK)
    buf_printf(err, "复制表 %s 失败：%s", tb->name, db_errmsg(failed));
  db_finalize(st);
  db_finalize(ins);
  if (cursor && rc == DB_OK) {
    rc = db_exec(src, "CLOSE jx_copy");
    if (rc != DB_OK) buf_printf(err, "复制表 %s 失败：%s", tb->name, db_errmsg(src));
  }
  buf_release(&sel);
  buf_release(&ins_sql);
  return rc;
}

static int copy_tables(Db *src, Db *dst, const Table *t, size_t n, Buf *err) {
  for (size_t i = 0; i < n; i++) {
    int64_t rows = 0;
    int rc = copy_table(src, dst, &t[i], &rows, err);
    if (rc != DB_OK) return rc;
  }
  return DB_OK;
}

/* ---- backup ---- */

/* Copy PostgreSQL db into a new SQLite file at path from one snapshot. */
static int backup_pg(Db *db, const char *path, Buf *err) {
  Db *dst = NULL;
  Table *t = NULL;
  size_t nt = 0;
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    buf_printf(err, "无法创建备份文件 %s：%s", path, strerror(errno));
    return DB_EERROR;
  }
  close(fd);
  int rc = sqlite_open(path, 0, &dst, err);
  if (rc == DB_OK) rc = db_migrate(dst, NULL, err);
  if (rc == DB_OK) {
    rc = db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (rc != DB_OK) buf_printf(err, "备份失败：%s", db_errmsg(db));
  }
  if (rc == DB_OK) {
    int v = db_schema_version(db), latest = db_schema_latest();
    if (v != latest) {
      buf_printf(err, "源数据库结构版本 %d 与本程序的 %d 不一致，请先执行 migrate",
                 v, latest);
      rc = DB_EERROR;
    }
  }
  if (rc == DB_OK && read_catalog(dst, &t, &nt, err) != 0) rc = DB_EERROR;
  if (rc == DB_OK) {
    rc = db_begin(dst);
    if (rc != DB_OK) buf_printf(err, "备份失败：%s", db_errmsg(dst));
  }
  if (rc == DB_OK) rc = copy_tables(db, dst, t, nt, err);
  if (rc == DB_OK) {
    rc = db_commit(dst);
    if (rc != DB_OK) buf_printf(err, "备份失败：%s", db_errmsg(dst));
  }
  db_rollback(db); /* the snapshot was read-only */
  if (rc == DB_OK) {
    /* A backup is one self-contained file, with no -wal beside it. */
    rc = db_exec(dst, "PRAGMA journal_mode = DELETE");
    if (rc != DB_OK) buf_printf(err, "备份失败：%s", db_errmsg(dst));
  }
  if (dst) db_rollback(dst);
  db_close(dst);
  if (rc != DB_OK) db_remove_files(path);
  tables_free(t, nt);
  return rc;
}

int db_backup(Db *db, const char *out_path, Buf *err) {
  /* A snapshot from inside a transaction would hold its uncommitted rows. */
  if (db_in_transaction(db)) {
    buf_puts(err, "不能在事务中备份");
    return DB_EERROR;
  }
  if (db_backend(db) == DB_SQLITE) return sqlite_backup_to(db, out_path, err);
  return backup_pg(db, out_path, err);
}

/* ---- restore ---- */

/* 1 if some data table of db (all but schema_version) has a row, 0 if
** none does, -1 on error; the first non-empty table's name goes to which. */
static int has_rows(Db *db, Buf *which) {
  const char *sql =
      db_backend(db) == DB_SQLITE
          ? "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "AND name <> 'schema_version' ORDER BY rowid"
          : "SELECT tablename FROM pg_catalog.pg_tables "
            "WHERE schemaname = current_schema() "
            "AND tablename <> 'schema_version' ORDER BY tablename";
  Stmt *list = db_prepare(db, sql);
  if (!list) return -1;
  int found = 0, rc = DB_DONE;
  Buf q = BUF_INIT;
  while (!found && (rc = db_step(list)) == DB_ROW) {
    const char *name = db_column_text(list, 0);
    buf_clear(&q);
    buf_puts(&q, "SELECT 1 FROM ");
    put_ident(&q, name); /* codecheck: identifier from sqlite_master */
    buf_puts(&q, " LIMIT 1");
    Stmt *st = db_prepare(db, buf_str(&q));
    int r = st ? db_step(st) : DB_EERROR;
    db_finalize(st);
    if (r == DB_ROW) {
      found = 1;
      buf_puts(which, name);
    } else if (r != DB_DONE) {
      found = -1;
    }
  }
  if (!found && rc != DB_DONE) found = -1;
  db_finalize(list);
  buf_release(&q);
  return found;
}

/* After explicit ids were inserted, move each identity sequence past
** them, so the next row PostgreSQL numbers does not collide. */
static int reset_sequences(Db *db, const Table *t, size_t n, Buf *err) {
  Stmt *has = db_prepare(db, "SELECT 1 FROM information_schema.columns "
                             "WHERE table_schema = current_schema() "
                             "AND table_name = ? AND column_name = 'id' "
                             "AND (is_identity = 'YES' "
                             "OR column_default LIKE 'nextval(%')");
  int rc = has ? DB_OK : DB_EERROR;
  Buf q = BUF_INIT, name = BUF_INIT;
  for (size_t i = 0; rc == DB_OK && i < n; i++) {
    db_reset(has);
    db_bind_text(has, 1, t[i].name);
    int r = db_step(has);
    if (r == DB_DONE) continue;
    if (r != DB_ROW) {
      rc = r;
      break;
    }
    buf_clear(&q);
    buf_clear(&name);
    put_ident(&name, t[i].name); /* pg_get_serial_sequence parses it */
    buf_puts(&q, "SELECT setval(pg_get_serial_sequence(?, 'id'), "
                 "COALESCE(MAX(id), 0) + 1, false) FROM ");
    put_ident(&q, t[i].name); /* codecheck: identifier from sqlite_master */
    Stmt *st = db_prepare(db, buf_str(&q));
    if (!st) {
      rc = DB_EERROR;
      break;
    }
    db_bind_text(st, 1, buf_str(&name));
    r = db_step(st);
    db_finalize(st);
    if (r != DB_ROW) rc = r;
  }
  if (rc != DB_OK) buf_printf(err, "无法重置序列：%s", db_errmsg(db));
  db_finalize(has);
  buf_release(&q);
  buf_release(&name);
  return rc;
}

/* Open backup file path read-only and check it is one of ours; NULL with
** err set otherwise.  *version receives its schema version. */
static Db *open_backup(const char *path, int *version, Buf *err) {
  Db *bk = NULL;
  Buf why = BUF_INIT;
  if (sqlite_open(path, 1, &bk, &why) != DB_OK) {
    buf_printf(err, "无法打开备份文件 %s：%s", path, buf_str(&why));
    buf_release(&why);
    return NULL;
  }
  buf_release(&why);
  Stmt *st = db_prepare(bk, "PRAGMA application_id");
  int64_t id = st && db_step(st) == DB_ROW ? db_column_int64(st, 0) : -1;
  db_finalize(st);
  if (id != JX_APPLICATION_ID) {
    buf_printf(err, "不是 jixun 备份文件：%s", path);
    db_close(bk);
    return NULL;
  }
  *version = db_schema_version(bk);
  if (*version < 0) {
    buf_printf(err, "无法读取备份文件的结构版本：%s", db_errmsg(bk));
    db_close(bk);
    return NULL;
  }
  return bk;
}

/* Bring an older backup to the current schema: copy it into a private
** temporary directory (the backup itself stays untouched) and migrate
** the copy.  Returns the copy, or NULL with err set; *tmpdir and *tmpfile
** name what the caller removes afterwards (caller frees both). */
static Db *upgrade_copy(Db *bk, char **tmpdir, char **tmpfile, Buf *err) {
  const char *base = getenv("TMPDIR");
  char *dir = xasprintf("%s/jixun-restore-XXXXXX", base && *base ? base : "/tmp");
  if (!mkdtemp(dir)) {
    buf_printf(err, "无法创建临时目录：%s", strerror(errno));
    free(dir);
    return NULL;
  }
  *tmpdir = dir;
  *tmpfile = xasprintf("%s/restore.db", dir);
  Db *copy = NULL;
  if (sqlite_backup_to(bk, *tmpfile, err) != DB_OK) return NULL;
  if (sqlite_open(*tmpfile, 0, &copy, err) != DB_OK) return NULL;
  Buf why = BUF_INIT;
  if (db_migrate(copy, NULL, &why) != DB_OK) {
    buf_printf(err, "无法升级备份文件的结构：%s", buf_str(&why));
    buf_release(&why);
    db_close(copy);
    return NULL;
  }
  return copy;
}

int db_restore(Db *db, const char *in_path, Buf *err) {
  char *tmpdir = NULL, *tmpfile = NULL;
  Table *t = NULL;
  size_t nt = 0;
  Buf which = BUF_INIT;
  int version = 0, latest = db_schema_latest();
  int rc = DB_EERROR;
  if (db_in_transaction(db)) {
    buf_puts(err, "不能在事务中恢复");
    return DB_EERROR;
  }
  Db *bk = open_backup(in_path, &version, err);
  if (!bk) return DB_EERROR;
  if (version > latest) {
    buf_printf(err, "备份文件的结构版本 %d 高于本程序支持的 %d", version,
               latest);
    goto done;
  }
  if (version < latest) {
    Db *copy = upgrade_copy(bk, &tmpdir, &tmpfile, err);
    if (!copy) goto done;
    db_close(bk);
    bk = copy;
  }
  int full = has_rows(db, &which);
  if (full < 0) {
    buf_printf(err, "无法检查目标数据库：%s", db_errmsg(db));
    goto done;
  }
  if (full) {
    buf_printf(err, "目标数据库已有数据，拒绝覆盖（表 %s 非空）",
               buf_str(&which));
    goto done;
  }
  if (db_migrate(db, NULL, err) != DB_OK) goto done;
  if (read_catalog(bk, &t, &nt, err) != 0) goto done;
  rc = db_begin(db);
  /* Rows referring to later rows of their own table (a child with a
  ** smaller id than its parent) are checked at commit, not per INSERT. */
  if (rc == DB_OK && db_backend(db) == DB_SQLITE)
    rc = db_exec(db, "PRAGMA defer_foreign_keys = ON");
  if (rc != DB_OK) buf_printf(err, "恢复失败：%s", db_errmsg(db));
  if (rc == DB_OK) rc = copy_tables(bk, db, t, nt, err);
  if (rc == DB_OK && db_backend(db) == DB_POSTGRES)
    rc = reset_sequences(db, t, nt, err);
  if (rc == DB_OK) {
    rc = db_commit(db);
    if (rc != DB_OK) buf_printf(err, "恢复失败：%s", db_errmsg(db));
  }
  if (rc != DB_OK) db_rollback(db);
done:
  db_close(bk);
  if (tmpfile) db_remove_files(tmpfile);
  if (tmpdir) rmdir(tmpdir);
  free(tmpfile);
  free(tmpdir);
  tables_free(t, nt);
  buf_release(&which);
  return rc;
}
