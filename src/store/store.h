/* store.h: the one database interface (SQLite or PostgreSQL).
**
** Only src/store/ includes sqlite3.h or libpq-fe.h.  Everything above it
** speaks this interface: statements from the catalogue (store/stmts.def)
** with '?' placeholders, values always bound, one connection per thread.
**
** Errors: functions returning int give DB_OK (0) on success, or one of
** the DB_E* codes; db_errmsg() then describes the failure in English for
** the log.  Misuse (binding out of range, stepping a finalized statement)
** is a programming error and aborts.
*/
#ifndef JX_STORE_H
#define JX_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

typedef struct Db Db;     /* one connection; not shared between threads */
typedef struct Stmt Stmt; /* a prepared statement of that connection */

typedef enum DbBackend { DB_SQLITE = 1, DB_POSTGRES = 2 } DbBackend;

enum {
  DB_OK = 0,
  DB_ROW = 100,       /* db_step: a row is ready */
  DB_DONE = 101,      /* db_step: no more rows */
  DB_EERROR = 1,      /* anything else */
  DB_ECONSTRAINT = 2, /* unique, foreign key, check or not-null violation */
  DB_EBUSY = 3,       /* lock not obtained within the busy timeout */
  DB_EDENIED = 4      /* refused by the protection layer (e.g. audit rows) */
};

/* The statement catalogue: STMT_<NAME> for every entry of stmts.def. */
typedef enum StmtId {
#define STMT(name, sql) STMT_##name,
#include "store/stmts.def"
#undef STMT
  STMT__COUNT
} StmtId;
extern const char *const stmt_sql[STMT__COUNT];
extern const char *const stmt_name[STMT__COUNT];

/* Open the database at location: "postgresql://…" or "postgres://…"
** selects PostgreSQL (libpq connection URI); anything else is a SQLite
** file path.  SQLite is opened with WAL, foreign_keys=ON,
** busy_timeout=5000, synchronous=FULL, secure_delete=ON, trusted_schema=OFF.
** On failure returns non-zero, *out is NULL and err holds the reason. */
int db_open(const char *location, Db **out, Buf *err);
void db_close(Db *db); /* NULL is fine; finalizes cached statements */
DbBackend db_backend(const Db *db);
const char *db_backend_name(const Db *db); /* "sqlite" | "postgresql" */
const char *db_errmsg(Db *db);             /* last error, for logs */
int db_ping(Db *db); /* DB_OK when the connection answers */
/* One pointer per connection for an upper layer's cache (settings.c);
** release (may be NULL) frees it when the connection closes or the slot
** is replaced. */
void *db_slot(Db *db);
void db_set_slot(Db *db, void *p, void (*release)(void *));

/* A catalogue statement, prepared on first use and cached per connection.
** It comes back reset with no bindings; call db_reset() when done with it
** (the cache keeps it). */
Stmt *db_stmt(Db *db, StmtId id);
/* An ad-hoc statement (migrations, backup, tests); NULL on error (see
** db_errmsg).  Release with db_finalize(). */
Stmt *db_prepare(Db *db, const char *sql);
void db_finalize(Stmt *st);
void db_reset(Stmt *st);

/* Bind by 1-based position.  Text must be UTF-8; NULL text binds NULL. */
void db_bind_int64(Stmt *st, int idx, int64_t v);
void db_bind_text(Stmt *st, int idx, const char *s);
void db_bind_blob(Stmt *st, int idx, const void *data, size_t n);
void db_bind_null(Stmt *st, int idx);

/* Run or advance: DB_ROW, DB_DONE or a DB_E* code. */
int db_step(Stmt *st);
/* Columns by 0-based position, valid until the next step or reset. */
int db_column_count(Stmt *st);
const char *db_column_name(Stmt *st, int col);
int db_column_is_null(Stmt *st, int col);
int64_t db_column_int64(Stmt *st, int col);   /* 0 for NULL */
const char *db_column_text(Stmt *st, int col); /* NULL for NULL */
const void *db_column_blob(Stmt *st, int col, size_t *n);
/* Rows changed by the last INSERT/UPDATE/DELETE statement stepped. */
int64_t db_changes(Db *db);

/* Run SQL text with no parameters (may hold several statements). */
int db_exec(Db *db, const char *sql);

/* Transactions.  db_begin takes the write lock at once on SQLite
** (BEGIN IMMEDIATE) so a request never fails half-way on an upgrade. */
int db_begin(Db *db);
int db_commit(Db *db);
int db_rollback(Db *db); /* safe to call when no transaction is open */
int db_in_transaction(Db *db);

/* ---- schema (migrate.c) ---- */
/* Apply every migration not yet recorded, each in its own transaction.
** Returns DB_OK; *applied counts the steps run (0 when up to date). */
int db_migrate(Db *db, int *applied, Buf *err);
int db_schema_version(Db *db); /* highest applied, 0 if none */
int db_schema_latest(void);    /* highest compiled into the binary */

/* ---- backup (backup.c) ----
** A backup is always a SQLite file with the current schema, whatever the
** source backend: it can be restored into either backend. */
int db_backup(Db *db, const char *out_path, Buf *err);
/* Load a backup file into db, which must hold no data rows (a fresh
** schema, or none: it is migrated first).  All or nothing: on error
** nothing changes and err says why. */
int db_restore(Db *db, const char *in_path, Buf *err);

#endif
