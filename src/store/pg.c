/* pg.c: the PostgreSQL backend; the only file that sees libpq-fe.h. */
#include "store/store_int.h"

#include <ctype.h>
#include <stdlib.h>

#include <libpq-fe.h>

/* Type OIDs from pg_type.dat; stable across releases (the server headers
** that name them are not part of the client package). */
enum {
  OID_BOOL = 16,
  OID_BYTEA = 17,
  OID_INT8 = 20,
  OID_INT2 = 21,
  OID_INT4 = 23,
  OID_OID = 26,
  OID_FLOAT4 = 700,
  OID_FLOAT8 = 701,
  OID_NUMERIC = 1700
};

typedef struct PgDb {
  Db base; /* must come first */
  PGconn *conn;
  unsigned gen;         /* session number: prepared statements die with it */
  int64_t changes;      /* rows changed by the last INSERT/UPDATE/DELETE */
  unsigned unnamed_seq; /* numbers ad-hoc statements */
  unsigned unnamed_cur; /* which one the unnamed statement holds; 0: none */
} PgDb;

typedef struct PgStmt {
  Stmt base;        /* must come first */
  char *sql;        /* text with $1, $2 … placeholders */
  int nparams;      /* how many there are */
  unsigned gen;     /* PgDb.gen when prepared as "s<cat>"; 0 = not yet */
  unsigned unnamed; /* ad-hoc: its number, see PgDb.unnamed_cur */
  char **vals;      /* bound values (text, or bytes for blobs); NULL = NULL */
  int *lens;        /* byte lengths of blob values */
  int *fmts;        /* 0 text, 1 binary (blobs) */
  PGresult *res;    /* result of the execution, once stepped */
  int row;          /* current row of res */
  int ncols;        /* columns of res */
  unsigned char **blob; /* bytea values of the current row, decoded */
  size_t *blob_len;
} PgStmt;

static const DbOps pg_ops;

static PgDb *P(Db *db) {
  return (PgDb *)db;
}
static PgStmt *PS(Stmt *st) {
  return (PgStmt *)st;
}

/* ---- placeholders ---- */

