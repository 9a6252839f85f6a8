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

#endif
