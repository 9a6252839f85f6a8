/* unit.h: common includes and helpers for the cmocka unit tests.
**
** Each tests/unit/test_*.c is one program linked against every object of
** the sanitizer build except main.o; see the Makefile.  A test reaches a
** static function by #include-ing the .c file it tests (h2o's t/00unit).
*/
#ifndef JX_UNIT_H
#define JX_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/store.h"
#include "util/util.h"

/* A fresh temporary directory for this process; removed by the OS tmp
** cleaner, or by unit_rmtree() at the end of a test.  Caller frees. */
static inline char *unit_tmpdir(void) {
  char *t = xstrdup("/tmp/jixun-unit-XXXXXX");
  if (!mkdtemp(t)) jx_fatal("mkdtemp failed");
  return t;
}

static inline void unit_rmtree(const char *dir) {
  char *cmd = xasprintf("rm -rf '%s'", dir);
  if (system(cmd) != 0) jx_fatal("cannot remove '%s'", dir);
  free(cmd);
}

/* The PostgreSQL URL of the throwaway cluster tests/run.sh started, or
** NULL when the run has none (then PostgreSQL cases call skip()). */
static inline const char *unit_pg_url(void) {
  const char *u = getenv("JIXUN_TEST_PG_URL");
  return u && *u ? u : NULL;
}

/* A new, empty database in the cluster of unit_pg_url(), for one test, as
** a URL like the base one (caller frees); NULL when there is no cluster.
** Names are jixun_unit_<pid>_<n>; a name left by an earlier process with
** the same pid is stepped over. */
static inline char *unit_pg_fresh_url(void) {
  static int counter;
  const char *base = unit_pg_url();
  if (!base) return NULL;
  Db *db = NULL;
  Buf err = BUF_INIT;
  if (db_open(base, &db, &err) != DB_OK)
    jx_fatal("unit_pg_fresh_url: %s", buf_str(&err));
  char name[64];
  int rc = DB_EERROR;
  for (int tries = 0; rc != DB_OK && tries < 100; tries++) {
    snprintf(name, sizeof name, "jixun_unit_%ld_%d", (long)getpid(), ++counter);
    char *sql = xasprintf("CREATE DATABASE \"%s\"", name);
    rc = db_exec(db, sql);
    free(sql);
  }
  if (rc != DB_OK) jx_fatal("unit_pg_fresh_url: %s", db_errmsg(db));
  db_close(db);
  buf_release(&err);
  /* Swap the path of scheme://authority/path?query for the new name. */
  const char *sep = strstr(base, "://");
  if (!sep) jx_fatal("unit_pg_fresh_url: not a URL: %s", base);
  const char *auth = sep + 3;
  const char *rest = auth + strcspn(auth, "/?");
  const char *query = strchr(rest, '?');
  Buf url = BUF_INIT;
  buf_append(&url, base, (size_t)(rest - base));
  buf_printf(&url, "/%s", name);
  if (query) buf_puts(&url, query);
  return buf_detach(&url);
}


/* The cmocka hooks of a fixture type Fx (a struct with Db *db, char *dir
** — NULL on PostgreSQL — and char *loc, allocated by open_fn(pg)):
** setup_sqlite, setup_pg (NULL state without a cluster), teardown (back to
** the real clock, close, remove the SQLite directory, free) and fx_get
** (the fixture, or skip() for a PostgreSQL case without a cluster). */
#define UNIT_FIXTURE(Fx, open_fn)                                  \
  static int setup_sqlite(void **state) {                          \
    *state = open_fn(0);                                           \
    return 0;                                                      \
  }                                                                \
  static int setup_pg(void **state) {                              \
    *state = unit_pg_url() ? open_fn(1) : NULL;                    \
    return 0;                                                      \
  }                                                                \
  static int teardown(void **state) {                              \
    Fx *fx_ = *state;                                              \
    clock_set(0);                                                  \
    if (!fx_) return 0;                                            \
    db_close(fx_->db);                                             \
    if (fx_->dir) unit_rmtree(fx_->dir);                           \
    free(fx_->dir);                                                \
    free(fx_->loc);                                                \
    free(fx_);                                                     \
    return 0;                                                      \
  }                                                                \
  static Fx *fx_get(void **state) {                                \
    if (!*state) skip();                                           \
    return *state;                                                 \
  }

#endif
