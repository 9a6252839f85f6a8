/* store_int.h: what the store backends share; never included above store/.
**
** store.c implements the public functions of store.h once, on top of a
** table of backend operations (DbOps) that sqlite.c and pg.c each fill
** in.  A backend's own connection and statement structs begin with the
** common Db and Stmt, so a pointer to one is a pointer to the other.
*/
#ifndef JX_STORE_INT_H
#define JX_STORE_INT_H

#include "store/store.h"
#include "util/embed.h"

/* The type of one column value, as backup.c needs to copy it. */
enum {
  DBT_NULL = 0,
  DBT_INT = 1,
  DBT_FLOAT = 2, /* copied as text: the API has no double binding */
  DBT_TEXT = 3,
  DBT_BLOB = 4
};

/* SQLite's PRAGMA application_id, also the PostgreSQL advisory-lock key
** that serializes migrations: "JXUN". */
#define JX_APPLICATION_ID 0x4A58554E

typedef struct DbOps {
  const char *name; /* "sqlite" | "postgresql" */
  void (*close)(Db *db);
  /* Prepare sql; cat is the StmtId for catalogue statements, -1 for
  ** ad-hoc ones.  NULL with db->err set on failure. */
  Stmt *(*prepare)(Db *db, const char *sql, int cat);
  void (*finalize)(Stmt *st);
  void (*reset)(Stmt *st);
  void (*clear_bindings)(Stmt *st);
  void (*bind_int64)(Stmt *st, int idx, int64_t v);
  void (*bind_text)(Stmt *st, int idx, const char *s);
  void (*bind_blob)(Stmt *st, int idx, const void *data, size_t n);
  void (*bind_null)(Stmt *st, int idx);
  int (*step)(Stmt *st);
  int (*column_count)(Stmt *st);
  const char *(*column_name)(Stmt *st, int col);
  int (*column_type)(Stmt *st, int col); /* DBT_* of the current row */
  int64_t (*column_int64)(Stmt *st, int col);
  const char *(*column_text)(Stmt *st, int col);
  const void *(*column_blob)(Stmt *st, int col, size_t *n);
  int64_t (*changes)(Db *db);
  int (*exec)(Db *db, const char *sql);
  int (*begin)(Db *db);
  int (*commit)(Db *db);
  int (*in_transaction)(Db *db);
  int (*ping)(Db *db);
} DbOps;

struct Db {
  const DbOps *ops;
  DbBackend backend;
  Stmt *cache[STMT__COUNT]; /* catalogue statements prepared so far */
  Buf err;                  /* last error message, for db_errmsg() */
  void *slot;               /* the upper layers' per-connection cache */
  void (*slot_release)(void *);
};

struct Stmt {
  Db *db;      /* the connection it belongs to */
  int cat;     /* StmtId when cached by db_stmt(), -1 for ad-hoc */
  int stepped; /* db_step() called since the last reset */
  int has_row; /* the last db_step() returned DB_ROW */
};

/* Replace db's error message (printf-style). */
void db_set_error(Db *db, const char *fmt, ...) JX_FMT(2, 3);

/* DBT_* of column col of the current row. */
int db_column_type(Stmt *st, int col);

/* Remove a SQLite file and its -wal, -shm and -journal companions, when
** a backup or a temporary copy is abandoned. */
void db_remove_files(const char *path);

/* ---- sqlite.c ---- */
/* Open a SQLite file.  readonly opens an existing file for reading only
** and sets no pragmas that write (used for backup files). */
int sqlite_open(const char *path, int readonly, Db **out, Buf *err);
/* Copy the whole SQLite database src into the new file path (created with
** mode 0600; fails if it exists) with the online backup API, leaving it
** in rollback-journal mode so that it is one self-contained file. */
int sqlite_backup_to(Db *src, const char *path, Buf *err);

/* ---- pg.c ---- */
int pg_open(const char *url, Db **out, Buf *err);
/* Rewrite '?' placeholders to $1, $2 … skipping string literals, quoted
** identifiers, dollar-quoted strings and comments.  Returns the new text
** (caller frees) and the count in *nparams, or NULL when sql uses a form
** this cannot translate ("?NNN"). */
char *pg_rewrite_placeholders(const char *sql, int *nparams);

/* ---- migrate.c ----
** Extra migration files appended to the embedded ones, named like them
** ("src/store/migrations/NNNN_name.sql").  NULL in the server; unit tests
** set it to exercise @ID@, @BLOB@, triggers and failing steps without
** shipping test tables in the binary. */
extern const EmbeddedFile *migrate_extra;
extern size_t migrate_extra_count;

#endif