static int ident_char(unsigned char c) {
  return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* End of the quoted text starting at p (a ' or "); quotes are doubled
** inside, and backslash escapes a character when escapes is set (E'…'). */
static const char *skip_quoted(const char *p, int escapes) {
  char q = *p++;
  while (*p) {
    if (escapes && *p == '\\' && p[1]) {
      p += 2;
    } else if (*p == q) {
      if (p[1] != q) return p + 1;
      p += 2;
    } else {
      p++;
    }
  }
  return p;
}

/* End of the dollar-quoted string starting at p, or NULL if p does not
** start one ($$…$$ or $tag$…$tag$). */
static const char *skip_dollar(const char *p) {
  const char *t = p + 1;
  if (*t != '$' &&
      !(isalpha((unsigned char)*t) || *t == '_' || (unsigned char)*t >= 0x80))
    return NULL;
  while (*t != '$') {
    if (!*t || !(ident_char((unsigned char)*t) && *t != '$')) return NULL;
    t++;
  }
  size_t taglen = (size_t)(t - p) + 1;
  const char *body = t + 1;
  for (const char *e = body; (e = strchr(e, '$')); e++)
    if (strncmp(e, p, taglen) == 0) return e + taglen;
  return body + strlen(body);
}

char *pg_rewrite_placeholders(const char *sql, int *nparams) {
  Buf b = BUF_INIT;
  int n = 0;
  const char *p = sql;
  *nparams = 0;
  while (*p) {
    const char *end = NULL;
    int after_ident = p > sql && ident_char((unsigned char)p[-1]);
    if (*p == '\'') {
      int esc = p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
                !(p - 1 > sql && ident_char((unsigned char)p[-2]));
      end = skip_quoted(p, esc);
    } else if (*p == '"') {
      end = skip_quoted(p, 0);
    } else if (p[0] == '-' && p[1] == '-') {
      end = p + strcspn(p, "\n");
    } else if (p[0] == '/' && p[1] == '*') {
      /* PostgreSQL nests block comments. */
      int depth = 0;
      end = p;
      do {
        if (end[0] == '/' && end[1] == '*')
          depth++, end += 2;
        else if (end[0] == '*' && end[1] == '/')
          depth--, end += 2;
        else
          end++;
      } while (*end && depth > 0);
    } else if (*p == '$' && !after_ident) {
      end = skip_dollar(p);
    } else if (*p == '?') {
      if (isdigit((unsigned char)p[1])) {
        buf_release(&b);
        return NULL;
      }
      buf_printf(&b, "$%d", ++n);
      p++;
      continue;
    }
    if (!end) end = p + 1;
    buf_append(&b, p, (size_t)(end - p));
    p = end;
  }
  *nparams = n;
  return buf_detach(&b);
}

/* ---- errors ---- */

/* Record the error of result r (NULL when libpq could not even produce
** one) and map its SQLSTATE to DB_*.  r is not freed. */
static int fail(Db *db, const PGresult *r) {
  PGconn *c = P(db)->conn;
  const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
  const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  if (!msg) msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c);
  if (!msg || !*msg) msg = PQerrorMessage(c);
  /* libpq messages end in a newline; a log line must not. */
  size_t len = strcspn(msg, "\n");
  db_set_error(db, "%.*s (sqlstate %s)", (int)len, msg, state ? state : "none");
  if (!state) return DB_EERROR;
  if (strncmp(state, "23", 2) == 0) return DB_ECONSTRAINT;
  if (str_eq(state, "40001") || str_eq(state, "40P01") ||
      str_eq(state, "55P03"))
    return DB_EBUSY;
  if (str_eq(state, "42501")) return DB_EDENIED;
  return DB_EERROR;
}

static int result_ok(const PGresult *r) {
  ExecStatusType s = PQresultStatus(r);
  return r && (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ||
               s == PGRES_EMPTY_QUERY);
}

/* ---- connections ---- */

static void quiet_notice(void *arg, const char *message) {
  (void)arg, (void)message; /* NOTICEs ("already exists, skipping") are noise */
}

/* Per-session settings, run after every (re)connection. */
static int session_setup(PGconn *c) {
  PGresult *r = PQexec(c, "SET TimeZone TO 'UTC'");
  int ok = result_ok(r);
  PQclear(r);
  return ok ? 0 : -1;
}

int pg_open(const char *url, Db **out, Buf *err) {
  *out = NULL;
  /* Keywords before dbname are defaults the URL may override; those after
  ** it are forced.  The URL is never echoed: it may hold a password. */
  const char *const keys[] = {"connect_timeout", "application_name", "dbname",
                              "client_encoding", NULL};
  const char *const vals[] = {"10", "jixun", url, "UTF8", NULL};
  PGconn *c = PQconnectdbParams(keys, vals, 1);
  if (!c || PQstatus(c) != CONNECTION_OK || session_setup(c) != 0) {
    const char *m = c ? PQerrorMessage(c) : "out of memory";
    buf_printf(err, "无法连接 PostgreSQL：%.*s", (int)strcspn(m, "\n"), m);
    PQfinish(c);
    return DB_EERROR;
  }
  PQsetNoticeProcessor(c, quiet_notice, NULL);
  PgDb *db = xcalloc(1, sizeof *db);
  db->base.ops = &pg_ops;
  db->base.backend = DB_POSTGRES;
  db->conn = c;
  db->gen = 1;
  *out = &db->base;
  return DB_OK;
}

static void pq_close(Db *db) {
  PQfinish(P(db)->conn);
  free(db);
}

/* PQexec, which also drops the unnamed statement. */
static PGresult *simple_query(PgDb *pd, const char *sql) {
  pd->unnamed_cur = 0;
  return PQexec(pd->conn, sql);
}

/* Reconnect a broken session (the server restarted, a proxy timed out);
** statements prepared in the old session are prepared again on use. */
static int pq_ping(Db *db) {
  PgDb *pd = P(db);
  if (PQstatus(pd->conn) != CONNECTION_OK) {
    PQreset(pd->conn);
    if (PQstatus(pd->conn) != CONNECTION_OK || session_setup(pd->conn) != 0)
      return fail(db, NULL);
    pd->gen++;
  }
  PGresult *r = simple_query(pd, "SELECT 1");
  int rc = result_ok(r) ? DB_OK : fail(db, r);
  PQclear(r);
  return rc;
}

/* ---- statements ---- */

/* The server-side name of st: "s<id>" for catalogue statements, the
** unnamed statement for ad-hoc ones. */
static void server_name(const PgStmt *st, char name[16]) {
  if (st->base.cat >= 0)
    snprintf(name, 16, "s%d", st->base.cat);
  else
    name[0] = 0;
}

/* Prepare st on the server in the current session. */
static int prepare_server(PgStmt *st) {
  PgDb *pd = P(st->base.db);
  char name[16];
  server_name(st, name);
  if (st->base.cat < 0) pd->unnamed_cur = 0;
  PGresult *r = PQprepare(pd->conn, name, st->sql, st->nparams, NULL);
  int rc = result_ok(r) ? DB_OK : fail(&pd->base, r);
  PQclear(r);
  if (rc == DB_OK) {
    st->gen = pd->gen;
    if (st->base.cat < 0) st->unnamed = pd->unnamed_cur = ++pd->unnamed_seq;
  }
  return rc;
}

static void drop_blobs(PgStmt *st) {
  for (int i = 0; i < st->ncols; i++) {
    if (st->blob[i]) PQfreemem(st->blob[i]);
    st->blob[i] = NULL;
  }
}

static void pq_reset(Stmt *s) {
  PgStmt *st = PS(s);
  drop_blobs(st);
  free(st->blob);
  free(st->blob_len);
  st->blob = NULL;
  st->blob_len = NULL;
  st->ncols = 0;
  PQclear(st->res);
  st->res = NULL;
  st->row = -1;
}

static void pq_clear_bindings(Stmt *s) {
  PgStmt *st = PS(s);
  for (int i = 0; i < st->nparams; i++) {
    free(st->vals[i]);
    st->vals[i] = NULL;
    st->lens[i] = 0;
    st->fmts[i] = 0;
  }
}

static void pq_finalize(Stmt *s) {
  PgStmt *st = PS(s);
  pq_reset(s);
  pq_clear_bindings(s);
  /* A catalogue statement's server-side copy lives as long as the session:
  ** it is only finalized when the connection closes. */
  free(st->vals);
  free(st->lens);
  free(st->fmts);
  free(st->sql);
  free(st);
}

/* Translate the placeholders of sql and parse it on the server (see
** below); NULL with db->err set when either fails. */
static Stmt *pq_prepare(Db *db, const char *sql, int cat) {
  int n = 0;
  char *text = pg_rewrite_placeholders(sql, &n);
  if (!text) {
    db_set_error(db, "numbered placeholders (?NNN) are not supported");
    return NULL;
  }
  PgStmt *st = xcalloc(1, sizeof *st);
  st->base.db = db;
  st->base.cat = cat;
  st->sql = text;
  st->nparams = n;
  st->vals = xcalloc((size_t)n, sizeof *st->vals);
  st->lens = xcalloc((size_t)n, sizeof *st->lens);
  st->fmts = xcalloc((size_t)n, sizeof *st->fmts);
  st->row = -1;
  /* Both kinds are parsed now, so that bad SQL fails here as on SQLite:
  ** catalogue statements once per session under their own name, ad-hoc
  ** ones as the unnamed statement, which they use until another takes
  ** it (then they go with their values in one PQexecParams). */
  if (prepare_server(st) != DB_OK) {
    pq_finalize(&st->base);
    return NULL;
  }
  return &st->base;
}

/* Store value (ownership taken) as parameter idx; aborts when out of range. */
static void set_param(Stmt *s, int idx, char *val, int len, int fmt) {
  PgStmt *st = PS(s);
  if (idx < 1 || idx > st->nparams) {
    free(val);
    jx_fatal("db_bind: parameter %d out of range 1..%d in \"%s\"", idx,
             st->nparams, st->sql);
  }
  free(st->vals[idx - 1]);
  st->vals[idx - 1] = val;
  st->lens[idx - 1] = len;
  st->fmts[idx - 1] = fmt;
}

static void pq_bind_int64(Stmt *st, int idx, int64_t v) {
  set_param(st, idx, xasprintf("%lld", (long long)v), 0, 0);
}

static void pq_bind_text(Stmt *st, int idx, const char *s) {
  set_param(st, idx, xstrdup(s), 0, 0);
}

static void pq_bind_blob(Stmt *st, int idx, const void *data, size_t n) {
  if (n > INT32_MAX) jx_fatal("db_bind_blob: %zu bytes is too large", n);
  char *copy = xmalloc(n);
  if (n) memcpy(copy, data, n);
  set_param(st, idx, copy, (int)n, 1);
}

static void pq_bind_null(Stmt *st, int idx) {
  set_param(st, idx, NULL, 0, 0);
}

/* Whether a command tag names a statement that changes rows. */
static int changes_rows(const char *tag) {
  return str_starts(tag, "INSERT ") || str_starts(tag, "UPDATE ") ||
         str_starts(tag, "DELETE ") || str_starts(tag, "MERGE ");
}

/* Execute st on the server and keep its whole result (text format). */
static int execute(PgStmt *st) {
  PgDb *pd = P(st->base.db);
  PGresult *r;
  const char *const *vals = (const char *const *)st->vals;
  if (st->base.cat >= 0 && st->gen != pd->gen) {
    int rc = prepare_server(st);
    if (rc != DB_OK) return rc;
  }
  if (st->base.cat >= 0 ||
      (st->gen == pd->gen && st->unnamed == pd->unnamed_cur)) {
    char name[16];
    server_name(st, name);
    r = PQexecPrepared(pd->conn, name, st->nparams, vals, st->lens, st->fmts,
                       0);
  } else {
    pd->unnamed_cur = 0;
    r = PQexecParams(pd->conn, st->sql, st->nparams, NULL, vals, st->lens,
                     st->fmts, 0);
  }
  if (!r || (PQresultStatus(r) != PGRES_COMMAND_OK &&
             PQresultStatus(r) != PGRES_TUPLES_OK)) {
    int rc = fail(&pd->base, r);
    PQclear(r);
    return rc;
  }
  if (changes_rows(PQcmdStatus(r))) {
    int64_t n = 0;
    str_to_int64(PQcmdTuples(r), 0, INT64_MAX, &n);
    pd->changes = n;
  }
  st->res = r;
  st->row = -1;
  st->ncols = PQnfields(r);
  st->blob = xcalloc((size_t)st->ncols, sizeof *st->blob);
  st->blob_len = xcalloc((size_t)st->ncols, sizeof *st->blob_len);
  return DB_OK;
}

/* Execute on the first step, then walk the rows of the result. */
static int pq_step(Stmt *s) {
  PgStmt *st = PS(s);
  if (!st->res) {
    int rc = execute(st);
    if (rc != DB_OK) return rc;
  }
  drop_blobs(st);
  int nrows = PQntuples(st->res);
  if (st->row + 1 < nrows) {
    st->row++;
    return DB_ROW;
  }
  st->row = nrows;
  return DB_DONE;
}

static int pq_column_count(Stmt *s) {
  return PS(s)->res ? PS(s)->ncols : 0;
}

static const char *pq_column_name(Stmt *s, int col) {
  return PQfname(PS(s)->res, col);
}

static int pq_column_type(Stmt *s, int col) {
  PgStmt *st = PS(s);
  if (PQgetisnull(st->res, st->row, col)) return DBT_NULL;
  switch (PQftype(st->res, col)) {
    case OID_BOOL:
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_OID:
      return DBT_INT;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC:
      return DBT_FLOAT;
    case OID_BYTEA:
      return DBT_BLOB;
    default:
      return DBT_TEXT;
  }
}

static int64_t pq_column_int64(Stmt *s, int col) {
  PgStmt *st = PS(s);
  if (PQgetisnull(st->res, st->row, col)) return 0;
  const char *v = PQgetvalue(st->res, st->row, col);
  if (PQftype(st->res, col) == OID_BOOL) return v[0] == 't';
  return strtoll(v, NULL, 10);
}

static const char *pq_column_text(Stmt *s, int col) {
  PgStmt *st = PS(s);
  if (PQgetisnull(st->res, st->row, col)) return NULL;
  return PQgetvalue(st->res, st->row, col);
}

static const void *pq_column_blob(Stmt *s, int col, size_t *n) {
  PgStmt *st = PS(s);
  *n = 0;
  if (PQgetisnull(st->res, st->row, col)) return NULL;
  const char *v = PQgetvalue(st->res, st->row, col);
  if (PQftype(st->res, col) != OID_BYTEA) {
    *n = (size_t)PQgetlength(st->res, st->row, col);
    return v;
  }
  if (!st->blob[col]) {
    st->blob[col] =
        PQunescapeBytea((const unsigned char *)v, &st->blob_len[col]);
    if (!st->blob[col]) jx_fatal("out of memory decoding bytea");
  }
  *n = st->blob_len[col];
  return st->blob[col];
}

static int64_t pq_changes(Db *db) {
  return P(db)->changes;
}

static int pq_exec(Db *db, const char *sql) {
  PGresult *r = simple_query(P(db), sql);
  int rc = result_ok(r) ? DB_OK : fail(db, r);
  PQclear(r);
  return rc;
}

static int pq_begin(Db *db) {
  return pq_exec(db, "BEGIN");
}

/* COMMIT of a transaction that an error aborted "succeeds" with the tag
** ROLLBACK; report that as the failure it is. */
static int pq_commit(Db *db) {
  PGresult *r = simple_query(P(db), "COMMIT");
  int rc = result_ok(r) ? DB_OK : fail(db, r);
  if (rc == DB_OK && str_eq(PQcmdStatus(r), "ROLLBACK")) {
    db_set_error(db, "transaction aborted by an earlier error; rolled back");
    rc = DB_EERROR;
  }
  PQclear(r);
  return rc;
}

static int pq_in_transaction(Db *db) {
  PGTransactionStatusType t = PQtransactionStatus(P(db)->conn);
  return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

static const DbOps pg_ops = {
    .name = "postgresql",
    .close = pq_close,
    .prepare = pq_prepare,
    .finalize = pq_finalize,
    .reset = pq_reset,
    .clear_bindings = pq_clear_bindings,
    .bind_int64 = pq_bind_int64,
    .bind_text = pq_bind_text,
    .bind_blob = pq_bind_blob,
    .bind_null = pq_bind_null,
    .step = pq_step,
    .column_count = pq_column_count,
    .column_name = pq_column_name,
    .column_type = pq_column_type,
    .column_int64 = pq_column_int64,
    .column_text = pq_column_text,
    .column_blob = pq_column_blob,
    .changes = pq_changes,
    .exec = pq_exec,
    .begin = pq_begin,
    .commit = pq_commit,
    .in_transaction = pq_in_transaction,
    .ping = pq_ping,
};
