/* backup.c: backups as SQLite files with the current schema, and restore.
**
** A backup is a plain SQLite database file, whatever the source backend,
** so that one file format restores into either backend.  Rows are copied
** table by table, referenced tables first, and within a table in primary
** key order, or parents first for a table that refers to itself (org
** units), since PostgreSQL checks foreign keys row by row.  Rows are only
** ever INSERTed, so append-only tables whose triggers forbid UPDATE and
** DELETE restore like any other.  The one DELETE is of the rows that
** migrations seed (built-in roles) in a fresh target, which the copy
** replaces with the source's.
*/
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

typedef struct Table {
  char *name;  /* table name, as in sqlite_master */
  char **cols; /* column names in declaration order */
  int ncols;
  char **pk; /* primary-key columns in key order */
  int npk;
  char *self_from; /* the one column referring to this table itself … */
  char *self_to;   /* … and the column it refers to; NULL when none */
} Table;

static void tables_free(Table *t, size_t n) {
  for (size_t i = 0; i < n; i++) {
    for (int c = 0; c < t[i].ncols; c++) free(t[i].cols[c]);
    for (int c = 0; c < t[i].npk; c++) free(t[i].pk[c]);
    free(t[i].cols);
    free(t[i].pk);
    free(t[i].name);
    free(t[i].self_from);
    free(t[i].self_to);
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

/* Find tb's foreign key to itself (a tree: org units, say) in SQLite
** database cat, when it has exactly one and that of a single column; 0 on
** success, -1 on error. */
static int read_self_ref(Db *cat, Table *tb) {
  Stmt *st = db_prepare(cat,
                        "SELECT id, \"from\", \"to\" "
                        "FROM pragma_foreign_key_list(?) "
                        "WHERE \"table\" = ? COLLATE NOCASE");
  if (!st) return -1;
  db_bind_text(st, 1, tb->name);
  db_bind_text(st, 2, tb->name);
  int rc, count = 0;
  while ((rc = db_step(st)) == DB_ROW) {
    count++;
    if (count > 1) continue;
    const char *to = db_column_text(st, 2);
    /* "REFERENCES t" without a column names t's primary key. */
    if (!to && tb->npk == 1) to = tb->pk[0];
    if (!to)
      count++;
    else {
      tb->self_from = xstrdup(db_column_text(st, 1));
      tb->self_to = xstrdup(to);
    }
  }
  db_finalize(st);
  if (count != 1) {
    free(tb->self_from);
    free(tb->self_to);
    tb->self_from = tb->self_to = NULL;
  }
  return rc == DB_DONE ? 0 : -1;
}

/* Reorder t[0..n), tables of SQLite database cat, so that each comes
** after the tables its foreign keys refer to, keeping creation order
** wherever that already holds (a table rebuilt by a later migration is
** created after the tables that refer to it).  Tables in a cycle keep
** creation order.  0 on success, -1 on error. */
static int order_by_references(Db *cat, Table *t, size_t n) {
  if (n < 2) return 0;
  char *refs = xcalloc(n * n, 1); /* refs[i * n + j]: t[i] refers to t[j] */
  Stmt *st = db_prepare(cat,
                        "SELECT DISTINCT \"table\" "
                        "FROM pragma_foreign_key_list(?)");
  int rc = st ? DB_DONE : DB_EERROR;
  for (size_t i = 0; st && rc == DB_DONE && i < n; i++) {
    db_reset(st);
    db_bind_text(st, 1, t[i].name);
    while ((rc = db_step(st)) == DB_ROW) {
      const char *parent = db_column_text(st, 0);
      for (size_t j = 0; j < n; j++)
        if (j != i && strcasecmp(t[j].name, parent) == 0) refs[i * n + j] = 1;
    }
  }
  db_finalize(st);
  if (rc == DB_DONE) {
    Table *sorted = xmalloc(n * sizeof *sorted);
    char *placed = xcalloc(n, 1);
    for (size_t k = 0; k < n; k++) {
      size_t pick = n, first = n;
      for (size_t i = 0; i < n && pick == n; i++) {
        if (placed[i]) continue;
        if (first == n) first = i;
        int ready = 1;
        for (size_t j = 0; j < n && ready; j++)
          if (refs[i * n + j] && !placed[j]) ready = 0;
        if (ready) pick = i;
      }
      if (pick == n) pick = first; /* a cycle */
      sorted[k] = t[pick];
      placed[pick] = 1;
    }
    memcpy(t, sorted, n * sizeof *t);
    free(sorted);
    free(placed);
  }
  free(refs);
  return rc == DB_DONE ? 0 : -1;
}

/* The data tables of SQLite database cat in creation order, refined so
** that referenced tables come first, with their columns; schema_version
** and SQLite's own tables are left out.  Caller frees with tables_free();
** -1 with err set on failure. */
static int read_catalog(Db *cat, Table **out, size_t *count, Buf *err) {
  Table *t = NULL;
  size_t n = 0;
  Stmt *st = db_prepare(cat,
                        "SELECT name FROM sqlite_master "
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
  st = db_prepare(cat,
                  "SELECT name, pk FROM pragma_table_info(?) "
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
  for (size_t i = 0; i < n; i++)
    if (read_self_ref(cat, &t[i]) != 0) goto fail;
  if (order_by_references(cat, t, n) != 0) goto fail;
  *out = t;
  *count = n;
  return 0;
fail:
  buf_printf(err, "无法读取表结构：%s", db_errmsg(cat));
  tables_free(t, n);
  return -1;
}

/* "SELECT cols FROM t ORDER BY key" for reading tb from a db of backend be.
** From SQLite, a table that refers to itself is read parents first (by
** depth in its tree), because PostgreSQL checks foreign keys per INSERT
** and a node may have been moved under a node created after it. */
static void select_sql(Buf *b, const Table *tb, DbBackend be) {
  int tree = be == DB_SQLITE && tb->self_from;
  if (tree) {
    /* codecheck: identifier from sqlite_master (every put_ident below) */
    buf_puts(b, "WITH RECURSIVE jx_depth(k, depth) AS (SELECT ");
    put_ident(b, tb->self_to);
    buf_puts(b, ", 0 FROM ");
    put_ident(b, tb->name);
    buf_puts(b, " AS c WHERE c.");
    put_ident(b, tb->self_from);
    buf_puts(b, " IS NULL OR c.");
    put_ident(b, tb->self_from);
    buf_puts(b, " = c.");
    put_ident(b, tb->self_to);
    buf_puts(b, " OR NOT EXISTS (SELECT 1 FROM ");
    put_ident(b, tb->name);
    buf_puts(b, " AS p WHERE p.");
    put_ident(b, tb->self_to);
    buf_puts(b, " = c.");
    put_ident(b, tb->self_from);
    buf_puts(b, ") UNION ALL SELECT c.");
    put_ident(b, tb->self_to);
    buf_puts(b, ", d.depth + 1 FROM ");
    put_ident(b, tb->name);
    buf_puts(b, " AS c JOIN jx_depth AS d ON c.");
    put_ident(b, tb->self_from);
    buf_puts(b, " = d.k WHERE c.");
    put_ident(b, tb->self_from);
    buf_puts(b, " <> c.");
    put_ident(b, tb->self_to);
    buf_puts(b, ") ");
  }
  buf_puts(b, "SELECT ");
  for (int c = 0; c < tb->ncols; c++) {
    if (c) buf_puts(b, ", ");
    buf_puts(b, "t.");
    put_ident(b, tb->cols[c]); /* codecheck: identifier from sqlite_master */
  }
  buf_puts(b, " FROM ");
  put_ident(b, tb->name); /* codecheck: identifier from sqlite_master */
  buf_puts(b, " AS t");
  if (tree) {
    buf_puts(b, " JOIN jx_depth ON t.");
    put_ident(b, tb->self_to); /* codecheck: identifier from sqlite_master */
    buf_puts(b, " = jx_depth.k ORDER BY jx_depth.depth");
  }
  if (tb->npk) {
    buf_puts(b, tree ? ", " : " ORDER BY ");
    for (int c = 0; c < tb->npk; c++) {
      if (c) buf_puts(b, ", ");
      buf_puts(b, "t.");
      put_ident(b, tb->pk[c]); /* codecheck: identifier from sqlite_master */
    }
  } else if (be == DB_SQLITE) {
    buf_puts(b, tree ? ", t.rowid" : " ORDER BY t.rowid");
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
  if (rc == DB_OK && !cursor && tb->self_from) {
    /* Rows in a cycle of references have no depth and were not read. */
    Buf q = BUF_INIT;
    buf_puts(&q, "SELECT COUNT(*) FROM ");
    put_ident(&q, tb->name); /* codecheck: identifier from sqlite_master */
    Stmt *cnt = db_prepare(src, buf_str(&q));
    int64_t total =
        cnt && db_step(cnt) == DB_ROW ? db_column_int64(cnt, 0) : -1;
    db_finalize(cnt);
    buf_release(&q);
    if (total < 0) {
      buf_printf(err, "复制表 %s 失败：%s", tb->name, db_errmsg(src));
      rc = DB_EERROR;
    } else if (total != *rows) {
      buf_printf(err, "复制表 %s 失败：%lld 行中有 %lld 行的上级引用成环或缺失",
                 tb->name, (long long)total, (long long)(total - *rows));
      rc = DB_EERROR;
    }
  } else if (rc != DB_OK) {
    buf_printf(err, "复制表 %s 失败：%s", tb->name, db_errmsg(failed));
  }
  db_finalize(st);
  db_finalize(ins);
  if (cursor && rc == DB_OK) {
    rc = db_exec(src, "CLOSE jx_copy");
    if (rc != DB_OK)
      buf_printf(err, "复制表 %s 失败：%s", tb->name, db_errmsg(src));
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

/* The data tables of db (SQLite or PostgreSQL): all but schema_version and
** the engine's own.  Caller frees the array and the names. */
static int list_tables(Db *db, char ***names, size_t *count) {
  const char *sql =
      db_backend(db) == DB_SQLITE
          ? "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "AND name <> 'schema_version' ORDER BY rowid"
          : "SELECT tablename FROM pg_catalog.pg_tables "
            "WHERE schemaname = current_schema() "
            "AND tablename <> 'schema_version' ORDER BY tablename";
  char **v = NULL;
  size_t n = 0;
  Stmt *st = db_prepare(db, sql);
  int rc = st ? DB_ROW : DB_EERROR;
  while (st && (rc = db_step(st)) == DB_ROW) {
    v = xrealloc(v, (n + 1) * sizeof *v);
    v[n++] = xstrdup(db_column_text(st, 0));
  }
  db_finalize(st);
  *names = v;
  *count = n;
  return rc == DB_DONE ? 0 : -1;
}

static void names_free(char **v, size_t n) {
  for (size_t i = 0; i < n; i++) free(v[i]);
  free(v);
}

/* 1 if table name of db has a row, 0 if not, -1 on error. */
static int table_has_rows(Db *db, const char *name) {
  Buf q = BUF_INIT;
  buf_puts(&q, "SELECT 1 FROM ");
  put_ident(&q, name); /* codecheck: identifier from sqlite_master */
  buf_puts(&q, " LIMIT 1");
  Stmt *st = db_prepare(db, buf_str(&q));
  int r = st ? db_step(st) : DB_EERROR;
  db_finalize(st);
  buf_release(&q);
  return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

/* Delete the rows of those tables of t[0..n) that have any, last-created
** first.  Used inside the copy transaction on a schema that holds nothing
** but the rows its migrations seed (such as the built-in roles), which
** the copy brings back as they were in the source.  Tables without rows
** are not touched, so append-only guards on them never fire. */
static int clear_seeded(Db *db, const Table *t, size_t n, Buf *err) {
  Buf q = BUF_INIT;
  int rc = DB_OK;
  for (size_t i = n; rc == DB_OK && i-- > 0;) {
    int r = table_has_rows(db, t[i].name);
    if (r == 0) continue;
    if (r < 0) {
      rc = DB_EERROR;
      break;
    }
    buf_clear(&q);
    buf_puts(&q, "DELETE FROM ");
    put_ident(&q, t[i].name); /* codecheck: identifier from sqlite_master */
    rc = db_exec(db, buf_str(&q));
  }
  if (rc != DB_OK) buf_printf(err, "无法清除初始数据：%s", db_errmsg(db));
  buf_release(&q);
  return rc;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every row of tb in db as a canonical string (type-tagged values, blobs
** in hex), sorted so that collation differences between the backends do
** not matter.  Caller frees; -1 on error. */
static int dump_rows(Db *db, const Table *tb, char ***rows, size_t *count) {
  Buf sql = BUF_INIT, row = BUF_INIT;
  char **v = NULL;
  size_t n = 0;
  select_sql(&sql, tb, db_backend(db));
  Stmt *st = db_prepare(db, buf_str(&sql));
  int rc = st ? DB_ROW : DB_EERROR;
  while (st && (rc = db_step(st)) == DB_ROW) {
    buf_clear(&row);
    buf_puts(&row, "|");
    for (int c = 0; c < tb->ncols; c++) {
      switch (db_column_type(st, c)) {
        case DBT_NULL:
          buf_puts(&row, "n|");
          break;
        case DBT_INT:
          buf_printf(&row, "i%lld|", (long long)db_column_int64(st, c));
          break;
        case DBT_BLOB: {
          size_t len = 0;
          const unsigned char *p = db_column_blob(st, c, &len);
          buf_puts(&row, "b");
          for (size_t k = 0; k < len; k++) buf_printf(&row, "%02x", p[k]);
          buf_puts(&row, "|");
          break;
        }
        default: {
          const char *t = db_column_text(st, c);
          buf_printf(&row, "t%zu:%s|", strlen(t), t);
          break;
        }
      }
    }
    v = xrealloc(v, (n + 1) * sizeof *v);
    v[n++] = xstrdup(buf_str(&row));
  }
  db_finalize(st);
  buf_release(&sql);
  buf_release(&row);
  if (n) qsort(v, n, sizeof *v, cmp_str);
  *rows = v;
  *count = n;
  return rc == DB_DONE ? 0 : -1;
}

/* 1 if table tb holds the same rows in a and b, 0 if not, -1 on error. */
static int same_rows(Db *a, Db *b, const Table *tb) {
  char **ra = NULL, **rb = NULL;
  size_t na = 0, nb = 0;
  int same = -1;
  if (dump_rows(a, tb, &ra, &na) == 0 && dump_rows(b, tb, &rb, &nb) == 0) {
    same = na == nb;
    for (size_t i = 0; same && i < na; i++) same = str_eq(ra[i], rb[i]);
  }
  names_free(ra, na);
  names_free(rb, nb);
  return same;
}

/* What a freshly migrated database holds: its tables, and which of them
** its migrations seed with rows. */
typedef struct Fresh {
  Db *db;   /* an in-memory SQLite database at the current schema */
  Table *t; /* its data tables */
  size_t n;
  int *seeded; /* t[i] has rows */
} Fresh;

static void fresh_free(Fresh *f) {
  db_close(f->db);
  tables_free(f->t, f->n);
  free(f->seeded);
}

static int fresh_init(Fresh *f, Buf *err) {
  memset(f, 0, sizeof *f);
  Buf why = BUF_INIT;
  int rc = sqlite_open(":memory:", 0, &f->db, &why);
  if (rc == DB_OK) rc = db_migrate(f->db, NULL, &why);
  if (rc == DB_OK && read_catalog(f->db, &f->t, &f->n, &why) != 0)
    rc = DB_EERROR;
  if (rc == DB_OK) {
    f->seeded = xcalloc(f->n, sizeof *f->seeded);
    for (size_t i = 0; rc == DB_OK && i < f->n; i++) {
      f->seeded[i] = table_has_rows(f->db, f->t[i].name);
      if (f->seeded[i] < 0) rc = DB_EERROR;
    }
  }
  if (rc != DB_OK) {
    buf_printf(err, "无法建立参照结构：%s",
               why.len ? buf_str(&why) : db_errmsg(f->db));
    fresh_free(f);
    memset(f, 0, sizeof *f);
  }
  buf_release(&why);
  return rc;
}

/* Whether db holds no data: every table a migration does not seed is
** empty and, when exact, every seeded table holds exactly the seed rows
** (before db is migrated they are not compared: a later migration may
** still change them).  1 yes, 0 no (which names the first table with
** data), -1 on error. */
static int holds_no_data(Db *db, const Fresh *f, int exact, Buf *which) {
  char **names = NULL;
  size_t n = 0;
  int ok = list_tables(db, &names, &n) == 0 ? 1 : -1;
  for (size_t i = 0; ok == 1 && i < n; i++) {
    const Table *tb = NULL;
    for (size_t k = 0; k < f->n; k++)
      if (f->seeded[k] && str_eq(f->t[k].name, names[i])) tb = &f->t[k];
    int r;
    if (!tb)
      r = table_has_rows(db, names[i]) == 1 ? 0 : 1;
    else
      r = exact ? same_rows(db, f->db, tb) : 1;
    if (r == 0) buf_puts(which, names[i]);
    ok = r;
  }
  names_free(names, n);
  return ok;
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
  if (rc == DB_OK && read_catalog(dst, &t, &nt, err) != 0) rc = DB_EERROR;
  if (rc == DB_OK) {
    rc = db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (rc != DB_OK) buf_printf(err, "无法开始读取：%s", db_errmsg(db));
  }
  if (rc == DB_OK) {
    int v = db_schema_version(db), latest = db_schema_latest();
    if (v != latest) {
      buf_printf(err,
                 "源数据库结构版本 %d 与本程序的 %d 不一致，请先执行 migrate",
                 v, latest);
      rc = DB_EERROR;
    }
  }
  if (rc == DB_OK) {
    rc = db_begin(dst);
    if (rc == DB_OK) rc = db_exec(dst, "PRAGMA defer_foreign_keys = ON");
    if (rc != DB_OK) buf_printf(err, "无法写入备份文件：%s", db_errmsg(dst));
  }
  if (rc == DB_OK) rc = clear_seeded(dst, t, nt, err);
  if (rc == DB_OK) rc = copy_tables(db, dst, t, nt, err);
  if (rc == DB_OK) {
    rc = db_commit(dst);
    if (rc != DB_OK) buf_printf(err, "无法写入备份文件：%s", db_errmsg(dst));
  }
  db_rollback(db); /* the snapshot was read-only */
  if (rc == DB_OK) {
    /* A backup is one self-contained file, with no -wal beside it. */
    rc = db_exec(dst, "PRAGMA journal_mode = DELETE");
    if (rc != DB_OK) buf_printf(err, "无法写入备份文件：%s", db_errmsg(dst));
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

/* After explicit ids were inserted, move each identity sequence past
** them, so the next row PostgreSQL numbers does not collide. */
static int reset_sequences(Db *db, const Table *t, size_t n, Buf *err) {
  Stmt *has = db_prepare(db,
                         "SELECT 1 FROM information_schema.columns "
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
    /* is_called = false: the next id is exactly MAX(id) + 1, and 1 for
    ** an empty table. */
    buf_puts(&q,
             "SELECT setval(pg_get_serial_sequence(?, 'id'), "
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
    buf_printf(err, "无法读取备份文件 %s 的结构版本：%s", path, db_errmsg(bk));
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
  char *dir =
      xasprintf("%s/jixun-restore-XXXXXX", base && *base ? base : "/tmp");
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

/* Check db holds no data (exact or not, see holds_no_data); DB_OK or an
** error in err. */
static int require_empty(Db *db, const Fresh *f, int exact, Buf *err) {
  Buf which = BUF_INIT;
  int r = holds_no_data(db, f, exact, &which);
  if (r < 0)
    buf_printf(err, "无法检查目标数据库：%s", db_errmsg(db));
  else if (r == 0)
    buf_printf(err, "目标数据库已有数据，拒绝覆盖（表 %s）", buf_str(&which));
  buf_release(&which);
  return r == 1 ? DB_OK : DB_EERROR;
}

int db_restore(Db *db, const char *in_path, Buf *err) {
  char *tmpdir = NULL, *tmpfile = NULL;
  Table *t = NULL;
  size_t nt = 0;
  Fresh fresh = {0};
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
  /* Everything that can be checked without writing is checked before the
  ** target is migrated; the seeded tables only once it is. */
  if (fresh_init(&fresh, err) != DB_OK) goto done;
  if (require_empty(db, &fresh, 0, err) != DB_OK) goto done;
  if (read_catalog(bk, &t, &nt, err) != 0) goto done;
  if (db_migrate(db, NULL, err) != DB_OK) goto done;
  if (require_empty(db, &fresh, 1, err) != DB_OK) goto done;
  rc = db_begin(db);
  /* Rows referring to later rows of their own table (a child with a
  ** smaller id than its parent) are checked at commit, not per INSERT. */
  if (rc == DB_OK && db_backend(db) == DB_SQLITE)
    rc = db_exec(db, "PRAGMA defer_foreign_keys = ON");
  if (rc != DB_OK) buf_printf(err, "无法开始写入：%s", db_errmsg(db));
  if (rc == DB_OK) rc = clear_seeded(db, t, nt, err);
  if (rc == DB_OK) rc = copy_tables(bk, db, t, nt, err);
  if (rc == DB_OK && db_backend(db) == DB_POSTGRES)
    rc = reset_sequences(db, t, nt, err);
  if (rc == DB_OK) {
    rc = db_commit(db);
    if (rc != DB_OK) buf_printf(err, "无法提交：%s", db_errmsg(db));
  }
  if (rc != DB_OK) db_rollback(db);
done:
  db_close(bk);
  fresh_free(&fresh);
  if (tmpfile) db_remove_files(tmpfile);
  if (tmpdir) rmdir(tmpdir);
  free(tmpfile);
  free(tmpdir);
  tables_free(t, nt);
  return rc;
}
